"""SCBI: national coaching and mentoring programmes, with evidence of skills transfer."""

from __future__ import annotations

import logging

from flask import Flask


def create_app(overrides: dict | None = None) -> Flask:
    """Build the application. ``overrides`` (tests) apply over the environment."""
    from config import load_config

    app = Flask(__name__, instance_relative_config=True)
    load_config(app, overrides)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("scbi").setLevel(logging.INFO)

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from flask_babel import gettext

    from scbi import assets
    from scbi.extensions import babel, bootstrap, compress, csrf, db, login_manager

    engine_options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        engine_options.setdefault("pool_pre_ping", True)
    else:
        engine_options.setdefault("connect_args", {"timeout": 10})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options

    db.init_app(app)

    @app.teardown_appcontext
    def end_read_only_transaction(exc) -> None:
        # Registered after Flask-SQLAlchemy's, so it runs before its session.remove().
        from scbi.audit import pending_events
        from scbi.database import end_read_only

        if exc is None:
            session = db.session()
            end_read_only(session, keep=bool(pending_events(session)))

    csrf.init_app(app)
    from scbi.i18n import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    bootstrap.init_app(app)
    assets.init_app(app)  # after Bootstrap-Flask, whose static endpoint it serves too
    compress.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = gettext("Sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    import scbi.models  # noqa: F401  (every model registered before first use)


# The features, each on those before it (docs/architecture.md); api and main on top.
FEATURES = (
    "auth",
    "programme",
    "coaches",
    "mentees",
    "people",
    "partners",
    "transfer",
    "competencies",
    "retention",
    "engagements",
    "exchanges",
    "reports",
    "lessons",
    "notify",
    "main",
    "api",
)


def register_blueprints(app: Flask) -> None:
    """Each feature's pages (``scbi.<feature>.views``, whose import also registers the
    feature's answers to the hooks of the features below it)."""
    from importlib import import_module

    from scbi.security import register_request_hooks

    register_request_hooks(app)
    for feature in FEATURES:
        module = "api" if feature == "api" else f"{feature}.views"
        app.register_blueprint(import_module(f"scbi.{module}").bp)

    from scbi.templating import register_template_helpers

    register_template_helpers(app)


def register_errors(app: Flask) -> None:
    from scbi.errors import register_error_handlers

    register_error_handlers(app)


def register_commands(app: Flask) -> None:
    from scbi.cli import db_cli, scbi_cli

    app.cli.add_command(db_cli)
    app.cli.add_command(scbi_cli)
