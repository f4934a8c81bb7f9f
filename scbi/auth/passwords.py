"""Password rules (QUALITY.md, ASVS 6.2) and hashing.

A password a person chose is hashed with argon2id, slow on purpose. A password this
application generated (``services.generate_password``: about 124 random bits, shown once)
cannot be guessed, so SHA-256 stores it safely: NIST SP 800-63B (5.1.2.2) allows a plain
approved hash for random secrets of 112 bits or more. That keeps a bulk import of
thousands of people to milliseconds a row instead of a tenth of a second each.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from contextlib import suppress
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


GENERATED = "$scbi-generated$sha256$"


def hash_password(password: str) -> str:
    return _hasher().hash(_bytes(password))


def hash_generated_password(password: str) -> str:
    """For a password this application generated, never for one a person chose."""
    return GENERATED + _sha256(password)


def _sha256(password: str) -> str:
    return hashlib.sha256(_bytes(password)).hexdigest()


def _bytes(password: str) -> bytes:
    """UTF-8, as argon2-cffi encodes; a lone surrogate (JSON allows "\\ud800") is kept
    rather than failing the request."""
    return password.encode("utf-8", "surrogatepass")


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check ``password``, always in one argon2 check's time (the answer's timing tells
    neither whether the account exists nor how its password is stored)."""
    hasher = _hasher()
    if stored_hash and stored_hash.startswith(GENERATED):
        _spend(hasher, password)
        stored = stored_hash.removeprefix(GENERATED).encode("ascii", "replace")
        return hmac.compare_digest(stored, _sha256(password).encode("ascii"))
    if not stored_hash:
        _spend(hasher, password)
        return False
    try:
        return hasher.verify(stored_hash, _bytes(password))
    except VerificationError:
        return False
    except InvalidHashError:  # not a hash at all: an unusable password
        _spend(hasher, password)
        return False


def _spend(hasher: PasswordHasher, password: str) -> None:
    with suppress(VerificationError):
        hasher.verify(_dummy_hash(hasher), _bytes(password + "\x00"))  # never matches


def needs_rehash(stored_hash: str) -> bool:
    """Argon2 hashes made with other parameters (a generated password needs no slow hash:
    it cannot be guessed)."""
    if stored_hash.startswith(GENERATED):
        return False
    return _hasher().check_needs_rehash(stored_hash)


_dummies: dict[tuple, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummies:
        _dummies[key] = hasher.hash("not-a-real-password")
    return _dummies[key]
