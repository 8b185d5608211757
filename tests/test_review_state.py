"""Review state, journal and exports (no UI): every edit on disk at once, replayed after a
crash, compacted on close; undo/redo; merge/split; both sides (translation and reference);
exports scored by eval-links and by a scorer of the test's own over the .tok.txt files."""

from __future__ import annotations

import json

import pytest

from align import Alignment, Link, Pipeline, Token
from align.cli import main
from align.errors import InputError, OutputError, UserError
from align.links.spans import span_pairs
from align.links.words import word_tokens
from align.records import MANIFEST, sha256_file
from align.review.export import FILES, export
from align.review.journal import JOURNAL, SNAPSHOT
from align.review.state import HYP, REF, ReviewState
from align.run import Run, RunError
from align.settings import AlignmentSettings
from tests.conftest import SEED

# The runs under review are written by the pipeline (``pipeline_run``); only the links are
# the test's, given by ``FixedAligner``.


class FixedAligner:
    """An aligner whose answers the test gives, for ``Pipeline(aligner=...)``: for each
    (source, target) pair it is asked about, word links (i, j, confidence[, sure]) over
    ``word_tokens`` of both texts (units are words), or a ready ``Alignment``. A pair it was
    not told about is a ``KeyError``: the pipeline asked for something the test did not
    expect."""

    method = "fixed"

    def __init__(self) -> None:
        self.settings: dict = {}
        self.table: dict[tuple[str, str], list | Alignment] = {}

    def add(self, source: str, target: str, links) -> None:
        old = self.table.setdefault((source, target), links)
        assert old == links, f"two sets of links for {source!r} with {target!r}"

    def align(self, pairs) -> list[Alignment]:
        out = []
        for source, target in pairs:
            links = self.table[(source, target)]
            if not isinstance(links, Alignment):
                links = word_alignment(source, target, links)
            out.append(links)
        return out


def word_alignment(source: str, target: str, links) -> Alignment:
    """Links (i, j, confidence[, sure]) between the words of two texts, with the span pairs
    they make, as a word-level aligner returns them (offsets into each text)."""
    src, tgt = word_tokens(source), word_tokens(target)
    found = tuple(Link(*x) for x in links)
    return Alignment(src, tgt, found, span_pairs(found, src, tgt), FixedAligner.method)


def pipeline_run(run_dir, article: str, hyps, links, refs=None, ref_links=None):
    """A run written by ``Pipeline.run``: ``article`` (one paragraph a line) segmented and
    classified by the pipeline, ``hyps`` its translation (one a segment to translate),
    ``links[k]`` the links of segment k with its hypothesis and ``ref_links[k]`` with its
    reference ``refs[k]``. The scores are the pipeline's own, against the reference.

    A reference of None: that segment has none. The references are then given as a
    document (the others' sentences), which the pipeline aligns to the segments; the
    segment left unmatched has no reference, hence no reference alignment and no chrF."""
    aligner = FixedAligner()
    # No translation checks: the queue's order here is the alignment's (findings, which
    # come first in the queue, are tested in test_checks_integration.py).
    pipeline = Pipeline(None, aligner=aligner, on_warning=lambda message: None, checks=False)
    sources = [s.text for s in pipeline.segment(article).to_translate]
    for source, hyp, found in zip(sources, hyps, links, strict=True):
        aligner.add(source, hyp, found)
    layout = "lines"
    if refs is not None:
        for source, ref, found in zip(sources, refs, ref_links, strict=True):
            if ref is not None:
                aligner.add(source, ref, found)
        if None in refs:
            layout = "document"
    given = None if refs is None else [r for r in refs if r is not None]
    result = pipeline.run(article, hyp=list(hyps), ref=given, ref_layout=layout, out=run_dir)
    # the document reference went to the segments it was meant for
    assert [r["reference"] for r in result.records if r["translated"]] == (
        refs if refs is not None else [None] * len(sources)
    )
    return run_dir


def rewrite(run_dir, name: str, text: str) -> None:
    """Change a file of a run and its hash in the manifest, so that what is judged is the
    content, past the hash check."""
    (run_dir / name).write_text(text, encoding="utf-8")
    manifest = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][name] = sha256_file(run_dir / name)
    (run_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def segment_rows(run_dir) -> list[dict]:
    text = (run_dir / "segments.jsonl").read_text(encoding="utf-8")
    return [json.loads(x) for x in text.splitlines()]


def jsonl(rows) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


# A line of share buttons (boilerplate: kept, not translated), then one segment a line:
# (source, hypothesis, word links (i, j, confidence), reference, reference links). The last
# is a photo caption ("الصورة: ..."), with no reference.
BOILERPLATE = "شارك عبر: فيسبوك تويتر واتساب"
ROWS = [
    ("قال الوزير إن الاجتماع انتهى.", "The minister said the meeting ended.",
     [(0, 2, 0.9), (1, 1, 0.8), (3, 4, 0.7), (4, 5, 0.9), (5, 6, 1.0)],
     "The minister said the talks ended.", [(0, 2, 0.5), (1, 1, 0.5)]),
    ("وصل الوفد إلى القاهرة أمس.", "The delegation arrived in Cairo yesterday.",
     [(0, 2, 0.3), (1, 1, 0.2), (3, 4, 0.4)],
     "A delegation arrived in Cairo yesterday.", [(0, 2, 0.6), (3, 4, 0.6), (4, 5, 0.6)]),
    ("الصورة: الطقس جميل اليوم.", "Photo: The weather is nice today.",
     [(2, 3, 0.95), (3, 5, 0.9)], None, None),
]  # fmt: skip


def make_run(path, rows=ROWS):
    """The run of an article of ``BOILERPLATE`` and ``rows``: segment 0 is the boilerplate,
    1 and 2 are body, 3 the caption."""
    article = "\n".join([BOILERPLATE, *(row[0] for row in rows)]) + "\n"
    refs = [row[3] for row in rows]
    run_dir = pipeline_run(
        path, article, [row[1] for row in rows], [row[2] for row in rows],
        None if all(r is None for r in refs) else refs, [row[4] for row in rows],
    )  # fmt: skip
    assert [r["role"] for r in segment_rows(run_dir)] == ["boilerplate", "body", "body", "caption"]
    return run_dir


@pytest.fixture
def run(tmp_path):
    return make_run(tmp_path / "run")


def journal_lines(run_dir):
    """The journal's entries after the line that names the run's words, which a journal
    begins with."""
    path = run_dir / JOURNAL
    lines = [json.loads(x) for x in path.read_text().splitlines() if x] if path.exists() else []
    if lines:
        assert lines[0]["t"] == "run" and len(lines[0]["words"]) == 64
    return lines[1:]


def test_open_reads_word_links_and_orders_the_queue_worst_first(run):
    state = ReviewState.open(run)
    assert [s.index for s in state.segments] == [1, 2, 3]  # boilerplate is not reviewed
    seg = state.by_index[1]
    assert (0, 2) in seg.links and seg.links[(0, 2)]["confidence"] == 0.9
    assert [w.text for w in seg.src_words] == ["قال", "الوزير", "إن", "الاجتماع", "انتهى", "."]
    assert state.queue() == [2, 1, 3]  # mean confidence 0.3 < 0.86 < 0.925
    assert state.queue(role="caption") == [3]
    assert state.remaining() == 3
    # the reference side: its own links, only where the run aligned a reference
    assert state.queue(side=REF) == [1, 2]  # mean confidence 0.5 < 0.6
    assert state.count(REF) == 2 and REF not in state.by_index[3].sides
    assert set(state.aligned(1, REF).links) == {(0, 2), (1, 1)}
    assert state.aligned(1, REF).target == ROWS[0][3]
    # chrF++ is the run's own sentence score against the reference; none without one
    scores = {r["index"]: r["scores"] for r in segment_rows(run)}
    assert [state.by_index[k].chrf for k in (1, 2)] == [scores[k]["chrf"] for k in (1, 2)]
    assert all(0 < state.by_index[k].chrf < 100 for k in (1, 2))
    assert scores[3] is None and state.by_index[3].chrf is None


def test_the_reference_sides_queue_is_not_ordered_by_the_translations_findings(tmp_path):
    """Findings are the translation's: they lead its queue, and the reference side's queue,
    whose rows carry no finding letters, goes by its own alignment's confidence."""
    from tests.conftest import SEED, seed_translation_run

    run = seed_translation_run(
        tmp_path, {40: " وزارة الخارجية"}, "--ref", str(SEED / "reference.en.txt")
    )
    state = ReviewState.open(run)
    with_findings = {s.index for s in state.segments if s.findings}
    assert with_findings
    hyp_queue = state.queue()
    assert set(hyp_queue[: len(with_findings)]) == with_findings
    ref_queue = state.queue(side=REF)
    confidence = [state.by_index[k].sides[REF].confidence for k in ref_queue]
    assert confidence == sorted(confidence)
    assert set(ref_queue[: len(with_findings)]) != with_findings  # (not led by them)


def test_equal_confidence_goes_lower_chrf_first(tmp_path):
    """Segments as sure as each other are ordered by their chrF++ against the reference,
    the lower first: the run's scores, not the segment order, decide."""
    sources = [ROWS[0][0], ROWS[1][0]]
    hyps = [ROWS[0][1], ROWS[1][1]]
    refs = ["The minister said the meeting was over.", "Yesterday, Egypt received visitors."]
    same = [(0, 2, 0.5), (1, 1, 0.7)]
    run_dir = pipeline_run(tmp_path / "run", "\n".join(sources), hyps, [same, same], refs,
                           [same, same])  # fmt: skip
    state = ReviewState.open(run_dir)
    assert state.by_index[0].confidence == state.by_index[1].confidence
    chrf = {r["index"]: r["scores"]["chrf"] for r in segment_rows(run_dir)}
    assert {s.index: s.chrf for s in state.segments} == chrf and chrf[1] < chrf[0]
    assert state.queue() == [1, 0]
    assert state.queue(side=REF) == [1, 0]  # the reference side: the same scores


def test_unit_links_become_word_links_by_the_records_rule(tmp_path):
    """Units smaller than words (a clitic cut off): the review's words are the records'
    words, and a word pair is linked by its strongest unit link, sure if any is."""
    src, hyp = "وقال الوزير", "And the minister said"
    units = (Token(0, 1), Token(1, 4), Token(5, 11))  # و | قال | الوزير
    words = word_tokens(hyp)
    links = (Link(0, 0, 0.4), Link(1, 3, 0.9, False), Link(0, 3, 0.3), Link(2, 2, 0.8))
    pair = Alignment(
        units, words, links, span_pairs(links, units, words), FixedAligner.method,
        src_words=(Token(0, 4), Token(5, 11)), tgt_words=words,
        src_word=(0, 0, 1), tgt_word=(0, 1, 2, 3),
    )  # fmt: skip
    state = ReviewState.open(pipeline_run(tmp_path / "run", src + "\n", [hyp], [pair]))
    assert segment_rows(state.run_dir)[0]["alignment"]["src_unit_word"] == [0, 0, 1]
    seg = state.by_index[0]
    assert [w.text for w in seg.src_words] == ["وقال", "الوزير"]
    assert seg.links == {
        (0, 0): {"sure": True, "confidence": 0.4},
        (0, 3): {"sure": True, "confidence": 0.9},  # و-said (sure) and قال-said (0.9)
        (1, 2): {"sure": True, "confidence": 0.8},
    }


def test_bad_run_directories(tmp_path, capsys):
    with pytest.raises(InputError, match="not a run directory"):
        ReviewState.open(tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no manifest.json"):
        ReviewState.open(empty)
    old = make_run(tmp_path / "old")
    manifest = json.loads((old / MANIFEST).read_text(encoding="utf-8"))
    (old / MANIFEST).write_text(json.dumps({**manifest, "schema_version": 0}), encoding="utf-8")
    with pytest.raises(InputError, match="schema version"):
        ReviewState.open(old)
    assert main(["review", str(old)]) == 2
    err = capsys.readouterr().err
    assert "schema version" in err and len(err.strip().splitlines()) == 1
    for version in (True, 3.0, "3"):  # equal to a schema in Python, not one in the record
        (old / MANIFEST).write_text(
            json.dumps({**manifest, "schema_version": version}), encoding="utf-8"
        )
        with pytest.raises(InputError, match="schema version"):
            ReviewState.open(old)


def _list_row(run_dir):
    rows = segment_rows(run_dir)
    rewrite(run_dir, "segments.jsonl", jsonl(rows[:2]) + json.dumps([1, 2]) + "\n")


def _no_hypothesis(run_dir):
    rows = segment_rows(run_dir)
    del rows[2]["hypothesis"]
    rewrite(run_dir, "segments.jsonl", jsonl(rows))


def _manifest(value):
    def damage(run_dir):
        (run_dir / MANIFEST).write_text(json.dumps(value), encoding="utf-8")

    return damage


def _warnings_5(run_dir):
    manifest = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    _manifest({**manifest, "warnings": 5})(run_dir)


def _hash_mismatch(run_dir):
    rows = segment_rows(run_dir)
    rows[1]["hypothesis"] = "Someone else's translation."
    (run_dir / "segments.jsonl").write_text(jsonl(rows), encoding="utf-8")


def _spaced_word(run_dir):
    rows = segment_rows(run_dir)
    start = rows[1]["start"]
    rows[1]["alignment"]["src_tokens"][0] = [start, start + len("قال الوزير")]
    rewrite(run_dir, "segments.jsonl", jsonl(rows))


def _no_alignment(run_dir):
    rows = segment_rows(run_dir)
    rows[2]["alignment"] = None
    rewrite(run_dir, "segments.jsonl", jsonl(rows))


DAMAGES = {
    "a segment row that is a list": (_list_row, "segments.jsonl", "line 3"),
    "a row without its hypothesis": (_no_hypothesis, "segments.jsonl", "no hypothesis"),
    "a manifest that is a list": (_manifest([1, 2]), "manifest.json", "not a run manifest"),
    "a manifest that is a string": (_manifest("run"), "manifest.json", "not a run manifest"),
    "warnings that are a number": (_warnings_5, "manifest.json", "'warnings'"),
    "a file changed after the run": (_hash_mismatch, "segments.jsonl", "SHA-256"),
    "a word holding a space": (_spaced_word, "segments.jsonl", "holds whitespace"),
    "a translated segment without alignment": (_no_alignment, "segments.jsonl", "no alignment"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_run_is_one_sentence(run, tmp_path, capsys, damage):
    change, file, words = DAMAGES[damage]
    change(run)
    with pytest.raises(RunError) as caught:
        ReviewState.open(run)
    message = str(caught.value)
    assert file in message and words in message and "\n" not in message
    for argv in (["review", str(run), "--export", str(tmp_path / "out")], ["review", str(run)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and file in err and words in err
        assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert not (run / JOURNAL).exists() and not (run / SNAPSHOT).exists()


def test_every_edit_is_on_disk_before_it_shows_and_survives_a_crash(run):
    state = ReviewState.open(run)
    state.add_link(2, 2, 3, sure=False)
    state.remove_link(2, 1, 1)
    state.toggle_sure(2, 0, 2)
    state.set_status(2, "flagged")
    state.set_note(2, "delegation: check the verb")
    state.move(2, ["src", 2])
    assert len(journal_lines(run)) == 6
    # the process dies here: no close(), no snapshot
    again = ReviewState.open(run)
    seg = again.by_index[2]
    assert seg.links[(2, 3)]["sure"] is False and (1, 1) not in seg.links
    assert seg.links[(0, 2)]["sure"] is False
    assert seg.status == "flagged" and seg.note == "delegation: check the verb"
    assert again.position == {"segment": 2, "cursor": ["src", 2], "side": HYP}
    assert again.remaining() == 2


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_a_journal_removed_or_replaced_under_an_open_review_stops_the_next_edit(run, how):
    """Edits appended to a journal no path names any more would be lost by a kill: the next
    edit is refused in one sentence, and quitting writes the whole review from memory."""
    from align.errors import OutputError

    state = ReviewState.open(run, hold=True)
    state.set_status(1, "accepted")
    journal = run / JOURNAL
    if how == "removed":
        journal.unlink()
    else:  # an editor saving by rename
        copy = run / "journal.copy"
        copy.write_bytes(journal.read_bytes())
        copy.replace(journal)
    with pytest.raises(OutputError, match="was removed or replaced while this review was open"):
        state.set_status(2, "flagged")
    assert state.by_index[2].status == "todo"  # not made, as said
    state.close()
    again = ReviewState.open(run)
    assert again.by_index[1].status == "accepted" and again.by_index[2].status == "todo"


def test_undo_and_redo_are_journaled_and_replay_the_same(run):
    state = ReviewState.open(run)
    state.add_link(1, 2, 0)
    state.set_status(1, "accepted")
    assert state.undo() == 1 and state.by_index[1].status == "todo"
    assert state.undo() == 1 and (2, 0) not in state.by_index[1].links
    assert state.redo() == 1 and (2, 0) in state.by_index[1].links
    assert state.undo() == 1 and state.undo() is None
    kinds = [e["kind"] for e in journal_lines(run)]
    assert kinds == ["edit", "edit", "undo", "undo", "redo", "undo"]
    state.release()  # the session ends without compacting, as a kill would end it
    again = ReviewState.open(run)
    assert (2, 0) not in again.by_index[1].links and again.by_index[1].status == "todo"
    assert again.redo() == 1 and (2, 0) in again.by_index[1].links  # the redo stack replays


def test_each_side_is_reviewed_and_journaled_on_its_own(run):
    state = ReviewState.open(run)
    state.add_link(2, 1, 1, side=REF)
    state.set_status(2, "flagged", side=REF)
    state.set_note(2, "reference drops the article", side=REF)
    state.set_status(2, "accepted")
    ref, hyp = state.aligned(2, REF), state.aligned(2, HYP)
    assert (1, 1) in ref.links and ref.status == "flagged"
    assert hyp.status == "accepted" and hyp.note == "" and hyp.links[(1, 1)]["confidence"] == 0.2
    assert [e["side"] for e in journal_lines(run)] == [REF, REF, REF, HYP]
    assert state.remaining(REF) == 1 and state.remaining() == 2
    assert state.queue(status="flagged", side=REF) == [2] and state.queue(status="flagged") == []
    # undo and redo go change by change, whichever side each was
    assert state.undo() == 2 and hyp.status == "todo" and ref.status == "flagged"
    assert state.undo() == 2 and ref.note == "" and hyp.status == "todo"
    assert state.side_of(state.redo_stack[-1]) == REF
    assert state.redo() == 2 and ref.note == "reference drops the article"
    with pytest.raises(KeyError, match="no reference alignment"):
        state.set_status(3, "accepted", side=REF)
    # replayed after a crash, then compacted: both sides come back
    state.release()  # the session ends without compacting, as a kill would end it
    again = ReviewState.open(run)
    assert again.aligned(2, REF).note == "reference drops the article"
    assert again.aligned(2, REF).status == "flagged" and again.aligned(2, HYP).status == "todo"
    assert [again.side_of(e) for e in again.redo_stack] == [HYP]  # the hyp status, undone
    again.close()
    snapshot = json.loads((run / SNAPSHOT).read_text())
    assert snapshot["schema"] == 2
    assert snapshot["reference_segments"]["2"]["status"] == "flagged"
    assert [1, 1, True, 1.0] in snapshot["reference_segments"]["2"]["links"]
    assert "3" not in snapshot["reference_segments"] and "3" in snapshot["segments"]
    third = ReviewState.open(run)
    assert third.snapshot() == again.snapshot()


def test_old_journals_and_snapshots_replay_on_the_translation_side(run):
    """A journal line without "side" and a schema 1 review.json are of the translation."""
    (run / SNAPSHOT).write_text(json.dumps({
        "schema": 1, "position": {"segment": 2, "cursor": ["tgt", 1]},
        "segments": {"1": {"status": "accepted", "note": "old", "links": [[0, 0, True, 1.0]]}},
    }))  # fmt: skip
    entry = {"t": "change", "kind": "edit", "seg": 2, "changes": [
        {"what": "status", "before": "todo", "after": "flagged"}]}  # fmt: skip
    (run / JOURNAL).write_text(json.dumps(entry) + "\n")
    state = ReviewState.open(run)
    assert state.by_index[1].status == "accepted" and state.by_index[1].links == {
        (0, 0): {"sure": True, "confidence": 1.0}
    }
    assert state.aligned(1, REF).status == "todo" and state.aligned(1, REF).links
    assert state.by_index[2].status == "flagged" and state.aligned(2, REF).status == "todo"
    assert state.position == {"segment": 2, "cursor": ["tgt", 1], "side": HYP}


@pytest.mark.parametrize(
    "entry, problem",
    [
        ({"t": "change", "seg": 1, "side": "other", "changes": [
            {"what": "note", "before": "", "after": "x"}]}, "side is one of hyp, ref"),
        ({"t": "change", "seg": 1, "side": "ref", "changes": [
            {"what": "link", "src": 0, "tgt": 9, "before": None,
             "after": {"sure": True, "confidence": 1.0}}]}, "outside the segment's 6 and 7"),
        # lines of a review of another run: what they change is not in this one
        ({"t": "change", "seg": 57, "changes": [
            {"what": "status", "before": "todo", "after": "accepted"}]},
         "segment 57 has no translation under review in this run"),
        ({"t": "change", "seg": 3, "side": "ref", "changes": [
            {"what": "note", "before": "", "after": "x"}]},
         "segment 3 has no reference under review in this run"),
    ],
)  # fmt: skip
def test_a_bad_journal_line_names_its_line(run, entry, problem):
    ok = {"t": "position", "segment": 1, "cursor": None, "side": "ref"}
    (run / JOURNAL).write_text(json.dumps(ok) + "\n" + json.dumps(entry) + "\n")
    with pytest.raises(InputError, match="line 2 of") as caught:
        ReviewState.open(run)
    assert problem in str(caught.value)


def test_a_torn_journal_line_is_reported_and_the_rest_replayed(run):
    state = ReviewState.open(run)
    state.set_status(3, "accepted")
    state.set_note(3, "fine")
    with open(run / JOURNAL, "ab") as f:
        f.write(b'{"t":"change","kind":"edit","seg":3,"chan')  # the crash cut it here
    state.release()
    again = ReviewState.open(run)
    assert "cut off" in again.torn
    assert again.by_index[3].status == "accepted" and again.by_index[3].note == "fine"
    again.set_status(3, "flagged")  # appending after a torn line starts a fresh line
    third = ReviewState.open(run)
    assert third.by_index[3].status == "flagged"
    assert "not a complete entry" in third.torn


def test_every_damaged_journal_line_is_named(run):
    state = ReviewState.open(run)
    for k in (1, 2, 3):
        state.set_status(k, "accepted")
    lines = (run / JOURNAL).read_bytes().split(b"\n")
    lines[1] = lines[1][:20]  # a line the disk took only in part, then later edits
    (run / JOURNAL).write_bytes(b"\n".join(lines) + b'{"t":"change","se')
    again = ReviewState.open(run)
    assert again.torn.startswith("line 2 of review.journal.jsonl is not a complete entry")
    assert "the last line of review.journal.jsonl was cut off" in again.torn
    assert [again.by_index[k].status for k in (1, 2, 3)] == ["todo", "accepted", "accepted"]
    state.release()
    (run / JOURNAL).write_text("x\n\ny\n" + "z\n" * 11)
    assert ReviewState.open(run).torn == (
        "lines 1, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more of review.journal.jsonl are "
        "not complete entries and were skipped"
    )


def test_a_review_json_of_another_run_is_refused(run):
    review = {"schema": 2, "segments": {
        "57": {"status": "accepted", "note": "", "links": [[0, 0, True, 1.0]]}}}  # fmt: skip
    (run / SNAPSHOT).write_text(json.dumps(review))
    with pytest.raises(InputError, match="segment 57 has no translation under review"):
        ReviewState.open(run)
    review["segments"] = {"1": {"status": "accepted", "note": "", "links": [], "words": 3}}
    review["words"] = 3
    (run / SNAPSHOT).write_text(json.dumps(review))
    with pytest.raises(InputError, match='its "words" is not the text of a SHA-256'):
        ReviewState.open(run)


def test_two_sessions_opened_through_the_library_lose_no_edit(run):
    first, second = ReviewState.open(run), ReviewState.open(run)
    first.set_status(1, "accepted")  # the first write holds the run
    with pytest.raises(UserError, match="is open in another review"):
        second.set_status(2, "flagged")
    assert second.by_index[2].status == "todo"  # the change was not made
    first.release()  # the first session ends (a kill): its edit is in the journal
    with pytest.raises(UserError, match="was changed by another session since this one"):
        second.set_status(2, "flagged")
    with pytest.raises(UserError, match="was changed by another session since this one"):
        second.close()  # a compaction would bury the first session's edit
    third = ReviewState.open(run)
    assert third.by_index[1].status == "accepted" and third.by_index[2].status == "todo"
    third.set_status(2, "flagged")  # read after the change: it may write
    third.close()
    assert ReviewState.open(run).by_index[1].status == "accepted"


def test_a_review_moved_onto_a_run_of_other_words_is_refused(run, tmp_path, capsys):
    # The same sources and word counts, another translation: every index would fit.
    other_rows = [(src, " ".join(reversed(hyp.split())), *rest) for src, hyp, *rest in ROWS]
    other = make_run(tmp_path / "other", other_rows)
    state = ReviewState.open(run, hold=True)
    state.add_link(1, 0, 0)
    (other / JOURNAL).write_bytes((run / JOURNAL).read_bytes())  # moved mid-review
    with pytest.raises(
        InputError,
        match="review.journal.jsonl is the journal of another run's review .it was made on other",
    ):
        ReviewState.open(other)
    state.close()
    (other / JOURNAL).unlink()
    (other / SNAPSHOT).write_bytes((run / SNAPSHOT).read_bytes())  # moved after it
    with pytest.raises(InputError, match="review.json is not a review of this run .it was made"):
        ReviewState.open(other)
    assert main(["review", str(other), "--export", str(tmp_path / "export")]) == 2
    assert "made on other words" in capsys.readouterr().err
    assert not (tmp_path / "export").exists()
    # a run of the same words takes the review (a second run of the same texts)
    same = make_run(tmp_path / "same")
    (same / SNAPSHOT).write_bytes((run / SNAPSHOT).read_bytes())
    assert (0, 0) in ReviewState.open(same).by_index[1].links


def test_a_review_dropped_from_python_lets_go_of_the_run(run):
    import gc

    Run.open(run).review  # noqa: B018 (no review yet: None)
    state = ReviewState.open(run)
    state.set_status(1, "accepted")  # holds the run from here
    del state
    gc.collect()
    Run.open(run).review.set_status(2, "flagged")  # a state made and dropped at once
    Run.open(run).review.set_status(3, "flagged")
    held = ReviewState.open(run, hold=True)
    assert [held.by_index[k].status for k in (1, 2, 3)] == ["accepted", "flagged", "flagged"]
    held.close()


@pytest.mark.parametrize("hold", [True, False])
def test_a_closed_review_goes_on_only_from_what_it_left(run, hold):
    first = ReviewState.open(run, hold=hold)
    first.set_status(1, "accepted")
    first.close()
    first.set_note(1, "its own compaction changed nothing of another's")
    first.close()
    second = ReviewState.open(run, hold=True)
    second.set_status(2, "flagged")  # a person's work meanwhile
    second.close()
    with pytest.raises(UserError, match="was changed by another session"):
        first.set_status(3, "flagged")  # would bury the second's flag at its close
    for _ in range(2):  # and a second try is refused as the first was
        with pytest.raises(UserError, match="was changed by another session"):
            first.close()
    first.release()
    with pytest.raises(UserError, match="was changed by another session"):
        first.set_status(3, "flagged")
    final = ReviewState.open(run)
    assert [final.by_index[k].status for k in (1, 2, 3)] == ["accepted", "flagged", "todo"]


def test_close_compacts_atomically_and_reopening_resumes(run):
    state = ReviewState.open(run)
    state.add_link(3, 2, 4)
    state.set_status(3, "accepted")
    state.move(1, ["tgt", 4], side=REF)
    state.close()
    assert (run / SNAPSHOT).is_file() and (run / JOURNAL).read_bytes() == b""
    again = ReviewState.open(run)
    assert (2, 4) in again.by_index[3].links and again.by_index[3].status == "accepted"
    assert again.position == {"segment": 1, "cursor": ["tgt", 4], "side": REF}
    assert again.snapshot() == state.snapshot()


def test_merge_and_split_spans(run):
    state = ReviewState.open(run)
    seg = state.by_index[1]
    before = len(seg.spans())
    k = state.span_of(1, "src", 0)
    state.merge_spans(1, k)
    assert len(seg.spans()) == before - 1
    state.undo()
    assert len(seg.spans()) == before
    # merge, then split after source word 0: the merging link goes, the crossed pairs stay
    state.merge_spans(1, k)
    assert len(seg.spans()) == before - 1
    state.split_span(1, 0)
    assert len(seg.spans()) == before
    assert (0, 1) not in seg.links and (0, 2) in seg.links and (1, 1) in seg.links
    # a span that cannot be split keeps its links
    links = dict(seg.links)
    state.split_span(1, 5)
    assert seg.links == links
    # on the reference side, the same operations touch only its links
    ref = state.aligned(1, REF)
    state.merge_spans(1, state.span_of(1, "src", 0, side=REF), side=REF)
    assert len(ref.spans()) == 1 and seg.links == links


def test_exports_and_eval_links_against_reviewed_links(run, tmp_path, capsys):
    state = ReviewState.open(run)
    state.add_link(1, 2, 3, sure=False)
    state.set_status(1, "accepted")
    state.set_note(1, "ok\tgood")
    state.set_status(2, "accepted", side=REF)
    out = tmp_path / "export"
    paths = export(state, out)
    assert [p.name for p in paths] == list(FILES[HYP] + FILES[REF])
    pharaoh = (out / "review.pharaoh").read_text().splitlines()
    assert "2?3" in pharaoh[0].split() and "0-2" in pharaoh[0].split()
    tsv = (out / "review.tsv").read_text().splitlines()
    assert tsv[1].split("\t") == ["1", "body", "accepted", "6", "ok good"]
    rows = [json.loads(x) for x in (out / "review.jsonl").read_text().splitlines()]
    assert rows[0]["spans"] and rows[0]["links"][0]["sure"] in (True, False)
    assert rows[0]["side"] == HYP and rows[0]["hypothesis"] == ROWS[0][1]
    # the reference side: its own files, its own segments (3 has no reference alignment)
    assert (out / "review.ref.pharaoh").read_text().splitlines() == ["0-2 1-1", "0-2 3-4 4-5"]
    assert (out / "review.ref.txt").read_text().splitlines() == [ROWS[0][3], ROWS[1][3]]
    assert (out / "review.ref.src.txt").read_text().splitlines() == [ROWS[0][0], ROWS[1][0]]
    ref_rows = [json.loads(x) for x in (out / "review.ref.jsonl").read_text().splitlines()]
    assert [r["side"] for r in ref_rows] == [REF, REF] and "reference" in ref_rows[0]
    assert "2\tbody\taccepted" in (out / "review.ref.tsv").read_text()
    # any aligner is scored against the reviewed links over the same words
    pred = tmp_path / "pred.pharaoh"
    argv = ["links", "--src", str(out / "review.src.txt"), "--tgt", str(out / "review.hyp.txt"),
            "--method", "lexical", "--out", str(pred)]  # fmt: skip
    assert main(argv) == 0
    assert main(["eval-links", "--gold", str(out / "review.pharaoh"), "--pred", str(pred),
                 "--json"]) == 0  # fmt: skip
    scores = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert scores["pairs"] == 3 and scores["sure"] > 0 and scores["possible"] > scores["sure"]
    # the review command exports without the UI; --only-reviewed keeps each side's reviewed
    assert main(["review", str(run), "--export", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "review.pharaoh").read_text().splitlines() == pharaoh
    assert main(["review", str(run), "--export", str(tmp_path / "some"), "--only-reviewed"]) == 0
    assert (tmp_path / "some" / "review.src.txt").read_text().splitlines() == [ROWS[0][0]]
    assert (tmp_path / "some" / "review.ref.src.txt").read_text().splitlines() == [ROWS[1][0]]


def test_a_run_without_reference_alignments_exports_the_translation_side_only(tmp_path):
    rows = [(src, hyp, links, None, None) for src, hyp, links, _, _ in ROWS]
    state = ReviewState.open(make_run(tmp_path / "run", rows))
    assert state.count(REF) == 0 and state.queue(side=REF) == []
    paths = export(state, tmp_path / "out")
    assert [p.name for p in paths] == list(FILES[HYP])
    assert not any((tmp_path / "out" / name).exists() for name in FILES[REF])


# -- the tokenized exports, read by a scorer that knows nothing of ours -------------------

COMMA_SOURCE = (
    "قال وزير الخارجية المصري اليوم إن المحادثات مع الجانب الأمريكي كانت مثمرة جدا، "
    "وأضاف أن الجولة المقبلة ستعقد في القاهرة."
)
COMMA_HYP = (
    "The Egyptian foreign minister said today that the talks with the American side were "
    "very fruitful, and added that the next round will be held in Cairo."
)
COMMA_REF = (
    "The Egyptian foreign minister said today that talks with the American side had been "
    "very fruitful, adding that the next round would be held in Cairo."
)
COMMA_LINKS = [(0, 4, 0.9), (1, 3, 0.9), (2, 2, 0.8), (3, 1, 0.8), (4, 5, 0.9), (6, 8, 0.9),
               (9, 11, 0.7), (11, 15, 0.8), (12, 14, 0.6), (13, 16, 0.9), (14, 18, 0.7),
               (20, 27, 0.9), (21, 28, 1.0)]  # fmt: skip


def read_gold(path):
    """Pharaoh lines as (sure, possible) sets of (i, j); possible includes sure."""
    out = []
    for line in path.read_text(encoding="utf-8").split("\n")[:-1]:
        sure, possible = set(), set()
        for item in line.split():
            mark = "-" if "-" in item else "?"
            i, j = item.split(mark)
            possible.add((int(i), int(j)))
            if mark == "-":
                sure.add((int(i), int(j)))
        out.append((sure, possible))
    return out


def aer(gold, pred):
    """AER = 1 - (|A∩S| + |A∩P|) / (|A| + |S|) over the corpus; A is every predicted link."""
    a_s = a_p = n_a = n_s = 0
    for (sure, possible), (_, predicted) in zip(gold, pred, strict=True):
        a_s += len(predicted & sure)
        a_p += len(predicted & possible)
        n_a += len(predicted)
        n_s += len(sure)
    return 1 - (a_s + a_p) / (n_a + n_s)


def check_tokens_index_the_records(out, run_dir, side):
    """For every exported link i-j, token i of the src .tok.txt line is the linked source
    word of the run's records, and token j of the target .tok.txt line the target word."""
    names = {
        HYP: ("review.pharaoh", "review.src.tok.txt", "review.hyp.tok.txt"),
        REF: ("review.ref.pharaoh", "review.ref.src.tok.txt", "review.ref.tok.txt"),
    }
    pharaoh, src_tok, tgt_tok = (out / n for n in names[side])
    record = Run.open(run_dir)
    pairs = [s.alignment if side == HYP else s.reference_alignment for s in record.translated]
    pairs = [p for p in pairs if p is not None]
    src_lines = src_tok.read_text(encoding="utf-8").split("\n")[:-1]
    tgt_lines = tgt_tok.read_text(encoding="utf-8").split("\n")[:-1]
    gold = read_gold(pharaoh)
    assert len(gold) == len(src_lines) == len(tgt_lines) == len(pairs)
    checked = 0
    for (_, links), src_line, tgt_line, pair in zip(gold, src_lines, tgt_lines, pairs, strict=True):
        src_tokens, tgt_tokens = src_line.split(" "), tgt_line.split(" ")
        assert src_tokens == src_line.split() and tgt_tokens == tgt_line.split()
        assert len(src_tokens) == len(pair.src_words) and len(tgt_tokens) == len(pair.tgt_words)
        for i, j in links:
            assert (
                src_tokens[i]
                == pair.src_words[i].text
                == pair.source[pair.src_words[i].start : pair.src_words[i].end]
            )
            assert tgt_tokens[j] == pair.tgt_words[j].text
            checked += 1
    assert checked
    assert aer(gold, gold) == 0.0
    return gold, src_lines, tgt_lines


def test_tok_files_index_the_same_words_as_the_pharaoh_links(tmp_path, capsys):
    src, hyp, links, ref, ref_links = ROWS[1]
    run_dir = pipeline_run(
        tmp_path / "run", f"{COMMA_SOURCE}\n{src}\n", [COMMA_HYP, hyp], [COMMA_LINKS, links],
        [COMMA_REF, ref], [COMMA_LINKS[:5], ref_links],
    )  # fmt: skip
    state = ReviewState.open(run_dir)
    state.add_link(0, 5, 6, sure=False)  # إن-that, possible
    out = tmp_path / "out"
    export(state, out)
    gold, src_lines, tgt_lines = check_tokens_index_the_records(out, run_dir, HYP)
    check_tokens_index_the_records(out, run_dir, REF)
    # the Arabic comma is a word of its own: token 13 of the tok line, while a split of the
    # raw text at spaces keeps it on "جدا،" (12) and has the next word at 13
    raw = (out / "review.src.txt").read_text(encoding="utf-8").splitlines()[0].split(" ")
    tokens = src_lines[0].split(" ")
    assert tokens[13] == "،" and tokens[12] == "جدا" and tgt_lines[0].split(" ")[16] == ","
    assert raw[12] == "جدا،" and raw[13] == "وأضاف" and "،" not in raw
    assert (13, 16) in gold[0][0] and (5, 6) in gold[0][1] - gold[0][0]
    # a prediction made from the tok files alone (no commas linked) against the review: the
    # test's own AER agrees with eval-links'
    pred = tmp_path / "pred.pharaoh"
    lines = []
    for (_, links), src_line in zip(gold, src_lines, strict=True):
        words = src_line.split(" ")
        lines.append(" ".join(f"{i}-{j}" for i, j in sorted(links) if words[i] != "،"))
    pred.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    ours = aer(gold, read_gold(pred))
    assert ours > 0
    argv = ["eval-links", "--gold", str(out / "review.pharaoh"), "--pred", str(pred), "--json"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    scores = json.loads(printed[printed.index("{") :])
    assert scores["aer"] == pytest.approx(ours, abs=1e-4)  # eval-links rounds to 4 places


def test_tok_files_of_a_real_run(tmp_path):
    """A run the pipeline wrote (a given translation, the lexical aligner, a reference):
    the review's words are the aligner's, and the tok files index them."""
    article, reference = SEED / "article.ar.txt", SEED / "reference.en.txt"
    run_dir = tmp_path / "run"
    Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False)).run(
        article, ref=reference, hyp=reference, out=run_dir
    )
    state = ReviewState.open(run_dir)
    assert state.count(REF) == state.count(HYP) == len(state.segments) > 0
    for seg in state.segments:  # the records' words are word_tokens of the texts
        assert [(w.start, w.end) for w in seg.src_words] == [
            (t.start, t.end) for t in word_tokens(seg.source)
        ]
    out = tmp_path / "out"
    assert main(["review", str(run_dir), "--export", str(out)]) == 0
    check_tokens_index_the_records(out, run_dir, HYP)
    check_tokens_index_the_records(out, run_dir, REF)


def test_one_session_edits_a_review_at_a_time(run, tmp_path, capsys):
    """A second session would journal into a file the first one compacts away: it is refused
    in one sentence. Reading (an export) stays open to anyone, and the run is free again once
    the session ends."""
    first = ReviewState.open(run, hold=True)
    first.set_status(1, "accepted")
    with pytest.raises(UserError, match="open in another review"):
        ReviewState.open(run, hold=True)
    assert main(["review", str(run)]) == 2
    err = capsys.readouterr().err
    assert "open in another review" in err and len(err.strip().splitlines()) == 1
    assert main(["review", str(run), "--export", str(tmp_path / "e")]) == 0
    assert "1\tbody\taccepted" in (tmp_path / "e" / "review.tsv").read_text()
    first.close()
    second = ReviewState.open(run, hold=True)
    assert second.by_index[1].status == "accepted"
    second.release()
    ReviewState.open(run, hold=True).release()
    # a review that cannot be opened holds nothing
    (run / SNAPSHOT).write_text("{")
    with pytest.raises(InputError):
        ReviewState.open(run, hold=True)
    (run / SNAPSHOT).unlink()
    ReviewState.open(run, hold=True).release()


def _short_writes(monkeypatch, journal_path, plan):
    """``os.write`` to the journal follows ``plan``: "half" writes half of what it is given,
    "full" raises ENOSPC, "ok" writes; other files are written as usual."""
    import errno
    import os

    real = os.write
    steps = iter(plan)

    def write(fd, data):
        try:
            mine = os.readlink(f"/proc/self/fd/{fd}") == str(journal_path)
        except OSError:
            mine = False
        if not mine:
            return real(fd, data)
        step = next(steps, "ok")
        if step == "half":
            return real(fd, bytes(data)[: len(data) // 2])
        if step == "full":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)


def test_a_line_written_in_part_is_taken_back(run, monkeypatch):
    """A full disk can take part of a line without an error: the rest is written or the
    edit fails, and a failed edit leaves no part of its line for the next one to join."""
    state = ReviewState.open(run, hold=True)
    state.set_note(1, "kept")
    before = (run / JOURNAL).read_bytes()
    _short_writes(monkeypatch, (run / JOURNAL).resolve(), ["half", "ok"])
    state.set_note(2, "written in two parts")  # the rest of the line is written
    _short_writes(monkeypatch, (run / JOURNAL).resolve(), ["half", "full"])
    with pytest.raises(OutputError, match="not made"):
        state.set_note(3, "lost to a full disk")
    assert state.by_index[3].note == ""
    monkeypatch.undo()
    state.set_status(2, "accepted")  # space again
    lines = (run / JOURNAL).read_bytes()
    assert lines.startswith(before) and lines.endswith(b"\n")
    state.release()
    again = ReviewState.open(run)
    assert again.torn is None
    assert [again.by_index[i].note for i in (1, 2, 3)] == ["kept", "written in two parts", ""]
    assert again.by_index[2].status == "accepted"


def test_a_move_the_journal_cannot_keep_says_where_you_are_was_not_saved(run, monkeypatch):
    """A full disk refuses the journal line of a move: the sentence says the position was
    not saved (the app has moved), not that an edit was not made."""
    state = ReviewState.open(run, hold=True)
    state.set_note(1, "kept")
    _short_writes(monkeypatch, (run / JOURNAL).resolve(), ["full", "full"])
    with pytest.raises(OutputError) as refused:
        state.move(2, ["src", 0])
    assert str(refused.value).endswith("where you are was not saved")
    with pytest.raises(OutputError, match="the last change was not made$"):
        state.set_note(2, "lost")
    state.release()


def test_a_part_line_that_cannot_be_taken_back_is_ended(run, monkeypatch):
    import os

    state = ReviewState.open(run)
    state.set_note(1, "kept")
    _short_writes(monkeypatch, (run / JOURNAL).resolve(), ["half", "full"])

    def no_truncate(fd, size):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "ftruncate", no_truncate)
    with pytest.raises(OutputError):
        state.set_note(3, "lost")
    monkeypatch.undo()
    state.set_status(2, "accepted")
    state.release()
    again = ReviewState.open(run)
    assert "not a complete entry" in again.torn  # the torn part, on a line of its own
    assert again.by_index[1].note == "kept" and again.by_index[2].status == "accepted"
    assert again.by_index[3].note == ""


def test_a_note_utf8_cannot_write_is_refused_before_the_journal(run):
    state = ReviewState.open(run)
    with pytest.raises(UserError, match="UTF-8"):
        state.set_note(1, "a\ud800b")  # (what a file name's stray byte decodes to)
    assert journal_lines(run) == [] and state.by_index[1].note == ""
    state.set_note(1, "fine")
    assert ReviewState.open(run).by_index[1].note == "fine"


def test_a_reader_beside_a_session_that_compacts_misses_nothing(run, monkeypatch):
    """An export reads review.json, then the journal; a session that quits in between
    writes a new review.json and empties the journal. The reader reads the pair again."""
    import align.review.state as state_module

    session = ReviewState.open(run, hold=True)
    session.set_status(1, "accepted")
    real = state_module.read_journal
    calls = []

    def compacted_first(run_dir):
        if not calls:
            session.close()  # the session quits between the reader's two reads
        calls.append(run_dir)
        return real(run_dir)

    monkeypatch.setattr(state_module, "read_journal", compacted_first)
    reader = ReviewState.open(run)
    assert reader.by_index[1].status == "accepted"
    assert len(calls) == 2


def test_a_review_json_that_cannot_be_read_is_not_called_damaged(run, monkeypatch):
    from pathlib import Path

    ReviewState.open(run, hold=True).close()
    real = Path.read_text

    def refuse(self, *args, **kwargs):
        if self.name == SNAPSHOT:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(InputError) as caught:
        ReviewState.open(run)
    assert str(caught.value) == f"{run / SNAPSHOT} cannot be read: Permission denied."
