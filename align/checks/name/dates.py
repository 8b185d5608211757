"""Days and months the translation names and the source does not."""

from __future__ import annotations

import re

from align.checks.base import Finding
from align.checks.name.links import _capitalized_links
from align.checks.name.spelling import (
    _DAYS,
    _arabic_words,
    _at_opening,
    _capitalized_run,
    _explains,
    _same_skeleton,
    _similar,
)
from align.checks.name.thresholds import ADDED_CONFIDENCE, NAME, WORD_LINKED_CONFIDENCE
from align.checks.number import EN_MONTHS as _EN_MONTHS
from align.checks.number import source_months
from align.checks.number.values import _EN_MONTH_ABBREVIATIONS
from align.links.arabic import normalize
from align.links.lexical import MONTHS
from align.links.words import word_tokens

# The days of the week in Arabic (normalized, without the article): الاثنين is also "the
# two", أحد "one", which only lets a day stand where the source may not have one.
_ARABIC_DAYS = {
    normalize(w): day
    for w, day in (
        ("أحد", "sunday"), ("اثنين", "monday"), ("إثنين", "monday"), ("ثلاثاء", "tuesday"),
        ("أربعاء", "wednesday"), ("خميس", "thursday"), ("جمعة", "friday"), ("سبت", "saturday"),
    )
}  # fmt: skip


def _days_named(source: str) -> set[str]:
    """The days of the week the Arabic source names (English, lower case)."""
    out = set()
    for _, _, word in _arabic_words(source):
        form = normalize(word)
        for f in {form, form[1:] if form[:1] in "وف" else form}:
            for g in (f, f[1:] if f[:1] in "بل" else f):
                bare = g[2:] if g.startswith("ال") else g
                if bare in _ARABIC_DAYS:
                    out.add(_ARABIC_DAYS[bare])
    return out


# Words before a month or day that make it a date, whatever capitalized word follows it
# ("In October Israel launched...", "said on Monday Putin..."); not "by" or "late", which
# stand before names too ("by June Almeida", "the late June Carter"), nor "in" before a day
# ("in Sunday Times").
_MONTH_PREPOSITIONS = frozenset(
    ["in", "since", "until", "till", "from", "before", "after", "during", "last", "next"]
    + ["early", "mid", "this"]
)
_DAY_PREPOSITIONS = frozenset(
    ["on", "since", "until", "till", "from", "before", "after", "last", "next", "this"]
)


def _in_a_capitalized_name(words: list[str], k: int) -> bool:
    """Whether the month or day ``words[k]`` stands beside another capitalized word that is
    no month or day, and after no word that makes it a date: part of a name (the Great
    March of Return, the October War, the Sunday Times, June Almeida), not a date. Such a
    name still needs the month or day in the source: its word (حرب أكتوبر), or its
    letters (``_spelled_in``)."""
    before = words[k - 1].lower() if k > 0 else ""
    if before in (_MONTH_PREPOSITIONS if words[k].lower() in _EN_MONTHS else _DAY_PREPOSITIONS):
        return False
    for n in (k - 1, k + 1):
        if 0 <= n < len(words):
            w = words[n]
            if w[:1].isupper() and w.isalpha() and w.lower() not in _EN_MONTHS | _DAYS:
                return True
    return False


# The months of the Islamic calendar (normalized, without the article; ذو القعدة and ذو الحجة
# by their second word). A name with a month that the source dates by this calendar may
# be the event's Gregorian name: "the October War" for حرب رمضان.
_HIJRI_MONTHS = frozenset(
    normalize(w)
    for w in ("محرم", "صفر", "ربيع", "جمادى", "رجب", "شعبان", "رمضان", "شوال", "القعدة", "الحجة")
)


def _forms(form: str) -> set[str]:
    """A normalized word as written and without a leading و, ف, ب or ل (برمضان, وأغسطس)."""
    return {form, form[1:] if form[:1] in "وفبل" else form}


def _names_a_hijri_month(source: str) -> bool:
    """Whether the source names a month of the Islamic calendar (after و, ف, ب or ل and
    the article too: برمضان, الحجة)."""
    for _, _, word in _arabic_words(source):
        form = normalize(word)
        for f in _forms(form):
            if f in _HIJRI_MONTHS or (f.startswith("ال") and f[2:] in _HIJRI_MONTHS):
                return True
    return False


def _spelled_in(source: str, word: str) -> bool:
    """Whether the source writes the month or day of a name by its letters: in Latin script,
    or in Arabic letters that spell it (صنداي تايمز, "Sunday Times"; جون ألميدا, "June
    Almeida")."""
    if re.search(rf"\b{re.escape(word)}\b", source, re.IGNORECASE):
        return True
    return any(_similar(a, word) for _, _, a in _arabic_words(source))


def _dates_not_in_source(source: str, translation: str) -> list[Finding]:
    """``added`` warnings for the months and days of the week the translation names in the
    middle of a sentence that the source names nowhere (no month word of either calendar or
    numeric date of that month; no such day). Neither is a name for the other rules (مارس
    is also a verb), but one the source lacks stands where the source said something else:
    another month or day, or a name. "May" is left alone (also a verb). A month or day in
    a capitalized name counts too unless the source spells it by its letters (صنداي
    تايمز, "Sunday Times"): "the September Way" where the source has درب التبانة, the
    Milky Way, has put a month in a name's place. "March" in a name is left alone (a walk
    too: the Great March of Return), and so is a month in a name where the source names a
    month of the Islamic calendar ("the October War" for حرب رمضان)."""
    said: dict[str, set[str]] | None = None
    out = []
    tokens = word_tokens(translation)
    words = [translation[t.start : t.end] for t in tokens]
    for k, t in enumerate(tokens):
        word = words[k]
        low = word.lower()
        kind = "month" if low in _EN_MONTHS else "day" if low in _DAYS else None
        if kind is None or low == "may" or word != word.capitalize():
            continue
        if _at_opening(translation, t.start):
            continue
        if _in_a_capitalized_name(words, k) and (
            low == "march"  # (a walk too: the Great March of Return)
            or _spelled_in(source, word)
            or (kind == "month" and _names_a_hijri_month(source))
        ):
            continue
        if said is None:
            said = {"month": source_months(source), "day": _days_named(source)}
        if low in said[kind]:
            continue
        message = f"The {kind} {word!r} of the translation is not named in the source."
        out.append(
            Finding(NAME, "added", "warning", ADDED_CONFIDENCE, message, None, (t.start, t.end))
        )
        said[kind].add(low)  # once a month or day
    return out


# Nouns whose month or day after them names an event, not a date: حرب تموز (the 2006
# Lebanon War), ثورة يناير, صلاة الجمعة (Friday prayers), أحداث سبتمبر, عيد الفصح's kin.
_EVENT_NOUNS = frozenset(
    normalize(w)
    for w in ("حرب", "ثورة", "انتفاضة", "صلاة", "عيد", "أحداث", "هجمات", "نكسة", "احتفالات")
)
# A month or day whose Arabic word is also another word is left out of
# ``_dates_replaced``: مارس (practised), أحد (one, someone), اثنين (two).
_AMBIGUOUS = frozenset(normalize(w) for w in ("مارس", "أحد", "اثنين", "إثنين"))


def month_or_day_of(word: str) -> str | None:
    """The month (either calendar's one-word names: أغسطس, آب is left out) or the day of
    the week (with its article: الأربعاء) an Arabic word names, in English, or None; a
    leading و, ف, ب or ل is read off."""
    form = normalize(word)
    for f in _forms(form):
        bare = f[2:] if f.startswith("ال") else f
        if bare in _AMBIGUOUS:
            continue
        if f in MONTHS:
            return MONTHS[f]
        if f.startswith("ال") and bare in _ARABIC_DAYS:
            return _ARABIC_DAYS[bare]
    return None


def _dates_replaced(translation, parts, phrases, arabic, glosses, taken_src, taken_tgt) -> list:
    """``changed`` warnings for the months and days of the week the source names
    (``month_or_day_of``) that the translation names nowhere, where the alignment links
    the source word (``WORD_LINK``) to a capitalized word in the middle of a sentence (no
    month or day; not one that renders a phrase, ``phrases``, nor one a source word
    explains, by a gloss or its letters however short: حركة ماو, "the Mau movement"): the
    word stands where the date was ("in Kingdoms" for في أغسطس, "recovered on Treaty" for
    يوم الأربعاء). The rules for names leave months and days alone, and the number check
    reads a month only in a date with its day. ``glosses``: each source word's;
    ``taken_src`` and ``taken_tgt``: the spans earlier findings hold."""
    if parts is None:
        return []
    written = re.findall(r"[A-Za-z]+", translation)
    # (the months news style abbreviates count as named: Sept. 11, Jan. 25)
    named = {w.lower() for w in written} | {
        _EN_MONTH_ABBREVIATIONS[w] for w in written if w in _EN_MONTH_ABBREVIATIONS
    }
    tokens = word_tokens(translation)
    at_token = {(t.start, t.end): k for k, t in enumerate(tokens)}
    source_words = {(s, e): k for k, (s, e, _) in enumerate(arabic)}
    out: list[Finding] = []
    taken_src, taken_tgt = set(taken_src), set(taken_tgt)
    for at, tat, a, w in _capitalized_links(
        translation, parts, phrases, arabic, taken_src, taken_tgt
    ):
        meant = month_or_day_of(a)
        if meant is None or meant in named or w in _EN_MONTH_ABBREVIATIONS:
            continue
        k = source_words.get(at)
        if k and normalize(arabic[k - 1][2]) in _EVENT_NOUNS:
            continue  # an event's name, not its date: حرب تموز, صلاة الجمعة
        if len(_capitalized_run(translation, tokens, at_token[tat])) > 1:
            continue  # a word of an event's English name: Bastille Day, the Lebanon War
        if any(_explains(b, glosses[b], w) or _same_skeleton(b, w) for _, _, b in arabic):
            continue  # the word renders another source word: its link is a stray one
        kind = "day" if meant in _DAYS else "month"
        message = f"The {kind} {a!r} ({meant.title()}) of the source is not in the translation, "
        message += f"and the alignment puts {w!r} in its place: it may be a changed date."
        out.append(Finding(NAME, "changed", "warning", WORD_LINKED_CONFIDENCE, message, at, tat))
        taken_src.add(at)
        taken_tgt.add(tat)
    return out
