"""Bytes and time per compression level on the pages a signed-in learner gets (each one rendered once, then
compressed many times in this process), beside the time to render the page itself measured in the same run.

    python bench/bench_compression.py [--repeat 200]

Personal pages are compressed on every request (no cache can keep them), so the level must pay for itself:
what a level saves in bytes at the learner's link speed against what it costs in server time per request.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
import zlib
from pathlib import Path

import brotli

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import ROOT, app_env, prepare_database, seed, temp_dir

LEVELS = [
    ("identity", None),
    ("gzip 1", ("gzip", 1)),
    ("gzip 6", ("gzip", 6)),
    ("gzip 9 (Flask-Compress default)", ("gzip", 9)),
    ("brotli 1", ("br", 1, 22)),
    ("brotli 2", ("br", 2, 22)),
    ("brotli 3", ("br", 3, 22)),
    ("brotli 4, window 22 (Flask-Compress default)", ("br", 4, 22)),
    ("brotli 4, window 18", ("br", 4, 18)),
    ("brotli 5, window 18", ("br", 5, 18)),
    ("brotli 6, window 18", ("br", 6, 18)),
    ("brotli 11", ("br", 11, 22)),
]


def compress(data: bytes, how) -> bytes:
    if how is None:
        return data
    if how[0] == "gzip":
        return gzip.compress(data, compresslevel=how[1])
    return brotli.compress(data, quality=how[1], lgwin=how[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--kbit", type=int, default=400, help="link speed for the transfer-time column (slow 3G)")
    args = parser.parse_args()
    work = temp_dir("lumos-compress-")
    env = app_env(f"sqlite:///{work / 'c.db'}", work)
    prepare_database(env)
    data = seed(env, work / "seed.json", 3)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from lumos_learn import create_app

    app = create_app()
    client = app.test_client()
    name, _eq, value = data["main_cookie"].partition("=")
    pages = {}
    render_ms = {}
    for label, path in (
        ("lesson", data["lesson_path"]),
        ("catalogue", data["catalogue_path"]),
        ("dashboard", data["dashboard_path"]),
    ):
        client.set_cookie(name, value)
        client.get(path, headers={"Accept-Encoding": "identity"})
        times = []
        for _ in range(30):
            client.set_cookie(name, value)
            start = time.perf_counter()
            response = client.get(path, headers={"Accept-Encoding": "identity"})
            times.append(time.perf_counter() - start)
        assert response.status_code == 200 and response.headers.get("Content-Encoding") is None, response.headers
        pages[label] = response.get_data()
        render_ms[label] = statistics.median(times) * 1000
    print(f"Pages as a signed-in learner gets them; {args.repeat} compressions each, median per page.\n")
    for label, body in pages.items():
        print(
            f"**{label}**: {len(body) / 1024:.1f} KB of HTML; the whole request without compression: "
            f"{render_ms[label]:.2f} ms (test client, same process)\n"
        )
        print(f"| encoding | KB | ms to compress | share of the request | transfer at {args.kbit} kbit/s (ms) |")
        print("|---|---:|---:|---:|---:|")
        for level, how in LEVELS:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                out = compress(body, how)
                times.append(time.perf_counter() - start)
            ms = statistics.median(times) * 1000
            transfer = len(out) * 8 / (args.kbit * 1000) * 1000
            print(f"| {level} | {len(out) / 1024:.1f} | {ms:.3f} | {ms / render_ms[label]:.0%} | {transfer:.0f} |")
        print()
    _ = zlib  # gzip uses zlib; imported so the version is the one the app uses


if __name__ == "__main__":
    main()
