"""Sentence segmentation for Arabic news text, with character offsets.

Hand-written rules, on purpose: pysbd's Arabic mode splits at the Arabic comma and at colons
(most Arabic news sentences are long comma-chained clauses, so it shreds them), and no
maintained library segments Arabic news with character offsets. The rules below are for
Arabic news in general, checked against the seed article and the FLORES-200 devtest.

A boundary is a run of terminators (``. ! ? ؟ …`` and ``...``, ``؟!``, ``!!``) plus any closing
quotes or brackets right after it (``الموسيقية".`` and ``أفضل."`` both end a segment), and
only when all of these hold:

- whitespace follows, then a plausible sentence start: an Arabic letter, a Latin capital, a
  digit, an opening quote or bracket, or a dash. So ``3.5``, ``11:15``, ``example.com``,
  ``a.m`` and a period before a lowercase Latin word never split;
- the terminator is not inside a balanced pair of brackets (``(...)``, ``(FSB.)``, a short
  aside): a parenthesis is read as an aside, and it is only trusted when it closes within
  ``MAX_PAREN`` characters, so a stray ``(`` cannot swallow a paragraph;
- the text before it in the segment holds a letter (``1.`` list numbers and a lone ``"...``
  are not sentences), and it does not close the number of an inline list (``_list_dots``:
  "التالية: 1. خفض الضرائب 2. رفع الأجور" is one sentence);
- a single ``.`` does not end an abbreviation: a Latin title or short form (Dr., Mr., No.,
  Jan., Inc., vs. ...), dotted letters (U.S., a.m., e.g., Ph.D.), a Latin capital initial
  followed by a Latin capitalised word (J. K. Rowling), a lone Arabic letter (د. for doctor,
  ن. as an initial: Arabic has no one-letter words that can end a sentence, unless a word
  that opens sentences and is no name follows, ``SENTENCE_OPENERS``: "فيتامين د. كما") or
  Arabic dotted
  letters (أ.د., ق.م.) unless they follow a number (2020 م. is an era that can end a
  sentence), or the Arabic spelling of a Latin letter name used as an initial (دي. كي. أريا,
  جون إف. كينيدي; but not the last letter of a spelled-out acronym: بي بي سي.).

Invisible format characters common in Arabic web text (``INVISIBLE``: RLM, LRM, ALM, ZWNJ,
ZWJ, ZWSP, word joiner, a stray BOM, the bidi embeddings, overrides and isolates, NBSP) count
as whitespace: between a terminator and the next sentence, and at segment edges, which never
include them; inside a segment they stay, so offsets remain exact (``blank_marks`` maps them
to spaces in a same-length copy that the rules read).

Never a boundary: the Arabic comma ، , the Latin comma, the colon, the semicolon ؛ , the
Arabic decimal separator ٫ , a slash (28 مارس/آذار). Quotations are not protected: a quote
that spans several sentences is split into them, the opening quote staying with the first
and the closing quote with the last; but a short quoted question or exclamation (at most
``MAX_QUOTED_CRY_WORDS`` words) that the sentence goes on after, with a word that is no
conjunction (و, ف) nor a sentence opener, is a title or a cry inside it ("لماذا تفشل
الأمم؟" الصادر عام 2012, «ارحل!» أمام البرلمان), not a sentence end.
"etc." and "إلخ." may end a sentence, so they do.
"""

from __future__ import annotations

import itertools
import re

TERMINATORS = ".!?؟…‼⁇⁈⁉۔"
# Closing quotes and brackets that belong to the sentence they follow.
CLOSERS = "\"'”’»›)]}"
OPENERS = "\"'“‘«‹([{"
DASHES = "-–—•"
# A bracketed aside longer than this is not trusted to protect its content: past this length
# a "(" is more likely unbalanced or a list marker than an aside.
MAX_PAREN = 250

# Invisible format characters that sites and editors scatter through Arabic text: LRM, RLM,
# ALM, ZWNJ, ZWJ, zero-width space, word joiner, a BOM inside the text, the bidi embeddings
# and overrides (U+202A-U+202E) and isolates (U+2066-U+2069), and NBSP (already whitespace
# to Python, listed for completeness). They are treated like whitespace.
INVISIBLE = (
    "\u00a0\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060"
    "\u2066\u2067\u2068\u2069\ufeff"
)
_BLANK_MARKS = str.maketrans(dict.fromkeys(INVISIBLE, " "))

_TERM_RUN = re.compile(f"[{re.escape(TERMINATORS)}]+")
_PAIRS = {")": "(", "]": "[", "}": "{"}

# Arabic letters (base block, extended letters, presentation forms); tatweel is not a letter.
_AR_LETTER = (
    "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\ufb50-\ufdfb\ufe70-\ufefc"
)
_AR_LETTER_RE = re.compile(f"[{_AR_LETTER}]")
# One Arabic letter, optionally with tatweel (هـ) or diacritics.
_AR_SINGLE = re.compile(f"[{_AR_LETTER}][\u0640\u064b-\u065f\u0670]*")
_AR_DOTTED = re.compile(f"(?:[{_AR_LETTER}]\u0640?\\.)+[{_AR_LETTER}]\u0640?")
# U.S, a.m, e.g, Ph.D: the final period is the terminator being tested. Parts are at most two
# letters, so a domain (example.com) does not look like an abbreviation.
_LATIN_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
# An Arabic article or preposition joined to a Latin word by a tatweel (الـ, بالـ, للـ).
_JOINED_ARTICLE = re.compile("^[\u0621-\u064a]{1,4}\u0640+(?=[A-Za-z])")
_DIGIT = "\\d\u0660-\u0669\u06f0-\u06f9"
_NUMBER = re.compile(f"[{_DIGIT}][{_DIGIT}.,:/\u066b\u066c]*")

# Latin short forms that are followed by more of the same sentence. Compared lowercased.
_LATIN_ABBREVIATIONS = """
    mr mrs ms dr prof sr jr st mt messrs gen col lt maj capt cpt sgt cmdr adm gov sen rep
    pres rev hon no nos vol vols fig figs p pp ch art sec dept univ inc ltd co corp bros vs
    v approx ca cf al jan feb mar apr jun jul aug sep sept oct nov dec
"""
LATIN_ABBREVIATIONS = frozenset(_LATIN_ABBREVIATIONS.split())
# Arabic spellings of Latin letter names, used as initials (دي. كي. أريا, جون إف. كينيدي).
# None of them is an Arabic word that can end a sentence, except بي ("in me"), which counts
# only inside a run of initials. Spelled-out acronyms (بي بي سي, كيو في سي) do end sentences:
# a letter name after another undotted one is the end of an acronym, not an initial.
_ARABIC_LETTER_NAMES = """
    إيه ايه سي دي إي اي إف اف جي إتش اتش آي جيه كيه كي إل إم ام إن ان أو كيو آر إس اس تي
    يو في دبليو إكس اكس واي زد
"""
ARABIC_LETTER_NAMES = frozenset(_ARABIC_LETTER_NAMES.split())
_AMBIGUOUS_LETTER_NAMES = frozenset({"بي"})


def blank_marks(text: str) -> str:
    """``text`` with each ``INVISIBLE`` character replaced by a space: the same length, so an
    offset into the copy is an offset into ``text``."""
    return text.translate(_BLANK_MARKS)


def is_blank(ch: str) -> bool:
    """Whitespace or an invisible format character."""
    return ch.isspace() or ch in INVISIBLE


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` moved inwards past whitespace and invisible format characters; the
    result is empty (``start == end``) when there is nothing else in between."""
    while start < end and is_blank(text[start]):
        start += 1
    while end > start and is_blank(text[end - 1]):
        end -= 1
    return start, end


def is_arabic_letter(ch: str) -> bool:
    return bool(_AR_LETTER_RE.fullmatch(ch))


def _plausible_start(ch: str) -> bool:
    if ch.isdigit() or ch in OPENERS or ch in DASHES:
        return True
    if is_arabic_letter(ch):
        return True
    return "A" <= ch <= "Z" or (ch.isalpha() and ch.isupper())


def _protected_ranges(text: str) -> list[tuple[int, int]]:
    """Balanced brackets that close within MAX_PAREN characters, as (open, close) indices."""
    stack: list[tuple[str, int]] = []
    # where each kind of opener stands in the stack, so that a closer finds its own at once
    # (searching the stack would be quadratic on "[[[[…))))")
    places: dict[str, list[int]] = {opener: [] for opener in "([{"}
    ranges = []
    for i, ch in enumerate(text):
        if ch in "([{":
            places[ch].append(len(stack))
            stack.append((ch, i))
        elif ch in _PAIRS and places[_PAIRS[ch]]:
            # Pop to the matching opener; unmatched closers ("1)" list markers) are ignored.
            k = places[_PAIRS[ch]][-1]
            opened = stack[k][1]
            for kind, _ in stack[k:]:
                places[kind].pop()
            del stack[k:]
            if i - opened <= MAX_PAREN:
                ranges.append((opened, i))
    return ranges


def _token_before(text: str, pos: int) -> tuple[str, int]:
    """The whitespace-delimited token ending at ``pos`` (leading quotes and brackets removed)."""
    start = pos
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    token = text[start:pos]
    stripped = token.lstrip(OPENERS)
    return stripped, start + len(token) - len(stripped)


# Words that open an Arabic news sentence and are never a name: after a letter and a
# period ("فيتامين د.", "منصة إكس.", "المجموعة ب."), they show the period ends the sentence
# (an initial is followed by a name: د. وليد, جون إف. كينيدي).
_SENTENCE_OPENERS = """
    كما فيما بينما ثم لكن ولكن كذلك وقال وقالت وأضاف وأضافت وأكد وأكدت وأشار وأشارت وتابع
    وتابعت وأوضح وأوضحت وأعلن وأعلنت وكان وكانت وفي ومن وهذا وهذه وذلك وبحسب ووفقا ووفقاً
    ويأتي وتأتي وجاء وجاءت
"""
SENTENCE_OPENERS = frozenset(_SENTENCE_OPENERS.split())
_QUOTE_MARKS = "\"“”«»'(["


def _next_token(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[pos:end]


def _is_dotted_initial(token: str) -> bool:
    """``X.`` where X is an initial: one letter, or an Arabic letter name."""
    if not token.endswith("."):
        return False
    core = token[:-1].lstrip(OPENERS)
    return (
        (len(core) == 1 and core.isalpha())
        or bool(_AR_SINGLE.fullmatch(core))
        or core in ARABIC_LETTER_NAMES
        or core in _AMBIGUOUS_LETTER_NAMES
    )


def _is_abbreviation(text: str, dot: int, next_start: int) -> bool:
    """Whether the single period at ``dot`` ends an abbreviation rather than a sentence."""
    token, token_start = _token_before(text, dot)
    if not token:
        return False
    nxt = _next_token(text, next_start)
    prev_end = token_start
    while prev_end > 0 and text[prev_end - 1].isspace():
        prev_end -= 1
    prev = _token_before(text, prev_end)[0] if prev_end < token_start else ""
    after_number = bool(_NUMBER.fullmatch(prev))
    if len(token) == 1 and "A" <= token <= "Z":
        # J. K. Rowling; but "from A to B. The" ends a sentence.
        return bool(nxt) and "A" <= nxt[0] <= "Z"
    latin = _JOINED_ARTICLE.sub("", token)  # الـU.S., بالـDr.: the article joined by tatweel
    if latin.lower() in LATIN_ABBREVIATIONS or _LATIN_DOTTED.fullmatch(latin):
        return True
    arabic_initial = bool(_AR_SINGLE.fullmatch(token) or _AR_DOTTED.fullmatch(token))
    letter_name = token in ARABIC_LETTER_NAMES or token in _AMBIGUOUS_LETTER_NAMES
    if (arabic_initial or letter_name) and nxt.strip(_QUOTE_MARKS) in SENTENCE_OPENERS:
        return False  # "فيتامين د. كما", "منصة إكس. وأضاف": no initial is followed so
    if arabic_initial:
        # د. توني مول, ن. وين, أ.د.; after a number it is an era or unit (2020 م.).
        return not after_number
    if letter_name:
        if _is_dotted_initial(nxt) or _is_dotted_initial(prev):
            return True  # a run of initials: دي. كي. أريا
        if prev in ARABIC_LETTER_NAMES or prev in _AMBIGUOUS_LETTER_NAMES:
            return False  # the end of a spelled-out acronym: كيو في سي. / بي بي سي.
        return token not in _AMBIGUOUS_LETTER_NAMES  # جون إف. كينيدي
    return False


# A quoted question or exclamation of at most this many words, with the sentence going on
# after its closing quote, is a title or a cry inside the sentence: "لماذا تفشل الأمم؟",
# «ارحل!». (Arabic has no capital letters to tell a new sentence after it.)
MAX_QUOTED_CRY_WORDS = 6
_QUOTE_PAIRS = {"»": "«", "”": "“", '"': '"'}


def _short_quoted_cry(text: str, seg_start: int, start: int, term_end: int, end: int) -> bool:
    """Whether the terminators at ``start:term_end`` (no period among them) end a short
    quotation that the closers ``term_end:end`` close, inside the sentence."""
    if "." in text[start:term_end] or "…" in text[start:term_end]:
        return False
    closer = next((c for c in text[term_end:end] if c in _QUOTE_PAIRS), None)
    if closer is None:
        return False
    opening = text.rfind(_QUOTE_PAIRS[closer], seg_start, start)
    if opening < 0:
        return False
    return 0 < len(text[opening + 1 : start].split()) <= MAX_QUOTED_CRY_WORDS


def _opens_a_sentence(word: str) -> bool:
    """After a short quoted question ("… "هل يعقل هذا؟" وأضاف / فرد …"): a sentence opener,
    or a word with a conjunction (و, ف), begins a sentence of its own."""
    return word in SENTENCE_OPENERS or word[:1] in ("و", "ف")


_LIST_NUMBER = re.compile(r"(?<!\S)([0-9٠-٩]{1,2})\.(?=\s)")


def _list_dots(text: str) -> frozenset[int]:
    """The periods that close the numbers of an inline list ("الإجراءات التالية: 1. خفض
    الضرائب 2. رفع الأجور"): a count 1., 2., 3. ... in the paragraph, whose 1. opens it or
    follows a colon ("إلى 14. وبعد ساعات ارتفع إلى 15." is no list)."""
    numbers = [(m.end() - 1, int(m.group(1)), m.start()) for m in _LIST_NUMBER.finditer(text)]
    dots: set[int] = set()
    for k, (_, value, start) in enumerate(numbers):
        if value != 1:
            continue
        before = start
        while before > 0 and text[before - 1].isspace():
            before -= 1
        if before and text[before - 1] not in (":", "："):
            continue
        run = [numbers[k][0]]
        for at, following, _ in itertools.islice(numbers, k + 1, None):
            if following != len(run) + 1:
                break
            run.append(at)
        if len(run) >= 2:
            dots.update(run)
    return frozenset(dots)


def _boundaries(text: str) -> list[tuple[int, int]]:
    """(end of a sentence, start of the next) pairs, in order.

    ``text`` is a ``blank_marks`` copy, so invisible marks are whitespace to every rule here.
    """
    # Inside a bracket: counts of the ranges over each place, from their ends (a range is
    # (open, close), its inside open+1 .. close-1), summed as the terminators come.
    edges: dict[int, int] = {}
    for o, c in _protected_ranges(text):
        if c > o + 1:
            edges[o + 1] = edges.get(o + 1, 0) + 1
            edges[c] = edges.get(c, 0) - 1
    edge_at = sorted(edges)
    inside = passed = 0
    list_dots = _list_dots(text)  # once a paragraph, not once a period
    cuts: list[tuple[int, int]] = []
    seg_start = 0
    letter = -1  # the first letter of the sentence so far (-1: none up to ``scanned``)
    scanned = 0
    for m in _TERM_RUN.finditer(text):
        start, end = m.span()
        while passed < len(edge_at) and edge_at[passed] <= start:
            inside += edges[edge_at[passed]]
            passed += 1
        if inside > 0:
            continue
        while end < len(text) and text[end] in CLOSERS:
            end += 1
        if end >= len(text) or not text[end].isspace():
            continue
        nxt = end
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
            # A closer cut off by a stray space ('انتهى... " ثم') still closes this sentence:
            # a quote or bracket followed by whitespace cannot open the next one.
            if (
                nxt < len(text)
                and text[nxt] in CLOSERS
                and (nxt + 1 == len(text) or text[nxt + 1].isspace())
            ):
                end = nxt = nxt + 1
        if nxt >= len(text) or not _plausible_start(text[nxt]):
            continue
        if letter < 0:  # (scanned once a sentence, not once a terminator)
            while scanned < start and not text[scanned].isalpha():
                scanned += 1
            if scanned >= start:
                continue
            letter = scanned
        if m.group() == "." and _is_abbreviation(text, start, nxt):
            continue
        if _short_quoted_cry(text, seg_start, start, m.end(), end) and not _opens_a_sentence(
            _next_token(text, nxt).strip(_QUOTE_MARKS)
        ):
            continue
        if m.group() == "." and start in list_dots:
            continue
        cuts.append((end, nxt))
        seg_start = scanned = nxt
        letter = -1
    return cuts


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` as (start, end) offsets, without surrounding whitespace or
    invisible format characters.

    ``text`` is one paragraph (one line of an article); nothing here looks at newlines.
    """
    view = blank_marks(text)
    spans = []
    start = 0
    for end, nxt in [*_boundaries(view), (len(view), len(view))]:
        s, e = strip_span(view, start, end)
        if s < e:
            spans.append((s, e))
        start = nxt
    return spans
