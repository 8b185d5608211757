"""The review app: a queue of segments and one segment's alignment, edited from the keyboard.

It only shows a ``ReviewState`` and calls its methods; every edit is journaled by the state
before it reaches the screen, and the journal is compacted when the app exits, whatever the
way out. Links are made by **marking** a word (enter or space) and pressing ``l`` on a word
of the other side: the link between the two is added, or removed when it was there. ``v``
switches what the Arabic is aligned with, the translation or the reference (when the run
aligned one); each has its own links, status and note.

Findings of the translation checks: the queue lists the segments with findings first (the
worst first, marked E, W or I); the words a finding is about are shown with a background of
its severity's colour (the finding under review, ``g``, also double-underlined), and the
segment's findings are listed under it with the verdicts given. ``g`` goes to the next
finding (then to the next segment with findings), ``y`` says the finding is right, ``w``
that it is wrong (the same key again takes the verdict back); each verdict is journaled.

Arabic is shown right to left. Every line that can carry Arabic goes through one function,
``Display.text`` (``align.review.display``): where the terminal does neither bidi nor shaping
(most do neither; tmux never does) the app joins the letters (Arabic presentation forms) and
puts the line in visual order; the source is laid out word by word (the words of a line in
reverse, right-aligned), so that every word stays one unit on screen that can carry its own
colour. Where the terminal does both (detected, or ``--terminal-bidi``) the text goes out in
logical order. Only what is drawn changes: notes and the journal hold the logical text.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from bidi import get_display
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from align.errors import OutputError, UserError, printable
from align.records import not_a_folder
from align.review.display import Display, has_rtl, isolate, marks_after_base, word_order
from align.review.export import export
from align.review.journal import JOURNAL
from align.review.state import HYP, REF, SIDE_NAMES, Aligned, ReviewState, Segment

NARROW = 80  # below this many columns the queue goes above the segment, not beside it
EXPORT_DIR = "review-export"
STATUS_FILTERS: tuple[str | None, ...] = (None, "todo", "accepted", "flagged")
PALETTE = (
    "cyan", "magenta", "green", "yellow", "blue", "red",
    "bright_cyan", "bright_magenta", "bright_green", "bright_yellow", "bright_blue", "bright_red",
)  # fmt: skip
CURSOR = Style(reverse=True, bold=True)
LINKED = Style(bgcolor="grey35", bold=True, underline=True)
MARKED = Style(color="white", bgcolor="dark_magenta", underline=True, bold=True)
POSSIBLE = Style(italic=True, dim=True)
# The words a finding is about, by its severity; the finding under review is also
# double-underlined.
FINDING_STYLES = {
    "error": Style(bgcolor="#5f0000"),
    "warning": Style(bgcolor="#5f4b00"),
    "info": Style(bgcolor="#00305f"),
}
CURRENT_FINDING = Style(underline2=True, bold=True)
SEVERITY_LETTER = {"error": "E", "warning": "W", "info": "I"}
ENDS = ("src", "tgt")  # the two ends of a link: the Arabic and the English
QUEUE_HEAD = "   #! role      status   conf  chrF"

# What the help screen says of an action, where the footer's word is too short.
HELP_LINES = {
    "link": "link the marked word and the cursor word (or unlink them)",
    "sure": "make that link sure / possible",
    "merge": "merge the cursor word's span with the next span",
    "split": "split the span after the cursor's Arabic word",
    "switch_target": "align the Arabic with the translation / the reference",
    "accept": "accept the segment",
    "flag": "flag the segment",
    "note": "write a note on the segment",
    "undo": "undo the last edit",
    "redo": "redo what was undone",
    "export": "export the review (both sides) to the run's review-export/",
    "next_finding": "go to the next finding (then the next segment with findings)",
    "finding_right": "the finding under review is right (again: take the verdict back)",
    "finding_wrong": "the finding under review is wrong (again: take the verdict back)",
    "quit": "quit (the journal is compacted into review.json)",
}

KEY_LABELS = {
    "question_mark": "?",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "enter": "enter",
    "space": "space",
    "escape": "esc",
    "tab": "tab",
}


def key_label(key: str) -> str:
    """How the help screen writes a key of ``BINDINGS``."""
    return KEY_LABELS.get(key, key)


def visual_word(word: str) -> str:
    """A word's characters in display order (right-to-left letters reversed by python-bidi),
    with each combining mark (a vowel sign) kept after the letter it belongs to; not shaped
    (the screen shows ``Display.text``, which shapes too)."""
    shown = get_display(word)
    return word if shown == word else marks_after_base(shown)


def _boundary(left: int, right: int, place: dict[int, int]) -> int:
    """The word whose separator (the text before it) goes between two words shown side by
    side (``left`` then ``right``, by their places in the line's logical order; ``place``:
    each word's place on screen). Neighbours in the text keep the separator between them;
    a word next to a reversed run meets the run at one of its ends, and the separator there
    is the one the text has at that end: after the lower word when the word after it is on
    the higher word's side of the pair, else before the higher word."""
    lo, hi = min(left, right), max(left, right)
    if hi == lo + 1:
        return hi
    edge = place[left]
    return lo + 1 if (place[lo + 1] > edge) == (place[hi] > edge) else hi


def _status_label(status: str) -> str:
    return {"todo": "todo", "accepted": "accepted", "flagged": "FLAGGED"}.get(status, status)


# -- widgets ------------------------------------------------------------------------------


class Queue(OptionList, can_focus=False):
    """The segments to review, worst first; the app's keys move through it."""


class SegmentPane(VerticalScroll, can_focus=False):
    """The pane the segment scrolls in. Never focused (a focused scroll view would take ↑
    and ↓ from the app whenever the segment is taller than the pane): the app scrolls it,
    to the cursor's word and to the finding under review, and with page up and page down."""


class SegmentView(Static):
    """One segment: Arabic source, translation, reference, in span colours.

    After each build, ``text`` is the rendered Text and ``regions`` maps ``(side, word)`` to
    the ``(start, end)`` of that word in it, so what is highlighted can be checked."""

    def __init__(self, app_: ReviewApp, **kwargs) -> None:
        super().__init__(**kwargs)
        self._review = app_
        self.text = Text()
        self.regions: dict[tuple[str, int], tuple[int, int]] = {}
        self._built_width = 0

    def on_resize(self) -> None:
        if self.content_size.width != self._built_width:
            self.rebuild()
            # the lines moved: the cursor's word back into view, once laid out again
            self._review.call_after_refresh(self._review._into_view, False, False)

    def rebuild(self) -> None:
        width = self.content_size.width or 78
        self._built_width = self.content_size.width
        self.text, self.regions = self._review.build_segment_text(max(width, 20))
        self.update(self.text)


class MainScreen(Screen):
    """The app's own screen: tab switches sides instead of moving the focus (nothing here
    takes focus). Not a priority binding, so a fast burst of keys keeps its order."""

    BINDINGS = [Binding("tab", "app.switch_side", "other side", show=False)]


class Banner(Static):
    """A warning kept on screen (a torn journal), until the app exits."""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "close help"),
        Binding("question_mark", "close", "close help"),
        Binding("q", "close", "close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 90; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.help_text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.help_text, id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """Edit a segment's note: enter saves, escape cancels.

    The input edits the logical text (what is saved). Where the app lays out Arabic (the
    terminal does not), the note as it will be shown, joined and right to left, is drawn
    under the input while it is typed."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > Vertical {
        width: 90%; max-width: 100; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    NoteScreen #note-preview {
        display: none; height: auto; padding: 0 1;
        border: round $panel; border-title-color: $text-muted;
    }
    NoteScreen #note-preview.shown { display: block; }
    """

    def __init__(
        self, seg_index: int, note: str, side: str = HYP, display: Display | None = None
    ) -> None:
        super().__init__()
        self.seg_index = seg_index
        self.note = note
        self.side = side
        self.bidi_display = display or Display()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Note on segment {self.seg_index}, aligned with the {SIDE_NAMES[self.side]} "
                "(enter saves, escape cancels):"
            )
            yield Input(value=self.note, id="note-input")
            preview = Static("", id="note-preview")
            preview.border_title = "as shown"
            yield preview

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.call_after_refresh(self._preview)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._preview()

    def _preview(self) -> None:
        """Show the note as the screen will show it, where that differs from what the input
        shows (logical order, letters not joined). It reads the input's value when it runs:
        the first preview waits for a refresh, and keys typed before it must not be undone
        by a preview of the note as it was."""
        value = self.query_one(Input).value
        preview = self.query_one("#note-preview", Static)
        shown = self.bidi_display.app_bidi and has_rtl(value)
        preview.set_class(shown, "shown")
        if shown:
            width = self.query_one(Vertical).content_size.width - 4  # border and padding
            preview.update(Text(self.bidi_display.block(value, max(width, 10))))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- the app ------------------------------------------------------------------------------


def saving(action):
    """An edit whose journal write can fail (a full or read-only disk): the edit is then not
    made, and the reviewer sees why instead of a crash."""

    @functools.wraps(action)
    def wrapper(self, *args, **kwargs):
        try:
            return action(self, *args, **kwargs)
        except UserError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return None

    return wrapper


class ReviewApp(App):
    """``arabic-align review RUN_DIR``: check and correct a run's alignments."""

    TITLE = "arabic-align review"
    ENABLE_COMMAND_PALETTE = False

    CSS = """
    #banner { display: none; background: $warning; color: $text; padding: 0 1; }
    #banner.shown { display: block; }
    #body { height: 1fr; }
    #queue-pane { width: 46; height: 100%; border: round $primary; }
    #queue-head { height: 1; color: $text-muted; }
    #queue { height: 1fr; border: none; padding: 0; }
    #segment-pane { width: 1fr; height: 100%; border: round $secondary; }
    #segment { width: 100%; padding: 0 1; }
    #status { height: 1; background: $boost; padding: 0 1; }
    #body.narrow { layout: vertical; }
    #body.narrow #queue-pane { width: 100%; height: 8; }
    #body.narrow #segment-pane { width: 100%; height: 1fr; }
    """

    BINDINGS = [
        Binding("question_mark", "help", "help"),
        Binding("n", "next_segment", "next segment"),
        Binding("p", "prev_segment", "previous segment"),
        Binding("left", "cursor_left", "word to the left", show=False),
        Binding("right", "cursor_right", "word to the right", show=False),
        Binding("tab", "switch_side", "other side (Arabic / English)", show=False),
        Binding("up", "switch_side", "other side (Arabic / English)", show=False),
        Binding("down", "switch_side", "other side (Arabic / English)", show=False),
        Binding("pageup", "page(-1)", "scroll the segment up", show=False),
        Binding("pagedown", "page(1)", "scroll the segment down", show=False),
        Binding("v", "switch_target", "translation/reference"),
        Binding("enter", "mark", "mark / unmark the word under the cursor", show=False),
        Binding("space", "mark", "mark / unmark the word under the cursor", show=False),
        Binding("escape", "unmark", "forget the mark", show=False),
        Binding("l", "link", "link"),
        Binding("s", "sure", "sure/possible"),
        Binding("m", "merge", "merge spans"),
        Binding("x", "split", "split span"),
        Binding("a", "accept", "accept"),
        Binding("f", "flag", "flag"),
        Binding("t", "todo", "back to todo", show=False),
        Binding("e", "note", "note"),
        Binding("N", "note", "note", show=False),
        Binding("u", "undo", "undo"),
        Binding("ctrl+z", "undo", "undo", show=False),
        Binding("r", "redo", "redo"),
        Binding("ctrl+y", "redo", "redo", show=False),
        Binding("F", "cycle_status", "filter by status", show=False),
        Binding("1", "status_filter(0)", "show all statuses", show=False),
        Binding("2", "status_filter(1)", "show todo only", show=False),
        Binding("3", "status_filter(2)", "show accepted only", show=False),
        Binding("4", "status_filter(3)", "show flagged only", show=False),
        Binding("R", "cycle_role", "filter by role", show=False),
        Binding("E", "export", "export", show=False),
        Binding("g", "next_finding", "next finding"),
        Binding("y", "finding_right", "finding right", show=False),
        Binding("w", "finding_wrong", "finding wrong", show=False),
        Binding("q", "quit", "quit"),
    ]  # fmt: skip

    HELP_INTRO = (
        "Linking: put the cursor on a word and press enter (or space) to mark it; move to a "
        "word on the other side (tab, ↑ or ↓ switch sides) and press l: the link between the "
        "marked word and the cursor word is added, or removed if it was there. The mark stays, "
        "so one word can be linked to several; esc forgets it. s makes that link sure or "
        "possible (without a mark: the cursor word's only link). Each span pair has its own "
        "colour on both sides; possible links are dim and italic; the words linked to the "
        "cursor word are highlighted. v switches between the two alignments of a segment: "
        "the Arabic with the translation, and with the reference (when the run aligned "
        "one); each has its own links, status and note, and the queue follows the one "
        "chosen. Findings of the translation checks come first in the queue (E, W, I: the "
        "worst finding of the segment); their words have a background of the severity's "
        "colour; g goes to the next finding, y says it is right, w wrong. Every edit is "
        "saved at once; q compacts and quits."
    )

    def __init__(
        self, state: ReviewState, bidi: bool = True, display: Display | None = None
    ) -> None:
        """``display``: who lays out Arabic, the app or the terminal (``display.detect``);
        without it, ``bidi`` says (True: the app)."""
        super().__init__()
        self.state = state
        if display is None:
            display = Display(app_bidi=bidi, reason="default" if bidi else "terminal bidi")
        self.bidi_display = display
        self.bidi = display.app_bidi
        self.status_filter: str | None = None
        self.role_filter: str | None = None
        self.roles: list[str] = sorted({s.role for s in state.segments})
        self.order: list[int] = []
        self.current: int | None = None
        self.target = HYP  # what the Arabic is aligned with: hyp or ref
        self.side = "src"
        self.word = 0
        self.mark: tuple[str, int] | None = None
        self.finding = 0  # the finding under review, in the current segment's findings
        self._to_finding = False  # the next redraw brings the finding into view (``g``)
        self._scrolled_for: tuple | None = None  # (segment, side) the pane was scrolled for
        self._state_closed = False
        self.close_error: OutputError | None = None

    # -- life cycle ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Banner("", id="banner")
        with Horizontal(id="body"):
            with Vertical(id="queue-pane"):
                yield Static(QUEUE_HEAD, id="queue-head")
                yield Queue(id="queue")
            with SegmentPane(id="segment-pane"):
                yield SegmentView(self, id="segment")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        pos = self.state.position or {}
        seg = pos.get("segment")
        cursor = pos.get("cursor")
        if self.state.has(seg, pos.get("side", HYP)):
            self.target = pos.get("side", HYP)
        self.order = self._queue()
        if seg in self.state.by_index and cursor is not None:
            self.current = seg
            side, word = (list(cursor) + ["src", 0])[:2]
            self.side = side if side in ENDS else "src"
            self.word = word if isinstance(word, int) else 0
            self._clamp()
        else:  # a fresh review starts at the worst segment
            self.current = self.order[0] if self.order else None
            self.side, self.word = "src", 0
        self._fill_queue()
        self._apply_width(self.size.width)
        if self.state.torn:
            banner = self.query_one(Banner)
            banner.update(Text(self.bidi_display.text(f"⚠ review journal: {self.state.torn}")))
            banner.add_class("shown")
            self.notify(f"review journal: {self.state.torn}", severity="warning", timeout=10)
        for note in self.state.notes:
            self.notify(f"review: {note}", severity="warning", timeout=10)
        if not self.state.segments:
            self.notify("this run has no translated segment to review", severity="warning")
        self._show()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.query_one("#body").set_class(width < NARROW, "narrow")

    def on_unmount(self) -> None:
        self.close_state()

    def close_state(self) -> None:
        """Compact the journal into ``review.json`` (once, whatever the way out). A snapshot
        that cannot be written (a full disk) loses nothing: the journal keeps every edit and
        is replayed next time; the sentence is kept in ``close_error`` for the command to
        say once the terminal is back."""
        if not self._state_closed:
            self._state_closed = True
            try:
                self.state.close()
            except OutputError as exc:
                self.close_error = OutputError(
                    f"{exc}; every edit is kept in {self.state.run_dir / JOURNAL} and comes "
                    "back when the review is opened again"
                )
            except UserError as exc:  # another session changed the review: this one wrote nothing
                self.close_error = exc

    def notify(self, message: str, **options) -> None:
        # Plain text: a path or a note may hold "[", which Textual would read as markup, or
        # a control character, which the terminal would obey (``printable``).
        super().notify(printable(message), **{**options, "markup": False})

    def run(self, *args, **kwargs):
        try:
            return super().run(*args, **kwargs)
        finally:
            self.close_state()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Under a modal (help, note), the app's keys belong to it; only the modal's own act.
        return not (isinstance(self.screen, ModalScreen) and action in self._own_actions())

    @classmethod
    def _own_actions(cls) -> set[str]:
        return {b.action.split("(")[0] for b in cls.BINDINGS if isinstance(b, Binding)}

    # -- what is shown -------------------------------------------------------------------

    @property
    def segment(self) -> Segment | None:
        return self.state.by_index.get(self.current) if self.current is not None else None

    @property
    def shown(self) -> str:
        """The side on screen: the chosen one, or the translation where the segment has no
        reference alignment."""
        seg = self.segment
        return self.target if seg is not None and self.target in seg.sides else HYP

    @property
    def aligned(self) -> Aligned | None:
        """The alignment on screen."""
        seg = self.segment
        return seg.sides[self.shown] if seg is not None else None

    def _queue(self) -> list[int]:
        return self.state.queue(self.role_filter, self.status_filter, side=self.target)

    def _words(self, a: Aligned, side: str):
        return a.words(side)

    def _clamp(self) -> None:
        a = self.aligned
        if a is None:
            self.word = 0
            return
        n = len(self._words(a, self.side))
        if n == 0 and len(self._words(a, "tgt" if self.side == "src" else "src")):
            self.side = "tgt" if self.side == "src" else "src"
            n = len(self._words(a, self.side))
        self.word = min(max(self.word, 0), max(n - 1, 0))

    def _row(self, index: int) -> Text:
        seg = self.state.by_index[index]
        a = seg.sides.get(self.target, seg.hyp)
        chrf = f"{seg.chrf:5.1f}" if seg.chrf is not None else "    -"
        status = _status_label(a.status)
        style = {"accepted": "green", "flagged": "bold red"}.get(a.status, "")
        show = self.bidi_display.text
        # (the findings are the translation's: the reference side's rows show none)
        found = seg.findings if self.target == HYP else ()
        letter = SEVERITY_LETTER.get(found[0].severity, " ") if found else " "
        row = Text(show(f"{index:>4}"))
        row.append(letter, style="bold red" if letter == "E" else "yellow")
        row.append(show(f" {seg.role[:9]:<9} "))
        row.append(show(f"{status:<8}"), style=style)
        row.append(show(f" {a.confidence:4.2f} {chrf}"))
        return row

    def _fill_queue(self) -> None:
        queue = self.query_one(Queue)
        queue.set_options([Option(self._row(i), id=str(i)) for i in self.order])
        self._queue_titles()
        self._highlight_queue()

    def _queue_titles(self) -> None:
        queue = self.query_one("#queue-pane")
        left, total = self.state.remaining(self.target), self.state.count(self.target)
        queue.border_title = self.bidi_display.text(f"Queue · {left} left of {total}")
        queue.border_subtitle = self.bidi_display.text(
            f"{SIDE_NAMES[self.target]} · status: {self.status_filter or 'all'} · "
            f"role: {self.role_filter or 'all'}",
            base="L",
        )

    def _highlight_queue(self) -> None:
        queue = self.query_one(Queue)
        if self.current in self.order:
            queue.highlighted = self.order.index(self.current)
        else:
            queue.highlighted = None

    def _refresh_row(self, index: int | None) -> None:
        if index is not None and index in self.order:
            self.query_one(Queue).replace_option_prompt(str(index), self._row(index))
        self._queue_titles()

    def _show(self) -> None:
        """Redraw the segment and status line, and remember where the reviewer is."""
        self._clamp()
        if self.current is not None and not self._state_closed:
            try:
                self.state.move(self.current, [self.side, self.word], side=self.shown)
            except UserError as exc:  # where the reviewer is matters less than the screen
                self.notify(str(exc), severity="error", timeout=10)
        self._highlight_queue()
        view = self.query_one(SegmentView)
        view.rebuild()
        self._status_line()
        # Once laid out: a new segment from its top; then the cursor's word, or (``g``) the
        # finding's words, brought into view.
        new = (self.current, self.shown) != self._scrolled_for
        self._scrolled_for = (self.current, self.shown)
        to_finding, self._to_finding = self._to_finding, False
        self.call_after_refresh(self._into_view, new, to_finding)

    def _finding_lines(self, view: SegmentView) -> tuple[int, int] | None:
        """The first and last line of the words the finding under review is about."""
        seg, a = self.segment, self.aligned
        if seg is None or a is None or not seg.findings or a.side != HYP:
            return None
        f = seg.findings[min(self.finding, len(seg.findings) - 1)]
        ends = [
            view.regions[(side, n)][1]
            for side, span in (("src", f.src), ("tgt", f.tgt))
            if span is not None
            for n, w in enumerate(self._words(a, side))
            if w.start < span[1] and span[0] < w.end and (side, n) in view.regions
        ]
        if not ends:
            return None
        # (the text wrapped twice, to its first and last word, not once a word)
        return self._screen_line(view, min(ends)), self._screen_line(view, max(ends))

    def _screen_line(self, view: SegmentView, end: int) -> int:
        """The line of the pane that shows the text's character before ``end`` (the end of
        a word): the text up to it wrapped as the widget wraps it (the header, the other
        text and the findings are left for the widget to wrap)."""
        width = max(view.content_size.width, 1)
        return max(len(Text(view.text.plain[:end]).wrap(self.console, width)) - 1, 0)

    def _into_view(self, new: bool, to_finding: bool) -> None:
        """Scroll the pane (once laid out: the lines are those of the width it shows)."""
        pane, view = self.query_one(SegmentPane), self.query_one(SegmentView)
        top = 0 if new else round(pane.scroll_y)
        if not view.content_size.width:  # not laid out yet: from the top
            pane.scroll_to(y=top, animate=False, immediate=True)
            return
        lines = self._finding_lines(view) if to_finding else None
        if lines is None:
            at = view.regions.get((self.side, self.word))
            line = self._screen_line(view, at[1]) if at is not None else 0
            lines = (line, line)
        height = max(pane.scrollable_content_region.height, 1)
        first, last = lines
        if last >= top + height:
            top = last - height + 1
        top = min(top, first)
        pane.scroll_to(y=top, animate=False, immediate=True)

    def action_page(self, way: int) -> None:
        """Scroll the segment a page up (-1) or down (1)."""
        pane = self.query_one(SegmentPane)
        step = max(pane.scrollable_content_region.height - 1, 1)
        pane.scroll_to(y=pane.scroll_y + way * step, animate=False, immediate=True)

    def _status_line(self) -> None:
        left, total = self.state.remaining(self.target), self.state.count(self.target)
        parts = [f"aligned: {SIDE_NAMES[self.shown]}", f"{left} left of {total}"]
        parts.append(f"status: {self.status_filter or 'all'}, role: {self.role_filter or 'all'}")
        a = self.aligned
        if self.mark is not None and a is not None:
            side, n = self.mark
            language = "Arabic" if side == "src" else "English"
            parts.append(f"marked: {language} «{isolate(self._text(a, side, n))}»")
        parts.append(self.bidi_display.label)
        parts.append("? help")
        # One English line that can hold an Arabic word (isolated, so that the numbers and
        # marks around it keep their places): left to right, the word in place. Built in
        # logical order and shown once: presentation forms are right-to-left letters too.
        line = self.bidi_display.text(" · ".join(parts), base="L")
        self.query_one("#status", Static).update(Text(line, no_wrap=True, overflow="ellipsis"))

    @staticmethod
    def _side_text(a: Aligned, side: str) -> str:
        return a.source if side == "src" else a.target

    def _text(self, a: Aligned, side: str, n: int) -> str:
        return self._words(a, side)[n].text

    def _linked(self, a: Aligned, side: str, n: int) -> dict[int, bool]:
        """The words on the other side linked to word ``n`` of ``side``: {word: sure}."""
        if side == "src":
            return {j: x["sure"] for (i, j), x in a.links.items() if i == n}
        return {i: x["sure"] for (i, j), x in a.links.items() if j == n}

    def _word_styles(self, a: Aligned, side: str) -> list[Style]:
        words = self._words(a, side)
        spans = a.spans()
        styles = []
        cursor_links = self._linked(a, self.side, self.word) if words else {}
        for n, w in enumerate(words):
            style = Style()
            k = next(
                (
                    k for k, sp in enumerate(spans)
                    if (sp.src if side == "src" else sp.tgt)[0] <= w.start
                    < (sp.src if side == "src" else sp.tgt)[1]
                ),
                None,
            )  # fmt: skip
            if k is not None:
                style += Style(color=PALETTE[k % len(PALETTE)])
            mine = self._linked(a, side, n)
            if mine and not any(mine.values()):
                style += POSSIBLE
            style += self._finding_style(a, side, w)
            if side != self.side and n in cursor_links:
                style += LINKED
                if not cursor_links[n]:
                    style += Style(italic=True)
            if self.mark == (side, n):
                style += MARKED
            if side == self.side and n == self.word:
                style += CURSOR
            styles.append(style)
        return styles

    def _finding_style(self, a: Aligned, side: str, w) -> Style:
        """The style a word gets from the findings about it (translation side only: the
        findings are of the source and its translation)."""
        seg = self.segment
        if seg is None or a.side != HYP or not seg.findings:
            return Style()
        style = Style()
        worst = None
        for n, f in enumerate(seg.findings):
            span = f.src if side == "src" else f.tgt
            if span is None or not (w.start < span[1] and span[0] < w.end):
                continue
            if worst is None:  # the findings are worst first
                worst = f.severity
            if n == self.finding:
                style += CURRENT_FINDING
        if worst is not None:
            style = FINDING_STYLES[worst] + style
        return style

    def _findings_text(self, seg: Segment, width: int) -> Text:
        """The segment's findings, one a line: the one under review pointed at, each with
        its severity, check/kind, message and verdict."""
        text = Text()
        show = self.bidi_display
        text.append("\nFindings", style="bold underline")
        text.append(show.text(" (g next · y right · w wrong)", base="L") + "\n", style="dim")
        for n, f in enumerate(seg.findings):
            verdict = seg.verdicts.get(n)
            pointer = "▶ " if n == self.finding else "  "
            text.append(pointer)
            text.append(f"{f.severity:<7}", style=FINDING_STYLES[f.severity] + Style(bold=True))
            # (a bidi control quoted from the text would turn the rest of the line around,
            # and a number after quoted Arabic would join it: each Arabic run is isolated)
            line = printable(f" {f.check}/{f.kind}: {f.message}")
            text.append(show.block(line, max(width - 10, 10), base="L", isolated=True))
            if verdict is not None:
                colour = "bold green" if verdict == "right" else "bold red"
                text.append(f" [{verdict}]", style=colour)
            else:
                text.append(" [not judged]", style="dim")
            text.append("\n")
        return text

    def _line_words(self, a: Aligned, side: str) -> list[tuple[int, str, str]]:
        """(word, shown text, separator before it) in logical order."""
        text = self._side_text(a, side)
        words = self._words(a, side)
        out = []
        for n, w in enumerate(words):
            gap = text[words[n - 1].end : w.start] if n else ""
            out.append((n, self.bidi_display.text(w.text), " " if gap else ""))
        return out

    @staticmethod
    def _wrap(items: list[tuple[int, str, str]], width: int) -> list[list[tuple[int, str, str]]]:
        lines: list[list[tuple[int, str, str]]] = [[]]
        used = 0
        for n, shown, sep in items:
            need = cell_len(shown) + (cell_len(sep) if lines[-1] else 0)
            if lines[-1] and used + need > width:
                lines.append([])
                used = 0
                need = cell_len(shown)
            lines[-1].append((n, shown, sep))
            used += need
        return lines

    def _append_side(self, text: Text, regions: dict, a: Aligned, side: str, width: int) -> None:
        styles = self._word_styles(a, side)
        words = self._words(a, side)
        base = "R" if side == "src" else "L"
        for line in self._wrap(self._line_words(a, side), width):
            # Where the app lays Arabic out, the line's words in the order the bidi
            # algorithm puts them (an Arabic line right to left, with a Latin name in it left
            # to right; an Arabic phrase in the translation right to left), an Arabic line
            # right-aligned; a separator stays between two words that were neighbours.
            order = list(range(len(line)))
            if self.bidi:
                order = word_order(
                    [words[n].text for n, _, _ in line],
                    ["" if k == 0 else sep for k, (_, _, sep) in enumerate(line)],
                    base,
                )  # fmt: skip
            place = {at: k for k, at in enumerate(order)}
            pieces: list[tuple[int | None, str]] = []
            for k, at in enumerate(order):
                if k:
                    sep = line[_boundary(order[k - 1], at, place)][2]
                    if sep:
                        pieces.append((None, sep))
                pieces.append(line[at][:2])
            if self.bidi and side == "src":
                pad = width - sum(cell_len(s) for _, s in pieces)
                text.append(" " * max(pad, 0))
            for n, shown in pieces:
                if n is None:
                    text.append(shown)
                else:
                    start = len(text)
                    text.append(shown, style=styles[n])
                    regions[(side, n)] = (start, len(text))
            text.append("\n")

    def build_segment_text(self, width: int) -> tuple[Text, dict]:
        text = Text()
        regions: dict[tuple[str, int], tuple[int, int]] = {}
        seg, a = self.segment, self.aligned
        if seg is None or a is None:
            text.append("Nothing to review here: no segment matches the filter.", style="dim")
            return text, regions
        show = self.bidi_display
        chrf = f"{seg.chrf:.1f}" if seg.chrf is not None else "-"
        text.append(f"Segment {seg.index}", style="bold")
        text.append(
            show.text(
                f" · {seg.role} · aligned with the {SIDE_NAMES[a.side]} · "
                f"{_status_label(a.status)} · confidence {a.confidence:.2f} · chrF {chrf} · "
                f"{len(a.links)} links",
                base="L",
            )
            + "\n\n"
        )
        text.append("Arabic\n", style="bold underline")
        self._append_side(text, regions, a, "src", width)
        # The aligned text comes under the Arabic, with its links; the other one after it,
        # as plain text.
        other_title, other = ("Reference", seg.reference) if a.side == HYP else (
            "Translation", seg.hypothesis
        )  # fmt: skip
        text.append(f"\n{SIDE_NAMES[a.side].capitalize()}\n", style="bold underline")
        self._append_side(text, regions, a, "tgt", width)
        if other:
            text.append(f"\n{other_title}\n", style="bold underline")
            text.append(show.block(other, width) + "\n", style="italic")
        if seg.findings:
            text.append(self._findings_text(seg, width))
        words = self._words(a, self.side)
        if words:
            # Built in logical order, each word isolated, then shown as one English line.
            here = isolate(self._text(a, self.side, self.word))
            linked = self._linked(a, self.side, self.word)
            end = "tgt" if self.side == "src" else "src"
            shown = ", ".join(
                f"{isolate(self._text(a, end, m))}{'' if sure else ' (possible)'}"
                for m, sure in sorted(linked.items())
            )
            line = f"«{here}» ↔ {shown or 'no link'}"
            text.append("\n" + show.block(line, width, base="L") + "\n", style="dim")
        if a.note:
            label = "Note: "
            text.append("\n" + label, style="bold")
            note = show.block(a.note, max(width - len(label), 10))
            text.append(note.replace("\n", "\n" + " " * len(label)) + "\n")
        return text, regions

    # -- navigation ----------------------------------------------------------------------

    def _go(
        self, index: int | None, side: str = "src", word: int = 0, target: str | None = None
    ) -> None:
        if index is None:
            return
        if index != self.current or (target is not None and target != self.shown):
            self.mark = None
        if index != self.current:
            self.finding = 0
        self.current, self.side, self.word = index, side, word
        if target is not None and target != self.target:
            self.target = target
            self.order = self._queue()
            self._fill_queue()
        self._show()

    def action_next_segment(self) -> None:
        self._step(+1)

    def action_prev_segment(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self.order:
            self.notify("no segment matches the filter")
            return
        if self.current in self.order:
            k = self.order.index(self.current) + delta
            if not 0 <= k < len(self.order):
                self.notify("end of the queue" if delta > 0 else "start of the queue")
                return
        else:
            k = 0 if delta > 0 else len(self.order) - 1
        self._go(self.order[k])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._go(int(event.option.id))

    def action_cursor_left(self) -> None:
        if not self._move_on_screen(-1):
            # Arabic reads right to left: the word to the left is the next one.
            self._move_word(+1 if self.side == "src" else -1)

    def action_cursor_right(self) -> None:
        if not self._move_on_screen(+1):
            self._move_word(-1 if self.side == "src" else +1)

    def _move_on_screen(self, way: int) -> bool:
        """Move to the word on screen to the left (``way`` -1) or right (+1) of the cursor,
        where the app lays the words out (an Arabic phrase in the translation, a Latin name
        in the Arabic, run the other way); past a line's end, to the line that reading goes
        on with. False when the layout is not the app's (the terminal orders the text)."""
        if not self.bidi:
            return False
        view = self.query_one(SegmentView)
        plain = view.text.plain
        found = sorted(
            (plain.count("\n", 0, start), start, n)
            for (side, n), (start, _) in view.regions.items()
            if side == self.side
        )
        lines: list[list[int]] = []
        for k, (line, _, n) in enumerate(found):
            if k == 0 or line != found[k - 1][0]:
                lines.append([])
            lines[-1].append(n)
        at = next(((r, c) for r, row in enumerate(lines) for c, n in enumerate(row)
                   if n == self.word), None)  # fmt: skip
        if at is None:
            return False
        row, col = at
        rtl = self.side == "src"
        if 0 <= col + way < len(lines[row]):
            self.word = lines[row][col + way]
        else:
            # Past the end of the line: the next line where reading goes that way (an
            # Arabic line's left end, an English line's right end), else the one before.
            onward = (way < 0) == rtl
            nearer = row + (1 if onward else -1)
            if 0 <= nearer < len(lines):
                line = lines[nearer]
                self.word = line[-1] if way < 0 else line[0]
        self._show()
        return True

    def _move_word(self, delta: int) -> None:
        a = self.aligned
        if a is None:
            return
        n = len(self._words(a, self.side))
        self.word = min(max(self.word + delta, 0), max(n - 1, 0))
        self._show()

    def action_switch_side(self) -> None:
        a = self.aligned
        if a is None:
            return
        other = "tgt" if self.side == "src" else "src"
        if not self._words(a, other):
            return
        linked = sorted(self._linked(a, self.side, self.word))
        if linked:
            word = linked[0]
        else:  # about the same place in the other sentence
            here = max(len(self._words(a, self.side)) - 1, 1)
            word = round(self.word / here * (len(self._words(a, other)) - 1))
        self.side, self.word = other, word
        self._show()

    def action_switch_target(self) -> None:
        """Align the Arabic with the other text (translation ↔ reference); the queue then
        lists the segments that have that alignment."""
        seg = self.segment
        other = REF if self.shown == HYP else HYP
        if seg is not None and other not in seg.sides:
            self.notify(
                f"segment {seg.index} has no reference alignment (the run aligned no "
                "reference for it)",
                severity="warning",
            )
            return
        if seg is None and not self.state.count(other):
            self.notify("this run has no reference alignment", severity="warning")
            return
        self.target, self.mark = other, None
        self.order = self._queue()
        self._fill_queue()
        if seg is None and self.order:
            self.current = self.order[0]
        self._show()

    # -- edits ---------------------------------------------------------------------------

    def _edited(self, before) -> bool:
        return self._top() is not before

    def _after_edit(self, changed: bool, nothing: str) -> None:
        if not changed:
            self.notify(nothing)
        self._refresh_row(self.current)
        self._show()

    def _top(self):
        return self.state.undo_stack[-1] if self.state.undo_stack else None

    def action_mark(self) -> None:
        a = self.aligned
        if a is None or not self._words(a, self.side):
            return
        here = (self.side, self.word)
        self.mark = None if self.mark == here else here
        self._show()

    def action_unmark(self) -> None:
        self.mark = None
        self._show()

    def _pair(self) -> tuple[int, int] | None:
        """The (source word, target word) of the mark and the cursor."""
        if self.mark is None or self.mark[0] == self.side:
            return None
        side, n = self.mark
        return (n, self.word) if side == "src" else (self.word, n)

    @saving
    def action_link(self) -> None:
        seg = self.segment
        if seg is None:
            return
        pair = self._pair()
        if pair is None:
            self.notify(
                "the marked word is on this side: Tab to the other side, then press l on a "
                "word there"
                if self.mark is not None
                else "mark a word first (enter), then press l on a word of the other side",
                severity="warning",
            )
            return
        before = self._top()
        self.state.toggle_link(seg.index, *pair, side=self.shown)
        self._after_edit(self._edited(before), "the link did not change")

    @saving
    def action_sure(self) -> None:
        seg, a = self.segment, self.aligned
        if seg is None or a is None:
            return
        pair = self._pair()
        if pair is None:
            linked = self._linked(a, self.side, self.word) if self._words(a, self.side) else {}
            if len(linked) != 1:
                self.notify(
                    "mark the word at the other end of the link first (enter)",
                    severity="warning",
                )
                return
            (m,) = linked
            pair = (self.word, m) if self.side == "src" else (m, self.word)
        if pair not in a.links:
            self.notify("these two words are not linked; l links them", severity="warning")
            return
        before = self._top()
        self.state.toggle_sure(seg.index, *pair, side=self.shown)
        self._after_edit(self._edited(before), "the link did not change")

    @saving
    def action_merge(self) -> None:
        seg, a = self.segment, self.aligned
        if seg is None or a is None or not self._words(a, self.side):
            return
        k = self.state.span_of(seg.index, self.side, self.word, side=self.shown)
        if k is None:
            self.notify("the cursor word is in no span", severity="warning")
            return
        before = self._top()
        self.state.merge_spans(seg.index, k, side=self.shown)
        self._after_edit(self._edited(before), "no next span to merge with")

    @saving
    def action_split(self) -> None:
        seg = self.segment
        if seg is None:
            return
        if self.side != "src":
            self.notify("put the cursor on an Arabic word to split after it", severity="warning")
            return
        before = self._top()
        self.state.split_span(seg.index, self.word, side=self.shown)
        self._after_edit(self._edited(before), "nothing to split after this word")

    @saving
    def _status(self, status: str) -> None:
        seg = self.segment
        if seg is None:
            return
        self.state.set_status(seg.index, status, side=self.shown)
        self._refresh_row(seg.index)
        self._show()

    def action_accept(self) -> None:
        self._status("accepted")

    def action_flag(self) -> None:
        self._status("flagged")

    def action_todo(self) -> None:
        self._status("todo")

    def action_note(self) -> None:
        seg, a = self.segment, self.aligned
        if seg is None or a is None:
            return
        side = a.side

        @saving
        def saved(self, note: str | None) -> None:
            if note is not None and self.state.has(seg.index, side):
                self.state.set_note(seg.index, note, side=side)
                self._show()

        self.push_screen(
            NoteScreen(seg.index, a.note, side, display=self.bidi_display),
            functools.partial(saved, self),
        )

    def action_undo(self) -> None:
        self._history(self.state.undo_stack, self.state.undo, "nothing to undo")

    def action_redo(self) -> None:
        self._history(self.state.redo_stack, self.state.redo, "nothing to redo")

    @saving
    def _history(self, stack: list[dict], step, nothing: str) -> None:
        side = self.state.side_of(stack[-1]) if stack else HYP
        changes = stack[-1]["changes"] if stack else []
        verdicts = [c["finding"] for c in changes if c.get("what") == "finding"]
        index = step()
        if index is None:
            self.notify(nothing)
            return
        self._refresh_row(index)
        moved = index != self.current or side != self.shown
        if moved:
            self._go(index, target=side)  # back to the segment and side it changed
        if verdicts:  # and to the finding whose verdict it was
            self.finding = verdicts[0]
        if verdicts or not moved:
            self._show()

    # -- filters, export, help -----------------------------------------------------------

    def _refilter(self) -> None:
        self.order = self._queue()
        self._fill_queue()
        if self.current not in self.order and self.order:
            self._go(self.order[0])
        else:
            self._show()

    def action_cycle_status(self) -> None:
        k = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(k + 1) % len(STATUS_FILTERS)]
        self._refilter()

    def action_status_filter(self, k: int) -> None:
        self.status_filter = STATUS_FILTERS[k]
        self._refilter()

    def action_cycle_role(self) -> None:
        choices: list[str | None] = [None, *self.roles]
        k = choices.index(self.role_filter) if self.role_filter in choices else 0
        self.role_filter = choices[(k + 1) % len(choices)]
        self._refilter()

    def action_next_finding(self) -> None:
        """The next finding of this segment, else the first of the next segment with
        findings (in the queue's order, round to the first)."""
        seg = self.segment
        if seg is not None and seg.findings and self.shown != HYP:
            # The findings are the translation's: from the reference side, this segment's
            # finding under the pointer is the next one shown.
            self._go(seg.index, target=HYP)
            self.finding = min(self.finding, len(seg.findings) - 1)
            self._to_finding = True
            self._show()
            return
        if seg is not None and seg.findings and self.finding + 1 < len(seg.findings):
            self.finding += 1
            self._to_finding = True
            self._show()
            return
        # In the translation side's queue (the reference side's holds only the segments
        # with a reference), with the same filters: the one on screen when it is shown (a
        # queue made now would be in another order after an edit changed a confidence).
        queue = (
            self.order
            if self.target == HYP
            else self.state.queue(self.role_filter, self.status_filter, side=HYP)
        )
        order = [i for i in queue if self.state.by_index[i].findings]
        if not order:
            self.notify(self._no_findings("no segment in the queue has findings"))
            return
        later = order.index(self.current) + 1 if self.current in order else 0
        index = order[later % len(order)]
        self._go(index, target=HYP)
        self.finding = 0
        self._to_finding = True
        self._show()

    def _no_findings(self, said: str) -> str:
        """``said``, or, for a run whose records hold no findings (made with --no-checks,
        or before the checks), that the run was not checked and how to check it."""
        run = self.state.run
        if run is None or run.checked:
            return said
        return (
            "this run's records hold no findings (it was made without the checks): "
            f"arabic-align check {self.state.run_dir} lists them"
        )

    def action_finding_right(self) -> None:
        self._verdict("right")

    def action_finding_wrong(self) -> None:
        self._verdict("wrong")

    @saving
    def _verdict(self, verdict: str) -> None:
        seg = self.segment
        if seg is None or not seg.findings:
            said = self._no_findings("this segment has no findings (g goes to the next)")
            self.notify(said, severity="warning")
            return
        n = min(self.finding, len(seg.findings) - 1)
        after = None if seg.verdicts.get(n) == verdict else verdict
        self.state.set_verdict(seg.index, n, after)
        self._refresh_row(seg.index)
        self._show()

    def action_export(self) -> None:
        out = Path(self.state.run_dir) / EXPORT_DIR
        instead = "or quit and export elsewhere with arabic-align review RUN_DIR --export DIR"
        if os.path.lexists(out) and not out.is_dir():  # E has no other folder to be given
            self.notify(
                f"export failed: E exports to {out}, which is {not_a_folder(out)}: move it "
                f"aside, {instead}",
                severity="error",
            )
            return
        try:
            paths = export(self.state, out, option="the export folder")
        except UserError as exc:
            self.notify(
                f"export failed: {exc}. E always exports to {out}: move what is in the way, "
                f"{instead}",
                severity="error",
            )
            return
        self.notify(f"exported {len(paths)} files to {out}")

    def help_text(self) -> Text:
        text = Text()
        text.append("Keys\n\n", style="bold")
        seen: dict[str, list[str]] = {}
        for b in self.BINDINGS:
            if isinstance(b, Binding):
                line = HELP_LINES.get(b.action, b.description)
                seen.setdefault(line, []).extend(b.key.split(","))
        for description, keys in seen.items():
            label = ", ".join(key_label(k) for k in keys)
            text.append(f"  {label:<18}", style="bold cyan")
            text.append(f" {self.bidi_display.text(description, base='L')}\n")
        text.append("\n" + self.bidi_display.text(self.HELP_INTRO, base="L") + "\n")
        text.append(f"\n{self.bidi_display.explained}\n", style="dim")
        text.append("\nesc, ? or q closes this help.\n", style="dim")
        return text

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_text()))

    async def action_quit(self) -> None:
        self.close_state()
        self.exit()
