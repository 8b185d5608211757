"""Split a segment that is too long for the model into pieces that fit, at clause boundaries.

A MarianMT encoder has a fixed input limit (512 tokens for opus-mt-ar-en, ``</s>`` included).
Truncating a longer segment would silently drop text from the translation, so the segment is
cut into pieces instead, as few and as coarse as possible: first at sentence ends, then after
clause punctuation (؛ ; ، , :), then before the conjunction و at a word boundary, then at any
whitespace, and, for a single run of text with no space that is still too long, between
characters. Pieces are character spans into the original text, like every span here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Cut points, coarsest first. Punctuation must be followed by whitespace so that numbers and
# times ("1,000", "11:15") are never cut; a closing quote or bracket stays with its clause.
_CLOSE = "[" + re.escape("\"'»”’)]}") + "]*"
LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"[.!?؟…]+{_CLOSE}(?=\s)"),  # sentence ends (a segment may hold several)
    re.compile(rf"[؛;،,:]+{_CLOSE}(?=\s)"),  # clause punctuation
    # Before a word starting with و: the conjunction is written joined to the next word.
    # Not every such word is the conjunction (وزير, واشنطن), hence it comes after punctuation.
    re.compile(r"(?<=\S)(?=\s+و)"),
    re.compile(r"(?<=\S)(?=\s)"),  # any whitespace
)


def split_to_fit(
    text: str, count_tokens: Callable[[str], int], limit: int
) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` into ``text`` whose pieces each count ``<= limit``.

    The spans are in order, do not overlap, start and end on non-space characters and
    together cover every non-space character of ``text``; only whitespace between them is
    left out. Whitespace-only text gives no spans. Raises ``ValueError`` when not even one
    character fits, which means the limit is wrong, not the text.
    """
    if limit < 1:
        raise ValueError(f"token limit must be positive, not {limit}")
    start, end = _strip(text, 0, len(text))
    if start == end:
        return []
    return _split(text, start, end, count_tokens, limit, 0)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split(
    text: str, start: int, end: int, count: Callable[[str], int], limit: int, level: int
) -> list[tuple[int, int]]:
    if count(text[start:end]) <= limit:
        return [(start, end)]
    if level == len(LEVELS):
        return _split_chars(text, start, end, count, limit)
    chunks = _chunks(text, start, end, LEVELS[level])
    if len(chunks) == 1:
        return _split(text, start, end, count, limit, level + 1)
    # Greedy packing: join neighbouring chunks while they fit, so that pieces stay long
    # (more context for the model); a chunk too long alone is cut at the next finer level.
    out: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for chunk_start, chunk_end in chunks:
        if current is not None and count(text[current[0] : chunk_end]) <= limit:
            current = (current[0], chunk_end)
            continue
        if current is not None:
            out.append(current)
        if count(text[chunk_start:chunk_end]) <= limit:
            current = (chunk_start, chunk_end)
        else:
            out.extend(_split(text, chunk_start, chunk_end, count, limit, level + 1))
            current = None
    if current is not None:
        out.append(current)
    return out


def _chunks(text: str, start: int, end: int, cuts: re.Pattern[str]) -> list[tuple[int, int]]:
    """``text[start:end]`` cut at every match end of ``cuts``, each chunk stripped."""
    bounds = [start, *(m.end() for m in cuts.finditer(text, start, end)), end]
    chunks = (_strip(text, a, b) for a, b in zip(bounds, bounds[1:], strict=False))
    return [(a, b) for a, b in chunks if a < b]


def _split_chars(
    text: str, start: int, end: int, count: Callable[[str], int], limit: int
) -> list[tuple[int, int]]:
    """Longest prefixes that fit, found by bisection; never cut before a combining mark."""
    out: list[tuple[int, int]] = []
    while start < end:
        if count(text[start:end]) <= limit:
            out.append((start, end))
            break
        lo, hi = start + 1, end - 1  # the longest fitting prefix ends in [lo, hi]
        if count(text[start:lo]) > limit:
            raise ValueError(f"not even one character fits in {limit} tokens")
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count(text[start:mid]) <= limit:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        # Harakat and other combining marks belong to the letter before them.
        while cut > start + 1 and unicodedata.combining(text[cut]):
            cut -= 1
        out.append(_strip(text, start, cut))
        start, _ = _strip(text, cut, end)
    return out
