"""Review state, journal and exports (no UI): every edit on disk at once, replayed after a
crash, compacted on close; undo/redo; merge/split; exports scored by eval-links."""

from __future__ import annotations

import json

import pytest

from align.cli import main
from align.errors import InputError
from align.links.words import word_tokens
from align.records import SCHEMA_VERSION
from align.review.export import FILES, export
from align.review.journal import JOURNAL, SNAPSHOT
from align.review.state import ReviewState

ROWS = [
    # source, hypothesis, word links (i, j, confidence), chrF
    ("قال الوزير إن الاجتماع انتهى.", "The minister said the meeting ended.",
     [(0, 2, 0.9), (1, 1, 0.8), (3, 4, 0.7), (4, 5, 0.9), (5, 6, 1.0)], 60.0),
    ("وصل الوفد إلى القاهرة أمس.", "The delegation arrived in Cairo yesterday.",
     [(0, 2, 0.3), (1, 1, 0.2), (3, 4, 0.4)], 40.0),
    ("الطقس جميل اليوم.", "The weather is nice today.", [(0, 1, 0.95), (1, 3, 0.9)], 80.0),
]  # fmt: skip


def make_run(path, rows=ROWS, schema=SCHEMA_VERSION):
    path.mkdir(parents=True, exist_ok=True)
    (path / "manifest.json").write_text(json.dumps({"schema_version": schema}))
    article_offset = 0
    lines = [{"index": 0, "line": 0, "role": "boilerplate", "start": 0, "end": 5,
              "source": "عاجل:", "translated": False}]  # fmt: skip
    article_offset = 6
    for k, (src, hyp, links, chrf) in enumerate(rows, 1):
        sw, tw = word_tokens(src), word_tokens(hyp)
        lines.append({
            "index": k, "line": k, "role": "caption" if k == 3 else "body",
            "start": article_offset, "end": article_offset + len(src), "source": src,
            "translated": True, "hypothesis": hyp, "reference": hyp.upper(),
            "scores": {"bleu": 1.0, "chrf": chrf, "ter": 50.0},
            "alignment": {
                "method": "test",
                "src_tokens": [[w.start + article_offset, w.end + article_offset] for w in sw],
                "tgt_tokens": [[w.start, w.end] for w in tw],
                "links": [{"src": i, "tgt": j, "confidence": c, "sure": True} for i, j, c in links],
            },
        })  # fmt: skip
        article_offset += len(src) + 1
    (path / "segments.jsonl").write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8"
    )
    return path


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
    assert state.queue() == [2, 1, 3]  # mean confidence 0.3 < 0.86 < 0.925
    assert state.queue(role="caption") == [3]
    assert state.remaining() == 3


def test_bad_run_directories(tmp_path, capsys):
    with pytest.raises(InputError, match="not a directory"):
        ReviewState.open(tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="segments.jsonl"):
        ReviewState.open(empty)
    old = make_run(tmp_path / "old", schema=0)
    with pytest.raises(InputError, match="schema version"):
        ReviewState.open(old)
    assert main(["review", str(old)]) == 2
    err = capsys.readouterr().err
    assert "schema version" in err and len(err.strip().splitlines()) == 1


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
    assert again.position == {"segment": 2, "cursor": ["src", 2]}
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
    state.move(3, ["tgt", 4])
    state.close()
    assert (run / SNAPSHOT).is_file() and (run / JOURNAL).read_bytes() == b""
    again = ReviewState.open(run)
    assert (2, 4) in again.by_index[3].links and again.by_index[3].status == "accepted"
    assert again.position == {"segment": 3, "cursor": ["tgt", 4]}
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


def test_exports_and_eval_links_against_reviewed_links(run, tmp_path, capsys):
    state = ReviewState.open(run)
    state.add_link(1, 2, 3, sure=False)
    state.set_status(1, "accepted")
    state.set_note(1, "ok\tgood")
    out = tmp_path / "export"
    paths = export(state, out)
    assert [p.name for p in paths] == list(FILES)
    pharaoh = (out / "review.pharaoh").read_text().splitlines()
    assert "2?3" in pharaoh[0].split() and "0-2" in pharaoh[0].split()
    tsv = (out / "review.tsv").read_text().splitlines()
    assert tsv[1].split("\t") == ["1", "body", "accepted", "6", "ok good"]
    rows = [json.loads(x) for x in (out / "review.jsonl").read_text().splitlines()]
    assert rows[0]["spans"] and rows[0]["links"][0]["sure"] in (True, False)
    # any aligner is scored against the reviewed links over the same words
    pred = tmp_path / "pred.pharaoh"
    assert (
        main(
            [
                "links",
                "--src",
                str(out / "review.src.txt"),
                "--tgt",
                str(out / "review.hyp.txt"),
                "--method",
                "lexical",
                "--out",
                str(pred),
            ]
        )
        == 0
    )
    assert main(["eval-links", "--gold", str(out / "review.pharaoh"), "--pred", str(pred),
                 "--json"]) == 0  # fmt: skip
    scores = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert scores["pairs"] == 3 and scores["sure"] > 0 and scores["possible"] > scores["sure"]
    # the review command exports without the UI
    assert main(["review", str(run), "--export", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "review.pharaoh").read_text().splitlines() == pharaoh
