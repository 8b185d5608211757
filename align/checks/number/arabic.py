"""The values of an Arabic text: digits in either script, number words, ordinals and dates."""

from __future__ import annotations

import re
from decimal import Decimal

from align.checks.number.dates import _date_parts, _months
from align.checks.number.values import (
    _AR_CLOCK_FRACTIONS,
    _AR_GLUED,
    _AR_GOALS,
    _AR_NIL,
    _AR_ORDINAL_TEEN_LEADERS,
    _AR_PERCENT,
    _AR_PREFIXED,
    _AR_SHARES,
    _AR_TEEN_LEADERS,
    _DIGITS,
    _NUMERIC_DATE,
    _PERCENT_FORMS,
    Value,
    _ar_forms,
    _ar_lookup,
    _decimal,
    _joined,
    _num,
    _scaled,
    _skip_percent,
    _times,
    _with_fraction,
)
from align.links.arabic import normalize
from align.links.base import Token
from align.links.words import word_tokens


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
        nil = tuple(forms[i : i + 2]) in _AR_NIL and (form != "مقابل" or _nil_after(forms, i))
        if goals is None and nil:
            goals = (0,)  # (a win) دون رد: to nil; (a vote) مقابل لا شيء: to none
        if goals is not None:
            # A match's score in words (بهدفين مقابل هدف: 2-1; سلبيا: 0-0): soft, since the
            # words also mean other things (هدف: an aim), but what "2-1" pairs with.
            for n in goals:
                values.append(Value(_num(n), tokens[i].start, tokens[i].end, soft=True, words=True))
            i += 2 if nil else 1
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


def _nil_after(forms: list[str], i: int) -> bool:
    """Whether مقابل at ``i`` opens a nil, not a count: مقابل صفر, مقابل لا شيء (not مقابل لا
    يقل, "for no less")."""
    return forms[i + 1] != normalize("لا") or forms[i + 2 : i + 3] == [normalize("شيء")]


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
