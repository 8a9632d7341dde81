"""The notification queue: rows are written with the record, sent afterwards.

A notification is queued in the same transaction as the record it is about,
so a record never exists without its notifications.  Sending happens after
the commit; a failure is logged, counted and retried with growing delays,
and after the last attempt the row stays visible as `failed`.

Delivery is at least once: a process killed after the SMTP server accepted a
message but before the row was marked sent sends it again on restart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db import Database
from models.schema import Notification
from notifiers.channels import Channels, DeliveryError, Outgoing

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def enqueue(
    session: Session,
    *,
    key: str,
    record_id: int | None,
    kind: str,
    audience: str,
    target: str,
    subject: str,
    body: str,
    sender_domain: str,
    headers: dict | None = None,
) -> Notification | None:
    """Queue one notification; None when the same `key` was already queued."""
    if session.scalar(select(Notification.id).where(Notification.key == key)):
        return None
    notification = Notification(
        key=key, record_id=record_id, kind=kind, audience=audience, target=target,
        subject=subject, body=body, headers=headers or {},
        message_id=make_msgid(domain=sender_domain).strip("<>"),
    )
    session.add(notification)
    return notification


def deliver_pending(
    db: Database,
    channels: Channels,
    sender: str,
    max_attempts: int = 5,
    retry_after: int = 300,
    on_sent=None,
) -> DeliveryReport:
    """Send every due notification, each in its own transaction."""
    report = DeliveryReport()
    now = datetime.now(UTC)
    with db.session() as session:
        due = list(session.scalars(
            select(Notification.id)
            .where(Notification.status == "pending",
                   Notification.next_attempt_at <= now)
            .order_by(Notification.id)
        ))
    for notification_id in due:
        with db.session() as session:
            _deliver_one(session, notification_id, channels, sender, max_attempts,
                         retry_after, report, on_sent)
    return report


def _deliver_one(session, notification_id, channels, sender, max_attempts,
                 retry_after, report, on_sent) -> None:
    # SKIP LOCKED lets two pollers share the queue without sending twice.
    notification = session.scalars(
        select(Notification)
        .where(Notification.id == notification_id, Notification.status == "pending")
        .with_for_update(skip_locked=True)
    ).one_or_none()
    if notification is None:
        return
    outgoing = Outgoing(
        target=notification.target, subject=notification.subject,
        body=notification.body, sender=sender,
        message_id=f"<{notification.message_id}>", headers=notification.headers or {},
        label=_label(notification),
    )
    notification.attempts += 1
    try:
        where = channels.send(outgoing)
    except DeliveryError as exc:
        _failed(notification, str(exc), max_attempts, retry_after, report)
        return
    notification.status = "sent"
    notification.sent_at = datetime.now(UTC)
    notification.last_error = None
    report.sent += 1
    log.info("%s: %s to %s delivered: %s", _label(notification), notification.kind,
             notification.audience, where)
    if on_sent is not None:
        on_sent(session, notification)


def _label(notification: Notification) -> str:
    about = f"{notification.record.reference}-" if notification.record else ""
    return f"{about}{notification.kind}-{notification.audience}-{notification.id}"


def _failed(notification, error, max_attempts, retry_after, report) -> None:
    notification.last_error = error
    if notification.attempts >= max_attempts:
        notification.status = "failed"
        report.failed += 1
        log.error("notification %s to %s gave up after %s attempts: %s",
                  notification.id, notification.audience, notification.attempts, error)
        return
    delay = retry_after * 2 ** (notification.attempts - 1)
    notification.next_attempt_at = datetime.now(UTC) + timedelta(seconds=delay)
    report.retrying += 1
    log.warning("notification %s to %s failed (attempt %s), retry in %ss: %s",
                notification.id, notification.audience, notification.attempts, delay,
                error)
