"""How many concurrently active learners one small server carries: simulated learners and trainers with think time.

    python bench/bench_capacity.py [--step-seconds 30] [--max-learners 8000] [--postgres URL] [--no-sqlite]

One gunicorn instance (2 sync workers, the 2 cores of the machine) on SQLite, then on PostgreSQL. Each simulated
learner is signed in with their own session and enrolled in one course, in a cohort of 100 with its trainer; in a
loop they open their dashboard, read the next lesson (think time: 20-100 s, a page a minute on average, the busy end
of "a page every 1-3 minutes"), answer and submit the lesson's quiz when it has one (the form's own token and
CSRF token, answers parsed from the page) and, one learner in ten, open a certificate's verification page.
Each trainer opens the cohort's progress grid and, one time in five, exports it as CSV, with the same think time.

The search: 1,000 active learners, doubled while every request of a short step (`--step-seconds`) is answered
without error with p95 under 200 ms, then halved back between the last step that held and the first that did not
(two bisections). Each learner starts at a random moment in the first mean think time, so a step runs at its steady
rate (about N / 60 requests a second) from the start. The load generator (asyncio, one connection per request as
a browser behind a proxy would use) runs on the same 2 cores, so the figures are a floor.
A baseline is measured in the same run: the plain 8 KB page of bench/baseline_app.py under the same crowd at the
largest N reached, to tell the server's limit from the machine's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import BENCH, PYTHON, ROOT, app_env, prepare_database, start_gunicorn, temp_dir

THINK = (20.0, 100.0)
COHORT_SIZE = 100
TARGET_P95_MS = 200.0
MEAN_THINK = sum(THINK) / 2


# --- seeding (runs in a subprocess with the app's environment) ---------------------------------------------------


def seed_main(out: str, learners: int) -> None:
    sys.path.insert(0, str(ROOT))
    from seed import cookie_for  # the browser's cookie, signed by the app's session interface

    from lumos_learn import create_app
    from lumos_learn.course_library import library
    from lumos_learn.extensions import db
    from lumos_learn.models import Cohort, CohortTrainer, Enrolment, User, UserSession, utcnow
    from lumos_learn.passwords import hash_password, use_cheap_hashing

    use_cheap_hashing()
    app = create_app()
    with app.app_context():
        course = next(c for c in library().courses if any(m.quiz is not None for m in c.modules))
        password = hash_password("capacity password 0123456789")
        n_cohorts = -(-learners // COHORT_SIZE)
        trainers = [
            User(email=f"trainer{n}@example.org", password_hash=password, full_name=f"Trainer {n}", role="trainer")
            for n in range(n_cohorts)
        ]
        users = [
            User(email=f"crowd{n}@example.org", password_hash=password, full_name=f"Crowd Learner {n}")
            for n in range(learners)
        ]
        db.session.add_all(trainers + users)
        db.session.flush()
        cohorts = [
            Cohort(course_slug=course.slug, name=f"Cohort {n}", language="en", join_code=f"CAP{n:06d}")
            for n in range(n_cohorts)
        ]
        db.session.add_all(cohorts)
        db.session.flush()
        db.session.add_all(CohortTrainer(cohort_id=c.id, user_id=t.id) for c, t in zip(cohorts, trainers, strict=True))
        sessions = [UserSession(user_id=u.id, user_agent="capacity") for u in trainers + users]
        db.session.add_all(sessions)
        lang = "en" if "en" in course.languages else course.source_language
        enrolments = [
            Enrolment(
                user_id=u.id, course_slug=course.slug, content_language=lang, cohort_id=cohorts[i // COHORT_SIZE].id
            )
            for i, u in enumerate(users)
        ]
        db.session.add_all(enrolments)
        db.session.commit()
        certificate_code = None
        try:  # one finished learner, whose certificate the crowd looks at
            from lumos_learn.certificates.services import issue_certificate

            enrolments[0].completed_at = utcnow()
            db.session.commit()
            certificate_code = issue_certificate(enrolments[0], course).code
        except Exception as error:  # reported, and the certificate step is left out
            db.session.rollback()
            print(f"no certificate for the crowd: {error}", file=sys.stderr)
        session_of = {s.user_id: s for s in sessions}
        data = {
            "course": course.slug,
            "modules": [m.slug for m in course.modules],
            "learners": [cookie_for(app, session_of[u.id])[0] for u in users],
            "trainers": [[cookie_for(app, session_of[t.id])[0], c.id] for t, c in zip(trainers, cohorts, strict=True)],
            "certificate": certificate_code,
        }
    Path(out).write_text(json.dumps(data))


# --- the load generator -------------------------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def add(self, kind: str, ms: float) -> None:
        self.latencies.setdefault(kind, []).append(ms)

    def all(self) -> list[float]:
        return sorted(x for v in self.latencies.values() for x in v)


async def http(port: int, method: str, path: str, cookie: str, body: str = "") -> tuple[int, dict, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Cookie: {cookie}", "Connection: close"]
        if body:
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body.encode())}"]
        writer.write(("\r\n".join(head) + "\r\n\r\n" + body).encode())
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    header, _sep, payload = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _s, v in (line.partition(":") for line in lines[1:])}
    return status, headers, payload.decode("utf-8", "replace")


def quiz_answers(html: str) -> dict[str, list[str]] | None:
    """A plausible form from the page itself: the first choice of every question, something typed in every box."""
    if 'id="quiz-form"' not in html:
        return None
    form: dict[str, list[str]] = {}
    for kind, name, value in re.findall(
        r'<input type="(radio|checkbox|text)" name="([^"]+)" id="[^"]*" value="([^"]*)"', html
    ):
        if name not in form:
            form[name] = [value if kind != "text" else "3"]
    for name in re.findall(r'<select name="([^"]+)"', html):
        form[name] = ["0"]
    for name in re.findall(r'<textarea name="([^"]+)"', html):
        form[name] = ["I will sit at the child's eye level and wait."]
    form["csrf_token"] = [re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)]
    form["token"] = [re.search(r'name="token" value="([^"]+)"', html).group(1)]
    form["action"] = ["submit"]
    return form


async def nap(seconds: float, stop_at: float) -> None:
    """Think time, cut short when the step ends (a step's crowd leaves together)."""
    await asyncio.sleep(max(0.0, min(seconds, stop_at - time.monotonic())))


async def timed(stats: Stats, kind: str, port: int, method: str, path: str, cookie: str, body: str = ""):
    start = time.perf_counter()
    try:
        status, headers, html = await http(port, method, path, cookie, body)
    except OSError as error:
        stats.errors.append(f"{kind}: {error}")
        return None, {}, ""
    stats.add(kind, (time.perf_counter() - start) * 1000)
    if status >= 400:
        stats.errors.append(f"{kind}: HTTP {status} {path}")
    return status, headers, html


async def learner(n: int, data: dict, port: int, stop_at: float, stats: Stats, rng: random.Random) -> None:
    cookie = data["learners"][n]
    course, modules = data["course"], data["modules"]
    position = rng.randrange(len(modules))
    step = rng.randrange(6)  # the crowd is caught mid-session, not all opening their dashboards at once
    await nap(rng.uniform(0, MEAN_THINK), stop_at)
    while time.monotonic() < stop_at:
        if step % 6 == 0:
            await timed(stats, "dashboard", port, "GET", "/en/dashboard/", cookie)
        elif data["certificate"] and rng.random() < 0.1:
            await timed(stats, "certificate", port, "GET", f"/verify/{data['certificate']}", cookie)
        else:
            path = f"/en/courses/{course}/{modules[position]}/"
            status, _h, html = await timed(stats, "lesson", port, "GET", path, cookie)
            form = quiz_answers(html) if status == 200 else None
            if form is not None and time.monotonic() < stop_at:
                await nap(rng.uniform(*THINK) / 2, stop_at)  # answering the questions
                if time.monotonic() >= stop_at:  # the step ended mid-answer: no burst of submits at its end
                    break
                status, headers, _b = await timed(
                    stats, "quiz submit", port, "POST", f"{path}quiz", cookie, urlencode(form, doseq=True)
                )
                if status == 302 and time.monotonic() < stop_at:
                    location = headers.get("location", "").replace("http://127.0.0.1", "")
                    await timed(stats, "quiz result", port, "GET", location, cookie)
            position = (position + 1) % len(modules)
        step += 1
        await nap(rng.uniform(*THINK), stop_at)


async def trainer(n: int, data: dict, port: int, stop_at: float, stats: Stats, rng: random.Random) -> None:
    cookie, cohort_id = data["trainers"][n]
    await nap(rng.uniform(0, MEAN_THINK), stop_at)
    while time.monotonic() < stop_at:
        if rng.random() < 0.2:
            await timed(stats, "trainer export", port, "GET", f"/en/trainer/cohorts/{cohort_id}/progress.csv", cookie)
        else:
            await timed(stats, "trainer grid", port, "GET", f"/en/trainer/cohorts/{cohort_id}/progress", cookie)
        await nap(rng.uniform(*THINK), stop_at)


async def crowd(
    port: int, data: dict, active: int, seconds: float, seed: int, baseline: bool = False, warm_up: bool = False
) -> Stats:
    stats = Stats()
    rng = random.Random(seed)
    stop_at = time.monotonic() + seconds
    if warm_up:
        paths = ["/en/dashboard/", *(f"/en/courses/{data['course']}/{m}/" for m in data["modules"])]
        for n in range(active):
            await timed(stats, "warm-up", port, "GET", paths[n % len(paths)], data["learners"][-1 - n])
        return stats
    if baseline:  # the same arrival rate, every request the plain page

        async def plain(n: int) -> None:
            await nap(rng.uniform(0, MEAN_THINK), stop_at)
            while time.monotonic() < stop_at:
                await timed(stats, "baseline page", port, "GET", "/", "x=1")
                await nap(rng.uniform(*THINK), stop_at)

        await asyncio.gather(*(plain(n) for n in range(active)))
        return stats
    tasks = [learner(n, data, port, stop_at, stats, random.Random(seed * 100003 + n)) for n in range(active)]
    tasks += [
        trainer(n, data, port, stop_at, stats, random.Random(seed * 7 + n)) for n in range(-(-active // COHORT_SIZE))
    ]
    await asyncio.gather(*tasks)
    return stats


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) >= 20 else (max(values) if values else float("nan"))


def summary(stats: Stats, seconds: float) -> dict:
    every = stats.all()
    return {
        "requests": len(every),
        "per_s": len(every) / seconds,
        "p50": statistics.median(every) if every else float("nan"),
        "p95": p95(every),
        "errors": len(stats.errors),
        "first_error": stats.errors[0] if stats.errors else "",
        "by_kind": {k: (len(v), round(p95(sorted(v)), 1)) for k, v in sorted(stats.latencies.items())},
    }


def search(port: int, data: dict, seconds: float, limit: int) -> list[tuple[int, dict]]:
    steps: list[tuple[int, dict]] = []

    def ok(result: dict) -> bool:
        return result["errors"] == 0 and result["p95"] < TARGET_P95_MS

    def run(n: int) -> bool:
        result = summary(asyncio.run(crowd(port, data, n, seconds, seed=n)), seconds)
        steps.append((n, result))
        print(
            f"  {n:>6} active learners: {result['per_s']:.0f} req/s, p95 {result['p95']:.0f} ms, "
            f"errors {result['errors']} {result['first_error'][:80]}",
            flush=True,
        )
        return ok(result)

    good, bad, n = 0, None, 1000
    while n <= limit:
        if run(n):
            good, n = n, n * 2
        else:
            bad = n
            break
    while good == 0 and bad is not None and bad > 125:  # even the first step failed: halve until one holds
        n = bad // 2
        if run(n):
            good = n
        else:
            bad = n
    if bad is None and good < limit:  # the last doubling overshot the seeded crowd: try the crowd itself
        if run(limit):
            good = limit
        else:
            bad = limit
    for _ in range(2):
        if bad is None or bad - good <= 250:
            break
        middle = (good + bad) // 2 // 250 * 250
        if run(middle):
            good = middle
        else:
            bad = middle
    return steps


def reset_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def measure(label: str, database_url: str, work: Path, args) -> dict:
    env = app_env(database_url, work)
    prepare_database(env)
    started = time.monotonic()
    subprocess.run(
        [
            PYTHON,
            str(Path(__file__).resolve()),
            "--seed-out",
            str(work / f"{label}.json"),
            "--max-learners",
            str(args.max_learners),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    data = json.loads((work / f"{label}.json").read_text())
    print(f"{label}: seeded {len(data['learners'])} learners in {time.monotonic() - started:.0f} s", flush=True)
    app = start_gunicorn(f"capacity-{label}", "app:app", env, work, threads=args.threads)
    try:
        asyncio.run(crowd(app.port, data, 40, 5, seed=0, warm_up=True))  # both workers: templates, pools, attempts
        steps = search(app.port, data, args.step_seconds, len(data["learners"]))
    finally:
        app.stop()
    return {"label": label, "steps": steps}


def report(results: list[dict], baseline: dict | None, args, elapsed: float) -> None:
    print(
        f"\nCrowd: think time {THINK[0]:.0f}-{THINK[1]:.0f} s between a learner's pages, cohorts of {COHORT_SIZE} with "
        f"one trainer each, {args.step_seconds} s per step, gunicorn with 2 workers "
        f"({'sync' if args.threads == 1 else f'gthread, {args.threads} threads each'}); target p95 < "
        f"{TARGET_P95_MS:.0f} ms and no errors. Measured in {elapsed / 60:.1f} min.\n"
    )
    print("| database | active learners | requests/s | p50 ms | p95 ms | errors | p95 by kind (count, ms) | verdict |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for result in results:
        for n, s in result["steps"]:
            ok = s["errors"] == 0 and s["p95"] < TARGET_P95_MS
            kinds = "; ".join(f"{k} {c}, {p}" for k, (c, p) in s["by_kind"].items())
            print(
                f"| {result['label']} | {n} | {s['per_s']:.0f} | {s['p50']:.0f} | {s['p95']:.0f} | {s['errors']} | "
                f"{kinds} | {'held' if ok else '**did not hold**'} |"
            )
    if baseline:
        print(
            f"| baseline: plain 8 KB page, same crowd | {baseline['n']} | {baseline['per_s']:.0f} | "
            f"{baseline['p50']:.0f} | {baseline['p95']:.0f} | {baseline['errors']} | | |"
        )
    print()
    for result in results:
        held = [n for n, s in result["steps"] if s["errors"] == 0 and s["p95"] < TARGET_P95_MS]
        best = max(held) if held else 0
        print(
            f"- {result['label']}: largest crowd that held: **{best}** active learners "
            f"(target 5,000: {'met' if best >= 5000 else 'not met'})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step-seconds", type=float, default=30)
    parser.add_argument("--max-learners", type=int, default=8000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--no-sqlite", action="store_true")
    # 1: sync workers, as deployed (Dockerfile); more: gthread workers, an experiment (each request mostly waits on
    # PostgreSQL, which a second thread could use)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_out:
        seed_main(args.seed_out, args.max_learners)
        return
    started = time.monotonic()
    work = temp_dir("lumos-capacity-")
    results = []
    if not args.no_sqlite:
        results.append(measure("SQLite", f"sqlite:///{work / 'capacity.db'}", work, args))
    if args.postgres:
        reset_postgres(args.postgres)
        results.append(
            measure("PostgreSQL", args.postgres.replace("postgresql://", "postgresql+psycopg://", 1), work, args)
        )
    baseline = None
    largest = max((n for r in results for n, _s in r["steps"]), default=1000)
    env = app_env(f"sqlite:///{work / 'capacity.db'}", work)
    server = start_gunicorn("capacity-baseline", "baseline_app:app", env, work, cwd=BENCH)
    try:
        stats = asyncio.run(crowd(server.port, {}, largest, args.step_seconds, seed=1, baseline=True))
        baseline = {"n": largest, **summary(stats, args.step_seconds)}
    finally:
        server.stop()
    report(results, baseline, args, time.monotonic() - started)


if __name__ == "__main__":
    main()
