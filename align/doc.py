"""Documents and segments: offsets into the original text, never copies that can drift."""

from __future__ import annotations

from dataclasses import dataclass, field

from align.errors import InputError, unicode_text

ROLES = ("body", "caption", "credit", "byline", "boilerplate")
# Roles whose text is translated; boilerplate is kept in the record but not translated.
TRANSLATED_ROLES = ("body", "caption", "credit", "byline")


@dataclass(frozen=True)
class Segment:
    """A sentence-like unit of an article. ``text[start:end]`` of the document is ``self.text``."""

    index: int  # 0-based position among all segments of the document
    line: int  # 1-based line number in the decoded file text
    role: str
    start: int  # character offsets into the whole decoded text (past a BOM, which a file
    # loses and a string given as the article keeps)
    end: int
    text: str

    @property
    def translated(self) -> bool:
        return self.role in TRANSLATED_ROLES

    def to_json(self) -> dict:
        return {
            "line": self.line,
            "role": self.role,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True)
class Document:
    """An article's decoded text and its segments (``Segment``), each pointing into
    ``text`` by its offsets (checked when the document is made); ``Pipeline.segment`` makes
    one, and ``Pipeline.run`` takes one as the article."""

    id: str
    text: str
    segments: tuple[Segment, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        """Checked as ``Pipeline.segment`` makes one, since a caller may build one by hand
        and the run's records and every reader count on it: a text of Unicode that UTF-8
        can write, segments numbered from 0 in order, each of a known role, one line or
        more, its offsets in the text after the segment before it and its text the text
        there. Anything else is one ``InputError`` sentence."""
        if not isinstance(self.id, str) or not isinstance(self.text, str):
            raise InputError("A Document's id and text must be strings.")
        unicode_text(self.text, "The Document's text")
        if not isinstance(self.segments, tuple | list) or not all(
            isinstance(seg, Segment) for seg in self.segments
        ):
            raise InputError("A Document's segments must be a tuple of align.Segment.")
        # a tuple, so that a document stays as checked (a list could change after)
        object.__setattr__(self, "segments", tuple(self.segments))
        end = 0
        for n, seg in enumerate(self.segments):
            fields = (seg.index, seg.line, seg.start, seg.end)
            if not all(isinstance(x, int) and not isinstance(x, bool) for x in fields):
                raise InputError(
                    f"The Document's segment {n} has an index, line, start or end that is not "
                    "a whole number."
                )
            if seg.index != n:
                raise InputError(
                    f"The Document's segment {n} is numbered {seg.index}: number them 0, 1, 2…"
                )
            if seg.role not in ROLES:
                raise InputError(
                    f"The Document's segment {n} has the role {seg.role!r}; roles are "
                    f"{', '.join(ROLES)}."
                )
            if seg.line < 1 or not end <= seg.start <= seg.end <= len(self.text):
                raise InputError(
                    f"The Document's segment {n} (line {seg.line}, [{seg.start}, {seg.end})) is "
                    "not inside its text after the segment before it."
                )
            if self.text[seg.start : seg.end] != seg.text:
                raise InputError(f"The Document's segment {n} is not its text at its offsets.")
            end = seg.end

    @property
    def to_translate(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.translated)
