"""Settings: TOML file, environment variables TRIAGE_<SECTION>_<KEY>."""

import pytest

from pipeline.errors import ConfigError
from pipeline.settings import load_settings


def test_defaults_use_sqlite_file_in_working_directory():
    settings = load_settings()
    assert settings.database.url == "sqlite:///complaint-triage.db"
    assert settings.imap.ssl is True


def test_environment_overrides_toml_file(tmp_path, monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text('[imap]\nhost = "file.example"\nport = 1\n', encoding="utf-8")
    monkeypatch.setenv("TRIAGE_IMAP_PORT", "1143")
    settings = load_settings(config)
    assert (settings.imap.host, settings.imap.port) == ("file.example", 1143)


@pytest.mark.parametrize(
    "name, value, read",
    [
        ("TRIAGE_DATABASE_URL", "postgresql://u@h/db", lambda s: s.database.url),
        ("TRIAGE_SMTP_FROM", "a@b.example", lambda s: s.smtp.sender),
        ("TRIAGE_IMAP_SSL", "false", lambda s: s.imap.ssl),
        ("TRIAGE_IMAP_FOLDER", "投诉/已处理,天翼云", lambda s: s.imap.folder),
        ("TRIAGE_LIMITS_MAX_PARTS", "7", lambda s: s.limits.max_parts),
    ],
)
def test_contract_environment_variables_are_read(monkeypatch, name, value, read):
    monkeypatch.setenv(name, value)
    expected = {"false": False, "7": 7}.get(value, value)
    assert read(load_settings()) == expected


def test_notify_targets_split_on_commas(monkeypatch):
    monkeypatch.setenv("TRIAGE_NOTIFY_EXECUTION", "a@x.example, wecombot://key ,")
    assert load_settings().notify.execution == ["a@x.example", "wecombot://key"]


def test_unknown_key_in_file_is_a_clear_error(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[imap]\nhots = 'typo'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="hots"):
        load_settings(config)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "absent.toml")
