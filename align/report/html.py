"""One self-contained HTML file for a run directory: ``arabic-align report``.

The page needs no network: CSS, JavaScript and the plot (SVG) are inline and the fonts are
the reader's own. It shows the warnings of the run first (a fixture model's gibberish, a
reference that does not match), the corpus scores with their sacrebleu signatures, the
document alignment when the reference was a document, a plot of sentence chrF++ along the
article, the comparison tables when given, and the article itself: Arabic (right to left)
and English side by side, segment by segment, each segment coloured by its chrF++.

Aligned spans: each span pair of a segment's alignment gets an id; the source and the
hypothesis are cut at every span boundary, and each piece inside one or more spans becomes
``<span class="sp" data-pairs="ID ..." tabindex="0">``. Hovering or focusing a piece adds
the class ``hl`` to every piece, on both sides, that shares one of its pairs, and leaving
or blurring it takes the class away again. Overlapping and nested spans need nothing
special: a piece lists all the pairs it belongs to.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Iterable, Sequence
from pathlib import Path

from align.errors import UserError
from align.records import (
    MANIFEST,
    SCHEMA_VERSION,
    atomic_write_text,
    is_complete,
    loads_json,
    read_manifest,
)

METRICS = ("bleu", "chrf", "ter")
METRIC_NAMES = {"bleu": "BLEU", "chrf": "chrF++", "ter": "TER"}
SEGMENTS = "segments.jsonl"


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _is_number(x) -> bool:
    """A finite real number, NumPy's included (a bool is not a score)."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x)


def _index(x) -> str:
    """A segment index, or a list of them (a bead)."""
    if isinstance(x, list | tuple):
        return ", ".join(esc(i) for i in x)
    return esc(x)


def _num(x, digits: int = 2) -> str:
    if _is_number(x):
        return f"{x:.{digits}f}"
    return "–" if x is None else esc(x)


def _int(x) -> int:
    return x if isinstance(x, int) and not isinstance(x, bool) else 0


def _p(x) -> str:
    if not _is_number(x):
        return "–" if x is None else esc(x)
    return f"{x:.4f}"


# ---------------------------------------------------------------------------- reading


def _read_json(path: Path, what: str):
    try:
        return loads_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the {what} {path}: {exc}") from exc
    except ValueError as exc:
        raise UserError(f"the {what} {path} is not valid JSON") from exc


def load_run(run_dir: str | Path) -> dict:
    """Manifest, segment rows, scores and document alignment of a run directory; a
    ``UserError`` when the directory is not a run this version can read."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise UserError(f"{run_dir} is not a run directory (it does not exist or is not a folder)")
    if not (run_dir / MANIFEST).is_file():
        raise UserError(f"{run_dir} is not a complete run directory (no {MANIFEST})")
    try:
        manifest = read_manifest(run_dir)
    except (OSError, UnicodeDecodeError, AttributeError) as exc:
        raise UserError(f"{run_dir}/{MANIFEST} cannot be read as a run manifest") from exc
    if not isinstance(manifest, dict) or manifest.get("schema_version") != SCHEMA_VERSION:
        raise UserError(f"{run_dir} does not have run schema version {SCHEMA_VERSION}")
    seg_path = run_dir / SEGMENTS
    if not seg_path.is_file():
        raise UserError(f"{run_dir} has no {SEGMENTS}, so it is not a complete run directory")
    try:
        text = seg_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {seg_path}: {exc}") from exc
    rows = []
    for number, line in enumerate(text.split("\n"), 1):  # JSON lines end at LF only
        if not line.strip():
            continue
        try:
            row = loads_json(line)
        except ValueError as exc:
            raise UserError(f"{seg_path} line {number} is not valid JSON") from exc
        if not isinstance(row, dict):
            raise UserError(f"{seg_path} line {number} is not a segment record")
        rows.append(row)
    scores = None
    if (run_dir / "scores.json").is_file():
        scores = _read_json(run_dir / "scores.json", "scores file")
    docalign = None
    if (run_dir / "docalign.json").is_file():
        docalign = _read_json(run_dir / "docalign.json", "document alignment")
    return {
        "dir": run_dir,
        "manifest": manifest,
        "rows": rows,
        "scores": scores if isinstance(scores, dict) else None,
        "docalign": docalign if isinstance(docalign, dict) else None,
        "complete": is_complete(run_dir),
    }


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


def _span_pairs(alignment, src_shift: int, prefix: str) -> tuple[list, list, dict]:
    """Source spans, target spans (offsets into their strings) and the confidence of each
    pair id, from an alignment's JSON."""
    src, tgt, confidence = [], [], {}
    spans = alignment.get("spans") if isinstance(alignment, dict) else None
    for k, span in enumerate(spans or []):
        try:
            s0, s1 = (int(x) for x in span["src"])
            t0, t1 = (int(x) for x in span["tgt"])
        except (KeyError, TypeError, ValueError):
            continue
        pair = f"{prefix}p{k}"
        src.append((s0 - src_shift, s1 - src_shift, pair))
        tgt.append((t0, t1, pair))
        confidence[pair] = span.get("confidence")
    return src, tgt, confidence


def _render_pieces(text: str, spans, confidence: dict, side: str) -> str:
    out = []
    for piece, pairs in pieces(text, spans):
        if not pairs:
            out.append(esc(piece))
            continue
        title = "; ".join(f"pair {p.split('p')[-1]}, confidence {_num(confidence.get(p), 3)}"
                          for p in pairs)  # fmt: skip
        out.append(
            f'<span class="sp {side}" data-pairs="{esc(" ".join(pairs))}" tabindex="0" '
            f'title="{esc(title)}">{esc(piece)}</span>'
        )
    return "".join(out)


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


def _warnings(run: dict) -> str:
    manifest, scores = run["manifest"], run["scores"] or {}
    seen: list[str] = []
    for message in list(manifest.get("warnings") or []) + list(scores.get("warnings") or []):
        if str(message) not in seen:
            seen.append(str(message))
    if not run["complete"]:
        seen.append(
            "the files of this run no longer match the hashes in its manifest "
            "(edited or unfinished): the report shows them as they are now"
        )
    model = manifest.get("model") if isinstance(manifest.get("model"), dict) else {}
    out = []
    if model.get("fixture"):
        out.append(
            '<div class="banner" role="alert"><strong>Fixture model.</strong> '
            "The translations come from a model with random weights: they are gibberish, "
            "and every score below measures the machinery, not translation quality.</div>"
        )
    if seen:
        items = "".join(f"<li>{esc(m)}</li>" for m in seen)
        out.append(
            f'<div class="warnings" role="alert"><strong>Warnings ({len(seen)})</strong>'
            f"<ul>{items}</ul></div>"
        )
    return "".join(out)


def _summary(run: dict) -> str:
    manifest = run["manifest"]
    model = manifest.get("model") if isinstance(manifest.get("model"), dict) else {}
    counts = manifest.get("counts") if isinstance(manifest.get("counts"), dict) else {}
    aligner = manifest.get("aligner") if isinstance(manifest.get("aligner"), dict) else {}
    article = manifest.get("article") if isinstance(manifest.get("article"), dict) else {}
    reference = manifest.get("reference") if isinstance(manifest.get("reference"), dict) else {}
    facts = [
        ("run directory", str(run["dir"])),
        ("document", manifest.get("document_id")),
        ("article", article.get("path")),
        ("reference", reference.get("path") if reference else "none"),
        ("reference layout", manifest.get("reference_layout")),
        ("model", model.get("model")),
        ("aligner", aligner.get("method")),
        ("segments", counts.get("segments")),
        ("translated", counts.get("translated")),
        ("created", manifest.get("created")),
    ]
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts if v)
    return f'<section id="run"><h2>Run</h2><table class="facts">{rows}</table></section>'


def _signatures(sigs: dict) -> str:
    items = "".join(
        f"<li>{esc(METRIC_NAMES.get(k, k))}: <code>{esc(v)}</code></li>" for k, v in sigs.items()
    )
    return f'<ul class="sigs">{items}</ul>'


def _corpus(run: dict) -> str:
    scores = run["scores"] or {}
    corpus = scores.get("corpus")
    head = '<section id="scores"><h2>Corpus scores</h2>'
    if not isinstance(corpus, dict):
        note = scores.get("note") or "this run has no reference, so nothing was scored"
        return f'{head}<p class="muted">{esc(note)}.</p></section>'
    rows = []
    for key in [*METRICS, *(k for k in corpus if k not in METRICS)]:
        entry = corpus.get(key)
        if not isinstance(entry, dict):
            continue
        rows.append(
            f"<tr><th>{esc(METRIC_NAMES.get(key, key))}</th>"
            f'<td class="num">{_num(entry.get("score"))}</td>'
            f"<td>{esc(entry.get('text'))}</td>"
            f'<td class="sig"><code>{esc(entry.get("signature"))}</code></td></tr>'
        )
    table = (
        '<table class="grid"><thead><tr><th>metric</th><th>score</th><th>sacrebleu</th>'
        f"<th>signature</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    extra = []
    sigs = scores.get("sentence_signatures")
    if isinstance(sigs, dict) and sigs:
        extra.append(f"<p>Sentence-level signatures:</p>{_signatures(sigs)}")
    if scores.get("sacrebleu_cli"):
        extra.append(f"<p>Reproduce: <code>{esc(scores['sacrebleu_cli'])}</code></p>")
    if scores.get("segments") is not None:
        extra.append(f'<p class="muted">{esc(scores["segments"])} segments scored.</p>')
    return f"{head}{table}{''.join(extra)}</section>"


def _translated(rows: Sequence[dict]) -> list[dict]:
    return [r for r in rows if r.get("translated", r.get("hypothesis") is not None)]


def _document_alignment(run: dict) -> str:
    info = (run["scores"] or {}).get("document_alignment")
    if not isinstance(info, dict):
        return ""
    translated = _translated(run["rows"])
    ref_sentences = (run["docalign"] or {}).get("reference_texts") or []
    facts = [
        ("method", info.get("method")),
        ("hypothesis segments", info.get("hypothesis_segments")),
        ("reference sentences", info.get("reference_sentences")),
        ("mean similarity", _num(info.get("mean_similarity"), 4)),
        ("unrelated similarity", _num(info.get("unrelated_similarity"), 4)),
        ("same text", {True: "yes", False: "no"}.get(info.get("corresponds"), "–")),
    ]
    out = ['<section id="docalign"><h2>Document alignment</h2><table class="facts">']
    out += [f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts]
    out.append("</table>")
    for note in info.get("notes") or []:
        out.append(f'<p class="warn-inline">{esc(note)}</p>')
    hyp = [k for k in info.get("unmatched_hypothesis") or [] if isinstance(k, int)]
    out.append(f"<h3>Segments with no reference: {len(hyp)}</h3>")
    if hyp:
        items = []
        for k in hyp:
            row = translated[k] if 0 <= k < len(translated) else {}
            index = row.get("index", k)
            items.append(
                f'<li><a href="#seg-{esc(index)}">segment {esc(index)}</a>: '
                f'<span dir="rtl" lang="ar">{esc(row.get("source"))}</span> → '
                f"{esc(row.get('hypothesis'))}</li>"
            )
        out.append(f"<ul>{''.join(items)}</ul>")
    ref = [k for k in info.get("unmatched_reference") or [] if isinstance(k, int)]
    out.append(f"<h3>Reference sentences that match no segment: {len(ref)}</h3>")
    if ref:
        items = []
        for k in ref:
            text = ref_sentences[k] if 0 <= k < len(ref_sentences) else ""
            items.append(f"<li>reference sentence {k}: {esc(text)}</li>")
        out.append(f"<ul>{''.join(items)}</ul>")
    out.append("</section>")
    return "".join(out)


def _plot(run: dict) -> str:
    rows = run["rows"]
    points = [
        (r.get("index", k), r["scores"]["chrf"])
        for k, r in enumerate(rows)
        if isinstance(r.get("scores"), dict) and _is_number(r["scores"].get("chrf"))
    ]
    head = '<section id="plot"><h2>Sentence chrF++ along the article</h2>'
    if not points:
        return f'{head}<p class="muted">No sentence scores (no reference).</p></section>'
    width, height, left, right, top, bottom = 960, 260, 48, 16, 12, 36
    indices = [r.get("index", k) for k, r in enumerate(rows)]
    lo = min(i for i in indices if _is_number(i))
    hi = max(i for i in indices if _is_number(i))
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
    for i in range(int(lo), int(hi) + 1, step):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle">{i}</text>'
        )
    parts.append(
        f'<text x="{(left + width - right) / 2:.0f}" y="{height - 4}" text-anchor="middle">'
        "segment index</text>"
    )
    corpus = ((run["scores"] or {}).get("corpus") or {}).get("chrf") or {}
    if _is_number(corpus.get("score")):
        yc = y(corpus["score"])
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yc:.1f}" y2="{yc:.1f}" class="corpus">'
            f"<title>corpus chrF++ {_num(corpus['score'])}</title></line>"
        )
    line = " ".join(f"{x(i):.1f},{y(s):.1f}" for i, s in points)
    parts.append(f'<polyline class="series" points="{line}"/>')
    for i, s in points:
        parts.append(
            f'<a href="#seg-{esc(i)}"><circle cx="{x(i):.1f}" cy="{y(s):.1f}" r="3.5" '
            f'fill="{colour(s)}" class="point"><title>segment {esc(i)}: chrF++ {_num(s)}'
            "</title></circle></a>"
        )
    parts.append("</svg>")
    return f"{head}{''.join(parts)}{_legend()}</section>"


def _article(run: dict) -> str:
    rows = run["rows"]
    info = (run["scores"] or {}).get("document_alignment")
    unmatched = set()
    if isinstance(info, dict):
        translated = _translated(rows)
        for k in info.get("unmatched_hypothesis") or []:
            if isinstance(k, int) and 0 <= k < len(translated):
                unmatched.add(id(translated[k]))
    out = [
        '<section id="article"><h2>Article</h2>',
        '<p class="muted">Hover over or focus (Tab) an underlined piece to see the span it is '
        "aligned with on the other side.</p>",
        _legend(),
        '<div class="segments">',
        '<div class="seg head"><div>segment</div><div lang="ar" dir="rtl">العربية</div>'
        "<div>English</div></div>",
    ]
    for k, row in enumerate(rows):
        index = row.get("index", k)
        source = str(row.get("source") or "")
        hypothesis = row.get("hypothesis")
        scores = row.get("scores") if isinstance(row.get("scores"), dict) else {}
        translated = row.get("translated", hypothesis is not None)
        chrf = scores.get("chrf")
        src_spans, tgt_spans, confidence = _span_pairs(
            row.get("alignment"), _int(row.get("start")), f"s{k}"
        )
        meta = [f'<a class="idx" href="#seg-{esc(index)}">#{esc(index)}</a>']
        meta.append(f'<span class="role">{esc(row.get("role"))}</span>')
        if translated:
            meta.append(
                f'<span class="badge" style="background:{colour(chrf)}" '
                f'title="sentence chrF++">chrF++ {_num(chrf, 1)}</span>'
            )
            if scores:
                meta.append(
                    f'<span class="small">BLEU {_num(scores.get("bleu"), 1)} · '
                    f"TER {_num(scores.get('ter'), 1)}</span>"
                )
        if row.get("bead") is not None:
            meta.append(f'<span class="small">bead {esc(row.get("bead"))}</span>')
        if id(row) in unmatched:
            meta.append('<span class="flag">no reference</span>')
        if translated and hypothesis is not None:
            english = (
                f'<div class="hyp">{_render_pieces(str(hypothesis), tgt_spans, confidence, "tgt")}'
                "</div>"
            )
            if row.get("reference") is not None:
                english += (
                    '<div class="ref"><span class="label">reference</span> '
                    f"{esc(row['reference'])}</div>"
                )
        else:
            english = '<div class="muted">not translated (boilerplate)</div>'
        out.append(
            f'<div class="seg{" skipped" if not translated else ""}" id="seg-{esc(index)}" '
            f'style="border-inline-start-color:{colour(chrf) if translated else "#ccc"}">'
            f'<div class="meta">{"".join(meta)}</div>'
            f'<div class="ar" dir="rtl" lang="ar">'
            f"{_render_pieces(source, src_spans, confidence, 'src')}</div>"
            f'<div class="en" dir="ltr" lang="en">{english}</div></div>'
        )
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
    return f"<th>{esc(METRIC_NAMES.get(name, name))}</th>"


def _comparison(compare: dict) -> str:
    if not isinstance(compare, dict):
        return ""
    baseline = compare.get("baseline")
    systems = [s for s in compare.get("systems") or []]
    out = ['<section id="compare"><h2>Comparison</h2>']
    facts = [("baseline", baseline), ("systems", ", ".join(map(str, systems)) or None),
             ("segments", compare.get("segments"))]  # fmt: skip
    out.append('<table class="facts">')
    out += [f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts if v is not None]
    out.append("</table>")
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
            label = esc(name)
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
                f"<th>{esc(METRIC_NAMES.get(k, k))}{'<br>' + esc(n) if n is not None else ''}</th>"
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
                    f'<tr><th>{esc(r.get("bucket"))}</th><td class="num">{esc(r.get("count"))}'
                    f"</td>{''.join(cells)}</tr>"
                )
            out.append(
                f'<h3>By {esc(kind)}</h3><table class="grid"><thead><tr><th>{esc(kind)}</th>'
                f"<th>segments</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            )

    differ = [r for r in compare.get("differ_most") or [] if isinstance(r, dict)]
    if differ:
        names = list(systems)
        for r in differ:
            for group in ("hyps", "chrf"):
                names += [n for n in (r.get(group) or {}) if n not in names]
        head = "".join(f"<th>{esc(n)}</th>" for n in names)
        body = []
        for r in differ:
            hyps, chrf = r.get("hyps") or {}, r.get("chrf") or {}
            cells = "".join(
                f'<td>{esc(hyps.get(n))}<br><span class="badge" style="background:'
                f'{colour(chrf.get(n))}">chrF++ {_num(chrf.get(n), 1)}</span></td>'
                for n in names
            )
            body.append(
                f'<tr><td class="num">{_index(r.get("index"))}</td>'
                f"<td>{esc(r.get('reference'))}</td>"
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
                f'<tr><td>{esc(r.get("ngram"))}</td><td class="num">{esc(r.get("baseline"))}'
                f'</td><td class="num">{esc(r.get("other"))}</td></tr>'
                for r in rows
            )
            out.append(
                f"<h3>Reference n-grams {title} {esc(baseline)} than {esc(other)}</h3>"
                f'<table class="grid"><thead><tr><th>n-gram</th><th>{esc(baseline)}</th>'
                f"<th>{esc(other)}</th></tr></thead><tbody>{body}</tbody></table>"
            )

    lowest = [r for r in compare.get("lowest") or [] if isinstance(r, dict)]
    if lowest:
        body = "".join(
            f'<tr><td class="num">{_index(r.get("index"))}</td><td>{esc(r.get("system"))}</td>'
            f'<td class="num" style="background:{colour(r.get("chrf"))}">{_num(r.get("chrf"))}'
            f"</td><td>{esc(r.get('hypothesis'))}</td><td>{esc(r.get('reference'))}</td></tr>"
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
})();
"""


def build_html(run: dict, compare: dict | None = None) -> str:
    manifest = run["manifest"]
    title = f"arabic-align report: {manifest.get('document_id') or run['dir'].name}"
    body = [
        f"<h1>{esc(title)}</h1>",
        _warnings(run),
        _summary(run),
        _corpus(run),
        _document_alignment(run),
        _plot(run),
        _comparison(compare) if compare else "",
        _article(run),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        + "".join(body)
        + f"<script>{JS}</script></body></html>\n"
    )


def render_report(run_dir: str | Path, out: str | Path, compare: dict | None = None) -> Path:
    """Write the self-contained HTML report of ``run_dir`` to ``out`` (atomically)."""
    run = load_run(run_dir)
    out = Path(out)
    if out.is_dir():
        raise UserError(f"the report path {out} is a directory; give a file name")
    try:
        atomic_write_text(out, build_html(run, compare))
    except OSError as exc:
        raise UserError(f"cannot write the report {out}: {exc.strerror or exc}") from exc
    return out
