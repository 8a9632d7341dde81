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
        (
            "北京启衡律师事务所（以下简称“本所”）接受深圳市鹏远电子有限公司"
            "（以下简称“委托人”）的委托，就贵所出具的《深圳市鹏远电子有限公司"
            "2024年度审计报告》致函如下：委托人子公司东莞鹏远精密制造有限公司"
            "的存货未监盘。"
        ),
        (
            "北京啟衡律師事務所（以下簡稱「本所」）接受深圳市鵬遠電子有限公司"
            "（以下簡稱「委託人」）的委託，就東莞鵬遠精密製造有限公司的審計問題"
            "致函貴所。"
        ),
        (
            "本所受深圳市鹏远电子有限公司（下称“委托人”）委托，"
            "就东莞鹏远精密制造有限公司的审计问题致函贵所。"
        ),
        (
            "本所代表深圳市鹏远电子有限公司，"
            "就东莞鹏远精密制造有限公司的审计问题致函贵所。"
        ),
        (
            "本所作为深圳市鹏远电子有限公司的常年法律顾问，"
            "就东莞鹏远精密制造有限公司的审计问题致函贵所。"
        ),
    ],
)
def test_lawyers_letter_names_the_client_not_the_law_firm(text):
    assert fields(text).client_name == "深圳市鹏远电子有限公司"


@pytest.mark.parametrize(
    "text",
    [
        (
            "报告有误，请更正。\n\n梁志恆\n財務總監\n恆晉貿易有限公司\n"
            "電話：+852 2555 0188"
        ),
        (
            "報告有誤，請更正。\n\n梁志恆\n財務總監\n恆晉貿易有限公司\n"
            "電話：+852 2555 0188  傳真：+852 2555 0189\n香港九龍觀塘開源道18號12樓"
        ),
        (
            "报告有误，请更正。\n\n梁志恒\n财务总监\n恒晋贸易有限公司\n"
            "广州市天河区体育西路191号中石化大厦B塔20楼"
        ),
    ],
)
def test_multi_line_signature_with_address_gives_client_name_and_title(text):
    found = fields(text)
    assert found.client_name == "恒晋贸易有限公司"
    assert (found.complainant.name, found.complainant.title) == ("梁志恒", "财务总监")


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
    ("text", "title"),
    [
        (SIGNED + "杨静\n星澜科技有限公司 内审部经理\n手机：13900001616", "内审部经理"),
        (SIGNED + "谢谢！\n\n黄某\n星澜科技有限公司\n财务部副经理\n手机：13900001616",
         "财务部副经理"),
        (SIGNED + "唐某\n星澜科技有限公司 财务部 会计主管", "会计主管"),
        (SIGNED + "李某 审计部负责人 星澜科技有限公司", "审计部负责人"),
        (SIGNED + "李某 財務部副總監\n星瀾科技有限公司", "财务部副总监"),
        (SIGNED + "陈某\n星澜科技有限公司 财务中心总监", "财务中心总监"),
        (SIGNED + "陈某 总经理办公室主任", "总经理办公室主任"),
        ("我是星澜科技有限公司内审部负责人。报告有错，请更正。", "内审部负责人"),
        (SIGNED + "孙某 星澜科技有限公司 行政财务部 13900001616", None),
    ],
)  # fmt: skip
def test_department_title_is_the_complainant_title(text, title):
    assert fields(text).complainant.title == title


@pytest.mark.parametrize(
    "text",
    [
        "贵所项目经理王某态度恶劣，请更换项目经理。",
        "作为贵所审计部经理，王某应当对此负责。",
        "贵所项目经理王某态度恶劣，请更换。\n\n星澜科技有限公司",
    ],
)
def test_the_firms_own_manager_is_not_the_complainant_title(text):
    assert fields(text).complainant.title is None


def test_firm_manager_in_body_leaves_the_signature_title():
    text = "贵所项目经理王某态度恶劣，请更换。\n\n李某\n星澜科技有限公司 财务部经理"
    person = fields(text).complainant
    assert (person.name, person.title) == ("李某", "财务部经理")


@pytest.mark.parametrize(
    "title", ["总经理办公室主任", "总裁办主任", "董事会办公室主任", "财务部副经理"]
)
def test_office_and_department_heads_are_not_senior(title):
    assert not is_senior_title(title)


def test_lawyer_signing_a_letter_is_the_complainant():
    text = (
        "逾期未获答复，委托人将依法起诉。\n"
        "北京启衡律师事务所    律师：何思远    电话：010-8500 0000\n2026年3月3日"
    )
    person = fields(text).complainant
    assert (person.name, person.title) == ("何思远", "律师")


def test_traditional_sender_name_is_kept_as_written():
    text = "報告有誤，請更正。\n\n梁志恆\n財務總監\n恆晉貿易有限公司"
    assert fields(text, sender_name="梁志恆").complainant.name == "梁志恆"
    assert (
        fields("報告有誤，請更正。", sender_name="陳大文").complainant.name == "陳大文"
    )


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


LIST_ON_LINES = (
    "函证是审计的核心程序。请贵所于3月6日前：\n"
    "（1）书面说明未执行上述函证的原因；\n"
    "（2）补充执行函证程序，并告知对审计意见的影响。"
)
BOARD_LIST_TRADITIONAL = (
    "本公司董事會對此表示嚴重關注，並要求：\n"
    "一、貴所於三個工作日內提供書面解釋；\n"
    "二、安排項目合夥人與本公司董事會會面；\n"
    "三、在問題釐清前，暫停出具正式報告。"
)
LAWYER_LIST_INLINE = (
    "現要求貴所自收到本函之日起七日內：1. 向委託人書面說明情況；"
    "2. 賠償上述經濟損失人民幣3,860,000元。逾期未獲答覆，委託人將依法起訴。"
)
LIST_THEN_REQUEST = (
    "为此，我司要求：\n一、审计费用下调20%；\n二、3月13日前出具正式审计报告。"
    "\n\n请于3月5日前书面回复。"
)
UNMARKED_LINES = (
    "请贵所于3月6日前：\n书面说明原因；\n补充执行函证程序。\n\n另外第5页有错别字。"
)
LEAD_IN_WITH_ACTION = (
    "请贵所就以下事项作出书面说明：\n1. 未执行函证的原因；\n2. 对审计意见的影响。"
)


@pytest.mark.parametrize(
    ("text", "demands"),
    [
        (
            LIST_ON_LINES,
            [
                "书面说明未执行上述函证的原因（3月6日前）",
                "补充执行函证程序，并告知对审计意见的影响（3月6日前）",
            ],
        ),
        (
            BOARD_LIST_TRADITIONAL,
            [
                "贵所于三个工作日内提供书面解释",
                "安排项目合伙人与本公司董事会会面",
                "在问题厘清前，暂停出具正式报告",
            ],
        ),
        (
            LAWYER_LIST_INLINE,
            [
                "向委托人书面说明情况（自收到本函之日起七日内）",
                "赔偿上述经济损失人民币3,860,000元（自收到本函之日起七日内）",
            ],
        ),
        (
            LIST_THEN_REQUEST,
            ["审计费用下调20%", "3月13日前出具正式审计报告", "请于3月5日前书面回复"],
        ),
        (
            "请贵所：\n1. 3月6日前派项目合伙人当面沟通；\n2. 提供审计工作底稿目录。",
            ["3月6日前派项目合伙人当面沟通", "提供审计工作底稿目录"],
        ),
        (
            "请贵所在收到本函后三个工作日内：(1) 书面说明；(2) 退还审计费。",
            [
                "书面说明（收到本函后三个工作日内）",
                "退还审计费（收到本函后三个工作日内）",
            ],
        ),
        (
            "我司诉求如下：\n① 退还审计费；\n② 更换项目经理。",
            ["退还审计费", "更换项目经理"],
        ),
        (
            UNMARKED_LINES,
            ["书面说明原因（3月6日前）", "补充执行函证程序（3月6日前）"],
        ),
        (
            LEAD_IN_WITH_ACTION,
            [
                "请贵所就以下事项作出书面说明：未执行函证的原因",
                "请贵所就以下事项作出书面说明：对审计意见的影响",
            ],
        ),
        (
            "请贵所务必于本周五（3月6日）下班前：\n1. 更正报告；\n2. 书面道歉。",
            [
                "更正报告（本周五（3月6日）下班前）",
                "书面道歉（本周五（3月6日）下班前）",
            ],
        ),
        (
            "请注意，我们要求：\n1、更正报告；\n2、书面道歉。",
            ["更正报告", "书面道歉"],
        ),
        ("我司要求：第一，更正报告；第二，书面道歉。", ["更正报告", "书面道歉"]),
        (
            "We request the following:\n1. A corrected report;\n2. A fee refund.",
            ["A corrected report", "A fee refund"],
        ),
    ],
)
def test_enumerated_demands_are_the_items_with_the_lead_in_deadline(text, demands):
    assert fields(text).demands == demands


@pytest.mark.parametrize("text", ["我司要求：", "请贵所：\n\n", "为此，我们要求：\n"])
def test_bare_lead_in_without_items_is_not_a_demand(text):
    assert fields(text).demands == []


def test_numbered_problems_without_a_request_are_not_demands():
    text = "我们发现以下问题：\n1. 应收账款未函证；\n2. 存货未监盘。\n请贵所尽快更正。"
    assert fields(text).demands == ["请贵所尽快更正"]


@pytest.mark.parametrize(
    ("text", "demands"),
    [
        ("我们要求：重新出具报告并道歉。", ["我们要求：重新出具报告并道歉"]),
        ("请贵所：1.5万元的差异请说明。", ["请贵所：1.5万元的差异请说明"]),
    ],
)
def test_colon_followed_by_text_on_the_same_line_is_one_demand(text, demands):
    assert fields(text).demands == demands


@pytest.mark.parametrize(
    ("text", "demands"),
    [
        ("我们的融资材料3月10日必须提交，报告迟迟出不来。", []),
        ("我們的融資材料3月10日必須提交。", []),
        ("我司3月10日前必须向银行报送报告，请贵所尽快出具。", ["请贵所尽快出具"]),
        (
            "银行要求3月6日前报送，请明天上午10点前给我答复。",
            ["请明天上午10点前给我答复"],
        ),
        ("同样的资料我们被要求重复提供了至少两次。", []),
        ("Our filing must be made by Friday.", []),
        ("报告必须在3月10日前重新出具。", ["报告必须在3月10日前重新出具"]),
        ("我们认为贵所必须承担责任。", ["我们认为贵所必须承担责任"]),
        ("The report must be reissued.", ["The report must be reissued"]),
    ],
)
def test_only_what_the_firm_is_asked_to_do_is_a_demand(text, demands):
    assert fields(text).demands == demands


@pytest.mark.parametrize(
    "text",
    [
        "如有疑问，请致电本人。",
        "如有疑問請致電。",
        "请致电本人。",
        "如有任何问题，请随时与我联系，谢谢！",
        "如有紧急事项，请联系财务部黄丽，电话 020-3800 0000。",
        "明年的审计还请继续支持。",
        "If you have any questions, please contact me.",
    ],
)
def test_offer_to_be_contacted_is_courtesy_not_a_demand(text):
    assert fields(text).demands == []


def test_asking_the_firm_to_call_is_a_demand():
    text = "请贵所合伙人今天致电本人说明情况。"
    assert fields(text).demands == ["请贵所合伙人今天致电本人说明情况"]


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
