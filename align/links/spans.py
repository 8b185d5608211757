"""Span pairs from word links: the minimal phrase pairs consistent with the links.

A span pair is a box of source tokens × target tokens that no link leaves: every link with
one end inside the box has its other end inside too (the consistency rule of phrase-based
MT). The boxes start as the connected components of the link graph and merge until that
holds, so a reviewer who clicks an English span sees every Arabic word it depends on.
Boxes that merely nest (one inside another, with no link crossing) stay separate: each is
already consistent, and keeping them apart keeps them minimal.
"""

from __future__ import annotations

from collections.abc import Sequence

from align.links.base import Link, SpanPair, Token


class _Groups:
    """Union-find over links, keeping each group's token box up to date."""

    def __init__(self, links: Sequence[Link]) -> None:
        self.parent = list(range(len(links)))
        self.box = {i: (x.src, x.src, x.tgt, x.tgt) for i, x in enumerate(links)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return False
        a, b = min(a, b), max(a, b)
        (s0, s1, t0, t1), (u0, u1, v0, v1) = self.box[a], self.box.pop(b)
        self.parent[b] = a
        self.box[a] = (min(s0, u0), max(s1, u1), min(t0, v0), max(t1, v1))
        return True


def _check(links: Sequence[Link], n_src: int, n_tgt: int) -> None:
    for x in links:
        if not (0 <= x.src < n_src and 0 <= x.tgt < n_tgt):
            raise IndexError(
                f"link {x.src}-{x.tgt} points outside {n_src} source and {n_tgt} target tokens"
            )


def span_pairs(
    links: Sequence[Link], src_tokens: Sequence[Token], tgt_tokens: Sequence[Token]
) -> tuple[SpanPair, ...]:
    """Minimal consistent span pairs, ordered by source start (then target start)."""
    _check(links, len(src_tokens), len(tgt_tokens))
    groups = _Groups(links)
    # Connected components: links sharing a source or a target token belong together.
    first_at: dict[tuple[str, int], int] = {}
    for i, x in enumerate(links):
        for node in (("s", x.src), ("t", x.tgt)):
            groups.union(i, first_at.setdefault(node, i))
    # Grow: a link with exactly one end inside a box pulls its whole group into that box.
    # Each merge only grows boxes, so repeating the pass until nothing merges terminates.
    changed = True
    while changed:
        changed = False
        for i, x in enumerate(links):
            for root in list(groups.box):
                if root not in groups.box:  # merged away earlier in this pass
                    continue
                s0, s1, t0, t1 = groups.box[root]
                if (s0 <= x.src <= s1) != (t0 <= x.tgt <= t1):
                    changed |= groups.union(root, i)

    members: dict[int, list[float]] = {}
    for i, x in enumerate(links):
        members.setdefault(groups.find(i), []).append(x.confidence)
    pairs = []
    for root, confidences in members.items():
        s0, s1, t0, t1 = groups.box[root]
        pairs.append(
            SpanPair(
                src=(src_tokens[s0].start, src_tokens[s1].end),
                tgt=(tgt_tokens[t0].start, tgt_tokens[t1].end),
                confidence=sum(confidences) / len(confidences),
            )
        )
    return tuple(sorted(pairs, key=lambda p: (p.src, p.tgt)))
