"""The service worker, at the site's root so that its scope is the whole site (a script under /static/ could
only control /static/). Browsers check it for updates on each visit: it is sent with `no-cache`."""

from __future__ import annotations

from flask import Response, current_app

from ..config import BASE_DIR
from ..extensions import limiter
from . import bp

SERVICE_WORKER = BASE_DIR / "static" / "sw.js"


@bp.route("/sw.js")
@limiter.exempt
def service_worker():
    cached = current_app.extensions.get("service_worker_js")
    if cached is None:
        cached = current_app.extensions["service_worker_js"] = SERVICE_WORKER.read_bytes()
    response = Response(cached, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
