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
    src: int  # index into the source tokens
    tgt: int  # index into the target tokens
    confidence: float
    sure: bool = True


@dataclass(frozen=True)
class SpanPair:
    src: tuple[int, int]  # character offsets into the source text
    tgt: tuple[int, int]  # character offsets into the target text
    confidence: float


@dataclass(frozen=True)
class Alignment:
    src_tokens: tuple[Token, ...]
    tgt_tokens: tuple[Token, ...]
    links: tuple[Link, ...]
    spans: tuple[SpanPair, ...]
    method: str

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
            self, src_tokens=tokens(self.src_tokens, src), tgt_tokens=tokens(self.tgt_tokens, tgt),
            spans=spans,
        )  # fmt: skip

    def pharaoh(self) -> str:
        return " ".join(f"{x.src}{'-' if x.sure else '?'}{x.tgt}" for x in self.links)

    def to_json(self) -> dict:
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
        }


class Aligner(Protocol):
    """Every alignment method looks the same from outside: pairs in, alignments out."""

    method: str

    def align(self, pairs: Sequence[tuple[str, str]]) -> list[Alignment]: ...
