"""The aligners' background knowledge (links.background): the dictd reader, FreeDict glosses,
the lexicon and its cache, damaged or missing resources as one sentence, the records every
aligner reports, the lexical method's precision rules and the hybrid's weak evidence."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from align.errors import JobError, on_command_line
from align.links import background as bg
from align.links import morphology
from align.links.background import (
    DICT_ENV,
    DICT_NAME,
    DICT_PACKAGE,
    PARALLEL_FILES,
    PARALLEL_NAME,
    Background,
    Lexicon,
    Relevance,
    arabic_keys,
    background_for,
    freedict_glosses,
    load_background,
    load_lexicon,
    read_dictd,
    read_parallel,
)
from align.links.lexical import MONTHS, exact_match, lexical_links, lexicon_matches
from align.links.methods import (
    BACKGROUND_PAIRS,
    BackgroundText,
    HybridAligner,
    make_aligner,
    prepare,
)
from align.links.statistical import DirectionalVotes
from align.settings import AlignmentSettings

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
INFO = "00databaseinfo"
ENTRIES = [
    ("الغضب", "الغضب /alɣadab/\nAngers\n"),
    ("غاضب", "غاضب /ɣaːdˤib/\n1. Angry\n2. Full of rage\n3. A person who gets angry quickly\n"),
    ("والكتاب", "والكتاب /wa-lkitaːb/\n1. Books\n2. Volumes\n"),
    ("أصغر من", "أصغر من /ʔasˤɣar min/\nLittler\n"),
    ("كيربي", "كيربي /kiːrbiː/\nKirby\n"),
]


def b64(n: int) -> str:
    """A number in dictd's base64 (most significant digit first; 0 is "A")."""
    digits = B64[n % 64]
    while n >= 64:
        n //= 64
        digits = B64[n % 64] + digits
    return digits


def write_dictd(folder: Path, entries, info_size: int = 4095) -> tuple[Path, Path]:
    """A dictd pair as dictfmt writes it: an info entry first (padded to ``info_size``
    bytes, so that offsets and lengths take several base64 digits), then the entries."""
    folder.mkdir(parents=True, exist_ok=True)
    info = "00-database-info\nFreeDict test dictionary, Edition: 9.8.7\n"
    info = (info + " " * info_size)[:info_size]
    data = b""
    lines = []
    for head, definition in [(INFO, info), *entries]:
        raw = definition.encode("utf-8")
        lines.append(f"{head}\t{b64(len(data))}\t{b64(len(raw))}")
        data += raw
    index = folder / f"{DICT_NAME}.index"
    dz = folder / f"{DICT_NAME}.dict.dz"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dz.write_bytes(gzip.compress(data))
    return index, dz


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("background-cache")


@pytest.fixture(autouse=True)
def isolated_cache(shared_cache, monkeypatch) -> Path:
    """Every test here keeps its cache in a folder of this test session, never ~/.cache;
    the real dictionary is parsed once for all of them."""
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(shared_cache))
    monkeypatch.delenv(DICT_ENV, raising=False)
    return shared_cache


@pytest.fixture(scope="session")
def lexicon(shared_cache) -> Lexicon:
    found = bg.find_dictionary()
    assert found is not None, "make install puts FreeDict ara-eng in /usr/share/dictd"
    return load_lexicon(*found, cache=shared_cache)[0]


# -- the dictd reader and FreeDict's entries ----------------------------------------------


def test_b64_helper_agrees_with_the_reader():
    for n in (0, 1, 63, 64, 4095, 4096, 1_082_451):
        assert bg._b64(b64(n)) == n
    assert b64(4095) == "//" and b64(62) == "+"


def test_read_dictd_returns_the_entries_in_index_order(tmp_path):
    index, dz = write_dictd(tmp_path, ENTRIES)
    assert "\t//\n" in index.read_text(encoding="utf-8")  # the info entry's length: 4095
    assert read_dictd(index, dz) == ENTRIES  # the 00database entries are left out
    # an uncompressed .dict holds the same bytes
    plain = tmp_path / f"{DICT_NAME}.dict"
    plain.write_bytes(gzip.decompress(dz.read_bytes()))
    assert read_dictd(index, plain) == ENTRIES


def test_freedict_glosses_numbered_and_single():
    assert freedict_glosses("غضب /ɣˈadˤab/\nChafed\n") == ["Chafed"]
    assert freedict_glosses("أصفر /ʔˈas̪far/\n1. Xantho-\n2. Yellow\n\n") == ["Xantho-", "Yellow"]
    assert freedict_glosses("x /x/\n") == []


def test_arabic_keys_strip_conjunction_and_article_but_not_root_letters():
    assert arabic_keys("والكتاب") == {"والكتاب", "الكتاب", "كتاب"}
    assert arabic_keys("الأمريكي") == {"الامريكي", "امريكي"}  # normalized: أ → ا
    assert arabic_keys("ولد") == {"ولد"}  # a three-letter word keeps its first letter
    assert arabic_keys("بالبيت") >= {"بالبيت", "بيت"}


def test_lexicon_from_entries(tmp_path):
    lex = Lexicon.from_entries(ENTRIES)
    # glosses are matched by lemma: "Angers" is an entry for anger
    assert lex.get("غضب")["anger"] == 1.0 and lex.get("الغضب")["anger"] == 1.0
    assert lex.get("كتاب")["book"] == 1.0 and lex.get("والكتاب")["volume"] == 1.0
    # a multi-word gloss gives its content words at a lower strength, a single word wins
    row = lex.get("غاضب")
    assert row["angry"] == 1.0
    assert 0 < row["rage"] < 1.0 and row["full"] == row["rage"]
    assert "of" not in row
    assert "quickly" not in row and "person" not in row  # a definition, not a translation
    # a multi-word headword is left out: which of its words means "littler" is unknown
    assert not any("littler" in r or "little" in r for r in lex.entries.values())
    assert not any(" " in k for k in lex.entries)
    # the stem unit matches whatever form the headword had
    found = lexicon_matches(["ال", "غضب", "الغضب", "و"], ["angered", "said"], lex)
    assert found == {(1, 0): 1.0, (2, 0): 1.0}


def test_lexicon_keeps_multi_word_headwords_as_phrases():
    entries = [
        *ENTRIES,
        (
            "القارة القطبية الجنوبية",
            "القارة القطبية الجنوبية /-/\n1. Antarctica\n2. the Antarctic\n",
        ),
        ("على الرغم من", "على الرغم من /-/\nIn spite of what was said before\n"),
        ("لا يزال على قيد الحياة", "/-/\nAlive\n"),
    ]
    lex = Lexicon.from_entries(entries)
    words = ["وصل", "الفريق", "إلى", "القارة", "القطبية", "الجنوبية", "أمس"]
    (found,) = lex.phrases_in(words)
    assert found[:2] == (3, 3)  # from the fourth word, three words
    assert {"antarctica", "antarctic"} <= found[2]  # one-word glosses, by lemma
    # أصغر من: "Littler"; the words match as the aligner's units may show them
    (littler,) = lex.phrases_in(["وهو", "الأصغر", "من", "أخيه"])
    assert littler[:2] == (1, 2) and "littler" in littler[2]
    # words out of order, apart or cut short are no phrase
    assert lex.phrases_in(["من", "أصغر"]) == []
    assert lex.phrases_in(["أصغر", "كثيرا", "من"]) == []
    assert lex.phrases_in(["القارة", "القطبية"]) == []
    # a phrase glossed by a definition only, or longer than MAX_PHRASE_WORDS, is left out
    assert lex.phrases_in(["على", "الرغم", "من", "ذلك"]) == []
    assert lex.phrases_in(["لا", "يزال", "على", "قيد", "الحياة"]) == []
    # the phrases are no word entries
    assert not any("antarctica" in row for row in lex.entries.values())


def test_lexicon_lookup_finds_the_headword_of_an_inflected_form():
    lex = Lexicon()
    for form, lemma in [
        ("متحد", "united"),
        ("حكومه", "government"),
        ("مهندس", "engineer"),
        ("امريكي", "american"),
        ("طرف", "party"),
        ("ساعات", "watches"),
    ]:
        lex.add(form, lemma, 1.0)
    assert lex.lookup("متحده") == {"united": 1.0}  # feminine (ة normalized to ه)
    assert lex.lookup("حكومات") == {"government": 1.0}  # feminine plural, ة restored
    assert lex.lookup("مهندسون") == lex.lookup("مهندسين") == {"engineer": 1.0}
    assert lex.lookup("امريكيه") == {"american": 1.0}  # nisba feminine
    assert lex.lookup("طرفان") == {"party": 1.0}  # dual
    # a form the dictionary has is never stemmed; get stays exact
    assert lex.lookup("ساعات") == {"watches": 1.0} and lex.get("متحده") == {}
    # too little left for a stem, or nothing found: no entry
    assert lex.lookup("مات") == {} and lex.lookup("كتابات") == {}


# -- missing and damaged resources: one sentence, nothing half-used ------------------------


def test_missing_dictionary_is_one_sentence_naming_the_package(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(DICT_ENV, str(empty))
    assert bg.find_dictionary() is None
    for call in (load_background, lambda: background_for("lexical")):
        with pytest.raises(JobError) as err:
            call()
        message = str(err.value)
        assert DICT_PACKAGE in message and "AlignmentSettings(background=False)" in message
        assert str(empty) in message and "\n" not in message
        with on_command_line(), pytest.raises(JobError, match="give --no-background"):
            call()
    # the methods that do not read the dictionary do not need it
    assert background_for("statistical").lexicon is None
    assert background_for("hybrid", enabled=False) is None
    assert background_for("attention") is None


def test_checks_without_the_dictionary_say_so(tmp_path, monkeypatch, capsys):
    # The aligners stop without the dictionary; the checks go on without it (names by their
    # letters alone), which changes their findings: said on stderr and in the manifest, by
    # run and by check, never silently.
    import json

    from align.cli import main
    from tests.conftest import SEED, forget_dictionary

    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(DICT_ENV, str(empty))
    forget_dictionary()
    try:
        out = tmp_path / "run"
        argv = ["run", str(SEED / "article.ar.txt"), "--hyp", str(SEED / "reference.en.txt"),
                "--align-method", "lexical", "--no-background", "--out", str(out)]  # fmt: skip
        assert main(argv) == 0
        err = capsys.readouterr().err
        said = "the translation checks ran without the background dictionary"
        assert said in err and DICT_PACKAGE in err
        # the advice is what helps here: --no-background was given, and check has none
        assert "--no-background" not in err and "make install" not in err
        warnings = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["warnings"]
        assert any(said in w for w in warnings)
        unchecked = tmp_path / "unchecked"
        assert main([*argv[:-1], str(unchecked), "--no-checks"]) == 0
        capsys.readouterr()
        assert main(["check", str(unchecked)]) == 0  # checked now, on demand
        assert said in capsys.readouterr().err
        assert main(["check", str(unchecked), "--json"]) == 0
        assert any(said in w for w in json.loads(capsys.readouterr().out)["warnings"])
    finally:
        forget_dictionary()


def test_dictionary_from_the_environment_folder(tmp_path, monkeypatch):
    index, dz = write_dictd(tmp_path / "dict", ENTRIES)
    monkeypatch.setenv(DICT_ENV, str(tmp_path / "dict"))
    loaded = load_background(dictionary=True, parallel=False)
    assert loaded.lexicon.entries == Lexicon.from_entries(ENTRIES).entries
    record, buckwalter = loaded.records
    assert record["name"] == DICT_NAME and record["version"] == "9.8.7"
    assert record["sha256"] == {"index": sha256(index), "dict": sha256(dz)}
    assert buckwalter["name"] == "buckwalter-bama-1.0" and buckwalter["licence"] == "GPL-2.0"
    assert set(buckwalter["sha256"]) == set(morphology.FILES)
    # the checks read the dictionary alone
    plain = load_background(dictionary=True, parallel=False, morphology=False)
    assert [r["name"] for r in plain.records] == [DICT_NAME] and plain.lexicon.morphology is None


def _no_cache_written(folder: Path) -> bool:
    return not folder.exists() or not list(folder.glob("lexicon-*"))


@pytest.mark.parametrize(
    "damage",
    ["truncated", "past the end", "foreign index", "binary index", "bad number", "no entries"],
)
def test_damaged_dictionary_is_one_sentence_and_never_cached(tmp_path, damage):
    index, dz = write_dictd(tmp_path / "dict", ENTRIES)
    if damage == "truncated":
        dz.write_bytes(dz.read_bytes()[:-40])
    elif damage == "past the end":
        size = len(gzip.decompress(dz.read_bytes()))
        with index.open("a", encoding="utf-8") as f:
            f.write(f"بعيد\t{b64(size - 2)}\t{b64(10)}\n")
    elif damage == "foreign index":
        index.write_text("this is not a dictionary\njust some text\n", encoding="utf-8")
    elif damage == "binary index":
        index.write_bytes(b"\xff\xfe\x00garbage\x80\n")
    elif damage == "bad number":
        index.write_text(f"كلمة\tA!\t{b64(5)}\n", encoding="utf-8")
    else:
        index.write_text(f"{INFO}\tA\t{b64(10)}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    with pytest.raises(JobError) as err:
        load_lexicon(index, dz, cache=cache)
    message = str(err.value)
    assert "damaged" in message and str(dz) in message and "\n" not in message
    if damage == "past the end":
        assert "points past the end" in message
    assert _no_cache_written(cache)


def test_truncated_real_dictionary_via_the_environment(tmp_path, monkeypatch):
    found = bg.find_dictionary()
    assert found is not None
    folder = tmp_path / "dict"
    folder.mkdir()
    (folder / found[0].name).write_bytes(found[0].read_bytes())
    (folder / found[1].name).write_bytes(found[1].read_bytes()[:100_000])
    monkeypatch.setenv(DICT_ENV, str(folder))
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(tmp_path / "cache"))
    with pytest.raises(JobError, match="damaged"):
        background_for("hybrid")
    assert _no_cache_written(tmp_path / "cache")


def test_unreadable_parallel_text_is_one_sentence(tmp_path):
    folder = tmp_path / "flores"
    folder.mkdir()
    with pytest.raises(JobError, match="background=False"):
        read_parallel(folder)
    (folder / PARALLEL_FILES[0]).write_text("سطر\nسطر آخر\n", encoding="utf-8")
    (folder / PARALLEL_FILES[1]).write_text("one line\n", encoding="utf-8")
    with pytest.raises(JobError, match="damaged"):
        read_parallel(folder)


# -- the cache ----------------------------------------------------------------------------


def test_second_load_reads_the_cache(tmp_path, monkeypatch):
    index, dz = write_dictd(tmp_path / "dict", ENTRIES)
    cache = tmp_path / "cache"
    first, record = load_lexicon(index, dz, cache=cache)
    assert len(list(cache.glob("lexicon-*.pickle"))) == 1
    # as readable as the other cache files (a cache others share is not parsed again by
    # them at every run): the umask's mode, not mkstemp's 0600
    mask = os.umask(0)
    os.umask(mask)
    for made in (*cache.glob("lexicon-*.pickle"), *cache.glob("lexicon-*.sha256")):
        assert made.stat().st_mode & 0o777 == 0o666 & ~mask, made

    def no_parsing(*args):
        raise AssertionError("the dictionary was parsed again")

    monkeypatch.setattr(bg, "read_dictd", no_parsing)
    again, record_again = load_lexicon(index, dz, cache=cache)
    assert again.entries == first.entries and record_again == record


def test_a_cache_file_read_once_is_not_unpickled_again(tmp_path, monkeypatch):
    # A run's aligner and its checks load the same dictionary: the second load shares the
    # first's lexicon while the cache file is as it was read.
    index, dz = write_dictd(tmp_path / "dict", ENTRIES)
    cache = tmp_path / "cache"
    load_lexicon(index, dz, cache=cache)  # parsed, cache written
    read, record = load_lexicon(index, dz, cache=cache)  # the cache file read

    def no_unpickling(*args):
        raise AssertionError("the cache was unpickled again")

    monkeypatch.setattr(bg.pickle, "loads", no_unpickling)
    again, record_again = load_lexicon(index, dz, cache=cache)
    assert again is read and record_again == record


def test_a_changed_cache_file_is_rebuilt_not_used(tmp_path, monkeypatch):
    index, dz = write_dictd(tmp_path / "dict", ENTRIES)
    cache = tmp_path / "cache"
    real, _ = load_lexicon(index, dz, cache=cache)
    (pickled,) = cache.glob("lexicon-*.pickle")
    import pickle

    # a valid pickle of other content, its stamp left as it was: never used
    pickled.write_bytes(pickle.dumps((Lexicon({"كيربي": {"planted": 1.0}}), "0")))
    parsed = []
    monkeypatch.setattr(bg, "read_dictd", lambda *a: parsed.append(a) or read_dictd(*a))
    lex, record = load_lexicon(index, dz, cache=cache)
    assert parsed and lex.entries == real.entries and record["version"] == "9.8.7"
    # rebuilt: the next load reads the cache again
    stamp = pickled.with_suffix(".sha256").read_text().strip()
    assert hashlib.sha256(pickled.read_bytes()).hexdigest() == stamp
    # one changed byte of the pickle: rebuilt as well
    blob = bytearray(pickled.read_bytes())
    blob[len(blob) // 2] ^= 0x01
    pickled.write_bytes(bytes(blob))
    parsed.clear()
    assert load_lexicon(index, dz, cache=cache)[0].entries == real.entries and parsed


def test_a_changed_dictionary_gives_a_new_record_and_lexicon(tmp_path):
    index, dz = write_dictd(tmp_path / "dict", ENTRIES)
    cache = tmp_path / "cache"
    lex, record = load_lexicon(index, dz, cache=cache)
    changed = [(h, d.replace("Kirby", "Kirbie")) for h, d in ENTRIES]
    write_dictd(tmp_path / "dict", changed)  # the same paths, other bytes
    lex2, record2 = load_lexicon(index, dz, cache=cache)
    assert record2["sha256"]["dict"] != record["sha256"]["dict"]
    assert record2["sha256"] == {"index": sha256(index), "dict": sha256(dz)}
    assert "kirby" in lex.get("كيربي") and "kirby" not in lex2.get("كيربي")
    assert "kirbie" in lex2.get("كيربي")
    assert len(list(cache.glob("lexicon-*.pickle"))) == 2


# -- what each method records ---------------------------------------------------------------


def test_background_records_by_method():
    from align.pipeline import Pipeline

    index, dz = bg.find_dictionary()
    flores = bg.PARALLEL_DIR
    expected_dict = {"index": sha256(index), "dict": sha256(dz)}
    expected_flores = {name: sha256(flores / name) for name in PARALLEL_FILES}
    _, bama = morphology.load_morphology()
    expected = {DICT_NAME: expected_dict, bama["name"]: bama["sha256"]}
    wanted = {
        "hybrid": [DICT_NAME, bama["name"], PARALLEL_NAME],
        "lexical": [DICT_NAME, bama["name"]],
        "statistical": [PARALLEL_NAME],
    }
    for method, names in wanted.items():
        settings = Pipeline(None, alignment=AlignmentSettings(method=method)).aligner.settings
        records = settings["background"]
        assert [r["name"] for r in records] == names, method
        for r in records:
            assert r["licence"] and r["sha256"]
            assert r["sha256"] == expected.get(r["name"], expected_flores)
        off = Pipeline(
            None, alignment=AlignmentSettings(method=method, background=False)
        ).aligner.settings
        assert off["background"] is None
    flores_record = background_for("statistical").records[0]
    assert flores_record["pairs"] == len((flores / PARALLEL_FILES[0]).read_text().splitlines())


def test_background_pairs_leave_out_the_sentences_being_aligned(monkeypatch):
    given = Background(
        pairs=[("قال  كيربي", "Kirby said"), ("وصل الوفد", "The delegation arrived")],
        records=[{"name": "test"}],
    )
    assert BackgroundText(given).beside([(" قال كيربي ", "He said")]) == [
        ("وصل الوفد", ("the", "delegation", "arrived"))
    ]
    assert BackgroundText.of(None) is None
    # the aligner trains on the rest of the background only, after the pairs it aligns
    import align.links.methods as methods

    seen = []
    real = methods.eflomal_votes

    def spy(src, tgt, *args, **kwargs):
        seen.append((list(src), list(tgt), kwargs.get("aligned")))
        return real(src, tgt, *args, **kwargs)

    monkeypatch.setattr(methods, "eflomal_votes", spy)
    aligner = make_aligner("statistical", background=given, runs=1)
    aligner.align([("قال كيربي", "Kirby said")])
    [(src, tgt, aligned)] = seen
    assert aligned == 1 and len(src) == len(tgt) == 2
    assert [list(t) for t in tgt] == [["kirby", "said"], ["the", "delegation", "arrived"]]
    assert aligner.settings["background"] == [{"name": "test"}]
    assert aligner.settings["background_training"]["pairs_beside_text"] == BACKGROUND_PAIRS
    assert aligner.settings["background_training"]["priors"] is not None
    # Saved priors replace the background's priors; its pairs are still trained beside.
    from align.links.priors import Priors

    saved = make_aligner("statistical", background=given, runs=1, priors=Priors([]))
    assert saved.inner.background_priors is None
    assert saved.settings["background_training"] == {
        "priors": None,
        "pairs_beside_text": BACKGROUND_PAIRS,
    }
    assert make_aligner("statistical", runs=1).settings["background_training"] is None


def test_relevance_ranks_pairs_by_the_rare_words_they_share():
    pairs = [
        ("قال الرئيس إن الوفد وصل", "a"),
        ("وصل الوفد إلى بيروت", "b"),
        ("قال الوزير إن الوفد غادر", "c"),
        ("غادر الرئيس بيروت", "d"),
        ("قال الرئيس", "e"),
    ]
    ranking = Relevance(pairs)
    # بيروت (two pairs) outweighs الوفد (three) and قال (three)
    assert ranking.top(["الوفد في بيروت"], 1) == [1]
    assert ranking.top(["الوفد في بيروت"], 1, skip=[1]) == [3]
    assert ranking.top(["الوفد في بيروت"], 2) == [1, 3]  # in the pairs' order
    assert ranking.top(["نص لا يشترك في شيء"], 2) == [0, 1]  # no shared word: the first
    assert ranking.top(["x"], 10) == [0, 1, 2, 3, 4]
    assert [pairs[k] for k in ranking.top(["غادر الرئيس"], 1)] == [pairs[3]]
    assert Relevance(pairs[:2]).top(["غادر"], 5) == [0, 1]


def test_background_priors_are_made_once_and_checked(monkeypatch, tmp_path):
    from align.links import priors as priors_module

    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(tmp_path))
    given = Background(
        pairs=[("قال كيربي", "Kirby said"), ("وصل الوفد", "The delegation arrived")] * 3,
        records=[{"name": "test"}],
    )
    made = []
    real = priors_module.train_priors

    def counted(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(priors_module, "train_priors", counted)
    monkeypatch.setattr(priors_module, "_MADE", {})
    first = priors_module.background_priors(given, lexicon=False)
    assert len(made) == 1 and any(line.startswith("LEX\tكيربي\t") for line in first.lines)
    [cached] = tmp_path.glob("background-priors-*.txt")
    again = priors_module.background_priors(given, lexicon=False)
    assert len(made) == 1 and again.lines == first.lines and again.counts == first.counts
    # other pairs are other priors
    other = Background(pairs=given.pairs[:2], records=given.records)
    priors_module.background_priors(other, lexicon=False)
    assert len(made) == 2 and len(list(tmp_path.glob("background-priors-*.txt"))) == 2
    # another cache folder gets a copy of what this process made, without training again
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(tmp_path / "elsewhere"))
    copy = priors_module.background_priors(given, lexicon=False)
    assert len(made) == 2 and copy.lines == first.lines
    assert len(list((tmp_path / "elsewhere").glob("background-priors-*.txt"))) == 1
    # a damaged cache entry is never used: it is made again
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(tmp_path))
    monkeypatch.setattr(priors_module, "_MADE", {})
    cached.write_bytes(cached.read_bytes()[:-5])
    priors_module.background_priors(given, lexicon=False)
    assert len(made) == 3
    assert priors_module.read_priors(cached, pretokenized=False).lines
    # and so is a whole file made for other pairs, copied under this one's name
    monkeypatch.setattr(priors_module, "_MADE", {})
    [others] = [p for p in tmp_path.glob("background-priors-*.txt") if p != cached]
    shutil.copyfile(others, cached)
    priors_module.background_priors(given, lexicon=False)
    assert len(made) == 4  # made again (eflomal samples: not the same lines)
    key = priors_module.read_priors(cached, pretokenized=False).record["background"]
    assert cached.name == f"background-priors-{key}.txt"


def test_background_priors_in_a_cache_that_cannot_be_written(monkeypatch, tmp_path):
    # a shared, read-only cache folder: the priors are made in memory and used all the same
    from align.errors import OutputError
    from align.links import priors as priors_module

    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(tmp_path))
    monkeypatch.setattr(priors_module, "_MADE", {})

    def refuse(priors, path):
        raise OutputError(f"cannot write {path}: Operation not permitted")

    monkeypatch.setattr(priors_module, "save_priors", refuse)
    trained = []
    real = priors_module.train_priors

    def train(*args, **kwargs):  # (eflomal samples: the test keeps what it made)
        trained.append(real(*args, **kwargs))
        return trained[-1]

    monkeypatch.setattr(priors_module, "train_priors", train)
    given = Background(pairs=[("قال كيربي", "Kirby said")] * 3, records=[{"name": "test"}])
    made = priors_module.background_priors(given, lexicon=False)
    assert made is trained[0] and made.lines
    assert list(tmp_path.glob("background-priors-*")) == []


# -- the lexical method's precision rules --------------------------------------------------

KIRBY_AR = "قال المتحدث باسم مجلس الأمن القومي الأمريكي جون كيربي يوم 28 مارس/آذار"
KIRBY_EN = "US National Security Council spokesman John Kirby said on March 28"


def lexical_words(ar: str, en: str, lex=None) -> dict[str, set[str]]:
    """Arabic unit form → the English unit forms it links to, by lexical_links."""
    data = prepare([(ar, en)])
    src, tgt = data.src[0], data.tgt[0]
    out: dict[str, set[str]] = {}
    for i, j in lexical_links(src, tgt, None, lex):
        out.setdefault(src.forms[i], set()).add(tgt.forms[j])
    return out


def test_month_table():
    assert MONTHS["مارس"] == MONTHS["اذار"] == "march"
    assert MONTHS["نيسان"] == MONTHS["ابريل"] == "april"
    assert "اب" not in MONTHS  # also "father"


def test_kirby_sentence(lexicon):
    for lex in (lexicon, None):
        links = lexical_words(KIRBY_AR, KIRBY_EN, lex)
        assert "march" not in links.get("الامريكي", set())  # a nisba is not a month
        assert links["كيربي"] == {"kirby"}  # in the dictionary, but a near-exact name
        assert links["مارس"] == {"march"}
        assert links["28"] == {"28"}
        # a two-consonant name counts only when the dictionary gives it (جون: John)
        assert links.get("جون") == ({"john"} if lex is not None else None)
        # one to one, except the doubled month name of the date (مارس/آذار: March)
        linked_english = [e for w, es in links.items() if w != "اذار" for e in es]
        assert len(linked_english) == len(set(linked_english))
    assert lexical_words("وصلوا يوم 28 آذار", "They arrived on March 28", lexicon)["اذار"] == {
        "march"
    }


def test_both_month_names_of_a_double_date_link_to_the_month(lexicon):
    links = lexical_words(KIRBY_AR, KIRBY_EN, lexicon)
    assert links.get("مارس") == {"march"} and links.get("اذار") == {"march"}
    # two dates in one month: each month name keeps its own "March", in order
    data = prepare([("وصلوا في 3 مارس وغادروا في 9 مارس", "They arrived on March 3 and left "
                     "on March 9")])  # fmt: skip
    src, tgt = data.src[0], data.tgt[0]
    months = sorted(
        (i, j) for i, j in lexical_links(src, tgt, None, lexicon) if src.forms[i] == "مارس"
    )
    assert [tgt.forms[j] for _, j in months] == ["march", "march"]
    assert months[0][1] < months[1][1]


def test_nisba_links_to_its_english_nisba_only():
    ar = "قال الرئيس الأمريكي إن الاتفاق جيد"
    assert lexical_words(ar, "The American president said the deal was good")["الامريكي"] == {
        "american"
    }
    assert "الامريكي" not in lexical_words(ar, "President Amrick said the deal was good")


def test_nisba_links_to_american_with_the_background(lexicon):
    ar = "قال الرئيس الأمريكي إن الاتفاق جيد"
    links = lexical_words(ar, "The American president said the deal was good", lexicon)
    assert links.get("الامريكي") == {"american"}


def test_sentence_initial_common_words_are_not_names(lexicon):
    for lex in (lexicon, None):
        # a capitalized word inside the sentence may be a name ...
        assert lexical_words("قال السيد دورينج", "Mr During said", lex)["دورينج"] == {"during"}
        assert lexical_words("قال مارك", "It was Mark who said", lex)["مارك"] == {"mark"}
        assert lexical_words("قال دارين", "Darin said", lex)["دارين"] == {"darin"}
        # ... the first word of a sentence only when it is no common word
        assert "دورينج" not in lexical_words("قال دورينج", "During the talks, he said", lex)
        assert "مارك" not in lexical_words("قال مارك", "Mark said", lex)
        assert "مارك" not in lexical_words("قال مارك", "He left. Mark said", lex)


def test_exact_matches_are_identities_only():
    assert exact_match("مارس", "march") and exact_match("28", "28")
    assert exact_match(",", ",") and exact_match("bbc", "bbc")
    assert not exact_match("مارس", "may")
    assert not exact_match("كيربي", "kirby")


# -- the hybrid aligner's weak evidence -----------------------------------------------------


def _sides(ar: str, en: str):
    data = prepare([(ar, en)])
    return data.src[0], data.tgt[0]


def test_unsupported_name_match_is_kept_at_half_only_between_unaligned_units():
    src, tgt = _sides("قال كيربي أمس", "Kirby said yesterday")
    assert src.forms == ("قال", "كيربي", "امس") and tgt.forms == ("kirby", "said", "yesterday")
    aligner = HybridAligner(runs=1)
    name = {(1, 0): 0.8}
    said = {(0, 1): 1.0}
    # both units unaligned: kept, at half its confidence
    links = aligner._combine(src, tgt, DirectionalVotes(said, said), {}, name)
    assert links == {(0, 1): 1.0, (1, 0): 0.4}
    # the Arabic unit is aligned elsewhere: left out
    other = {**said, (1, 2): 1.0}
    links = aligner._combine(src, tgt, DirectionalVotes(other, other), {}, name)
    assert (1, 0) not in links and links[(1, 2)] == 1.0
    # the English unit is aligned elsewhere: left out
    other = {(2, 0): 1.0}
    assert (1, 0) not in aligner._combine(src, tgt, DirectionalVotes(other, other), {}, name)
    # one run of one direction found it: kept at full confidence
    some = DirectionalVotes({(1, 2): 1.0, (1, 0): 0.25}, {(1, 2): 1.0})
    links = aligner._combine(src, tgt, some, {}, name)
    assert links[(1, 0)] == 0.8 and links[(1, 2)] == 1.0


def test_attention_support_and_identity_matches_keep_full_confidence():
    src, tgt = _sides("قال كيربي أمس", "Kirby said yesterday")
    aligner = HybridAligner(runs=1)
    aligner.attention = object()  # only its presence matters to _combine
    votes = DirectionalVotes({(1, 2): 1.0}, {(1, 2): 1.0})
    assert (1, 0) not in aligner._combine(src, tgt, votes, {}, {(1, 0): 0.8})
    links = aligner._combine(src, tgt, votes, {(1, 0): 0.9}, {(1, 0): 0.8})
    assert links[(1, 0)] == 0.8
    # a number matched by value needs no support, even between aligned units
    src, tgt = _sides("قال كيربي 28", "Kirby said 28")
    votes = DirectionalVotes({(2, 0): 1.0, (0, 2): 1.0}, {(2, 0): 1.0, (0, 2): 1.0})
    links = HybridAligner(runs=1)._combine(src, tgt, votes, {}, {(2, 2): 1.0})
    assert links[(2, 2)] == 1.0


def test_a_fifo_in_the_cache_is_rebuilt_over_never_read(tmp_path):
    # a named pipe (or a device) where the cache file was would block a read for ever
    index, dz = write_dictd(tmp_path / "dict", ENTRIES)
    cache = tmp_path / "cache"
    real, _ = load_lexicon(index, dz, cache=cache)
    (pickled,) = cache.glob("lexicon-*.pickle")
    pickled.unlink()
    os.mkfifo(pickled)
    again, _ = load_lexicon(index, dz, cache=cache)
    assert again.entries == real.entries and pickled.is_file()  # parsed and written anew
