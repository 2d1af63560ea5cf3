"""Reading the mail the app sent, in tests: the outbox folder and a real local SMTP server."""

from __future__ import annotations

import email
import re
import socket
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

LINK = re.compile(r"https?://\S+/password/imposta/[\w-]+")


def outbox_messages(folder: str | Path) -> list[EmailMessage]:
    """Every .eml file of the outbox, oldest first, parsed with the email module."""
    files = sorted(Path(folder).glob("*.eml")) if Path(folder).is_dir() else []
    return [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def password_link(message: EmailMessage) -> str:
    """The one-time link of a message (the same in its text and HTML parts)."""
    found = LINK.findall(text_of(message))
    assert len(found) == 1, text_of(message)
    assert found[0] in html_of(message)
    return found[0]


def path_of(url: str) -> str:
    return urlsplit(url).path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class SmtpSink:
    """An aiosmtpd handler keeping what it receives, and the logins it saw."""

    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((login, password))
        return AuthResult(success=(login, password) == ("lms", "s3cret pass"))


class LocalSmtpServer:
    """A real SMTP server on 127.0.0.1 (aiosmtpd), requiring a login, started and stopped."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.sink = SmtpSink()
        self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://lms:s3cret%20pass@127.0.0.1:{self.port}?timeout=5"

    def start(self) -> LocalSmtpServer:
        from aiosmtpd.controller import Controller

        self.controller = Controller(
            self.sink,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self.sink.authenticate,
            auth_required=True,
            auth_require_tls=False,  # plain TCP on loopback, for the test only
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
