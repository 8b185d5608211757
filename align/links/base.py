"""Alignment records shared by every aligner: tokens with offsets, links, span pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol


@dataclass(frozen=True)
class Token:
    """A unit on one side of a pair; ``text[start:end]`` of that side's string."""

    start: int
    end: int


@dataclass(frozen=True)
class Link:
    """A link between a source unit and a target unit (indices into an alignment's
    ``src_tokens`` and ``tgt_tokens``), with its confidence (0–1) and whether it is sure
    rather than possible."""

    src: int  # index into the source tokens
    tgt: int  # index into the target tokens
    confidence: float
    sure: bool = True


def pharaoh_line(links) -> str:
    """Links as one Pharaoh line, in the order given: ``i-j`` for a sure link, ``i?j`` for
    a possible one (the one writer of the format)."""
    return " ".join(f"{x.src}{'-' if x.sure else '?'}{x.tgt}" for x in links)


@dataclass(frozen=True)
class SpanPair:
    """A source span and the target span it is aligned with (``[start, end)`` character
    offsets into each side's text), with the mean confidence of its links."""

    src: tuple[int, int]  # character offsets into the source text
    tgt: tuple[int, int]  # character offsets into the target text
    confidence: float


@dataclass(frozen=True)
class Alignment:
    """Links between the units of two texts, and the span pairs they make.

    Units may be smaller than words (Arabic clitics, English contractions): then
    ``src_words``/``tgt_words`` are the words and ``src_word``/``tgt_word`` give each unit's
    word; empty means the units are the words.
    """

    src_tokens: tuple[Token, ...]
    tgt_tokens: tuple[Token, ...]
    links: tuple[Link, ...]
    spans: tuple[SpanPair, ...]
    method: str
    src_words: tuple[Token, ...] = ()
    tgt_words: tuple[Token, ...] = ()
    src_word: tuple[int, ...] = ()
    tgt_word: tuple[int, ...] = ()

    def word_links(self) -> dict[tuple[int, int], Link]:
        """Links between words (a word pair is linked if any of their units are): the
        strongest unit link stands for the pair; sure if any of them is sure."""
        out: dict[tuple[int, int], Link] = {}
        for x in self.links:
            i = self.src_word[x.src] if self.src_word else x.src
            j = self.tgt_word[x.tgt] if self.tgt_word else x.tgt
            old = out.get((i, j))
            if old is None or x.confidence > old.confidence or (x.sure and not old.sure):
                sure = x.sure or (old.sure if old else False)
                out[(i, j)] = Link(i, j, max(x.confidence, old.confidence if old else 0.0), sure)
        return dict(sorted(out.items()))

    def word_pharaoh(self) -> str:
        """Pharaoh line over words (what ``arabic-align links`` writes)."""
        return pharaoh_line(self.word_links().values())

    def shifted(self, src: int = 0, tgt: int = 0) -> Alignment:
        """The same alignment with offsets moved, e.g. from a segment into its article."""

        def tokens(side: tuple[Token, ...], k: int) -> tuple[Token, ...]:
            return tuple(Token(t.start + k, t.end + k) for t in side)

        spans = tuple(
            SpanPair(
                (p.src[0] + src, p.src[1] + src), (p.tgt[0] + tgt, p.tgt[1] + tgt), p.confidence
            )
            for p in self.spans
        )
        return replace(
            self,
            src_tokens=tokens(self.src_tokens, src),
            tgt_tokens=tokens(self.tgt_tokens, tgt),
            spans=spans,
            src_words=tokens(self.src_words, src),
            tgt_words=tokens(self.tgt_words, tgt),
        )

    def pharaoh(self) -> str:
        return pharaoh_line(self.links)

    @classmethod
    def from_json(cls, data) -> Alignment:
        """An alignment back from ``to_json``'s form; a ``ValueError`` for anything else."""
        return alignment_from_json(data)

    def to_json(self) -> dict:
        words = {}
        if self.src_word or self.tgt_word:
            words = {
                "src_words": [[t.start, t.end] for t in self.src_words],
                "tgt_words": [[t.start, t.end] for t in self.tgt_words],
                "src_unit_word": list(self.src_word),
                "tgt_unit_word": list(self.tgt_word),
            }
        return {
            "method": self.method,
            "src_tokens": [[t.start, t.end] for t in self.src_tokens],
            "tgt_tokens": [[t.start, t.end] for t in self.tgt_tokens],
            "links": [
                {"src": x.src, "tgt": x.tgt, "confidence": round(x.confidence, 4), "sure": x.sure}
                for x in self.links
            ],
            "spans": [
                {"src": list(s.src), "tgt": list(s.tgt), "confidence": round(s.confidence, 4)}
                for s in self.spans
            ],
            **words,
        }


def _pairs(value, what: str) -> tuple[Token, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{what} is not a list")
    out = []
    for x in value:
        if (
            not isinstance(x, list)
            or len(x) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in x)
            or not 0 <= x[0] <= x[1]
        ):
            raise ValueError(f"{what} holds {x!r}, not a [start, end] pair of offsets")
        out.append(Token(x[0], x[1]))
    return tuple(out)


def _index_list(value, size: int, bound: int, what: str) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) != size:
        raise ValueError(f"{what} is not a list of {size} word indices")
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < bound for v in value):
        raise ValueError(f"{what} holds an index outside its {bound} words")
    return tuple(value)


def _number(value, what: str) -> float:
    """A confidence as the records hold it: a number from 0 to 1 (NaN and infinities are
    refused: JSON has no such numbers, and a strict reader rejects the file)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} is {value!r}, not a number")
    if not 0 <= value <= 1:
        raise ValueError(f"{what} is {value!r}, not a number from 0 to 1")
    return float(value)


def alignment_from_json(data) -> Alignment:
    """The inverse of ``Alignment.to_json``, checking every field's type and every index;
    a ``ValueError`` says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("the alignment is not a JSON object")
    method = data.get("method")
    if not isinstance(method, str):
        raise ValueError("the alignment has no method name")
    src, tgt = (
        _pairs(data.get("src_tokens"), "src_tokens"),
        _pairs(data.get("tgt_tokens"), "tgt_tokens"),
    )
    links = []
    for x in data.get("links") if isinstance(data.get("links"), list) else [None]:
        if not isinstance(x, dict):
            raise ValueError("a link is not a JSON object")
        i, j = x.get("src"), x.get("tgt")
        if (
            not (isinstance(i, int) and isinstance(j, int))
            or isinstance(i, bool)
            or isinstance(j, bool)
        ):
            raise ValueError(f"the link {x!r} has no integer src and tgt")
        if not (0 <= i < len(src) and 0 <= j < len(tgt)):
            raise ValueError(f"the link {i}-{j} points outside the {len(src)}×{len(tgt)} tokens")
        sure = x.get("sure", True)
        if not isinstance(sure, bool):
            raise ValueError(f"the link {i}-{j} has a sure flag that is not true or false")
        links.append(Link(i, j, _number(x.get("confidence", 1.0), "a link's confidence"), sure))
    spans = []
    for x in data.get("spans", []) if isinstance(data.get("spans", []), list) else [None]:
        if not isinstance(x, dict):
            raise ValueError("a span pair is not a JSON object")
        (s,), (t,) = _pairs([x.get("src")], "a span's src"), _pairs([x.get("tgt")], "a span's tgt")
        spans.append(
            SpanPair(
                (s.start, s.end),
                (t.start, t.end),
                _number(x.get("confidence", 1.0), "a span's confidence"),
            )
        )
    words: dict = {}
    if "src_words" in data or "src_unit_word" in data:
        sw, tw = (
            _pairs(data.get("src_words"), "src_words"),
            _pairs(data.get("tgt_words"), "tgt_words"),
        )
        words = {
            "src_words": sw,
            "tgt_words": tw,
            "src_word": _index_list(data.get("src_unit_word"), len(src), len(sw), "src_unit_word"),
            "tgt_word": _index_list(data.get("tgt_unit_word"), len(tgt), len(tw), "tgt_unit_word"),
        }
    return Alignment(src, tgt, tuple(links), tuple(spans), method, **words)


def alignment_problem(alignment: Alignment, src: str, tgt: str) -> str | None:
    """What is wrong with an ``Alignment`` an aligner returned for the pair (``src``,
    ``tgt``), as the end of a sentence ("whose link 3-7 points outside its 4×5 tokens"),
    or None when it is whole: the form the records hold (``to_json`` read back by
    ``alignment_from_json``) and every offset inside its text."""
    try:
        data = alignment.to_json()
        alignment_from_json(data)
    except ValueError as exc:
        return f"that is not whole: {exc}"
    except (TypeError, AttributeError):
        return "whose fields are not of their types (Token, Link, SpanPair, tuples of them)"
    for side, text, tokens in (
        ("source", src, (*alignment.src_tokens, *alignment.src_words)),
        ("target", tgt, (*alignment.tgt_tokens, *alignment.tgt_words)),
    ):
        if any(t.end > len(text) for t in tokens):
            return f"whose {side} offsets reach past its {len(text)} characters"
    # Words and units as the run's readers take them (the review counts a word as one
    # space-separated token of its exports): each some text without whitespace, in order.
    for side, text, kind, tokens in (
        ("source", src, "word", alignment.src_words),
        ("source", src, "unit", alignment.src_tokens),
        ("target", tgt, "word", alignment.tgt_words),
        ("target", tgt, "unit", alignment.tgt_tokens),
    ):
        before = 0
        for n, t in enumerate(tokens):
            piece = text[t.start : t.end]
            if not piece or any(ch.isspace() for ch in piece):
                return f"whose {side} {kind} {n} {piece!r} is empty or holds whitespace"
            if t.start < before:
                return f"whose {side} {kind} {n} overlaps the one before it"
            before = t.end
    # Each unit inside the word the map gives it: word links, exports and the review take a
    # unit's word from the map, and the report and offsets from the unit's own characters.
    for side, units, words, owner in (
        ("source", alignment.src_tokens, alignment.src_words, alignment.src_word),
        ("target", alignment.tgt_tokens, alignment.tgt_words, alignment.tgt_word),
    ):
        for n, (unit, w) in enumerate(zip(units, owner, strict=False)):
            if not words[w].start <= unit.start <= unit.end <= words[w].end:
                return f"whose {side} unit {n} lies outside word {w}, the word its map gives it"
    for p in alignment.spans:
        if p.src[1] > len(src) or p.tgt[1] > len(tgt):
            return f"whose span pair {list(p.src)}–{list(p.tgt)} reaches past its texts"
    return None


class Aligner(Protocol):
    """Every alignment method looks the same from outside: pairs in, alignments out."""

    method: str

    def align(self, pairs: Sequence[tuple[str, str]]) -> list[Alignment]: ...
