"""What the benchmarks share: free ports, a prepared database, gunicorn started and stopped, wrk or a Python load
generator, and the machine's description. Loopback only (127.0.0.1); nothing is installed from here.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
GUNICORN = str(VENV_BIN / "gunicorn")
SECRET_KEY = "bench-secret-key-0123456789abcdef0123456789abcdef"
BROWSER_ENCODING = "br, gzip"  # what a browser on HTTPS sends; the baseline app ignores it (no compression)
WRK_INSTALL_HINT = "wrk is not installed: `apt-get install -y wrk` (Debian). Falling back to the Python load generator."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """Environment for the real app: the shipped courses, no rate limits unless asked, a fixed secret key."""
    env = dict(os.environ)
    env.update(
        {
            "FLASK_APP": "app",
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "COURSES_DIR": os.environ.get("BENCH_COURSES_DIR", str(ROOT / "courses")),
            "RATELIMIT_ENABLED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


def prepare_database(env: dict[str, str]) -> None:
    subprocess.run(
        [str(VENV_BIN / "flask"), "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def seed(env: dict[str, str], out: Path, users: int, extra_args: tuple[str, ...] = ()) -> dict:
    subprocess.run(
        [PYTHON, str(BENCH / "seed.py"), "--out", str(out), "--users", str(users), *extra_args],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(p) for p in children.read_text().split()]
        return []

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Kill the master and its workers at once (a crashed machine, not a graceful stop)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def start_gunicorn(
    name: str,
    target: str,
    env: dict[str, str],
    log_dir: Path,
    *,
    workers: int = 2,
    threads: int = 1,
    port: int | None = None,
    ready_path: str = "/healthz",
    cwd: Path = ROOT,
) -> Server:
    """gunicorn with `workers` sync workers, or gthread workers of `threads` threads each when threads > 1."""
    port = port or free_port()
    log = log_dir / f"{name}-{port}.log"
    process = subprocess.Popen(
        [
            GUNICORN,
            "--workers",
            str(workers),
            "--worker-class",
            "sync" if threads == 1 else "gthread",
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
            target,
        ],
        cwd=cwd,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(name, port, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            status, _headers, _body = request(server.port, "GET", ready_path)
            if status < 500:
                while len(server.worker_pids()) < workers and time.monotonic() < deadline:
                    time.sleep(0.1)
                return server
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{name} did not answer on {port}: {log.read_text()[-2000:]}")


def request(
    port: int, method: str, path: str, *, body: str | None = None, headers: dict | None = None, timeout: float = 30
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


# --- load generation -------------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors
    tool: str
    statuses: dict = field(default_factory=dict)


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str],
    script: Path | None = None,
    env: dict | None = None,
) -> LoadResult:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    return parse_wrk(output)


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(output: str) -> LoadResult:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(g) for g in match.groups())
    return LoadResult(rps, p50, p99, total, errors, "wrk")


def python_load(port: int, requests_iter, *, seconds: float, connections: int) -> LoadResult:
    """A closed-loop load generator in Python threads: `requests_iter()` yields (method, path, headers, body).

    It measures the server less precisely than wrk (the GIL adds client-side latency), so its figures are
    labelled `python` in the report.
    """
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    stop_at = time.monotonic() + seconds
    source = requests_iter()

    def worker():
        nonlocal errors
        while time.monotonic() < stop_at:
            with lock:
                try:
                    method, path, headers, body = next(source)
                except StopIteration:
                    return
            start = time.perf_counter()
            try:
                status, _h, _b = request(port, method, path, headers=headers, body=body)
            except OSError:
                with lock:
                    errors += 1
                continue
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if status >= 400:
                    errors += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    count = len(latencies)
    pick = (lambda q: latencies[min(count - 1, int(q * count))]) if count else (lambda q: float("nan"))
    return LoadResult(count / elapsed, pick(0.50), pick(0.99), count, errors, "python", statuses)


def median_of(results: list[LoadResult]) -> LoadResult:
    return LoadResult(
        statistics.median(r.requests_per_s for r in results),
        statistics.median(r.p50_ms for r in results),
        statistics.median(r.p99_ms for r in results),
        sum(r.requests for r in results),
        sum(r.errors for r in results),
        results[0].tool,
    )


# --- the machine ------------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kib / 1024 / 1024:.1f} GiB"

    def version(command: list[str]) -> str:
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=10)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, subprocess.SubprocessError, IndexError):
            return "not installed"

    def package(name: str) -> str:
        from importlib import metadata

        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    return {
        "cpu": f"{cpu} × {os.cpu_count()} cores",
        "memory": memory,
        "os": f"{platform.system()} {platform.release()} ({_debian()})",
        "python": platform.python_version(),
        "packages": ", ".join(
            f"{n} {package(n)}"
            for n in ("Flask", "gunicorn", "SQLAlchemy", "Flask-Compress", "Werkzeug", "Jinja2", "psycopg")
        ),
        "sqlite": __import__("sqlite3").sqlite_version,
        "wrk": version(["wrk", "--version"]) if have_wrk() else "not installed",
        "postgresql": version([*_pg_bin("postgres"), "--version"]),
        "redis": version(["redis-server", "--version"]),
        "chromium": version(["/usr/bin/chromium", "--version"]),
    }


def _debian() -> str:
    with contextlib.suppress(OSError):
        return "Debian " + Path("/etc/debian_version").read_text().strip()
    return "unknown distribution"


def _pg_bin(name: str) -> list[str]:
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    return [str(candidates[-1])] if candidates else [name]


def pg_bin_dir() -> Path | None:
    found = _pg_bin("initdb")[0]
    return Path(found).parent if found != "initdb" else None


def temp_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
