"""The accounts behind coach and mentee profiles, checked and created for many people at
once: a registration is a batch of one, the CSV import a batch of thousands. Each check is
one query for the whole batch and each table one multi-row insert, so a person costs the
same whichever way they arrive (the profile services call this).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from scbi import audit
from scbi.auth.links import UNUSABLE, invite
from scbi.auth.models import Role, User, UserRole
from scbi.auth.passwords import hash_generated_password, hash_password, password_problems
from scbi.auth.permissions import require_configure
from scbi.auth.services import (
    account_snapshot,
    check_account_fields,
    email_taken,
    end_sessions,
    generate_password,
    insert_users,
)
from scbi.database import insert_rows, utcnow
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.mail.outbox import enabled
from scbi.sql import batches
from scbi.validation import Errors


class PeopleRefused(ValidationFailed):
    """A batch of registrations refused, nothing written: ``problems[i]`` holds person
    i's fields and messages (empty for a person without any). ``fields`` are the first
    refused person's, so a registration of one reads like any other form's refusal."""

    def __init__(self, problems: list[dict[str, list[str]]]):
        self.problems = problems
        super().__init__(fields=next(p for p in problems if p))


@dataclass
class Registration:
    id: int  # the profile's
    user_id: int
    email: str
    full_name: str
    password: str | None  # to show once: generated, or as given; None if joining or invited
    invited: bool = False  # mailed an invitation to choose a password (mail on)


@dataclass
class _Account:
    email: str
    full_name: str
    password: str | None
    password_hash: str | None
    must_change_password: bool
    joining_id: int | None = None  # an existing account that takes the new role
    invited: bool = False


def register_profiles(
    people: list[dict],
    *,
    by,
    model,
    role: Role,
    profile_values,
    joins: Role | None = None,
    checks=(),
    columns=lambda value: {},
) -> tuple[list[Registration], list[dict]]:
    """Register a batch of people with profiles of ``model`` (coaches, mentees): each
    person's profile values (``profile_values(errors, person)``) and account are checked,
    with ``checks(values, errors)`` that need the whole batch; if anyone is refused,
    PeopleRefused names them all and nothing is written. Then one multi-row insert a table:
    the accounts, the profiles (their values and ``columns(value)``), an audit event
    ``<table>.create`` each. Returns the registrations and the profile values, in order."""
    require_configure(by)
    known: dict = {}  # the references rows share, looked up once
    errors = [Errors(known) for _person in people]
    values = [profile_values(e, p) for e, p in zip(errors, people, strict=True)]
    for check in checks:
        check(values, errors)
    accounts = ProfileAccounts(people, errors, role=role, joins=joins)
    if any(errors):
        raise PeopleRefused([e.fields for e in errors])
    users = accounts.create(by=by)
    now = utcnow()
    stamps = {"version": 1, "created_at": now, "updated_at": now}
    ids = insert_rows(
        db.session,
        model,
        [
            value | columns(value) | stamps | {"user_id": user_id}
            for value, (user_id, _password) in zip(values, users, strict=True)
        ],
        key="user_id",
    )
    table = model.__tablename__
    audit.record_all(
        f"{table}.create",
        by=by,
        changes=(((table, i), value) for i, value in zip(ids, values, strict=True)),
    )
    registered = [
        Registration(
            profile_id, user_id, account.email, account.full_name, password, account.invited
        )
        for profile_id, (user_id, password), account in zip(
            ids, users, accounts.accounts, strict=True
        )
    ]
    return registered, values


class ProfileAccounts:
    """The accounts of ``people`` (dicts with ``email``, ``full_name`` and optionally
    ``password``, ``password_hash``, ``must_change_password``) for profiles of ``role``,
    each one's problems added to ``errors[i]``. Nothing is written until :meth:`create`.

    An e-mail already taken, or on an earlier person of the batch, is refused, except the
    e-mail of an account holding the ``joins`` role only (a mentee who now coaches: the
    cascade): that account takes the new role and keeps its password.
    """

    def __init__(
        self, people: list[dict], errors: list[Errors], *, role: Role, joins: Role | None = None
    ):
        self.role = role
        self.accounts: list[_Account] = []
        held: list[dict[str, list[str]]] = []  # a new account's name and password problems
        for person, problems in zip(people, errors, strict=True):
            found: dict[str, list[str]] = {}
            email, full_name = check_account_fields(
                person.get("email"), person.get("full_name"), found
            )
            for message in found.pop("email", []):
                problems.add("email", message)
            password, password_hash = person.get("password"), person.get("password_hash")
            if password_hash is None and password is not None:
                found["password"] = password_problems(password, email=email, full_name=full_name)
            held.append(found)
            self.accounts.append(
                _Account(
                    email,
                    full_name,
                    password,
                    password_hash,
                    person.get("must_change_password", True),
                )
            )
        checked = [
            (a, p) for a, p in zip(self.accounts, errors, strict=True) if "email" not in p.fields
        ]
        existing = _roles_by_email([a.email for a, _p in checked])
        seen: set[str] = set()
        for account, problems in checked:
            if account.email in seen:
                problems.add("email", _("An earlier row has this e-mail address."))
                continue
            seen.add(account.email)
            if account.email not in existing:
                continue
            user_id, full_name, roles = existing[account.email]
            if joins is not None and joins in roles and role not in roles:
                # the account keeps its name and password: what was typed for them is unused
                account.joining_id, account.full_name = user_id, full_name
            else:
                email_taken(problems.fields)
        for account, problems, found in zip(self.accounts, errors, held, strict=True):
            if account.joining_id is None:
                for field, messages in found.items():
                    for message in messages:
                        problems.add(field, message)

    def create(self, *, by) -> list[tuple[int, str | None]]:
        """Write the accounts (only once every person's checks passed): each person's
        ``(user id, password to show once or None)``, in order. Without a password given,
        a new account is invited by mail when mail is on, else given a one-time password."""
        new = [a for a in self.accounts if a.joining_id is None]
        inviting = enabled()
        for account in new:
            if account.password_hash is None:
                if account.password is None and inviting:
                    account.invited, account.must_change_password = True, False
                    account.password_hash = UNUSABLE
                elif account.password is None:
                    account.password = generate_password()
                    account.password_hash = hash_generated_password(account.password)
                else:
                    account.password_hash = hash_password(account.password)
        new_ids = insert_users(
            [
                {
                    "email": a.email,
                    "full_name": a.full_name,
                    "password_hash": a.password_hash,
                    "must_change_password": a.must_change_password,
                }
                for a in new
            ],
            by=by,
            role=self.role,
        )
        invite(
            [(i, a.email, a.full_name) for i, a in zip(new_ids, new, strict=True) if a.invited],
            by=by,
        )
        ids = iter(new_ids)
        joining = {a.joining_id for a in self.accounts if a.joining_id is not None}
        for user in db.session.scalars(select(User).where(User.id.in_(joining))) if joining else ():
            before = account_snapshot(user)
            user.set_roles(user.roles | {self.role})
            end_sessions(user)
            db.session.flush()
            audit.record(
                "user.update", by=by, entity=user, before=before, after=account_snapshot(user)
            )
        return [
            (a.joining_id, None) if a.joining_id is not None else (next(ids), a.password)
            for a in self.accounts
        ]


def _roles_by_email(emails: list[str]) -> dict[str, tuple[int, str, set[Role]]]:
    """The id, name and roles of each account among ``emails`` (stored lower-cased)."""
    found: dict[str, tuple[int, str, set[Role]]] = {}
    for batch in batches(sorted(set(emails))):
        query = (
            select(User.email, User.id, User.full_name, UserRole.role)
            .outerjoin(UserRole, UserRole.user_id == User.id)
            .where(User.email.in_(batch))
        )
        for email, user_id, full_name, role in db.session.execute(query):
            roles = found.setdefault(email, (user_id, full_name, set()))[2]
            if role is not None:
                roles.add(role)
    return found
