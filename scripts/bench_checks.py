#!/usr/bin/env python3
"""Translation checks benchmark: injected errors in FLORES-200 devtest, found or not.

Data: FLORES-200 devtest (package data, or ``--data DIR``): the Arabic lines are the source,
their English the translation. ``--pair AR EN`` takes any two line-parallel files instead
(Arabic news and its English translation, say): the same injections, the same scores.
``--seed-article`` takes the segments of the seed article (package data: a 2024 news
article and its human reference, 54 pairs), news that no aligner's background holds. A
seeded share of the English lines (``--share``, 40%) gets one injected error each, of one
kind:

- **number**: a number changed to another value (→ the ``number`` check);
- **name**: a name replaced with another name of the corpus: a capitalized token, not
  sentence-initial, seen capitalized at least twice and never in lower case (→ ``name``);
- **omission**: a clause deleted: a comma-delimited chunk of 4–12 words, else 4–7
  consecutive words, without digits (→ ``omission``);
- **addition**: a clause of another line inserted at a word boundary (→ ``addition``);
- **untranslated**: an English word replaced by a content word of its Arabic source
  (→ ``untranslated``);
- **repetition**: a 2–4-word phrase repeated so that it stands 3–4 times (→ ``repetition``).

Every kind a line allows is tried in a seeded order, so the kinds come out about even; the
other lines stay clean. ``--share 0`` injects nothing: every line is clean, and the run
measures false alarms alone (how often a correct translation gets a finding), with articles
whose length ratio no injected line moves. Consecutive lines are grouped into articles of
``--article`` (20) lines, so that an article's length ratio means something. All pairs are
aligned with the pipeline's hybrid aligner and its default background (FreeDict + FLORES-200
devtest without the pairs being aligned): condition **A** "without training text"; condition
**B** "with training text" adds ``--train AR EN`` (default:
``../shared/data/word-align/train`` when present; ``--no-train`` skips it). Every check of
``align.checks.all_checks()`` runs on every segment.

Scores, per injected kind and check: segment-level precision (of the segments the matching
check flags among the lines injected with that kind and the clean lines, those injected;
none, "—", for a kind nothing was injected with) and recall (injected segments flagged by
the matching check); "P strict" counts the check's hits on lines injected with other kinds
as false too, and their number is shown apart (an inserted clause brings its own numbers,
Arabic left in may replace a number word: such hits are often right); span overlap over the
found ones (mean IoU of the best finding span with the injected span, and the share that
overlap at all; an omission's span is the Arabic words the clean alignment links to the
deleted English words, so the clean lines of omission injections are aligned once more); the
false-alarm rate (clean segments with any finding, and with each check's).

Baseline, string rules as QA tools have them, on the same segments: **number**: the numbers
of both sides by regular expression (Arabic-Indic digits normalized), compared as strings;
**name**: the only cross-script rule a regex has: Latin-script tokens of the Arabic source
that the translation lacks (FLORES Arabic writes almost every name in Arabic script, so this
finds almost nothing: that is the point); **untranslated**: Arabic letters in the
translation; **repetition**: a word or 2–4-word phrase repeated back to back. Omission and
addition have no string rule.

Time: alignment seconds and the checks' seconds, and their ratio.

eflomal samples at random, so one alignment's figures move by several points from run to
run. ``--repeats N`` aligns each condition N times (the same injected lines) and adds a
table of each kind's precision, recall and clean lines flagged over the N: mean (min–max);
the JSON then holds a list of N results a condition. On a short text one set of injected
lines holds a few errors of each kind: ``--seeds N`` injects with seeds ``--seed`` …
``--seed`` + N − 1 (other lines, other errors each time), aligns each set once, and scores
all the sets' lines together (one table a condition; the JSON holds that pooled result).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRAIN = ROOT.parent / "shared" / "data" / "word-align" / "train"
KINDS = ("number", "name", "omission", "addition", "untranslated", "repetition")
# Which check should find which injection (the check's ``name``).
CHECK_OF = {k: k for k in KINDS}

_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_WORD = re.compile(r"\S+")
_CAP = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)?\b")
_ARABIC_LETTERS = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ARABIC_DIGITS = str.maketrans(
    {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)},
     "\u066b": ".", "\u066c": ","}
)  # fmt: skip


@dataclass
class Injected:
    line: int
    kind: str | None  # None: clean
    source: str
    original: str
    translation: str
    tgt: tuple[int, int] | None = None  # the injected span in the translation
    deleted: tuple[int, int] | None = None  # omission: the deleted span of the original
    src: tuple[int, int] | None = None  # omission: the source words of the deleted span
    findings: list = field(default_factory=list)
    baseline: list = field(default_factory=list)  # (check, tgt span or None)


# -- data ----------------------------------------------------------------------------------


def read_flores(data: Path | None) -> tuple[list[str], list[str]]:
    if data is None:
        from align.data import data_file

        folder = data_file("flores200-devtest")
        ar = folder.joinpath("arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
        en = folder.joinpath("eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    else:
        from align.text import read_lines

        ar = read_lines(data / "arb_Arab.devtest", "FLORES Arabic file")
        en = read_lines(data / "eng_Latn.devtest", "FLORES English file")
        check_parallel(ar, en, data / "arb_Arab.devtest", data / "eng_Latn.devtest")
    return ar, en


def check_parallel(ar: list[str], en: list[str], ar_file, en_file) -> None:
    """Line-parallel files hold as many lines on each side."""
    from align.errors import MismatchError

    if len(ar) != len(en):
        raise MismatchError(
            f"{ar_file} and {en_file} are not line-parallel: {len(ar)} Arabic lines but "
            f"{len(en)} English lines"
        )


def read_seed_article() -> tuple[list[str], list[str]]:
    """The seed article's segments that have a reference: Arabic and English."""
    from align.data import data_file

    rows = data_file("seed-article", "segments.jsonl").read_text(encoding="utf-8").splitlines()
    pairs = [(r["ar"], r["en"]) for r in map(json.loads, rows) if r.get("ar") and r.get("en")]
    return [a for a, _ in pairs], [e for _, e in pairs]


def read_pair(ar_file: Path, en_file: Path) -> tuple[list[str], list[str]]:
    """Two line-parallel files: the Arabic source and its English translation."""
    from align.text import read_lines

    ar, en = read_lines(ar_file, "Arabic file"), read_lines(en_file, "English file")
    check_parallel(ar, en, ar_file, en_file)
    # A line empty on either side is no pair to check (a paragraph break, a line left
    # untranslated): it is left out, and said so.
    kept = [(a, e) for a, e in zip(ar, en, strict=True) if a.strip() and e.strip()]
    if len(kept) < len(ar):
        print(
            f"bench_checks: {len(ar) - len(kept)} lines empty on a side left out", file=sys.stderr
        )
    if not kept:
        from align.errors import InputError

        raise InputError(f"no line of {ar_file} and {en_file} has text on both sides")
    return [a for a, _ in kept], [e for _, e in kept]


def corpus_names(english: list[str]) -> set[str]:
    """Capitalized tokens used as names: not sentence-initial, capitalized at least twice,
    never seen in lower case."""
    capital: Counter[str] = Counter()
    lower: set[str] = set()
    for line in english:
        words = line.split()
        for k, w in enumerate(words):
            w = w.strip(".,;:!?\"'()[]")
            if not w.isalpha():
                continue
            if w[0].isupper() and k > 0 and not words[k - 1].endswith((".", "!", "?", '"')):
                capital[w] += 1
            elif w.islower():
                lower.add(w)
    return {w for w, c in capital.items() if c >= 2 and w.lower() not in lower and len(w) > 2}


# -- injection -----------------------------------------------------------------------------


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _chunk(text: str, rng: random.Random, digits_ok: bool = False) -> tuple[int, int] | None:
    """A clause of ``text``: a comma-delimited chunk of 4–12 words, else 4–7 words."""
    pieces, start = [], 0
    for m in re.finditer(r",", text):
        pieces.append((start, m.start()))
        start = m.end()
    pieces.append((start, len(text.rstrip(".!?\"'"))))
    good = []
    for a, b in pieces:
        while a < b and text[a].isspace():
            a += 1
        if 4 <= len(text[a:b].split()) <= 12 and (digits_ok or not re.search(r"\d", text[a:b])):
            good.append((a, b))
    if len(pieces) > 1 and good:
        return rng.choice(good)
    words = _words(text)
    if len(words) < 8:
        return None
    for _ in range(10):
        n = rng.randint(4, 7)
        if len(words) - n - 1 < 1:
            continue  # too long a chunk for the line: a word must stay on each side
        k = rng.randint(1, len(words) - n - 1)
        a, b = words[k].start(), words[k + n - 1].end()
        if digits_ok or not re.search(r"\d", text[a:b]):
            return (a, b)
    return None


def inject(kind: str, k: int, ar: list[str], en: list[str], names: list[str], rng) -> dict | None:
    """The line ``k`` with one error of ``kind``: {translation, tgt, deleted}, or None when
    the line has no place for it."""
    text = en[k]
    if kind == "number":
        found = [m for m in _NUMBER.finditer(text)]
        if not found:
            return None
        m = rng.choice(found)
        digits = m.group()
        value = int(re.sub(r"\D", "", digits) or 0)
        new = str(value + rng.choice([1, 2, 3, 5, 10, 20, 100]))
        if len(digits) == len(re.sub(r"\D", "", digits)) and len(new) != len(digits):
            new = str(max(1, value - rng.randint(1, 9))) if value > 9 else str(value + 1)
        if new == digits:
            new = str(value + 1)
        return {
            "translation": text[: m.start()] + new + text[m.end() :],
            "tgt": (m.start(), m.start() + len(new)),
        }
    if kind == "name":
        found = [m for m in _CAP.finditer(text) if m.group() in names and m.start() > 0]
        if not found:
            return None
        m = rng.choice(found)
        other = rng.choice([n for n in names if n != m.group()])
        return {
            "translation": text[: m.start()] + other + text[m.end() :],
            "tgt": (m.start(), m.start() + len(other)),
        }
    if kind == "omission":
        span = _chunk(text, rng)
        if span is None:
            return None
        a, b = span
        before, after = text[:a].rstrip(), text[b:].lstrip()
        if before.endswith(",") and after[:1] in (",", ".", "!", "?", ""):
            before = before[:-1].rstrip()  # "A, B, C." without B: "A, C."; "A, B." → "A."
        elif after.startswith(","):
            after = after[1:].lstrip()
        joined = before + (" " if before and after and after[0].isalnum() else "") + after
        if not joined.strip():
            return None
        return {"translation": joined, "tgt": (len(before), len(before)), "deleted": (a, b)}
    if kind == "addition":
        for _ in range(5):
            other = rng.randrange(len(en))
            if other == k:
                continue
            span = _chunk(en[other], rng, digits_ok=False)
            if span is None:
                continue
            clause = en[other][span[0] : span[1]].strip(" ,;")
            words = _words(text)
            if len(words) < 3:
                return None
            w = rng.randint(1, len(words) - 1)
            at = words[w].start()
            new = text[:at] + clause + " " + text[at:]
            return {"translation": new, "tgt": (at, at + len(clause))}
        return None
    if kind == "untranslated":
        from align.checks.words import is_arabic_function_word

        arabic = [w for w in ar[k].split() if len(_ARABIC_LETTERS.findall(w)) >= 3]
        arabic = [w.strip('،.؛؟!"«»()') for w in arabic if not is_arabic_function_word(w)]
        arabic = [w for w in arabic if w]
        words = [m for m in _words(text) if m.group().isalpha() and len(m.group()) >= 4]
        if not arabic or not words:
            return None
        word, m = rng.choice(arabic), rng.choice(words)
        return {
            "translation": text[: m.start()] + word + text[m.end() :],
            "tgt": (m.start(), m.start() + len(word)),
        }
    if kind == "repetition":
        words = _words(text)
        n = rng.randint(2, 4)
        if len(words) < n + 1:
            return None
        w = rng.randint(0, len(words) - n)
        a, b = words[w].start(), words[w + n - 1].end()
        phrase = text[a:b]
        copies = rng.randint(2, 3)  # extra copies: 3–4 in all
        extra = (" " + phrase) * copies
        return {"translation": text[:b] + extra + text[b:], "tgt": (b, b + len(extra))}
    raise ValueError(kind)


def make_segments(ar, en, share: float, seed: int) -> list[Injected]:
    rng = random.Random(seed)
    names = sorted(corpus_names(en))
    chosen = set(rng.sample(range(len(en)), round(share * len(en))))
    order = list(KINDS)
    out = []
    for k in range(len(en)):
        item = Injected(k, None, ar[k], en[k], en[k])
        if k in chosen:
            rng.shuffle(order)
            # Fill the least-used kinds first, so that the kinds come out about even.
            used = Counter(s.kind for s in out if s.kind)
            for kind in sorted(order, key=lambda x: used[x]):
                got = inject(kind, k, ar, en, names, rng)
                if got is not None:
                    item.kind, item.translation = kind, got["translation"]
                    item.tgt, item.deleted = got.get("tgt"), got.get("deleted")
                    break
        out.append(item)
    return out


# -- baseline ------------------------------------------------------------------------------


def _numbers(text: str) -> list[tuple[str, tuple[int, int]]]:
    text = text.translate(_ARABIC_DIGITS)
    return [(m.group().replace(",", ""), m.span()) for m in _NUMBER.finditer(text)]


def baseline(source: str, translation: str) -> list[tuple[str, tuple[int, int] | None]]:
    out: list[tuple[str, tuple[int, int] | None]] = []
    src_numbers = Counter(n for n, _ in _numbers(source))
    tgt_numbers = _numbers(translation)
    left = Counter(src_numbers)
    for n, span in tgt_numbers:
        if left[n] > 0:
            left[n] -= 1
        else:
            out.append(("number", span))
    if sum(left.values()) and not any(c == "number" for c, _ in out):
        out.append(("number", None))
    for m in _LATIN_TOKEN.finditer(source):
        if len(m.group()) > 1 and m.group().lower() not in translation.lower():
            out.append(("name", None))
            break
    for m in re.finditer("[\u0621-\u064a\u0671-\u06d3]+", translation):
        out.append(("untranslated", m.span()))
    for m in re.finditer(r"\b((?:\w+\W+){0,3}?\w+)(?:\W+\1\b)+", translation, re.IGNORECASE):
        out.append(("repetition", m.span()))
    return out


# -- alignment and checks ------------------------------------------------------------------


def align_pairs(pairs, train) -> tuple[list, float]:
    from align.links.background import Background, background_for
    from align.links.methods import make_aligner

    # The lines checked are FLORES text: they stay out of the background and its priors.
    full = background_for("hybrid")
    checked = {" ".join(ar.split()) for ar, _ in pairs}
    rest = [p for p in full.pairs if " ".join(p[0].split()) not in checked]
    background = Background(full.lexicon, rest, full.records)
    aligner = make_aligner("hybrid", extra=train, background=background)
    start = time.perf_counter()
    alignments = aligner.align(pairs)
    return alignments, time.perf_counter() - start


def run_checks(items: list[Injected], alignments, article_lines: int) -> float:
    from align.checks import ArticleInput, SegmentInput, all_checks
    from align.run import PairAlignment

    checks = all_checks()
    segments = [
        SegmentInput(k, s.source, s.translation, PairAlignment(s.source, s.translation, a))
        for k, (s, a) in enumerate(zip(items, alignments, strict=True))
    ]
    start = time.perf_counter()
    for first in range(0, len(segments), article_lines):
        article = ArticleInput(tuple(segments[first : first + article_lines]))
        for seg in article.segments:
            items[seg.index].findings = [f for c in checks for f in c.check(seg, article)]
    return time.perf_counter() - start


def project_deleted(items: list[Injected], train) -> None:
    """The source span of each deleted clause: the Arabic words the clean pair's alignment
    links to the deleted English words."""
    from align.run import PairAlignment

    todo = [s for s in items if s.kind == "omission"]
    if not todo:
        return
    alignments, _ = align_pairs([(s.source, s.original) for s in todo], train)
    for s, a in zip(todo, alignments, strict=True):
        pa = PairAlignment(s.source, s.original, a)
        a0, b0 = s.deleted
        inside = {j for j, w in enumerate(pa.tgt_words) if w.start >= a0 and w.end <= b0}
        src = [pa.src_words[i] for (i, j) in pa.word_links() if j in inside]
        if src:
            s.src = (min(w.start for w in src), max(w.end for w in src))


# -- scores --------------------------------------------------------------------------------


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    if union == 0:
        return 1.0 if a == b else 0.0
    return inter / union


def score(items: list[Injected], checks: list[str]) -> dict:
    """Per kind: precision, recall, span overlap for the checks and the baseline; the
    false-alarm rate on clean lines."""
    rows = {}
    clean = [s for s in items if s.kind is None]
    for kind in KINDS:
        name = CHECK_OF[kind]
        injected = [s for s in items if s.kind == kind]
        row = {"injected": len(injected)}
        for who, get in (
            ("checks", lambda s, n=name: [(f.check, f.src, f.tgt) for f in s.findings
                                          if f.check == n]),
            ("baseline", lambda s, n=name: [(c, None, t) for c, t in s.baseline if c == n]),
        ):  # fmt: skip
            if who == "checks" and name not in checks:
                row[who] = None
                continue
            flagged = [s for s in items if get(s)]
            tp = [s for s in injected if get(s)]
            ious = []
            for s in tp:
                side, gold = ("src", s.src) if kind == "omission" else ("tgt", s.tgt)
                spans = [(x[1] if side == "src" else x[2]) for x in get(s)]
                spans = [x for x in spans if x is not None]
                if gold is None or not spans:
                    continue
                if kind == "omission" or gold[0] != gold[1]:
                    ious.append(max(_iou(x, gold) for x in spans))
            # Precision against clean lines: a check's hits on lines injected with another
            # kind are often right (an inserted clause brings its numbers, Arabic left in
            # removes a number word), so they are counted apart ("strict" counts them as
            # false).
            on_clean = [s for s in clean if get(s)]
            row[who] = {
                "flagged": len(flagged),
                # (no precision for a kind nothing was injected with: every hit is on a
                # clean line, and 0.00 would read as a measured figure)
                "precision": len(tp) / (len(tp) + len(on_clean))
                if injected and (tp or on_clean)
                else None,
                "precision_strict": len(tp) / len(flagged) if injected and flagged else None,
                "on_other_injections": len(flagged) - len(tp) - len(on_clean),
                "recall": len(tp) / len(injected) if injected else None,
                "span_iou": sum(ious) / len(ious) if ious else None,
                "span_overlap": sum(1 for x in ious if x > 0) / len(ious) if ious else None,
                "spans_scored": len(ious),
                "clean_flagged": sum(1 for s in clean if get(s)) / len(clean) if clean else None,
            }
        rows[kind] = row
    return {
        "kinds": rows,
        "clean": len(clean),
        "false_alarms": {
            "checks": sum(1 for s in clean if s.findings) / len(clean) if clean else None,
            "baseline": sum(1 for s in clean if s.baseline) / len(clean) if clean else None,
            "by_check": {
                c: sum(1 for s in clean if any(f.check == c for f in s.findings)) / len(clean)
                for c in checks
            }
            if clean
            else {},
        },
    }


def _f(x, digits=2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def table(condition: str, result: dict) -> str:
    lines = [
        f"### {condition}",
        "",
        f"{result['pairs']} pairs ({result['clean']} clean), align {result['align_s']:.1f} s, "
        f"checks {result['checks_s']:.2f} s (checks/align = {result['ratio']:.3f})",
        "",
        "| kind | injected | checks P | checks R | P strict | hits on other kinds | span IoU "
        "| span overlap | clean flagged | baseline P | baseline R | baseline span IoU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, row in result["kinds"].items():
        c, b = row["checks"], row["baseline"]
        lines.append(
            f"| {kind} | {row['injected']} | "
            + (
                f"{_f(c['precision'])} | {_f(c['recall'])} | {_f(c['precision_strict'])} | "
                f"{c['on_other_injections']} | {_f(c['span_iou'])} | "
                f"{_f(c['span_overlap'])} | {_f(c['clean_flagged'], 3)} | "
                if c
                else "(no check) | — | — | — | — | — | — | "
            )
            + (f"{_f(b['precision'])} | {_f(b['recall'])} | {_f(b['span_iou'])} |")
        )
    fa = result["false_alarms"]
    by = ", ".join(f"{c} {v:.3f}" for c, v in fa["by_check"].items())
    lines += [
        "",
        f"False alarms on clean lines (share with any finding): checks {_f(fa['checks'], 3)} "
        f"({by}); baseline {_f(fa['baseline'], 3)}",
        "",
    ]
    return "\n".join(lines)


def _mean_range(values: list, digits: int = 2) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    mean = sum(values) / len(values)
    return f"{mean:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def summary(condition: str, runs: list[dict]) -> str:
    """Each kind's precision, recall and clean lines flagged over several alignments of the
    same injected lines: mean (min–max). eflomal samples at random, so one run's figures
    move by several points."""
    lines = [
        f"### {condition}: {len(runs)} alignments, mean (min–max)",
        "",
        "| kind | checks P | checks R | clean flagged |",
        "|---|---:|---:|---:|",
    ]
    for kind in runs[0]["kinds"]:
        rows = [r["kinds"][kind]["checks"] for r in runs]
        if any(row is None for row in rows):
            continue
        lines.append(
            f"| {kind} | {_mean_range([r['precision'] for r in rows])} | "
            f"{_mean_range([r['recall'] for r in rows])} | "
            f"{_mean_range([r['clean_flagged'] for r in rows], 3)} |"
        )
    checks = [r["false_alarms"]["checks"] for r in runs]
    lines += ["", f"Clean lines with any finding: {_mean_range(checks, 3)}", ""]
    return "\n".join(lines)


def run_condition(items: list[Injected], train, article_lines: int) -> dict:
    from align.checks import all_checks

    pairs = [(s.source, s.translation) for s in items]
    alignments, align_s = align_pairs(pairs, train)
    checks_s = run_checks(items, alignments, article_lines)
    project_deleted(items, train)
    for s in items:
        s.baseline = baseline(s.source, s.translation)
    result = score(items, [c.name for c in all_checks()])
    result.update(
        pairs=len(items), align_s=align_s, checks_s=checks_s,
        ratio=checks_s / align_s if align_s else 0.0, train_pairs=len(train),
    )  # fmt: skip
    return result


def pooled_condition(ar, en, share: float, seeds: list[int], train, article_lines: int) -> dict:
    """One set of injected lines a seed, each aligned and checked once, scored together."""
    from align.checks import all_checks

    pool: list[Injected] = []
    align_s = checks_s = 0.0
    for seed in seeds:
        items = make_segments(ar, en, share, seed)
        result = run_condition(items, train, article_lines)
        align_s, checks_s = align_s + result["align_s"], checks_s + result["checks_s"]
        pool.extend(items)
    result = score(pool, [c.name for c in all_checks()])
    result.update(
        pairs=len(pool), align_s=align_s, checks_s=checks_s,
        ratio=checks_s / align_s if align_s else 0.0, train_pairs=len(train), seeds=seeds,
    )  # fmt: skip
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data = ap.add_mutually_exclusive_group()
    data.add_argument("--data", type=Path, help="folder with arb_Arab.devtest, eng_Latn.devtest")
    data.add_argument(
        "--pair", nargs=2, type=Path, metavar=("AR", "EN"), help="line-parallel files to check"
    )
    data.add_argument(
        "--seed-article", action="store_true", help="the seed news article's 54 pairs"
    )
    ap.add_argument("--train", nargs=2, type=Path, metavar=("AR", "EN"))
    ap.add_argument("--no-train", action="store_true", help="skip condition B")
    ap.add_argument("--limit", type=int, help="only the first N lines (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--share",
        type=float,
        default=0.4,
        help="share of lines injected (0 to 1; 0: every line clean, false alarms only)",
    )
    ap.add_argument("--article", type=int, default=20, help="lines an article")
    ap.add_argument("--json", type=Path, help="write the results here as JSON")
    ap.add_argument(
        "--repeats", type=int, default=1, help="align each condition this many times (mean)"
    )
    ap.add_argument(
        "--seeds", type=int, default=1, help="inject with this many seeds and pool the lines"
    )
    args = ap.parse_args(argv)
    if args.repeats < 1 or args.seeds < 1:
        ap.error("--repeats and --seeds must be at least 1")
    if args.repeats > 1 and args.seeds > 1:
        ap.error("--repeats and --seeds do not go together: choose one")
    if args.limit is not None and args.limit < 1:
        ap.error(f"--limit must be at least 1, not {args.limit} (leave it out for every line)")
    if args.article < 1:
        ap.error(f"--article must be at least 1, not {args.article}")
    if not (math.isfinite(args.share) and 0 <= args.share <= 1):
        ap.error(f"--share is a share of the lines: from 0 to 1, not {args.share}")

    from align.checks import all_checks
    from align.errors import UserError
    from align.records import atomic_write_text, check_output_file
    from align.text import read_lines

    train_files = args.train
    if train_files is None and (DEFAULT_TRAIN / "train.ar").is_file():
        train_files = (DEFAULT_TRAIN / "train.ar", DEFAULT_TRAIN / "train.en")
    try:
        if args.seed_article:
            ar, en = read_seed_article()
        else:
            ar, en = read_flores(args.data) if args.pair is None else read_pair(*args.pair)
        train = []
        if train_files and not args.no_train:
            train_ar = read_lines(train_files[0], "training Arabic file")
            train_en = read_lines(train_files[1], "training English file")
            check_parallel(train_ar, train_en, *train_files)
            train = list(zip(train_ar, train_en, strict=True))
        if args.json:
            ar_file, en_file = args.pair or (None, None)
            train_ar_file, train_en_file = train_files or (None, None)
            data = args.data
            inputs = [
                ("Arabic file", ar_file), ("English file", en_file),
                ("training Arabic file", train_ar_file), ("training English file", train_en_file),
                ("FLORES Arabic file", data and data / "arb_Arab.devtest"),
                ("FLORES English file", data and data / "eng_Latn.devtest"),
            ]  # fmt: skip
            check_output_file(args.json, "--json", inputs)
    except UserError as e:
        raise SystemExit(f"bench_checks: {e}") from None
    if args.limit is not None:
        ar, en = ar[: args.limit], en[: args.limit]
    print(f"checks: {', '.join(c.name for c in all_checks())}", file=sys.stderr)
    conditions = {"A: without training text": []}
    if train:
        conditions["B: with training text"] = train
    seeds = list(range(args.seed, args.seed + args.seeds))
    results = {}
    for condition, extra in conditions.items():
        if args.seeds > 1:
            results[condition] = pooled_condition(ar, en, args.share, seeds, extra, args.article)
            print(table(condition, results[condition]))
            sys.stdout.flush()
            continue
        runs = []
        for _ in range(args.repeats):
            items = make_segments(ar, en, args.share, args.seed)
            runs.append(run_condition(items, extra, args.article))
        results[condition] = runs[0] if args.repeats == 1 else runs
        print(table(condition, runs[0]))
        if args.repeats > 1:
            print(summary(condition, runs))
        sys.stdout.flush()
    injected = Counter(
        s.kind for seed in seeds for s in make_segments(ar, en, args.share, seed) if s.kind
    )
    which = f"seed {args.seed}" if args.seeds == 1 else f"seeds {seeds[0]}–{seeds[-1]}"
    print(f"Injected ({which}): " + ", ".join(f"{k} {injected[k]}" for k in KINDS))
    if args.json:
        atomic_write_text(args.json, json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit as refusal:
        # main refuses an input with SystemExit(sentence); as a command that is the one
        # sentence and the status of any other usage error.
        if not isinstance(refusal.code, str):
            raise
        print(refusal.code, file=sys.stderr)
        sys.exit(2)
