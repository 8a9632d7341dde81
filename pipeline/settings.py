"""Every setting in one typed place: name, default and help.

Values come from a TOML file (``--config``) and from environment variables
``TRIAGE_<SECTION>_<KEY>``; the environment wins.  Nothing else in the
project reads the environment.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from pipeline.errors import ConfigError

CommaList = Annotated[list[str], NoDecode]


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DatabaseSettings(Section):
    url: str = Field(
        "sqlite:///complaint-triage.db",
        description="SQLAlchemy URL; a SQLite file by default, or postgresql://…",
    )


class ImapSettings(Section):
    host: str | None = Field(None, description="IMAP server; unset means no polling")
    port: int | None = Field(None, description="993 with ssl, 143 without")
    user: str | None = None
    password: str | None = None
    ssl: bool = Field(True, description="implicit TLS with certificate checks")
    starttls: bool = Field(False, description="upgrade a plain connection (ssl=false)")
    verify: bool = Field(True, description="check the server certificate")
    folder: str = Field("INBOX", description="folder to read; Chinese names work")
    processed_keyword: str = Field(
        "$Triaged", description="keyword set on a message once its outcome is stored"
    )
    move_to: str | None = Field(None, description="folder to move processed mail to")
    timeout: float = Field(60.0, description="socket timeout in seconds")
    interval: int = Field(60, description="seconds between scheduled polls")
    idle: bool = Field(True, description="wait with IDLE between polls when offered")
    batch: int = Field(50, description="messages fetched per FETCH round trip")


class SmtpSettings(Section):
    host: str | None = Field(None, description="SMTP relay; unset writes to outbox")
    port: int = 25
    user: str | None = None
    password: str | None = None
    ssl: bool = False
    starttls: bool = False
    sender: str = Field(
        "complaints@firm.example", alias="from", description="From: of outgoing mail"
    )
    timeout: float = 30.0


class NotifySettings(Section):
    execution: CommaList = Field(
        default_factory=list, description="应急执行小组 targets: emails or URLs"
    )
    leadership: CommaList = Field(
        default_factory=list, description="应急领导小组 targets: emails or URLs"
    )
    outbox: Path = Field(
        Path("outbox"), description="folder where mail is written when no SMTP host"
    )
    max_attempts: int = Field(5, description="delivery attempts before giving up")
    retry_after: int = Field(300, description="seconds before a failed one is retried")

    _split = field_validator("execution", "leadership", mode="before")(_split_commas)


class AckSettings(Section):
    enabled: bool = Field(True, description="send 即时反馈 acknowledgements")
    per_sender_per_day: int = Field(3, description="acknowledgements per sender a day")


class FirmSettings(Section):
    name: str = Field("本所", description="the firm's name as clients know it")
    domains: CommaList = Field(
        default_factory=lambda: ["firm.example"],
        description="the firm's own mail domains (forwards, no acknowledgements)",
    )
    reference_prefix: str = Field("TS", description="reference numbers: TS-2026-00001")

    _split = field_validator("domains", mode="before")(_split_commas)


class LimitsSettings(Section):
    max_bytes: int = Field(30 * 1024 * 1024, description="larger mail is quarantined")
    max_parts: int = Field(2000, description="more MIME parts is quarantined")
    max_header_bytes: int = Field(256 * 1024, description="longer headers quarantined")
    parse_seconds: float = Field(20.0, description="parse time limit per message")
    attachment_text_chars: int = Field(20000, description="text kept per attachment")


class RemindersSettings(Section):
    enabled: bool = Field(True, description="remind groups of deadlines")
    lead_minutes: int = Field(
        60, description="minutes before a deadline that its owners are reminded"
    )
    check_seconds: int = Field(60, description="how often due reminders are looked for")
    digest_after: int = Field(
        3, description="more new reminders than this for one recipient in one scan "
        "go out as one summary mail"
    )


class GroupSettings(Section):
    window_days: int = Field(
        30, description="group effect: window in which complaints are counted"
    )
    min_clients: int = Field(
        3, description="group effect: distinct clients of one industry and issue type"
    )
    clients_csv: Path | None = Field(
        None, description="client register to import (name, aliases, domains, industry)"
    )


class TriageSettings(Section):
    model_path: Path | None = Field(
        None, description="classifier file; the bundled one if unset")
    rules_path: Path | None = Field(None, description="rules TOML; bundled if unset")
    training_dir: Path = Field(Path("training_data"), description="labelled cases")
    timezone: str = Field("Asia/Shanghai", description="the firm's clock")


class CalendarSettings(Section):
    close_of_business: str = Field(
        "18:00", description="working-day deadlines end at this time")
    extra_holidays: CommaList = Field(
        default_factory=list, description="ISO dates of holidays the library lacks"
    )
    extra_workdays: CommaList = Field(
        default_factory=list, description="ISO dates of make-up working days (调休)"
    )

    _split = field_validator("extra_holidays", "extra_workdays", mode="before")(
        _split_commas
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRIAGE_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="forbid",
    )

    database: DatabaseSettings = DatabaseSettings()
    imap: ImapSettings = ImapSettings()
    smtp: SmtpSettings = SmtpSettings()
    notify: NotifySettings = NotifySettings()
    ack: AckSettings = AckSettings()
    firm: FirmSettings = FirmSettings()
    limits: LimitsSettings = LimitsSettings()
    triage: TriageSettings = TriageSettings()
    reminders: RemindersSettings = RemindersSettings()
    group: GroupSettings = GroupSettings()
    calendar: CalendarSettings = CalendarSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment outranks the TOML file, which arrives as init values.
        return env_settings, init_settings


def load_settings(config: Path | None = None) -> Settings:
    """Settings from the TOML file at `config` (if any) and the environment."""
    values: dict[str, Any] = {}
    if config is not None:
        try:
            values = tomllib.loads(Path(config).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read configuration {config}: {exc}") from exc
    try:
        return Settings(**values)
    except ValueError as exc:
        raise ConfigError(f"invalid configuration: {exc}") from exc
