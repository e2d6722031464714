"""Browser tests: the app served by gunicorn on a free local port, driven by Debian's Chromium.

Two servers start once per test session, each with a fresh SQLite database in a temporary folder:
`site` serves the small test course (tests/data/courses) for the journeys; `real_site` serves the real
courses/ for the sweeps of real lesson pages. Both run `flask db upgrade` first and are stopped at the end.
Neither has PUBLIC_BASE_URL, as on a developer's machine: the links they print must follow their port.

Every browser context of every test is watched (browser_checks.PageProblems): a test fails on a console
error, an uncaught exception, or a request answered 4xx/5xx or failed, unless it declared that one expected
(`page_problems.expect_status(404, url)`).

Chromium is never downloaded by Playwright: the tests use /usr/bin/chromium (`apt-get install chromium`),
or the browser named by $CHROMIUM. Without it every e2e test FAILS, so that CI cannot pass by skipping them;
deselect them locally with `-m "not e2e"`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_checks import PAGE_PROBLEMS, WatchedBrowser
from demo_journey import sign_in
from e2e_config import CHROMIUM, CHROMIUM_ARGS, PASSWORD, PEOPLE, ROOT, SCREENSHOTS, TOTP_SECRET

BIN = Path(sys.executable).parent


def pytest_configure(config):
    # pytest-playwright 0.10's own base_url fixture trips a pytest 9 deprecation; not ours to fix.
    config.addinivalue_line("filterwarnings", "ignore:Session-scoped fixtures defined as instance methods")


def pytest_collection_modifyitems(items):
    # Every test in this folder is an e2e test, whether or not its author remembered the marker.
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    PAGE_PROBLEMS.reset()  # what a test (and the session fixtures it sets up) sees is its own


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # Every journey fails on a console error, an uncaught exception or a failed request that it did not
    # declare expected (browser_checks.PageProblems), whether or not its own assertions looked.
    result = yield
    problems = PAGE_PROBLEMS.take()
    if problems:
        raise AssertionError("the pages had problems the test did not expect:\n" + "\n".join(problems))
    return result


@pytest.fixture(scope="session")
def browser(browser):
    """pytest-playwright's browser, every context of which is watched for page problems."""
    return WatchedBrowser(browser)


@pytest.fixture
def page_problems():
    """The watcher of this test's pages: `page_problems.expect_status(404, "/en/no-such-page/")`."""
    return PAGE_PROBLEMS


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: `apt-get install chromium` (CI does), "
            'set $CHROMIUM, or deselect the browser tests with -m "not e2e".',
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """One gunicorn serving the app; `url` has no trailing slash."""

    name: str
    courses_dir: Path
    folder: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict:
        inherited = {k: v for k, v in os.environ.items() if k != "PUBLIC_BASE_URL"}
        return {
            **inherited,
            "FLASK_APP": "app",
            "ENV": "development",
            # No PUBLIC_BASE_URL, as on a developer's machine: links must follow the address served.
            "DATABASE_URL": f"sqlite:///{self.folder / 'e2e.db'}",
            "SECRET_KEY": "e2e-secret-key-0123456789abcdef0123456789",
            "COURSES_DIR": str(self.courses_dir),
            # The sweeps post the same forms in six languages from one address; limits have their own tests.
            "RATELIMIT_ENABLED": "false",
            "CERTIFICATE_KEY_FILE": str(self.folder / "issuer-rs256.pem"),
            "E2E_PASSWORD": PASSWORD,
            "E2E_TOTP_SECRET": TOTP_SECRET,
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(ROOT),
        }

    def run(self, *args: str) -> None:
        result = subprocess.run(args, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> Server:
        self.run(str(BIN / "python"), "tests/e2e/seed.py", *(":".join(p) for p in PEOPLE.values()))
        self.log = (self.folder / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                "2",
                "--threads",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "app:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {(self.folder / 'gunicorn.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def log_tail(self) -> str:
        return (self.folder / "gunicorn.log").read_text()[-4000:]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    server = Server("journeys", ROOT / "tests" / "data" / "courses", tmp_path_factory.mktemp("e2e-site")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    server = Server("real-courses", ROOT / "courses", tmp_path_factory.mktemp("e2e-real")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, site):
    return {**browser_context_args, "base_url": site.url, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def real_page(browser, browser_context_args, real_site):
    """A signed-out page on the server of the real courses (relative URLs go there)."""
    context = browser.new_context(**{**browser_context_args, "base_url": real_site.url})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def people():
    return {key: value[0] for key, value in PEOPLE.items()}


@pytest.fixture(scope="session")
def signed_in_state(browser, browser_context_args, tmp_path_factory):
    """storage_state files of signed-in people, made once per role: {role: path}."""
    folder = tmp_path_factory.mktemp("e2e-states")
    states = {}

    def state_for(role: str) -> str:
        if role not in states:
            context = browser.new_context(**browser_context_args)
            page = context.new_page()
            sign_in(page, PEOPLE[role][0])
            states[role] = str(folder / f"{role}.json")
            context.storage_state(path=states[role])
            context.close()
        return states[role]

    return state_for


@pytest.fixture(scope="session")
def site_facts(browser, browser_context_args, signed_in_state):
    """Data the page sweeps need (a quiz result, a certificate code), made once through the browser."""
    from site_pages import prepare_people

    contexts = []

    def new_page(role):
        contexts.append(browser.new_context(**browser_context_args, storage_state=signed_in_state(role)))
        return contexts[-1].new_page()

    facts = prepare_people(new_page)
    for context in contexts:
        context.close()
    return facts


@pytest.fixture(scope="session")
def site_sweep(browser, browser_context_args, signed_in_state, site_facts):
    """sweep(lang) -> problems by category on every page type, each page visited once per language."""
    from site_pages import sweep_site

    results = {}

    def sweep(lang: str) -> dict[str, list[str]]:
        if lang not in results:
            contexts = []

            def open_page(role):
                state = {"storage_state": signed_in_state(role)} if role else {}
                contexts.append(browser.new_context(**browser_context_args, **state))
                return contexts[-1].new_page()

            results[lang] = sweep_site(open_page, site_facts, lang)
            for context in contexts:
                context.close()
        return results[lang]

    return sweep


@pytest.fixture(scope="session")
def real_lessons_sweep(browser, browser_context_args, real_site):
    """Problems by category on every module page of the real courses, in each course language."""
    from site_pages import CATEGORIES, check_page, real_lesson_pages

    context = browser.new_context(**{**browser_context_args, "base_url": real_site.url})
    page = context.new_page()
    found, shot_taken = {category: [] for category in CATEGORIES}, False
    for slug, module, lang in real_lesson_pages(ROOT / "courses"):
        label = f"{slug}/{module} ({lang})"
        response = page.goto(f"/{lang}/courses/{slug}/{module}/")
        if response.status != 200:
            checks = {category: [f"{label}: HTTP {response.status}"] for category in CATEGORIES}
        else:
            checks = check_page(page, label, keyboard=False)
        if (slug, lang) == ("inclusive-education", "en") and not shot_taken:
            page.set_viewport_size({"width": 375, "height": 812})
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / "real-lesson-375.png")  # the screen a phone shows first
            page.set_viewport_size({"width": 1280, "height": 900})
            shot_taken = True
        for category, problems in checks.items():
            found[category] += problems
    context.close()
    return found


@pytest.fixture
def as_role(new_context, signed_in_state):
    """A new page signed in as one of PEOPLE: `as_role("admin", viewport=...)`."""

    def open_page(role: str | None, **context_args):
        if role is not None:
            context_args["storage_state"] = signed_in_state(role)
        return new_context(**context_args).new_page()

    return open_page


@pytest.fixture(scope="session")
def assessed_site(tmp_path_factory):
    """The test course with its assignment counted for completion and marked by trainers (the assignment journey)."""
    import shutil

    folder = tmp_path_factory.mktemp("e2e-assessed")
    courses = folder / "courses"
    shutil.copytree(ROOT / "tests" / "data" / "courses", courses)
    yml = courses / "demo-course" / "course.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace(
            "completion: read-all-and-pass-graded", "completion: read-all-pass-graded-and-assignments"
        ),
        encoding="utf-8",
    )
    server = Server("assessed", courses, folder).start()
    yield server
    server.stop()
