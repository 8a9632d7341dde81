"""The data model: inbound messages, registration records and what hangs off them.

Every inbound message is kept with its raw bytes and its outcome (record,
follow-up, not a complaint, quarantined).  A complaint becomes one
registration record (客户投诉登记表) with its deadlines, status history and
notifications.  Times are stored in UTC and returned timezone-aware.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

STATUSES = ("draft", "confirmed", "in_review", "resolved", "archived")
OUTCOMES = ("record", "followup", "not_complaint", "quarantined")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class InboundMessage(Base):
    """One message as received, whatever became of it."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    raw_sha256: Mapped[str] = mapped_column(String(64), index=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(Text)
    mailbox: Mapped[str | None] = mapped_column(String(500))
    uid: Mapped[int | None] = mapped_column(BigInteger)
    subject: Mapped[str] = mapped_column(Text, default="")
    sender: Mapped[str | None] = mapped_column(String(500))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    triage: Mapped[dict | None] = mapped_column(JSON)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    record: Mapped[ComplaintRecord | None] = relationship(back_populates="messages")


class ComplaintRecord(Base):
    """客户投诉登记表: one per complaint, follow-ups attached."""

    __tablename__ = "records"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    level: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    rules: Mapped[list] = mapped_column(JSON, default=list)
    client_name: Mapped[str | None] = mapped_column(String(300))
    complainant_name: Mapped[str | None] = mapped_column(String(200))
    complainant_title: Mapped[str | None] = mapped_column(String(200))
    complainant_phone: Mapped[str | None] = mapped_column(String(100))
    complainant_email: Mapped[str | None] = mapped_column(String(320), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="email")
    subject: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    demands: Mapped[list] = mapped_column(JSON, default=list)
    reported_elsewhere: Mapped[bool | None] = mapped_column(Boolean)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
    execution_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Group effect (群体效应): what the complaint is about, and who complains.
    issue_type: Mapped[str | None] = mapped_column(String(20), index=True)
    issue_words: Mapped[list] = mapped_column(JSON, default=list)
    industry: Mapped[str | None] = mapped_column(String(40), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_groups.id"), index=True
    )

    messages: Mapped[list[InboundMessage]] = relationship(
        back_populates="record", order_by="InboundMessage.id"
    )
    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="record", order_by="Deadline.due_at",
        cascade="all, delete-orphan",
    )
    notifications: Mapped[list[Notification]] = relationship(
        back_populates="record", order_by="Notification.id"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="record", order_by="StatusChange.id"
    )
    client: Mapped[Client | None] = relationship()
    group: Mapped[ComplaintGroup | None] = relationship(back_populates="records")


class Deadline(Base):
    """One clock of the plan for a record (e.g. 执行小组响应 ≤ 24 小时)."""

    __tablename__ = "deadlines"
    __table_args__ = (UniqueConstraint("record_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    name: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    record: Mapped[ComplaintRecord] = relationship(back_populates="deadlines")


class Notification(Base):
    """One message to one target; kept until delivered or given up."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    audience: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    record: Mapped[ComplaintRecord | None] = relationship(
        back_populates="notifications"
    )


class StatusChange(Base):
    """Who moved a record from one status (or level) to another, and when."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    record: Mapped[ComplaintRecord] = relationship(back_populates="history")


class MailboxState(Base):
    """Per mailbox folder: its UIDVALIDITY and the highest committed UID."""

    __tablename__ = "mailbox_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(500), unique=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )


class Counter(Base):
    """Sequence per reference series, e.g. "TS-2026"."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Client(Base):
    """客户名册: one client company, its other names and its mail domains.

    `industry` is set by a person (CSV import); None means it is inferred
    from the company's name when needed.
    """

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    industry: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    names: Mapped[list[ClientName]] = relationship(
        back_populates="client", order_by="ClientName.id",
        cascade="all, delete-orphan",
    )
    domains: Mapped[list[ClientDomain]] = relationship(
        back_populates="client", order_by="ClientDomain.id",
        cascade="all, delete-orphan",
    )


class ClientName(Base):
    """The client's name or one alias; `key` is the form names are matched by."""

    __tablename__ = "client_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)

    client: Mapped[Client] = relationship(back_populates="names")


class ClientDomain(Base):
    """A mail domain that belongs to one client (never a public mail service)."""

    __tablename__ = "client_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    domain: Mapped[str] = mapped_column(String(255), unique=True)

    client: Mapped[Client] = relationship(back_populates="domains")


class ComplaintGroup(Base):
    """群体效应: open complaints of one industry about one issue type."""

    __tablename__ = "complaint_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    industry: Mapped[str] = mapped_column(String(40))
    issue_type: Mapped[str] = mapped_column(String(20))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    records: Mapped[list[ComplaintRecord]] = relationship(
        back_populates="group", order_by="ComplaintRecord.received_at"
    )
