"""A translation that loops: the degenerate decoder's sign.

- the same n-gram of words (n = 1..6) repeated at least ``MIN_REPEATS`` times in a row
  (a single word ``MIN_REPEATS_SINGLE`` times: "very very" and "no, no, no" are English;
  ``MIN_REPEATS`` times when each copy ends a sentence, "out. out. out."), more times than
  the source says any word or phrase in a row (a chant the article quotes three times is
  translated three times, wherever the translation puts the quote; a decoder's loop has
  more copies than that, or a source that repeats nothing);
- or a translation of at least ``MIN_DOMINATED_TOKENS`` words, most of which
  (``DOMINATED_SHARE``) are occurrences of n-grams (n >= 2) that occur at least
  ``MIN_REPEATS`` times, when the source does not repeat itself as much (a loop that is
  not consecutive) and says none of its words as often as the translation says its most
  frequent phrase (an enumeration: وزير … ووزير … ووزير, "the Minister of" three times).

Punctuation is not counted as a word; words compare case-insensitively. The span covers
the repeated region of the translation. Thresholds set on FLORES-200 devtest: no clean
pair flagged, every injected loop found (scripts/bench_checks.py).
"""

from __future__ import annotations

from collections import Counter

from align.checks.base import ArticleInput, Finding, SegmentInput
from align.checks.words import is_arabic_function_word
from align.links.arabic import normalize
from align.links.words import word_tokens

NAME = "repetition"
MAX_N = 6
MIN_REPEATS = 3  # consecutive copies of an n-gram (n >= 2) that make a loop
MIN_REPEATS_SINGLE = 4  # consecutive copies of one word ("very very very" is still prose)
MIN_DOMINATED_TOKENS = 12
DOMINATED_SHARE = 0.5
LOOP_CONFIDENCE = 0.9
DOMINATED_CONFIDENCE = 0.7
# A mark a number's groups stand either side of with no space (1،000،000): the tokenizer
# cuts there, where English writes one word. A space, or a comma and a space, parts
# numbers ("11 11 11 11", "7، 7، 7"): each is a word the source says again.
GROUP_MARKS = frozenset("،,")


def _words(text: str) -> list[tuple[str, int, int]]:
    return [
        (text[t.start : t.end].lower(), t.start, t.end)
        for t in word_tokens(text)
        if any(c.isalnum() for c in text[t.start : t.end])
    ]


def _loops(
    words: list[tuple[str, int, int]], text: str, source_repeats: int = 0
) -> list[tuple[int, int, int, int]]:
    """(first word, end word, n, copies) of each consecutive repeat, longest region first,
    regions not overlapping. ``source_repeats`` (``_source_repeats``): the most times the
    source says a word or phrase in a row; a repeat no longer than that is a faithful one (a
    chant the article quotes, "الله أكبر، الله أكبر، الله أكبر", wherever the translation
    puts the quote), not a loop."""
    forms = [w for w, _, _ in words]
    found = []
    for n in range(1, MAX_N + 1):
        need = MIN_REPEATS_SINGLE if n == 1 else MIN_REPEATS
        i = 0
        while i + n <= len(forms):
            gram = forms[i : i + n]
            copies = 1
            while forms[i + copies * n : i + (copies + 1) * n] == gram:
                copies += 1
            sentences = n == 1 and copies >= MIN_REPEATS and _ended(words, i, copies, text)
            if (copies >= need or sentences) and copies > source_repeats:
                found.append((i, i + copies * n, n, copies))
                i += copies * n
            elif copies > 1:
                # Into the last copy, where another loop may start ("great, great and
                # glorious, great and glorious..."): never back over the others, so that
                # the scan stays linear in a long repeat.
                i += (copies - 1) * n + 1
            else:
                i += 1
    found.sort(key=lambda x: (-(x[1] - x[0]), x[2]))
    chosen: list[tuple[int, int, int, int]] = []
    for x in found:
        if all(x[1] <= y[0] or x[0] >= y[1] for y in chosen):
            chosen.append(x)
    return sorted(chosen)


def _ended(words: list[tuple[str, int, int]], first: int, copies: int, text: str) -> bool:
    """Whether each copy of a repeated word ends a sentence ("out. out. out.", "time? time?
    time?"), the last one too: a loop of a one-word sentence, which prose does not write
    three times the way it writes "no, no, no" (an ellipsis ends no sentence: "No... no...
    no, I cannot")."""
    for k in range(first, first + copies):
        after = text[words[k][2] : words[k + 1][1] if k + 1 < len(words) else len(text)]
        if not any(ch in ".?!" for ch in after) or ".." in after or "…" in after:
            return False
    return True


def _source_forms(text: str) -> list[str]:
    """The source's words as the translation's are read ("1,000,000,000" is one word, not
    000 three times; "11 11 11" is three), in their matching form: a chant's copies
    vocalized or spelled apart (اللهُ أكبرُ, الله اكبر) are one phrase said again."""
    forms: list[str] = []
    end = None  # where the last word, if all digits, ends
    for w, start, stop in _words(text):
        if end is not None and text[end:start] in GROUP_MARKS and len(w) == 3 and w.isdigit():
            forms[-1] += normalize(w)  # a number's group, cut at an Arabic comma: one word
        else:
            forms.append(normalize(w))
        end = stop if w.isdigit() else None
    return forms


def _source_repeats(text: str) -> int:
    """The most times ``text`` (any script) says one word or phrase (up to ``MAX_N``
    words) in a row."""
    forms = _source_forms(text)
    most = 1 if forms else 0
    for n in range(1, MAX_N + 1):
        i = 0
        while i + n <= len(forms):
            copies = 1
            while forms[i + copies * n : i + (copies + 1) * n] == forms[i : i + n]:
                copies += 1
            most = max(most, copies)
            i += (copies - 1) * n + 1 if copies > 1 else 1
    return most


def _dominated(forms: list[str]) -> tuple[float, set[int], int]:
    """The largest share of words covered by n-grams (n >= 2) seen MIN_REPEATS times, the
    words, and how often the most frequent of those n-grams is seen."""
    best: tuple[float, set[int], int] = (0.0, set(), 0)
    for n in range(2, MAX_N + 1):
        grams = Counter(tuple(forms[i : i + n]) for i in range(len(forms) - n + 1))
        covered: set[int] = set()
        for i in range(len(forms) - n + 1):
            if grams[tuple(forms[i : i + n])] >= MIN_REPEATS:
                covered.update(range(i, i + n))
        share = len(covered) / max(len(forms), 1)
        if share > best[0]:
            best = (share, covered, max(grams.values()))
    return best


def _most_said_word(text: str) -> int:
    """How many times the source says its most frequent word of three letters or more, its
    conjunction (و, ف) set aside: an enumeration (وزير الخارجية ووزير الدفاع ووزير
    الداخلية) says one word where English repeats a phrase ("the Minister of")."""
    forms = [
        f
        for f in _source_forms(text)
        if len(f) >= 3 and f.isalpha() and not is_arabic_function_word(f)
    ]  # (على, التي said three times excuse nothing)
    said = set(forms)  # (وزير begins with و: a conjunction only where the rest is a word too)
    counts = Counter(f[1:] if f[:1] in "وف" and f[1:] in said else f for f in forms)
    return max(counts.values(), default=0)


class RepetitionCheck:
    name = NAME

    def check(self, segment: SegmentInput, article: ArticleInput | None) -> list[Finding]:
        text = segment.translation or ""
        words = _words(text)
        if len(words) < 2:
            return []
        findings = []
        for a, b, n, copies in _loops(words, text, _source_repeats(segment.source or "")):
            start, end = words[a][1], words[b - 1][2]
            gram = text[words[a][1] : words[a + n - 1][2]]
            findings.append(
                Finding(
                    NAME,
                    "repeated",
                    "error",
                    LOOP_CONFIDENCE,
                    f"The translation repeats {gram!r} {copies} times in a row.",
                    None,
                    (start, end),
                )  # fmt: skip
            )
        if findings or len(words) < MIN_DOMINATED_TOKENS:
            return findings
        share, covered, most = _dominated([w for w, _, _ in words])
        if share >= DOMINATED_SHARE:
            src_share, _, _ = _dominated(_source_forms(segment.source or ""))
            # (no more copies than the source says one of its words: an enumeration)
            if src_share < share / 2 and most > _most_said_word(segment.source or ""):
                first, last = min(covered), max(covered)
                findings.append(
                    Finding(
                        NAME,
                        "repeated",
                        "warning",
                        DOMINATED_CONFIDENCE,
                        f"{share:.0%} of the translation's words are repeated phrases.",
                        None,
                        (words[first][1], words[last][2]),
                    )  # fmt: skip
                )
        return findings


CHECK = RepetitionCheck()
