"""Symmetrization of two directional alignments (Koehn et al. 2003; Och & Ney 2003).

Hand-written: the reference implementation is fast_align's C++ ``atools``, which is not
packaged for Python, and the heuristics are a few set operations.

Links are (source index, target index) pairs. ``forward`` comes from the aligner that
picks one source word for each target word, ``reverse`` from the other direction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Links = frozenset[tuple[int, int]]
_NEIGHBOURS = ((-1, 0), (0, -1), (1, 0), (0, 1))
_DIAGONAL = ((-1, -1), (-1, 1), (1, -1), (1, 1))


def intersection(forward: Iterable[tuple[int, int]], reverse: Iterable[tuple[int, int]]) -> Links:
    return frozenset(forward) & frozenset(reverse)


def union(forward: Iterable[tuple[int, int]], reverse: Iterable[tuple[int, int]]) -> Links:
    return frozenset(forward) | frozenset(reverse)


def _grow(forward: Links, reverse: Links, diagonal: bool, final: bool, final_and: bool) -> Links:
    alignment = set(forward & reverse)
    candidates = forward | reverse
    src_aligned = {i for i, _ in alignment}
    tgt_aligned = {j for _, j in alignment}
    steps = _NEIGHBOURS + (_DIAGONAL if diagonal else ())

    def add(i: int, j: int) -> None:
        alignment.add((i, j))
        src_aligned.add(i)
        tgt_aligned.add(j)

    grew = True
    while grew:
        grew = False
        for i, j in sorted(alignment):
            for di, dj in steps:
                p = (i + di, j + dj)
                if (
                    p in candidates
                    and p not in alignment
                    and (p[0] not in src_aligned or p[1] not in tgt_aligned)
                ):
                    add(*p)
                    grew = True
    if final:
        for direction in (forward, reverse):
            for i, j in sorted(direction):
                if final_and:
                    ok = i not in src_aligned and j not in tgt_aligned
                else:
                    ok = i not in src_aligned or j not in tgt_aligned
                if ok:
                    add(i, j)
    return frozenset(alignment)


def grow_diag(forward: Iterable[tuple[int, int]], reverse: Iterable[tuple[int, int]]) -> Links:
    return _grow(frozenset(forward), frozenset(reverse), True, False, False)


def grow_diag_final(
    forward: Iterable[tuple[int, int]], reverse: Iterable[tuple[int, int]]
) -> Links:
    return _grow(frozenset(forward), frozenset(reverse), True, True, False)


def grow_diag_final_and(
    forward: Iterable[tuple[int, int]], reverse: Iterable[tuple[int, int]]
) -> Links:
    return _grow(frozenset(forward), frozenset(reverse), True, True, True)


HEURISTICS: dict[str, Callable[[Iterable[tuple[int, int]], Iterable[tuple[int, int]]], Links]] = {
    "intersection": intersection,
    "union": union,
    "grow-diag": grow_diag,
    "grow-diag-final": grow_diag_final,
    "grow-diag-final-and": grow_diag_final_and,
}
DEFAULT_HEURISTIC = "grow-diag-final-and"


def symmetrize(
    forward: Iterable[tuple[int, int]], reverse: Iterable[tuple[int, int]], heuristic: str
) -> Links:
    try:
        return HEURISTICS[heuristic](forward, reverse)
    except KeyError:
        raise ValueError(
            f"unknown symmetrization {heuristic!r}; choose from {', '.join(HEURISTICS)}"
        ) from None
