"""Documents and segments: offsets into the original text, never copies that can drift."""

from __future__ import annotations

from dataclasses import dataclass, field

from align.errors import InputError

ROLES = ("body", "caption", "credit", "byline", "boilerplate")
# Roles whose text is translated; boilerplate is kept in the record but not translated.
TRANSLATED_ROLES = ("body", "caption", "credit", "byline")


@dataclass(frozen=True)
class Segment:
    """A sentence-like unit of an article. ``text[start:end]`` of the document is ``self.text``."""

    index: int  # 0-based position among all segments of the document
    line: int  # 1-based line number in the decoded file text
    role: str
    start: int  # character offsets into the whole decoded text (BOM removed)
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
        if not isinstance(self.text, str):
            raise InputError("A Document's text must be a string.")
        for seg in self.segments:
            if (
                not isinstance(seg, Segment)
                or not (isinstance(seg.start, int) and isinstance(seg.end, int))
                or self.text[seg.start : seg.end] != seg.text
            ):
                raise InputError(
                    f"The Document's segment {getattr(seg, 'index', seg)!r} is not its text "
                    "at its offsets."
                )

    @property
    def to_translate(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.translated)
