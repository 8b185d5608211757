"""Exact-segment precision, recall and F1 of our segmenter and of pysbd's Arabic mode.

A predicted segment counts only if its (start, end) offsets equal a gold segment's.

(a) A gold file in the segments.jsonl format (rows with line, role, start, end, ar; start/end
    are offsets within the line, converted here to offsets into the whole article text) and
    its article: ``--article``, or else ``article.ar.txt`` beside the gold file; default: the
    corpus seed article. Gold: every row whose role is translated (body, caption, credit,
    byline), over the whole article: that is what segmentation is for; boilerplate rows are
    neither split nor translated, so they are not scored. Ours: every segment
    ``segment_text`` gives a translated role, over the whole article, so a line the gold
    calls boilerplate but we translate counts against our precision, and a translated line
    we call boilerplate against our recall. pysbd has no line roles: it runs on each line
    holding a gold translated row (an oracle for which lines to translate, which only helps
    it).
(b) FLORES-200 devtest Arabic made into paragraphs: consecutive lines joined with one space,
    chunk sizes cycling 3, 4, 5 (deterministic); gold segments are the original lines. Both
    systems split each paragraph (ours with ``split_sentences``: FLORES lines have no roles).
    Some FLORES lines hold two or three sentences; a segmenter that splits them loses
    precision and recall here, so the boundary-level scores are printed too.

pysbd's spans include trailing whitespace; it is stripped before comparing, for fairness.

(c) ``--long-lines``: the time to split one long line of a few shapes (many sentences; a
    run of list numbers; unbalanced brackets) at 10,000, 20,000 and 40,000 characters, ours
    and pysbd's, and how the time grows each time the line doubles (about 2 is linear, 4
    quadratic): an article may hold one runaway line, and it is split before anything else.

    .venv/bin/python scripts/bench_segment.py [--gold FILE [--article FILE]] [--flores PATH]
        [--json]
    .venv/bin/python scripts/bench_segment.py --long-lines
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Iterable
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.data import data_file  # noqa: E402
from align.doc import TRANSLATED_ROLES  # noqa: E402
from align.errors import InputError  # noqa: E402
from align.records import loads_json  # noqa: E402
from align.text import (  # noqa: E402
    line_spans,
    read_article,
    read_lines,
    segment_text,
    split_sentences,
    strip_span,
)

SEED_GOLD = ROOT / "corpus/seed-article/segments.jsonl"
SEED_ARTICLE = ROOT / "corpus/seed-article/article.ar.txt"
# FLORES-200 devtest as the package ships it (corpus/flores200-devtest links there).
FLORES = Path(str(data_file("flores200-devtest", "arb_Arab.devtest")))
CHUNK_SIZES = (3, 4, 5)

Span = tuple[int, int]
Splitter = Callable[[str], list[Span]]


def prf(pred: set, gold: set) -> dict:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "pred": len(pred), "gold": len(gold)}


def pysbd_splitter() -> Splitter | None:
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="ar", clean=False, char_span=True)

    def split(text: str) -> list[Span]:
        spans = (strip_span(text, s.start, s.end) for s in seg.segment(text))
        return [(s, e) for s, e in spans if s < e]

    return split


# A gold row's fields and their types: the line (1-based), its role, the sentence's offsets
# into that line and its text.
GOLD_FIELDS = {"line": int, "role": str, "start": int, "end": int, "ar": str}


def read_gold(gold_path: Path) -> list[tuple[int, dict]]:
    """(line number, row) for each row of a gold file, each checked to have GOLD_FIELDS."""
    expected = (
        f"a gold file is JSON lines with {', '.join(GOLD_FIELDS)} (offsets into the line), "
        f"as {SEED_GOLD.relative_to(ROOT)}"
    )
    rows = []
    for number, line in enumerate(read_lines(gold_path, "gold file"), 1):
        if not line.strip():
            continue
        try:
            row = loads_json(line)
        except ValueError:
            raise InputError(
                f"line {number} of the gold file {gold_path} is not JSON; {expected}"
            ) from None
        bad = [
            name
            for name, kind in GOLD_FIELDS.items()
            if not isinstance(row, dict)
            or not isinstance(row.get(name), kind)
            or isinstance(row.get(name), bool)
        ]
        if bad:
            raise InputError(
                f"line {number} of the gold file {gold_path} has no valid {', '.join(bad)}; "
                f"{expected}"
            )
        rows.append((number, row))
    return rows


def bench_gold(gold_path: Path, article_path: Path, pysbd: Splitter | None) -> dict:
    numbered = read_gold(gold_path)
    rows = [r for _, r in numbered]
    text = read_article(article_path)
    bounds = line_spans(text)
    scored = [r for r in rows if r["role"] in TRANSLATED_ROLES]
    gold = set()
    for number, r in numbered:
        if not 1 <= r["line"] <= len(bounds) or (
            text[slice(*bounds[r["line"] - 1])][r["start"] : r["end"]] != r["ar"]
        ):
            raise InputError(
                f"row {number} of the gold file {gold_path} does not match line {r['line']} "
                f"of {article_path}: is it that article's gold?"
            )
        if r["role"] in TRANSLATED_ROLES:
            line_start = bounds[r["line"] - 1][0]
            gold.add((line_start + r["start"], line_start + r["end"]))
    scored_lines = sorted({r["line"] for r in scored})

    doc = segment_text(text)
    ours = {(s.start, s.end) for s in doc.segments if s.translated}
    result = {
        "file": str(gold_path),
        "article": str(article_path),
        "rows": len(rows),
        "scored_rows": len(scored),
        "scored_lines": len(scored_lines),
        "ours": prf(ours, gold),
    }
    if pysbd:
        theirs = {
            (bounds[n - 1][0] + s, bounds[n - 1][0] + e)
            for n in scored_lines
            for s, e in pysbd(text[slice(*bounds[n - 1])])
        }
        result["pysbd"] = prf(theirs, gold)
    return result


def flores_paragraphs(lines: list[str]) -> Iterable[tuple[str, list[Span]]]:
    """Paragraphs of 3, 4, 5, 3, ... consecutive lines and the gold span of each line."""
    pos = 0
    for size in cycle(CHUNK_SIZES):
        chunk = lines[pos : pos + size]
        if not chunk:
            return
        spans, start = [], 0
        for line in chunk:
            spans.append((start, start + len(line)))
            start += len(line) + 1
        yield " ".join(chunk), spans
        pos += size


def _boundaries(spans: Iterable[Span], text_len: int) -> set[int]:
    """Internal segment ends (the end of the last segment is not a decision)."""
    return {e for _, e in spans if e < text_len}


def bench_flores(path: Path, splitters: dict[str, Splitter]) -> dict:
    lines = [ln.strip() for ln in read_lines(path, "FLORES file") if ln.strip()]
    paragraphs = list(flores_paragraphs(lines))
    result: dict = {"lines": len(lines), "paragraphs": len(paragraphs)}
    for name, split in splitters.items():
        pred, gold, pred_b, gold_b = set(), set(), set(), set()
        for k, (para, spans) in enumerate(paragraphs):
            got = split(para)
            pred |= {(k, s, e) for s, e in got}
            gold |= {(k, s, e) for s, e in spans}
            pred_b |= {(k, b) for b in _boundaries(got, len(para))}
            gold_b |= {(k, b) for b in _boundaries(spans, len(para))}
        result[name] = {"segments": prf(pred, gold), "boundaries": prf(pred_b, gold_b)}
    return result


def _row(name: str, what: str, s: dict) -> str:
    return (
        f"{name:<8} {what:<22} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
        f"{s['tp']:>5} {s['pred']:>5} {s['gold']:>5}"
    )


def _repeated(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


LONG_SHAPES: dict[str, Callable[[int], str]] = {
    "sentences": _repeated("قال المسؤول (أ) إن الاجتماع انتهى. "),
    "list numbers": _repeated("1. "),
    "brackets": lambda size: "[" * (size // 2) + ")" * (size - size // 2),
}
LONG_SIZES = (10_000, 20_000, 40_000)


def bench_long_lines(splitters: dict[str, Splitter]) -> dict:
    """Seconds to split each shape at each size (best of three), by splitter."""
    import time

    out: dict = {}
    for shape, make in LONG_SHAPES.items():
        for name, split in splitters.items():
            times = []
            for size in LONG_SIZES:
                line = make(size) + " كلمة."
                best = float("inf")
                for _ in range(3):
                    start = time.perf_counter()
                    split(line)
                    best = min(best, time.perf_counter() - start)
                times.append(best)
            growth = [b / a if a > 0 else float("nan") for a, b in itertools.pairwise(times)]
            out.setdefault(shape, {})[name] = {"seconds": times, "growth": growth}
    return out


def print_long_lines(report: dict) -> None:
    sizes = " ".join(f"{n:>9,}" for n in LONG_SIZES)
    print(f"{'shape':<13} {'system':<7} {sizes}   growth per doubling")
    for shape, rows in report.items():
        for name, row in rows.items():
            seconds = " ".join(f"{t:>8.3f}s" for t in row["seconds"])
            growth = ", ".join(f"{g:.1f}x" for g in row["growth"])
            print(f"{shape:<13} {name:<7} {seconds}   {growth}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--gold",
        type=Path,
        help=f"segments.jsonl gold file (default: {SEED_GOLD.relative_to(ROOT)})",
    )
    ap.add_argument(
        "--article",
        type=Path,
        help="the gold file's article text (default: article.ar.txt beside the gold file); "
        "needs --gold",
    )
    ap.add_argument(
        "--flores",
        type=Path,
        default=FLORES,
        help="FLORES arb_Arab devtest file (default: the copy the package ships)",
    )
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument(
        "--long-lines",
        action="store_true",
        help="time one long line of a few shapes, ours and pysbd's, instead of the scores",
    )
    args = ap.parse_args(argv)
    if args.long_lines:
        splitters = {"ours": split_sentences}
        pysbd = pysbd_splitter()
        if pysbd:
            splitters["pysbd"] = pysbd
        long = bench_long_lines(splitters)
        if args.json:
            print(json.dumps(long, indent=2))
        else:
            print_long_lines(long)
            if not pysbd:
                print("note: pysbd is not installed: its rows are skipped")
        return 0
    if args.article and not args.gold:
        ap.error("--article needs --gold: the gold file of that article")
    gold_path = args.gold or SEED_GOLD
    article = args.article or gold_path.parent / SEED_ARTICLE.name
    # (a gold path that is no file is said so when it is read, below)
    if not args.article and not article.is_file() and gold_path.is_file():
        ap.error(f"--gold {gold_path} has no {SEED_ARTICLE.name} beside it: give --article")

    pysbd = pysbd_splitter()
    report: dict = {}
    try:
        report["gold"] = bench_gold(gold_path, article, pysbd)
    except InputError as err:
        ap.error(str(err))
    splitters = {"ours": split_sentences}
    if pysbd:
        splitters["pysbd"] = pysbd
    notes = [] if pysbd else ["pysbd is not installed: its rows are skipped"]
    try:
        report["flores"] = {"path": str(args.flores), **bench_flores(args.flores, splitters)}
    except InputError as err:
        ap.error(str(err))
    report["notes"] = notes

    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    gold = report["gold"]
    roles = "/".join(TRANSLATED_ROLES)
    print(f"gold: {gold['file']} (article {gold['article']})")
    print(
        f"  counted: {gold['scored_rows']} of {gold['rows']} gold rows, those with a {roles} "
        "role (boilerplate rows are not scored)"
    )
    print(f"  ours: every {roles} segment of the whole article")
    print(f"  pysbd: the text of the {gold['scored_lines']} lines holding a counted row")
    flores = report.get("flores")
    if flores:
        print(
            f"FLORES: {flores['path']}, {flores['lines']} lines in {flores['paragraphs']} "
            f"paragraphs of {'/'.join(map(str, CHUNK_SIZES))} lines"
        )
    print(
        f"{'system':<8} {'set':<22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}"
    )
    for name in ("ours", "pysbd"):
        if name in gold:
            print(_row(name, "gold segments", gold[name]))
    if flores:
        for name in splitters:
            print(_row(name, "FLORES segments", flores[name]["segments"]))
            print(_row(name, "FLORES boundaries", flores[name]["boundaries"]))
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
