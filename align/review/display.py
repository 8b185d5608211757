"""What the review app draws for text that can hold Arabic, and who lays it out: the app or
the terminal.

Most terminals (xterm, Alacritty, kitty, tmux's own screen…) neither reorder right-to-left
text nor join Arabic letters: sent logical text, they show each Arabic word backwards in
isolated letters. For them the app does both (``Display(app_bidi=True)``): the letters are
shaped into Arabic presentation forms (arabic-reshaper: initial, medial, final and isolated
forms, and the lam-alef ligatures) and the line is put in visual order (python-bidi, the
Unicode bidi algorithm). A terminal that does bidi and shaping itself gets the logical text
unchanged (``Display(app_bidi=False)``); reordered text would be reordered twice.

``Display.text`` is the one function every line that can carry Arabic goes through; what is
saved (notes, the journal) is always the logical text, never what is drawn.

``detect`` chooses from the environment. A terminal is taken to do bidi and shaping only
where it does both by default and says who it is:

* ``VTE_VERSION`` ≥ 5800: GNOME Terminal and the other VTE terminals (Tilix, Terminator,
  xfce4-terminal…). VTE 0.58 made bidi (implicit mode, on by default) and Arabic shaping
  part of every VTE terminal.
* ``KONSOLE_VERSION``: Konsole, whose bidi rendering (with Qt's shaping) is on by default.
* ``MLTERM`` or ``TERM=mlterm…``: mlterm, which does bidi and shaping with fribidi (vim turns
  ``termbidi`` on for it).

Left out on purpose, so the app does the work there: iTerm2 and WezTerm (bidi exists but is
off by default), mintty and macOS Terminal (their bidi can be turned off or differs between
versions, and neither sets a variable that says so), and every terminal without bidi.
Inside tmux (``TMUX``) or GNU screen (``STY``, or ``TERM=tmux…``/``screen…``, as over ssh)
the multiplexer draws the screen itself, without bidi, whatever the terminal around it: the
app does the work there even when the outer terminal's ``VTE_VERSION`` was inherited.
``--terminal-bidi`` / ``--no-terminal-bidi`` override all of this, and the status bar says
which was chosen and why.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import arabic_reshaper
from bidi import get_display
from rich.cells import cell_len

from align.errors import isolate_runs

VTE_BIDI = 5800  # VTE_VERSION of VTE 0.58, the first release with bidi and shaping
# The explicit bidi controls: once the app has applied them they are dropped from what it
# draws (a terminal without bidi would show them as boxes, or shift the columns).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

_RESHAPER = arabic_reshaper.ArabicReshaper(
    configuration={
        "delete_harakat": False,  # vowel signs are part of the text under review
        "support_ligatures": True,  # lam-alef: one cell, as Arabic is written
        # One-cell ligatures only: the word ligatures (U+FDF2 for Allah…) are wider than a
        # terminal cell in most fonts.
        "ARABIC LIGATURE ALLAH": False,
    }
)


# Control characters in a text under review (an escape sequence pasted into a translation,
# a form feed) would reach the terminal as commands: each is drawn as its symbol in
# Unicode's Control Pictures block (ESC as ␛, DEL as ␡; a C1 control as the replacement
# character), one cell for one character, so the words' positions stay where they are. A
# tab is drawn as a space; a newline stays a line break.
_CONTROLS_SHOWN = str.maketrans(
    {
        **{c: chr(0x2400 + c) for c in range(0x20) if c != 0x0A},
        0x09: " ",
        0x7F: "\u2421",
        **{c: "\ufffd" for c in range(0x80, 0xA0)},
    }
)


def without_controls(text: str) -> str:
    """``text`` with each control character drawn as a visible symbol of one cell, a
    newline kept (see ``_CONTROLS_SHOWN``)."""
    return text.translate(_CONTROLS_SHOWN)


def is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (or a bidi control)."""
    return any(is_rtl(ch) or ch in BIDI_CONTROLS for ch in text)


def base_direction(text: str) -> str:
    """The paragraph direction of ``text`` by its first strong letter: ``"R"`` or ``"L"``."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return "L"


def isolate(text: str) -> str:
    """``text`` as one unit of a line around it (between FSI and PDI, with its own direction):
    an Arabic word in an English line then leaves the numbers and marks after it in their
    places. The app drops the two controls once the line is ordered."""
    return f"\u2068{text}\u2069" if has_rtl(text) else text


_UNORDERED = frozenset(["BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"])


def _visible(word: str) -> str:
    return "".join(
        ch for ch in word
        if ch not in BIDI_CONTROLS and unicodedata.bidirectional(ch) not in _UNORDERED
    )  # fmt: skip


def word_order(words: Sequence[str], seps: Sequence[str], base: str) -> list[int]:
    """The left-to-right order on screen of a line's words (``seps[k]``: what comes before
    word ``k``, a space or nothing), in a paragraph of direction ``base`` ("L" or "R"): the
    Unicode bidi algorithm's levels of the line's characters (python-bidi's), a word taking
    the lowest level of its characters, then the algorithm's rule L2 over whole words
    (from the highest level down to the lowest odd one, every run of words at that level or
    above is reversed). An Arabic phrase in an English line is read right to left, a name
    in Latin letters in an Arabic line left to right, each word a unit the app can point
    at. Hand-written: python-bidi gives the characters' order, not the words'."""
    from bidi import algorithm

    if not words:
        return []
    # Controls the app never draws (bidi embeddings, overrides and isolates, marks, and
    # the zero-width characters the algorithm drops, which would shift the levels' places)
    # order nothing: a right-to-left override inside one English word turned the rest of
    # its line around, with nothing on screen to say why.
    words = [_visible(w) for w in words]
    text = "".join(sep + word for sep, word in zip(seps, words, strict=True))
    storage = algorithm.get_empty_storage()
    storage["base_level"] = algorithm.PARAGRAPH_LEVELS[base]
    storage["base_dir"] = base
    algorithm.get_embedding_levels(text, storage)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    levels = [c["level"] for c in storage["chars"]]
    word_levels, at = [], 0
    for sep, word in zip(seps, words, strict=True):
        at += len(sep)
        word_levels.append(min(levels[at : at + len(word)], default=storage["base_level"]))
        at += len(word)
    order = list(range(len(words)))
    odd = [v for v in word_levels if v % 2]
    if not odd:
        return order
    for level in range(max(word_levels), min(odd) - 1, -1):
        k = 0
        while k < len(order):
            if word_levels[order[k]] < level:
                k += 1
                continue
            end = k
            while end < len(order) and word_levels[order[end]] >= level:
                end += 1
            order[k:end] = reversed(order[k:end])
            k = end
    return order


def marks_after_base(shown: str) -> str:
    """Reversed text has each combining mark (a vowel sign) before its letter; put it back
    after it, where a terminal draws it on that letter."""
    out: list[str] = []
    marks: list[str] = []
    for ch in shown:
        if unicodedata.category(ch).startswith("M"):
            marks.append(ch)
        else:
            out.append(ch)
            out.extend(marks)
            marks = []
    return "".join(out + marks)


def shape(text: str) -> str:
    """Arabic letters joined: each replaced by its contextual presentation form (logical
    order kept)."""
    return _RESHAPER.reshape(text)


def visual(text: str, base: str | None = None) -> str:
    """One line of logical text as a terminal without bidi or shaping must be sent it: Arabic
    shaped, then the line in visual order (left to right on screen). ``base`` is the line's
    direction, ``"L"`` or ``"R"``; by default that of its first strong letter."""
    if not has_rtl(text):
        return text
    shown = get_display(shape(text), base_dir=base)
    if shown != text:
        shown = marks_after_base(shown)
    return "".join(ch for ch in shown if ch not in BIDI_CONTROLS)


def wrap(text: str, width: int) -> list[str]:
    """Logical text in lines of at most ``width`` cells, broken at spaces (a longer word is
    cut); newlines are kept. Wrapping comes before reordering: each line is one visual
    line."""
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: str | None = None
        for word in paragraph.split(" "):
            if line is not None and cell_len(line) + 1 + cell_len(word) <= width:
                line = f"{line} {word}"
                continue
            if line is not None:
                lines.append(line)
            while cell_len(word) > width:
                cut = _fit(word, width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line or "")
    return lines


def _fit(word: str, room: int) -> int:
    """How many characters of ``word`` fit in ``room`` cells (at least one)."""
    n = 0
    while n < len(word) and cell_len(word[: n + 1]) <= room:
        n += 1
    return max(n, 1)


@dataclass(frozen=True)
class Display:
    """Who lays out right-to-left text, and why.

    ``app_bidi``: the app shapes and orders it (the terminal does neither); otherwise the
    terminal does both and is sent logical text. ``reason``: why (for the status bar)."""

    app_bidi: bool = True
    reason: str = "default"

    def text(self, text: str, base: str | None = None) -> str:
        """What the screen shows for ``text``, one line or several (each line on its own).
        ``base``: the direction of UI lines (``"L"`` for an English label holding an Arabic
        word, ``isolate``d); by default each line's own. Text without right-to-left letters
        is returned as it is. Apply it once, to logical text: what it returns is still
        right-to-left letters, and would be turned back. Control characters are drawn as
        symbols (``without_controls``)."""
        text = without_controls(text)
        if not self.app_bidi or not has_rtl(text):
            return text
        return "\n".join(visual(line, base) for line in text.split("\n"))

    def lines(
        self, text: str, width: int, base: str | None = None, isolated: bool = False
    ) -> list[str]:
        """A paragraph of logical text wrapped to ``width`` cells, each line as the screen
        shows it. When the app lays out a right-to-left paragraph, its lines are padded to
        ``width`` on the left: they start at the right edge, as Arabic does. ``isolated``:
        each line's Arabic runs are isolated (``errors.isolate_runs``) once it is wrapped, as
        a message quoting Arabic needs (isolated before, a wrap could part the two ends)."""
        text = without_controls(text)
        if not self.app_bidi or not has_rtl(text):
            return wrap(text, width)
        out = []
        for paragraph in text.split("\n"):
            direction = base or base_direction(paragraph)
            for line in wrap(paragraph, width):
                shown = visual(isolate_runs(line) if isolated else line, direction)
                if direction == "R":
                    shown = " " * max(width - cell_len(shown), 0) + shown
                out.append(shown)
        return out

    def block(self, text: str, width: int, base: str | None = None, isolated: bool = False) -> str:
        """``lines`` joined, where the app must lay the paragraph out itself; otherwise
        ``text`` as it is (its control characters drawn as symbols; its Arabic runs
        isolated, with ``isolated``), for the widget (or the terminal) to wrap."""
        if not self.app_bidi or not has_rtl(text):
            text = without_controls(text)
            return isolate_runs(text) if isolated and has_rtl(text) else text
        return "\n".join(self.lines(text, width, base, isolated))  # (``lines`` draws them)

    @property
    def explained(self) -> str:
        """One sentence for the help screen."""
        if self.app_bidi:
            return (
                f"Arabic is joined and put right to left by the app ({self.reason}); "
                "--terminal-bidi leaves that to a terminal that does it."
            )
        return (
            f"Arabic goes out in logical order, for the terminal to join and put right to left "
            f"({self.reason}); --no-terminal-bidi has the app do it."
        )

    @property
    def label(self) -> str:
        """The status bar's word on it: ``bidi: app (why)`` or ``bidi: terminal (why)``."""
        return f"bidi: {'app' if self.app_bidi else 'terminal'} ({self.reason})"


def detect(env: Mapping[str, str] | None = None, terminal_bidi: bool | None = None) -> Display:
    """Choose who lays out Arabic: ``terminal_bidi`` (``--terminal-bidi`` True,
    ``--no-terminal-bidi`` False) if given, else from the environment (see the module's
    docstring for the terminals known to do bidi and why)."""
    if terminal_bidi is not None:
        if terminal_bidi:
            return Display(app_bidi=False, reason="--terminal-bidi")
        return Display(app_bidi=True, reason="--no-terminal-bidi")
    env = os.environ if env is None else env
    term = env.get("TERM", "")
    # A multiplexer draws the screen itself, without bidi: what the terminal around it does
    # (and the VTE_VERSION it left in the environment) does not matter.
    if env.get("TMUX"):
        return Display(app_bidi=True, reason="TMUX set")
    if env.get("STY"):
        return Display(app_bidi=True, reason="STY set")
    if term.startswith(("tmux", "screen")):
        return Display(app_bidi=True, reason=f"TERM={term}")
    vte = env.get("VTE_VERSION", "")
    if vte:
        if vte.isdigit() and int(vte) >= VTE_BIDI:
            return Display(app_bidi=False, reason=f"VTE_VERSION={vte}")
        return Display(app_bidi=True, reason=f"VTE_VERSION={vte} < {VTE_BIDI}")
    if env.get("KONSOLE_VERSION"):
        return Display(app_bidi=False, reason="KONSOLE_VERSION set")
    if env.get("MLTERM"):
        return Display(app_bidi=False, reason="MLTERM set")
    if term.startswith("mlterm"):
        return Display(app_bidi=False, reason=f"TERM={term}")
    return Display(app_bidi=True, reason="default")
