"""One value written another way on each side: a clock time and its hour before p.m., a
year range, a number said in words (a week, a decade), thousands with dots, a unit
converted in brackets.
"""

from __future__ import annotations

import re
from decimal import Decimal

from align.checks.number.dates import _date_parts
from align.checks.number.matching import _match
from align.checks.number.values import _PERCENT_FORMS, EN_TENS, EN_UNITS, Value, _decimal, _num
from align.links.arabic import normalize
from align.links.lexical import arabic_skeleton, english_skeleton

# -- the same value written another way ---------------------------------------------------
#
# What news writes one way in Arabic and another in English: a date in digits (5/12/2026:
# day first, as Arabic news writes it; 2026/12/05: year first) and the same date with the
# month's name (December 5, 2026), paired before the other values; then, among the values
# the rounds leave, an hour of the 24-hour clock (20:00) and the same hour before "p.m." or
# مساءً (8 p.m.), a year range's second year in two digits (2024-25) and in four
# (2024-2025). No library reads these across two languages' conventions: each is a few
# lines here.

# After an hour: past noon (p.m., pm, PM; مساءً, مساء, ليلاً, ليلا; in the evening, at night).
_PM_EN = re.compile(r"\s*(?:p\.?\s?m\b\.?|in the (?:evening|afternoon)\b|at night\b)", re.I)
_PM_AR = re.compile(
    r"\s*(?:\u0645\u0633\u0627\u0621|\u0644\u064a\u0644\u0627|\u0639\u0635\u0631\u0627)"
)
# An hour as written: 20:00, 8:30, 8, 8pm (digits of either script).
_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2}))?(?:\s*[AaPp][Mm])?")
_RANGE_BEFORE = re.compile(r"(\d{4})\s*[-\u2013/]\s*$")


def _written_otherwise(
    lost: list[Value], added: list[Value], source: str, translation: str
) -> tuple[list[Value], list[Value]]:
    """The values left unpaired on both sides, less those the other side writes another
    way: a year range's two-digit year and its four digits (2024-25, 2024/2025), a time
    and its hour and minutes written apart, two numeric dates of the same day read either
    way, a 24-hour time and its p.m. hour. (A numeric date against a month's name is paired
    before the rounds: ``_dates_in_parts``.)"""
    n_src, n_tgt = len(source), len(translation)
    lost = [y for v in lost for y in _years_of_a_range(_full_year(v, source), source)]
    added = [y for v in added for y in _years_of_a_range(_full_year(v, translation), translation)]
    lost, added = _match(lost, added, n_src, n_tgt)
    lost, added = _clock_times(lost, added, source, translation)
    added, lost = _clock_times(added, lost, translation, source)
    lost, added = _same_dates(lost, added, source, translation)
    hours = {id(v): _afternoon(v, source, True) for v in lost}
    hours |= {id(v): _afternoon(v, translation, False) for v in added}
    return _match(lost, added, n_src, n_tgt, key=lambda v: hours[id(v)])


# -- numbers English says in a word ----------------------------------------------------------
#
# English says some numbers with a word that writes none: a decade (عشر سنوات), a century
# (100 عام), a week (سبعة أيام), a fortnight, noon or midnight (الساعة 12), doubled or
# tripled (تضاعف ثلاث مرات), halved (بنسبة 50 في المائة); "two decades" is 20 years. Such a
# word pairs with a source number of that value only when the Arabic says the same unit
# beside it (years, days, the hour, times, a percentage), so that a number it does not
# stand for is still found lost.

_AR_YEARS = re.compile(r"\s*(?:سنوات|سنين|سنة|سنه|عام|عاما|عاماً|أعوام|اعوام)(?![\u0621-\u064a])")
_AR_DAYS = re.compile(r"\s*(?:أيام|ايام|يوما|يوماً)(?![\u0621-\u064a])")  # (7 يوم الأحد: 7 o'clock)
_AR_TIMES = re.compile(r"\s*(?:مرات|مرة|مره|أضعاف|اضعاف|ضعف|ضعفا)(?![\u0621-\u064a])")
_AR_NOON = re.compile(r"\s*(?:ظهر|الظهر|ظهيرة|الظهيرة|منتصف\s+النهار|منتصف\s+اليوم)")
_AR_MIDNIGHT = re.compile(r"\s*(?:ليلا|ليلاً|منتصف\s+الليل|بعد\s+منتصف\s+الليل|مساء|مساءً)")
_AR_HOUR_BEFORE = re.compile(r"الساعة\s*$|الساعه\s*$")


def _unit_after(pattern: re.Pattern):
    return lambda v, text: bool(pattern.match(text, v.end))


def _an_hour(period: re.Pattern, other: re.Pattern):
    """12 said as the hour of ``period`` (ظهرا: noon; ليلا: midnight), or as the hour
    alone (الساعة 12) with no mark of the ``other`` one."""

    def beside(v: Value, text: str) -> bool:
        if period.match(text, v.end):
            return True
        hour = _AR_HOUR_BEFORE.search(text, max(0, v.start - 12), v.start)
        return bool(hour) and not other.match(text, v.end)

    return beside


def _a_percentage(v: Value, text: str) -> bool:
    shown = normalize(text[v.start : v.end])
    return any(mark in shown for mark in _PERCENT_FORMS)


# A period counted ("a decade", "two weeks"), not a time named ("last week", "the past
# decade"); and one the source does not say with its own word (عقد, قرن, أسبوع), which the
# English word would render instead.
_COUNTED = re.compile(
    r"(?:\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten)|\d)\s+$", re.I
)
_NAMED_TIME = re.compile(
    r"\b(?:last|next|this|that|the|every|each|per|past|previous|following|coming)\s+$", re.I
)
_AR_PERIOD_WORDS = {
    10: re.compile(r"عقد|العقد|عقدين|عقود"),
    100: re.compile(r"قرن|القرن|قرنين|قرون"),
    7: re.compile(r"[أا]سبوع|[أا]سابيع|[أا]سبوعين"),
}


def _period(unit_after: re.Pattern, value: int):
    def beside(v: Value, text: str) -> bool:
        word = _AR_PERIOD_WORDS.get(value)
        return bool(unit_after.match(text, v.end)) and not (word and word.search(text))

    return beside


# (the English word, the value one of it says, how the Arabic shows that unit beside it,
# whether a count may stand before it: "two decades")
_SAID_IN_WORDS = [
    (re.compile(r"\bdecades?\b", re.I), 10, _period(_AR_YEARS, 10), True),
    (re.compile(r"\bcentur(?:y|ies)\b", re.I), 100, _period(_AR_YEARS, 100), True),
    (re.compile(r"\bweeks?\b", re.I), 7, _period(_AR_DAYS, 7), True),
    (re.compile(r"\bfortnights?\b", re.I), 14, _period(_AR_DAYS, 14), True),
    (re.compile(r"\b(?:noon|midday)\b", re.I), 12, _an_hour(_AR_NOON, _AR_MIDNIGHT), False),
    (re.compile(r"\bmidnight\b", re.I), 12, _an_hour(_AR_MIDNIGHT, _AR_NOON), False),
    (re.compile(r"\b(?:doubled?|twice|two-?fold)\b", re.I), 2, _unit_after(_AR_TIMES), False),
    (re.compile(r"\b(?:tripled?|trebled?|three-?fold)\b", re.I), 3, _unit_after(_AR_TIMES), False),
    (re.compile(r"\b(?:quadrupled?|four-?fold)\b", re.I), 4, _unit_after(_AR_TIMES), False),
    (re.compile(r"\bhalved\b|\bby half\b", re.I), 50, _a_percentage, False),
    *(
        (re.compile(rf"\b{word}-?fold\b", re.I), times, _unit_after(_AR_TIMES), False)
        for times, word in enumerate(["five", "six", "seven", "eight", "nine", "ten"], 5)
    ),
]


def _said_in_words(
    lost: list[Value], added: list[Value], source: str, translation: str
) -> tuple[list[Value], list[Value]]:
    """``lost`` less the numbers the translation says with a word that writes none (see
    above), and ``added`` less the counts before such words ("two" of "two decades")."""
    lost, added = list(lost), list(added)
    for pattern, unit, beside, counted in _SAID_IN_WORDS:
        for m in pattern.finditer(translation):
            before = translation[max(0, m.start() - 24) : m.start()]
            if counted and (_NAMED_TIME.search(before) or not _COUNTED.search(before)):
                continue  # "last week", "the past decade": a time named, not counted
            count = None
            if counted:  # the added value right before the word: "two decades", "3 weeks"
                count = next(
                    (w for w in added if w.key[0] == "num" and w.end <= m.start()
                     and not translation[w.end : m.start()].strip()),
                    None,
                )  # fmt: skip
            value = unit * (count.key[1] if count is not None else 1)
            v = next((v for v in lost if v.key == _num(value) and beside(v, source)), None)
            if v is None:
                continue
            lost.remove(v)
            if count is not None:
                added.remove(count)
    return lost, added


# A unit number as a plural noun after a count: "11 fours and 2 sixes" (cricket's boundaries)
# for 11 من الأربع واثنين من الستات. It renders a value the rounds left lost, and is no value
# of its own: it never takes the pairing of a number written out ("6 sixes" for 6 مرات),
# and without a count before it ("on all fours", "at sixes and sevens") it renders nothing.
_PLURAL_UNITS = {
    w: n for n, w in enumerate(["twos", "threes", "fours", "fives", "sixes", "sevens"], 2)
} | {"eights": 8, "nines": 9}
_COUNTED_PLURAL = re.compile(
    rf"(?:\b\d[\d,.]*|\b(?:{'|'.join(EN_TENS)})(?:-[a-z]+)?|\b(?:{'|'.join(EN_UNITS)}))"
    rf"\s+({'|'.join(_PLURAL_UNITS)})\b",
    re.I,
)


def _said_as_plurals(lost: list[Value], translation: str) -> list[Value]:
    """``lost`` less the values the translation says as a plural noun after a count (see
    above), one a plural."""
    lost = list(lost)
    for m in _COUNTED_PLURAL.finditer(translation):
        value = _num(_PLURAL_UNITS[m.group(1).lower()])
        v = next((v for v in lost if v.key == value), None)
        if v is not None:
            lost.remove(v)
    return lost


_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_THREE_DECIMAL_CURRENCY = re.compile(
    r"\s*(?:دينار|دنانير|الدينار|ريال\s+عماني|ريالا\s+عمانيا|ر\.ع|د\.ك|د\.ب|د\.ا|فلس)"
)


def _dotted_thousands(
    lost: list[Value], added: list[Value], source: str
) -> tuple[list[Value], list[Value]]:
    """``lost`` less a number whose periods may separate thousands, as some Arab countries
    write them (12.500 for 12,500), that the translation writes so; ``added`` less it."""
    lost, added = list(lost), list(added)
    for v in list(lost):
        shown = normalize(source[v.start : v.end])  # (Arabic-Indic digits as Latin ones)
        if not _DOTTED_THOUSANDS.fullmatch(shown) or shown.startswith("0"):
            continue
        if _THREE_DECIMAL_CURRENCY.match(source, v.end):
            continue  # 18.750 دينار: a dinar has a thousand fils, written after a period
        # (read as any digit string is: past MAX_DIGITS, a long number's digits)
        key = _decimal(shown.replace(".", ""))
        whole = next((w for w in added if w.key == key), None)
        if whole is not None:
            lost.remove(v)
            added.remove(whole)
    return lost, added


# English that adds a value converted to other units, in brackets after the value it
# converts: "40 km (25 miles)", "48 degrees Celsius (118 degrees Fahrenheit)". Only a unit
# of the other system, at the value the first converts to (within rounding), is one.
_UNITS = {  # unit: (its quantity, its system, the factor to the quantity's metric unit)
    "km": ("length", "metric", 1.0), "kilometer": ("length", "metric", 1.0),
    "kilometre": ("length", "metric", 1.0), "mile": ("length", "imperial", 1.609344),
    "mi": ("length", "imperial", 1.609344), "m": ("short", "metric", 1.0),
    "meter": ("short", "metric", 1.0), "metre": ("short", "metric", 1.0),
    "foot": ("short", "imperial", 0.3048), "feet": ("short", "imperial", 0.3048),
    "ft": ("short", "imperial", 0.3048), "kg": ("mass", "metric", 1.0),
    "kilogram": ("mass", "metric", 1.0), "pound": ("mass", "imperial", 0.45359237),
    "lb": ("mass", "imperial", 0.45359237), "hectare": ("area", "metric", 1.0),
    "acre": ("area", "imperial", 0.40468564), "liter": ("volume", "metric", 1.0),
    "litre": ("volume", "metric", 1.0), "gallon": ("volume", "imperial", 3.785411784),
    "celsius": ("heat", "metric", None), "fahrenheit": ("heat", "imperial", None),
}  # fmt: skip
_UNIT = r"(?:(?:degrees?\s+)?(?:celsius|fahrenheit)|kilomet(?:er|re)s?|met(?:er|re)s?|miles?|mi|km|m|feet|foot|ft|kilograms?|kg|pounds?|lbs?|hectares?|acres?|lit(?:er|re)s?|gallons?)"  # noqa: E501
_CONVERSION = re.compile(
    rf"(\d[\d,.]*)\s*({_UNIT})\b[^()\d]{{0,24}}\(\s*(?:about\s+|around\s+|roughly\s+|"
    rf"nearly\s+|some\s+|almost\s+)?(\d[\d,.]*)\s*({_UNIT})\b[^()]*\)",
    re.IGNORECASE,
)


def _unit(word: str) -> tuple | None:
    word = re.sub(r"^degrees?\s+", "", word.lower())
    return _UNITS.get(word) or _UNITS.get(word.rstrip("s")) or _UNITS.get(word[:-2])


def _converts(a: float, unit_a: tuple, b: float, unit_b: tuple) -> bool:
    """Whether ``b`` in its unit is ``a`` in its own, within the rounding a writer does."""
    if unit_a[0] != unit_b[0] or unit_a[1] == unit_b[1]:
        return False
    if unit_a[0] == "heat":
        want = a * 9 / 5 + 32 if unit_a[1] == "metric" else (a - 32) * 5 / 9
    else:
        want = a * unit_a[2] / unit_b[2]
    return abs(b - want) <= max(1.0, 0.06 * abs(want))


def _conversions(translation: str) -> list[tuple[int, int]]:
    """The spans of the values in brackets that convert the value before them."""
    out = []
    for m in _CONVERSION.finditer(translation):
        unit_a, unit_b = _unit(m.group(2)), _unit(m.group(4))
        try:
            a, b = float(m.group(1).replace(",", "")), float(m.group(3).replace(",", ""))
        except ValueError:
            continue
        if unit_a and unit_b and _converts(a, unit_a, b, unit_b):
            out.append(m.span(3))
    return out


_YEAR_RANGE = re.compile(r"(\d{4})/(\d{2}|\d{4})")


def _years_of_a_range(v: Value, text: str) -> list[Value]:
    """A year range written with a slash as one token (2024/2025, 2024/25: a fiscal year, a
    season) as its two years, each with its span; any other value as it is."""
    m = _YEAR_RANGE.fullmatch(text[v.start : v.end]) if v.key[0] == "text" else None
    if m is None:
        return [v]
    first, second = int(m.group(1)), int(m.group(2))
    if len(m.group(2)) == 2:
        second += first - first % 100 + (100 if first - first % 100 + second <= first else 0)
    if not 0 < second - first <= 10:
        return [v]
    return [
        Value(_num(first), v.start + m.start(1), v.start + m.end(1)),
        Value(_num(second), v.start + m.start(2), v.start + m.end(2)),
    ]


def _clock_times(
    mine: list[Value], other: list[Value], text: str, other_text: str
) -> tuple[list[Value], list[Value]]:
    """``mine`` less each time written with its minutes (9:30, 6:45) that the other side
    writes as an hour and its minutes apart (التاسعة والنصف, السادسة و45 دقيقة; nine
    thirty), and ``other`` less those two."""
    # the other side's hours with minutes written just after them, by (hour, minutes)
    ordered = sorted(other, key=lambda w: w.start)
    apart: dict[tuple, list[tuple[Value, Value]]] = {}
    for h, m in zip(ordered, ordered[1:], strict=False):
        if h.key[0] == "num" and m.key[0] == "num" and 0 <= m.start - h.end <= 4:
            apart.setdefault((h.key[1], m.key[1]), []).append((h, m))
    if not apart:
        return mine, other
    taken: set[int] = set()
    kept = []
    for v in mine:
        clock = _CLOCK.fullmatch(text[v.start : v.end]) if v.key[0] == "text" else None
        pairs = (
            apart.get((int(clock.group(1)), int(clock.group(2))))
            if clock and clock.group(2)
            else None
        )
        while pairs and (id(pairs[-1][0]) in taken or id(pairs[-1][1]) in taken):
            pairs.pop()
        if not pairs:
            kept.append(v)
            continue
        taken.update(id(x) for x in pairs.pop())
    return kept, [w for w in other if id(w) not in taken]


def _full_year(v: Value, text: str) -> Value:
    """A two-digit number written after a year and a dash (2024-25, 1999–00) as the year it
    stands for (2025, 2000)."""
    if v.key[0] != "num" or not re.fullmatch(r"\d{2}", text[v.start : v.end]):
        return v
    before = _RANGE_BEFORE.search(text[max(0, v.start - 12) : v.start])
    if before is None:
        return v
    first = int(before.group(1))
    year = first - first % 100 + int(v.key[1])
    year += 100 if year <= first else 0
    return Value(_num(year), v.start, v.end, v.soft, v.words)


def _same_dates(
    lost: list[Value], added: list[Value], source: str, translation: str
) -> tuple[list[Value], list[Value]]:
    """Numeric dates of both sides that are the same day: the source's read day first, the
    translation's either way (5/12/2026 and 12/5/2026)."""
    days: dict[tuple, list[int]] = {}  # a day as the translation may mean it: its dates
    for j, w in enumerate(added):
        for first in (True, False):
            parts = _date_parts(w, translation, first)
            if parts is not None:
                days.setdefault(tuple(p.key for p in parts), []).append(j)
    if not days:
        return lost, added
    paired_s: set[int] = set()
    paired_t: set[int] = set()
    for i, v in enumerate(lost):
        parts = _date_parts(v, source, day_first=True)
        if parts is None:
            continue
        same = days.get(tuple(p.key for p in parts), [])
        while same and same[0] in paired_t:
            same.pop(0)
        if same:
            paired_s.add(i)
            paired_t.add(same.pop(0))
    return (
        [v for i, v in enumerate(lost) if i not in paired_s],
        [w for j, w in enumerate(added) if j not in paired_t],
    )


def _afternoon(v: Value, text: str, arabic: bool) -> tuple:
    """The key a value pairs by in the 24-hour round: a time past noon (20:00, 20:30) as its
    hour on the 12-hour clock, an hour followed by p.m. or مساءً (or written 8pm, 8:30pm) as
    itself; any other value pairs with nothing here. "At night" (ليلاً) is past noon for
    the evening's hours only (6 to 11): الساعة 2 ليلا is 2 a.m."""
    shown = text[v.start : v.end]
    clock = _CLOCK.fullmatch(shown)
    if clock and 13 <= int(clock.group(1)) <= 23 and clock.group(2):
        return ("pm", _hour(int(clock.group(1)) - 12, clock.group(2)))
    after = (_PM_AR if arabic else _PM_EN).match(text, v.end)
    written = not arabic and shown[-2:].lower() == "pm"
    if clock and v.key[0] in ("num", "text"):
        hour, minutes = int(clock.group(1)), clock.group(2)
    elif v.words and v.key[0] == "num" and v.key[1] == int(v.key[1]):
        hour, minutes = int(v.key[1]), None
    else:
        return ("none", id(v))
    night = after is not None and re.search(r"night|\u0644\u064a\u0644", after.group(), re.I)
    if (after or written) and 1 <= hour <= 12 and not (night and not 6 <= hour <= 11):
        return ("pm", _hour(hour, minutes))
    return ("none", id(v))


def _hour(hour: int, minutes: str | None) -> str:
    """An hour of the 12-hour clock as a key: 8, 8:30 (8:00 is 8)."""
    return f"{hour}:{int(minutes):02d}" if minutes and int(minutes) else str(hour)


_SCALES = frozenset(Decimal(10) ** k for k in (2, 3, 6, 9, 12))


def _scale_words(values: list[Value]) -> list[Value]:
    """The soft values that are a scale word alone (ألف, مليون, "a hundred", "billion")."""
    return [v for v in values if v.soft and v.words and v.key[0] == "num" and v.key[1] in _SCALES]


def _within(span: tuple[int, int] | None, outer: tuple[int, int] | None) -> bool:
    """Whether ``span`` lies inside ``outer`` (a side with no span lies inside anything)."""
    return span is None or (outer is not None and outer[0] <= span[0] and span[1] <= outer[1])


def _names_a_word(arabic: str, translation: str) -> bool:
    """Whether an Arabic number word is a name in the translation (ستون: Emma Stone,
    كريات أربع: Kiryat Arba), by consonant skeleton."""
    skeleton = arabic_skeleton(normalize(arabic).split()[-1].lstrip("وف"))
    return bool(skeleton) and any(
        english_skeleton(w) == skeleton for w in re.findall(r"\b[A-Z][a-z]+", translation)
    )
