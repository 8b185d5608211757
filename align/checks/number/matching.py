"""The source's values paired with the translation's: equal values first, then the nearest."""

from __future__ import annotations

import bisect
import re
from collections import Counter

from align.checks.number.values import Value
from align.errors import clipped

# -- comparison -----------------------------------------------------------------------------


def _loose(v: Value) -> tuple:
    """The digits of a value alone (08:30 and 8:30, 12:00 and 12.00), for a second pass
    that pairs a time or date written as text with a value of the same digits."""
    if v.key[0] in ("month", "long"):
        return v.key
    digits = re.sub(r"\D", "", format(v.key[1], "f") if v.key[0] == "num" else v.key[1])
    return ("digits", digits.lstrip("0").rstrip("0") or "0")


def _match(src: list[Value], tgt: list[Value], n_src: int, n_tgt: int, key=None):
    """Pair equal values one to one, nearest relative position first; the rest.

    Values are grouped by key and each source value is offered only the ``_NEAREST``
    targets of its group nearest to it (a line of thousands of equal numbers would make
    every pair a candidate: seconds and gigabytes); rounds repeat over the values left
    unpaired until no pair is made, so a value is never left out while an equal one waits.
    """
    key = key or (lambda v: v.key)

    def where(v: Value, n: int) -> float:
        return v.start / max(n, 1)

    groups: dict = {}  # key: its targets' (relative position, index), by position
    for j, b in enumerate(tgt):
        groups.setdefault(key(b), []).append((where(b, n_tgt), j))
    for group in groups.values():
        group.sort()
    used_s: set[int] = set()
    used_t: set[int] = set()
    while True:
        pairs = []
        for i, a in enumerate(src):
            if i in used_s:
                continue
            group = groups.get(key(a), [])
            here = where(a, n_src)
            k = bisect.bisect_left(group, (here, -1))
            left, right, near = k - 1, k, []
            while len(near) < _NEAREST and (left >= 0 or right < len(group)):
                # the nearer of the next free target on each side
                if right >= len(group) or (left >= 0 and here - group[left][0]
                                           <= group[right][0] - here):  # fmt: skip
                    at, j = group[left]
                    left -= 1
                else:
                    at, j = group[right]
                    right += 1
                b = tgt[j]
                if j not in used_t and (a.key == b.key or "text" in (a.key[0], b.key[0])):
                    near.append((abs(here - at), i, j))
            pairs += near
        made = 0
        for _, i, j in sorted(pairs):
            if i not in used_s and j not in used_t:
                used_s.add(i)
                used_t.add(j)
                made += 1
        if not made:
            break
    return (
        [v for i, v in enumerate(src) if i not in used_s],
        [v for j, v in enumerate(tgt) if j not in used_t],
    )


_NEAREST = 8


def _count(v: Value, values: Counter) -> int:
    """How many of the values (``values``: counted by key) are ``v``'s value, so that one
    too many is said as such, not as a value the other side does not have."""
    return values[v.key]


def _unmatched(v: Value, shown: str, mine: tuple, other: tuple) -> str:
    """The sentence for a value of one side (``mine``: its name and values) that the other
    lacks: not there at all, or there fewer times."""
    shown = clipped(shown)
    if v.date is not None:
        return f"The date {v.date!r} of the {mine[0]} has another day in the {other[0]}."
    there = _count(v, other[1])
    if not there:
        return f"The {_what(v)} {shown} of the {mine[0]} is not in the {other[0]}."
    if there >= _count(v, mine[1]):  # (the other side's is a date's, paired with it)
        return f"The {_what(v)} {shown} of the {mine[0]} has no counterpart in the {other[0]}."
    # (at least once on its own side: a date's day read apart is no value of the list)
    return (
        f"The {_what(v)} {shown} is in the {mine[0]} {_how_often(max(1, _count(v, mine[1])))} "
        f"and in the {other[0]} {_how_often(there)}."
    )


def _how_often(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _what(v: Value) -> str:
    return "date" if v.key[0] == "month" else "number"
