"""Where a signed-in request spends its time: the real app in-process (Flask test client), SQLite, the shipped
courses, a learner seeded by seed.py, each page requested N times under cProfile (or pyinstrument if installed).

    python bench/profile_pages.py [--requests 300] [--page lesson|catalogue|dashboard|submit] [--top 30]
        [--postgres URL]

`--page submit` posts quiz submits (action=submit, answered with a 302 to the result page), each with a fresh open
attempt and its one-time token pre-created by seed.py, in the order seed.py shuffled them (many learners, every
quiz). Every mode also prints the SQL statements per request (`--sql` lists those of one request). `--postgres URL`
(a throwaway database: its public schema is dropped, as bench_capacity.py does) profiles on PostgreSQL instead of a
temporary SQLite file; the CPU time is then this process's only, not the server's.

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
    parser.add_argument("--page", default="lesson", choices=["lesson", "catalogue", "dashboard", "submit"])
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--time-only", action="store_true", help="no profiler: median ms per request over 5 rounds")
    parser.add_argument("--sql", action="store_true", help="print the SQL statements of one request")
    parser.add_argument("--postgres", default="", help="a THROWAWAY PostgreSQL database (its schema is dropped)")
    parser.add_argument("--dump", help="also write the profile to this file (pstats: print_callers and the like)")
    args = parser.parse_args()
    work = temp_dir("lumos-profile-")
    if args.postgres:
        from bench_capacity import reset_postgres

        reset_postgres(args.postgres)
        env = app_env(args.postgres.replace("postgresql://", "postgresql+psycopg://", 1), work)
    else:
        env = app_env(f"sqlite:///{work / 'profile.db'}", work)
    prepare_database(env)
    # a submit uses up its attempt: enough learners for the warm-up and every profiled request (seed.py opens one
    # attempt per quiz per learner, the first learner excepted)
    data = seed(env, work / "seed.json", 2 if args.page != "submit" else 2 + (args.requests + 10) // 12)
    submits = data["submits"]
    if args.page == "submit" and len(submits) < args.requests + 6:
        sys.exit(f"only {len(submits)} submits seeded for {args.requests} + 6 requests: seed more learners")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event

    from lumos_learn import create_app
    from lumos_learn.extensions import db

    app = create_app()
    statements: list[str] = []
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(_conn, _cursor, statement, _parameters, _context, _executemany):
            statements.append(statement)

    client = app.test_client()
    name, _eq, value = data["main_cookie"].partition("=")
    client.set_cookie(name, value)  # the test client keeps its own cookie jar (a Cookie header would be replaced)
    headers = {"Accept-Encoding": "br, gzip"}
    path = {"lesson": data["lesson_path"], "catalogue": data["catalogue_path"], "dashboard": data["dashboard_path"]}

    def one(i: int):
        if args.page == "submit":
            submit = submits[i]
            cookie_name, _eq, cookie_value = submit["cookie"].partition("=")
            client.set_cookie(cookie_name, cookie_value)
            r = client.post(
                submit["path"],
                data=submit["body"],
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            )
            assert r.status_code == 302 and "/attempts/" in r.headers["Location"], (r.status_code, r.headers)
            return
        client.set_cookie(name, value)
        r = client.get(path[args.page], headers=headers)
        assert r.status_code == 200 and "public" not in r.headers.get("Cache-Control", ""), r.headers

    for i in range(5):  # warm-up (templates compiled, the lesson's attempt opened)
        one(i)
    n = args.requests
    statements.clear()
    one(5)
    per_request = len(statements)
    if args.sql:
        for statement in statements:
            print(" ".join(statement.split())[:300])
    offset = 6  # a submit's attempt is used once: the profiled requests take the ones after these
    if args.time_only:
        # Wall time and this process's CPU time: on a shared machine the CPU time is the steadier of the two (it
        # leaves out the time spent waiting for a core), and with SQLite in-process it is the whole request.
        rounds, cpu = [], []
        for r in range(5):
            start, start_cpu = time.perf_counter(), time.process_time()
            for i in range(n // 5):
                one(offset + r * (n // 5) + i)
            rounds.append((time.perf_counter() - start) / (n // 5) * 1000)
            cpu.append((time.process_time() - start_cpu) / (n // 5) * 1000)
        print(
            json.dumps(
                {
                    "page": args.page,
                    "ms_per_request": round(sorted(rounds)[2], 2),
                    "cpu_ms_per_request": round(sorted(cpu)[2], 2),
                    "sql_statements_per_request": per_request,
                    "rounds": [round(x, 2) for x in rounds],
                }
            )
        )
        return
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for i in range(n):
        one(offset + i)
    profiler.disable()
    elapsed = time.perf_counter() - start
    print(
        json.dumps(
            {
                "page": args.page,
                "requests": n,
                "ms_per_request_profiled": round(elapsed / n * 1000, 2),
                "sql_statements_per_request": per_request,
            }
        )
    )
    if args.dump:
        profiler.dump_stats(args.dump)
    stats = pstats.Stats(profiler)
    stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
