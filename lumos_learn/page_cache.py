"""Public pages served again to cookie-less visitors without running Flask: rendered once per process.

An anonymous lesson page depends only on what is fixed for the life of a process (the release, the course
library, the interface language in the URL, the reading language in the query) and the encoding the browser
accepts. So, like a micro-cache in front of the application, the first response is kept, compressed, and the
next identical request is answered from memory.

Only what a view opts in to is kept (`allow_page_cache()`, called by the lesson page for anonymous readers),
and only when nothing could make it personal or stale:
- the request is a GET with no Cookie header at all (a session, a remember-me cookie or a CSRF secret sends it
  through Flask) and no conditional headers (Flask answers those with a 304);
- the response is a 200 that sets no cookie.
A page whose content can change while the process runs (certificate verification, for one) never opts in.
The cache is bounded in bytes, least recently used first out, so odd query strings cannot grow it.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from threading import Lock

import brotli
from flask import Flask, request

ENVIRON_FLAG = "lumos_learn.page_cache"

# Everything in the request that can change an anonymous page's bytes or headers.
_KEY_FIELDS = ("PATH_INFO", "QUERY_STRING", "HTTP_ACCEPT_ENCODING", "HTTP_HOST", "wsgi.url_scheme", "SCRIPT_NAME")
_BYPASS_FIELDS = ("HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE")


def allow_page_cache() -> None:
    """Mark this response as the same for every cookie-less visitor for the life of the process."""
    request.environ[ENVIRON_FLAG] = True


class PageCache:
    def __init__(self, wsgi_app, budget: int):
        self.wsgi_app = wsgi_app
        self.budget = budget
        self.size = 0
        # key -> (status, headers, body, whether the body is already at the smallest setting)
        self.entries: OrderedDict[tuple, tuple[str, list, bytes, bool]] = OrderedDict()
        self.lock = Lock()  # gthread workers share one cache

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or any(environ.get(f) for f in _BYPASS_FIELDS):
            return self.wsgi_app(environ, start_response)
        key = tuple(environ.get(f) for f in _KEY_FIELDS)
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
        if hit is not None:
            status, headers, body, smallest = hit
            if not smallest:  # asked for again: worth the slowest compression, once, for the visitors after this one
                self._keep(key, (status, *_recompressed(headers, body), True))
            start_response(status, list(headers))
            return [body]
        return self._render_and_keep(key, environ, start_response)

    def _render_and_keep(self, key, environ, start_response):
        seen: dict = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        if not (
            environ.get(ENVIRON_FLAG)
            and seen.get("status", "").startswith("200 ")
            and not any(name.lower() == "set-cookie" for name, _value in seen["headers"])
        ):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        self._keep(key, (seen["status"], list(seen["headers"]), body, False))
        return [body]

    def _keep(self, key, entry) -> None:
        body = entry[2]
        if len(body) > self.budget:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old[2])
            self.entries[key] = entry
            self.size += len(body)
            while self.size > self.budget:
                _key, (_s, _h, dropped, _smallest) = self.entries.popitem(last=False)
                self.size -= len(dropped)


# A kept page asked for again is compressed once more at the slowest, smallest setting and sent many times (a
# fifth fewer bytes than the per-request setting for a lesson: bench/bench_compression.py). Not when it is first
# kept: brotli 11 costs several renders, and a page asked for once (any query string makes a new entry) never
# earns it back. A personal page is compressed on every request, at Flask-Compress's level (config.py).
_BEST = {
    "br": (brotli.decompress, lambda data: brotli.compress(data, quality=11)),
    "gzip": (gzip.decompress, lambda data: gzip.compress(data, compresslevel=9, mtime=0)),
}


def _recompressed(headers: list, body: bytes) -> tuple[list, bytes]:
    encoding = next((value for name, value in headers if name.lower() == "content-encoding"), None)
    if encoding not in _BEST:
        return headers, body
    decompress, compress = _BEST[encoding]
    smaller = compress(decompress(body))
    if len(smaller) >= len(body):
        return headers, body
    kept = [(name, value) for name, value in headers if name.lower() != "content-length"]
    return [*kept, ("Content-Length", str(len(smaller)))], smaller


def init_app(app: Flask) -> None:
    budget = app.config["PAGE_CACHE_BYTES"]  # 8 MiB: every lesson in two languages and three encodings
    if budget:
        app.wsgi_app = PageCache(app.wsgi_app, budget)
