"""What people at the firm do to a record: confirm, correct, move it on.

A record moves one step at a time, draft → confirmed → in_review → resolved
→ archived, and every step is a StatusChange saying who made it and when.
A step also meets the clocks of the plan that it implies (MET_BY_STATUS):

    confirmed   to_execution (the group has the record in hand) and
                execution_response (一级: the group has responded)
    in_review   internal_review_start (二级)
    resolved    written_solution (一级) and review_report (二级)

leadership_informed (二级) is met when a draft or escalation notice to the
leadership group has been sent (`mark_leadership_informed`), and
to_execution when the draft reached the execution group (pipeline.run).
No step implies the 三级 emergency meeting; a person records it, or any
other clock, with `meet_clock`.  A clock met later than due keeps both times.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from classifiers.rules import LEVEL_LABELS
from models import store
from models.schema import STATUSES, ComplaintRecord, Deadline, StatusChange, utcnow
from notifiers.render import STATUS_TEXT
from pipeline.clients import learn_from_record
from pipeline.errors import TriageError
from pipeline.run import Pipeline

MET_BY_STATUS: dict[str, tuple[str, ...]] = {
    "confirmed": ("to_execution", "execution_response"),
    "in_review": ("internal_review_start",),
    "resolved": ("written_solution", "review_report"),
}


class WorkflowError(TriageError):
    """A record cannot take the step asked for; the message says why."""


def confirm_record(
    pipeline: Pipeline, reference: str, actor: str, *, level: int | None = None,
    client: str | None = None, complainant: str | None = None,
    note: str | None = None,
) -> ComplaintRecord:
    """Set a draft to confirmed, applying the corrections given."""
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        if record is None:
            raise TriageError(f"没有编号为 {reference} 的登记表")
        if record.status != "draft":
            raise TriageError(f"{reference} 当前状态为「{_status_text(record.status)}」，只有草稿可以确认")
        previous, corrections = record.level, []
        if level and level != record.level:
            corrections.append(f"级别 {record.level}→{level}")
            record.level = level
            record.reasons = [f"{actor} 人工确认为{LEVEL_LABELS[level]}",
                              *record.reasons]
            # A person's correction keeps the plan's clocks from receipt: time
            # lost to a wrong draft shows as overdue rather than vanishing.
            pipeline._set_deadlines(record)
        if client:
            corrections.append(f"客户名称 {record.client_name}→{client}")
            record.client_name = client
        if complainant:
            corrections.append(f"投诉人 {record.complainant_name}→{complainant}")
            record.complainant_name = complainant
        # The client register grows from what a person has confirmed.
        learn_from_record(session, record, pipeline.settings.firm.domains,
                          named_by_person=bool(client))
        text = "；".join(filter(None, ["，".join(corrections), note])) or None
        at = utcnow()
        store.change_status(session, record, "confirmed", actor, text, at)
        _meet_implied(record, "confirmed", at)
        if record.level > previous and record.level >= 2:
            # Raised by a person: the leadership group has not heard of it yet.
            why = f"{actor} 人工确认为{LEVEL_LABELS[record.level]}"
            pipeline._queue_escalation(session, record, previous, why)
        return record


def move_record(pipeline: Pipeline, reference: str, status: str, actor: str,
                note: str | None = None) -> ComplaintRecord:
    """Move a record one step along draft → … → archived."""
    if status not in STATUSES:
        raise WorkflowError(f"没有「{status}」这一状态，可用：{'、'.join(STATUSES)}")
    if not actor.strip():
        raise WorkflowError("请用 --by 写明变更人")
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        if record is None:
            raise TriageError(f"没有编号为 {reference} 的登记表")
        _check_step(record, status)
        at = utcnow()
        store.change_status(session, record, status, actor, note, at)
        _meet_implied(record, status, at)
        return record


def meet_clock(pipeline: Pipeline, reference: str, name: str, actor: str,
               note: str | None = None) -> Deadline:
    """Record that one clock of the plan was met now, by `actor`."""
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        if record is None:
            raise TriageError(f"没有编号为 {reference} 的登记表")
        deadline = next((d for d in record.deadlines if d.name == name), None)
        if deadline is None:
            names = "、".join(d.name for d in record.deadlines) or "无"
            raise WorkflowError(f"{reference} 没有时限「{name}」（现有：{names}）")
        if deadline.met_at is not None:
            raise WorkflowError(f"{reference} 的时限「{deadline.label}」已登记完成")
        deadline.met_at = utcnow()
        text = "；".join(filter(None, [f"时限「{deadline.label}」已完成", note]))
        session.add(StatusChange(record_id=record.id, from_status=record.status,
                                 to_status=record.status, actor=actor, note=text,
                                 at=deadline.met_at))
        return deadline


def mark_leadership_informed(session: Session) -> int:
    """Meet open leadership_informed clocks whose record reached the leadership."""
    sent = store.first_sent(session, "leadership_informed", "leadership",
                            ("draft", "escalation"))
    for deadline, sent_at in sent:
        deadline.met_at = sent_at
    return len(sent)


def _check_step(record: ComplaintRecord, status: str) -> None:
    """Only the next status is allowed; the message names it."""
    current = STATUSES.index(record.status)
    if STATUSES.index(status) == current + 1:
        return
    here = f"{record.reference} 当前状态为「{_status_text(record.status)}」"
    if status == record.status:
        raise WorkflowError(f"{here}，无需变更")
    if current + 1 == len(STATUSES):
        raise WorkflowError(f"{here}，已归档的记录不能再变更状态")
    following = STATUSES[current + 1]
    raise WorkflowError(
        f"{here}，不能改为「{_status_text(status)}」（{status}）：状态须逐步推进，"
        f"下一步只能是「{_status_text(following)}」（{following}）"
    )


def _status_text(status: str) -> str:
    return STATUS_TEXT[status].split("（")[0]


def _meet_implied(record: ComplaintRecord, status: str, at) -> None:
    for deadline in record.deadlines:
        if deadline.name in MET_BY_STATUS.get(status, ()) and deadline.met_at is None:
            deadline.met_at = at


def reclassify_message(pipeline: Pipeline, message_id: str, level: int,
                       actor: str) -> ComplaintRecord:
    """Make a stored non-complaint or quarantined message a draft record.

    The triage's verdict is kept for its fields where the message can be
    read; the level is the person's, and the reasons say who decided.
    """
    if not actor.strip():
        raise WorkflowError("请用 --by 写明改判人")
    with pipeline.db.session() as session:
        message = store.find_message(session, message_id)
        if message is None:
            raise WorkflowError(f"没有 Message-ID 为 {message_id} 的邮件")
        if message.outcome not in ("not_complaint", "quarantined"):
            raise WorkflowError(f"{message_id} 已是投诉记录或后续来信，无需改判")
        examined = pipeline.examine(message.raw, message.source, message.received_at)
        examined.message_id = message.message_id
        examined.verdict = _as_complaint(examined.verdict, level, actor)
        examined.reason = None
        record = pipeline._new_record(session, examined)
        message.outcome, message.record, message.reason = "record", record, None
        session.flush()
        store.change_status(session, record, "draft", actor,
                            f"由{message_id}人工改判为投诉")
        pipeline._queue_draft(session, record)
        return record


def _as_complaint(verdict, level: int, actor: str):
    """The triage verdict turned into a complaint at the level a person chose."""
    from classifiers.fields import Fields
    from classifiers.figures import Figures
    from classifiers.triage import Verdict

    if verdict is None:  # unreadable mail: the fields are for a person to fill
        verdict = Verdict(False, None, 0.0, [], Fields(), Figures())
    verdict.is_complaint, verdict.level, verdict.kind = True, level, "complaint"
    verdict.reasons = [f"{actor} 人工改判为{LEVEL_LABELS[level]}投诉", *verdict.reasons]
    return verdict
