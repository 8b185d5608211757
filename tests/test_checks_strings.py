"""The string checks (number, name, untranslated, repetition, length): hand examples, the
seed article's clean pairs (few false alarms) and the same pairs with injected errors."""

from __future__ import annotations

import gc
import re
import sys

import pytest

from align.checks import (
    ArticleInput,
    SegmentInput,
    check_article,
    inputs_of_run,
    length,
    name,
    number,
    repetition,
    untranslated,
)
from align.checks import dictionary as checks_dictionary
from align.checks.base import Finding, for_the_last
from align.checks.dictionary import dictionary_forms as _dictionary_forms
from align.checks.dictionary import glosses, lexicon
from align.checks.name import acronyms as name_acronyms
from align.checks.name import article as name_article
from align.checks.name import links as name_links
from align.checks.name import places as name_places
from align.checks.name import proper as name_proper
from align.checks.name import rules as name_rules
from align.checks.name import spelled as name_spelled
from align.checks.name import spelling as name_spelling
from align.checks.name import thresholds as name_thresholds
from align.checks.words import is_arabic_function_word
from align.links.base import Alignment, Link
from align.links.words import word_tokens
from align.run import PairAlignment
from tests.conftest import SEED

ARTICLE = SEED / "article.ar.txt"
REFERENCE = SEED / "reference.en.txt"
STRING_CHECKS = [number.CHECK, name.CHECK, untranslated.CHECK, repetition.CHECK, length.CHECK]
MAX_FALSE_ALARMS = 0.05


def _run(hyp):
    from align.pipeline import Pipeline
    from align.settings import AlignmentSettings

    result = Pipeline(None, alignment=AlignmentSettings(method="hybrid")).run(ARTICLE, hyp=hyp)
    return inputs_of_run(result.run)


@pytest.fixture(scope="module")
def clean() -> list[SegmentInput]:
    return _run(REFERENCE)


def _lines() -> list[str]:
    return REFERENCE.read_text(encoding="utf-8").splitlines()


# Injected errors: line index → (old, new) in the reference line.
INJECTED = {
    0: ("Moscow", "Paris"),
    1: ("March 28", "March 29"),
    11: ("In late 2022", "In late 2021"),
    13: ("Three months", "Five months"),
    5: ("was clear.", "was clear. واضحا"),
    9: ("closely monitored", "closely monitored monitored the the the the"),
    10: (
        "Islamic State leaders",
        "Islamic State leaders and and leaders and and leaders and and leaders",
    ),
}


@pytest.fixture(scope="module")
def injected(tmp_path_factory) -> list[SegmentInput]:
    lines = _lines()
    for k, (old, new) in INJECTED.items():
        assert old in lines[k]
        lines[k] = lines[k].replace(old, new, 1)
    path = tmp_path_factory.mktemp("hyp") / "hyp.en.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _run(path)


def _one(check, source: str, translation: str, alignment=None) -> list:
    segment = SegmentInput(0, source, translation, alignment)
    return check.check(segment, ArticleInput((segment,)))


# -- the seed article ------------------------------------------------------------------


def test_seed_clean_pairs_have_few_false_alarms(clean):
    assert len(clean) == 54
    flagged = [
        (s.index, [f.message for f in findings])
        for s, findings in zip(clean, check_article(clean, STRING_CHECKS), strict=True)
        if findings
    ]
    assert len(flagged) / len(clean) <= MAX_FALSE_ALARMS, flagged


def test_seed_injected_errors_are_found(injected):
    found = check_article(injected, STRING_CHECKS)
    kinds = {k: {(f.check, f.kind) for f in found[k]} for k in INJECTED}
    assert ("name", "changed") in kinds[0]
    assert ("number", "changed") in kinds[1]
    assert ("number", "changed") in kinds[11]
    assert ("number", "changed") in kinds[13]
    assert ("untranslated", "untranslated") in kinds[5]
    assert ("repetition", "repeated") in kinds[9]
    assert ("repetition", "repeated") in kinds[10]
    others = [k for k, f in enumerate(found) if f and k not in INJECTED]
    assert len(others) / len(found) <= MAX_FALSE_ALARMS
    # spans point at what changed
    name_finding = next(f for f in found[0] if f.check == "name")
    seg = injected[0]
    assert seg.translation[slice(*name_finding.tgt)] == "Paris"
    assert seg.source[slice(*name_finding.src)] == "موسكو"
    date = next(f for f in found[1] if f.check == "number")
    assert injected[1].translation[slice(*date.tgt)] == "29"
    assert injected[1].source[slice(*date.src)] == "28"


# -- number ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("بلغت الصفقة 2.5 مليار دولار.", "The deal reached 2.5 billion dollars."),
        ("بلغت الصفقة ٢٫٥ مليار دولار.", "The deal reached $2,500,000,000."),
        ("حضر ثلاثة آلاف شخص.", "3,000 people attended."),
        ("حضر 3 آلاف شخص.", "Three thousand people attended."),
        ("قتل ثلاثة أشخاص.", "Three people were killed."),
        ("قتل ٣ أشخاص.", "Three people were killed."),
        ("عمره خمسة وعشرون عاما.", "He is twenty-five years old."),
        ("في 28 مارس/آذار 2024.", "On March 28, 2024."),
        ("في السابع من مارس/آذار.", "On the 7th of March."),
        ("وفي عام 2024 ارتفع بنسبة 15 بالمئة.", "In 2024 it rose by 15 percent."),
        ("ارتفع بنسبة ١٥٪.", "It rose by 15%."),
        ("بعد أسبوعين.", "Two weeks later."),
        ("مئات الآلاف من الجنود.", "Hundreds of thousands of troops."),
        ("بين 10 و15 عاما.", "Between 10 and 15 years."),
        ("في الساعة 11:15.", "At 11:15 a.m."),
        ("ناقش الرئيس أول خطة.", "The president discussed the first plan."),
        ("في الحادي عشر من سبتمبر.", "On September 11."),
        ("مارس الضغط على الحكومة.", "He exerted pressure on the government."),
        ("تلقت إيما ستون ترشيحا.", "Emma Stone received a nomination."),
    ],
)
def test_number_clean_pairs(source, translation):
    assert _one(number.CHECK, source, translation) == []


def test_a_value_one_side_has_more_often_is_said_as_such():
    """The source has 28 once and the translation twice: '28 is not in the source' was
    untrue."""
    found = _one(
        number.CHECK,
        "ستستمر الزيارة ثلاثة أيام وتنتهي يوم 28 مارس.",
        "The visit will last three days and end on March 28, three days, 28 March.",
    )
    messages = sorted(f.message for f in found)
    assert all(f.kind == "extra" for f in found) and len(found) == 3
    assert "The number '28' is in the translation twice and in the source once." in messages
    assert "The date 'March' is in the translation twice and in the source once." in messages
    assert not any("not in the source" in m for m in messages)
    (f,) = _one(number.CHECK, "قتل 3 أشخاص ثم 3 آخرون.", "3 people were killed.")
    assert f.kind == "missing"
    assert f.message == "The number '3' is in the source twice and in the translation once."
    (f,) = _one(number.CHECK, "قتل أشخاص.", "12 people were killed.")
    assert f.message == "The number '12' of the translation is not in the source."


def test_number_words_joined_by_a_conjunction_written_apart_are_one_number():
    """السادس و العشرون (tokenized text, or typed so) is the 26th, as والعشرون is: not a
    sixth and a twentieth that the translation lacks."""
    source = "يوم الاثنين , السادس و العشرون ."
    assert _one(number.CHECK, source, "On Monday , the twenty - sixth .") == []
    assert _one(number.CHECK, "لدينا خمسة و عشرون مقعدا .", "We have 25 seats .") == []
    (f,) = _one(number.CHECK, "لدينا خمسة و عشرون مقعدا .", "We have 35 seats .")
    assert f.kind == "changed" and f.src == (6, 18)
    # a conjunction between a number and another word joins nothing
    assert _one(number.CHECK, "اشترى خمسة و باع ثلاثة .", "He bought five and sold three .") == []
    # a two-letter number word stays apart (وست would read as no number)
    assert _one(number.CHECK, "وصل ثلاثة و ست نساء .", "Three men and six women came .") == []


def test_number_changed_missing_extra():
    (f,) = _one(number.CHECK, "قتل ٣ أشخاص في 2023.", "Four people were killed in 2023.")
    assert (f.kind, f.severity) == ("changed", "error")
    assert f.src == (4, 5)
    found = _one(number.CHECK, "قتل 3 أشخاص و7 جنود.", "People were killed.")
    assert sorted(f.kind for f in found) == ["missing", "missing"]
    (f,) = _one(number.CHECK, "قتل أشخاص.", "12 people were killed.")
    assert f.kind == "extra" and f.tgt == (0, 2) and f.src is None
    (f,) = _one(number.CHECK, "في 28 مارس/آذار.", "On April 28.")
    assert f.kind == "changed" and "date" in f.message
    (f,) = _one(number.CHECK, "بلغت 2.5 مليار.", "It reached 2.5 million.")
    assert f.kind == "changed"


def test_a_number_too_long_to_read_is_equal_only_to_its_own_digits():
    # past 40 digits a number is kept as its digits: 1 and 40 zeros is no 1000, though
    # both are a 1 and zeros (the loose pass that pairs 08:30 with 8:30 does not apply)
    huge = "1" + "0" * 40
    (f,) = _one(number.CHECK, "وصل ١٠٠٠ شخص.", f"Arrived {huge} people.")
    assert (f.kind, f.message.startswith("The number '١٠٠٠'")) == ("changed", True), f
    (f,) = _one(number.CHECK, "وصل 28 شخصا.", f"Arrived 28{'0' * 40} people.")
    assert f.kind == "changed"
    assert _one(number.CHECK, f"وصل {huge} شخص.", f"Arrived {huge} people.") == []
    arabic = huge.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert _one(number.CHECK, f"وصل {arabic} شخص.", f"Arrived {huge} people.") == []
    # grouped one way in the source, another in the translation: the same digits
    groups = "1" + ".000" * 14
    arabic = groups.replace(".", "٬").translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert _one(number.CHECK, f"وصل {arabic} شخص.", f"Arrived {groups} people.") == []
    # a value of absurd length is quoted cut, as a finding's sentence quotes text
    (f,) = _one(number.CHECK, f"وصل {'9' * 500} شخص.", "Arrived 5 people.")
    assert f.kind == "changed" and len(f.message) < 200 and "…'" in f.message, f.message


def test_digits_past_what_int_reads_are_findings_not_errors():
    # Python reads no more than 4,300 digits as a whole number: a number grouped with
    # periods, a numeric Hijri date and a day after a month's abbreviation are read
    # without it past MAX_DIGITS
    dotted = "1" + ".000" * 1500
    (f,) = _one(number.CHECK, f"بلغ العدد {dotted} شخص.", f"It reached 2{',000' * 1500} people.")
    assert f.kind == "changed" and len(f.message) < 400, f.message
    assert _one(number.CHECK, f"بلغ العدد {dotted} شخص.", f"It reached {dotted} people.") == []
    year = "1" * 5000
    found = _one(number.CHECK, f"وصل يوم 15/8/{year} هـ.", f"He arrived on 16/8/{year} AH.")
    assert found and all(f.check == "number" for f in found)
    found = _one(number.CHECK, "وصل في يناير.", "He came in Jan. " + "5" * 5000)
    assert [f.kind for f in found] == ["extra"]


@pytest.mark.parametrize("mark", ["²", "¹", "⁷"])
def test_a_footnote_mark_after_a_day_leaves_the_day(mark):
    # "Sept. 11²": the day of an abbreviated month with a footnote's mark; a mark isdigit
    # takes for a digit (②, ²) is no day of its own
    source = "وقعت الهجمات في 11 سبتمبر 2001."
    assert _one(number.CHECK, source, f"The attacks took place on Sept. 11{mark}, 2001.") == []
    for odd in ("Sept ①", "Jan. ²", "Jan 5²"):
        _one(number.CHECK, "وصل في يناير.", f"He came in {odd}")  # (no error raised)


def test_a_month_written_short_is_no_name_of_its_own():
    # "Sept" (a skeleton of three letters, unlike "Jan" or "Dec") is September written
    # short, which سبتمبر explains: no added name, and no witness of added words
    source = "وقعت الهجمات في 11 سبتمبر 2001."
    translation = "The attacks took place on Sept. 11, 2001."
    assert _one(name.CHECK, source, translation) == []
    assert name_links.unexplained_names(source, translation) == {}
    # a month the source does not name is still a name no source word explains
    other = "The attacks took place on Sept. 11 in Oslo, 2001."
    assert list(name_links.unexplained_names(source, other).values()) == ["Oslo"]


@pytest.mark.parametrize(
    "source, translation",
    [
        ("ثلثها مغطى بالمياه.", "About one-third is covered in water."),  # a fraction, not 4
        ("ثلث الأصوات.", "One third of the votes."),
        ("وجه السلاح إلى رأس رجل خامس.", "The gun was pointed at a fifth man."),  # an ordinal
        ("مقاسها 29¾ بوصة.", "It measures 29¾ inches."),
        ("في القرن الحادي والعشرين.", "In the twenty-first century."),  # 21 on both sides
        # two numbers of one order side by side, not one compound (not 6, not 40)
        ("فاز بالأربع واثنين من الميداليات.", "He won the four and two of the medals."),
        ("عشرون وعشرون.", "Twenty and twenty."),
        # an Arabic comma between digits is the number's separator
        ("ارتفع المؤشر إلى ٣،٥ نقطة.", "The index rose to 3.5 points."),
        ("يبدأ العرض عند الساعة 15،00.", "The show starts at 15.00."),
        ("حضر 3،000 شخص.", "3,000 people attended."),
        ("بلغ عدد السكان 1،000،000 نسمة.", "The population reached 1,000,000."),
        # four digits after the comma: two years, not one decimal
        ("خلال عامي 2019،2020.", "During 2019 and 2020."),
        # the news abbreviations of months before their day; no month in capitals or lower
        # case (verbs: MAY, march) nor a name (Jan) beside a number
        ("وقع في 5 يناير.", "It happened on Jan. 5."),
        ("منذ هجمات 11 سبتمبر.", "Since the Sept. 11 attacks."),
        ("قال يان إن 5 أشخاص قتلوا.", "Jan said 5 people were killed."),
        ("فاز يان كوديس المصنف 1.", "The No. 1 Jan Kodes won."),
        ("أسعار النفط قد ترتفع 5 بالمائة.", "OIL PRICES MAY RISE 5 PERCENT."),
        ("سار الآلاف 20 كيلومترا.", "THOUSANDS MARCH 20 KILOMETRES."),
        ("سار الآلاف 20 كيلومترا.", "Thousands march 20 kilometres."),
        # an invisible character inside a number or a month changes neither
        ("وقع الهجوم يوم 2\u200c8 مار\u00adس.", "The attack took place on March 28."),
        # several commas before groups that are no thousands: a list, not one number
        ("المواد 3،4،5 من الدستور.", "Articles 3, 4 and 5 of the constitution."),
        ("الأيام 10،11،12 من الشهر.", "Days 10, 11 and 12 of the month."),
        # a percent word with its preposition is no hundred (5 percent, not 500)
        ("ارتفعت المبيعات بما يزيد عن خمسة بالمائة.", "Sales rose by more than five percent."),
        # an hour and its minutes are two numbers, not one ordinal (nine thirty, not 39)
        ("تغادر الحافلة في الساعة التاسعة وثلاثين دقيقة.", "The bus leaves at nine thirty."),
        ("تقلع الطائرة في الساعة العاشرة وخمسة وخمسين.", "The plane leaves at ten fifty-five."),
        ("يبدأ في الساعة الثالثة عشرة وعشرين دقيقة.", "It starts at thirteen twenty."),
        # half past an hour: "six thirty" or "half past six"
        ("نراك في السادسة والنصف.", "We will see you at six thirty."),
        ("نراك في السادسة والنصف.", "We will see you at half past six."),
        ("نراك في السادسة والربع.", "See you at six fifteen."),
        ("رن منبه السادسة و النصف.", "The six thirty alarm rang."),
        ("الموعد في السادسة والثلث.", "The meeting is at six twenty."),
        # number words inside a name are no count
        ("خذني الى فندق فور سيزونز من فضلك.", "Take me to the Four Seasons Hotel, please."),
        ("اليوم التاسع والعشرون من الشهر.", "The twenty-ninth day of the month."),
    ],
)
def test_number_fractions_and_ordinals_read_right(source, translation):
    assert _one(number.CHECK, source, translation) == []


def test_number_words_of_a_name_only_inside_a_sentence():
    # At a sentence's start a capital says nothing: "Four Americans" is a count.
    (f,) = _one(number.CHECK, "قتل ثلاثة أمريكيين.", "Four Americans were killed.")
    assert f.kind == "changed"
    # "Five" at the start is the count, "Four" of the name no value of its own; the same
    # word in lower case is a count the source lacks.
    assert _one(number.CHECK, "قتل خمسة في الفندق.", "Five were killed at the Four Seasons.") == []
    (f,) = _one(number.CHECK, "قتل خمسة في الفندق.", "Five were killed in four seasons.")
    assert f.kind == "extra" and "'four'" in f.message


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("وقع الحادث في 5/12/2026.", "It happened on December 5, 2026."),
        ("وقع الحادث في ٥/١٢/٢٠٢٦.", "It happened on 5 December 2026."),
        ("وقع الحادث في 2026/12/05.", "It happened on Dec. 5, 2026."),
        ("وقع الحادث في 5.12.2026.", "It happened on December 5, 2026."),
        ("وقع الحادث في 5/12/2026.", "It happened on 12/5/2026."),
        ("وقع الحادث في 5 ديسمبر 2026.", "It happened on 12/5/2026."),
        ("بدأ في الساعة 20:00.", "It began at 8 p.m."),
        ("بدأ في الساعة 20:00.", "It began at 8pm."),
        ("بدأ في الساعة ٢٠:٣٠.", "It began at 8:30 pm."),
        ("بدأ في الساعة الثامنة مساءً.", "It began at 20:00."),
        ("بدأ في الساعة 8 مساءً.", "It began at 20:00."),
        ("في موسم 2024-2025.", "In the 2024-25 season."),
        ("في موسم 1999-2000.", "In the 1999–00 season."),
        ("نزح نحو مليون ونصف شخص.", "About 1.5 million people were displaced."),
        ("نزح نحو ثلاثة ملايين ونصف شخص.", "About 3.5 million people were displaced."),
        ("نزح نحو مليونين ونصف شخص.", "About 2.5 million people were displaced."),
        ("نزح نحو مليون ونصف شخص.", "About one and a half million people were displaced."),
        ("استمر ثلاث ساعات ونصف.", "It lasted three and a half hours."),
        ("ارتفع عدد القتلى إلى 43 ألفا و391.", "The death toll rose to 43,391."),
        ("بقيمة 4 مليارات و200 مليون دولار.", "Worth $4.2 billion."),
        ("بلغ عددهم اثني عشر ألف شخص.", "They numbered 12,000 people."),
        ("خصص نصف مليار دولار.", "He allocated $500 million."),
        ("خصص نصف مليار دولار.", "He allocated half a billion dollars."),
        ("خصص ربع مليون دولار.", "He allocated $250,000."),
        ("وقع الحادث في 5-12-2025.", "It happened on December 5, 2025."),
        ("وصل الوفد الخميس 5/12.", "The delegation arrived on Thursday, December 5."),
        ("صدر القرار بتاريخ 15/8/2025م.", "The decision was issued on August 15, 2025."),
        ("في السنة المالية 2024/2025.", "In fiscal year 2024/25."),
        ("في السنة المالية 2024/2025.", "In fiscal year 2024-25."),
        ("بدأ في التاسعة والنصف مساء.", "It began at 9:30 p.m."),
        ("بدأ في السادسة و45 دقيقة صباحا.", "It began at 6:45 a.m."),
        ("فاز الأهلي على الزمالك بهدفين مقابل هدف.", "Al Ahly beat Zamalek 2-1."),
        ("تعادل الفريقان سلبيا.", "The two teams drew 0-0."),
        ("فاز الهلال بهدفين دون رد.", "Al Hilal won 2-0."),
        # a nil said in words: a score's (نظيف in each gender and number), a vote's
        ("فاز المغرب على البرتغال بهدف نظيف.", "Morocco beat Portugal 1-0."),
        ("فاز الأهلي على الزمالك بهدفين نظيفين.", "Al Ahly beat Zamalek 2-0."),
        ("فاز الفريق بثلاثة أهداف دون مقابل.", "The team won 3-0."),
        ("صوت المجلس بأغلبية 13 صوتا مقابل لا شيء.", "The council voted 13-0."),
        ("صوت المجلس بأغلبية 13 صوتا مقابل صفر.", "The council voted 13-0."),
        ("أقر المجلس القرار بأغلبية 13 صوتا دون معارضة.", "The council passed it 13-0."),
    ],
)
def test_number_the_same_value_written_another_way(source, translation):
    """A date in digits and with its month's name, the 24-hour clock and p.m., a year
    range's two-digit year, a million and a half: each said both ways is no finding."""
    assert _one(number.CHECK, source, translation) == []


def test_number_written_another_way_still_finds_what_changed():
    # a nil in words pairs with the score's 0, not with its other side
    for source, translation in (
        ("فاز الأهلي على الزمالك بهدفين نظيفين.", "Al Ahly beat Zamalek 2-1."),
        ("صوت المجلس بأغلبية 13 صوتا مقابل لا شيء.", "The council voted 13-2."),
    ):
        (f,) = _one(number.CHECK, source, translation)
        assert (f.kind, translation[slice(*f.tgt)]) == ("extra", translation[-2]), f
    (f,) = _one(number.CHECK, "وقع الحادث في 5/12/2026.", "It happened on December 6, 2026.")
    assert f.message == "The date '5/12/2026' of the source has another day in the translation."
    # a date is compared whole: no part of it pairs with a number or date elsewhere
    swapped = _one(
        number.CHECK,
        "عقد الاجتماع في 3/11/2026 والقمة في 5/12/2026.",
        "The meeting was held on December 3, 2026 and the summit on November 5, 2026.",
    )
    said = [f.message for f in swapped]
    assert "The date '3/11/2026' of the source has another day in the translation." in said
    assert "The date '5/12/2026' of the source has another day in the translation." in said
    assert _one(
        number.CHECK, "قتل 12 شخصا يوم 5/12/2026.", "5 people were killed on 12 December 2026."
    )
    assert (
        _one(
            number.CHECK,
            "عقد الاجتماع في 3/11/2026 والقمة في 5/12/2026.",
            "The meeting was held on November 3, 2026 and the summit on December 5, 2026.",
        )
        == []
    )
    # "at night" is past noon for the evening's hours only
    (f,) = _one(number.CHECK, "وقع الانفجار في الساعة 2 ليلا.", "The blast came at 14:00.")
    assert f.kind == "changed"
    assert _one(number.CHECK, "وقع الانفجار في الساعة 10 ليلا.", "The blast came at 22:00.") == []
    assert _one(number.CHECK, "بدأ في الساعة 20:15.", "It began at 8:15pm.") == []
    # what is written another way still says a change
    for source, translation in (
        ("ارتفع عدد القتلى إلى 43 ألفا و391.", "The death toll rose to 43,392."),
        ("فاز الأهلي على الزمالك بهدفين مقابل هدف.", "Al Ahly beat Zamalek 3-1."),
        ("في السنة المالية 2024/2025.", "In fiscal year 2024/26."),
        ("يكلف المشروع مليار دولار.", "The project costs a million dollars."),  # scale alone
        ("وقع الحادث في 5-12-2025.", "It happened on December 6, 2025."),
    ):
        assert _one(number.CHECK, source, translation), (source, translation)
    # a date's day is the number next to its month, not any number near it
    assert _one(number.CHECK, "في 5/12 قتل 15 شخصا.", "On December 15, 5 people were killed.")
    assert _one(
        number.CHECK, "في 5/12/2025 قتل 15 شخصا.", "On December 15, 2025, 5 people were killed."
    )
    # a count equal to the day does not take the day's place (the date is read first)
    for source, translation in (
        ("قتل 3 أشخاص في 3/10/2025.", "On October 3, 2025, three people were killed."),
        ("وقع في 5/12/2025، أي في عام 2025.", "It happened in 2025, on December 5, 2025."),
        ("اجتمع الوزراء بين 5 و7/12/2025.", "The ministers met between December 5 and 7, 2025."),
        ("اجتمعوا من 5 حتى 7/12/2025.", "They met from December 5 to 7, 2025."),
        ("ارتفعت حصيلة الشهداء إلى 34 ألفا و49 شهيدا.", "The death toll rose to 34,049."),
        (
            "بلغ عدد الشهداء 43 ألفا و391 منهم 17 ألف طفل.",
            "It reached 43,391, 17,000 of them children.",
        ),
    ):
        assert _one(number.CHECK, source, translation) == [], (source, translation)
    assert _one(number.CHECK, "قتل 12 شخصا يوم 5/12/2026.", "5 were killed on 12 December 2026.")
    assert _one(number.CHECK, "في 5/12/2025 قتل 12 شخصا.", "On December 12, 2025, 5 were killed.")
    # a count after the year is no day of the month: the count is not blamed
    found = _one(number.CHECK, "في 5/12/2025 قتل 12 شخصا.", "In December 2025, 12 people died.")
    assert found and not any("'12'" in f.message for f in found)
    # a changed month or a year left out is said as such, once
    (f,) = _one(
        number.CHECK, "وصل الوفد في 5/11/2025.", "The delegation arrived on December 5, 2025."
    )
    assert f.message == "The date '11' of the source is 'December' in the translation."
    (f,) = _one(number.CHECK, "وصل الوفد في 5/11/2025.", "The delegation arrived on November 5.")
    assert f.message == "The number '2025' of the source is not in the translation."
    # a count after و is no part of the number before it: 20 of them, 40%
    for source, translation in (
        ("أصيب 3 آلاف و20 منهم في حالة خطيرة.", "3,000 were injured, 20 of them seriously."),
        ("نزح 2 مليون و40% منهم أطفال.", "Two million were displaced, 40% of them children."),
        ("خصص ربع مليون دولار.", "He allocated a quarter of a million dollars."),
        ("نزح نصف مليون شخص.", "A half-million people were displaced."),
    ):
        assert _one(number.CHECK, source, translation) == [], (source, translation)
    # the words of a score say nothing alone: الهدف is also an aim
    assert _one(number.CHECK, "الهدف من الاجتماع واضح.", "The aim of the meeting is clear.") == []
    # a million and a half either way; a million is not one
    assert _one(number.CHECK, "نزح مليون ونصف شخص.", "A million and a half people fled.") == []
    (f,) = _one(number.CHECK, "نزح مليون شخص.", "A million and a half people fled.")
    assert f.kind == "extra"
    (f,) = _one(number.CHECK, "وقع الحادث في 5/12/2026.", "It happened yesterday.")
    assert f.kind == "missing" and "'5/12/2026'" in f.message  # one finding, not three
    (f,) = _one(number.CHECK, "بدأ في الساعة 20:00.", "It began at 9 p.m.")
    assert f.kind == "changed" and "'9'" in f.message
    (f,) = _one(number.CHECK, "بدأ في الساعة 20:00.", "It began at 8 a.m.")
    assert f.kind == "changed"
    (f,) = _one(number.CHECK, "في موسم 2024-2025.", "In the 2024-26 season.")
    assert f.kind == "changed" and "'2025' of the source is '26'" in f.message
    (f,) = _one(number.CHECK, "نزح نحو مليون ونصف شخص.", "About 2.5 million were displaced.")
    assert f.kind == "changed"


def test_a_month_or_day_the_source_does_not_name_is_said():
    """A month or weekday is no name for the name rules (مارس is also a verb), but one the
    source names nowhere stands where it said something else."""
    (f,) = _one(name.CHECK, "وصل الرئيس يوم الخميس.", "The president arrived on Friday.")
    assert (f.kind, f.message) == (
        "added", "The day 'Friday' of the translation is not named in the source."
    )  # fmt: skip
    (f,) = _one(
        name.CHECK, "زار شرطي فلبيني سابق مانيلا.", "A former October policeman visited Manila."
    )
    assert "The month 'October'" in f.message
    # a date word before it makes it a date, whatever capitalized word follows; أب is no آب
    for source, translation in (
        ("بدأت إسرائيل عملية في غزة.", "In October Israel launched an operation in Gaza."),
        ("قتل أب وأطفاله الثلاثة.", "A father and his three children were killed in August."),
    ):
        assert [f for f in _one(name.CHECK, source, translation) if "named in" in f.message]
    for source, translation in (
        ("أجرت المقابلة جون ألميدا.", "It was conducted by June Almeida."),
        ("قالت الراحلة جون كارتر كاش.", "The late June Carter Cash said."),
    ):
        assert not [f for f in _one(name.CHECK, source, translation) if "named in" in f.message]
    for source, translation in (
        ("وصل الرئيس يوم الخميس.", "The president arrived on Thursday."),
        ("وصل في 5/12/2026.", "He arrived on December 5, 2026."),
        ("وصل في كانون الأول.", "He arrived in December."),
        ("وصل في أيار.", "He said he May arrive."),  # May: also a verb
        ("غادر بعد يومين.", "October is a month."),  # a sentence's first word
        ("وقع الحادث في 5-12-2025.", "It happened on December 5, 2025."),
        ("صدر القرار بتاريخ 15/8/2025م.", "It was issued on August 15, 2025."),
        ("وقع الحادث في آب الماضي.", "The accident happened last August."),
        ("اندلعت حرب تشرين عام 1973.", "The war of October broke out in 1973."),
        ("وقع في 5 أوت 2025.", "It happened on August 5, 2025."),
        ("شارك الآلاف في مسيرات العودة الكبرى.", "Thousands joined the Great March of Return."),
        ("نشرت صحيفة صنداي تايمز التقرير.", "The report was published by the Sunday Times."),
        ("اجتمعوا في 5/12/2025 و7/12/2025.", "They met on December 5 and December 7, 2025."),
    ):
        assert not [f for f in _one(name.CHECK, source, translation) if "named in" in f.message]


def test_a_month_or_day_in_a_name_needs_it_in_the_source():
    """A month or day in a capitalized name is part of the name, not a date, but the name
    still needs it in the source: the month's word, or its letters. Where the source has
    neither, the month or day stands in another name's place."""
    for source, translation, word in (
        ("زار الوفد جزر القمر الأسبوع الماضي.",
         "The delegation visited the October Islands last week.", "October"),
        ("تسلق الفريق جبل فينسون.", "The team climbed the August Massif.", "August"),
        ("نشرت صحيفة الغارديان التقرير.", "The report ran in the Sunday Guardian.", "Sunday"),
    ):  # fmt: skip
        (f,) = _one(name.CHECK, source, translation)
        assert (f.kind, translation[slice(*f.tgt)]) == ("added", word)
    for source, translation in (
        ("اندلعت حرب أكتوبر عام 1973.", "The October War broke out in 1973."),
        ("اندلعت حرب رمضان عام 1973.", "The October War broke out in 1973."),
        ("احتفل المسيحيون بالجمعة العظيمة.", "Christians marked Good Friday."),
        ("نشرت صحيفة Sunday Times التقرير.", "The report ran in the Sunday Times."),
        ("أجرت المقابلة جون ألميدا.", "It was conducted by June Almeida."),
        ("شارك الآلاف في مسيرات العودة الكبرى.", "Thousands joined the Great March of Return."),
    ):
        assert not [f for f in _one(name.CHECK, source, translation) if "named in" in f.message]


def test_number_a_third_past_the_hour_is_twenty_minutes():
    (f,) = _one(number.CHECK, "الموعد في السادسة والثلث.", "The meeting is at six thirty.")
    assert f.kind == "extra" and "'thirty'" in f.message


def test_number_percent_and_hour_words_keep_their_values():
    (f,) = _one(number.CHECK, "خصم خمسة بالمائة.", "A discount of 500 percent.")
    assert f.kind == "changed" and "'خمسة بالمائة'" in f.message
    (f,) = _one(number.CHECK, "في الساعة التاسعة وثلاثين دقيقة.", "At nine forty.")
    assert f.kind == "changed" and "'وثلاثين'" in f.message


def test_number_a_minus_sign_lost_or_added_is_a_changed_value():
    source = "سجلت درجة الحرارة -5 درجات في موسكو."
    (f,) = _one(number.CHECK, source, "The temperature in Moscow was 5 degrees.")
    assert (f.kind, f.severity, source[slice(*f.src)]) == ("changed", "warning", "-5")
    assert "minus sign lost" in f.message
    translation = "The temperature in Moscow was −5 degrees."
    (f,) = _one(number.CHECK, "سجلت درجة الحرارة 5 درجات في موسكو.", translation)
    assert translation[slice(*f.tgt)] == "−5" and "minus sign added" in f.message
    # the sign said on both sides, or in words, and hyphens that are no sign: no finding
    minus = source
    for source, translation in (
        (minus, "The temperature in Moscow was -5C."),
        (minus, "The temperature in Moscow was minus 5 degrees."),
        (minus, "It was 5 degrees below zero in Moscow."),
        ("تراجع المؤشر بنسبة -2.5% أمس.", "The index fell 2.5% yesterday."),
        ("سجلت درجة الحرارة 5 درجات تحت الصفر.", "The temperature was -5 degrees."),
        ("فاز الفريق 3-2 في موسم 2020 -2021.", "The team won 3-2 in the 2020-2021 season."),
        ("حلقت الطائرة إف-16 فوق المدينة.", "The F-16 flew over the city."),
        ("عثر على الطبيب -29 عاماً- في منزله.", "The doctor, 29, was found at home."),
    ):
        assert _one(number.CHECK, source, translation) == [], translation
    # a minus after a conjunction is one: و-1
    (f,) = _one(number.CHECK, "سجلت 3 درجات ليلا و-1 صباحا.", "It was 3 at night and 1 at dawn.")
    assert "'-1'" in f.message


def test_number_with_an_arabic_comma_is_one_value():
    (f,) = _one(number.CHECK, "ارتفع المؤشر إلى ٣،٥ نقطة.", "The index rose to 4.5 points.")
    assert f.kind == "changed" and f.src == (17, 20)


@pytest.mark.parametrize("prefixed", ["بـ2020", "وَبِـ2020", "بِ2020", "لِـ2020"])
def test_a_number_after_a_vocalized_or_stretched_prefix_is_spanned_from_its_digits(prefixed):
    """The prefix's tatweel and vowel marks are not in the form the number is read from:
    the span starts at the digits in the text, not that many characters short of them."""
    source = f"وقع الهجوم {prefixed} كما قيل."
    (f,) = _one(number.CHECK, source, "The attack took place in 2021 as was said.")
    assert f.kind == "changed" and source[f.src[0] : f.src[1]] == "2020"
    assert "'2020'" in f.message


def test_a_number_run_into_a_word_is_spanned_from_its_digits_whatever_lies_among_them():
    source = "وقع الهجوم عام20\u200c20."
    (f,) = _one(number.CHECK, source, "The attack took place in 2021.")
    assert source[f.src[0] : f.src[1]] == "20\u200c20"


def test_an_abbreviated_month_is_compared_as_its_month():
    (f,) = _one(number.CHECK, "وصل يوم 5 يناير.", "He arrived on Feb. 5.")
    assert f.kind == "changed" and "'Feb'" in f.message


def test_number_vulgar_fraction_is_part_of_the_value():
    (f,) = _one(number.CHECK, "مقاسها 29¾ بوصة.", "It measures 39¾ inches.")
    assert f.kind == "changed" and "39¾" in f.message


def test_number_bad_input():
    huge = "9" * 500
    assert _one(number.CHECK, f"الرقم {huge}.", f"The number {huge}.") == []
    (f,) = _one(number.CHECK, f"الرقم {huge}.", f"The number {huge[:-1]}8.")
    assert f.kind == "changed"
    assert _one(number.CHECK, "ثلاثة", "") == []
    assert _one(number.CHECK, "", "three") == []
    assert isinstance(
        _one(number.CHECK, "12abc ٣٫ ,,, 1,2,3 :: ٬٬", "1.2.3.4 3,, 1st 2nd x9"), list
    )


# -- name ------------------------------------------------------------------------------


def _article(*pairs):
    segments = tuple(SegmentInput(k, s, t) for k, (s, t) in enumerate(pairs))
    return segments, ArticleInput(segments)


def test_name_changed_and_clean():
    segments, art = _article(
        ("وقع هجوم في موسكو.", "An attack took place in Moscow."),
        ("قال كيربي إن موسكو تعلم.", "Kirby said Paris knew."),
        ("قال كيربي إن موسكو تعلم.", "Kirby said Moscow knew."),
    )
    assert name.CHECK.check(segments[0], art) == []
    (f,) = name.CHECK.check(segments[1], art)
    assert (f.kind, f.severity) == ("changed", "error")
    assert segments[1].source[slice(*f.src)] == "موسكو"
    assert segments[1].translation[slice(*f.tgt)] == "Paris"
    assert name.CHECK.check(segments[2], art) == []


def test_name_check_leaves_a_runaway_line_alone():
    # Names are compared with every source word; past the words a line is aligned by, no
    # name findings (a line of thousands of names would take minutes), a sentence as ever
    changed = ("قال كيربي إن موسكو تعلم.", "Kirby said Paris knew.")
    filler = ("-".join(["بيت"] * 501), "-".join(["Home"] * 501))
    segments, art = _article(changed, (changed[0] + " " + filler[0], changed[1] + filler[1]))
    (f,) = name.CHECK.check(segments[0], art)
    assert segments[0].translation[slice(*f.tgt)] == "Paris"
    assert name.CHECK.check(segments[1], art) == []


def _linked(source: str, translation: str, pairs: dict[tuple[str, str], float]):
    """An alignment of two texts by word, linking the words named in ``pairs``."""
    src, tgt = word_tokens(source), word_tokens(translation)

    def at(tokens, text, word):
        return next(k for k, t in enumerate(tokens) if text[t.start : t.end] == word)

    links = tuple(
        Link(at(src, source, a), at(tgt, translation, e), conf) for (a, e), conf in pairs.items()
    )
    return PairAlignment(source, translation, Alignment(src, tgt, links, (), "fixed"))


def _linked_at(source: str, translation: str, pairs: dict):
    """``_linked`` where a source word is named with its occurrence: ((word, k), english)."""
    src, tgt = word_tokens(source), word_tokens(translation)

    def at(tokens, text, word, k=0):
        return [n for n, t in enumerate(tokens) if text[t.start : t.end] == word][k]

    links = tuple(
        Link(at(src, source, a, k), at(tgt, translation, e), c) for ((a, k), e), c in pairs.items()
    )
    return PairAlignment(source, translation, Alignment(src, tgt, links, (), "fixed"))


def _changed_warning(found, source, translation, arabic, english):
    """The one finding of ``found``: a changed warning from ``arabic`` (source) to
    ``english`` (translation)."""
    (f,) = found
    assert (f.kind, f.severity) == ("changed", "warning")
    assert source[slice(*f.src)] == arabic and translation[slice(*f.tgt)] == english
    return f


def _spelled(finding) -> bool:
    """Whether a name finding is the rule for names Arabic spells by their letters."""
    return "Arabic writes" in finding.message


@pytest.mark.parametrize(
    "place, translation, confidence, severity",
    [
        ("فرنسا", "The president visited Spain yesterday.", 1.0, "error"),  # France
        ("فرنسا", "The president visited France yesterday.", 1.0, None),  # as the source says
        # a weaker link: a warning, as long as the translation renders فرنسا nowhere
        ("فرنسا", "The president visited Spain yesterday.", 0.5, "warning"),
        # no dictionary entry: the translation should transliterate it
        ("مولدوفا", "The president visited Sweden yesterday.", 1.0, "warning"),
        ("مولدوفا", "The president visited Moldova yesterday.", 1.0, None),
        ("وبفرنسا", "The president visited Spain yesterday.", 1.0, "error"),  # و + ب + فرنسا
        ("اليابانية", "The president visited Tokyo yesterday.", 1.0, "warning"),  # a nisba
    ],
)
def test_name_linked_to_another_name_is_changed(place, translation, confidence, severity):
    source = f"زار الرئيس {place} أمس."
    name_word = translation.split()[3]
    alignment = _linked(
        source, translation, {("الرئيس", "president"): 1.0, (place, name_word): confidence}
    )
    found = _one(name.CHECK, source, translation, alignment)
    if severity is None:
        assert found == []
        return
    (f,) = found
    assert (f.kind, f.severity) == ("changed", severity)
    assert source[slice(*f.src)] == place and translation[slice(*f.tgt)] == name_word
    assert place in f.message
    if severity == "error":  # the name the dictionary gives
        assert "France" in f.message
    elif confidence < 1.0:  # the weaker link: the source word's glosses, not rendered
        assert "france" in f.message and "does not render" in f.message


@pytest.mark.parametrize("confidence", [1.0, 0.6])
def test_a_name_that_an_analysis_of_its_source_word_glosses_is_rendered(confidence, monkeypatch):
    # FreeDict knows الرامي only as "bowler, hurler"; Buckwalter's lexicon has "Sagittarius"
    # among its glosses: the name renders the word it stands for, and is no changed name.
    source = "تجذب مجرة درب التبانة مجرة الرامي."
    translation = "The Milky Way pulls the Sagittarius galaxy."
    pairs = {("مجرة", "galaxy"): 1.0, ("الرامي", "Sagittarius"): confidence}
    alignment = _linked(source, translation, pairs)
    assert "sagittarius" not in glosses("الرامي")
    assert "sagittarius" in checks_dictionary.analysed_glosses("الرامي")
    assert _one(name.CHECK, source, translation, alignment) == []
    # read by FreeDict's glosses alone, it is a name where the source has another word
    monkeypatch.setattr(name_rules, "analysed_glosses", lambda word: frozenset())
    (f,) = _one(name.CHECK, source, translation, alignment)
    assert (f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) == (
        "changed", "الرامي", "Sagittarius",
    )  # fmt: skip


def test_name_with_only_a_chance_link_is_added():
    # A link under WORD_LINK ties "Spain" to nothing: no source word explains it or stands
    # for it, so it is a name with no counterpart (and فرنسا is rendered nowhere).
    source = "زار الرئيس فرنسا أمس."
    translation = "The president visited Spain yesterday."
    pairs = {("الرئيس", "president"): 1.0, ("فرنسا", "Spain"): 0.3}
    (f,) = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert (f.kind, f.severity, f.src) == ("added", "warning", None)
    assert translation[slice(*f.tgt)] == "Spain"
    # A source word only loosely like the name (سبل, not close enough to explain "Spinoza",
    # which the dictionary does not spell) may be its counterpart: nothing.
    source, translation = "زار الرئيس سبل أمس.", "The president visited Spinoza yesterday."
    pairs = {("الرئيس", "president"): 1.0, ("سبل", "Spinoza"): 0.3}
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []
    # "Spain" the dictionary spells اسبانيا, which سبل is not: the source lacks it.
    translation = "The president visited Spain yesterday."
    pairs = {("الرئيس", "president"): 1.0, ("سبل", "Spain"): 0.3}
    found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [(f.kind, "'اسبانيا'" in f.message) for f in found] == [("added", True)]
    # At a sentence's start a capital says nothing to the rules above; a country is one
    # wherever it stands, and the source names none but France.
    source, translation = "زار الرئيس فرنسا أمس.", "Spain was visited by the president."
    pairs = {("الرئيس", "president"): 1.0, ("فرنسا", "Spain"): 0.3}
    found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [f.message for f in found] == [
        "The translation names 'Spain', a country no word of the source names."
    ]
    translation = "Gerhard was visited by the president."
    pairs = {("الرئيس", "president"): 1.0, ("فرنسا", "Gerhard"): 0.3}
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []


@pytest.mark.parametrize(
    "pairs",
    [
        # السكر is rendered by "sugar" (a gloss of it): its link to the name is the
        # aligner's guess beside it, and ties the name to nothing
        {("السكر", "Kwendolo"): 0.5, ("السكر", "sugar"): 1.0},
        {("السكر", "Kwendolo"): 1.0, ("السكر", "sugar"): 1.0},
        {("السكر", "Kwendolo"): 1.0},  # "sugar" unlinked, but a gloss all the same
    ],
)
@pytest.mark.parametrize("sugar", ["sugar", "sugar's"])  # (a possessive is the word too)
def test_name_linked_only_to_a_word_another_word_renders_is_added(pairs, sugar):
    source = "أضاف الطباخ السكر إلى الشاي."
    translation = f"The cook added Kwendolo {sugar} to the tea."
    pairs = {(a, sugar if e == "sugar" else e): c for (a, e), c in pairs.items()}
    pairs = {("الطباخ", "cook"): 1.0, ("الشاي", "tea"): 1.0, **pairs}
    found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [(f.kind, translation[slice(*f.tgt)]) for f in found] == [("added", "Kwendolo")]


@pytest.mark.parametrize("confidence, added", [(0.5, True), (0.75, False)])
def test_name_linked_far_more_weakly_than_its_source_words_rendering_is_added(confidence, added):
    # "zafaran" is no gloss of الزعفران (saffron): only the strengths tell the links apart.
    # A link under DOMINANCE of the word's strongest is a guess; one near it ties the name.
    source = "أضاف الطباخ الزعفران إلى الشاي."
    translation = "The cook added Kwendolo zafaran to the tea."
    pairs = {
        ("الطباخ", "cook"): 1.0,
        ("الشاي", "tea"): 1.0,
        ("الزعفران", "zafaran"): 1.0,
        ("الزعفران", "Kwendolo"): confidence,
    }
    found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [(f.kind, translation[slice(*f.tgt)]) for f in found] == (
        [("added", "Kwendolo")] if added else []
    )
    # its only link ties the name; a link past the translation's words is no stronger one
    pairs = {("الطباخ", "cook"): 1.0, ("الشاي", "tea"): 1.0, ("الزعفران", "Kwendolo"): 0.5}
    alignment = _linked(source, translation, pairs)
    assert _one(name.CHECK, source, translation, alignment) == []
    src, tgt = word_tokens(source), word_tokens(translation)
    stray = (*alignment.links, Link(2, len(tgt) + 5, 1.0))
    alignment = PairAlignment(source, translation, Alignment(src, tgt, stray, (), "fixed"))
    assert _one(name.CHECK, source, translation, alignment) == []


def test_name_a_common_word_explains_a_name_by_its_letters_only_when_closely_alike():
    # المحكمة (court, tribunal) is loosely like "Olympic" (lmhkm, lmpc): no transliteration,
    # so the name linked to الثلاثاء, which the translation renders nowhere, is a change.
    source = "أعلنت المحكمة النتائج يوم الثلاثاء."
    translation = "The court announced the results on Olympic."
    pairs = {("المحكمة", "court"): 1.0, ("النتائج", "results"): 1.0, ("الثلاثاء", "Olympic"): 0.5}
    found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in found] == [
        ("changed", "الثلاثاء", "Olympic")
    ]
    assert not name_spelling._explains("المحكمة", glosses("المحكمة"), "Olympic")
    # Given names that are common words transliterate closely, and explain the name.
    for arabic, english in (("كريم", "Karim"), ("ياسمين", "Yasmin"), ("سعيد", "Said")):
        assert glosses(arabic) and name_spelling._explains(arabic, glosses(arabic), english)


def test_name_only_loosely_like_a_word_the_dictionary_names_otherwise_is_a_change():
    # الصين is glossed china, a name it transliterates; "Medecines" is only loosely like
    # its letters (mdkns, sn) and nothing like "china" (kn): another name, not a variant
    # spelling, standing where the source has the word the translation renders nowhere.
    source = "جاء المفهوم من الصين حيث كانت أزهار البرقوق هي الأكثر رواجا."
    translation = "The concept came from Medecines where plum blossoms were the flower of choice."
    pairs = {
        ("المفهوم", "concept"): 1.0,
        ("الصين", "Medecines"): 1.0,
        ("أزهار", "blossoms"): 1.0,
        ("البرقوق", "plum"): 1.0,
    }
    found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in found] == [
        ("changed", "الصين", "Medecines")
    ]
    assert name_spelling._alike("الصين", "Medecines")
    assert name_rules._named_otherwise("الصين", glosses("الصين"), "Medecines")
    # a variant spelling of the word's own name is alike to it: no other name
    assert not name_rules._named_otherwise("موسكو", {"moscow"}, "Moskva")


@pytest.mark.parametrize("word, added", [("Moroccan", True), ("African", False), ("Africa", False)])
def test_name_only_loosely_like_a_source_name_is_another_name(word, added):
    # أفريقيا is glossed africa: "Moroccan", only loosely like its letters, is not it
    source = "يسافر الناس لمشاهدة الحياة البرية المذهلة في أفريقيا."
    translation = f"People travel to view the stunning {word} wildlife."
    pairs = {
        ("الناس", "People"): 1.0,
        ("المذهلة", "stunning"): 1.0,
        ("المذهلة", word): 0.5,
        ("الحياة", "wildlife"): 1.0,
    }
    found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [(f.kind, translation[slice(*f.tgt)]) for f in found] == (
        [("added", word)] if added else []
    )


def test_titles_and_interjections_are_no_names():
    # Mr linked to مستر (its transliteration, not a name's) and Oh linked to بيل (Bill, as
    # the translation has it): neither is a name that could stand for another.
    source, translation = "هل مستر برون هناك؟", "Is Mr. Brown there?"
    pairs = {("مستر", "Mr"): 1.0, ("برون", "Brown"): 1.0}
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []
    source, translation = "بيل احبك، هذا كل شيء.", "Oh, Bill. I like you, but that's all."
    pairs = {("بيل", "Oh"): 1.0, ("احبك", "like"): 1.0}
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []


def test_name_link_rule_keeps_to_names_and_to_one_finding():
    # بيت is glossed "bett" too, but it is the common word "house": no name of its own.
    source, translation = "زار الرئيس بيت لحم أمس.", "The president visited Bethlehem yesterday."
    alignment = _linked(source, translation, {("بيت", "Bethlehem"): 1.0, ("لحم", "Bethlehem"): 1.0})
    assert _one(name.CHECK, source, translation, alignment) == []
    # two wrong names linked to one source name: one finding on that name
    source, translation = "زار الرئيس فرنسا أمس.", "The president visited Spain and Italy."
    alignment = _linked(source, translation, {("فرنسا", "Spain"): 1.0, ("فرنسا", "Italy"): 1.0})
    found = _one(name.CHECK, source, translation, alignment)
    (f,) = [f for f in found if not _spelled(f)]
    assert source[slice(*f.src)] == "فرنسا"
    # (the other name, which Arabic spells ايطاليا, is one the source lacks)
    assert [translation[slice(*f.tgt)] for f in found if _spelled(f)] == ["Italy"]
    # a link past the source's words, or with no number for a confidence: no evidence
    translation = "The president visited Spain yesterday."
    src, tgt = word_tokens(source), word_tokens(translation)
    for link in (Link(len(src) + 5, 3, 1.0), Link(-3, 3, 1.0), Link(2, 3, float("nan"))):
        bad = PairAlignment(source, translation, Alignment(src, tgt, (link,), (), "fixed"))
        assert [f.kind for f in _one(name.CHECK, source, translation, bad)] in ([], ["added"])


@pytest.mark.parametrize(
    "source, arabic, translation, english",
    [
        ("وكان جمال عبد الناصر رئيسا لمصر.", "عبد", "Gamal Abdel Nasser was president of Egypt.",
         "Abdel"),
        ("وقال الرئيس عبد المجيد تبون إنه لن يتدخل.", "عبد",
         "President Abdelmadjid Tebboune said he would not intervene.", "Abdelmadjid"),
        ("وعقد الاجتماع في رام الله.", "رام", "The meeting was held in Ramallah.", "Ramallah"),
        ("وقال مسؤول في حزب الله إنه لن يرد.", "الله", "A Hezbollah official said he would not"
         " respond.", "Hezbollah"),
    ],
)  # fmt: skip
def test_a_name_that_writes_two_arabic_words_as_one_is_no_changed_name(
    source, arabic, translation, english
):
    """عبد (serf) linked to "Abdel": the name renders عبد الناصر, the word with the next."""
    alignment = _linked(source, translation, {(arabic, english): 1.0})
    assert [
        f for f in _one(name.CHECK, source, translation, alignment) if f.kind == "changed"
    ] == []
    # another name beside it that the pair is like does not excuse a name of other letters
    swapped = translation.replace(english, "Khandelwal")
    alignment = _linked(source, swapped, {(arabic, "Khandelwal"): 1.0})
    kinds = [f.kind for f in _one(name.CHECK, source, swapped, alignment)]
    assert kinds and set(kinds) <= {"changed", "added"}


@pytest.mark.parametrize(
    "source, name_word",
    [
        ("وقال الملك عبد العزيز إنه لن يتدخل.", "Abdullah"),
        ("وقال الملك عبد الله إنه لن يتدخل.", "Abdulaziz"),
    ],
)
def test_a_name_only_loosely_like_a_two_word_name_is_still_changed(source, name_word):
    """Abdullah for عبد العزيز is another king: the pair excuses only a name this close."""
    text = f"King {name_word} said he would not intervene."
    found = _one(name.CHECK, source, text, _linked(source, text, {("عبد", name_word): 1.0}))
    assert [f.kind for f in found] == ["changed"]


@pytest.mark.parametrize(
    "translation, name_word, found",
    [
        # الثلاثاء (Tuesday) is rendered nowhere, and a name stands where it is
        ("The committee announced the results on Olympic.", "Olympic", True),
        ("The committee announced the results on Tuesday.", "Tuesday", False),
        ("The committee announced the Olympic results on Tuesday.", "Olympic", False),
        # a sentence's first word is capitalized whatever it is
        ("Olympic results were announced by the committee.", "Olympic", False),
        # one word of a foreign name of several unexplained words
        ("The committee announced the results on Olympic Zorbanian.", "Olympic", False),
        # after a dash or a guillemet a word is capitalized whatever it is
        ("The committee announced the results - Olympic ones.", "Olympic", False),
        ("The committee announced the results «Olympic» today.", "Olympic", False),
    ],
)
def test_name_linked_to_a_word_the_translation_does_not_render(translation, name_word, found):
    source = "أعلنت اللجنة النتائج يوم الثلاثاء."
    alignment = _linked(
        source,
        translation,
        {("اللجنة", "committee"): 1.0, ("النتائج", "results"): 1.0, ("الثلاثاء", name_word): 0.5},
    )
    findings = _one(name.CHECK, source, translation, alignment)
    if not found:  # (Zorbanian, linked to nothing, is an added name of its own)
        mine = [f for f in findings if f.tgt and translation[slice(*f.tgt)] == name_word]
        # "Olympic" beside "Tuesday" (الثلاثاء rendered): linked by chance, and a name
        # Arabic spells (اوليمبي) that the source lacks, so an added name, not a changed one
        assert [(f.kind, _spelled(f)) for f in mine] in ([], [("added", True)])
        return
    f = _changed_warning(findings, source, translation, "الثلاثاء", name_word)
    assert "الثلاثاء" in f.message and "tuesday" in f.message


@pytest.mark.parametrize(
    "translation, word, found",
    [
        # روسيا (russia) is rendered nowhere, and the alignment puts a capitalized word there:
        # a word English capitalizes in names, not a name by itself
        ("The attack was claimed by State on Friday.", "State", True),
        ("The attack was claimed by Council on Friday.", "Council", True),
        # the translation has the name: nothing changed
        ("The attack was claimed by Russia's State on Friday.", "State", False),
        # a lower-case word, a sentence's first word, an acronym, a number word
        ("The attack was claimed by officials on Friday.", "officials", False),
        ("State officials claimed the attack on Friday.", "State", False),
        ("The attack was claimed by US officials on Friday.", "US", False),
        ("The attack was claimed by Three on Friday.", "Three", False),
    ],
)
def test_a_source_name_linked_to_a_capitalized_word_is_a_changed_name(translation, word, found):
    source = "أعلنت روسيا مسؤوليتها عن الهجوم يوم الجمعة."
    alignment = _linked(source, translation, {("روسيا", word): 0.5, ("الهجوم", "attack"): 1.0})
    findings = [f for f in _one(name.CHECK, source, translation, alignment) if f.tgt]
    mine = [f for f in findings if translation[slice(*f.tgt)] == word]
    if not found:
        assert mine == []
        return
    (f,) = mine
    assert (f.kind, f.severity, source[slice(*f.src)]) == ("changed", "warning", "روسيا")
    assert "Russia" in f.message and repr(word) in f.message
    # a weaker link than WORD_LINK ties nothing: only the last resort, one name lost and
    # one capitalized word no source word explains, reports the word then
    weak = _linked(source, translation, {("روسيا", word): 0.4, ("الهجوم", "attack"): 1.0})
    unlinked = [f for f in _one(name.CHECK, source, translation, weak) if f.tgt == mine[0].tgt]
    assert ["no source word explains" in f.message for f in unlinked] == [True]


def _capitalized_article(translation: str, links: dict, named: bool = True):
    """An article of a pair that names الولايات المتحدة ("the United States", linked when
    ``named``), one that says "President" for الرئيس, and the pair under test."""
    named_pair = ("أعلنت الولايات المتحدة الحرب.", "Then the United States declared war.")
    president = ("التقى الرئيس بايدن الوفد.", "The delegation met President Biden.")
    source = "تجاهلت الولايات المتحدة التحذير."
    pairs = [named_pair, president, (source, translation)]
    alignments = [
        _linked(*named_pair, {("الولايات", "States"): 1.0, ("المتحدة", "United"): 1.0})
        if named
        else None,
        _linked(*president, {("الرئيس", "President"): 1.0}),
        _linked(source, translation, links),
    ]
    segments = tuple(
        SegmentInput(k, s, t, a)
        for k, ((s, t), a) in enumerate(zip(pairs, alignments, strict=True))
    )
    return segments[2], ArticleInput(segments)


@pytest.mark.parametrize(
    "translation, links, named, found",
    [
        # "President" in the run of "States", beside whose source word المتحدة stands, which
        # the translation renders nowhere and another pair names: changed, linked or not
        ("The President States ignored the warning.", {("الولايات", "States"): 1.0}, True, True),
        (
            "The President States ignored the warning.",
            {("الولايات", "States"): 1.0, ("المتحدة", "President"): 0.5},
            True,
            True,
        ),
        # "United" said twice for one المتحدة, but linked to a word the translation renders
        # ("warning"): no source word is lost
        (
            "The United States ignored the United warning.",
            {("الولايات", "States"): 1.0, ("المتحدة", "United"): 1.0, ("التحذير", "United"): 0.5},
            True,
            False,
        ),
        # the clean pair; no pair of the article names المتحدة (a rendering the dictionary
        # may lack); a word the article explains nowhere ("Service")
        ("The United States ignored the warning.", {("الولايات", "States"): 1.0}, True, False),
        ("The President States ignored the warning.", {("الولايات", "States"): 1.0}, False, False),
        ("The Service States ignored the warning.", {("الولايات", "States"): 1.0}, True, False),
    ],
)
def test_a_capitalized_word_standing_for_a_lost_word_of_a_name_is_changed(
    translation, links, named, found
):
    segment, art = _capitalized_article(translation, links, named)
    findings = [f for f in name.CHECK.check(segment, art) if "stands where" in f.message]
    if not found:
        assert findings == []
        return
    _changed_warning(findings, segment.source, translation, "المتحدة", "President")


_US_LINKS = {("الولايات", "States"): 1.0, ("المتحدة", "United"): 1.0}


def _named_twice(source: str, translation: str, links: dict, others: int = 2):
    """An article of ``others`` pairs that write الولايات المتحدة "United States" and
    الرئيس "President", and the pair under test."""
    pairs = [
        (
            "قال الرئيس إن الولايات المتحدة ستنتصر.",
            "Then the President said the United States would win.",
        ),
        ("حذر الرئيس الولايات المتحدة.", "Then the President warned the United States."),
    ][:others]
    pair_links = {**_US_LINKS, ("الرئيس", "President"): 1.0}
    return _after([(s, t, pair_links) for s, t in pairs], source, translation, links)


def _after(pairs: list[tuple[str, str, dict]], source: str, translation: str, links: dict):
    """The pair under test (its segment) and an article of ``pairs`` (source, translation,
    links) and it, in that order."""
    segments = [SegmentInput(k, s, t, _linked(s, t, x)) for k, (s, t, x) in enumerate(pairs)]
    segment = SegmentInput(len(pairs), source, translation, _linked(source, translation, links))
    return segment, ArticleInput((*segments, segment))


@pytest.mark.parametrize(
    "translation, links, word",
    [
        # one word of the name another, which no source word renders; the usual word
        # inflected otherwise
        ("Then the United Council ignored the warning.", {("المتحدة", "United"): 1.0}, "Council"),
        ("Then the United State ignored the warning.", {("المتحدة", "United"): 1.0}, "State"),
        # and no finding: the name as the article writes it
        ("Then the United States ignored the warning.", _US_LINKS, None),
        # the alignment ties the name to no source word of it: only the new word is linked
        ("Then the United State ignored the warning.", {("الولايات", "State"): 1.0}, None),
    ],
)
def test_a_name_the_article_writes_otherwise_is_a_changed_name(translation, links, word):
    source = "تجاهلت الولايات المتحدة التحذير."
    segment, art = _named_twice(source, translation, links)
    found = [f for f in name.CHECK.check(segment, art) if "other translations" in f.message]
    if word is None:
        assert found == []
        return
    f = _changed_warning(found, source, translation, "الولايات المتحدة", word)
    assert "'United States'" in f.message and f"'United {word}'" in f.message
    # one pair that writes it so is not yet the article's way of writing it
    segment, art = _named_twice(source, translation, links, others=1)
    assert [f for f in name.CHECK.check(segment, art) if "other translations" in f.message] == []


def test_a_word_of_the_source_may_render_the_other_name_and_one_word_is_a_name_too():
    # "Nations" renders الأمم: the United Nations is not the United States changed
    source = "تجاهلت الولايات المتحدة والأمم التحذير."
    translation = "Then the United Nations ignored the warning."
    segment, art = _named_twice(source, translation, {("المتحدة", "United"): 1.0})
    assert [f for f in name.CHECK.check(segment, art) if "other translations" in f.message] == []
    # a name of one word: الرئيس, "President" in the other pairs, linked to "Senator" here
    source = "التقى الرئيس الوفد."
    translation = "Then the Senator met the delegation."
    for linked, found in ((("الرئيس", "Senator"), 1), (("الوفد", "Senator"), 0)):
        segment, art = _named_twice(source, translation, {linked: 1.0})
        mine = [f for f in name.CHECK.check(segment, art) if "other translations" in f.message]
        assert len(mine) == found
        if found:
            _changed_warning(mine, source, translation, "الرئيس", "Senator")


def test_a_name_written_out_or_opening_a_sentence_is_no_other_writing_of_it():
    # the article writes الفيدرالي "Fed"; "Federal Reserve" writes it out in two words
    pairs = [
        ("رفع الفيدرالي الفائدة.", "Then the Fed raised rates."),
        ("أبقى الفيدرالي الفائدة.", "Then the Fed held rates."),
    ]
    source, translation = "خفض الفيدرالي الفائدة.", "Then the Federal Reserve cut rates."
    links = {("الفيدرالي", "Fed"): 1.0}
    segments = [SegmentInput(k, s, t, _linked(s, t, links)) for k, (s, t) in enumerate(pairs)]
    for linked in ("Federal", "Reserve"):
        alignment = _linked(source, translation, {("الفيدرالي", linked): 1.0})
        segment = SegmentInput(2, source, translation, alignment)
        found = name.CHECK.check(segment, ArticleInput((*segments, segment)))
        assert [f for f in found if "other translations" in f.message] == []
    # a sentence's first word is no word of the name: "The Security Council" opening the
    # other pairs is "Security Council", which "the UN Security Council" holds
    council = {("مجلس", "Council"): 1.0, ("الأمن", "Security"): 1.0}
    pairs = [
        ("اجتمع مجلس الأمن أمس.", "The Security Council met yesterday."),
        ("صوت مجلس الأمن أمس.", "The Security Council voted yesterday."),
    ]
    segments = [SegmentInput(k, s, t, _linked(s, t, council)) for k, (s, t) in enumerate(pairs)]
    source, translation = "دعا مجلس الأمن أمس.", "Then the UN Security Council called yesterday."
    segment = SegmentInput(2, source, translation, _linked(source, translation, council))
    found = name.CHECK.check(segment, ArticleInput((*segments, segment)))
    assert [f for f in found if "other translations" in f.message] == []
    assert name_article._article_renderings(ArticleInput((*segments, segment)))[0] == {
        (_dictionary_forms("مجلس"), _dictionary_forms("الأمن")): {
            ("Security", "Council"): {0, 1},
            ("UN", "Security", "Council"): {2},
        }
    }


def test_a_chance_link_beside_a_name_does_not_split_the_articles_writings_of_it():
    # the second pair's "United States" is linked to الحرب as well, by chance: it is still a
    # writing of الولايات المتحدة, the second of two, and "United State" is another
    chance = {**_US_LINKS, ("الحرب", "United"): 0.6}
    source, translation = "تجاهلت الولايات المتحدة التحذير.", "Then the United State ignored it."
    links = {("المتحدة", "United"): 1.0}
    for second in (_US_LINKS, chance):
        pairs = [
            ("قال الرئيس إن الولايات المتحدة ستنتصر.", "The President said the United States won."),
            ("أعلنت الولايات المتحدة الحرب.", "Then the United States declared war."),
        ]
        segments = [
            SegmentInput(k, s, t, _linked(s, t, second if k == 1 else _US_LINKS))
            for k, (s, t) in enumerate(pairs)
        ]
        segment = SegmentInput(2, source, translation, _linked(source, translation, links))
        found = name.CHECK.check(segment, ArticleInput((*segments, segment)))
        found = [f for f in found if "other translations" in f.message]
        _changed_warning(found, source, translation, "الولايات المتحدة", "State")


def _writings(pairs: list[tuple[str, str, dict]], source, translation, links):
    """The rule's findings on the pair under test, after ``pairs`` (source, translation,
    links)."""
    segment, article = _after(pairs, source, translation, links)
    return [f for f in name.CHECK.check(segment, article) if "other translations" in f.message]


def test_a_writing_the_article_has_or_the_translation_has_too_is_no_changed_name():
    us = ("أعلنت الولايات المتحدة الحرب.", "Then the United States declared war.", _US_LINKS)
    other = (
        "حذرت الولايات المتحدة روسيا.",
        "Then the United Council warned Russia.",
        {("الولايات", "Council"): 1.0, ("المتحدة", "United"): 1.0},
    )
    source = "تجاهلت الولايات المتحدة التحذير."
    united = {("المتحدة", "United"): 1.0}
    council = "Then the United Council ignored the warning."
    assert len(_writings([us, us], source, council, united)) == 1
    # another pair writes it so too, if less often
    assert _writings([us, us, other], source, council, united) == []
    # the translation writes the usual way as well; a writing in other capitals
    both = "Then the United Council and the United States ignored it."
    assert _writings([us, us], source, both, united) == []
    capitals = "Then the UNITED States ignored the warning."
    upper = {("المتحدة", "UNITED"): 1.0, ("الولايات", "States"): 1.0}
    assert _writings([us, us], source, capitals, upper) == []
    # a pair whose two words are each linked to both source words writes the same name
    many = {**_US_LINKS, ("الولايات", "United"): 1.0, ("المتحدة", "States"): 1.0}
    tangled = (*us[:2], many)
    assert len(_writings([us, tangled], source, council, united)) == 1


def test_correct_writings_stay_quiet_where_two_pairs_write_a_word_of_the_name_otherwise():
    # four pairs write "United States" for الولايات المتحدة; two write "United State",
    # linked to المتحدة alone: a key of one word whose writing the correct pairs have too
    us = ("أعلنت الولايات المتحدة الحرب.", "Then the United States declared war.", _US_LINKS)
    state = ("حذرت الولايات المتحدة روسيا.", "Then the United State warned Russia.")
    state = (*state, {("المتحدة", "United"): 1.0})
    pairs = [us, us, state, us, state]
    source, translation = us[0], us[1]
    assert _writings(pairs, source, translation, _US_LINKS) == []


def test_a_name_said_twice_is_read_at_the_place_the_alignment_ties_to_it():
    pairs = [
        ("قال الرئيس إن الحرب انتهت.", "Then the President said the war ended.", {}),
        ("حذر الرئيس الجميع.", "Then the President warned everyone.", {}),
    ]
    pairs = [(s, t, {("الرئيس", "President"): 1.0}) for s, t, _ in pairs]
    source = "التقى الرئيس الوفد ثم غادر الرئيس."
    translation = "Then the delegation met, then the Senator left."
    for k in (0, 1):
        alignment = _linked_at(source, translation, {(("الرئيس", k), "Senator"): 1.0})
        segments = [SegmentInput(i, s, t, _linked(s, t, x)) for i, (s, t, x) in enumerate(pairs)]
        segment = SegmentInput(2, source, translation, alignment)
        found = name.CHECK.check(segment, ArticleInput((*segments, segment)))
        (f,) = [f for f in found if "other translations" in f.message]
        held = [m.start() for m in re.finditer("الرئيس", source)][k]
        assert f.src == (held, held + len("الرئيس"))


def test_the_capitalized_word_rule_reads_possessives_and_only_the_translations_own_words():
    source = "أعلنت روسيا مسؤوليتها عن الهجوم يوم الجمعة."
    translation = "The attack was claimed by State's forces on Friday."
    alignment = _linked(source, translation, {("روسيا", "State's"): 0.5})
    (f,) = [f for f in _one(name.CHECK, source, translation, alignment) if f.tgt]
    assert translation[slice(*f.tgt)] == "State's" and "'State'" in f.message
    # An alignment made for another translation: its word spans are no words of this one,
    # so they say nothing (and no piece of a word is reported).
    other = "The attack was claimed by State on Friday."
    alignment = _linked(source, other, {("روسيا", "State"): 0.5})
    translation = "The attack was claimed by Councillors on Friday."
    found = _one(name.CHECK, source, translation, alignment)
    assert [f for f in found if f.tgt and translation[slice(*f.tgt)] == "Counc"] == []


@pytest.mark.parametrize(
    "text",
    ["", "State", "a. State", 'said "State', "x - State", "x-State", "(\u00a0State", "a b State"],
)
def test_a_word_at_an_opening_is_read_back_over_spaces_only(text):
    start = text.rindex("State") if "State" in text else 0
    opening = re.compile(r"(?:^|[.!?:;\"“‘«(\[—–•]|\s-)\s*$")
    assert name_spelling._at_opening(text, start) == bool(opening.search(text[:start]))


def test_name_linked_to_an_unrendered_word_keeps_to_one_word_and_one_finding():
    source = "أعلنت اللجنة النتائج يوم الثلاثاء."
    translation = "The committee announced the results to Olympic and Spartan."
    both = {("الثلاثاء", "Olympic"): 0.5, ("الثلاثاء", "Spartan"): 0.5}
    found = _one(name.CHECK, source, translation, _linked(source, translation, both))
    (f,) = [f for f in found if not _spelled(f)]
    assert source[slice(*f.src)] == "الثلاثاء"  # one finding a source word
    # linked to two content words: a phrase they make together, not one word replaced
    phrase = {("الثلاثاء", "Olympic"): 0.5, ("النتائج", "Olympic"): 0.5}
    said = "The committee announced to Olympic and Spartan."
    found = _one(name.CHECK, source, said, _linked(source, said, phrase))
    # Spartan, linked to nothing (Olympic: a name Arabic spells and the source lacks)
    assert [f.kind for f in found if not _spelled(f)] == ["added"]
    # but where "results" renders النتائج, Olympic renders no phrase: it stands where
    # الثلاثاء was
    found = _one(name.CHECK, source, translation, _linked(source, translation, phrase))
    assert [
        (f.kind, source[slice(*f.src)]) for f in found if not _spelled(f) and f.kind == "changed"
    ] == [("changed", "الثلاثاء")]
    # a function word beside it does not make a phrase
    source = "أعلنت اللجنة النتائج في الثلاثاء."
    translation = "The committee announced the results to Olympic."
    beside = {("الثلاثاء", "Olympic"): 0.5, ("في", "Olympic"): 0.5}
    (f,) = _one(name.CHECK, source, translation, _linked(source, translation, beside))
    assert source[slice(*f.src)] == "الثلاثاء"


@pytest.mark.parametrize(
    "source, word, translation, name_word",
    [
        # a gloss inside the name: شمال is "north"
        ("زار الوفد شمال البلاد.", "شمال", "The delegation visited the Northern part.", "Northern"),
        # the whole run of capitalized words transliterates the word
        ("زار الوفد نيويورك أمس.", "نيويورك", "The delegation visited New York yesterday.", "York"),
    ],
)
def test_name_linked_to_a_word_it_renders_is_no_finding(source, word, translation, name_word):
    alignment = _linked(source, translation, {(word, name_word): 0.5})
    found = _one(name.CHECK, source, translation, alignment)
    assert [f for f in found if f.tgt and translation[slice(*f.tgt)] == name_word] == []


def test_name_linked_to_a_word_it_transliterates_by_a_short_skeleton():
    # بابا is glossed "pope", but "Baba" is its transliteration: skeletons of one letter
    # are too short for a similarity ratio and are compared whole.
    source, translation = "قال بابا إن الاجتماع انتهى.", "The man Baba said the meeting ended."
    alignment = _linked(source, translation, {("بابا", "Baba"): 0.5})
    assert _one(name.CHECK, source, translation, alignment) == []


@pytest.mark.parametrize(
    "arabic, english",
    [
        ("ألونسو", "Alonso"),  # the alif-lam is part of the name
        ("ساشين", "Sachin"),  # ch as ش
        ("لوش", "Loesch"),  # sch as ش
        ("وبرايس", "Pryce"),  # soft c, after the conjunction
        ("كاتيا", "Katja"),  # j as ي
        ("فرساي", "Versailles"),  # silent final consonant
        ("والروسية", "Russian"),  # nisba endings, after wa+al
    ],
)
def test_name_transliterations_explain_the_name(arabic, english):
    assert name_spelling._similar(arabic, english)


@pytest.mark.parametrize(
    "arabic, english", [("واشنطن", "London"), ("موسكو", "Paris"), ("ساشين", "Chaco")]
)
def test_name_transliterations_keep_other_names_apart(arabic, english):
    assert not name_spelling._similar(arabic, english)


def test_name_bad_input():
    segments, art = _article(("موسكو", ""), ("", "Moscow"), ("موسكو Moscow", "Moscow موسكو"))
    for s in segments:
        assert isinstance(name.CHECK.check(s, art), list)


# -- untranslated ------------------------------------------------------------------------


def test_untranslated():
    text = "The attack in موسكو الروسية was claimed by ISIS."
    (f,) = _one(untranslated.CHECK, "هجوم موسكو داعش ISIS", text)
    assert (f.kind, f.severity) == ("untranslated", "error")
    assert text[slice(*f.tgt)] == "موسكو الروسية"
    assert _one(untranslated.CHECK, "تنظيم داعش ISIS", "Islamic State (ISIS)") == []
    (f,) = _one(untranslated.CHECK, "٣ أشخاص", "٣ people")
    assert f.severity == "warning"
    assert _one(untranslated.CHECK, "نص", "") == []


# -- repetition --------------------------------------------------------------------------


def test_repetition():
    text = "He said that the attack the attack the attack the attack was over."
    (f,) = _one(repetition.CHECK, "قال إن الهجوم انتهى.", text)
    assert f.kind == "repeated"
    assert text[slice(*f.tgt)] == "the attack the attack the attack the attack"
    for fine in ("It was very very cold.", "They worked step by step.", "No, no, no!", ""):
        assert _one(repetition.CHECK, "نص", fine) == []
    loop = " ".join(["the state of the union and"] * 2 + ["of the union and the state"] * 2)
    found = _one(repetition.CHECK, "حالة الاتحاد", loop)
    assert found and found[0].check == "repetition"


def test_an_enumeration_is_no_repetition_when_the_source_repeats_its_word():
    """English repeats a phrase ("the Minister of") where Arabic repeats a word (وزير …
    ووزير … ووزير); a loop scattered over a sentence of another source is still one."""
    source = "والتقى وزير الخارجية ووزير الدفاع ووزير الداخلية."
    text = (
        "He met the Minister of Foreign Affairs, the Minister of Defense and the Minister "
        "of the Interior."
    )
    assert _one(repetition.CHECK, source, text) == []
    (f,) = _one(repetition.CHECK, "والتقى بالوزير في الخارجية.", text)
    assert f.kind == "repeated" and f.severity == "warning"
    # a function word said as often (على three times) excuses no loop
    source = "قال الرئيس إن الحكومة ستعمل على خفض الأسعار وعلى دعم الفقراء وستعمل على تحسين التعليم"
    loop = " ".join(["the president said that the government will work to"] * 3) + " improve it"
    (f,) = _one(repetition.CHECK, source, loop)
    assert f.kind == "repeated"


def test_repetition_of_a_one_word_sentence():
    # A word that ends a sentence three times over is a loop; three times with commas is
    # prose, and so are two sentences ending alike.
    text = "The tickets were sold out. out. out."
    (f,) = _one(repetition.CHECK, "نفدت التذاكر.", text)
    assert text[slice(*f.tgt)] == "out. out. out" and "3 times" in f.message
    (f,) = _one(repetition.CHECK, "هل تخبرني بالوقت؟", "Can you tell me the time? time? time?")
    assert f.kind == "repeated"
    for fine in (
        "No, no, no, not again.",
        "It was over. over. And then it began.",
        "No... no... no, I cannot.",  # an ellipsis ends no sentence
        "Get out. out. out of my house.",  # the last copy ends none
    ):
        assert _one(repetition.CHECK, "نص", fine) == []
    # The source says it three times too: a faithful translation.
    assert _one(repetition.CHECK, "اذهب! اذهب! اذهب!", "Go! Go! Go!") == []


def test_a_phrase_the_source_repeats_as_often_is_no_loop():
    """A chant the article quotes three times, translated three times, was an error."""
    chant = "هتفوا: الله أكبر، الله أكبر، الله أكبر."
    assert _one(repetition.CHECK, chant, "They chanted: God is great, God is great, God "
                "is great.") == []  # fmt: skip
    thanks = "قال: شكرا شكرا شكرا على الاستقبال."
    assert _one(repetition.CHECK, thanks, "He said: thank you thank you thank you for the "
                "welcome.") == []  # fmt: skip
    # more copies than the source has are still a loop
    (f,) = _one(repetition.CHECK, chant, "They chanted: God is great, " * 5)
    assert f.kind == "repeated" and "5 times" in f.message
    # a quote the translation moves (Arabic news opens with it, English ends with it)
    moved = "«الله أكبر، الله أكبر، الله أكبر»، هكذا هتف آلاف المصلين في الجامع الأموي."
    assert _one(repetition.CHECK, moved, 'Thousands of worshippers at the Umayyad Mosque '
                'chanted: "God is great, God is great, God is great."') == []  # fmt: skip
    # numbered items are no word said again: a loop beside them is still one
    (f,) = _one(repetition.CHECK, "الجولة 1، الجولة 2، الجولة 3، الجولة 4، الجولة 5 انتهت.",
                "Round 1, round 2, round 3, round 4, round 5 ended, ended, ended, ended, "
                "ended.")  # fmt: skip
    assert "'ended' 5 times" in f.message
    # copies vocalized or spelled apart are one phrase said again
    for said in ("«اللهُ أكبرُ، الله أكبر، الله أكبر»", "«الله اكبر، الله أكبرْ، اللـه أكبر»"):
        assert _one(repetition.CHECK, f"{said} هتف المصلون.", 'The worshippers chanted: '
                    '"God is great, God is great, God is great."') == []  # fmt: skip
    # a number with thousands separators is one word, not "000" said three times (nor
    # when the separator is an Arabic comma, at which the words are cut)
    for amount in ("1,000,000,000", "1،000،000،000"):
        (f,) = _one(repetition.CHECK, f"خصصت الحكومة {amount} دولار للمشروع.",
                    "The government allotted 1,000,000,000 dollars to the minister of the "
                    "minister of the minister of the project.")  # fmt: skip
        assert "'the minister of' 3 times" in f.message
    # a number the source says again, apart by spaces or by a comma and a space, in either
    # script, is translated as often: no loop (it was read as one number of many digits)
    for said, english in (
        ("رقم الطوارئ هو 11 11 11 11 في البلاد.", "The emergency number is 11 11 11 11 in "
         "the country."),
        ("كتب الطفل الرقم 7، 7، 7، 7، 7 على السبورة.", "The child wrote the number 7, 7, 7, 7, "
         "7 on the board."),
        ("كتب الطفل الرقم ٧ ٧ ٧ ٧ ٧ على السبورة.", "The child wrote the number 7 7 7 7 7 on the "
         "board."),
    ):  # fmt: skip
        assert _one(repetition.CHECK, said, english) == []
    # more copies than the source says are still a loop
    (f,) = _one(repetition.CHECK, "كتب الطفل الرقم 7، 7 على السبورة.",
                "The child wrote the number 7, 7, 7, 7, 7 on the board.")  # fmt: skip
    assert "'7' 5 times" in f.message
    # a loop that starts in the last copy of a faithful repeat is still found
    (f,) = _one(repetition.CHECK, chant, "They chanted: God is great, God is great, God is "
                "great and glorious, great and glorious, great and glorious, great and "
                "glorious.")  # fmt: skip
    assert "'great and glorious' 4 times" in f.message


# -- length ------------------------------------------------------------------------------


def test_length(clean):
    art = ArticleInput(tuple(clean))
    seg = clean[7]
    assert length.CHECK.check(seg, art) == []
    short = SegmentInput(seg.index, seg.source, "The United States.")
    (f,) = length.CHECK.check(short, art)
    assert (f.kind, f.severity) == ("length", "warning") and "shorter" in f.message
    longer = SegmentInput(seg.index, seg.source, " ".join([seg.translation] * 4))
    (g,) = length.CHECK.check(longer, art)
    assert "longer" in g.message and 0 < f.confidence <= 1 and 0 < g.confidence <= 1
    (e,) = length.CHECK.check(SegmentInput(seg.index, seg.source, "  "), art)
    assert (e.kind, e.severity) == ("empty", "error")
    assert length.CHECK.check(SegmentInput(0, "قصير", "A very long translation indeed."), art) == []


def test_a_code_with_other_digits_is_a_changed_number():
    from align.checks.base import ArticleInput, SegmentInput
    from align.checks.number import CHECK as NUMBER

    def found(source, translation):
        seg = SegmentInput(0, source, translation)
        return NUMBER.check(seg, ArticleInput((seg,)))

    (f,) = found("تأكد إصابة بطة بسلالة H5N1 في فرنسا.", "A duck had the H7N1 strain in France.")
    assert f.kind == "changed" and f.severity == "error"
    assert "H5N1" in f.message and "H7N1" in f.message
    source = "يعمل معيار 802.11n على ترددين."
    assert found(source, "The 802.11n standard uses two bands.") == []
    (g,) = found(source, "The 80212n standard uses two bands.")
    assert source[g.src[0] : g.src[1]] == "802.11n"
    # Codes kept as they are, or with other letters, are not numbers changed.
    assert found("قمة G20 في روما.", "The G20 summit in Rome.") == []
    assert found("طائرة F-16 فوق المدينة.", "An F-16 over the city.") == []
    # a hyphenated code changed is one change, the code's, not also its number's
    (h,) = found("طائرات F-16 أمريكية و20 دبابة.", "American F-35 jets and 20 tanks.")
    assert h.kind == "changed" and "'F-16'" in h.message and "'F-35'" in h.message


def test_arabic_script_codes_and_decades_that_are_no_decades():
    from align.checks.base import ArticleInput, SegmentInput
    from align.checks.number import CHECK as NUMBER

    def found(source, translation):
        seg = SegmentInput(0, source, translation)
        return NUMBER.check(seg, ArticleInput((seg,)))

    source = "أطلق النار من بندقيته م16على السياح."
    assert found(source, "He fired his M16 rifle at the tourists.") == []
    (f,) = found(source, "He fired his M36 rifle at the tourists.")
    assert f.kind == "changed" and source[f.src[0] : f.src[1]] == "م16" and "M36" in f.message
    assert found("أطلق النار من بندقيته م١٦ على السياح.", "He fired his M16 rifle.") == []
    # Proclitics written onto a number are no code: و28 is 28.
    covid = "توفي و28 آخرون بسبب كوفيد-19"
    assert found(covid, "28 others died of COVID-19") == []
    (c,) = found(covid, "29 others died of COVID-19")
    assert c.kind == "changed" and covid[c.src[0] : c.src[1]] == "28"
    # A letter and digits inside a longer Arabic word are no code.
    assert found("في عام2020 زار المدينة.", "In 2020 he visited the city.") == []
    # The 1920s is a decade (soft: العشرينيات has no digits); "1922s" is a number.
    decade = "خلال العشرينيات من القرن الماضي، كانت المواقف السائدة هي العزلة."
    assert found(decade, "During the 1920s, the prevailing attitude was isolation.") == []
    (g,) = found(decade, "During the 1922s, the prevailing attitude was isolation.")
    assert g.kind == "extra" and "1922" in g.message
    (h,) = found("كان في العشرينيات من عمره.", "He was in his 25s.")
    assert h.kind == "extra"
    assert found("كان في العشرينيات من عمره.", "He was in his 20s.") == []


@pytest.mark.parametrize(
    "translation, found",
    [
        # "and" has the letters of الهند (h is dropped): a common word renders nothing by
        # its letters, so "Pago" stands where the source has India.
        ("The president and the minister visited Pago yesterday.", True),
        ("The president and the minister visited Pago and India yesterday.", False),
    ],
)
def test_name_a_common_word_does_not_transliterate_a_source_word(translation, found):
    source = "زار الرئيس والوزير الهند أمس."
    pairs = {("الرئيس", "president"): 1.0, ("الهند", "Pago"): 0.5}
    got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    if not found:
        assert got == []
        return
    _changed_warning(got, source, translation, "الهند", "Pago")


def test_name_linked_to_a_word_the_dictionary_does_not_know():
    # مولدوفا has no dictionary entry; a name linked to it below STRONG_LINK, which does not
    # transliterate it, is a warning too, unless the translation transliterates it.
    source = "زار الرئيس مولدوفا أمس."
    for translation, expected in (
        ("The president visited Sweden yesterday.", ("changed", "مولدوفا", "Sweden")),
        ("The president visited Sweden and Moldova yesterday.", None),
    ):
        pairs = {("الرئيس", "president"): 1.0, ("مولدوفا", "Sweden"): 0.5}
        got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
        if expected is None:
            # not a changed name; an added one, which Arabic writes السويد
            assert [(f.kind, _spelled(f), translation[slice(*f.tgt)]) for f in got] == [
                ("added", True, "Sweden")
            ]
            continue
        (f,) = got
        assert (f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) == expected
        assert "not in the dictionary" in f.message


@pytest.mark.parametrize(
    "source, found",
    [
        # القارة القطبية الجنوبية is one headword of the dictionary: "Antarctica"
        ("زار العلماء القارة القطبية الجنوبية في الصيف.", False),
        # two of its words are not the phrase, and nothing else explains the name
        ("زار العلماء القارة الجنوبية في الصيف.", True),
        ("زار العلماء المدينة الجنوبية في الصيف.", True),
    ],
)
def test_name_a_dictionary_phrase_explains_a_name_none_of_its_words_does(source, found):
    translation = "The scientists visited Antarctica in the summer."
    pairs = {("زار", "visited"): 1.0, ("العلماء", "scientists"): 1.0, ("الصيف", "summer"): 1.0}
    got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    if not found:
        assert got == []
        return
    (f,) = got
    assert f.kind == "added" and translation[slice(*f.tgt)] == "Antarctica"


def test_name_a_word_of_a_phrase_that_also_stands_alone_keeps_its_own_glosses():
    # أحجار الراين is "rhinestones"; الراين alone is the Rhine, which the translation lacks.
    from align.checks.dictionary import glosses_here

    source = "اشترت أحجار الراين من متجر قرب نهر الراين الكبير"
    translation = "She bought rhinestones from a shop near the big river."
    assert name.lost_name("الراين", translation, {}, 0, source) == "Rhine"
    assert "rhinestone" not in glosses_here(source)["الراين"]
    # inside the phrase alone, the phrase's gloss is among its words' meanings
    alone = "اشترت أحجار الراين من متجر قرب النهر الكبير"
    assert "rhinestone" in glosses_here(alone)["الراين"]
    assert name.lost_name("الراين", translation, {}, 0, alone) is None


def test_name_linked_strongly_to_an_unknown_word_of_a_phrase_is_no_finding():
    # "Springboks" renders منتخب جنوب أفريقيا للرغبي: linked to للرغبي (no dictionary entry)
    # and to جنوب, it stands for the phrase, not for one word it replaced.
    source = "فاز منتخب جنوب أفريقيا للرغبي أمس."
    translation = "Yesterday the Springboks won."
    alone = {("للرغبي", "Springboks"): 0.75}
    phrase = {**alone, ("جنوب", "Springboks"): 0.62}
    (f,) = _one(name.CHECK, source, translation, _linked(source, translation, alone))
    assert (f.kind, source[slice(*f.src)]) == ("changed", "للرغبي")
    assert _one(name.CHECK, source, translation, _linked(source, translation, phrase)) == []


def test_name_a_name_cut_short_to_its_first_word_is_lost():
    # "spokesman John said" for المتحدث جون كيربي: كيربي is lost, whether the aligner
    # links it to the name's first word or to a common word beside it; neither renders it
    before = SegmentInput(0, "وقال كيربي ذلك.", "Kirby said so.")
    source = "قال المتحدث جون كيربي إن الهجوم وقع أمس."
    translation = "The spokesman John said the attack happened yesterday."
    pairs = {("قال", "said"): 1.0, ("المتحدث", "spokesman"): 1.0, ("جون", "John"): 1.0,
             ("الهجوم", "attack"): 1.0, ("وقع", "happened"): 1.0,
             ("أمس", "yesterday"): 1.0}  # fmt: skip
    for other in ("John", "said"):
        links = _linked(source, translation, {**pairs, ("كيربي", other): 0.5})
        segment = SegmentInput(1, source, translation, links)
        got = name.CHECK.check(segment, ArticleInput((before, segment)))
        assert [(f.kind, source[slice(*f.src)]) for f in got] == [("missing", "كيربي")], other
    # English shortens a name to its last word ("Putin" linked to فلاديمير بوتين, or with
    # فلاديمير left unlinked, has it all; so has "Ancelotti" where the aligner parks كارلو
    # on "said") and leaves a name's lineage out ("Prince Joseph" for الأمير يوسف بن عباس)
    for title, full, kept, explains, parked, parked_on, lost in (
        ("الرئيس", "فلاديمير بوتين", "Putin", "بوتين", "فلاديمير", "Putin", "Vladimir"),
        ("الرئيس", "فلاديمير بوتين", "Putin", "بوتين", "فلاديمير", None, "Vladimir"),
        ("المدرب", "كارلو أنشيلوتي", "Ancelotti", "أنشيلوتي", "كارلو", "said", "Carlo"),
        ("الأمير", "يوسف بن عباس", "Joseph", "يوسف", "عباس", "Joseph", "Abbas"),
    ):
        source = f"قال {title} {full} إن الهجوم وقع أمس."
        translation = f"The leader {kept} said the attack happened yesterday."
        pairs = {("قال", "said"): 1.0, (title, "leader"): 1.0, (explains, kept): 1.0,
                 ("الهجوم", "attack"): 1.0, ("وقع", "happened"): 1.0,
                 ("أمس", "yesterday"): 1.0}  # fmt: skip
        if parked_on is not None:
            pairs[(parked, parked_on)] = 0.5
        before = SegmentInput(0, f"وقال {parked} ذلك.", f"{lost} said so.")
        segment = SegmentInput(1, source, translation, _linked(source, translation, pairs))
        assert name.CHECK.check(segment, ArticleInput((before, segment))) == [], parked_on


def test_name_a_name_arabic_writes_in_two_words_is_one_name():
    def found(source, translation, pair):
        links = _linked(source, translation, {pair: 0.9})
        segment = SegmentInput(0, source, translation, links)
        got = name.CHECK.check(segment, ArticleInput((segment,)))
        return [(f.kind, translation[slice(*f.tgt)]) for f in got]

    # فيس بوك is "Facebook", ديزني لاند "Disneyland": each half alone reads as a name
    # (فيس, "Fess"; لاند, "Lund") the translation lost, linked to a name no word explains
    for source, translation, halves, word in (
        ("نشر الرئيس بيانا على فيس بوك أمس.", "The president posted a statement on Facebook "
         "yesterday.", ("فيس", "بوك"), "Facebook"),
        ("وذهبت العائلة إلى ديزني لاند في الصيف.", "The family went to Disneyland in the "
         "summer.", ("ديزني", "لاند"), "Disneyland"),
        ("نشر الرئيس بيانا على صفحة فيس بوك أمس.", "The president posted a statement on "
         "Facebook's page yesterday.", ("فيس", "بوك"), "Facebook's"),
        # (باكس is glossed "clothe": a common word's letters must be close to the part's)
        ("افتتحت ستار باكس أول مقهى لها في بغداد.", "Starbucks opened its first cafe in "
         "Baghdad.", ("ستار", "باكس"), "Starbucks"),
    ):  # fmt: skip
        for half in halves:
            assert found(source, translation, (half, word)) == [], (half, word)
    # still a changed name: one swapped in for the two words ("Twitter" spells neither);
    # a name beside them that stands for another, linked to one of them ("Microsoft and
    # Google" for مايكرو سوفت وآبل, "Google" linked to سوفت); two words that, joined,
    # spell a name, a function word among them (في إيران, "France"), or whose letters
    # together are like a name's but not each like a part of it (أور دالهوزي, "Charles")
    for source, translation, pair in (
        ("نشر الرئيس بيانا على فيس بوك أمس.", "The president posted a statement on Twitter "
         "yesterday.", ("فيس", "Twitter")),
        ("اتفقت مايكرو سوفت وآبل على معيار جديد.", "Microsoft and Google agreed on a new "
         "standard.", ("سوفت", "Google")),
        ("وقعت الحادثة في إيران أمس.", "The accident happened in France yesterday.",
         ("إيران", "France")),
        ("قال الدكتور أور دالهوزي إن البحث مهم.", "Doctor Charles said the research "
         "matters.", ("دالهوزي", "Charles")),
    ):  # fmt: skip
        assert found(source, translation, pair) == [("changed", pair[1])], pair


def test_name_a_phrase_name_renders_the_source_names_inside_the_phrase():
    # أفريقيا is a name (the article writes "Africa" elsewhere) that the translation lacks,
    # but "Springboks", linked to جنوب and to للرغبي, renders the whole phrase: no finding.
    # Linked to للرغبي alone it renders no phrase, and أفريقيا is a name it changed.
    before = SegmentInput(0, "زار الرئيس أفريقيا.", "The president visited Africa.")
    source = "فاز منتخب جنوب أفريقيا للرغبي أمس."
    translation = "Yesterday the Springboks won."
    alone = {("للرغبي", "Springboks"): 0.75}
    phrase = {**alone, ("جنوب", "Springboks"): 0.62}

    def found(pairs):
        segment = SegmentInput(1, source, translation, _linked(source, translation, pairs))
        return name.CHECK.check(segment, ArticleInput((before, segment)))

    assert found(phrase) == []
    # The same name lost again outside the phrase is still lost, wherever it stands.
    for text in (source[:-1] + " وزار أفريقيا.", "زار أفريقيا ثم " + source):
        pairs = {**phrase, ("أمس", "Yesterday"): 1.0}
        segment = SegmentInput(1, text, translation, _linked(text, translation, pairs))
        got = name.CHECK.check(segment, ArticleInput((before, segment)))
        assert [(f.kind, text[slice(*f.src)]) for f in got] == [("missing", "أفريقيا")], text
    (f,) = found(alone)
    assert (f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) == (
        "changed",
        "أفريقيا",
        "Springboks",
    )


@pytest.mark.parametrize(
    "source, translation, found",
    [
        # Spain is spelled اسبانيا in Arabic, and the source has nothing like it
        ("زار الرئيس فرنسا أمس.", "The president visited Spain and not France.", True),
        # the source spells it, or spells it another way, or holds it in a longer word
        ("زار الرئيس إسبانيا أمس.", "The president visited Spain yesterday.", False),
        ("زار الرئيس مولدافيا أمس.", "The president visited Moldova yesterday.", False),
        ("زار الرئيس نيويورك أمس.", "The president visited New York yesterday.", False),
        # a nisba of a name the source has (الروم: the Romans, "Roman" spelled روماني)
        ("قاتل الروم أمس.", "The Roman soldiers fought yesterday.", False),
        # a name Arabic translates rather than spells: nothing says what the source lacks
        ("رأينا الشفق أمس.", "We saw the Aurora yesterday.", False),
        # one word of a foreign name (both unexplained), and a sentence's first word
        ("زار الرئيس المستشفى أمس.", "The president visited Hospital Texas Rubens.", False),
        ("زار الرئيس المستشفى أمس.", "Texas: the president visited it.", False),
    ],
)
def test_a_name_arabic_spells_by_its_letters_and_the_source_lacks(source, translation, found):
    # No alignment needed: the dictionary and the two texts say it.
    got = [f for f in _one(name.CHECK, source, translation, None) if _spelled(f)]
    if not found:
        assert got == []
        # (with an alignment that links nothing, the same)
        unlinked = _linked(source, translation, {})
        assert [f for f in _one(name.CHECK, source, translation, unlinked) if _spelled(f)] == []
        return
    (f,) = got
    assert (f.kind, f.severity, f.src, translation[slice(*f.tgt)]) == (
        "added",
        "warning",
        None,
        "Spain",
    )
    assert "'اسبانيا'" in f.message
    # With an alignment that links it to nothing, the rule for such names reports it
    # first: one finding.
    unlinked = _linked(source, translation, {})
    (f,) = _one(name.CHECK, source, translation, unlinked)
    assert (f.kind, translation[slice(*f.tgt)]) == ("added", "Spain")


@pytest.mark.parametrize(
    ("source", "translation", "name_"),
    [
        # names Arabic translates (اليونان: greece; مصري: egyptian), not in the source
        ("زار الرئيس فرنسا أمس.", "The president visited Greece and not France.", "Greece"),
        ("قال الوزير إن الاجتماع انتهى.", "The Egyptian minister said the meeting ended.",
         "Egyptian"),
    ],
)  # fmt: skip
def test_a_name_arabic_translates_and_the_source_lacks(source, translation, name_):
    got = [f for f in _one(name.CHECK, source, translation, None) if _spelled(f)]
    assert [(f.kind, translation[slice(*f.tgt)]) for f in got] == [("added", name_)]
    # the source that has it, in any of its forms, says it
    said = source.replace("فرنسا", "اليونان وفرنسا").replace("الوزير", "الوزير المصري")
    assert [f for f in _one(name.CHECK, said, translation, None) if _spelled(f)] == []


def test_a_name_the_article_spells_and_the_source_lacks():
    # The dictionary does not know Tsarnaev; another pair of the article spells it
    # تسارناييف, which this segment's source lacks: an added name.
    first = ("مثل تسارناييف أمام المحكمة.", "Tsarnaev appeared in court.")
    said = "The judge said Tsarnaev will return."
    segments, art = _article(first, ("قال القاضي إنه سيعود.", said))
    got = [f for f in name.CHECK.check(segments[1], art) if _spelled(f)]
    assert [(f.kind, said[slice(*f.tgt)]) for f in got] == [("added", "Tsarnaev")]
    assert "'تسارناييف'" in got[0].message
    # the source has it: nothing; the article's own pair of this segment: no spelling
    segments, art = _article(first, ("قال القاضي إن تسارناييف سيعود.", said))
    assert [f for f in name.CHECK.check(segments[1], art) if _spelled(f)] == []
    segments, art = _article(("قال القاضي إنه سيعود.", said))
    assert [f for f in name.CHECK.check(segments[0], art) if _spelled(f)] == []


def _read(source: str, translation: str) -> tuple:
    """What the name check reads before its rules: the source's Arabic words, their
    glosses, the translation's words."""
    arabic = name_spelling._arabic_words(source)
    words = [re.sub(r"['’]s$", "", w) for _, _, w in name.word_tokens_text(translation)]
    return arabic, {a: glosses(a) for _, _, a in arabic}, words


def test_a_name_arabic_spells_linked_where_the_source_has_an_unrendered_word():
    # linked to a source word the translation renders nowhere: it stands in its place
    # (the rule alone: the link rules that run first report the same pair their way)
    source, translation = "زار الرئيس الصين أمس.", "The president visited Spain yesterday."
    alignment = _linked(source, translation, {("الصين", "Spain"): 0.5})
    parts = name_links._words_and_links(alignment)
    unexplained = name_spelling._english_names(translation)
    (f,) = name_spelled._spelled_in_arabic(
        translation, parts, unexplained, _read(source, translation), lexicon()
    )
    assert (f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) == (
        "changed",
        "الصين",
        "Spain",
    )
    # rendered by the translation ("China"): a chance link, and an added name
    translation = "The president visited Spain and China yesterday."
    alignment = _linked(source, translation, {("الصين", "Spain"): 0.5})
    parts = name_links._words_and_links(alignment)
    unexplained = name_spelling._english_names(translation)
    (f,) = name_spelled._spelled_in_arabic(
        translation, parts, unexplained, _read(source, translation), lexicon()
    )
    assert (f.kind, f.src, translation[slice(*f.tgt)]) == ("added", None, "Spain")


def test_name_added_is_reported_once_however_often_it_stands():
    source = "زار الرئيس أمس."
    translation = "The president visited Sweden and then Sweden again yesterday."
    pairs = {("الرئيس", "president"): 1.0}
    found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [(f.kind, translation[slice(*f.tgt)]) for f in found] == [("added", "Sweden")]


@pytest.mark.parametrize("place, written", [("أوبراين", "O'Brien"), ("انجامينا", "N'Djamena")])
def test_name_with_an_apostrophe_transliterates_its_source_word(place, written):
    # "Pago" is linked to the source name, but the translation has that name too, written
    # with an apostrophe: the source word is rendered, and nothing is reported.
    source = f"التقى الرئيس {place} أمس."
    translation = f"The president met Pago and {written} yesterday."
    pairs = {("الرئيس", "president"): 1.0, (place, "Pago"): 0.5}
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []


@pytest.mark.parametrize("opening", ["From", "With", "Every", "Than"])
def test_name_a_capitalized_function_word_is_no_name(opening):
    # lemminflect does not list function words; a sentence that starts with one, linked
    # to nothing, has no added name.
    source = "بدأ الاجتماع أمس."
    translation = f"{opening} the start, the meeting went well."
    pairs = {("الاجتماع", "meeting"): 1.0}
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []


def test_article_pairs_are_read_once_an_article_and_again_for_another():
    first = SegmentInput(0, "زار بايدن موسكو.", "Biden visited Moscow.")
    article = ArticleInput((first,))
    pairs = name.article_pairs(article)
    assert pairs["بايدن"] == {"biden": {0}, "moscow": {0}}
    assert name.article_pairs(article) is pairs  # the same article: read once
    other = ArticleInput((SegmentInput(0, "زار ماكرون باريس.", "Macron visited Paris."),))
    assert "بايدن" not in name.article_pairs(other)
    # an equal article that is another object is read again, not taken for the first
    again = ArticleInput((first,))
    assert name.article_pairs(again) == pairs and name.article_pairs(again) is not pairs
    assert name.article_pairs(None) == {}


def _one_link(source, translation, arabic, k, english, confidence=0.6):
    """An alignment of two texts by word with one link: the ``k``-th ``arabic`` word to the
    last ``english`` word."""
    src, tgt = word_tokens(source), word_tokens(translation)
    i = [n for n, t in enumerate(src) if source[t.start : t.end] == arabic][k]
    j = [n for n, t in enumerate(tgt) if translation[t.start : t.end] == english][-1]
    links = (Link(i, j, confidence),)
    return PairAlignment(source, translation, Alignment(src, tgt, links, (), "fixed"))


@pytest.mark.parametrize(
    "translation, k, english, found",
    [
        # فرنسا twice, "France" once: "Kingdom" stands where the second one was
        ("The president visited France then returned to Kingdom yesterday.", 1, "Kingdom", True),
        # both rendered: nothing
        ("The president visited France then returned to France yesterday.", 1, "France", False),
        # the link goes to the occurrence that "France" renders: nothing
        ("The president visited France then returned to Kingdom yesterday.", 0, "France", False),
    ],
)
def test_name_said_twice_and_rendered_once_with_a_capitalized_word_in_its_place(
    translation, k, english, found
):
    source = "زار الرئيس فرنسا ثم عاد إلى فرنسا أمس."
    got = _one(name.CHECK, source, translation, _one_link(source, translation, "فرنسا", k, english))
    if not found:
        assert got == []
        return
    (f,) = got
    assert f.kind == "changed" and f.src == (source.rindex("فرنسا"), source.rindex("فرنسا") + 5)
    assert translation[slice(*f.tgt)] == "Kingdom"
    assert "2 times in the source and 1 in the translation" in f.message


@pytest.mark.parametrize("second", ["الثلاثاء", "وبالثلاثاء", "والثلاثاء", "بالثلاثاء"])
def test_name_linked_to_a_word_said_twice_and_rendered_once(second):
    # (the same word with و and ب before it)
    source = f"اجتمعت اللجنة يوم الثلاثاء وصوتت يوم {second}."
    translation = "The committee met on Tuesday and voted on Olympic."

    def alignment(translation):
        # the second الثلاثاء is linked to "Olympic", and "Tuesday" renders one of the two
        pairs = {(("الثلاثاء", 0), "Tuesday"): 1.0, ((second, -1), "Olympic"): 0.5}
        pairs |= {(("يوم", 0), "on"): 0.5, (("يوم", 1), "on"): 0.5}
        return _linked_at(source, translation, pairs)

    (f,) = _one(name.CHECK, source, translation, alignment(translation))
    assert f.kind == "changed" and source[slice(*f.src)] == second
    assert f.src[0] == source.rindex(second) and translation[slice(*f.tgt)] == "Olympic"
    assert "2 times in the source and 1 in the translation" in f.message
    # both rendered: "Olympic" linked to the second is a chance link, and no change (a
    # name Arabic spells, اوليمبي, that the source lacks: an added one)
    translation = "The committee met on Tuesday and voted on Tuesday at Olympic."
    found = _one(name.CHECK, source, translation, alignment(translation))
    assert [f.kind for f in found] == ["added"]


def test_words_that_share_a_dictionary_form_are_one_word():
    from align.checks.dictionary import dictionary_forms

    assert dictionary_forms("باللاتينية") & dictionary_forms("اللاتينية")
    assert dictionary_forms("لأفريقيا") & dictionary_forms("إفريقيا")
    assert dictionary_forms("وبالثلاثاء") & dictionary_forms("الثلاثاء")
    # two words that only look alike under a preposition are two words: بحرية (naval) is
    # not حرية (freedom), لجنة not جنة; nor is a letter of a name a preposition (لندن)
    assert not dictionary_forms("بحرية") & dictionary_forms("حرية")
    assert not dictionary_forms("لجنة") & dictionary_forms("جنة")
    assert not dictionary_forms("لندن") & dictionary_forms("ندن")


@pytest.mark.parametrize(
    "source, translation, pairs",
    [
        # a word said twice and rendered once, by the translation's word and a pronoun: the
        # name's link beside the pronoun's is a guess
        (
            "قالت اللجنة إن اللجنة ستجتمع في تشينغداو الأسبوع المقبل.",
            "The committee said it would meet in Qingdao next week.",
            {
                (("اللجنة", 0), "committee"): 1.0,
                (("اللجنة", 1), "it"): 1.0,
                (("اللجنة", 1), "Qingdao"): 0.5,
                (("الأسبوع", 0), "week"): 1.0,
            },
        ),
        # the name renders a phrase (الجبل الأسود, عيد الميلاد) and is linked to one word of
        # it, a word the source says again elsewhere
        (
            "تقع قرى الجبل الأسود على سفح الجبل.",
            "The villages of Montenegro lie at the foot of the mountain.",
            {
                (("قرى", 0), "villages"): 1.0,
                (("الجبل", 0), "Montenegro"): 0.6,
                (("سفح", 0), "foot"): 1.0,
                (("الجبل", 1), "mountain"): 1.0,
            },
        ),
        (
            "احتفل المسيحيون بعيد الميلاد، ذكرى ميلاد المسيح.",
            "Christians celebrated Christmas, the anniversary of the birth of Christ.",
            {
                (("المسيحيون", 0), "Christians"): 1.0,
                (("الميلاد", 0), "Christmas"): 0.8,
                (("ذكرى", 0), "anniversary"): 1.0,
                (("ميلاد", 0), "birth"): 1.0,
                (("المسيح", 0), "Christ"): 1.0,
            },
        ),
    ],
)
def test_name_beside_a_word_said_twice_is_no_change_where_the_translation_is_right(
    source, translation, pairs
):
    alignment = _linked_at(source, translation, pairs)
    assert _one(name.CHECK, source, translation, alignment) == []


def test_name_the_article_pairs_with_an_unknown_word_replaced_by_a_capitalized_word():
    # The dictionary does not know تسارناييف; another pair has it beside "Tsarnaev".
    before = SegmentInput(0, "قال تسارناييف إنه بريء.", "Tsarnaev said he was innocent.")
    source = "لم يكن تسارناييف يشكل تهديدا."
    translation = "They concluded that Council did not pose a threat."
    alignment = _one_link(source, translation, "تسارناييف", 0, "Council", 0.88)
    segment = SegmentInput(1, source, translation, alignment)
    (f,) = name.CHECK.check(segment, ArticleInput((before, segment)))
    assert f.kind == "changed" and source[slice(*f.src)] == "تسارناييف"
    assert "(Tsarnaev)" in f.message and "'Council' in its place" in f.message
    # without the other pair nothing says تسارناييف is a name: only the rule for common
    # words linked to a word the dictionary lacks sees "Council" (Arabic: مجلس) there
    (f,) = name.CHECK.check(segment, ArticleInput((segment,)))
    assert "in its place" not in f.message and "does not know" in f.message
    # a pair whose name it transliterates only loosely is no evidence
    loose = SegmentInput(0, "قال تسارناييف إنه بريء.", "Tsarnik said he was innocent.")
    got = name.CHECK.check(segment, ArticleInput((loose, segment)))
    assert [f for f in got if "in its place" in f.message] == []
    # a capitalized word only loosely like the word ("Stranger": strngr, tsrnyf) is no
    # spelling of the name the other pair gives it; "Tsarina" (close) may be one
    for word, found in (("Stranger", True), ("Tsarina", False)):
        translation = f"They concluded that {word} did not pose a threat."
        alignment = _one_link(source, translation, "تسارناييف", 0, word, 0.88)
        segment = SegmentInput(1, source, translation, alignment)
        got = [
            f
            for f in name.CHECK.check(segment, ArticleInput((before, segment)))
            if "in its place" in f.message
        ]
        assert [translation[slice(*f.tgt)] for f in got] == ([word] if found else [])


def test_a_word_written_with_a_madda_is_no_function_word_and_its_name_is_read():
    # Normalized, آنا (Anna) is أنا (I) and آلية (mechanism) إلى with a suffix: the madda
    # tells them apart, and a name swapped in for Anna is found like any other.
    for word in ("آنا", "آلية", "وآلية", "آن", "ا\u0653نا"):
        assert not is_arabic_function_word(word), word
    for word in ("أنا", "إلى", "أن", "انا"):
        assert is_arabic_function_word(word), word
    source = "فازت المتزلجة آنا بالسباق أمس."
    translation = "The skier Maria won the race yesterday."
    alignment = _linked(source, translation, {("آنا", "Maria"): 1.0, ("بالسباق", "race"): 1.0})
    (f,) = [f for f in _one(name.CHECK, source, translation, alignment) if f.tgt]
    assert translation[slice(*f.tgt)] == "Maria" and source[slice(*f.src)] == "آنا"


def test_a_token_too_long_for_a_name_is_not_compared_letter_by_letter(monkeypatch):
    """A line of three 3,300-letter capitalized tokens cost the name check 25 seconds in
    SequenceMatcher, whose time grows with the square of the length: no name is that long."""
    import random

    rng = random.Random(1)
    arabic = " ".join("".join(rng.choice("ابتثجحخدرزسشصطعغفقكلمنهوي") for _ in range(3300))
                      for _ in range(3))  # fmt: skip
    english = " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3300))
                       .title() for _ in range(3))  # fmt: skip
    compared = []
    real = name_spelling.SequenceMatcher

    def counted(junk, a, b, **kwargs):
        compared.append(max(len(a), len(b)))
        return real(junk, a, b, **kwargs)

    for module in (name_spelling, name_spelled, name_rules):  # each that compares letters
        monkeypatch.setattr(module, "SequenceMatcher", counted)
    name_spelling._similar.cache_clear()
    _one(name.CHECK, arabic, english)
    assert all(n <= name_thresholds.MAX_NAME_CHARS for n in compared)
    # a name of ordinary length is still compared
    assert name_spelling._similar("كيربي", "Kirby")


@pytest.mark.parametrize(
    ("source", "translation", "found"),
    [
        # the Hijri date beside the Gregorian one, which the translation gives alone
        ("صدر القرار يوم الأحد 15 شعبان 1446 هـ الموافق 14 فبراير 2025.",
         "The decision was issued on Sunday, February 14, 2025.", []),
        ("صدر القرار بتاريخ 15/8/1446هـ الموافق 14/2/2025م.",
         "The decision was issued on February 14, 2025.", []),
        # ... and a changed Gregorian day is still found
        ("صدر القرار يوم الأحد 15 شعبان 1446 هـ الموافق 14 فبراير 2025.",
         "The decision was issued on Sunday, February 16, 2025.", [("changed", "14", "16")]),
        # a Hijri date given by its day and year
        ("صدر القرار بتاريخ 15/8/1446هـ.", "The decision was issued on 15 Sha'ban 1446 AH.", []),
        # a Hijri year given as the Gregorian year it falls in, not another
        ("في عام 1446 هجرية انتهى المشروع.", "The project ended in 2025.", []),
        ("في عام 1446 هجرية انتهى المشروع.", "The project ended in 2024.", []),
        ("في عام 1446 هجرية انتهى المشروع.", "The project ended in 2027.",
         [("changed", "1446", "2027")]),
        # a Hijri date alone in the source, left out: still a lost number
        ("بدأ شهر رمضان لعام 1446 هـ يوم السبت.", "The month of Ramadan began on Saturday.",
         [("missing", "1446", None)]),
    ],
)  # fmt: skip
def test_number_hijri_dates(source, translation, found):
    got = [
        (f.kind, source[slice(*f.src)] if f.src else None,
         translation[slice(*f.tgt)] if f.tgt else None)
        for f in _one(number.CHECK, source, translation)
    ]  # fmt: skip
    assert got == found


@pytest.mark.parametrize(
    ("source", "translation", "found"),
    [
        ("تضاعف عدد اللاجئين ثلاث مرات منذ عام 2020.",
         "The number of refugees has tripled since 2020.", []),
        ("وقعت آخر حادثة مماثلة قبل عشر سنوات.", "The last similar incident occurred a decade ago.",
         []),
        ("تأسست الشركة قبل 100 عام.", "The company was founded a century ago.", []),
        ("استمر الحصار 20 عاما.", "The siege lasted two decades.", []),
        ("انخفضت الصادرات بنسبة 50 في المائة.", "Exports halved.", []),
        ("سيتم الإعلان عن النتائج خلال سبعة أيام.", "The results will be announced within a week.",
         []),
        ("ستفتح مراكز الاقتراع أبوابها في تمام الساعة 12 ظهرا.",
         "Polling stations will open at noon.", []),
        ("أعلن الجيش مقتل 12.500 مسلح خلال العام.",
         "The army said 12,500 militants were killed during the year.", []),
        # a unit number as a plural noun after a count (cricket's fours and sixes), not
        # one it is not; no count, no number (an idiom); never an extra value, nor one that
        # takes a digit's pairing
        ("سجل 11 من الأربع واثنين من الستات.", "He hit 11 fours and 2 sixes.", []),
        ("سجل 11 من الأربع واثنين من الستات.", "He hit 11 fives and 2 sixes.",
         [("missing", "الأربع")]),
        ("سجل أحد عشر من الأربع.", "He hit eleven fours.", []),
        ("كان الجميع في حيرة.", "Everyone was at sixes and sevens.", []),
        ("قتل أربعة أشخاص في الهجوم.", "People died; police crawled on all fours.",
         [("missing", "أربعة")]),
        ("كان يرتدي الرقم 7.", "He wore number 7 like the other sevens.", []),
        ("ضرب اللاعب الكرة 6 مرات.", "He hit 6 sixes.", []),
        # the word stands for another number, or for the number of another unit: found
        ("انخفضت الصادرات بنسبة 40%.", "Exports halved.", [("missing", "40%")]),
        ("سيتم الإعلان عن النتائج خلال ثمانية أيام.",
         "The results will be announced within a week.", [("missing", "ثمانية")]),
        ("قتل سبعة أشخاص خلال الأسبوع.", "People were killed during the week.",
         [("missing", "سبعة")]),
        ("أعلن الجيش مقتل 12.500 مسلح خلال العام.",
         "The army said 13,500 militants were killed during the year.", [("changed", "12.500")]),
        # the Arabic decimal separator is no thousands separator
        ("أعلن الجيش مقتل ١٢٫٥٠٠ مسلح خلال العام.",
         "The army said 12,500 militants were killed during the year.", [("changed", "١٢٫٥٠٠")]),
    ],
)  # fmt: skip
def test_number_said_in_a_word_or_with_dotted_thousands(source, translation, found):
    got = [(f.kind, source[slice(*f.src)]) for f in _one(number.CHECK, source, translation)]
    assert got == found


@pytest.mark.parametrize(
    ("source", "translation", "found"),
    [
        # a Hijri month of a date changed, by name or in a numeric date
        ("يبدأ العيد في 1 شوال 1446 هـ.", "Eid begins on 1 Ramadan 1446 AH.",
         [("changed", "شوال")]),
        ("يبدأ العيد في 1 شوال 1446 هـ.", "Eid begins on 1 Shawwal 1446 AH.", []),
        ("صدر القرار بتاريخ 12/3/1446هـ.", "The decision was issued on 12 Rabi al-Thani 1446 AH.",
         [("changed", "12/3/1446هـ")]),
        ("صدر القرار بتاريخ 12/3/1446هـ.", "The decision was issued on 12 Rabi' al-Awwal 1446 AH.",
         []),
        # months named as seasons, with no day, are not compared
        ("صام الناس في رمضان وأفطروا في شوال.",
         "People fasted in Ramadan and broke their fast in Shawwal.", []),
        # noon is not midnight
        ("ستفتح المراكز في تمام الساعة 12 ظهرا.", "The centres will open at midnight.",
         [("missing", "12")]),
        ("ستفتح المراكز في تمام الساعة 12 ليلا.", "The centres will open at midnight.", []),
        # a value converted in brackets is no added number; a changed one is still found
        ("تبعد المدينة حوالي 40 كيلومترا عن الحدود.",
         "The city is about 40 km (25 miles) from the border.", []),
        ("بلغت درجة الحرارة 48 درجة مئوية.",
         "Temperatures reached 46 degrees Celsius (118 degrees Fahrenheit).", [("changed", "48")]),
        ("قتل 25 شخصا.", "25 (30) people were killed.", [("extra", None)]),
        ("زادت الأسعار عشرة أضعاف.", "Prices rose tenfold.", []),
    ],
)  # fmt: skip
def test_number_hijri_months_noon_and_conversions(source, translation, found):
    got = [(f.kind, source[slice(*f.src)] if f.src else None)
           for f in _one(number.CHECK, source, translation)]  # fmt: skip
    assert got == found


@pytest.mark.parametrize(
    ("source", "translation", "found"),
    [
        ("قتل عشرات المدنيين في القصف.", "Hundreds of civilians were killed in the shelling.",
         [("changed", "عشرات", "Hundreds")]),
        ("قتل عشرات المدنيين في القصف.", "Dozens of civilians were killed in the shelling.", []),
        ("نزح عشرات الآلاف من السكان.", "Thousands of residents were displaced.",
         [("changed", "عشرات الآلاف", "Thousands")]),
        ("نزح عشرات الآلاف من السكان.", "Tens of thousands of residents were displaced.", []),
        ("نزح مئات الآلاف من السكان.", "Hundreds of thousands of residents were displaced.", []),
        ("خرج الآلاف إلى الشوارع.", "Millions took to the streets.",
         [("changed", "الآلاف", "Millions")]),
        # a count before the plural makes it a number, compared as one
        ("نزح 3 آلاف من السكان.", "3,000 residents were displaced.", []),
        # "scores" is also a match's: no order of magnitude
        ("وصل عشرات الصحفيين.", "Scores of journalists arrived.", []),
    ],
)  # fmt: skip
def test_number_vague_amounts_of_another_order(source, translation, found):
    got = [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)])
           for f in _one(number.CHECK, source, translation)]  # fmt: skip
    assert got == found


@pytest.mark.parametrize(
    ("source", "translation", "found"),
    [
        # a number in words ending in ه (ة written ه) is no Hijri date
        ("قتل ثلاثه أشخاص في قصف يوم 5 مارس 2025",
         "People were killed in shelling on March 5, 2025.", [("missing", "ثلاثه")]),
        # a Gregorian value elsewhere is not the same date
        ("قتل 2000 شخص في 15 رمضان 1446 هـ", "2000 people were killed.",
         [("missing", "15"), ("missing", "1446")]),
        ("أعلنت الوزارة في 3 مارس 2025 أن الانتخابات ستجرى في 15 رمضان 1447 هـ",
         "The ministry announced on March 3, 2025 that the elections would be held.",
         [("missing", "15"), ("missing", "1447")]),
        ("في 15 شعبان 1446 هـ (14 فبراير 2025)", "On February 14, 2025.", []),
        # a Hijri year with its month falls in one Gregorian year
        ("بدأ شهر رمضان 1446 هـ يوم السبت", "Ramadan 2024 began on Saturday.",
         [("changed", "1446")]),
        ("بدأ شهر رمضان 1446 هـ يوم السبت", "Ramadan 2025 began on Saturday.", []),
        # "last week", "in a decade": a time named, or the source's own word
        ("أمهلت الحكومة الأسبوع الماضي المحتجين 7 أيام لفض الاعتصام",
         "Last week the government gave protesters an ultimatum to end the sit-in.",
         [("missing", "7")]),
        ("حكم على المتهم بالسجن 10 سنوات، في أول حكم من نوعه منذ عقد",
         "The defendant was sentenced to prison, the first such ruling in a decade.",
         [("missing", "10")]),
        ("وقع الهجوم الساعة 7 يوم الأحد", "The attack happened last week on Sunday.",
         [("missing", "7")]),
        # three decimals of a dinar are no thousands
        ("بلغ سعر غرام الذهب 18.750 دينار", "The price of a gram of gold reached 18,750 dinars.",
         [("changed", "18.750")]),
        # ربيع الأول with its article; noon written منتصف النهار
        ("ولد في 12 ربيع الأول 1446 هـ", "He was born on 12 Rabi al-Thani 1446 AH.",
         [("changed", "ربيع الأول")]),
        ("انتهى الاجتماع الساعة 12 منتصف النهار", "The meeting ended at midnight.",
         [("missing", "12")]),
        ("انتهى الاجتماع الساعة 12 منتصف النهار", "The meeting ended at noon.", []),
        # a bracket of the same system, or at another value, is no conversion
        ("سقط الصاروخ على بعد 40 كم من الحدود",
         "The missile fell 40 km from the border (30 km from the city).", [("extra", None)]),
        ("بلغت درجة الحرارة 48 درجة مئوية",
         "Temperatures reached 48 degrees Celsius (180 degrees Fahrenheit).", [("extra", None)]),
        # صفر of a score, رجب of a name
        ("فاز الهلال على النصر 4 صفر في 5 مارس 2025", "Al-Hilal beat Al-Nassr on March 5, 2025.",
         [("missing", "4")]),
        ("أعلنت السعودية أن يوم 1/3/2025 هو أول أيام الشهر الفضيل",
         "Saudi Arabia announced that 1/3/2025 is the first day of Ramadan.", []),
    ],
)  # fmt: skip
def test_number_hijri_and_word_rules_hide_no_error(source, translation, found):
    got = [(f.kind, source[slice(*f.src)] if f.src else None)
           for f in _one(number.CHECK, source, translation)]  # fmt: skip
    assert got == found


@pytest.mark.parametrize(
    ("source", "translation", "found"),
    [
        ("يبدأ حظر التجول في الثامنة مساء.", "The curfew starts at 8 a.m.",
         [("changed", "الثامنة")]),
        ("يبدأ حظر التجول في الثامنة مساء.", "The curfew starts at 8 p.m.", []),
        ("وقع الانفجار في الثالثة فجرا.", "The explosion occurred at 3 p.m.",
         [("changed", "الثالثة")]),
        ("وقع الانفجار الساعة 2 ليلا.", "The explosion occurred at 2 a.m.", []),
        ("وقع الانفجار الساعة 10 ليلا.", "The explosion occurred at 10 a.m.", [("changed", "10")]),
        ("تفتح المراكز في 8 صباحا وتغلق في 8 مساء.",
         "Centres open at 8 a.m. and close at 8 p.m.", []),
        ("قتل 8 أشخاص مساء الأحد.", "Eight people were killed on Sunday evening.", []),
    ],
)  # fmt: skip
def test_number_an_hour_in_the_other_half_of_the_day(source, translation, found):
    got = [(f.kind, source[slice(*f.src)]) for f in _one(number.CHECK, source, translation)]
    assert got == found


@pytest.mark.parametrize(
    ("source", "translation", "found"),
    [
        ("فقد نصف السكان منازلهم.", "A third of the residents lost their homes.",
         [("changed", "نصف", "A third")]),
        ("فقد نصف السكان منازلهم.", "Half of the residents lost their homes.", []),
        ("فقد ثلثا السكان منازلهم.", "Two-thirds of the residents lost their homes.", []),
        ("استمر الاجتماع ساعة ونصف.", "The meeting lasted an hour and a half.", []),
        ("في الربع الأول من العام نما الاقتصاد.", "In the first half of the year the economy grew.",
         [("changed", "ربع", "half")]),
        ("وصل في اليوم الثالث.", "He arrived on the third day.", []),
    ],
)  # fmt: skip
def test_number_a_fraction_said_as_another(source, translation, found):
    got = [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)])
           for f in _one(number.CHECK, source, translation)]  # fmt: skip
    assert got == found


@pytest.mark.parametrize(
    ("source", "translation", "found"),
    [
        # two amounts joined by و, or by punctuation, are not one multiplied
        ("شارك العشرات والمئات في المظاهرة.", "Dozens and hundreds took part in the protest.", []),
        ("خرج آلاف وآلاف إلى الشوارع.", "Thousands and thousands took to the streets.", []),
        ("قتل العشرات وفر الآلاف.", "The strikes killed dozens; thousands more fled.", []),
        # the accusative's alif, and the article after ل
        ("قتلت الحرب آلافاً منذ عشرات السنين.", "The war has killed thousands for decades.", []),
        ("قتلت الغارات آلافاً من المدنيين.", "The strikes killed hundreds of civilians.",
         [("changed", "آلافاً")]),
        ("وصلت المساعدات للآلاف من الأسر.", "Aid reached hundreds of families.",
         [("changed", "للآلاف")]),
    ],
)  # fmt: skip
def test_number_vague_amounts_apart_and_in_their_forms(source, translation, found):
    got = [(f.kind, source[slice(*f.src)]) for f in _one(number.CHECK, source, translation)]
    assert got == found


def test_a_segment_input_own_span_outside_its_source_is_one_sentence():
    from align.errors import UserError

    for own in [(-20, 100), (3,), ("a", "b"), 7, (5, 2)]:
        segment = SegmentInput(0, "قال الوزير إن الاجتماع انتهى.", "The minister said.", own=own)
        with pytest.raises(UserError, match="own= that is not"):
            check_article([segment])


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        # idioms and ordinals are no fractions
        ("سجل ميسي الهدف الثالث ليقود فريقه إلى نصف النهائي",
         "Messi scored a third goal to lead his team into the semi-finals"),
        ("سجل هدفا في الشوط الثاني ليتأهل فريقه إلى ربع النهائي",
         "He scored in the second half to send his team into the quarter-finals"),
        ("زار أخاه غير الشقيق بعد ربع قرن", "He visited his half-brother after 25 years"),
        ("صادق البرلمان بأغلبية الثلثين على التعديل، وتأهل المنتخب إلى نصف النهائي",
         "Parliament approved the amendment by a two-thirds majority and the national team "
         "reached the semi-finals"),
        # a count before صباح اليوم, فجر اليوم or مساء الأحد is no hour, nor is a date's day
        ("استشهاد 3 فجر اليوم في غارة إسرائيلية بعد انتهاء الهدنة الساعة 3 مساء أمس",
         "Three people were killed at dawn today in an Israeli strike after the truce ended at "
         "3 p.m. yesterday"),
        ("وقع الهجوم صباح 8 مارس، وبدأ حظر التجول الساعة 8 مساء",
         "The attack happened on March 8 in the morning, and the curfew began at 20:00."),
        ("تنتهي المهلة الساعة 12 مساء", "The deadline ends at 12 a.m."),
    ],
)  # fmt: skip
def test_number_idioms_counts_and_days_are_no_fractions_or_hours(source, translation):
    said = [f.message for f in _one(number.CHECK, source, translation)]
    assert not [m for m in said if "fraction" in m or "half of the day" in m], said


def test_the_maximum_matching_follows_a_path_longer_than_the_recursion_limit():
    """Each left node prefers the right node the next one needs; the last has one choice,
    so its augmenting path runs back through every other: a loop, not a recursion."""
    n = 3 * sys.getrecursionlimit()
    edges = {i: [i + 1, i] for i in range(n - 1)}
    edges[n - 1] = [n - 1]
    matched = name_links._maximum_matching(edges)
    assert sorted(matched.items()) == [(i, i) for i in range(n)]


def test_the_article_kept_for_the_last_call_is_not_given_for_none_once_collected():
    class Article:
        pass

    calls = []
    kept = for_the_last(lambda article: calls.append(article is None) or len(calls))
    article = Article()
    assert kept(article) == 1
    assert kept(article) == 1
    del article
    gc.collect()
    assert kept(None) == 2  # not the collected article's result
    assert kept(None) == 2


def test_name_linked_elsewhere_while_a_source_word_has_its_short_skeleton():
    # "Mau" (skeleton m, too short to be explained) linked to الثلاثاء, which the
    # translation renders nowhere: a changed name, unless the source writes ماو itself
    # (حركة ماو, "the Mau movement"), which makes the link a stray one.
    translation = "The committee announced the results of the Mau movement."
    source = "أعلنت اللجنة نتائج الحركة الثلاثاء."
    alignment = _linked(source, translation, {("الثلاثاء", "Mau"): 0.6})
    found = [f for f in _one(name.CHECK, source, translation, alignment) if f.src]
    assert [(f.kind, source[slice(*f.src)]) for f in found] == [("changed", "الثلاثاء")]
    source = "أعلنت اللجنة نتائج حركة ماو الثلاثاء."
    alignment = _linked(source, translation, {("الثلاثاء", "Mau"): 0.6})
    assert _one(name.CHECK, source, translation, alignment) == []
    # a common word with a one-letter skeleton (يوم: day; m, as "Emma") is no such name
    source, emma = "قالت لبنى إنها ستعود يوم الأحد.", "On Sunday, Emma said she would return."
    found = _one(name.CHECK, source, emma, _linked(source, emma, {("لبنى", "Emma"): 0.6}))
    assert [(f.kind, emma[slice(*f.tgt)]) for f in found] == [("changed", "Emma")]


def test_name_derived_from_a_gloss_is_explained():
    # "Templars" begins with "templ", the gloss temple of المعبد less its final e: explained
    # by فرسان المعبد; with another word in the source it has no counterpart.
    assert name_spelling._derived("Templars", {"temple"})
    assert not name_spelling._derived("Stanley", {"stand"})  # a gloss is the name's start, whole
    assert not name_spelling._derived("Tempo", {"temp"})  # four letters say nothing
    assert not name_spelling._derived("Crimea", {"crime"})  # nor four once the final e is dropped
    # a gloss the translation renders made no name: "green economy" and a swapped Greenland
    source = "تحدث الوزير عن الاقتصاد الأخضر في أيسلندا."
    greenland = "The minister spoke about the green economy in Greenland."
    (f,) = _one(name.CHECK, source, greenland, _linked(source, greenland, {}))
    assert (f.kind, greenland[slice(*f.tgt)]) == ("added", "Greenland")
    translation = "To understand the Templars one must understand the context."
    source = "علينا فهم السياق لكي نستوعب فرسان المعبد."
    assert _one(name.CHECK, source, translation, _linked(source, translation, {})) == []
    source = "علينا فهم السياق لكي نستوعب فرسان الحرب."
    (f,) = _one(name.CHECK, source, translation, _linked(source, translation, {}))
    assert (f.kind, translation[slice(*f.tgt)]) == ("added", "Templars")


def test_acronym_linked_to_a_name_the_translation_lacks_is_a_changed_name():
    # "METI" where the source says روسيا (russia), linked to it, which nothing renders: an
    # acronym no source word explains stands for the name.
    source = "قد يستنتج الناس أن روسيا قريبة من اليابان."
    translation = "People may conclude that METI is close to Japan."
    alignment = _linked(source, translation, {("روسيا", "METI"): 1.0})
    found = [f for f in _one(name.CHECK, source, translation, alignment) if f.src]
    assert [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in found] == [
        ("changed", "روسيا", "METI")
    ]
    # an acronym the source writes in Latin script, or whose letters the linked word's
    # glosses begin with, or that the source spells letter by letter, is explained
    assert _one(name.CHECK, source + " (METI)", translation, alignment) == []


def test_a_names_initial_alone_explains_no_acronym_linked_to_it():
    # "BCE" and "NSA" begin no gloss of أوروبا (europe) and هولندا (netherlands) but hold
    # their initial: a letter of a name is no expansion, and the acronym stands where the
    # name was
    for source, translation, pairs, arabic, acronym in (
        ("بدأت أوروبا الغربية في تطوير أسلوبها.", "Then western BCE began to develop a style.",
         {("أوروبا", "BCE"): 1.0, ("الغربية", "western"): 1.0, ("بدأت", "began"): 1.0},
         "أوروبا", "BCE"),
        ("زار الوزير هولندا أمس.", "The minister visited the NSA yesterday.",
         {("هولندا", "NSA"): 1.0, ("الوزير", "minister"): 1.0}, "هولندا", "NSA"),
    ):  # fmt: skip
        got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
        assert [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in got] == [
            ("changed", arabic, acronym)
        ]
    # the country's own acronym (countryinfo's spellings, the initials of its long name),
    # or one that holds the name with the word beside it, renders it
    for source, translation, pairs in (
        ("زار الرئيس أمريكا الشهر الماضي.", "The president visited the USA last month.",
         {("أمريكا", "USA"): 1.0, ("زار", "visited"): 1.0}),
        ("وصل الوفد في الصين أمس.", "The delegation arrived in the PRC yesterday.",
         {("الصين", "PRC"): 1.0, ("وصل", "arrived"): 1.0}),
        ("اجتمع قادة حلف شمال الأطلسي أمس.", "The leaders of NATO met yesterday.",
         {("الأطلسي", "NATO"): 1.0, ("قادة", "leaders"): 1.0}),
    ):  # fmt: skip
        assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []


@pytest.mark.parametrize(
    "source, translation, pairs",
    [
        # a nation's body, named by its adjective: the acronym renders the phrase
        (
            "وأعلن صندوق الاستثمارات العامة السعودي عن صفقة جديدة.",
            "The kingdom's sovereign wealth fund, the PIF, announced a new deal.",
            {("السعودي", "PIF"): 0.9},
        ),
        # a word of the expansion Arabic spells (برس: "Presse", the P of AFP)
        (
            "وقالت وكالة فرانس برس إن الشركة رفضت التعليق.",
            "The company declined to comment, AFP said.",
            {("برس", "AFP"): 0.9},
        ),
        # a verb the dictionary knows by another form (وذكرت, ذكر: "INA reported")
        (
            "وذكرت وكالة الأنباء العراقية أن البرلمان صوت على الموازنة.",
            "Parliament voted on the budget, INA reported.",
            {("وذكرت", "INA"): 0.8},
        ),
        # acronyms of another language, whose letters no English gloss gives, linked to
        # the country's adjective or a word the dictionary lacks
        (
            "وقال الوزير لوكالة الأنباء الإيطالية إن الاتفاق قريب.",
            "The minister told news agency ANSA that the deal was close.",
            {("الإيطالية", "ANSA"): 0.8},
        ),
        (
            "واتهمت الحكومة التركية حزب العمال الكردستاني بتنفيذ الهجوم.",
            "The Turkish government accused the PKK of carrying out the attack.",
            {("الكردستاني", "PKK"): 0.9, ("العمال", "PKK"): 0.6},
        ),
        (
            "وسيطرت هيئة تحرير الشام على المدينة.",
            "The city was taken by HTS fighters.",
            {("الشام", "HTS"): 0.8},
        ),
    ],
)
def test_acronym_of_a_body_the_source_names_in_words_is_no_changed_name(source, translation, pairs):
    alignment = _linked(source, translation, pairs)
    assert [f for f in _one(name.CHECK, source, translation, alignment) if f.src] == []


def test_an_acronym_for_a_nations_adjective_is_no_last_resort_change():
    # الإسرائيلي rendered nowhere and "IDF" explained by no source word: the acronym names
    # the army the source names by its adjective, no changed name
    source = "وقال الجيش الإسرائيلي إنه يحقق في الحادث."
    translation = "The military said it was investigating the incident, an IDF spokesman added."
    assert _one(name.CHECK, source, translation, _linked(source, translation, {})) == []


def test_acronym_explained_by_its_letters_is_no_changed_name():
    source = "ظهر على قناة التسوق كيو في سي."
    translation = "He appeared on the shopping channel QVC."
    alignment = _linked(source, translation, {("سي", "QVC"): 0.75})
    assert _one(name.CHECK, source, translation, alignment) == []
    assert name_acronyms._unexplained_acronyms(
        "It fell at 1200 GMT.",
        (word_tokens("سقط بتوقيت جرينتش"), word_tokens("It fell at 1200 GMT."), {}),
        [],
        {},
        set(),
    ) == [(16, 19, "GMT")]
    # two letters or a plural of two (US, MPs) are left alone, and so are names written
    # in two parts (KwaZulu)
    for text in ("The US agreed.", "The MPs agreed.", "The KwaZulu agreed."):
        parts = ([], word_tokens(text), {})
        assert name_acronyms._unexplained_acronyms(text, parts, [], {}, set()) == []


def test_one_name_lost_and_one_capitalized_word_unexplained_is_a_changed_name():
    # الفرنسية (the French) rendered nowhere, and "Geological", a common word no source
    # word explains, in its place: linked or not, a changed name.
    source = "ألهمت الثورة الفرنسية العديد من الناس."
    translation = "The Geological Revolution inspired many people."
    found = _one(name.CHECK, source, translation, _linked(source, translation, {}))
    assert [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in found] == [
        ("changed", "الفرنسية", "Geological")
    ]
    assert "no source word explains" in found[0].message
    # the name rendered: nothing
    good = "The French Revolution inspired many people."
    assert _one(name.CHECK, source, good, _linked(source, good, {})) == []
    # two unexplained capitalized words: no telling which stands for the name
    two = "The Geological Treaty Revolution inspired many people."
    assert _one(name.CHECK, source, two, _linked(source, two, {})) == []


def test_a_quoted_name_beside_a_common_word_linked_to_the_lost_name_is_a_changed_name():
    # دنلاب rendered nowhere, "broadsides" (a common word) linked to it and to النقدية:
    # no phrase of names, the name is lost; "Goma", a word English does not know, opens a
    # quotation and stands where it was.
    source = 'وتعرف النسخ الآن باسم "نشرات دنلاب النقدية".'
    pairs = {("دنلاب", "broadsides"): 0.5, ("النقدية", "broadsides"): 0.5}
    translation = 'The copies are now known as "Goma broadsides".'
    found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in found] == [
        ("changed", "دنلاب", "Goma")
    ]
    # the near misses: the name rendered, and a common word opening the quotation
    for near in (
        'The copies are now known as "Dunlap broadsides".',
        'The copies are now known as "Evening broadsides".',
    ):
        assert _one(name.CHECK, source, near, _linked(source, near, pairs)) == []


def test_a_word_the_dictionary_knows_as_written_is_read_whole_for_a_name():
    # برّاق (opalescent) is no ب before راق, whose skeleton is that of "York"
    assert name_spelling._known_as_written(name.normalize("برّاق"))
    assert not name_spelling._spells("برّاق", glosses("برّاق"), "York")
    assert not name_spelling._alike("برّاق", "York")
    # the addition check's reading keeps the preposition off
    assert name_spelling._alike("برّاق", "York", as_read=True)
    # a word the dictionary does not know as written loses its preposition: بلندن, London
    assert name_spelling._similar("بلندن", "London")


def test_a_verb_the_dictionary_reads_as_a_name_is_no_lost_name():
    # بدأت is glossed "dat" only as ب and دات: no name of the source, so "Valley", which
    # no source word explains, is no changed name.
    assert not name_spelling._named_by_itself("بدأت")
    assert name_spelling._named_by_itself("الفرنسية")
    source = "بدأت الجولة في الوادي."
    translation = "The tour began in the Loire Valley."
    assert [
        f
        for f in _one(name.CHECK, source, translation, _linked(source, translation, {}))
        if "no source word explains" in f.message
    ] == []


def test_name_linked_to_a_far_word_as_well_renders_no_phrase():
    # "States" is linked to الولايات (which "US" renders) and to بسوريا eight words on:
    # no phrase of the two, so سوريا is lost and "States" stands where it was.
    source = "أعلنت الولايات المتحدة مقتل القائد في غارة جوية شنتها قوات خاصة بسوريا."
    translation = "The US announced the commander was killed by special forces in States."
    pairs = {
        ("الولايات", "US"): 0.75,
        ("الولايات", "States"): 0.5,
        ("بسوريا", "States"): 0.5,
        ("مقتل", "killed"): 1.0,
        ("القائد", "commander"): 1.0,
        ("قوات", "forces"): 1.0,
        ("خاصة", "special"): 1.0,
    }
    (f,) = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert (f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) == (
        "changed",
        "بسوريا",
        "States",
    )
    # the near miss: a name linked to two words side by side renders their phrase
    # (منتخب جنوب أفريقيا, "Springboks")
    source = "فاز منتخب جنوب أفريقيا للرغبي بالبطولة أمس."
    translation = "The Springboks won the championship yesterday."
    pairs = {("منتخب", "Springboks"): 0.5, ("أفريقيا", "Springboks"): 0.5, ("فاز", "won"): 1.0}
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []


def test_a_capital_said_for_its_country_is_no_changed_name():
    # "Moscow said" for قالت روسيا: news writes a government by its capital
    source = "قالت روسيا إنها سترد على العقوبات ."
    for pairs in ({}, {("روسيا", "Moscow"): 1.0}):
        moscow = "Moscow said it would respond to the sanctions ."
        assert _one(name.CHECK, source, moscow, _linked(source, moscow, pairs)) == []
    # the country as the dictionary glosses it (أمريكا: america, of countryinfo's "United
    # States of America"), a capital of several words or with an accent (New Delhi, Bogotá)
    for country, capital in (
        ("أمريكا", "Washington"),
        ("الهند", "New Delhi"),
        ("كولومبيا", "Bogotá"),
    ):
        said = f"قالت {country} إنها سترد على العقوبات ."
        translation = f"{capital} said it would respond to the sanctions ."
        pairs = {(country, capital.split()[-1]): 1.0}
        assert _one(name.CHECK, said, translation, _linked(said, translation, pairs)) == []
    # another city, or another country, is still a changed name
    for other in ("Paris", "France"):
        translation = f"{other} said it would respond to the sanctions ."
        pairs = {("روسيا", other): 1.0}
        (f,) = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
        assert (f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) == (
            "changed",
            "روسيا",
            other,
        )
    # the other way, a country or its people for the capital: the government too ("Iran
    # denies" for طهران تنفي, "the Lebanese government" for بيروت, whose ب is its own)
    for capital, said, word in (
        ("طهران", "Iran", "Iran"),
        ("دمشق", "The Syrian government", "Syrian"),
        ("بيروت", "The Lebanese government", "Lebanese"),
    ):
        source = f"وقالت {capital} إنها سترد على العقوبات ."
        translation = f"{said} said it would respond to the sanctions ."
        pairs = {(capital, word): 1.0}
        assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []
    # but not where the capital is a place, after a preposition (بالقاهرة too) or a noun
    # (شمال موسكو): a country for it loses the place
    for source in (
        "وقع الهجوم في موسكو .",
        "وقع الهجوم بموسكو .",
        "وقع الهجوم شمال موسكو .",
        "وقع الهجوم بالقاهرة .",
    ):
        translation = "The attack took place in " + ("Egypt" if "القاهرة" in source else "Russia")
        translation += " ."
        word = translation.split()[-2]
        pairs = {(source.split()[-2], word): 1.0}
        (f,) = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
        assert f.kind == "changed" and translation[slice(*f.tgt)] == word
    # a possessive, and a particle with its conjunction (فإن): the government too
    for source, translation, word in (
        ("وقالت طهران إنها سترد .", "Iran's government said it would respond .", "Iran's"),
        (
            "وبحسب البيان فإن طهران ترفض العرض .",
            "According to the statement , Iran rejects the offer .",
            "Iran",
        ),
    ):
        pairs = {("طهران", word): 1.0}
        assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []
    # a verb of the feminine present before it (the dictionary knows no تقول, تتهم): the
    # government too
    for source, translation, capital, word in (
        ("وتقول طهران إنها لن تتراجع .", "Iran says it will not back down .", "طهران", "Iran"),
        ("وتتهم دمشق المعارضة بالهجوم .", "Syria accuses the opposition .", "دمشق", "Syria"),
    ):
        pairs = {(capital, word): 1.0}
        assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []
    # after a noun that ends in ت like a verb (a feminine plural), or that begins with ت
    # like the present (تحذير, warning, a word the dictionary knows), the capital is a place;
    # another country's name is no capital's country (Montenegro, of Serbia's old name)
    for source, translation, capital, word in (
        ("وانتهت مباحثات موسكو أمس .", "The Russia talks ended yesterday .", "موسكو", "Russia"),
        ("وجاء تحذير موسكو متأخرا .", "The Russia warning came late .", "موسكو", "Russia"),
        ("وقالت بلغراد إنها سترد .", "Montenegro said it would respond .", "بلغراد", "Montenegro"),
    ):
        pairs = {(capital, word): 1.0}
        (f,) = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
        assert f.kind == "changed" and translation[slice(*f.tgt)] == word
    # a country added where the translation renders the capital itself is added
    source = "قالت دمشق إنها سيطرت على المدينة ."
    translation = "Damascus said it had taken control of Syria ."
    pairs = {("دمشق", "Damascus"): 1.0, ("قالت", "said"): 1.0}
    (f,) = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert f.kind == "added" and translation[slice(*f.tgt)] == "Syria"
    # nor where the source names the capital too: "Moscow" is that word's, and one said
    # for روسيا is a changed name
    source = "قالت روسيا إن موسكو سترد ."
    translation = "Moscow said Moscow would respond ."
    changed = Finding("name", "changed", "error", 0.9, "changed", (5, 10), (0, 6))
    assert name_places._without_metonyms([changed], source, translation) == [changed]
    assert name_places._without_metonyms([changed], "قالت روسيا إنها سترد .", translation) == []


@pytest.mark.parametrize(
    "translation, found",
    [
        # a common word the dictionary writes جيولوجي, where the source has a word it lacks
        ("The bus goes to Geological every day.", True),
        # the name itself, though nothing the dictionary knows explains it
        ("The bus goes to Hebron every day.", False),
        # a word of a title, beside another capitalized word: no name of its own
        ("The bus goes to Geological Survey every day.", False),
        # at a sentence's start, capitalized whatever it is
        ("Geological buses go there every day.", False),
    ],
)
def test_a_common_word_linked_to_a_word_the_dictionary_lacks_is_a_changed_name(translation, found):
    source = "تذهب الحافلة إلى الخليل كل يوم."
    word = "Geological" if "Geological" in translation else "Hebron"
    pairs = {("الحافلة", "bus" if "bus " in translation else "buses"): 1.0, ("الخليل", word): 1.0}
    got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    if not found:
        assert got == []
        return
    f = _changed_warning(got, source, translation, "الخليل", "Geological")
    assert "does not know" in f.message


def test_a_source_name_an_acronym_holds_is_not_missing():
    # UCLA holds California's initial: كاليفورنيا is rendered, not missing; without the
    # acronym (or with one of other letters) it is still missing
    source = "نُقل المصور إلى مركز رونالد ريجان الطبي بجامعة كاليفورنيا."
    other = ("وقع زلزال في كاليفورنيا.", "An earthquake struck California.")

    def missing(translation):
        segments, art = _article((source, translation), other)
        return [
            segments[0].source[slice(*f.src)]
            for f in name.CHECK.check(segments[0], art)
            if f.kind == "missing"
        ]

    assert missing("The photographer was taken to Ronald Reagan UCLA Medical Center.") == []
    assert missing("The photographer was taken to Ronald Reagan NYU Medical Center.") == [
        "كاليفورنيا"
    ]
    assert missing("The photographer was taken to Ronald Reagan Medical Center.") == ["كاليفورنيا"]
    # an acronym with California's initial alone holds nothing: the word beside it must be
    # there too (CNN, NBC)
    for acronym in ("CNN", "NBC"):
        assert missing(
            f"The photographer was taken to Ronald Reagan Medical Center, {acronym} said."
        ) == ["كاليفورنيا"]


def test_names_are_read_without_accents_and_plural_nisbas_by_their_singular():
    assert name_spelling._similar("للصاميين", "Sámi") and name_spelling._similar("سامي", "Sámi")
    assert not name_spelling._similar("سامي", "Sópa")
    assert "china" in name_spelling._singular_glosses("الصينيين")
    assert name_spelling._singular_glosses("الصينية") == frozenset()  # no plural


@pytest.mark.parametrize(
    "sun_to, found",
    [
        # "Sun" linked to الشمس renders it; الشمسي (solar, sun), linked to the name, has
        # no rendering of its own: one translation word renders one source word
        ("الشمس", True),
        # "Sun" linked to الشمسي renders it, and the name linked to it is no change
        ("الشمسي", False),
    ],
)
def test_name_linked_to_a_word_whose_rendering_renders_another(sun_to, found):
    source = "قال العلماء إن النظام الشمسي يدور حول الشمس."
    translation = "Scientists said the Singh System moves around the Sun."
    pairs = {
        ("العلماء", "Scientists"): 1.0,
        ("النظام", "System"): 1.0,
        ("يدور", "moves"): 1.0,
        (sun_to, "Sun"): 1.0,
        ("الشمسي", "Singh"): 0.5,
    }
    findings = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    changed = [f for f in findings if f.kind == "changed"]
    if not found:
        assert changed == []
        return
    (f,) = changed
    assert source[slice(*f.src)] == "الشمسي" and translation[slice(*f.tgt)] == "Singh"
    # its one rendering went to الشمس: the message says so, not "1 times ... and 1"
    assert "whose renderings in the translation stand for other source words" in f.message


def test_a_nisba_explains_its_bases_people_though_the_dictionary_glosses_it_otherwise():
    # الفلسطينيون is glossed "philistines" only: its base فلسطين (palestine) explains
    # "Palestinians", which the verb وأدلى (read as the name "Adell") then did not replace
    assert "palestine" in name_proper._nisba_base_glosses("الفلسطينيون")
    assert name_proper._nisba_base_glosses("فلسطين") == frozenset()  # (no nisba)
    source = "وأدلى الفلسطينيون بأصواتهم ."
    for translation, flagged in (
        ("Palestinians cast their ballots .", False),
        ("Syrians cast their ballots .", True),  # the near miss: another people
    ):
        word = translation.split()[0]
        pairs = {("وأدلى", word): 0.75, ("الفلسطينيون", word): 0.625}
        found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
        assert bool(found) == flagged, (translation, found)


def test_a_capital_for_a_country_written_like_a_nisba_is_no_changed_name():
    # السعودية is "Saudi" by its letters, nisba ending and all: "Riyadh" renders it, linked
    # to it or standing where the source has a verb; not a name beside a capitalized word
    assert "saudi" in name_places._country_spelled("السعودية")
    assert name_places._country_spelled("اليابانية") == frozenset()  # Japanese, no جابان
    source = "وأعلنت السعودية رفع أسعار البنزين ."
    translation = "Riyadh announced a rise in petrol prices ."
    for pairs in ({("السعودية", "Riyadh"): 0.75}, {("رفع", "Riyadh"): 0.625}):
        assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []
    near = "Cairo announced a rise in petrol prices ."
    pairs = {("السعودية", "Cairo"): 0.75}
    assert _one(name.CHECK, source, near, _linked(source, near, pairs)) != []


def test_a_capitals_people_before_what_the_place_qualifies_is_no_changed_name():
    # مسؤولون في واشنطن: "American officials", the people's word before the rendering of
    # the word before the preposition; before another word the place is lost
    source = "وقال مسؤولون في واشنطن إن المحادثات مستمرة ."
    translation = "American officials said the talks were continuing ."
    pairs = {("واشنطن", "American"): 0.75, ("مسؤولون", "officials"): 1.0}
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []
    near = "Officials said the American talks were continuing ."
    pairs = {("واشنطن", "American"): 0.75, ("مسؤولون", "Officials"): 1.0}
    assert _one(name.CHECK, source, near, _linked(source, near, pairs)) != []
    # the aligner often links the people's word to nothing: no added name either
    pairs = {("مسؤولون", "officials"): 1.0}
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []


def test_an_acronym_spelling_a_run_that_holds_a_word_holds_it():
    from align.checks.words import holds

    # البنك المركزي الأوروبي: bank, central, european; "ECB" holds the last word
    run = [{"B"}, {"C"}, {"E"}]
    assert holds(run, 2, "ECB")
    assert not holds(run, 2, "ECX")  # a letter no word's
    assert not holds([{"B"}, None, {"E"}, {"C"}], 0, "ECB")  # a mark ends the run
    assert not holds([{"B"}, {"C"}, {"E"}, {"Q"}], 3, "ECB")  # not one of its letters


def test_a_word_the_translation_writes_as_a_symbol_beside_its_number_is_rendered():
    from align.checks.omission import rendered_by_a_symbol, rendered_numbers

    def symbols(source, translation):
        alignment = _linked(source, translation, {})
        found = rendered_by_a_symbol(alignment, rendered_numbers(alignment))
        return sorted(alignment.src_words[k].text for k in found)

    source = "وارتفع سعر خام برنت بنسبة ٣٫٥٪ ليصل إلى ٨٧ دولارا للبرميل."
    assert symbols(source, "Brent crude rose 3.5% to $87 a barrel.") == ["بنسبة", "دولارا"]
    # the words said, or the number changed: no symbol renders them
    assert symbols(source, "Brent crude rose 3.5 points to 87 dollars a barrel.") == []
    assert symbols(source, "Brent crude rose 4.5% to $97 a barrel.") == []
    source = "فتحت مراكز الاقتراع في الساعة الثامنة صباحا."
    assert symbols(source, "Polling stations opened at 8 a.m.") == ["صباحا"]
    assert symbols(source, "Polling stations opened at 8 in the morning.") == []
    assert symbols(source, "Polling stations opened at 8 p.m.") == []


@pytest.mark.parametrize(
    ("source", "translation", "left", "links"),
    [
        # الوكالة linked to "IAEA", the rest of its name left: the run in a row that holds
        # them is the acronym's
        ("وقالت الوكالة الدولية للطاقة الذرية إن إيران خصبت اليورانيوم.",
         "The IAEA said Iran enriched uranium.", "الدولية للطاقة الذرية",
         {("الوكالة", "IAEA"): 0.9, ("إيران", "Iran"): 1.0}),
        # FreeDict has no "countries" for الدول nor "petroleum" for للبترول; Buckwalter's
        # lexicon has
        ("قررت منظمة الدول المصدرة للبترول خفض الإنتاج.", "OPEC decided to cut output.",
         "منظمة الدول المصدرة للبترول", {("قررت", "decided"): 1.0}),
    ],
)  # fmt: skip
def test_an_acronym_renders_the_words_of_its_name_left_unlinked(source, translation, left, links):
    from align.checks.omission import UnlinkedSpan, _an_acronym_renders

    def span(alignment):
        start = source.index(left)
        words = [
            i for i, w in enumerate(alignment.src_words) if start <= w.start < start + len(left)
        ]
        return UnlinkedSpan(tuple(words), start, start + len(left), 0.0)

    alignment = _linked(source, translation, links)
    assert _an_acronym_renders(alignment, span(alignment))
    # no acronym in the translation: the words are left out
    spelled = translation.replace("IAEA", "agency").replace("OPEC", "The group")
    links = {k: v for k, v in links.items() if k[1] in spelled}
    alignment = _linked(source, spelled, links)
    assert not _an_acronym_renders(alignment, span(alignment))


@pytest.mark.parametrize(
    ("source", "translation", "added"),
    [
        # a country swapped in where the source names none: in a capitalized run, or
        # where a common word spells it at the looser bar (تشتهر, "is famous": Australia)
        # (with الأولمبية in the source, "Haiti" is a changed name: the last resort pairs
        # it with the nisba the translation renders nowhere)
        ("تدعم الولايات المتحدة رسالة اللجنة الأمريكية.",
         "The United States supports the letter of the United States Haiti Committee.",
         ["Haiti"]),
        ("كما تشتهر باريس بالموضة، كانت القسطنطينية عاصمة الموضة في أوروبا.",
         "As Paris is known for fashion, Australia was the fashion capital of Europe.",
         ["Australia"]),
        # the source names it: by the dictionary, its people, its capital, in Latin script
        ("زار الرئيس الصين أمس.", "The president visited China yesterday.", []),
        ("التقى الرئيس بمسؤولين صينيين.", "The president met officials of China.", []),
        ("وصل الوزير إلى بكين.", "The minister arrived in Beijing, China.", []),
        ("قال مسؤول في Haiti إن الوضع هادئ.", "An official in Haiti said it was calm.", []),
        # context a translator adds: possessive, before a hyphen
        ("قال المتحدث إن الحوثيين أطلقوا صاروخا.",
         "The spokesman said Yemen's Houthis fired a missile.", []),
        ("هاجمت الميليشيات المدعومة القاعدة.", "Iran-backed militias attacked the base.", []),
        # a demonym or a word of a longer name is no country of this rule
        ("قال مسؤول إن الوضع هادئ.", "A French official said it was calm.", []),
    ],
)  # fmt: skip
def test_name_a_country_the_source_names_nowhere_is_added(source, translation, added):
    found = [
        translation[f.tgt[0] : f.tgt[1]]
        for f in _one(name.CHECK, source, translation)
        if f.message.endswith("a country no word of the source names.")
    ]
    assert found == added


def test_name_linked_to_a_word_another_word_renders_renders_no_phrase():
    # "Goma" linked to الجنود and البريطانيون, side by side: "soldiers" renders the first,
    # so "Goma" renders no phrase of the two and stands where the nisba was.
    source = "هذا هو المكان الذي اتخذه الجنود البريطانيون مقرا لهم."
    translation = "This is the place the Goma soldiers took as their own."
    pairs = {
        ("الجنود", "Goma"): 0.5,
        ("البريطانيون", "Goma"): 0.5,
        ("الجنود", "soldiers"): 1.0,
        ("المكان", "place"): 1.0,
    }
    found = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [(f.kind, translation[slice(*f.tgt)]) for f in found] == [("changed", "Goma")]
    # the near miss: nothing else renders the two words, and "Goma" renders their phrase
    del pairs[("الجنود", "soldiers")]
    translation = translation.replace(" soldiers", "")
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []


def test_name_linked_to_a_name_apart_from_its_other_word_renders_no_phrase():
    # ألونسو, a word the dictionary lacks, is "Alonso" in another pair of the article;
    # "Kanjar" linked to it and to قصيرة, a word further on, stands where Alonso was.
    before = SegmentInput(0, "فاز ألونسو بالسباق.", "Alonso won the race.")
    source = "أنهى مايكل شوماخر السباق بعد ألونسو بفترة قصيرة."
    translation = "Michael Schumacher ended his race not long after Kanjar."
    pairs = {
        ("مايكل", "Michael"): 1.0,
        ("شوماخر", "Schumacher"): 1.0,
        ("ألونسو", "Kanjar"): 0.5,
        ("قصيرة", "Kanjar"): 0.5,
    }

    def found(pairs):
        segment = SegmentInput(1, source, translation, _linked(source, translation, pairs))
        got = name.CHECK.check(segment, ArticleInput((before, segment)))
        return [(source[slice(*f.src)], translation[slice(*f.tgt)]) for f in got if f.tgt]

    assert found(pairs) == [("ألونسو", "Kanjar")]
    # the near miss: linked to the word beside it as well, "Kanjar" renders a phrase
    assert found({**pairs, ("بفترة", "Kanjar"): 0.5}) == []


def test_a_country_english_knows_as_a_word_is_a_name():
    # "china" is also porcelain, "turkey" a bird: the dictionary's only gloss is still a
    # country's name, and the word a name
    assert name_proper._proper_name("للصين", {"china"}) == "china"
    assert name_proper._proper_name("تركيا", {"turkey"}) == "turkey"
    # a common word that names no country keeps a word from being a name
    assert name_proper._proper_name("بيت", {"house", "bett"}) is None


def test_a_country_by_a_name_of_its_own_is_a_name_a_capitalized_word_may_replace():
    # ألمانيا spells no English name of Germany (Allemagne's), but the dictionary glosses
    # it with the country alone: "Smiths" linked to it stands where the country was
    source = "وكانوا في طريقهم نحو ألمانيا الآن."
    assert name_proper._country_by_name("ألمانيا", {"germany"}) == "germany"

    def found(translation, word):
        pairs = {("ألمانيا", word): 1.0, ("طريقهم", "way"): 1.0}
        got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
        return [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in got]

    assert found("They were on their way towards Smiths now.", "Smiths") == [
        ("changed", "ألمانيا", "Smiths")
    ]
    # its people's word or the country's name renders it
    assert found("They were on their way towards the German border now.", "German") == []
    assert found("They were on their way towards Germany now.", "Germany") == []
    # a word with a common gloss, a nisba or a function word names no country so
    assert name_proper._country_by_name("الديك", {"turkey", "rooster"}) is None
    assert name_proper._country_by_name("الألمانية", {"germany"}) is None
    # nor a word Buckwalter's lexicon also reads as a common word: المغرب, the west and
    # the Maghreb as well as Morocco ("the North African states" for دول المغرب العربي)
    assert name_proper._country_by_name("المغرب", {"morocco"}) is None


def test_a_common_word_only_loosely_like_a_lost_name_stands_in_its_place():
    # "Service" is loosely like الروسي by its letters, but a common word says nothing by
    # them: linked to the nisba the translation renders nowhere, it stands where it was
    source = "حذر جهاز الأمن الفيدرالي الروسي واشنطن."

    def found(translation, word):
        pairs = {
            ("الروسي", word): 0.5,
            ("الأمن", "Security"): 1.0,
            ("الفيدرالي", "Federal"): 1.0,
            ("جهاز", "agency"): 1.0,
            ("واشنطن", "Washington"): 1.0,
        }
        got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
        # (the link rule's finding, not the last rule's for a line's one lost name)
        return [
            (f.kind, source[slice(*f.src)], translation[slice(*f.tgt)])
            for f in got
            if "the alignment puts" in f.message
        ]

    assert name_spelling._alike("الروسي", "Service")
    assert not name_spelling._similar("الروسي", "Service")
    assert found("The Service Federal Security agency warned Washington.", "Service") == [
        ("changed", "الروسي", "Service")
    ]
    # a name loosely like it is the word spelled otherwise, and its people's word renders it
    assert name_spelling._alike("الروسي", "Rossi")
    assert found("The Rossi Federal Security agency warned Washington.", "Rossi") == []
    assert found("The Russian Federal Security agency warned Washington.", "Russian") == []


@pytest.mark.parametrize(
    "source, translation, arabic, english, found",
    [
        ("فازت في استفتاء آميس سترو في أغسطس.", "She won the Ames Straw Poll in Kingdoms.",
         "أغسطس", "Kingdoms", True),
        ("فازت في استفتاء آميس سترو في أغسطس.", "She won the Ames Straw Poll in August.",
         "أغسطس", "August", False),
        ("عثروا على الصندوقين يوم الأربعاء.", "They recovered both boxes on Treaty.",
         "الأربعاء", "Treaty", True),
        ("عثروا على الصندوقين يوم الأربعاء.", "They recovered both boxes on Wednesday.",
         "الأربعاء", "Wednesday", False),
        # مارس is also "practised", أحد also "someone": no date read from them
        ("فازت في استفتاء آميس سترو في مارس.", "She won the Ames Straw Poll in Kingdoms.",
         "مارس", "Kingdoms", False),
        # news style abbreviates months; an event's name is no date, in either language
        ("وصل الوفد في 5 سبتمبر إلى القاهرة.", "The delegation arrived in Cairo on Sept. 5.",
         "سبتمبر", "Sept", False),
        ("ودمرت الضاحية خلال حرب تموز.", "The suburb was destroyed in the Lebanon war.",
         "تموز", "Lebanon", False),
        ("فازت في استفتاء آميس سترو في أغسطس.", "She won the poll at Kingdoms Park.",
         "أغسطس", "Kingdoms", False),
    ],
)  # fmt: skip
def test_a_month_or_day_linked_to_a_capitalized_word_is_a_changed_date(
    source, translation, arabic, english, found
):
    pairs = {(arabic, english): 0.75, ("فازت", "won"): 1.0, ("عثروا", "recovered"): 1.0}
    pairs = {k: v for k, v in pairs.items() if k[0] in source and k[1] in translation}
    got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    dates = [
        (source[slice(*f.src)], translation[slice(*f.tgt)])
        for f in got
        if f.kind == "changed" and "changed date" in f.message
    ]
    assert dates == ([(arabic, english)] if found else [])


def test_a_word_linked_most_strongly_to_a_name_renders_no_phrase_of_it():
    # "Association" linked strongly to أمريكا and by chance to تدخل stands where the name
    # was; linked as weakly to both, it may render their phrase, as a name does
    source = "معظم البضائع القادمة من أمريكا الوسطى تدخل هذه البلد."
    translation = "Most of the goods from Central Association came into this country."

    def found(strength):
        pairs = {
            ("أمريكا", "Association"): strength,
            ("تدخل", "Association"): 0.5,
            ("الوسطى", "Central"): 1.0,
            ("البضائع", "goods"): 1.0,
        }
        got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
        return [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in got]

    assert found(0.75) == [("changed", "أمريكا", "Association")]
    assert found(0.6) == []


@pytest.mark.parametrize(
    "source, translation, pairs",
    [
        # a word that renders one of the words it is linked to renders their phrase
        ("وقالت وزيرة الخارجية هيلاري كلينتون.", "Secretary of State Clinton said.",
         {("كلينتون", "Clinton"): 0.9, ("هيلاري", "Clinton"): 0.6}),
        # a name only Buckwalter's lexicon knows has no people's word there: a word that
        # begins as the name does is one
        ("وقال الجيش إن سكان غزة بلا كهرباء.", "The army said Gazans had no electricity.",
         {("غزة", "Gazans"): 0.8, ("سكان", "Gazans"): 0.6}),
    ],
)  # fmt: skip
def test_a_name_rendered_with_another_word_of_its_phrase_is_no_changed_name(
    source, translation, pairs
):
    got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
    assert [f for f in got if f.kind == "changed"] == []


def test_a_name_only_buckwalters_lexicon_knows_is_a_name_a_capitalized_word_may_replace():
    # FreeDict lacks آيرس; Buckwalter's lexicon reads it as "aires" alone, which it spells:
    # "Articles" linked to it stands where the name was
    source = "بصفتها عضواً في وفد مقاطعة بوينس آيرس."
    assert name_proper._analysed_name("آيرس")[0] == "aires"

    def found(translation, word):
        pairs = {("آيرس", word): 0.75, ("بوينس", "Buenos"): 1.0, ("وفد", "delegation"): 1.0}
        got = _one(name.CHECK, source, translation, _linked(source, translation, pairs))
        return [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in got]

    assert found("as a member of the Buenos Articles province delegation.", "Articles") == [
        ("changed", "آيرس", "Articles")
    ]
    assert found("as a member of the Buenos Aires province delegation.", "Aires") == []
    # a word the lexicon reads as a common word (نت: sway), or as a people's adjective in
    # any form (أميركياً, american: "US" renders it), is no name of its own
    assert name_proper._analysed_name("نت") == (None, frozenset())
    assert name_proper._analysed_name("أميركياً") == (None, frozenset())


@pytest.mark.parametrize(
    "translation, word, found",
    [
        # الصينية (a nisba the dictionary glosses "salver", "tray"; its base الصين: china)
        ("Earlier the Geological news agency Xinhua reported a hijacking.", "Geological", True),
        # the country's people or the country render it: nothing changed
        ("Earlier the Chinese news agency Xinhua reported a hijacking.", "Chinese", False),
        ("Earlier the China news agency Xinhua reported a hijacking.", "China", False),
    ],
)
def test_a_nisba_of_a_country_linked_to_a_capitalized_word_is_a_changed_name(
    translation, word, found
):
    source = "أعلنت وكالة الأنباء الصينية شينوا في وقت سابق عن اختطاف."
    alignment = _linked(source, translation, {("الصينية", word): 0.75, ("وكالة", "agency"): 1.0})
    got = [
        f
        for f in _one(name.CHECK, source, translation, alignment)
        if f.tgt and translation[slice(*f.tgt)] == word
    ]
    if not found:
        assert got == []
        return
    (f,) = got
    assert (f.kind, source[slice(*f.src)]) == ("changed", "الصينية")
    assert "(China)" in f.message and "'Geological' in its place" in f.message


def test_a_word_said_twice_has_its_name_in_the_same_translation():
    # الكتالونية is unknown to the dictionary and said twice; the translation writes
    # "Catalan" once, and "Solar" where the first one stands
    source = "لغتا برشلونة الرسميتان هما الكتالونية والإسبانية. يفضل نصف السكان التحدث بالكتالونية."
    translation = (
        "Barcelona's official languages are Solar and Spanish. "
        "About a half prefer to speak Catalan."
    )
    links = {("الكتالونية", "Solar"): 0.75, ("بالكتالونية", "Catalan"): 1.0}
    segment = SegmentInput(0, source, translation, _linked(source, translation, links))
    got = [
        f
        for f in name.CHECK.check(segment, ArticleInput((segment,)))
        if f.tgt and translation[slice(*f.tgt)] == "Solar"
    ]
    assert [(f.kind, source[slice(*f.src)]) for f in got] == [("changed", "الكتالونية")]
    # said once, the word has no name to lose
    once = "لغتا برشلونة الرسميتان هما الكتالونية والإسبانية."
    first = translation.split(". ")[0] + "."
    segment = SegmentInput(0, once, first, _linked(once, first, {("الكتالونية", "Solar"): 0.75}))
    got = name.CHECK.check(segment, ArticleInput((segment,)))
    assert [f for f in got if "in its place" in f.message] == []


def test_a_name_after_li_and_the_article_is_named_by_itself():
    # للصين is ل before الصين (the article's alif dropped): the name is read whole, and a
    # common word standing where it is, no source word explaining it, has changed it
    assert name_spelling._named_by_itself("للصين")
    source = "لم يحدد رقمًا للتخفيضات، قائلًا إنها ستعتمد على الناتج الاقتصادي للصين."
    translation = "He did not set a figure, saying they will be based on Survey's economic output."
    got = _one(name.CHECK, source, translation, _linked(source, translation, {}))
    assert [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in got] == [
        ("changed", "للصين", "Survey's")
    ]


@pytest.mark.parametrize(
    "source, translation, pairs, arabic",
    [
        # a nisba whose country's names no letter of the acronym begins and whose noun
        # phrase's glosses neither (طول الجسر الروماني: length, pons; Romania): "NSA"
        # stands where "Romanian" was
        (
            "وكان الأمل الوحيد هو التراجع على طول الجسر الروماني.",
            "The only hope was to retreat along the NSA bridgehead.",
            {("الروماني", "NSA"): 0.75, ("الجسر", "bridgehead"): 1.0},
            "الروماني",
        ),
        # linked to a name and a common word no letter of it explains: no phrase it renders
        (
            "أطلق لقب عاصمة الموضة على باريس بدلا من القسطنطينية.",
            "The title of Fashion Capital went from Constantinople to DNA.",
            {("باريس", "DNA"): 0.62, ("بدلا", "DNA"): 0.62, ("القسطنطينية", "Constantinople"): 1.0},
            "باريس",
        ),
    ],
)
def test_an_acronym_no_source_word_explains_may_stand_for_a_lost_word(
    source, translation, pairs, arabic
):
    found = [f for f in _one(name.CHECK, source, translation, _linked(source, translation, pairs))]
    assert [source[slice(*f.src)] for f in found if f.src] == [arabic]
    # the name rendered beside it: nothing for the acronym
    if arabic == "الروماني":
        good = "The only hope was to retreat along the Romanian NSA bridgehead."
        pairs = {("الروماني", "Romanian"): 1.0, ("الجسر", "bridgehead"): 1.0}
        assert _one(name.CHECK, source, good, _linked(source, good, pairs)) == []


@pytest.mark.parametrize(
    "source, translation, pairs",
    [
        # an acronym of common words' initials linked strongly to its head word
        ("ارتفع الناتج المحلي الإجمالي بنسبة كبيرة.", "The GDP rose sharply.",
         {("الناتج", "GDP"): 1.0, ("ارتفع", "rose"): 1.0}),
        ("اجتمع حلف شمال الأطلسي أمس.", "The NATO met yesterday.",
         {("حلف", "NATO"): 1.0, ("اجتمع", "met"): 1.0}),
        ("قال الجيش الإسرائيلي إنه قصف الموقع.", "The IDF said it struck the site.",
         {("الجيش", "IDF"): 1.0, ("الموقع", "site"): 1.0}),
        # a nation's agency by its nisba: the country's letter, or the agency's word
        ("ذكرت وكالة الأنباء القطرية أن الزيارة بدأت.", "The QNA said the visit began.",
         {("وكالة", "QNA"): 0.75, ("القطرية", "QNA"): 0.75, ("الزيارة", "visit"): 1.0}),
        ("قالت وكالة الأنباء الألمانية إن الاجتماع انتهى.", "The DPA said the meeting ended.",
         {("وكالة", "DPA"): 0.62, ("الألمانية", "DPA"): 0.75, ("الاجتماع", "meeting"): 1.0}),
        ("قالت هيئة البث الإسرائيلية إن المفاوضات توقفت.", "The KAN said talks stopped.",
         {("هيئة", "KAN"): 0.62, ("الإسرائيلية", "KAN"): 0.75, ("المفاوضات", "talks"): 1.0}),
    ],
)  # fmt: skip
def test_a_news_acronym_for_its_source_words_is_no_changed_name(source, translation, pairs):
    assert _one(name.CHECK, source, translation, _linked(source, translation, pairs)) == []


def test_one_lost_nisba_and_one_unexplained_capital_are_a_changed_name():
    # الأولمبية (a nisba the dictionary lacks; its base: olympia) is rendered nowhere, and
    # "Revolution" is the one capitalized word no source word explains: the last resort
    # pairs them, with no link between them
    source = "يتنافس الإيطاليون في الألعاب الدولية والأحداث الأولمبية."
    translation = "Italians compete in international games and Revolution events."
    got = _one(name.CHECK, source, translation, _linked(source, translation, {}))
    assert [(f.kind, source[slice(*f.src)], translation[slice(*f.tgt)]) for f in got] == [
        ("changed", "الأولمبية", "Revolution")
    ]
    # the name rendered: nothing
    rendered = "Italians compete in international games and Olympic events."
    assert _one(name.CHECK, source, rendered, _linked(source, rendered, {})) == []


@pytest.mark.parametrize(
    ("source", "translation", "part"),
    [
        ("التقى الرئيس عبد الفتاح السيسي نظيره الفرنسي.",
         "President Abdel Fattah al-Sisi met his French counterpart.", "Abdel"),
        ("قال الأمين العام أحمد أبو الغيط إن الوضع خطير.",
         "Secretary-General Ahmed Aboul Gheit said the situation was serious.", "Aboul"),
        ("يبدأ الحجاج مناسكهم في الثامن من ذي الحجة.",
         "Pilgrims begin their rites on the 8th of Dhul Hijja.", "Dhul"),
    ],
)  # fmt: skip
def test_a_names_first_part_with_the_next_words_article_is_explained(source, translation, part):
    # English writes عبد, أبو and ذو with the article of the word after them: "Abdel"
    # is عبد with the ال of الفتاح, no name of its own
    assert name_links.unexplained_names(source, translation) == {}
    assert _one(name.CHECK, source, translation, _linked(source, translation, {})) == []
    assert part in translation
    # only those first words take the next one's article: any word would explain loose
    # spellings of other names
    words = name_spelling._arabic_words
    assert name_spelling._with_the_next_article(words("قال عبد الفتاح")) == ["عبدال"]
    assert name_spelling._with_the_next_article(words("وصل قسطنطين الأكبر")) == []


def test_a_word_of_a_numbers_scale_is_no_name():
    # مليار, which the dictionary glosses "milliard" alone, is the number check's billion:
    # no name lost beside "Crown", which no source word explains (ولي: liege)
    for source, translation in (
        (
            "أعلن ولي العهد الأمير عن استثمارات بقيمة 40 مليار دولار.",
            "The Crown Prince announced investments worth $40 billion.",
        ),
        (
            "وقال محافظ البنك المركزي إن الاحتياطي بلغ 40 مليار دولار.",
            "The Central Bank Governor said reserves reached $40 billion.",
        ),
    ):
        assert _one(name.CHECK, source, translation, _linked(source, translation, {})) == []
    for word in ("مليار", "بالمليار", "مليارات"):
        assert name_proper._proper_name(word, {"milliard"}) is None
    assert name_proper._proper_name("فرنسا", {"france"}) == "france"


def test_an_unknown_word_linked_to_nothing_and_one_unexplained_capital_are_a_changed_name():
    # تمبكتو: neither the dictionary nor Buckwalter's lexicon knows it, and the alignment
    # links it to nothing: a name the dictionary lacks, which "Revolution", the one
    # capitalized word no source word explains, may stand for
    source = "تعد مدينة تمبكتو اليوم فقيرة."
    translation = "Today, Revolution is a poor town."
    links = {("مدينة", "town"): 1.0, ("فقيرة", "poor"): 1.0, ("اليوم", "Today"): 1.0}
    got = _one(name.CHECK, source, translation, _linked(source, translation, links))
    f = _changed_warning(got, source, translation, "تمبكتو", "Revolution")
    assert "'تمبكتو' (not in the dictionary)" in f.message
    # linked to a translation word (``WORD_LINK``), or with no alignment to say: nothing
    for linked in ({**links, ("تمبكتو", "town"): 0.6}, None):
        alignment = _linked(source, translation, linked) if linked else None
        assert not [f for f in _one(name.CHECK, source, translation, alignment) if f.src]
    # the name rendered: nothing
    rendered = "Today, Timbuktu is a poor town."
    assert _one(name.CHECK, source, rendered, _linked(source, rendered, links)) == []
    # a verb the dictionary lacks, which Buckwalter's lexicon reads, is no name
    verb = "نتخوف من الأحداث في المدينة."
    feared = "In the town, Revolution events are feared."
    pairs = {("الأحداث", "events"): 1.0, ("المدينة", "town"): 1.0}
    assert not [f for f in _one(name.CHECK, verb, feared, _linked(verb, feared, pairs)) if f.src]


def test_name_a_name_written_in_parts_run_together_or_hyphened():
    def found(source, translation, pairs):
        links = _linked(source, translation, dict.fromkeys(pairs, 0.9))
        segment = SegmentInput(0, source, translation, links)
        got = name.CHECK.check(segment, ArticleInput((segment,)))
        # (a finding on the translation by its word there, one on the source alone by its)
        return [(f.kind, (translation if f.tgt else source)[slice(*(f.tgt or f.src))]) for f in got]

    # A name whose parts English runs together, each capitalized (McCarthy, YouTube), is a
    # name like any other: swapped in for another, it is a changed name ...
    for source, translation, pair in (
        ("قال السيناتور ميتش ماكونيل إن التصويت سيجري غدا.", "Senator Mitch McCarthy said "
         "the vote would take place tomorrow.", ("ماكونيل", "McCarthy")),
        ("توقعت ألمانيا ردا مشابها.", "Then TogiNet expected a similar response.",
         ("ألمانيا", "TogiNet")),
        ("نشرت الشركة الفيديو على موقع ماكدونالدز أمس.", "The company posted the video on "
         "the PayPal site yesterday.", ("ماكدونالدز", "PayPal")),
    ):  # fmt: skip
        assert found(source, translation, [pair]) == [("changed", pair[1])], pair
    # ... and the right one is no finding
    for source, translation, pair in (
        ("قال السيناتور ميتش ماكونيل إن التصويت سيجري غدا.", "Senator Mitch McConnell said "
         "the vote would take place tomorrow.", ("ماكونيل", "McConnell")),
        ("نشرت الشركة الفيديو على موقع يوتيوب أمس.", "The company posted the video on "
         "the YouTube site yesterday.", ("يوتيوب", "YouTube")),
        # (a technical term of short parts is no name: WiFi, which the aligner parks on
        # يعمل, "works", where واي فاي are left unlinked)
        ("قال إنه صنع جرس باب يعمل بتقنية واي فاي.", "He built a WiFi door bell, he said.",
         ("يعمل", "WiFi")),
    ):  # fmt: skip
        assert found(source, translation, [pair]) == [], pair
    # A name English writes in hyphened parts and Arabic as one word is one name: no part
    # of it stands for another (KwaZulu alone is like no source word), while a name in its
    # place is still a changed name
    source = "وصل الوفد إلى كوازولوناتال في جنوب أفريقيا."
    for translation, pairs, expected in (
        ("The delegation arrived in KwaZulu-Natal in South Africa.",
         [("كوازولوناتال", "KwaZulu"), ("كوازولوناتال", "Natal")], []),
        ("The delegation arrived in Mpumalanga in South Africa.",
         [("كوازولوناتال", "Mpumalanga")], [("changed", "Mpumalanga")]),
    ):  # fmt: skip
        assert found(source, translation, pairs) == expected, translation
    # (nor is a part a name no source word explains, for the addition check's witness)
    hyphened = "The delegation arrived in KwaZulu-Natal in South Africa."
    assert name.unexplained_names(source, hyphened) == {}
    # (a possessive too; and a part linked to another name stands for it: Limpopo is lost)
    text = "زار الوفد عاصمة كوازولوناتال أمس."
    translation = "The delegation visited KwaZulu-Natal's capital yesterday."
    pairs = [("كوازولوناتال", "KwaZulu"), ("كوازولوناتال", "Natal's")]
    assert found(text, translation, pairs) == []
    text = "زار الوفد كوازولوناتال وليمبوبو أمس."
    translation = "The delegation visited KwaZulu-Natal and South Africa yesterday."
    pairs = [("كوازولوناتال", "KwaZulu"), ("وليمبوبو", "Natal")]
    assert ("changed", "Natal") in found(text, translation, pairs)
    # and no part of it is a name the source lacks where another name is swapped in
    # ("Simpsons" for أفريقيا, the aligner parking "Natal" on أفريقيا): KwaZulu is the name
    # of كوازولوناتال, and "Simpsons" the one word no source word explains (the part linked
    # to the name lost is said to stand for it as well)
    text = "اكتشف توني مول المرض في منطقة كوازولوناتال في جنوب إفريقيا."
    translation = "Tony Moll discovered the disease in the South Simpsons region KwaZulu-Natal."
    pairs = [("كوازولوناتال", "Simpsons"), ("كوازولوناتال", "KwaZulu"), ("إفريقيا", "Natal"),
             ("توني", "Tony"), ("مول", "Moll")]  # fmt: skip
    got = found(text, translation, pairs)
    assert ("changed", "Simpsons") in got
    assert not {"KwaZulu", "كوازولوناتال"} & {word for _, word in got}, got
    # (an article or a name's opening word is no part of it: "Al-Aqsa", joined, is like
    # القدس too, and "Abdel-Rahman" like عبدالرحيم)
    source = "أعلنت سرايا القدس مسؤوليتها عن إطلاق الصواريخ."
    translation = "The Al-Aqsa Brigades claimed responsibility for the rockets."
    assert found(source, translation, [("القدس", "Aqsa")]) == [("changed", "Aqsa")]
    source = "قال عبدالرحيم إن الاتفاق قريب."
    translation = "Abdel-Rahman said the deal was close."
    assert found(source, translation, [("عبدالرحيم", "Rahman")]) != []
