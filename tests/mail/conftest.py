"""A real SMTP server on the loopback (aiosmtpd, in a thread) and the app's mail turned on
to reach it; the messages it accepted, parsed, in ``smtp.messages``."""

from __future__ import annotations

import email
import re
import socket
import threading
from email.policy import default

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """An SMTP handler keeping every message; ``refuse`` answers each RCPT with a code."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.recipients: list[list[str]] = []
        self.refuse: str | None = None
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default)
        with self.lock:
            self.messages.append(message)
            self.raw.append(envelope.content)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    def __init__(self):
        self.inbox = Inbox()
        self.port = _free_port()
        self.controller = None

    @property
    def messages(self):
        return self.inbox.messages

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


MAIL_CONFIG = {
    "MAIL_SECURITY": "none",
    "MAIL_FROM": "scbi@example.org",
    "MAIL_SENDER_NAME": "SCBI Rwanda",
    "BASE_URL": "https://scbi.example.org",
    "MAIL_TIMEOUT": 5,
}


@pytest.fixture
def mail_on(app, smtp):
    """Mail on, delivered to ``smtp`` (the session's app is given back as it was)."""
    saved = {k: app.config.get(k) for k in [*MAIL_CONFIG, "MAIL_SERVER", "MAIL_PORT"]}
    app.config.update(MAIL_CONFIG, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    yield smtp
    app.config.update(saved)


LINK = re.compile(r"https://scbi\.example\.org(/\S+)")


def links_in(message) -> list[str]:
    """The paths of the app's links in a message's plain text."""
    return LINK.findall(message.get_body(("plain",)).get_content())


def deliver(app, **kwargs):
    from scbi.mail.delivery import deliver_due

    with app.app_context():
        return deliver_due(**kwargs)
