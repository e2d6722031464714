"""Where a signed-in request spends its time: the real app in-process (Flask test client), SQLite, the shipped
courses, a learner seeded by seed.py, each page requested N times under cProfile (or pyinstrument if installed).

    python bench/profile_pages.py [--requests 300] [--page lesson|catalogue|dashboard] [--top 30]

A profiling aid, not a benchmark: the figures it prints are per-request milliseconds in one process, without
gunicorn or a network, so use them to find costs and bench_http.py to measure throughput.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import ROOT, app_env, prepare_database, seed, temp_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--page", default="lesson", choices=["lesson", "catalogue", "dashboard"])
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--time-only", action="store_true", help="no profiler: median ms per request over 5 rounds")
    args = parser.parse_args()
    work = temp_dir("lumos-profile-")
    env = app_env(f"sqlite:///{work / 'profile.db'}", work)
    prepare_database(env)
    data = seed(env, work / "seed.json", 2)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from lumos_learn import create_app

    app = create_app()
    client = app.test_client()
    name, _eq, value = data["main_cookie"].partition("=")
    client.set_cookie(name, value)  # the test client keeps its own cookie jar (a Cookie header would be replaced)
    headers = {"Accept-Encoding": "br, gzip"}
    path = {"lesson": data["lesson_path"], "catalogue": data["catalogue_path"], "dashboard": data["dashboard_path"]}

    def one(_i: int):
        client.set_cookie(name, value)
        r = client.get(path[args.page], headers=headers)
        assert r.status_code == 200 and "public" not in r.headers.get("Cache-Control", ""), r.headers

    for i in range(5):  # warm-up (templates compiled, the lesson's attempt opened)
        one(i)
    n = args.requests
    if args.time_only:
        # Wall time and this process's CPU time: on a shared machine the CPU time is the steadier of the two (it
        # leaves out the time spent waiting for a core), and with SQLite in-process it is the whole request.
        rounds, cpu = [], []
        for r in range(5):
            start, start_cpu = time.perf_counter(), time.process_time()
            for i in range(n // 5):
                one(r * (n // 5) + i)
            rounds.append((time.perf_counter() - start) / (n // 5) * 1000)
            cpu.append((time.process_time() - start_cpu) / (n // 5) * 1000)
        print(
            json.dumps(
                {
                    "page": args.page,
                    "ms_per_request": round(sorted(rounds)[2], 2),
                    "cpu_ms_per_request": round(sorted(cpu)[2], 2),
                    "rounds": [round(x, 2) for x in rounds],
                }
            )
        )
        return
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for i in range(n):
        one(i)
    profiler.disable()
    elapsed = time.perf_counter() - start
    print(json.dumps({"page": args.page, "requests": n, "ms_per_request_profiled": round(elapsed / n * 1000, 2)}))
    stats = pstats.Stats(profiler)
    stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
