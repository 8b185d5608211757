"""A value as the number check reads it, and the number words of both languages: units,
tens, hundreds, scales, ordinals, shares and percent words, Arabic and English; numeric
dates; and how sure a finding of a value is, or of one said as another of its kind.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from align.checks.base import Finding
from align.checks.number.thresholds import DIGIT_CONFIDENCE, MAX_DIGITS, NAME, WORD_CONFIDENCE
from align.links.arabic import normalize
from align.links.lexical import MONTHS

# -- Arabic number words (normalized: أ/إ/آ → ا, ة → ه, ى → ي) -----------------------------

_AR_UNITS = {
    "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
    "عشر": 10, "عشره": 10,
}  # fmt: skip
_AR_TEEN_LEADERS = {"احد": 1, "احدي": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}
_AR_TENS = {
    f + e: v
    for f, v in (
        ("عشر", 20), ("ثلاث", 30), ("اربع", 40), ("خمس", 50), ("ست", 60), ("سبع", 70),
        ("ثمان", 80), ("تسع", 90),
    )
    for e in ("ون", "ين")
}  # fmt: skip
_AR_HUNDREDS = {
    "مئه": 100, "مائه": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
    "مئتي": 200, "مائتي": 200,
}  # fmt: skip
for _unit, _v in (("ثلاث", 3), ("اربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7), ("ثمان", 8),
                  ("ثماني", 8), ("تسع", 9)):  # fmt: skip
    _AR_HUNDREDS[_unit + "مئه"] = _v * 100
    _AR_HUNDREDS[_unit + "مائه"] = _v * 100
_AR_SCALES = {
    "الف": 1000, "الفان": 2000, "الفين": 2000, "مليون": 10**6, "مليونان": 2 * 10**6,
    "مليونين": 2 * 10**6, "مليار": 10**9, "بليون": 10**9, "ملياران": 2 * 10**9,
    "مليارين": 2 * 10**9, "تريليون": 10**12, "الفي": 2000, "مليوني": 2 * 10**6,
    "ملياري": 2 * 10**9,
}  # fmt: skip
# Plurals: a scale after a number (ثلاثة آلاف), vague alone (مئات الآلاف).
_AR_PLURAL_SCALES = {"الاف": 1000, "ملايين": 10**6, "مليارات": 10**9, "مئات": 100}
_AR_VAGUE = {"عشرات", "مئات", "الاف", "ملايين", "مليارات", "الوف"}
_AR_ORDINALS = {
    "اول": 1, "اولي": 1, "ثاني": 2, "ثانيه": 2, "ثالث": 3, "ثالثه": 3, "رابع": 4, "رابعه": 4,
    "خامس": 5, "خامسه": 5, "سادس": 6, "سادسه": 6, "سابع": 7, "سابعه": 7, "ثامن": 8,
    "ثامنه": 8, "تاسع": 9, "تاسعه": 9, "عاشر": 10, "عاشره": 10,
}  # fmt: skip
_AR_ORDINAL_TEEN_LEADERS = {"حادي": 1, "حاديه": 1}
_AR_CLOCK_FRACTIONS = {"والنصف": 30, "والربع": 15, "والثلث": 20}  # after an hour: minutes
_AR_SHARES = {"نصف": Decimal("0.5"), "ربع": Decimal("0.25")}  # before a scale word
# A match's score in words: goals (a goal, two goals, a hat-trick...), and nil.
_AR_GOALS = {
    normalize(w): goals
    for w, goals in (
        ("هدف", (1,)), ("هدفا", (1,)), ("هدفين", (2,)), ("هدفان", (2,)), ("ثلاثية", (3,)),
        ("رباعية", (4,)), ("خماسية", (5,)), ("سداسية", (6,)), ("نظيفة", (0,)),
        ("نظيف", (0,)), ("نظيفين", (0,)), ("نظيفتين", (0,)),  # بهدف نظيف: 1-0
        ("سلبيا", (0, 0)), ("سلبي", (0, 0)),
    )
}  # fmt: skip
# Two words after a count that say its other side had none: a score's or a vote's nil (بهدف
# دون رد, دون مقابل: 1-0; 13 صوتا مقابل لا شيء, مقابل صفر, دون معارضة: 13-0), normalized.
_AR_NIL = frozenset(
    tuple(normalize(w) for w in pair.split())
    for pair in ("دون رد", "دون مقابل", "دون معارضة", "مقابل لا", "مقابل صفر")
)
_AR_PERCENT = {"بالمئه", "بالمائه"}
_AR_PERCENT_AFTER_FI = {"المئه", "المائه"}
_PERCENT_FORMS = {"%", "٪", *_AR_PERCENT, *_AR_PERCENT_AFTER_FI}
# Forms that look like a number word with a clitic but are something else (لست: "I am not").
_AR_NOT_NUMBERS = {"لست", "لستم", "لستن"}
# Two-word Levantine month names, and August (آب, also "father": only in a doubled date).
_AR_TWO_WORD_MONTHS = {
    ("كانون", "الثاني"): "january", ("كانون", "الاول"): "december",
    ("تشرين", "الاول"): "october", ("تشرين", "الثاني"): "november",
}  # fmt: skip
_AR_WEAK_MONTHS = {"اب": "august"}

# -- English number words -----------------------------------------------------------------

EN_UNITS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
    if i
}
EN_TENS = {
    w: 10 * i
    for i, w in enumerate(
        ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
    if i >= 2
}
_EN_SHARES = {"half": Decimal("0.5"), "quarter": Decimal("0.25")}
EN_SCALES = {"thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12, "bn": 10**9}
_EN_VAGUE = {
    "hundreds",
    "thousands",
    "millions",
    "billions",
    "trillions",
    "dozens",
    "tens",
    "scores",
}
_EN_ORDINALS = {
    w: i
    for i, w in enumerate(
        [
            "_",
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
        ]
    )
    if i
}
_EN_TENTHS = [
    "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth",
    "ninetieth",
]  # fmt: skip
_EN_ORDINALS.update({w: 10 * i for i, w in enumerate(_EN_TENTHS, 2)})
EN_MONTHS = frozenset(MONTHS.values())
# The abbreviations news style uses (AP: Jan., Feb., Aug., Sept., Oct., Nov., Dec.) and
# the three-letter ones.
_EN_MONTH_ABBREVIATIONS = {
    "Jan": "january", "Feb": "february", "Mar": "march", "Apr": "april", "Jun": "june",
    "Jul": "july", "Aug": "august", "Sep": "september", "Sept": "september",
    "Oct": "october", "Nov": "november", "Dec": "december",
}  # fmt: skip

_DIGITS = re.compile(r"^(\d[\d.,:/\u066b\u066c]*)([^\W\d_]*)$")
# Arabic letters run into a number: عام2020, م16.
_AR_GLUED = re.compile(r"^([\u0621-\u064a]+)(\d[\d.,\u066b\u066c]*)$")
# Arabic proclitics a number may carry: a conjunction, a preposition, the article.
_AR_PROCLITIC = r"[وف]?[بلك]?(?:ال)?"
# A number with Arabic proclitics written onto it: و28, ال78, بـ2024.
_AR_PREFIXED = re.compile(rf"^(?:{_AR_PROCLITIC})\u0640?(?=\d)")
_ROMAN = re.compile(r"^(?=[IVX]{2,}$)X{0,3}(?:IX|IV|V?I{0,3})$")
_ORDINAL_SUFFIX = re.compile(r"^(?:st|nd|rd|th)$")


@dataclass(frozen=True)
class Value:
    key: tuple  # ("num", Decimal) | ("text", str) | ("long", str) | ("month", str)
    start: int
    end: int
    soft: bool = False
    words: bool = False  # written in words
    date: str | None = None  # the day of a numeric date read apart: the date as written

    def shown(self, text: str) -> str:
        return text[self.start : self.end]


def _decimal(digits: str) -> tuple | None:
    """The key of a digit string (already Latin digits): thousands and decimal separators
    read the usual ways; times and dates (11:15, 28/3) are kept as written."""
    s = digits.replace("\u066b", ".").replace("\u066c", ",").rstrip(".,")
    if not s:
        return None
    if ":" in s or "/" in s:
        return ("text", s)
    if len(re.sub(r"\D", "", s)) > MAX_DIGITS:
        # too long to be a quantity anyone reads: kept as its digits (whatever separates
        # them), and equal only to the same digits (never paired loosely, as a time is: 1
        # and 40 zeros is not 1,000)
        return ("long", re.sub(r"\D", "", s))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", s):
        s = s.replace(".", "")  # 1.000.000
    elif re.fullmatch(r"\d+,\d+", s):
        s = s.replace(",", ".")  # a decimal comma
    if not re.fullmatch(r"\d+(?:\.\d+)?", s):
        return ("text", s)
    try:
        return ("num", Decimal(s))
    except InvalidOperation:
        return ("text", s)


def _with_fraction(key: tuple, suffix: str) -> tuple[tuple, str]:
    """A vulgar fraction written onto a number (29¾, 24½) added to its value, and what is
    left of the suffix: the fraction is part of the number, not a unit or a code."""
    ch = suffix[:1]
    if key[0] != "num" or not ch or unicodedata.category(ch) != "No":
        return key, suffix
    value = unicodedata.numeric(ch, None)
    if value is None or not 0 < value < 1:
        return key, suffix
    return ("num", key[1] + Decimal(str(round(value, 4)))), suffix[1:]


def _times(key: tuple, factor: int | Decimal) -> tuple:
    if key[0] != "num":
        return key
    with localcontext() as ctx:
        ctx.prec = MAX_DIGITS + 20
        return ("num", key[1] * factor)


def _num(value: int | Decimal) -> tuple:
    return ("num", Decimal(value))


# -- Arabic ---------------------------------------------------------------------------------


def _ar_forms(word: str) -> Iterator[str]:
    """The word and the word without its proclitics (و/ف, then ب/ل/ك, then ال), and
    without an accusative alif (الفا, مليونا)."""
    if word in _AR_NOT_NUMBERS:
        return
    seen = []
    w = word
    seen.append(w)
    if w[:1] in "وف" and len(w) > 3:
        w = w[1:]
        seen.append(w)
    if w[:1] in "بلك" and len(w) > 3:
        w = w[1:]
        seen.append(w)
    if w.startswith("ال") and len(w) > 3:
        seen.append(w[2:])
    for f in seen:
        yield f
        if f.endswith("ا") and len(f) > 3:
            yield f[:-1]


def _ar_lookup(word: str) -> tuple[str, int] | None:
    """(kind, value) of an Arabic number word, kind one of unit, tens, hundred, scale,
    plural, vague, ordinal, teen_leader, ordinal_teen_leader."""
    for f in _ar_forms(word):
        for kind, table in (
            ("unit", _AR_UNITS), ("tens", _AR_TENS), ("hundred", _AR_HUNDREDS),
            ("scale", _AR_SCALES), ("ordinal", _AR_ORDINALS),
        ):  # fmt: skip
            if f in table:
                return kind, table[f]
        if f in _AR_PLURAL_SCALES:
            return "plural", _AR_PLURAL_SCALES[f]
        if f in _AR_VAGUE:
            return "vague", 0
    return None


def _joined(word: str) -> bool:
    return word[:1] == "و" and len(word) > 3


def _scaled(key: tuple, forms: list[str], j: int, skip: set[int], arabic: bool) -> tuple:
    """``key`` times the scale words written after its digits from ``forms[j]`` on (2.5
    مليار, 3 million, ٣ آلاف), and the index after them and a percent word."""
    while j < len(forms):
        if arabic:
            if j in skip or _skip_percent(forms, j, True) != j:
                break
            found = _ar_lookup(forms[j])
            kinds = ("scale", "plural", "hundred")
            if found and found[0] in kinds and not _joined(forms[j]):
                key, j = _times(key, found[1]), j + 1
                continue
        else:
            found = _en_lookup(forms[j])
            if found and found[0] in ("scale", "hundred"):
                key, j = _times(key, found[1]), j + 1
                continue
        break
    return key, _skip_percent(forms, j, arabic=arabic)


def _skip_percent(forms: list[str], j: int, arabic: bool) -> int:
    """The index after a percent sign or word that follows a number at ``j``."""
    if j < len(forms) and forms[j] in ("%", "٪"):
        return j + 1
    if arabic:
        if j < len(forms) and forms[j] in _AR_PERCENT:
            return j + 1
        if j + 1 < len(forms) and forms[j] == "في" and forms[j + 1] in _AR_PERCENT_AFTER_FI:
            return j + 2
    else:
        low = forms[j].lower() if j < len(forms) else ""
        if low == "percent":
            return j + 1
        if low == "per" and j + 1 < len(forms) and forms[j + 1].lower() == "cent":
            return j + 2
    return j


# -- English --------------------------------------------------------------------------------


def _en_lookup(word: str) -> tuple[str, int] | None:
    w = word.lower()
    if w in EN_UNITS:
        return "unit", EN_UNITS[w]
    if w in EN_TENS:
        return "tens", EN_TENS[w]
    if w == "hundred":
        return "hundred", 100
    if w in EN_SCALES:
        return "scale", EN_SCALES[w]
    if w in _EN_ORDINALS:
        return "ordinal", _EN_ORDINALS[w]
    if w == "dozen":
        return "dozen", 12
    if w in _EN_VAGUE:
        return "vague", 0
    return None


def _fraction(forms: list[str], i: int) -> bool:
    """Whether the ordinal at ``i`` names a fraction: a third of, a fifth (at the end), one
    third of, one-third. A fifth man, the third time: ordinals."""
    before = forms[i - 1].lower() if i > 0 else ""
    if before == "-" and i > 1:
        return (_en_lookup(forms[i - 2]) or ("",))[0] == "unit"  # twenty-first reads as one
    after = forms[i + 1].lower() if i + 1 < len(forms) else ""
    return before in ("a", "one", "two") and (after == "of" or not after[:1].isalpha())


# A numeric date, day first (5/12/2026, 5.12.2026, 5-12-2026; 5/12 without a year) or year
# first, and the months in order: the Arabic reader keeps a date's digits together, and
# ``dates`` compares a date whole (``otherwise`` says why these are read by hand).
_NUMERIC_DATE = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?|(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})"
)
_MONTH_OF = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


def _said_as_another(
    src: list,
    tgt: list,
    source: str,
    translation: str,
    what: str,
    severity: str,
    confidence: float,
    said: str = "",
    all_differ: bool = False,
) -> list[Finding]:
    """``changed`` findings for what the source says (``src``: (kind, span) each: a month,
    an order of magnitude, a fraction) that the translation says as another of its kind
    (``tgt``), where each side has some; paired in order, one a kind said on one side only.
    ``all_differ``: none when any kind is said alike on both sides."""
    if not src or not tgt:
        return []
    lost = [span for kind, span in src if kind not in {k for k, _ in tgt}]
    added = [span for kind, span in tgt if kind not in {k for k, _ in src}]
    if all_differ and (len(lost) != len(src) or len(added) != len(tgt)):
        return []
    return [
        Finding(
            NAME,
            "changed",
            severity,
            confidence,
            f"The {what} {source[a[0] : a[1]]!r} of the source is "
            f"{translation[b[0] : b[1]]!r} in the translation{said}.",
            a,
            b,
        )  # fmt: skip
        for a, b in zip(lost, added, strict=False)
    ]


def _confidence(*values: Value) -> float:
    return WORD_CONFIDENCE if any(v.words for v in values) else DIGIT_CONFIDENCE
