"""Line roles for Arabic news articles: body, caption, credit, byline, boilerplate.

An article file is one paragraph a line. Each line gets a role by the rules below, written
for Arabic news sites in general (not fitted to one article). Every pattern matches a whole
line (or a whole tail of a line), so a body sentence that merely starts with the same word
("شارك الآلاف في ...", "كتب الرئيس ...") stays body.

Invisible format characters (RLM, LRM, ALM, ZWNJ, ZWJ, a stray BOM, bidi embeddings and
isolates, NBSP: ``segment.INVISIBLE``) count as whitespace everywhere here: the rules read a
same-length copy of each line with those marks turned into spaces, so offsets stay exact.

- boilerplate (kept, never translated): site furniture. Ad markers ("[إعلان 2]", "إعلان",
  "Advertisement"), source links ("رابط المصدر"), comment counters ("تعليق (0)",
  "3 تعليقات", "12 تعليقاً"), rows of share buttons ("شارك", "مشاركة الخبر", "شارك عبر:",
  "Share this article", "فيسبوك تويتر واتساب"), related-article links ("اقرأ أيضا: ...",
  "شاهد أيضاً"), "المزيد", follow, subscribe and app-download prompts ("تابعونا على ...",
  "اشترك في النشرة ...", "حمّل التطبيق", "Download the app"), tag and copyright lines, a bare
  URL, and lines of symbols only. Prompts whose words are also a sentence's (تابعنا "we
  followed" unless "على/عبر" follows, "شاهد أيضا" "he saw, too" unless alone or before a
  separator, "حقوق النشر" as a subject unless "محفوظة", © or a year follows, "اشترك"
  "took part" before a count, "حتى الآن" "so far") count only as short lines without a
  sentence end.
- credit: a media credit, ``MARKER: NAME`` (or ``MARKER/NAME``, or in parentheses), where the
  marker is a media word (فيديو، الصورة، صورة، تصوير، Photo, Video ...) or a source word
  (المصدر، Source) and NAME is short (a source is named, not described: at most
  ``MAX_CREDIT_WORDS`` words, no sentence punctuation). A whole line like that is a credit.
  ``MARKER - NAME`` with a dash is a credit only for a photo or source marker (تصوير،
  الصورة، صورة، المصدر، Photo ...: "فيديو - ..." and "صور - ..." open headlines) that
  starts the line, follows a sentence end or opens a parenthesis, with a name of at most
  ``MAX_DASH_CREDIT_WORDS`` words.
- caption: a line that ENDS with a credit is a caption followed by a credit; the two are split
  at the marker (``caption_and_credit``). A media marker may follow any word; a source marker
  only the line start, a sentence end or a separator (- | •), because "قال المصدر: ..." is
  reported speech. A short line (at most ``MAX_CAPTION_WORDS`` words) directly followed by a
  media-credit line is its caption too, and so is a line labelled by a media marker whose
  text is too long to be a credit ("الصورة: مسلحون يقفون أمام ..."). A photo description with
  no credit or label cannot be told from a subheading by its form, so it stays body: both
  are translated.
- byline: a short line (no sentence punctuation at its end) that starts with a byline marker
  (بقلم، By, or كتب: / إعداد - ... with a colon or dash) anywhere in the article; and, at the
  end of the article (only boilerplate after it), up to ``MAX_BYLINE_LINES`` short lines
  naming an author or sources:
  a marker word (بحسب، وكالات، مراسل، نقلاً عن، an agency name) with a closing parenthesised
  source "(بحسب وكالة ...)" or at most six words, a source credit ("المصدر: وكالات"), or a
  name of at most four words right before such a line or closing the article.
- body: everything else, headlines without final punctuation included (a headline is
  translated like any sentence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from align.text.segment import TERMINATORS, blank_marks

MAX_CREDIT_WORDS = 6
MAX_CREDIT_CHARS = 60
MAX_DASH_CREDIT_WORDS = 4
MAX_CAPTION_WORDS = 30
MAX_BYLINE_WORDS = 15
MAX_BYLINE_CHARS = 120
MAX_BYLINE_LINES = 3
MAX_BOILERPLATE_CHARS = 300

_ALSO = r"(?:أيضا|أيضاً|أيضًا|ايضا|ايضاً|ايضًا)"
_URL = r"(?:https?://\S+|www\.\S+)"
_SOCIAL = (
    r"(?:فيسبوك|فيس\s*بوك|تويتر|إكس|اكس|واتساب|واتس\s*اب|واتس\s*آب|تيليجرام|تيلجرام|تلغرام|"
    r"تليجرام|تلجرام|لينكدإن|لينكد\s*إن|لينكدين|ماسنجر|انستغرام|إنستغرام|انستجرام|إنستجرام|"
    r"يوتيوب|تيك\s*توك|سناب\s*شات|البريد\s*الإلكتروني|البريد|بريد|طباعة|نسخ\s*الرابط|"
    r"facebook|twitter|whatsapp|telegram|linkedin|messenger|instagram|youtube|tiktok|"
    r"email|e-mail|print|copy\s*link|x)"
)
# "شارك" / "مشاركة" (share), optionally with what ("الخبر", "this article") and how ("عبر",
# "على", "via"): only as a whole line or a row of buttons, so "شارك الآلاف في ..." is body.
_SHARE_WHAT = (
    r"(?:(?:هذا|هذه)\s+)?(?:الخبر|المقال|المقالة|الموضوع|القصة|الصفحة|الفيديو|الصورة|التقرير)"
)
_SHARE = (
    rf"(?:(?:(?:شارك|شاركوا|شاركي|مشاركة|مشاركه)(?:\s+{_SHARE_WHAT})?|شاركها|شاركه)"
    r"(?:\s+(?:عبر|على))?|"
    r"share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page|video|news))?"
    r"(?:\s+(?:on|via|with))?)"
)
_SEP = r"[\s|/\\\-–—·•:,،]"

_BOILERPLATE = [
    # Ad markers: "[إعلان 2]", "إعلان", "Advertisement", "- إعلان -".
    rf"[\[(]?{_SEP}*(?:إعلان|اعلان|إعلانات|advertisement|advert|ad|sponsored|محتوى\s+مدفوع|"
    rf"محتوى\s+إعلاني){_SEP}*\d*{_SEP}*[\])]?",
    # Source link: "رابط المصدر", "رابط الخبر: https://...".
    rf"(?:رابط\s+(?:المصدر|الخبر|المقال)|المصدر\s+الأصلي|source\s+link|original\s+source)"
    rf"\s*:?\s*{_URL}?",
    # Comment counters and prompts: "تعليق (0)", "3 تعليقات", "12 تعليقاً", "أضف تعليقك".
    r"(?:\d+\s*)?(?:تعليق|تعليقات|التعليقات|comments?)\s*(?:\(\s*\d+\s*\)|\d+)?\s*:?",
    # The accusative after 11-99 ("12 تعليقاً") only with its number.
    r"\d+\s*(?:تعليقا|تعليقاً|تعليقًا)",
    r"(?:أضف|اضف|اكتب|أكتب)\s+(?:تعليقا|تعليقاً|تعليقك|تعليق)|add\s+(?:a\s+)?comment",
    # A row of share buttons and social network names, nothing else.
    rf"{_SEP}*(?:(?:{_SHARE}|{_SOCIAL})(?:{_SEP}+|$))+",
    # Related articles: "اقرأ أيضا: <headline>", "شاهد أيضاً", "طالع أيضا", "Read also".
    rf"(?:اقرأ|اقرا|إقرأ|إقرا|طالع|read)\s*(?:{_ALSO}|also|more)\b.*",
    # "شاهد أيضا" is also "he saw, too": a link only alone or before a separator.
    rf"(?:شاهد|شاهدوا)\s*{_ALSO}\s*(?:[^\w\s].*)?",
    r"(?:اقرأ|اقرا|إقرأ)\s+المزيد.*|(?:عرض\s+)?المزيد|more|load\s+more|"
    r"المزيد\s+من\s+(?:الأخبار|الاخبار|المقالات|المواضيع|التفاصيل|الصور|الفيديوهات)\s*:?",
    r"(?:مواضيع|أخبار|اخبار|مقالات|موضوعات)\s+(?:ذات\s+صلة|متعلقة|مشابهة)\s*:?|"
    r"(?:الأكثر|الاكثر)\s+(?:قراءة|مشاهدة|تداولا|تداولاً)|related(?:\s+articles)?\s*:?",
    # "Follow us on ...", and newsletter headings (other تابعونا/تابعنا lines are among
    # _PROMPTS: they are also "they followed us", "we followed").
    rf"(?:تابعونا|تابعنا|follow\s+us)\s+(?:على|عبر|في\s+{_SOCIAL}|on|via)\b.*",
    r"النشرة\s+(?:البريدية|الإخبارية)\s*:?",
    # Tags, copyright, update stamps, a bare URL, symbols only.
    r"(?:الوسوم|الكلمات\s+المفتاحية|كلمات\s+مفتاحية|كلمات\s+دلالية|tags)\s*:.*",
    r"(?:©|جميع\s+الحقوق\s+محفوظة|all\s+rights\s+reserved).*",
    # "حقوق النشر محفوظة", "حقوق النشر © 2024 ...", not a sentence about copyright
    r"(?:جميع\s+)?حقوق\s+(?:النشر|الطبع)(?:\s+\S+){0,3}?\s*(?:محفوظة|©|\(c\)|\d{4}).*",
    r"(?:آخر\s+تحديث|اخر\s+تحديث|تاريخ\s+النشر|نشر\s+في|updated|published)\s*:.*",
    _URL,
    r"(?:[^\w]|\u0640)+",  # (tatweel, a letter to regular expressions, draws a rule: ـــــ)
]
_BOILERPLATE_RE = re.compile("|".join(f"(?:{p})" for p in _BOILERPLATE), re.IGNORECASE)
# "حمل التطبيق" is also "the app carried ...": an app prompt is the verb and the app, then
# nothing, "now" / "free", or a store or platform name.
_DOWNLOAD = (
    r"(?:حمل|حمّل|حملوا|حمّلوا|نزل|نزّل|نزلوا|نزّلوا|تحميل|تنزيل|لتحميل|لتنزيل|"
    r"download|get|install)"
)
_APP = (
    r"(?:التطبيق|تطبيقنا|تطبيقاتنا|تطبيق\s+\S+|"
    r"(?:the\s+|our\s+)?(?:\S+\s+){0,2}?(?:app|apps|application)\b)"
)
_STORE = (
    r"(?:أندرويد|اندرويد|آندرويد|آيفون|ايفون|أيفون|آي\s*أو\s*إس|آبل|أبل|جوجل\s*بلاي|غوغل\s*بلاي|"
    r"متجر|المتجر|هواوي|android|iphone|ios|apple|google\s*play|play\s*store|app\s*store|"
    r"app\s*gallery)"
)
# Prompts whose first word is also an ordinary verb ("تابعوا" they followed, "اشترك" he took
# part): boilerplate only as a short line with no sentence end.
_PROMPTS = [
    rf"تابعوا\b.*{_SOCIAL}.*",
    r"(?:تابعونا|تابعنا|follow\s+us)\b.*",
    # (not "سجل المغرب 120 إصابة حتى الآن", he recorded ... so far, nor "اشترك آلاف
    # المتطوعين", thousands took part)
    r"(?:اشترك|اشتركوا|للاشتراك|سجل)\b"
    r"(?!\s+(?:آلاف|الآلاف|مئات|المئات|عشرات|ملايين|أكثر|اكثر|نحو|حوالي|قرابة|\d))"
    r"(?!.*حتى\s+الآن)"
    r".*(?:نشرة|النشرة|قناتنا|مجان|الآن|الان|يوتيوب|تلغرام).*",
    r"حقوق\s+النشر.*",
    r"(?:subscribe|sign\s+up|newsletter)\b.*",
    rf"{_DOWNLOAD}\s+{_APP}(?:\s+(?:الآن|مجانا|مجاناً|مجانًا|now|free|for\s+free))?"
    rf"(?:{_SEP}.*{_STORE}.*)?",
]
_PROMPTS_RE = re.compile("|".join(f"(?:{p})" for p in _PROMPTS), re.IGNORECASE)
MAX_PROMPT_WORDS = 12

# Media markers may follow any word; source markers only a line start, a sentence end or a
# separator (see the module docstring).
_MEDIA_MARKER = (
    r"(?:فيديو|الفيديو|صورة|الصورة|صور|الصور|تصوير|مصدر\s+الصورة|حقوق\s+الصورة|"
    r"صورة\s+أرشيفية|photos?|video|image|picture|footage|photograph|credit)"
)
_SOURCE_MARKER = r"(?:المصدر|مصدر|source)"
_CREDIT_TAIL = re.compile(
    rf"(?P<open>\(\s*)?(?:(?P<media>{_MEDIA_MARKER})|(?P<source>{_SOURCE_MARKER}))"
    r"(?:\s*[:：/]|(?P<dash>\s*[-–—]))\s*(?P<name>[^:：\n]+?)\s*(?(open)\))$",
    re.IGNORECASE,
)
# Markers that a dash may follow in a credit ("تصوير - أحمد", "الصورة - رويترز"); "فيديو -"
# and "صور -" open headlines ("فيديو - لحظة سقوط الطائرة").
_DASH_MARKER = re.compile(
    rf"(?:تصوير|صورة|الصورة|مصدر\s+الصورة|حقوق\s+الصورة|photos?|photograph|credit|"
    rf"{_SOURCE_MARKER})",
    re.IGNORECASE,
)
_MARKER_RE = re.compile(rf"{_MEDIA_MARKER}|{_SOURCE_MARKER}", re.IGNORECASE)
# "الصورة: <a description too long to be a credit>" labels a caption.
_CAPTION_LABEL = re.compile(rf"{_MEDIA_MARKER}\s*[:：]\s*\S", re.IGNORECASE)
_SEPARATORS = "-–—|•·"
_QUOTES = '"“”«»'

# "بقلم" and "By" only introduce an author; "كتب" (he wrote), "إعداد" (preparing), "تحرير"
# (liberation, editing), "ترجمة" (translation) also start headlines, so they need a ":" or
# a dash after them.
_BYLINE_START = re.compile(
    r"^(?:(?:بقلم|by|reporting\s+by|written\s+by)\b|"
    r"(?:كتب|كتبت|كتبه|كتبته|إعداد|اعداد|تحرير|ترجمة)\s*[:\-–—])",
    re.IGNORECASE,
)
_BYLINE_WORDS = re.compile(
    r"(?<!\w)(?:بقلم|كتب|كتبت|إعداد|اعداد|تحرير|ترجمة|مراسل|مراسلة|مراسلو|مراسلنا|مراسلتنا|"
    r"وكالات|وكالة|بحسب|حسب|نقلا\s+عن|نقلاً\s+عن|المصدر|رويترز|فرانس\s+برس|أ\s*ف\s*ب|"
    r"أسوشيتد\s+برس|الأناضول|د\s*ب\s*أ|by|AFP|AP|Reuters|Associated\s+Press)(?!\w)",
    re.IGNORECASE,
)
_CLOSING_PAREN_SOURCE = re.compile(r"\([^()]+\)\s*$")


def _words(text: str) -> list[str]:
    return text.split()


def is_boilerplate(line: str) -> bool:
    s = blank_marks(line).strip()
    if not s or len(s) > MAX_BOILERPLATE_CHARS:
        return False
    if _BOILERPLATE_RE.fullmatch(s):
        return True
    return (
        bool(_PROMPTS_RE.fullmatch(s))
        and len(_words(s)) <= MAX_PROMPT_WORDS
        and not _ends_sentence(s)
    )


def _credit_start(line: str) -> tuple[int, str] | None:
    """Where a trailing credit starts in ``line`` (its marker or "(") and its kind, "media"
    or "source"; None when the line does not end with a credit."""
    s = line.rstrip()
    # Try each marker occurrence from the left, so the longest valid credit tail wins.
    for m in _MARKER_RE.finditer(s):
        start = m.start()
        if start > 0 and s[start - 1].isalnum():
            continue  # the marker is the tail of a longer word
        # "(الصورة: AP)": the credit starts at the parenthesis.
        before = s[:start].rstrip()
        if before.endswith("("):
            start = len(before) - 1
        tail = _CREDIT_TAIL.fullmatch(s, start)
        if not tail:
            continue
        name = tail.group("name").strip()
        dash = tail.group("dash") is not None
        if (
            len(_words(name)) > (MAX_DASH_CREDIT_WORDS if dash else MAX_CREDIT_WORDS)
            or len(name) > MAX_CREDIT_CHARS
            # A source is named, not quoted or told in sentences.
            or any(ch in TERMINATORS or ch in _QUOTES for ch in name)
            or (dash and not _DASH_MARKER.fullmatch(m.group()))
        ):
            continue
        before = s[:start].rstrip()
        if (tail.group("source") or dash) and before and not tail.group("open"):
            last = before[-1]
            # A dash credit needs a sentence end before it: "... - المصدر - إن ..." is an aside.
            allowed = TERMINATORS + '"”»)]' + ("" if dash else _SEPARATORS)
            if last not in allowed:
                continue
        return start, "source" if tail.group("source") else "media"
    return None


def caption_and_credit(line: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Spans (offsets into ``line``) of the caption and of its trailing credit, if any.

    The caption span may be empty when the whole line is a credit. Neither span starts or
    ends with whitespace or an invisible mark.
    """
    line = blank_marks(line)
    found = _credit_start(line)
    if found is None:
        return None
    start = found[0]
    lead = len(line) - len(line.lstrip())
    before = line[:start].rstrip()
    # A separator between caption and credit ("... - الصورة: AP") belongs to neither.
    cap_end = len(before.rstrip(_SEPARATORS).rstrip())
    cap = (lead, cap_end) if cap_end > lead else (start, start)
    return cap, (start, len(line.rstrip()))


def _is_credit_only(line: str) -> bool:
    spans = caption_and_credit(line)
    return spans is not None and spans[0][0] == spans[0][1]


def _is_source_credit(line: str) -> bool:
    found = _credit_start(line)
    return found is not None and found[1] == "source"


def _ends_sentence(s: str) -> bool:
    core = s.rstrip("\"'”’»)] ")
    return bool(core) and core[-1] in TERMINATORS


def _short(s: str, words: int, chars: int) -> bool:
    return len(_words(s)) <= words and len(s) <= chars


def _is_byline_start(s: str) -> bool:
    return (
        bool(_BYLINE_START.match(s))
        and _short(s, MAX_BYLINE_WORDS, MAX_BYLINE_CHARS)
        and not _ends_sentence(s)
    )


def _is_closing_byline(s: str) -> bool:
    """A short closing line that names sources or an author ("فو هوانغ (بحسب ...)")."""
    if not _short(s, MAX_BYLINE_WORDS, MAX_BYLINE_CHARS) or _ends_sentence(s):
        return False
    return bool(_BYLINE_WORDS.search(s)) and (
        bool(_CLOSING_PAREN_SOURCE.search(s)) or len(_words(s)) <= 6
    )


def _is_name_like(s: str) -> bool:
    return (
        len(_words(s)) <= 4
        and not _ends_sentence(s)
        and not any(ch.isdigit() for ch in s)
        and not any(ch in "،,:؛;" for ch in s)
    )


def classify_line(line: str) -> str:
    """Role of one line seen alone (no context: no closing bylines, no credit-line captions).

    A blank line (whitespace and invisible marks only) is ``boilerplate``: there is nothing in
    it to translate.
    """
    s = blank_marks(line).strip()
    if not s or is_boilerplate(s):
        return "boilerplate"
    if _is_credit_only(s):
        return "credit"
    if _is_byline_start(s):
        return "byline"
    if caption_and_credit(s) is not None or _CAPTION_LABEL.match(s):
        return "caption"
    return "body"


def classify_lines(lines: Sequence[str]) -> list[str]:
    """Roles of an article's lines, using their neighbours (closing bylines, captions)."""
    lines = [blank_marks(line) for line in lines]
    roles = [classify_line(line) for line in lines]
    content = [i for i, line in enumerate(lines) if line.strip()]

    # A short line right before a media-credit line is that credit's caption.
    for a, b in zip(content, content[1:], strict=False):
        if (
            roles[a] == "body"
            and roles[b] == "credit"
            and not _is_source_credit(lines[b])
            and len(_words(lines[a])) <= MAX_CAPTION_WORDS
        ):
            roles[a] = "caption"

    # Closing bylines: walk back over trailing boilerplate, then take short author/source
    # lines. The walk stops at the first other line, so a bare name it reaches either closes
    # the article or precedes a byline.
    tail = [i for i in content if roles[i] != "boilerplate"]
    if len(tail) > MAX_BYLINE_LINES:
        for i in reversed(tail[-MAX_BYLINE_LINES:]):
            s = lines[i].strip()
            if roles[i] == "body":
                is_byline = _is_closing_byline(s) or _is_name_like(s)
            else:
                # "المصدر: وكالات" closing the article names its sources: a byline.
                is_byline = roles[i] == "byline" or (roles[i] == "credit" and _is_source_credit(s))
            if not is_byline:
                break
            roles[i] = "byline"
    return roles
