"""Pharaoh link files and alignment error rate (Och & Ney 2003), with sure and possible links.

A Pharaoh line is space-separated ``i-j`` (sure) or ``i?j`` (possible) links, 0-based, i
indexing the Arabic tokens and j the English ones. Sure links count as possible too.
AER = 1 - (|A∩S| + |A∩P|) / (|A| + |S|); precision = |A∩P| / |A|; recall = |A∩S| / |S|.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from align.errors import InputError, MismatchError, UserError, clipped

# ASCII digits only: Python's \d and int() also take Arabic-Indic and fullwidth digits,
# which no Pharaoh writer emits, so they are a damaged file, not links.
_LINK = re.compile(r"([0-9]{1,9})([-?])([0-9]{1,9})", re.ASCII)
# No sentence has this many tokens (aligners stop near a thousand); a larger index is damage.
MAX_INDEX = 99_999


@dataclass(frozen=True)
class GoldLinks:
    sure: frozenset[tuple[int, int]]
    possible: frozenset[tuple[int, int]]  # includes the sure links


def parse_pharaoh(line: str, where: str = "") -> GoldLinks:
    sure, possible = set(), set()
    for item in line.split():
        m = _LINK.fullmatch(item)
        if m is None:
            raise InputError(
                f"{where}: {clipped(item)} is not a Pharaoh link (i-j or i?j, ASCII digits)."
            )
        link = (int(m.group(1)), int(m.group(3)))
        if max(link) > MAX_INDEX:
            raise InputError(
                f"{where}: {clipped(item)} has an index above {MAX_INDEX:,}, more tokens than any "
                "sentence has."
            )
        possible.add(link)
        if m.group(2) == "-":
            sure.add(link)
    return GoldLinks(frozenset(sure), frozenset(possible))


def read_pharaoh(path, what: str) -> list[GoldLinks]:
    """One line of links per pair; empty lines (and an empty file) are pairs without links."""
    from align.text import read_lines

    lines = read_lines(path, what, allow_empty=True)
    return [parse_pharaoh(line, f"{path}, line {n}") for n, line in enumerate(lines, 1)]


@dataclass(frozen=True)
class LinkScores:
    aer: float
    precision: float
    recall: float
    f1: float
    predicted: int
    sure: int
    possible: int
    pairs: int

    def to_json(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in self.__dict__.items()}


def link_scores(gold: Sequence[GoldLinks], predicted: Sequence[GoldLinks]) -> LinkScores:
    """Corpus-level AER, precision, recall and F1 of all ``predicted`` links against ``gold``."""
    if len(gold) != len(predicted):
        raise MismatchError(
            f"The gold file has {len(gold)} lines but the predicted file has {len(predicted)}."
        )
    if not any(g.sure for g in gold):
        raise UserError(
            "The gold links have no sure link (i-j): recall and AER are measured against sure "
            "links, so there is nothing to score; mark the links you are certain of as sure."
        )
    a = s = p = a_s = a_p = 0
    for g, x in zip(gold, predicted, strict=True):
        pred = x.possible
        a += len(pred)
        s += len(g.sure)
        p += len(g.possible)
        a_s += len(pred & g.sure)
        a_p += len(pred & g.possible)
    precision = a_p / a if a else 0.0
    recall = a_s / s if s else 0.0
    aer = 1.0 - (a_s + a_p) / (a + s) if a + s else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LinkScores(aer, precision, recall, f1, a, s, p, len(gold))
