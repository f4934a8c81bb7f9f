"""Configuration classes, chosen by ``SCBI_CONFIG`` and completed from ``SCBI_*`` variables.

Nothing here reads the environment at import time: ``create_app`` calls
:func:`load_config`, which picks a class and applies the environment.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


class ConfigError(RuntimeError):
    """The configuration cannot run (for example production without a secret key)."""


class Config:
    NAME = "base"
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    UPLOAD_DIR: str | None = None
    FISCAL_YEAR_START_MONTH = 7
    # The currency reports convert costs into, at the rates the secretariat enters per
    # fiscal quarter (docs/partners.md); an ISO 4217 code.
    REPORTING_CURRENCY = "USD"
    TIMEZONE = "Africa/Kigali"  # whose "today" bounds dates (no activity in the future)

    # Requests: 16 MiB is above the largest evidence file (10 MB) plus form fields.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    SQLALCHEMY_ENGINE_OPTIONS: dict | None = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "scbi_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, which expires on its own
    WTF_CSRF_SSL_STRICT = True

    BOOTSTRAP_SERVE_LOCAL = True
    # Dynamic answers compressed by Flask-Compress (static files: scbi.assets). Pages
    # carry a CSRF token, but the session cookie is SameSite=Lax, so a third-party page
    # cannot make the many signed-in requests a BREACH attack needs (docs/security.md).
    COMPRESS_MIMETYPES = (
        "text/html",
        "text/csv",
        "text/plain",
        "application/json",
        "application/problem+json",
    )
    COMPRESS_ALGORITHM = "br, gzip"
    COMPRESS_ALGORITHM_STREAMING = "br, gzip"
    COMPRESS_BR_LEVEL = 4
    COMPRESS_LEVEL = 6
    # Languages (scbi.i18n): the catalogues under scbi/translations, the one used when
    # neither the person nor their browser chose, and the territory whose conventions
    # dates and numbers follow (en_RW and fr_RW write 01/02/2026 for the 1st of February).
    LANGUAGES = ("en", "fr", "rw")
    DEFAULT_LANGUAGE = "en"
    TERRITORY = "RW"
    BABEL_DEFAULT_LOCALE = "en_RW"  # kept equal to DEFAULT_LANGUAGE_TERRITORY by load_config
    BABEL_DEFAULT_TIMEZONE = "Africa/Kigali"  # kept equal to TIMEZONE by load_config

    # Passwords (argon2id). RFC 9106 "low memory" profile: 64 MiB, 3 passes, 4 lanes,
    # above OWASP's minimum (19 MiB, 2 passes, 1 lane).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    # Brute force: failures per login e-mail before each answer is slowed, then locked
    # (for clients the account has not signed in from within LOGIN_KNOWN_CLIENT_DAYS; the
    # right password from one it has still passes), and failures per client address across
    # every e-mail in a window. Throttle rows of e-mails quiet for LOGIN_FORGET_HOURS go.
    LOGIN_SLOW_AFTER = 3
    LOGIN_LOCK_AFTER = 10
    LOGIN_LOCK_MINUTES = 60
    LOGIN_KNOWN_CLIENT_DAYS = 90
    LOGIN_CLIENT_LIMIT = 30
    LOGIN_CLIENT_WINDOW_MINUTES = 15
    LOGIN_FORGET_HOURS = 24

    API_TOKEN_LIFETIME = timedelta(days=30)

    # E-mail (scbi.mail): off while MAIL_SERVER is unset (one-time passwords are shown, and
    # the mails events would have sent are kept for the secretariat to see at /mail).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_SECURITY = "starttls"  # starttls, ssl, or none (a local relay)
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM: str | None = None  # the address mails come from; required when mail is on
    MAIL_SENDER_NAME = "SCBI"  # the name beside it: the programme's
    MAIL_TIMEOUT = 30  # seconds to wait on the SMTP server
    MAIL_MAX_ATTEMPTS = 8  # deliveries tried before a message shows as failed
    MAIL_KEEP_DAYS = 90  # sent messages are deleted after this many days
    BASE_URL: str | None = None  # the public address in links; required when mail is on
    INVITATION_DAYS = 7
    RESET_MINUTES = 60
    RESET_PER_HOUR = 3  # reset mails to one address an hour (more requests send nothing)
    HSTS = False
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust.
    TRUSTED_PROXIES = 0


class DevelopmentConfig(Config):
    NAME = "development"


class TestingConfig(Config):
    NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-secret"  # noqa: S105 - the testing config never serves real users
    # A cheap argon2id so the suite runs fast; tests check the production parameters apart.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True


CONFIGS = {c.NAME: c for c in (DevelopmentConfig, TestingConfig, ProductionConfig)}


def load_config(app, overrides: dict | None = None) -> None:
    """Apply ``SCBI_CONFIG``'s class, then ``SCBI_*`` variables, then ``overrides``.

    Raises :class:`ConfigError` when production has no secret key or a value is invalid.
    """
    overrides = dict(overrides or {})
    name = overrides.pop("CONFIG", None) or os.environ.get("SCBI_CONFIG", "development")
    if name not in CONFIGS:
        raise ConfigError(f"SCBI_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}")
    app.config.from_object(CONFIGS[name])
    app.config.from_prefixed_env("SCBI")  # SCBI_SECRET_KEY -> SECRET_KEY, etc.
    app.config.update(overrides)

    instance = Path(app.instance_path)
    if not app.config.get("DATABASE_URL"):
        instance.mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'scbi.sqlite'}"
    if not app.config.get("UPLOAD_DIR"):
        app.config["UPLOAD_DIR"] = str(instance / "uploads")
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]

    month = app.config["FISCAL_YEAR_START_MONTH"]
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ConfigError("SCBI_FISCAL_YEAR_START_MONTH must be a month number from 1 to 12")
    _check_reporting_currency(app.config)

    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    if app.config["DEFAULT_LANGUAGE"] not in app.config["LANGUAGES"]:
        raise ConfigError(
            "SCBI_DEFAULT_LANGUAGE must be one of " + ", ".join(app.config["LANGUAGES"])
        )
    app.config["BABEL_DEFAULT_LOCALE"] = (
        f"{app.config['DEFAULT_LANGUAGE']}_{app.config['TERRITORY']}"
    )

    _check_mail(app.config, production=name == "production")

    if not app.config.get("SECRET_KEY"):
        if name == "production":
            raise ConfigError("SCBI_SECRET_KEY must be set in production")
        app.config["SECRET_KEY"] = _instance_secret(instance)
    elif name == "production" and len(str(app.config["SECRET_KEY"])) < 32:
        raise ConfigError("SCBI_SECRET_KEY must be at least 32 random characters in production")


def _check_reporting_currency(config) -> None:
    """An ISO 4217 code Babel knows (stored upper-case)."""
    from babel.numbers import list_currencies

    code = str(config.get("REPORTING_CURRENCY") or "").strip().upper()
    if code not in list_currencies():
        raise ConfigError("SCBI_REPORTING_CURRENCY must be an ISO 4217 currency code, such as USD")
    config["REPORTING_CURRENCY"] = code


MAIL_SECURITY = ("starttls", "ssl", "none")


def _check_mail(config, *, production: bool) -> None:
    """Mail on needs a sender and the public address of links (production refuses to start
    without one; development links point at the local server)."""
    if config.get("MAIL_SECURITY") not in MAIL_SECURITY:
        raise ConfigError(f"SCBI_MAIL_SECURITY must be one of {', '.join(MAIL_SECURITY)}")
    port = config.get("MAIL_PORT")
    if not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigError("SCBI_MAIL_PORT must be a port number")
    if not config.get("MAIL_SERVER"):
        return
    if not config.get("MAIL_FROM") or "@" not in str(config["MAIL_FROM"]):
        raise ConfigError("SCBI_MAIL_FROM must be an e-mail address when SCBI_MAIL_SERVER is set")
    if not config.get("BASE_URL"):
        if production:
            raise ConfigError(
                "SCBI_BASE_URL (the public address, e.g. https://scbi.example.org) must be "
                "set when SCBI_MAIL_SERVER is set"
            )
        config["BASE_URL"] = "http://127.0.0.1:5000"
    if not str(config["BASE_URL"]).startswith(("http://", "https://")):
        raise ConfigError("SCBI_BASE_URL must start with https:// (or http://)")


def _instance_secret(instance: Path) -> str:
    """Generate a development secret once and keep it in ``instance/secret_key``."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
