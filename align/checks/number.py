"""Numbers and dates that a translation lost, added or changed.

Both sides are read into values: digits in Arabic-Indic or Latin script (``٣٫٥``, ``3.5``,
``1,000``, ``١٬٠٠٠``; an Arabic comma between digits, ``٣،٥`` or ``15،00``, is read as a
Latin comma would be), with a scale word after them (2.5 مليار, 2.5 billion: both are
2,500,000,000); number words and ordinals (ثلاثة آلاف, خمسة وعشرون, السابع; three
thousand, twenty-five, seventh, 28th; two words of one order joined by و are two numbers,
أربع واثنين, and so are an hour and its minutes, التاسعة وثلاثين, "nine thirty", where a
compound ordinal has the article on both, التاسع والعشرون; والنصف, والثلث and والربع after
an hour are 30, 20 and 15 minutes, soft); times (11:15); and month names
of dates (28 مارس/آذار and March 28: the day is a number, the month a value of its own, a
doubled month once). Percent signs and words (٪, بالمئة, بالمائة, في المائة, percent) go
with their number and are not values of their own (خمسة بالمائة is 5 percent, not 500).
The multisets of values are compared: a source value the translation lacks is
``missing``, a translation value the source lacks is ``extra``, and one of each in a
segment is one ``changed`` finding with both spans.

Some values are *soft*: they may match a value on the other side, but are never reported
alone, because they are often not numbers in the other language's sense: one and two in
words (an Arabic dual such as أسبوعين is "two weeks"; "one of" has no number in Arabic),
first and second, decades (1990s; 1995s is a number), digits inside a code (G20, م16), a
month name with no number next to it (مارس is also the verb "practised"), vague plurals
(مئات, hundreds) are not values at all. A code the source writes in Arabic letters (م16)
and the translation with other digits (M36) is a ``changed`` code; a number an Arabic word
runs into (عام2020) is read as that number. A vulgar fraction written onto a number is part
of it (29¾ is 29.75); fractions in words (a third of, one-third, one third) are no values,
while an ordinal before a noun is (a fifth man: 5). Capitalized number words inside a
sentence next to another capitalized word are a name's (the Four Seasons Hotel): soft.

What one side writes another way than the other is the same value: a date in digits (5/12/2026,
day first as Arabic news writes it, or 2026/12/05) and the same date with its month's name
(December 5, 2026; a translation's 12/5/2026 is read either way), a time of the 24-hour
clock (20:00) and its hour before p.m. or مساءً (8 p.m., 8pm), a year range's second year
in two digits (2024-25) and in four (2024-2025), and a scale and a half (مليون ونصف, one
and a half million, a million and a half: 1.5 million). A numeric date is compared whole,
with a month's name and the day and year written next to it (``DAY_REACH``,
``DATE_REACH``: the number right beside the month is its day), so that no part of it
pairs with a number elsewhere: the same month and year beside another day is the day
changed (December 6, 2026 for 5/12/2026), the same day and year beside another month the
month changed, the same day and month with no year the year left out; anything else is
one finding of the date. Dates are paired before any other value, so a count equal to the
day (3 killed on 3/10) does not take the day's place, and a day changed keeps the day
beside the month with it (12 killed on 5/12 is not 5 killed on 12 December).
"At night" (ليلاً) is past noon for the evening's hours only: الساعة 2 ليلا is 2 a.m.
Arabic news writes a toll or a sum as digits, a scale and و (43 ألفا و391: 43,391; 4
مليارات و200 مليون: 4.2 billion; 34 ألفا و49: 34,049; but no percentage or share: 3
آلاف و20 منهم في is 3,000 and 20 of them, while منهم before a number is "including"), a share of a
scale in words (نصف مليار: half a billion, a half-billion, 500 million; ربع مليون: a
quarter of a million), a date with hyphens (5-12-2025), without a year (5/12) or with م after it,
a fiscal year or a season with a slash (2024/2025, 2024/25), an hour and its minutes
apart (التاسعة والنصف, السادسة و45 دقيقة: 9:30, 6:45) and a match's score in words
(بهدفين مقابل هدف: 2-1; سلبيا: 0-0; soft, since هدف is also an aim): each is read as
the value it is. A scale word alone on each side, not the same (مليار, "a million"), is
a changed value, though each alone is soft. On 263 correct translations of news
sentences with numbers written to test this check (dates, times, sums, tolls, scores,
codes), pairs with any finding went from 14.1% to 6.1%, and of 167 with one number
changed the check names 90.4% (88.0% before); what it still flags is mostly a number a
translator drops or rewords ("tripled" for ثلاث مرات, "9/11", "halved").
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from align.checks.base import ArticleInput, Finding, SegmentInput, has_words
from align.links.arabic import normalize
from align.links.base import Token
from align.links.lexical import MONTHS, arabic_skeleton, english_skeleton
from align.links.words import word_tokens

NAME = "number"
# Confidence of a finding about values written in digits, and about values written in
# words (number words are more often paraphrased: "a dozen", a dual). Set on FLORES-200
# devtest: its 1,012 clean pairs (5 flagged) and scripts/bench_checks.py's injected errors
# (P 0.95 against clean lines, 0.84 strict; R 0.93 without training text, with codes
# compared by ``_changed_codes``).
DIGIT_CONFIDENCE = 0.9
WORD_CONFIDENCE = 0.7
# Numbers longer than this many digits are compared as strings (no arithmetic on them).
MAX_DIGITS = 40
# How far (in tokens) a number may be from a month name for the month to count as a date.
MONTH_REACH = 2

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
        ("سلبيا", (0, 0)), ("سلبي", (0, 0)),
    )
}  # fmt: skip
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


def _arabic_tokens(text: str) -> tuple[list[Token], list[str]]:
    """The Arabic text's tokens and their normalized forms as the number rules read them:
    proclitics off a number (و28, بـ2020), numbers around an Arabic comma and dates with
    hyphens made one token."""
    tokens = list(word_tokens(text))
    forms = [normalize(text[t.start : t.end]) for t in tokens]
    for k, f in enumerate(forms):
        p = _AR_PREFIXED.match(f)
        if p and p.end():
            forms[k] = f[p.end() :]
            # Where the digits start in the text itself: the form has lost the tatweel and
            # vowel marks the prefix may carry (وَبِـ2020).
            digit = re.search(r"\d", text[tokens[k].start : tokens[k].end])
            tokens[k] = Token(tokens[k].start + digit.start(), tokens[k].end)
    _join_apart_conjunctions(tokens, forms)
    _join_comma_numbers(text, tokens, forms)
    _join_hyphen_dates(text, tokens, forms)
    return tokens, forms


def _join_apart_conjunctions(tokens: list[Token], forms: list[str]) -> None:
    """A conjunction written apart between two number words (السادس و العشرون, خمسة و
    عشرون: tokenized text, or typed so) joins the word after it, as والعشرون does: the
    parts are one number, not two. (A word of two letters after it stays apart: وست would
    read as no number at all.)"""
    k = 1
    while k + 1 < len(forms):
        after = forms[k + 1]
        joins = forms[k] == "و" and len(after) > 2 and not after.startswith("و")
        if joins and _ar_lookup(forms[k - 1]) and _ar_lookup(after):
            forms[k + 1] = "و" + after
            del forms[k], tokens[k]
        else:
            k += 1


def _arabic_values(text: str) -> list[Value]:
    tokens, forms = _arabic_tokens(text)
    values: list[Value] = []
    skip: set[int] = set()
    # Months first: a two-word month (كانون الثاني) holds an ordinal that is no number.
    values.extend(_months(forms, tokens, skip, arabic=True))
    i = 0
    while i < len(tokens):
        if i in skip:
            i += 1
            continue
        form = forms[i]
        m = _DIGITS.match(form)
        if m:
            key = _decimal(m.group(1))
            j = i + 1
            if key is not None:
                key, suffix = _with_fraction(key, m.group(2))
                soft = bool(suffix) and suffix not in ("م", "ه")
                scaled, j = _scaled(key, forms, j, skip, arabic=True)
                # 43 ألفا و391, 4 مليارات و200 مليون: one number (43,391; 4.2 billion), as
                # Arabic news writes a toll or a sum: the part after و less than the scale
                while scaled != key and scaled[0] == "num" and j < len(tokens) and j not in skip:
                    rest = _DIGITS.match(forms[j])
                    if not (rest and text[tokens[j].start - 1 : tokens[j].start] == "و"):
                        break
                    part = _decimal(rest.group(1))
                    if part is None or part[0] != "num" or rest.group(2):
                        break
                    whole, k = _scaled(part, forms, j + 1, skip, arabic=True)
                    if whole[1] >= scaled[1] / key[1]:  # (not less than the scale: two numbers)
                        break
                    # a count of its own: a percentage (و40%) or a share (و20 منهم في:
                    # "20 of them"; منهم before a number is the total's "including")
                    said = forms[j + 1 : k]
                    if any(f in _PERCENT_FORMS for f in said):
                        break
                    after = forms[k + 1 : k + 2]
                    share = forms[k : k + 1] in (["منهم"], ["منهن"], ["منها"])
                    if share and not (after and after[0][:1].isdigit()):
                        break
                    scaled, j = ("num", scaled[1] + whole[1]), k
                values.append(Value(scaled, tokens[i].start, tokens[j - 1].end, soft=soft))
            i = max(j, i + 1)
            continue
        glued = _AR_GLUED.match(form)
        if glued and (key := _decimal(glued.group(2))) is not None:
            # عام2020 (a word run into its number): the number; م16 (a code): soft.
            # (where its digits start in the text: the form may have lost marks among them)
            word = text[tokens[i].start : tokens[i].end]
            start = tokens[i].start + re.search(r"\d", word).start()
            soft = len(glued.group(1)) <= 2
            values.append(Value(key, start, tokens[i].end, soft=soft))
            i += 1
            continue
        goals = next((_AR_GOALS[f] for f in _ar_forms(form) if f in _AR_GOALS), None)
        if goals is None and form == "دون" and forms[i + 1 : i + 2] == ["رد"]:
            goals = (0,)  # (a win) دون رد: to nil
        if goals is not None:
            # A match's score in words (بهدفين مقابل هدف: 2-1; سلبيا: 0-0): soft, since the
            # words also mean other things (هدف: an aim), but what "2-1" pairs with.
            for n in goals:
                values.append(Value(_num(n), tokens[i].start, tokens[i].end, soft=True, words=True))
            i += 2 if form == "دون" else 1
            continue
        found = _ar_lookup(form)
        if found is None:
            leaders = {**_AR_TEEN_LEADERS, **_AR_ORDINAL_TEEN_LEADERS}
            lead = next((leaders[f] for f in _ar_forms(form) if f in leaders), None)
            if lead is not None:
                nxt = forms[i + 1] if i + 1 < len(forms) else ""
                after = _ar_lookup(nxt)
                # أحد عشر, الحادي عشر: 11; الحادي والعشرون: 21
                tens = after == ("unit", 10) or (_joined(nxt) and (after or ("",))[0] == "tens")
                if tens:
                    value = lead + (after[1] if after else 10)
                    # اثني عشر ألف: 12,000 (a scale word after the teen)
                    key, j = _scaled(_num(value), forms, i + 2, skip, arabic=True)
                    values.append(Value(key, tokens[i].start, tokens[j - 1].end, words=True))
                    i = j
                    continue
            # نصف مليار, ربع مليون: half a billion, a quarter of a million
            share = next((_AR_SHARES[f] for f in _ar_forms(form) if f in _AR_SHARES), None)
            nxt = _ar_lookup(forms[i + 1]) if i + 1 < len(forms) else None
            if share is not None and nxt is not None and nxt[0] == "scale":
                key = _times(_num(nxt[1]), share)
                values.append(Value(key, tokens[i].start, tokens[i + 1].end, words=True))
                i += 2
                continue
            i += 1
            continue
        kind, value = found
        if kind in ("vague", "plural"):
            # مئات الآلاف: vague, with any scale words after it.
            j = i + 1
            while j < len(tokens) and (_ar_lookup(forms[j]) or ("",))[0] in (
                "vague", "plural", "scale",
            ):  # fmt: skip
                j += 1
            i = j
            continue
        j, total, current = i + 1, 0, value
        last_kind = kind
        scale = value if kind == "scale" else 0  # the latest scale word's value
        if kind == "scale":
            total, current = value, 0
        while j < len(tokens) and j not in skip and last_kind != "ordinal_done":
            nxt = _ar_lookup(forms[j])
            if nxt is None:
                break
            nkind, nvalue = nxt
            if nkind == "vague" and not _joined(forms[j]):
                break
            if forms[j] in _AR_PERCENT:
                break  # خمسة بالمائة: 5 percent, not 500
            if _joined(forms[j]):
                if nkind == last_kind and nkind in ("unit", "tens", "hundred"):
                    break  # أربع واثنين: two numbers, not 6 (a compound joins other orders)
                if kind == "ordinal" and nkind in ("unit", "tens") and forms[j][1:3] != "ال":
                    # التاسعة وثلاثين, العاشرة وخمسة: an hour and its minutes (nine thirty,
                    # ten five), two numbers; a compound ordinal has the article on both
                    # (التاسع والعشرون: 29th)
                    break
                if nkind in ("unit", "tens", "hundred"):
                    current += nvalue
                elif nkind == "scale":
                    total += current
                    current = nvalue
                else:
                    break
            elif nkind in ("scale", "plural"):
                total += (current or 1) * nvalue
                current, scale = 0, nvalue
            elif nkind == "hundred" and nvalue == 100 and 0 < current < 10:
                current *= 100
            elif nkind == "unit" and nvalue == 10 and last_kind in ("unit", "ordinal"):
                current += 10  # ثلاثة عشر, الثالث عشر
            else:
                break
            last_kind = nkind
            j += 1
        number = total + current
        single = j == i + 1
        # مليون ونصف, ثلاثة ملايين ونصف: and a half of the scale (1.5 million, 3.5 million;
        # half of a dual's one: مليونين ونصف is 2.5 million)
        half = forms[j : j + 1] == ["ونصف"] or forms[j : j + 2] == ["و", "نصف"]
        if scale and last_kind in ("scale", "plural") and half:
            unit = scale // 2 if str(scale)[0] == "2" else scale
            number += Decimal(unit) / 2
            j += 1 if forms[j] == "ونصف" else 2
            single = False
        century = i > 0 and forms[i - 1] in ("القرن", "للقرن", "بالقرن")
        soft = (single and (number <= 2 or kind == "scale")) or century
        j = _skip_percent(forms, j, arabic=True)
        values.append(
            Value(_num(number), tokens[i].start, tokens[j - 1].end, soft=soft, words=True)
        )
        # السادسة والنصف (or و النصف): half past six, which English also writes "six
        # thirty"; the minutes are soft, since "half past six" has no number for them
        k, fraction = j, forms[j] if j < len(forms) else ""
        if fraction == "و" and j + 1 < len(forms):
            k, fraction = j + 1, "و" + forms[j + 1]
        if kind == "ordinal" and fraction in _AR_CLOCK_FRACTIONS:
            minutes = _AR_CLOCK_FRACTIONS[fraction]
            values.append(
                Value(_num(minutes), tokens[j].start, tokens[k].end, soft=True, words=True)
            )
            j = k + 1
        i = j
    return values


def _join_comma_numbers(text: str, tokens: list[Token], forms: list[str]) -> None:
    """Digits written around an Arabic comma with no space (15،00, ٣،٥, 1،000،000) are one
    number, the comma its separator (read as a Latin comma is: 15.00, 3.5, 1000000); the
    word tokenizer cuts them apart at the comma. One comma and one to three digits after it
    (a decimal part or a thousands group), or several commas each before three digits (1،000،000).
    Anything else is a list (3،4،5: articles 3, 4 and 5; 2019،2020: two years). In place, in
    one pass over the tokens."""
    out_tokens: list[Token] = []
    out_forms: list[str] = []
    k = 0
    while k < len(tokens):
        end = k  # the chain k, k + 2, ...: numbers joined by commas with no space
        while (
            end + 2 < len(tokens)
            and text[tokens[end + 1].start : tokens[end + 1].end] == "\u060c"
            and tokens[end].end == tokens[end + 1].start
            and tokens[end + 1].end == tokens[end + 2].start
            and re.fullmatch(r"\d+", forms[end])
            and re.match(r"\d", forms[end + 2])
        ):
            end += 2
        groups = [re.match(r"\d*", forms[j]).group(0) for j in range(k + 2, end + 1, 2)]
        one = len(groups) == 1 and 1 <= len(groups[0]) <= 3
        thousands = len(groups) > 1 and len(forms[k]) <= 3 and all(len(g) == 3 for g in groups)
        if end > k and (one or thousands):
            out_tokens.append(Token(tokens[k].start, tokens[end].end))
            out_forms.append(",".join(forms[j] for j in range(k, end + 1, 2)))
            k = end + 1
        else:  # one number, or a list: each of its numbers (and commas) as it is
            out_tokens.extend(tokens[k : end + 1])
            out_forms.extend(forms[k : end + 1])
            k = end + 1
    tokens[:] = out_tokens
    forms[:] = out_forms


def _join_hyphen_dates(text: str, tokens: list[Token], forms: list[str]) -> None:
    """A date written with hyphens and no space (5-12-2025, 2025-12-05), which the word
    tokenizer cuts at each hyphen, made one token again (its form with slashes, as the
    other numeric dates are read). In place."""
    k = 0
    while k + 4 < len(tokens):
        chain = tokens[k : k + 5]
        joined = all(a.end == b.start for a, b in zip(chain, chain[1:], strict=False))
        if joined and forms[k + 1] == "-" and forms[k + 3] == "-":
            date = "/".join(forms[k : k + 5 : 2])
            if _NUMERIC_DATE.fullmatch(date) and re.search(r"\d{4}", date):
                tokens[k : k + 5] = [Token(chain[0].start, chain[-1].end)]
                forms[k : k + 5] = [date]
        k += 1


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
    return after < len(forms) and forms[after].isdigit() and 1 <= int(forms[after]) <= 31


def _number_near(forms, a: int, b: int) -> bool:
    near = [*range(max(0, a - MONTH_REACH), a), *range(b + 1, min(len(forms), b + 1 + MONTH_REACH))]
    return any(forms[k][:1].isdigit() for k in near)


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


def _english_values(text: str) -> list[Value]:
    tokens = word_tokens(text)
    forms = [normalize(text[t.start : t.end]) for t in tokens]
    values: list[Value] = []
    skip: set[int] = set()
    values.extend(_months(forms, tokens, skip, arabic=False))
    i = 0
    while i < len(tokens):
        if i in skip:
            i += 1
            continue
        form = forms[i]
        m = _DIGITS.match(form)
        if m:
            key = _decimal(m.group(1))
            j = i + 1
            if key is not None:
                key, suffix = _with_fraction(key, m.group(2).lower())
                soft = False
                if suffix == "s" and key[0] == "num":
                    # the 1990s, the 20s: a decade; "1975s" is no decade but a number
                    soft = key[1] % 10 == 0
                elif suffix in EN_SCALES:
                    key = _times(key, EN_SCALES[suffix])
                elif suffix and not _ORDINAL_SUFFIX.match(suffix) and suffix not in ("am", "pm"):
                    soft = True  # 5G, 3D (8pm is an hour)
                key, j = _scaled(key, forms, j, skip, arabic=False)
                values.append(Value(key, tokens[i].start, tokens[j - 1].end, soft=soft))
            i = max(j, i + 1)
            continue
        if any(c.isdigit() for c in form) and any(c.isalpha() for c in form):
            for d in re.finditer(r"\d+", form):  # G20, B52: a code, soft
                key = _decimal(d.group())
                if key is not None:
                    s = tokens[i].start + d.start()
                    values.append(Value(key, s, s + len(d.group()), soft=True))
            i += 1
            continue
        if _ROMAN.match(form) and i > 0 and forms[i - 1][:1].isupper():
            roman = _roman(form)  # Lealofi III
            values.append(Value(_num(roman), tokens[i].start, tokens[i].end, soft=roman <= 2))
            i += 1
            continue
        found = _en_lookup(form)
        if found is None:
            # half a billion, a half-million, a quarter of a million: a share of a scale
            # (نصف مليار, ربع مليون)
            share = _EN_SHARES.get(form.lower())
            j = i + 1
            while share is not None and j < min(len(forms), i + 4):
                if forms[j].lower() not in ("a", "of", "-"):
                    break
                j += 1
            scale = _en_lookup(forms[j]) if share is not None and j < len(forms) else None
            if scale is not None and scale[0] == "scale":
                key = _times(_num(scale[1]), share)
                values.append(Value(key, tokens[i].start, tokens[j].end, words=True))
                i = j + 1
                continue
            i += 1
            continue
        kind, value = found
        if kind == "vague":
            i += 1
            continue
        if kind == "ordinal" and _fraction(forms, i):
            i += 1
            continue
        total, current = 0, 0
        j = end = i
        words = 0
        scale = 0  # the scale word just read (a million and a half)
        halved = False  # a number, not a vague "a million", once it has its half
        while j < len(tokens):
            found = _en_lookup(forms[j]) if j < len(tokens) else None
            if found is None:
                # a million and a half: 1.5 million (after a scale word only)
                half = [f.lower() for f in forms[j + 1 : j + 3]] == ["a", "half"]
                if forms[j] == "and" and half and scale and not current:
                    total += Decimal(scale) / 2
                    j = end = j + 3
                    scale, halved = 0, True
                    continue
                # one and a half million: 1.5 million (and a half before a scale word only:
                # "three and a half hours" is three to the Arabic ثلاث ساعات ونصف)
                if (
                    forms[j] == "and"
                    and words
                    and half
                    and j + 3 < len(tokens)
                    and (_en_lookup(forms[j + 3]) or ("",))[0] == "scale"
                    and current
                ):
                    current += Decimal("0.5")
                    j += 3
                    continue
                # twenty-five, two hundred and fifty
                if forms[j] in ("-", "and") and words and j + 1 < len(tokens):
                    nxt = _en_lookup(forms[j + 1])
                    if (
                        nxt
                        and nxt[0] in ("unit", "tens", "ordinal")
                        and current % 100 == 0
                        or (
                            forms[j] == "-"
                            and nxt
                            and nxt[0] in ("unit", "ordinal")
                            and current % 100
                            and current % 10 == 0
                        )  # twenty-one, twenty-first; one-third is no 4
                    ):
                        j += 1
                        continue
                break
            nkind, nvalue = found
            if nkind in ("vague",):
                break
            if nkind in ("unit", "tens", "dozen"):
                if current % 100 and nkind != "unit":
                    break
                if current % 10 and nkind == "unit":
                    break
                current += nvalue
            elif nkind == "ordinal":
                if current % 10:
                    break  # one third, two fifths: a fraction, not 4 or 7
                current += nvalue
                words += 1
                j = end = j + 1
                break
            elif nkind == "hundred":
                current = (current or 1) * 100
            elif nkind == "scale":
                total += (current or 1) * nvalue
                current, scale = 0, nvalue
            words += 1
            j = end = j + 1
        if words == 0:
            i += 1
            continue
        number = total + current
        compound = end < len(forms) and forms[end] == "-"  # three-dimensional, one-third
        vague = kind in ("dozen", "scale", "hundred") and not halved
        soft = (words == 1 and number <= 2) or vague or compound
        soft = soft or _in_a_name(text, tokens, i, end)
        j = _skip_percent(forms, end, arabic=False)
        values.append(
            Value(_num(number), tokens[i].start, tokens[j - 1].end, soft=soft, words=True)
        )
        i = j
    return values


# Text before a word that starts a sentence, a quotation or a parenthesis (a capital there
# says nothing).
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:;\"“‘«(\[—–])\s*$")


def _in_a_name(text: str, tokens: list[Token], first: int, end: int) -> bool:
    """Whether the number words ``tokens[first:end]`` are capitalized inside a sentence next
    to another capitalized word: a name's (the Four Seasons Hotel, the Big Four, the Three
    Gorges Dam), which the source transliterates or translates, not a count."""
    words = [text[t.start : t.end] for t in tokens[first:end] if text[t.start : t.end] != "-"]
    if not words or not all(w[:1].isupper() for w in words):
        return False
    if _SENTENCE_OPENING.search(text[: tokens[first].start]):
        return False
    before = text[tokens[first - 1].start : tokens[first - 1].end] if first > 0 else ""
    after = text[tokens[end].start : tokens[end].end] if end < len(tokens) else ""
    return any(w[:1].isupper() and w.isalpha() for w in (before, after))


def _roman(form: str) -> int:
    digits = {"I": 1, "V": 5, "X": 10}
    total = 0
    for k, ch in enumerate(form):
        v = digits[ch]
        total += -v if k + 1 < len(form) and digits[form[k + 1]] > v else v
    return total


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
    if v.date is not None:
        return f"The date {v.date!r} of the {mine[0]} has another day in the {other[0]}."
    there = _count(v, other[1])
    if not there:
        return f"The {_what(v)} {shown!r} of the {mine[0]} is not in the {other[0]}."
    if there >= _count(v, mine[1]):  # (the other side's is a date's, paired with it)
        return f"The {_what(v)} {shown!r} of the {mine[0]} has no counterpart in the {other[0]}."
    # (at least once on its own side: a date's day read apart is no value of the list)
    return (
        f"The {_what(v)} {shown!r} is in the {mine[0]} {_how_often(max(1, _count(v, mine[1])))} "
        f"and in the {other[0]} {_how_often(there)}."
    )


def _how_often(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _what(v: Value) -> str:
    return "date" if v.key[0] == "month" else "number"


# Month names the number check leaves to the name rules' "named nowhere" test only: the
# Maghreb's (أوت, جانفي...), تشرين alone (October or November: حرب تشرين), and آب alone
# (August, also "father": a month the source may name is enough there).
_MONTHS_NAMED_ALSO = {
    normalize(w): months
    for w, months in (
        ("جانفي", ("january",)), ("فيفري", ("february",)), ("أفريل", ("april",)),
        ("ماي", ("may",)), ("جوان", ("june",)), ("جويلية", ("july",)), ("أوت", ("august",)),
        ("تشرين", ("october", "november")),
    )
}  # fmt: skip


def source_months(text: str) -> set[str]:
    """The months an Arabic text may name (English names, lower case): month words of
    either calendar (مارس, آذار, كانون الثاني; the Maghreb's; آب and تشرين alone) and the
    months of numeric dates (5/12/2026, 5-12-2026, 15/8/2025م: december, august)."""
    tokens, forms = _arabic_tokens(text)
    months = {v.key[1] for v in _months(forms, tokens, set(), arabic=True)}
    for t, f in zip(tokens, forms, strict=True):
        bare = f[1:] if f[:1] in "وفبل" and len(f) > 3 else f
        for form in (f, bare):
            months.update(_MONTHS_NAMED_ALSO.get(form, ()))
        # آب, with its madda (أب is "father"), alone: August
        if re.sub("^[\u0648\u0641\u0628\u0644]?", "", text[t.start : t.end]) == "\u0622\u0628":
            months.add("august")
        parts = _date_parts(Value(("text", f), 0, len(f)), f, day_first=True)
        months |= {p.key[1] for p in parts or () if p.key[0] == "month"}
    return months


class NumberCheck:
    name = NAME

    def check(self, segment: SegmentInput, article: ArticleInput | None) -> list[Finding]:
        return list(number_findings(segment.source or "", segment.translation or ""))


@functools.lru_cache(maxsize=256)
def number_findings(source: str, translation: str) -> tuple[Finding, ...]:
    """The number check's findings of one pair. Cached: omission and addition ask for the
    same pair's missing and extra numbers (findings are frozen, so a cached one is safe
    to hand out again)."""
    return tuple(_pair_findings(source, translation))


def source_values(source: str) -> tuple[tuple[int, int], ...]:
    """The spans of the values of an Arabic text, in digits or in words, with the percent
    words that go with them (34 في المئة, الخمسة وعشرين); not the soft ones (الأول, الاثنين:
    first, Monday, which the number check never finds missing)."""
    return tuple((v.start, v.end) for v in _arabic_values(source) if not v.soft)


def _pair_findings(source: str, translation: str) -> list[Finding]:
    if not source.strip() or not has_words(translation):
        return []
    src = _arabic_values(source)
    tgt = _english_values(translation)
    if not src and not tgt:
        return _vague_amounts_changed(source, translation) + _fractions_changed(source, translation)
    # Numeric dates first, against a month's name with its day and year, before any value
    # of theirs pairs with a count (3/10/2025 and "On October 3, 2025, three people..."); a
    # part said apart (a changed day, a year left out) then goes through the rounds.
    lost, added = _dates_in_parts(src, tgt, source, translation, tgt, False)
    added, lost = _dates_in_parts(added, lost, translation, source, src, True)
    lost, added = _match(lost, added, len(source), len(translation))
    lost, added = _match(lost, added, len(source), len(translation), key=_loose)
    if lost and added:
        lost, added = _written_otherwise(lost, added, source, translation)
    if lost:
        lost, added = _hijri_dates(lost, added, src, source)
        lost, added = _said_in_words(lost, added, source, translation)
        lost, added = _dotted_thousands(lost, added, source)
    converted = _conversions(translation) if added else []
    added = [v for v in added if not any(a <= v.start < b for a, b in converted)]
    lost = [v for v in lost if not (v.words and _names_a_word(v.shown(source), translation))]
    findings: list[Finding] = []
    n_src, n_tgt = Counter(v.key for v in src), Counter(v.key for v in tgt)
    for group in ("num", "month"):
        s_all = [v for v in lost if (v.key[0] == "month") == (group == "month")]
        t_all = [v for v in added if (v.key[0] == "month") == (group == "month")]
        s_hard = [v for v in s_all if not v.soft]
        t_hard = [v for v in t_all if not v.soft]
        # A scale word alone on each side, not the same (مليار, "a million"): soft apart,
        # since "a million" may be no count, but together one changed value.
        s_scale, t_scale = _scale_words(s_all), _scale_words(t_all)
        if not s_hard and not t_hard and len(s_scale) == 1 and len(t_scale) == 1:
            s_hard, t_hard = s_scale, t_scale
        if len(s_hard) == 1 and len(t_hard) == 1:
            a, b = s_hard[0], t_hard[0]
            findings.append(
                Finding(
                    NAME,
                    "changed",
                    "error",
                    _confidence(a, b),
                    f"The {_what(a)} {a.shown(source)!r} of the source is "
                    f"{b.shown(translation)!r} in the translation.",
                    (a.start, a.end),
                    (b.start, b.end),
                )  # fmt: skip
            )
            continue
        for v in s_hard:
            said = _unmatched(v, v.shown(source), ("source", n_src), ("translation", n_tgt))
            findings.append(
                Finding(NAME, "missing", "error", _confidence(v), said, (v.start, v.end), None)
            )
        for v in t_hard:
            said = _unmatched(v, v.shown(translation), ("translation", n_tgt), ("source", n_src))
            findings.append(
                Finding(NAME, "extra", "error", _confidence(v), said, None, (v.start, v.end))
            )
    findings += _hijri_months_changed(source, translation)
    findings += _vague_amounts_changed(source, translation)
    findings += _half_of_day_changed(src, tgt, source, translation)
    findings += _fractions_changed(source, translation)
    codes = _changed_codes(source, translation)
    # A number inside a changed code (F-16 → F-35: 16 and 35 apart, since the tokenizer
    # cuts at the hyphen) is that change, said once, as the code's.
    inside = [(f.src, f.tgt) for f in codes]
    findings = [
        f for f in findings
        if not any(_within(f.src, a) and _within(f.tgt, b) for a, b in inside)
    ]  # fmt: skip
    return findings + codes


# -- the same value written another way ---------------------------------------------------
#
# What news writes one way in Arabic and another in English: a date in digits (5/12/2026:
# day first, as Arabic news writes it; 2026/12/05: year first) and the same date with the
# month's name (December 5, 2026), paired before the other values; then, among the values
# the rounds leave, an hour of the 24-hour clock (20:00) and the same hour before "p.m." or
# مساءً (8 p.m.), a year range's second year in two digits (2024-25) and in four
# (2024-2025). No library reads these across two languages' conventions: each is a few
# lines here.

# Day first (5/12/2026, 5.12.2026, 5-12-2026; 5/12 without a year) or year first.
_NUMERIC_DATE = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?|(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})"
)
_MONTH_OF = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
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
        whole = next((w for w in added if w.key == _num(int(shown.replace(".", "")))), None)
        if whole is not None:
            lost.remove(v)
            added.remove(whole)
    return lost, added


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


# Amounts said by their order of magnitude only: عشرات (tens), مئات, آلاف, ملايين; "dozens",
# "hundreds", "tens of thousands". Neither side gives a value, but one order said as
# another (عشرات, "hundreds") is a change.
_AR_ORDERS = {"عشرات": 10, "مئات": 100, "الاف": 1000, "الوف": 1000, "ملايين": 10**6,
              "مليارات": 10**9}  # fmt: skip
_EN_ORDERS = {"dozens": 10, "tens": 10, "hundreds": 100, "thousands": 1000,
              "millions": 10**6, "billions": 10**9}  # fmt: skip
_AR_ORDER_CLITICS = re.compile(r"^(?:[وف]?[بلك]?(?:ال)?)")


def _ar_order(form: str) -> int | None:
    """The order of magnitude of a vague plural, with its clitics (بالآلاف, للآلاف) and
    its accusative's alif (آلافاً)."""
    for f in (form, form[:-1] if form.endswith("ا") else None):
        if not f:
            continue
        if f in _AR_ORDERS:
            return _AR_ORDERS[f]
        bare = _AR_ORDER_CLITICS.sub("", re.sub("^[وف]?لل", "ال", f), count=1)
        found = _AR_ORDERS.get(bare) or _AR_ORDERS.get("ال" + bare)
        if found:
            return found
    return None


def _ar_of(form: str) -> int | None:
    """The order of a word that multiplies the one before it (عشرات الآلاف): the plural
    alone, or with its article; not one joined by و (العشرات والمئات: two amounts)."""
    bare = form[2:] if form.startswith("ال") else form
    return _AR_ORDERS.get(bare)


def _orders(
    words: list[str], order_of, said_before, of_order, joiner: str | None
) -> list[tuple[int, int, int]]:
    """(order of magnitude, its first word, its last) of each vague amount: a plural order
    word not after a number (3 آلاف is 3,000), with the orders after it multiplied (عشرات
    الآلاف, "tens of thousands": 10,000)."""
    out = []
    k = 0
    while k < len(words):
        order = order_of(words[k])
        if order is None or (k and said_before(words[k - 1])):
            k += 1
            continue
        first = k
        k += 1
        while k < len(words):
            # the next order multiplies this one: after "of" in English ("tens of
            # thousands"), right after it in Arabic (عشرات الآلاف)
            if joiner is not None and not (words[k] == joiner and k + 1 < len(words)):
                break
            nxt = k + 1 if joiner is not None else k
            more = of_order(words[nxt])
            if more is None:
                break
            order, k = order * more, nxt + 1
        out.append((order, first, k - 1))
    return out


def _vague_amounts_changed(source: str, translation: str) -> list[Finding]:
    """A vague amount of the source said as one of another order (عشرات, "hundreds";
    عشرات الآلاف, "thousands"): ``changed``, once an order."""
    tokens, forms = _arabic_tokens(source)
    en = [
        (m.start(), m.end(), m.group().lower())
        for m in re.finditer(r"[A-Za-z]+|\d[\d,.]*|[^\w\s]", translation)
    ]  # (punctuation kept: "dozens; thousands" are two amounts)
    number_before = lambda w: w[:1].isdigit() or _ar_lookup(w) is not None  # noqa: E731
    src = _orders(forms, _ar_order, number_before, _ar_of, None)
    tgt = _orders(
        [w for _, _, w in en],
        _EN_ORDERS.get,
        lambda w: w[0].isdigit() or _en_lookup(w) is not None,
        _EN_ORDERS.get,
        "of",
    )
    return _said_as_another(
        [(o, (tokens[a].start, tokens[b].end)) for o, a, b in src],
        [(o, (en[a][0], en[b][1])) for o, a, b in tgt],
        source, translation, "amount", "warning", WORD_CONFIDENCE,
        said=": another order of magnitude",
    )  # fmt: skip


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
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return []
    day, _, year = (int(p) for p in parts)
    if len(parts[0]) == 4:  # 1446/8/15
        day, year = year, day
    return [day, year]


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


# How near (in characters, between spans) a day and a year must stand to a month's name to
# be its date: "December 5, 2026", "5 December 2026", ٥ ديسمبر/كانون الأول ٢٠٢٥; the day
# right beside it ("5th of December"), not a count after the year ("December 2025, 12
# people").
DATE_REACH = 16
DAY_REACH = 4


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


# The longest value that counts as beside a month (a day or a year is short).
MAX_NEIGHBOUR_CHARS = 16


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


# Fractions said in words: نصف, ثلث, ربع, ثلثا; "half", "a third", "three quarters". One
# said as another (نصف, "a third") is a change; a fraction on one side only says nothing
# (نصف ساعة is "30 minutes").
# (with a pronoun (نصفهم) or the dual (الثلثين); not نصف النهائي, the semi-final, nor ربع
# النهائي; "a third" only before "of" or at a clause's end, not "a third term"; "half" not
# of a match, a relative or the clock: "the second half", "half-time", "half-brother", but
# "the first half of the year")
_AR_FRACTION = re.compile(
    r"(?<![\u0621-\u064a])(?:[وفبل]|ال|بال|لل|وال)?(ثلثين|ثلثي|ثلثا|ثلاثة\s+أرباع|ثلاثة\s+ارباع|"
    r"نصف|ثلث|ربع)(?:هم|ها|ه|هما|كم)?(?![\u0621-\u064a])(?!\s+(?:ال)?نهائي)"
)
_AR_FRACTIONS = {"نصف": "1/2", "ثلث": "1/3", "ربع": "1/4", "ثلثي": "2/3", "ثلثا": "2/3",
                 "ثلثين": "2/3"}  # fmt: skip
_EN_FRACTION = re.compile(
    r"\b((?:(?<=first )|(?<=second ))half(?=\s+of\b)|"  # the first half of the year
    r"(?<!first )(?<!second )half(?![\s-]*(?:time|brother|sister|hour|past|way|mast))|"
    r"halves|(?:a|one)[\s-]third(?=\s+of\b|\s*[.,;:)]|\s*$)|two[\s-]thirds|"
    r"(?:a|one)[\s-]quarter(?=\s+of\b|\s*[.,;:)]|\s*$)|three[\s-]quarters)\b",
    re.I,
)
_EN_FRACTIONS = {"half": "1/2", "halves": "1/2", "third": "1/3", "thirds": "2/3",
                 "quarter": "1/4", "quarters": "3/4"}  # fmt: skip


def _fractions_changed(source: str, translation: str) -> list[Finding]:
    """A fraction of the source said as another in the translation (ربع, "half"):
    ``changed``, once a fraction."""
    src = []
    for m in _AR_FRACTION.finditer(source):
        word = m.group(1)
        src.append(("3/4" if " " in word else _AR_FRACTIONS[word], m.span(1)))
    tgt = [
        (_EN_FRACTIONS[re.split(r"[\s-]", m.group(1).lower())[-1]], m.span(1))
        for m in _EN_FRACTION.finditer(translation)
    ]
    # (some fraction said alike on both sides: the others may be idiom)
    return _said_as_another(
        src, tgt, source, translation, "fraction", "warning", WORD_CONFIDENCE, all_differ=True
    )


# (the adverbs only: a count before صباح اليوم, فجر الأحد is no hour: "3 killed at dawn")
_AM_AR = re.compile(r"\s*(?:صباحا|صباحاً|فجرا|فجراً)(?![\u0621-\u064a])")
_AR_HALF_ADVERB = re.compile(r"\s*(?:صباحا|صباحاً|مساءً|مساءا|فجرا|فجراً|ليلاً|ليلا|عصرا|عصراً)")
_EN_AM_PM = re.compile(r"\s*[ap]\.?\s?m\b", re.I)
_HOUR_WORDS_BEFORE = re.compile(
    r"\b(?:at|from|until|till|to|by|around|about|after|before|since|between)\s+$", re.I
)
_AM_EN = re.compile(r"\s*(?:a\.?\s?m\b\.?|in the morning\b)", re.I)


def _half_of_day(v: Value, text: str, arabic: bool) -> tuple[int, str] | None:
    """(hour, "am" or "pm") of an hour of the 12-hour clock said with its half of the day
    (الثامنة مساءً, 8 صباحا, "8 p.m.", "8am"); None for any other value. At night (ليلاً)
    the evening's hours (6 to 11) are p.m. and the small hours a.m."""
    # (12 is noon or midnight, each said its own way: the noon and midnight rule's)
    if v.key[0] != "num" or v.key[1] != int(v.key[1]) or not 1 <= v.key[1] <= 11:
        return None
    hour = int(v.key[1])
    shown = text[v.start : v.end].lower()
    if not arabic and shown.endswith(("am", "pm")) and shown[:-2].strip().isdigit():
        return hour, shown[-2:]
    window = max(0, v.start - 12)
    if arabic:
        # a count before مساء الأحد is no hour: الساعة 8, the hour's word (الثامنة), or
        # the adverb (8 مساءً)
        an_hour = v.words or _AR_HOUR_BEFORE.search(text, window, v.start)
        if not (an_hour or _AR_HALF_ADVERB.match(text, v.end)):
            return None
    elif not _EN_AM_PM.match(text, v.end) and not _HOUR_WORDS_BEFORE.search(text, window, v.start):
        # "in the morning" after a count or a date's day ("March 8 in the morning") is no
        # hour's: only after "at", "from", "until"...
        return None
    pm = (_PM_AR if arabic else _PM_EN).match(text, v.end)
    if pm is not None:
        if re.search(r"night|\u0644\u064a\u0644", pm.group(), re.I) and not 6 <= hour <= 11:
            return (hour, "am") if hour <= 5 else None
        return hour, "pm"
    if (_AM_AR if arabic else _AM_EN).match(text, v.end):
        return hour, "am"
    return None


def _half_of_day_changed(
    src: list[Value], tgt: list[Value], source: str, translation: str
) -> list[Finding]:
    """An hour the source says in one half of the day (الثامنة مساءً) that the translation
    says in the other ("8 a.m."), and nowhere in the same: ``changed``."""
    said = [(v, h) for v in src if (h := _half_of_day(v, source, True)) is not None]
    given = [(w, h) for w in tgt if (h := _half_of_day(w, translation, False)) is not None]
    out = []
    for v, (hour, half) in said:
        if any(h == (hour, half) for _, h in given):
            continue
        other = next((w for w, h in given if h == (hour, "pm" if half == "am" else "am")), None)
        if other is not None:
            out.append(
                Finding(
                    NAME,
                    "changed",
                    "error",
                    _confidence(v, other),
                    f"The hour {v.shown(source)!r} of the source is in the "
                    f"{'afternoon or evening' if half == 'pm' else 'morning'}, and "
                    f"{other.shown(translation)!r} of the translation in the other half of "
                    "the day.",
                    (v.start, v.end),
                    (other.start, other.end),
                )  # fmt: skip
            )
    return out


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


# A code: Latin letters and digits in one token (H5N1, 802.11n, G20, F-16). Its digits are
# soft values above (a code is not a quantity), but a code of the source that comes out
# with other digits around the same letters is a changed number.
_CODE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?")
# One or two Arabic letters written against digits, not inside a longer Arabic word: م16.
_AR_CODE = re.compile(r"(?<![\u0621-\u064a])([\u0621-\u063a\u0641-\u064a]{1,2})[0-9\u0660-\u0669]+")
# Letters that are proclitics, not a code, when written onto a number: و28, ال78.
_PROCLITICS = re.compile(_AR_PROCLITIC)


def _codes(text: str) -> list[re.Match]:
    return [
        m
        for m in _CODE.finditer(text)
        if re.search(r"[A-Za-z]", m.group()) and re.search(r"\d", m.group())
    ]


def _digits_of(match: re.Match) -> str:
    return re.sub(r"\D", "", normalize(match.group()))  # Arabic-Indic digits as Latin


def _changed_codes(source: str, translation: str) -> list[Finding]:
    src, tgt = _codes(source), _codes(translation)
    in_src = {m.group().lower() for m in src}
    in_tgt = {m.group().lower() for m in tgt}

    def letters(m: re.Match) -> str:
        return re.sub(r"[^a-z]", "", m.group().lower())

    # The translation's new codes by their letters, each read once (a line of thousands of
    # codes would otherwise compare every pair)
    new_by_letters: dict[str, list[re.Match]] = {}
    for b in tgt:
        if b.group().lower() not in in_src:
            new_by_letters.setdefault(letters(b), []).append(b)
    findings = _changed_arabic_codes(source, src, tgt)
    for a in src:
        if a.group().lower() in in_tgt:
            continue
        others = new_by_letters.get(letters(a), [])
        if len(others) == 1:
            findings.append(_code_changed(a, others[0]))
    return findings


def _code_changed(a: re.Match, b: re.Match) -> Finding:
    return Finding(
        NAME, "changed", "error", DIGIT_CONFIDENCE,
        f"The code {a.group()!r} of the source is {b.group()!r} in the translation.",
        a.span(), b.span(),
    )  # fmt: skip


def _changed_arabic_codes(source: str, src: list[re.Match], tgt: list[re.Match]) -> list[Finding]:
    """A code the source writes in Arabic letters (بندقية م16: an M16 rifle) whose digits the
    translation's codes lack, while the translation has one code with digits the source
    lacks: ``changed``."""
    # Proclitics written onto a number (و28, ال78) make no code.
    arabic = [m for m in _AR_CODE.finditer(source) if not _PROCLITICS.fullmatch(m.group(1))]
    if not arabic:
        return []
    tgt_digits = {_digits_of(m) for m in tgt}
    src_digits = {_digits_of(m) for m in (*src, *arabic)}
    lost = [a for a in arabic if _digits_of(a) not in tgt_digits]
    new = [b for b in tgt if _digits_of(b) not in src_digits]
    if len(lost) != 1 or len(new) != 1:
        return []
    return [_code_changed(lost[0], new[0])]


def _names_a_word(arabic: str, translation: str) -> bool:
    """Whether an Arabic number word is a name in the translation (ستون: Emma Stone,
    كريات أربع: Kiryat Arba), by consonant skeleton."""
    skeleton = arabic_skeleton(normalize(arabic).split()[-1].lstrip("وف"))
    return bool(skeleton) and any(
        english_skeleton(w) == skeleton for w in re.findall(r"\b[A-Z][a-z]+", translation)
    )


def _confidence(*values: Value) -> float:
    return WORD_CONFIDENCE if any(v.words for v in values) else DIGIT_CONFIDENCE


CHECK = NumberCheck()
