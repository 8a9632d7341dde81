"""What the firm's people and its clients read, in Simplified Chinese.

Each function takes a stored record and returns (subject, body) as plain
text, suitable for email and for group bots alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from models.schema import ComplaintRecord

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


def record_lines(record: ComplaintRecord) -> list[str]:
    """The fields of the 登记表, one per line."""
    lines = [
        f"登记编号：{record.reference}",
        f"状态：{STATUS_TEXT.get(record.status, record.status)}",
        f"建议级别：{LEVEL_TEXT[record.level]}（置信度 {record.confidence:.2f}）",
        "分级理由：",
    ]
    lines += [f"  {n}. {reason}" for n, reason in enumerate(record.reasons, 1)]
    lines += [
        f"客户名称：{record.client_name or '待核实'}",
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
    name = record.complainant_name or "客户"
    body = "\n".join([
        f"尊敬的{name}：",
        "",
        f"您好！{firm_name}已于 {local(record.received_at)}（北京时间）收到您的来信，"
        f"并已登记为客户投诉，登记编号为 {record.reference}。",
        f"我所应急执行小组将于 {local(reply_by)} 前与您联系，说明处理安排。",
        "如需补充说明或材料，请直接回复本邮件，并保留主题中的登记编号，"
        "以便我们将其归入同一投诉记录。",
        "",
        "感谢您的信任与监督。",
        "",
        f"{firm_name} 客户投诉受理",
        "（本邮件由系统自动发送）",
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
