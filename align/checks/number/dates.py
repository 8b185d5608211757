"""Dates: a month's name with its day and year, numeric dates compared whole, and Hijri
dates beside their Gregorian day.
"""

from __future__ import annotations

import bisect
import re

from align.checks.base import Finding
from align.checks.number.thresholds import (
    DATE_REACH,
    DAY_REACH,
    DIGIT_CONFIDENCE,
    MAX_NEIGHBOUR_CHARS,
    MONTH_REACH,
)
from align.checks.number.values import (
    _AR_TWO_WORD_MONTHS,
    _AR_WEAK_MONTHS,
    _EN_MONTH_ABBREVIATIONS,
    _MONTH_OF,
    _NUMERIC_DATE,
    EN_MONTHS,
    Value,
    _num,
    _said_as_another,
)
from align.links.lexical import MONTHS


def _months(forms, tokens, skip: set[int], arabic: bool) -> list[Value]:
    """Month names: hard next to a number, soft otherwise; a doubled one counts once."""
    found: list[tuple[int, int, str]] = []  # (first token, last token, month)
    i = 0
    while i < len(forms):
        f = forms[i]
        month = None
        last = i
        if arabic:
            bare = f[1:] if f[:1] in "وفب" and f[1:] in MONTHS else f
            month = MONTHS.get(bare)
            if month is None and i + 1 < len(forms) and (f, forms[i + 1]) in _AR_TWO_WORD_MONTHS:
                month = _AR_TWO_WORD_MONTHS[(f, forms[i + 1])]
                last = i + 1
            if month is None and f in _AR_WEAK_MONTHS:
                month = _AR_WEAK_MONTHS[f]
                weak = True
            else:
                weak = False
        else:
            weak = False
            # Capitalized, or in capitals (a headline): lower-case "march" and "may" are verbs.
            # Capitalized only: "march" and "may" are verbs, and in a headline's capitals
            # too ("THOUSANDS MARCH 20 KILOMETRES", "PRICES MAY RISE 5 PERCENT").
            if f in {m.capitalize() for m in EN_MONTHS}:
                month = f.lower()
                weak = month == "may"
            elif f in _EN_MONTH_ABBREVIATIONS and _day_after(forms, i):
                # Jan. 5, Sept. 11: only before its day (Jan is also a name: "No. 1 Jan Kodes")
                month = _EN_MONTH_ABBREVIATIONS[f]
        if month is None:
            i += 1
            continue
        # A doubled month (مارس/آذار, January (كانون الثاني)): only punctuation between.
        if (
            found
            and found[-1][2] == month
            and 0 < i - found[-1][1] <= 3
            and all(not any(c.isalnum() for c in forms[k]) for k in range(found[-1][1] + 1, i))
        ):
            prev = found.pop()
            found.append((prev[0], last, month))
            skip.update(range(prev[1] + 1, last + 1))
            i = last + 1
            continue
        if weak and not _number_near(forms, i, last):
            i += 1
            continue
        found.append((i, last, month))
        skip.update(range(i, last + 1)) if last > i else None
        i = last + 1
    return [
        Value(("month", m), tokens[a].start, tokens[b].end, soft=not _number_near(forms, a, b))
        for a, b, m in found
    ]


def _day_after(forms, i: int) -> bool:
    """Whether a day of the month (1 to 31) follows token ``i``, past an abbreviation's full
    stop: Jan. 5, Sept. 11."""
    after = i + 2 if i + 1 < len(forms) and forms[i + 1] == "." else i + 1
    if after >= len(forms):
        return False
    # (a footnote's mark after it is no part of the day: "Sept. 11²"; and decimal digits
    # only, as isdigit takes ² and ① for digits that int refuses)
    day = forms[after].rstrip("\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079")
    return len(day) <= 2 and day.isdecimal() and 1 <= int(day) <= 31


def _number_near(forms, a: int, b: int) -> bool:
    near = [*range(max(0, a - MONTH_REACH), a), *range(b + 1, min(len(forms), b + 1 + MONTH_REACH))]
    return any(forms[k][:1].isdigit() for k in near)


# -- Hijri dates ---------------------------------------------------------------------------
#
# Arabic news dates some events by the Hijri calendar too (15 شعبان 1446 هـ, 15/8/1446هـ,
# عام 1446 هجرية), often beside the same day in the Gregorian calendar (الموافق 14 فبراير
# 2025), which a translation gives alone. A Hijri date the translation leaves out is then no
# lost number; one it gives by its day and year ("15 Sha'ban 1446 AH") is the same date; a
# Hijri year it gives as the Gregorian year it falls in (1446 AH began in 2024 and ended in
# 2025) is the same year. No library reads a Hijri date in running Arabic text: the marks
# are a few patterns here.

_HIJRI_MARK = re.compile(r"\s*(?:هـ|ه(?![\u0621-\u064a])|هجري|للهجر|من الهجر)")
# (صفر is also "zero", a score's "4 صفر": the month only before a year)
_HIJRI_MONTH = re.compile(
    r"\s*(?:من\s+)?(?:شهر\s+)?(?:محرم|صفر(?=\s*[0-9\u0660-\u0669]{3,4})|ربيع|جماد[ىي]|رجب|"
    r"شعبان|رمضان|شوال|ذو\s+القعد|ذي\s+القعد|ذو\s+الحج|ذي\s+الحج)"
)
_GREGORIAN_YEARS = range(1800, 2201)


def _is_hijri(v: Value, text: str) -> bool:
    """Whether a source value is part of a Hijri date: a year or a numeric date marked هـ
    (glued or after it: 1446هـ, 1446 هـ, 1446 هجرية, 15/8/1446هـ), or a day before a Hijri
    month's name (15 شعبان)."""
    shown = text[v.start : v.end]
    if v.words or not any(ch.isdigit() for ch in shown):
        return False  # a number in words (ثلاثه: ة written ه) is no date's
    if re.search(r"\dهـ?$", shown) or _HIJRI_MARK.match(text, v.end):
        return True
    return v.key[0] == "num" and bool(_HIJRI_MONTH.match(text, v.end))


def _gregorian_span(hijri_year: int, month: int | None = None) -> set[int]:
    """The Gregorian years a Hijri year falls in (its first day: 621.5643 + 0.970229 H),
    or, with its ``month``, the years that month falls in."""
    first = 621.5643 + 0.970229 * hijri_year
    if month is None:
        return set(range(int(first), int(first + 0.970229) + 1))
    start = first + 0.970229 * (month - 1) / 12
    return {int(start), int(start + 0.970229 / 12)}


def _hijri_month_before(text: str, at: int) -> int | None:
    """The Hijri month named right before a year (رمضان 1446, 15 رمضان 1446 هـ)."""
    before = text[max(0, at - 24) : at]
    return next((n for n, p in _AR_HIJRI_MONTHS_LAST if p.search(before)), None)


def _hijri_dates(
    lost: list[Value], added: list[Value], src: list[Value], source: str
) -> tuple[list[Value], list[Value]]:
    """``lost`` less the values of a Hijri date that the translation gives by its day and
    year, gives as the Gregorian year it falls in, or leaves out where the source dates the
    same thing by the Gregorian calendar too; ``added`` less what paired with them."""
    hijri = [v for v in lost if _is_hijri(v, source)]
    if not hijri:
        return lost, added
    gregorian = [
        v
        for v in src
        if (v.key[0] == "month" or _date_year(v) in _GREGORIAN_YEARS) and not _is_hijri(v, source)
    ]
    added = list(added)
    kept = []
    for v in lost:
        if v not in hijri:
            kept.append(v)
            continue
        parts = _day_and_year(v)
        wanted = [next((w for w in added if w.key == _num(p)), None) for p in parts]
        if parts and all(wanted) and len({id(w) for w in wanted}) == len(wanted):
            added = [w for w in added if all(w is not x for x in wanted)]
            continue  # the day and the year given apart ("15 Sha'ban 1446 AH")
        year = _year_of(v)
        if year is not None and year < 1800:
            span = _gregorian_span(year, _hijri_month_before(source, v.start))
            match = next((w for w in added if _year_of(w) in span), None)
            if match is not None:
                added = [w for w in added if w is not match]
                continue  # the Gregorian year it falls in
        if not any(_same_date(v, g, source) for g in gregorian):
            kept.append(v)
    return kept, added


# What may stand between a Hijri date and the same day in the Gregorian calendar: the
# date's own parts, marks and "corresponding to" (الموافق), or brackets or a slash.
_BETWEEN_DATES = re.compile(
    r"(?:[\s\d\u0660-\u0669/.\-–()،,]|هـ|ه|م|الموافق[ةه]?|الموافق\s+ل|ل|"
    r"محرم|صفر|ربيع|جماد[ىي]|رجب|شعبان|رمضان|شوال|ذو|ذي|القعد[ةه]|الحج[ةه]|"
    r"ال[أا]ول[ىي]?|ال[آا]خر[ةه]?|الثاني[ةه]?)*"
)
_SAME_DATE_REACH = 48  # characters between the two dates, at most


def _same_date(v: Value, g: Value, source: str) -> bool:
    """Whether the Gregorian date value ``g`` is said as the same day as the Hijri value
    ``v``: next to it, with only the dates' parts between them and "الموافق", a bracket
    or a slash to join them."""
    first, second = sorted([(v.start, v.end), (g.start, g.end)])
    between = source[first[1] : second[0]]
    if len(between) > _SAME_DATE_REACH or not _BETWEEN_DATES.fullmatch(between):
        return False
    return "الموافق" in between or "(" in between or "/" in between


# The Hijri months by their number, as Arabic writes them and as English spells them.
_AR_HIJRI_MONTHS = [
    (1, r"محرم"), (2, r"صفر"), (3, r"ربيع\s+(?:ال)?[أا]ول"), (4, r"ربيع\s+(?:ال[آا]خر|الثاني)"),
    (5, r"جماد[ىي]\s+(?:ال[أا]ول[ىي]?)"), (6, r"جماد[ىي]\s+(?:ال[آا]خر[ةه]?|الثاني[ةه])"),
    (7, r"رجب"), (8, r"شعبان"), (9, r"رمضان"), (10, r"شوال"),
    (11, r"ذ[وي]\s+القعد[ةه]"), (12, r"ذ[وي]\s+الحج[ةه]"),
]  # fmt: skip
_AR_HIJRI_MONTH_NAMES = [(n, re.compile(p)) for n, p in _AR_HIJRI_MONTHS]
_AR_HIJRI_MONTHS_LAST = [(n, re.compile(rf"(?:{p})\s*(?:[0-9\u0660-\u0669]{{1,2}}\s*)?$"))
                         for n, p in _AR_HIJRI_MONTHS]  # fmt: skip
_EN_HIJRI_MONTHS = [
    (1, r"Muharram"), (2, r"Safar"), (3, r"Rabi['’]?\s*(?:al[- ]Awwal|al[- ]Awal|I)\b"),
    (4, r"Rabi['’]?\s*(?:al[- ]Thani|al[- ]Akhir|al[- ]Akhar|II)\b"),
    (5, r"Jumada\s*(?:al[- ]Ula|al[- ]Oula|al[- ]Awwal|al[- ]Ola|I)\b"),
    (6, r"Jumada\s*(?:al[- ]Akhira|al[- ]Akhirah|al[- ]Thani|al[- ]Thaniya|II)\b"),
    (7, r"Rajab"), (8, r"Sha['’]?a?ban"), (9, r"Ramad(?:h)?an"), (10, r"Shawwal"),
    (11, r"Dhu['’]?\s*[- ]?(?:al|l)?[- ]?Qa['’]?da(?:h)?|Zul[- ]?Qa['’]?da(?:h)?"),
    (12, r"Dhu['’]?\s*[- ]?(?:al|l)?[- ]?Hijja(?:h)?|Zul[- ]?Hijja(?:h)?"),
]  # fmt: skip
_EN_HIJRI_MONTH_NAMES = [(n, re.compile(rf"\b(?:{p})", re.I)) for n, p in _EN_HIJRI_MONTHS]
_LATIN_DIGITS = str.maketrans(
    {chr(base + d): str(d) for base in (0x0660, 0x06F0) for d in range(10)}
)
_DAY_BEFORE = re.compile(r"(?:^|\D)\d{1,2}\s*$")
# a day right after (Ramadan 15), not an age ("Rajab, 45"); or a year, after a comma too
_DAY_OR_YEAR_AFTER = re.compile(r"\s+\d{1,2}\b(?![\s-]*years?)|\s*,?\s*\d{3,4}\b")
_AR_NUMERIC_HIJRI = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})[/.-](1[0-6]\d\d|\d{3})\s*(?:هـ|ه(?![\u0621-\u064a]))"
)


def _hijri_month_dates(text: str, names, arabic: bool) -> list[tuple[int, tuple[int, int]]]:
    """(month, span) of each Hijri month named in a date: a day right before it (15
    شعبان, 15 Sha'ban) or a day or year right after (Sha'ban 15, رمضان 1446); and, in
    Arabic, the month of a numeric Hijri date (15/8/1446هـ)."""
    digits = text.translate(_LATIN_DIGITS)  # (one character for one: offsets hold)
    out = []
    for month, pattern in names:
        for m in pattern.finditer(digits):
            if _DAY_BEFORE.search(digits, max(0, m.start() - 6), m.start()) or (
                _DAY_OR_YEAR_AFTER.match(digits, m.end())
            ):
                out.append((month, m.span()))
    if arabic:
        out += [(int(m.group(2)), m.span()) for m in _AR_NUMERIC_HIJRI.finditer(digits)]
    return out


def _hijri_months_changed(source: str, translation: str) -> list[Finding]:
    """A Hijri month of a date that the translation names as another Hijri month (شوال,
    "Ramadan"; 12/3/1446هـ, "12 Rabi al-Thani 1446 AH"): ``changed``, once a month."""
    src = _hijri_month_dates(source, _AR_HIJRI_MONTH_NAMES, True)
    tgt = _hijri_month_dates(translation, _EN_HIJRI_MONTH_NAMES, False)
    return _said_as_another(src, tgt, source, translation, "Hijri month", "error", DIGIT_CONFIDENCE)


def _year_of(v: Value) -> int | None:
    """A whole number's value, as a year may be."""
    if v.key[0] != "num" or v.key[1] != int(v.key[1]):
        return None
    return int(v.key[1])


def _date_year(v: Value) -> int | None:
    parts = _day_and_year(v)
    return parts[1] if parts else None


def _day_and_year(v: Value) -> list[int]:
    """The day and the year of a numeric date (15/8/1446: 15 and 1446); none for another
    value."""
    if v.key[0] != "text":
        return []
    parts = re.split(r"[/.\-]", v.key[1])
    # (a date's parts have four digits at most: a longer run of digits is no day or year,
    # and past 4,300 digits int() refuses it)
    if len(parts) != 3 or not all(p.isdecimal() and len(p) <= 4 for p in parts):
        return []
    day, _, year = (int(p) for p in parts)
    if len(parts[0]) == 4:  # 1446/8/15
        day, year = year, day
    return [day, year]


def _date_parts(v: Value, text: str, day_first: bool) -> list[Value] | None:
    """A numeric date's day, month and year as three values with their own spans, or None
    when ``v`` is no valid date read that way."""
    if v.key[0] != "text":
        return None
    shown = text[v.start : v.end]
    if shown.endswith(("\u0647", "\u0647\u0640")):
        return None  # هـ: a Hijri date, its months are not these
    m = _NUMERIC_DATE.fullmatch(shown.removesuffix("\u0645"))  # م: of the Common Era
    if m is None:
        return None
    if m.group(1):  # day and month first, the year last (or none)
        first, second, year = 1, 2, 3
        day, month = (first, second) if day_first else (second, first)
    else:  # the year first: year, month, day
        year, month, day = 4, 5, 6
    if not (1 <= int(m.group(day)) <= 31 and 1 <= int(m.group(month)) <= 12):
        return None
    at = v.start
    parts = [
        Value(_num(int(m.group(day))), at + m.start(day), at + m.end(day), date=shown),
        Value(
            ("month", _MONTH_OF[int(m.group(month)) - 1]), at + m.start(month), at + m.end(month)
        ),
    ]
    if m.group(year):
        parts.append(Value(_num(int(m.group(year))), at + m.start(year), at + m.end(year)))
    return parts


def _dates_in_parts(
    mine: list[Value],
    other: list[Value],
    text: str,
    other_text: str,
    other_all: list[Value],
    target_side: bool,
) -> tuple[list[Value], list[Value]]:
    """``mine`` less each numeric date that the other side writes with its month's name, and
    ``other`` less that date: the month, the day right beside it (``DAY_REACH``) and the
    year near it (``DATE_REACH``). A date the other side has in part gives the part said
    apart (another day, another month, the year left out: ``_written_date``), the rest of
    it paired; one it has nothing of stays one value, said once. ``other_all``: every
    value of the other side, so that a day already paired with another value is seen as
    taken, not passed over for the next number. The source's dates are day first; a
    translation's are read both ways (an English writer may put the month first)."""
    months = [w for w in other if w.key[0] == "month"]
    if not months:
        return mine, other
    # each month's nearest day and year beside it, found once (a line of thousands of dates
    # stays quick): a day is the number next to the month, not any number near it, among
    # all the side's values (one already paired with another value is no day to pair)
    free = {id(w) for w in other}
    by_start = sorted(other_all, key=lambda w: w.start)
    starts = [w.start for w in by_start]
    beside = {}
    for m in months:
        lo = bisect.bisect_left(starts, m.start - DATE_REACH - MAX_NEIGHBOUR_CHARS)
        hi = bisect.bisect_right(starts, m.end + DATE_REACH)
        near = sorted(
            (max(w.start - m.end, m.start - w.end), w.start, w)
            for w in by_start[lo:hi]
            if w is not m and w.key[0] == "num"
            and max(w.start - m.end, m.start - w.end) <= DATE_REACH
        )  # fmt: skip
        years = [w for _, _, w in near if _a_year(w)]
        days = [
            w for gap, _, w in near
            if gap <= DAY_REACH and not _a_year(w) and 1 <= w.key[1] <= 31
        ]  # fmt: skip
        day = days[0] if days and id(days[0]) in free else None
        year = years[0] if years and id(years[0]) in free else None
        beside[id(m)] = (day, year)
    # the months a date may be written with: its own month, or another beside its day and
    # year (a changed month), each found by key, not by a pass over every month
    by_month: dict[tuple, list[Value]] = {}
    by_day_year: dict[tuple, list[Value]] = {}
    for m in months:
        by_month.setdefault(m.key, []).append(m)
        d, y = beside[id(m)]
        if d is not None and y is not None:
            by_day_year.setdefault((d.key, y.key), []).append(m)
    taken: set[int] = set()  # ids of the other side's values paired with a date
    kept: list[Value] = []
    for v in mine:
        found = None
        for day_first in (True, False) if target_side else (True,):
            parts = _date_parts(v, text, day_first) if found is None else None
            if parts is not None:
                year_key = parts[2].key if len(parts) > 2 else None
                candidates = by_month.get(parts[1].key, []) + by_day_year.get(
                    (parts[0].key, year_key), []
                )
                written = _written_date(parts, candidates, beside, taken)
                found = (written, parts) if written is not None else None
        if found is None:
            kept.append(v)
            continue
        (written, left), parts = found
        if left and left[0] is parts[0] and len(written) == 3:
            # another day; but "5 و7/12" is a range (between the 5th and the 7th): a number
            # just before the date that is the day beside the month is that day
            d = written[2]
            if any(
                w.key == d.key and w.end <= v.start and _a_range(text[w.end : v.start])
                for w in mine
                if w is not v
            ):
                written = written[:2]
        taken.update(id(x) for x in written)
        kept.extend(left)
    return kept, [w for w in other if id(w) not in taken]


def _a_range(between: str) -> bool:
    """Whether the text between a number and a date makes them a range of days: و, a dash,
    إلى or حتى (5 و7/12, 5-7/12, من 5 إلى 7/12)."""
    return _RANGE_BETWEEN.fullmatch(between) is not None


_RANGE_BETWEEN = re.compile(
    r"\s*(?:\u0648|-|\u2013|\u0625\u0644\u0649|\u0627\u0644\u0649|\u062d\u062a\u0649)?\s*"
)


def _a_year(v: Value) -> bool:
    return v.key[0] == "num" and v.key[1] == int(v.key[1]) and 1000 <= v.key[1] <= 2999


def _written_date(parts: list[Value], months, beside, taken: set[int]):
    """How the other side writes the date ``parts`` (day, month, year) with a month's name,
    the day and the year next to it (``beside``: each month's nearest day and year): the
    values it pairs with and the parts left to say apart (a changed day, month or year,
    each read alone); None when no month there is that date, even in part."""
    day, month = parts[0], parts[1]
    year = parts[2] if len(parts) > 2 else None
    ranked = []
    for m in months:
        if id(m) in taken:
            continue
        d, y = beside[id(m)]
        d = d if d is not None and id(d) not in taken else None
        y = y if y is not None and id(y) not in taken else None
        same_day = d is not None and d.key == day.key
        same_year = year is None or (y is not None and y.key == year.key)
        same_month = m.key == month.key
        if same_month and same_day and same_year:
            return [m, d] + ([y] if year is not None else []), []
        if year is None:
            continue  # 5/12: the day and the month, or nothing
        if same_month and same_day and y is None:
            ranked.append((1, [m, d], [year]))  # the year left out
        elif same_month and same_year and d is not None:
            # another day: the one beside the month goes with the date, so that neither day
            # pairs with a count elsewhere (12 killed on 5/12, 5 killed on 12 December)
            ranked.append((2, [m, y, d], [day]))
        elif same_day and same_year:
            ranked.append((3, [d, y], [month]))  # another month
    if not ranked:
        return None
    _, written, left = min(ranked, key=lambda x: x[0])
    return written, left
