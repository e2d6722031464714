"""The site's public address, for links that leave the browser: QR codes, verify links, e-mails, credentials.

In production it is PUBLIC_BASE_URL, required (config.py refuses to start without it): behind a proxy the
request's host is not to be trusted for links that are printed on certificates and signed into credentials.
In development, unset, it follows the address the request came to, so `make run PORT=8100` (or a phone on
the local network) gets links that work there.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request

# Only for commands run without a request in development (`flask certificates verify`): `make run`'s address.
DEVELOPMENT_FALLBACK = "http://127.0.0.1:8000"


def public_base_url() -> str:
    """Scheme and host (and port), without a trailing slash."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEVELOPMENT_FALLBACK
