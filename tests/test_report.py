"""The HTML report of a run directory: self-contained, complete, and alive in a real browser
(headless Chromium from Debian's packages, driven with selenium)."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from align import DecodingSettings, Pipeline
from align.cli import main
from align.records import MANIFEST, sha256_file
from align.report import render_report
from align.report.html import colour, pieces
from align.run import Run, RunError
from align.settings import AlignmentSettings, TranslationSettings
from tests.conftest import SEED

ARTICLE = SEED / "article.ar.txt"
REFERENCE = SEED / "reference.en.txt"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WINDOW = (1280, 2000)


@pytest.fixture(scope="module")
def pipeline(tiny_model) -> Pipeline:
    return Pipeline(
        str(tiny_model),
        translation=TranslationSettings(decoding=DecodingSettings(max_new_tokens=6)),
        alignment=AlignmentSettings(attention={"threshold": 0.0}, method="attention"),
        on_warning=lambda message: None,
    )


@pytest.fixture(scope="module")
def run_dir(pipeline, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report-runs") / "seed"
    pipeline.run(ARTICLE, ref=REFERENCE, out=out)
    return out


@pytest.fixture(scope="module")
def doc_run_dir(pipeline, tmp_path_factory) -> Path:
    """The same article with its reference as a document (its own segmentation)."""
    out = tmp_path_factory.mktemp("report-runs") / "document"
    pipeline.run(ARTICLE, ref=REFERENCE, out=out, ref_layout="document")
    return out


@pytest.fixture(scope="module")
def run(run_dir) -> Run:
    return Run.open(run_dir)


@pytest.fixture(scope="module")
def rows(run_dir) -> list[dict]:
    text = (run_dir / "segments.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def report(run_dir, tmp_path_factory) -> tuple[Path, str]:
    path = render_report(run_dir, tmp_path_factory.mktemp("report") / "report.html")
    return path, path.read_text(encoding="utf-8")


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def arabic_blocks(page: str, view: str = "tr") -> dict[int, str]:
    """The Arabic of each segment as the translation (``tr``) or reference (``rf``) view
    shows it; a segment that was not translated has one view for both."""
    found = re.findall(
        r'id="seg-(\d+)".*?<div class="ar" dir="rtl" lang="ar">(.*?)</div>', page, flags=re.S
    )
    out = {}
    for i, block in found:
        views = re.fullmatch(
            r'<span class="view tr">(.*?)</span><span class="view rf">(.*)</span>', block, re.S
        )
        out[int(i)] = block if views is None else views.group(1 if view == "tr" else 2)
    return out


def copy_run(run_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    return copy


def rewrite(run_dir: Path, name: str, text: str) -> None:
    """Replace a file of a run and record its new SHA-256 in the manifest, as if the run had
    been written so: what is read next is checked for its content, not its hash."""
    (run_dir / name).write_text(text, encoding="utf-8")
    manifest = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][name] = sha256_file(run_dir / name)
    (run_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def segment_rows(run_dir: Path) -> list[dict]:
    text = (run_dir / "segments.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def write_rows(run_dir: Path, rows: list) -> None:
    rewrite(run_dir, "segments.jsonl", "".join(json.dumps(r) + "\n" for r in rows))


def pair_texts(page: str, pair: str, side: str) -> str:
    """The text of every piece of a span pair on one side, joined in page order."""
    found = re.findall(
        rf'class="sp {side}" data-pairs="[^"]*\b{pair}\b[^"]*"[^>]*>([^<]*)</span>', page
    )
    return "".join(html.unescape(p) for p in found)


# ---------------------------------------------------------------------------- the file


def test_report_is_self_contained(report):
    path, page = report
    assert path.name == "report.html"
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<link\b", page, flags=re.I)
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, flags=re.I)
    assert not re.search(r"@import|url\(|@font-face", page)
    for target in re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', page):
        assert target.startswith("#"), target  # only links within the page
    assert "<style>" in page and "<script>" in page and "<svg" in page


def test_report_shows_every_segment_side_by_side(report, rows):
    _, page = report
    blocks = arabic_blocks(page)
    assert sorted(blocks) == [r["index"] for r in rows]  # boilerplate included
    for row in rows:
        assert text_of(blocks[row["index"]]) == row["source"]
        if row["translated"]:
            assert html.escape(row["hypothesis"]) in page
            assert html.escape(row["reference"]) in page
    assert page.count('dir="rtl" lang="ar"') >= len(rows)
    assert page.count('class="en" dir="ltr"') == len(rows)
    assert "not translated (boilerplate)" in page


def test_report_marks_aligned_span_pairs_on_both_sides(report, rows):
    _, page = report
    src = re.findall(r'class="sp src" data-pairs="([^"]+)"', page)
    tgt = re.findall(r'class="sp tgt" data-pairs="([^"]+)"', page)
    assert src and tgt
    src_pairs = {p for v in src for p in v.split()}
    tgt_pairs = {p for v in tgt for p in v.split()}
    assert src_pairs == tgt_pairs
    translation = {p for p in src_pairs if re.fullmatch(r"s\d+p\d+", p)}
    reference = {p for p in src_pairs if re.fullmatch(r"s\d+r\d+", p)}
    assert translation | reference == src_pairs
    assert len(translation) == sum(len(r["alignment"]["spans"]) for r in rows if r["translated"])
    assert len(reference) == sum(
        len(r["reference_alignment"]["spans"]) for r in rows if r["translated"]
    )
    # a source span's text is the article's text between its offsets
    article = ARTICLE.read_text(encoding="utf-8")
    k, row = next((k, r) for k, r in enumerate(rows) if r["translated"] and r["alignment"]["spans"])
    span = row["alignment"]["spans"][0]
    assert pair_texts(page, f"s{k}p0", "src") == article[slice(*span["src"])]
    assert pair_texts(page, f"s{k}p0", "tgt") == row["hypothesis"][slice(*span["tgt"])]


def test_report_carries_the_reference_alignment(report, run):
    _, page = report
    assert 'id="side-rf"' in page and not re.search(r'id="side-rf"[^>]*disabled', page)
    assert "the reference alignment is the meaningful one" in page  # a fixture model
    blocks = arabic_blocks(page, "rf")
    checked = 0
    for k, segment in enumerate(run.segments):
        assert text_of(blocks[segment.index]) == segment.source
        if not segment.translated:
            continue
        aligned = segment.reference_alignment
        assert aligned is not None and aligned.target == segment.reference
        for j, span in enumerate(aligned.spans):
            assert pair_texts(page, f"s{k}r{j}", "src") == segment.source[slice(*span.src)]
            assert pair_texts(page, f"s{k}r{j}", "tgt") == segment.reference[slice(*span.tgt)]
            checked += 1
    assert checked > len(run.translated)  # several span pairs a segment on average


def test_report_shows_scores_signatures_warnings_and_plot(report, run_dir, rows):
    _, page = report
    scores = json.loads((run_dir / "scores.json").read_text())
    for entry in scores["corpus"].values():
        assert html.escape(entry["signature"]) in page
        assert html.escape(entry["text"]) in page
    for signature in scores["sentence_signatures"].values():
        assert html.escape(signature) in page
    assert "Fixture model." in page and 'role="alert"' in page
    assert "is a fixture model with random weights" in page
    plot = re.search(r"<svg.*?</svg>", page, flags=re.S).group(0)
    assert "<polyline" in plot
    assert plot.count("<circle") == sum(r["translated"] for r in rows)
    # per-segment chrF colour scale
    first = next(r for r in rows if r["translated"])
    assert colour(first["scores"]["chrf"]) in page
    assert colour(0) != colour(100) != colour(None)


def test_report_escapes_text(run_dir, tmp_path):
    copy = copy_run(run_dir, tmp_path)
    rows = segment_rows(copy)
    rows[0]["hypothesis"] = '<script>alert("x")</script> & <b>bold</b>'
    rows[0]["reference"] = "<i>ref</i> & </div>"
    aligned = rows[0]["reference_alignment"]
    aligned.update(tgt_tokens=[[0, 10], [11, 12], [13, 19]],
                   links=[{"src": 0, "tgt": 0, "confidence": 0.5, "sure": True}],
                   spans=[{"src": [0, 5], "tgt": [0, 10], "confidence": 0.5}])  # fmt: skip
    write_rows(copy, rows)

    page = render_report(copy, tmp_path / "out" / "r.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>bold" not in page and "<i>ref" not in page
    hyp = re.search(r'id="seg-0".*?<div class="hyp">(.*?)</div>', page, flags=re.S).group(1)
    assert "&lt;script&gt;" in hyp and "&amp;" in hyp
    assert text_of(hyp) == rows[0]["hypothesis"]
    refal = re.search(r'id="seg-0".*?<div class="refal">(.*?)</div>', page, flags=re.S).group(1)
    assert text_of(refal) == "reference " + rows[0]["reference"]
    assert pair_texts(page, "s0r0", "tgt") == "<i>ref</i>"
    assert page.count("<script>") == 1  # ours


def test_report_shows_the_document_alignment(doc_run_dir, tmp_path):
    run = Run.open(doc_run_dir)
    docalign = run.document_alignment
    assert docalign is not None and not (doc_run_dir / "ref.txt").exists()
    n_hyp, n_ref = len(run.translated), len(docalign.reference_texts)
    for key, n in (("unmatched_hypothesis", n_hyp), ("unmatched_reference", n_ref)):
        assert all(isinstance(k, int) and 0 <= k < n for k in docalign.summary[key]), key
    # What a fixture's gibberish leaves unmatched depends on the CPU's floating point (AVX2
    # and AVX-512 machines differ), so a copy of the run names one segment and one
    # reference sentence of each end as unmatched, and the report must show exactly those.
    run_dir = copy_run(doc_run_dir, tmp_path)
    data = json.loads((run_dir / "docalign.json").read_text(encoding="utf-8"))
    data.update(unmatched_hypothesis=[0, n_hyp - 1], unmatched_reference=[n_ref - 1])
    rewrite(run_dir, "docalign.json", json.dumps(data))
    run = Run.open(run_dir)
    docalign = run.document_alignment
    summary = docalign.summary
    unmatched_hyp, unmatched_ref = summary["unmatched_hypothesis"], summary["unmatched_reference"]
    assert unmatched_hyp == [0, n_hyp - 1] and unmatched_ref == [n_ref - 1]
    page = render_report(run_dir, tmp_path / "d.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="docalign">.*?</section>', page, flags=re.S).group(0)
    assert f"<th>beads</th><td>{len(docalign.beads)}</td>" in section
    assert f"<th>method</th><td>{docalign.method}</td>" in section
    for note in summary["notes"]:
        assert html.escape(note) in section
    assert f"Segments with no reference: {len(unmatched_hyp)}</h3>" in section
    for k in unmatched_hyp:
        index = run.translated[k].index
        assert f'href="#seg-{index}"' in section
        meta = re.search(rf'id="seg-{index}".*?</div>', page, flags=re.S).group(0)
        assert '<span class="flag">no reference</span>' in meta
    assert page.count('<span class="flag">no reference</span>') == len(unmatched_hyp)
    assert f"Reference sentences that match no segment: {len(unmatched_ref)}</h3>" in section
    for k in unmatched_ref:
        assert f"reference sentence {k + 1}: {html.escape(docalign.reference_texts[k])}" in section


def test_report_of_a_damaged_document_summary_shows_what_is_sound(doc_run_dir, tmp_path):
    copy = copy_run(doc_run_dir, tmp_path)
    data = json.loads((copy / "docalign.json").read_text(encoding="utf-8"))
    data.update(notes=5, unmatched_hypothesis=["2", 999, True, 2], unmatched_reference="7")
    rewrite(copy, "docalign.json", json.dumps(data))
    page = render_report(copy, tmp_path / "d.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="docalign">.*?</section>', page, flags=re.S).group(0)
    assert "Segments with no reference: 1</h3>" in section
    assert f'href="#seg-{Run.open(copy).translated[2].index}"' in section
    assert "Reference sentences that match no segment: 0</h3>" in section
    assert 'class="warn-inline"' not in section


def test_notes_of_runs_that_named_sentences_from_0_say_so(doc_run_dir, tmp_path):
    """Runs once named unmatched sentences from 0; this page names them from 1."""
    copy = copy_run(doc_run_dir, tmp_path)
    data = json.loads((copy / "docalign.json").read_text(encoding="utf-8"))
    old = "1 reference sentence(s) match no segment: 4"
    new = "1 reference sentence(s) match no segment: 5 (counted from 1)"
    data.update(notes=[old, new])
    rewrite(copy, "docalign.json", json.dumps(data))
    page = render_report(copy, tmp_path / "d.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="docalign">.*?</section>', page, flags=re.S).group(0)
    assert f"{old} (sentences counted from 0)</p>" in section
    assert f"{new}</p>" in section


def switch_of(page: str) -> str:
    return re.search(r'<fieldset class="sidepick">.*?</fieldset>', page, flags=re.S).group(0)


def test_a_run_without_a_reference_has_the_switch_disabled(pipeline, tmp_path):
    out = tmp_path / "no-ref"
    pipeline.run(ARTICLE, out=out)
    page = render_report(out, tmp_path / "n.html").read_text(encoding="utf-8")
    switch = switch_of(page)
    assert re.search(r'value="reference" id="side-rf" disabled>', switch)
    assert re.search(r'value="translation" id="side-tr" checked>', switch)
    assert "No reference alignment: this run was made without a reference." in switch
    assert re.search(r'data-pairs="s\d+p\d+"', page)
    assert not re.search(r'data-pairs="s\d+r\d+"', page)


def test_an_unaligned_reference_has_the_switch_disabled(run_dir, tmp_path):
    copy = copy_run(run_dir, tmp_path)
    rows = segment_rows(copy)
    for row in rows:
        row.pop("reference_alignment", None)
    write_rows(copy, rows)
    page = render_report(copy, tmp_path / "u.html").read_text(encoding="utf-8")
    switch = switch_of(page)
    assert re.search(r'value="reference" id="side-rf" disabled>', switch)
    assert "the reference was not aligned segment by segment" in switch
    assert not re.search(r'data-pairs="s\d+r\d+"', page)
    assert "reference, not aligned" in page  # the reference view still has the text


# ---------------------------------------------------------------------------- refusals


def assert_one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("arabic-align: error: "), err
    assert "Traceback" not in err
    return lines[0]


def report_cli(capsys, run_dir: Path, out: Path) -> tuple[int, str]:
    code = main(["report", str(run_dir), "-o", str(out)])
    return code, capsys.readouterr().err


def test_a_hard_link_to_a_runs_file_is_refused_as_the_file(run_dir, tmp_path, capsys):
    link = tmp_path / "report.html"
    os.link(run_dir / MANIFEST, link)
    before = (run_dir / MANIFEST).read_bytes()
    code, err = report_cli(capsys, run_dir, link)
    assert code == 2
    assert "is the file of the run" in assert_one_sentence(err)
    assert (run_dir / MANIFEST).read_bytes() == before and link.read_bytes() == before
    # the file of a run compared with it too
    other = tmp_path / "other-run"
    shutil.copytree(run_dir, other)
    link = tmp_path / "compared.html"
    os.link(other / "hyp.txt", link)
    before = (other / "hyp.txt").read_bytes()
    code = main(["report", str(run_dir), "--compare", str(other), "-o", str(link)])
    assert code == 2
    assert "is the file of the run" in assert_one_sentence(capsys.readouterr().err)
    assert (other / "hyp.txt").read_bytes() == before and link.read_bytes() == before


@pytest.mark.parametrize("case", ["missing", "file", "empty", "no-segments", "schema", "bad-json"])
def test_invalid_run_dir_is_a_run_error(run_dir, tmp_path, case):
    bad = tmp_path / "bad"
    if case == "file":
        bad.write_text("x")
    elif case != "missing":
        bad.mkdir()
    if case in ("no-segments", "schema", "bad-json"):
        shutil.copy(run_dir / MANIFEST, bad / MANIFEST)
        if case != "no-segments":
            shutil.copy(run_dir / "segments.jsonl", bad / "segments.jsonl")
    if case == "schema":
        manifest = json.loads((bad / MANIFEST).read_text())
        manifest["schema_version"] = 999
        (bad / MANIFEST).write_text(json.dumps(manifest))
    if case == "bad-json":
        (bad / "segments.jsonl").write_text('{"index": 0}\nnot json\n')
    out = tmp_path / "report.html"
    with pytest.raises(RunError) as info:
        render_report(bad, out)
    assert str(bad) in str(info.value)
    assert "\n" not in str(info.value)
    assert not out.exists()


def _rows(edit):
    def damage(run: Path) -> None:
        rows = segment_rows(run)
        edit(rows)
        write_rows(run, rows)

    return damage


def _manifest(edit):
    def damage(run: Path) -> None:
        manifest = json.loads((run / MANIFEST).read_text(encoding="utf-8"))
        (run / MANIFEST).write_text(json.dumps(edit(manifest)), encoding="utf-8")

    return damage


def _beads(edit):
    def damage(run: Path) -> None:
        data = json.loads((run / "docalign.json").read_text(encoding="utf-8"))
        edit(data)
        rewrite(run, "docalign.json", json.dumps(data))

    return damage


def _first_translated(rows: list) -> dict:
    return next(r for r in rows if r["translated"])


def _set(key, value):
    def edit(d):
        d[key] = value
        return d

    return edit


def _huge_bleu(scores: dict) -> dict:
    scores["corpus"]["bleu"]["score"] = 10**400
    return scores


DAMAGE = {
    # segments.jsonl, rewritten with its new hash in the manifest
    "row-list": ("lines", _rows(lambda rows: rows.__setitem__(0, [1, 2, 3])),
                 "segments.jsonl: line 1 is not a segment record"),
    "row-no-hypothesis": ("lines", _rows(lambda rows: _first_translated(rows).pop("hypothesis")),
                          "it is translated but has no hypothesis"),
    "row-hypothesis-number": ("lines",
                              _rows(lambda rows: _first_translated(rows).update(hypothesis=7)),
                              "its hypothesis is not a string"),
    "row-no-findings": ("lines", _rows(lambda rows: _first_translated(rows).pop("findings")),
                        "it has no 'findings' (the manifest names the checks run)"),
    "row-offsets-past-text": ("lines", _rows(lambda rows: rows[0].update(end=rows[0]["end"] + 1)),
                              "its source text does not fill its offsets"),
    "row-reference-link-outside": (
        "lines",
        _rows(lambda rows: _first_translated(rows)["reference_alignment"]["links"].append(
            {"src": 0, "tgt": 10_000, "confidence": 0.5, "sure": True})),
        "reference_alignment: the link 0-10000 points outside"),
    "row-reference-tokens-past-text": (
        "lines",
        _rows(lambda rows: _first_translated(rows)["reference_alignment"]["tgt_tokens"].append(
            [0, 10_000])),
        "reference_alignment has target offsets outside its text"),
    # manifest.json (not hashed: checked for its shape)
    "manifest-list": ("lines", _manifest(lambda m: [m]), "manifest.json: not a run manifest"),
    "manifest-string": ("lines", _manifest(lambda m: "run"), "manifest.json: not a run manifest"),
    "manifest-warnings-5": ("lines", _manifest(_set("warnings", 5)),
                            "its 'warnings' is not a list of sentences"),
    "manifest-files-list": ("lines", _manifest(_set("files", ["segments.jsonl"])),
                            "its 'files' is not a table"),
    # docalign.json, rewritten with its new hash in the manifest
    "bead-hyp-out-of-range": ("document", _beads(lambda d: d["beads"][0].update(hyp=[10_000])),
                              "bead 0's hyp is not a list of indices below"),
    "bead-ref-negative": ("document", _beads(lambda d: d["beads"][0].update(ref=[-1])),
                          "bead 0's ref is not a list of indices below"),
    "bead-hyp-string": ("document", _beads(lambda d: d["beads"][0].update(hyp="0")),
                        "bead 0's hyp is not a list of indices below"),
    "bead-index-float": ("document", _beads(lambda d: d["beads"][0].update(ref=[0.0])),
                         "bead 0's ref is not a list of indices below"),
    "bead-not-object": ("document", _beads(lambda d: d["beads"].__setitem__(0, [0, 0])),
                        "bead 0 is not a JSON object"),
    "beads-not-list": ("document", _beads(lambda d: d.update(beads={"0": {}})),
                       "its 'beads' is not a list"),
    "bead-similarity-string": ("document",
                               _beads(lambda d: d["beads"][0].update(similarity="high")),
                               "bead 0's similarity is not a number"),
    # integers past a float's range (JSON's integers have no bound)
    "bead-similarity-huge": ("document", _beads(lambda d: d["beads"][0].update(similarity=10**400)),
                             "bead 0's similarity is not a number"),
    "row-score-huge": ("lines", _rows(lambda rows: _first_translated(rows)["scores"].update(
        chrf=10**400)), "its scores are not numbers"),
    "corpus-score-huge": ("lines", lambda run: rewrite(run, "scores.json", json.dumps(
        _huge_bleu(json.loads((run / "scores.json").read_text(encoding="utf-8"))))),
        "its corpus bleu is not a score"),
    # the hash itself
    "hash-segments": ("lines", lambda run: (run / "segments.jsonl").open("a").write("\n"),
                      "segments.jsonl: changed since the run was written"),
    "hash-docalign": ("document", lambda run: (run / "docalign.json").write_text("{}"),
                      "docalign.json: changed since the run was written"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damaged_run_is_refused_with_one_sentence(run_dir, doc_run_dir, tmp_path, capsys, case):
    layout, damage, expected = DAMAGE[case]
    copy = copy_run(run_dir if layout == "lines" else doc_run_dir, tmp_path)
    assert Run.open(copy) is not None  # sound before the damage
    damage(copy)
    out = tmp_path / "report.html"
    code, err = report_cli(capsys, copy, out)
    assert code != 0
    line = assert_one_sentence(err)
    assert expected in line
    assert str(copy) in line
    if not case.startswith("hash-"):
        assert "changed since the run was written" not in line  # the content was checked
    assert not out.exists()


def test_report_shows_a_summary_number_past_a_float_as_written(doc_run_dir, tmp_path, capsys):
    # the document alignment's summary is shown, not read: a number no float holds is
    # written out as it stands, never a crash
    copy = copy_run(doc_run_dir, tmp_path)
    _beads(lambda d: d.update(mean_similarity=10**400))(copy)
    out = tmp_path / "report.html"
    code, err = report_cli(capsys, copy, out)
    assert code == 0, err
    assert "1" + "0" * 400 in out.read_text(encoding="utf-8")


def test_report_of_a_sound_run_succeeds_from_the_command_line(run_dir, tmp_path, capsys):
    out = tmp_path / "ok.html"
    code = main(["report", str(run_dir), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 0 and captured.err == ""
    assert captured.out.strip() == f"wrote {out}"
    assert "<!DOCTYPE html>" in out.read_text(encoding="utf-8")


def test_pieces_split_at_every_boundary_of_nested_and_overlapping_spans():
    text = "abcdefghij"
    spans = [(1, 6, "A"), (3, 5, "B"), (4, 8, "C"), (9, 20, "D"), (5, 5, "E"), (-3, 1, "F")]
    assert pieces(text, spans) == [
        ("a", ["F"]), ("bc", ["A"]), ("d", ["A", "B"]), ("e", ["A", "B", "C"]),
        ("f", ["A", "C"]), ("gh", ["C"]), ("i", []), ("j", ["D"]),
    ]  # fmt: skip
    assert pieces("", [(0, 3, "A")]) == []
    assert pieces("xy", []) == [("xy", [])]


COMPARE = {
    "baseline": "base",
    "systems": ["base", "new<sys>"],
    "segments": 54,
    "signatures": {"bleu": "SIG-BLEU", "chrf": "SIG-CHRF", "ter": "SIG-TER"},
    "table": [
        {"system": "base", "bleu": {"score": 20.0, "mean": 20.1, "ci": 1.5, "p_bs": None,
                                    "p_ar": None, "significant": None},
         "chrf": {"score": 50.0, "mean": 50.2, "ci": 1.1}, "ter": {"score": 70.0}},
        {"system": "new<sys>", "bleu": {"score": 25.5, "mean": np.float32(25.4),
                                        "ci": np.float32(1.7), "p_bs": 0.001, "p_ar": 0.002,
                                        "significant": np.bool_(True)},
         "chrf": {"score": 50.3, "mean": 50.1, "ci": 1.2, "p_bs": 0.4, "p_ar": 0.41,
                  "significant": False}},
    ],
    "buckets": {
        "length": [{"bucket": "1-10", "count": 3, "chrf": {"base": 40.0, "new<sys>": 42.5}}],
        "role": [{"bucket": "caption", "count": 2, "chrf": {"base": 30.0}}],
    },
    "differ_most": [{"index": 7, "reference": "The ref", "hyps": {"base": "A", "new<sys>": "B"},
                     "chrf": {"base": 10.0, "new<sys>": 90.0}, "difference": 80.0}],
    "ngrams": {"other": "new<sys>", "better": [{"ngram": "the cat", "baseline": 3, "other": 1}],
               "worse": [{"ngram": "a dog", "baseline": 0, "other": 2}]},
    "lowest": [{"index": [4, 5], "system": "base", "chrf": 1.5, "hypothesis": "xx",
                "reference": "yy"}],
}  # fmt: skip


def test_report_renders_comparison_tables(run_dir, tmp_path):
    page = render_report(run_dir, tmp_path / "c.html", compare=COMPARE).read_text()
    section = re.search(r'<section id="compare">.*?</section>', page, flags=re.S).group(0)
    assert section.count("<table") == 8  # facts, scores, 2 buckets, differ, 2 n-grams, lowest
    assert "new&lt;sys&gt;" in section and "new<sys>" not in section
    for sig in ("SIG-BLEU", "SIG-CHRF", "SIG-TER"):
        assert sig in section
    # significant: bold and dagger; not significant: neither
    assert re.search(r"<strong>25\.50 .*?± 1\.70.*?0\.0010.*?†</strong>", section, re.S)
    assert "50.30" in section and not re.search(r"<strong>50\.30", section)
    assert "(baseline)" in section and "± 1.50" in section
    assert "By length" in section and "By role" in section and "42.50" in section
    assert "the cat" in section and "a dog" in section and "The ref" in section
    assert "80.00" in section and "Lowest-scoring segments" in section
    assert '<td class="num">4, 5</td>' in section  # a bead's segments


@pytest.mark.parametrize(
    "compare",
    [{}, {"baseline": "a"}, {"table": [{"system": "a"}, "junk"], "buckets": {"length": None}},
     {"table": [{"system": "a", "bleu": 12.3, "chrf": {"score": None}}], "ngrams": {}}],
)  # fmt: skip
def test_report_survives_partial_comparisons(run_dir, tmp_path, compare):
    page = render_report(run_dir, tmp_path / "p.html", compare=compare).read_text()
    assert "</html>" in page


# ---------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser():
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        pytest.fail(
            f"the report's browser tests need Debian's chromium and chromedriver; missing: "
            f"{', '.join(missing)} (apt-get install chromium chromium-driver)"
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("the report's browser tests need selenium (pip install -e '.[dev]')")
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     f"--window-size={WINDOW[0]},{WINDOW[1]}"):  # fmt: skip
        options.add_argument(argument)
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, report):
    browser.get(report[0].resolve().as_uri())
    return browser


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


# Decode the screenshot in the browser itself (no imaging library here): draw it on a canvas
# and count its colours, its non-white pixels and the pixels of the fixture banner's red.
PIXELS_JS = """
const done = arguments[arguments.length - 1];
const img = new Image();
img.onload = () => {
  const c = document.createElement('canvas');
  c.width = img.width; c.height = img.height;
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  const colours = new Set();
  let ink = 0, red = 0;
  for (let i = 0; i < d.length; i += 4) {
    colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) ink++;
    const near = (v, w) => Math.abs(v - w) < 8;
    if (near(d[i], 179) && near(d[i + 1], 38) && near(d[i + 2], 30)) red++;
  }
  done([c.width, c.height, colours.size, ink / (c.width * c.height), red]);
};
img.onerror = () => done(null);
img.src = 'data:image/png;base64,' + arguments[0];
"""


def test_screenshot_renders_the_report(page, tmp_path):
    shot = tmp_path / "report.png"
    assert page.save_screenshot(str(shot))
    png = shot.read_bytes()
    width, height = png_size(png)
    inner = page.execute_script("return [innerWidth, innerHeight, devicePixelRatio]")
    assert (width, height) == (round(inner[0] * inner[2]), round(inner[1] * inner[2]))
    assert width == WINDOW[0] and WINDOW[1] // 2 < height <= WINDOW[1]
    assert len(png) > 30_000  # a blank page of this size compresses to a few kB
    decoded = page.execute_async_script(PIXELS_JS, base64.b64encode(png).decode("ascii"))
    assert decoded is not None, "Chromium could not decode its own screenshot"
    assert decoded[:2] == [width, height]
    colours, ink, red = decoded[2:]
    assert colours > 50, f"only {colours} colours: the page looks blank"
    assert ink > 0.05, f"only {ink:.1%} of the pixels are not white"
    assert red > 5_000, "the fixture banner is not visible at the top"
    # the Arabic column is laid out right to left
    direction = page.execute_script(
        "return getComputedStyle(document.querySelector('.seg:not(.head) .ar')).direction"
    )
    assert direction == "rtl"


SPANS_JS = """
return Array.from(document.querySelectorAll(arguments[0]),
                  e => [e.classList.contains('src') ? 'src' : 'tgt', e.getAttribute('data-pairs')]);
"""


def highlighted(driver) -> list[list[str]]:
    """(side, pairs) of every lit span."""
    return sorted(driver.execute_script(SPANS_JS, ".sp.hl"))


def expected_for(driver, element) -> list[list[str]]:
    """(side, pairs) of every span that shares a pair with ``element``."""
    pairs = set(element.get_attribute("data-pairs").split())
    return sorted(e for e in driver.execute_script(SPANS_JS, ".sp") if pairs & set(e[1].split()))


def test_hover_highlights_the_aligned_span_on_the_other_side(page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    assert highlighted(page) == []
    sources = page.find_elements(By.CSS_SELECTOR, ".ar .view.tr .sp.src")
    assert len(sources) > 5
    for element in (sources[0], sources[5]):
        page.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        ActionChains(page).move_to_element(element).perform()
        lit = highlighted(page)
        assert lit == expected_for(page, element)
        assert any(side == "tgt" for side, _ in lit), "no English span lit up"
        assert len(lit) < len(page.find_elements(By.CSS_SELECTOR, ".sp"))  # other pairs stay off
    # away from every span: nothing stays lit
    ActionChains(page).move_to_element(page.find_element(By.TAG_NAME, "h1")).perform()
    page.execute_script("window.scrollTo(0, 0)")
    ActionChains(page).move_to_element(page.find_element(By.TAG_NAME, "h1")).perform()
    assert highlighted(page) == []
    # and from the English side back to the Arabic
    target = page.find_elements(By.CSS_SELECTOR, ".en .view.tr .sp.tgt")[3]
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    ActionChains(page).move_to_element(target).perform()
    lit = highlighted(page)
    assert lit == expected_for(page, target)
    assert any(side == "src" for side, _ in lit)


def test_focus_highlights_and_blur_clears(page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sources = page.find_elements(By.CSS_SELECTOR, ".ar .view.tr .sp.src")
    element = sources[2]
    page.execute_script("arguments[0].focus()", element)
    assert page.switch_to.active_element == element
    assert highlighted(page) == expected_for(page, element)
    # Tab moves the focus, and the highlight with it, to the next span in document order
    element.send_keys(Keys.TAB)
    focused = page.switch_to.active_element
    assert focused != element and "sp" in focused.get_attribute("class").split()
    assert highlighted(page) == expected_for(page, focused)
    page.execute_script("document.activeElement.blur()")
    assert highlighted(page) == []


def test_a_jump_to_a_segment_leaves_it_below_the_sticky_bar(page):
    """The findings list, the chrF++ plot and the document alignment link to #seg-N; the
    segment came to the top of the window, under the sticky "Alignment with" bar."""
    from selenium.webdriver.common.by import By

    page.execute_script("location.hash = '#seg-10'")
    rect = "return arguments[0].getBoundingClientRect()"
    bar = page.execute_script(rect, page.find_element(By.CSS_SELECTOR, ".sidepick"))
    seg = page.execute_script(rect, page.find_element(By.ID, "seg-10"))
    assert page.execute_script("return window.scrollY") > 0
    assert seg["top"] >= bar["bottom"], (seg, bar)


VISIBLE_JS = """
return Array.from(document.querySelectorAll(arguments[0]))
            .filter(e => e.getClientRects().length > 0).length;
"""

LIT_JS = """
return Array.from(document.querySelectorAll('.sp.hl'),
                  e => [e.classList.contains('src') ? 'src' : 'tgt',
                        e.getAttribute('data-pairs').split(' '), e.textContent]);
"""


def visible(driver, selector: str) -> int:
    return driver.execute_script(VISIBLE_JS, selector)


def test_switch_shows_the_reference_alignment_and_back(page, run):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    k, segment = next(
        (k, s) for k, s in enumerate(run.segments)
        if s.translated and len(s.reference_alignment.spans) > 1
    )  # fmt: skip
    box = page.find_element(By.ID, f"seg-{segment.index}")
    hyp = box.find_element(By.CSS_SELECTOR, ".view.tr .hyp")
    refal = box.find_element(By.CSS_SELECTOR, ".view.rf .refal")
    n_tr = len(page.find_elements(By.CSS_SELECTOR, ".view.tr .sp"))
    n_rf = len(page.find_elements(By.CSS_SELECTOR, ".view.rf .sp"))
    assert n_tr and n_rf

    # the translation side first
    assert page.find_element(By.ID, "side-tr").is_selected()
    assert hyp.is_displayed() and not refal.is_displayed()
    assert visible(page, ".view.tr .sp") == n_tr and visible(page, ".view.rf .sp") == 0

    # the reference side: the reference text, with the reference alignment's spans
    page.find_element(By.ID, "side-rf").click()
    assert page.find_element(By.ID, "side-rf").is_selected()
    assert visible(page, ".view.tr .sp") == 0 and visible(page, ".view.rf .sp") == n_rf
    assert refal.is_displayed() and not hyp.is_displayed()
    assert segment.reference in box.find_element(By.CSS_SELECTOR, ".en").text
    sources = box.find_elements(By.CSS_SELECTOR, ".ar .view.rf .sp.src")
    assert sources and all(e.is_displayed() for e in sources)
    element = sources[len(sources) // 2]
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    ActionChains(page).move_to_element(element).perform()
    lit = page.execute_script(LIT_JS)
    assert sorted([side, " ".join(pairs)] for side, pairs, _ in lit) == expected_for(page, element)
    pairs = element.get_attribute("data-pairs").split()
    assert pairs and all(p.startswith(f"s{k}r") for p in pairs)
    for pair in pairs:
        span = segment.reference_alignment.spans[int(pair.split("r")[1])]
        tgt = "".join(text for side, ps, text in lit if side == "tgt" and pair in ps)
        src = "".join(text for side, ps, text in lit if side == "src" and pair in ps)
        assert tgt == segment.reference[slice(*span.tgt)] and tgt
        assert src == segment.source[slice(*span.src)]
    assert any(side == "tgt" for side, _, _ in lit)

    # and back: the translation again, nothing left lit
    page.find_element(By.ID, "side-tr").click()
    assert page.execute_script(LIT_JS) == []
    assert visible(page, ".view.tr .sp") == n_tr and visible(page, ".view.rf .sp") == 0
    assert hyp.is_displayed() and not refal.is_displayed()
    assert hyp.text == " ".join(segment.hypothesis.split())
    target = box.find_elements(By.CSS_SELECTOR, ".en .view.tr .sp.tgt")[0]
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    ActionChains(page).move_to_element(target).perform()
    lit = highlighted(page)
    assert lit == expected_for(page, target) and any(side == "src" for side, _ in lit)
    assert all(re.fullmatch(rf"(s{k}p\d+ ?)+", pairs) for _, pairs in lit)


@pytest.fixture(scope="module")
def overridden_run(tmp_path_factory):
    """A run of a given translation whose first line ends in added words behind a
    right-to-left override (U+202E), quoted by the addition and name checks' messages."""
    from tests.conftest import seed_translation_run

    added = " Boeing Lufthansa \u202eParis Berlin Toyota Siemens gathered"
    out = seed_translation_run(tmp_path_factory.mktemp("rlo"), {0: added})
    assert any("\u202e" in f.message for f in Run.open(out).segments[0].findings)
    return out


def test_a_bidi_control_quoted_in_a_finding_turns_no_words_of_the_report_around(
    overridden_run, tmp_path
):
    page = tmp_path / "r.html"
    assert main(["report", str(overridden_run), "-o", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    found = text[text.index('<section id="findings">') :]
    found = found[: found.index("</section>")]
    # Quotes of the text show the override, isolated (<bdi>), as an escape that does nothing
    # (obeyed, one override could make a translation look like another); so does the
    # article's view of the segment, and the message says it, as `check` does.
    outside = re.sub(r"<bdi\b[^>]*>.*?</bdi>", "", found, flags=re.S)
    assert "\u202e" not in text
    quotes = re.findall(r"<bdi\b[^>]*>.*?</bdi>", found, flags=re.S)
    assert any('<span class="ctl" title="U+202E">\\u202e</span>' in q for q in quotes)
    assert "\\u202e" in outside
    article = text[text.index('<section id="article">') :]
    assert '<span class="ctl" title="U+202E">\\u202e</span>' in article
    titles = re.findall(r'title="([^"]*)"', text)
    assert titles and not any("\u202e" in t for t in titles)


def test_quoted_arabic_in_a_finding_is_isolated_from_the_number_after_it(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("وصل الرئيس إلى موسكو يوم 28 مارس.\n", encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("The president arrived in Moscow on March 28 " + "موسكو " * 6 + "\n",
                   encoding="utf-8")  # fmt: skip
    out = tmp_path / "run"
    assert main(["run", str(article), "--hyp", str(hyp), "--align-method", "lexical",
                 "--out", str(out)]) == 0  # fmt: skip
    page = render_report(out, tmp_path / "r.html").read_text(encoding="utf-8")
    found = page[page.index('<section id="findings">') :]
    assert "repeats &#x27;<bdi>موسكو</bdi>&#x27; 6 times" in found
    # the tooltip of the underlined words, an attribute, isolates it with FSI … PDI
    assert "repeats &#x27;\u2068موسكو\u2069&#x27; 6 times" in page


def test_an_entity_inside_quoted_arabic_does_not_part_its_isolate():
    """Escaped first, the letters of &amp; were left-to-right letters between two runs."""
    from align.report.html import _isolated_html

    html_text = _isolated_html("The translation repeats 'الحرب & السلام' 3 times in a row.")
    assert "&#x27;<bdi>الحرب &amp; السلام</bdi>&#x27; 3 times" in html_text
    assert _isolated_html("Kirby <b>said</b>") == "Kirby &lt;b&gt;said&lt;/b&gt;"


def test_a_mark_on_the_last_arabic_letter_stays_inside_its_isolate():
    """The tanween of جداً (a combining mark after the last letter) fell outside the <bdi>
    and was drawn on the closing quote."""
    from align.errors import isolate_runs
    from align.report.html import _isolated_html

    assert isolate_runs("The word “جداً” is missing.") == "The word “\u2068جداً\u2069” is missing."
    assert "&#x27;<bdi>بارداً جداً</bdi>&#x27; 3 times" in _isolated_html(
        "The translation repeats 'بارداً جداً' 3 times in a row."
    )
    # a mark after a space is no mark of the letter's
    assert isolate_runs("قال \u064b ok") == "\u2068قال\u2069 \u064b ok"


def test_marks_that_turn_digits_around_are_shown_and_names_keep_no_override(tmp_path):
    """An RLM between two digits draws "82" as "28" (kept as harmless, it was not); names
    taken from file names reached the page with their overrides; report --compare left
    pairs out without the note that says so."""
    article = tmp_path / "a.txt"
    article.write_text("وصل\u200f 82 شخصا إلى القاهرة.\nقال الوزير إن الاجتماع انتهى.\n",
                       encoding="utf-8")  # fmt: skip
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("\u200f8\u200f2 people arrived in Cairo.\nThe minister said it ended.\n",
                   encoding="utf-8")  # fmt: skip
    ref = tmp_path / "ref.txt"
    ref.write_text("82 people arrived in Cairo.\nThe minister said the meeting ended.\n")
    out = tmp_path / "run"
    assert main(["run", str(article), "--hyp", str(hyp), "--ref", str(ref), "--out", str(out),
                 "--align-method", "lexical"]) == 0  # fmt: skip
    other = tmp_path / "sys\u202elanif.txt"  # shown as "sysfinal" when obeyed
    other.write_text("82 people arrived in Cairo.\n" + "and Cairo " * 300 + "\n")
    page_path = tmp_path / "r.html"
    assert main(["report", str(out), "--compare", str(other), "-o", str(page_path)]) == 0
    page = page_path.read_text(encoding="utf-8")
    # in the translation, every mark is shown; in the Arabic, the one beside no digit stays
    assert '<span class="ctl" title="U+200F">\\u200f</span>8' in page
    assert "وصل\u200f" in page
    assert "\u202e" not in page and "sys\\u202elanif" in page
    compare = page[page.index('<section id="compare">') :]
    assert "note: 1 pair(s) too long to score are left out: segment 1" in compare


def test_a_mark_beside_a_digit_in_the_next_piece_or_behind_a_zero_width_one_is_shown(tmp_path):
    """The marks were judged piece by piece (a number aligned or flagged is a piece of its
    own), and a zero-width character between mark and digit hid the digit: "8‏:30" was
    drawn "30:8" in the Arabic column. A run folder's name with an override reached the page."""
    from align.report.html import _escapes

    article = tmp_path / "a.txt"
    lines = ["وصل 8\u200f,2 شخصا إلى القاهرة.", "يبدأ الاجتماع 8\u200f:30 صباحا.",
             "وصل 8\u200b\u200f\u200b2 شخصا.", "قال\u200f: نعم."]  # fmt: skip
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("8,2 people arrived in Cairo.\nThe meeting starts at 8:30 am.\n"
                   "82 people arrived.\nHe said: yes.\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "run\u202elanif"
    assert main(["run", str(article), "--hyp", str(hyp), "--out", str(out), "--align-method",
                 "lexical", "--no-checks"]) == 0  # fmt: skip
    page = render_report(out, tmp_path / "r.html").read_text(encoding="utf-8")
    # every mark beside a digit is an escape, wherever the pieces are cut; the one after
    # قال (beside no digit) is kept; no override of the folder's name is obeyed
    # (the article is drawn once for each alignment the switch shows)
    kept = page.count("\u200f")
    assert kept >= 1 and page.count("قال\u200f") == kept
    assert page.count('<span class="ctl" title="U+200F">') == 3 * kept
    assert "\u202e" not in page and "run\\u202elanif" in page
    assert _escapes("8\u0651\u200f2", rtl=True).removed == {2}  # behind a combining mark
    # drawn after a vowel mark on the letter before, never between the two
    assert _escapes("اللهُ\u200f3", rtl=True).at == {5: [5]}
    assert _escapes("8\u202c\u202c:30", rtl=True).at == {0: [1, 2]}  # each beside 8


# Where the browser draws each digit of an element's text: its x, in text order.
DIGITS_JS = """
const el = document.querySelector(arguments[0]);
const out = [];
const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
for (let node = walk.nextNode(); node; node = walk.nextNode()) {
  if (node.parentElement.closest('.ctl') || node.parentElement.closest('.view.rf')) continue;
  for (let i = 0; i < node.data.length; i++) {
    if (!/[0-9\u0660-\u0669]/.test(node.data[i])) continue;
    const r = document.createRange();
    r.setStart(node, i); r.setEnd(node, i + 1);
    out.push([node.data[i], r.getBoundingClientRect().left]);
  }
}
return out;
"""


def test_a_mark_between_digits_turns_no_number_around_on_screen(browser, tmp_path):
    """Measured in the browser against the same text without its marks: 8, RLM, :30 in the
    Arabic column was drawn 30:8 with the mark obeyed, and again with its escape in its
    place (a neutral between the digits); drawn as an embedding, the escape turned the
    numbers after it around (a score of 3 - 1 read 1 - 3)."""
    lines = ["يبدأ الاجتماع 8\u200f:30 صباحا.", "وصل 8\u200f,2 شخصا.",
             "انتهت المباراة \u200f3 - 1 لصالحنا.", "انتهت المباراة 3\u200f - 1 لصالحنا.",
             "من 8\u200f:30 - 9:45 صباحا.", "في الفترة \u200f1990-2000 كان.",
             "الأعداد \u200f10، 20، 30 فقط.", "وصل 8\u200b\u200f\u200b2 شخصا.",
             "نسبة 82\u200f% فقط.", "وصل ٨\u061c٢ شخصا.",
             "الهاتف \u200f050 123 4567 فقط.", "وصل 8\u202c\u202c:30 صباحا.",
             "وصل 8\u202e\u202e\u202e2 شخصا.", "قال اللهُ\u200f3 مرات."]  # fmt: skip
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("".join(f"Line {k}.\n" for k in range(len(lines))), encoding="utf-8")
    order = {}
    for name, text in (("marks", lines), ("plain", [x.translate(dict.fromkeys(
            map(ord, "\u200f\u061c\u200b\u202c\u202e"))) for x in lines])):  # fmt: skip
        article = tmp_path / f"{name}.txt"
        article.write_text("\n".join(text) + "\n", encoding="utf-8")
        out = tmp_path / name
        assert main(["run", str(article), "--hyp", str(hyp), "--out", str(out),
                     "--align-method", "lexical", "--no-checks"]) == 0  # fmt: skip
        browser.get(render_report(out, tmp_path / f"{name}.html").resolve().as_uri())
        order[name] = [
            [
                d
                for d, _ in sorted(
                    browser.execute_script(DIGITS_JS, f"#seg-{k} .ar"), key=lambda x: x[1]
                )
            ]  # fmt: skip
            for k in range(len(lines))
        ]
    for k, line in enumerate(lines):
        assert order["marks"][k] == order["plain"][k], (line, order["marks"][k])


def test_check_names_of_a_run_and_runs_of_marks(tmp_path):
    """The checks a manifest names reached the page as written (an override turned the
    sentence around); a run of marks is judged in one pass, each by its nearest neighbours."""
    from align.report.html import _escapes

    article = tmp_path / "a.txt"
    article.write_text("قال الوزير.\n", encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("The minister said.\n", encoding="utf-8")
    out = tmp_path / "run"
    assert main(["run", str(article), "--hyp", str(hyp), "--out", str(out), "--align-method",
                 "lexical"]) == 0  # fmt: skip
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["checks"] = ["number\u202e", "length"]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    page = render_report(out, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "\u202e" not in page and "number\\u202e, length" in page
    text = "8" + "\u200f" * 3000 + "x" + "\u200f" * 5 + "y"
    escapes = _escapes(text, rtl=True)
    assert escapes.removed == set(range(1, 3001))
    assert escapes.at == {0: list(range(1, 3001))}  # drawn before the number they touch
