"""The text stage: reading, line roles and sentence segments, on sentences written for these
tests and on the seed article's gold segmentation."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from align.errors import InputError
from align.text import (
    caption_and_credit,
    classify_line,
    classify_lines,
    decode_article,
    line_spans,
    read_article,
    read_lines,
    segment_text,
    split_sentences,
    strip_span,
)
from align.text import read as read_module
from align.text.segment import INVISIBLE

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seed-article"


def sentences(text: str) -> list[str]:
    spans = split_sentences(text)
    return [text[s:e] for s, e in spans]


# --- sentence splitting -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "وصل الوفد إلى القاهرة. وبدأت المحادثات فوراً.",
            ["وصل الوفد إلى القاهرة.", "وبدأت المحادثات فوراً."],
        ),
        (
            "هل انتهت الأزمة؟ لا أحد يعرف.",
            ["هل انتهت الأزمة؟", "لا أحد يعرف."],
        ),
        (
            "يا لها من مفاجأة! وصل الجميع.",
            ["يا لها من مفاجأة!", "وصل الجميع."],
        ),
        # Runs of terminators stay together.
        (
            "هل انتهى الأمر؟! لا أعرف!! ربما لاحقاً.",
            ["هل انتهى الأمر؟!", "لا أعرف!!", "ربما لاحقاً."],
        ),
        # The ellipsis character and three dots both end a sentence.
        (
            "وانتظر الجميع… ثم جاء الخبر. وقيل الكثير... وانتهى اليوم.",
            ["وانتظر الجميع…", "ثم جاء الخبر.", "وقيل الكثير...", "وانتهى اليوم."],
        ),
        # A Latin question mark too.
        ("سألوا: لماذا? ولم يجب أحد.", ["سألوا: لماذا?", "ولم يجب أحد."]),
    ],
)
def test_terminators(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # The Arabic comma, the Latin comma, the colon and the semicolon never split.
        "قال الوزير، في مؤتمر صحفي، إن الوضع مستقر, وإن الحكومة مستعدة: لكل الاحتمالات؛ وأكثر.",
        "وصل الوفد في الساعة 11:15 من صباح السابع من مارس/آذار.",
        "ارتفع النمو إلى 3.5 في المئة بعد أن كان ٣٫٥ في المئة أو 3,5 في المئة.",
        "جرت المحادثات يوم 28 مارس/آذار في موسكو.",
        "بلغ عدد السكان 1.5 مليون نسمة في المدينة.",
        "زوروا الموقع example.com أو www.news.example.org للمزيد من التفاصيل.",
        "راسلونا على info@example.com في أي وقت.",
        # Latin abbreviations: U.S., a.m., p.m., Dr., Mr., e.g., i.e., No., Jan.
        "قال مسؤول في U.S. Army إن الاجتماع بدأ.",
        "بدأ الاجتماع في الساعة 11 a.m. وانتهى في 3 p.m. بعد نقاش طويل.",
        "قال Dr. Smith و Mr. Brown إن الدراسة e.g. مهمة، i.e. ضرورية.",
        "صدر القرار No. 5 في Jan. 2024 بعد نقاش.",
        # Latin initials followed by a Latin name.
        "نشرت الكاتبة J. K. Rowling رواية جديدة.",
        # Arabic abbreviation د. (doctor), a one-letter initial, dotted letters.
        "قال د. أحمد علي إن البحث مهم.",
        "وقال المدير ن. وين هالي إن الرحلة نجحت.",
        "وقال أ.د. محمد حسن إن النتائج مشجعة.",
        # Latin letter names spelled in Arabic, used as initials.
        "وقال نائب المفتش دي. كي. أريا إن التحقيق مستمر.",
        "اغتيل الرئيس جون إف. كينيدي عام 1963.",
        # A period in a parenthesis does not end the sentence around it.
        "قال المسؤول (وهو دبلوماسي سابق. يعمل الآن مستشاراً) إن الأمر خطير.",
        "قال إنه (...) سيعود قريباً.",
        # A period before a lowercase Latin word.
        "ذكر التقرير approx. twenty حالة.",
        # A list number is not a sentence.
        "1. يجب أن نبدأ فوراً.",
    ],
)
def test_no_split(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The terminator and the closing quote both belong to the sentence.
        (
            'وقالت إنها تراقب "تجمعات كبيرة، بما في ذلك الحفلات الموسيقية". ونصحت بالحذر.',
            ['وقالت إنها تراقب "تجمعات كبيرة، بما في ذلك الحفلات الموسيقية".', "ونصحت بالحذر."],
        ),
        (
            'قال المتحدث "سنفوز في النهاية." وصفق الحضور.',
            ['قال المتحدث "سنفوز في النهاية."', "وصفق الحضور."],
        ),
        (
            "قالت «انتهى كل شيء.» ثم غادرت.",
            ["قالت «انتهى كل شيء.»", "ثم غادرت."],
        ),
        # A quotation over several sentences is split into them; the opening quote stays with
        # the first, the closing quote with the last.
        (
            'قال للصحفيين: "لن يكون هناك تعاون. كان من واجبنا تنبيههم. وقد فعلنا ذلك".',
            ['قال للصحفيين: "لن يكون هناك تعاون.', "كان من واجبنا تنبيههم.", 'وقد فعلنا ذلك".'],
        ),
        # A sentence may start with a quote or a number.
        (
            'وصل الوفد. "لم نتوقع ذلك"، قال رئيسه.',
            ["وصل الوفد.", '"لم نتوقع ذلك"، قال رئيسه.'],
        ),
        (
            "كان التضخم مرتفعاً في 2022. 2023 كان عاماً أفضل.",
            ["كان التضخم مرتفعاً في 2022.", "2023 كان عاماً أفضل."],
        ),
        # A closing quote cut off by a stray space still closes its sentence.
        (
            'قال: "انتهى كل شيء... " ثم صمت.',
            ['قال: "انتهى كل شيء... "', "ثم صمت."],
        ),
        # A period after a closed parenthesis ends the sentence.
        (
            "يبلغ طول النهر 6,387 كم (3,980 ميلاً). وهو أطول الأنهار.",
            ["يبلغ طول النهر 6,387 كم (3,980 ميلاً).", "وهو أطول الأنهار."],
        ),
        # A URL or an abbreviation can still end a sentence when followed by a new one.
        (
            "زوروا www.example.com. وشكراً لكم.",
            ["زوروا www.example.com.", "وشكراً لكم."],
        ),
        # The last letter of a spelled-out acronym ends a sentence; an era after a number too.
        (
            "أكدت ذلك شبكة بي بي سي. ثم نفت الخبر.",
            ["أكدت ذلك شبكة بي بي سي.", "ثم نفت الخبر."],
        ),
        (
            "بني المعبد عام 500 ق.م. وما زال قائماً.",
            ["بني المعبد عام 500 ق.م.", "وما زال قائماً."],
        ),
        # A single Latin capital before an Arabic word is not an initial.
        ("سافر من A إلى B. ثم عاد.", ["سافر من A إلى B.", "ثم عاد."]),
        (
            "وصل Dr. Smith إلى القاهرة. وبدأ عمله.",
            ["وصل Dr. Smith إلى القاهرة.", "وبدأ عمله."],
        ),
        # A space before the period does not stop it ending the sentence.
        (
            "نصنع بيوتنا من النباتات . معظم طعامنا منها.",
            ["نصنع بيوتنا من النباتات .", "معظم طعامنا منها."],
        ),
    ],
)
def test_split(text, expected):
    assert sentences(text) == expected


def test_spans_exclude_surrounding_whitespace():
    text = "  وصل الوفد.   وبدأت المحادثات.  "
    spans = split_sentences(text)
    assert spans == [(2, 12), (15, 31)]
    assert [text[s:e] for s, e in spans] == ["وصل الوفد.", "وبدأت المحادثات."]


def test_headline_without_punctuation_is_one_segment():
    assert sentences("بوتين يلتقي كيربي في موسكو") == ["بوتين يلتقي كيربي في موسكو"]


def test_blank_text_has_no_sentences():
    assert split_sentences("   ") == []


# --- invisible format characters ------------------------------------------------------------

RLM, LRM, ALM, ZWNJ, ZWJ, BOM, NBSP = (
    "\u200f",
    "\u200e",
    "\u061c",
    "\u200c",
    "\u200d",
    "\ufeff",
    "\u00a0",
)
# Every mark the text stage treats like whitespace.
MARKS = [RLM, LRM, ALM, ZWNJ, ZWJ, BOM, NBSP, *map(chr, range(0x202A, 0x202F))]
MARKS += [*map(chr, range(0x2066, 0x206A))]


def test_invisible_covers_the_marks_of_arabic_web_text():
    assert set(MARKS) <= set(INVISIBLE)


@pytest.mark.parametrize("mark", MARKS)
def test_mark_after_a_terminator_is_a_boundary(mark):
    text = f"وصل الوفد.{mark} وبدأت المحادثات."
    assert sentences(text) == ["وصل الوفد.", "وبدأت المحادثات."]


@pytest.mark.parametrize("mark", MARKS)
def test_marks_never_start_or_end_a_segment(mark):
    text = f"{mark} {mark}وصل الوفد.{mark} {mark}وبدأت المحادثات.{mark}{mark} "
    assert sentences(text) == ["وصل الوفد.", "وبدأت المحادثات."]


def test_marks_inside_a_segment_stay_and_offsets_are_exact():
    text = f"{RLM}قال د. أحمد{LRM} (CEO) إن ال{ZWNJ}وفد وصل.{RLM} {RLM}وبدأت"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        f"قال د. أحمد{LRM} (CEO) إن ال{ZWNJ}وفد وصل.",
        "وبدأت",
    ]
    assert spans[0][0] == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        # A letter and a period, then a word that opens sentences and is no name: the
        # period ends the sentence (X the platform, vitamin D, group B).
        ("وكتب ماسك على منصة إكس. وأضاف أن الشركة ستطلق ميزة.",
         ["وكتب ماسك على منصة إكس.", "وأضاف أن الشركة ستطلق ميزة."]),
        ("وينصح الأطباء بتناول فيتامين د. كما ينصحون بالرياضة.",
         ["وينصح الأطباء بتناول فيتامين د.", "كما ينصحون بالرياضة."]),
        ("متصدرا المجموعة ب. وكان الفريق قد فاز.",
         ["متصدرا المجموعة ب.", "وكان الفريق قد فاز."]),
        # ... and an initial still joins the name after it, whatever its first letter
        ("وقال د. وليد محمد إن الوضع خطير.", ["وقال د. وليد محمد إن الوضع خطير."]),
        ("وقال جون إف. كينيدي إن الأمر مهم.", ["وقال جون إف. كينيدي إن الأمر مهم."]),
        ("وقال الشاب م. وهو طالب جامعي إنه خائف.", ["وقال الشاب م. وهو طالب جامعي إنه خائف."]),
    ],
)  # fmt: skip
def test_a_letter_and_a_period_before_a_sentence_opener_end_the_sentence(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a short quoted question or cry the sentence goes on after: a title, a slogan
        ('وفي كتابه "لماذا تفشل الأمم؟" الصادر عام 2012 يشرح الأسباب.',
         ['وفي كتابه "لماذا تفشل الأمم؟" الصادر عام 2012 يشرح الأسباب.']),
        ("وهتف المتظاهرون «ارحل!» أمام مبنى البرلمان.",
         ["وهتف المتظاهرون «ارحل!» أمام مبنى البرلمان."]),
        # a long quoted sentence, or a quoted statement that ends with a period, still ends
        ('وقال الوزير: "لن نتراجع عن القرار مهما كانت الضغوط علينا!" ثم غادر.',
         ['وقال الوزير: "لن نتراجع عن القرار مهما كانت الضغوط علينا!"', "ثم غادر."]),
        ('وقال: "انتهى الأمر." وغادر.', ['وقال: "انتهى الأمر."', "وغادر."]),
        # ... nor one a sentence opener follows
        ('وقال الرئيس: "هل يعقل هذا؟" وأضاف أن الحكومة لن تسكت.',
         ['وقال الرئيس: "هل يعقل هذا؟"', "وأضاف أن الحكومة لن تسكت."]),
        ('وسأل الصحفي: "هل ستستقيل؟" فرد الوزير بالنفي.',
         ['وسأل الصحفي: "هل ستستقيل؟"', "فرد الوزير بالنفي."]),
    ],
)  # fmt: skip
def test_a_short_quoted_question_inside_a_sentence_does_not_end_it(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("وأعلن الوزير الإجراءات التالية: 1. خفض الضرائب 2. رفع الأجور 3. دعم الصادرات.",
         ["وأعلن الوزير الإجراءات التالية: 1. خفض الضرائب 2. رفع الأجور 3. دعم الصادرات."]),
        ("الإجراءات: ١. خفض الضرائب ٢. رفع الأجور.", ["الإجراءات: ١. خفض الضرائب ٢. رفع الأجور."]),
        # a number that ends a sentence, with no list around it, still ends it
        ("ارتفع عدد القتلى إلى 15. وقال المسؤول إن العدد قد يرتفع.",
         ["ارتفع عدد القتلى إلى 15.", "وقال المسؤول إن العدد قد يرتفع."]),
        # counts that end sentences one after another are no list (a list opens with 1.)
        ("ارتفع العدد إلى 14. وبعد ساعات ارتفع إلى 15. وقال المسؤول إنه سيرتفع.",
         ["ارتفع العدد إلى 14.", "وبعد ساعات ارتفع إلى 15.", "وقال المسؤول إنه سيرتفع."]),
    ],
)  # fmt: skip
def test_the_numbers_of_an_inline_list_end_no_sentence(text, expected):
    assert sentences(text) == expected


def test_a_mark_before_an_abbreviation_does_not_split():
    assert sentences(f"قال {RLM}د. أحمد علي إن البحث مهم.") == [
        f"قال {RLM}د. أحمد علي إن البحث مهم."
    ]


def test_marks_only_are_no_sentence():
    assert split_sentences(f"{RLM}{LRM} {ZWJ}{BOM}{NBSP}") == []


def test_strip_span_skips_whitespace_and_marks():
    text = f" {RLM}أ ب{LRM}{NBSP}"
    assert strip_span(text, 0, len(text)) == (2, 5)
    assert strip_span(f"{RLM} ", 0, 2) == (2, 2)


@pytest.mark.parametrize(
    ("line", "role"),
    [
        (f"{RLM}فيديو: رويترز", "credit"),
        (f"فيديو:{RLM} رويترز{LRM}", "credit"),
        (f"{RLM}[إعلان 2]", "boilerplate"),
        (f"[{RLM}إعلان 2]{RLM}", "boilerplate"),
        (f"{BOM}رابط المصدر", "boilerplate"),
        (f"{NBSP}تعليق (0){NBSP}", "boilerplate"),
        (f"{RLM}بقلم: أحمد علي", "byline"),
        (f"{RLM}{LRM}", "boilerplate"),
        (f"{RLM}وصل الوفد إلى القاهرة.", "body"),
    ],
)
def test_marks_are_whitespace_to_line_roles(line, role):
    assert classify_line(line) == role


def test_marks_in_a_document_keep_offsets_and_never_make_a_segment():
    text = "\n".join(
        [
            f"{RLM}وصل الوفد.{RLM} وبدأت المحادثات.{LRM}",
            f"{RLM}{LRM}",
            f"{RLM}مسلحون في المسرح. {RLM}فيديو: رويترز{RLM}",
            f"{RLM}[إعلان 2]",
            f"{BOM}رابط المصدر",
        ]
    )
    doc = segment_text(text)
    assert [(s.line, s.role, s.text) for s in doc.segments] == [
        (1, "body", "وصل الوفد."),
        (1, "body", "وبدأت المحادثات."),
        (3, "caption", "مسلحون في المسرح."),
        (3, "credit", "فيديو: رويترز"),
        (4, "boilerplate", "[إعلان 2]"),
        (5, "boilerplate", "رابط المصدر"),
    ]
    assert all(text[s.start : s.end] == s.text for s in doc.segments)
    for seg in doc.segments:
        assert seg.text[0] not in INVISIBLE and seg.text[-1] not in INVISIBLE


# --- line roles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "[إعلان 2]",
        "إعلان",
        "Advertisement",
        "رابط المصدر",
        "تعليق (0)",
        "3 تعليقات",
        "التعليقات",
        "شارك",
        "مشاركة",
        "فيسبوك تويتر واتساب",
        "شارك: فيسبوك | تويتر | واتساب",
        "اقرأ أيضا: بوتين يزور الصين",
        "اقرأ أيضاً:",
        "شاهد أيضاً: فيديو الهجوم",
        "المزيد",
        "تابعونا على تويتر",
        "اشترك في النشرة البريدية",
        "https://example.com/news/1",
        "***",
        # Comment counters with the accusative after 11-99, share prompts, app prompts.
        "12 تعليقا",
        "12 تعليقاً",
        "٢٥ تعليقًا",
        "مشاركة الخبر",
        "شارك هذا المقال",
        "شارك عبر",
        "شارك عبر: فيسبوك | تويتر | واتساب",
        "Share this article",
        "Share this article on: Facebook Twitter",
        "حمل التطبيق",
        "حمّل التطبيق",
        "نزّل التطبيق الآن",
        "حمّل تطبيق الجزيرة",
        "حمل التطبيق الآن على أندرويد وآيفون",
        "حمّلوا تطبيقنا مجاناً من متجر جوجل بلاي",
        "Download the app",
        "Download our app for free",
        "Get the app",
    ],
)
def test_boilerplate(line):
    assert classify_line(line) == "boilerplate"


@pytest.mark.parametrize(
    "line",
    [
        # Site furniture that a sentence's words also begin, with a period, a separator or
        # a tail of its own: still furniture.
        "تابعونا على فيسبوك.",
        "تابعونا على واتساب للحصول على آخر الأخبار.",
        "حقوق النشر محفوظة.",
        "حقوق النشر © 2024 بي بي سي. بي بي سي ليست مسؤولة عن محتوى المواقع الخارجية.",
        "شاهد أيضا | فيديو لحظة الانفجار",
        "شاهد أيضاً.. الحكومة تعلن خطة جديدة",
        "اشترك في خدمة الرسائل القصيرة الآن",
        "سجل دخولك الآن",
        "للاشتراك مجانا في خدمة الواتساب",
        "اشترك في خدمة الأخبار العاجلة مجانًا",
    ],
)
def test_furniture_with_a_sentences_words_is_boilerplate(line):
    assert classify_line(line) == "boilerplate"


@pytest.mark.parametrize(
    "line",
    ["المصدر: وزارة الصحة في غزة", "تصوير: مراسل الجزيرة في غزة", "فيديو: حساب الشرطة على فيسبوك"],
)
def test_a_credit_may_name_a_source_with_in_or_on(line):
    assert classify_line(line) == "credit"


@pytest.mark.parametrize(
    "line",
    [
        # Sentences that merely start like boilerplate stay body.
        "شارك الآلاف في مظاهرة حاشدة وسط العاصمة.",
        "اشترك أكثر من مئة مسلح في الهجوم على قناة السويس.",
        "تابعوا التحقيق عن كثب طوال الأسبوع.",
        "المزيد من القتلى في غزة",
        "الإعلان عن وقف إطلاق النار",
        "كتب الرئيس رسالة طويلة إلى نظيره الروسي.",
        # "Said the source:" is reported speech, not a credit.
        "وقال المصدر: لا تعليق",
        'وقال في مقطع فيديو: "سنواصل القتال"',
        # A headline without final punctuation.
        "بوتين يلتقي كيربي في موسكو",
        # "حمل" is also "carried", "شارك" "took part", "تعليقاً" "as a comment".
        "حمل التطبيق الجديد مفاجآت للمستخدمين",
        "حمل التطبيق الجديد مفاجآت للمستخدمين.",
        "شارك عبر الإنترنت آلاف المتابعين في النقاش.",
        "تعليقاً على القرار، قال الوزير إنه سيستقيل.",
        "Download speeds doubled last year.",
        # A dash after "فيديو" / "صور" opens a headline, not a credit.
        "فيديو - لحظة سقوط الطائرة",
        "صور - الفيضانات تجتاح المدينة",
        # A dash aside is not a credit.
        "قال الوزير - المصدر - إن الوضع جيد",
        # Sentences and headlines whose words a prompt or a link also has: "so far", "free",
        # "we followed", "he saw, too", "copyright" as a subject.
        "سجل المغرب 120 إصابة جديدة بالكوليرا حتى الآن",
        "اشترك آلاف المتطوعين في حملة مجانية لتنظيف الشواطئ",
        "تابعنا الأحداث عن كثب منذ اللحظة الأولى، ورأينا كيف انهارت المباني.",
        "تابعونا في كل خطوة وكانوا يطلقون النار علينا، قال أحد الناجين.",
        "شاهد أيضا مئات السكان النيران وهي تلتهم المنازل",
        "حقوق النشر والتأليف أصبحت محمية بموجب القانون الجديد الذي أقره البرلمان أمس.",
    ],
)
def test_body(line):
    assert classify_line(line) == "body"


@pytest.mark.parametrize(
    "line",
    [
        "فيديو: رويترز",
        "الصورة: AP",
        "صورة: أ ف ب",
        "تصوير: أحمد علي",
        "المصدر: وكالات",
        "Photo: Reuters",
        # Marker, dash, short name.
        "تصوير - أحمد",
        "تصوير - أحمد علي",
        "الصورة - رويترز",
        "الصورة – رويترز",
        "المصدر - وكالات",
        "Photo - AP",
    ],
)
def test_credit_line(line):
    assert classify_line(line) == "credit"


@pytest.mark.parametrize(
    ("line", "caption", "credit"),
    [
        (
            "مسلحون داخل المسرح في 23 مارس/آذار. فيديو: أماق",
            "مسلحون داخل المسرح في 23 مارس/آذار.",
            "فيديو: أماق",
        ),
        ("كيف وقع الهجوم؟ فيديو: رويترز، تاس", "كيف وقع الهجوم؟", "فيديو: رويترز، تاس"),
        ("اشتعلت النيران في المسرح. الصورة: AP", "اشتعلت النيران في المسرح.", "الصورة: AP"),
        (
            "اشتعلت النيران في المسرح (الصورة: رويترز)",
            "اشتعلت النيران في المسرح",
            "(الصورة: رويترز)",
        ),
        (
            "اشتعلت النيران في المسرح - تصوير: أحمد علي",
            "اشتعلت النيران في المسرح",
            "تصوير: أحمد علي",
        ),
        ("حشود أمام البرلمان. المصدر: الأناضول", "حشود أمام البرلمان.", "المصدر: الأناضول"),
        ("اشتعلت النيران في المسرح. تصوير - أحمد", "اشتعلت النيران في المسرح.", "تصوير - أحمد"),
        ("اشتعلت النيران (الصورة - رويترز)", "اشتعلت النيران", "(الصورة - رويترز)"),
    ],
)
def test_caption_with_trailing_credit(line, caption, credit):
    assert classify_line(line) == "caption"
    (cs, ce), (ks, ke) = caption_and_credit(line)
    assert line[cs:ce] == caption
    assert line[ks:ke] == credit


def test_dash_credit_needs_a_sentence_end_and_a_short_name():
    # No sentence end before the marker: the dash may be part of the caption's sentence.
    assert caption_and_credit("اشتعلت النيران في المسرح تصوير - أحمد") is None
    # Five words is a description, not a name.
    assert classify_line("الصورة - مسلحون يقفون أمام مسرح كروكوس") == "body"


def test_line_before_a_dash_credit_is_its_caption():
    lines = [BODY[0], "مسلحون أمام المسرح ليلة الهجوم", "تصوير - أحمد علي", *BODY[1:]]
    assert classify_lines(lines)[:3] == ["body", "caption", "credit"]


def test_caption_label_with_long_description():
    line = "الصورة: مسلحون يقفون أمام مسرح كروكوس في ضواحي موسكو ليلة الهجوم"
    assert classify_line(line) == "caption"
    assert caption_and_credit(line) is None


@pytest.mark.parametrize("line", ["بقلم: أحمد علي", "كتب - محمد حسن", "By John Smith"])
def test_byline_marker(line):
    assert classify_line(line) == "byline"


BODY = [
    "وصل الوفد إلى القاهرة صباح اليوم لبدء جولة جديدة من المحادثات.",
    "وقال المتحدث إن المحادثات ستستمر ثلاثة أيام.",
    "وأضاف أن الطرفين متفائلان بالتوصل إلى اتفاق.",
    "ومن المتوقع أن يصدر بيان مشترك في ختام الجولة.",
]


def test_closing_byline_with_sources_then_boilerplate():
    lines = [*BODY, "محمد علي (بحسب رويترز، أ ف ب)", "[إعلان 2]", "رابط المصدر", "تعليق (0)"]
    assert classify_lines(lines) == [*["body"] * 4, "byline", *["boilerplate"] * 3]


def test_closing_bylines_name_then_agencies():
    lines = [*BODY, "محمد علي", "وكالات"]
    assert classify_lines(lines) == [*["body"] * 4, "byline", "byline"]


def test_closing_source_credit_is_a_byline():
    assert classify_lines([*BODY, "المصدر: وكالات"])[-1] == "byline"


def test_short_last_sentence_is_not_a_byline():
    lines = [*BODY, "وانتهى الاجتماع."]
    assert classify_lines(lines)[-1] == "body"


def test_line_before_a_media_credit_is_its_caption():
    lines = [BODY[0], "مسلحون أمام المسرح ليلة الهجوم", "الصورة: AP", *BODY[1:]]
    assert classify_lines(lines)[:3] == ["body", "caption", "credit"]


def test_headline_at_top_is_body():
    lines = ["بوتين يلتقي كيربي في موسكو", *BODY]
    assert classify_lines(lines) == ["body"] * 5


# --- documents ----------------------------------------------------------------------------


def test_segment_text_roles_and_offsets():
    text = "\n".join(
        [
            "بوتين يلتقي كيربي في موسكو",
            "",
            'وصل الوفد. وقال: "لن نتراجع. أبداً".',
            "مسلحون في المسرح. فيديو: أماق",
            *BODY[1:],
            "محمد علي (بحسب رويترز)",
            "[إعلان 2]",
        ]
    )
    doc = segment_text(text, doc_id="t")
    got = [(s.line, s.role, s.text) for s in doc.segments]
    assert got == [
        (1, "body", "بوتين يلتقي كيربي في موسكو"),
        (3, "body", "وصل الوفد."),
        (3, "body", 'وقال: "لن نتراجع.'),
        (3, "body", 'أبداً".'),
        (4, "caption", "مسلحون في المسرح."),
        (4, "credit", "فيديو: أماق"),
        (5, "body", BODY[1]),
        (6, "body", BODY[2]),
        (7, "body", BODY[3]),
        (8, "byline", "محمد علي (بحسب رويترز)"),
        (9, "boilerplate", "[إعلان 2]"),
    ]
    assert [s.index for s in doc.segments] == list(range(len(doc.segments)))
    assert all(text[s.start : s.end] == s.text for s in doc.segments)
    assert doc.id == "t"
    assert [s.role for s in doc.to_translate].count("boilerplate") == 0


def _segments_of_file(path: Path) -> tuple[str, list[tuple[int, str, str]]]:
    """The file's bytes decoded as the issue defines (BOM removed, nothing else) and its
    segments as (line, role, text), checking every offset against that text."""
    decoded = path.read_bytes().decode("utf-8-sig")
    text = read_article(path)
    assert text == decoded
    doc = segment_text(text)
    for seg in doc.segments:
        assert decoded[seg.start : seg.end] == seg.text
        assert "\r" not in seg.text and "\n" not in seg.text
    return text, [(s.line, s.role, s.text) for s in doc.segments]


def test_bom_and_crlf_offsets_point_into_the_decoded_file(tmp_path):
    raw = "وصل الوفد. وبدأت المحادثات.\r\nفيديو: رويترز\r\n\r\nرابط المصدر\r\n"
    path = tmp_path / "article.txt"
    path.write_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    text, got = _segments_of_file(path)
    assert text == raw  # CRLF kept: offsets are into the file's own text
    # A short line right before a media credit is its caption.
    assert got == [
        (1, "caption", "وصل الوفد."),
        (1, "caption", "وبدأت المحادثات."),
        (2, "credit", "فيديو: رويترز"),
        (4, "boilerplate", "رابط المصدر"),
    ]
    assert segment_text(text).segments[2].start == len("وصل الوفد. وبدأت المحادثات.\r\n")


def test_mixed_line_ends(tmp_path):
    # LF, CRLF, a lone CR, CR CR (an empty line between), then a last line with no line end.
    raw = "عنوان الخبر\nوصل الوفد. وبدأت المحادثات.\r\nالصورة: AP\rقال الوزير.\r\rرابط المصدر"
    path = tmp_path / "mixed.txt"
    path.write_bytes(raw.encode("utf-8"))
    text, got = _segments_of_file(path)
    assert text == raw
    assert got == [
        (1, "body", "عنوان الخبر"),
        (2, "caption", "وصل الوفد."),
        (2, "caption", "وبدأت المحادثات."),
        (3, "credit", "الصورة: AP"),
        (4, "body", "قال الوزير."),
        (6, "boilerplate", "رابط المصدر"),
    ]


def test_line_spans():
    text = "أ\r\nب\rج\n\nد"
    assert [text[s:e] for s, e in line_spans(text)] == ["أ", "ب", "ج", "", "د"]
    assert [text[s:e] for s, e in line_spans("أ\r\n")] == ["أ", ""]
    # Only CR and LF end a line.
    assert len(line_spans("أ\u2028ب\x0bج\x85د")) == 1


def test_lone_cr_is_kept_and_ends_a_line():
    text = decode_article("أ.\rب.".encode(), "x.txt")
    assert text == "أ.\rب."
    assert [(s.line, s.text) for s in segment_text(text).segments] == [(1, "أ."), (2, "ب.")]


def _assert_seed_gold(text: str) -> None:
    lines = line_spans(text)
    assert len(lines) == 34
    line_start = [s for s, _ in lines]
    gold = [json.loads(r) for r in (SEED / "segments.jsonl").read_text("utf-8").splitlines()]
    assert len(gold) == 57
    expected = [
        (
            row["line"],
            row["role"],
            line_start[row["line"] - 1] + row["start"],
            line_start[row["line"] - 1] + row["end"],
            row["ar"],
        )
        for row in gold
    ]
    doc = segment_text(text, doc_id="seed-article")
    got = [(s.line, s.role, s.start, s.end, s.text) for s in doc.segments]
    assert got == expected
    assert len(doc.to_translate) == 54


def test_seed_article_reproduces_gold_exactly():
    _assert_seed_gold(read_article(SEED / "article.ar.txt"))


def test_seed_article_with_crlf_reproduces_gold(tmp_path):
    data = (SEED / "article.ar.txt").read_bytes()
    assert b"\r" not in data
    path = tmp_path / "article.ar.txt"
    path.write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    _assert_seed_gold(read_article(path))


# --- reading ------------------------------------------------------------------------------


def test_read_plain_utf8(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("وصل الوفد.\n", encoding="utf-8")
    assert read_article(path) == "وصل الوفد.\n"


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_article(tmp_path / "nope.txt")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_article(tmp_path)


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_or_whitespace(tmp_path, data):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match="is empty") as err:
        read_article(path)
    blank = data.strip(b"\xef\xbb\xbf")
    assert ("blank lines, spaces or invisible marks only" in str(err.value)) == bool(blank)


@pytest.mark.parametrize(
    "data", [b"PK\x03\x04\x00\x00binary", bytes(range(1, 32)) * 10 + "نص".encode()]
)
def test_binary(tmp_path, data):
    path = tmp_path / "a.bin"
    path.write_bytes(data)
    with pytest.raises(InputError, match="binary"):
        read_article(path)


def test_windows_1256_is_named_with_the_fix(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes("قال المتحدث إن الوفد وصل إلى موسكو.".encode("cp1256"))
    with pytest.raises(InputError) as err:
        read_article(path)
    message = str(err.value)
    assert "not UTF-8" in message
    assert "Windows-1256" in message
    assert "iconv -f cp1256 -t utf-8" in message
    # a copy beside it that no batch reads as an article; the original is kept
    assert f"{path} > {path}.utf8`, then, when the copy reads right, put it in" in message


def test_other_non_utf8(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("café au lait".encode("latin-1"))
    with pytest.raises(InputError, match="is not UTF-8") as err:
        read_article(path)
    assert "Windows-1256" not in str(err.value)


def test_one_stray_byte_among_digits_is_no_legacy_arabic(tmp_path):
    # 0xFF decodes as one Arabic letter in Windows-1256: a file of links is not Arabic text.
    path = tmp_path / "links.ph"
    path.write_bytes(b"0-0\xff\n0-1\n")
    with pytest.raises(InputError, match="is not UTF-8") as err:
        read_lines(path, "predicted file")
    assert "Windows-1256" not in str(err.value) and "byte offset(s) 3" in str(err.value)
    path.write_bytes("نعم".encode("cp1256") + b"\n")  # three letters are Arabic enough
    with pytest.raises(InputError, match="Windows-1256"):
        read_lines(path, "article")


def test_utf16(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("وصل الوفد.".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        read_article(path)


@pytest.mark.parametrize(
    "encoding, said, convert",
    [("utf-32", "is UTF-32", "-f utf-32 "), ("utf-16-le", "looks like UTF-16", "-f utf-16le "),
     ("utf-16-be", "looks like UTF-16", "-f utf-16be "),
     ("utf-32-le", "looks like UTF-32", "-f utf-32le "),
     ("utf-32-be", "looks like UTF-32", "-f utf-32be ")],
)  # fmt: skip
def test_utf32_and_utf16_without_a_mark_get_the_conversion_that_works(
    tmp_path, encoding, said, convert
):
    """UTF-32 was called UTF-16 (whose conversion gives text full of NULs), and big-endian
    UTF-16 without a byte-order mark was told to convert from little-endian."""
    for text in ("وصل الوفد إلى موسكو.\n", "The delegation arrived.\n"):
        path = tmp_path / "a.txt"
        path.write_bytes(text.encode(encoding))
        with pytest.raises(InputError) as err:
            read_article(path)
        assert said in str(err.value) and convert in str(err.value)
        assert "garbled" not in str(err.value)
        # the command said converts it
        command = str(err.value).split("`")[1]
        done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True)
        assert done.returncode == 0, done.stderr
        assert read_article(Path(command.split()[-1])) == text


def test_zeros_and_binary_headers_are_not_called_utf16_or_utf32(tmp_path):
    """Their bytes have the pattern of UTF-16 or UTF-32 without a mark (NULs every other
    byte), but converting them gives no text: they are binary files."""
    import sqlite3

    database = tmp_path / "db.txt"
    with sqlite3.connect(database) as connection:
        connection.execute("create table t (x)")
    connection.close()
    zeros = tmp_path / "zeros.txt"
    zeros.write_bytes(bytes(4096))
    header = tmp_path / "elf.txt"  # the start of an executable: NULs between few bytes
    header.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x03\x00>\x00\x01\x00" * 20)
    for path in (database, zeros, header):
        with pytest.raises(InputError, match="looks like a binary file, not UTF-8 text"):
            read_article(path)


def test_utf16_cut_inside_a_character_is_still_utf16(tmp_path):
    """A file cut in the middle of a surrogate pair (an emoji at its end) is UTF-16 with a
    damaged end, not a binary file."""
    path = tmp_path / "a.txt"
    path.write_bytes(
        ("وصل الوفد إلى موسكو. " * 50).encode("utf-16-le") + "😀".encode("utf-16-le")[:2]
    )
    with pytest.raises(InputError, match="looks like UTF-16 without a byte-order mark"):
        read_article(path)


def test_a_link_to_a_missing_file_is_named_as_a_link(tmp_path):
    """ls lists a dangling link: 'does not exist' alone contradicted it."""
    link = tmp_path / "a.en.txt"
    link.symlink_to(tmp_path / "gone" / "ref.txt")
    with pytest.raises(InputError, match=f"is a link to {tmp_path}/gone/ref.txt, which does not"):
        read_article(link, "reference file")
    with pytest.raises(InputError, match="ref.txt does not exist"):
        read_article(tmp_path / "ref.txt", "reference file")


def test_unreadable(tmp_path, monkeypatch):
    # Root reads any file whatever its mode, so the permission error is simulated.
    path = tmp_path / "a.txt"
    path.write_text("وصل الوفد.", encoding="utf-8")

    def deny(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(read_module.Path, "open", deny)
    with pytest.raises(InputError, match="permission denied"):
        read_article(path)


def test_messages_name_what_the_file_is(tmp_path):
    empty = tmp_path / "ref.txt"
    empty.write_bytes(b"\n")
    with pytest.raises(InputError) as err:
        read_lines(empty, "reference file")
    assert str(err.value).startswith(f"the reference file {empty} is empty")
    with pytest.raises(InputError, match=r"^the article .*nope\.txt does not exist"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match=r"^the hypothesis file .* is a directory"):
        read_lines(tmp_path, "hypothesis file")
    legacy = tmp_path / "hyp.txt"
    legacy.write_bytes("قال المتحدث إن الوفد وصل إلى موسكو.".encode("cp1256"))
    with pytest.raises(InputError) as err:
        read_lines(legacy)
    assert str(err.value).startswith(f"the file {legacy} is not UTF-8")
    assert "article" not in str(err.value)


def test_marks_only_is_empty(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"{RLM}\n{BOM} {LRM}\n", encoding="utf-8")
    with pytest.raises(InputError, match="is empty"):
        read_article(path)


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"a\nb\n", ["a", "b"]),
        (b"a\nb", ["a", "b"]),
        (b"a\r\nb\r\n", ["a", "b"]),
        (b"\xef\xbb\xbfa\r\n\r\nb\rc", ["a", "", "b", "c"]),
        # A final empty line is kept when there are two line ends; spaces stay.
        (b"a\n\n", ["a", ""]),
        (b" a \n", [" a "]),
    ],
)
def test_read_lines(tmp_path, data, lines):
    path = tmp_path / "lines.txt"
    path.write_bytes(data)
    assert read_lines(path) == lines


def test_messages_are_one_sentence(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes("قال المتحدث إن الوفد وصل.".encode("cp1256"))
    for target in (path, tmp_path / "missing.txt", tmp_path):
        with pytest.raises(InputError) as err:
            read_article(target)
        assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "line",
    ["تقرير الأمم المتحدة يحذر من المجاعة", "تحرير الموصل بعد ثلاث سنوات", "بوتين يلتقي كيربي"],
)
def test_headlines_that_start_like_bylines_are_body(line):
    assert classify_line(line) == "body"
    assert classify_lines([line, *BODY])[0] == "body"


@pytest.mark.parametrize("line", ["كتب: محمد علي", "إعداد - سارة أحمد"])
def test_byline_marker_with_colon_or_dash(line):
    assert classify_line(line) == "byline"


def test_lone_closing_quote_is_not_a_sentence():
    assert sentences('انتهى الأمر. "') == ['انتهى الأمر. "']


@pytest.mark.parametrize(
    ("line", "sentences"),
    [
        # a closer pops every opener above its own: both periods are inside the brackets
        ("قال (انتهى. ثم [بدأ. ) وصل. ثم ذهب.", ["قال (انتهى. ثم [بدأ. ) وصل.", "ثم ذهب."]),
        ("[[[ كلمة. ))) ثم ذهب.", ["[[[ كلمة. ))) ثم ذهب."]),
        # list numbers after a colon, and a run of them at a line's start
        ("الإجراءات التالية: 1. خفض الضرائب 2. رفع الأجور. وانتهى.",
         ["الإجراءات التالية: 1. خفض الضرائب 2. رفع الأجور.", "وانتهى."]),
        ("1. 1. 1. 2. وصل الوفد. ثم ذهب.", ["1. 1. 1. 2. وصل الوفد.", "ثم ذهب."]),
    ],
)  # fmt: skip
def test_brackets_and_list_numbers_over_a_line(line, sentences):
    assert [line[s:e] for s, e in split_sentences(line)] == sentences


def test_a_runaway_line_is_split_like_its_pieces():
    """One line of thousands of sentences, of list numbers or of brackets is split in
    linear time (scripts/bench_segment.py --long-lines measures it) and to the same
    sentences as its pieces."""
    piece = "قال المسؤول (أ) إن الاجتماع انتهى. "
    line = piece * 3000
    spans = split_sentences(line)
    assert len(spans) == 3000 and {line[s:e] for s, e in spans} == {piece.strip()}
    numbers = "1. " * 5000 + "كلمة."
    assert split_sentences(numbers) == [(0, len(numbers))]
    brackets = "[" * 5000 + ")" * 5000 + " كلمة. ثم ذهب."
    assert [brackets[s:e] for s, e in split_sentences(brackets)][-1] == "ثم ذهب."


def test_a_latin_abbreviation_after_an_article_joined_by_tatweel_ends_no_sentence():
    for line in ("وصل الوفد إلى الـU.S. أمس.", "التقى الـDr. Smith أمس."):
        assert split_sentences(line) == [(0, len(line))]
    line = "التقى الـDr. Smith أمس. ثم ذهب."
    assert [line[s:e] for s, e in split_sentences(line)] == ["التقى الـDr. Smith أمس.", "ثم ذهب."]


@pytest.mark.parametrize("rule", ["ـــــــ", " ـــ ـــ ", "ـــ * ـــ"])
def test_a_rule_drawn_with_tatweel_is_boilerplate(rule):
    assert classify_line(rule) == "boilerplate"
    assert classify_line("ـــــــ كلمة") == "body"


def test_english_saved_as_windows_1252_is_named_with_both_fixes(tmp_path):
    """A Latin file with bytes that are not UTF-8: the command that converts it from
    Windows-1252 and the one that drops the bytes, both working as given."""
    import shlex

    path = tmp_path / "hyp.en"
    path.write_bytes("The \u201cminister\u201d said caf\u00e9.\n".encode("cp1252"))
    with pytest.raises(InputError) as err:
        read_lines(path, "hypothesis file")
    message = str(err.value)
    commands = re.findall(r"`(iconv [^`]+)`", message)
    assert [c.split()[2] for c in commands] == ["cp1252", "utf-8"]
    subprocess.run(commands[0], shell=True, check=True, cwd=tmp_path)
    copy = Path(str(path) + ".utf8")
    assert read_lines(copy) == ["The \u201cminister\u201d said caf\u00e9."]
    subprocess.run(commands[1], shell=True, check=True, cwd=tmp_path)
    assert read_lines(copy) == ["The minister said caf."]
    assert shlex.quote(str(path)) in commands[0]


@pytest.mark.parametrize(
    "data",
    [
        b"The minister said.\n\x9d\n",  # a cut UTF-8 quote: no cp1252 character
        "Министр заявил, что встреча закончилась.\n".encode("cp1251"),  # another script
    ],
)
def test_no_windows_1252_advice_for_bytes_it_cannot_be(tmp_path, data):
    path = tmp_path / "hyp.en"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_lines(path, "hypothesis file")
    assert "Windows-1252" not in str(err.value) and "not UTF-8" in str(err.value)


def test_windows_1256_arabic_among_english_is_named(tmp_path):
    path = tmp_path / "article.txt"
    english = "The talks (UN Security Council, New York) were long and difficult. " * 3
    path.write_bytes(("قال الوزير إن المحادثات انتهت. " + english).encode("cp1256"))
    with pytest.raises(InputError) as err:
        read_article(path)
    assert "Windows-1256 (legacy Arabic) with Latin text" in str(err.value)
    assert "iconv -f cp1256 -t utf-8" in str(err.value)
