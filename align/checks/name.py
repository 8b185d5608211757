"""Names that a translation changed, lost or added, matched across scripts.

An English *name* is a capitalized word that is not a common English word (lemminflect does
not know it: Moscow, Kirby, not State or Video), not an acronym (US, ISIS: often not a
transliteration), not a month and with a consonant skeleton of at least three letters. It
is *explained* by the source when an Arabic word transliterates to it (consonant skeletons,
``align.links.lexical``, read without accents: Sámi, سامي), the background dictionary
glosses an Arabic word of the source with it (موسكو: moscow; الروسي: russian; a plural
nisba the dictionary lacks by its singular: الصينيين, "Chinese"), or it is written in
the source in Latin script; or it is derived from a gloss of a source word the
translation renders nowhere else (``MIN_DERIVED_GLOSS``: Templars from فرسان المعبد,
temple).
A source word the dictionary knows only by common glosses transliterates a name only when
closely alike (``KNOWN_WORD_SIMILARITY``: كريم, "Karim"; المحكمة, court, is not "Olympic"),
and read as the dictionary reads it (``_known_as_written``: برّاق is no ب before راق, "York").

An Arabic *name* is a word of the source that the background dictionary glosses with a
word lemminflect does not know (a proper name: موسكو → moscow), or that transliterates to
a name of some other translation of the article; nisba adjectives (الأمريكي) are left out,
since "US" often stands for them. It is *found* when the translation has its gloss or its
transliteration.

- an Arabic name not found while the translation has an unexplained name: ``changed``
  (error), sure when the alignment links the two, else only when each side has one;
- an Arabic name not found and nothing unexplained: ``missing`` (warning), unless an
  acronym of the translation (``MIN_ACRONYM`` capitals or more) holds it with a word
  beside it, the initials of a gloss of each in a row (UCLA for جامعة كاليفورنيا);
- neither for a name that renders a phrase: a translation name the alignment links
  (``WORD_LINK``) to two source content words or more (منتخب جنوب أفريقيا للرغبي:
  "Springboks") renders every source word from the first to the last of them, and is not
  unexplained (on the six alignments made for tuning, name P 0.771 → 0.788, R 0.464 →
  0.459, clean lines with a finding of any check 3.9% → 3.8%). For the rules below that
  ask the dictionary whether the lost word is a name, only words close together
  (``PHRASE_GAP``) make a phrase: "States" linked to الولايات and to بسوريا far off
  stands where سوريا was;
- an unexplained English name with no lost Arabic name, that the alignment links to no
  source word: ``added`` (warning; never without an alignment);
- an English name, explained by no source word, that the alignment links strongly
  (``STRONG_LINK``) to a source word whose dictionary glosses are all names, one of which
  the word transliterates (فرنسا: france), when the translation has nothing for that word
  and the two are not even loosely alike (``LOOSE_SIMILARITY``): ``changed`` (error; a
  warning for a nisba, which a translation may render by a capital: اليابانية, "Tokyo").
  The same link to a source word the dictionary does not know (``UNKNOWN_MIN_SKELETON``:
  مولدوفا, "Baltic") is a ``changed`` warning, unless the name is linked to another source
  content word as well (a phrase it renders: منتخب جنوب أفريقيا للرغبي, "Springboks"; on
  the alignments made for tuning this took name P 0.761 → 0.771 at the same recall, and
  0.753 → 0.770 with training text). This needs neither the article's other
  translations nor a long skeleton: the link and the source word's own name say what the
  translation should have written. One finding a name: it replaces a ``missing`` finding
  of the same source word and gives way to a ``changed`` one.
- an English name explained by no source word, in the middle of a sentence, that the
  alignment links (``WORD_LINK``, weaker than the rule above needs) to a source word the
  dictionary knows, when the translation has none of that word's glosses and nothing that
  transliterates it: ``changed`` (warning). The name stands where the source has another
  word, one the translation renders nowhere else (الثلاثاء, glossed tuesday, linked to
  "Olympic"; a name such as فرنسا linked weakly to "Spain"). A word the source says twice
  counts when the translation renders it once, if the link is no guess beside the word's
  own rendering (``DOMINANCE``) and the words beside it are rendered (else the name renders
  a phrase: الجبل الأسود, "Montenegro"). One translation word renders one source word
  (``_matching``): a word whose only rendering renders another source word linked to it
  more strongly has none ("the Singh System ... the Sun" for النظام الشمسي ... الشمس,
  "Sun" linked to الشمس), with the same two tests. A name in a run
  of capitalized words with another unexplained one is part of a foreign name (Médecins
  Sans Frontières) and is left alone, and so is a name linked to two source words or more
  (عيد الفصح, "Easter": a phrase it renders); a source word whose skeleton is the name's
  (بابا, "Baba") or that the whole run transliterates (نيويورك, "New York") explains it.
  A source word the dictionary does not know counts when it is long enough to be a name
  (``UNKNOWN_MIN_SKELETON``: البلطيق linked to "Devonport"). A source word with the name's
  own skeleton, however short (حركة ماو, "the Mau movement"), is the name: its link to
  another word is a stray one.
- an English name explained by no source word, in the middle of a sentence, alone in its
  run of capitalized words, that the alignment ties to no source word and that no source
  word is even loosely alike: ``added`` (warning). A name a translation made up, or swapped
  in where the aligner found nothing for it to stand for. A link of ``WORD_LINK`` ties,
  unless the source word has its rendering elsewhere in the translation (a gloss of it, or
  a link far stronger: ``_ties``): سكر linked to "sugar" and, by chance, to the name.

- a source name the dictionary glosses with names only, one of which it transliterates
  (روسيا: russia), or a word it does not know that another pair of the article has beside
  a name it closely transliterates (``ARTICLE_NAME_SIMILARITY``), that the translation
  renders nowhere (or fewer times than the source says it), linked (``WORD_LINK``) to a
  capitalized word in the middle of a sentence: ``changed`` (warning). The word stands
  where the name was, whether another name or a word English capitalizes in names (State,
  Council, United: Islamic State, Security Council), which no rule for names sees. Number
  words, months, days, acronyms (US for أمريكا), Saint (San: سان) and a word that renders a
  phrase are left alone. On the six alignments made for tuning: name P 0.799 → 0.817, R
  0.459 → 0.516, no more clean lines with a finding of any check (3.71%, at most 4.45%);
  on the seed news article (sixteen sets) R 0.46 → 0.53 at P 1.00; on the conversational
  lines R 0.35 → 0.47, P 0.74 → 0.79. With the link at ``STRONG_LINK``: R 0.509; with
  source words the dictionary does not know as well: P 0.74, 4.5% of clean lines.

- a capitalized word in the middle of a sentence, a name or a word English capitalizes in
  names (State, United, President), that the translation writes more times than source
  words render it (none, or fewer than it is written: "Russia" twice for one روسيا), and
  that the article renders somewhere (a source word of this pair or of another explains
  it), where a source word that the translation renders nowhere (a maximum matching of
  source words to the translation words that render them, ``_matching``) and that another
  pair of the article links to a capitalized word stands where the word is: linked to it
  (``WORD_LINK``, not a guess beside a stronger link: ``DOMINANCE``), or beside the source
  word of another word of its capitalized run (تنظيم الدولة الإسلامية, "the Islamic
  United"; الولايات المتحدة, "the President States"): ``changed`` (warning). A name swapped
  in for one word of a multi-word name, which the rules above miss: the new word is
  common English, or already said, and no name of the source is lost. A run with a word no
  source word explains is left alone (Foster Care System: a name of words the dictionary
  lacks). On the seed news article (eight sets) name R 0.633 → 0.800 at P 1.00, held out
  (another eight) 0.548 → 0.710 at P 1.00; FLORES (seeds 0 to 3) unchanged, no more clean
  lines with a finding anywhere. Without the test that the lost word is a name's word
  elsewhere, FLORES name P 0.903 → 0.889 (seed 0; "Theory" for الهرمي, "Earth" for
  العالم); without the test that the article renders the word somewhere, P 0.86 and 3.9%
  of clean lines; with only the run's words next to it tested, the news article's P 0.67.
  A rendering the dictionary lacks looks the same when the aligner links it: "Secretary
  of State" for وزير الخارجية (glossed only "outwardness") is flagged in an article that
  has "Foreign" for الخارجية and "Islamic State" elsewhere.

- a name, or one word of one, that the article's other pairs write another way for the same
  source words: two pairs or more (``MIN_RENDERINGS``) link those words, close together,
  to a run of capitalized words (less a function word that opens the sentence: "The
  Security Council" is "Security Council") or a capitalized word alone in the middle of
  a sentence written one way ("United States" for الولايات المتحدة, whether or not a
  chance link adds a word to them), none of them another way as often; this pair's
  source has the words, its translation lacks that writing and has a name of as many
  words with one word another, which no source word renders or which is the usual word
  inflected otherwise ("the United State", "the Islamic ISIS", "President Federal
  Security Service" for جهاز الأمن الفيدرالي الروسي), a writing no other pair has for
  words of this source, and the alignment links one of the source words, where the
  source has them, to another word of the name (to the word itself where the name is one
  word): ``changed`` (warning). News names the same bodies and people line after
  line, and a word swapped into one of them is common English, an acronym or a word
  already said, which the rules above do not see. A name written out in more words
  ("Federal Reserve" where the article says "Fed", "Defense Department" for "Pentagon")
  or with a word put before it ("UN Security Council") is no other writing. On the three
  alignments made for tuning (FLORES seeds 0 and 1, the news article's sets 0 to 7, no
  training text): name R 0.882, 0.806 → 0.821 and news 0.867 → 0.967, P unchanged
  (0.923, 0.931, 1.00), no clean line more; held out, the news article's sets 8 to 15 R
  0.839 → 0.871 and 16 to 31 0.750 → 0.800 at P 1.00, FLORES seeds 2 to 4 and the
  conversational lines unchanged, and not one finding more on 44 alignments of 78
  correct news pairs written with agencies, acronyms and capitals, nor on 22 alignments
  of ten more correct articles written to vary their names as translators do (Fed and
  Federal Reserve, Islamic State and ISIS, President Biden and President Putin, North
  and South Korea), which without the two limits above had five findings. On those
  articles with a word of a name swapped (16 names, two alignments each) it finds "the
  Islamic ISIS" and "the United State" (this one only with the chance link's word
  read as above), which no other rule finds.

- a month or a day of the week that the translation names in the middle of a sentence
  and the source names nowhere (no month word of either calendar, no numeric date of
  that month; no such day): ``added`` (warning). Neither is a name for the rules above
  (مارس is also a verb, "May" is left alone), but one the source lacks stands where it
  said something else. Months the source may name are read generously (the Maghreb's
  names, تشرين and آب alone, dates with hyphens or م), and a month or day beside another
  capitalized word is part of a name (the Great March of Return, the Sunday Times, June
  Almeida), not a date, unless a word before it makes it one ("In October Israel...";
  not "by" or "late": "by June Almeida"). On the six FLORES alignments made for tuning:
  name P 0.872 → 0.876, R 0.740 → 0.765, clean lines with a finding of any check
  unchanged (3.76%); no finding on any of the 1,012 clean FLORES pairs or the seed
  article's 54.

- an acronym (``MIN_ACRONYM`` capitals or more: METI, FBI; not US, nor KwaZulu) in the
  middle of a sentence counts for the two link rules above (``STRONG_LINK`` to a name,
  ``WORD_LINK`` to a word the translation renders nowhere) when no source word explains
  it: not in the source in Latin script, not a gloss, not written as a word by a source
  word that is no common word (ناسا, "NASA"), no word linked to it with a gloss that
  begins with one of its letters (جرينتش, greenwich: "GMT"), no letter's name (كيو في سي,
  "QVC"); and only where every word linked to it is a name the dictionary knows: not a
  common word (an acronym of common words' initials: "GDP" for الناتج, output), not a word
  the dictionary lacks (a verb it knows by another form: وذكرت, "INA reported"; a word of
  the expansion: الفيدرالي, "FSB"), not a nisba (a nation's body: PIF beside السعودي),
  and not a name whose first consonant is one of the acronym's letters (برس, "Presse",
  in فرانس برس: "AFP"). Acronyms were no names, so "NASA" swapped in for a name went
  unseen.
- a common English word written with a capital in the middle of a sentence, alone in its
  run of capitalized words, that the alignment links (``WORD_LINK``) to a source word the
  dictionary does not know (a skeleton of ``MIN_REPORTED_SKELETON`` letters or more, the
  article's counted: الخليل), when no source word glosses the word, the two are not even
  loosely alike, the dictionary writes the word in Arabic (جيولوجي: geological) and the
  source has nothing that could be that spelling, and the translation renders the source
  word nowhere: ``changed`` (warning). A word swapped in for a name the dictionary lacks
  ("goes into Geological" for الخليل, "with the Chase" for الكونغرس), which the rules
  above, for names or for source words the dictionary knows, do not see. On the stored
  alignments without training text, name P / R: FLORES seed 0 0.921 / 0.853 → 0.922 /
  0.868, seed 1 0.911 / 0.761 → 0.912 / 0.776, news (eight sets) unchanged (for tuning);
  held out, news (another eight) 1.000 / 0.742 → 1.000 / 0.774, FLORES seeds 2 to 4, news
  (sixteen sets) and the conversational lines unchanged; no more clean lines with a
  finding of any check anywhere, nor on the 44 runs over clean news pairs. Without the
  test of the run: seed 0 P 0.881, seed 1 0.855, 4.1% and 4.3% of clean lines (Fashion
  Capital for الموضة, the Milky Way for درب التبانة); at ``STRONG_LINK``: seed 0 R
  unchanged; with a skeleton of 4: seed 1 R unchanged; of 2: seed 0 P 0.908, 3.8% of
  clean lines; names too (not only common words): no more found. Acronyms are left out:
  the dictionary writes none, so nothing says the source lacks them.
- last, a line where no rule above found anything, where the source has one name
  (``_proper_name``: its glosses all names, one it transliterates; written so in the
  dictionary, not read so by a letter taken for a preposition: بدأت is no ب with دات,
  "Dat") that the translation renders nowhere, and the translation one capitalized word in
  the middle of a sentence (a name or a common word) that no source word explains:
  ``changed`` (warning), linked or not (a word English does not know counts at the start
  of a quotation or a parenthesis too, not of a sentence: "known as "Goma broadsides""
  for نشرات دنلاب; and a source name counts as lost though a common word is linked to it
  and a word beside it, "broadsides" to دنلاب and النقدية: only a capitalized word renders
  a phrase of names here); no acronym, which names a nation's body the source says by its
  adjective (IDF for الجيش الإسرائيلي, BBC for هيئة الإذاعة البريطانية). The word the
  benchmark swaps in is often a common word ("the Geological
  Revolution" for الثورة الفرنسية, "Hall officials" for المسؤولون الروس) or one the
  alignment links to nothing, where no link rule sees it. Left alone: a word of a run that
  transliterates a source word whole (New Zealand, النيوزيلندي), a name loosely like a
  source word (إيواتا, "Iwata"; a common word says nothing by its letters), a word that
  holds the lost name or is held by it ("Paralympics", olympics), and a lost name the
  alignment links to another capitalized word (أسترالي, "AUD"). A capital for its country
  ("Moscow said" for قالت روسيا) renders it: no rule flags it (``_capitals``), nor a
  country or its people for its capital ("Turkey said" for قالت أنقرة, "the Syrian
  government" for دمشق, ``_seats``) where the capital stands for its government (the
  line's first word, after a particle that opens a clause or a verb of the past or present
  whose subject it is, ``_the_government``); after a preposition or a noun it is a place
  (في موسكو, بموسكو, شمال بغداد: "in Russia" loses the place), save for its people's word before the
  rendering of the word the place qualifies (مسؤولون في واشنطن, "American officials"). A
  country written like a nisba counts by its letters (السعودية: "Saudi", ``_country_spelled``),
  and a capital standing where the source has no name, alone in its run, renders another
  source word's country ("Riyadh announced" beside رفع for السعودية). A nisba explains its
  base's people (``_nisba_base_glosses``: الفلسطينيون, glossed "philistines", and
  "Palestinians"). On 44 runs over 78 clean news pairs, 7 name findings go; every stored
  alignment's name, omission and addition P / R unchanged.

  The two rules together, on the stored alignments without training text, name P / R:
  FLORES seed 0 0.918 / 0.824 → 0.921 / 0.853, seed 1 0.907 / 0.731 → 0.909 / 0.746, news
  (eight sets) 1.000 / 0.800 → 1.000 / 0.833 (for tuning); held out, seed 2 0.877 / 0.725
  → 0.881 / 0.754, seed 3 0.850 / 0.739 → 0.857 / 0.783, the other alignments of seeds 0
  and 1 0.903 / 0.824 → 0.905 / 0.838 and 0.895 / 0.761 → 0.897 / 0.776, news (another
  eight) 1.000 / 0.710 → 1.000 / 0.742, conversational lines 0.857 / 0.783 → 0.870 / 0.870
  and 0.931 / 0.844 → 0.933 / 0.875; no more clean lines with a finding of any check
  anywhere, and none on 69 clean news pairs written to try them (organisations,
  agencies, acronyms; 44 runs of the aligner over them). With acronyms in the last rule
  and linked to words the dictionary lacks: FLORES R +0.01 to +0.03 more, but the news
  pairs above got 27 false findings. With any linked source word: seed 2 P 0.850, seed 3
  0.831, 4.6% of clean lines (XDR for شديد, GDP for الناتج, USAF for فيديو). Without the
  dictionary-form test: seed 0 P 0.859 (بدأت, "Dat"; كتبت, "Tibet"); without the
  loose-likeness test for names and the link test: 0.909.
  The quotation's name and the phrase of a capitalized word only: FLORES seed 1 (for
  tuning) R 0.791 → 0.806 at P 0.930 → 0.931, seed 0 and the news article (eight sets)
  unchanged; held out, news (another eight) 0.774 → 0.839 at P 1.00, seed 2 0.754 → 0.768,
  seed 1 with training text 0.806 → 0.821, the rest unchanged, no more clean lines with a
  finding of any check (the phrase test alone gave the held-out gains; a capitalized word
  only for the other rules' phrases changed nothing). A name explained only by its
  letters left in unless alike at 0.85, and the likeness test at 0.75 or 0.85 instead of
  ``LOOSE_SIMILARITY``: one more swapped name on seed 0 at most, P 0.897 to 0.909, one or
  two more clean lines flagged on each seed (Australia for القسطنطينيّة beside تشتهر).

The translation *renders* a source word when one of its words is a gloss of it, or, for a
word English does not know, transliterates it: a common word proves nothing by its letters
("and" has the skeleton of الهند).

Without the background dictionary only skeletons decide, and only ``changed`` findings
backed by an alignment link are reported.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from difflib import SequenceMatcher
from typing import NamedTuple

from align.checks.base import DOMINANCE, ArticleInput, Finding, SegmentInput, has_words
from align.checks.base import for_the_last as _for_the_last
from align.checks.dictionary import LAM_ARTICLE as _LAM_ARTICLE
from align.checks.dictionary import dictionary_forms as _dictionary_forms
from align.checks.dictionary import glossed
from align.checks.dictionary import glosses as _glosses
from align.checks.dictionary import glosses_here as _glosses_here
from align.checks.dictionary import lexicon as _lexicon
from align.checks.dictionary import nisba_base as _nisba_base
from align.checks.dictionary import without_bare_preposition as _without_bare_preposition
from align.checks.number import EN_MONTHS as _EN_MONTHS
from align.checks.number import EN_SCALES, EN_TENS, EN_UNITS, source_months
from align.checks.words import holds as _acronym_holds
from align.checks.words import is_arabic_function_word, is_english_function_word
from align.limits import MAX_LINE_WORDS
from align.links.arabic import ARTICLE, CONJUNCTIONS, PREPOSITIONS, is_arabic_word, normalize
from align.links.background import arabic_keys as _bg_arabic_keys
from align.links.background import lemmas
from align.links.lexical import (
    FUNCTION_WORDS,
    MAX_SKELETON_GAP,
    MONTHS,
    NISBA_AR,
    NISBA_EN,
    NISBA_END,
    arabic_skeleton,
    english_skeleton,
    known_english,
)
from align.links.words import word_tokens

NAME = "name"
# Consonant-skeleton similarity above which an Arabic word transliterates an English name
# (lexical.py's own threshold for name links), and the shortest skeleton a name may have
# to be reported (two-letter skeletons, "Hall", "Iran", match too much by chance). Set on
# FLORES-200 devtest: its 1,012 clean pairs (6 flagged); with scripts/bench_checks.py's
# swapped names these rules alone find few (R 0.07): an Arabic word counts as a lost name
# only when the dictionary glosses it and the article uses the name elsewhere, which keeps
# false alarms under 1% of clean segments (``STRONG_LINK`` below adds the linked names).
MIN_SIMILARITY = 0.75
# A word longer than this is no name (the longest in FLORES-200 and the news have under 20
# letters): compared letter by letter, a 10,000-letter token cost seconds.
MAX_NAME_CHARS = 64
MIN_REPORTED_SKELETON = 3
CHANGED_LINKED_CONFIDENCE = 0.9  # the alignment links the lost name to the new one
CHANGED_CONFIDENCE = 0.7  # one lost name and one new name, no link between them
# An English name is reported as added only when no Arabic word of the source is even this
# close to it (تشافيز and Chavez are a spelling apart).
LOOSE_SIMILARITY = 0.5
# A name that writes two Arabic words as one (عبد الناصر, "Abdel Nasser"): the skeletons of
# the pair and the name this alike (SequenceMatcher's ratio). Ramla and Ramallah share one
# skeleton (rml) and cannot be told apart so.
PAIR_SIMILARITY = 0.9
# A link at least this strong (both eflomal directions, or one with lexical support) ties
# a translation name to the source word it stands for. On scripts/bench_checks.py (FLORES-200
# devtest, no training text) this rule took the names row from R 0.07, P 0.71 to R 0.16,
# P 0.85 (seed 0) and from R 0.12, P 0.73 to R 0.16, P 0.79 (seed 1), with no more clean
# lines flagged (0.3% and 0.5%); at 0.9: R 0.12, P 0.80 (seed 0).
STRONG_LINK = 0.75
# A source word the dictionary does not know counts as a name for that rule when its
# skeleton has at least this many letters: 3: R 0.28, P 0.66, clean lines flagged 1.6%
# (بلغ, تضم: verbs the dictionary's stemming misses); 4: R 0.26, P 0.78, 0.8% (seed 1: R 0.24,
# P 0.84, 0.5%). Such a finding is a warning: an unknown word may be a name FLORES translates
# (الفصح: Easter, الخليل: Hebron).
UNKNOWN_MIN_SKELETON = 4
UNKNOWN_LINKED_CONFIDENCE = 0.6
# The weakest link that ties a translation name to a source word the translation does not
# render. On the same alignments of seed 0 and seed 1 (R, P, clean lines flagged), the
# rules above give R 0.25 P 0.77 0.8% and R 0.24 P 0.84 0.5%; with this rule at 0.5: R 0.47
# P 0.80 1.3% and R 0.42 P 0.72 1.8%; at 0.62: R 0.40 P 0.69 and R 0.34 P 0.68; at 0.75:
# R 0.35 P 0.71 and R 0.30 P 0.67. Without the sentence-start, run and short-skeleton rules
# (see the docstring): R 0.49 P 0.66 2.8% and R 0.43 P 0.62 3.0%. On eight fresh alignments
# (seeds 0 and 1, four each), with the rule for phrases: R 0.43 P 0.76, clean lines 1.5%;
# without it R 0.45 P 0.69, 2.3%; at 0.75: R 0.34 P 0.80, 1.0% (the rules above: R 0.24
# P 0.82, 0.6%).
#
# Three more changes, measured on alignments made for tuning, four without training text
# (seeds 0 and 1, two each) and two with it (one each); name P / R and the share of clean
# lines with a finding of any check, mean: the rules above give 0.765 / 0.411, 4.1% (with
# training text 0.746 / 0.437, 3.5%). Common words render nothing by their letters, unknown
# words count for this rule, and names linked to nothing at WORD_LINK are added: 0.761 /
# 0.448, 4.3% (0.753 / 0.496, 3.8%). An added name must be unlike every source word, even
# loosely: without that test R 0.54 but P 0.70, 5.3%.
WORD_LINK = 0.5
# The dictionary's spelling of a name (``_spelled_in_arabic``): an Arabic headword glossed
# with the name alone that transliterates it (MIN_SIMILARITY). A source word this close to
# the spelling (difflib ratio of the forms without proclitics) is the name spelled another
# way (الأطلسي beside اطلنطي, مولدافيا beside مولدوفيا), and one this alike to the name
# (``_similar``) may be it. On the six alignments made for tuning (seeds 0 and 1, four
# without training text, two with), name P 0.811 → 0.839 and R 0.538 → 0.701, clean lines
# with a finding of any check 4.06% → 4.15% (at most 4.78% both); conversational lines R
# 0.48 → 0.65 at P 0.69 → 0.75. NEAR_SPELLING 0.8: P 0.822, 4.34% (at most 4.94%); the
# loose test of the other rules (``_alike``) instead of SPELLED_ALIKE: R 0.617; no
# SPELLED_ALIKE at all: P 0.795, at most 5.27%.
NEAR_SPELLING = 0.7
SPELLED_ALIKE = 0.7
SPELLED_CONFIDENCE = 0.7
WORD_LINKED_CONFIDENCE = 0.5
# How closely a word the dictionary does not know must transliterate the name the
# article's other pairs have beside it to count as that name where the alignment puts a
# capitalized word in its place. At the loose MIN_SIMILARITY, الأميركية (a spelling the
# dictionary lacks) is "Islamic" (skeletons lmrk, slmk) and a clean news line was flagged;
# at 0.85, on the stored alignments, news name R 0.594 → 0.625 at P 1.00, FLORES and the
# conversational lines unchanged.
ARTICLE_NAME_SIMILARITY = 0.85
# How closely a source word the dictionary knows only by common glosses must transliterate
# an English name to explain it. At MIN_SIMILARITY المحكمة (court) is "Olympic" (skeletons
# lmhkm, lmpc) and برّاق is "York": a name swapped in beside such a word went unseen. On the
# six FLORES alignments made for tuning, with the link rule of ``_unsupported`` below: name
# R 0.708 → 0.721 at P 0.880 → 0.881, clean lines with a finding of any check unchanged
# (3.65%, at most 4.28%); the news article and the conversational lines unchanged. Every
# bar from 0.8 to 1.0 gave the same figures. The Arabic given names that are common words
# (سعيد: happy, "Said"; كريم, "Karim"; ياسمين, "Yasmin"; أمل, "Amal") match at 1.0; 0.85
# leaves room for their other spellings.
KNOWN_WORD_SIMILARITY = 0.85
MISSING_CONFIDENCE = 0.5
ADDED_CONFIDENCE = 0.5
# An English name that begins with a gloss of a source word at least this long, less a
# final e or y (Templars: المعبد, temple), is derived from that word and explained by it.
# With the rule for a source word with a name's short skeleton (``_same_skeleton``), on ten
# stored alignments without training text: FLORES seeds 0 and 1 (for tuning) name P 0.903
# → 0.918 and 0.891 → 0.907; held out, seeds 2 and 3 P 0.860 → 0.877 (R 0.710 → 0.725)
# and 0.836 → 0.850, two more alignments of seeds 0 and 1 P 0.887 → 0.903 (R 0.809 →
# 0.824) and 0.879 → 0.895; no swapped name lost; the news article (sixteen sets) and the
# conversational lines (two sets of 1,000) unchanged. Four letters say nothing ("Tempo"
# from temp, "Crimea" from crime), and a gloss the translation renders elsewhere made no
# name ("the green economy in Greenland").
MIN_DERIVED_GLOSS = 5
# A translation word linked to two source content words or more renders a phrase of them
# (``_phrase_names``) only where they stand this close (alignment indices, punctuation
# counted): a name linked to the word it replaced and to one far off in the sentence
# ("States" linked to الولايات, rendered "US", and to بسوريا eight words on) renders no
# phrase, and the name of that far word is lost. For the rules that ask the dictionary
# whether the lost word is a name (``_replaced_by_a_capitalized_word``,
# ``_capitalized_unmatched``, ``_one_lost_one_unexplained``) and for the omission check's
# lost names (``phrase_sources``); the link rules, which take any source word a name is
# linked to, keep phrases of any distance (with this bar there too, FLORES seed 0 with
# training text flagged a clean "Sagittarius" linked to الرامي and, five words off, to
# تجذب). On the alignments for tuning, name R: FLORES seed 0 0.853 (unchanged), seed 1
# 0.746 → 0.761 (P 0.909 → 0.911), news (eight sets) 0.833 → 0.867 at P 1.00, clean lines
# unchanged; bars 1: P 0.894, FA 3.8%; 2 and 3: seed 1 P 0.895 (a clean line flagged); 5
# and 6: seed 1 unchanged; 8 and over: news unchanged. Held out: FLORES seed 3 R 0.783 →
# 0.797, news (sixteen sets) 0.717 → 0.750, seed 2 omission R 0.565 → 0.580, the rest
# unchanged. Counting only distinct words, or only Arabic words (not punctuation), in a
# phrase changed nothing.
PHRASE_GAP = 4

# Number words are not names (the number check's own tables).
_NUMBER_WORDS = frozenset([*EN_UNITS, *EN_TENS, *EN_SCALES, "hundred"])
# Capitalized words that are no names and that lemminflect does not know: the titles
# before a name (Mr Brown: مستر برون) and interjections at a sentence's start (Oh, Bill).
_TITLES_AND_INTERJECTIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "messrs"]
    + ["oh", "ah", "aha", "hey", "hi", "wow", "okay", "ok"]
)
_DAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
# Capitalized words that render a source name in another language's form: Saint for San,
# Santa or São (سان).
_FORMS_OF_A_NAME = frozenset(["saint", "sainte"])


# Proclitics an Arabic name may carry (وال, بال, لل...), longest first: a name is compared
# with and without each, since the article of ألونسو is part of the name and that of
# الونسو-like common words is not.
_PROCLITICS = (
    *(c + ARTICLE for c in CONJUNCTIONS),
    *(p + ARTICLE for p in PREPOSITIONS if p + ARTICLE[1:] != _LAM_ARTICLE),
    _LAM_ARTICLE,
    ARTICLE,
    *CONJUNCTIONS,
    *PREPOSITIONS,
)


def _arabic_forms(arabic: str, as_read: bool = False) -> set[str]:
    """The normalized word and what is left of it without each proclitic it may carry; no
    bare preposition for a word the dictionary knows as written (``_known_as_written``)
    unless ``as_read`` (the other checks' reading, which keeps its figures)."""
    form = normalize(arabic)
    forms = {form}
    strict = not as_read and _known_as_written(form)
    for prefix in _WITHOUT_BARE_PREPOSITIONS if strict else _PROCLITICS:
        if form.startswith(prefix) and len(form) - len(prefix) >= 2:
            forms.add(form[len(prefix) :])
    return forms


def _folded(word: str) -> str:
    """The word without its letters' accents (Sámi: sami, Ürümqi: urumqi): the skeleton
    mapping reads plain Latin letters only, so a name with an accent matched no Arabic
    spelling and was unexplained. On the stored alignments without training text, with
    the two rules of ``_singular_glosses`` and ``_in_an_acronym``, name P: FLORES seeds 0
    and 1 (for tuning) 0.921 and 0.911 → 0.927 (UCLA), the news article unchanged; held
    out, seeds 2 to 4 0.881 → 0.912, 0.859 → 0.902, 0.855 → 0.870, the news article's
    other sixteen sets and the conversational lines unchanged; name R unchanged on every
    one, clean lines with a finding of any check 4.0% → 3.8% on FLORES (at most 4.6% →
    4.5%). Folded for the skeletons only and not for the nisba ending's test, a Sámi
    spelled by the dictionary سامي was lost where the source writes للصاميين (seed 1)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _english_spellings(word: str) -> set[str]:
    """The word and the spellings that say what Arabic writes for it: a soft c (Pryce:
    برايس), ch and sch as ش (Sachin: ساشين, Loesch: لوش), j as ي (Katja: كاتيا), and a
    French silent final consonant (Versailles: فرساي). The skeleton mapping alone reads
    c, ch and j one way only."""
    w = _folded(word.lower())
    forms = {w, re.sub(r"c(?=[eiy])", "s", w)}
    forms |= {f.replace("sch", "s").replace("tch", "s").replace("ch", "s") for f in forms}
    forms |= {f.replace("j", "y") for f in forms}
    # (only where three consonants are left: Paris is not بري)
    forms |= {
        f[:-1] for f in forms if f.endswith(("s", "x", "t")) and len(english_skeleton(f[:-1])) >= 3
    }
    return forms


_WITHOUT_BARE_PREPOSITIONS = tuple(p for p in _PROCLITICS if p not in PREPOSITIONS)


@functools.lru_cache(maxsize=65536)
def _known_as_written(form: str) -> bool:
    """Whether the background dictionary knows the normalized word as it is written (its
    article or a conjunction off), as ``dictionary_forms`` reads it: برّاق (opalescent) is
    no ب before راق, whose two-letter skeleton is that of "York" (a name swapped in for
    هونج went unseen). On the stored alignments without training text, FLORES seed 0 (for
    tuning) name R 0.868 → 0.882 at P 0.922 → 0.923; held out, seed 0 with training text
    R 0.838 → 0.853 (P 0.905 → 0.906), the rest unchanged; no more clean lines with a
    finding of any check. The addition check's unexplained names and the omission check's
    renderings read words as before (``as_read``): its figures stay where they were."""
    dictionary = _lexicon()
    return dictionary is not None and any(dictionary.lookup(k) for k in _bg_arabic_keys(form))


@functools.lru_cache(maxsize=65536)
def _arabic_keys(arabic: str, as_read: bool = False) -> tuple[tuple[str, str | None], ...]:
    """Per form of the word (``_arabic_forms``): its skeleton, and for a form with a nisba
    ending the skeleton without it (else None). Cached per word: a long segment compares
    each word with many names."""
    return tuple(
        (
            arabic_skeleton(bare),
            arabic_skeleton(NISBA_END.sub("", bare)) if NISBA_END.search(bare) else None,
        )
        for bare in sorted(_arabic_forms(arabic, as_read))
    )


@functools.lru_cache(maxsize=65536)
def _english_keys(english: str) -> tuple[frozenset[str], str | None]:
    """The skeletons of the word's spellings (``_english_spellings``), and for a word with
    a nisba ending the skeleton without it (else None)."""
    low = _folded(english.lower())
    nisba = english_skeleton(NISBA_EN.sub("", low)) if NISBA_EN.search(low) else None
    return frozenset(english_skeleton(f) for f in _english_spellings(english)), nisba


@functools.lru_cache(maxsize=65536)
def _similar(
    arabic: str, english: str, floor: float = MIN_SIMILARITY, as_read: bool = False
) -> bool:
    if len(arabic) > MAX_NAME_CHARS or len(english) > MAX_NAME_CHARS:
        return False  # no name; and SequenceMatcher's time grows with the square
    english_skeletons, english_nisba = _english_keys(english)
    pairs = []
    for skeleton, nisba in _arabic_keys(arabic, as_read):
        pairs.extend((skeleton, e) for e in english_skeletons)
        if nisba is not None and english_nisba is not None:
            # الروسية and Russian: compare what is left without the endings.
            pairs.append((nisba, english_nisba))
    for a, e in pairs:
        if len(a) < 2 or len(e) < 2:
            continue
        if abs(len(a) - len(e)) > MAX_SKELETON_GAP * max(len(a), len(e)):
            continue
        if min(len(a), len(e)) < 3:
            if a == e:
                return True
            continue
        matcher = SequenceMatcher(None, a, e, autojunk=False)
        # quick_ratio bounds ratio from above and costs far less
        if matcher.quick_ratio() >= floor and matcher.ratio() >= floor:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _english_names(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, word) of each name-like English word. Cached: every segment of an
    article reads the names of all the others."""
    out = []
    for t in word_tokens(text):
        word = _written_as_a_name(text[t.start : t.end])
        if word is not None and not _common(word.lower()):
            out.append((t.start, t.end, word))
    return tuple(out)


def _written_as_a_name(token: str) -> str | None:
    """The word (a possessive's ’s left off: State's, State) when it is written as a name:
    Title case and all letters (acronyms and mixed forms are left out), and no number word,
    month or day."""
    word = re.sub(r"['’]s$", "", token)
    if not (word[:1].isupper() and word[1:].islower() and word.isalpha()):
        return None
    low = word.lower()
    if low in _EN_MONTHS or low in _DAYS or low in _NUMBER_WORDS:
        return None
    return word


# The fewest letters an acronym (a plural's s left off) must have to count for the link
# rules and ``_one_lost_one_unexplained``: US, UN, EU render a phrase too often. On FLORES
# seed 1 (for tuning), 2 instead of 3: name P 0.912 → 0.897 at the same recall, more clean
# lines with a finding of any check (3.46% → 3.62%); seed 0 and the news article unchanged.
MIN_ACRONYM = 3


# How Arabic writes the names of the Latin letters (normalized): an acronym spelled out
# (كيو في سي, "QVC"; إيه بي سي, "ABC").
_LETTER_NAMES = frozenset(
    normalize(w)
    for w in (
        "إيه", "ايه", "بي", "سي", "دي", "إي", "إف", "اف", "جي", "إتش", "اتش", "آي", "جاي", "جيه",
        "كي", "كيه", "إل", "إم", "ام", "إن", "أو", "كيو", "آر", "ار", "إس", "اس", "تي", "يو",
        "في", "دبليو", "إكس", "اكس", "واي", "زد", "زي",
    )
)  # fmt: skip


# Tried and dropped: an acronym rule of its own, flagging an acronym that no run of source
# words spells (one letter a word, the initials of their glosses) where it is linked to a
# name, a country or a word the dictionary lacks that the translation renders nowhere,
# without the looser excuses below (a nisba, a word the dictionary lacks). On the stored
# alignments for tuning it found four more swaps (name R 0.882 → 0.912 on FLORES seed 0,
# 0.806 → 0.836 on seed 1: METI for الصين, GMT for الخليل), on the held-out ones none, and it
# took correct acronyms of other languages, whose letters no English gloss gives, for swaps:
# ANSA for الإيطالية, TASS, DPA, NHK, KGB, PKK for الكردستاني, YPG, HTS for الشام.
def _unexplained_acronyms(translation, parts, arabic, glosses, latin) -> list:
    """(start, end, word) of the acronyms (``MIN_ACRONYM`` letters or more, two capitals
    or more: METI, ZMapp) in the middle of a sentence that no source word explains: not
    in the source in Latin script, no gloss or letters of a source word (ناسا, "NASA"),
    and no source word the alignment links to it (``WORD_LINK``) has a gloss that begins
    with one of its letters (جرينتش, greenwich: "GMT")."""
    out = []
    if parts is None:
        return out
    src_words, tgt_words, links = parts
    arabic_at = {(s, e): a for s, e, a in arabic}
    for j, t in enumerate(tgt_words):
        token = translation[t.start : t.end]
        w = re.sub(r"['’]s$", "", token)
        letters = re.sub(r"(?<=[A-Z])s$", "", w)  # a plural: MPs
        if not (letters.isalpha() and letters.isupper() and len(letters) >= MIN_ACRONYM):
            continue  # (KwaZulu, McFarland: names written in two parts)
        if not w[:1].isupper() or _at_opening(translation, t.start) or w.lower() in latin:
            continue
        if any(glossed(w, glosses[a]) or _spelled_acronym(a, glosses[a], w) for _, _, a in arabic):
            continue
        letters = set(w.lower())
        linked = [
            a
            for (i, jj), link in links.items()
            if jj == j and link.confidence >= WORD_LINK and 0 <= i < len(src_words)
            for a in [arabic_at.get((src_words[i].start, src_words[i].end))]
            if a is not None and not is_arabic_function_word(a)
        ]
        if any(g[:1] in letters for a in linked for g in glosses[a]):
            continue
        if any(normalize(a) in _LETTER_NAMES for a in linked):
            continue  # the letters' names: كيو في سي, "QVC"
        if any(_is_nisba(normalize(a)) for a in linked):
            continue  # a nation's body: PIF beside السعودي, IRGC beside الإيراني
        if any(not glosses[a] for a in linked):
            continue  # a verb the dictionary knows by another form (وذكرت, "INA reported")
        if any(_initial_in(a, glosses[a], letters) for a in linked):
            continue  # an expansion Arabic spells: AFP for فرانس برس, FSB for الفيدرالي
        out.append((t.start, t.end, w))
    return out


def _initial_in(arabic: str, glosses: set[str], letters: set[str]) -> bool:
    """Whether a source word the dictionary does not know, or knows by names only, begins
    (past its article) with a consonant one of the acronym's ``letters`` writes: the
    Arabic spells a word of the expansion (برس, "Presse", for the P of AFP)."""
    if any(_common(g) for g in glosses):
        return False
    skeleton = arabic_skeleton(normalize(arabic).removeprefix(ARTICLE))
    return bool(skeleton) and any(english_skeleton(x)[:1] == skeleton[0] for x in letters)


def _spelled_acronym(arabic: str, glosses: set[str], acronym: str) -> bool:
    """Whether the source word writes the acronym as a word (ناسا, "NASA"; ناتو, "NATO"):
    its letters transliterate it, and the dictionary knows it by no common gloss (مات,
    died, has the skeleton of "METI" by chance)."""
    return (_similar(arabic, acronym) or _same_skeleton(arabic, acronym)) and not any(
        _common(g) for g in glosses
    )


def _arabic_words(text: str) -> list[tuple[int, int, str]]:
    return [
        (t.start, t.end, text[t.start : t.end])
        for t in word_tokens(text)
        if is_arabic_word(normalize(text[t.start : t.end]))
    ]


def _explains(
    arabic: str, glosses: set[str], english: str, by_letters: bool = True, as_read: bool = False
) -> bool:
    low = english.lower()
    if glossed(english, glosses) or (by_letters and _spells(arabic, glosses, english, as_read)):
        return True
    stem = NISBA_EN.sub("", low)  # Russian: روسيا glossed russia
    return len(stem) >= 4 and any(g.startswith(stem) for g in glosses)


def _plain_name(text: str) -> str:
    """A name as countryinfo's and the translation's are compared: lower case, without
    accents (``_folded``) or apostrophes (Sanaa for Sana'a)."""
    return _folded(text).lower().replace("'", "").replace("’", "")


class _Country(NamedTuple):
    names: frozenset[str]  # whole, and each word English does not know of one of several
    capitals: frozenset[str]  # the same of its capital
    people: frozenset[str]  # the same of its demonym
    capital: str  # the capital's whole name
    wholes: frozenset[str]  # its whole names and demonym


@functools.cache
def _countries() -> tuple[_Country, ...]:
    """Each country's names, its capital's, its people's (demonym), its capital's whole
    name and its own whole names and demonym (``_Country``), lower case, from
    countryinfo: a country's name and its other spellings of four letters or more that are
    no English word, and of a name of several words each word English does not know
    (america of United States of America, britain of Great Britain: the dictionary's
    glosses, أمريكا: america); its capital, without accents or apostrophes (bogota, sanaa;
    "Washington" of "Washington D.C."), and each word English does not know of a capital
    of several (delhi of New Delhi: the name the translation's words give). Read on the
    first name finding."""
    import countryinfo

    def words_of(name: str) -> set[str]:
        parts = name.split()
        return {name} | (
            {w for w in parts if len(w) > 3 and not _known(w)} if len(parts) > 1 else set()
        )

    out = []
    for country in countryinfo.all_countries():
        info = country.info()
        capital = info.get("capital")
        capital = capital if isinstance(capital, str) else ""  # (one is a list: Vatican City)
        whole = _plain_name(capital.removesuffix(" D.C.").strip())
        capitals = words_of(whole) - {""}
        # (another spelling that is an English word names nothing: Ísland, island)
        others = {n for n in info.get("altSpellings") or () if not _known(_plain_name(n))}
        names = {n for n in {info.get("name") or "", *others} if len(n) > 3 and n.isascii()}
        demonym = info.get("demonym")
        people = words_of(_plain_name(demonym)) if isinstance(demonym, str) and demonym else set()
        if capitals and names:
            named = set().union(*(words_of(_plain_name(n)) for n in names))
            wholes = {_plain_name(n) for n in names} | ({_plain_name(demonym)} if people else set())
            out.append(
                _Country(
                    frozenset(named),
                    frozenset(capitals),
                    frozenset(people),
                    whole,
                    frozenset(wholes),
                )
            )
    return tuple(out)


@functools.cache
def _capitals() -> dict[str, frozenset[str]]:
    """Each country's names to its capital's (``_countries``): news writes a government
    by its capital ("Moscow said" where the source says قالت روسيا), a rendering and no
    changed name."""
    out: dict[str, set[str]] = {}
    for names, capitals, *_ in _countries():
        for name in names:
            out.setdefault(name, set()).update(capitals)
    return {k: frozenset(v) for k, v in out.items()}


@functools.cache
def _seats() -> dict[str, frozenset[str]]:
    """Each capital's whole name (no English word: Malé is "male") to its country's names
    and its people's (``_countries``): news writes a government by its capital the other
    way too ("Iran denies" for طهران تنفي, "the Syrian government said" for قالت دمشق).
    A word of a country's name of several counts where no other country's name has it
    ("saudi" and "arabia" of Saudi Arabia; not "arab" of the Syrian Arab Republic, nor
    "ireland" of the United Kingdom's long name, which Ireland's is); a capital's words
    alone name nothing (Juan of San Juan, Louis of Port Louis). Only where the capital
    stands for its government (``_the_government``)."""
    countries = _countries()
    seen: dict[str, int] = {}
    for names, _, people, *_ in countries:
        for word in {w for n in names | people for w in n.split()}:
            seen[word] = seen.get(word, 0) + 1
    out: dict[str, set[str]] = {}
    for names, _, people, capital, wholes in countries:
        if not capital or _known(capital):
            continue
        said = wholes | {n for n in names | people if seen.get(n, 0) <= 1}
        out.setdefault(capital, set()).update(said)
    return {k: frozenset(v) for k, v in out.items()}


@functools.lru_cache(maxsize=4096)
def _country_spelled(arabic: str) -> frozenset[str]:
    """The names of the country one of whose names (``_countries``) is a nisba itself,
    one word ending in i, with the Arabic word's consonants (``_same_skeleton``):
    السعودية is "Saudi", the country news writes by that word alone, while اليابانية
    ("Japanese") is no جابان, nor "Lebanon" (a name with no nisba ending)."""
    out: set[str] = set()
    for names, *_ in _countries():
        if any(" " not in n and n.endswith("i") and _same_skeleton(arabic, n) for n in names):
            out |= names
    return frozenset(out)


# Arabic prepositions of place before a capital (في موسكو, إلى طهران, من بغداد): there the
# capital is a place, and its country in the translation loses it ("the attack in
# Russia"); said with no preposition it is the government (قالت طهران, "Iran said").
_PLACE_PREPOSITIONS = frozenset(
    normalize(w)
    for w in "في الى إلى من على عن نحو قرب داخل خارج عبر حول بين لدى عند حتى أمام".split()  # noqa: SIM905
)


# Particles that open a clause whose subject a capital may be (لكن طهران تنفي, إن موسكو).
_OPENING_PARTICLES = frozenset(
    normalize(w)
    for w in "لكن إن أن ان كما بينما فيما حيث ثم بل قد".split()  # noqa: SIM905
)


def _carries_a_preposition(word: str) -> bool:
    """Whether the word begins with a bare preposition (بموسكو, بالقاهرة, لطهران): one of
    its letters before a word the dictionary knows only without it (``dictionary_forms``;
    بيروت is known as written, its ب is the name's)."""
    form = normalize(word)
    stem = form[1:] if form[:1] in CONJUNCTIONS and len(form) > 4 else form
    if stem[:1] not in PREPOSITIONS:
        return False
    known = _dictionary_forms(word)
    return stem not in known and stem.removeprefix(ARTICLE) not in known


def _the_government(source: str, start: int, end: int) -> bool:
    """Whether the source word at ``start`` stands where a capital names its government:
    the first word of the line, after a particle that opens a clause (لكن طهران تنفي), or
    after a verb of the feminine perfect, whose subject it is (قالت أنقرة, أعلنت دمشق: a
    word of three letters or more that ends in ت, without the article, and no feminine
    plural of five letters or more, مباحثات), or of the feminine present (``_present``:
    تقول طهران, "Iran says"). Not after a preposition of place (في موسكو, بموسكو) nor
    after a noun (شمال بغداد, جامعة دمشق, سكان طهران, تقرير طهران): there it is the place,
    and its country in the translation loses it ("the attack in Russia")."""
    if _carries_a_preposition(source[start:end]):
        return False
    before = [w for s, _, w in _arabic_words(source[:start]) if s < start][-1:]
    if not before:
        return True
    prev = normalize(before[0])
    if prev in _OPENING_PARTICLES or (
        prev[:1] in CONJUNCTIONS and prev[1:] in _OPENING_PARTICLES  # (فإن, وإن; فيما itself)
    ):
        return True
    prev = prev[1:] if prev[:1] in CONJUNCTIONS and len(prev) > 3 else prev
    # (a noun is no verb: one with the article, البيت, or a feminine plural of five letters
    # or more, مباحثات موسكو, انفجارات بغداد; قوات دمشق is the government's forces)
    if prev.startswith(ARTICLE) or (len(prev) >= 5 and prev.endswith("ات")):
        return False
    if _present(prev):
        return True
    return len(prev) >= 3 and prev.endswith("ت") and prev not in _PLACE_PREPOSITIONS


def _present(form: str) -> bool:
    """Whether a normalized word (no conjunction, no article) is a verb of the feminine
    present, whose subject a capital after it is: ت and three letters or more, no
    feminine ending (ة, read ه), and a form the dictionary does not know, as it knows
    nouns and not the present's forms (تقول, تنفي, تتهم, تؤكد; not تقرير, report, nor
    تحذير, warning). A present the dictionary knows as another word (ترى: stringed) is
    not read. On the stored alignments of the benchmark (FLORES seeds 0 to 4, the news
    article's sets, the conversational lines) and the 44 runs over clean news pairs, not
    one finding more or fewer: their lines put no capital after a present."""
    return len(form) >= 4 and form.startswith("ت") and not form.endswith("ه") and not _glosses(form)


def _without_metonyms(findings: list[Finding], source: str, translation: str) -> list:
    """``findings`` less those a capital said for its country explains (``_capitals``), or
    a country said for its capital (``_seats``): a source
    country changed into its capital ("Moscow" where the source has روسيا), a capital
    added where a source word names its country, a source country missing where the
    translation has its capital, and the same with a capital of the source and its
    country or people in the translation ("Iran" for طهران, "Syrian" for دمشق) where the
    capital stands for its government (``_the_government``). Not where a source word of
    the line renders the translation's word itself (موسكو beside روسيا: "Moscow" is that
    one's), nor for a nisba (اليابانية: "Japanese", not Japan); an added name is a
    metonym only of a source word no name of the translation renders ("Damascus said …
    control of Syria" adds Syria)."""
    related, seats = _capitals(), _seats()
    here = _glosses_here(source)
    arabic = _arabic_words(source)
    names = [w for _, _, w in _english_names(translation)]

    def meanings(a: str) -> set[str]:
        return set(here.get(a) or _glosses(a))

    def metonym(start: int, end: int, w: str) -> bool:
        a = source[start:end]
        # (the country's name, not its nisba: "Tokyo" for اليابانية is no rendering; a
        # country written like one, السعودية, is read by its letters, ``_country_spelled``)
        glosses = _country_spelled(a) if _is_nisba(normalize(a)) else meanings(a)
        if not glosses:
            return False
        low = _plain_name(re.sub(r"['’]s$", "", w))  # (Iran's: iran)
        if any(low in related.get(g, ()) for g in glosses):
            return True
        return any(low in seats.get(g, ()) for g in glosses) and _the_government(source, start, end)

    def people_of_the_place(start: int, end: int, at: tuple[int, int]) -> bool:
        # a capital after a preposition of place said by its people's word before the
        # rendering of the word the place qualifies: مسؤولون في واشنطن, "American officials"
        a, w = source[start:end], translation[at[0] : at[1]]
        low = _plain_name(w)
        glosses = meanings(a)
        if not any(low in people for _, capitals, people, *_ in _countries() if capitals & glosses):
            return False
        before = [x for s, _, x in arabic if s < start][-2:]
        following = re.match(r"\s+([A-Za-z]+)", translation[at[1] :])
        if len(before) < 2 or following is None:
            return False
        prep = normalize(before[1])
        prep = prep[1:] if prep[:1] in CONJUNCTIONS and prep[1:] in _PLACE_PREPOSITIONS else prep
        if prep not in _PLACE_PREPOSITIONS:
            return False
        head = before[0]
        return renders(head, meanings(head), following.group(1))

    def named(start: int, end: int) -> bool:  # a source word that may be a name
        a = source[start:end]
        return _is_nisba(normalize(a)) or _proper_name(a, meanings(a)) is not None

    @functools.cache
    def said(w: str) -> bool:  # a source word renders the name itself
        return any(_explains(a, meanings(a), w) for _, _, a in arabic)

    def rendered(a: str) -> bool:  # a name of the translation renders the source word
        return any(_explains(a, meanings(a), x) for x in names)

    out = []
    for f in findings:
        w = translation[f.tgt[0] : f.tgt[1]] if f.tgt else None
        if w is not None and not said(w):
            if f.src is not None and metonym(*f.src, w):
                continue  # changed into its metonym
            if f.src is not None and f.tgt is not None and people_of_the_place(*f.src, f.tgt):
                continue  # the place's people: "American officials"
            if (
                f.src is not None
                and f.tgt is not None
                and not named(*f.src)
                and _alone_in_its_run(translation, *f.tgt)
                and any(metonym(s, e, w) for s, e, _ in arabic if (s, e) != f.src)
            ):
                continue  # beside no name it replaced: another source word's metonym
            if f.src is None and any(
                (metonym(s, e, w) and not rendered(a)) or people_of_the_place(s, e, f.tgt)
                for s, e, a in arabic
            ):
                continue  # added: the metonym of a source word nothing else renders
        if (
            f.src is not None
            and w is None
            and any(metonym(*f.src, x) and not said(x) for x in names)
        ):
            continue  # missing: the translation has its metonym
        out.append(f)
    return out


def _derived(english: str, glosses: set[str]) -> bool:
    """Whether the English name begins with a gloss of ``MIN_DERIVED_GLOSS`` letters or
    more, less a final e or y: a word derived from it (Templars: temple). Only for whether
    the source explains a name: a translation word that renders a source word is one of
    its glosses (``renders``), not a word made from one."""
    low = english.lower()
    stems = (g[:-1] if g[-1:] in ("e", "y") else g for g in glosses if g.isalpha())
    return any(len(stem) >= MIN_DERIVED_GLOSS and low.startswith(stem) for stem in stems)


def _spells(arabic: str, glosses: set[str], english: str, as_read: bool = False) -> bool:
    """Whether the source word transliterates the English name (``_similar``). A word the
    dictionary knows only by common glosses (المحكمة: court, tribunal) is a name by its
    letters only when closely alike (``KNOWN_WORD_SIMILARITY``: سعيد and Said, أمل and
    Amal); a word it does not know, or glosses with a name it transliterates, at the usual
    ``MIN_SIMILARITY``. ``as_read``: see ``_arabic_forms``."""
    if not _similar(arabic, english, as_read=as_read):
        return False
    if not glosses or _similar(arabic, english, KNOWN_WORD_SIMILARITY, as_read):
        return True
    return any(not _common(g) and _similar(arabic, g, as_read=as_read) for g in glosses)


def renders(arabic: str, glosses: set[str], english: str) -> bool:
    """Whether a word of the translation renders the source word: by a gloss, or, for a
    word English does not know (a name), by its letters as well. A common word says
    nothing by its letters: "and" has the skeleton of الهند, "known" that of كانون."""
    return _explains(arabic, glosses, english, by_letters=not _known(english), as_read=True)


def _singular_glosses(word: str) -> frozenset[str]:
    """The glosses of a plural nisba's singular, for a word the dictionary lacks
    (الصينيين, الصينيون: الصيني, china): "Chinese" is then explained, not a name standing
    where the source has another word (``_folded`` has the figures)."""
    form = normalize(word)
    m = re.search(r"(?:يين|يون)$", form)
    if m is None or len(form) - len(m.group()) < 3:
        return frozenset()
    return _glosses(form[: m.start()] + "ي")


@functools.lru_cache(maxsize=65536)
def _nisba_base_glosses(word: str) -> frozenset[str]:
    """For a nisba with its article (الفلسطينيون, الفلسطيني), the names the dictionary
    glosses its base with (فلسطين, or the base with يا) that the base spells
    (``_similar``): "Palestinians" renders الفلسطينيون though the dictionary knows that
    word only as "philistines"; الألماني gives no "krauts". Only names (no word
    English knows), and only to explain a translation name: the word is no source name for
    the other rules."""
    base = _nisba_base(word)
    if base is None:
        return frozenset()
    out: set[str] = set()
    for stem in (base, base + "يا"):
        if len(arabic_skeleton(stem)) >= MIN_REPORTED_SKELETON:
            out |= {g for g in _glosses(stem) if not _common(g) and _similar(stem, g)}
    return frozenset(out)


def _in_an_acronym(at: tuple[int, int], arabic, glosses: dict, translation: str) -> bool:
    """Whether the translation has an acronym of ``MIN_ACRONYM`` capitals or more that
    holds the source word at ``at`` (its span; ``arabic``: the source's words in order)
    with a word beside it: two letters in a row, the initials of a gloss of each, either
    way round (UCLA for جامعة كاليفورنيا: university, california). One letter anywhere would
    let CNN or NBC hold كاليفورنيا, and two-letter acronyms "US" hold سوريا."""
    k = next((i for i, (s, e, _) in enumerate(arabic) if (s, e) == at), None)
    if k is None:
        return False

    def initials(i: int) -> set[str]:
        return {g[:1].upper() for g in glosses.get(arabic[i][2], ()) if g[:1].isalpha()}

    mine = initials(k)
    beside = set().union(*(initials(i) for i in (k - 1, k + 1) if 0 <= i < len(arabic)))
    pairs = {a + b for a in mine for b in beside} | {b + a for a in mine for b in beside}
    acronyms = re.findall(rf"\b[A-Z]{{{MIN_ACRONYM},}}\b", translation)
    if any(p in x for x in acronyms for p in pairs):
        return True
    # or one that spells a run of words in a row holding it, as the omission check reads
    # one (``words.holds``: UNIFIL for قوة الأمم المتحدة المؤقتة في لبنان)
    every = [initials(i) for i in range(len(arabic))]
    return any(_acronym_holds(every, k, x) for x in acronyms)


def _is_nisba(form: str) -> bool:
    """A normalized word with a nisba ending (الأمريكي, الروسية)."""
    return bool(NISBA_AR.match(form) or (NISBA_END.search(form) and len(form) > 5))


def _is_arabic_name(word: str, glosses: set[str], article_names: set[str]) -> bool:
    form = normalize(word)
    if _is_nisba(form):
        return False
    if MONTHS.get(form) or len(arabic_skeleton(form)) < MIN_REPORTED_SKELETON:
        return False
    # موسكو: moscow, a word only the dictionary's names have, which the article uses as a
    # name elsewhere (كانت is also "Kant", but no other translation names Kant).
    return any(not _common(g) and _similar(word, g) and g in article_names for g in glosses)


def _common(word: str) -> bool:
    """Not a name: not all letters, or a word English knows (``_known``)."""
    return not word.isalpha() or _known(word)


@functools.lru_cache(maxsize=65536)
def _known(word: str) -> bool:
    """A word English knows: lemminflect's, a function word (which lemminflect does not
    list: "with", "from"), or a title or interjection it does not list either (Mr, Oh).
    Cached: the name rules ask it of every gloss of every source word, segment after
    segment."""
    w = word.lower()
    return (
        is_english_function_word(w)
        or w in FUNCTION_WORDS
        or w in _TITLES_AND_INTERJECTIONS
        or known_english(w)
    )


def _alone_in_its_run(translation: str, start: int, end: int) -> bool:
    """Whether the word at ``start`` stands with no capitalized word beside it (one at a
    sentence's opening before it aside): "Riyadh announced", not "Steven Russian"."""
    after = re.match(r"\s+([A-Za-z]+)", translation[end:])
    before = re.search(r"([A-Za-z]+)\W*$", translation[:start])
    if after is not None and after.group(1)[:1].isupper():
        return False
    if before is None or not before.group(1)[:1].isupper():
        return True
    return _at_opening(translation, before.start(1))


class NameCheck:
    name = NAME

    def check(self, segment: SegmentInput, article: ArticleInput | None) -> list[Finding]:
        found = self._check(segment, article)
        if not found:
            return found
        return _without_metonyms(found, segment.source or "", segment.translation or "")

    def _check(self, segment: SegmentInput, article: ArticleInput | None) -> list[Finding]:
        source, translation = segment.source or "", segment.translation or ""
        if not source.strip() or not has_words(translation):
            return []
        lexicon = _lexicon()
        english = _english_names(translation)
        arabic = _arabic_words(source)
        if len(english) > MAX_LINE_WORDS or len(arabic) > MAX_LINE_WORDS:
            # Names are compared with every source word: a runaway line (thousands of
            # words, past what is aligned) would take minutes, and has no links to use.
            return []
        here = _glosses_here(source)
        glosses = {w: here[w] or _singular_glosses(w) for _, _, w in arabic}
        latin = {w.lower() for w in re.findall(r"[A-Za-z]+", source)}
        # Names no source word explains; the older rules report only those with a skeleton
        # long enough, the link rule any of them. (Each distinct word is compared once: a
        # long segment repeats its names and words.)
        distinct = list(glosses)
        tgt_words = [re.sub(r"['’]s$", "", w) for _, _, w in word_tokens_text(translation)]

        def derived(w: str, a: str) -> bool:
            # made from a gloss of a source word the translation renders nowhere else: a
            # word it does render ("green economy") made no name of it (Greenland)
            return _derived(w, glosses[a]) and not _renderings(a, glosses[a], tgt_words)

        explained = {
            w: w.lower() in latin
            or any(
                _explains(a, glosses[a] | _nisba_base_glosses(a), w) or derived(w, a)
                for a in distinct
            )
            for w in {w for _, _, w in english}
        }
        unexplained_any = [(s, e, w) for s, e, w in english if not explained[w]]
        unexplained = [
            x for x in unexplained_any if len(english_skeleton(x[2])) >= MIN_REPORTED_SKELETON
        ]
        others = article_names(segment, article)
        rendered: set[str] = set()  # the lemmas of the translation's words
        for w in tgt_words:
            rendered |= lemmas(w.lower())
        capitalized = {w for w in tgt_words if w[:1].isupper()}
        parts = _words_and_links(segment.alignment)  # read once for every link rule
        phrases = _phrase_names(parts[0], parts[2]) if parts is not None else set()
        # (phrases of words close together, ``PHRASE_GAP``, for the rules of dictionary names)
        near = _phrase_names(parts[0], parts[2], PHRASE_GAP) if parts is not None else set()
        # A name that renders a phrase (منتخب جنوب أفريقيا للرغبي: "Springboks") has rendered
        # the source names in it, and is no unexplained name.
        phrase_src, phrase_tgt = _phrase_spans(parts, phrases)
        unexplained = [x for x in unexplained if x[:2] not in phrase_tgt]
        lost = []
        seen: set[str] = set()
        for s, e, a in arabic:
            if (s, e) in phrase_src:
                continue
            if normalize(a) in seen or not _is_arabic_name(a, glosses[a], others):
                continue
            if any(_explains(a, glosses[a], w) for w in capitalized):
                continue
            if lexicon is not None and rendered & glosses[a]:
                continue
            seen.add(normalize(a))
            lost.append((s, e, a))
        findings = self._findings(lost, unexplained, lexicon is not None, parts, arabic)
        if lexicon is None:
            return findings
        # a source name an acronym of the translation may hold is not missing (UCLA)
        findings = [
            f
            for f in findings
            if not (f.kind == "missing" and _in_an_acronym(f.src, arabic, glosses, translation))
        ]
        # One finding a name: a link finding stands for a name the older rules call missing,
        # and gives way where they already found it changed, on either side.
        changed = {f.src for f in findings if f.kind == "changed"}
        reported = {f.tgt for f in findings}
        acronyms = _unexplained_acronyms(translation, parts, arabic, glosses, latin)
        linked = [
            f
            for f in _linked_to_another_name(
                parts, phrases, unexplained_any + acronyms, arabic, glosses, tgt_words
            )
            if f.src not in changed and f.tgt not in reported
        ]
        now = {f.src for f in linked}
        findings = [f for f in findings if not (f.kind == "missing" and f.src in now)] + linked
        taken_src = {f.src for f in findings}
        taken_tgt = {f.tgt for f in findings}
        findings = findings + [
            f
            for f in _linked_to_an_unrendered_word(
                translation,
                parts,
                phrases,
                unexplained_any + acronyms,
                arabic,
                glosses,
                tgt_words,
                lexicon,
                {(x[0], x[1]) for x in acronyms},
            )  # fmt: skip
            if f.src not in taken_src and f.tgt not in taken_tgt
        ]
        taken_tgt = {f.tgt for f in findings}
        findings = findings + _replaced_by_a_capitalized_word(
            translation,
            parts,
            near,
            arabic,
            glosses,
            tgt_words,
            {f.src for f in findings},
            taken_tgt,
            article_pairs(article),
            segment.index,
        )
        taken_tgt = {f.tgt for f in findings}
        findings = findings + [
            f
            for f in _spelled_in_arabic(
                translation,
                parts,
                unexplained_any,
                (arabic, glosses, tgt_words),
                lexicon,
                article,
                segment.index,
            )
            if f.tgt not in taken_tgt
        ]
        taken_tgt = {f.tgt for f in findings}
        added = {
            re.sub(r"['’]s$", "", translation[f.tgt[0] : f.tgt[1]]).lower()
            for f in findings
            if f.kind == "added"
        }
        findings = findings + [
            f
            for f in _unsupported(translation, parts, unexplained_any, arabic, glosses, added)
            if f.tgt not in taken_tgt
        ]
        taken_tgt = {f.tgt for f in findings}
        findings = findings + _capitalized_unmatched(
            translation,
            parts,
            near,
            (arabic, glosses),
            ({f.src for f in findings}, taken_tgt),
            article,
            segment.index,
        )
        taken_tgt = {f.tgt for f in findings}
        findings = findings + _common_word_for_an_unknown_one(
            translation,
            parts,
            phrases,
            (arabic, glosses, tgt_words),
            lexicon,
            ({f.src for f in findings}, taken_tgt),
        )
        taken_tgt = {f.tgt for f in findings}
        findings = findings + [
            f for f in _dates_not_in_source(source, translation) if f.tgt not in taken_tgt
        ]
        taken_tgt = {f.tgt for f in findings}
        findings = findings + _unlike_the_article(
            translation, parts, (arabic, glosses), article, segment.index, taken_tgt
        )
        if findings:
            return findings
        # the last resort: one name lost, one capitalized word no source word explains
        return _one_lost_one_unexplained(
            translation,
            parts,
            _phrase_spans(parts, _capitalized_only(translation, parts, near), PHRASE_GAP),
            (arabic, glosses, tgt_words),
        )

    def _findings(self, lost, unexplained, have_lexicon: bool, parts, arabic) -> list[Finding]:
        linked = _linked_pairs(parts, lost, unexplained)
        findings = []
        used_s: set[int] = set()
        used_t: set[int] = set()
        pairs = [(i, j, CHANGED_LINKED_CONFIDENCE) for i, j in linked]
        if not pairs and len(lost) == 1 and len(unexplained) == 1 and have_lexicon:
            pairs = [(0, 0, CHANGED_CONFIDENCE)]
        for i, j, conf in pairs:
            if i in used_s or j in used_t:
                continue
            used_s.add(i)
            used_t.add(j)
            (s, e, a), (ts, te, w) = lost[i], unexplained[j]
            findings.append(
                Finding(
                    NAME,
                    "changed",
                    "error",
                    conf,
                    f"The name {a!r} of the source is {w!r} in the translation.",
                    (s, e),
                    (ts, te),
                )  # fmt: skip
            )
        if not have_lexicon:
            return findings
        for i, (s, e, a) in enumerate(lost):
            if i not in used_s and not unexplained:
                findings.append(
                    Finding(
                        NAME,
                        "missing",
                        "warning",
                        MISSING_CONFIDENCE,
                        f"The name {a!r} of the source is not in the translation.",
                        (s, e),
                        None,
                    )  # fmt: skip
                )
        added: set[str] = set()
        for j, (ts, te, w) in enumerate(unexplained):
            if (
                j not in used_t
                and not lost
                and _unlinked(parts, ts, te)
                and not any(_similar(a, w, LOOSE_SIMILARITY) for _, _, a in arabic)
                and w.lower() not in added
            ):
                added.add(w.lower())
                findings.append(
                    Finding(
                        NAME,
                        "added",
                        "warning",
                        ADDED_CONFIDENCE,
                        f"The name {w!r} of the translation has no counterpart in the source.",
                        None,
                        (ts, te),
                    )  # fmt: skip
                )
        return findings


def article_names(segment: SegmentInput, article: ArticleInput | None) -> set[str]:
    """The names (lower case) of the article's other translations."""
    return {
        w.lower()
        for seg in (article.segments if article is not None else ())
        if seg.index != segment.index
        for _, _, w in _english_names(seg.translation or "")
    }


@_for_the_last
def article_pairs(article: ArticleInput | None) -> dict[str, dict[str, set[int]]]:
    """Which names stand beside which Arabic words in the article: for each form
    (``_arabic_forms``) of a source word, each name (lower case) of the same pair's
    translation, with the indices of the segments that have both. Read once an article."""
    if article is None:
        return {}
    out: dict[str, dict[str, set[int]]] = {}
    for seg in article.segments:
        names = {w.lower() for _, _, w in _english_names(seg.translation or "")}
        if not names:
            continue
        for _, _, a in _arabic_words(seg.source or ""):
            for form in _arabic_forms(a):
                by_name = out.setdefault(form, {})
                for name in names:
                    by_name.setdefault(name, set()).add(seg.index)
    return out


def lost_name(
    arabic: str,
    translation: str,
    pairs: dict[str, dict[str, set[int]]],
    own: int = -1,
    source: str = "",
) -> str | None:
    """The name a source word stands for when the translation has nothing for it, else
    None: a word the dictionary glosses with names only, one of which it transliterates
    (``_proper_name``: روسيا, russia), or a word the dictionary does not know that
    another pair of the article (``article_pairs``, segment ``own`` left out) has beside a
    name it transliterates (بايدن in a source whose translation has "Biden"), with no word
    of the ``translation`` that renders it by a gloss or by its letters. None without the
    background dictionary: without glosses every common word looks unknown. The omission
    check takes such a word as a witness that the words around it were left out. With the
    ``source`` it stands in, the glosses of a phrase it is part of count too
    (``glosses_here``)."""
    if _lexicon() is None or is_arabic_function_word(arabic):
        return None
    meanings = _glosses_here(source).get(arabic) or _glosses(arabic)
    name = _proper_name(arabic, meanings)
    if name is None and not meanings and not MONTHS.get(normalize(arabic)):
        name = _article_name(arabic, pairs, own)
    if name is None:
        return None
    words = [w for _, _, w in word_tokens_text(translation) if w[:1].isalpha()]
    if any(glossed(w, meanings) or _similar(arabic, w) for w in words):
        return None
    return name.title()


def phrase_sources(alignment) -> set[tuple[int, int]]:
    """The (start, end) of the source words inside a phrase a translation name renders
    (``_phrase_spans``: منتخب جنوب أفريقيا للرغبي, "Springboks"); none without an
    alignment."""
    parts = _words_and_links(alignment)
    if parts is None:
        return set()
    return _phrase_spans(parts, _phrase_names(parts[0], parts[2], PHRASE_GAP), PHRASE_GAP)[0]


def unexplained_names(source: str, translation: str) -> dict[tuple[int, int], str]:
    """The translation's names ((start, end): name) that no source word explains (a gloss,
    a transliteration, the name in Latin script) nor is even loosely alike (``_alike``);
    none without the background dictionary. The addition check takes such a name as a
    witness that the words around it were added."""
    if _lexicon() is None:
        return {}
    arabic = {a for _, _, a in _arabic_words(source)}
    here = _glosses_here(source)
    glosses = {a: here[a] for a in arabic}
    latin = {w.lower() for w in re.findall(r"[A-Za-z]+", source)}
    out = {}
    for s, e, w in _english_names(translation):
        if w.lower() in latin:
            continue
        if not any(_explains(a, glosses[a], w, as_read=True) or _alike(a, w, True) for a in arabic):
            out[(s, e)] = w
    return out


def word_tokens_text(text: str) -> list[tuple[int, int, str]]:
    return [(t.start, t.end, text[t.start : t.end]) for t in word_tokens(text)]


def _unlinked(parts, start: int, end: int) -> bool:
    """Whether the alignment (``_words_and_links``) has the translation word at [start, end)
    and links it to nothing (a name a translation made up has nothing to link to); False
    without one."""
    if parts is None:
        return False
    _, words, links = parts
    linked = {j for _, j in links}
    at = next((j for j, w in enumerate(words) if (w.start, w.end) == (start, end)), None)
    return at is not None and at not in linked


def _linked_pairs(parts, lost, unexplained) -> list[tuple[int, int]]:
    """(lost index, unexplained index) of the pairs the alignment (``_words_and_links``)
    links."""
    if parts is None or not lost or not unexplained:
        return []
    src_words, tgt_words, links = parts
    src_at = {(w.start, w.end): i for i, w in enumerate(src_words)}
    tgt_at = {(w.start, w.end): j for j, w in enumerate(tgt_words)}
    out = []
    for i, (s, e, _) in enumerate(lost):
        for j, (ts, te, _) in enumerate(unexplained):
            a, b = src_at.get((s, e)), tgt_at.get((ts, te))
            if a is not None and b is not None and (a, b) in links:
                out.append((i, j))
    return out


def _article_name(
    arabic: str, pairs: dict[str, dict[str, set[int]]], own: int, floor: float = MIN_SIMILARITY
) -> str | None:
    """The name another pair of the article (``article_pairs``, segment ``own`` left out)
    has beside the source word and the word transliterates (بايدن beside "Biden"), or None."""
    beside = {
        n
        for form in _arabic_forms(arabic)
        for n, segments in pairs.get(form, {}).items()
        if segments - {own}
    }
    return next(
        (
            n
            for n in sorted(beside)
            if len(english_skeleton(n)) >= MIN_REPORTED_SKELETON and _similar(arabic, n, floor)
        ),
        None,
    )


def _proper_name(word: str, glosses: set[str]) -> str | None:
    """The proper name the dictionary glosses a source word with and the word transliterates
    (فرنسا: france), or None. Only a word every gloss of which is a name counts: the
    dictionary gives common words odd names too (بيت: house, bett; اليوم: today, ilium), and
    function words (كانت is also "Kant") and months are no names."""
    form = normalize(word)
    if is_arabic_function_word(word) or MONTHS.get(form) or any(_common(g) for g in glosses):
        return None
    return next((g for g in sorted(glosses) if _similar(word, g)), None)


def _unknown_word(word: str, glosses: set[str]) -> bool:
    """A source word the dictionary has nothing for, long enough to be a name of its own
    (مولدوفا, تمبوكتو) without a conjunction or bare preposition: a translation name linked
    to it should transliterate it."""
    return (
        not glosses
        and not is_arabic_function_word(word)
        and not MONTHS.get(normalize(word))
        and len(arabic_skeleton(_without_bare_preposition(word))) >= UNKNOWN_MIN_SKELETON
    )


def _words_and_links(alignment):
    """The alignment's source words, translation words and word links; None without an
    alignment or for one that does not fit its texts (no evidence then)."""
    if alignment is None:
        return None
    try:
        return alignment.src_words, alignment.tgt_words, alignment.word_links()
    except Exception:  # an alignment that does not fit its texts
        return None


def _phrase_clusters(src_words, links, gap=None) -> dict[int, list[list[int]]]:
    """Each translation word (alignment index) linked at ``WORD_LINK`` to two source content
    words or more that stand close together (``PHRASE_GAP``): the runs of those source words
    (alignment indices, in order), two words or more each."""
    content: dict[int, list[int]] = {}
    for (i, j), link in links.items():
        in_range = 0 <= i < len(src_words)  # (and a NaN confidence is no link)
        if (
            in_range
            and link.confidence >= WORD_LINK
            and not is_arabic_function_word(src_words[i].text)
        ):
            content.setdefault(j, []).append(i)
    out: dict[int, list[list[int]]] = {}
    for j, linked in content.items():
        if len(linked) < 2:
            continue
        runs: list[list[int]] = []
        for i in sorted(linked):
            if runs and (gap is None or i - runs[-1][-1] <= gap):
                runs[-1].append(i)
            else:
                runs.append([i])
        runs = [r for r in runs if len(r) > 1]
        if runs:
            out[j] = runs
    return out


def _phrase_names(src_words, links, gap=None) -> set[int]:
    """The translation words (alignment indices) linked at ``WORD_LINK`` to two source
    content words or more close together: a name that renders a phrase of them (بيت لحم:
    "Bethlehem", عيد الفصح: "Easter", وكالة الأنباء: "Xinhua"), not one word it replaced."""
    return set(_phrase_clusters(src_words, links, gap))


def _phrase_spans(parts, phrases: set[int], gap=None) -> tuple[set, set]:
    """The (start, end) of the translation words that render a phrase (``_phrase_names``)
    and of the source words of the phrases: from the first to the last source word of a
    run such a name is linked to at ``WORD_LINK`` (جنوب and للرغبي: أفريقيا between them
    is in it); none without an alignment."""
    if parts is None:
        return set(), set()
    src_words, tgt_words, links = parts
    clusters = _phrase_clusters(src_words, links, gap)
    src = {
        (src_words[i].start, src_words[i].end)
        for j in phrases
        for run in clusters.get(j, ())
        for i in range(run[0], run[-1] + 1)
    }
    tgt = {(tgt_words[j].start, tgt_words[j].end) for j in phrases if 0 <= j < len(tgt_words)}
    return src, tgt


def _linked_to_another_name(parts, phrases, unexplained, arabic, glosses, words) -> list[Finding]:
    """``changed`` findings for the ``unexplained`` English names the alignment links
    strongly to a source name the translation (its ``words``) has nothing for (see the
    module's docstring)."""
    unexplained = [x for x in unexplained if not is_english_function_word(x[2])]
    if parts is None or not unexplained:
        return []
    src_words, tgt_words, links = parts
    names = {(s, e): (a, _proper_name(a, glosses[a])) for s, e, a in arabic}
    unknown = {(s, e) for s, e, a in arabic if _unknown_word(a, glosses[a])}
    tgt_at = {(w.start, w.end): j for j, w in enumerate(tgt_words)}
    out: list[Finding] = []
    for s, e, w in unexplained:
        j = tgt_at.get((s, e))
        if j is None:
            continue
        for (i, jj), link in links.items():
            if jj != j or not link.confidence >= STRONG_LINK or not 0 <= i < len(src_words):
                continue  # (a NaN confidence is no strong link; a link past the words none)
            at = (src_words[i].start, src_words[i].end)
            a, proper = names.get(at, (None, None))
            if (
                a is None
                # an unknown word counts alone, not in a phrase the name renders (منتخب
                # جنوب أفريقيا للرغبي: "Springboks")
                or (proper is None and (at not in unknown or j in phrases))
                or any(f.src == at for f in out)  # one finding a source name
                or _similar(a, w, LOOSE_SIMILARITY)
                or any(renders(a, glosses[a], x) for x in words if x[:1].isalpha())
            ):
                continue
            if proper is not None:
                # A nisba may stand for a capital in the translation (اليابانية: "Tokyo"): a
                # warning; a name such as فرنسا: an error.
                nisba = _is_nisba(normalize(a))
                severity = "warning" if nisba else "error"
                confidence = UNKNOWN_LINKED_CONFIDENCE if nisba else CHANGED_LINKED_CONFIDENCE
                message = f"The name {a!r} ({proper.title()}) of the source is {w!r} in the "
                message += "translation."
            else:
                severity, confidence = "warning", UNKNOWN_LINKED_CONFIDENCE
                message = f"The name {w!r} of the translation is linked to {a!r}, a source "
                message += "word it does not transliterate: it may stand for another name."
            out.append(Finding(NAME, "changed", severity, confidence, message, at, (s, e)))
            break
    return out


# A word after these starts a sentence, a quotation, a parenthesis or a dashed clause:
# capitalized whatever it is. (A straight quote may close a quotation as well; it counts as
# an opening, so a name right after one is left alone.)
_OPENING_MARKS = frozenset('.!?:;"“‘«([—–•')


def _at_opening(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, a quotation, a parenthesis or a
    dashed clause (``_OPENING_MARKS`` or a spaced hyphen before it, spaces between). Reads
    back over the spaces only: a long translation's capitalized words cost no rescan of all
    the text before each."""
    k = start - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    if k < 0:
        return True
    return text[k] in _OPENING_MARKS or (text[k] == "-" and k > 0 and text[k - 1].isspace())


def _capitalized_run(text: str, tokens, k: int) -> list:
    """The capitalized words next to token ``k`` with nothing but spaces between (a
    multi-word name: New York, Médecins Sans Frontières), ``k`` among them."""
    lo = hi = k
    while (
        lo > 0
        and text[tokens[lo - 1].start][:1].isupper()
        and not text[tokens[lo - 1].end : tokens[lo].start].strip()
    ):
        lo -= 1
    while (
        hi + 1 < len(tokens)
        and text[tokens[hi + 1].start][:1].isupper()
        and not text[tokens[hi].end : tokens[hi + 1].start].strip()
    ):
        hi += 1
    return list(tokens[lo : hi + 1])


@functools.lru_cache(maxsize=65536)
def _alike(arabic: str, english: str, as_read: bool = False) -> bool:
    """Loosely alike (``LOOSE_SIMILARITY``), or with one and the same short skeleton (بابا
    and Baba, جاي and Jai: skeletons too short for a similarity ratio)."""
    return _similar(arabic, english, LOOSE_SIMILARITY, as_read) or _same_skeleton(
        arabic, english, as_read
    )


@functools.lru_cache(maxsize=65536)
def _same_skeleton(arabic: str, english: str, as_read: bool = False) -> bool:
    """Whether a form of the Arabic word (``_arabic_forms``) has the English word's
    skeleton, however short (ماو and Mau, بابا and Baba)."""
    skeleton = english_skeleton(english.lower())
    forms = _arabic_forms(arabic, as_read)
    return bool(skeleton) and any(arabic_skeleton(f) == skeleton for f in forms)


def _lone_names(translation: str, tgt_words, unexplained):
    """(start, end, word, alignment index, capitalized run) of the ``unexplained`` English
    names that are not at a sentence's start and stand alone: a name in a run of
    capitalized words with another unexplained one is one word of a foreign name
    (Médecins Sans Frontières), not a name of its own."""
    tokens = word_tokens(translation)
    at_token = {(t.start, t.end): k for k, t in enumerate(tokens)}
    tgt_at = {(w.start, w.end): j for j, w in enumerate(tgt_words)}
    names = [(s, e, w) for s, e, w in unexplained if not is_english_function_word(w)]
    unexplained_at = {(s, e) for s, e, _ in names}
    for s, e, w in names:
        k, j = at_token.get((s, e)), tgt_at.get((s, e))
        if k is None or j is None or _at_opening(translation, tokens[k].start):
            continue
        run = _capitalized_run(translation, tokens, k)
        if not any((t.start, t.end) in unexplained_at for t in run if t.start != s):
            yield s, e, w, j, run


def _linked_to_an_unrendered_word(
    translation, parts, phrases, unexplained, arabic, glosses, words, lexicon, acronyms=()
) -> list:
    """``changed`` warnings for the ``unexplained`` English names, not at a sentence's
    start, that the alignment links (``WORD_LINK``) to a source word the translation (its
    ``words``) has neither a gloss nor a transliteration of, or has them fewer times than
    the source says the word (see the module's docstring)."""
    if parts is None or lexicon is None or not unexplained:
        return []
    src_words, tgt_words, links = parts
    arabic_at = {(s, e): a for s, e, a in arabic}
    by_target: dict[int, list[tuple[int, float]]] = {}
    for (i, j), link in links.items():
        if link.confidence >= WORD_LINK and 0 <= i < len(src_words):  # (not NaN, in range)
            by_target.setdefault(j, []).append((i, link.confidence))
    strongest = _strongest_links(links, len(tgt_words))
    # the source words that may be names: not function words, and unknown to the
    # dictionary or glossed with names only (ماو: mao; not يوم: day, today, ilium, with the
    # skeleton of "Emma")
    named_words = {
        b
        for _, _, b in arabic
        if not is_arabic_function_word(b) and not any(_common(g) for g in glosses.get(b, ()))
    }
    counted: dict[str, tuple[int, int]] = {}
    matching: list[dict[int, int]] = []

    def matched() -> dict[int, int]:
        """The source words (alignment indices) the translation has a rendering of, one
        rendering each (``_matching``, the words linked most strongly kept first)."""
        if not matching:
            matching.append(_matching(translation, parts, arabic_at, glosses, True)[0])
        return matching[0]

    def times_rendered(a: str, meanings: set[str]) -> tuple[int, int]:
        """How often the translation renders the source word, and how often the source
        says it (words that share a form the dictionary knows them by, ``_said_alike``)."""
        if a not in counted:
            counted[a] = _renderings(a, meanings, words), _said_alike(a, arabic)
        return counted[a]

    out: list[Finding] = []
    for s, e, w, j, run in _lone_names(translation, tgt_words, unexplained):
        joined = "".join(translation[t.start : t.end] for t in run)
        low = w.lower()
        if j in phrases:
            continue
        acronym = (s, e) in acronyms  # explained by letters already, or not
        if not acronym and any(_same_skeleton(b, w) for b in named_words):
            # a source word is the name written by its letters (حركة ماو, "the Mau
            # movement": a skeleton too short to explain it) and the link a stray one
            # (``MIN_DERIVED_GLOSS`` has what this and that rule did on the benchmark's
            # lines).
            continue
        linked = sorted(by_target.get(j, []), key=lambda x: -x[1])
        for i, conf in linked:
            at = (src_words[i].start, src_words[i].end)
            if any(f.src == at for f in out):
                continue  # one finding a source word
            a = arabic_at.get(at)
            if a is None or is_arabic_function_word(a):
                continue
            meanings = glosses[a]
            if not (meanings or _unknown_word(a, meanings)):
                continue  # a word too short to be a name
            if acronym and not _proper_name(a, meanings):
                continue  # an acronym of common words' initials: "GDP" for الناتج, output
            if any(len(g) >= 4 and (g in low or g.startswith(low)) for g in meanings):
                continue  # شمال: north, "Northern"
            if not acronym and (
                _alike(a, w) or (len(run) > 1 and _similar(a, joined, LOOSE_SIMILARITY))
            ):
                continue
            words_of_run = [translation[t.start : t.end] for t in run]
            if _renders_with_a_neighbour(i, a, w, words_of_run, src_words, arabic_at):
                continue  # عبد الناصر, "Abdel Nasser"; رام الله, "Ramallah"
            # A word the source says twice needs two renderings: the other one may be the
            # one replaced (اللاتينية twice, "Latin" once and "Anna" linked to it). Then
            # the link must not be a guess beside the word's own rendering (DOMINANCE),
            # and the words beside it must be rendered (else the name renders a phrase
            # they are part of). On the six FLORES alignments made for tuning: name R
            # 0.721 → 0.743 at P 0.881 → 0.885, no more clean lines with a finding of any
            # check (3.65%); the news article and the conversational lines unchanged; the
            # same without the last two conditions, which keep a pronoun for the second
            # word (اللجنة twice, "committee" and "it") and a phrase's name quiet.
            rendering, times = times_rendered(a, meanings)
            # One translation word renders one source word: a word the translation renders as often
            # as the source says it still counts as unrendered when a maximum matching of source
            # words to their renderings (``_matching``, the source words linked most strongly to a
            # rendering kept first) leaves it none ("Sun" linked to الشمس renders it, not الشمسي
            # beside it, linked to "Singh"). On the stored alignments without training text, name P
            # / R: FLORES seed 0 unchanged, seed 1 0.929 / 0.776 → 0.930 / 0.791, news (eight sets)
            # unchanged (for tuning); held out seed 4 0.870 / 0.691 → 0.873 / 0.706, seeds 2 and 3,
            # news (another eight, sixteen sets) and the conversational lines unchanged; no more
            # clean lines with a finding of any check anywhere (FLORES at most 4.45%), nor on the 44
            # runs over clean news pairs. With the source words in their order (not the most
            # strongly linked first): seed 1 unchanged (the earlier word keeps the rendering).
            if rendering >= times and i in matched():
                continue
            if rendering and conf < DOMINANCE * strongest.get(i, 0.0):
                continue  # the word's own rendering has the link; this one is a guess
            if rendering and _beside_an_unrendered_word(i, j, parts, arabic_at, glosses, words):
                continue  # the name renders a phrase: الجبل الأسود, "Montenegro"
            # the word's own glosses, where it has them, before a phrase's (يوم الثلاثاء: "tu")
            gloss = ", ".join(sorted(_glosses(a) or meanings)[:2]) or "not in the dictionary"
            message = f"The name {w!r} of the translation stands where the source has {a!r} "
            message += f"({gloss}), " + (
                "which the translation does not render"
                if not rendering
                else f"which is {times} times in the source and {rendering} in the translation"
            )
            message += ": it may be a changed name."
            out.append(
                Finding(NAME, "changed", "warning", WORD_LINKED_CONFIDENCE, message, at, (s, e))
            )
            break
    return out


def _renders_with_a_neighbour(i: int, a: str, w: str, run: list[str], src_words, arabic_at) -> bool:
    """Whether the name transliterates the source word together with the word before or
    after it: a two-word Arabic name written as one English word, or its first part
    (عبد الناصر: "Abdel" of "Abdel Nasser", "Abdelmadjid"; حزب الله: "Hezbollah")."""
    for k in (i - 1, i + 1):
        if not 0 <= k < len(src_words):
            continue
        b = arabic_at.get((src_words[k].start, src_words[k].end))
        if b is None:
            continue
        pair = a + b if k > i else b + a
        # Closely, by the letters' skeletons: "Abdullah" for عبد العزيز is another king
        # (bdl, bdls), "Abdelmadjid" for عبد المجيد the same man (bdlmdgd, bdlmgd).
        pair_skeletons = {arabic_skeleton(f) for f in _arabic_forms(pair)}
        # the name alone, or with the run's word on the neighbour's side ("Abdel Nasser")
        at = run.index(w) if w in run else -1
        beside = at + 1 if k > i else at - 1
        names = [w] + (
            [w + run[beside] if k > i else run[beside] + w]
            if at >= 0 and 0 <= beside < len(run)
            else []
        )
        name_skeletons = {english_skeleton(x.lower()) for x in names}
        if not any(
            SequenceMatcher(None, p, n, autojunk=False).ratio() >= PAIR_SIMILARITY
            for p in pair_skeletons
            for n in name_skeletons
        ):
            continue
        # and the word itself is that part of the name: its letters begin the name (or end
        # it, for the second word), not another name's beside it ("Khandelwal Ogarzynska"
        # for آنا أوغارزينسكا is like the pair by its second word alone)
        name = english_skeleton(w.lower())
        parts = {arabic_skeleton(f) for f in _arabic_forms(a)} - {""}
        if any(name.startswith(p) if k > i else name.endswith(p) for p in parts):
            return True
    return False


def _beside_an_unrendered_word(i: int, j: int, parts, arabic_at, glosses, words) -> bool:
    """Whether a source content word next to the ``i``-th (alignment index) is rendered by
    no word of the translation (its ``words``) and linked (``WORD_LINK``) to none but the
    name (the ``j``-th): a name linked to a word of a phrase it renders (الجبل in الجبل
    الأسود, "Montenegro"; الميلاد in عيد الميلاد, "Christmas") leaves the phrase's other
    words with nothing, while a name swapped in for one of two occurrences of a word
    (اللاتينية, "Latin") leaves its neighbours their renderings."""
    src_words, _, links = parts
    for k in (i - 1, i + 1):
        if not 0 <= k < len(src_words):
            continue
        b = arabic_at.get((src_words[k].start, src_words[k].end))
        if b is None or is_arabic_function_word(b):
            continue
        if any(
            ii == k and jj != j and link.confidence >= WORD_LINK for (ii, jj), link in links.items()
        ):
            continue
        meanings = glosses.get(b, frozenset())
        if not any(x[:1].isalpha() and renders(b, meanings, x) for x in words):
            return True
    return False


def _strongest_links(links, targets: int) -> dict[int, float]:
    """Each source word (alignment index): its strongest link to one of the translation's
    ``targets`` words (a link past them is no evidence)."""
    strongest: dict[int, float] = {}
    for (i, j), link in links.items():
        if 0 <= j < targets and link.confidence > strongest.get(i, 0.0):
            strongest[i] = link.confidence
    return strongest


def _renderings(arabic: str, glosses: set[str], words) -> int:
    """How many words of the translation (its ``words``) render the source word
    (``renders``)."""
    return sum(1 for x in words if x[:1].isalpha() and renders(arabic, glosses, x))


def _said_alike(arabic: str, words) -> int:
    """How many of the source's ``words`` ((start, end, word)) are the word ``arabic``: they
    share a form the dictionary knows them by (``dictionary_forms``: باللاتينية and
    اللاتينية, لأفريقيا and إفريقيا; not بحرية and حرية); at least one."""
    forms = _dictionary_forms(arabic)
    return max(1, sum(1 for _, _, b in words if forms & _dictionary_forms(b)))


def _mid_sentence_capitals(translation, tgt_words, phrases, left_out) -> dict[int, str]:
    """The capitalized words in the middle of a sentence (alignment index: the word, not
    US for أمريكا: ``_written_as_a_name``), less function words, the words of ``left_out``
    and those that render a phrase (``phrases``); a word given as None is skipped."""
    capitalized = {}
    for j, t in enumerate(tgt_words):
        if t is None:
            continue
        w = _written_as_a_name(translation[t.start : t.end])
        if w is None or w.lower() in left_out:
            continue
        if j in phrases or is_english_function_word(w) or _at_opening(translation, t.start):
            continue
        capitalized[j] = w
    return capitalized


def _capitalized_links(translation, parts, phrases, arabic, taken_src, taken_tgt):
    """For the link rules of capitalized words: each link of ``WORD_LINK`` or more, the
    strongest first, from a source content word not ``taken_src`` to a capitalized word in
    the middle of a sentence (``_mid_sentence_capitals``; not a number word, month, day or
    the forms of a name's title, nor one that renders a phrase) not ``taken_tgt``, as
    (the source span, the translation span, the Arabic word, the English word). The spans
    a rule reports must be added to ``taken_src`` and ``taken_tgt`` as it goes."""
    src_words, tgt_words, links = parts
    tokens = {(t.start, t.end) for t in word_tokens(translation)}
    # (a word the alignment has where the translation has none: no evidence)
    fitting = [t if (t.start, t.end) in tokens else None for t in tgt_words]
    capitalized = _mid_sentence_capitals(translation, fitting, phrases, _FORMS_OF_A_NAME)
    if not capitalized:
        return
    arabic_at = {(s, e): a for s, e, a in arabic}
    for (i, j), link in sorted(links.items(), key=lambda x: -x[1].confidence):
        if j not in capitalized or not link.confidence >= WORD_LINK:
            continue  # (a NaN confidence is no link)
        if not 0 <= i < len(src_words):
            continue
        at, tat = (src_words[i].start, src_words[i].end), (tgt_words[j].start, tgt_words[j].end)
        a, w = arabic_at.get(at), capitalized[j]
        if a is None or at in taken_src or tat in taken_tgt or is_arabic_function_word(a):
            continue
        yield at, tat, a, w


def _replaced_by_a_capitalized_word(
    translation, parts, phrases, arabic, glosses, words, taken_src, taken_tgt, pairs, own
) -> list:
    """``changed`` warnings for the source names (``_proper_name``: روسيا, russia; or, for a
    word the dictionary does not know, the name another pair of the article has beside it
    and it closely transliterates, ``_article_name``: تسارناييف, "Tsarnaev") that the
    translation (its ``words``) renders fewer times than the source has them (nowhere, for
    a name said once) and that the alignment links (``WORD_LINK``) to a capitalized word
    in the middle of a sentence: the word stands where the name was, whether it is another
    name or a word English capitalizes in names (State, Council).
    Number words, months, days and the forms of a name's title (Saint) are left alone, and
    so is a word that renders a phrase (``_phrase_names``); none for a source or a
    translation span ``taken`` by an earlier finding."""
    if parts is None or _lexicon() is None:
        return []
    out = []
    taken_src, taken_tgt = set(taken_src), set(taken_tgt)
    for at, tat, a, w in _capitalized_links(
        translation, parts, phrases, arabic, taken_src, taken_tgt
    ):
        proper = _proper_name(a, glosses[a])
        alike = _alike
        if proper is None and not glosses[a] and not MONTHS.get(normalize(a)):
            # The name another pair gives the word: a spelling of it transliterates the
            # word at MIN_SIMILARITY, as that name does closely; the loose test read رويترز
            # (Reuters) as "Crocus". On the seed news article (eight sets) name R 0.625 →
            # 0.656 at P 1.00; on the six FLORES alignments made for tuning R 0.743 → 0.750
            # at P 0.885 → 0.886; no more clean lines anywhere.
            proper = _article_name(a, pairs, own, ARTICLE_NAME_SIMILARITY)
            alike = _similar
        if proper is None or alike(a, w):
            continue
        # A name the source has twice needs two renderings (تسارناييف twice, "Tsarnaev"
        # once: the other occurrence may be the one replaced). On the six FLORES alignments
        # made for tuning: name R 0.701 → 0.708 at P 0.878 → 0.880, no more clean lines.
        rendering = _renderings(a, glosses[a], words)
        said = _said_alike(a, arabic)
        if rendering >= said:
            continue
        message = f"The name {a!r} ({proper.title()}) " + (
            "of the source is not in the translation, "
            if not rendering
            else f"is {said} times in the source and {rendering} in the translation, "
        )
        message += f"and the alignment puts {w!r} in its place: it may be a changed name."
        out.append(Finding(NAME, "changed", "warning", WORD_LINKED_CONFIDENCE, message, at, tat))
        taken_src.add(at)
        taken_tgt.add(tat)
    return out


@_for_the_last
def _spellings(lexicon) -> dict[str, tuple[str, ...]]:
    """The dictionary turned round: for each English word, the Arabic headwords (their
    matching forms) glossed with it alone. Built once a dictionary (a tenth of a second)."""
    out: dict[str, list[str]] = {}
    for form, row in lexicon.entries.items():
        for lemma, strength in row.items():
            if strength >= 1.0:
                out.setdefault(lemma, []).append(form)
    return {lemma: tuple(forms) for lemma, forms in out.items()}


def _spelled_in_arabic(
    translation, parts, unexplained, read, lexicon, article=None, own: int = -1
) -> list:
    """Findings for the ``unexplained`` English names, not at a sentence's start and alone
    in their run of capitalized words, that Arabic writes by their letters (the dictionary
    has a headword glossed with the name that transliterates it: تكساس, "Texas"; or
    another pair of the ``article``, segment ``own`` left out, has the name beside a word
    that transliterates it: تسارناييف beside "Tsarnaev", ``article_pairs``) when the
    source has nothing that spelling could be (``_spelled_nowhere``): the source would
    have the name had it said it. ``changed`` when the alignment links the name
    (``WORD_LINK``) to a source content word the translation renders nowhere, else
    ``added`` (warnings); one finding a name. ``read``: what the check has read already,
    the source's Arabic words, their glosses and the translation's words. A name Arabic
    translates rather than spells counts when the dictionary has a headword for it (or
    its lemma) whose glosses are all names (اليونان: greece; مصري: egyptian): on the
    stored FLORES alignments without training text, name R 0.794 → 0.824 at P 0.915 →
    0.918 (seed 0) and unchanged at 0.731 (seed 1), with training text R 0.741 → 0.748;
    clean lines with any finding, the news article and the conversational lines unchanged.
    A headword with a common gloss (قوس: bow, arc and Sagittarius) says nothing, nor do
    names of a two-letter skeleton (Inc, Non). Names neither the dictionary nor the
    article knows are left to the other rules: nothing says what the source should have
    had."""
    if lexicon is None or not unexplained:
        return []
    arabic, glosses, words = read
    index, by_name = _spellings(lexicon), _forms_by_name(article_pairs(article))
    source_forms = {f for _, _, a in arabic for f in _arabic_forms(a)}
    arabic_at = {(s, e): a for s, e, a in arabic}
    linked: dict[tuple[int, int], tuple[float, tuple[int, int], str]] = {}
    if parts is not None:
        src_words, tgt_words, links = parts
        for (i, j), link in links.items():
            if not (link.confidence >= WORD_LINK and 0 <= i < len(src_words)):
                continue  # (a NaN confidence is no link)
            word = src_words[i]
            a = arabic_at.get((word.start, word.end))
            if 0 <= j < len(tgt_words) and a is not None and not is_arabic_function_word(a):
                at = (tgt_words[j].start, tgt_words[j].end)
                if link.confidence > linked.get(at, (0.0,))[0]:
                    linked[at] = (link.confidence, (word.start, word.end), a)
    tokens = word_tokens(translation)
    at_token = {(t.start, t.end): k for k, t in enumerate(tokens)}
    names_at = {(s, e) for s, e, _ in unexplained}
    out: list[Finding] = []
    done: set[str] = set()
    for s, e, w in unexplained:
        low, k = w.lower(), at_token.get((s, e))
        if low in done or k is None or _at_opening(translation, s):
            continue
        run = _capitalized_run(translation, tokens, k)
        if any((t.start, t.end) in names_at for t in run if t.start != s):
            continue  # one word of a foreign name (Médecins Sans Frontières)
        spelled = [f for f in index.get(low, ()) if _similar(f, w)]
        if not spelled and len(english_skeleton(w)) >= MIN_REPORTED_SKELETON:
            # a name Arabic translates (اليونان, "Greece"; مصري, "Egyptian"): a headword
            # the dictionary knows only as names, glossed with the name or its lemma
            spelled = [
                f
                for lemma in lemmas(low) | {low}
                for f in index.get(lemma, ())
                if not any(_common(g) for g in lexicon.entries.get(f, {}))
            ]
        spelled += [  # how the article's other pairs spell it
            form
            for form, segments in by_name.get(low, ())
            if segments - {own} and _similar(form, w)
        ]
        if not spelled or not _spelled_nowhere(spelled, w, arabic, source_forms):
            continue
        done.add(low)
        said = f"The name {w!r} of the translation, which Arabic writes "
        said += f"{min(spelled, key=len)!r}, is not in the source"
        a = linked[(s, e)][2] if (s, e) in linked else None
        if a is not None and not any(renders(a, glosses[a], x) for x in words if x[:1].isalpha()):
            at = linked[(s, e)][1]
            message = f"{said}: it stands where the source has {a!r}, and may be a changed name."
            out.append(Finding(NAME, "changed", "warning", SPELLED_CONFIDENCE, message, at, (s, e)))
        else:
            message = f"{said}: it may have been added."
            out.append(Finding(NAME, "added", "warning", SPELLED_CONFIDENCE, message, None, (s, e)))
    return out


def _common_word_for_an_unknown_one(translation, parts, phrases, read, lexicon, taken) -> list:
    """``changed`` warnings for the common English words written with a capital in the
    middle of a sentence, alone in their run of capitalized words ("goes into Geological
    and", "with the Chase being"), that the alignment links (``WORD_LINK``) to a source
    word the dictionary does not know (الخليل, الكونغرس: often a name), when no source word
    explains the English word (a gloss), the two are not even loosely alike (``_alike``),
    the dictionary writes the English word in Arabic (a headword glossed with it or its
    lemma: جيولوجي, geological) and the source has nothing that could be one of those
    spellings (``_spelled_nowhere``), and the translation renders the source word nowhere.
    The rules above take names only, or source words the dictionary knows: a common word
    swapped in for a name the dictionary lacks went unseen. Number words, months, days,
    titles (St, Dr) and words that render a phrase (``_phrase_names``) are left alone, and
    so are the source words with a skeleton under ``MIN_REPORTED_SKELETON``. ``read``: the
    source's Arabic words, their glosses and the translation's words; ``taken``: the source
    and translation spans earlier findings hold."""
    if parts is None or lexicon is None:
        return []
    arabic, glosses, words = read
    taken_src, taken_tgt = set(taken[0]), set(taken[1])
    tokens = word_tokens(translation)
    at_token = {(t.start, t.end): k for k, t in enumerate(tokens)}
    index = _spellings(lexicon)
    source_forms = {f for _, _, a in arabic for f in _arabic_forms(a)}
    out = []
    for at, tat, a, w in _capitalized_links(
        translation, parts, phrases, arabic, taken_src, taken_tgt
    ):
        low = w.lower()
        if glosses[a] or MONTHS.get(normalize(a)):
            continue  # a word the dictionary knows: the rules above
        if len(arabic_skeleton(normalize(a))) < MIN_REPORTED_SKELETON:
            continue
        if not _known(w) or low in _NUMBER_WORDS | _EN_MONTHS | _DAYS | _TITLES_AND_INTERJECTIONS:
            continue  # a name: the rules above
        if len(_capitalized_run(translation, tokens, at_token[tat])) > 1:
            continue  # a title's word (Fashion Capital, the Milky Way), not a name's
        if _alike(a, w) or any(_explains(b, glosses[b], w, False) for _, _, b in arabic):
            continue
        spelled = [f for lemma in lemmas(low) | {low} for f in index.get(lemma, ())]
        if not spelled or not _spelled_nowhere(spelled, w, arabic, source_forms):
            continue  # no Arabic for the word, or the source has it (الموضه: fashion)
        if any(renders(a, glosses[a], x) for x in words if x[:1].isalpha()):
            continue
        message = f"The word {w!r} of the translation, which Arabic writes "
        message += f"{min(spelled, key=len)!r}, stands where the source has {a!r}, a word "
        message += "the dictionary does not know (a name?): it may be a changed name."
        out.append(Finding(NAME, "changed", "warning", WORD_LINKED_CONFIDENCE, message, at, tat))
        taken_src.add(at)
        taken_tgt.add(tat)
    return out


@_for_the_last
def _forms_by_name(pairs: dict) -> dict[str, list[tuple[str, set[int]]]]:
    """``article_pairs`` turned round: for each name, the Arabic forms beside it and the
    segments that have both. Once an article."""
    out: dict[str, list[tuple[str, set[int]]]] = {}
    for form, names in pairs.items():
        for name, segments in names.items():
            out.setdefault(name, []).append((form, segments))
    return out


def _spelled_nowhere(spelled: list[str], english: str, arabic, source_forms: set[str]) -> bool:
    """Whether no source word could be the name ``english`` that Arabic writes as one of
    ``spelled``: none is this alike to the name (``SPELLED_ALIKE``), none of the source's
    forms (``_arabic_forms``) holds a spelling (نيويورك holds يورك) or is the start of one
    (the source's الروم, the nisba روماني for "Roman"), and none is spelled near one
    (``NEAR_SPELLING``: الأطلسي beside اطلنطي)."""
    if any(_similar(a, english, SPELLED_ALIKE) for _, _, a in arabic):
        return False
    return not any(
        f in x
        or (len(x) >= 3 and f.startswith(x))
        or (len(x) <= MAX_NAME_CHARS and SequenceMatcher(None, f, x).ratio() >= NEAR_SPELLING)
        for f in spelled
        for x in source_forms
    )


def _unsupported(translation, parts, unexplained, arabic, glosses, added: set[str]) -> list:
    """``added`` warnings for the ``unexplained`` English names with a skeleton of
    ``MIN_REPORTED_SKELETON``, not at a sentence's start, that the alignment ties to no
    source word (``_ties``) and that no source word is even loosely alike (see the
    module's docstring)."""
    if parts is None or not unexplained:
        return []
    lone = list(_lone_names(translation, parts[1], unexplained))
    tied = _ties(translation, parts, arabic, glosses, {x[3] for x in lone})
    out = []
    named: set[str] | None = None
    for s, e, w, j, run in lone:
        if j in tied or len(english_skeleton(w)) < MIN_REPORTED_SKELETON or w.lower() in added:
            continue
        joined = "".join(translation[t.start : t.end] for t in run)
        if named is None:  # the source words the dictionary glosses as names, read once
            named = {a for a in glosses if _proper_name(a, glosses[a]) is not None}
        if any(
            _like_a_source_word(a, a in named, w)
            or (len(run) > 1 and _similar(a, joined, LOOSE_SIMILARITY))
            for _, _, a in arabic
        ):
            continue
        message = f"The name {w!r} of the translation has no counterpart in the source."
        out.append(Finding(NAME, "added", "warning", ADDED_CONFIDENCE, message, None, (s, e)))
        added.add(w.lower())  # one finding a name, however often it stands
    return out


def _one_lost_one_unexplained(translation, parts, phrase, read) -> list:
    """A ``changed`` warning where the source has one name the translation renders nowhere
    and the translation one capitalized word in the middle of a sentence that no source
    word explains, linked or not (see the module's docstring); none where the two are
    alike. ``phrase``: the (start, end) of the source words and the translation words of
    the phrases a name renders (``_phrase_spans``); ``read``: the source's Arabic words,
    their glosses and the translation's words. An acronym is none of these words: one
    names a nation's body the source says by its adjective (IDF for الجيش الإسرائيلي, BBC
    for هيئة الإذاعة البريطانية), which no dictionary ties to it."""
    arabic, glosses, words = read
    phrase_src, phrase_tgt = phrase
    capitalized = [w for w in words if w[:1].isupper()]
    lost: dict[str, tuple[int, int, str, str]] = {}
    for s, e, a in arabic:
        if (s, e) in phrase_src or is_arabic_function_word(a):
            continue
        proper = _proper_name(a, glosses[a])
        if proper is None or not _named_by_itself(a):
            continue
        if any(_explains(a, glosses[a], w) for w in capitalized):
            continue
        if _renderings(a, glosses[a], words):
            continue
        lost.setdefault(normalize(a), (s, e, a, proper))
    if len(lost) != 1:
        return []
    (s, e, a, proper), *_ = lost.values()
    tokens = word_tokens(translation)
    found = []
    for k, t in enumerate(tokens):
        at = (t.start, t.end)
        w = _written_as_a_name(translation[t.start : t.end])
        if w is None or (
            _at_opening(translation, t.start) and not _opens_a_quotation(translation, t.start, w)
        ):
            continue
        if at in phrase_tgt:
            continue
        low = w.lower()
        if (
            is_english_function_word(w)
            or low in _TITLES_AND_INTERJECTIONS | _FORMS_OF_A_NAME
            or any(_explains(b, glosses[b], w) or _derived(w, glosses[b]) for _, _, b in arabic)
        ):
            continue
        run = _capitalized_run(translation, tokens, k)
        joined = "".join(translation[x.start : x.end] for x in run)
        if len(run) > 1 and any(_similar(b, joined) for _, _, b in arabic):
            continue  # a run that transliterates a word: New Zealand, النيوزيلندي
        found.append((t.start, t.end, w))
    if len(found) != 1:
        return []
    ts, te, w = found[0]
    low = w.lower()
    if proper in low or low in proper:
        return []  # Paralympics for الأولمبية (olympics)
    # A name by its letters: like no source word, loosely (إيواتا and "Iwata"); a common
    # word says nothing by its letters ("Geological" and الأخرى)
    letters = not _known(w)
    if letters and any(_alike(b, w) for _, _, b in arabic):
        return []
    if parts is not None and _linked_to_another_capital(translation, parts, (s, e), (ts, te)):
        return []  # أسترالي linked to "AUD": rendered by it
    message = f"The name {a!r} ({proper.title()}) of the source is not in the translation, "
    message += f"whose {w!r} no source word explains: it may be a changed name."
    return [Finding(NAME, "changed", "warning", CHANGED_CONFIDENCE, message, (s, e), (ts, te))]


# Marks that open a quotation or a parenthesis, not a sentence.
_QUOTATION_MARKS = frozenset('"“‘«([')


def _opens_a_quotation(text: str, start: int, word: str) -> bool:
    """Whether the word at ``start``, one English does not know, opens a quotation or a
    parenthesis (a quotation mark or a bracket before it, spaces between): a name there is
    written with its capital anyway ("known as "Goma broadsides""). A sentence's first
    word is left alone."""
    k = start - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return k > 0 and text[k] in _QUOTATION_MARKS and not _known(word)


def _capitalized_only(translation: str, parts, phrases: set[int]) -> set[int]:
    """The translation words of ``phrases`` (alignment indices) written with a capital: a
    common word linked to two source words ("broadsides" to دنلاب and النقدية) renders no
    source name between them, and the name it stands beside is lost when nothing else
    renders it (see ``_one_lost_one_unexplained``)."""
    if parts is None:
        return set()
    tgt_words = parts[1]
    return {
        j for j in phrases if translation[tgt_words[j].start : tgt_words[j].start + 1].isupper()
    }


def _named_by_itself(arabic: str) -> bool:
    """Whether the dictionary knows the word as it is written, or without its article or
    a conjunction: not by a letter taken for a preposition (بدأت read as ب and دات, "Dat";
    كتبت as ك and تبت, "Tibet")."""
    bare = normalize(arabic)
    if bare[:1] in CONJUNCTIONS and len(bare) > 3:
        bare = bare[1:]
    forms = _dictionary_forms(arabic)
    return bare in forms or bare.removeprefix(ARTICLE) in forms


def _linked_to_another_capital(translation, parts, src: tuple, tgt: tuple) -> bool:
    """Whether the alignment links (``WORD_LINK``) the source word at ``src`` to a
    capitalized word of the translation in the middle of a sentence other than the one at
    ``tgt``: a rendering the dictionary lacks (أسترالي, "AUD")."""
    src_words, tgt_words, links = parts
    for (i, j), link in links.items():
        if not (link.confidence >= WORD_LINK and 0 <= i < len(src_words)):
            continue  # (a NaN confidence is no link)
        if not 0 <= j < len(tgt_words) or (src_words[i].start, src_words[i].end) != src:
            continue
        t = tgt_words[j]
        capital = translation[t.start : t.start + 1].isupper()
        if (t.start, t.end) != tgt and capital and not _at_opening(translation, t.start):
            return True
    return False


# The days of the week in Arabic (normalized, without the article): الاثنين is also "the
# two", أحد "one", which only lets a day stand where the source may not have one.
_ARABIC_DAYS = {
    normalize(w): day
    for w, day in (
        ("أحد", "sunday"), ("اثنين", "monday"), ("إثنين", "monday"), ("ثلاثاء", "tuesday"),
        ("أربعاء", "wednesday"), ("خميس", "thursday"), ("جمعة", "friday"), ("سبت", "saturday"),
    )
}  # fmt: skip


def _days_named(source: str) -> set[str]:
    """The days of the week the Arabic source names (English, lower case)."""
    out = set()
    for _, _, word in _arabic_words(source):
        form = normalize(word)
        for f in {form, form[1:] if form[:1] in "وف" else form}:
            for g in (f, f[1:] if f[:1] in "بل" else f):
                bare = g[2:] if g.startswith("ال") else g
                if bare in _ARABIC_DAYS:
                    out.add(_ARABIC_DAYS[bare])
    return out


# Words before a month or day that make it a date, whatever capitalized word follows it
# ("In October Israel launched...", "said on Monday Putin..."); not "by" or "late", which
# stand before names too ("by June Almeida", "the late June Carter"), nor "in" before a day
# ("in Sunday Times").
_MONTH_PREPOSITIONS = frozenset(
    ["in", "since", "until", "till", "from", "before", "after", "during", "last", "next"]
    + ["early", "mid", "this"]
)
_DAY_PREPOSITIONS = frozenset(["on", "since", "until", "till", "from", "before", "after"])
_DAY_PREPOSITIONS |= frozenset(["last", "next", "this"])


def _in_a_capitalized_name(words: list[str], k: int) -> bool:
    """Whether the month or day ``words[k]`` stands beside another capitalized word that is
    no month or day, and after no word that makes it a date: part of a name (the Great
    March of Return, the October War, the Sunday Times, June Almeida), not a date."""
    before = words[k - 1].lower() if k > 0 else ""
    if before in (_MONTH_PREPOSITIONS if words[k].lower() in _EN_MONTHS else _DAY_PREPOSITIONS):
        return False
    for n in (k - 1, k + 1):
        if 0 <= n < len(words):
            w = words[n]
            if w[:1].isupper() and w.isalpha() and w.lower() not in _EN_MONTHS | _DAYS:
                return True
    return False


def _dates_not_in_source(source: str, translation: str) -> list[Finding]:
    """``added`` warnings for the months and days of the week the translation names in the
    middle of a sentence that the source names nowhere (no month word of either calendar or
    numeric date of that month; no such day). Neither is a name for the other rules (مارس
    is also a verb), but one the source lacks stands where the source said something else:
    another month or day, or a name. "May" is left alone (also a verb)."""
    said: dict[str, set[str]] | None = None
    out = []
    tokens = word_tokens(translation)
    words = [translation[t.start : t.end] for t in tokens]
    for k, t in enumerate(tokens):
        word = words[k]
        low = word.lower()
        kind = "month" if low in _EN_MONTHS else "day" if low in _DAYS else None
        if kind is None or low == "may" or word != word.capitalize():
            continue
        if _at_opening(translation, t.start) or _in_a_capitalized_name(words, k):
            continue
        if said is None:
            said = {"month": source_months(source), "day": _days_named(source)}
        if low in said[kind]:
            continue
        message = f"The {kind} {word!r} of the translation is not named in the source."
        out.append(
            Finding(NAME, "added", "warning", ADDED_CONFIDENCE, message, None, (t.start, t.end))
        )
        said[kind].add(low)  # once a month or day
    return out


def _like_a_source_word(arabic: str, named: bool, english: str) -> bool:
    """Whether an English name may be the source word written another way: loosely alike
    (``_alike``), or, for a word the dictionary glosses as a name it transliterates
    (``named``: ``_proper_name``, أفريقيا, africa), alike at the usual bar: the dictionary
    says what that word is, and a name only loosely like its letters is another one
    (أفريقيا is no "Moroccan"). On the six FLORES alignments made for tuning: name R 0.750
    → 0.758 at P 0.886 → 0.887, no more clean lines with a finding of any check; the news
    article and the conversational lines unchanged."""
    return _similar(arabic, english) if named else _alike(arabic, english)


def _ties(translation, parts, arabic, glosses, names: set[int]) -> set[int]:
    """The translation words among ``names`` (alignment indices) that the alignment ties to
    a source word: a link of ``WORD_LINK``, unless it is below ``DOMINANCE`` of the source
    word's strongest link (as the omission check reads links), or other words of the
    translation render the source word by a gloss as often as the source says it
    (``_said_alike``: سكر once, linked to "sugar" and to "Haiti"; not الميلاد linked to
    "Christmas" where "birth" renders the ميلاد beside it). Such a link is the aligner's
    guess beside the word's own rendering, and ties nothing: a name swapped in beside it
    stands for nothing of the source. On the six FLORES alignments made for tuning this and
    ``KNOWN_WORD_SIMILARITY`` together took name R 0.708 → 0.721 at the same precision and
    clean lines (the gloss rule alone R 0.711, the strength rule alone R 0.711)."""
    src_words, tgt_words, links = parts
    strongest = _strongest_links(links, len(tgt_words))
    candidates = [
        (i, j, link.confidence)
        for (i, j), link in links.items()
        if j in names and link.confidence >= WORD_LINK and 0 <= i < len(src_words)
    ]  # (a NaN confidence is no link; ``names`` are translation words)
    if not candidates:
        return set()
    arabic_at = {(s, e): a for s, e, a in arabic}
    # where each lemma of the translation stands (token starts; a possessive's ’s left
    # off), read once
    at_lemma: dict[str, set[int]] = {}
    for t in word_tokens(translation):
        word = re.sub(r"['’]s$", "", translation[t.start : t.end])
        for lemma in lemmas(word.lower()):
            at_lemma.setdefault(lemma, set()).add(t.start)
    tied = set()
    for i, j, confidence in candidates:
        if j in tied or confidence < DOMINANCE * strongest.get(i, 0.0):
            continue
        a = arabic_at.get((src_words[i].start, src_words[i].end))
        if a is not None and glosses.get(a):
            rendering = set().union(*(at_lemma.get(g, set()) for g in glosses[a]))
            if len(rendering - {tgt_words[j].start}) >= _said_alike(a, arabic):
                continue
        tied.add(j)
    return tied


def _matching(translation, parts, arabic_at, glosses, linked_first: bool = False):
    """A maximum matching of the source's content words to the translation's words that
    render them (``renders``), alignment indices both, each rendering explaining one
    occurrence of a source word: (source: translation, translation: source). Augmenting
    paths, linked renderings tried first; with ``linked_first`` the source words too, the
    one linked most strongly to a rendering first (it keeps its rendering: "Sun" linked to
    الشمس renders it, and not الشمسي, glossed solar, sun, that the aligner linked to
    another word)."""
    src_words, tgt_words, links = parts
    targets = [
        (j, re.sub(r"['’]s$", "", translation[t.start : t.end])) for j, t in enumerate(tgt_words)
    ]
    targets = [(j, x) for j, x in targets if x[:1].isalpha() and not is_english_function_word(x)]
    edges: dict[int, list[int]] = {}
    for i, t in enumerate(src_words):
        a = arabic_at.get((t.start, t.end))
        if a is None or is_arabic_function_word(a):
            continue
        found = [j for j, x in targets if renders(a, glosses.get(a, frozenset()), x)]
        if found:
            found.sort(key=lambda j: -(links[(i, j)].confidence if (i, j) in links else 0.0))
            edges[i] = found
    if linked_first:

        def strength(i: int) -> float:
            return links[(i, edges[i][0])].confidence if (i, edges[i][0]) in links else 0.0

        edges = {i: edges[i] for i in sorted(edges, key=lambda i: -strength(i))}
    src_of = _maximum_matching(edges)
    return {i: j for j, i in src_of.items()}, src_of


def _maximum_matching(edges: dict[int, list[int]]) -> dict[int, int]:
    """A maximum matching of a bipartite graph (``edges``: each left node's right nodes, in
    the order to try them), as right node: left node. By hand (Kuhn's augmenting paths, a
    loop, not recursion: a hand-edited run may repeat words past any depth): the order in
    which each word's renderings are tried decides which occurrence stays unmatched, and no
    library's matching takes an order."""
    src_of: dict[int, int] = {}
    for root in edges:
        seen: set[int] = set()
        stack = [(root, iter(edges[root]))]
        chosen: list[int] = []  # the translation word each frame but the last went through
        while stack:
            i, rest = stack[-1]
            j = next((j for j in rest if j not in seen), None)
            if j is None:
                stack.pop()
                if chosen:
                    chosen.pop()
                continue
            seen.add(j)
            chosen.append(j)
            if j in src_of:  # taken: try to move the word that holds it
                stack.append((src_of[j], iter(edges[src_of[j]])))
                continue
            for (i, _), j in zip(stack, chosen, strict=True):
                src_of[j] = i
            break
    return src_of


@_for_the_last
def _capitalized_in_article(article: ArticleInput | None) -> tuple[dict, dict]:
    """The capitalized words (lower case) in the middle of a sentence of the article's
    translations: for each, the segments that write it (index: its spellings there, the
    segment); and a memo of whether a segment's source explains a word, filled as asked
    (``_explained_elsewhere``: few words are asked, and the letters' test is costly). Read
    once an article."""
    written: dict[str, dict[int, tuple[set[str], SegmentInput]]] = {}
    for seg in article.segments if article is not None else ():
        translation = seg.translation or ""
        for t in word_tokens(translation):
            w = _written_as_a_name(translation[t.start : t.end])
            if w is None or is_english_function_word(w) or _at_opening(translation, t.start):
                continue
            written.setdefault(w.lower(), {}).setdefault(seg.index, (set(), seg))[0].add(w)
    return written, {}


def _explained_elsewhere(low: str, article: ArticleInput | None, own: int) -> bool:
    """Whether a pair of the article other than segment ``own`` writes the capitalized
    word ``low`` in the middle of a sentence where a word of its source explains it
    (``_explains``: a gloss, or a transliteration)."""
    written, memo = _capitalized_in_article(article)
    for index, (spellings, seg) in written.get(low, {}).items():
        if index == own:
            continue
        if (low, index) not in memo:
            source = seg.source or ""
            here = _glosses_here(source)
            words = {a for _, _, a in _arabic_words(source) if not is_arabic_function_word(a)}
            # a gloss first: the letters' test is the costly one
            memo[(low, index)] = any(
                glossed(w, here.get(a, frozenset())) for w in spellings for a in words
            ) or any(_explains(a, here.get(a, frozenset()), w) for w in spellings for a in words)
        if memo[(low, index)]:
            return True
    return False


@_for_the_last
def _named_in_article(article: ArticleInput | None) -> dict[str, set[int]]:
    """For each dictionary form (``dictionary_forms``) of a source word, the segments of
    the article whose alignment links it (``WORD_LINK``) to a capitalized word in the
    middle of a sentence, a month's name included (مارس, "March"): the word is (part of) a
    name there. Read once an article."""
    out: dict[str, set[int]] = {}
    for seg in article.segments if article is not None else ():
        parts = _words_and_links(seg.alignment)
        if parts is None:
            continue
        source, translation = seg.source or "", seg.translation or ""
        src_words, tgt_words, links = parts
        for (i, j), link in links.items():
            if not (link.confidence >= WORD_LINK and 0 <= i < len(src_words)):
                continue  # (a NaN confidence is no link)
            if not 0 <= j < len(tgt_words):
                continue
            t = tgt_words[j]
            w = re.sub(r"['’]s$", "", translation[t.start : t.end])
            if not (w[:1].isupper() and w[1:].islower() and w.isalpha()):
                continue
            if is_english_function_word(w) or _at_opening(translation, t.start):
                continue
            for f in _dictionary_forms(source[src_words[i].start : src_words[i].end]):
                out.setdefault(f, set()).add(seg.index)
    return out


def _named_elsewhere(arabic: str, article, own: int) -> bool:
    """Whether another pair of the article (segment ``own`` left out) links the source
    word to a capitalized word in the middle of a sentence (``_named_in_article``)."""
    named = _named_in_article(article)
    return any(named.get(f, set()) - {own} for f in _dictionary_forms(arabic))


def _capitalized_unmatched(translation, parts, phrases, read, taken, article, own) -> list:
    """``changed`` warnings for the capitalized words in the middle of a sentence, names or
    words English capitalizes in names (State, United, President), that the translation
    says more times than source words render them, where a source word the translation
    renders nowhere (``_matching``) is part of a name elsewhere in the article
    (``_named_elsewhere``) and stands where the word is: linked to it (``WORD_LINK``), or
    beside the source word of another word of its capitalized run (see the module's
    docstring). ``read``: the source's Arabic words and their glosses; ``taken``: the
    source and translation spans of earlier findings."""
    if parts is None or _lexicon() is None:
        return []
    arabic, glosses = read
    src_words, tgt_words, links = parts
    if max(len(src_words), len(tgt_words)) > MAX_LINE_WORDS:
        return []  # more words than any aligner aligns: a hand-edited record, no evidence
    tokens = word_tokens(translation)
    token_at = {(t.start, t.end): k for k, t in enumerate(tokens)}
    if any((t.start, t.end) not in token_at for t in tgt_words):
        return []  # an alignment that does not fit the translation: no evidence
    tgt_text = [re.sub(r"['’]s$", "", translation[t.start : t.end]) for t in tgt_words]
    capitalized = _mid_sentence_capitals(
        translation, tgt_words, phrases, _FORMS_OF_A_NAME | _TITLES_AND_INTERJECTIONS
    )
    if not capitalized:
        return []
    arabic_at = {(s, e): a for s, e, a in arabic}
    said: dict[str, int] = {}  # each capitalized word: how often the translation writes it
    for x in tgt_text:
        if _written_as_a_name(x) is not None:
            said[x.lower()] = said.get(x.lower(), 0) + 1
    # and how many of the source's content words render it (in any case: "state" too), as
    # ``_matching`` counts them; most lines say no capitalized word more often than that,
    # and need no matching
    forms: dict[str, set[str]] = {w.lower(): set() for w in capitalized.values()}
    for x in tgt_text:
        if x.lower() in forms and x[:1].isalpha() and not is_english_function_word(x):
            forms[x.lower()].add(x)
    content = [arabic_at.get((t.start, t.end)) for t in src_words]
    content = [a for a in content if a is not None and not is_arabic_function_word(a)]
    explained = {
        low: sum(any(renders(a, glosses.get(a, frozenset()), x) for x in xs) for a in content)
        for low, xs in forms.items()
    }
    if all(explained[low] >= said.get(low, 0) for low in forms):
        return []
    matched_src, matched_tgt = _matching(translation, parts, arabic_at, glosses)
    tgt_index = {(t.start, t.end): j for j, t in enumerate(tgt_words)}

    def unexplained(j: int) -> bool:
        """Said more often than explained, by a word the article explains somewhere: a
        word no source word of the article renders (جهاز, "Service") may be a rendering
        the dictionary lacks."""
        low = capitalized[j].lower()
        here = explained[low]
        if here >= said.get(low, 0):
            return False
        return bool(here) or _explained_elsewhere(low, article, own)

    def run_of(j: int) -> list[int] | None:
        """The other words of the capitalized run (alignment indices), or None where one of
        them is explained by no source word (Foster Care System: a name of words the
        dictionary lacks)."""
        tat = (tgt_words[j].start, tgt_words[j].end)
        run = [
            tgt_index.get((x.start, x.end))
            for x in _capitalized_run(translation, tokens, token_at[tat])
        ]
        run = [r for r in run if r is not None and r != j]
        if any(r not in matched_tgt and not is_english_function_word(tgt_text[r]) for r in run):
            return None
        return run

    def lost(i: int, w: str) -> str | None:
        """The ``i``-th source word where the translation renders it nowhere and it is a
        name's word elsewhere in the article, unlike the word ``w``; else None."""
        if not 0 <= i < len(src_words) or i in matched_src:
            return None
        at = (src_words[i].start, src_words[i].end)
        a = arabic_at.get(at)
        if a is None or at in taken_src or is_arabic_function_word(a) or not glosses[a]:
            return None
        if _alike(a, w) or not _named_elsewhere(a, article, own):
            return None
        return a

    taken_src, taken_tgt = set(taken[0]), set(taken[1])
    strongest = _strongest_links(links, len(tgt_words))
    out = []

    def report(i: int, j: int, a: str) -> None:
        at, tat = (src_words[i].start, src_words[i].end), (tgt_words[j].start, tgt_words[j].end)
        message = f"The word {capitalized[j]!r} of the translation stands where the source "
        message += f"has {a!r}, which the translation does not render: it may be a changed name."
        out.append(Finding(NAME, "changed", "warning", WORD_LINKED_CONFIDENCE, message, at, tat))
        taken_src.add(at)
        taken_tgt.add(tat)

    # linked: the word stands where the alignment puts it (هول, "Hall", linked to
    # "President"; مارس to the second "Russia")
    for (i, j), link in sorted(links.items(), key=lambda x: -x[1].confidence):
        if j not in capitalized or not link.confidence >= WORD_LINK:
            continue  # (a NaN confidence is no link)
        tat = (tgt_words[j].start, tgt_words[j].end)
        if tat in taken_tgt or not unexplained(j) or run_of(j) is None:
            continue
        if link.confidence < DOMINANCE * strongest.get(i, 0.0):
            continue  # a guess beside the source word's own link
        a = lost(i, capitalized[j])
        if a is not None:
            report(i, j, a)
    # beside: a word of a name whose other word renders a source word, next to which the
    # source has a word the translation renders nowhere (الدولة الإسلامية: "Islamic
    # United"; الولايات المتحدة: "President States")
    for j, w in sorted(capitalized.items()):
        tat = (tgt_words[j].start, tgt_words[j].end)
        if tat in taken_tgt or not unexplained(j):
            continue
        run = run_of(j)
        found = next(
            (
                (q, a)
                for r in run or ()
                if r in matched_tgt
                for q in (matched_tgt[r] - 1, matched_tgt[r] + 1)
                for a in [lost(q, w)]
                if a is not None
            ),
            None,
        )
        if found is not None:
            report(found[0], j, found[1])
    return out


# The fewest other pairs of the article that write a name one way for the same source words
# (``_unlike_the_article``), none of them writing it another way as often. On the three
# alignments made for tuning (FLORES seeds 0 and 1, the news article's sets 0 to 7, no
# training text): 2: name R 0.882, 0.806 → 0.821, news 0.867 → 0.967, P unchanged (0.923,
# 0.931, 1.00), no clean line more; 1: FLORES seed 0 R 0.897 for two clean lines more
# (3.62% → 3.95% with a finding of any check), seed 1 one more. Runs of two words or more
# alone (no single words): FLORES seed 1 R 0.806.
MIN_RENDERINGS = 2


def _name_runs(text: str, tokens) -> list[list]:
    """The translation's names as the article writes them: runs of two capitalized words or
    more in a row (nothing but spaces between), and capitalized words alone in the middle
    of a sentence, no function word."""
    runs: list[list] = []
    run: list = []
    for t in [*tokens, None]:
        capital = t is not None and text[t.start : t.start + 1].isupper()
        if capital and run and not text[run[-1].end : t.start].strip():
            run.append(t)
            continue
        if (
            len(run) >= 2
            and _at_opening(text, run[0].start)
            and is_english_function_word(text[run[0].start : run[0].end])
        ):
            run = run[1:]  # a sentence's "The", "In", "But" is no word of the name
        if len(run) >= 2 or (
            run
            and not _at_opening(text, run[0].start)
            and not is_english_function_word(text[run[0].start : run[0].end])
        ):
            runs.append(run)
        run = [t] if capital else []
    return runs


def _as_written(text: str, run) -> tuple[str, ...]:
    return tuple(re.sub(r"['’]s$", "", text[t.start : t.end]) for t in run)


@_for_the_last
def _article_renderings(article: ArticleInput | None) -> tuple[dict, dict]:
    """How the article's translations write their names: for the source content words the
    alignment links (``WORD_LINK``) to a name (``_name_runs``), close together (their
    dictionary forms, one frozenset a word, in source order), each way a name is written
    for them and the segments that write it so; and those words under each form of the
    first. Read once an article."""
    out: dict = {}
    for seg in article.segments if article is not None else ():
        parts = _words_and_links(seg.alignment)
        if parts is None:
            continue
        src_words, tgt_words, links = parts
        source, translation = seg.source or "", seg.translation or ""
        tgt_index = {(t.start, t.end): j for j, t in enumerate(tgt_words)}
        linked: dict[int, set[int]] = {}
        for (i, j), link in links.items():
            if link.confidence >= WORD_LINK and 0 <= i < len(src_words):
                linked.setdefault(j, set()).add(i)  # (a NaN confidence is no link)
        for run in _name_runs(translation, word_tokens(translation)):
            src = sorted(
                {
                    i
                    for t in run
                    for i in linked.get(tgt_index.get((t.start, t.end), -1), ())
                    if is_arabic_word(a := source[src_words[i].start : src_words[i].end])
                    and not is_arabic_function_word(a)
                }
            )
            if src and src[-1] - src[0] <= len(run) + 1:
                key = tuple(
                    _dictionary_forms(source[src_words[i].start : src_words[i].end]) for i in src
                )
                written = _as_written(translation, run)
                out.setdefault(key, {}).setdefault(written, set()).add(seg.index)
    # a name of two source words or more is written too where a chance link adds one more
    # word to them (ستواصل beside الولايات المتحدة: "United States" linked to the three)
    holders: dict[frozenset, set] = {}
    for key in out:
        for f in key:
            holders.setdefault(f, set()).add(key)
    merged = {}
    for key, by_written in out.items():
        more = {w: set(segs) for w, segs in by_written.items()}
        if len(key) >= 2:
            for wider in set.intersection(*(holders[f] for f in key)):
                if len(wider) == len(key) + 1:
                    for w, segs in out[wider].items():
                        more.setdefault(w, set()).update(segs)
        merged[key] = more
    out = merged
    # each name under the forms of its first source word: a pair's source holds few
    by_form: dict[str, list] = {}
    for key in out:
        for form in key[0]:
            by_form.setdefault(form, []).append(key)
    return out, by_form


def _unlike_the_article(translation, parts, read, article, own, taken_tgt) -> list:
    """``changed`` warnings for a name, or a word of one, that the article's other pairs
    write otherwise for the same source words (``MIN_RENDERINGS``): the translation lacks
    the usual writing and has it with one word another, which no source word renders or
    which is the usual word inflected otherwise ("the United State"), which no other pair
    writes for words this source has, and the alignment ties the name to the source words
    at one of the places the source has them (a link of ``WORD_LINK`` from one of them to
    another word of the name, or to the word itself where the name is one word). See the
    module's docstring. ``read``: the source's Arabic words and their glosses;
    ``taken_tgt``: the translation spans of earlier findings."""
    renderings, by_form = _article_renderings(article)
    if parts is None or not renderings:
        return []
    arabic, glosses = read
    src_words, tgt_words, links = parts
    arabic_at = {(s, e): a for s, e, a in arabic}
    src_text = [arabic_at.get((w.start, w.end)) for w in src_words]
    forms = [_dictionary_forms(a) if a is not None else frozenset() for a in src_text]
    source_forms = frozenset().union(*forms)
    tokens = word_tokens(translation)
    runs = _name_runs(translation, tokens)
    if not runs:
        return []
    tgt_index = {(t.start, t.end): j for j, t in enumerate(tgt_words)}
    content = [a for a in src_text if a is not None and not is_arabic_function_word(a)]
    written_here = _as_written(translation, tokens)

    def placed(key) -> list[list[int]]:
        """Each place of the source that has the key's forms close together: its words,
        each the nearest of its form to the place's first."""
        hits = [[i for i, g in enumerate(forms) if g & f] for f in key]
        places = []
        for first in hits[0]:
            chosen = [first]
            for at in hits[1:]:
                near = [i for i in at if abs(i - first) <= len(key) + 1]
                if not near:
                    break
                chosen.append(min(near, key=lambda i: abs(i - first)))
            else:
                places.append(chosen)
        return places

    def tied(held: list[int], window, q: int) -> bool:
        for p, t in enumerate(window):
            j = tgt_index.get((t.start, t.end))
            if j is None or (p == q and len(window) > 1):
                continue
            if any(links[(i, j)].confidence >= WORD_LINK for i in held if (i, j) in links):
                return True
        return False

    # how the article writes the names of this source's words, under any of their keys: a
    # writing one of them has is no other writing of another (a key of المتحدة alone
    # written "United State" by two pairs says nothing of "United States")
    keys = [
        key
        for key in {key for form in source_forms for key in by_form.get(form, ())}
        if all(f & source_forms for f in key)
    ]
    known = {
        w for key in keys for w, segs in renderings[key].items() if len(segs) - (own in segs) > 0
    }

    out = []
    for key in sorted(keys, key=lambda k: [sorted(f) for f in k]):
        by_written = renderings[key]
        counts = {w: len(segs) - (own in segs) for w, segs in by_written.items()}
        usual = max(counts, key=lambda w: (counts[w], w))
        if counts[usual] < MIN_RENDERINGS or any(
            c >= counts[usual] for w, c in counts.items() if w != usual
        ):
            continue  # written one way by too few pairs, or two ways as often
        n = len(usual)
        if any(written_here[k : k + n] == usual for k in range(len(written_here))):
            continue
        places = placed(key)
        if not places:
            continue
        for window in runs:
            if len(window) != n:
                continue  # (a name written out in more words: Fed, "Federal Reserve")
            words = _as_written(translation, window)
            diff = [q for q in range(n) if words[q] != usual[q]]
            if len(diff) != 1 or words in known:
                continue  # (a way another pair writes these source words too)
            q = diff[0]
            new, old = words[q], usual[q]
            tat = (window[q].start, window[q].end)
            if new.lower() == old.lower() or tat in taken_tgt:
                continue
            # a word of the source renders it (the United Nations for الأمم المتحدة),
            # unless it is the usual word inflected otherwise (the United State)
            if not lemmas(new.lower()) & lemmas(old.lower()) and any(
                renders(a, glosses.get(a, frozenset()), new) for a in content
            ):
                continue
            held = next((place for place in places if tied(place, window, q)), None)
            if held is None:
                continue
            message = (
                f"The translation writes {' '.join(words)!r} where the article's other "
                f"translations write {' '.join(usual)!r} for the same source words: "
                f"{new!r} may be a changed name."
            )
            at = (min(src_words[i].start for i in held), max(src_words[i].end for i in held))
            out.append(
                Finding(NAME, "changed", "warning", WORD_LINKED_CONFIDENCE, message, at, tat)
            )
            taken_tgt = taken_tgt | {tat}
    return out


CHECK = NameCheck()
