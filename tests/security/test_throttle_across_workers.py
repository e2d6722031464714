"""The sign-in throttle holds across gunicorn workers: the app as `make run` serves it, two workers, default settings.

With counters in each process's memory, each worker allowed its own 8 failures (16 in all); the counters now live
in the database, so the 9th failure for an account is refused whichever worker answers it.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from support import CSRF_RE, ROOT

BIN = Path(sys.executable).parent
EMAIL = "teacher@example.org"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_workers(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.db'}",
        "SECRET_KEY": "workers-secret-key-0123456789abcdef0123456789",
        "COURSES_DIR": str(ROOT / "tests" / "data" / "courses"),
        "CERTIFICATE_KEY_FILE": str(tmp_path / "issuer-rs256.pem"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("RATELIMIT_STORAGE_URI", None)  # the default is what is tested
    env.pop("RATELIMIT_ENABLED", None)
    flask = str(BIN / "flask")
    for command in (
        [flask, "db", "upgrade"],
        [flask, "users", "create", "--email", EMAIL, "--name", "Ana Popescu", "--role", "learner",
         "--password", "a long and unusual passphrase"],
    ):  # fmt: skip
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    access_log = tmp_path / "access.log"
    with (tmp_path / "gunicorn.log").open("w") as log:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--access-logfile", str(access_log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "app:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
                try:
                    urllib.request.urlopen(f"{url}/healthz", timeout=2).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                    time.sleep(0.2)
            yield url, access_log
        finally:
            server.terminate()
            server.wait(timeout=30)


def _sign_in_page(url: str) -> tuple[str, str]:
    """A browser's session cookie and the CSRF token of the sign-in form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{url}/en/auth/login") as response:
        token = CSRF_RE.search(response.read().decode()).group(1)
    return "; ".join(f"{c.name}={c.value}" for c in jar), token


def _failed_sign_in(url: str, cookie: str, token: str, n: int) -> int:
    body = urllib.parse.urlencode({"email": EMAIL, "password": f"wrong guess {n}", "csrf_token": token}).encode()
    request = urllib.request.Request(f"{url}/en/auth/login", data=body, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # a new connection each time
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _answers(access_log: Path) -> list[tuple[str, str]]:
    """(worker pid, status) of every sign-in POST, in the order the server logged them."""
    time.sleep(0.3)  # gunicorn writes the access log after the response
    return re.findall(r"^<(\d+)> POST /en/auth/login (\d+)$", access_log.read_text(), re.MULTILINE)


def test_the_ninth_failure_for_an_account_is_refused_whichever_worker_answers(two_workers):
    url, access_log = two_workers
    cookie, token = _sign_in_page(url)

    def failures(numbers) -> list[int]:
        with ThreadPoolExecutor(max_workers=2) as pool:  # two at a time, so that both workers take some
            return list(pool.map(lambda n: _failed_sign_in(url, cookie, token, n), numbers))

    assert failures(range(8)) == [200] * 8
    first = Counter(pid for pid, _status in _answers(access_log))
    assert sum(first.values()) == 8
    # A worker counting alone refuses only after its own 8 failures: the proof is a refusal by a worker that saw
    # fewer. Almost always the first batch shows one; more batches if the kernel happened to favour one worker.
    for batch in range(5):
        assert failures(range(8 + 8 * batch, 16 + 8 * batch)) == [429] * 8
        later = _answers(access_log)[8:]
        assert {status for _pid, status in later} == {"429"}
        if any(first[pid] < 8 for pid, _status in later):
            break
    else:
        pytest.fail(f"one worker answered every request, nothing is shown: {first}")
    assert len(first | Counter(pid for pid, _status in later)) == 2
