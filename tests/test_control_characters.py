"""Control characters, invisible marks and file names that are not UTF-8, from the user's
files to every output: the terminal never receives a control character from a text or a
name, the report is written whatever a path holds, an invisible translation is empty, and
a document reference's lines end where an article's do."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

from align.cli import main
from align.errors import printable
from align.review.app import ReviewApp
from align.review.display import Display
from align.review.state import ReviewState
from align.run import Run
from align.score.docalign import reference_sentences

ARTICLE = "قال المتحدث إن الهجوم وقع في موسكو.\nوصل الرئيس إلى موسكو يوم 28 مارس.\n"
HYP = "The spokesman said the attack happened in Moscow.\nThe president arrived on March 28.\n"
# An escape sequence that sets the terminal's title, one that clears the screen, a hidden
# hyperlink, BEL, a C1 control (CSI) and DEL.
NASTY = "\x1b]0;PWNED\x1b\\ \x1b[2J \x1b]8;;http://evil.example\x07CLICK\x1b]8;;\x07 \x9b31m \x7f"
# what the terminal must never be sent (a newline aside)
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _run(tmp_path: Path, hyp: str, ref: str | None = None, name: str | bytes = "run") -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir(exist_ok=True)
    (inputs / "article.ar.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "hyp.txt").write_text(hyp, encoding="utf-8")
    args = ["run", str(inputs / "article.ar.txt"), "--hyp", str(inputs / "hyp.txt")]
    if ref is not None:
        (inputs / "ref.txt").write_text(ref, encoding="utf-8")
        args += ["--ref", str(inputs / "ref.txt")]
    out = os.path.join(os.fsencode(tmp_path), os.fsencode(name))
    assert main([*args, "--align-method", "lexical", "--out", os.fsdecode(out)]) == 0
    return Path(os.fsdecode(out))


@pytest.mark.parametrize("app_bidi", [True, False])
def test_the_review_display_draws_controls_as_symbols(app_bidi):
    """Each control character becomes one visible character of one cell (the words keep
    their places); a newline stays a line break."""
    display = Display(app_bidi=app_bidi)
    for text in (f"English {NASTY} text", f"نص {NASTY} عربي"):
        for shown in (
            display.text(text),
            display.block(text, 30),
            "\n".join(display.lines(text, 30)),
        ):
            assert not CONTROL.search(shown), repr(shown)
        assert len(display.text(text)) == len(text)
    assert "␛]0;PWNED" in display.text(NASTY) and "\u2421" in display.text(NASTY)
    assert display.text("two\nlines\tand a tab") == "two\nlines and a tab"


def test_the_review_app_sends_no_control_character_of_a_text(tmp_path):
    """A translation and a reference holding escape sequences: every segment the app shows,
    with its findings and the plain reference under the aligned translation, and every
    message, is free of control characters."""
    run = _run(
        tmp_path,
        HYP.replace("attack", f"attack {NASTY}"),
        HYP.replace("spokesman", f"spokes{NASTY}man"),
        name="run\x1b[2J",
    )
    state = ReviewState.open(run)
    app = ReviewApp(state, bidi=True)
    shown: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(120, 50)) as pilot:
            await pilot.pause()
            for _ in range(len(app.order) + 1):
                text, _ = app.build_segment_text(100)
                shown.append(text.plain)
                await pilot.press("v")  # the reference side, then back, then the next
                await pilot.pause()
                text, _ = app.build_segment_text(100)
                shown.append(text.plain)
                await pilot.press("v", "n")
                await pilot.pause()
            await pilot.press("E")  # a notification naming the run folder
            await pilot.pause()
            shown.extend(n.message for n in app._notifications)

    asyncio.run(go())
    assert any("PWNED" in s for s in shown) and any("exported" in s for s in shown)
    for s in shown:
        assert not CONTROL.search(s), repr(s)


def test_compare_prints_no_control_character_of_a_name_or_text(tmp_path, capsys):
    """A system named by a file whose name holds an escape sequence and a "|", texts
    holding escape sequences: the table keeps its columns and the terminal gets escapes."""
    (tmp_path / "ref.txt").write_text(HYP, encoding="utf-8")
    evil = tmp_path / "a|b\x1b[2J\u202e.txt"
    evil.write_text(HYP.replace("Moscow", f"Moscow {NASTY}"), encoding="utf-8")
    other = tmp_path / "plain.txt"
    other.write_text(HYP.replace("spokesman", "speaker"), encoding="utf-8")
    args = ["compare", str(evil), str(other), "--ref", str(tmp_path / "ref.txt")]
    assert main([*args, "--bootstrap", "10", "--randomization", "10"]) == 0
    out = capsys.readouterr().out
    assert not CONTROL.search(out.replace("\n", "")) and "\u202e" not in out
    row = next(line for line in out.splitlines() if line.startswith("| a"))
    assert row.startswith("| a\\|b\\x1b[2J\\u202e | ") and row.count(" | ") == 6, row
    # a line break in a file name stays on the name's row, and in its footnote
    broken = tmp_path / "x\ny|z.txt"
    evil.rename(broken)
    args = ["compare", str(broken), str(other), "--ref", str(tmp_path / "ref.txt")]
    assert main([*args, "--bootstrap", "10", "--randomization", "10"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| x"))
    assert row.startswith("| x\\x0ay\\|z | ") and row.count(" | ") == 6, row
    assert not any(line.startswith(("y|z", "y\\|z")) for line in out.splitlines()), out


def test_the_report_of_a_run_folder_named_in_bytes_that_are_not_utf8(tmp_path):
    run = _run(tmp_path, HYP, name=b"run\xff")
    page = tmp_path / "report.html"
    assert main(["report", os.fsdecode(run), "-o", str(page)]) == 0
    assert "run\\xff" in page.read_text(encoding="utf-8")


def test_a_translation_of_invisible_marks_is_empty(tmp_path):
    """A zero-width space and a bidi override are no text: the translation is empty for the
    length check as it is for the omission check."""
    run = _run(tmp_path, HYP.splitlines()[0] + "\n\u200b\u202e \u2060\n")
    found = {
        (s.index, f.check, f.kind, f.severity) for s in Run.open(run).segments for f in s.findings
    }
    assert (1, "length", "empty", "error") in found, found
    assert (1, "omission", "missing", "warning") in found, found


def test_a_document_reference_breaks_lines_where_an_article_does():
    """A form feed, a vertical tab, NEL or U+2028 inside a line (text pasted from a word
    processor) ends no line: read as lines, the same text keeps them inside its items."""
    text = "One sentence.\r\nword\u2028another\x0cthird\x0bfourth\x85fifth.\rLast one."
    assert reference_sentences(text) == [
        "One sentence.",
        "word\u2028another\x0cthird\x0bfourth\x85fifth.",
        "Last one.",
    ]


def test_printable_shows_the_arabic_letter_mark():
    assert printable("a\u061cb") == "a\\u061cb"


@pytest.mark.parametrize("nothing", ["...", "\u200b", "", " — "])
def test_a_translation_without_words_is_said_alike_whatever_it_holds(tmp_path, nothing):
    # "..." is no translation: the length check says so as the omission check does, and
    # gives no ratio of it; the number and name checks leave it to them (the source's 28
    # and Moscow), as they leave an empty line.
    run = _run(tmp_path, HYP.splitlines()[0] + f"\n{nothing}\n")
    (segment,) = [s for s in Run.open(run).segments if s.index == 1]
    said = {(f.check, f.kind): f.message for f in segment.findings}
    assert set(said) == {("length", "empty"), ("omission", "missing")}, said
    assert said[("omission", "missing")].startswith("The translation has no words")
