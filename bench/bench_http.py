"""Throughput and latency of Lumos Learn's pages under gunicorn, against a baseline Flask page in the same run.

    python bench/bench_http.py [--runs 2] [--seconds 6] [--connections 16]

Both servers: gunicorn, sync workers, 2 workers, 127.0.0.1. The app runs on SQLite (WAL) with the shipped
courses, rate limits off (they would throttle the load generator, not measure the page). Load: wrk (Debian's
package) with 16 connections and browser-like `Accept-Encoding: br, gzip` (the app compresses, the baseline does
not); without wrk, a Python load generator, labelled as such. Quiz submits need a fresh one-time token per
request: seed.py pre-creates open attempts and wrk takes one per request from a Lua script (each wrk thread its
own share, each run its own tokens); the database is checked afterwards for every submit being recorded.
Every figure is the median of the runs; ratios divide by the baseline's median from the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import (
    BENCH,
    BROWSER_ENCODING,
    WRK_INSTALL_HINT,
    LoadResult,
    app_env,
    have_wrk,
    median_of,
    prepare_database,
    python_load,
    request,
    seed,
    start_gunicorn,
    temp_dir,
    wrk,
)

SUBMIT_LUA = """
-- One pre-created quiz token per request: each thread takes every Nth line of the file.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  local total = tonumber(os.getenv("WRK_THREADS"))
  submits, counter, i = {}, 1, 0
  for line in io.lines(os.getenv("SUBMITS_FILE")) do
    if i % total == id then
      local path, cookie, body = line:match("([^\\t]*)\\t([^\\t]*)\\t(.*)")
      table.insert(submits, wrk.format("POST", path, {["Cookie"] = cookie,
        ["Content-Type"] = "application/x-www-form-urlencoded"}, body))
    end
    i = i + 1
  end
end
function request()
  local r = submits[counter] or submits[#submits]  -- out of tokens: the database check reports it
  counter = counter + 1
  return r
end
"""


def scenarios(data: dict) -> list[dict]:
    signed_in = {"Cookie": data["main_cookie"]}
    return [
        {
            # Not Lumos Learn: the baseline page behind a server-side sign-in, the floor under every signed-in page.
            "name": "floor: baseline page, signed in (cookie + 1 session query)",
            "path": "/signed-in",
            "headers": signed_in,
            "server": "baseline",
            "target": None,
        },
        {"name": "lesson, anonymous", "path": data["lesson_path"], "headers": {}, "target": 0.60},
        {"name": "lesson, signed in", "path": data["lesson_path"], "headers": signed_in, "target": 0.35},
        {
            "name": "lesson, signed in, revisit (304)",
            "path": data["lesson_path"],
            "headers": signed_in,
            "revalidate": True,
            "target": None,
        },
        {"name": "catalogue, signed in", "path": data["catalogue_path"], "headers": signed_in, "target": 0.35},
        {"name": "dashboard, signed in", "path": data["dashboard_path"], "headers": signed_in, "target": 0.35},
        {"name": "quiz submit (302 to result)", "submit": True, "target": 0.20},
    ]


def measure(port: int, path: str, headers: dict, seconds: int, connections: int) -> LoadResult:
    headers = {"Accept-Encoding": BROWSER_ENCODING, **headers}
    if have_wrk():
        return wrk(f"http://127.0.0.1:{port}{path}", seconds=seconds, connections=connections, headers=headers)

    def same():
        while True:
            yield "GET", path, headers, None

    return python_load(port, same, seconds=seconds, connections=connections)


def measure_submits(port: int, submits: list[dict], seconds: int, connections: int, work: Path) -> LoadResult:
    if have_wrk():
        tokens = work / "submits.tsv"
        tokens.write_text("".join(f"{s['path']}\t{s['cookie']}\t{s['body']}\n" for s in submits))
        script = work / "submit.lua"
        script.write_text(SUBMIT_LUA)
        env = {**os.environ, "SUBMITS_FILE": str(tokens), "WRK_THREADS": "2"}
        return wrk(
            f"http://127.0.0.1:{port}/",
            seconds=seconds,
            connections=connections,
            headers={"Accept-Encoding": BROWSER_ENCODING},
            script=script,
            env=env,
        )

    def each():
        for s in submits:
            yield (
                "POST",
                s["path"],
                {
                    "Cookie": s["cookie"],
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept-Encoding": BROWSER_ENCODING,
                },
                s["body"],
            )

    return python_load(port, each, seconds=seconds, connections=connections)


def submitted_count(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL").fetchone()[0]


def sanity_checks(app_port: int, data: dict, submit: dict) -> dict:
    """The pages measured are the real ones: signed in, a quiz form, a submit that records an attempt."""
    status, _h, body = request(app_port, "GET", data["lesson_path"], headers={"Cookie": data["main_cookie"]})
    assert status == 200 and b"Sign out" in body and b'name="token"' in body, (status, body[:300])
    status, headers, body = request(
        app_port, "GET", data["lesson_path"], headers={"Cookie": data["main_cookie"], "Accept-Encoding": "br"}
    )
    lesson_br = len(body)
    etag = headers["etag"]
    status304, _h, _b = request(
        app_port, "GET", data["lesson_path"], headers={"Cookie": data["main_cookie"], "If-None-Match": etag}
    )
    assert status304 == 304, status304
    status, headers, body = request(
        app_port,
        "POST",
        submit["path"],
        body=submit["body"],
        headers={"Cookie": submit["cookie"], "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 302 and "/attempts/" in headers.get("location", ""), (status, body.decode()[-1500:])
    status, _h, anonymous = request(app_port, "GET", data["lesson_path"])
    return {"lesson_html_bytes": len(anonymous), "lesson_br_bytes": lesson_br, "etag": etag}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=16)
    # one open attempt per quiz per learner: 28 quizzes in the shipped courses, so 640 learners give ~8,900 one-time
    # tokens per run of 2, enough for 6 s at ~1,400 submits/s (320 would run out above ~740/s, and the submit figure
    # become an upper bound)
    parser.add_argument("--users", type=int, default=640)
    parser.add_argument("--json", type=Path, default=BENCH / "results" / "http.json")
    args = parser.parse_args()
    runs = max(2, args.runs)
    if not have_wrk():
        print(f"> **{WRK_INSTALL_HINT}**\n")
    work = temp_dir("lumos-bench-http-")
    database = work / "bench.db"
    env = app_env(f"sqlite:///{database}", work)
    prepare_database(env)
    data = seed(env, work / "seed.json", args.users)
    servers = []
    try:
        baseline = start_gunicorn("baseline", "baseline_app:app", env, work, cwd=BENCH)
        servers.append(baseline)
        app = start_gunicorn("lumos", "app:app", env, work)
        servers.append(app)
        submits = data["submits"]
        checks = sanity_checks(app.port, data, submits.pop())
        status, _h, _b = request(baseline.port, "GET", "/signed-in", headers={"Cookie": data["main_cookie"]})
        assert status == 200, f"the floor page refused the benchmark's session: {status}"
        plan = scenarios(data)
        port_of = {"baseline": baseline.port, "app": app.port}
        for s in plan:  # warm-up: templates compiled, connections pooled, the lesson's attempt opened
            if not s.get("submit"):
                measure(port_of[s.get("server", "app")], s["path"], s["headers"], 1, 4)
        measure(baseline.port, "/", {}, 1, 4)
        results: dict[str, list[LoadResult]] = {"baseline": []}
        share = len(submits) // runs
        before = submitted_count(database)
        for run in range(runs):
            results["baseline"].append(measure(baseline.port, "/", {}, args.seconds, args.connections))
            for s in plan:
                if s.get("submit"):
                    chunk = submits[run * share : (run + 1) * share]
                    result = measure_submits(app.port, chunk, args.seconds, args.connections, work)
                else:
                    headers = dict(s["headers"])
                    if s.get("revalidate"):
                        headers["If-None-Match"] = checks["etag"]
                    port = port_of[s.get("server", "app")]
                    result = measure(port, s["path"], headers, args.seconds, args.connections)
                results.setdefault(s["name"], []).append(result)
        recorded = submitted_count(database) - before
        sent = sum(r.requests for r in results["quiz submit (302 to result)"])
        logs = {srv.name: srv.log.read_text()[-3000:] for srv in servers}
    finally:
        for srv in servers:
            srv.stop()
    report(results, plan, runs, args, checks, recorded, sent, share, logs)


def report(results, plan, runs, args, checks, recorded, sent, share, logs) -> None:
    base = median_of(results["baseline"])
    tool = base.tool
    lines = [
        f"Load: {'wrk' if tool == 'wrk' else 'Python load generator (wrk missing)'}, {args.connections} connections, "
        f"{args.seconds} s per run, {runs} runs, median shown; gunicorn sync, 2 workers per server; SQLite; "
        f"`Accept-Encoding: {BROWSER_ENCODING}`. Quiz submits: one pre-created token per request, fed to "
        f"{'wrk by a Lua script' if tool == 'wrk' else 'the Python load generator'}.",
        "",
        "| page | req/s (runs) | ratio to baseline | target | p50 ms | p99 ms | p99 < 50 ms | errors |",
        "|---|---:|---:|---|---:|---:|---|---:|",
        _row("baseline: plain 8 KB Jinja page", results["baseline"], base, None),
    ]
    summary = {"baseline": asdict(base)}
    for s in plan:
        lines.append(_row(s["name"], results[s["name"]], base, s["target"]))
        summary[s["name"]] = asdict(median_of(results[s["name"]]))
    lines += [
        "",
        "The floor row is not Lumos Learn: it is the baseline page behind a server-side sign-in (the signed cookie "
        "decoded and one indexed query for the session and its user, `bench/baseline_app.py`), the least any "
        "signed-in page pays. Its ratio is the ceiling for every signed-in target.",
        f"Quiz submits: {sent} sent by the load generator, {recorded} recorded as submitted attempts in the "
        f"database ({share} tokens per run)"
        + (
            " (wrk does not count the up to one request per connection still in flight when a run ends). Every "
            "completed submit was recorded."
            if sent <= recorded <= sent + runs * args.connections
            else " — **mismatch**: tokens ran out or requests failed; the submit figure is an upper bound."
        ),
        f"Lesson page: {checks['lesson_html_bytes'] / 1024:.1f} KB of HTML (anonymous), "
        f"{checks['lesson_br_bytes'] / 1024:.1f} KB with brotli (signed in, with the quiz form).",
    ]
    errors = [line for text in logs.values() for line in text.splitlines() if "Traceback" in line or "Error" in line]
    if errors:
        lines.append(f"Server log lines with errors: {len(errors)} (first: `{errors[0][:160]}`)")
    print("\n".join(lines))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "summary": summary,
                "submits_sent": sent,
                "submits_recorded": recorded,
                "checks": {k: v for k, v in checks.items() if k != "etag"},
            },
            indent=2,
        )
    )


def _row(name: str, runs: list[LoadResult], base: LoadResult, target: float | None) -> str:
    med = median_of(runs)
    ratio = med.requests_per_s / base.requests_per_s if base.requests_per_s else float("nan")
    each = " / ".join(f"{r.requests_per_s:.0f}" for r in runs)
    verdict = "—" if target is None else f"≥ {target:.0%}: {'met' if ratio >= target else '**missed**'}"
    p99_ok = "yes" if med.p99_ms < 50 else "**no**"
    return (
        f"| {name} | {med.requests_per_s:.0f} ({each}) | {ratio:.0%} | {verdict} | {med.p50_ms:.1f} | "
        f"{med.p99_ms:.1f} | {p99_ok} | {med.errors} |"
    )


if __name__ == "__main__":
    main()
