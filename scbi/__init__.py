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

    from scbi.extensions import babel, bootstrap, csrf, db, login_manager

    engine_options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        engine_options.setdefault("pool_pre_ping", True)
    else:
        engine_options.setdefault("connect_args", {"timeout": 10})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = gettext("Sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    import scbi.models  # noqa: F401  (every model registered before first use)


def register_blueprints(app: Flask) -> None:
    from scbi.api import bp as api_bp
    from scbi.auth import bp as auth_bp
    from scbi.coaches.views import bp as coaches_bp
    from scbi.competencies.views import bp as competencies_bp
    from scbi.main import bp as main_bp
    from scbi.mentees.views import bp as mentees_bp
    from scbi.people.views import bp as people_bp
    from scbi.programme.views import bp as programme_bp
    from scbi.reports.views import bp as reports_bp
    from scbi.security import register_request_hooks
    from scbi.transfer.views import bp as transfer_bp

    register_request_hooks(app)
    for blueprint in (
        main_bp,
        auth_bp,
        programme_bp,
        coaches_bp,
        mentees_bp,
        people_bp,
        transfer_bp,
        competencies_bp,
        reports_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)

    from scbi.templating import register_template_helpers

    register_template_helpers(app)


def register_errors(app: Flask) -> None:
    from scbi.errors import register_error_handlers

    register_error_handlers(app)


def register_commands(app: Flask) -> None:
    from scbi.cli import db_cli, scbi_cli

    app.cli.add_command(db_cli)
    app.cli.add_command(scbi_cli)
