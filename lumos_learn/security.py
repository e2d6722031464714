"""Response headers and proxy trust that every page gets."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline scripts or styles anywhere: the only script and stylesheet are our own files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


# Headers for every response, the static files too (WhiteNoise serves them before Flask: static_files.py).
EVERY_RESPONSE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def init_app(app: Flask) -> None:
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # Trust X-Forwarded-* only from as many proxies as configured, so a client cannot spoof its IP.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        for name, value in EVERY_RESPONSE_HEADERS.items():
            headers.setdefault(name, value)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        # Pages with personal data must not be kept by shared computers or proxies.
        if _is_personal(response):
            headers["Cache-Control"] = "no-store"
        return response


def _is_personal(response) -> bool:
    from flask_login import current_user

    if "Cache-Control" in response.headers:
        return False
    # Any response to a signed-in person, whatever its type: pages, JSON, CSV and spreadsheet exports, PDFs.
    # `is_anonymous` rather than `is_authenticated`: the latter reads a column, which after a commit in the view
    # would cost one more query for a header.
    return not current_user.is_anonymous
