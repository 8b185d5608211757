"""The translation checks in the product: findings in the run records (schema 3), the check
command, ``--no-checks``, older runs checked on demand without a byte changed, the report,
the review (queue, marks, verdicts journaled) and the batch summary.

The plumbing is tested with a check object of this file's own (``Pipeline(checks=[...])``),
so that it does not depend on what the package's checks find; the package's checks are
tested on a translation with injected errors."""

from __future__ import annotations

import asyncio
import html
import json
import math
import re
import shutil
from pathlib import Path

import pytest

from align import AlignmentSettings, Pipeline
from align.checks import Finding, check_article, inputs_of_run
from align.cli import main
from align.errors import UserError
from align.records import MANIFEST, SCHEMA_VERSION, sha256_file
from align.report.html import build_html
from align.review.export import export
from align.review.journal import JOURNAL, SNAPSHOT
from align.review.state import HYP, REF, ReviewState
from align.run import Run, RunError, finding_counts
from tests.conftest import SEED

ARTICLE = SEED / "article.ar.txt"
REFERENCE = SEED / "reference.en.txt"
NUMBER, ARABIC, REPEATED = 1, 5, 3  # the translated segments given an injected error
LEXICAL = ["--align-method", "lexical", "--no-background"]


def injected_lines() -> list[str]:
    """The reference with three errors: a changed number, an Arabic word left in, a phrase
    repeated."""
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    assert "March 28" in lines[NUMBER]
    lines[NUMBER] = lines[NUMBER].replace("March 28", "March 23")
    lines[ARABIC] = lines[ARABIC].replace("US intelligence", "US الاستخبارات intelligence")
    phrase = "the terrorist attack on "
    lines[REPEATED] = lines[REPEATED].replace(phrase, phrase * 4, 1)
    return lines


class Marker:
    """A check of this test only: an error on translated segment 2 (its first source word
    and first translation word), a warning on segment 0, an info on segment 4."""

    name = "marker"

    def check(self, segment, article):
        k = [s.index for s in article.segments].index(segment.index)
        severity = {2: "error", 0: "warning", 4: "info"}.get(k)
        if severity is None:
            return []
        src = (0, segment.source.index(" "))
        tgt = (0, segment.translation.index(" "))
        return [Finding("marker", "marked", severity, 0.5, f"marked {severity}", src, tgt)]


def pipeline(checks=True) -> Pipeline:
    alignment = AlignmentSettings(method="lexical", background=False)
    return Pipeline(None, alignment=alignment, checks=checks, on_warning=lambda m: None)


@pytest.fixture(scope="module")
def hyp_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hyp") / "injected.en.txt"
    path.write_text("\n".join(injected_lines()) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def marked_run(tmp_path_factory, hyp_file) -> Path:
    out = tmp_path_factory.mktemp("runs") / "marked"
    pipeline([Marker()]).run(ARTICLE, hyp=hyp_file, out=out)
    return out


def copy_run(run_dir: Path, dest: Path) -> Path:
    shutil.copytree(run_dir, dest)
    return dest


def rows_of(run_dir: Path) -> list[dict]:
    return [json.loads(x) for x in (run_dir / "segments.jsonl").read_text("utf-8").splitlines()]


def rewrite_rows(run_dir: Path, rows: list[dict], **manifest_changes) -> None:
    """New records, and their hash in the manifest (with ``manifest_changes``; a value of
    None removes the key), as if the run had been written so."""
    (run_dir / "segments.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    manifest = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["segments.jsonl"] = sha256_file(run_dir / "segments.jsonl")
    for key, value in manifest_changes.items():
        if value is None:
            manifest.pop(key, None)
        else:
            manifest[key] = value
    (run_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def as_schema_two(run_dir: Path) -> None:
    """The run as this version's predecessor wrote it: schema 2, no findings, no checks."""
    rows = rows_of(run_dir)
    for row in rows:
        row.pop("findings", None)
    rewrite_rows(run_dir, rows, schema_version=2, checks=None)


def files_of(run_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(run_dir.iterdir())}


# -- records ---------------------------------------------------------------------------------


def test_a_run_records_each_translated_segments_findings(marked_run):
    run = Run.open(marked_run)
    assert run.schema_version == SCHEMA_VERSION == 4
    assert run.checked and run.checks == ("marker",)
    assert "checks" in run.manifest["timings"]
    translated = run.translated
    assert [s.findings[0].severity for s in (translated[2], translated[0], translated[4])] == [
        "error", "warning", "info",
    ]  # fmt: skip
    assert sum(len(s.findings) for s in run.segments) == 3
    seg = translated[2]
    f = seg.findings[0]
    assert seg.source[f.src[0] : f.src[1]] == seg.source.split(" ")[0]  # segment-local
    assert seg.hypothesis[f.tgt[0] : f.tgt[1]] == seg.hypothesis.split(" ")[0]
    rows = rows_of(marked_run)
    assert all("findings" in r for r in rows if r["translated"])
    assert not any("findings" in r for r in rows if not r["translated"])
    # what the run recorded is what the checks find from its records afterwards
    assert run.findings([Marker()]) == run.findings()


def test_the_packages_checks_find_the_injected_errors(tmp_path, hyp_file, capsys):
    out = tmp_path / "my run"
    assert main(["run", str(ARTICLE), "--hyp", str(hyp_file), "--out", str(out), *LEXICAL]) == 0
    # the printed count names the command that lists them, with this run's folder
    assert f"(arabic-align check '{out}' lists them)" in capsys.readouterr().out
    run = Run.open(out)
    assert run.checked and "checks" in run.manifest["timings"]
    found = {name: [s.index for s in run.translated if any(f.check == name for f in s.findings)]
             for name in ("number", "untranslated", "repetition")}  # fmt: skip
    expected = {"number": NUMBER, "untranslated": ARABIC, "repetition": REPEATED}
    for name, k in expected.items():
        assert run.translated[k].index in found[name], (name, found[name])
    for seg in run.translated:  # every span inside its texts
        for f in seg.findings:
            assert f.src is None or f.src[1] <= len(seg.source)
            assert f.tgt is None or f.tgt[1] <= len(seg.hypothesis)


def test_no_checks_writes_no_findings(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["run", str(ARTICLE), "--hyp", str(REFERENCE), "--out", str(out), "--no-checks",
                 *LEXICAL])  # fmt: skip
    assert code == 0 and "findings" not in capsys.readouterr().out
    rows = rows_of(out)
    assert all(r["findings"] is None for r in rows if r["translated"])
    run = Run.open(out)
    assert not run.checked and run.manifest["checks"] is None
    assert all(s.findings == () and not s.checked for s in run.segments)


@pytest.mark.parametrize(
    "damage, says",
    [
        (lambda rows: rows[0].update(findings=[{"check": "x"}]), "finding 0"),
        (lambda rows: rows[0].update(findings="none"), "not a list"),
        (
            lambda rows: rows[0]["findings"].append(
                {
                    "check": "x",
                    "kind": "k",
                    "severity": "fatal",
                    "confidence": 1,
                    "message": "m",
                    "src": None,
                    "tgt": None,
                }
            ),
            "severity",
        ),  # fmt: skip
        (
            lambda rows: rows[0]["findings"].append(
                {
                    "check": "x",
                    "kind": "k",
                    "severity": "error",
                    "confidence": 1,
                    "message": "m",
                    "src": None,
                    "tgt": [0, 100000],
                }
            ),
            "outside its translation",
        ),  # fmt: skip
        (lambda rows: rows[0].pop("findings"), "it has no .findings."),
        # JSON has no NaN or infinities (Python writes them, a strict reader refuses the
        # file), and a confidence is from 0 to 1
        *(
            (
                lambda rows, c=c: rows[0]["findings"].append(
                    {
                        "check": "x",
                        "kind": "k",
                        "severity": "error",
                        "confidence": c,
                        "message": "m",
                        "src": None,
                        "tgt": None,
                    }  # fmt: skip
                ),
                "confidence is not a number from 0 to 1",
            )
            for c in (math.nan, math.inf, 1.5, -0.25)
        ),
        *(
            (
                lambda rows, c=c: rows[0]["alignment"]["links"][0].update(confidence=c),
                "a link's confidence is .*, not a number from 0 to 1",
            )
            for c in (math.nan, -math.inf, 2)
        ),
        (
            lambda rows: rows[0]["alignment"]["spans"][0].update(confidence=math.nan),
            "a span's confidence is nan, not a number from 0 to 1",
        ),
    ],
)
def test_damaged_findings_are_one_sentence(marked_run, tmp_path, capsys, damage, says):
    run_dir = copy_run(marked_run, tmp_path / "run")
    rows = rows_of(run_dir)
    translated = [r for r in rows if r["translated"]]
    damage(translated)
    rewrite_rows(run_dir, rows)
    with pytest.raises(RunError, match=says):
        Run.open(run_dir)
    assert main(["check", str(run_dir)]) == 2
    assert "segments.jsonl" in capsys.readouterr().err


def test_findings_on_a_run_made_without_checks_are_refused(marked_run, tmp_path):
    run_dir = copy_run(marked_run, tmp_path / "run")
    rewrite_rows(run_dir, rows_of(run_dir), checks=None)
    with pytest.raises(RunError, match="manifest names no checks"):
        Run.open(run_dir)


# -- the check command ---------------------------------------------------------------------


def test_check_prints_the_findings_worst_first(marked_run, capsys):
    assert main(["check", str(marked_run)]) == 0
    out, err = capsys.readouterr()
    assert err == ""  # recorded: nothing checked now
    lines = out.splitlines()
    translated = Run.open(marked_run).translated
    order = [translated[k].index for k in (2, 0, 4)]
    assert [int(re.match(r"segment (\d+):", x).group(1)) for x in lines[:-1]] == order
    first = lines[0]
    assert "error marker/marked: marked error" in first
    assert f"source «{translated[2].source.split(' ')[0]}»" in first
    assert f"translation «{translated[2].hypothesis.split(' ')[0]}»" in first
    assert lines[-1] == f"1 error, 1 warning, 1 info in 3 of {len(translated)} translated segments"


def test_check_says_so_when_nothing_is_found(marked_run, tmp_path, capsys):
    run_dir = copy_run(marked_run, tmp_path / "run")
    rows = rows_of(run_dir)
    for row in rows:
        if row["translated"]:
            row["findings"] = []
    rewrite_rows(run_dir, rows)
    assert main(["check", str(run_dir)]) == 0
    translated = Run.open(run_dir).translated
    assert capsys.readouterr().out.splitlines() == [
        f"no findings in {len(translated)} translated segments"
    ]


def test_check_json(marked_run, capsys):
    assert main(["check", str(marked_run), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["checked"] == "recorded"
    translated = Run.open(marked_run).translated
    assert [s["index"] for s in data["segments"]] == [translated[k].index for k in (2, 0, 4)]
    first = data["segments"][0]["findings"][0]
    assert Finding.from_json(first) == translated[2].findings[0]
    assert first["tgt_text"] == translated[2].hypothesis.split(" ")[0]
    counts = data["counts"]
    assert (counts["error"], counts["warning"], counts["info"], counts["total"]) == (1, 1, 1, 3)
    assert counts["segments"] == 3 and counts["checks"] == {
        "marker": {"error": 1, "warning": 1, "info": 1}
    }


def test_an_older_run_is_checked_on_demand_and_left_as_it_was(marked_run, tmp_path, capsys):
    run_dir = copy_run(marked_run, tmp_path / "old")
    as_schema_two(run_dir)
    before = files_of(run_dir)
    run = Run.open(run_dir)
    assert run.schema_version == 2 and not run.checked
    assert all(s.findings == () for s in run.segments)
    # on demand, the same findings as the run recorded when it was made
    assert run.findings([Marker()]) == Run.open(marked_run).findings()
    assert main(["check", str(run_dir)]) == 0
    captured = capsys.readouterr()
    assert "checked now, nothing written" in captured.err and "schema 2" in captured.err
    last = captured.out.splitlines()[-1]
    assert re.fullmatch(
        rf"(\d+ errors?, \d+ warnings?, \d+ info in \d+ of|no findings in) "
        rf"{len(run.translated)} translated segments",
        last,
    ), last
    assert main(["check", str(run_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["checked"] == "on demand"
    expected = run.findings()  # the package's checks, whatever they find
    assert data["counts"]["total"] == sum(len(f) for f in expected.values())
    assert files_of(run_dir) == before  # byte for byte, nothing added


# -- report -----------------------------------------------------------------------------------


def test_the_report_shows_the_summary_table_and_marks_the_spans(marked_run):
    page = build_html(Run.open(marked_run))
    section = page[page.index('<section id="findings">') : page.index('<section id="plot">')]
    assert "findings-summary" in section and "<th>marker</th>" in section
    assert page.index('id="findings"') < page.index('id="article"')
    assert "marked error" in section and "marked warning" in section
    seg = Run.open(marked_run).translated[2]
    marks = re.findall(r'<mark class="fd fd-error" data-findings="([^"]+)"[^>]*>(.*?)</mark>', page)
    texts = [html.unescape(re.sub(r"<[^>]+>", "", inner)) for _, inner in marks]
    # each side's marked pieces (cut at the aligned spans' boundaries) make the span's text
    assert seg.source.split(" ")[0] in texts
    assert seg.hypothesis.split(" ")[0] in "".join(texts)
    assert page.count("fd fd-warning") >= 2 and page.count("fd fd-info") >= 2


def test_the_report_of_a_run_without_findings_says_not_checked(marked_run, tmp_path):
    run_dir = copy_run(marked_run, tmp_path / "old")
    as_schema_two(run_dir)
    page = build_html(Run.open(run_dir))
    assert "Not checked" in page and "<mark" not in page


# -- review ---------------------------------------------------------------------------------


def test_the_review_queue_puts_findings_first_and_journals_verdicts(marked_run, tmp_path):
    run_dir = copy_run(marked_run, tmp_path / "run")
    state = ReviewState.open(run_dir)
    translated = Run.open(run_dir).translated
    error, warning, info = (translated[k].index for k in (2, 0, 4))
    assert state.queue()[:3] == [error, warning, info]
    assert state.with_findings() == [error, warning, info]
    state.set_verdict(error, 0, "right")
    state.set_verdict(warning, 0, "wrong")
    state.set_verdict(info, 0, "right")
    state.undo()  # the info's verdict taken back
    entries = [json.loads(x) for x in (run_dir / JOURNAL).read_text("utf-8").splitlines()]
    verdicts = [c for e in entries if e.get("t") == "change" for c in e["changes"]
                if c["what"] == "finding"]  # fmt: skip
    assert [(c["finding"], c["check"], c["after"]) for c in verdicts] == [
        (0, "marker", "right"), (0, "marker", "wrong"), (0, "marker", "right"),
        (0, "marker", None),
    ]  # fmt: skip
    state.release()
    again = ReviewState.open(run_dir)  # replayed from the journal
    assert again.by_index[error].verdicts == {0: "right"}
    assert again.by_index[warning].verdicts == {0: "wrong"}
    assert again.by_index[info].verdicts == {}
    again.close()  # compacted: review.json keeps the verdicts
    snapshot = json.loads((run_dir / SNAPSHOT).read_text("utf-8"))
    assert snapshot["segments"][str(error)]["verdicts"] == {"0": "right"}
    third = ReviewState.open(run_dir)
    assert third.by_index[warning].verdicts == {0: "wrong"}
    third.release()
    with pytest.raises(IndexError):
        third.set_verdict(error, 5, "right")
    # the export carries each finding with its verdict, on the translation side only
    paths = export(third, tmp_path / "export")
    rows = {r["index"]: r for r in map(json.loads, (tmp_path / "export" / "review.jsonl")
            .read_text("utf-8").splitlines())}  # fmt: skip
    assert [f["verdict"] for f in rows[error]["findings"]] == ["right"]
    assert [f["verdict"] for f in rows[warning]["findings"]] == ["wrong"]
    assert [f["verdict"] for f in rows[info]["findings"]] == [None]
    assert rows[error]["findings"][0]["check"] == "marker"
    assert all(r["findings"] == [] for i, r in rows.items() if i not in (error, warning, info))
    ref = tmp_path / "export" / "review.ref.jsonl"
    if ref in paths:
        assert all("findings" not in json.loads(x) for x in ref.read_text("utf-8").splitlines())


@pytest.mark.parametrize("kept_in", ["review.json", "journal"])
def test_a_verdict_stays_with_its_finding_in_a_run_made_again(
    marked_run, tmp_path, capsys, kept_in
):
    # The same words made again can have other findings (the statistical aligner draws
    # its links anew): a verdict is never moved onto another finding, nor is the review
    # refused; the verdicts whose finding is gone are left out and said.
    run_dir = copy_run(marked_run, tmp_path / "run")
    translated = Run.open(run_dir).translated
    error, warning, info = (translated[k].index for k in (2, 0, 4))
    state = ReviewState.open(run_dir)
    state.set_verdict(error, 0, "right")
    state.set_verdict(warning, 0, "wrong")
    state.set_verdict(info, 0, "right")
    state.set_status(error, "accepted")
    state.close() if kept_in == "review.json" else state.release()
    original = rows_of(run_dir)
    rows = rows_of(run_dir)
    by_index = {r["index"]: r for r in rows}
    by_index[error]["findings"][0]["kind"] = "other"  # another finding in its place
    by_index[warning]["findings"] = []  # none found this time
    rewrite_rows(run_dir, rows)
    again = ReviewState.open(run_dir)
    assert again.by_index[error].verdicts == {} and again.by_index[warning].verdicts == {}
    assert again.by_index[info].verdicts == {0: "right"}  # its finding is still there
    assert again.by_index[error].status == "accepted"  # the rest of the review is kept
    assert again.notes == [
        "2 verdict(s) on findings this run does not have were left out (a run made again "
        "can have other findings: those drawn from the links change with them, and the "
        "statistical aligner draws its links anew on every run); review.json keeps them, "
        "for a run that has their findings"
    ]
    again.release()
    assert main(["review", str(run_dir), "--export", str(tmp_path / "export")]) == 0
    assert "review: 2 verdict(s) on findings this run does not have" in capsys.readouterr().err
    # compacted, they are kept aside; a run that has their findings again gets them back
    ReviewState.open(run_dir).close()
    rewrite_rows(run_dir, original)
    back = ReviewState.open(run_dir)
    assert back.by_index[error].verdicts == {0: "right"}
    assert back.by_index[warning].verdicts == {0: "wrong"} and back.left_out == 0


@pytest.mark.parametrize("kept_in", ["review.json", "journal"])
def test_a_verdict_follows_its_finding_to_another_place(marked_run, tmp_path, kept_in):
    run_dir = copy_run(marked_run, tmp_path / "run")
    error = Run.open(run_dir).translated[2].index
    state = ReviewState.open(run_dir)
    state.set_verdict(error, 0, "wrong")
    state.close() if kept_in == "review.json" else state.release()
    rows = rows_of(run_dir)
    row = next(r for r in rows if r["index"] == error)
    found_first = {**row["findings"][0], "kind": "found-first"}  # found this time, before it
    row["findings"].insert(0, found_first)
    rewrite_rows(run_dir, rows)
    again = ReviewState.open(run_dir)
    assert again.by_index[error].verdicts == {1: "wrong"} and again.left_out == 0
    assert again.notes == []


@pytest.mark.parametrize("kept_in", ["review.json", "journal"])
def test_a_verdict_by_place_left_out_is_kept_aside_as_said(marked_run, tmp_path, kept_in):
    """A verdict written without its finding's identity (an older review) whose place the
    run does not have, or has for another check, is kept in review.json as the notice says,
    and comes back by place for a run that has such a finding there."""
    run_dir = copy_run(marked_run, tmp_path / "run")
    error = Run.open(run_dir).translated[2].index
    state = ReviewState.open(run_dir)
    state.set_verdict(error, 0, "wrong")
    if kept_in == "review.json":
        state.close()
        snapshot = json.loads((run_dir / SNAPSHOT).read_text("utf-8"))
        del snapshot["segments"][str(error)]["verdict_findings"]
        snapshot["segments"][str(error)]["verdicts"] = {"3": "wrong"}  # no finding 3
        (run_dir / SNAPSHOT).write_text(json.dumps(snapshot), encoding="utf-8")
    else:
        state.release()
        lines = (run_dir / JOURNAL).read_text("utf-8").splitlines()
        entry = json.loads(lines[-1])
        del entry["changes"][0]["id"]
        entry["changes"][0]["check"] = "number"  # finding 0 is the marker check's
        (run_dir / JOURNAL).write_text("\n".join([*lines[:-1], json.dumps(entry)]) + "\n")
    again = ReviewState.open(run_dir)
    assert again.by_index[error].verdicts == {} and again.left_out == 1
    assert "review.json keeps them" in again.notes[0]
    again.close()
    kept = json.loads((run_dir / SNAPSHOT).read_text("utf-8"))["segments"][str(error)]
    place = {"place": 3} if kept_in == "review.json" else {"place": 0, "check": "number"}
    assert kept["verdicts_aside"] == [[place, "wrong"]]
    third = ReviewState.open(run_dir)  # read again: still aside, counted once
    assert third.left_out == 1 and third.by_index[error].verdicts == {}
    third.close()
    assert json.loads((run_dir / SNAPSHOT).read_text("utf-8"))["segments"][str(error)][
        "verdicts_aside"
    ] == [[place, "wrong"]]
    rows = rows_of(run_dir)  # a run with such a finding at that place takes it back
    row = next(r for r in rows if r["index"] == error)
    first = row["findings"][0]
    row["findings"] = [{**first, "check": "number"}] if kept_in == "journal" else [first] * 4
    rewrite_rows(run_dir, rows)
    back = ReviewState.open(run_dir)
    assert back.by_index[error].verdicts == {place["place"]: "wrong"} and back.left_out == 0
    back.release()


def test_verdicts_left_out_are_counted_once_each_and_only_when_given(marked_run, tmp_path):
    run_dir = copy_run(marked_run, tmp_path / "run")
    translated = Run.open(run_dir).translated
    error, warning, info = (translated[k].index for k in (2, 0, 4))
    state = ReviewState.open(run_dir)
    state.set_verdict(error, 0, "right")
    state.undo()
    state.redo()  # one verdict, given, taken back and given again
    state.set_verdict(warning, 0, "wrong")
    state.set_verdict(warning, 0, None)  # given and taken back: no verdict
    state.release()
    rows = rows_of(run_dir)
    by_index = {r["index"]: r for r in rows}
    for k in (error, warning):  # the same check and kind, elsewhere in the translation
        finding = by_index[k]["findings"][0]
        finding["tgt"] = [0, 1] if finding["tgt"] != [0, 1] else [1, 2]
    rewrite_rows(run_dir, rows)
    again = ReviewState.open(run_dir)
    assert again.by_index[error].verdicts == {} and again.left_out == 1
    assert again.notes[0].startswith("1 verdict(s) on findings this run does not have")
    again.undo()  # undoing after the review was read counts nothing more
    assert again.left_out == 1
    again.release()
    entry = {"t": "change", "seg": error, "changes": [
        {"what": "finding", "finding": 0, "check": "marker", "id": ["marker"],
         "before": None, "after": "right"}]}  # fmt: skip
    with open(run_dir / JOURNAL, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")
    with pytest.raises(UserError, match="a verdict's id is not .check, kind"):
        ReviewState.open(run_dir)
    lines = (run_dir / JOURNAL).read_text("utf-8").splitlines()
    entry["changes"][0].pop("id")
    entry["changes"][0]["check"] = 5  # kept aside so, review.json could not be read again
    (run_dir / JOURNAL).write_text("\n".join([*lines[:-1], json.dumps(entry)]) + "\n")
    with pytest.raises(UserError, match="a verdict's check is the name of a check"):
        ReviewState.open(run_dir)


def test_review_keys_go_to_findings_and_mark_them(marked_run, tmp_path):
    from align.review.app import FINDING_STYLES, ReviewApp

    run_dir = copy_run(marked_run, tmp_path / "run")
    state = ReviewState.open(run_dir)
    translated = Run.open(run_dir).translated
    error, warning = translated[2].index, translated[0].index
    app = ReviewApp(state, bidi=True)

    async def go() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            assert app.current == error  # a fresh review starts at the worst segment
            a = app.aligned
            styles = app._word_styles(a, "tgt")
            end = state.by_index[error].findings[0].tgt[1]
            inside = [w.end <= end for w in a.tgt_words]
            assert inside[0] and not all(inside)
            for style, marked in zip(styles, inside, strict=True):
                assert (style.bgcolor == FINDING_STYLES["error"].bgcolor) == marked
            assert "Findings" in app.query_one("#segment").text.plain
            await pilot.press("y")
            assert state.by_index[error].verdicts == {0: "right"}
            assert "[right]" in app.query_one("#segment").text.plain
            await pilot.press("g")
            assert app.current == warning
            await pilot.press("w", "w")  # wrong, then taken back
            assert state.by_index[warning].verdicts == {}
            await pilot.press("q")

    asyncio.run(go())
    assert ReviewState.open(run_dir).by_index[error].verdicts == {0: "right"}


class AtTheEnd:
    """A check of this test only: a warning on the last word of each translation that ends
    with "Zanzibar"."""

    name = "end"

    def check(self, segment, article):
        t = segment.translation
        if not t.endswith("Zanzibar."):
            return []
        at = t.rindex("Zanzibar")
        return [Finding("end", "marked", "warning", 0.5, "at the end", None, (at, at + 8))]


def test_a_segment_taller_than_its_pane_keeps_the_keys_and_shows_its_finding(tmp_path):
    """In a pane shorter than the segment, ↑/↓ still switch sides (the pane never takes
    them), g scrolls the finding into view, another segment starts at its top, and page
    down / page up scroll."""
    from align.review.app import ReviewApp, SegmentPane

    long_ar = " ".join(["قال الوزير إن الاجتماع انتهى"] * 60) + " زنجبار."
    long_en = " ".join(["the minister said the meeting ended"] * 60) + " Zanzibar."
    run_dir = tmp_path / "run"
    Pipeline(
        None,
        alignment=AlignmentSettings(method="lexical", background=False),
        checks=[AtTheEnd()],
        on_warning=lambda m: None,
    ).run(f"{long_ar}\nوصل الرئيس.\n", hyp=[long_en, "The president arrived."], out=run_dir)
    state = ReviewState.open(run_dir, hold=True)
    long_index = next(s.index for s in state.segments if s.findings)
    app = ReviewApp(state, bidi=True)

    def visible(pilot) -> str:
        return app.export_screenshot()

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            pane = app.query_one(SegmentPane)
            assert app.current == long_index and pane.max_scroll_y > 10
            assert app.side == "src" and pane.scroll_y == 0  # opened at its top
            await pilot.press("down")
            assert app.side == "tgt"
            await pilot.press("up")
            assert app.side == "src"
            assert "Zanzibar" not in visible(pilot)
            await pilot.press("g")
            await pilot.pause()
            assert pane.scroll_y > 0 and "Zanzibar" in visible(pilot)
            await pilot.press("n")
            await pilot.pause()
            assert app.current != long_index and pane.scroll_y == 0
            await pilot.press("p")  # back to the long one: from its top
            await pilot.pause()
            assert app.current == long_index and pane.scroll_y == 0
            await pilot.press("pagedown")
            await pilot.pause()
            assert pane.scroll_y > 10
            await pilot.press("pageup")
            await pilot.pause()
            assert pane.scroll_y == 0
            await pilot.press("q")

    asyncio.run(go())


def test_a_review_taken_up_again_shows_the_cursor_where_it_was_left(tmp_path):
    from align.review.app import ReviewApp, SegmentPane

    long_ar = " ".join(["قال الوزير إن الاجتماع انتهى"] * 60) + " زنجبار."
    long_en = " ".join(["the minister said the meeting ended"] * 60) + " Zanzibar."
    run_dir = tmp_path / "run"
    Pipeline(
        None, alignment=AlignmentSettings(method="lexical", background=False), checks=False
    ).run(f"{long_ar}\n", hyp=[long_en], out=run_dir)
    state = ReviewState.open(run_dir, hold=True)
    seg = state.segments[0]
    last = len(seg.sides[HYP].tgt_words) - 1
    state.move(seg.index, ["tgt", last])  # where the person left off
    app = ReviewApp(state, bidi=True)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            pane = app.query_one(SegmentPane)
            assert (app.side, app.word) == ("tgt", last)
            assert pane.scroll_y > 0 and "Zanzibar" in app.export_screenshot()
            await pilot.press("q")

    asyncio.run(go())


def test_a_review_of_a_run_without_findings_orders_as_before(marked_run, tmp_path):
    run_dir = copy_run(marked_run, tmp_path / "old")
    as_schema_two(run_dir)
    state = ReviewState.open(run_dir)
    assert all(not s.findings for s in state.segments) and state.with_findings() == []
    state.release()


def test_finding_keys_on_a_run_never_checked_say_how_to_check_it(marked_run, tmp_path):
    from align.review.app import ReviewApp

    run_dir = copy_run(marked_run, tmp_path / "old")
    as_schema_two(run_dir)
    app = ReviewApp(ReviewState.open(run_dir, hold=True), bidi=True)
    seen: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            for key in ("g", "y", "w"):
                app.clear_notifications()
                await pilot.press(key)
                said = [n.message for n in app._notifications]
                assert said, key  # each key says something
                seen.extend(said)
            await pilot.press("q")

    asyncio.run(go())
    said = f"arabic-align check {run_dir} lists them"
    assert seen and all(said in m and "made without the checks" in m for m in seen)


# -- batch ----------------------------------------------------------------------------------


def test_the_batch_summary_counts_findings(tmp_path, hyp_file, capsys):
    manifest = tmp_path / "articles.jsonl"
    rows = [{"id": "seed", "path": str(ARTICLE), "hyp": str(hyp_file)},
            {"id": "plain", "path": str(ARTICLE), "hyp": str(REFERENCE)}]  # fmt: skip
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["batch", str(manifest), "--out", str(out), "--quiet", *LEXICAL])
    assert code == 0
    printed = capsys.readouterr().out
    summary = [json.loads(x) for x in (out / "summary.jsonl").read_text("utf-8").splitlines()]
    for row in summary:
        run = Run.open(out / row["id"])
        counts = finding_counts(f for s in run.translated for f in s.findings)
        assert row["findings"] == {k: counts[k] for k in ("error", "warning", "info", "total")}
        cell = "/".join(str(counts[k]) for k in ("error", "warning", "info"))
        assert re.search(rf"\| {row['id']} \| ok \|.*\| {cell} \|", printed)
    assert "findings (E/W/I)" in printed and "in 2 checked articles" in printed
    assert f"(arabic-align check {out / 'ARTICLE'} lists them)" in printed
    # --no-checks is a batch of other settings, and writes no findings
    out2 = tmp_path / "out2"
    assert main(["batch", str(manifest), "--out", str(out2), "--quiet", "--no-checks",
                 *LEXICAL]) == 0  # fmt: skip
    summary = [json.loads(x) for x in (out2 / "summary.jsonl").read_text("utf-8").splitlines()]
    assert [r["findings"] for r in summary] == [None, None]
    assert json.loads((out2 / "batch.json").read_text("utf-8"))["settings"]["checks"] is False


def test_check_article_with_chosen_checks_matches_the_records(marked_run):
    run = Run.open(marked_run)
    found = check_article(inputs_of_run(run), checks=[Marker()])
    assert [tuple(f) for f in found] == [s.findings for s in run.translated]


class Twice:
    """Two errors on translated segment 2, a warning on segment 0 (this test's check)."""

    name = "twice"

    def check(self, segment, article):
        k = [s.index for s in article.segments].index(segment.index)
        src = (0, segment.source.index(" "))
        tgt = (0, segment.translation.index(" "))
        made = [Finding("twice", "marked", "error", 0.5, f"marked {n}", src, tgt) for n in (1, 2)]
        warning = Finding("twice", "marked", "warning", 0.5, "marked", src, tgt)
        return {2: made, 0: [warning]}.get(k, [])


def test_g_from_the_reference_side_shows_each_finding_in_the_translations_queue(tmp_path):
    """The findings are the translation's: from the reference side, g shows the segment's
    first finding (none is passed over), then the next, then the next segment's, in the
    translation side's queue; the reference side's rows carry no finding letters."""
    from align.review.app import ReviewApp

    run_dir = tmp_path / "run"
    pipeline([Twice()]).run(ARTICLE, hyp=REFERENCE, ref=REFERENCE, out=run_dir)
    translated = Run.open(run_dir).translated
    first, second = translated[2].index, translated[0].index
    app = ReviewApp(ReviewState.open(run_dir), bidi=True)

    async def go() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            assert app.current == first and app.finding == 0
            await pilot.press("v")  # the reference side
            assert app.shown == REF
            assert all(app._row(i).plain[4] == " " for i in app.order)
            await pilot.press("g")
            assert (app.shown, app.current, app.finding) == (HYP, first, 0)
            await pilot.press("g")
            assert (app.current, app.finding) == (first, 1)
            await pilot.press("g")
            assert (app.current, app.finding) == (second, 0)
            assert app._row(first).plain[4] == "E"  # the translation side's rows do
            await pilot.press("q")

    asyncio.run(go())


def test_undoing_a_verdict_goes_back_to_its_finding(tmp_path):
    from align.review.app import ReviewApp

    run_dir = tmp_path / "run"
    pipeline([Twice()]).run(ARTICLE, hyp=REFERENCE, out=run_dir)
    translated = Run.open(run_dir).translated
    first, second = translated[2].index, translated[0].index
    state = ReviewState.open(run_dir)
    app = ReviewApp(state, bidi=True)

    async def go() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("g", "y")  # the second finding of the first segment: right
            assert state.by_index[first].verdicts == {1: "right"}
            await pilot.press("g")
            assert (app.current, app.finding) == (second, 0)
            await pilot.press("u")  # back to the segment and to the finding it was
            assert (app.current, app.finding) == (first, 1)
            assert state.by_index[first].verdicts == {}
            await pilot.press("q")

    asyncio.run(go())


def test_verdicts_left_out_of_a_run_made_without_the_checks_say_so(tmp_path):
    from tests.conftest import SEED, seed_translation_run

    run = seed_translation_run(tmp_path, {1: " موسكو"})  # Arabic left: no link decides it
    argv = ["run", str(SEED / "article.ar.txt"), "--hyp", str(tmp_path / "hyp.txt"),
            "--align-method", "lexical", "--out", str(run)]  # fmt: skip
    state = ReviewState.open(run)
    seg = next(s for s in state.segments if s.findings)
    state.set_verdict(seg.index, 0, "right")
    state.close()
    aside = {}
    for name in ("review.json", "review.journal.jsonl"):  # moved aside, then back
        if (run / name).exists():
            aside[name] = (run / name).read_bytes()
            (run / name).unlink()
    assert main([*argv, "--force", "--no-checks"]) == 0
    for name, data in aside.items():
        (run / name).write_bytes(data)
    again = ReviewState.open(run)
    assert again.notes == [
        "1 verdict(s) on findings this run does not have were left out (this run was made "
        "without the checks (--no-checks)); review.json keeps them, for a run that has their "
        "findings"
    ]


def test_check_article_from_python_takes_names_and_an_aligners_alignment():
    """What a caller holds after Pipeline.align: the Alignment of the pair (wrapped with its
    texts), checks by name; anything else is one sentence."""
    from align import AlignmentSettings, Pipeline
    from align.checks import SegmentInput, check_article
    from align.errors import UserError

    source, translation = "وصل 28 شخصا.", "Twenty people arrived."
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False))
    [alignment] = pipeline.align([(source, translation)])
    [findings] = check_article([SegmentInput(0, source, translation, alignment)], ["number"])
    assert [(f.check, f.kind) for f in findings] == [("number", "changed")]  # 28, not 20
    assert source[slice(*findings[0].src)] == "28"
    from align.checks import all_checks

    by_name = {c.name: c for c in all_checks()}  # any collection of checks, as before
    for checks in (by_name.values(), set(by_name.values()), (c for c in by_name.values())):
        found = check_article([SegmentInput(0, source, translation, alignment)], checks)
        assert ("number", "changed") in [(f.check, f.kind) for f in found[0]]
    # and so do a run's findings on demand, and a pipeline's checks
    result = Pipeline(
        None,
        alignment=AlignmentSettings(method="lexical", background=False),
        checks={by_name["number"]},
    ).run(source + "\n", hyp=[translation])
    assert [f.kind for f in result.segments[0].findings] == ["changed"]
    assert [f.kind for f in result.run.findings(checks={"number"})[0]] == ["changed"]
    with pytest.raises(UserError, match="no check named 'numbers'"):
        check_article([SegmentInput(0, source, translation)], ["numbers"])
    with pytest.raises(UserError, match=r"segments\[0\] is a tuple"):
        check_article([(0, source, translation)])
    with pytest.raises(UserError, match=r"segments\[0\].alignment is a dict"):
        check_article([SegmentInput(0, source, translation, {"links": []})])
    with pytest.raises(UserError, match=r"segments\[0\] has an align.Alignment whose source"):
        check_article([SegmentInput(0, source[:3], translation, alignment)])


def test_a_run_s_alignment_given_to_the_checks_must_be_of_the_pair(tmp_path):
    """A PairAlignment read back from a run points into its own texts: given beside an
    edited source or translation, or holding a broken alignment, it is one sentence, not
    findings at the old text's offsets or an index past the text."""
    from dataclasses import replace

    from align.links.base import Link
    from align.run import PairAlignment

    source, translation = "وصل 28 شخصا إلى موسكو.", "Twenty people arrived in Moscow."
    Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False)).run(
        source + "\n", hyp=[translation], out=tmp_path / "run"
    )
    [segment] = inputs_of_run(Run.open(tmp_path / "run"))
    assert isinstance(segment.alignment, PairAlignment)
    assert [f.kind for f in check_article([segment])[0] if f.check == "number"] == ["changed"]
    for edited in (replace(segment, source=source[:10]), replace(segment, translation="Hi.")):
        with pytest.raises(UserError, match="PairAlignment of other texts"):
            check_article([edited])
    pair = segment.alignment
    links = (*pair.alignment.links, Link(0, 999, 1.0))  # past the translation's units
    broken = PairAlignment(source, translation, replace(pair.alignment, links=links))
    with pytest.raises(UserError, match=r"segments\[0\] has an align.run.PairAlignment"):
        check_article([replace(segment, alignment=broken)])
    with pytest.raises(UserError, match="holds a NoneType"):
        check_article([replace(segment, alignment=PairAlignment(source, translation, None))])
    with pytest.raises(UserError, match="inputs_of_run takes an align.Run"):
        inputs_of_run(str(tmp_path / "run"))
