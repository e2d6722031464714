"""Saving a course for offline use over slow 3G: bytes and seconds per shipped course and language.

    python bench/bench_offline_save.py

Chromium (Debian's /usr/bin/chromium driven by Playwright; never `playwright install`) throttled through CDP
`Network.emulateNetworkConditions` with the slow-3G profile of bench_slow3g.py (400 kbit/s down and up, 400 ms
round trip), against gunicorn (2 sync workers, SQLite, the shipped courses). For each course and each of its
languages, in a fresh browser profile: the signed-in learner (reading the course in that language) opens the course
page at full speed, then the link is throttled and "Save for offline use" is pressed; the clock runs from the
press until the page reports the copy saved. Figures: requests, bytes on the wire (CDP's encodedDataLength, so
compressed), bytes stored on the device (what the page measured), seconds.

Baseline, in the same run and the same throttled browser: as many requests, three at a time as the save makes
them, for the baseline app's plain 8 KB page (bench/baseline_app.py), i.e. what the request pattern alone costs
on this link. Target: under 1.5 MB and 60 s per course language.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_slow3g import ARGS, CHROMIUM, SLOW_3G
from servers import BENCH, ROOT, app_env, prepare_database, seed, start_gunicorn, temp_dir

sys.path.insert(0, str(ROOT))
from lumos_learn.content import load_library

TARGET_BYTES = 1_500_000
TARGET_SECONDS = 60
SAVED_COPY = """(slug) => caches.keys().then(names => {
  const name = names.find(n => n.startsWith('lumos-course:' + slug + ':'));
  return caches.open(name).then(cache => cache.keys().then(keys => {
    const key = keys.find(k => k.url.endsWith('/offline.json'));
    return cache.match(key).then(r => r.json()).then(m => ({stored: m.savedBytes, requests: keys.length - 1}));
  }));
})"""
BASELINE_FETCHES = """(count) => {
  const start = performance.now();
  let next = 0;
  const worker = () => next++ >= count ? Promise.resolve() :
    fetch('/?n=' + next, {cache: 'no-store'}).then(r => r.text()).then(worker);
  return Promise.all([worker(), worker(), worker()]).then(() => (performance.now() - start) / 1000);
}"""


def read_in(database: Path, slug: str, lang: str) -> None:
    """The main (first) learner now reads `slug` in `lang`."""
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE enrolments SET content_language = ? "
            "WHERE course_slug = ? AND user_id = (SELECT MIN(id) FROM users)",
            (lang, slug),
        )


def throttled_page(browser, base: str, cookie: str | None):
    context = browser.new_context()
    if cookie:
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": base}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    wire = {"bytes": 0}
    cdp.on("Network.loadingFinished", lambda e: wire.__setitem__("bytes", wire["bytes"] + e["encodedDataLength"]))
    return context, page, cdp, wire


def save_course(playwright, base: str, cookie: str, slug: str) -> dict:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    try:
        _context, page, cdp, wire = throttled_page(browser, base, cookie)
        page.goto(f"{base}/en/courses/{slug}/", wait_until="load")
        button = page.locator("#offline-panel button[data-action=save]")
        button.wait_for(state="visible")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        wire["bytes"] = 0
        started = time.monotonic()
        button.click()
        page.locator("#offline-panel button[data-action=remove]").wait_for(state="visible", timeout=300_000)
        seconds = time.monotonic() - started
        copy = page.evaluate(SAVED_COPY, slug)
        return {"seconds": seconds, "wire": wire["bytes"], **copy}
    finally:
        browser.close()


def baseline(playwright, base: str, requests: int) -> float:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    try:
        _context, page, cdp, _wire = throttled_page(browser, base, None)
        page.goto(f"{base}/", wait_until="load")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        return page.evaluate(BASELINE_FETCHES, requests)
    finally:
        browser.close()


def main() -> None:
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium`. Offline-save figures skipped.")
        return
    from playwright.sync_api import sync_playwright

    library = load_library(ROOT / "courses")
    work = temp_dir("lumos-bench-offline-")
    database = work / "bench.db"
    env = app_env(f"sqlite:///{database}", work)
    prepare_database(env)
    data = seed(env, work / "seed.json", 1)
    app = start_gunicorn("lumos", "app:app", env, work)
    plain = start_gunicorn("baseline", "baseline_app:app", env, work, cwd=BENCH)
    rows = []
    try:
        with sync_playwright() as playwright:
            for course in library.courses:
                for lang in course.languages:
                    read_in(database, course.slug, lang)
                    saved = save_course(playwright, app.base, data["main_cookie"], course.slug)
                    saved["baseline"] = baseline(playwright, plain.base, saved["requests"])
                    rows.append((course.slug, lang, saved))
    finally:
        app.stop()
        plain.stop()

    print(
        f"Chromium {CHROMIUM}, CDP throttling 400 kbit/s, 400 ms RTT, a fresh profile per course language; "
        "the course page loaded before the link is throttled.\n"
    )
    print(
        "| course | language | requests | KB on the wire | KB stored | save (s) | baseline: as many 8 KB pages (s) "
        "| target < 1.5 MB and < 60 s |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|")
    summary = {}
    for slug, lang, r in rows:
        met = r["wire"] < TARGET_BYTES and r["stored"] < TARGET_BYTES and r["seconds"] < TARGET_SECONDS
        print(
            f"| {slug} | {lang} | {r['requests']} | {r['wire'] / 1024:.0f} | {r['stored'] / 1024:.0f} | "
            f"{r['seconds']:.1f} | {r['baseline']:.1f} | {'met' if met else '**missed**'} |"
        )
        summary[f"{slug}/{lang}"] = r
    out = BENCH / "results" / "offline_save.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
