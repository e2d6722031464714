"""`make bench`: every benchmark in bench/, one Markdown report, and its figures copied into docs/performance.md.

    python bench/run_all.py [--quick] [--no-readme]

Runs each bench script in a subprocess (each starts and stops its own servers), collects its Markdown, and
writes bench/results/report.md (git-ignored) with the machine, the versions and the command. docs/performance.md
gets the same figures between its `bench:begin` / `bench:end` markers. A script that
fails is reported as failed with its last output lines; the others still run. About 6 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import BENCH, PYTHON, ROOT, WRK_INSTALL_HINT, have_wrk, machine

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def plan(quick: bool) -> list[tuple[str, list[str]]]:
    seconds = "3" if quick else "6"
    plan = [
        (
            "Throughput and latency (gunicorn, wrk, against the baseline)",
            ["bench_http.py", "--runs", "2", "--seconds", seconds],
        ),
        ("Cold start and memory per worker", ["bench_memory_startup.py", "--runs", "3"]),
        ("Slow 3G: the lesson page in Chromium", ["bench_slow3g.py", "--runs", "2"]),
        (
            "Scale-out: two instances, PostgreSQL, Redis, one instance killed",
            ["scaleout/run_scaleout.py", "--seconds", "8" if quick else "12"],
        ),
        ("Course loading (bench_course_load.py)", ["bench_course_load.py", "--runs", "2"]),
    ]
    # colleagues' benchmarks join the report as they land (each prints its own Markdown)
    for extra in sorted(BENCH.glob("bench_*.py")):
        if extra.name not in {p[1][0] for p in plan}:
            plan.append(
                (f"{extra.stem.removeprefix('bench_').replace('_', ' ').capitalize()} ({extra.name})", [extra.name])
            )
    return plan


def run(title: str, command: list[str]) -> tuple[str, float, bool]:
    started = time.monotonic()
    process = subprocess.run(
        [PYTHON, str(BENCH / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    elapsed = time.monotonic() - started
    if process.returncode != 0:
        tail = "\n".join((process.stdout + process.stderr).strip().splitlines()[-15:])
        return f"**Failed** (exit {process.returncode}):\n\n```\n{tail}\n```", elapsed, False
    return process.stdout.strip(), elapsed, True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter load runs (for trying the scripts out)")
    parser.add_argument("--no-readme", action="store_true", help="do not copy the figures into docs/performance.md")
    args = parser.parse_args()
    command = "make bench" if not args.quick else "python bench/run_all.py --quick"
    info = machine()
    started = dt.datetime.now(dt.UTC)
    sections = []
    for title, script in plan(args.quick):
        print(f"bench: {title} ...", flush=True)
        body, elapsed, ok = run(title, script)
        print(f"bench:   {'done' if ok else 'FAILED'} in {elapsed:.0f} s", flush=True)
        sections.append(f"### {title}\n\n`python bench/{' '.join(script)}` ({elapsed:.0f} s)\n\n{body}\n")
    total = (dt.datetime.now(dt.UTC) - started).total_seconds()
    header = [
        f"Measured by `{command}` on {started:%Y-%m-%d %H:%M} UTC in {total / 60:.1f} minutes.",
        "",
        f"- Machine: {info['cpu']}, {info['memory']} RAM, {info['os']}; shared with other work, so expect noise "
        "(every figure is a median of at least two runs; ratios compare with the baseline measured in the same run)",
        f"- Python {info['python']}; {info['packages']}; SQLite {info['sqlite']}",
        f"- {info['wrk']}; {info['postgresql']}; {info['redis']}; {info['chromium']}",
    ]
    if not have_wrk():
        header.append(f"- {WRK_INSTALL_HINT}")
    report = "\n".join(header) + "\n\n" + "\n".join(sections)
    out = BENCH / "results" / "report.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("# Lumos Learn benchmark report\n\n" + report)
    print(f"bench: report written to {out.relative_to(ROOT)}")
    if not args.no_readme:
        update_performance_doc(report)


def update_performance_doc(report: str) -> None:
    """The figures go under "## Figures from the last `make bench`" of docs/performance.md (README links to it)."""
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text()
    if BEGIN not in text or END not in text:
        print("bench: docs/performance.md has no bench markers; figures not copied")
        return
    text = text[: text.index(BEGIN) + len(BEGIN)] + "\n" + report + "\n" + text[text.index(END) :]
    doc.write_text(text)
    print("bench: figures copied into docs/performance.md")


if __name__ == "__main__":
    main()
