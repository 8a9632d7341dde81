"""What the firm's people and its clients read, in Simplified Chinese.

Each function takes a stored record and returns (subject, body) as plain
text, suitable for email and for group bots alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from models.schema import (
    STATUSES,
    ComplaintGroup,
    ComplaintRecord,
    Deadline,
    InboundMessage,
    Notification,
    StatusChange,
)

BEIJING = timezone(timedelta(hours=8))
LEVEL_TEXT = {1: "一级 一般投诉", 2: "二级 重大投诉", 3: "三级 特大投诉"}
AUDIENCE_TEXT = {"execution": "应急执行小组", "leadership": "应急领导小组"}
ROLE_TEXT = {
    "claim": "索赔", "loss": "损失", "penalty": "罚款", "fee": "费用",
    "misstatement": "错报/差异", "report_figure": "报告中的数字", "other": "其他",
}


def local(moment: datetime | None) -> str:
    """A time as the firm reads it: Beijing time, to the minute."""
    if moment is None:
        return "—"
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def draft_notice(record: ComplaintRecord, audience: str) -> tuple[str, str]:
    """The draft 客户投诉登记表 sent to a group for confirmation."""
    level = LEVEL_TEXT[record.level]
    subject = (
        f"【客户投诉登记表·待确认】{record.reference} {level}"
        f" — {record.client_name or '客户名称待核实'}"
    )
    intro = (
        "收到一起客户投诉，系统已生成客户投诉登记表草稿，请核实后确认或更正。"
        if audience == "execution"
        else f"收到一起{level}，按应急预案报应急领导小组知悉。"
    )
    lines = [f"{AUDIENCE_TEXT[audience]}：", "", intro, ""]
    lines += record_lines(record)
    lines += ["", "确认或更正：", f"  complaint-triage confirm {record.reference}"
              " --by 您的姓名 [--level 1|2|3] [--client 客户名称]"]
    return subject, "\n".join(lines)


def escalation_notice(
    record: ComplaintRecord, audience: str, previous: int | None, why: str
) -> tuple[str, str]:
    """A record raised to a higher level after a follow-up or a group effect."""
    before = LEVEL_TEXT.get(previous, "非投诉") if previous else "非投诉"
    subject = f"【投诉升级】{record.reference} 由{before}升为{LEVEL_TEXT[record.level]}"
    lines = [f"{AUDIENCE_TEXT[audience]}：", "", f"升级原因：{why}", ""]
    lines += record_lines(record)
    return subject, "\n".join(lines)


def group_notice(
    group: ComplaintGroup, audience: str, why: str,
    members: list[ComplaintRecord], previous: dict[str, int | None],
) -> tuple[str, str]:
    """群体效应: one notice for a whole group of records raised to 三级.

    `previous` maps a member's reference to its level before the group, or
    None when it was 三级 already.
    """
    subject = (f"【三级 特大投诉·群体效应】{group.industry}客户 {len(members)}件"
               f"同类投诉（{group.issue_type}）")
    action = (
        "按本所应急预案，请应急领导小组于30分钟内召开紧急会议，"
        "组织内部专家复核，并由本所负责人联系各客户最高决策人。"
        if audience == "leadership"
        else "以下登记表均已升为三级 特大投诉，请按三级时限处理，并配合应急领导小组。"
    )
    lines = [f"{AUDIENCE_TEXT[audience]}：", "", f"{why}。", action, "",
             f"群体效应：{group.industry}客户 · {group.issue_type} · "
             f"自 {local(group.window_start)} 起", f"涉及投诉 {len(members)} 件："]
    for n, record in enumerate(members, 1):
        before = previous.get(record.reference)
        change = f"由{LEVEL_TEXT[before]}升为三级" if before else "原已为三级"
        lines += [
            f"  {n}. {record.reference} {record.client_name or '客户名称待核实'}"
            f"（{change}，{STATUS_TEXT.get(record.status, '').split('（')[0]}）",
            f"     投诉时间：{local(record.received_at)}；邮件主题：{record.subject}",
            f"     投诉类型依据：{issue_text(record)}",
        ]
    lines += ["", "查看各登记表：complaint-triage show 登记编号"]
    return subject, "\n".join(lines)


def issue_text(record: ComplaintRecord) -> str:
    """投诉类型 with the words it was recognised by."""
    if not record.issue_type:
        return "未分类"
    words = "、".join(f"“{w}”" for w in (record.issue_words or [])[:4])
    return f"{record.issue_type}（原文：{words}）" if words else record.issue_type


def record_lines(record: ComplaintRecord, deadlines: bool = True) -> list[str]:
    """The fields of the 登记表, one per line; `deadlines` adds the clocks."""
    lines = [
        f"登记编号：{record.reference}",
        f"状态：{STATUS_TEXT.get(record.status, record.status)}",
        _level_line(record),
        "分级理由：",
    ]
    lines += [f"  {n}. {reason}" for n, reason in enumerate(record.reasons, 1)]
    lines += [
        f"客户名称：{record.client_name or '待核实'}",
        f"客户行业：{record.industry or '未能判断'}",
        f"投诉类型：{issue_text(record)}",
        f"投诉人姓名：{record.complainant_name or '待核实'}",
        f"职务：{record.complainant_title or '未注明'}",
        f"联系方式：电话 {record.complainant_phone or '未注明'}；"
        f"邮箱 {record.complainant_email or '未注明'}",
        f"投诉渠道：电子邮件（{record.channel}）",
        f"投诉时间：{local(record.received_at)}（北京时间）",
        f"邮件主题：{record.subject}",
        "投诉事项描述：",
    ]
    lines += [f"  {line}" for line in record.description.splitlines() if line.strip()]
    lines.append("客户明确诉求：")
    lines += [f"  - {d}" for d in record.demands] or ["  （邮件中未明确提出）"]
    lines.append(f"是否已向其他部门反映过：{_yes_no(record.reported_elsewhere)}")
    lines += figure_lines(record.figures or {})
    if deadlines:
        lines.append("处理时限（按本所应急预案）：")
        lines += [
            f"  - {d.label}：{local(d.due_at)} 前" for d in record.deadlines
        ] or ["  （无）"]
    return lines


def figure_lines(figures: dict) -> list[str]:
    lines = ["涉及数据："]
    amounts = [
        f"{a['text']}（{ROLE_TEXT.get(a.get('role'), '其他')}）"
        for a in figures.get("amounts", [])
    ]
    entries = [
        ("金额", "；".join(amounts)),
        ("报告页码", "、".join(f"第{p}页" for p in figures.get("pages", []))),
        ("数据项目", "、".join(figures.get("data_items", []))),
        ("客户提出的时限", "；".join(figures.get("deadlines", []))),
        ("百分比", "、".join(f"{p:g}%" for p in figures.get("percentages", []))),
    ]
    lines += [f"  {name}：{value}" for name, value in entries if value]
    return lines if len(lines) > 1 else ["涉及数据：（未提取到金额、页码或数据项目）"]


def acknowledgement(
    record: ComplaintRecord, firm_name: str, reply_by: datetime
) -> tuple[str, str]:
    """即时反馈承诺: the client's receipt, with the reference and when we reply."""
    subject = f"【投诉受理回执】您的投诉已收到（编号 {record.reference}）"
    name = f"{record.complainant_name}女士/先生" if record.complainant_name else "客户"
    body = "\n".join([
        f"尊敬的{name}：",
        "",
        f"您好！{firm_name}已于 {local(record.received_at)}（北京时间）收到您的来信，"
        f"并已登记为客户投诉，登记编号为 {record.reference}。",
        f"我所客户服务负责人将于 {local(reply_by)} 前与您联系，说明处理安排。",
        "如需补充说明或材料，请直接回复本邮件，并保留主题中的登记编号，"
        "以便我们将其归入同一投诉记录。",
        "",
        "感谢您的信任与监督。",
        "",
        f"{firm_name} 客户投诉受理",
        "（本邮件由系统自动发送）",
        "",
        f"We have received your complaint (reference {record.reference}) and will "
        f"contact you before {local(reply_by)} (Beijing time). Please keep the "
        "reference in the subject when you reply.",
    ])
    return subject, body


STATUS_TEXT = {
    "draft": "草稿（待应急执行小组确认）",
    "confirmed": "已确认",
    "in_review": "内部复核中",
    "resolved": "已解决",
    "archived": "已归档",
}


def _yes_no(value: bool | None) -> str:
    return {True: "是", False: "否"}.get(value, "邮件中未说明")


# -- deadlines, reminders and the whole record --------------------------------

CLOSED_STATUSES = ("resolved", "archived")
NOTICE_TEXT = {
    "draft": "登记表草稿", "escalation": "投诉升级", "acknowledgement": "受理回执",
    "reminder": "时限提醒", "overdue": "超时提醒",
    "group": "群体效应通知", "quarantine": "隔离通知", "reminder_digest": "时限提醒汇总",
}
DELIVERY_TEXT = {
    "pending": "待发送", "sent": "已发送", "failed": "发送失败", "cancelled": "已取消",
    "digested": "已并入汇总提醒",
}
MESSAGE_TEXT = {"record": "首封投诉", "followup": "后续来信"}


def span(delta: timedelta) -> str:
    """A duration as 2天3小时5分钟, to the minute."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "不到1分钟"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "天"), (hours, "小时"), (minutes, "分钟")]
    return "".join(f"{n}{unit}" for n, unit in parts if n)


def is_overdue(record: ComplaintRecord, deadline: Deadline, now: datetime) -> bool:
    """Unmet, past due, and the record still open."""
    return (deadline.met_at is None and deadline.due_at <= now
            and record.status not in CLOSED_STATUSES)


def deadline_state(record: ComplaintRecord, deadline: Deadline, now: datetime) -> str:
    """已完成, 已超时 or the time left on one clock."""
    if deadline.met_at is not None:
        late = "（超时完成）" if deadline.met_at > deadline.due_at else ""
        return f"已完成 {local(deadline.met_at)}{late}"
    if record.status in CLOSED_STATUSES:
        return "未登记完成"
    if is_overdue(record, deadline, now):
        return f"已超时 {span(now - deadline.due_at)}"
    return f"剩余 {span(deadline.due_at - now)}"


def deadline_reminder(
    record: ComplaintRecord, deadline: Deadline, audience: str, overdue: bool,
    now: datetime,
) -> tuple[str, str]:
    """时限提醒 before a clock of the plan runs out, 超时提醒 once it has."""
    level, due = LEVEL_TEXT[record.level], local(deadline.due_at)
    client = record.client_name or "客户名称待核实"
    if overdue:
        subject = f"【已超时】{record.reference} {deadline.label} — {client}"
        state = (f"已于 {due}（北京时间）到期，至今未登记完成，"
                 f"已超时{span(now - deadline.due_at)}。")
    else:
        subject = f"【时限提醒】{record.reference} {deadline.label} 将于 {due} 到期"
        state = f"将于 {due}（北京时间）到期，剩余{span(deadline.due_at - now)}。"
    status = STATUS_TEXT[record.status].split("（")[0]
    lines = [
        f"{AUDIENCE_TEXT[audience]}：", "",
        (f"客户投诉登记表 {record.reference}（{level}，{status}）"
         f"的处理时限「{deadline.label}」{state}"),
    ]
    if audience != deadline.audience:
        lines.append(f"该时限由{AUDIENCE_TEXT[deadline.audience]}负责；{level}超时，"
                     f"按本所应急预案同时报{AUDIENCE_TEXT[audience]}。")
    lines += [
        "",
        f"客户名称：{client}",
        (f"投诉人：{record.complainant_name or '待核实'}"
         f"（{record.complainant_title or '职务未注明'}）"),
        f"投诉时间：{local(record.received_at)}（北京时间）",
        f"邮件主题：{record.subject}",
        "",
        "全部处理时限：",
    ]
    lines += [f"  - {d.label}：{local(d.due_at)} 前 — {deadline_state(record, d, now)}"
              for d in record.deadlines]
    command = f"  complaint-triage {{}} {record.reference} {{}} --by 您的姓名"
    lines += ["", "完成后请登记：", command.format("met", deadline.name)]
    following = _next_status(record.status)
    if following:
        step = STATUS_TEXT[following].split("（")[0]
        lines += [f"当前状态为「{status}」，推进到下一步「{step}」：",
                  command.format("status", following)]
    lines += ["查看完整登记表及处理记录：",
              f"  complaint-triage show {record.reference}"]
    return subject, "\n".join(lines)


def reminder_digest(
    due: list[tuple[Deadline, bool]], audience: str, now: datetime
) -> tuple[str, str]:
    """时限提醒汇总: many clocks due at once (after a holiday, or on the first
    start over older records) in one mail rather than one mail each."""
    due = sorted(due, key=lambda item: item[0].due_at)
    late = sum(overdue for _, overdue in due)
    subject = (f"【时限提醒汇总】{len(due)} 项处理时限"
               + (f"，其中 {late} 项已超时" if late else "即将到期"))
    lines = [f"{AUDIENCE_TEXT[audience]}：", "",
             f"以下 {len(due)} 项处理时限已超时或即将到期，按到期时间排列：", ""]
    for deadline, overdue in due:
        record = deadline.record
        state = (f"已超时{span(now - deadline.due_at)}" if overdue
                 else f"剩余{span(deadline.due_at - now)}")
        lines.append(
            f"  - {record.reference}（{LEVEL_TEXT[record.level].split()[0]}，"
            f"{record.client_name or '客户名称待核实'}）「{deadline.label}」"
            f"（{deadline.name}）{local(deadline.due_at)} 前 — {state}")
    lines += ["", "逐项完成后请登记：",
              "  complaint-triage met 登记表编号 时限代号（括号内） --by 您的姓名",
              "查看某一登记表的全部时限及处理记录：",
              "  complaint-triage show 登记表编号"]
    return subject, "\n".join(lines)


def record_sheet(record: ComplaintRecord, now: datetime) -> list[str]:
    """The whole 登记表 with its mail, clocks, status history and notifications."""
    lines = [f"客户投诉登记表 {record.reference}", ""]
    lines += record_lines(record, deadlines=False)
    lines += ["", "处理时限（按本所应急预案）："]
    lines += [
        f"  - {d.label}（{d.name}）：{local(d.due_at)} 前 — "
        f"{deadline_state(record, d, now)}"
        for d in record.deadlines
    ] or ["  （无）"]
    lines += ["", f"往来邮件（{len(record.messages)} 封）："]
    mail = [line for m in record.messages for line in _message_lines(m)]
    lines += mail or ["  （无）"]
    lines += ["", "状态记录："]
    lines += [_change_line(c) for c in record.history] or ["  （无）"]
    lines += ["", f"通知记录（{len(record.notifications)} 条）："]
    lines += [_notification_line(n) for n in record.notifications] or ["  （无）"]
    return lines


def _next_status(status: str) -> str | None:
    index = STATUSES.index(status) + 1
    return STATUSES[index] if index < len(STATUSES) else None


def _message_lines(message: InboundMessage) -> list[str]:
    kind = MESSAGE_TEXT.get(message.outcome, message.outcome)
    return [
        (f"  - {local(message.received_at)} {kind} {message.sender or '发件人未知'}："
         f"{message.subject or '（无主题）'}"),
        f"    Message-ID: {message.message_id}",
    ]


def _change_line(change: StatusChange) -> str:
    def name(status: str | None) -> str:
        return STATUS_TEXT.get(status, status or "").split("（")[0]

    if change.from_status is None:
        step = f"登记为「{name(change.to_status)}」"
    elif change.from_status != change.to_status:
        step = f"「{name(change.from_status)}」→「{name(change.to_status)}」"
    else:
        step = ""
    text = "；".join(filter(None, [step, change.note]))
    return f"  - {local(change.at)} {change.actor}：{text}"


def _notification_line(notification: Notification) -> str:
    n = notification
    kind = NOTICE_TEXT.get(n.kind, n.kind)
    audience = AUDIENCE_TEXT.get(n.audience, "客户")
    state = DELIVERY_TEXT.get(n.status, n.status)
    if n.status not in ("sent", "digested") and n.last_error:
        state += f"（已尝试{n.attempts}次：{n.last_error}）"
    return (f"  - {local(n.sent_at or n.created_at)} {kind} → {audience} {n.target}："
            f"{state}\n    主题：{n.subject}")


def quarantine_notice(message) -> tuple[str, str]:
    """Mail the triage could not read: kept whole, a person must look at it."""
    subject = f"【邮件无法自动分拣·已隔离】{message.subject or '（无主题或无法解码）'}"
    body = "\n".join([
        "应急执行小组：",
        "",
        "投诉邮箱收到一封系统无法自动分拣的邮件。原始邮件已完整保存，"
        "请人工查看是否为客户投诉；如是，请按首问负责制在30分钟内处理。",
        "",
        f"邮件编号（Message-ID）：{message.message_id}",
        f"发件人：{message.sender or '无法识别'}",
        f"收到时间：{local(message.received_at)}（北京时间）",
        f"来源：{message.source}",
        f"隔离原因（系统记录）：{message.reason}",
        "",
        "查看隔离邮件：complaint-triage messages --outcome quarantined",
    ])
    return subject, body


def _level_line(record: ComplaintRecord) -> str:
    """The draft's proposal with the classifier's confidence; after a person
    confirmed it, the confirmed level alone."""
    if record.status == "draft":
        return f"建议级别：{LEVEL_TEXT[record.level]}（置信度 {record.confidence:.2f}）"
    return f"确认级别：{LEVEL_TEXT[record.level]}"
