"""Cold start (import, load and validate every course) and memory per gunicorn worker with every page warmed.

    python bench/bench_memory_startup.py [--runs 3]

Cold start: a fresh Python process times `import lumos_learn` and `create_app()` (which loads and validates
the shipped courses and hashes the static files); target under 2 s. Memory: gunicorn, 2 sync workers, after
every lesson of every course has been requested in every language it is written in (signed in and
anonymous), so everything a worker keeps is loaded; RSS and PSS per worker from /proc; target under 120 MB RSS.
The baseline app's workers are measured the same way.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import (
    BENCH,
    PYTHON,
    ROOT,
    app_env,
    prepare_database,
    request,
    seed,
    start_gunicorn,
    temp_dir,
)

COLD_START = """
import time
t0 = time.perf_counter()
import lumos_learn
t1 = time.perf_counter()
app = lumos_learn.create_app()
t2 = time.perf_counter()
from lumos_learn.course_library import library
with app.app_context():
    courses = library().courses
print({"import": t1 - t0, "create_app": t2 - t1, "courses": len(courses),
       "modules": sum(len(c.modules) for c in courses)})
"""


def cold_start(env: dict, runs: int) -> list[dict]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [PYTHON, "-c", COLD_START], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout
        results.append(eval(out.strip().splitlines()[-1]))  # noqa: S307 - our own dict literal
    return results


def memory_of(pid: int) -> tuple[float, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    pss = rss
    rollup = Path(f"/proc/{pid}/smaps_rollup")
    if rollup.exists():
        pss = int(re.search(r"Pss:\s+(\d+)", rollup.read_text()).group(1)) / 1024
    return rss, pss


def warm_every_page(port: int, env: dict, cookie: str) -> int:
    """Every lesson of every course in each of its languages, anonymous and signed in; catalogue, dashboard."""
    listing = subprocess.run(
        [
            PYTHON,
            "-c",
            (
                "import json, lumos_learn\n"
                "from lumos_learn.course_library import library\n"
                "app = lumos_learn.create_app()\n"
                "with app.app_context():\n"
                "    print(json.dumps([(c.slug, m.slug, list(c.languages))\n"
                "                      for c in library().courses for m in c.modules]))"
            ),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    count = 0
    for slug, module, languages in json.loads(listing.strip().splitlines()[-1]):
        for lang in languages:
            for headers in ({}, {"Cookie": cookie}):
                for _ in range(2):  # both workers, most likely
                    status, _h, _b = request(
                        port,
                        "GET",
                        f"/{lang}/courses/{slug}/{module}/?content={lang}",
                        headers={"Accept-Encoding": "br, gzip", **headers},
                    )
                    assert status == 200, (slug, module, lang, status)
                    count += 1
    for path in ("/en/courses/", "/en/dashboard/"):
        for _ in range(4):
            request(port, "GET", path, headers={"Cookie": cookie})
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = max(2, args.runs)
    work = temp_dir("lumos-bench-mem-")
    env = app_env(f"sqlite:///{work / 'bench.db'}", work)
    prepare_database(env)
    data = seed(env, work / "seed.json", 3)
    starts = cold_start(env, runs)
    servers = []
    try:
        app = start_gunicorn("lumos", "app:app", env, work)
        servers.append(app)
        baseline = start_gunicorn("baseline", "baseline_app:app", env, work, cwd=BENCH)
        servers.append(baseline)
        pages = warm_every_page(app.port, env, data["main_cookie"])
        for _ in range(50):
            request(baseline.port, "GET", "/")
        app_workers = [memory_of(pid) for pid in app.worker_pids()]
        base_workers = [memory_of(pid) for pid in baseline.worker_pids()]
        master = memory_of(app.process.pid)
    finally:
        for server in servers:
            server.stop()
    total = [s["import"] + s["create_app"] for s in starts]
    best, median = min(total), statistics.median(total)
    print(
        f"Cold start in a fresh process, {runs} runs ({starts[0]['courses']} courses, {starts[0]['modules']} "
        "modules, shipped courses/):\n"
    )
    print("| measurement | median (s) | best (s) | target |")
    print("|---|---:|---:|---|")
    print(
        f"| import lumos_learn | {statistics.median(s['import'] for s in starts):.2f} | "
        f"{min(s['import'] for s in starts):.2f} | |"
    )
    print(
        f"| create_app(): load + validate courses, static files | "
        f"{statistics.median(s['create_app'] for s in starts):.2f} | {min(s['create_app'] for s in starts):.2f} | |"
    )
    print(f"| cold start in all | {median:.2f} | {best:.2f} | < 2 s: {'met' if median < 2 else '**missed**'} |")
    print(
        f"\nMemory per gunicorn worker after {pages} lesson requests (every module in every language, anonymous "
        "and signed in):\n"
    )
    print("| process | RSS (MB) | PSS (MB) | target |")
    print("|---|---:|---:|---|")
    for n, (rss, pss) in enumerate(app_workers, 1):
        verdict = "met" if rss < 120 else "**missed**"
        print(f"| Lumos Learn worker {n} | {rss:.0f} | {pss:.0f} | < 120 MB RSS: {verdict} |")
    print(f"| Lumos Learn gunicorn master | {master[0]:.0f} | {master[1]:.0f} | |")
    for n, (rss, pss) in enumerate(base_workers, 1):
        print(f"| baseline worker {n} | {rss:.0f} | {pss:.0f} | |")
    out = BENCH / "results" / "memory_startup.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"cold_start": starts, "app_workers": app_workers, "baseline_workers": base_workers}))


if __name__ == "__main__":
    main()
