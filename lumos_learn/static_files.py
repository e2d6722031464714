"""Static files under content-hashed names, served by WhiteNoise with immutable caching.

At start-up each file in static/ is copied once to instance/static-hashed/ as `name.<hash>.ext`, with
gzip and brotli siblings that WhiteNoise serves to browsers that accept them. Templates ask for
`static_url('css/site.css')` and get the hashed name, so a changed file is a new URL and nothing stale
is ever served from a cache.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import brotli
from flask import Flask
from whitenoise import WhiteNoise

from .security import EVERY_RESPONSE_HEADERS

ONE_YEAR = 365 * 24 * 3600
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".txt", ".html", ".xml"}


def _write_atomically(path: Path, data: bytes) -> None:
    # Several gunicorn workers may start at once: never let one read a half-written file.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build_hashed_files(source: Path, target: Path) -> dict[str, str]:
    """Copy every file to its hashed name (once) and return {original: hashed} relative paths."""
    manifest = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:12]
        relative = path.relative_to(source)
        hashed = relative.with_name(f"{relative.stem}.{digest}{relative.suffix}")
        destination = target / hashed
        if not destination.exists():
            _write_atomically(destination, data)
            if relative.suffix in COMPRESSIBLE:
                _write_atomically(destination.with_name(destination.name + ".gz"), gzip.compress(data, 9, mtime=0))
                _write_atomically(destination.with_name(destination.name + ".br"), brotli.compress(data))
        manifest[relative.as_posix()] = hashed.as_posix()
    return manifest


def init_app(app: Flask, source: Path) -> None:
    target = Path(app.instance_path) / "static-hashed"
    manifest = build_hashed_files(source, target)
    app.extensions["static_manifest"] = manifest

    def static_url(filename: str) -> str:
        return "/static/" + manifest[filename]

    app.jinja_env.globals["static_url"] = static_url
    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(target),
        prefix="static/",
        max_age=ONE_YEAR,
        immutable_file_test=lambda path, url: True,  # every name served here carries its content hash
        add_headers_function=_add_security_headers,
    )


def _add_security_headers(headers, path: str, url: str) -> None:
    """WhiteNoise answers /static/ before Flask's after_request runs: the same headers, added here."""
    for name, value in EVERY_RESPONSE_HEADERS.items():
        headers[name] = value
