"""Who may read which report (scbi.reports.permissions): pure rules, checked on stand-ins."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from scbi.auth.models import Role
from scbi.reports.permissions import can_read_sector_reports, can_see_cascade, can_see_people


class Person(SimpleNamespace):
    is_authenticated = True

    def has_role(self, *roles) -> bool:
        return bool(set(roles) & self.roles)


SECRETARIAT = Person(roles={Role.SECRETARIAT}, sectors=[])
COORDINATOR = Person(roles={Role.COORDINATOR}, sectors=[SimpleNamespace(id=1)])
COACH = Person(roles={Role.COACH}, sectors=[])
MENTEE = Person(roles={Role.MENTEE}, sectors=[])
PARTNER = Person(roles={Role.PARTNER}, sectors=[])


@pytest.mark.parametrize(
    ("person", "own_sector", "other_sector", "cascade"),
    [
        (SECRETARIAT, True, True, True),
        (COORDINATOR, True, False, False),
        (COACH, False, False, False),
        (MENTEE, False, False, False),
        (PARTNER, False, False, False),
    ],
)
def test_sector_reports_and_the_cascade(person, own_sector, other_sector, cascade):
    """The secretariat reads every sector's reports and sees the cascade; a coordinator
    reads their sectors' only; coaches and mentees read none; a development partner's
    account reads no names (its funded sectors are a query's: test_partner_accounts.py)."""
    assert can_read_sector_reports(person, 1) is own_sector
    assert can_read_sector_reports(person, 2) is other_sector
    assert can_see_cascade(person) is cascade
    assert can_see_people(person) is (person is not PARTNER)
