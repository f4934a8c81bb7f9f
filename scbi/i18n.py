"""The languages people read SCBI in, and the locale each request is rendered in.

A person's language is, in order: the one saved on their account (the switcher on every
page saves it), the one chosen in this browser before signing in, the best match of the
browser's ``Accept-Language``, and ``SCBI_DEFAULT_LANGUAGE``. The API answers in the
language of ``Accept-Language``. Dates and numbers follow the language *in the
programme's territory* (``SCBI_TERRITORY``: ``fr_RW``, ``en_RW``, ``rw_RW``), so a date
reads the same way as the country writes it (01/02/2026 is the 1st of February in
Kigali, in English as in French); times are shown in ``SCBI_TIMEZONE``.
"""

from __future__ import annotations

from functools import cache

from babel.numbers import NumberPattern, parse_pattern
from flask import current_app, has_request_context, request, session
from flask_babel import format_decimal
from flask_login import current_user

# Each language named in itself: the switcher shows names a reader of that language knows.
NAMES = {"en": "English", "fr": "Français", "rw": "Ikinyarwanda"}
SESSION_KEY = "language"


def languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def default_language() -> str:
    return current_app.config["DEFAULT_LANGUAGE"]


def known(language: str | None) -> str | None:
    """``language`` if SCBI speaks it, else None."""
    return language if language in languages() else None


def locale_of(language: str | None) -> str:
    """The Babel locale of a language in the programme's territory (``fr`` → ``fr_RW``)."""
    return f"{known(language) or default_language()}_{current_app.config['TERRITORY']}"


def request_language() -> str:
    """The language of the current request (see the module's docstring)."""
    if not has_request_context():
        return default_language()
    if not request.path.startswith("/api/"):
        if current_user and current_user.is_authenticated and known(current_user.language):
            return current_user.language
        if known(session.get(SESSION_KEY)):
            return session[SESSION_KEY]
    return request.accept_languages.best_match(languages()) or default_language()


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    return locale_of(request_language())


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


@cache
def number_pattern(pattern: str) -> NumberPattern:
    """A Babel number pattern, parsed once: given as text, Babel parses it on every call."""
    return parse_pattern(pattern)


def number(value, pattern: str = "#,##0.##") -> str:
    """``value`` in the reader's language by ``pattern`` (1,5 in French; by default at most
    two decimals)."""
    return format_decimal(value, number_pattern(pattern))
