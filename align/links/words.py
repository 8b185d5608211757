"""Word units that alignment links are made of, with exact character offsets.

Rules (Arabic and English alike):
- whitespace separates words (``str.isspace``: spaces, tabs, no-break spaces);
- every punctuation (P*) or symbol (S*) character is a token of its own, so that "،" or
  "%" can be linked and highlighted by itself;
- except an apostrophe between two word characters ("don't", "Kirby's" stay whole);
- and except a number separator between two digits ("11:15", "3.5", "1,000", "28/3",
  "٣٫٥" stay whole): a time or an amount is translated as one unit, and splitting it would
  only give the aligner several copies of the same link to find;
- format characters (bidi marks, zero-width joiners) are trimmed from the edges of a word
  and never form a word alone; inside a word (a ZWNJ) they stay.

Word characters are letters, digits and combining marks, so Arabic diacritics and tatweel
(a modifier letter) stay inside their word. Clitics are not split here: that is a later
tokenizer's job, which can replace this function as long as it returns offsets.
"""

from __future__ import annotations

import functools
import unicodedata

from align.links.base import Token

APOSTROPHES = frozenset("'\u2019")  # ASCII apostrophe, right single quotation mark
# Decimal and thousands separators, time and date separators, Arabic decimal/thousands signs.
NUMBER_SEPARATORS = frozenset(".,:/\u066b\u066c")


def _category(ch: str) -> str:
    return unicodedata.category(ch)


def _is_word_char(ch: str) -> bool:
    return _category(ch)[0] in "LNM"


def _is_split_char(ch: str) -> bool:
    return _category(ch)[0] in "PS"


def _joins(text: str, i: int) -> bool:
    """Whether the punctuation at ``text[i]`` stays inside the word around it."""
    if i == 0 or i == len(text) - 1:
        return False
    left, ch, right = text[i - 1], text[i], text[i + 1]
    if ch in APOSTROPHES:
        return _is_word_char(left) and _is_word_char(right)
    if ch in NUMBER_SEPARATORS:
        return left.isdigit() and right.isdigit()
    return False


def _trimmed(text: str, start: int, end: int) -> Token | None:
    """The run ``text[start:end]`` without format characters at its edges, if anything is left."""
    while start < end and _category(text[start]) == "Cf":
        start += 1
    while end > start and _category(text[end - 1]) == "Cf":
        end -= 1
    return Token(start, end) if start < end else None


# A run splits each text many times (units, attention, spans, checks, records); the result
# is an immutable tuple of frozen tokens, so it is kept.
@functools.lru_cache(maxsize=8192)
def word_tokens(text: str) -> tuple[Token, ...]:
    """Split ``text`` into word tokens; ``text[t.start:t.end]`` is each token's text."""
    tokens: list[Token] = []
    run_start: int | None = None

    def close_run(end: int) -> None:
        nonlocal run_start
        if run_start is not None:
            token = _trimmed(text, run_start, end)
            if token is not None:
                tokens.append(token)
            run_start = None

    for i, ch in enumerate(text):
        if ch.isspace():
            close_run(i)
        elif _is_split_char(ch) and not _joins(text, i):
            close_run(i)
            tokens.append(Token(i, i + 1))
        elif run_start is None:
            run_start = i
    close_run(len(text))
    return tuple(tokens)
