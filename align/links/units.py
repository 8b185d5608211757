"""The two sides of a pair as words and alignment units, with matching forms.

Words are what a user sees and what Pharaoh files index: :func:`word_tokens` of the text,
or, for pretokenized input, the space-separated tokens given. Units are what aligners link:
on the Arabic side a word cut into proclitics, stem and pronoun suffix (``CliticSplitter``),
on the English side the words themselves. Every unit keeps character offsets into the
original text and the index of its word; ``forms`` are the normalized strings that aligners
count and compare (never shown).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from align.links.arabic import CliticSplitter, normalize
from align.links.base import Token
from align.links.words import word_tokens

_NON_SPACE = re.compile(r"\S+")
# Quotation marks as one form (Arabic punctuation is mapped by ``normalize`` already).
_PUNCT_FORMS = str.maketrans(
    {"،": ",", "؛": ";", "؟": "?", "٪": "%", "«": '"', "»": '"', "“": '"', "”": '"'}
)


@dataclass(frozen=True)
class Side:
    text: str
    words: tuple[Token, ...]
    units: tuple[Token, ...]
    unit_word: tuple[int, ...]  # the word each unit belongs to
    forms: tuple[str, ...]  # matching form of each unit


def given_tokens(text: str) -> tuple[Token, ...]:
    """The whitespace-separated tokens of pretokenized text, with their offsets."""
    return tuple(Token(m.start(), m.end()) for m in _NON_SPACE.finditer(text))


def _words(text: str, pretokenized: bool) -> tuple[Token, ...]:
    return given_tokens(text) if pretokenized else word_tokens(text)


def word_strings(text: str, pretokenized: bool) -> list[str]:
    if pretokenized:
        return text.split()  # the same tokens as given_tokens, without building Tokens
    return [text[w.start : w.end] for w in word_tokens(text)]


Pieces = tuple[tuple[str, int, int], ...]  # (matching form, start, end) within one word


def _matching(form: str) -> str:
    return form.lower().translate(_PUNCT_FORMS).replace("’", "'")


# English contractions are two words written as one, like Arabic clitics: "don't" is
# do + n't, "I'm" I + 'm. Split for alignment, so each half can take its own link.
_CONTRACTION = re.compile(r"(?i)(n['’]t|['’](?:s|m|re|ll|ve|d))$")


@functools.lru_cache(maxsize=65536)
def _english_pieces(raw: str, contractions: bool = True) -> Pieces:
    m = _CONTRACTION.search(raw) if contractions else None
    cuts = [0, m.start(), len(raw)] if m and m.start() > 0 else [0, len(raw)]
    return tuple(
        (_matching(unicodedata.normalize("NFKC", raw[a:b])), a, b)
        for a, b in itertools.pairwise(cuts)
    )


def _arabic_pieces(raw: str, splitter: CliticSplitter | None) -> Pieces:
    if splitter is None:
        return ((normalize(raw).lower(), 0, len(raw)),)
    return splitter.pieces(raw)  # normalized forms are already matching forms


def _side(text: str, words: tuple[Token, ...], pieces_of) -> Side:
    units: list[Token] = []
    unit_word: list[int] = []
    forms: list[str] = []
    for k, w in enumerate(words):
        for form, start, end in pieces_of(text[w.start : w.end]):
            units.append(Token(w.start + start, w.start + end))
            unit_word.append(k)
            forms.append(form)
    return Side(text, words, tuple(units), tuple(unit_word), tuple(forms))


def english_side(text: str, pretokenized: bool = False, contractions: bool = True) -> Side:
    return _side(text, _words(text, pretokenized), lambda raw: _english_pieces(raw, contractions))


def arabic_side(text: str, splitter: CliticSplitter | None, pretokenized: bool = False) -> Side:
    return _side(text, _words(text, pretokenized), lambda raw: _arabic_pieces(raw, splitter))


def english_forms(text: str, pretokenized: bool = False) -> list[str]:
    """Only the unit forms of ``english_side`` (fast: for training text that is not aligned)."""
    return [f for raw in word_strings(text, pretokenized) for f, _, _ in _english_pieces(raw)]


def arabic_forms(
    text: str, splitter: CliticSplitter | None, pretokenized: bool = False
) -> list[str]:
    """Only the unit forms of ``arabic_side`` (fast: for training text that is not aligned)."""
    return [
        f for raw in word_strings(text, pretokenized) for f, _, _ in _arabic_pieces(raw, splitter)
    ]
