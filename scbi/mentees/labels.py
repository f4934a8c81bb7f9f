"""How a mentee's gender and status read to people (forms, pages and pairing reasons)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from scbi.mentees.models import Gender, MenteeStatus

GENDER_LABELS = {
    Gender.FEMALE: _l("Female"),
    Gender.MALE: _l("Male"),
    Gender.OTHER: _l("Other"),
    Gender.UNDISCLOSED: _l("Prefers not to say"),
}
STATUS_LABELS = {
    MenteeStatus.ACTIVE: _l("Active"),
    MenteeStatus.GRADUATED: _l("Graduated"),
    MenteeStatus.WITHDRAWN: _l("Withdrawn"),
    MenteeStatus.LEFT_PUBLIC_SERVICE: _l("Left the public service"),
}
