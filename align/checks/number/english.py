"""The values of an English text: digits, number words, ordinals, Roman numerals and dates."""

from __future__ import annotations

import re
from decimal import Decimal

from align.checks.number.dates import _months
from align.checks.number.values import (
    _DIGITS,
    _EN_SHARES,
    _ORDINAL_SUFFIX,
    _ROMAN,
    EN_SCALES,
    Value,
    _decimal,
    _en_lookup,
    _fraction,
    _num,
    _scaled,
    _skip_percent,
    _times,
    _with_fraction,
)
from align.links.arabic import normalize
from align.links.base import Token
from align.links.words import word_tokens


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
