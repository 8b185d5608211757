"""What every translation check shares: its input (one segment with its translation and
alignment, and the article around it), its finding, and its interface.

A check is one module of ``align.checks`` that defines ``CHECK``, an object with a ``name``
and ``check(segment, article) -> list[Finding]``; ``align.checks.all_checks()`` finds every
such module, so a new check is a new file (as a new metric is a new class in sacrebleu); a
check of many rules is a folder whose ``__init__`` defines it (``name``, ``number``). The
modules that define no ``CHECK`` (this one, ``dictionary``, ``words``) are what checks share.
``article`` may be None for a segment checked alone: a check that compares the segment
with its article then does without (the length checks take a typical ratio).
"""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass
from functools import cached_property, lru_cache
from statistics import median
from typing import Protocol

from align.text.segment import is_blank

# A link counts only if it is at least this share of the strongest link of the word at its
# other end (a guess beside a sure link elsewhere: "trip" 1.0 to رحلته and 0.5 to المناسبات).
# Omission on the benchmark (scripts/bench_checks.py, seed 0), 0.6: P 0.74 R 0.54 FA 0.016;
# 0 (off): P 0.62 R 0.42 FA 0.025; 0.8: P 0.71 R 0.57 FA 0.020.
DOMINANCE = 0.6

SEVERITIES = ("error", "warning", "info")  # worst first


@dataclass(frozen=True)
class Finding:
    """One thing a person should look at: where (character offsets into the segment's
    source and translation; None for a side it has no place on), what (``check`` and
    ``kind``), how bad (``severity``), how sure (``confidence``, 0–1) and one sentence."""

    check: str
    kind: str  # e.g. missing, extra, changed, untranslated, repeated, length
    severity: str
    confidence: float
    message: str
    src: tuple[int, int] | None = None
    tgt: tuple[int, int] | None = None

    def to_json(self) -> dict:
        return {
            "check": self.check,
            "kind": self.kind,
            "severity": self.severity,
            "confidence": round(float(self.confidence), 4),
            "message": self.message,
            "src": list(self.src) if self.src is not None else None,
            "tgt": list(self.tgt) if self.tgt is not None else None,
        }

    @classmethod
    def from_json(cls, data) -> Finding:
        """The inverse of ``to_json``; a ``ValueError`` says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a finding is not a JSON object")
        for key in ("check", "kind", "message"):
            if not isinstance(data.get(key), str):
                raise ValueError(f"a finding has no {key}")
        if data.get("severity") not in SEVERITIES:
            raise ValueError(f"a finding has the severity {data.get('severity')!r}")
        confidence = data.get("confidence")
        if (
            isinstance(confidence, bool)
            or not isinstance(confidence, int | float)
            or not 0 <= confidence <= 1  # (NaN compares false: refused too)
        ):
            raise ValueError("a finding's confidence is not a number from 0 to 1")
        spans = []
        for side in ("src", "tgt"):
            x = data.get(side)
            if x is None:
                spans.append(None)
                continue
            if (
                not isinstance(x, list)
                or len(x) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in x)
                or not 0 <= x[0] <= x[1]
            ):
                raise ValueError(f"a finding's {side} is not a [start, end] pair")
            spans.append((x[0], x[1]))
        return cls(
            data["check"], data["kind"], data["severity"], float(confidence),
            data["message"], spans[0], spans[1],
        )  # fmt: skip

    @property
    def rank(self) -> tuple[int, float]:
        """Sort key, worst first: severity, then confidence."""
        return (SEVERITIES.index(self.severity), -self.confidence)


@dataclass(frozen=True)
class SegmentInput:
    """One translated segment as the checks see it. ``alignment`` is the source↔translation
    alignment (``align.run.PairAlignment``: words and units with their text, links, in the
    segment's own offsets), or None when the segment was not aligned."""

    index: int
    source: str
    translation: str
    alignment: object | None = None
    reference: str | None = None
    role: str = "body"
    # Where the segment's own source lies in ``source`` when ``source`` holds the sources
    # of its whole bead (a translation in document layout whose sentences went to one
    # segment of several): the findings' source spans are brought back to it.
    own: tuple[int, int] | None = None


@dataclass(frozen=True)
class ArticleInput:
    """The article around a segment: every translated segment, for checks that compare a
    segment with the rest (its length ratio with the article's, a name seen elsewhere)."""

    segments: tuple[SegmentInput, ...]

    @cached_property
    def length_ratio(self) -> float | None:
        """The article's own translation/source length ratio (characters without spaces,
        median over segments with both sides), or None with fewer than three segments."""
        ratios = [
            _chars(s.translation or "") / _chars(s.source or "")
            for s in self.segments
            if _chars(s.source or "") and _chars(s.translation or "")  # (None: never translated)
        ]
        return median(ratios) if len(ratios) >= 3 else None


def has_words(text: str) -> bool:
    """Whether a text has a letter or a digit: one of punctuation, spaces or invisible marks
    alone is no translation (the length and omission checks say so; the others leave it)."""
    return any(ch.isalnum() for ch in text)


@lru_cache(maxsize=4096)  # (each side of a segment is counted by three checks)
def _chars(text: str) -> int:
    """The characters that show: neither whitespace nor an invisible format character
    (a zero-width space or a bidi control is no text of a translation)."""
    return sum(1 for ch in text if not is_blank(ch))


class Check(Protocol):
    name: str

    def check(self, segment: SegmentInput, article: ArticleInput | None) -> list[Finding]: ...


def for_the_last(function):
    """``function`` of one argument, with its result kept for the last argument it was
    given (the same object, not an equal one): a run checks one article's segments one
    after the other, and each may ask the same of the article or of the dictionary. The
    argument is held by a weak reference where it takes one (an article and its
    alignments are not kept alive for it). One tuple, read and replaced whole, so that
    threads checking other articles at the same time cannot mix two up."""
    last: list[tuple] = [(None, None, False)]

    @functools.wraps(function)
    def kept(argument):
        held, result, weak = last[0]
        # (a weak reference to an argument since collected gives None: no match for None)
        if held is not None and held() is argument and not (weak and argument is None):
            return result
        result = function(argument)
        try:
            held, weak = weakref.ref(argument), True
        except TypeError:  # a dict or None: held as it is
            held, weak = functools.partial(lambda x: x, argument), False
        last[0] = (held, result, weak)
        return result

    return kept


def quoted(text: str, limit: int = 60) -> str:
    """A text as a finding's sentence quotes it: on one line, cut at ``limit`` characters."""
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[: limit - 1]}…”"
