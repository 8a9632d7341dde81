"""Registration-record fields: client, complainant, demands, raised elsewhere."""

import pytest

from classifiers.fields import (
    SENIOR_TITLES,
    Complainant,
    Fields,
    extract_fields,
    is_senior_title,
)
from classifiers.text import normalise

FIRM = ("firm.example.cn",)


def fields(text: str, sender_name=None, sender_address=None) -> Fields:
    return extract_fields(
        normalise(text),
        sender_name=sender_name,
        sender_address=sender_address,
        firm_domains=FIRM,
    )


# --- Client company ----------------------------------------------------------

SIGNED = "贵所出具的审计报告第5页有错误，请更正。\n"
EN_SIGNED = "Please correct page 5.\nRegards,\n"


@pytest.mark.parametrize(
    ("text", "client"),
    [
        (
            SIGNED + "星澜科技股份有限公司 财务总监 王某 13900001616",
            "星澜科技股份有限公司",
        ),
        (
            SIGNED + "此致\n敬礼\n王某\n财务总监\n星澜科技有限公司\n2025年12月1日",
            "星澜科技有限公司",
        ),
        (SIGNED + "远方贸易有限责任公司\n张某", "远方贸易有限责任公司"),
        (SIGNED + "明珠控股集团有限公司 董事长 李某", "明珠控股集团有限公司"),
        (SIGNED + "星澜科技（上海）有限公司 会计 赵某", "星澜科技（上海）有限公司"),
        (SIGNED + "星澜科技有限公司上海分公司 出纳 周某", "星澜科技有限公司上海分公司"),
        (SIGNED + "星瀾科技股份有限公司 財務總監 王某", "星澜科技股份有限公司"),
        (
            EN_SIGNED + "Li Wei, Finance Director, Sunrise Textiles Ltd.",
            "Sunrise Textiles Ltd.",
        ),
        (
            EN_SIGNED + "Li Wei\nFinance Director\nSunrise Textiles Co., Ltd.",
            "Sunrise Textiles Co., Ltd.",
        ),
        (
            "Please correct page 5.\n\nLi Wei | CFO | Harbour Lights Holdings Limited",
            "Harbour Lights Holdings Limited",
        ),
    ],
)
def test_signature_company_is_the_client(text, client):
    assert fields(text).client_name == client


@pytest.mark.parametrize(
    ("text", "client"),
    [
        ("我司（远方贸易有限公司）对审计报告有异议。", "远方贸易有限公司"),
        ("我司(远方贸易有限公司)对审计报告有异议。", "远方贸易有限公司"),
        ("我们明珠集团对贵所的服务非常不满。", "明珠集团"),
        ("我司（远方贸易公司）对审计报告有异议。", "远方贸易公司"),
        ("本律师受远方贸易有限公司委托，就审计报告致函贵所。", "远方贸易有限公司"),
        (
            "我司星澜科技有限公司与远方贸易有限公司的往来款有误。",
            "星澜科技有限公司",
        ),
        ("我们星澜科技股份有限公司是贵所的老客户。", "星澜科技股份有限公司"),
        ("远方贸易有限公司（以下简称“我司”）委托贵所审计。", "远方贸易有限公司"),
        ("贵所为我司星澜科技有限公司出具的审计报告有误。", "星澜科技有限公司"),
        ("对于贵所给星澜科技有限公司出具的报告，我们很不满意。", "星澜科技有限公司"),
        (
            "I write on behalf of Sunrise Textiles Ltd. about the report.",
            "Sunrise Textiles Ltd.",
        ),
    ],
)
def test_body_self_reference_names_the_client(text, client):
    assert fields(text).client_name == client


@pytest.mark.parametrize(
    "text",
    [
        "尊敬的北辰会计师事务所：报告有错，请更正。",
        "我们集团对贵所的服务非常不满。",
        "我们公司对贵所的服务非常不满。",
        "报告有错，请更正。",
        "我们已委托正义律师事务所处理此事。",
        "贵公司和子公司的报告都有错。",
        "星澜科技有限公司和远方贸易有限公司的报告都有错。",
    ],
)
def test_no_client_company_gives_none(text):
    assert fields(text, sender_address="wang@xinglan.example.cn").client_name is None


@pytest.mark.parametrize(
    "text",
    [
        "报告有错，请更正。\n谢谢\n李某某\n星澜科技",
        "报告有错，请更正。\n李某某\n星澜科技",
        "报告有错，请更正。\n星澜科技 李某某 13900001616",
    ],
)
def test_signature_short_company_name_is_the_client(text):
    assert fields(text).client_name == "星澜科技"


def test_short_company_name_in_body_is_not_taken():
    assert fields("星澜科技的报告有错，请更正。").client_name is None


def test_firm_name_in_signature_is_ignored_for_the_client():
    text = "报告有错。\n\n抄送：北辰会计师事务所\n远方贸易有限公司 张某"
    assert fields(text).client_name == "远方贸易有限公司"


def test_sender_domain_alone_gives_no_client():
    found = fields("报告有错，请更正。", sender_address="wang@xinglan.example.cn")
    assert found.client_name is None


def test_sender_domain_picks_among_several_companies_in_body():
    text = (
        "Our auditor mixed up Harbour Lights Ltd. and Sunrise Textiles Ltd. "
        "in the report for our group."
    )
    found = fields(text, sender_address="li@sunrisetextiles.example.com")
    assert found.client_name == "Sunrise Textiles Ltd."


def test_single_company_mentioned_in_body_is_the_client():
    assert fields("远方贸易有限公司的报告有错。").client_name == "远方贸易有限公司"


# --- Complainant -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        (SIGNED + "星澜科技股份有限公司 财务总监 王某 13900001616", "王某", "财务总监"),
        (SIGNED + "王某（财务总监）\n星澜科技有限公司", "王某", "财务总监"),
        (
            SIGNED
            + "此致\n敬礼\n星澜科技有限公司\n财务经理：刘某某\n电话：021-55551234",
            "刘某某",
            "财务经理",
        ),
        (SIGNED + "财务总监王某", "王某", "财务总监"),
        (SIGNED + "联系人：欧阳某某 董事会秘书", "欧阳某某", "董事会秘书"),
        (SIGNED + "谢谢！\n张女士\n出纳", "张女士", "出纳"),
        (
            EN_SIGNED + "Li Wei, Finance Director, Sunrise Textiles Ltd.",
            "Li Wei",
            "Finance Director",
        ),
        (
            "Please fix it.\nBest regards,\nDavid Chen\nCFO\nSunrise Textiles Ltd.",
            "David Chen",
            "CFO",
        ),
        (
            "报告有问题请尽快修改。星澜科技有限公司 财务经理 刘某 021-55551234",
            "刘某",
            "财务经理",
        ),
        ("我是星澜科技财务总监王某，报告有错。", "王某", "财务总监"),
        ("本人是公司的总经理，对报告非常不满。", None, "总经理"),
        (
            "I am the Chief Financial Officer of Sunrise Textiles Ltd.",
            None,
            "Chief Financial Officer",
        ),
    ],
)
def test_signature_or_self_introduction_gives_name_and_title(text, name, title):
    person = fields(text).complainant
    assert (person.name, person.title) == (name, title)


@pytest.mark.parametrize(
    ("sender_name", "name"),
    [
        ("王某", "王某"),
        ("Li Wei", "Li Wei"),
        ("王某 (星澜科技)", "王某"),
        ("财务部-王某", "王某"),
        ("客服", None),
        ("前台", None),
        ("星澜科技有限公司", None),
        ("星澜科技客服", None),
        ("Finance Team", None),
        ("noreply", None),
        ("wang@xinglan.example.cn", None),
        (None, None),
    ],
)
def test_sender_display_name_is_used_only_for_a_person(sender_name, name):
    found = fields("报告有错，请更正。", sender_name=sender_name)
    assert found.complainant.name == name


def test_signature_name_wins_over_sender_display_name():
    found = fields(SIGNED + "星澜科技有限公司 会计 赵某", sender_name="王某")
    assert found.complainant.name == "赵某"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        (SIGNED + "王某 13900001616", "13900001616"),
        (SIGNED + "王某 139 0000 1616", "13900001616"),
        (SIGNED + "王某 139-0000-1616", "13900001616"),
        (SIGNED + "王某 手机：+86 139 0000 1616", "+8613900001616"),
        (SIGNED + "王某 电话：010-12345678", "010-12345678"),
        (SIGNED + "王某 电话：(021)12345678", "021-12345678"),
        (SIGNED + "王某 电话：（021）1234 5678", "021-12345678"),
        (SIGNED + "王某 电话：0755-1234567 转 802", "0755-1234567-802"),
        ("Please fix it.\nRegards,\nLi Wei\nTel: +86 21 5555 1234", "+86-21-55551234"),
        ("请尽快联系我，电话13900001616。", "13900001616"),
        (SIGNED + "陈大文 +852 9123 4567", "+85291234567"),
        (SIGNED + "陈大文 电话：(852) 2345 6789", "+85223456789"),
        (SIGNED + "陈大文 +886-2-2345-6789", "+886223456789"),
        ("我打了贵所总机010-87654321没人接。", None),
        ("报告有错。", None),
    ],
)
def test_phone_is_taken_from_signature_and_normalised(text, phone):
    assert fields(text).complainant.phone == phone


def test_signature_phone_wins_over_body_phone():
    text = "我打了贵所电话010-87654321没人接。\n\n王某\n手机：13900001616"
    assert fields(text).complainant.phone == "13900001616"


@pytest.mark.parametrize(
    ("text", "sender_address", "email"),
    [
        (
            "请回复。\n王某\n邮箱：wang@xinglan.example.cn",
            "x@qq.example.com",
            "wang@xinglan.example.cn",
        ),
        ("请回复。", "wang@xinglan.example.cn", "wang@xinglan.example.cn"),
        ("请回复。", "staff@firm.example.cn", None),
        ("请回复。", "staff@mail.firm.example.cn", None),
        (
            "请抄送audit@firm.example.cn。",
            "wang@xinglan.example.cn",
            "wang@xinglan.example.cn",
        ),
        ("请回复。", None, None),
    ],
)
def test_email_prefers_body_then_sender_never_the_firm(text, sender_address, email):
    found = fields(text, sender_address=sender_address)
    assert found.complainant.email == email


def test_empty_text_gives_empty_fields():
    found = extract_fields("", sender_name=None, sender_address=None)
    assert found == Fields(None, Complainant(), [], None)


# --- Senior titles ------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "财务总监", "首席财务官", "CFO", "cfo", "Finance Director", "财务负责人",
        "总会计师", "总经理", "副总经理", "General Manager", "CEO", "总裁", "董事长",
        "Chairman", "董事", "董事会", "董事会秘书", "Financial Controller",
        "Managing Director", "常务副总经理",
    ],
)  # fmt: skip
def test_senior_management_title_is_senior(title):
    assert is_senior_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "财务经理", "财务主管", "财务科长", "会计", "出纳", "行政", "总经理助理",
        "Accountant", "Finance Manager", "Assistant to the CEO", "", None,
    ],
)  # fmt: skip
def test_staff_title_is_not_senior(title):
    assert not is_senior_title(title)


def test_senior_titles_are_stored_lower_case():
    assert all(title == title.lower() for title in SENIOR_TITLES)


# --- Demands ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "demands"),
    [
        ("报告第5页有错，请贵所在3小时内更正。", ["请贵所在3小时内更正"]),
        (
            "我们对此非常不满，要求贵所重新出具报告，并由项目经理书面道歉。",
            ["要求贵所重新出具报告，并由项目经理书面道歉"],
        ),
        ("希望尽快给出答复！", ["希望尽快给出答复"]),
        ("务必在本周五前回复。", ["务必在本周五前回复"]),
        ("麻烦贵所核实一下。", ["麻烦贵所核实一下"]),
        ("贵所必须减免本年度审计费。", ["贵所必须减免本年度审计费"]),
        ("恳请贵所更换项目团队。", ["恳请贵所更换项目团队"]),
        (
            "请更正报告。请更正报告。另外要求退还审计费。",
            ["请更正报告", "另外要求退还审计费"],
        ),
        (
            "We request a corrected report. Please reply by Friday.",
            ["We request a corrected report", "Please reply by Friday"],
        ),
        ("If this is not fixed, we demand a full refund.", ["we demand a full refund"]),
        ("報告有誤，請貴所更正。", ["请贵所更正"]),
    ],
)
def test_explicit_request_is_a_demand(text, demands):
    assert fields(text).demands == demands


@pytest.mark.parametrize(
    "text",
    [
        "报告第5页有错别字。",
        "按照准则要求应当披露。",
        "这件事很麻烦。",
        "附件是贵所要求的资料，请查收。",
        "我们已经申请了延期。",
        "请问报告什么时候出？",
        "The report has a typo on page 5.",
    ],
)
def test_text_without_an_explicit_request_has_no_demand(text):
    assert fields(text).demands == []


def test_signature_lines_are_not_demands():
    text = "请更正报告。\n此致\n敬礼\n请联系：王某 13900001616"
    assert fields(text).demands == ["请更正报告"]


# --- Raised elsewhere -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "我们已向贵所合伙人反映过此事。",
        "我司已经多次向项目经理投诉。",
        "之前已经和项目经理沟通过，但没有结果。",
        "此前曾与贵所合伙人沟通。",
        "我们多次反映，问题依旧。",
        "上周已经找过你们的项目经理。",
        "这个问题我们反映过很多次了。",
        "至今没有得到任何回复。",
        "我们再次投诉此事。",
        "我们首次书面投诉，此前已多次电话沟通。",
        "We have already raised this with your partner.",
        "We previously reported this issue.",
        "We have complained repeatedly.",
    ],
)
def test_earlier_contact_means_reported_elsewhere(text):
    assert fields(text).reported_elsewhere is True


@pytest.mark.parametrize(
    "text",
    [
        "这是我们首次反映该问题。",
        "这是第一次投诉。",
        "我们尚未向其他部门反映。",
        "我们没有向其他部门反映过这个问题。",
        "This is the first time we have raised this.",
        "We have not yet raised this with anyone else.",
    ],
)
def test_said_first_time_means_not_reported_elsewhere(text):
    assert fields(text).reported_elsewhere is False


@pytest.mark.parametrize("text", ["报告第5页有错，请更正。", "Please fix page 5.", ""])
def test_silence_about_earlier_contact_is_unknown(text):
    assert fields(text).reported_elsewhere is None
