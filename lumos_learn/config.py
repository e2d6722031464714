"""Configuration read from the environment.

Development defaults work out of the box; `ENV=production` refuses to start with unsafe settings.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 - the production check below rejects it


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{instance_path / 'lumos_learn.db'}"
    # Hosting providers still hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the message says what to set."""


def load_config(instance_path: Path) -> dict:
    env = os.environ.get("ENV", os.environ.get("FLASK_ENV", "development")).lower()
    production = env == "production"
    config = {
        "ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # No pool_pre_ping (a round trip on every request): database.py pings a connection only after it sat idle.
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "COURSES_DIR": os.environ.get("COURSES_DIR", str(BASE_DIR / "courses")),
        "SITE_NAME": os.environ.get("SITE_NAME", "Lumos Learn"),
        "ISSUER_NAME": os.environ.get("ISSUER_NAME", "Lumos Learn"),
        # Where people report accessibility barriers (the accessibility statement's contact); an e-mail address.
        "ACCESSIBILITY_CONTACT": os.environ.get("ACCESSIBILITY_CONTACT", ""),
        # The national body that enforces accessibility in the operator's country (a URL), named in the statement.
        "ACCESSIBILITY_ENFORCEMENT_URL": os.environ.get("ACCESSIBILITY_ENFORCEMENT_URL", ""),
        # Chinese, Japanese and Korean names on certificates (Debian package fonts-wqy-microhei).
        "CERTIFICATE_CJK_FONT": os.environ.get(
            "CERTIFICATE_CJK_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
        ),
        # Unset in development: links follow the address served (public_url.py). Required in production.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/"),
        # Mail: with no MAIL_SERVER, messages are written to the log instead of sent.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Lumos Learn <no-reply@localhost>"),
        # Tries before an undeliverable message is marked failed (an admin can retry it from the outbox page).
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "5")),
        # Rate-limit counters: database:// keeps them in the app's database (rate_limit_storage.py), shared by
        # every worker and instance; redis://host:6379 (or any store the `limits` library knows) instead.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "database://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "PASSWORD_RESET_MAX_AGE": int(os.environ.get("PASSWORD_RESET_MAX_AGE", str(60 * 60))),
        "INVITATION_MAX_AGE": int(os.environ.get("INVITATION_MAX_AGE", str(14 * 24 * 60 * 60))),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(6 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead, so a long lesson never loses a quiz
        "CERTIFICATE_KEY_FILE": os.environ.get(
            "CERTIFICATE_KEY_FILE", str(instance_path / "keys" / "issuer-rs256.pem")
        ),
        "CERTIFICATE_KEY_PEM": os.environ.get("CERTIFICATE_KEY_PEM", ""),
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIN_SIZE": 500,
        # Anonymous lesson pages kept per process (page_cache.py); 0 turns the cache off.
        "PAGE_CACHE_BYTES": int(os.environ.get("PAGE_CACHE_BYTES", str(8 * 1024 * 1024))),
    }
    if production:
        _check_production(config)
    return config


def _check_production(config: dict) -> None:
    if not os.environ.get("SECRET_KEY") or config["SECRET_KEY"] == DEV_SECRET_KEY or len(config["SECRET_KEY"]) < 32:
        raise ConfigError("SECRET_KEY must be set to a random value of at least 32 characters in production.")
    if not config["PUBLIC_BASE_URL"].startswith(("https://", "http://")):
        raise ConfigError(
            "PUBLIC_BASE_URL must be set in production to the site's public address, e.g. https://learn.example.org:"
            " it is printed in certificates' QR codes and signed into credentials."
        )
    if _bool("FLASK_DEBUG"):
        raise ConfigError("FLASK_DEBUG must be off in production.")
