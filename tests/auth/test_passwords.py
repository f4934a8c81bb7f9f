"""Password rules (12–128 characters as typed, common passwords refused) and argon2id."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.low_level import Type

from config import ProductionConfig
from scbi.auth.passwords import hash_password, password_problems, verify_password


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "a" * 3 + "Zq9!x7Lm2#pQ",
        "  spaces count too  ",
        "é" * 6 + "ünïcødé!",
    ],
)
def test_acceptable_passwords(app, password):
    with app.app_context():
        assert password_problems(password) == []


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short pass", "at least 12"),
        ("x" * 129, "at most 128"),
        ("qwerty123456", "too common"),
        ("password2024!!", "too common"),
        ("Iloveyou123456", "too common"),
        ("aaaaaaaaaaaaaa", "repeats"),
    ],
)
def test_refused_passwords_say_why(app, password, fragment):
    with app.app_context():
        problems = password_problems(password)
    assert any(fragment in p for p in problems), problems


def test_password_is_checked_exactly_as_typed(app):
    """Eleven characters padded with spaces are twelve characters, not trimmed to eleven."""
    with app.app_context():
        assert password_problems(" abcdefghij ") == []
        assert password_problems("abcdefghij ") != []


def test_own_email_or_name_is_refused(app):
    with app.app_context():
        problems = password_problems("amina.uwase-2026", email="amina.uwase@minagri.gov.rw")
        assert any("name or e-mail" in p for p in problems)
        problems = password_problems("AminaUwase#2026", full_name="Amina Uwase")
        assert any("name or e-mail" in p for p in problems)


def test_hashes_are_argon2id_and_verify(app):
    with app.app_context():
        stored = hash_password("correct horse battery staple")
        assert stored.startswith("$argon2id$")
        assert verify_password(stored, "correct horse battery staple")
        assert not verify_password(stored, "correct horse battery stapler")
        assert not verify_password(None, "anything at all")
        assert not verify_password("not-a-hash", "anything at all")


def test_production_hash_parameters_meet_owasp():
    """Production: argon2id with at least OWASP's 19 MiB, 2 passes (we use 64 MiB, 3, 4)."""
    hasher = PasswordHasher(
        time_cost=ProductionConfig.ARGON2_TIME_COST,
        memory_cost=ProductionConfig.ARGON2_MEMORY_COST,
        parallelism=ProductionConfig.ARGON2_PARALLELISM,
    )
    assert hasher.type is Type.ID
    assert ProductionConfig.ARGON2_MEMORY_COST >= 19 * 1024
    assert ProductionConfig.ARGON2_TIME_COST >= 2
    stored = hasher.hash("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert hasher.verify(stored, "correct horse battery staple")
