"""Figures a complaint quotes: amounts and their roles, pages, deadlines."""

import pytest

from classifiers.figures import (
    AT_STAKE_ROLES,
    DATA_ITEMS_FILE,
    Amount,
    Figures,
    extract_figures,
    load_data_items,
)
from classifiers.text import normalise


def amounts(text: str) -> list[tuple[float, str]]:
    return [(a.value, a.currency) for a in extract_figures(normalise(text)).amounts]


def only_amount(text: str) -> Amount:
    found = extract_figures(normalise(text)).amounts
    assert len(found) == 1, found
    return found[0]


# --- Amounts: values and currencies ---------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("合计5,600万元", 56_000_000.0, "CNY"),
        ("金额¥1,234,567.89", 1_234_567.89, "CNY"),
        ("金额￥1,234,567.89", 1_234_567.89, "CNY"),
        ("RMB 3,000,000", 3_000_000.0, "CNY"),
        ("RMB3,000,000", 3_000_000.0, "CNY"),
        ("CNY 800,000", 800_000.0, "CNY"),
        ("人民币：350万元", 3_500_000.0, "CNY"),
        ("叁佰伍拾万元整", 3_500_000.0, "CNY"),
        ("伍仟万元整", 50_000_000.0, "CNY"),
        ("壹拾贰万叁仟肆佰伍拾陆元柒角捌分", 123_456.78, "CNY"),
        ("两千万", 20_000_000.0, "CNY"),
        ("三千万元", 30_000_000.0, "CNY"),
        ("十五万元", 150_000.0, "CNY"),
        ("一亿二千万元", 120_000_000.0, "CNY"),
        ("1.2亿", 120_000_000.0, "CNY"),
        ("2.5万元", 25_000.0, "CNY"),
        ("500千元", 500_000.0, "CNY"),
        ("3千万元", 30_000_000.0, "CNY"),
        ("5000 元", 5_000.0, "CNY"),
        ("12,345,678.90元", 12_345_678.9, "CNY"),
        ("港币100万元", 1_000_000.0, "HKD"),
        ("100万港元", 1_000_000.0, "HKD"),
        ("HK$2.3m", 2_300_000.0, "HKD"),
        ("HKD 500,000", 500_000.0, "HKD"),
        ("30万美元", 300_000.0, "USD"),
        ("US$120,000", 120_000.0, "USD"),
        ("USD 1.5 million", 1_500_000.0, "USD"),
        ("2 million US dollars", 2_000_000.0, "USD"),
        ("50万欧元", 500_000.0, "EUR"),
        ("新台币100万元", 1_000_000.0, "TWD"),
        ("NT$500,000", 500_000.0, "TWD"),
        ("300万日元", 3_000_000.0, "JPY"),
        ("GBP 20,000", 20_000.0, "GBP"),
        ("80万澳门元", 800_000.0, "MOP"),
        ("RMB 3 million", 3_000_000.0, "CNY"),
        ("RMB 1.2 billion", 1_200_000_000.0, "CNY"),
        ("3 million yuan", 3_000_000.0, "CNY"),
    ],
)
def test_amount_written_form_gives_value_and_currency(text, value, currency):
    amount = only_amount(text)
    assert (amount.value, amount.currency) == (value, currency)


def test_traditional_and_fullwidth_amount_reads_after_normalise():
    assert amounts("損失達５，６００萬元") == [(56_000_000.0, "CNY")]


def test_amount_text_is_as_written_with_currency_prefix():
    assert only_amount("要求赔偿人民币5,600万元。").text == "人民币5,600万元"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("多计提了人民币\n6,320,000.00\n元，", "人民币 6,320,000.00 元"),
        ("差异（元）\n6,320,000.00\n元", "6,320,000.00 元"),
        ("多计了人民币\r\n6,320,000.00\r\n元", "人民币 6,320,000.00 元"),
        ("損失港幣\n8,600,000\n元", "港币 8,600,000 元"),
    ],
)
def test_amount_text_from_a_table_has_its_white_space_collapsed(text, written):
    amount = only_amount(text)
    assert amount.text == written
    assert "\n" not in amount.text and "  " not in amount.text


def test_currency_on_the_line_before_the_number_is_kept():
    amount = only_amount("损失港币\n8,600,000\n元")
    assert (amount.value, amount.currency) == (8_600_000.0, "HKD")


@pytest.mark.parametrize(
    "text",
    [
        "2025年的审计报告",
        "12月10日之前",
        "2025-12-10",
        "报告第15页",
        "请致电13900001616",
        "电话010-12345678",
        "已经15天了",
        "共有3家子公司",
        "第3季度",
        "一万个理由",
        "三万人参加",
        "3万字的报告",
        "万一出错",
        "十分不满",
        "几十万元",
        "增长了15%",
        "P15",
        "5千",
        "3 million people",
    ],
)
def test_non_money_number_is_not_an_amount(text):
    assert amounts(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("伍仟万元整（5,000万元）", [(50_000_000.0, "CNY")]),
        ("人民币叁佰伍拾万元整（¥3,500,000.00）", [(3_500_000.0, "CNY")]),
        ("损失500万元，再次强调是500万元", [(5_000_000.0, "CNY")]),
        ("500万元和500万港元", [(5_000_000.0, "CNY"), (5_000_000.0, "HKD")]),
    ],
)
def test_same_value_written_twice_is_one_amount(text, expected):
    assert amounts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("损失100-200万元", [1_000_000.0, 2_000_000.0]),
        ("损失100~200万元", [1_000_000.0, 2_000_000.0]),
        ("损失100万至200万元", [1_000_000.0, 2_000_000.0]),
        ("损失100万元到200万元", [1_000_000.0, 2_000_000.0]),
        ("罚款1-2亿元", [100_000_000.0, 200_000_000.0]),
        ("USD 1-2 million", [1_000_000.0, 2_000_000.0]),
    ],
)
def test_range_gives_both_ends(text, expected):
    assert [value for value, _ in amounts(text)] == expected


def test_range_ends_share_the_range_text():
    found = extract_figures("损失100-200万元").amounts
    assert {a.text for a in found} == {"100-200万元"}


@pytest.mark.parametrize(
    ("text", "approximate"),
    [
        ("约500万元", True),
        ("大约500万元", True),
        ("逾500万元", True),
        ("近500万元", True),
        ("超过500万元", True),
        ("100多万元", True),
        ("300余万元", True),
        ("三百多万", True),
        ("500万元左右", True),
        ("人民币约500万元", True),
        ("about USD 2 million", True),
        ("500万元", False),
        ("人民币500万元整", False),
    ],
)
def test_approximate_marker_sets_approximate(text, approximate):
    assert only_amount(text).approximate is approximate


def test_approximate_amount_keeps_its_value():
    assert only_amount("逾5,000万元").value == 50_000_000.0


# --- Amounts: roles --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("我司要求贵所赔偿500万元。", "claim"),
        ("我们将索赔人民币5,000万元。", "claim"),
        ("要求赔付300万元", "claim"),
        ("赔偿金额不低于800万元", "claim"),
        ("要求赔偿我司损失人民币500万元", "claim"),
        ("We claim compensation of USD 2 million.", "claim"),
        ("给我司造成经济损失约600万元。", "loss"),
        ("我们损失了200万元", "loss"),
        ("造成300万元的损失", "loss"),
        ("The error caused losses of RMB 3 million.", "loss"),
        ("我司被证监局处以罚款50万元。", "penalty"),
        ("被税务局罚款20万元", "penalty"),
        ("罚金10万元", "penalty"),
        ("We were fined HKD 500,000.", "penalty"),
        ("审计费30万元太高", "fee"),
        ("要求退还审计费用15万元", "fee"),
        ("审计费30万元，要求减免", "fee"),
        ("Please refund the fee of HK$120,000.", "fee"),
        ("存货存在重大错报，金额约2,000万元。", "misstatement"),
        ("应收账款少计800万元", "misstatement"),
        ("管理费用多计300万元", "misstatement"),
        ("资产减值损失少计200万元", "misstatement"),
        ("审计调整金额1,200万元", "misstatement"),
        ("两者差异达600万元", "misstatement"),
        ("收入实际应为5,000万元", "misstatement"),
        ("报告第5页营业收入为12,345,678.90元", "report_figure"),
        ("金额大写写成了壹佰万元", "report_figure"),
        ("注册资本5000万元", "report_figure"),
        ("应收账款列示为500万元", "report_figure"),
        ("我司营业额超过10亿元", "other"),
        ("合同金额80万元", "other"),
    ],
)
def test_words_around_amount_give_its_role(text, role):
    assert only_amount(text).role == role


@pytest.mark.parametrize(
    "text",
    [
        "报告第5页利润表中营业收入12,345,678.90元，小数点位置错误，请更正。",
        "第5页营业收入应为12,345,678.90元，却写成了1,234,567.89元。",
        "营业收入12,345,678.90元的小数点点错了。",
        "利润表营业收入金额错误：12,345,678.90元写成了123,456,789.0元。",
    ],
)
def test_typo_complaint_quotes_report_figures_not_at_stake(text):
    figures = extract_figures(text)
    assert figures.amounts
    assert {a.role for a in figures.amounts} == {"report_figure"}
    assert figures.largest_at_stake({"CNY": 1.0}) == 0.0


def test_should_be_versus_actual_marks_both_figures_misstatement():
    text = "营业收入应为5,000万元，实际确认了3,000万元。"
    assert [a.role for a in extract_figures(text).amounts] == ["misstatement"] * 2


def test_penalty_beside_typo_stays_at_stake():
    text = "因报告把营业收入写成了1,234,567.89元，我司被处以罚款50万元。"
    roles = {a.value: a.role for a in extract_figures(text).amounts}
    assert roles == {1_234_567.89: "report_figure", 500_000.0: "penalty"}


def test_each_amount_in_a_sentence_takes_its_nearest_role():
    text = "损失100万元，罚款50万元，审计费20万元。"
    roles = [a.role for a in extract_figures(text).amounts]
    assert roles == ["loss", "penalty", "fee"]


@pytest.mark.parametrize(
    ("role", "at_stake"),
    [(role, True) for role in sorted(AT_STAKE_ROLES)]
    + [("report_figure", False), ("other", False)],
)
def test_role_decides_at_stake(role, at_stake):
    assert Amount("1元", 1.0, "CNY", role).at_stake is at_stake


# --- largest_at_stake --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rates", "expected"),
    [
        ("索赔500万元，罚款800万元。", {"CNY": 1.0}, 8_000_000.0),
        ("索赔100万美元。", {"CNY": 1.0, "USD": 7.0}, 7_000_000.0),
        ("注册资本1亿元，报告有错别字。", {"CNY": 1.0}, 0.0),
        ("没有金额。", {"CNY": 1.0}, 0.0),
        ("索赔100万元。", {}, 1_000_000.0),
    ],
)
def test_largest_at_stake_converts_to_cny(text, rates, expected):
    assert extract_figures(text).largest_at_stake(rates) == pytest.approx(expected)


def test_largest_at_stake_falls_back_to_default_rate_for_unlisted_currency():
    found = extract_figures("损失100万澳门元。")
    assert 0 < found.largest_at_stake({"CNY": 1.0}) < 1_000_000.0


# --- Percentages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("毛利率下降15%", [15.0]),
        ("毛利率下降１５％", [15.0]),
        ("增长3.5%", [3.5]),
        ("百分之十五", [15.0]),
        ("百分之三点五", [3.5]),
        ("10-20%", [10.0, 20.0]),
        ("10%-20%", [10.0, 20.0]),
        ("a 12 percent drop", [12.0]),
        ("没有百分比", []),
    ],
)
def test_percentage_is_kept_apart(text, expected):
    figures = extract_figures(normalise(text))
    assert figures.percentages == expected
    assert figures.amounts == []


# --- Pages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第5页", [5]),
        ("第 5 页", [5]),
        ("第５页", [5]),
        ("P15", [15]),
        ("p.15", [15]),
        ("P. 15", [15]),
        ("page 15", [15]),
        ("Page 15 and 16", [15, 16]),
        ("pages 3-5", [3, 4, 5]),
        ("pp. 12-14 and 20", [12, 13, 14, 20]),
        ("第14页和第15页", [14, 15]),
        ("第14、15页", [14, 15]),
        ("第3-5页", [3, 4, 5]),
        ("第3至5页", [3, 4, 5]),
        ("第3页到第8页", [3, 4, 5, 6, 7, 8]),
        ("第3页至8页", [3, 4, 5, 6, 7, 8]),
        ("第三页", [3]),
        ("第十二页", [12]),
        ("第二十三页", [23]),
        ("第5页和第5页", [5]),
        ("第3季度", []),
        ("第2次", []),
        ("共30页", []),
        ("MP3 p2p", []),
        ("第1-1000页", [1, 1000]),
    ],
)
def test_page_reference_gives_every_page(text, expected):
    assert extract_figures(normalise(text)).pages == expected


# --- Deadlines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("请明天中午前回复", "明天中午前"),
        ("请在3小时内更正", "3小时内"),
        ("三个工作日内给出方案", "三个工作日内"),
        ("24小时之内", "24小时之内"),
        ("本周五前", "本周五前"),
        ("周五之前", "周五之前"),
        ("12月10日前", "12月10日前"),
        ("2025年12月10日之前", "2025年12月10日之前"),
        ("月底前", "月底前"),
        ("今天下班前", "今天下班前"),
        ("下午5点前", "下午5点前"),
        ("明天上午10点前", "明天上午10点前"),
        ("今天之内", "今天之内"),
        ("最迟12月10日", "最迟12月10日"),
        ("不晚于本周五", "不晚于本周五"),
        ("within 3 working days", "within 3 working days"),
        ("reply by Friday", "by Friday"),
        ("by end of the week", "by end of the week"),
        ("no later than 10 December", "no later than 10 December"),
    ],
)
def test_client_named_deadline_is_kept_as_written(text, deadline):
    assert extract_figures(normalise(text)).deadlines == [deadline]


@pytest.mark.parametrize(
    "text",
    [
        "请尽快处理",
        "立即更正",
        "3天前我们发过邮件",
        "12月10日前后",
        "as soon as possible",
    ],
)
def test_vague_or_past_time_is_not_a_deadline(text):
    assert extract_figures(text).deadlines == []


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("我们要求贵所在本周五（3月6日）下班前出具正式报告", "本周五（3月6日）下班前"),
        ("請於下週一（3月9日）上午10點前回覆", "下周一（3月9日）上午10点前"),
        ("请于3月6日（周五）中午前回复", "3月6日（周五）中午前"),
        ("请在周五(3月6日)之前答复", "周五(3月6日)之前"),
        ("请于下周一（即3月9日）中午前回复", "下周一（即3月9日）中午前"),
        ("请3月底前完成更正", "3月底前"),
        ("最迟本周五（3月6日）下午5点", "最迟本周五（3月6日）下午5点"),
    ],
)
def test_deadline_with_the_date_in_brackets_is_kept_whole(text, deadline):
    assert extract_figures(normalise(text)).deadlines == [deadline]


@pytest.mark.parametrize(
    ("text", "deadlines"),
    [
        (
            "贵所承诺2月底前出具审计报告，到今天已经拖了一周。请本周五前出具。",
            ["本周五前"],
        ),
        ("貴所承諾2月底前出具2025年度審計報告，至今未出。", []),
        ("合同约定2月28日前出具审计报告，至今仍未定稿。", []),
        ("项目组之前答应我们在2月底前给出结果，请务必在3月5日前给出。", ["3月5日前"]),
        ("我们早在1月15日前就已提交全部资料。", []),
        ("请贵所书面承诺3月6日前出具正式报告。", ["3月6日前"]),
    ],
)
def test_the_firms_own_promise_is_not_a_client_deadline(text, deadlines):
    assert extract_figures(normalise(text)).deadlines == deadlines


# --- Data items ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("应收账款账龄划分错误", ["应收账款", "账龄"]),
        ("存货跌价准备计提不足", ["存货跌价准备"]),
        ("营业收入和净利润都不对", ["营业收入", "净利润"]),
        ("关联交易未在附注中披露", ["关联交易", "附注"]),
        ("现金流量表与资产负债表不一致", ["现金流量表", "资产负债表"]),
        ("商誉减值准备", ["商誉", "减值准备"]),
        ("应收账款，应收账款", ["应收账款"]),
        ("Revenue recognition and goodwill", ["revenue recognition", "goodwill"]),
        ("没有数据项", []),
    ],
)
def test_data_items_come_from_the_list(text, expected):
    assert extract_figures(text).data_items == expected


def test_data_item_list_file_has_no_blank_or_comment_terms():
    terms = load_data_items(DATA_ITEMS_FILE)
    assert "应收账款" in terms
    assert all(t and not t.startswith("#") for t in terms)


def test_data_item_list_can_be_extended_from_another_file(tmp_path):
    extra = tmp_path / "items.txt"
    extra.write_text("# staff list\n\n特殊科目\n", encoding="utf-8")
    assert load_data_items(extra) == ("特殊科目",)


# --- Shape -------------------------------------------------------------------------


def test_to_dict_has_contract_shape():
    figures = extract_figures(
        "第5页营业收入写错，要求赔偿50万元，请3小时内回复，占比15%"
    )
    assert figures.to_dict() == {
        "amounts": [
            {"text": "50万元", "value": 500_000.0, "currency": "CNY", "role": "claim"}
        ],
        "pages": [5],
        "deadlines": ["3小时内"],
        "data_items": ["营业收入"],
        "percentages": [15.0],
    }


def test_empty_text_gives_empty_figures():
    assert extract_figures("") == Figures()
