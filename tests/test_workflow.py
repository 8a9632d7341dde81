"""The status workflow: one step at a time, who and when, and the clocks it meets."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fixtures.pipelines import EXECUTION, LEADERSHIP

from models import store
from models.schema import STATUSES
from pipeline import cli
from pipeline.errors import TriageError
from pipeline.review import (
    WorkflowError,
    confirm_record,
    meet_clock,
    move_record,
)
from pipeline.sources import iter_path

SAMPLES = Path(__file__).parent.parent / "samples" / "mailbox"
TYPO = "01-typo-page-gb2312.eml"  # 一级
CONFIRMATIONS = "03-missing-confirmations-gb18030.eml"  # 二级
STEPS = STATUSES[1:]


def open_record(pipeline, sample=TYPO):
    item = next(iter_path(SAMPLES / sample))
    return pipeline.ingest(item.raw, item.source).reference


def history(pipeline, reference):
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        return [(c.from_status, c.to_status, c.actor, c.note, c.at)
                for c in record.history]


def met(pipeline, reference):
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        return {d.name for d in record.deadlines if d.met_at is not None}


def test_each_step_is_recorded_with_actor_and_time(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    reference = open_record(pipeline)
    before = datetime.now(UTC)

    for step, actor in zip(STEPS, ("张三", "李四", "王五", "赵六"), strict=False):
        move_record(pipeline, reference, step, actor, note=f"{step} 备注")

    changes = history(pipeline, reference)
    assert [(c[0], c[1], c[2]) for c in changes] == [
        (None, "draft", "system"),
        ("draft", "confirmed", "张三"),
        ("confirmed", "in_review", "李四"),
        ("in_review", "resolved", "王五"),
        ("resolved", "archived", "赵六"),
    ]
    times = [c[4] for c in changes[1:]]
    assert times == sorted(times)
    assert before - timedelta(seconds=1) <= times[0]
    assert times[-1] <= datetime.now(UTC)
    assert changes[2][3] == "in_review 备注"


@pytest.mark.parametrize(("current", "asked", "message"), [
    ("draft", "resolved", "下一步只能是「已确认」（confirmed）"),
    ("draft", "draft", "无需变更"),
    ("confirmed", "draft", "不能改为「草稿」"),
    ("archived", "resolved", "已归档的记录不能再变更状态"),
    ("draft", "closed", "没有「closed」这一状态"),
])
def test_invalid_step_is_refused_with_a_clear_error_and_nothing_recorded(
        sqlite_url, make_pipeline, current, asked, message):
    pipeline = make_pipeline(sqlite_url)
    reference = open_record(pipeline)
    for step in STATUSES[1:STATUSES.index(current) + 1]:
        move_record(pipeline, reference, step, "张三")
    recorded = history(pipeline, reference)

    with pytest.raises(WorkflowError, match=message):
        move_record(pipeline, reference, asked, "李四")

    assert history(pipeline, reference) == recorded


def test_step_without_actor_is_refused(sqlite_url, make_pipeline):
    pipeline = make_pipeline(sqlite_url)
    reference = open_record(pipeline)
    with pytest.raises(WorkflowError, match="--by"):
        move_record(pipeline, reference, "confirmed", "  ")


def test_steps_meet_the_clocks_they_imply(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    minor, major = open_record(pipeline, TYPO), open_record(pipeline, CONFIRMATIONS)

    move_record(pipeline, minor, "confirmed", "张三")
    move_record(pipeline, major, "confirmed", "张三")
    assert met(pipeline, minor) == {"to_execution", "execution_response"}
    assert met(pipeline, major) == {"to_execution"}

    move_record(pipeline, major, "in_review", "李四")
    assert met(pipeline, major) == {"to_execution", "internal_review_start"}

    move_record(pipeline, minor, "in_review", "李四")
    move_record(pipeline, minor, "resolved", "王五")
    move_record(pipeline, major, "resolved", "王五")
    assert met(pipeline, minor) == {"to_execution", "execution_response",
                                    "written_solution"}
    assert met(pipeline, major) == {"to_execution", "internal_review_start",
                                    "review_report"}


def test_a_clock_met_earlier_keeps_its_time(sqlite_url, make_pipeline):
    pipeline = make_pipeline(sqlite_url)
    reference = open_record(pipeline)
    pipeline.deliver()  # the draft reaches the execution group: to_execution met
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        first = {d.name: d.met_at for d in record.deadlines}["to_execution"]

    move_record(pipeline, reference, "confirmed", "张三")

    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        assert {d.name: d.met_at for d in record.deadlines}["to_execution"] == first


def test_confirm_raising_the_level_informs_leadership(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    reference = open_record(pipeline, TYPO)

    confirm_record(pipeline, reference, "张三", level=2)

    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        escalations = [(n.audience, n.target) for n in record.notifications
                       if n.kind == "escalation"]
        assert ("leadership", LEADERSHIP) in escalations
        assert "leadership_informed" in {d.name for d in record.deadlines}
        assert record.status == "confirmed"


def test_meet_clock_records_who_met_it_and_refuses_twice(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    reference = open_record(pipeline, "07-lawyer-letter-docx.eml")  # 三级

    deadline = meet_clock(pipeline, reference, "emergency_meeting", "钱副总",
                          note="已召开紧急会议")

    assert deadline.met_at is not None
    last = history(pipeline, reference)[-1]
    assert last[:3] == ("draft", "draft", "钱副总")
    assert "应急领导小组紧急会议" in last[3] and "已召开紧急会议" in last[3]
    with pytest.raises(WorkflowError, match="已登记完成"):
        meet_clock(pipeline, reference, "emergency_meeting", "钱副总")
    with pytest.raises(WorkflowError, match="没有时限「review_report」"):
        meet_clock(pipeline, reference, "review_report", "钱副总")


# -- the commands ------------------------------------------------------------

@pytest.fixture
def command(sqlite_url, tmp_path, monkeypatch, capsys):
    """Run `complaint-triage ...` in-process; returns (exit code, stdout, stderr)."""
    for name, value in {
        "TRIAGE_DATABASE_URL": sqlite_url, "TRIAGE_NOTIFY_EXECUTION": EXECUTION,
        "TRIAGE_NOTIFY_LEADERSHIP": LEADERSHIP,
        "TRIAGE_NOTIFY_OUTBOX": str(tmp_path / "outbox"),
    }.items():
        monkeypatch.setenv(name, value)

    def run(*args):
        capsys.readouterr()
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_status_command_moves_the_record_and_names_the_clocks_met(
        sqlite_url, make_pipeline, command):
    reference = open_record(make_pipeline(sqlite_url))

    code, out, _ = command("status", reference, "已确认", "--by", "张三")

    assert code == 0
    assert "状态已改为「已确认」（张三）" in out
    assert "应急执行小组响应" in out
    code, out, _ = command("status", reference, "in_review", "--by", "李四",
                           "--note", "调阅底稿")
    assert code == 0 and "内部复核中" in out


def test_status_command_refuses_a_skipped_step_with_exit_code_one(
        sqlite_url, make_pipeline, command):
    reference = open_record(make_pipeline(sqlite_url))

    code, _, err = command("status", reference, "archived", "--by", "张三")

    assert code == 1
    assert "下一步只能是「已确认」" in err


def test_show_prints_the_whole_record_with_its_history(
        sqlite_url, make_pipeline, command):
    pipeline = make_pipeline(sqlite_url)
    reference = open_record(pipeline, TYPO)
    pipeline.deliver()
    move_record(pipeline, reference, "confirmed", "张三", note="已电话联系客户")

    code, out, _ = command("show", reference)

    assert code == 0
    assert f"客户投诉登记表 {reference}" in out
    assert "客户名称：浙江喆和科技股份有限公司" in out
    # The sample was received in March 2026: its written solution is long overdue.
    assert "书面解决方案（written_solution）" in out and "已超时" in out
    assert "应急执行小组响应（execution_response）" in out and "已完成" in out
    assert "首封投诉 chenrong@zhehe-tech.example.cn" in out
    assert "system：登记为「草稿」" in out
    assert "张三：「草稿」→「已确认」；已电话联系客户" in out
    assert f"登记表草稿 → 应急执行小组 {EXECUTION}：已发送" in out
    assert "受理回执 → 客户" in out


def test_show_of_unknown_reference_fails(command):
    code, _, err = command("show", "TS-2026-99999")
    assert code == 1 and "没有编号为 TS-2026-99999 的登记表" in err


def test_records_marks_overdue_only_on_open_records(
        sqlite_url, make_pipeline, command):
    pipeline = make_pipeline(sqlite_url)
    open_one, closed_one = open_record(pipeline, TYPO), open_record(
        pipeline, "02-wrong-address-gbk-8bit.eml")
    for step in STEPS[:3]:
        move_record(pipeline, closed_one, step, "张三")

    _, out, _ = command("records")

    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "【已超时】" in rows[open_one]
    assert "已超时" not in rows[closed_one]
    assert "共 1 条记录有已超时的处理时限" in out


def test_met_command_meets_a_clock(sqlite_url, make_pipeline, command):
    reference = open_record(make_pipeline(sqlite_url), TYPO)

    code, out, _ = command("met", reference, "written_solution", "--by", "张三")

    assert code == 0
    assert "时限「书面解决方案」" in out and "超时完成" in out


def test_unknown_record_is_an_error(sqlite_url, make_pipeline):
    pipeline = make_pipeline(sqlite_url)
    with pytest.raises(TriageError, match="没有编号为"):
        move_record(pipeline, "TS-2026-99999", "confirmed", "张三")


def test_non_complaint_reclassified_by_a_person_becomes_a_draft(sqlite_url,
                                                                 make_pipeline):
    from pipeline.review import reclassify_message

    pipeline = make_pipeline(sqlite_url)
    enquiry = (
        "From: =?utf-8?b?5p2O5Zub?= <lisi@client.example.cn>\r\n"
        "Message-ID: <enq-1@client.example.cn>\r\nSubject: 咨询\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "请问贵所今年的审计报告什么时候能出？谢谢。\r\n"
    ).encode()
    assert pipeline.ingest(enquiry, "t").outcome == "not_complaint"

    record = reclassify_message(pipeline, "enq-1@client.example.cn", 2, "王五")

    with pipeline.db.session() as session:
        stored = store.record_by_reference(session, record.reference)
        assert (stored.level, stored.status) == (2, "draft")
        assert stored.reasons[0] == "王五 人工改判为二级投诉"
        assert [m.message_id for m in stored.messages] == ["enq-1@client.example.cn"]
        assert {n.audience for n in stored.notifications} == {"execution", "leadership"}


def test_reclassifying_a_record_is_refused(sqlite_url, make_pipeline):
    from pipeline.review import WorkflowError, reclassify_message

    pipeline = make_pipeline(sqlite_url)
    message = next(iter_path(SAMPLES / TYPO))
    message_id = pipeline.ingest(message.raw, message.source).message_id
    with pytest.raises(WorkflowError, match="无需改判"):
        reclassify_message(pipeline, message_id, 1, "王五")
