"""Delivery channels: SMTP for email addresses, apprise for bot URLs, and an
outbox folder that stands in for SMTP when no server is configured."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

import apprise

log = logging.getLogger(__name__)
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_UNSAFE = re.compile(r"[^\w.@-]+")


class DeliveryError(Exception):
    """A notification could not be delivered now; it stays queued."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    ssl: bool = False
    starttls: bool = False
    timeout: float = 30.0


@dataclass(frozen=True)
class Outgoing:
    """One rendered notification for one target."""

    target: str
    subject: str
    body: str
    sender: str
    message_id: str
    headers: dict
    label: str = "notification"  # names the outbox file, e.g. TS-2026-00001-draft


def is_email(target: str) -> bool:
    return bool(_EMAIL.match(target.strip()))


class Channels:
    """Sends an Outgoing by the channel its target calls for."""

    def __init__(self, smtp: SmtpServer | None, outbox: Path) -> None:
        self.smtp = smtp
        self.outbox = Path(outbox)

    def send(self, item: Outgoing) -> str:
        """Deliver `item`; return where it went; raise DeliveryError on failure."""
        if not is_email(item.target):
            return self._send_url(item)
        message = _email(item)
        if self.smtp is None:
            return self._write_outbox(message, item)
        return self._send_smtp(message, item)

    def _send_smtp(self, message: EmailMessage, item: Outgoing) -> str:
        server = self.smtp
        try:
            if server.ssl:
                client = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=server.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                client = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
            with client:
                if server.starttls and not server.ssl:
                    client.starttls(context=ssl.create_default_context())
                if server.user:
                    client.login(server.user, server.password or "")
                client.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP {server.host}:{server.port}: {exc}") from exc
        return f"smtp://{server.host}:{server.port}"

    def _write_outbox(self, message: EmailMessage, item: Outgoing) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        name = _UNSAFE.sub("_", f"{item.label}-{stamp}")[:150]
        path = self.outbox / f"{name}.eml"
        try:
            self.outbox.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes(message))
        except OSError as exc:
            raise DeliveryError(f"cannot write outbox {path}: {exc}") from exc
        return str(path)

    def _send_url(self, item: Outgoing) -> str:
        notifier = apprise.Apprise()
        if not notifier.add(item.target):
            raise DeliveryError(
                "not an email address nor a notification URL apprise knows")
        if not notifier.notify(title=item.subject, body=item.body):
            raise DeliveryError("the notification service did not accept the message")
        return item.target.split("://", 1)[0] + "://…"


def _email(item: Outgoing) -> EmailMessage:
    message = EmailMessage()
    message["From"] = item.sender
    message["To"] = item.target
    message["Subject"] = item.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = item.message_id
    for name, value in item.headers.items():
        message[name] = value
    message.set_content(item.body, charset="utf-8")
    return message
