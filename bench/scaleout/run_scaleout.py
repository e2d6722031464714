"""Two gunicorn instances on one PostgreSQL with a shared Redis rate-limit store: sessions, throttling and quiz
attempts across instances, and one instance killed mid-load.

    python bench/scaleout/run_scaleout.py [--seconds 12]

Starts PostgreSQL in a temporary directory on a free port (as the postgres user when run as root, like .ci/run),
redis-server on a free port, migrates and seeds the database, and two gunicorn instances (2 sync workers each).
The client alternates between the two ports (no proxy needed on one machine). Checks:
1. a session started on instance A (signing in through the form) is signed in on instance B;
2. failed sign-ins alternating A/B are throttled after the limit counted across both (8 per account);
3. quiz submits from 16 clients alternating A/B; instance A is killed (SIGKILL, master and workers) half-way;
   a submit that fails on A is retried on B with the same one-time token, as a browser resend would be.
   Afterwards the database must hold every token submitted exactly once, with its answers: nothing lost, nothing
   recorded twice.
Needs PostgreSQL and redis-server from Debian's packages (`apt-get install -y postgresql redis-server`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from servers import (
    BENCH,
    app_env,
    free_port,
    pg_bin_dir,
    prepare_database,
    request,
    seed,
    start_gunicorn,
    temp_dir,
)

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def as_postgres(command: list[str]) -> None:
    if os.geteuid() == 0:
        command = ["su", "postgres", "-s", "/bin/bash", "-c", " ".join(command)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Postgres:
    def __init__(self, work: Path):
        self.bin = pg_bin_dir()
        self.dir = work / "pg"
        self.dir.mkdir()
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def start(self) -> str:
        data = self.dir / "data"
        as_postgres([f"{self.bin}/initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"])
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        as_postgres(
            [f"{self.bin}/pg_ctl", "-D", str(data), "-l", str(self.dir / "log"), "-w", "-o", f"'{options}'", "start"]
        )
        as_postgres([f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "lumos"])
        return f"postgresql://postgres@127.0.0.1:{self.port}/lumos"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            as_postgres([f"{self.bin}/pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop"])

    def query(self, sql: str) -> str:
        return subprocess.run(
            [
                f"{self.bin}/psql" if (self.bin / "psql").exists() else "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                "lumos",
                "-At",
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()


def start_redis(work: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work),
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            request_raw = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True)
            if "PONG" in request_raw.stdout:
                break
        except OSError:
            pass
        time.sleep(0.1)
    return process, port


def cookies_of(headers: dict) -> str:
    value = headers.get("set-cookie", "")
    return value.split(";", 1)[0] if value else ""


def check_sessions(a, b, data) -> str:
    """Sign in through the form on A; the dashboard on B shows the learner."""
    status, headers, body = request(a.port, "GET", "/en/auth/login")
    cookie = cookies_of(headers)
    token = CSRF_RE.search(body.decode()).group(1)
    form = urlencode({"csrf_token": token, "email": data["main_email"], "password": data["password"]})
    status, headers, _ = request(
        a.port,
        "POST",
        "/en/auth/login",
        body=form,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 302, f"sign-in on A answered {status}"
    signed_in = cookies_of(headers) or cookie
    status, _h, body = request(b.port, "GET", "/en/dashboard/", headers={"Cookie": signed_in})
    ok = status == 200 and b"Sign out" in body
    return f"signed in on A, dashboard on B: {status} {'signed in' if ok else 'NOT signed in'}"


def check_throttling(a, b) -> tuple[str, bool]:
    """Failed sign-ins for one account, alternating A and B: the 9th is refused (8 per account in 15 min)."""
    answers = []
    for attempt in range(12):
        server = a if attempt % 2 == 0 else b
        status, headers, body = request(server.port, "GET", "/en/auth/login")
        cookie = cookies_of(headers)
        token = CSRF_RE.search(body.decode()).group(1)
        form = urlencode({"csrf_token": token, "email": "throttled@example.org", "password": "wrong password 123"})
        status, _h, _b = request(
            server.port,
            "POST",
            "/en/auth/login",
            body=form,
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        answers.append(status)
    first_429 = answers.index(429) + 1 if 429 in answers else None
    ok = first_429 == 9
    return (
        f"12 failed sign-ins alternating A/B: answers {answers}; first refusal at attempt {first_429} "
        f"(limit 8 per account, counted across both instances: {'yes' if ok else 'NO'})"
    ), ok


def submit_under_kill(a, b, submits: list[dict], seconds: float, clients: int) -> dict:
    """16 clients submit quizzes alternating A/B; A is killed half-way; failures on A are retried on B."""
    lock = threading.Lock()
    queue = list(submits)
    acknowledged, retried, failed = [], [], []
    start = time.monotonic()
    stop_at = start + seconds
    killed = {"at": None}

    def post(server, s):
        return request(
            server.port,
            "POST",
            s["path"],
            body=s["body"],
            timeout=15,
            headers={"Cookie": s["cookie"], "Content-Type": "application/x-www-form-urlencoded"},
        )

    def client(n: int):
        turn = n
        while time.monotonic() < stop_at:
            with lock:
                if not queue:
                    return
                s = queue.pop()
            turn += 1
            server = a if turn % 2 == 0 and killed["at"] is None else b
            try:
                status, headers, _ = post(server, s)
                ok = status == 302 and "/attempts/" in headers.get("location", "")
            except OSError:
                ok = False
            if not ok and server is a:
                try:
                    status, headers, _ = post(b, s)  # the browser resends the same form
                    ok = status == 302 and "/attempts/" in headers.get("location", "")
                except OSError:
                    ok = False
                with lock:
                    retried.append(s["token"])
            with lock:
                (acknowledged if ok else failed).append(s["token"])

    def killer():
        time.sleep(seconds / 2)
        with lock:
            killed["left"] = len(queue)  # submits not yet sent: none left would mean nothing was in flight
        a.kill()
        killed["at"] = time.monotonic() - start

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    threads.append(threading.Thread(target=killer))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    return {
        "acknowledged": acknowledged,
        "retried": retried,
        "failed": failed,
        "killed_at": killed["at"],
        "left_at_kill": killed.get("left", 0),
        "elapsed": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    if pg_bin_dir() is None or shutil.which("redis-server") is None:
        print("PostgreSQL or redis-server is missing: `apt-get install -y postgresql redis-server`. Skipped.")
        return
    work = temp_dir("lumos-scaleout-")
    if os.geteuid() == 0:
        os.chmod(work, 0o755)  # noqa: S103 - the postgres user must reach its data directory inside
    postgres = Postgres(work)
    redis_process = None
    servers = []
    try:
        url = postgres.start()
        redis_process, redis_port = start_redis(work)
        env = app_env(url, work, RATELIMIT_ENABLED="1", RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{redis_port}")
        prepare_database(env)
        data = seed(env, work / "seed.json", 160)  # ~4,000 tokens: still submitting when A is killed at 6 s
        a = start_gunicorn("instance-a", "app:app", env, work)
        servers.append(a)
        b = start_gunicorn("instance-b", "app:app", env, work)
        servers.append(b)
        sessions = check_sessions(a, b, data)
        throttling, throttled_ok = check_throttling(a, b)
        submits = data["submits"]
        result = submit_under_kill(a, b, submits, args.seconds, args.clients)
        sent = result["acknowledged"] + result["failed"]
        tokens = ",".join(f"'{t}'" for t in sent) or "''"
        recorded = int(
            postgres.query(f"SELECT count(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL AND token IN ({tokens})")
        )
        unanswered = int(
            postgres.query(
                "SELECT count(*) FROM quiz_attempts a WHERE submitted_at IS NOT NULL AND result IS NOT NULL "
                f"AND token IN ({tokens}) AND NOT EXISTS (SELECT 1 FROM quiz_answers q WHERE q.attempt_id = a.id)"
            )
        )
        duplicates = int(
            postgres.query(
                "SELECT count(*) FROM (SELECT attempt_id, question_id FROM quiz_answers GROUP BY 1, 2 "
                "HAVING count(*) > 1) d"
            )
        )
        lost = len(result["acknowledged"]) - int(
            postgres.query(
                "SELECT count(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL AND token IN ("
                + (",".join(f"'{t}'" for t in result["acknowledged"]) or "''")
                + ")"
            )
        )
        rate = len(result["acknowledged"]) / result["elapsed"]
    finally:
        for server in servers:
            server.stop()
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)

    print(
        "Two gunicorn instances (2 sync workers each) on one PostgreSQL "
        f"(temporary cluster, fsync off as in CI), rate limits in one Redis; client alternates ports; "
        f"{args.clients} clients, {args.seconds:.0f} s; instance A killed with SIGKILL at "
        f"{result['killed_at']:.1f} s.\n"
    )
    print("| check | result |")
    print("|---|---|")
    print(f"| sessions across instances | {sessions} |")
    print(f"| throttling across instances | {throttling} |")
    print(
        f"| quiz submits acknowledged (302 to the result) | {len(result['acknowledged'])} "
        f"({rate:.0f}/s over both instances, then B alone) |"
    )
    print(f"| submits still to send when A was killed (the kill landed mid-load) | {result['left_at_kill']} |")
    print(f"| submits that failed on A (killed) and were resent to B with the same token | {len(result['retried'])} |")
    print(f"| submits failed after the resend | {len(result['failed'])} |")
    print(f"| tokens sent / recorded as submitted in PostgreSQL | {len(sent)} / {recorded} |")
    print(f"| acknowledged but missing in the database (lost) | {lost} |")
    print(f"| submitted attempts without their answers | {unanswered} |")
    print(f"| answers recorded twice | {duplicates} |")
    verdict = (
        lost == 0
        and duplicates == 0
        and unanswered == 0
        and not result["failed"]
        and throttled_ok
        and "NOT" not in sessions
        and result["left_at_kill"] > 0
    )
    print(f"\nScale-out checks: {'all passed' if verdict else '**FAILED**'}.")
    (BENCH / "results").mkdir(exist_ok=True)


if __name__ == "__main__":
    main()
