"""Password rules (QUALITY.md, ASVS 6.2) and argon2id hashing."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 128

# Suffixes people add to a common word to pass a length rule ("password2024!").
_PADDING = re.compile(r"[\d\W_]+$")


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str, *, email: str = "", full_name: str = "") -> list[str]:
    """Return what is wrong with ``password`` (empty when it is acceptable).

    The password is checked exactly as typed: no trimming, no truncation, no
    composition rules; only length, common passwords and the user's own identifiers.
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.lower()
    base = _PADDING.sub("", lowered)
    if lowered in _common_passwords() or (len(base) >= 4 and base in _common_passwords()):
        problems.append(_("This password is too common; choose one that is hard to guess."))
    elif len(set(lowered)) <= 2:
        problems.append(_("This password repeats too few characters; choose another."))
    identifiers = {email.lower(), email.lower().split("@")[0], full_name.lower().replace(" ", "")}
    if any(i and len(i) >= 4 and i in lowered.replace(" ", "") for i in identifiers):
        problems.append(_("Do not use your name or e-mail address in your password."))
    return problems


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check ``password``; with no stored hash, spend the same time and return False."""
    hasher = _hasher()
    if stored_hash is None:
        stored_hash = _dummy_hash(hasher)
        password = password + "\x00"  # never matches the dummy
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


_dummies: dict[tuple, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummies:
        _dummies[key] = hasher.hash("not-a-real-password")
    return _dummies[key]
