"""Reading the mail the app sent, in tests: the outbox folder and a real local SMTP server."""

from __future__ import annotations

import email
import re
import shutil
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote, urlsplit

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
        return AuthResult(success=(login, password) == (SMTP_USER, SMTP_PASSWORD))


SMTP_USER = "lms"
SMTP_PASSWORD = "s3cret pass"


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with the openssl tool (the test is skipped without)."""
    import pytest

    if shutil.which("openssl") is None:
        pytest.skip("the openssl tool is needed to make a TLS certificate")
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


class LocalSmtpServer:
    """A real SMTP server on 127.0.0.1 (aiosmtpd), started and stopped by the test.

    tls=None: plain, no login. tls="starttls": STARTTLS required, then a login.
    tls="ssl": TLS from the first byte (smtps), then a login. The client trusts the
    self-signed certificate through ?cafile= in the URL.
    """

    def __init__(self, port: int | None = None, tls: str | None = None, folder: Path | None = None):
        self.port = port or free_port()
        self.tls = tls
        self.sink = SmtpSink()
        self.controller = None
        self.cert = self.key = None
        if tls:
            self.cert, self.key = self_signed_certificate(folder)

    @property
    def url(self) -> str:
        base = f"127.0.0.1:{self.port}?timeout=5"
        if self.tls is None:
            return f"smtp://{base}"
        login = f"{SMTP_USER}:{quote(SMTP_PASSWORD)}@"
        scheme, flag = ("smtps", "") if self.tls == "ssl" else ("smtp", "&starttls=1")
        return f"{scheme}://{login}{base}{flag}&cafile={quote(str(self.cert))}"

    def start(self) -> LocalSmtpServer:
        from aiosmtpd.controller import Controller

        kwargs: dict = {}
        if self.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.cert, self.key)
            kwargs = {"authenticator": self.sink.authenticate}
            if self.tls == "ssl":
                # aiosmtpd does not see implicit TLS as TLS: offer AUTH without requiring it.
                kwargs.update(ssl_context=context, auth_require_tls=False)
            else:
                kwargs.update(tls_context=context, require_starttls=True, auth_required=True)
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
