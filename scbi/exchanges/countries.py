"""Countries by their ISO 3166-1 alpha-2 code, named in the reader's language (Babel's
CLDR names; English where the language has none, as Kinyarwanda lacks most).

A host abroad and an external participant name their country by code, so every language
reads its own name of it and the reports count countries, not spellings.
"""

from __future__ import annotations

from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from scbi.validation import Errors

ENGLISH = Locale("en")
# The two-letter regions CLDR names that ISO 3166-1 does not assign to a country: groups
# (EU, EZ, UN), the reserved and user-assigned codes (AC, CP, CQ, DG, EA, IC, TA, QO, XA,
# XB, XK) and the unknown region (ZZ).
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
CODES = frozenset(
    code
    for code in ENGLISH.territories
    if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
)


def country_name(code: str | None) -> str:
    """The country's name in the current language (the code itself if unknown)."""
    if not code:
        return ""
    names = (get_locale() or ENGLISH).territories
    return names.get(code) or ENGLISH.territories.get(code, code)


def country_choices(empty: str | None = None) -> list[SelectChoice]:
    """Every country, by its name in the current language."""
    named = sorted(((country_name(c), c) for c in CODES), key=lambda pair: pair[0].casefold())
    first = [SelectChoice("", empty)] if empty is not None else []
    return first + [SelectChoice(code, name) for name, code in named]


def checked_country(errors: Errors, field: str, value, *, required: bool = True) -> str | None:
    """``value`` as an ISO 3166-1 alpha-2 code (upper case), or None with the reason."""
    code = ("" if value is None else str(value)).strip().upper()
    if not code:
        if required:
            errors.add(field, _("Choose the country."))
        return None
    if code not in CODES:
        errors.add(
            field,
            _("Give the country's two-letter ISO 3166 code, such as KE for Kenya."),
        )
        return None
    return code
