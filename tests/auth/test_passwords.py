"""Password rules (12–128 characters as typed, common passwords refused), argon2id for
chosen passwords and SHA-256 for generated ones, in the same time."""

from __future__ import annotations

import math

import pytest
from argon2 import PasswordHasher
from argon2.low_level import Type

from config import ProductionConfig
from scbi.auth import passwords
from scbi.auth.passwords import (
    GENERATED,
    hash_generated_password,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from scbi.auth.services import generate_password


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


@pytest.fixture
def argon2_checks(monkeypatch) -> list:
    """The argon2 verifications that ran (a string that is no argon2 hash costs nothing)."""
    checks = []
    verify = PasswordHasher.verify

    def counted(self, stored, password):
        if stored.startswith("$argon2"):
            checks.append(stored)
        return verify(self, stored, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    return checks


def test_generated_passwords_are_sha256_checked_in_an_argon2_checks_time(app, argon2_checks):
    with app.app_context():
        password = generate_password()
        stored = hash_generated_password(password)
        assert stored.startswith(GENERATED) and len(stored) == len(GENERATED) + 64
        assert password not in stored and not needs_rehash(stored)
        assert verify_password(stored, password)
        assert not verify_password(stored, password.upper())
        assert not verify_password(stored, "")
        assert not verify_password(stored, "\ud800 a lone surrogate")
        assert not verify_password(None, password)
    # every check, right or wrong, known account or not, ran one argon2 verification
    assert len(argon2_checks) == 5


def test_generated_passwords_have_at_least_112_random_bits():
    """NIST SP 800-63B 5.1.2.2: 112 bits or more may be stored with a fast approved hash."""
    made = {generate_password() for _ in range(200)}
    assert len(made) == 200
    assert all(len(p) == 29 and p.count("-") == 4 for p in made)
    alphabet = set("".join(made).replace("-", ""))
    assert len(alphabet) == 31
    assert math.log2(len(alphabet)) * 25 >= 112
    assert passwords.MIN_LENGTH <= 29


@pytest.mark.parametrize("stored", ["", "!unusable", GENERATED + "é not hex", GENERATED])
def test_unusable_stored_values_refuse_in_an_argon2_checks_time(app, argon2_checks, stored):
    with app.app_context():
        assert not verify_password(stored, "correct horse battery staple")
        assert not verify_password(stored, "")
    assert len(argon2_checks) == 2
