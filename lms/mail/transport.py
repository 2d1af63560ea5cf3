"""Where messages go: an SMTP server (LMS_MAIL_URL) or .eml files in the outbox folder."""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

TRUE = {"1", "true", "yes", "on"}


class Transport(Protocol):
    def send(self, message: EmailMessage, name: str) -> None: ...

    def close(self) -> None: ...


class OutboxTransport:
    """Writes each message as an .eml file that any mail program (or a person) can open."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def send(self, message: EmailMessage, name: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = message.as_bytes(policy=policy.default)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.folder / f"{name}.eml")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def close(self) -> None:
        pass


class SmtpTransport:
    """smtp://user:pass@host:587?starttls=1, smtps://host:465 (or ?ssl=1); ?timeout=seconds;
    ?cafile=/path/ca.pem to trust a private certificate authority."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError("LMS_MAIL_URL must look like smtp://user:password@host:587?starttls=1")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.use_ssl = parts.scheme == "smtps" or query.get("ssl", "").lower() in TRUE
        self.starttls = not self.use_ssl and query.get("starttls", "").lower() in TRUE
        self.host = parts.hostname
        self.port = parts.port or (465 if self.use_ssl else 587 if self.starttls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = float(query.get("timeout", "10"))
        self.cafile = query.get("cafile") or None
        self._client: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context(cafile=self.cafile)
        if self.use_ssl:
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.starttls:
                client.starttls(context=context)
            if self.username:
                client.login(self.username, self.password or "")
        except BaseException:
            client.close()
            raise
        return client

    def send(self, message: EmailMessage, name: str) -> None:
        """Send over one connection kept open for the batch; a failure drops it."""
        try:
            if self._client is None:
                self._client = self._connect()
            self._client.send_message(message)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def transport_for(config) -> Transport:
    """SMTP when LMS_MAIL_URL is set, otherwise the outbox folder."""
    if config.get("MAIL_URL"):
        return SmtpTransport(config["MAIL_URL"])
    return OutboxTransport(config["MAIL_OUTBOX"])
