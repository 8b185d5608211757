"""Review state, journal and exports (no UI): every edit on disk at once, replayed after a
crash, compacted on close; undo/redo; merge/split; both sides (translation and reference);
exports scored by eval-links and by a scorer of the test's own over the .tok.txt files."""

from __future__ import annotations

import json

import pytest

from align import Pipeline
from align.cli import main
from align.errors import InputError
from align.links.words import word_tokens
from align.records import MANIFEST, SCHEMA_VERSION, finish_run, lines_file, sha256_file
from align.review.export import FILES, export
from align.review.journal import JOURNAL, SNAPSHOT
from align.review.state import HYP, REF, ReviewState
from align.run import Run, RunError
from align.settings import AlignmentSettings
from tests.conftest import SEED

# source, hypothesis, word links (i, j, confidence), chrF, reference links (None: no
# reference alignment)
ROWS = [
    ("قال الوزير إن الاجتماع انتهى.", "The minister said the meeting ended.",
     [(0, 2, 0.9), (1, 1, 0.8), (3, 4, 0.7), (4, 5, 0.9), (5, 6, 1.0)], 60.0,
     [(0, 2, 0.5), (1, 1, 0.5)]),
    ("وصل الوفد إلى القاهرة أمس.", "The delegation arrived in Cairo yesterday.",
     [(0, 2, 0.3), (1, 1, 0.2), (3, 4, 0.4)], 40.0, [(0, 2, 0.6), (3, 4, 0.6), (4, 5, 0.6)]),
    ("الطقس جميل اليوم.", "The weather is nice today.", [(0, 1, 0.95), (1, 3, 0.9)], 80.0,
     None),
]  # fmt: skip


def alignment(src: str, tgt: str, links, start: int) -> dict:
    """An alignment record over ``word_tokens`` of both texts (units are words); source
    offsets in the article, as a run stores them. A link is (i, j, confidence[, sure])."""
    sw, tw = word_tokens(src), word_tokens(tgt)
    return {
        "method": "test",
        "src_tokens": [[w.start + start, w.end + start] for w in sw],
        "tgt_tokens": [[w.start, w.end] for w in tw],
        "links": [
            {"src": x[0], "tgt": x[1], "confidence": x[2], "sure": x[3] if len(x) > 3 else True}
            for x in links
        ],
    }


def write_run(path, rows: list[dict], schema: int = SCHEMA_VERSION, **manifest):
    """A valid run directory of segment records ``rows``: segments.jsonl, scores.json,
    hyp.txt and, last, a manifest with every file's SHA-256 and the counts."""
    path.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (path / "segments.jsonl").write_text(text, encoding="utf-8")
    (path / "scores.json").write_text(json.dumps({"corpus": None, "note": "no reference"}))
    hyps = [r["hypothesis"] for r in rows if r["translated"]]
    (path / "hyp.txt").write_text(lines_file(hyps), encoding="utf-8")
    counts = {"segments": len(rows), "translated": len(hyps)}
    finish_run(path, {"schema_version": schema, "counts": counts, **manifest})
    return path


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


def make_run(path, rows=ROWS, schema=SCHEMA_VERSION):
    records = [{"index": 0, "line": 0, "role": "boilerplate", "start": 0, "end": 5,
                "source": "عاجل:", "translated": False}]  # fmt: skip
    start = 6
    for k, (src, hyp, links, chrf, ref_links) in enumerate(rows, 1):
        ref = hyp.upper() if ref_links is not None else None
        records.append({
            "index": k, "line": k, "role": "caption" if k == 3 else "body",
            "start": start, "end": start + len(src), "source": src,
            "translated": True, "hypothesis": hyp, "reference": ref,
            "scores": {"bleu": 1.0, "chrf": chrf, "ter": 50.0},
            "alignment": alignment(src, hyp, links, start),
            "reference_alignment": (
                alignment(src, ref, ref_links, start) if ref is not None else None
            ),
        })  # fmt: skip
        start += len(src) + 1
    return write_run(path, records, schema)


@pytest.fixture
def run(tmp_path):
    return make_run(tmp_path / "run")


def journal_lines(run_dir):
    path = run_dir / JOURNAL
    return [json.loads(x) for x in path.read_text().splitlines() if x] if path.exists() else []


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
    assert state.aligned(1, REF).target == "THE MINISTER SAID THE MEETING ENDED."


def test_unit_links_become_word_links_by_the_records_rule(tmp_path):
    """Units smaller than words (a clitic cut off): the review's words are the records'
    words, and a word pair is linked by its strongest unit link, sure if any is."""
    src, hyp = "وقال الوزير", "And the minister said"
    row = {
        "index": 0, "line": 1, "role": "body", "start": 0, "end": len(src), "source": src,
        "translated": True, "hypothesis": hyp, "reference": None, "scores": None,
        "alignment": {
            "method": "test",
            "src_tokens": [[0, 1], [1, 4], [5, 11]],  # و | قال | الوزير
            "tgt_tokens": [[0, 3], [4, 7], [8, 16], [17, 21]],
            "src_words": [[0, 4], [5, 11]], "tgt_words": [[0, 3], [4, 7], [8, 16], [17, 21]],
            "src_unit_word": [0, 0, 1], "tgt_unit_word": [0, 1, 2, 3],
            "links": [
                {"src": 0, "tgt": 0, "confidence": 0.4, "sure": True},
                {"src": 1, "tgt": 3, "confidence": 0.9, "sure": False},
                {"src": 0, "tgt": 3, "confidence": 0.3, "sure": True},
                {"src": 2, "tgt": 2, "confidence": 0.8, "sure": True},
            ],
        },
    }  # fmt: skip
    state = ReviewState.open(write_run(tmp_path / "run", [row]))
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
    old = make_run(tmp_path / "old", schema=0)
    with pytest.raises(InputError, match="schema version"):
        ReviewState.open(old)
    assert main(["review", str(old)]) == 2
    err = capsys.readouterr().err
    assert "schema version" in err and len(err.strip().splitlines()) == 1


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
    again = ReviewState.open(run)
    assert "cut off" in again.torn
    assert again.by_index[3].status == "accepted" and again.by_index[3].note == "fine"
    again.set_status(3, "flagged")  # appending after a torn line starts a fresh line
    third = ReviewState.open(run)
    assert third.by_index[3].status == "flagged"
    assert "not a complete entry" in third.torn


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
    assert (out / "review.ref.txt").read_text().splitlines() == [
        ROWS[0][1].upper(),
        ROWS[1][1].upper(),
    ]
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
    rows = [(src, hyp, links, chrf, None) for src, hyp, links, chrf, _ in ROWS]
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
    start = 6
    row = {
        "index": 0, "line": 0, "role": "body", "start": start, "end": start + len(COMMA_SOURCE),
        "source": COMMA_SOURCE, "translated": True, "hypothesis": COMMA_HYP,
        "reference": COMMA_HYP, "scores": None,
        "alignment": alignment(COMMA_SOURCE, COMMA_HYP, COMMA_LINKS, start),
        "reference_alignment": alignment(COMMA_SOURCE, COMMA_HYP, COMMA_LINKS[:5], start),
    }  # fmt: skip
    src, hyp, links, _, ref_links = ROWS[1]
    start += len(COMMA_SOURCE) + 1
    second = {
        "index": 1, "line": 1, "role": "body", "start": start, "end": start + len(src),
        "source": src, "translated": True, "hypothesis": hyp, "reference": hyp,
        "scores": None, "alignment": alignment(src, hyp, links, start),
        "reference_alignment": alignment(src, hyp, ref_links, start),
    }  # fmt: skip
    rows = [row, second]
    run_dir = write_run(tmp_path / "run", rows)
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
