"""One self-contained HTML file for a run directory: ``arabic-align report``.

The page needs no network: CSS, JavaScript and the plot (SVG) are inline and the fonts are
the reader's own. It shows the warnings of the run first (a fixture model's gibberish, a
reference that does not match), the corpus scores with their sacrebleu signatures, the
document alignment when the reference was a document, the findings of the translation
checks (a table of counts by check and severity, then each finding, worst segment first,
with the source and translation text it is about), a plot of sentence chrF++ along the
article, the comparison tables when given, and the article itself: Arabic (right to left)
and English side by side, segment by segment, each segment coloured by its chrF++.

Findings (``align.checks``) are the ones the run's records hold; a run without them (made
before the checks, or with ``--no-checks``) says so, and ``arabic-align check`` checks it.
In the article, the source and translation pieces a finding covers are wrapped in
``<mark class="fd fd-SEVERITY" data-findings="F<k>-<n> ...">`` (a wavy underline in the
severity's colour, with the findings' messages as the tooltip), around the aligned-span
pieces, in the translation view.

The run is read through ``align.run.Run.open``, which checks it whole (the manifest's
hashes, every field's type, every offset); a damaged or foreign run is refused with its
one-sentence ``RunError`` before anything is written.

Aligned spans: each span pair of a segment's alignment gets an id; the source and the
target text are cut at every span boundary, and each piece inside one or more spans becomes
``<span class="sp" data-pairs="ID ..." tabindex="0">``. Hovering or focusing a piece adds
the class ``hl`` to every piece, on both sides, that shares one of its pairs, and leaving
or blurring it takes the class away again. Overlapping and nested spans need nothing
special: a piece lists all the pairs it belongs to.

Two alignments: every run stores the source↔translation alignment and, with a reference,
the source↔reference one (with a fixture model, whose translations are gibberish, the only
meaningful one). Each segment carries both views, ``.view.tr`` (the source against the
translation, ids ``s<k>p<j>``) and ``.view.rf`` (the source against the reference, ids
``s<k>r<j>``); a switch at the top of the article shows one of them at a time. A run with
no reference alignment has the switch's reference side disabled, with the reason beside it.
"""

from __future__ import annotations

import html
import math
import numbers
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from align.checks.base import SEVERITIES, Finding
from align.errors import SHOWN_AS_ESCAPES, UserError, encodable, isolate_runs, printable
from align.records import atomic_write_text
from align.run import PairAlignment, Run, Segment, finding_counts, worst_first

METRICS = ("bleu", "chrf", "ter")
METRIC_NAMES = {"bleu": "BLEU", "chrf": "chrF++", "ter": "TER"}


def esc(value) -> str:
    """``value`` as HTML text or attribute; a path's bytes that are not UTF-8 as ``\\xNN``
    (``encodable``: the page is written as UTF-8)."""
    return html.escape(encodable("" if value is None else str(value)), quote=True)


# Bidi embeddings, overrides and isolates, and control characters, in the text of the user's
# files: shown as what they are (escapes, like the terminal's), never obeyed, so that one
# RIGHT-TO-LEFT OVERRIDE cannot make a translation look like another ("28" shown for "82").
# The marks (LRM, RLM, ALM) can turn digits around too (8, RLM, 2 is drawn "2 8"; so are
# 8:30 and 8/2): in English they are shown; in the Arabic, where they are common, only
# beside a digit, across what the bidi algorithm passes over (a zero-width space or joiner,
# a combining mark, another mark). Any escape stands between the digits as a neutral, which
# turns them around in the Arabic column as the mark did: one beside a number is shown
# before the number, which is drawn whole, as without it.
_MARKS = frozenset("\u200e\u200f\u061c")
_FORCES = SHOWN_AS_ESCAPES - _MARKS - {"\t", "\n"}  # (the terminal's, less its one line)
# What a number is made of, for the bidi algorithm: digits, their separators and signs
# (8:30, 1990-2000, 82%), and what it passes over.
_NUMBER_PARTS = frozenset(["EN", "AN", "CS", "ES", "ET"])


@dataclass(frozen=True)
class _Escapes:
    at: dict[int, list[int]]  # where escapes are drawn: position -> the characters' positions
    removed: frozenset[int]  # the characters drawn as escapes, not as themselves


def _escapes(text: str, rtl: bool) -> _Escapes:
    """Which characters of ``text`` are shown as escapes, and where (see above)."""
    before = _digit_beside(text, range(len(text)))
    after = _digit_beside(text, range(len(text) - 1, -1, -1))
    start = None  # where the number (or the run of escaped characters) at k begins
    at: dict[int, list[int]] = {}
    removed = set()
    for k, ch in enumerate(text):
        kind = unicodedata.bidirectional(ch)
        if ch in _FORCES or ch in _MARKS or kind in _NUMBER_PARTS:
            start = k if start is None else start
        elif kind not in ("BN", "NSM"):  # (which go on a number, but begin none: a vowel
            start = None  # mark on the letter before it stays with its letter)
        digit = before[k] or after[k]
        if ch in _FORCES or (ch in _MARKS and (digit or not rtl)):
            at.setdefault(start if digit and start is not None else k, []).append(k)
            removed.add(k)
    return _Escapes(at, frozenset(removed))


def _digit_beside(text: str, order: range) -> list[bool]:
    """For each position, whether the nearest character before it in ``order`` that the
    bidi algorithm does not pass over (a mark, a zero-width or combining character), nor
    the page (a character shown as an escape), is a digit. One pass: a run of marks costs no
    more than its length."""
    out = [False] * len(text)
    digit = False
    for k in order:
        out[k] = digit
        ch = text[k]
        if not (ch in _MARKS or ch in _FORCES or unicodedata.bidirectional(ch) in ("BN", "NSM")):
            digit = unicodedata.bidirectional(ch) in ("EN", "AN")
    return out


def named(value) -> str:
    """A name or fact (a path, a system's name from its file name, a note) as HTML: its
    controls and bidi characters as escapes, as the terminal shows them (``printable``)."""
    return esc(printable("" if value is None else str(value)))


def shown(text, rtl: bool = False) -> str:
    """``text`` from a user's file as HTML: escaped, its controls and bidi formatting
    characters as visible escapes (``.ctl``) that do nothing (``rtl``: Arabic text, whose
    marks are kept but beside digits)."""
    text = "" if text is None else str(text)
    return _shown_part(text, 0, len(text), _escapes(text, rtl))


def _shown_part(text: str, start: int, end: int, escapes: _Escapes) -> str:
    """``text[start:end]`` as HTML with ``escapes`` (of the whole text: a mark is judged by
    its neighbours, which may be in the next piece, and drawn where the number begins)."""
    events = sorted({p for p in escapes.at if start <= p < end}
                    | {p for p in escapes.removed if start <= p < end})  # fmt: skip
    out, last = [], start
    for k in events:
        out.append(esc(text[last:k]))
        for p in escapes.at.get(k, ()):
            name = printable(text[p])  # (the escape the terminal shows)
            out.append(f'<span class="ctl" title="U+{ord(text[p]):04X}">{name}</span>')
        last = k + 1 if k in escapes.removed else k
    out.append(esc(text[last:end]))
    return "".join(out)


def _is_number(x) -> bool:
    """A finite real number, NumPy's included (a bool is not a score; nor is an integer
    past a float's range, which ``math.isfinite`` cannot even read)."""
    if not isinstance(x, numbers.Real) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:
        return False


def _index(x) -> str:
    """A segment index, or a list of them (a bead)."""
    if isinstance(x, list | tuple):
        return ", ".join(esc(i) for i in x)
    return esc(x)


def _where(row: dict) -> str:
    """Where a compared pair is: a run's segment indices, or a file's lines (from 1)."""
    if "lines" in row:
        lines = row["lines"]
        return f"line{'s' if isinstance(lines, list) and len(lines) > 1 else ''} {_index(lines)}"
    return _index(row.get("index"))


def _num(x, digits: int = 2) -> str:
    if _is_number(x):
        return f"{x:.{digits}f}"
    return "–" if x is None else esc(x)


def _p(x) -> str:
    if not _is_number(x):
        return "–" if x is None else esc(x)
    return f"{x:.4f}"


def _indices(values, bound: int) -> list[int]:
    """The whole numbers in ``values`` (a list) that index a sequence of length ``bound``."""
    if not isinstance(values, list):
        return []
    return [k for k in values if isinstance(k, int) and not isinstance(k, bool) and 0 <= k < bound]


# ---------------------------------------------------------------------------- spans


def pieces(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[str, list[str]]]:
    """Cut ``text`` at every span boundary: (piece, ids of the spans that cover it), in order.

    Offsets are clipped to the text; empty or reversed spans are left out."""
    n = len(text)
    good = []
    cuts = {0, n}
    for start, end, pair in spans:
        start, end = max(0, min(n, start)), max(0, min(n, end))
        if start < end:
            good.append((start, end, pair))
            cuts.update((start, end))
    ordered = sorted(cuts)
    out = []
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a < b:
            out.append((text[a:b], [p for s, e, p in good if s <= a and b <= e]))
    return out


def _span_pairs(alignment: PairAlignment | None, prefix: str) -> tuple[list, list, dict]:
    """Source spans, target spans (segment-local offsets) and the tooltip of each pair id."""
    src, tgt, titles = [], [], {}
    if alignment is None:
        return src, tgt, titles
    for k, span in enumerate(alignment.spans):
        pair = f"{prefix}{k}"
        src.append((span.src[0], span.src[1], pair))
        tgt.append((span.tgt[0], span.tgt[1], pair))
        titles[pair] = f"pair {k}, confidence {_num(span.confidence, 3)}"
    return src, tgt, titles


def _render_pieces(text: str, spans, titles: dict, side: str, marks=()) -> str:
    """``text`` cut at every span boundary, the aligned pieces as ``.sp`` elements; with
    ``marks`` ((start, end, finding id, severity, message) of findings), each piece a
    finding covers wrapped in a ``mark`` of the worst severity among them."""
    marks = list(marks)
    info = {m[2]: (m[3], m[4]) for m in marks}
    cut = [*spans, *((m[0], m[1], m[2]) for m in marks)]
    out = []
    escaped = _escapes(text, rtl=side == "src")
    at = 0
    for piece, ids in pieces(text, cut):  # (contiguous, from the start)
        pairs = [p for p in ids if p not in info]
        found = [p for p in ids if p in info]
        body = _shown_part(text, at, at + len(piece), escaped)
        at += len(piece)
        if not pairs:
            inner = body
        else:
            title = "; ".join(titles[p] for p in pairs)
            inner = (
                f'<span class="sp {side}" data-pairs="{esc(" ".join(pairs))}" tabindex="0" '
                f'title="{esc(title)}">{body}</span>'
            )
        if found:
            worst = min((info[f][0] for f in found), key=SEVERITIES.index)
            tip = "; ".join(f"{info[f][0]}: {info[f][1]}" for f in found)
            inner = (
                f'<mark class="fd fd-{esc(worst)}" data-findings="{esc(" ".join(found))}" '
                f'title="{esc(tip)}">{inner}</mark>'
            )
        out.append(inner)
    return "".join(out)


def _marks(seg: Segment, side: str) -> list[tuple[int, int, str, str, str]]:
    """The spans of a segment's findings on one side (``src`` or ``tgt``) for
    ``_render_pieces``: (start, end, id, severity, check/kind: message)."""
    out = []
    for n, f in enumerate(seg.findings):
        span = f.src if side == "src" else f.tgt
        if span is not None and span[0] < span[1]:
            label = isolate_runs(printable(f"{f.check}/{f.kind}: {f.message}"))
            out.append((span[0], span[1], f"F{seg.index}-{n}", f.severity, label))
    return out


# ---------------------------------------------------------------------------- colours


def colour(score) -> str:
    """Background for a chrF++ score: red (0) through yellow to green (100); grey: none."""
    if not _is_number(score):
        return "#e6e6e6"
    t = max(0.0, min(1.0, score / 100))
    return f"hsl({120 * t:.0f}, 75%, 78%)"


def _legend() -> str:
    stops = ", ".join(colour(v) for v in range(0, 101, 10))
    return (
        '<div class="legend"><span>chrF++ 0</span>'
        f'<span class="bar" style="background: linear-gradient(to right, {stops})"></span>'
        '<span>100</span><span class="swatch" style="background:#e6e6e6"></span>'
        "<span>no score</span></div>"
    )


# ---------------------------------------------------------------------------- sections


# Notes of runs made when sentences were named from 0, as a list counts: said so beside the
# lists this page names from 1.
_FROM_ZERO = ("reference sentence(s) match no segment: ", "of the translation match no segment")


def _counted(note: str) -> str:
    if any(x in note for x in _FROM_ZERO) and "(counted from 1)" not in note:
        return f"{note} (sentences counted from 0)"
    return note


def _warnings(run: Run) -> str:
    seen: list[str] = []
    for message in map(_counted, run.warnings):
        if message not in seen:
            seen.append(message)
    out = []
    if run.is_fixture:
        out.append(
            '<div class="banner" role="alert"><strong>Fixture model.</strong> '
            "The translations come from a model with random weights: they are gibberish, "
            "and every score below measures the machinery, not translation quality.</div>"
        )
    if seen:
        items = "".join(f"<li>{named(m)}</li>" for m in seen)
        out.append(
            f'<div class="warnings" role="alert"><strong>Warnings ({len(seen)})</strong>'
            f"<ul>{items}</ul></div>"
        )
    return "".join(out)


def _summary(run: Run) -> str:
    manifest = run.manifest
    model = manifest.get("model") or {}
    counts = manifest.get("counts") or {}
    aligner = manifest.get("aligner") or {}
    article = manifest.get("article") or {}
    reference = manifest.get("reference") or {}
    facts = [
        ("run directory", str(run.dir)),
        ("document", run.document_id),
        ("article", article.get("path")),
        ("reference", reference.get("path") if reference else "none"),
        ("reference layout", run.reference_layout),
        ("model", model.get("model")),
        ("aligner", aligner.get("method")),
        ("segments", counts.get("segments")),
        ("translated", counts.get("translated")),
        ("created", manifest.get("created")),
    ]
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{named(v)}</td></tr>" for k, v in facts if v)
    return f'<section id="run"><h2>Run</h2><table class="facts">{rows}</table></section>'


def _signatures(sigs: dict) -> str:
    items = "".join(
        f"<li>{esc(METRIC_NAMES.get(k, k))}: <code>{esc(v)}</code></li>" for k, v in sigs.items()
    )
    return f'<ul class="sigs">{items}</ul>'


def _corpus(run: Run) -> str:
    scores = run.scores
    head = '<section id="scores"><h2>Corpus scores</h2>'
    found = list(scores) if scores is not None else []
    if not found:
        note = (scores.note if scores is not None else None) or (
            "this run has no reference, so nothing was scored"
        )
        return f'{head}<p class="muted">{esc(note)}.</p></section>'
    rows = [
        f"<tr><th>{esc(METRIC_NAMES.get(s.name, s.name))}</th>"
        f'<td class="num">{_num(s.score)}</td><td>{esc(s.text)}</td>'
        f'<td class="sig"><code>{esc(s.signature)}</code></td></tr>'
        for s in found
    ]
    table = (
        '<table class="grid"><thead><tr><th>metric</th><th>score</th><th>sacrebleu</th>'
        f"<th>signature</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    extra = []
    if scores.sentence_signatures:
        extra.append(f"<p>Sentence-level signatures:</p>{_signatures(scores.sentence_signatures)}")
    if scores.sacrebleu_cli:
        extra.append(f"<p>Reproduce: <code>{named(scores.sacrebleu_cli)}</code></p>")
    if scores.segments is not None:
        # The segments whose pair the corpus scores took (one too long to score is not).
        scored = sum(1 for seg in run.translated if seg.scores is not None)
        extra.append(
            f'<p class="muted">{scored} of {esc(scores.segments)} translated segments scored.</p>'
        )
    return f"{head}{table}{''.join(extra)}</section>"


def _quote(text: str, span, rtl: bool) -> str:
    if span is None:
        return ""
    piece = text[span[0] : span[1]]
    if len(piece) > 160:
        piece = piece[:159] + "…"
    # <bdi>: the quote's own direction (and any bidi control the text holds) ends with it,
    # instead of turning the words after it around.
    lang = ' dir="rtl" lang="ar"' if rtl else ""
    return f'<bdi class="q"{lang}>{shown(piece, rtl)}</bdi>'


def _findings(run: Run) -> str:
    """The counts by check and severity, then each finding, the worst segment first."""
    head = '<section id="findings"><h2>Translation findings</h2>'
    if not run.checked:
        why = (
            "it was made with --no-checks"
            if run.schema_version >= 3
            else f"it is of schema {run.schema_version}, from before the checks"
        )
        return (
            f'{head}<p class="muted">Not checked: the run\'s records hold no findings ({why}). '
            f"<code>arabic-align check {named(run.dir)}</code> checks it from its records.</p>"
            "</section>"
        )
    found = {s.index: s.findings for s in run.translated}
    ordered = worst_first(found)
    counts = finding_counts(f for fs in found.values() for f in fs)
    checks = ", ".join(run.checks) or "none"
    if not ordered:
        return (
            f'{head}<p class="muted">No findings: the checks ({named(checks)}) found nothing to '
            "look at.</p></section>"
        )
    rows = []
    for name, by in counts["checks"].items():
        cells = "".join(f'<td class="num">{by[s] or ""}</td>' for s in SEVERITIES)
        all_ = sum(by.values())
        rows.append(f'<tr><th>{named(name)}</th>{cells}<td class="num">{all_}</td></tr>')
    total = "".join(f'<td class="num">{counts[s]}</td>' for s in SEVERITIES)
    table = (
        '<table class="grid findings-summary"><thead><tr><th>check</th>'
        + "".join(f'<th class="fd-{s}">{s}</th>' for s in SEVERITIES)
        + f"<th>total</th></tr></thead><tbody>{''.join(rows)}</tbody><tfoot><tr><th>all</th>"
        f'{total}<td class="num">{counts["total"]}</td></tr></tfoot></table>'
    )
    segments = {s.index: s for s in run.translated}
    items = []
    for index, findings in ordered:
        seg = segments[index]
        lines = "".join(_finding_item(seg, f) for f in findings)
        items.append(
            f'<li><a href="#seg-{index}">segment {index}</a><ul class="fds">{lines}</ul></li>'
        )
    return (
        f"{head}<p>{counts['total']} finding(s) in {len(ordered)} of {len(run.translated)} "
        f"translated segments (checks: {named(checks)}); the pieces they are about are marked "
        f'in the article below.</p>{table}<ol class="fd-list">{"".join(items)}</ol></section>'
    )


def _isolated_html(message: str) -> str:
    """A message as HTML, each Arabic run in ``<bdi>``: isolated before it is escaped (the
    letters of ``&amp;`` would part a run), the isolates then made elements (``printable``
    has shown any the text held as escapes, so those left are ours)."""
    isolated = esc(isolate_runs(printable(message)))
    return isolated.replace("\u2068", "<bdi>").replace("\u2069", "</bdi>")


def _finding_item(seg: Segment, f: Finding) -> str:
    quotes = []
    if f.src is not None:
        quotes.append(f"source {_quote(seg.source, f.src, True)}")
    if f.tgt is not None:
        quotes.append(f"translation {_quote(seg.hypothesis or '', f.tgt, False)}")
    where = f'<div class="small">{" · ".join(quotes)}</div>' if quotes else ""
    return (
        f'<li><span class="sev fd-{esc(f.severity)}">{esc(f.severity)}</span> '
        f"<strong>{named(f.check)}/{named(f.kind)}</strong> "
        f"{_isolated_html(f.message)} "
        f'<span class="small">(confidence {_num(f.confidence)})</span>{where}</li>'
    )


def _unmatched(run: Run) -> list[Segment]:
    """The translated segments the document alignment left without a reference."""
    if run.document_alignment is None:
        return []
    translated = run.translated
    summary = run.document_alignment.summary
    return [translated[k] for k in _indices(summary.get("unmatched_hypothesis"), len(translated))]


def _document_alignment(run: Run) -> str:
    docalign = run.document_alignment
    if docalign is None:
        return ""
    info = docalign.summary
    ref_sentences = docalign.reference_texts
    same = info.get("corresponds")
    facts = [
        ("method", docalign.method),
        ("hypothesis segments", info.get("hypothesis_segments")),
        ("reference sentences", info.get("reference_sentences", len(ref_sentences))),
        ("beads", len(docalign.beads)),
        ("mean similarity", _num(info.get("mean_similarity"), 4)),
        ("unrelated similarity", _num(info.get("unrelated_similarity"), 4)),
        ("same text", "yes" if same is True else "no" if same is False else "–"),
    ]
    out = ['<section id="docalign"><h2>Document alignment</h2><table class="facts">']
    out += [f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts]
    out.append("</table>")
    notes = info.get("notes")
    for note in notes if isinstance(notes, list) else []:
        if isinstance(note, str):
            out.append(f'<p class="warn-inline">{named(_counted(note))}</p>')
    hyp = _unmatched(run)
    out.append(f"<h3>Segments with no reference: {len(hyp)}</h3>")
    if hyp:
        items = [
            f'<li><a href="#seg-{s.index}">segment {s.index}</a>: '
            f'<span dir="rtl" lang="ar">{shown(s.source, rtl=True)}</span> → '
            f"{shown(s.hypothesis)}</li>"
            for s in hyp
        ]
        out.append(f"<ul>{''.join(items)}</ul>")
    ref = _indices(info.get("unmatched_reference"), len(ref_sentences))
    out.append(f"<h3>Reference sentences that match no segment: {len(ref)}</h3>")
    if ref:
        items = [f"<li>reference sentence {k + 1}: {shown(ref_sentences[k])}</li>" for k in ref]
        out.append(f"<ul>{''.join(items)}</ul>")
    out.append("</section>")
    return "".join(out)


def _plot(run: Run) -> str:
    segments = run.segments
    points = [
        (s.index, s.scores["chrf"])
        for s in segments
        if s.scores is not None and _is_number(s.scores.get("chrf"))
    ]
    head = '<section id="plot"><h2>Sentence chrF++ along the article</h2>'
    if not points:
        return f'{head}<p class="muted">No sentence scores (no reference).</p></section>'
    width, height, left, right, top, bottom = 960, 260, 48, 16, 12, 36
    lo, hi = segments[0].index, segments[-1].index
    top_score = max(s for _, s in points)
    ymax = 100.0 if top_score > 50 else max(10.0, math.ceil(top_score * 1.2 / 10) * 10)

    def x(i):
        return left + (i - lo) / max(1, hi - lo) * (width - left - right)

    def y(s):
        return top + (1 - max(0.0, min(ymax, s)) / ymax) * (height - top - bottom)

    parts = [
        f'<svg class="plot" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-label="sentence chrF++ by segment index">'
    ]
    for k in range(6):
        value = ymax * k / 5
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'class="gridline"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
    step = max(1, round((hi - lo) / 10))
    for i in range(lo, hi + 1, step):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle">{i}</text>'
        )
    parts.append(
        f'<text x="{(left + width - right) / 2:.0f}" y="{height - 4}" text-anchor="middle">'
        "segment index</text>"
    )
    corpus = run.scores.chrf if run.scores is not None else None
    if corpus is not None and _is_number(corpus.score):
        yc = y(corpus.score)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yc:.1f}" y2="{yc:.1f}" class="corpus">'
            f"<title>corpus chrF++ {_num(corpus.score)}</title></line>"
        )
    line = " ".join(f"{x(i):.1f},{y(s):.1f}" for i, s in points)
    parts.append(f'<polyline class="series" points="{line}"/>')
    for i, s in points:
        parts.append(
            f'<a href="#seg-{i}"><circle cx="{x(i):.1f}" cy="{y(s):.1f}" r="3.5" '
            f'fill="{colour(s)}" class="point"><title>segment {i}: chrF++ {_num(s)}'
            "</title></circle></a>"
        )
    parts.append("</svg>")
    return f"{head}{''.join(parts)}{_legend()}</section>"


def _switch(run: Run) -> str:
    """The control that chooses which alignment the article shows."""
    aligned = sum(s.reference_alignment is not None for s in run.translated)
    if aligned:
        reason = (
            "The model is a fixture: its translations are gibberish, so the reference "
            "alignment is the meaningful one."
            if run.is_fixture
            else ""
        )
        if aligned < len(run.translated):
            reason += (
                f" {len(run.translated) - aligned} translated segment(s) have no reference "
                "to align."
            )
        disabled = ""
    else:
        reason = (
            "No reference alignment: the reference was not aligned segment by segment."
            if run.has_reference
            else "No reference alignment: this run was made without a reference."
        )
        disabled = " disabled"
    note = f'<span class="small" id="side-note">{esc(reason.strip())}</span>' if reason else ""
    return (
        '<fieldset class="sidepick"><legend>Alignment with</legend>'
        '<label><input type="radio" name="side" value="translation" id="side-tr" checked> '
        "translation</label>"
        f'<label><input type="radio" name="side" value="reference" id="side-rf"{disabled}> '
        f"reference</label>{note}</fieldset>"
    )


def _segment(seg: Segment, k: int, unmatched: bool, together: str | None = None) -> str:
    chrf = seg.scores.get("chrf") if seg.scores else None
    meta = [f'<a class="idx" href="#seg-{seg.index}">#{seg.index}</a>']
    meta.append(f'<span class="role">{esc(seg.role)}</span>')
    if seg.translated:
        meta.append(
            f'<span class="badge" style="background:{colour(chrf)}" '
            f'title="sentence chrF++">chrF++ {_num(chrf, 1)}</span>'
        )
        if seg.scores:
            meta.append(
                f'<span class="small">BLEU {_num(seg.scores.get("bleu"), 1)} · '
                f"TER {_num(seg.scores.get('ter'), 1)}</span>"
            )
    if seg.bead is not None:
        meta.append(f'<span class="small">bead {seg.bead}</span>')
    if together is not None:
        meta.append(f'<span class="small">scored as one with segments {esc(together)}</span>')
    if unmatched:
        meta.append('<span class="flag">no reference</span>')
    if seg.findings:
        worst = seg.findings[0].severity
        meta.append(
            f'<a class="sev fd-{esc(worst)}" href="#findings">{len(seg.findings)} finding(s)</a>'
        )
    if seg.translated and seg.hypothesis is not None:
        src_tr, hyp_spans, tr_titles = _span_pairs(seg.alignment, f"s{k}p")
        src_rf, ref_spans, rf_titles = _span_pairs(seg.reference_alignment, f"s{k}r")
        arabic = (
            f'<span class="view tr">'
            f"{_render_pieces(seg.source, src_tr, tr_titles, 'src', _marks(seg, 'src'))}"
            f'</span><span class="view rf">'
            f"{_render_pieces(seg.source, src_rf, rf_titles, 'src')}</span>"
        )
        english = (
            f'<div class="view tr"><div class="hyp">'
            f"{_render_pieces(seg.hypothesis, hyp_spans, tr_titles, 'tgt', _marks(seg, 'tgt'))}"
            "</div>"
        )
        if seg.reference is not None:
            english += (
                '<div class="ref"><span class="label">reference</span> '
                f"{shown(seg.reference)}</div>"
            )
        english += '</div><div class="view rf">'
        if seg.reference is not None and seg.reference_alignment is not None:
            english += (
                f'<div class="refal"><span class="label">reference</span> '
                f"{_render_pieces(seg.reference, ref_spans, rf_titles, 'tgt')}</div>"
            )
        elif seg.reference is not None:
            english += (
                f'<div class="refal"><span class="label">reference, not aligned</span> '
                f"{shown(seg.reference)}</div>"
            )
        else:
            english += '<div class="muted refal">no reference for this segment</div>'
        english += (
            f'<div class="ref"><span class="label">translation</span> '
            f"{shown(seg.hypothesis)}</div></div>"
        )
    else:
        arabic = shown(seg.source, rtl=True)
        english = '<div class="muted">not translated (boilerplate)</div>'
    return (
        f'<div class="seg{" skipped" if not seg.translated else ""}" id="seg-{seg.index}" '
        f'style="border-inline-start-color:{colour(chrf) if seg.translated else "#ccc"}">'
        f'<div class="meta">{"".join(meta)}</div>'
        f'<div class="ar" dir="rtl" lang="ar">{arabic}</div>'
        f'<div class="en" dir="ltr" lang="en">{english}</div></div>'
    )


def _article(run: Run) -> str:
    unmatched = {s.index for s in _unmatched(run)}
    out = [
        '<section id="article"><h2>Article</h2>',
        _switch(run),
        '<p class="muted">Hover over or focus (Tab) an underlined piece to see the span it is '
        "aligned with on the other side; the switch above chooses the alignment of the source "
        "with the translation or with the reference.</p>",
        _legend(),
        '<div class="segments">',
        '<div class="seg head"><div>segment</div><div lang="ar" dir="rtl">العربية</div>'
        "<div>English</div></div>",
    ]
    # The segments scored as one pair with others (a bead of a translation given in
    # document layout), named on each: one of them shows an empty translation and the pair's
    # scores.
    together: dict[int, str] = {}
    if run.references is not None:
        translated = run.translated
        for group in run.translation_groups:
            if len(group) > 1:
                named = ", ".join(str(translated[k].index) for k in group)
                together.update((translated[k].index, named) for k in group)
    out += [
        _segment(seg, k, seg.index in unmatched, together.get(seg.index))
        for k, seg in enumerate(run.segments)
    ]
    out.append("</div></section>")
    return "".join(out)


# ---------------------------------------------------------------------------- comparison


def _metric_cell(entry) -> str:
    if not isinstance(entry, dict):
        return f'<td class="num">{_num(entry)}</td>'
    text = _num(entry.get("score"))
    if entry.get("ci") is not None:
        mean = f"{_num(entry.get('mean'))} " if entry.get("mean") is not None else ""
        text += f' <span class="small">({mean}± {_num(entry.get("ci"))})</span>'
    ps = []
    if entry.get("p_bs") is not None:
        ps.append(f"p<sub>bs</sub> = {_p(entry['p_bs'])}")
    if entry.get("p_ar") is not None:
        ps.append(f"p<sub>ar</sub> = {_p(entry['p_ar'])}")
    if ps:
        text += f'<br><span class="small">{", ".join(ps)}</span>'
    if entry.get("significant"):
        return f'<td class="num significant"><strong>{text} †</strong></td>'
    return f'<td class="num">{text}</td>'


def _metric_keys(rows: Iterable[dict], skip: Sequence[str]) -> list[str]:
    found: list[str] = []
    for row in rows:
        for key in row:
            if key not in skip and key not in found:
                found.append(key)
    return sorted(found, key=lambda k: (METRICS.index(k) if k in METRICS else len(METRICS), k))


def _th(name) -> str:
    return f"<th>{named(METRIC_NAMES.get(name, name))}</th>"


def _comparison(compare: dict) -> str:
    if not isinstance(compare, dict):
        return ""
    baseline = compare.get("baseline")
    systems = [s for s in compare.get("systems") or []]
    out = ['<section id="compare"><h2>Comparison</h2>']
    facts = [("baseline", baseline), ("systems", ", ".join(map(str, systems)) or None),
             ("segments", compare.get("segments"))]  # fmt: skip
    out.append('<table class="facts">')
    out += [f"<tr><th>{named(k)}</th><td>{named(v)}</td></tr>" for k, v in facts if v is not None]
    out.append("</table>")
    notes = [n for n in compare.get("notes") or [] if isinstance(n, str)]
    out += [f'<p class="warn-inline">note: {named(n)}</p>' for n in notes]
    sigs = compare.get("signatures")
    if isinstance(sigs, dict) and sigs:
        out.append(_signatures(sigs))

    table = [r for r in compare.get("table") or [] if isinstance(r, dict)]
    if table:
        keys = _metric_keys(table, ("system",))
        head = "".join(_th(k) for k in keys)
        body = []
        for row in table:
            name = row.get("system")
            label = named(name)
            if name == baseline:
                label += ' <span class="small">(baseline)</span>'
            cells = "".join(_metric_cell(row.get(k)) for k in keys)
            body.append(f"<tr><th>{label}</th>{cells}</tr>")
        out.append(
            '<h3>Scores</h3><table class="grid compare"><thead><tr><th>system</th>'
            f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            '<p class="small">score (mean ± 95% confidence interval); p: paired bootstrap '
            "(bs) and approximate randomization (ar) against the baseline; "
            "<strong>†</strong> a significant difference from the baseline.</p>"
        )

    buckets = compare.get("buckets")
    if isinstance(buckets, dict):
        for kind, rows in buckets.items():
            rows = [r for r in rows or [] if isinstance(r, dict)]
            if not rows:
                continue
            keys = _metric_keys(rows, ("bucket", "count"))
            cols = []
            for key in keys:
                names = []
                for r in rows:
                    if isinstance(r.get(key), dict):
                        names += [n for n in r[key] if n not in names]
                cols += [(key, n) for n in names] if names else [(key, None)]
            head = "".join(
                f"<th>{named(METRIC_NAMES.get(k, k))}"
                f"{'<br>' + named(n) if n is not None else ''}</th>"
                for k, n in cols
            )
            body = []
            for r in rows:
                cells = []
                for key, name in cols:
                    value = r.get(key)
                    value = value.get(name) if isinstance(value, dict) else value
                    cells.append(f'<td class="num">{_num(value)}</td>')
                body.append(
                    f'<tr><th>{named(r.get("bucket"))}</th><td class="num">{named(r.get("count"))}'
                    f"</td>{''.join(cells)}</tr>"
                )
            out.append(
                f'<h3>By {named(kind)}</h3><table class="grid"><thead><tr><th>{named(kind)}</th>'
                f"<th>segments</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            )

    differ = [r for r in compare.get("differ_most") or [] if isinstance(r, dict)]
    if differ:
        names = list(systems)
        for r in differ:
            for group in ("hyps", "chrf"):
                names += [n for n in (r.get(group) or {}) if n not in names]
        head = "".join(f"<th>{named(n)}</th>" for n in names)
        body = []
        for r in differ:
            hyps, chrf = r.get("hyps") or {}, r.get("chrf") or {}
            cells = "".join(
                f'<td>{shown(hyps.get(n))}<br><span class="badge" style="background:'
                f'{colour(chrf.get(n))}">chrF++ {_num(chrf.get(n), 1)}</span></td>'
                for n in names
            )
            body.append(
                f'<tr><td class="num">{_where(r)}</td>'
                f"<td>{shown(r.get('reference'))}</td>"
                f'{cells}<td class="num">{_num(r.get("difference"))}</td></tr>'
            )
        out.append(
            '<h3>Segments where the systems differ most</h3><table class="grid"><thead><tr>'
            f"<th>segment</th><th>reference</th>{head}<th>difference</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )

    ngrams = compare.get("ngrams")
    if isinstance(ngrams, dict):
        other = ngrams.get("other")
        groups = (("better", "matched more often by"), ("worse", "matched less often by"))
        for group, title in groups:
            rows = [r for r in ngrams.get(group) or [] if isinstance(r, dict)]
            if not rows:
                continue
            body = "".join(
                f'<tr><td>{shown(r.get("ngram"))}</td><td class="num">{named(r.get("baseline"))}'
                f'</td><td class="num">{named(r.get("other"))}</td></tr>'
                for r in rows
            )
            out.append(
                f"<h3>Reference n-grams {title} {named(baseline)} than {named(other)}</h3>"
                f'<table class="grid"><thead><tr><th>n-gram</th><th>{named(baseline)}</th>'
                f"<th>{named(other)}</th></tr></thead><tbody>{body}</tbody></table>"
            )

    lowest = [r for r in compare.get("lowest") or [] if isinstance(r, dict)]
    if lowest:
        body = "".join(
            f'<tr><td class="num">{_where(r)}</td><td>{named(r.get("system"))}</td>'
            f'<td class="num" style="background:{colour(r.get("chrf"))}">{_num(r.get("chrf"))}'
            f"</td><td>{shown(r.get('hypothesis'))}</td><td>{shown(r.get('reference'))}</td></tr>"
            for r in lowest
        )
        out.append(
            '<h3>Lowest-scoring segments</h3><table class="grid"><thead><tr><th>segment</th>'
            "<th>system</th><th>chrF++</th><th>hypothesis</th><th>reference</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    out.append("</section>")
    return "".join(out)


# ---------------------------------------------------------------------------- page

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, "DejaVu Sans", "Noto Sans", sans-serif; margin: 0 auto;
  max-width: 1240px; padding: 16px 20px 60px; color: #1d1d1f; background: #fff;
  line-height: 1.45; }
h1 { font-size: 1.5rem; margin: 0 0 12px; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 28px; }
h3 { font-size: 1rem; margin: 18px 0 6px; }
code { font-size: 0.85em; background: #f4f4f6; padding: 1px 4px; border-radius: 3px;
  word-break: break-all; }
.banner { background: #b3261e; color: #fff; padding: 12px 16px; border-radius: 6px;
  margin: 8px 0; font-size: 1.05rem; }
.warnings { background: #fff4ce; border: 2px solid #e0a800; padding: 8px 16px;
  border-radius: 6px; margin: 8px 0; }
.warnings ul { margin: 4px 0; padding-inline-start: 20px; }
.warn-inline { background: #fff4ce; padding: 4px 8px; border-radius: 4px; }
.muted { color: #666; }
.small { font-size: 0.8em; color: #555; }
table { border-collapse: collapse; }
.facts th { text-align: start; padding: 2px 12px 2px 0; color: #555; font-weight: 600; }
.grid { margin: 6px 0; }
.grid th, .grid td { border: 1px solid #ddd; padding: 4px 8px; vertical-align: top;
  text-align: start; }
.grid thead th { background: #f4f4f6; }
.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.sig code, .sigs code { word-break: break-all; }
.significant { background: #e9f5e9; }
.plot { max-width: 100%; height: auto; font-size: 11px; fill: #444; }
.plot .gridline { stroke: #e5e5e5; stroke-width: 1; }
.plot .series { fill: none; stroke: #3366aa; stroke-width: 1.5; }
.plot .point { stroke: #333; stroke-width: 0.8; }
.plot .corpus { stroke: #b3261e; stroke-dasharray: 5 4; stroke-width: 1.2; }
.legend { display: flex; align-items: center; gap: 8px; font-size: 0.8em; color: #555;
  margin: 6px 0; }
.legend .bar { display: inline-block; width: 200px; height: 12px; border: 1px solid #ccc; }
.legend .swatch { display: inline-block; width: 14px; height: 12px; border: 1px solid #ccc; }
.segments { display: flex; flex-direction: column; gap: 4px; }
.seg { display: grid; grid-template-columns: 130px 1fr 1fr; gap: 12px; padding: 8px;
  border: 1px solid #e4e4e4; border-inline-start: 8px solid #ccc; border-radius: 4px; }
.seg.head { font-weight: 600; background: #f4f4f6; border-inline-start-color: #f4f4f6; }
.seg.skipped { background: #fafafa; color: #777; }
.meta { display: flex; flex-direction: column; gap: 3px; font-size: 0.85em; }
.meta .idx { font-weight: 600; color: #1d1d1f; text-decoration: none; }
.role { color: #666; }
.badge { display: inline-block; padding: 1px 6px; border-radius: 10px; font-size: 0.85em;
  color: #1d1d1f; white-space: nowrap; }
.flag { color: #b3261e; font-weight: 600; }
.ar { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", "Amiri", serif;
  font-size: 1.2rem; line-height: 1.8; text-align: start; }
.en { overflow-wrap: anywhere; }
.ref { margin-top: 6px; color: #555; font-size: 0.9em; }
.ref .label { font-size: 0.75em; text-transform: uppercase; color: #888; }
.sp { border-bottom: 2px solid #7aa7d8; cursor: pointer; border-radius: 2px; }
.sp:focus { outline: 2px solid #1a5fb4; outline-offset: 1px; }
.sp.hl { background: #ffd54a; border-bottom-color: #b36b00; }
.refal { color: #1d1d1f; }
.refal .label { font-size: 0.75em; text-transform: uppercase; color: #888; }
/* Room for the sticky bar above what a link (#seg-N) or the keyboard brings into view. */
html { scroll-padding-top: 5em; }
.sidepick { position: sticky; top: 0; z-index: 2; background: #fff; display: flex;
  flex-wrap: wrap; align-items: center; gap: 6px 16px; border: 1px solid #ccc;
  border-radius: 6px; padding: 6px 12px; margin: 8px 0; }
.sidepick legend { float: left; font-weight: 600; padding: 0; }
.sidepick label:has(input:disabled) { color: #999; }
#article:not(.show-ref) .view.rf, #article.show-ref .view.tr { display: none; }
mark.fd { background: none; color: inherit; text-decoration: underline wavy;
  text-decoration-skip-ink: none; text-underline-offset: 4px; }
mark.fd-error { text-decoration-color: #b3261e; background: #fde7e5; }
mark.fd-warning { text-decoration-color: #c77700; background: #fff1d6; }
mark.fd-info { text-decoration-color: #3366aa; }
.sev { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 0.8em;
  font-weight: 600; text-decoration: none; }
.sev.fd-error, th.fd-error { color: #b3261e; }
.sev.fd-warning, th.fd-warning { color: #a05a00; }
.sev.fd-info, th.fd-info { color: #3366aa; }
.fd-list > li { margin: 6px 0; }
.fds { margin: 2px 0; padding-inline-start: 18px; }
.q { background: #f4f4f6; padding: 0 3px; border-radius: 3px; }
.ctl { color: #b00; font-family: monospace; font-size: 85%; unicode-bidi: isolate; direction: ltr; }
"""

JS = """
(function () {
  var hovered = null;
  function clear() {
    document.querySelectorAll('.sp.hl').forEach(function (e) { e.classList.remove('hl'); });
  }
  function show(el) {
    (el.getAttribute('data-pairs') || '').split(' ').forEach(function (p) {
      if (!p) { return; }
      document.querySelectorAll('.sp[data-pairs~="' + p + '"]').forEach(function (e) {
        e.classList.add('hl');
      });
    });
  }
  function refresh(leaving) {
    clear();
    var a = document.activeElement;
    if (a && a !== leaving && a.classList && a.classList.contains('sp')) { show(a); }
    if (hovered && hovered !== leaving) { show(hovered); }
  }
  document.querySelectorAll('.sp').forEach(function (el) {
    el.addEventListener('mouseenter', function () { hovered = el; refresh(null); });
    el.addEventListener('mouseleave', function () {
      if (hovered === el) { hovered = null; }
      refresh(el);
    });
    el.addEventListener('focus', function () { refresh(null); });
    el.addEventListener('blur', function () { refresh(el); });
  });
  // The switch: show the source's alignment with the translation or with the reference.
  var article = document.getElementById('article');
  function choose(side) {
    var a = document.activeElement;
    if (a && a.classList && a.classList.contains('sp')) { a.blur(); }
    hovered = null;
    article.classList.toggle('show-ref', side === 'reference');
    clear();
  }
  document.querySelectorAll('input[name="side"]').forEach(function (r) {
    r.addEventListener('change', function () { if (r.checked) { choose(r.value); } });
    if (r.checked) { choose(r.value); }  // a reloaded page keeps the choice
  });
})();
"""


def build_html(run: Run, compare: dict | None = None) -> str:
    title = f"arabic-align report: {run.document_id or run.dir.name}"
    body = [
        f"<h1>{named(title)}</h1>",
        _warnings(run),
        _summary(run),
        _corpus(run),
        _document_alignment(run),
        _findings(run),
        _plot(run),
        _comparison(compare) if compare else "",
        _article(run),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{named(title)}</title><style>{CSS}</style></head><body>"
        + "".join(body)
        + f"<script>{JS}</script></body></html>\n"
    )


def render_report(run_dir: str | Path, out: str | Path, compare: dict | None = None) -> Path:
    """Write the self-contained HTML report of ``run_dir`` to ``out`` (atomically); a
    ``RunError`` sentence, and nothing written, when the run is damaged or foreign."""
    run = Run.open(run_dir)
    out = Path(out)
    if out.is_dir():
        raise UserError(f"the report path {out} is a directory; give a file name")
    try:
        atomic_write_text(out, build_html(run, compare))
    except OSError as exc:
        raise UserError(f"cannot write the report {out}: {exc.strerror or exc}") from exc
    return out
