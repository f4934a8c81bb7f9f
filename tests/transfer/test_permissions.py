"""The pure rules that decide which buttons a pairing or log page offers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from scbi.auth.models import Role
from scbi.transfer import permissions as rules


class Person(SimpleNamespace):
    is_authenticated = True

    def has_role(self, *roles) -> bool:
        return bool(set(roles) & self.roles)


COACH = Person(id=1, roles={Role.COACH}, sectors=[])
MENTEE = Person(id=2, roles={Role.MENTEE}, sectors=[])
SECRETARIAT = Person(id=3, roles={Role.SECRETARIAT}, sectors=[])
OTHER_COORDINATOR = Person(id=4, roles={Role.COORDINATOR}, sectors=[SimpleNamespace(id=99)])


def pairing(status="active", mentee_status="active"):
    from scbi.mentees.models import LEFT_STATUSES

    mentee = SimpleNamespace(user_id=MENTEE.id, has_left=mentee_status in LEFT_STATUSES)
    return SimpleNamespace(
        status=status,
        is_open=status in ("active", "paused"),
        sector_id=1,
        coach=SimpleNamespace(user_id=COACH.id),
        mentee=mentee,
    )


def log(log_status="submitted", **kw):
    return SimpleNamespace(
        status=log_status,
        editable=log_status in ("draft", "disputed"),
        author_id=COACH.id,
        pairing=pairing(**kw),
    )


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({}, True),
        ({"status": "paused"}, False),
        ({"status": "terminated"}, False),
        ({"mentee_status": "left_public_service"}, False),
        ({"mentee_status": "graduated"}, True),
    ],
)
def test_log_an_activity_only_in_an_active_pairing_of_a_present_mentee(kw, expected):
    assert rules.can_write_log(COACH, pairing(**kw)) is expected
    assert rules.can_write_log(MENTEE, pairing(**kw)) is False


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({}, True),
        ({"status": "completed"}, True),  # the last logs of a pairing ended normally
        ({"mentee_status": "withdrawn"}, False),
        ({"mentee_status": "left_public_service"}, False),
        ({"log_status": "acknowledged"}, False),
    ],
)
def test_acknowledge_or_dispute_only_a_submitted_log_until_the_mentee_leaves(kw, expected):
    entry = log(**kw)
    assert rules.can_respond_to_log(MENTEE, entry) is expected
    assert rules.can_respond_to_log(COACH, entry) is False


@pytest.mark.parametrize(
    ("log_status", "kw", "edit", "remove"),
    [
        ("draft", {}, True, True),
        ("disputed", {}, True, False),
        ("submitted", {}, False, False),
        ("draft", {"status": "terminated"}, False, False),
        ("draft", {"mentee_status": "withdrawn"}, False, False),
    ],
)
def test_edit_send_and_remove_evidence_only_while_the_log_can_change(log_status, kw, edit, remove):
    entry = log(log_status, **kw)
    assert rules.can_edit_log(COACH, entry) is edit
    assert rules.can_remove_evidence(COACH, entry) is remove
    assert rules.can_edit_log(MENTEE, entry) is False


def test_managing_a_pairing_needs_its_sector_and_an_open_pairing():
    assert rules.can_pause_pairing(SECRETARIAT, pairing()) is True
    assert rules.can_resume_pairing(SECRETARIAT, pairing()) is False
    assert rules.can_resume_pairing(SECRETARIAT, pairing("paused")) is True
    assert rules.can_manage_pairing(SECRETARIAT, pairing("completed")) is False
    assert rules.can_manage_pairing(OTHER_COORDINATOR, pairing()) is False
    assert rules.can_manage_pairing(COACH, pairing()) is False


def test_plans_are_written_by_the_coach_while_the_pairing_is_open():
    assert rules.can_write_plan(COACH, pairing("paused")) is True
    assert rules.can_write_plan(COACH, pairing("terminated")) is False
    assert rules.can_write_plan(MENTEE, pairing()) is False


def test_verification_is_for_acknowledged_logs_by_their_managers():
    assert rules.can_verify_log(SECRETARIAT, log("acknowledged")) is True
    assert rules.can_verify_log(SECRETARIAT, log("submitted")) is False
    assert rules.can_verify_log(OTHER_COORDINATOR, log("acknowledged")) is False


def plan(plan_status="draft", **kw):
    return SimpleNamespace(
        status=plan_status,
        editable=plan_status in ("draft", "returned"),
        pairing=pairing(**kw),
    )


def test_the_pairings_coach_and_mentee_are_its_parties():
    assert rules.is_party_to(COACH, pairing()) is True
    assert rules.is_party_to(MENTEE, pairing()) is True
    assert rules.is_party_to(SECRETARIAT, pairing()) is False


@pytest.mark.parametrize("require", [rules.require_log_writer, rules.require_plan_writer])
def test_only_the_pairings_coach_opens_the_log_and_plan_forms(require):
    from scbi.errors import NotAllowed

    assert require(COACH, pairing()) is None
    for person in (MENTEE, SECRETARIAT):
        with pytest.raises(NotAllowed, match="Only the pairing's coach writes its"):
            require(person, pairing())


@pytest.mark.parametrize(
    ("plan_status", "coach", "others"),
    [
        ("draft", True, False),  # the coach's own until submitted
        ("submitted", True, True),
        ("approved", True, True),
        ("returned", True, True),
        ("superseded", True, True),
    ],
)
def test_a_draft_plan_is_read_by_its_coach_alone(plan_status, coach, others):
    entry = plan(plan_status)
    assert rules.can_read_plan(COACH, entry) is coach
    assert rules.can_read_plan(MENTEE, entry) is others
    assert rules.can_read_plan(SECRETARIAT, entry) is others


@pytest.mark.parametrize(
    ("plan_status", "kw", "expected"),
    [
        ("draft", {}, True),
        ("returned", {}, True),
        ("returned", {"status": "paused"}, True),
        ("submitted", {}, False),
        ("approved", {}, False),
        ("draft", {"status": "completed"}, False),
    ],
)
def test_the_coach_edits_a_draft_or_returned_plan_of_an_open_pairing(plan_status, kw, expected):
    assert rules.can_edit_plan(COACH, plan(plan_status, **kw)) is expected
    assert rules.can_edit_plan(MENTEE, plan(plan_status, **kw)) is False
    assert rules.can_edit_plan(SECRETARIAT, plan(plan_status, **kw)) is False


@pytest.mark.parametrize(
    ("plan_status", "kw", "expected"),
    [
        ("approved", {}, True),
        ("approved", {"status": "terminated"}, False),
        ("submitted", {}, False),
        ("superseded", {}, False),
    ],
)
def test_the_coach_revises_the_approved_plan_of_an_open_pairing(plan_status, kw, expected):
    assert rules.can_revise_plan(COACH, plan(plan_status, **kw)) is expected
    assert rules.can_revise_plan(SECRETARIAT, plan(plan_status, **kw)) is False


@pytest.mark.parametrize(
    ("person", "plan_status", "expected"),
    [
        (SECRETARIAT, "submitted", True),
        (SECRETARIAT, "draft", False),
        (SECRETARIAT, "approved", False),
        (OTHER_COORDINATOR, "submitted", False),  # not their sector
        (COACH, "submitted", False),
        (MENTEE, "submitted", False),
    ],
)
def test_a_submitted_plan_waits_for_its_sectors_managers(person, plan_status, expected):
    assert rules.can_decide_plan(person, plan(plan_status)) is expected
