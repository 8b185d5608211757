"""The text stage: read an article, give each line a role, split it into sentence segments.

``segment_text`` is pure: it takes the decoded text (see ``read.py`` for what the offsets are
into) and returns a ``Document`` whose segments point into it, ``text[start:end]`` included.
"""

from __future__ import annotations

from align.doc import Document, Segment
from align.text.classify import caption_and_credit, classify_line, classify_lines
from align.text.read import decode_article, read_article
from align.text.segment import split_sentences

__all__ = [
    "caption_and_credit",
    "classify_line",
    "classify_lines",
    "decode_article",
    "read_article",
    "segment_text",
    "split_sentences",
]

# Roles that are one segment per line, never split into sentences.
_WHOLE_LINE_ROLES = ("boilerplate", "credit", "byline")


def _strip_span(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def _line_spans(line: str, role: str) -> list[tuple[str, int, int]]:
    """(role, start, end) of the segments of one line, offsets into the line."""
    if role in _WHOLE_LINE_ROLES:
        return [(role, *_strip_span(line, 0, len(line)))]
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

    Lines are split at ``\\n``; blank lines give no segment; ``line`` is 1-based and
    offsets are into the whole ``text``.
    """
    lines = text.split("\n")
    roles = classify_lines(lines)
    segments: list[Segment] = []
    offset = 0
    for number, (line, role) in enumerate(zip(lines, roles, strict=True), start=1):
        if line.strip():
            for seg_role, start, end in _line_spans(line, role):
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
        offset += len(line) + 1
    return Document(id=doc_id, text=text, segments=tuple(segments))
