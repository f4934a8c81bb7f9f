"""Accounts: users and their roles, API tokens, and the failed-login throttle."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits
from scbi.database import Base, EnumText, IdMixin, TimestampMixin, VersionMixin, enum_check
from scbi.enums import Labelled


class Role(Labelled):
    SECRETARIAT = "secretariat", _l("Secretariat")
    COORDINATOR = "coordinator", _l("Sector coordinator")
    COACH = "coach", _l("Coach")
    MENTEE = "mentee", _l("Mentee")
    PARTNER = "partner", _l("Development partner")


# Field limits (scbi.limits), read by the forms, the API schemas and the services. The
# password's is what a sign-in or a new account accepts as typed; the rules a new password
# must meet are scbi.auth.passwords'.
ACCOUNT = {
    "email": limits.Text(254, required=True),
    "full_name": limits.Text(200, required=True),
    "password": limits.Text(1024, required=True),
}


class User(IdMixin, TimestampMixin, VersionMixin, UserMixin, Base):
    __tablename__ = "user"
    __unversioned__ = frozenset(
        {
            "last_login_at",
            "session_epoch",
            "password_hash",
            "password_changed_at",
            "must_change_password",
            "mail_events",
            "mail_reminders",
            "mail_digest",
            "language",
        }
    )

    # Stored lower-cased (see services.normalise_email), so the unique index is
    # case-insensitive on both databases.
    email: Mapped[str] = mapped_column(String(ACCOUNT["email"].max_length), unique=True)
    full_name: Mapped[str] = mapped_column(String(ACCOUNT["full_name"].max_length))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped to end every session and API token of this user at once.
    session_epoch: Mapped[int] = mapped_column(Integer, default=1)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    # Mails the person may turn off (on their account page, or one click in the mail).
    mail_events: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    mail_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    mail_digest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The language chosen with the switcher (scbi.i18n), also that of the person's mails;
    # None until they choose: the browser's then.
    language: Mapped[str | None] = mapped_column(String(8))

    # Loaded when asked (the signed-in user's roles); lists eager-load them on purpose.
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    # Sectors a coordinator is assigned to (they see and manage only these).
    sectors: Mapped[list["Sector"]] = relationship(  # noqa: F821, UP037
        secondary="coordinator_sector",
        order_by="Sector.name",
        viewonly=True,
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)

    def set_roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        self.role_rows[:] = [r for r in self.role_rows if r.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    def has_role(self, *roles: Role | str) -> bool:
        return any(Role(r) in self.roles for r in roles)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return bool(self.active)

    def get_id(self) -> str:
        # The epoch travels in the session: bumping it invalidates every session at once.
        return f"{self.id}:{self.session_epoch}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(Base):
    __tablename__ = "user_role"
    __table_args__ = (
        CheckConstraint(
            "role IN ('secretariat', 'coordinator', 'coach', 'mentee', 'partner')",
            name="role_known",
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(EnumText(Role, 16), primary_key=True, index=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


TOKEN = {"label": limits.Text(100)}


class ApiToken(IdMixin, TimestampMixin, Base):
    """A bearer token; only its SHA-256 is stored (the token itself is 256 random bits)."""

    __tablename__ = "api_token"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(TOKEN["label"].max_length))
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class LinkPurpose(Labelled):
    INVITATION = "invitation", _l("Invitation")
    RESET = "reset", _l("Password reset")


class AccountLink(IdMixin, Base):
    """A single-use link sent by mail to choose a password: an invitation to a new account,
    or a password reset. Only the token's SHA-256 is stored (the token is 256 random bits);
    ``used_at`` is set when it is used, or when a newer link or a new password replaces it.
    """

    __tablename__ = "account_link"
    __table_args__ = (enum_check("purpose", LinkPurpose),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(EnumText(LinkPurpose, 12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Consecutive failed logins per e-mail typed, known account or not.

    Keyed by the e-mail rather than the user so that an unknown e-mail is slowed and
    locked exactly like a real one: the answers never tell which accounts exist.
    """

    __tablename__ = "login_throttle"

    email: Mapped[str] = mapped_column(String(ACCOUNT["email"].max_length), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(index=True)  # old rows are pruned
    locked_until: Mapped[datetime | None]


class LoginClientThrottle(Base):
    """Failed sign-ins from one client address, across every e-mail, in a fixed window
    (so that one address cannot try one password on every account)."""

    __tablename__ = "login_client_throttle"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(index=True)
