"""New text versus quoted history, and the original inside a forward."""

import pytest

from pipeline import quoting

QQ_FORWARD = """麻烦执行小组看一下。

------------------ 原始邮件 ------------------
发件人: "张三" <zhangsan@client.example.cn>;
发送时间: 2026年12月1日(星期二) 上午9:30
收件人: "前台" <front@firm.example>;
主题: 报告有错

报告第3页公司名称写错了，请更正。
"""

OUTLOOK_REPLY = """第二次修改后还是不对，请再核对。

发件人: 李经理 <li@firm.example>
发送时间: 2026年12月2日 10:00
收件人: 王五
主题: 答复: 报告修改

王总您好，报告已按您的意见修改。
"""


def test_qq_forward_yields_original_sender_and_text():
    new, history = quoting.split_history(QQ_FORWARD)
    original = quoting.parse_inline_original(history)
    assert new == "麻烦执行小组看一下。"
    assert original.sender_address == "zhangsan@client.example.cn"
    assert original.sender_name == "张三"
    assert original.subject == "报告有错"
    assert original.text == "报告第3页公司名称写错了，请更正。"


def test_outlook_reply_history_is_not_new_text():
    assert quoting.new_text(OUTLOOK_REPLY) == "第二次修改后还是不对，请再核对。"


@pytest.mark.parametrize("intro", [
    "在 2026年12月1日 09:30，李经理 <li@firm.example> 写道：",
    "On Tue, Dec 1, 2026 at 9:30 AM Li <li@firm.example> wrote:",
])
def test_reply_intro_line_starts_history(intro):
    text = f"仍然有错。\n\n{intro}\n> 已修改，请查收。\n"
    assert quoting.new_text(text) == "仍然有错。"


def test_angle_quoted_lines_are_dropped():
    assert quoting.new_text("请更正第5页。\n> 旧内容\n> 更旧") == "请更正第5页。"


@pytest.mark.parametrize("subject, expected", [
    ("FW: 严重投诉", True), ("Fwd: x", True), ("转发：客户来信", True),
    ("回复：报告", False), ("关于FW的问题", False),
])
def test_forward_subject_prefixes(subject, expected):
    assert quoting.is_forward_subject(subject) is expected
