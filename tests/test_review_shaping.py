"""Arabic on the review app's screen: the display function (shaping with arabic-reshaper,
visual order with python-bidi), who does that work (the app, or a terminal detected to do bidi
itself), and the app in a real terminal (tmux) drawing a typed Arabic note joined and right to
left, while the note saved stays the logical text."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from align import AlignmentSettings, Pipeline
from align.review.app import NoteScreen, ReviewApp
from align.review.display import Display, detect, isolate, wrap
from align.review.journal import JOURNAL
from align.review.state import ReviewState
from tests import test_review_tmux as review_tmux
from tests.conftest import ROOT, SEED

WORD = "تنبيههم"  # "their warning"; the status line once showed it as «مههيبنت»
# its letters joined: initial teh, medial noon, beh, yeh, heh, heh, final meem, in visual
# order (left to right on screen: the last letter first)
WORD_SHOWN = "\ufee2\ufeec\ufeec\ufef4\ufe92\ufee8\ufe97"
NOTE = "تنبيههم 12 مرة"  # "warning them 12 times": the number must stay readable
NOTE_SHOWN = "ﺓﺮﻣ 12 ﻢﻬﻬﻴﺒﻨﺗ"
APP = Display(app_bidi=True)
TERMINAL = Display(app_bidi=False)


def any_presentation_form(text: str) -> bool:
    return any("\ufe70" <= ch <= "\ufeff" for ch in text)


def presentation_forms(text: str) -> bool:
    """Whether every Arabic letter of ``text`` is a presentation form (U+FE70–U+FEFF)."""
    letters = [ch for ch in text if "\u0600" <= ch <= "\u06ff" or "\ufe70" <= ch <= "\ufeff"]
    return bool(letters) and all("\ufe70" <= ch <= "\ufeff" for ch in letters)


# -- the display function ------------------------------------------------------------------


def test_a_word_is_joined_and_in_visual_order():
    shown = APP.text(WORD)
    assert shown == WORD_SHOWN
    assert presentation_forms(shown) and len(shown) == len(WORD)
    assert shown[0] == "\ufee2" and shown[-1] == "\ufe97"  # final meem left, initial teh right
    assert APP.text(WORD) != WORD[::-1]  # not merely reversed: the letters are joined


def test_logical_text_goes_to_a_terminal_that_does_bidi():
    for text in (WORD, NOTE, "«وصل» ↔ arrived", "Note: check the time", "مرحبا\nبكم"):
        assert TERMINAL.text(text) == text
        assert TERMINAL.text(text, base="L") == text
        assert TERMINAL.lines(text, 8) == wrap(text, 8)
        assert TERMINAL.block(text, 8) == text


def test_text_without_arabic_is_left_alone():
    for text in ("Segment 3 · body · 4 links", "11:15 (a) [b] «c»", ""):
        assert APP.text(text) == text
        assert APP.text(text, base="L") == text


def test_numbers_and_latin_stay_readable_in_arabic_lines():
    # An Arabic paragraph: right to left, but 12, 11:15 and abc read left to right.
    assert APP.text(NOTE) == NOTE_SHOWN
    assert APP.text("قال 28 مارس 11:15 abc") == "abc 11:15 ﺱﺭﺎﻣ 28 ﻝﺎﻗ"
    # An English line holding an Arabic word: left to right, the word in its place.
    assert APP.text(f"marked: Arabic «{isolate(WORD)}» · 3 left", base="L") == (
        f"marked: Arabic «{WORD_SHOWN}» · 3 left"
    )
    # Not isolated, the number after the word would join its right-to-left run.
    assert APP.text(f"«{WORD}» · 3 left", base="L") == f"«3 · »{WORD_SHOWN} left"
    assert APP.text("«وصل» ↔ arrived", base="L") == "«ﻞﺻﻭ» ↔ arrived"
    # Without a base, the first strong letter decides: this line is right to left (and its
    # guillemets mirrored, as right-to-left text draws them).
    assert APP.text("«وصل» ↔ arrived") == "arrived ↔ »ﻞﺻﻭ«"


def test_vowel_signs_ligatures_and_bidi_controls():
    # A vowel sign stays after (on) its letter; lam-alef is one cell; a bidi control the app
    # has applied is not sent to a terminal that would draw it.
    assert APP.text("بَيْت") == "ﺖﻴْﺑَ"
    assert APP.text("لا") == "\ufefb"
    assert APP.text("\u2067" + WORD + "\u2069") == WORD_SHOWN


def test_an_arabic_paragraph_wraps_in_reading_order():
    text = "قال المتحدث باسم مجلس الأمن القومي"
    lines = APP.lines(text, 20)
    # The first screen line holds the first words, from the right edge.
    assert [line.strip() for line in lines] == [
        APP.text("قال المتحدث باسم"),
        APP.text("مجلس الأمن القومي"),
    ]
    assert all(len(line) == 20 and presentation_forms(line) for line in lines)
    assert lines[0].endswith(APP.text("قال"))
    assert APP.block(text, 20) == "\n".join(lines)
    assert APP.block("no arabic here at all", 5) == "no arabic here at all"


# -- who does the work: detection ----------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "app_bidi", "reason"),
    [
        ({}, True, "default"),
        ({"TERM": "xterm-256color"}, True, "default"),
        ({"TERM_PROGRAM": "iTerm.app"}, True, "default"),  # iTerm2's bidi is off by default
        ({"VTE_VERSION": "7600"}, False, "VTE_VERSION=7600"),
        ({"VTE_VERSION": "5800"}, False, "VTE_VERSION=5800"),
        ({"VTE_VERSION": "5202"}, True, "VTE_VERSION=5202 < 5800"),  # before VTE's bidi
        ({"KONSOLE_VERSION": "230804"}, False, "KONSOLE_VERSION set"),
        ({"MLTERM": "3.9.3"}, False, "MLTERM set"),
        ({"TERM": "mlterm"}, False, "TERM=mlterm"),
        # tmux or screen draw the screen themselves, whatever the terminal around them
        ({"TMUX": "/tmp/tmux-0/default,1,0", "VTE_VERSION": "7600"}, True, "TMUX set"),
        ({"TMUX": "/tmp/tmux-0/default,1,0", "KONSOLE_VERSION": "1"}, True, "TMUX set"),
        ({"STY": "1.pts-0.host", "VTE_VERSION": "7600"}, True, "STY set"),
        ({"TERM": "tmux-256color", "VTE_VERSION": "7600"}, True, "TERM=tmux-256color"),
        ({"TERM": "screen"}, True, "TERM=screen"),
    ],
)
def test_detected_from_the_environment(env, app_bidi, reason):
    display = detect(env)
    assert display == Display(app_bidi=app_bidi, reason=reason)
    assert display.label == f"bidi: {'app' if app_bidi else 'terminal'} ({reason})"


def test_the_options_override_detection():
    for env in ({}, {"VTE_VERSION": "7600"}, {"TMUX": "x"}):
        assert detect(env, terminal_bidi=True) == Display(False, "--terminal-bidi")
        assert detect(env, terminal_bidi=False) == Display(True, "--no-terminal-bidi")


def test_the_cli_option_is_three_way():
    from align.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["review", "RUN"]).terminal_bidi is None
    assert parser.parse_args(["review", "RUN", "--terminal-bidi"]).terminal_bidi is True
    assert parser.parse_args(["review", "RUN", "--no-terminal-bidi"]).terminal_bidi is False


# -- the app -------------------------------------------------------------------------------


def seed_run(run_dir: Path) -> Path:
    """The seed article, aligned (lexical, no model) with its reference as the translation."""
    article, ref = SEED / "article.ar.txt", SEED / "reference.en.txt"
    settings = AlignmentSettings(method="lexical", background=False)
    Pipeline(None, alignment=settings).run(article, ref=ref, hyp=ref, out=run_dir)
    return run_dir


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    return seed_run(tmp_path_factory.mktemp("seed") / "run")


@pytest.fixture
def run_dir(seed, tmp_path) -> Path:
    shutil.copytree(seed, tmp_path / "run")
    return tmp_path / "run"


def status_bar(app: ReviewApp) -> str:
    return str(app.query_one("#status").render())


def note_changes(run_dir: Path) -> list[str]:
    path = run_dir / JOURNAL
    if not path.exists():
        return []
    notes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError):  # a line being written
            entry = json.loads(line)
            if entry.get("t") == "change":
                notes += [c["after"] for c in entry["changes"] if c.get("what") == "note"]
    return notes


def drive(run_dir: Path, script, display: Display) -> ReviewApp:
    app = ReviewApp(ReviewState.open(run_dir), display=display)

    async def go() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await script(app, pilot)

    asyncio.run(go())
    return app


def test_a_note_typed_before_the_editor_first_refreshes_is_previewed(run_dir):
    """Keys that reach the note editor before its first refresh (a fast typist, a paste on
    a loaded machine) are previewed: the editor's first preview must not undo them."""

    async def script(app, pilot):
        editor = NoteScreen(app.current, "", display=app.bidi_display)
        await app.push_screen(editor)  # mounted, not yet refreshed
        editor.query_one(Input).value = NOTE
        await pilot.pause()
        await pilot.pause()
        preview = editor.query_one("#note-preview", Static)
        assert preview.display and str(preview.render()).strip() == NOTE_SHOWN

    drive(run_dir, script, Display(app_bidi=True, reason="TMUX set"))


def test_every_arabic_line_is_shaped_and_the_note_saved_is_logical(run_dir):
    async def script(app, pilot):
        seg = app.state.by_index[app.current]
        first = seg.src_words[0].text
        text = app.query_one("#segment").text.plain
        assert presentation_forms(APP.text(first)) and APP.text(first) in text
        await pilot.press("enter")  # mark the first Arabic word: the status bar names it
        assert f"marked: Arabic «{APP.text(first)}»" in status_bar(app)
        assert "bidi: app (TMUX set)" in status_bar(app)
        assert "joined and put right to left by the app (TMUX set)" in app.help_text().plain
        await pilot.press("e")
        assert isinstance(app.screen, NoteScreen)
        app.screen.query_one(Input).value = NOTE
        await pilot.pause()
        preview = app.screen.query_one("#note-preview", Static)
        assert preview.display and str(preview.render()).strip() == NOTE_SHOWN
        await pilot.press("enter")
        assert seg.note == NOTE  # saved as typed: logical order, letters not joined
        text = app.query_one("#segment").text.plain
        assert f"Note: {NOTE_SHOWN}" in " ".join(text.split())

    app = drive(run_dir, script, Display(app_bidi=True, reason="TMUX set"))
    assert ReviewState.open(run_dir).by_index[app.current].note == NOTE


def test_a_bidi_terminal_gets_the_logical_text(run_dir):
    async def script(app, pilot):
        seg = app.state.by_index[app.current]
        text = app.query_one("#segment").text.plain
        assert seg.src_words[0].text in text and not any_presentation_form(text)
        assert "bidi: terminal (VTE_VERSION=7600)" in status_bar(app)
        assert "logical order, for the terminal" in app.help_text().plain
        await pilot.press("e")
        app.screen.query_one(Input).value = NOTE
        await pilot.pause()
        assert not app.screen.query_one("#note-preview", Static).display
        await pilot.press("enter")
        assert f"Note: {NOTE}" in app.query_one("#segment").text.plain

    drive(run_dir, script, detect({"VTE_VERSION": "7600"}))


# -- in a real terminal --------------------------------------------------------------------

TIMEOUT = 30.0  # seconds to wait for any one thing; polled, never slept through
UTF8 = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


class Tmux(review_tmux.Tmux):
    """The review tests' own tmux server, opened in the checkout."""

    def screen_or_none(self) -> str:
        """The screen, or "" once the app has quit: its pane, session and server end with
        it, and ``capture-pane`` then fails."""
        try:
            return self.screen()
        except AssertionError:
            return ""

    def start(self, command: str) -> None:
        self("new-session", "-d", "-s", self.session, "-x", "120", "-y", "40", "-c", str(ROOT),
             command)  # fmt: skip


def wait_for(what: str, check, timeout: float = TIMEOUT):
    return review_tmux.wait_for(what, check, timeout)


def review_command(run_dir: Path, *options: str) -> str:
    env = " ".join(f"{k}={v}" for k, v in UTF8.items())
    return (
        f"exec env {env} PYTHONPATH={ROOT} {sys.executable} -m align.cli review {run_dir} "
        + " ".join(options)
    )


def squeezed(screen: str) -> str:
    """The screen's lines with runs of spaces made one (right-aligned text has padding)."""
    return "\n".join(" ".join(line.split()) for line in screen.splitlines())


def test_tmux_shows_a_typed_arabic_note_joined_and_right_to_left(run_dir):
    tmux = Tmux()
    try:
        tmux.start(review_command(run_dir))  # inside tmux: the app does the work
        wait_for("the app on screen", lambda: "left of" in tmux.screen())
        wait_for("the status bar", lambda: "bidi: app (TMUX set)" in tmux.screen())
        state = ReviewState.open(run_dir)
        seg = state.by_index[state.queue(None, None)[0]]  # a fresh review opens the worst
        state.release()
        first = APP.text(seg.src_words[0].text)
        assert presentation_forms(first)
        # On a loaded machine the segment view may be drawn a moment after the status bar.
        wait_for(
            "the segment, joined",
            lambda: f"Segment {seg.index}" in (shown := tmux.screen()) and first in shown,
        )

        tmux.keys("e")
        wait_for("the note editor", lambda: f"Note on segment {seg.index}" in tmux.screen())
        tmux.text(NOTE)
        # while it is typed: joined, right to left, the number readable
        wait_for("the typed note, joined", lambda: NOTE_SHOWN in squeezed(tmux.screen()))
        tmux.keys("Enter")
        wait_for("the note in the journal", lambda: note_changes(run_dir) == [NOTE])
        wait_for("the saved note", lambda: f"Note: {NOTE_SHOWN}" in squeezed(tmux.screen()))
        # The editor's input shows the note as typed (logical order, its preview below it
        # shaped); on a loaded machine the segment view shows the saved note a moment
        # before the editor is gone.
        wait_for("the editor closed", lambda: "Note on segment" not in tmux.screen())
        screen = tmux.screen()
        assert NOTE not in screen  # no line sends it unshaped any more
        assert "bidi: app (TMUX set)" in screen
        tmux.keys("q")
        wait_for("the app to quit", lambda: "left of" not in tmux.screen_or_none(), timeout=TIMEOUT)
    finally:
        tmux.close()
    assert ReviewState.open(run_dir).by_index[seg.index].note == NOTE  # logical, as typed


def test_tmux_with_terminal_bidi_sends_logical_text(run_dir):
    tmux = Tmux()
    try:
        tmux.start(review_command(run_dir, "--terminal-bidi"))
        wait_for("the status bar", lambda: "bidi: terminal (--terminal-bidi)" in tmux.screen())
        assert not any_presentation_form(tmux.screen())
        tmux.keys("e")
        wait_for("the note editor", lambda: "Note on segment" in tmux.screen())
        tmux.text(NOTE)
        tmux.keys("Enter")
        wait_for("the note in the journal", lambda: note_changes(run_dir) == [NOTE])
        wait_for("the saved note", lambda: f"Note: {NOTE}" in tmux.screen())
        assert NOTE_SHOWN not in squeezed(tmux.screen())
    finally:
        tmux.close()
