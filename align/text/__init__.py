"""The text stage: read an article, give each line a role, split it into sentence segments.

``segment_text`` is pure: it takes the decoded text (see ``read.py`` for what the offsets are
into: the file's text with only a BOM removed, line ends kept) and returns a ``Document``
whose segments point into it, ``text[start:end]`` included. Lines end at CRLF, CR or LF; a
segment never holds a line end, and never starts or ends with whitespace or an invisible
format character (``segment.INVISIBLE``).
"""

from __future__ import annotations

from align.doc import Document, Segment
from align.text.classify import caption_and_credit, classify_line, classify_lines
from align.text.read import (
    decode_article,
    line_end_note,
    line_spans,
    read_article,
    read_lines,
    swapped,
)
from align.text.segment import split_sentences, strip_span

__all__ = [
    "caption_and_credit",
    "classify_line",
    "classify_lines",
    "decode_article",
    "line_end_note",
    "line_spans",
    "read_article",
    "read_lines",
    "segment_text",
    "split_sentences",
    "strip_span",
    "swapped",
]

# Roles that are one segment per line, never split into sentences.
_WHOLE_LINE_ROLES = ("boilerplate", "credit", "byline")


def _segments_of_line(line: str, role: str) -> list[tuple[str, int, int]]:
    """(role, start, end) of the segments of one line, offsets into the line."""
    if role in _WHOLE_LINE_ROLES:
        start, end = strip_span(line, 0, len(line))
        return [(role, start, end)] if start < end else []
    spans = caption_and_credit(line) if role == "caption" else None
    if spans is None:
        return [(role, s, e) for s, e in split_sentences(line)]
    (cap_start, cap_end), credit = spans
    caption = [
        ("caption", cap_start + s, cap_start + e)
        for s, e in split_sentences(line[cap_start:cap_end])
    ]
    return [*caption, ("credit", *credit)]


def segment_text(text: str, doc_id: str = "") -> Document:
    """Classify the lines of ``text``, split them into segments and return the Document.

    Lines end at ``\\r\\n``, ``\\r`` or ``\\n``; a line with nothing but whitespace and
    invisible marks gives no segment; ``line`` is 1-based and offsets are into the whole
    ``text``.
    """
    bounds = line_spans(text)
    lines = [text[s:e] for s, e in bounds]
    roles = classify_lines(lines)
    segments: list[Segment] = []
    for number, ((offset, _), line, role) in enumerate(zip(bounds, lines, roles, strict=True), 1):
        for seg_role, start, end in _segments_of_line(line, role):
            segments.append(
                Segment(
                    index=len(segments),
                    line=number,
                    role=seg_role,
                    start=offset + start,
                    end=offset + end,
                    text=line[start:end],
                )
            )
    return Document(id=doc_id, text=text, segments=tuple(segments))
