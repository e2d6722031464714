"""Lumos Learn: the application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from . import i18n, url_ids
from .config import BASE_DIR, load_config


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(BASE_DIR / "instance"),
        instance_relative_config=True,
        static_folder=None,  # served by WhiteNoise under content-hashed names, see static_files.py
        template_folder=str(BASE_DIR / "templates"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_config(Path(app.instance_path)))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(BASE_DIR / "translations")
    if test_config:
        app.config.from_mapping(test_config)

    _init_extensions(app)
    i18n.init_app(app)
    url_ids.init_app(app)
    _register_blueprints(app)
    _register_cli(app)

    from . import (
        course_library,
        errors,
        fragments,
        notifications,
        page_cache,
        security,
        static_files,
        templating,
        url_cache,
    )

    course_library.init_app(app)
    errors.init_app(app)
    notifications.init_app(app)
    page_cache.init_app(app)  # inside ProxyFix (security) so that it sees the client's scheme and host
    security.init_app(app)
    templating.init_app(app)
    fragments.init_app(app)  # after templating: fragments are rendered with the same Jinja settings
    url_cache.init_app(app)  # after templating: templates' url_for is the remembered one
    static_files.init_app(app, BASE_DIR / "static")
    return app


def _init_extensions(app: Flask) -> None:
    from . import database, rate_limit_storage  # noqa: F401 - registers the database:// throttle storage
    from .extensions import babel, compress, csrf, db, limiter, login_manager, migrate

    database.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    from .time_zones import select_time_zone

    babel.init_app(app, locale_selector=i18n.get_locale, timezone_selector=select_time_zone)
    limiter.init_app(app)
    compress.init_app(app)
    login_manager.init_app(app)
    from .auth import sessions

    sessions.init_login_manager(login_manager)


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .assignments import bp as assignments_bp
    from .auth import bp as auth_bp
    from .certificates import bp as certificates_bp
    from .learn import bp as learn_bp
    from .main import bp as main_bp
    from .trainer import bp as trainer_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/<lang:lang>/auth")
    app.register_blueprint(learn_bp, url_prefix="/<lang:lang>")
    app.register_blueprint(trainer_bp, url_prefix="/<lang:lang>/trainer")
    app.register_blueprint(admin_bp, url_prefix="/<lang:lang>/admin")
    app.register_blueprint(certificates_bp)
    app.register_blueprint(assignments_bp, url_prefix="/<lang:lang>")


def _register_cli(app: Flask) -> None:
    from .certificates.cli import certificates
    from .cli.demo import demo
    from .cli.users import users
    from .courses_cli import courses

    app.cli.add_command(users)
    from .cli.backup import backup

    app.cli.add_command(backup)
    app.cli.add_command(courses)
    app.cli.add_command(demo)
    app.cli.add_command(certificates)
