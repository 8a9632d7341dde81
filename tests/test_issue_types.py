"""Issue types and industries: the two keys that the group effect counts by."""

import pytest

from classifiers.industry import IndustryError, infer_industry, load_industries
from classifiers.issue_types import (
    OTHER,
    IssueTypesError,
    classify_issue,
    load_issue_types,
)


@pytest.mark.parametrize(
    "text, issue_type",
    [
        ("审计报告第15页存货期末余额与附注七.5不一致，数据有误。", "数据错误"),
        ("利润表营业成本的合计数计算错误，请更正。", "数据错误"),
        ("报告第3页的小数点点错了位置。", "数据错误"),
        ("报告第7页有错别字，页码也不连续。", "报告格式"),
        ("报告封面我司名称写错了，骑缝章也没有盖。", "报告格式"),
        ("贵所未对主要客户执行函证程序，存货也没有监盘。", "审计程序"),
        ("说好3月5日出具报告，至今未出具，已经严重拖延。", "出具时效"),
        ("今年审计费用翻倍上涨，还要额外收费，收费标准不透明。", "收费"),
        ("项目经理态度恶劣，打电话也不接。", "人员态度"),
        ("我司的财务数据被泄露给了竞争对手。", "保密"),
        ("贵所出具保留意见没有充分依据。", "审计意见"),
        ("貴所出具的審計報告數據有誤，與附註不一致。", "数据错误"),
        ("The report has wrong figures and a misstatement in note 5.", "数据错误"),
        ("请问贵所年审什么时候进场？", OTHER),
    ],
)
def test_complaint_gets_its_issue_type(text, issue_type):
    assert classify_issue(text).name == issue_type


def test_issue_type_keeps_the_words_it_was_recognised_by():
    verdict = classify_issue("第3页有错别字，第5页页码错误。")
    assert verdict.name == "报告格式"
    assert "错别字" in verdict.matched


def test_overlapping_patterns_count_one_phrase_once():
    # 金额…不一致 and 与…不一致 both match this phrase; with one more
    # 报告格式 word, 报告格式 must still not lose on a double count.
    verdict = classify_issue("存货金额与附注不一致。")
    assert len(verdict.matched) == 1


def test_tie_goes_to_the_type_listed_first():
    # 数据错误 is listed before 收费: one word each.
    assert classify_issue("发生额有误，另外报价也偏高。").name == "数据错误"


def test_confidentiality_notice_in_a_signature_is_not_a_leak_complaint():
    text = "报告第3页有错别字。\n本邮件及其附件含有保密信息，仅限收件人使用。"
    assert classify_issue(text).name == "报告格式"


def test_issue_types_file_must_not_list_other(tmp_path):
    path = tmp_path / "types.toml"
    path.write_text('[[types]]\nname = "其他"\npatterns = ["x"]\n', encoding="utf-8")
    with pytest.raises(IssueTypesError):
        load_issue_types(path)


def test_issue_types_file_with_a_bad_pattern_names_the_type(tmp_path):
    path = tmp_path / "types.toml"
    path.write_text('[[types]]\nname = "收费"\npatterns = ["("]\n', encoding="utf-8")
    with pytest.raises(IssueTypesError, match="收费"):
        load_issue_types(path)


@pytest.mark.parametrize(
    "company, industry",
    [
        ("华澜置业有限公司", "房地产"),
        ("锦程房地产开发有限公司", "房地产"),
        ("远湾地产集团有限公司", "房地产"),
        ("嘉禾置地有限公司", "房地产"),
        ("恒達置業有限公司", "房地产"),
        ("康宁药业股份有限公司", "医药"),
        ("某某医药科技有限公司", "医药"),
        ("星澜软件科技有限公司", "信息技术"),
        ("云帆网络科技有限公司", "信息技术"),
        ("星澜科技（上海）有限公司", "信息技术"),
        ("中国农业银行股份有限公司", "金融"),
        ("中国建设银行股份有限公司", "金融"),
        ("东方证券股份有限公司", "金融"),
        ("远景投资有限公司", "金融"),
        ("中建三局建设工程有限公司", "建筑"),
        ("江南路桥集团有限公司", "建筑"),
        ("青岚食品有限公司", "食品饮料"),
        ("古井酒业股份有限公司", "食品饮料"),
        ("顺达物流有限公司", "交通物流"),
        ("海通航运股份有限公司", "交通物流"),
        ("精工精密机械有限公司", "制造"),
        ("华信电子有限公司", "制造"),
        ("优品电子商务有限公司", "批发零售"),
        ("万家商贸有限公司", "批发零售"),
        ("丰禾农业发展有限公司", "农业"),
        ("北方牧业股份有限公司", "农业"),
        ("华东电力股份有限公司", "能源化工"),
        ("滨海化工有限公司", "能源化工"),
        ("星海文化传媒有限公司", "文化旅游教育"),
        ("育才教育科技有限公司", "文化旅游教育"),
        ("Sunrise Textiles Ltd.", "制造"),
        ("Harbour Real Estate Limited", "房地产"),
        ("远湾控股有限公司", None),
        ("张三", None),
        ("", None),
        (None, None),
    ],
)
def test_industry_is_inferred_from_the_company_name(company, industry):
    assert infer_industry(company) == industry


def test_latin_keyword_must_start_a_word():
    assert infer_industry("Prompt Refund Services Ltd.") is None


def test_industry_keyword_file_is_editable(tmp_path):
    path = tmp_path / "industries.toml"
    path.write_text('[[industries]]\nname = "环保"\nkeywords = ["环保", "水务"]\n',
                    encoding="utf-8")
    assert infer_industry("清源水务有限公司", path) == "环保"
    assert infer_industry("华澜置业有限公司", path) is None
    assert load_industries(path).names == ("环保",)


def test_industry_file_without_keywords_is_an_error(tmp_path):
    path = tmp_path / "industries.toml"
    path.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(IndustryError):
        load_industries(path)
