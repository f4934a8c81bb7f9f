"""Configuration: environment variables, the secret key rules, the database engine options."""

from __future__ import annotations

import pytest
from flask import Flask

from config import ConfigError, load_config
from scbi import create_app


def bare_app(tmp_path) -> Flask:
    return Flask("scbi", instance_path=str(tmp_path / "instance"))


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SCBI_SECRET_KEY", raising=False)
    monkeypatch.setenv("SCBI_CONFIG", "production")
    with pytest.raises(ConfigError, match="SCBI_SECRET_KEY"):
        load_config(bare_app(tmp_path))


def test_production_refuses_a_short_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SCBI_CONFIG", "production")
    monkeypatch.setenv("SCBI_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="32"):
        load_config(bare_app(tmp_path))


def test_production_takes_its_settings_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SCBI_CONFIG", "production")
    monkeypatch.setenv("SCBI_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SCBI_DATABASE_URL", "postgresql+psycopg://db.example/scbi")
    monkeypatch.setenv("SCBI_UPLOAD_DIR", "/srv/scbi/uploads")
    monkeypatch.setenv("SCBI_FISCAL_YEAR_START_MONTH", "1")
    app = bare_app(tmp_path)
    load_config(app)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db.example/scbi"
    assert app.config["UPLOAD_DIR"] == "/srv/scbi/uploads"
    assert app.config["FISCAL_YEAR_START_MONTH"] == 1
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["HSTS"] is True


def test_development_generates_a_secret_key_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SCBI_SECRET_KEY", raising=False)
    monkeypatch.delenv("SCBI_CONFIG", raising=False)
    first, second = bare_app(tmp_path), bare_app(tmp_path)
    load_config(first)
    load_config(second)
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    secret_file = tmp_path / "instance" / "secret_key"
    assert secret_file.stat().st_mode & 0o077 == 0
    assert first.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert first.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/scbi.sqlite")


@pytest.mark.parametrize("month", ["0", "13", '"July"'])
def test_fiscal_year_start_month_must_be_a_month(tmp_path, monkeypatch, month):
    monkeypatch.setenv("SCBI_FISCAL_YEAR_START_MONTH", month)
    with pytest.raises(ConfigError, match="FISCAL_YEAR_START_MONTH"):
        load_config(bare_app(tmp_path))


@pytest.mark.parametrize("code", ["XYZ", "dollars", "1"])
def test_the_reporting_currency_must_be_an_iso_4217_code(tmp_path, monkeypatch, code):
    monkeypatch.setenv("SCBI_REPORTING_CURRENCY", code)
    with pytest.raises(ConfigError, match="SCBI_REPORTING_CURRENCY"):
        load_config(bare_app(tmp_path))


def test_the_reporting_currency_is_usd_unless_set(tmp_path, monkeypatch):
    monkeypatch.delenv("SCBI_REPORTING_CURRENCY", raising=False)
    app = bare_app(tmp_path)
    load_config(app)
    assert app.config["REPORTING_CURRENCY"] == "USD"
    monkeypatch.setenv("SCBI_REPORTING_CURRENCY", "rwf")
    load_config(app)
    assert app.config["REPORTING_CURRENCY"] == "RWF"


def test_unknown_config_name_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SCBI_CONFIG", "staging")
    with pytest.raises(ConfigError, match="SCBI_CONFIG"):
        load_config(bare_app(tmp_path))


def test_postgresql_engine_pings_its_pooled_connections(tmp_path):
    app = create_app(
        {"CONFIG": "testing", "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/none"}
    )
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_trusted_proxy_gives_the_client_ip_to_the_audit(tmp_path):
    app = create_app(
        {
            "CONFIG": "testing",
            "TRUSTED_PROXIES": 1,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}",
        }
    )

    @app.get("/ip")
    def ip():
        from flask import request

        return request.remote_addr

    response = app.test_client().get("/ip", headers={"X-Forwarded-For": "41.186.1.2"})
    assert response.text == "41.186.1.2"


def _production(monkeypatch, **env):
    monkeypatch.setenv("SCBI_CONFIG", "production")
    monkeypatch.setenv("SCBI_SECRET_KEY", "x" * 40)
    for name in ("MAIL_SERVER", "MAIL_FROM", "BASE_URL", "MAIL_PORT", "MAIL_SECURITY"):
        monkeypatch.delenv(f"SCBI_{name}", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(f"SCBI_{name}", value)


def test_mail_is_off_unless_a_server_is_set(tmp_path, monkeypatch):
    _production(monkeypatch)
    app = bare_app(tmp_path)
    load_config(app)
    assert app.config["MAIL_SERVER"] is None
    assert (app.config["MAIL_PORT"], app.config["MAIL_SECURITY"]) == (587, "starttls")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MAIL_SERVER": "smtp.example.org", "BASE_URL": "https://x.org"}, "SCBI_MAIL_FROM"),
        ({"MAIL_SERVER": "smtp.example.org", "MAIL_FROM": "scbi@x.org"}, "SCBI_BASE_URL"),
        (
            {"MAIL_SERVER": "s", "MAIL_FROM": "scbi@x.org", "BASE_URL": "scbi.example.org"},
            "https://",
        ),
        ({"MAIL_SECURITY": "tls"}, "SCBI_MAIL_SECURITY"),
        ({"MAIL_PORT": "99999"}, "SCBI_MAIL_PORT"),
    ],
)
def test_production_refuses_mail_it_cannot_send_right(tmp_path, monkeypatch, env, message):
    _production(monkeypatch, **env)
    with pytest.raises(ConfigError, match=message):
        load_config(bare_app(tmp_path))


def test_mail_settings_come_from_the_environment(tmp_path, monkeypatch):
    _production(
        monkeypatch,
        MAIL_SERVER="smtp.example.org",
        MAIL_PORT="465",
        MAIL_SECURITY="ssl",
        MAIL_FROM="scbi@minecofin.gov.rw",
        BASE_URL="https://scbi.minecofin.gov.rw",
    )
    app = bare_app(tmp_path)
    load_config(app)
    assert app.config["MAIL_PORT"] == 465 and app.config["MAIL_SECURITY"] == "ssl"
    assert app.config["BASE_URL"] == "https://scbi.minecofin.gov.rw"
