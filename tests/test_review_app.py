"""The review app, driven headlessly with Textual's pilot: keys pressed, then the screen, the
state and the files on disk checked. The run directory is written by the pipeline from a given
translation, with links the tests fix (no model)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from textual.widgets import OptionList

from align.cli import main
from align.review.app import (
    HELP_LINES,
    LINKED,
    NARROW,
    HelpScreen,
    NoteScreen,
    ReviewApp,
    SegmentView,
    key_label,
    visual_word,
)
from align.review.display import Display
from align.review.journal import JOURNAL, SNAPSHOT
from align.review.state import HYP, REF, ReviewState
from tests.test_review_state import pipeline_run, rewrite, segment_rows

# One line a segment: (the role the pipeline gives it, source, hypothesis, reference, links
# (src word, tgt word, confidence[, sure]), reference links). The boilerplate line is not
# translated; only segment 1 has a reference, so only it has a reference alignment and a chrF.
ROWS = [
    ("caption", "صورة: وزير الخارجية يزور القاهرة.", "Photo: Foreign minister visits Cairo.",
     None, [(2, 3, 0.9), (3, 2, 0.8), (4, 4, 0.95), (5, 5, 0.99)], None),
    ("body", "قال الوزير إن المحادثات كانت مثمرة.", "The minister said the talks were fruitful.",
     "The minister said that the talks had been fruitful.",
     [(0, 2, 0.4), (1, 1, 0.5), (3, 4, 0.3), (4, 5, 0.2), (5, 6, 0.6)],
     [(0, 2, 0.7), (1, 1, 0.7), (2, 3, 0.6), (3, 5, 0.6), (5, 8, 0.7), (6, 9, 0.9)]),
    ("boilerplate", "حقوق النشر محفوظة", None, None, None, None),
    ("body", "وصل الوفد إلى المطار صباح اليوم.",
     "The delegation arrived at the airport this morning.", None,
     [(0, 2, 0.3), (1, 1, 0.3), (3, 5, 0.3)], None),
    ("body", "ستستمر الزيارة ثلاثة أيام.", "The visit will last three days.", None,
     [(1, 1, 0.4, False), (2, 4, 0.4), (3, 5, 0.4)], None),
]  # fmt: skip
# mean confidence 0.3, 0.4, 0.4 (three links of 0.4, a hair above in floating point), 0.91
WORST_FIRST = [3, 1, 4, 0]


def make_run(run_dir: Path) -> Path:
    """The run the pipeline writes for the article of ``ROWS`` with their translations and
    reference, the links fixed by the test."""
    article = "\n".join(row[1] for row in ROWS) + "\n"
    done = [row for row in ROWS if row[2] is not None]
    pipeline_run(
        run_dir, article, [row[2] for row in done], [row[4] for row in done],
        [row[3] for row in done], [row[5] for row in done],
    )  # fmt: skip
    assert [r["role"] for r in segment_rows(run_dir)] == [row[0] for row in ROWS]
    return run_dir


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return make_run(tmp_path / "run")


def journal_changes(run_dir: Path) -> list[dict]:
    path = run_dir / JOURNAL
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e.get("t") == "change"]


def drive(run_dir: Path, script, size=(120, 40), bidi: bool = True) -> ReviewApp:
    """Open the run, run ``script(app, pilot)`` in the headless app, return the app."""
    state = ReviewState.open(run_dir)
    app = ReviewApp(state, bidi=bidi)

    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await script(app, pilot)

    asyncio.run(go())
    return app


def view(app: ReviewApp) -> SegmentView:
    return app.query_one(SegmentView)


def SHOWN(text: str) -> str:  # noqa: N802 (reads as a constant transform in asserts)
    """What a terminal that neither shapes nor orders Arabic is sent: joined presentation
    forms in visual order."""
    return Display(app_bidi=True).text(text)


def word_at(app: ReviewApp, side: str, n: int) -> str:
    v = view(app)
    start, end = v.regions[(side, n)]
    return v.text.plain[start:end]


def style_at(app: ReviewApp, side: str, n: int):
    v = view(app)
    start, end = v.regions[(side, n)]
    styles = [s.style for s in v.text.spans if s.start <= start and s.end >= end]
    assert styles, f"no style on {side} word {n}"
    return styles[-1]


# -- the queue -----------------------------------------------------------------------------


def test_queue_is_worst_first_with_a_count_left(run_dir):
    async def script(app, pilot):
        queue = app.query_one(OptionList)
        assert [o.id for o in queue.options] == [str(i) for i in WORST_FIRST]
        assert app.current == 3  # a fresh review opens the worst segment
        pane = app.query_one("#queue-pane")
        assert "4 left of 4" in str(pane.border_title)
        await pilot.press("n")
        assert app.current == 1
        await pilot.press("n", "n", "n")  # past the end: stays
        assert app.current == 0
        await pilot.press("p")
        assert app.current == 4
        await pilot.press("a")
        assert "3 left of 4" in str(pane.border_title)
        assert "accepted" in str(queue.options[2].prompt)

    drive(run_dir, script)


def test_filters_by_status_and_role(run_dir):
    async def script(app, pilot):
        await pilot.press("a")  # accept segment 3
        await pilot.press("2")  # todo only
        assert app.order == [1, 4, 0]
        assert app.current == 1
        await pilot.press("3")  # accepted only
        assert app.order == [3]
        await pilot.press("F")  # accepted -> flagged: none
        assert app.order == []
        assert app.query_one(OptionList).option_count == 0
        assert app.current == 3  # the segment on screen stays
        await pilot.press("F")  # back to all
        assert app.order == WORST_FIRST
        await pilot.press("R")  # roles cycle: all -> body -> caption
        assert app.order == [3, 1, 4]
        await pilot.press("R")
        assert app.order == [0]
        assert app.current == 0

    drive(run_dir, script)


# -- the segment view ----------------------------------------------------------------------


def test_arabic_is_right_to_left_and_links_are_highlighted(run_dir):
    async def script(app, pilot):
        seg = app.state.by_index[3]
        text = view(app).text.plain
        assert "The delegation arrived at the airport this morning." in text
        # Each Arabic word is shown in display order, and the words of the line from right
        # to left: the first word is the rightmost one.
        shown = word_at(app, "src", 0)
        assert shown == SHOWN("وصل") and all("\ufe70" <= ch <= "\ufeff" for ch in shown)
        assert len(shown) == 3 and visual_word("وصل") == "لصو"  # joined, right to left
        assert view(app).regions[("src", 0)][0] > view(app).regions[("src", 1)][0]
        # The cursor (Arabic word 0) is reversed; its link (arrived) is highlighted.
        assert style_at(app, "src", 0).reverse
        assert word_at(app, "tgt", 2) == "arrived"
        assert style_at(app, "tgt", 2).bgcolor == LINKED.bgcolor
        assert style_at(app, "tgt", 1).bgcolor != LINKED.bgcolor
        # Each span pair has its own colour, the same on both sides.
        colour = style_at(app, "src", 0).color
        assert colour is not None and style_at(app, "tgt", 2).color == colour
        assert style_at(app, "src", 1).color == style_at(app, "tgt", 1).color != colour
        assert f"«{SHOWN('وصل')}» ↔ arrived" in text
        # Moving the cursor left goes to the next Arabic word; its link lights up instead.
        await pilot.press("left")
        assert (app.side, app.word) == ("src", 1)
        assert style_at(app, "tgt", 1).bgcolor == LINKED.bgcolor
        assert style_at(app, "tgt", 2).bgcolor != LINKED.bgcolor
        # Switching sides follows the link; the source word lights up.
        await pilot.press("tab")
        assert (app.side, app.word) == ("tgt", 1)
        assert style_at(app, "src", 1).bgcolor == LINKED.bgcolor
        assert seg.links[(1, 1)]["sure"]
        await pilot.press("n")  # segment 1 has a reference
        assert "The minister said that the talks had been fruitful." in view(app).text.plain
        await pilot.press("n")  # segment 4: a possible link is shown dim and italic
        assert style_at(app, "src", 1).italic and style_at(app, "src", 1).dim
        assert not style_at(app, "src", 2).italic

    drive(run_dir, script)


def test_terminal_bidi_shows_logical_order(run_dir):
    async def script(app, pilot):
        assert word_at(app, "src", 0) == "وصل"
        assert view(app).regions[("src", 0)][0] < view(app).regions[("src", 1)][0]

    drive(run_dir, script, bidi=False)


# -- editing -------------------------------------------------------------------------------


def test_add_link_and_toggle_sure_are_journaled(run_dir):
    async def script(app, pilot):
        await pilot.press(*["left"] * 4)  # Arabic word 4, صباح
        assert (app.side, app.word) == ("src", 4)
        await pilot.press("enter")  # mark it
        assert app.mark == ("src", 4)
        await pilot.press("tab")  # no link: about the same place, "airport" (5)
        assert (app.side, app.word) == ("tgt", 5)
        await pilot.press("right", "right")
        assert word_at(app, "tgt", 7) == "morning"
        await pilot.press("l")
        seg = app.state.by_index[3]
        assert seg.links[(4, 7)] == {"sure": True, "confidence": 1.0}
        last = journal_changes(run_dir)[-1]
        assert last["seg"] == 3 and last["changes"][0]["src"] == 4
        assert last["changes"][0]["tgt"] == 7 and last["changes"][0]["before"] is None
        assert f"«morning» ↔ {SHOWN('صباح')}\n" in view(app).text.plain
        assert style_at(app, "src", 4).underline  # marked (and linked)
        await pilot.press("s")
        assert seg.links[(4, 7)]["sure"] is False
        assert journal_changes(run_dir)[-1]["changes"][0]["after"]["sure"] is False
        assert f"«morning» ↔ {SHOWN('صباح')} (possible)" in view(app).text.plain
        assert style_at(app, "tgt", 7).italic
        await pilot.press("l")  # again: removed
        assert (4, 7) not in seg.links
        assert journal_changes(run_dir)[-1]["changes"][0]["after"] is None
        await pilot.press("escape")
        assert app.mark is None
        await pilot.press("l")  # no mark: nothing happens
        assert len(journal_changes(run_dir)) == 3

    drive(run_dir, script)


def test_merge_split_undo_redo(run_dir):
    async def script(app, pilot):
        seg = app.state.by_index[3]
        assert len(seg.spans()) == 3
        await pilot.press("m")  # merge the span of وصل with the next one (الوفد)
        assert (0, 1) in seg.links and len(seg.spans()) == 2
        assert journal_changes(run_dir)[-1]["changes"][0]["after"]["sure"] is True
        # one span now: one colour for both Arabic words
        assert style_at(app, "src", 0).color == style_at(app, "src", 1).color
        await pilot.press("x")  # split after وصل: the merging link goes again
        assert (0, 1) not in seg.links and len(seg.spans()) == 3
        assert journal_changes(run_dir)[-1]["changes"][0]["after"] is None
        await pilot.press("u")  # undo the split
        assert (0, 1) in seg.links
        assert journal_changes(run_dir)[-1]["kind"] == "undo"
        await pilot.press("u")  # undo the merge
        assert (0, 1) not in seg.links and len(seg.spans()) == 3
        await pilot.press("u")  # nothing left to undo
        assert (0, 1) not in seg.links
        await pilot.press("r")  # redo the merge
        assert (0, 1) in seg.links
        assert journal_changes(run_dir)[-1]["kind"] == "redo"
        await pilot.press("ctrl+y")  # redo the split
        assert (0, 1) not in seg.links
        await pilot.press("ctrl+z")
        assert (0, 1) in seg.links
        # undo in another segment brings the view back to it
        await pilot.press("n")
        assert app.current == 1
        await pilot.press("u")  # undo the merge again: back to segment 3
        assert app.current == 3 and (0, 1) not in seg.links

    drive(run_dir, script)


def test_accept_flag_and_note(run_dir):
    async def script(app, pilot):
        seg = app.state.by_index[3]
        await pilot.press("a")
        assert seg.status == "accepted"
        await pilot.press("f")
        assert seg.status == "flagged"
        await pilot.press("t")
        assert seg.status == "todo"
        await pilot.press("f")
        await pilot.press("e")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"check airport", "enter")
        assert not isinstance(app.screen, NoteScreen)
        assert seg.note == "check airport"
        assert "Note: check airport" in view(app).text.plain
        await pilot.press("N")  # shift-n edits the note too; escape cancels
        await pilot.press("x", "escape")
        assert seg.note == "check airport"
        assert not isinstance(app.screen, NoteScreen)
        changes = [c for e in journal_changes(run_dir) for c in e["changes"]]
        assert [c["after"] for c in changes] == [
            "accepted", "flagged", "todo", "flagged", "check airport"
        ]  # fmt: skip

    drive(run_dir, script)
    assert ReviewState.open(run_dir).by_index[3].note == "check airport"


def test_help_lists_every_key(run_dir):
    async def script(app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.help_text.plain
        for binding in ReviewApp.BINDINGS:
            for key in binding.key.split(","):
                assert key_label(key) in text, key
            assert HELP_LINES.get(binding.action, binding.description) in text
        assert "mark" in text and "l" in text
        await pilot.press("a")  # keys of the app do nothing under the help
        assert app.state.by_index[3].status == "todo"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

    drive(run_dir, script)


def test_export_writes_the_review_files(run_dir):
    async def script(app, pilot):
        await pilot.press("a", "E")

    drive(run_dir, script)
    out = run_dir / "review-export"
    assert (out / "review.pharaoh").read_text().splitlines()[2] == "0-2 1-1 3-5"
    assert "3\tbody\taccepted" in (out / "review.tsv").read_text()


# -- the reference side -------------------------------------------------------------------


def status_bar(app: ReviewApp) -> str:
    return str(app.query_one("#status").render())


def test_v_switches_to_the_reference_alignment_and_back(run_dir, monkeypatch):
    notes: list[str] = []

    async def script(app, pilot):
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        assert app.current == 3 and "aligned: translation" in status_bar(app)
        await pilot.press("v")  # segment 3 has no reference alignment: nothing changes
        assert app.shown == HYP and "segment 3 has no reference alignment" in notes[-1]
        await pilot.press("n")
        assert app.current == 1
        await pilot.press("v")
        assert app.shown == REF and "aligned: reference" in status_bar(app)
        text = view(app).text.plain
        assert "aligned with the reference" in text
        # the reference is the linked text now, the translation plain text below it
        assert text.index("Reference\n") < text.index("Translation\n")
        assert word_at(app, "tgt", 3) == "that" and word_at(app, "tgt", 7) == "been"
        assert style_at(app, "tgt", 2).bgcolor == LINKED.bgcolor  # قال-said on this side
        assert f"«{SHOWN('قال')}» ↔ said" in text
        # the queue holds the segments with a reference alignment, with their own counts
        assert app.order == [1]
        assert "1 left of 1" in str(app.query_one("#queue-pane").border_title)
        # link كانت (4) to "been" (7) on the reference side only
        await pilot.press(*["left"] * 4, "enter", "tab")
        assert (app.side, app.word) == ("tgt", 6)  # no link: about the same place
        await pilot.press("right", "l", "a")
        ref, hyp = app.state.aligned(1, REF), app.state.aligned(1, HYP)
        assert ref.links[(4, 7)] == {"sure": True, "confidence": 1.0} and ref.status == "accepted"
        assert (4, 7) not in hyp.links and hyp.status == "todo"
        assert [e["side"] for e in journal_changes(run_dir)] == [REF, REF]
        assert "0 left of 1" in str(app.query_one("#queue-pane").border_title)
        # back to the translation: its queue, its links, its status
        await pilot.press("v")
        assert app.shown == HYP and app.order == WORST_FIRST
        assert "aligned: translation" in status_bar(app)
        assert "4 left of 4" in str(app.query_one("#queue-pane").border_title)
        await pilot.press("n")
        assert app.current == 4
        # undo goes back to the segment and the side of the change it undoes
        await pilot.press("u")
        assert (app.current, app.shown) == (1, REF) and ref.status == "todo"
        await pilot.press("u")
        assert (4, 7) not in ref.links
        await pilot.press("r", "q")

    drive(run_dir, script)
    snapshot = json.loads((run_dir / SNAPSHOT).read_text())
    assert [4, 7, True, 1.0] in snapshot["reference_segments"]["1"]["links"]
    assert snapshot["position"]["side"] == REF

    async def resumed(app, pilot):  # a reopened review resumes on the reference side
        assert (app.current, app.shown, app.order) == (1, REF, [1])

    drive(run_dir, resumed)


def test_export_key_writes_both_sides(run_dir):
    async def script(app, pilot):
        await pilot.press("n", "v", "f", "E")

    drive(run_dir, script)
    out = run_dir / "review-export"
    assert (out / "review.ref.tsv").read_text().splitlines()[1].startswith("1\tbody\tflagged")
    assert (out / "review.ref.tok.txt").read_text() == (
        "The minister said that the talks had been fruitful .\n"
    )
    assert (out / "review.hyp.tok.txt").read_text().splitlines()[1] == (
        "The minister said the talks were fruitful ."
    )
    assert "1\tbody\ttodo" in (out / "review.tsv").read_text()


# -- never lose an edit --------------------------------------------------------------------


def test_quit_compacts_and_reopening_resumes(run_dir):
    async def script(app, pilot):
        await pilot.press("n", "a", "left", "left", "tab")
        assert (app.current, app.side, app.word) == (1, "tgt", 2)
        await pilot.press("q")

    app = drive(run_dir, script)
    assert (run_dir / JOURNAL).read_bytes() == b""
    snapshot = json.loads((run_dir / SNAPSHOT).read_text())
    assert snapshot["segments"]["1"]["status"] == "accepted"
    assert snapshot["position"] == {"segment": 1, "cursor": ["tgt", 2], "side": HYP}
    assert app.return_code in (0, None)

    state = ReviewState.open(run_dir)
    assert state.by_index[1].status == "accepted"

    async def resumed(app, pilot):
        assert (app.current, app.side, app.word) == (1, "tgt", 2)

    drive(run_dir, resumed)


def test_any_exit_compacts(run_dir):
    async def script(app, pilot):
        await pilot.press("f")
        app.exit()  # not through q

    drive(run_dir, script)
    assert (run_dir / JOURNAL).read_bytes() == b""
    assert ReviewState.open(run_dir).by_index[3].status == "flagged"


def test_torn_journal_is_replayed_and_reported(run_dir):
    state = ReviewState.open(run_dir)
    state.set_status(1, "accepted")
    state.add_link(1, 2, 3)
    state._journal.close()  # as if killed: no compaction
    with (run_dir / JOURNAL).open("ab") as f:
        f.write(b'{"t":"change","kind":"edit","seg":1,"chan')

    async def script(app, pilot):
        assert app.state.torn and "cut off" in app.state.torn
        banner = app.query_one("#banner")
        assert banner.display and "cut off" in str(banner.render())
        assert app.state.by_index[1].status == "accepted"
        assert (2, 3) in app.state.by_index[1].links
        await pilot.press("n")  # a new edit after the torn line is journaled cleanly
        await pilot.press("a")

    drive(run_dir, script)
    state = ReviewState.open(run_dir)
    assert state.torn is None
    assert state.by_index[1].status == "accepted"


def test_narrow_terminal_stacks_the_queue(run_dir):
    assert NARROW == 80

    async def script(app, pilot):
        body = app.query_one("#body")
        queue, pane = app.query_one("#queue-pane"), app.query_one("#segment-pane")
        assert body.has_class("narrow")
        assert queue.region.bottom <= pane.region.y  # the queue above the segment
        assert pane.region.width >= 50 and pane.region.height >= 10
        seg = view(app)
        assert seg.region.width > 0 and seg.region.height > 0
        # the Arabic is wrapped (and right-aligned) to the narrow view
        arabic = [x for x in seg.text.plain.splitlines() if SHOWN("وصل") in x]
        assert arabic and all(len(x) <= seg.content_size.width for x in arabic)
        assert SHOWN("وصل") in seg.text.plain
        await pilot.press("left", "enter", "tab", "right", "l", "a")
        assert app.state.by_index[3].status == "accepted"
        assert app.state.by_index[3].links[(1, 2)]["sure"]

    drive(run_dir, script, size=(60, 30))


def test_long_arabic_wraps_in_reading_order(run_dir):
    async def script(app, pilot):
        text, regions = app.build_segment_text(20)
        lines = text.plain.splitlines()
        first = lines.index("Arabic") + 1
        # The first screen line holds the first words, right-aligned and right to left.
        assert lines[first].endswith(SHOWN("وصل")) and len(lines[first]) == 20
        assert lines[first] == SHOWN("وصل الوفد إلى المطار")  # 20 columns: four words
        assert lines[first + 1] == " " * 9 + SHOWN("صباح اليوم.")
        starts = [regions[("src", n)][0] for n in range(7)]
        assert starts[3] < starts[2] < starts[1] < starts[0] < starts[6] < starts[5] < starts[4]

    drive(run_dir, script)


def test_a_run_with_nothing_translated(tmp_path):
    """An article of boilerplate only: the pipeline translates nothing."""
    article = "حقوق النشر محفوظة\nشارك عبر: فيسبوك تويتر واتساب\n"
    run_dir = pipeline_run(tmp_path / "run", article, [], [])
    assert [r["translated"] for r in segment_rows(run_dir)] == [False, False]

    async def script(app, pilot):
        assert app.current is None
        assert "Nothing to review" in view(app).text.plain
        await pilot.press("n", "a", "l", "m", "x", "u", "left", "tab", "e", "2", "v")
        assert app.current is None and app.target == HYP

    drive(run_dir, script)


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["no-segments", "schema-0", "row-a-list"])
def test_cli_refuses_a_bad_run_dir(run_dir, damage, capsys):
    if damage == "no-segments":
        (run_dir / "segments.jsonl").unlink()
    elif damage == "schema-0":
        (run_dir / "manifest.json").write_text(json.dumps({"schema_version": 0}))
    else:
        rewrite(run_dir, "segments.jsonl", "[]\n")
    assert main(["review", str(run_dir)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "error" in err and "Traceback" not in err
    expected = {"no-segments": "segments.jsonl: missing", "schema-0": "schema version 0",
                "row-a-list": "line 1 is not a segment record"}[damage]  # fmt: skip
    assert expected in err


def test_a_full_disk_refuses_the_edit_and_says_so(run_dir, monkeypatch):
    """The journal write comes first: when the disk refuses it, the edit is not made (so
    the screen never shows what is not saved), the reason is shown, and the app goes on."""
    import errno

    from tests.faults import refuse_writes

    notes: list[str] = []

    async def script(app, pilot):
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        refuse_writes(monkeypatch, run_dir, errno.ENOSPC)
        before = len(journal_changes(run_dir))
        await pilot.press("a")
        assert app.state.by_index[app.current].status == "todo"
        assert any("No space left on device" in n and "not made" in n for n in notes)
        monkeypatch.undo()  # space again: the same key now works
        await pilot.press("a")
        assert app.state.by_index[app.current].status == "accepted"
        assert len(journal_changes(run_dir)) == before + 1

    drive(run_dir, script)


def test_a_path_with_brackets_is_shown_as_it_is(tmp_path):
    """Messages are plain text: a folder named with "[" and "]" is no markup."""
    run = make_run(tmp_path / "run[" / "]x [v2]")
    seen: list = []

    async def script(app, pilot):
        await pilot.press("E")
        await pilot.pause()
        seen.extend((n.message, n.markup) for n in app._notifications)

    app = drive(run, script)
    assert app.return_code in (0, None)
    assert (run / "review-export" / "review.tsv").is_file()
    # (Textual would read markup at the toast's first paint, where "[/]" is an error)
    assert (f"exported 14 files to {run / 'review-export'}", False) in seen, seen


def test_an_export_the_e_key_cannot_write_says_what_to_do_instead(run_dir):
    """E writes to RUN/review-export; the sentence for --export ("give a folder") alone
    asked for an option the key has none of."""
    (run_dir / "review-export").write_text("mine\n")
    seen: list = []

    async def script(app, pilot):
        await pilot.press("E")
        await pilot.pause()
        seen.extend(n.message for n in app._notifications)

    drive(run_dir, script)
    [said] = [m for m in seen if m.startswith("export failed")]
    assert f"E exports to {run_dir / 'review-export'}, which is a file: move it aside" in said
    assert "review RUN_DIR --export DIR" in said and "--export " + str(run_dir) not in said
    assert "give a folder" not in said
    assert (run_dir / "review-export").read_text() == "mine\n"
    # nor when a folder stands where one of its files goes
    (run_dir / "review-export").unlink()
    (run_dir / "review-export" / "review.tsv").mkdir(parents=True)
    seen.clear()
    drive(run_dir, script)
    [said] = [m for m in seen if m.startswith("export failed")]
    assert "review.tsv is not a regular file. E always exports to" in said
    assert "give another folder" not in said


def test_a_review_json_that_cannot_be_written_keeps_the_journal_and_says_so(
    run_dir, monkeypatch, capsys
):
    """Quitting on a full disk: the journal keeps every edit and the command ends with one
    sentence and status 2."""
    import errno

    from tests.faults import refuse_writes

    async def script(app, pilot):
        await pilot.press("a")
        refuse_writes(monkeypatch, run_dir, errno.ENOSPC)
        await pilot.press("q")

    app = drive(run_dir, script)
    monkeypatch.undo()
    assert "every edit is kept" in str(app.close_error)
    assert not (run_dir / SNAPSHOT).exists()
    assert ReviewState.open(run_dir).by_index[3].status == "accepted"

    # the command says it once the terminal is back
    def quit_on_a_full_disk(self, *args, **kwargs):
        refuse_writes(monkeypatch, run_dir, errno.ENOSPC)
        self.close_state()

    import align.cli

    monkeypatch.setattr(align.cli, "_has_terminal", lambda: True)
    monkeypatch.setattr(ReviewApp, "run", quit_on_a_full_disk)
    code = main(["review", str(run_dir)])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 2 and "every edit is kept" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert ReviewState.open(run_dir).by_index[3].status == "accepted"


def test_without_a_terminal_review_says_so(run_dir, capsys):
    before = run_dir.stat().st_mtime_ns
    assert main(["review", str(run_dir)]) == 2  # pytest's stdin is no terminal
    assert run_dir.stat().st_mtime_ns == before  # not even tried for writing
    err = capsys.readouterr().err
    assert "needs a terminal" in err and "--export" in err
    assert len(err.strip().splitlines()) == 1
    assert not (run_dir / JOURNAL).exists() and not (run_dir / SNAPSHOT).exists()
    ReviewState.open(run_dir, hold=True).release()  # and the run is not held


def test_the_terminal_is_stdin_and_the_stderr_the_app_draws_on(monkeypatch):
    import sys

    import align.cli

    class Stream:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    for stdin, stdout, stderr, usable in [
        (True, False, True, True),  # `review RUN > log`: the app still draws on stderr
        (True, True, False, False),  # `review RUN 2> log`: it would draw into the file
        (False, True, True, False),  # no keys to read
    ]:
        monkeypatch.setattr(sys, "stdin", Stream(stdin))
        monkeypatch.setattr(sys, "stdout", Stream(stdout))
        monkeypatch.setattr(sys, "__stderr__", Stream(stderr))
        assert align.cli._has_terminal() is usable


def test_a_bidi_control_quoted_in_a_finding_is_shown_as_an_escape(tmp_path):
    from tests.conftest import seed_translation_run

    added = " Boeing Lufthansa \u202eParis Berlin Toyota Siemens gathered"
    run = seed_translation_run(tmp_path, {0: added})
    state = ReviewState.open(run)
    app = ReviewApp(state, bidi=True)
    seg = state.by_index[0]
    assert any("\u202e" in f.message for f in seg.findings)
    shown = app._findings_text(seg, 200).plain
    assert "\u202e" not in shown and "\\u202e" in shown
    assert "Siemens gathered" in shown  # the words after it in their own order


def _one_line_run(tmp_path: Path, translation: str) -> Path:
    article = tmp_path / "a.txt"
    article.write_text("وصل الرئيس إلى موسكو يوم 28 مارس.\n", encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    hyp.write_text(translation + "\n", encoding="utf-8")
    run = tmp_path / "run"
    assert main(["run", str(article), "--hyp", str(hyp), "--align-method", "lexical",
                 "--out", str(run)]) == 0  # fmt: skip
    return run


def test_a_number_after_quoted_arabic_keeps_its_place_in_a_finding(tmp_path):
    """The bidi algorithm joins a number after an Arabic letter to the Arabic: "repeats
    'موسكو' 6 times" came out as "repeats '6 'موسكو times"."""
    run = _one_line_run(tmp_path, "The president arrived in Moscow on March 28 " + "موسكو " * 6)
    state = ReviewState.open(run)
    seg = state.by_index[0]
    assert any("6 times" in f.message for f in seg.findings)
    shown = ReviewApp(state, bidi=True)._findings_text(seg, 200).plain
    assert f"repeats '{SHOWN('موسكو')}' 6 times in a row." in shown


def test_an_arabic_phrase_in_the_translation_reads_right_to_left(tmp_path):
    run = _one_line_run(tmp_path, "The president said وصل الرئيس إلى موسكو on March 28.")
    state = ReviewState.open(run)
    app = ReviewApp(state, bidi=True)
    app.current = 0
    text, regions = app.build_segment_text(200)
    lines = text.plain.splitlines()
    line = lines[lines.index("Translation") + 1]
    assert line == f"The president said {SHOWN('وصل الرئيس إلى موسكو')} on March 28."
    # each word is still the word the cursor points at
    starts = [regions[("tgt", n)][0] for n in range(11)]
    assert starts[:3] == sorted(starts[:3]) and starts[6] < starts[5] < starts[4] < starts[3]
    assert starts[3] < starts[7] < starts[8] < starts[9] < starts[10]


def test_a_latin_name_in_the_arabic_reads_left_to_right(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("قال جو بايدن Joe Biden في 28 مارس.\n", encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("Joe Biden said on March 28.\n", encoding="utf-8")
    run = tmp_path / "run"
    assert main(["run", str(article), "--hyp", str(hyp), "--align-method", "lexical",
                 "--out", str(run)]) == 0  # fmt: skip
    app = ReviewApp(ReviewState.open(run), bidi=True)
    app.current = 0
    text, _ = app.build_segment_text(200)
    lines = text.plain.splitlines()
    line = lines[lines.index("Arabic") + 1].strip()
    assert line == SHOWN("قال جو بايدن Joe Biden في 28 مارس.")
    assert "Joe Biden" in line


def test_g_follows_the_queue_on_screen_after_an_edit_changed_the_order(tmp_path):
    """An edit changes a segment's confidence, and so where a queue made now would put it;
    the queue on screen (and n/p) keeps its order until it is refilled. g made a queue of
    its own and could skip the segment after the current one on screen."""
    from tests.conftest import seed_translation_run

    # Arabic left in the translation: a finding in each of these lines
    run = seed_translation_run(tmp_path, dict.fromkeys((1, 3, 5, 7), " موسكو"))

    async def script(app, pilot):
        shown = [i for i in app.order if app.state.by_index[i].findings]
        assert len(shown) >= 3
        first, second = shown[0], shown[1]
        fresh = list(app.order)  # as an edit of `first` would reorder a new queue:
        fresh.remove(first)  # `first` now after `second`
        fresh.insert(fresh.index(second) + 1, first)
        app.state.queue = lambda *args, **kwargs: list(fresh)
        app._go(first)
        app.finding = len(app.segment.findings) - 1
        await pilot.press("g")
        assert app.current == second

    drive(run, script)


def test_l_with_the_mark_on_the_same_side_says_where_to_go(run_dir, monkeypatch):
    notes: list[str] = []

    async def script(app, pilot):
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        await pilot.press("l")
        assert notes[-1].startswith("mark a word first (enter)")
        await pilot.press("enter", "right", "l")  # marked, then moved on the same side
        assert notes[-1].startswith("the marked word is on this side: Tab to the other side")

    drive(run_dir, script)


def _laid_out(words: list[str], seps: list[str], base: str) -> str:
    from align.review.app import _boundary
    from align.review.display import word_order

    order = word_order(words, seps, base)
    place = {at: k for k, at in enumerate(order)}
    out = ""
    for k, at in enumerate(order):
        out += (seps[_boundary(order[k - 1], at, place)] if k else "") + words[at]
    return out


@pytest.mark.parametrize(
    ("words", "seps", "base", "shown"),
    [
        # the separators at a reversed run's ends are the text's own (no space was there)
        (["He", "said", "(", "وصل", "الرئيس", ")", "today", "."],
         ["", " ", " ", "", " ", "", " ", ""], "L", "He said (الرئيس وصل) today."),
        # a zero-width non-joiner inside a word (dropped by the algorithm) shifts nothing
        (["The", "pre\u200c\u200c\u200c\u200c\u200csident", "of", "Iran", "الرئيس", "الجديد"],
         ["", " ", " ", " ", " ", " "], "L",
         "The pre\u200c\u200c\u200c\u200c\u200csident of Iran الجديد الرئيس"),
        (["قال", "وزير\u200cالخارجية", "John", "Kirby", "اليوم", "."],
         ["", " ", " ", " ", " ", ""], "R", ".اليوم John Kirby وزير\u200cالخارجية قال"),
        # a right-to-left override inside one English word turns nothing around
        (["The", "quick", "br\u202eown", "fox", "jumps"], ["", " ", " ", " ", " "], "L",
         "The quick br\u202eown fox jumps"),
    ],
)  # fmt: skip
def test_words_are_laid_out_by_what_shows(words, seps, base, shown):
    assert _laid_out(words, seps, base) == shown


def test_a_wrapped_finding_keeps_the_number_after_its_quote(tmp_path):
    """Isolated before wrapping, a message's quote lost its isolate's end to the next line
    and the count after it was pulled into the Arabic again."""
    run = _one_line_run(
        tmp_path, "The president said " + "وصل الرئيس إلى موسكو يوم السبت " * 3 + "today."
    )
    state = ReviewState.open(run)
    seg = state.by_index[0]
    repeated = [f for f in seg.findings if f.check == "repetition"]
    assert repeated and " 3 times in a row" in repeated[0].message
    shown = ReviewApp(state, bidi=True)._findings_text(seg, 80).plain
    assert "' 3 times in a row." in shown or "'\n3 times in a row." in shown.replace(" \n", "\n")


def test_a_number_inside_a_quote_stays_inside_it():
    from align.errors import isolate_runs

    line = isolate_runs("The source words “وصل الرئيس إلى موسكو يوم 28” (5 content words)")
    assert "\u2068وصل الرئيس إلى موسكو يوم 28\u2069”" in line
    assert SHOWN(line).startswith("The source words “28 ")


def test_arrows_move_to_the_word_beside_on_screen(tmp_path):
    """Inside an Arabic phrase laid out right to left in the translation, → moved to the
    next word of the text, which is on the left there."""
    run = _one_line_run(tmp_path, "The president said وصل الرئيس إلى موسكو on March 28.")

    async def script(app, pilot):
        await pilot.press("tab")  # the translation
        assert app.side == "tgt"
        app.word = 2  # "said"
        app._show()
        await pilot.pause()
        seen = []
        for _ in range(6):
            await pilot.press("right")
            seen.append(app.word)
        # on screen: said, موسكو (6), إلى (5), الرئيس (4), وصل (3), on (7), March (8)
        assert seen == [6, 5, 4, 3, 7, 8]
        for _ in range(6):
            await pilot.press("left")
        assert app.word == 2

    drive(run, script)
