"""Queries over the data model, kept out of the pipeline's steps."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from models.schema import (
    Client,
    ClientDomain,
    ClientName,
    ComplaintGroup,
    ComplaintRecord,
    Counter,
    Deadline,
    InboundMessage,
    MailboxState,
    Notification,
    StatusChange,
    utcnow,
)

# Addresses at these domains belong to individuals, not to one company, so a
# follow-up from them must come from the very same address.
PUBLIC_MAIL_DOMAINS = frozenset({
    "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com",
    "sina.cn", "sohu.com", "aliyun.com", "139.com", "189.cn", "wo.cn",
    "gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com",
})


def find_message(session: Session, message_id: str) -> InboundMessage | None:
    return session.scalar(
        select(InboundMessage).where(InboundMessage.message_id == message_id)
    )


def next_reference(session: Session, prefix: str, year: int) -> str:
    """The next reference of the series, e.g. TS-2026-00042, under a row lock."""
    name = f"{prefix}-{year}"
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(Counter).values(name=name, value=0).on_conflict_do_nothing())
    counter = session.scalars(
        select(Counter).where(Counter.name == name).with_for_update()
    ).one()
    counter.value += 1
    session.flush()
    return f"{name}-{counter.value:05d}"


def record_by_reference(session: Session, reference: str) -> ComplaintRecord | None:
    return session.scalar(
        select(ComplaintRecord).where(ComplaintRecord.reference == reference)
    )


def records_for_thread(session: Session, ids: Iterable[str]) -> list[ComplaintRecord]:
    """Records that any of these Message-IDs (ours or the client's) belong to."""
    ids = [i for i in ids if i]
    if not ids:
        return []
    inbound = select(InboundMessage.record_id).where(
        InboundMessage.message_id.in_(ids), InboundMessage.record_id.is_not(None)
    )
    outbound = select(Notification.record_id).where(
        Notification.message_id.in_(ids), Notification.record_id.is_not(None)
    )
    record_ids = set(session.scalars(inbound)) | set(session.scalars(outbound))
    if not record_ids:
        return []
    return list(session.scalars(
        select(ComplaintRecord).where(ComplaintRecord.id.in_(record_ids))
    ))


def references_in(text: str, prefix: str) -> list[str]:
    pattern = rf"\b{re.escape(prefix)}-\d{{4}}-\d{{5}}\b"
    return list(dict.fromkeys(re.findall(pattern, text or "")))


def same_client(record: ComplaintRecord, sender: str | None) -> bool:
    """Whether `sender` may speak for the record's client."""
    if not sender or "@" not in sender:
        return False
    sender = sender.lower()
    known = {m.sender.lower() for m in record.messages if m.sender}
    if record.complainant_email:
        known.add(record.complainant_email.lower())
    if sender in known:
        return True
    domain = sender.rsplit("@", 1)[1]
    if domain in PUBLIC_MAIL_DOMAINS:
        return False
    return any(k.rsplit("@", 1)[-1] == domain for k in known if "@" in k)


def list_records(session: Session) -> list[ComplaintRecord]:
    return list(session.scalars(
        select(ComplaintRecord)
        .options(
            selectinload(ComplaintRecord.messages),
            selectinload(ComplaintRecord.deadlines),
            selectinload(ComplaintRecord.notifications),
        )
        .order_by(ComplaintRecord.id)
    ))


def list_messages(session: Session, outcome: str | None = None) -> list[InboundMessage]:
    query = select(InboundMessage).order_by(InboundMessage.id)
    if outcome:
        query = query.where(InboundMessage.outcome == outcome)
    return list(session.scalars(query))


def change_status(
    session: Session, record: ComplaintRecord, status: str, actor: str,
    note: str | None = None, at: datetime | None = None,
) -> None:
    session.add(StatusChange(
        record_id=record.id, from_status=record.status, to_status=status,
        actor=actor, note=note, at=at or utcnow(),
    ))
    record.status = status


def record_in_full(session: Session, reference: str) -> ComplaintRecord | None:
    """A record with everything hanging off it, for printing whole."""
    return session.scalar(
        select(ComplaintRecord)
        .where(ComplaintRecord.reference == reference)
        .options(
            selectinload(ComplaintRecord.messages),
            selectinload(ComplaintRecord.deadlines),
            selectinload(ComplaintRecord.notifications),
            selectinload(ComplaintRecord.history),
        )
    )


def open_deadlines(
    session: Session, due_before: datetime, closed: Iterable[str]
) -> list[Deadline]:
    """Unmet deadlines due before `due_before` of records not in `closed`."""
    return list(session.scalars(
        select(Deadline)
        .join(Deadline.record)
        .where(
            Deadline.met_at.is_(None),
            Deadline.due_at <= due_before,
            ComplaintRecord.status.not_in(list(closed)),
        )
        .options(selectinload(Deadline.record))
        .order_by(Deadline.due_at, Deadline.id)
    ))


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of `keys` are already in the notification queue."""
    keys, found = list(keys), set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found.update(session.scalars(
            select(Notification.key).where(Notification.key.in_(chunk))
        ))
    return found


def first_sent(
    session: Session, clock: str, audience: str, kinds: Iterable[str]
) -> list[tuple[Deadline, datetime]]:
    """Unmet `clock` deadlines whose record had a `kinds` notice sent to `audience`,
    with when the first one went."""
    rows = session.execute(
        select(Deadline.id, func.min(Notification.sent_at))
        .join(Notification, Notification.record_id == Deadline.record_id)
        .where(
            Deadline.name == clock,
            Deadline.met_at.is_(None),
            Notification.audience == audience,
            Notification.kind.in_(list(kinds)),
            Notification.status == "sent",
            Notification.sent_at.is_not(None),
        )
        .group_by(Deadline.id)
    ).all()
    return [(session.get(Deadline, deadline_id), sent) for deadline_id, sent in rows]


def pending_notifications(session: Session, kinds: Iterable[str]) -> list[Notification]:
    return list(session.scalars(
        select(Notification)
        .where(Notification.kind.in_(list(kinds)), Notification.status == "pending")
        .order_by(Notification.id)
    ))


def acknowledgements_since(session: Session, address: str, since: datetime) -> int:
    rows = session.scalars(
        select(Notification.id).where(
            Notification.kind == "acknowledgement",
            Notification.target == address,
            Notification.created_at >= since,
        )
    )
    return len(list(rows))


def mailbox_state(session: Session, mailbox: str) -> MailboxState | None:
    return session.scalar(
        select(MailboxState).where(MailboxState.mailbox == mailbox).with_for_update()
    )


# -- client register and group effect ---------------------------------------


def client_by_name_key(session: Session, key: str) -> Client | None:
    return session.scalar(
        select(Client).join(ClientName).where(ClientName.key == key)
    )


def client_by_domain(session: Session, domains: Iterable[str]) -> Client | None:
    """The client owning the first of `domains` that the register knows."""
    for domain in domains:
        client = session.scalar(
            select(Client).join(ClientDomain).where(ClientDomain.domain == domain)
        )
        if client is not None:
            return client
    return None


def name_owner(session: Session, key: str) -> int | None:
    return session.scalar(select(ClientName.client_id).where(ClientName.key == key))


def domain_owner(session: Session, domain: str) -> int | None:
    return session.scalar(
        select(ClientDomain.client_id).where(ClientDomain.domain == domain)
    )


def list_clients(session: Session) -> list[Client]:
    return list(session.scalars(
        select(Client)
        .options(selectinload(Client.names), selectinload(Client.domains))
        .order_by(Client.id)
    ))


def open_records_like(
    session: Session, industry: str, issue_type: str, since: datetime,
    until: datetime,
) -> list[ComplaintRecord]:
    """Open records of one industry and issue type received in [since, until]."""
    return list(session.scalars(
        select(ComplaintRecord)
        .where(
            ComplaintRecord.industry == industry,
            ComplaintRecord.issue_type == issue_type,
            ComplaintRecord.received_at >= since,
            ComplaintRecord.received_at <= until,
            ComplaintRecord.status.not_in(("resolved", "archived")),
        )
        .order_by(ComplaintRecord.received_at, ComplaintRecord.id)
    ))


def group_by_key(session: Session, key: str) -> ComplaintGroup | None:
    return session.scalar(select(ComplaintGroup).where(ComplaintGroup.key == key))
