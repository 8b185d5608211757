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
import re
import unicodedata
from dataclasses import dataclass

from align.links.arabic import CliticSplitter, normalize
from align.links.base import Token
from align.links.words import word_tokens

# Arabic punctuation written as its Latin counterpart in matching forms.
_NON_SPACE = re.compile(r"\S+")
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


@functools.lru_cache(maxsize=65536)
def english_form(word: str) -> str:
    return unicodedata.normalize("NFKC", word).lower().translate(_PUNCT_FORMS)


@functools.lru_cache(maxsize=65536)
def arabic_form(word: str) -> str:
    return normalize(word).lower().translate(_PUNCT_FORMS)


# English contractions are two words written as one, like Arabic clitics: "don't" is
# do + n't, "I'm" I + 'm. Split for alignment, so each half can take its own link.
_CONTRACTION = re.compile(r"(?i)(n['’]t|['’](?:s|m|re|ll|ve|d))$")


def english_side(text: str, pretokenized: bool = False, contractions: bool = True) -> Side:
    words = _words(text, pretokenized)
    units: list[Token] = []
    unit_word: list[int] = []
    forms: list[str] = []
    for k, w in enumerate(words):
        raw = text[w.start : w.end]
        m = _CONTRACTION.search(raw) if contractions else None
        cut = w.start + m.start() if m and m.start() > 0 else None
        pieces = [(w.start, cut), (cut, w.end)] if cut else [(w.start, w.end)]
        for a, b in pieces:
            units.append(Token(a, b))
            unit_word.append(k)
            forms.append(english_form(text[a:b]).replace("’", "'"))
    return Side(text, words, tuple(units), tuple(unit_word), tuple(forms))


def arabic_side(text: str, splitter: CliticSplitter | None, pretokenized: bool = False) -> Side:
    words = _words(text, pretokenized)
    units: list[Token] = []
    unit_word: list[int] = []
    forms: list[str] = []
    for k, w in enumerate(words):
        raw = text[w.start : w.end]
        if splitter is None:
            pieces: tuple[tuple[str, int, int], ...] = ((arabic_form(raw), 0, len(raw)),)
        else:
            pieces = splitter.pieces(raw)
        for form, start, end in pieces:
            units.append(Token(w.start + start, w.start + end))
            unit_word.append(k)
            forms.append(form.lower().translate(_PUNCT_FORMS))
    return Side(text, words, tuple(units), tuple(unit_word), tuple(forms))


def arabic_forms(
    text: str, splitter: CliticSplitter | None, pretokenized: bool = False
) -> list[str]:
    """Only the unit forms of ``arabic_side`` (fast: for training text that is not aligned)."""
    forms = []
    for w in _words(text, pretokenized):
        raw = text[w.start : w.end]
        if splitter is None:
            forms.append(arabic_form(raw))
        else:
            forms.extend(f.lower().translate(_PUNCT_FORMS) for f, _, _ in splitter.pieces(raw))
    return forms


def english_forms(text: str, pretokenized: bool = False) -> list[str]:
    """Only the unit forms of ``english_side``."""
    forms = []
    for w in _words(text, pretokenized):
        forms.extend(_english_pieces(text[w.start : w.end]))
    return forms


@functools.lru_cache(maxsize=65536)
def _english_pieces(raw: str) -> tuple[str, ...]:
    m = _CONTRACTION.search(raw)
    parts = (raw[: m.start()], raw[m.start() :]) if m and m.start() > 0 else (raw,)
    return tuple(english_form(p).replace("’", "'") for p in parts)


def splitter_for(texts, **options) -> CliticSplitter:
    """A clitic splitter whose word counts come from ``texts`` (the Arabic side to align)."""
    return CliticSplitter.from_texts(texts, **options)
