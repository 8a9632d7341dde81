#!/usr/bin/env python3
"""Triage throughput and memory, measured against jieba alone in one process.

Usage:
    .venv/bin/python benchmarks/bench_triage.py [--corpus DIR] [--count 1000]
        [--repeat 3] [--warmup 50] [--config FILE] [--profile] [--output FILE]

The corpus is a folder of .eml files.  When --corpus names a folder that
already holds some, they are used as they are; otherwise (or into a temporary
folder when --corpus is not given) COUNT messages are generated from the
sample mailbox and the training cases: new Message-IDs and dates, GB18030 /
GBK / GB2312-labelled, UTF-8 and Big5 bodies, plain, alternative, HTML-only
and reply layouts.  Generation is deterministic (--seed).

In one process, pinned to one CPU with one BLAS/OpenMP thread, it measures
after a warm-up (benchmarks/README.md says more):

- examine: `Pipeline.examine_many` (parse + triage, no database) in batches
  of EXAMINE_BATCH, as ingest and the IMAP poller run it;
- parse: `parse_message` alone; triage: `Triage.many` alone;
- jieba: jieba in its default mode over the exact text the triage segments
  (`classifier_text(subject, body_text)`), and the same text through
  `classifiers.segment.tokens`, jieba as the triage runs it;
- the ratios of examine and triage to both, CPU-time based;
- peak memory: maxrss after loading and at the end, and the tracemalloc
  peak of a separate, untimed examine pass.

Each step runs --repeat times in turn and the median is reported.  Results
go to benchmarks/results/latest.json.  With --profile, a cProfile run of the
examine loop is written beside it (profile.txt: top functions by own time
and by cumulative time).
"""

from __future__ import annotations

import os

# One BLAS / OpenMP thread; must be set before numpy and scipy are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import base64
import cProfile
import gc
import html
import io
import json
import platform
import pstats
import quopri
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import jieba

from classifiers import segment
from classifiers.training import classifier_text
from classifiers.triage import TriageInput
from pipeline.parse import parse_message
from pipeline.run import EXAMINE_BATCH, Arrival, Pipeline, triage_input
from pipeline.settings import load_settings

RESULTS = ROOT / "benchmarks" / "results"
TARGET_RATE = 200.0  # messages per second per core
TARGET_RATIO = 2.0  # triage time / jieba time
CHINA = timezone(timedelta(hours=8))
START = datetime(2026, 3, 2, 8, 30, tzinfo=CHINA)
SAMPLE_SHARE = 0.25  # the rest comes from the training cases
_CHARSET_LABEL = re.compile(rb'charset="?([a-z][a-z0-9_-]*)', re.IGNORECASE)


# -- the corpus ------------------------------------------------------------


def build_corpus(folder: Path, count: int, seed: int) -> None:
    """Write `count` realistic .eml files into `folder`."""
    rng = random.Random(seed)
    samples = sorted((ROOT / "samples" / "mailbox").glob("*.eml"))
    cases = _training_cases()
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        when = START + timedelta(minutes=7 * index + rng.randrange(7))
        if rng.random() < SAMPLE_SHARE:
            raw = _vary_sample(rng.choice(samples).read_bytes(), index, when)
        else:
            raw = _from_case(cases[index % len(cases)], index, when, rng)
        (folder / f"m{index:05d}.eml").write_bytes(raw)


def _training_cases() -> list[dict]:
    cases = []
    for path in sorted((ROOT / "training_data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cases.append(json.loads(line))
    random.Random(0).shuffle(cases)
    return cases


def _vary_sample(raw: bytes, index: int, when: datetime) -> bytes:
    """A sample with its own Message-ID and Date (top-level headers only)."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    message_id = f"Message-ID: <bench-s{index:05d}@mail.example.cn>".encode()
    date = f"Date: {_rfc_date(when)}".encode()
    head = re.sub(rb"(?mi)^Message-ID:.*$", message_id, head, count=1)
    head = re.sub(rb"(?mi)^Date:.*$", date, head, count=1)
    return head + sep + body


def _from_case(case: dict, index: int, when: datetime, rng: random.Random) -> bytes:
    """A training case as a client's mail client would send it."""
    label, codec = _charset(case["lang"], rng)
    layout = rng.choices(["plain", "alternative", "reply", "html"],
                         weights=[55, 25, 12, 8])[0]
    body = case["body"]
    if layout == "reply":
        body = _with_quoted_history(body, when, rng)
    try:
        body.encode(codec), case["subject"].encode(codec)
        case["from_name"].encode(codec)
    except UnicodeEncodeError:
        label, codec = "utf-8", "utf-8"
    head = _headers(case, index, when, label, codec, rng)
    if layout == "alternative":
        parts = _alternative(body, label, codec, index, rng)
    elif layout == "html":
        parts = _leaf("text/html", _as_html(body), label, codec, rng)
    else:
        parts = _leaf("text/plain", body, label, codec, rng)
    return "\r\n".join(head).encode("ascii") + b"\r\n" + parts


def _charset(lang: str, rng: random.Random) -> tuple[str, str]:
    """(label, codec): GBK-family bytes are often labelled gb2312."""
    if lang == "zh-Hant" and rng.random() < 0.75:
        return "big5", "big5hkscs"
    if lang == "zh-Hans" and rng.random() < 0.55:
        return rng.choice(["gb2312", "gbk", "gb18030"]), "gb18030"
    return "utf-8", "utf-8"


def _headers(case: dict, index: int, when: datetime, label: str, codec: str,
             rng: random.Random) -> list[str]:
    domain = case["from_addr"].rsplit("@", 1)[-1]
    name = _encoded_words(case["from_name"], label, codec)
    subject = _encoded_words(case["subject"], label, codec)
    stamp = _rfc_date(when)
    return [
        f"Received: from mail.{domain} (mail.{domain} [203.0.113.{index % 250 + 1}])",
        f"\tby mx1.firm.example (Postfix) with ESMTPS id B{index:08X}",
        f"\tfor <complaints@firm.example>; {stamp}",
        f"Received: from [10.1.{index % 200}.{rng.randrange(2, 250)}] by mail.{domain}",
        f"\twith ESMTPSA id {rng.getrandbits(40):x}; {stamp}",
        f"From: {name} <{case['from_addr']}>",
        "To: complaints@firm.example",
        f"Subject: {subject}",
        f"Date: {stamp}",
        f"Message-ID: <bench-{index:05d}.{rng.getrandbits(32):08x}@{domain}>",
        "MIME-Version: 1.0",
        rng.choice(["X-Mailer: Microsoft Outlook 16.0", "X-Mailer: Foxmail 7.2",
                    "X-Mailer: Coremail Webmail Server", "User-Agent: Thunderbird"]),
    ]


def _encoded_words(text: str, label: str, codec: str) -> str:
    """RFC 2047 B-words of the bytes in `codec`, labelled `label`, folded."""
    if text.isascii():
        return text
    words = []
    for start in range(0, len(text), 12):
        data = base64.b64encode(text[start:start + 12].encode(codec)).decode()
        words.append(f"=?{label}?B?{data}?=")
    return "\r\n ".join(words)


def _leaf(ctype: str, text: str, label: str, codec: str,
          rng: random.Random) -> bytes:
    data = text.replace("\n", "\r\n").encode(codec)
    cte = "base64" if codec != "utf-8" else rng.choice(
        ["base64", "quoted-printable", "8bit"])
    if cte == "base64":
        encoded = base64.encodebytes(data).replace(b"\n", b"\r\n")
    elif cte == "quoted-printable":
        encoded = quopri.encodestring(data).replace(b"\r\n", b"\n")
        encoded = encoded.replace(b"\n", b"\r\n")
    else:
        encoded = data + b"\r\n"
    head = (f'Content-Type: {ctype}; charset="{label}"\r\n'
            f"Content-Transfer-Encoding: {cte}\r\n\r\n")
    return head.encode("ascii") + encoded


def _alternative(text: str, label: str, codec: str, index: int,
                 rng: random.Random) -> bytes:
    boundary = f"----=_NextPart_000_{index:04X}_{rng.getrandbits(32):08X}"
    chunks = [
        f'Content-Type: multipart/alternative;\r\n\tboundary="{boundary}"\r\n\r\n'
        f"This is a multi-part message in MIME format.\r\n\r\n--{boundary}\r\n"
        .encode("ascii"),
        _leaf("text/plain", text, label, codec, rng),
        f"\r\n--{boundary}\r\n".encode("ascii"),
        _leaf("text/html", _as_html(text), label, codec, rng),
        f"\r\n--{boundary}--\r\n".encode("ascii"),
    ]
    return b"".join(chunks)


def _as_html(text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>\n"
                         for line in text.split("\n"))
    return ("<html><head><style>p{margin:0;font-family:SimSun}</style></head>"
            f"<body>\n{paragraphs}</body></html>")


def _with_quoted_history(body: str, when: datetime, rng: random.Random) -> str:
    earlier = when - timedelta(days=rng.randint(1, 9))
    quoted = "\n".join(f"> {line}" for line in (
        "您好，报告初稿已发送，请查收并提出意见。", "", "项目组 李婷", "本所 审计二部"))
    return (f"{body}\n\n-----Original Message-----\n发件人: 李婷 <liting@firm.example>\n"
            f"发送时间: {earlier:%Y年%m月%d日 %H:%M}\n收件人: client\n"
            f"主题: 审计报告初稿\n\n{quoted}\n")


def _rfc_date(when: datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S +0800")


def corpus_summary(raws: list[tuple[str, bytes]]) -> dict:
    labels = Counter()
    for _name, raw in raws:
        for label in _CHARSET_LABEL.findall(raw):
            labels[label.decode().lower()] += 1
    return {"messages": len(raws), "bytes": sum(len(r) for _n, r in raws),
            "charset_labels": dict(labels.most_common())}


# -- the measurements ------------------------------------------------------


def pin_to_one_core() -> int | None:
    """Pin this process to one CPU; None where the OS does not allow it."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def limit_native_threads() -> list[dict]:
    """Hold every loaded BLAS/OpenMP pool at one thread; return what was found."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        return []
    threadpool_limits(1)
    return [{"api": p.get("user_api"), "library": p.get("internal_api"),
             "threads": p.get("num_threads")} for p in threadpool_info()]


def timed(run) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call, after a full collection."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def examine_all(pipeline: Pipeline, raws: list[tuple[str, bytes]]) -> list:
    """Every message examined, EXAMINE_BATCH at a time as `ingest` and the
    IMAP poller hand them over."""
    return list(pipeline.examine_stream(Arrival(raw, name) for name, raw in raws))


def triage_all(pipeline: Pipeline, inputs: list[TriageInput]) -> None:
    for start in range(0, len(inputs), EXAMINE_BATCH):
        pipeline.triage.many(inputs[start:start + EXAMINE_BATCH])


def measure(pipeline: Pipeline, raws: list[tuple[str, bytes]], warmup: int,
            repeat: int) -> dict:
    examine_all(pipeline, raws[:warmup])
    maxrss_loaded = _maxrss_mib()

    examined = examine_all(pipeline, raws)
    ready = [e for e in examined if e.parsed is not None and e.verdict is not None]
    inputs = [triage_input(e.parsed) for e in ready]
    texts = [classifier_text(e.parsed.subject, e.parsed.body_text) for e in ready]
    default_jieba = jieba.Tokenizer()
    default_jieba.initialize()
    for text in texts[:warmup]:
        default_jieba.lcut(text)
        segment.tokens(text)

    limits, domains = pipeline.settings.limits, tuple(pipeline.settings.firm.domains)
    steps = {
        "examine": lambda: examine_all(pipeline, raws),
        "parse": lambda: [_parse_or_none(raw, limits, domains) for _n, raw in raws],
        "triage": lambda: triage_all(pipeline, inputs),
        "jieba": lambda: [default_jieba.lcut(t) for t in texts],
        "segment": lambda: [segment.tokens(t) for t in texts],
    }
    runs: dict[str, list[tuple[float, float]]] = {step: [] for step in steps}
    for _ in range(repeat):
        for step, run in steps.items():
            runs[step].append(timed(run))
    return {
        "examined": examined,
        "texts": texts,
        "runs": runs,
        "maxrss_loaded_mib": maxrss_loaded,
    }


def _parse_or_none(raw: bytes, limits, domains):
    try:
        return parse_message(raw, limits, domains)
    except Exception:  # noqa: BLE001 - rejected mail is timed like the rest
        return None


def traced_peak(pipeline: Pipeline, raws: list[tuple[str, bytes]]) -> float:
    """tracemalloc's peak (MiB) over an untimed triage pass, results dropped."""
    gc.collect()
    tracemalloc.start()
    try:
        examine_all(pipeline, raws)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def profile(pipeline: Pipeline, raws: list[tuple[str, bytes]], path: Path) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    examine_all(pipeline, raws)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write("== top 30 by own time ==\n")
    stats.sort_stats("tottime").print_stats(30)
    out.write("== top 40 by cumulative time ==\n")
    stats.sort_stats("cumulative").print_stats(40)
    path.write_text(out.getvalue(), encoding="utf-8")
    return out.getvalue()


def _maxrss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    scale = 2**20 if sys.platform == "darwin" else 2**10
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / scale / 2**10


# -- the report ------------------------------------------------------------


def summarise(measured: dict, n: int, peak: float, cpu: int | None,
              pools: list[dict], corpus: dict) -> dict:
    cpu_s = {step: statistics.median(c for _w, c in runs)
             for step, runs in measured["runs"].items()}
    wall_s = {step: statistics.median(w for w, _c in runs)
              for step, runs in measured["runs"].items()}
    texts = measured["texts"]
    quarantined = sum(e.verdict is None for e in measured["examined"])
    rate = n / cpu_s["examine"]
    ratios = {f"{step}_to_{base}": round(cpu_s[step] / cpu_s[base], 2)
              for step in ("examine", "triage") for base in ("jieba", "segment")}

    def step(name: str, count: int) -> dict:
        return {"cpu_seconds": round(cpu_s[name], 4),
                "wall_seconds": round(wall_s[name], 4),
                "messages_per_second_per_core": round(count / cpu_s[name], 1),
                "all_runs": measured["runs"][name]}

    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_pinned": cpu,
        "native_thread_pools": pools,
        "corpus": corpus,
        "repeats": len(measured["runs"]["examine"]),
        "batch": EXAMINE_BATCH,
        "examine": {"messages": n, "quarantined": quarantined} | step("examine", n),
        "parse": step("parse", n),
        "triage": {"messages": len(texts)} | step("triage", len(texts)),
        "jieba": {"texts": len(texts), "characters": sum(map(len, texts)),
                  "mode": "jieba.Tokenizer().lcut(text): default dictionary and HMM"}
        | step("jieba", len(texts)),
        "segment": {"mode": "classifiers.segment.tokens: audit dictionary, no HMM, "
                            "punctuation dropped"} | step("segment", len(texts)),
        "ratios": ratios,
        "memory": {
            "maxrss_after_load_mib": round(measured["maxrss_loaded_mib"], 1),
            "maxrss_end_mib": round(_maxrss_mib(), 1),
            "tracemalloc_peak_triage_loop_mib": round(peak, 2),
        },
        "targets": {
            "messages_per_second_per_core": TARGET_RATE, "ratio": TARGET_RATIO,
            "rate_met": rate >= TARGET_RATE,
            "ratio_met": ratios["triage_to_jieba"] <= TARGET_RATIO,
        },
    }


def print_summary(result: dict) -> None:
    examine, parse, triage = result["examine"], result["parse"], result["triage"]
    jieba_, segment_ = result["jieba"], result["segment"]
    ratios, memory, targets = result["ratios"], result["memory"], result["targets"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    def line(label: str, step: dict) -> str:
        return (f"{label}: {step['cpu_seconds']:.2f} s CPU "
                f"({step['wall_seconds']:.2f} s wall) -> "
                f"{step['messages_per_second_per_core']:.0f} messages/s/core")

    print(f"corpus: {result['corpus']['messages']} messages, "
          f"{result['corpus']['bytes'] / 2**20:.1f} MiB; pinned to CPU "
          f"{result['cpu_pinned']}; median of {result['repeats']} runs; "
          f"batches of {result['batch']}")
    print(line("examine (MIME parse + triage)", examine)
          + f" [target >= {targets['messages_per_second_per_core']:.0f}: "
          f"{verdict(targets['rate_met'])}]; {examine['quarantined']} quarantined")
    print("  " + line("MIME parse alone", parse))
    print("  " + line("triage alone (text to verdict)", triage))
    print(line("jieba alone, same texts (default mode)", jieba_)
          + f", {jieba_['characters'] / jieba_['cpu_seconds'] / 1000:.0f}k chars/s")
    print(line("jieba as triage runs it (no HMM)", segment_))
    print(f"ratio triage / jieba: {ratios['triage_to_jieba']:.2f} "
          f"[target <= {targets['ratio']:.0f}: {verdict(targets['ratio_met'])}]; "
          f"against jieba as triage runs it {ratios['triage_to_segment']:.2f}")
    print("ratio examine (with MIME parsing) / jieba: "
          f"{ratios['examine_to_jieba']:.2f}; "
          f"against jieba as triage runs it {ratios['examine_to_segment']:.2f}")
    print(f"memory: maxrss {memory['maxrss_after_load_mib']:.0f} MiB after load, "
          f"{memory['maxrss_end_mib']:.0f} MiB at the end; tracemalloc peak of the "
          f"triage loop {memory['tracemalloc_peak_triage_loop_mib']:.1f} MiB")


# -- the command -----------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    cpu = pin_to_one_core()
    folder, temporary = _corpus_folder(args)
    raws = [(str(p), p.read_bytes()) for p in sorted(folder.glob("*.eml"))]
    if not raws:
        print(f"no .eml files in {folder}", file=sys.stderr)
        return 1

    pipeline = Pipeline(load_settings(args.config))
    pools = limit_native_threads()
    measured = measure(pipeline, raws, args.warmup, args.repeat)
    peak = traced_peak(pipeline, raws)
    corpus = corpus_summary(raws) | {"folder": None if temporary else str(folder),
                                     "generated": args.generated}
    result = summarise(measured, len(raws), peak, cpu, pools, corpus)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                           encoding="utf-8")
    print_summary(result)
    print(f"results: {args.output}")
    if args.profile:
        path = args.output.with_name("profile.txt")
        profile(pipeline, raws, path)
        print(f"profile: {path}")
    if temporary:
        temporary.cleanup()
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        help="folder of .eml to use, or to generate into if empty")
    parser.add_argument("--count", type=int, default=1000, help="messages to generate")
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--warmup", type=int, default=50, help="messages to warm up on")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (median)")
    parser.add_argument("--config", type=Path, help="TOML settings file")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    parser.add_argument("--profile", action="store_true",
                        help="also write a cProfile of the triage loop")
    return parser.parse_args(argv)


def _corpus_folder(args) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    temporary = None
    if args.corpus is None:
        temporary = tempfile.TemporaryDirectory(prefix="bench-triage-")
        folder = Path(temporary.name)
    else:
        folder = args.corpus
    args.generated = not (folder.is_dir() and any(folder.glob("*.eml")))
    if args.generated:
        build_corpus(folder, args.count, args.seed)
    return folder, temporary


if __name__ == "__main__":
    sys.exit(main())
