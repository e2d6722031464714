"""The lesson page on a slow 3G link: when is it readable on a first visit, and what does a revisit cost?

    python bench/bench_slow3g.py [--runs 2]

Chromium (Debian's /usr/bin/chromium driven by Playwright from .venv; never `playwright install`) with network
throttling through CDP `Network.emulateNetworkConditions`: 400 kbit/s down and up, 400 ms round trip. Against
gunicorn (2 sync workers, SQLite, the shipped courses). Each run starts a fresh browser profile (empty cache):
first visit, then a revisit of the same lesson (a navigation, as a learner coming back). Figures: first
contentful paint, DOMContentLoaded, load, and bytes on the wire (HTML + CSS + JS + icon, as CDP counts them:
`cache` means no request was made). Target: readable (FCP) in under 3 s on the first visit.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import BENCH, app_env, prepare_database, seed, start_gunicorn, temp_dir

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}

TIMINGS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const resources = performance.getEntriesByType('resource');
  return {
    fcp: fcp ? fcp.startTime : null,
    dcl: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd,
    status: nav.responseStatus,
    html_bytes: nav.transferSize,
    other_bytes: resources.reduce((sum, r) => sum + r.transferSize, 0),
  };
}"""


def visit(page, url: str, wire: dict) -> dict:
    wire.update(bytes=0, statuses=[])
    page.goto(url, wait_until="load", timeout=60_000)
    page.wait_for_timeout(200)  # paint entries are queued after load
    timings = page.evaluate(TIMINGS)
    timings["wire_bytes"] = wire["bytes"]
    timings["document_status"] = wire["statuses"][0] if wire["statuses"] else None
    return timings


def one_run(playwright, base: str, path: str, cookie: str | None) -> tuple[dict, dict, str]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    try:
        context = browser.new_context()
        if cookie:
            name, value = cookie.split("=", 1)
            context.add_cookies([{"name": name, "value": value, "url": base}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        encoding = {}
        page.on("response", lambda r: encoding.setdefault(r.url, r.headers.get("content-encoding", "none")))
        # What crossed the (emulated) wire: CDP sees a 304 as a 304 and counts its few bytes.
        wire: dict = {"bytes": 0, "statuses": []}
        cdp.on("Network.loadingFinished", lambda e: wire.__setitem__("bytes", wire["bytes"] + e["encodedDataLength"]))
        cdp.on(
            "Network.responseReceived",
            lambda e: wire["statuses"].append(e["response"]["status"]) if e["type"] == "Document" else None,
        )
        first = visit(page, base + path, wire)
        page.goto("about:blank")
        again = visit(page, base + path, wire)
        return first, again, encoding.get(base + path, "?")
    finally:
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    runs = max(2, args.runs)
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium`. Slow-3G figures skipped.")
        return
    from playwright.sync_api import sync_playwright

    work = temp_dir("lumos-bench-3g-")
    env = app_env(f"sqlite:///{work / 'bench.db'}", work)
    prepare_database(env)
    data = seed(env, work / "seed.json", 3)
    server = start_gunicorn("lumos", "app:app", env, work)
    results: dict[str, list] = {}
    try:
        with sync_playwright() as playwright:
            for _run in range(runs):
                for who, cookie in (("anonymous", None), ("signed in", data["main_cookie"])):
                    first, again, encoding = one_run(playwright, server.base, data["lesson_path"], cookie)
                    results.setdefault(who, []).append((first, again, encoding))
    finally:
        server.stop()

    def med(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else float("nan")

    print(
        f"Lesson `{data['lesson_path']}`, Chromium {CHROMIUM}, CDP throttling 400 kbit/s, 400 ms RTT, fresh "
        f"profile per run, {runs} runs, median shown (each run in brackets).\n"
    )
    print(
        "| visit | document status (browser) | first contentful paint (s) | DOMContentLoaded (s) | load (s) | "
        "KB on the wire | "
        "encoding | target |"
    )
    print("|---|---|---:|---:|---:|---:|---|---|")
    summary = {}
    for who, rows in results.items():
        for label, index in (("first visit", 0), ("revisit", 1)):
            entries = [r[index] for r in rows]
            fcp = med(e["fcp"] for e in entries) / 1000
            each = " / ".join(f"{(e['fcp'] or 0) / 1000:.2f}" for e in entries)
            dcl = med(e["dcl"] for e in entries) / 1000
            load = med(e["load"] for e in entries) / 1000
            kb = med(e["wire_bytes"] for e in entries) / 1024
            status = "/".join(sorted({str(e["document_status"] or "cache") for e in entries}))
            target = f"FCP < 3 s: {'met' if fcp < 3 else '**missed**'}" if index == 0 else ""
            print(
                f"| {who}, {label} | {status} | {fcp:.2f} ({each}) | {dcl:.2f} | {load:.2f} | {kb:.1f} | "
                f"{rows[0][2]} | {target} |"
            )
            summary[f"{who}, {label}"] = {"fcp_s": fcp, "dcl_s": dcl, "load_s": load, "kb": kb}
    print(
        "\nA revisit transfers only the page's headers when the server answers 304 (signed in: `private, "
        "no-cache` revalidates every time) or nothing at all while an anonymous copy is fresh (`max-age=300`); "
        "CSS and JS come from the cache (immutable, hashed names)."
    )
    out = BENCH / "results" / "slow3g.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
