"""The client register (客户名册): which company a complaint comes from.

Clients come from a CSV import (`complaint-triage clients import`) and grow
from confirmed records (`learn_from_record`).  A record is matched to a client
by its name or an alias, compared without punctuation or legal form
(有限公司, Co., Ltd.), or else by the sender's mail domain.  A client's
industry is the one the register gives, or else inferred from its names.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from classifiers.industry import infer_industry, load_industries
from classifiers.text import normalise
from models import store
from models.schema import Client, ClientDomain, ClientName, ComplaintRecord
from pipeline.errors import TriageError

log = logging.getLogger(__name__)

CSV_COLUMNS = ("name", "aliases", "domains", "industry")
# Headers as staff may write them in a spreadsheet.
_HEADER_ALIASES = {
    "名称": "name", "客户名称": "name", "公司名称": "name", "别名": "aliases",
    "简称": "aliases", "域名": "domains", "邮箱域名": "domains", "行业": "industry",
}
_LIST_SEPARATORS = re.compile(r"[;；]")
_LEGAL_FORM = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|股份公司|公司|coltd|companylimited"
    r"|limited|ltd|inc|corporation|corp|llc)$"
)


class ClientsError(TriageError):
    """The client register cannot be imported; the message says why."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)


# -- names and domains ------------------------------------------------------


def company_key(name: str | None) -> str:
    """The form company names are compared by: 华澜置业有限公司 → 华澜置业."""
    text = re.sub(r"[\W_]+", "", normalise(name or "").lower())
    while True:
        shorter = _LEGAL_FORM.sub("", text)
        if shorter == text or not shorter:
            return text
        text = shorter


def mail_domain(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    return address.rsplit("@", 1)[1].strip().strip(">").lower() or None


def company_domains(
    addresses: Iterable[str | None], firm_domains: Collection[str]
) -> list[str]:
    """Mail domains of `addresses` that can name a company, most specific first."""
    found = []
    for address in addresses:
        domain = mail_domain(address)
        if domain and not _is_shared(domain, firm_domains):
            found.append(domain)
    return list(dict.fromkeys(found))


def _is_shared(domain: str, firm_domains: Collection[str]) -> bool:
    if domain in store.PUBLIC_MAIL_DOMAINS:
        return True
    return any(domain == d or domain.endswith("." + d) for d in firm_domains)


def _with_parents(domains: Iterable[str]) -> list[str]:
    """mail.hualan.example.cn also tries hualan.example.cn and example.cn."""
    found = []
    for domain in domains:
        labels = domain.split(".")
        found += [".".join(labels[i:]) for i in range(len(labels) - 1)]
    return list(dict.fromkeys(found))


def record_addresses(record: ComplaintRecord) -> list[str | None]:
    return [record.complainant_email, *(m.sender for m in record.messages)]


# -- matching -----------------------------------------------------------------


def match_client(
    session: Session, name: str | None, domains: Iterable[str]
) -> Client | None:
    """The register's client for a company name or, failing that, a mail
    domain of `domains` (from `company_domains`) or a parent domain of one."""
    key = company_key(name)
    client = store.client_by_name_key(session, key) if key else None
    if client is not None:
        return client
    return store.client_by_domain(session, _with_parents(domains))


def is_named(session: Session, client: Client, name: str) -> bool:
    """Whether `name` is one of the client's names or aliases in the register."""
    key = company_key(name)
    return bool(key) and store.client_by_name_key(session, key) is client


def industry_of(client: Client | None, name: str | None) -> str | None:
    """The register's industry, or the one the client's names point to."""
    if client is not None and client.industry:
        return client.industry
    names = [n.name for n in client.names] if client is not None else []
    for candidate in [*names, name]:
        industry = infer_industry(candidate)
        if industry:
            return industry
    return None


def industry_text(client: Client) -> str:
    """The industry as `clients list` shows it."""
    if client.industry:
        return client.industry
    inferred = industry_of(client, None)
    return f"{inferred}（按名称推断）" if inferred else "未知"


# -- growing the register -----------------------------------------------------


def learn_from_record(
    session: Session, record: ComplaintRecord, firm_domains: Collection[str],
    named_by_person: bool = False,
) -> Client | None:
    """Add a confirmed record's client, name and sender domain to the register.

    Call when a person confirms the record, after their corrections: the
    client is found again by the (corrected) name, then by the sender's
    domain, and created when neither is known.  A name or domain that
    already belongs to another client is left with that client.
    """
    name = (record.client_name or "").strip() or None
    domains = company_domains(record_addresses(record), firm_domains)
    client = match_client(session, name, domains)
    if client is None and name is None:
        return None
    found_by_domain = (client is not None and name and not named_by_person
                       and not is_named(session, client, name))
    if client is None:
        client = Client(name=name)
        session.add(client)
        log.info("%s: new client in the register", record.reference)
    if name and not found_by_domain:
        # A different name on a known domain may be a subsidiary: unless a
        # person wrote it in, it does not become an alias of the company
        # that owns the domain.
        _add_name(session, client, name)
    for domain in domains:
        _add_domain(session, client, domain)
    record.client = client
    # The confirmed client decides; its industry applies to later groups.
    record.industry = industry_of(client, name) or record.industry
    return client


def _add_name(session: Session, client: Client, name: str,
              report: ImportReport | None = None) -> bool:
    key = company_key(name)
    if not key:
        return False
    owner = store.name_owner(session, key)
    if owner is not None or any(n.key == key for n in client.names):
        if owner is not None and owner != client.id and report is not None:
            report.warnings.append(f"名称“{name}”已属于另一客户，未重复登记")
        return False
    client.names.append(ClientName(name=name, key=key))
    session.flush()
    return True


def _add_domain(session: Session, client: Client, domain: str,
                report: ImportReport | None = None) -> bool:
    owner = store.domain_owner(session, domain)
    if owner is not None or any(d.domain == domain for d in client.domains):
        if owner is not None and owner != client.id and report is not None:
            report.warnings.append(f"域名 {domain} 已属于另一客户，未重复登记")
        return False
    client.domains.append(ClientDomain(domain=domain))
    session.flush()
    return True


# -- CSV import ---------------------------------------------------------------


def import_csv(session: Session, path: Path) -> ImportReport:
    """Add or update clients from a CSV with columns name, aliases, domains,
    industry; aliases and domains are separated by ';'."""
    report = ImportReport()
    known = set(load_industries().names)
    for line, row in enumerate(read_csv(path), start=2):
        name = row.get("name", "").strip()
        if not name:
            report.warnings.append(f"第{line}行没有客户名称，已跳过")
            continue
        industry = row.get("industry", "").strip() or None
        if industry and industry not in known:
            report.warnings.append(
                f"第{line}行行业“{industry}”不在行业关键词表中，"
                "同一行业请使用相同写法")
        _import_row(session, row, name, industry, report)
    return report


def _import_row(session: Session, row: dict, name: str, industry: str | None,
                report: ImportReport) -> None:
    client = store.client_by_name_key(session, company_key(name))
    if client is None:
        client = Client(name=name)
        session.add(client)
        report.created += 1
    else:
        report.updated += 1
    if industry:
        client.industry = industry
    for alias in [name, *_split(row.get("aliases"))]:
        _add_name(session, client, alias, report)
    for domain in _split(row.get("domains")):
        domain = domain.lower().lstrip("@")
        if _is_shared(domain, ()):
            report.warnings.append(f"{domain} 是公共邮箱域名，不能代表“{name}”，已跳过")
            continue
        _add_domain(session, client, domain, report)


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of the register CSV, UTF-8 (with or without BOM) or GB18030."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ClientsError(f"cannot read {path}: {exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")  # Excel's Chinese CSV
    reader = csv.DictReader(io.StringIO(text))
    headers = [_column(h) for h in reader.fieldnames or []]
    if "name" not in headers:
        raise ClientsError(
            f"{path}: no 'name' column; expected columns {', '.join(CSV_COLUMNS)}")
    reader.fieldnames = headers
    return [{k: (v or "") for k, v in row.items() if k} for row in reader]


def _column(header: str | None) -> str:
    header = (header or "").strip().lstrip("\ufeff")
    return _HEADER_ALIASES.get(header, header.lower())


def _split(value: str | None) -> list[str]:
    parts = _LIST_SEPARATORS.split(value or "")
    return [part.strip() for part in parts if part.strip()]
