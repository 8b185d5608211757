"""Amounts said as another of their kind: a vague amount of another order of magnitude, a
fraction for another, an hour in the other half of the day, a code with other digits.
"""

from __future__ import annotations

import re

from align.checks.base import Finding
from align.checks.number.arabic import _arabic_tokens
from align.checks.number.otherwise import _AR_HOUR_BEFORE, _PM_AR, _PM_EN
from align.checks.number.thresholds import DIGIT_CONFIDENCE, NAME, WORD_CONFIDENCE
from align.checks.number.values import (
    _AR_PROCLITIC,
    Value,
    _ar_lookup,
    _confidence,
    _en_lookup,
    _said_as_another,
)
from align.errors import clipped
from align.links.arabic import normalize

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
                    f"The hour {clipped(v.shown(source))} of the source is in the "
                    f"{'afternoon or evening' if half == 'pm' else 'morning'}, and "
                    f"{clipped(other.shown(translation))} of the translation in the other half of "
                    "the day.",
                    (v.start, v.end),
                    (other.start, other.end),
                )  # fmt: skip
            )
    return out


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
        f"The code {clipped(a.group())} of the source is {clipped(b.group())} in the translation.",
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


# A minus written onto a number (-5, −5, و-3), not a range's hyphen (10-5, 2020 -2021) nor
# a code's (F-16, COVID-19): at the text's start, or after a space, an opening bracket or
# a word of proclitics alone (و-3), with no digit right before the space.
_MINUS = "-\u2212"
_OPENS_A_SIGN = re.compile(rf"(?:^|[\s(\[«\"'])(?:{_AR_PROCLITIC})$")
# Words that say a value is below zero or a fall, which a translation may write instead of
# the sign (-5 درجات, "5 degrees below zero"; -2.5%, "fell 2.5%"): with one anywhere on the
# other side, a sign written on one side only says nothing.
_AR_BELOW = re.compile(
    r"سالب|ناقص|تحت\s+الصفر|دون\s+الصفر|انخفا?ض|تراجع|هبط|هبوط|خسار|خسر|عجز|انكماش|تدن"
)
_EN_BELOW = re.compile(
    r"\b(?:minus|negative|below|sub-?zero|under zero|fell|fall|falls|falling|dropped|drop|"
    r"drops|down|declined?|declines|declining|decreased?|decreases|lost|loss|losses|deficit|"
    r"shrank|shrink|shrinks|contracted|contraction|slumped|slid|plunged|tumbled)\b",
    re.I,
)


def _signed(v: Value, text: str) -> bool:
    """Whether ``text`` writes a minus onto the value ``v``."""
    at = v.start - 1
    if at < 0 or text[at] not in _MINUS:
        return False
    before = text[:at]
    if not _OPENS_A_SIGN.search(before) or before.rstrip()[-1:].isdigit():
        return False  # (a code's hyphen, F-16; a range's, 2020 -2021)
    # a dash that closes after the number opens an aside, not a sign: -29 عاماً-
    after = re.match(r"[^،,.;:!?؟\-\u2212]*", text[v.end :]).group()
    closed = re.match(r"[^\s\d][-\u2212](?:\s|[،,.;:!?؟]|$)", text[v.end + len(after) - 1 :])
    return not (after and closed)


def _signs_changed(src: list[Value], tgt: list[Value], source: str, translation: str):
    """``changed`` warnings for a value one side writes with a minus (-5, −5) and the other
    writes without one, where the other side has no word for below zero or a fall
    (``_AR_BELOW``, ``_EN_BELOW``): a temperature or a change whose sign was lost or added
    (-5 درجات, "5 degrees"). The values match as numbers, so no other rule sees it."""
    out = []
    sides = ((src, tgt, source, translation, _EN_BELOW, False),
             (tgt, src, translation, source, _AR_BELOW, True))  # fmt: skip
    for mine, theirs, text, other, below, added in sides:
        if below.search(other):
            continue
        for v in mine:
            if v.soft or v.key[0] != "num" or not _signed(v, text):
                continue
            same = [w for w in theirs if w.key == v.key]
            if not same or any(_signed(w, other) for w in same):
                continue
            signed, plain = (v.start - 1, v.end), (same[0].start, same[0].end)
            src_span, tgt_span = (plain, signed) if added else (signed, plain)
            out.append(
                Finding(
                    NAME,
                    "changed",
                    "warning",
                    DIGIT_CONFIDENCE,
                    f"The value {source[slice(*src_span)]!r} of the source is "
                    f"{translation[slice(*tgt_span)]!r} in the translation: a minus sign "
                    f"{'added' if added else 'lost'}.",
                    src_span,
                    tgt_span,
                )  # fmt: skip
            )
            break
    return out
