"""群体效应 and the client register, on SQLite and on PostgreSQL.

The mail in tests/data/group_effect is fictional: property developers
(华澜置业, 锦程房地产开发, 远湾地产集团, 嘉禾置地), a software company
(星澜软件科技) and a second complaint from 华澜置业, all about figures in
their reports (数据错误), received 2–9 March 2026.
"""

from datetime import timedelta
from pathlib import Path

import pytest

from models import store
from models.db import Database
from pipeline import clients
from pipeline.cli import main
from pipeline.review import confirm_record
from pipeline.sources import iter_path

MAIL = Path(__file__).parent / "data" / "group_effect"
HUALAN = "01-hualan-zhiye-data-error.eml"
JINCHENG = "02-jincheng-fdc-data-error.eml"
YUANWAN = "03-yuanwan-dichan-data-error.eml"
XINGLAN = "04-xinglan-soft-data-error.eml"
HUALAN_AGAIN = "05-hualan-zhiye-second-complaint.eml"
JIAHE = "06-jiahe-zhidi-data-error.eml"
HUALAN_UNSIGNED = "07-hualan-zhiye-no-company-in-signature.eml"


def ingest(pipeline, name, **kwargs):
    item = next(iter_path(MAIL / name))
    return pipeline.ingest(item.raw, item.source, **kwargs).reference


def records(pipeline):
    with pipeline.db.session() as session:
        return {r.reference: r for r in store.list_records(session)}


def notices(record, kind, audience="leadership"):
    return [n for n in record.notifications
            if n.kind == kind and n.audience == audience]


def test_three_property_developers_with_data_errors_all_become_level_3(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    refs = [ingest(pipeline, name) for name in (HUALAN, JINCHENG, YUANWAN)]
    found = records(pipeline)
    for ref in refs:
        record = found[ref]
        assert (record.level, record.industry, record.issue_type) == (
            3, "房地产", "数据错误")
        assert record.reasons[0].startswith("三级：群体效应——30天内3家房地产客户")
        assert "远湾地产集团有限公司" in record.reasons[0]
        assert "emergency_meeting" in {d.name for d in record.deadlines}
        assert "execution_response" not in {d.name for d in record.deadlines}


def test_leadership_hears_of_the_group_once_not_once_per_record(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    for name in (HUALAN, JINCHENG, YUANWAN):
        ingest(pipeline, name)
    found = list(records(pipeline).values())
    group = [n for r in found for n in notices(r, "group")]
    assert len(group) == 1
    assert "华澜置业有限公司" in group[0].body
    assert [n for r in found for n in notices(r, "escalation")] == []
    assert len([n for r in found for n in notices(r, "group", "execution")]) == 1


def test_client_of_another_industry_with_same_issue_is_not_raised(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    refs = {name: ingest(pipeline, name)
            for name in (HUALAN, JINCHENG, XINGLAN, YUANWAN)}
    software = records(pipeline)[refs[XINGLAN]]
    assert (software.industry, software.issue_type) == ("信息技术", "数据错误")
    assert software.level == 1
    assert software.group_id is None


def test_two_complaints_from_one_client_count_as_one_client(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    for name in (HUALAN, HUALAN_AGAIN, JINCHENG):
        ingest(pipeline, name)
    assert {r.level for r in records(pipeline).values()} == {1}


def test_complaint_outside_the_window_does_not_count(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    item = next(iter_path(MAIL / HUALAN))
    received = item_date(pipeline, item) - timedelta(days=45)
    pipeline.ingest(item.raw, item.source, internaldate=received)
    for name in (JINCHENG, YUANWAN):
        ingest(pipeline, name)
    assert {r.level for r in records(pipeline).values()} == {1}


def test_shorter_configured_window_leaves_the_group_out(db_url, make_pipeline):
    pipeline = make_pipeline(db_url, group={"window_days": 3})
    for name in (HUALAN, JINCHENG, YUANWAN):
        ingest(pipeline, name)
    assert {r.level for r in records(pipeline).values()} == {1}


@pytest.mark.parametrize("status", ["resolved", "archived"])
def test_closed_complaint_does_not_count(db_url, make_pipeline, status):
    pipeline = make_pipeline(db_url)
    first = ingest(pipeline, HUALAN)
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, first)
        store.change_status(session, record, status, "测试")
    for name in (JINCHENG, YUANWAN):
        ingest(pipeline, name)
    assert {r.level for r in records(pipeline).values()} == {1}


def test_later_member_joins_the_group_without_a_second_group_notice(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    for name in (HUALAN, JINCHENG, YUANWAN):
        ingest(pipeline, name)
    fourth = ingest(pipeline, JIAHE)
    found = records(pipeline)
    joined = found[fourth]
    assert joined.level == 3
    assert "4家房地产客户" in joined.reasons[0]
    assert [n.audience for n in joined.notifications if n.kind == "draft"] == [
        "execution", "leadership"]
    assert len([n for r in found.values() for n in notices(r, "group")]) == 1
    assert all("4家" in r.reasons[0] for r in found.values() if r.group_id)


def test_same_client_joining_a_formed_group_is_raised_too(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    for name in (HUALAN, JINCHENG, YUANWAN):
        ingest(pipeline, name)
    reference = ingest(pipeline, HUALAN_AGAIN)
    again = records(pipeline)[reference]
    assert again.level == 3
    assert "3家房地产客户" in again.reasons[0]


def test_record_json_shows_issue_type_industry_and_group(db_url, make_pipeline):
    from pipeline.output import record_json

    pipeline = make_pipeline(db_url)
    for name in (HUALAN, JINCHENG, YUANWAN):
        ingest(pipeline, name)
    with pipeline.db.session() as session:
        shown = [record_json(r) for r in store.list_records(session)]
    assert {(s["industry"], s["issue_type"]) for s in shown} == {("房地产", "数据错误")}
    assert {s["group"] for s in shown} == {"房地产|数据错误|2026-03-02"}
    assert all(s["issue_words"] for s in shown)


def item_date(pipeline, item):
    return pipeline.examine(item.raw, item.source).received_at


# -- the client register ------------------------------------------------------

REGISTER = (
    "name,aliases,domains,industry\n"
    "远湾控股有限公司,远湾地产集团有限公司;远湾集团,yuanwan-group.example.cn,房地产\n"
    "华澜置业有限公司,华澜置业,hualan-zhiye.example.cn;qq.com,\n"
)


def write_register(tmp_path, encoding="utf-8-sig"):
    path = tmp_path / "clients.csv"
    path.write_bytes(REGISTER.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_register_imports_from_csv_as_excel_writes_it(tmp_path, encoding):
    db = Database(f"sqlite:///{tmp_path / 'r.db'}")
    with db.session() as session:
        report = clients.import_csv(session, write_register(tmp_path, encoding))
    assert (report.created, report.updated) == (2, 0)
    assert any("qq.com" in w for w in report.warnings)
    with db.session() as session:
        listed = {c.name: c for c in store.list_clients(session)}
        yuanwan = listed["远湾控股有限公司"]
        assert {n.name for n in yuanwan.names} >= {"远湾集团", "远湾控股有限公司"}
        assert [d.domain for d in yuanwan.domains] == ["yuanwan-group.example.cn"]
        hualan = listed["华澜置业有限公司"]
        assert clients.industry_text(hualan) == "房地产（按名称推断）"
    db.dispose()


def test_importing_twice_updates_instead_of_duplicating(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'r.db'}")
    path = write_register(tmp_path)
    for _ in range(2):
        with db.session() as session:
            report = clients.import_csv(session, path)
    assert (report.created, report.updated) == (0, 2)
    with db.session() as session:
        assert len(store.list_clients(session)) == 2
    db.dispose()


def test_record_takes_client_and_industry_from_the_register(
        db_url, make_pipeline, tmp_path):
    pipeline = make_pipeline(db_url)
    with pipeline.db.session() as session:
        clients.import_csv(session, write_register(tmp_path))
    reference = ingest(pipeline, YUANWAN)
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        assert record.client.name == "远湾控股有限公司"
        # The mail says 远湾地产集团有限公司, an alias: the register's name shows.
        assert "远湾地产集团有限公司" in record.description
        assert record.client_name == "远湾控股有限公司"
        assert record.industry == "房地产"


def test_another_company_on_a_known_domain_keeps_its_own_name(
        db_url, make_pipeline, tmp_path):
    pipeline = make_pipeline(db_url)
    with pipeline.db.session() as session:
        clients.import_csv(session, write_register(tmp_path))
    raw = (MAIL / HUALAN).read_bytes().replace(b"Message-ID: <", b"Message-ID: <sub-")
    item = next(iter_path(MAIL / HUALAN))
    text = pipeline.examine(item.raw, item.source).verdict.fields.client_name
    assert text == "华澜置业有限公司"
    subsidiary = "华澜物业服务有限公司".encode()
    raw = raw.replace("华澜置业有限公司".encode(), subsidiary)
    assert subsidiary in raw  # the fixture's body is 8-bit UTF-8
    reference = pipeline.ingest(raw, "subsidiary").reference
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        assert record.client_name == "华澜物业服务有限公司"
        assert record.client.name == "华澜置业有限公司"  # found by the mail domain

    # Confirmed as it is, the subsidiary's name does not become an alias of
    # the company, so its next complaint keeps its own name too.
    confirm_record(pipeline, reference, "王审核")
    again = raw.replace(b"Message-ID: <sub-", b"Message-ID: <sub2-").replace(
        "尽快".encode(), "立即".encode())
    assert again != raw
    second = pipeline.ingest(again, "subsidiary again").reference
    with pipeline.db.session() as session:
        assert store.record_by_reference(session, second).client_name == (
            "华澜物业服务有限公司")


def test_sender_domain_identifies_a_client_the_mail_does_not_name(
        db_url, make_pipeline, tmp_path):
    pipeline = make_pipeline(db_url)
    with pipeline.db.session() as session:
        clients.import_csv(session, write_register(tmp_path))
    refs = [ingest(pipeline, n) for n in (HUALAN, HUALAN_UNSIGNED, JINCHENG)]
    found = records(pipeline)
    unsigned = found[refs[1]]
    assert unsigned.client_name == "华澜置业有限公司"
    assert (unsigned.industry, unsigned.issue_type) == ("房地产", "数据错误")
    assert unsigned.client_id == found[refs[0]].client_id is not None
    assert {r.level for r in found.values()} == {1}


def test_confirmed_record_adds_its_client_and_domain_to_the_register(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    reference = ingest(pipeline, JINCHENG)
    confirm_record(pipeline, reference, "张主管")
    with pipeline.db.session() as session:
        client = store.client_by_domain(session, ["jincheng-fdc.example.cn"])
        assert client.name == "锦程房地产开发有限公司"
        record = store.record_by_reference(session, reference)
        assert record.client_id == client.id


def test_corrected_client_name_is_learned_as_an_alias_of_the_domain_owner(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    confirm_record(pipeline, ingest(pipeline, HUALAN), "张主管")
    again = ingest(pipeline, HUALAN_AGAIN)
    confirm_record(pipeline, again, "张主管", client="华澜置业（杭州）有限公司")
    with pipeline.db.session() as session:
        listed = store.list_clients(session)
        assert len(listed) == 1
        assert "华澜置业（杭州）有限公司" in {n.name for n in listed[0].names}


@pytest.mark.parametrize(
    "name, key",
    [
        ("华澜置业有限公司", "华澜置业"),
        ("華瀾置業有限公司", "华澜置业"),
        ("华澜置业 股份有限公司", "华澜置业"),
        ("星澜科技（上海）有限公司", "星澜科技上海"),
        ("Sunrise Textiles Co., Ltd.", "sunrisetextiles"),
        ("有限公司", "有限公司"),
        (None, ""),
    ],
)
def test_company_key_ignores_script_punctuation_and_legal_form(name, key):
    assert clients.company_key(name) == key


def test_clients_commands_import_and_list(tmp_path, capsys):
    config = tmp_path / "triage.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "c.db"}"\n',
                      encoding="utf-8")
    assert main(["--config", str(config), "clients", "import",
                 str(write_register(tmp_path))]) == 0
    assert "新增 2 家" in capsys.readouterr().out
    assert main(["--config", str(config), "clients", "list"]) == 0
    listing = capsys.readouterr().out
    assert "远湾控股有限公司" in listing
    assert "yuanwan-group.example.cn" in listing


def test_clients_import_without_a_file_or_setting_is_a_configuration_error(
        tmp_path, capsys):
    config = tmp_path / "triage.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "c.db"}"\n',
                      encoding="utf-8")
    assert main(["--config", str(config), "clients", "import"]) == 2
