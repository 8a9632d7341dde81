#!/usr/bin/env python3
"""Validate the labelled training corpus in this folder (stdlib only).

Usage:
    python3 training_data/check_corpus.py [--strict] [--similarity 0.8]

Loads every ``*.jsonl`` file next to this script and checks:

* every line is a JSON object with the required keys and types;
* ids are unique across all files;
* ``kind`` is one of the allowed kinds, ``is_complaint`` is true exactly when
  ``kind == "complaint"``, and ``level`` is 1/2/3 for complaints and null
  otherwise;
* ``lang`` is one of zh-Hans, zh-Hant, en;
* no two bodies are identical, start with the same 30 characters (after
  whitespace is collapsed), or are near-duplicates by character 4-gram
  Jaccard similarity (default threshold 0.8).

Errors make the exit status 1. Warnings (fictional-domain check, id prefix
convention, near-duplicates by similarity unless --strict) are printed but do
not fail the run. At the end it prints counts per file, level, kind and lang.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ALLOWED_KINDS = {
    "complaint",
    "enquiry",
    "thanks",
    "documents",
    "meeting",
    "newsletter",
    "advertising",
    "spam",
    "job_application",
    "auto_reply",
    "bounce",
}
ALLOWED_LANGS = {"zh-Hans", "zh-Hant", "en"}
REQUIRED = {
    "id": str,
    "subject": str,
    "from_name": str,
    "from_addr": str,
    "body": str,
    "is_complaint": bool,
    "level": (int, type(None)),
    "kind": str,
    "lang": str,
    "why": str,
}
ID_PREFIX = {True: "c-", False: "n-"}
FICTIONAL_DOMAIN = re.compile(r"(^|\.)example(\.[a-z]{2,3})*$|\.example$|\.invalid$|\.test$")
PREFIX_LEN = 30
NGRAM = 4


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def shingles(text: str) -> set[str]:
    t = norm(text)
    if len(t) <= NGRAM:
        return {t}
    return {t[i : i + NGRAM] for i in range(len(t) - NGRAM + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def check_record(rec: object, where: str, errors: list[str], warnings: list[str]) -> bool:
    if not isinstance(rec, dict):
        errors.append(f"{where}: not a JSON object")
        return False
    ok = True
    for key, typ in REQUIRED.items():
        if key not in rec:
            errors.append(f"{where}: missing key {key!r}")
            ok = False
            continue
        val = rec[key]
        # bool is a subclass of int: refuse it where an int level is expected
        if key == "level" and isinstance(val, bool):
            errors.append(f"{where}: level must be 1/2/3 or null, got {val!r}")
            ok = False
        elif not isinstance(val, typ):
            errors.append(f"{where}: {key} has type {type(val).__name__}")
            ok = False
    extra = set(rec) - set(REQUIRED)
    if extra:
        warnings.append(f"{where}: unexpected keys {sorted(extra)}")
    if not ok:
        return False

    for key in ("id", "subject", "from_name", "from_addr", "body", "why"):
        if key in ("subject", "from_name"):
            continue  # may legitimately be empty (bounces, no-subject mail)
        if not rec[key].strip():
            errors.append(f"{where}: {key} is empty")
    if rec["kind"] not in ALLOWED_KINDS:
        errors.append(f"{where}: kind {rec['kind']!r} not in {sorted(ALLOWED_KINDS)}")
    if rec["lang"] not in ALLOWED_LANGS:
        errors.append(f"{where}: lang {rec['lang']!r} not in {sorted(ALLOWED_LANGS)}")
    if rec["is_complaint"] != (rec["kind"] == "complaint"):
        errors.append(f"{where}: is_complaint={rec['is_complaint']} but kind={rec['kind']!r}")
    if rec["is_complaint"]:
        if rec["level"] not in (1, 2, 3):
            errors.append(f"{where}: complaint must have level 1/2/3, got {rec['level']!r}")
    elif rec["level"] is not None:
        errors.append(f"{where}: non-complaint must have level null, got {rec['level']!r}")

    prefix = ID_PREFIX[rec["is_complaint"]]
    if not rec["id"].startswith(prefix):
        warnings.append(f"{where}: id {rec['id']!r} does not start with {prefix!r}")
    addr = rec["from_addr"]
    if "@" in addr:
        domain = addr.rsplit("@", 1)[1].lower()
        if not FICTIONAL_DOMAIN.search(domain):
            warnings.append(f"{where}: from_addr domain {domain!r} is not an example domain")
    elif rec["kind"] != "bounce":
        errors.append(f"{where}: from_addr {addr!r} has no @")
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=Path(__file__).resolve().parent)
    ap.add_argument("--similarity", type=float, default=0.8,
                    help="4-gram Jaccard threshold for near-duplicate bodies")
    ap.add_argument("--strict", action="store_true",
                    help="treat similarity near-duplicates as errors")
    args = ap.parse_args(argv)

    files = sorted(args.dir.glob("*.jsonl"))
    if not files:
        print(f"no *.jsonl files in {args.dir}")
        return 1

    errors: list[str] = []
    warnings: list[str] = []
    records: list[tuple[str, dict]] = []
    ids: dict[str, str] = {}
    per_file: Counter[str] = Counter()

    for path in files:
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                where = f"{path.name}:{lineno}"
                if not line.strip():
                    warnings.append(f"{where}: blank line")
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    errors.append(f"{where}: invalid JSON ({exc})")
                    continue
                if not check_record(rec, where, errors, warnings):
                    continue
                if rec["id"] in ids:
                    first = ids[rec["id"]]
                    errors.append(f"{where}: duplicate id {rec['id']!r} (first at {first})")
                else:
                    ids[rec["id"]] = where
                records.append((where, rec))
                per_file[path.name] += 1

    # duplicates: exact body, same leading characters, high 4-gram similarity
    by_body: dict[str, str] = {}
    by_prefix: dict[str, str] = {}
    for where, rec in records:
        body = norm(rec["body"])
        if body in by_body:
            errors.append(f"{where}: body identical to {by_body[body]}")
            continue
        by_body[body] = where
        if len(body) >= PREFIX_LEN:
            head = body[:PREFIX_LEN]
            if head in by_prefix:
                errors.append(f"{where}: body starts like {by_prefix[head]}: {head!r}")
            else:
                by_prefix[head] = where

    sh = [(where, shingles(rec["body"])) for where, rec in records]
    normed = [norm(rec["body"]) for _, rec in records]
    # inverted index over shingles keeps the pairwise comparison cheap
    index: dict[str, list[int]] = defaultdict(list)
    for i, (_, s) in enumerate(sh):
        for g in s:
            index[g].append(i)
    for i, (where, s) in enumerate(sh):
        shared: Counter[int] = Counter()
        for g in s:
            for j in index[g]:
                if j < i:
                    shared[j] += 1
        for j, inter in shared.items():
            union = len(s) + len(sh[j][1]) - inter
            sim = inter / union if union else 0.0
            if sim >= args.similarity and normed[i] != normed[j]:  # identical already reported
                msg = f"{where}: body {sim:.2f} similar to {sh[j][0]}"
                (errors if args.strict else warnings).append(msg)

    for w in warnings:
        print("WARNING", w)
    for e in errors:
        print("ERROR", e)

    level_names = {1: "一级", 2: "二级", 3: "三级", None: "-"}
    print()
    print(f"records: {len(records)}  files: {len(files)}")
    for name, n in sorted(per_file.items()):
        print(f"  {name}: {n}")
    print("by kind:")
    for k, n in Counter(r["kind"] for _, r in records).most_common():
        print(f"  {k}: {n}")
    print("complaints by level:")
    lv = Counter(r["level"] for _, r in records if r["is_complaint"])
    for k in (1, 2, 3):
        print(f"  {level_names[k]} ({k}): {lv.get(k, 0)}")
    print("by lang:")
    total = len(records) or 1
    for k, n in Counter(r["lang"] for _, r in records).most_common():
        print(f"  {k}: {n} ({100 * n / total:.0f}%)")
    print("complaints by level x lang:")
    cross = Counter((r["level"], r["lang"]) for _, r in records if r["is_complaint"])
    for lvl in (1, 2, 3):
        row = "  ".join(f"{lang}={cross.get((lvl, lang), 0)}" for lang in sorted(ALLOWED_LANGS))
        print(f"  {level_names[lvl]}: {row}")
    print()
    print(f"{len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
