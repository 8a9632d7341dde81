"""群体效应: several clients of one industry with the same kind of complaint.

POLICY.md makes a complaint 三级 when 3 or more different clients of the same
industry complain about the same kind of issue within a window (30 days by
default).  `after_new_record` runs in the transaction that stores a new
record, before its draft is queued:

1. `annotate` gives the record its issue type, its client from the register
   and its industry, so that the draft shows them.
2. `apply_group_effect` takes the open records (not resolved or archived) of
   that industry and issue type that fall in one window with the new record
   and counts their distinct clients: the register's client, or else the
   company name without punctuation and legal form.  At `min_clients` or
   more, every one of those records becomes 三级 with the group named first
   among its reasons, and its deadlines are recomputed.

A group is kept (ComplaintGroup) so that both groups are told once: when it
forms, one group notice per target of 应急执行小组 and 应急领导小组, keyed on
industry, issue type and window start, and no per-record escalation notices.
A record that later joins a formed group is raised too, but sends no second
group notice: its own draft is then a 三级 draft, which goes to both groups
anyway and names the group, now with one more client, first among its reasons.
The other members' reasons are rewritten to the group's new size.

Records whose industry is unknown or whose issue type is 其他 never form a
group: "same industry, same issue" cannot be told for them.

Two pollers cannot both miss a group: a new record takes the reference
counter's row lock (store.next_reference) before this step, so on PostgreSQL
new records are stored one at a time and each sees those committed before it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from classifiers.issue_types import OTHER, classify_issue
from classifiers.rules import LEVEL_LABELS
from models import store
from models.schema import ComplaintGroup, ComplaintRecord, StatusChange
from notifiers import render
from pipeline import clients

if TYPE_CHECKING:
    from pipeline.run import Pipeline

log = logging.getLogger(__name__)

GROUP_RULE = "group_effect"
GROUP_REASON_PREFIX = "三级：群体效应"


def after_new_record(pipeline: Pipeline, session: Session,
                     record: ComplaintRecord) -> None:
    """Issue type, client and industry of a new record; then the group effect."""
    annotate(session, record, pipeline.settings.firm.domains)
    apply_group_effect(pipeline, session, record)


def annotate(session: Session, record: ComplaintRecord,
             firm_domains: Collection[str]) -> None:
    issue = classify_issue(f"{record.subject}\n{record.description}")
    record.issue_type, record.issue_words = issue.name, list(issue.matched)

    domains = clients.company_domains(clients.record_addresses(record), firm_domains)
    client = clients.match_client(session, record.client_name, domains)
    if client is not None:
        record.client = client
        # The register's spelling when the mail names the same company (or
        # none); a different name on a known domain (a subsidiary) stays.
        if not record.client_name or clients.is_named(session, client,
                                                      record.client_name):
            record.client_name = client.name
    record.industry = clients.industry_of(client, record.client_name)


def apply_group_effect(pipeline: Pipeline, session: Session,
                       record: ComplaintRecord) -> ComplaintGroup | None:
    """Raise the record's group to 三级 when enough clients are in it."""
    settings = pipeline.settings.group
    if record.industry is None or record.issue_type in (None, OTHER):
        return None
    window = timedelta(days=settings.window_days)
    candidates = store.open_records_like(
        session, record.industry, record.issue_type,
        record.received_at - window, record.received_at + window)
    members = _window_members(record, candidates, window)
    names = _client_names(members)
    if len(names) < settings.min_clients:
        return None

    group, formed = _group_for(session, record, members)
    reason = (f"{GROUP_REASON_PREFIX}——{settings.window_days}天内{len(names)}家"
              f"{record.industry}客户投诉同类问题（{record.issue_type}）："
              + "、".join(names))
    previous = {m.id: _join(pipeline, session, m, group, reason) for m in members}
    session.flush()
    if formed:
        _notify_group(pipeline, session, record, group, members, previous, reason)
    else:
        _notify_late_members(pipeline, session, record, members, previous, reason)
    raised = [m.reference for m in members if previous[m.id]]
    log.info("%s: group effect %s: %d clients, %d records, raised %s",
             record.reference, group.key, len(names), len(members),
             ",".join(raised) or "-")
    return group


def _identity(record: ComplaintRecord) -> str | None:
    if record.client_id is not None:
        return f"client:{record.client_id}"
    key = clients.company_key(record.client_name)
    return f"name:{key}" if key else None


def _client_names(records: list[ComplaintRecord]) -> list[str]:
    """One display name per distinct client, earliest complaint first."""
    names: dict[str, str] = {}
    for record in records:
        identity = _identity(record)
        if identity and identity not in names:
            client = record.client
            names[identity] = client.name if client else record.client_name
    return list(names.values())


def _window_members(record: ComplaintRecord, candidates: list[ComplaintRecord],
                    window: timedelta) -> list[ComplaintRecord]:
    """The candidates in the window holding `record` that has most clients.

    Mail can arrive out of order, so the window is not simply the days before
    this record: every window of that length containing it is tried.
    """
    candidates = [c for c in candidates if _identity(c)]
    best: list[ComplaintRecord] = [record]
    received = record.received_at
    for start in sorted({c.received_at for c in candidates}):
        if not received - window <= start <= received:
            continue
        inside = [c for c in candidates if start <= c.received_at <= start + window]
        if len(_client_names(inside)) > len(_client_names(best)):
            best = inside
    return best


def _group_for(session: Session, record: ComplaintRecord,
               members: list[ComplaintRecord]) -> tuple[ComplaintGroup, bool]:
    """The group a member already belongs to, or a new one (True)."""
    for member in members:
        if member.group is not None:
            return member.group, False
    start = min(m.received_at for m in members)
    day = start.astimezone(render.BEIJING).date().isoformat()
    key = f"{record.industry}|{record.issue_type}|{day}"
    group = store.group_by_key(session, key)
    if group is not None:
        return group, False
    group = ComplaintGroup(key=key, industry=record.industry,
                           issue_type=record.issue_type, window_start=start)
    session.add(group)
    return group, True


def _join(pipeline: Pipeline, session: Session, member: ComplaintRecord,
          group: ComplaintGroup, reason: str) -> int | None:
    """Put `member` in the group at 三级; its previous level if that rose."""
    member.group = group
    others = [r for r in member.reasons if not r.startswith(GROUP_REASON_PREFIX)]
    member.reasons = [reason, *others]
    if GROUP_RULE not in member.rules:
        member.rules = [*member.rules, GROUP_RULE]
    if member.level >= 3:
        return None
    previous, member.level = member.level, 3
    session.add(StatusChange(
        record_id=member.id, from_status=member.status, to_status=member.status,
        actor="system", note=f"群体效应：级别由{LEVEL_LABELS[previous]}升为三级"))
    pipeline._set_deadlines(member, since=datetime.now(UTC))
    return previous


def _notify_group(pipeline: Pipeline, session: Session, record: ComplaintRecord,
                  group: ComplaintGroup, members: list[ComplaintRecord],
                  previous: dict[int, int | None], reason: str) -> None:
    """One notice per target for the whole group, filed under the new record."""
    levels = {m.reference: previous[m.id] for m in members}
    for audience, targets in pipeline._audiences(3):
        subject, body = render.group_notice(group, audience, reason, members, levels)
        for target in targets:
            pipeline._enqueue(session, record, f"group:{group.key}:{audience}:{target}",
                              "group", audience, target, subject, body)


def _notify_late_members(pipeline: Pipeline, session: Session,
                         record: ComplaintRecord, members: list[ComplaintRecord],
                         previous: dict[int, int | None], reason: str) -> None:
    # The new record's own 三级 draft tells both groups; an older member raised
    # only now (rare: it was outside the window the group formed in) is told
    # the usual way.
    for member in members:
        if member is not record and previous[member.id]:
            pipeline._queue_escalation(session, member, previous[member.id], reason)
