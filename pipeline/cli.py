"""The `complaint-triage` command.  Only this module exits the process."""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from models.schema import STATUSES
from pipeline.errors import ConfigError, TriageError
from pipeline.settings import Settings, load_settings

log = logging.getLogger("complaint_triage")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        settings = load_settings(args.config)
        return args.handler(args, settings) or 0
    except ConfigError as exc:
        print(f"complaint-triage: configuration error: {exc}", file=sys.stderr)
        return 2
    except TriageError as exc:
        print(f"complaint-triage: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="complaint-triage",
        description="Triage of the complaints mailbox into draft 客户投诉登记表.",
    )
    parser.add_argument("--config", type=Path, help="TOML settings file")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(dest="command", required=True)

    triage = commands.add_parser("triage", help="triage messages without storing them")
    triage.add_argument("--json", action="store_true", help="one JSON object a line")
    triage.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    triage.set_defaults(handler=_triage)

    evaluate = commands.add_parser(
        "eval", help="score triage against a folder of .eml with truth.jsonl")
    evaluate.add_argument("--json", action="store_true", help="one JSON report")
    evaluate.add_argument("folder", type=Path, metavar="DIR")
    evaluate.set_defaults(handler=_eval)

    ingest = commands.add_parser("ingest", help="store, draft records and notify")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.set_defaults(handler=_ingest)

    poll = commands.add_parser("poll", help="read the configured IMAP mailbox")
    poll.add_argument("--once", action="store_true", help="poll once and exit")
    poll.set_defaults(handler=_poll)

    records = commands.add_parser("records", help="list registration records")
    records.add_argument("--json", action="store_true", help="one JSON object a line")
    records.add_argument("--status", choices=STATUSES,
                         help="only records with this status")
    records.set_defaults(handler=_records)

    messages = commands.add_parser(
        "messages", help="list inbound messages (non-complaints, quarantined…)")
    messages.add_argument("--outcome", choices=[
        "record", "followup", "not_complaint", "quarantined"])
    messages.add_argument("--json", action="store_true")
    messages.set_defaults(handler=_messages)

    confirm = commands.add_parser("confirm", help="confirm (and correct) a draft")
    confirm.add_argument("reference")
    confirm.add_argument("--by", required=True, help="who confirms")
    confirm.add_argument("--level", type=int, choices=[1, 2, 3])
    confirm.add_argument("--client", help="correct the client name")
    confirm.add_argument("--complainant", help="correct the complainant's name")
    confirm.add_argument("--note")
    confirm.set_defaults(handler=_confirm)

    status = commands.add_parser("status", help="move a record to its next status")
    status.add_argument("reference")
    status.add_argument("status", help="confirmed, in_review, resolved or archived "
                        "(或 已确认、内部复核中、已解决、已归档)")
    status.add_argument("--by", required=True, help="who makes the change")
    status.add_argument("--note")
    status.set_defaults(handler=_status)

    met = commands.add_parser("met", help="record that one deadline was met")
    met.add_argument("reference")
    met.add_argument("clock", help="the deadline's name, e.g. emergency_meeting "
                     "(`show` lists them)")
    met.add_argument("--by", required=True, help="who records it")
    met.add_argument("--note")
    met.set_defaults(handler=_met)

    show = commands.add_parser("show", help="one record in full, with its history")
    show.add_argument("reference")
    show.set_defaults(handler=_show)

    remind = commands.add_parser("remind", help="remind the groups of deadlines")
    remind.add_argument("--once", action="store_true",
                        help="queue and send due reminders once, then exit")
    remind.set_defaults(handler=_remind)

    _clients_parser(commands)

    reclassify = commands.add_parser(
        "reclassify", help="make a non-complaint or quarantined message a record")
    reclassify.add_argument("message_id")
    reclassify.add_argument("--level", type=int, choices=[1, 2, 3], required=True)
    reclassify.add_argument("--by", required=True, help="who decides")
    reclassify.set_defaults(handler=_reclassify)

    deliver = commands.add_parser("deliver", help="send queued notifications now")
    deliver.set_defaults(handler=_deliver)

    train = commands.add_parser("train", help="train the classifier")
    train.add_argument("--data", type=Path, help="folder of *.jsonl cases")
    train.add_argument("--output", type=Path, help="model file to write")
    train.add_argument("--with-records", action="store_true",
                       help="add archived records from the database (needs a "
                            "model path other than the bundled one)")
    train.set_defaults(handler=_train)
    return parser


def _database(settings: Settings):
    from models.db import Database

    return Database(settings.database.url)


def _pipeline(settings: Settings):
    from pipeline.run import Pipeline  # heavy imports only for commands that need them

    return Pipeline(settings)


def _triage(args, settings: Settings) -> int:
    pipeline = _pipeline(settings)
    for item, examined in _examined(pipeline, args.paths):
        if examined is None:
            examined = pipeline.unreadable(item.source, item.error)
        if args.json:
            print(json.dumps(examined.as_json(), ensure_ascii=False), flush=True)
        else:
            _print_examined(examined)
    return 0


def _examined(pipeline, paths: list[Path]):
    """(file item, its Examined or None when unreadable), a batch at a time."""
    from pipeline.run import EXAMINE_BATCH, Arrival
    from pipeline.sources import iter_paths

    items = iter_paths(paths)
    while True:
        chunk, failure = [], None
        try:
            chunk.extend(itertools.islice(items, EXAMINE_BATCH))
        except Exception as exc:  # noqa: BLE001 - re-raised below
            failure = exc  # a missing path: what came before it is still handled
        readable = [item for item in chunk if not item.error]
        results = iter(pipeline.examine_many(
            [Arrival(item.raw, item.source) for item in readable]))
        for item in chunk:
            yield item, None if item.error else next(results)
        if failure is not None:
            raise failure
        if len(chunk) < EXAMINE_BATCH:
            return


def _print_examined(examined) -> None:
    verdict = examined.verdict
    if verdict is None:
        print(f"{examined.source}: 已隔离 — {examined.reason}")
        return
    level = "非投诉"
    if verdict.is_complaint:
        level = f"{verdict.level}级 {verdict.level_name}"
    print(f"{examined.source}: {level}（{verdict.confidence:.2f}）"
          f" {verdict.fields.client_name or ''}")
    for reason in verdict.reasons:
        print(f"    - {reason}")


def _eval(args, settings: Settings) -> int:
    from pipeline.evaluate import evaluate_folder, format_report

    report = evaluate_folder(_pipeline(settings), args.folder)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(format_report(report))
    return 0


def _ingest(args, settings: Settings) -> int:
    pipeline = _pipeline(settings)
    counts: dict[str, int] = {}
    try:
        for item, examined in _examined(pipeline, args.paths):
            # An unreadable file holds no message to keep; it is logged.
            kind = "unreadable" if examined is None else pipeline.ingest(
                item.raw, item.source, examined=examined).outcome
            counts[kind] = counts.get(kind, 0) + 1
    finally:
        # Whatever stopped the loop, what was stored is still notified.
        report = pipeline.deliver()
    print(_summary(counts, report), file=sys.stderr)
    _print_records(pipeline)
    return 0


def _poll(args, settings: Settings) -> int:
    from pipeline.scheduler import poll_once, run_forever

    if args.once:
        report = poll_once(_pipeline(settings))
        if report.skipped:
            print("poll skipped: another poller is reading this mailbox",
                  file=sys.stderr)
        else:
            print(f"fetched {report.fetched}: {report.outcomes}", file=sys.stderr)
        return 0
    run_forever(_pipeline(settings))
    return 0


def _records(args, settings: Settings) -> int:
    pipeline = _pipeline(settings)
    if args.json:
        from models.store import list_records
        from pipeline.output import record_json

        with pipeline.db.session() as session:
            for record in list_records(session):
                if args.status and record.status != args.status:
                    continue
                print(json.dumps(record_json(record), ensure_ascii=False))
        return 0
    _print_records(pipeline, args.status)
    return 0


def _print_records(pipeline, status: str | None = None) -> None:
    from models.store import list_records
    from notifiers.render import LEVEL_TEXT, STATUS_TEXT, local

    now, overdue = datetime.now(UTC), 0
    rows = [("编号", "级别", "状态", "客户名称", "投诉人", "收到时间", "下一时限",
             "通知")]
    with pipeline.db.session() as session:
        for record in list_records(session):
            if status and record.status != status:
                continue
            next_due, late = _next_deadline(record, now)
            overdue += bool(late)
            sent = sum(n.status == "sent" for n in record.notifications)
            rows.append((record.reference, LEVEL_TEXT[record.level],
                         STATUS_TEXT[record.status].split("（")[0],
                         record.client_name or "待核实", record.complainant_name or "—",
                         local(record.received_at), next_due,
                         f"{sent}/{len(record.notifications)}"))
    _print_table(rows)
    if overdue:
        print(f"\n共 {overdue} 条记录有已超时的处理时限"
              "（complaint-triage show 编号 查看）")


def _next_deadline(record, now: datetime) -> tuple[str, int]:
    """The earliest unmet clock of an open record, and how many are overdue."""
    from notifiers.render import CLOSED_STATUSES, is_overdue, local

    pending = [d for d in record.deadlines if d.met_at is None]
    if not pending or record.status in CLOSED_STATUSES:
        return "—", 0
    due = min(pending, key=lambda d: d.due_at)
    text = f"{_short_label(due)} {local(due.due_at)}"
    late = sum(is_overdue(record, d, now) for d in pending)
    if late:
        text = f"【已超时】{text}" + (f"（共{late}项超时）" if late > 1 else "")
    return text, late


def _short_label(deadline) -> str:
    return deadline.label.split("（")[0]


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = zip(row, widths, strict=True)
        print("  ".join(_pad(cell, width) for cell, width in cells).rstrip())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _messages(args, settings: Settings) -> int:
    from models.store import list_messages
    from notifiers.render import local
    from pipeline.output import iso

    pipeline = _pipeline(settings)
    with pipeline.db.session() as session:
        for message in list_messages(session, args.outcome):
            if args.json:
                print(json.dumps({
                    "message_id": message.message_id, "source": message.source,
                    "outcome": message.outcome, "reason": message.reason,
                    "subject": message.subject, "sender": message.sender,
                    "received_at": iso(message.received_at),
                    "record_id": message.record_id,
                }, ensure_ascii=False))
            else:
                print(f"{local(message.received_at)}  {message.outcome:<13} "
                      f"{message.message_id}  {message.subject}"
                      + (f"  （{message.reason}）" if message.reason else ""))
    return 0


def _confirm(args, settings: Settings) -> int:
    from notifiers.render import LEVEL_TEXT
    from pipeline.review import confirm_record

    pipeline = _pipeline(settings)
    record = confirm_record(pipeline, args.reference, args.by,
                            level=args.level, client=args.client,
                            complainant=args.complainant, note=args.note)
    print(f"{record.reference}: 已确认（{LEVEL_TEXT[record.level]}）")
    pipeline.deliver()  # an escalation to the leadership group, if the level rose
    return 0


def _status(args, settings: Settings) -> int:
    from notifiers.render import STATUS_TEXT
    from pipeline.review import MET_BY_STATUS, move_record

    names = {text.split("（")[0]: code for code, text in STATUS_TEXT.items()}
    status = names.get(args.status.strip(), args.status.strip())
    started = datetime.now(UTC)
    record = move_record(_pipeline(settings), args.reference, status, args.by,
                         args.note)
    name = STATUS_TEXT[status].split("（")[0]
    print(f"{record.reference}：状态已改为「{name}」（{args.by}）")
    met = [d.label for d in record.deadlines
           if d.name in MET_BY_STATUS.get(status, ())
           and d.met_at is not None and d.met_at >= started]
    if met:
        print("已完成时限：" + "、".join(met))
    return 0


def _met(args, settings: Settings) -> int:
    from notifiers.render import local
    from pipeline.review import meet_clock

    deadline = meet_clock(_pipeline(settings), args.reference, args.clock, args.by,
                          args.note)
    late = "（超时完成）" if deadline.met_at > deadline.due_at else ""
    print(f"{args.reference}：时限「{deadline.label}」于 {local(deadline.met_at)} "
          f"登记完成{late}（{args.by}）")
    return 0


def _show(args, settings: Settings) -> int:
    from models.store import record_in_full
    from notifiers.render import record_sheet

    db = _database(settings)
    try:
        with db.session() as session:
            record = record_in_full(session, args.reference)
            if record is None:
                raise TriageError(f"没有编号为 {args.reference} 的登记表")
            print("\n".join(record_sheet(record, datetime.now(UTC))))
    finally:
        db.dispose()
    return 0


def _remind(args, settings: Settings) -> int:
    from pipeline.reminders import remind_once, run_forever

    if not settings.reminders.enabled:
        print("reminders are disabled ([reminders] enabled = false)", file=sys.stderr)
        return 0
    pipeline = _pipeline(settings)
    if not args.once:
        run_forever(pipeline)
        return 0
    report, delivery = remind_once(pipeline)
    print(f"reminders queued {report.queued}, cancelled {report.cancelled}; "
          f"notifications sent {delivery.sent}, retrying {delivery.retrying}, "
          f"failed {delivery.failed}", file=sys.stderr)
    return 0


def _clients_parser(commands) -> None:
    register = commands.add_parser("clients", help="the client register (客户名册)")
    actions = register.add_subparsers(dest="action", required=True)
    load = actions.add_parser("import", help="add or update clients from a CSV file")
    load.add_argument("file", type=Path, nargs="?", metavar="FILE.csv",
                      help="columns name, aliases (a;b), domains (a;b), industry; "
                      "default: [group] clients_csv")
    load.set_defaults(handler=_clients_import)
    listing = actions.add_parser("list", help="list the client register")
    listing.add_argument("--json", action="store_true", help="one JSON object a line")
    listing.set_defaults(handler=_clients_list)


def _clients_import(args, settings: Settings) -> int:
    from pipeline.clients import import_csv

    path = args.file or settings.group.clients_csv
    if path is None:
        raise ConfigError("no CSV file given and [group] clients_csv is not set")
    db = _database(settings)
    try:
        with db.session() as session:
            report = import_csv(session, path)
    finally:
        db.dispose()
    for warning in report.warnings:
        print(f"注意：{warning}", file=sys.stderr)
    print(f"客户名册：新增 {report.created} 家，更新 {report.updated} 家")
    return 0


def _clients_list(args, settings: Settings) -> int:
    from models.store import list_clients
    from pipeline.clients import industry_text

    db = _database(settings)
    rows = [("客户名称", "别名", "邮箱域名", "行业")]
    with db.session() as session:
        for client in list_clients(session):
            aliases = [n.name for n in client.names if n.name != client.name]
            domains = [d.domain for d in client.domains]
            if args.json:
                print(json.dumps({"name": client.name, "aliases": aliases,
                                  "domains": domains, "industry": client.industry,
                                  "shown_industry": industry_text(client)},
                                 ensure_ascii=False))
            rows.append((client.name, "；".join(aliases) or "—",
                         "；".join(domains) or "—", industry_text(client)))
    db.dispose()
    if not args.json:
        _print_table(rows)
    return 0


def _reclassify(args, settings: Settings) -> int:
    from notifiers.render import LEVEL_TEXT
    from pipeline.review import reclassify_message

    pipeline = _pipeline(settings)
    record = reclassify_message(pipeline, args.message_id, args.level, args.by)
    pipeline.deliver()
    print(f"{record.reference}: 已由 {args.message_id} 改判为投诉"
          f"（{LEVEL_TEXT[record.level]}，草稿）")
    return 0


def _deliver(args, settings: Settings) -> int:
    report = _pipeline(settings).deliver()
    print(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}",
          file=sys.stderr)
    return 0


def _train(args, settings: Settings) -> int:
    from classifiers.classifier import BUNDLED_MODEL
    from classifiers.training import train

    output = args.output or settings.triage.model_path or BUNDLED_MODEL
    extra = []
    if args.with_records:
        from pipeline.retrain import archived_examples

        if Path(output).resolve() == BUNDLED_MODEL.resolve():
            raise ConfigError("--with-records needs --output or [triage] model_path: "
                              "the bundled model is rebuilt from training_data/ only")
        extra = archived_examples(_database(settings))
    metrics = train(args.data or settings.triage.training_dir, output, extra)
    print(json.dumps({"chosen": metrics["chosen"],
                      "cv_macro_f1": metrics["cv_macro_f1"],
                      "cases": metrics["cases"],
                      "archived_records_added": len(extra)},
                     ensure_ascii=False, indent=2))
    return 0


def _summary(counts: dict[str, int], report) -> str:
    parts = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
    return (f"messages: {parts or 'none'}; notifications sent {report.sent}, "
            f"retrying {report.retrying}, failed {report.failed}")


if __name__ == "__main__":
    sys.exit(main())
