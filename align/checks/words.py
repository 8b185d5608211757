"""Words the checks read alike: Arabic and English function words, which no check counts
as content (a run of them left unlinked is no omission, a name is never one), and how an
acronym spells the initials of a run of words (IAEA for الوكالة الدولية للطاقة الذرية),
which both the omission and the name checks ask.
"""

from __future__ import annotations

import functools

from align.links.arabic import SUFFIXES, normalize

_ARABIC_FUNCTION = """
في من الى إلى على عن مع عند لدى حتى منذ خلال حول ضد دون نحو بين قبل بعد فوق تحت أمام
وراء عبر لدي ب ل ك و ف ثم أو او أم بل لكن لكنّ ولكن إلا الا غير سوى إن أن إنّ أنّ ان كأن
لأن لان قد لقد سوف س لا لم لن ما ماذا لما ليس ليست هل كي لكي إذا اذا إذ لو لولا كلما
عندما حيث حين بينما كما مثل أي اي كل بعض جميع كلا هذا هذه هذان هاتان هؤلاء ذلك تلك
أولئك هنا هناك هنالك الذي التي الذين اللذان اللتان اللواتي اللاتي من ما هو هي هم هن هما
أنا نحن أنت أنتم أنتما أنتن إياه إياها إياهم كان كانت كانوا كن يكون تكون يكونون أصبح
أصبحت أيضا أيضًا أيضاً فقط حاليا ذات ذو ذي وفق وفقا وفقًا عليه عليها عليهم فيه فيها فيهم
منه منها منهم له لها لهم لهن به بها بهم إليه إليها إليهم عنه عنها عنهم معه معها معهم
"""
ARABIC_FUNCTION_WORDS = frozenset(normalize(w) for w in _ARABIC_FUNCTION.split())
# Prefixes and suffixes a function word may carry and still be one (وفي, فإن, لديه, بينهم).
ARABIC_PREFIXES = ("و", "ف")
_ARABIC_SUFFIXES = tuple(normalize(s) for s in SUFFIXES)


# Normalizing writes آ as ا, which makes آلية (mechanism) إلى with a suffix, آنا (Anna) أنا
# and آن (moment) أن; none of the function words above is written with a madda, so a word
# that is cannot be one (composed, or alif with a combining madda).
MADDA = ("\u0622", "\u0627\u0653")


@functools.lru_cache(maxsize=65536)  # (asked of every word by every check: 170 a line)
def is_arabic_function_word(word: str) -> bool:
    if any(m in word for m in MADDA):
        return False
    form = normalize(word)
    forms = {form}
    forms |= {form[len(p) :] for p in ARABIC_PREFIXES if form.startswith(p) and len(form) > 2}
    for f in list(forms):
        forms |= {f[: -len(s)] for s in _ARABIC_SUFFIXES if f.endswith(s) and len(f) > len(s) + 1}
    return any(f in ARABIC_FUNCTION_WORDS for f in forms)


_ENGLISH_FUNCTION = """
    a an the of to in on at by for with from into onto upon about over under as than and or
    but nor so yet if then that this these those there here which who whom whose what when
    where while how why is are was were be been being am has have had having do does did
    done not no will would can could shall should may might must it its it's he him his she
    her hers they them their theirs we us our ours i me my you your yours one's 's also too
    very just only even such some any all each every both either neither other others more
    most much many own same up out off down again further once s t
    al el
"""
ENGLISH_FUNCTION_WORDS = frozenset(_ENGLISH_FUNCTION.split())


def is_english_function_word(word: str) -> bool:
    return word.lower().replace("\u2019", "'") in ENGLISH_FUNCTION_WORDS


# (an acronym has at most ACRONYM_MAX_LETTERS letters: UNSMIL, CENTCOM; a longer word of
# capitals is a shout or a code, and each window of words up to its length is tried)
ACRONYM_MAX_LETTERS = 8
ACRONYM_LOOSE_LETTERS = 5


def spells(initials: list[set[str]], acronym: str) -> bool:
    """Whether the acronym spells a run of words (each word's initials: those of its
    glosses): each of its letters the initial of another word of the run, in any order
    (a word's glosses give it several initials; one word stands for one letter), all but
    one from ``ACRONYM_LOOSE_LETTERS`` letters, for a run of two words or more and at most
    one more than its letters. One word for every letter: with letters as a set, BBC
    asked only for a B and a C, and one word's many glosses gave most acronyms of three."""
    if len(initials) < 2 or len(initials) > len(acronym) + 1:
        return False  # (a long run has most initials: FSB in eight words of a clause)
    loose = 1 if len(acronym) >= ACRONYM_LOOSE_LETTERS else 0
    # the most letters matched to words one for one (augmenting paths: a few letters and
    # words, no library needed for a matching this small)
    word_of: dict[int, int] = {}

    def place(k: int, tried: set[int]) -> bool:
        for i, letters in enumerate(initials):
            if acronym[k] in letters and i not in tried:
                tried.add(i)
                if i not in word_of or place(word_of[i], tried):
                    word_of[i] = k
                    return True
        return False

    matched = sum(place(k, set()) for k in range(len(acronym)))
    return matched >= len(acronym) - loose


def holds(initials: list[set[str] | None], k: int, acronym: str, last: int | None = None) -> bool:
    """Whether the acronym spells (``spells``) a run of words in a row that holds word
    ``k`` (words ``k`` to ``last``, given one), whose initial is one of its letters
    (``initials``: each word's, None for a mark, which ends a run): قوة الأمم المتحدة
    المؤقتة في لبنان, "UNIFIL", holds لبنان."""
    if len(acronym) > ACRONYM_MAX_LETTERS or not (initials[k] or set()) & set(acronym):
        return False  # (a word of capitals past ACRONYM_MAX_LETTERS is no acronym)
    most = len(acronym) + 1
    end = k if last is None else last
    for first in range(max(0, end - most + 1), k + 1):
        for stop in range(end, min(len(initials), first + most)):
            run = initials[first : stop + 1]
            if all(x is not None for x in run) and spells(run, acronym):  # type: ignore[arg-type]
                return True
    return False
