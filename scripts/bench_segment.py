"""Exact-segment precision, recall and F1 of our segmenter and of pysbd's Arabic mode.

A predicted segment counts only if its (start, end) offsets equal a gold segment's.

(a) A gold file in the segments.jsonl format (rows with line, role, start, end, ar; start/end
    are offsets within the line) and its article; default: the corpus seed article. Scored
    rows: every gold row whose role is translated (body, caption, credit, byline): that is
    what segmentation is for; boilerplate is neither split nor translated. Both systems are
    scored on the same lines: those holding a scored gold row. Ours runs ``segment_text`` on
    the whole article (its own line roles; a line it calls boilerplate yields no scored
    segment); pysbd runs on each of those lines' text (an oracle for which lines to
    translate, which only helps it).
(b) FLORES-200 devtest Arabic made into paragraphs: consecutive lines joined with one space,
    chunk sizes cycling 3, 4, 5 (deterministic); gold segments are the original lines. Both
    systems split each paragraph (ours with ``split_sentences``: FLORES lines have no roles).
    Some FLORES lines hold two or three sentences; a segmenter that splits them loses
    precision and recall here, so the boundary-level scores are printed too.

pysbd's spans include trailing whitespace; it is stripped before comparing, for fairness.

    .venv/bin/python scripts/bench_segment.py [--gold FILE --article FILE] [--flores PATH]
        [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.doc import TRANSLATED_ROLES  # noqa: E402
from align.text import read_article, segment_text, split_sentences  # noqa: E402

SEED_GOLD = ROOT / "corpus/seed-article/segments.jsonl"
SEED_ARTICLE = ROOT / "corpus/seed-article/article.ar.txt"
FLORES = ROOT.parent / "shared/data/flores200-devtest/arb_Arab.devtest"
CHUNK_SIZES = (3, 4, 5)

Span = tuple[int, int]
Splitter = Callable[[str], list[Span]]


def prf(pred: set, gold: set) -> dict:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "pred": len(pred), "gold": len(gold)}


def _strip(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def pysbd_splitter() -> Splitter | None:
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="ar", clean=False, char_span=True)

    def split(text: str) -> list[Span]:
        spans = (_strip(text, s.start, s.end) for s in seg.segment(text))
        return [s for s in spans if s]

    return split


def bench_gold(gold_path: Path, article_path: Path, pysbd: Splitter | None) -> dict:
    text = read_article(article_path)
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    rows = [json.loads(r) for r in gold_path.read_text(encoding="utf-8").splitlines() if r]
    scored = [r for r in rows if r["role"] in TRANSLATED_ROLES]
    gold = {
        (offsets[r["line"] - 1] + r["start"], offsets[r["line"] - 1] + r["end"]) for r in scored
    }
    scored_lines = {r["line"] for r in scored}

    doc = segment_text(text)
    ours = {(s.start, s.end) for s in doc.segments if s.translated and s.line in scored_lines}
    result = {"rows": len(scored), "lines": len(scored_lines), "ours": prf(ours, gold)}
    if pysbd:
        theirs = {
            (offsets[n - 1] + s, offsets[n - 1] + e)
            for n in sorted(scored_lines)
            for s, e in pysbd(lines[n - 1])
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
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=SEED_GOLD, help="segments.jsonl gold file")
    ap.add_argument("--article", type=Path, default=SEED_ARTICLE, help="its article text")
    ap.add_argument("--flores", type=Path, default=FLORES, help="FLORES arb_Arab devtest file")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)

    pysbd = pysbd_splitter()
    report: dict = {"gold": str(args.gold), "article": str(args.article)}
    report["seed"] = bench_gold(args.gold, args.article, pysbd)
    splitters = {"ours": split_sentences}
    if pysbd:
        splitters["pysbd"] = pysbd
    notes = [] if pysbd else ["pysbd is not installed: its rows are skipped"]
    if args.flores.exists():
        report["flores"] = {"path": str(args.flores), **bench_flores(args.flores, splitters)}
    else:
        notes.append(f"{args.flores} does not exist: FLORES paragraphs skipped")
    report["notes"] = notes

    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{'system':<8} {'set':<22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}"
    )
    seed = report["seed"]
    for name in ("ours", "pysbd"):
        if name in seed:
            print(_row(name, "gold segments", seed[name]))
    flores = report.get("flores")
    if flores:
        for name in splitters:
            print(_row(name, "FLORES segments", flores[name]["segments"]))
            print(_row(name, "FLORES boundaries", flores[name]["boundaries"]))
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
