"""The translation cache: exactly what the engine returned, keyed by everything that decides it,
shared safely between processes, and a bad file refused without being touched."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from align.errors import UserError
from align.translate.base import DecodingSettings
from align.translate.cache import (
    APPLICATION_ID,
    CachedTranslator,
    CacheKey,
    TranslationCache,
    default_cache_path,
)

ARTICLE = Path(__file__).resolve().parents[1] / "corpus" / "seed-article" / "article.ar.txt"
HASH = "a" * 64


class FakeTranslator:
    """Reverses each text; counts calls and the texts it was given."""

    engine = "fake"

    def __init__(self, settings: DecodingSettings = DecodingSettings()) -> None:  # noqa: B008
        self.settings = settings
        self.calls: list[list[str]] = []
        self.last_stats = {"segments": 0}
        self.stats = {"segments": 0}

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.calls.append(list(texts))
        self.last_stats = {"segments": len(texts)}
        self.stats["segments"] += len(texts)
        return [t[::-1] for t in texts]

    def info(self) -> dict:
        return {"engine": self.engine, "stats": dict(self.last_stats)}

    @property
    def translated(self) -> list[str]:
        return [t for call in self.calls for t in call]


@pytest.fixture
def cache(tmp_path):
    with TranslationCache(tmp_path / "cache" / "translations.sqlite") as c:
        yield c


def cached(cache, inner=None, model_hash=HASH, quantization=None, **settings):
    inner = inner or FakeTranslator(DecodingSettings(**settings))
    return CachedTranslator(inner, cache, model_hash, quantization)


# -- the file ----------------------------------------------------------------------------------


def test_default_path(monkeypatch, tmp_path):
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(tmp_path / "c"))
    assert default_cache_path() == tmp_path / "c" / "translations.sqlite"
    monkeypatch.delenv("ARABIC_ALIGN_CACHE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".cache" / "arabic-align" / "translations.sqlite"
    assert default_cache_path() == expected
    with TranslationCache() as c:
        assert c.path == expected and expected.is_file()
    # A relative setting names a folder from where the command starts, as an absolute path.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", "rel")
    assert default_cache_path() == tmp_path / "rel" / "translations.sqlite"
    monkeypatch.chdir(tmp_path / "home")
    assert default_cache_path() == tmp_path / "home" / "rel" / "translations.sqlite"


def test_entries_are_inspectable_and_first_writer_wins(cache):
    settings = DecodingSettings(num_beams=2)
    key = CacheKey.make(HASH, "ctranslate2", "int8", settings, "نص")
    assert cache.put_many({key: "text"}) == 1
    assert cache.put_many([(key, "other")]) == 0  # INSERT OR IGNORE
    assert cache.get_many([key]) == {key: "text"}
    row = sqlite3.connect(cache.path).execute("SELECT * FROM translations").fetchone()
    digest, model_hash, engine, quantization, decoding, source, translation, created = row
    assert digest == key.digest and len(digest) == 64
    assert (model_hash, engine, quantization, source, translation) == (
        HASH,
        "ctranslate2",
        "int8",
        "نص",
        "text",
    )
    assert json.loads(decoding) == settings.output_key()
    assert created.endswith("+00:00")
    stats = cache.stats()
    assert stats["entries"] == 1 and stats["stored"] == 1 and stats["hits"] == 1
    mode = sqlite3.connect(cache.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


@pytest.mark.parametrize(
    "content",
    [b"hello, not a database\n", b"SQLite format 3\x00" + bytes(range(256)) * 20],
    ids=["text", "bad-header-pages"],
)
def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path, content):
    path = tmp_path / "translations.sqlite"
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        TranslationCache(path)
    message = str(err.value)
    assert str(path) in message and "not an SQLite database" in message
    assert "--no-cache" in message and "delete" in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "mine.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(UserError, match="not an arabic-align translation cache"):
        TranslationCache(path)
    assert path.read_bytes() == before


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "translations.sqlite"
    TranslationCache(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(UserError, match="schema version 99"):
        TranslationCache(path)


def test_a_damaged_cache_is_a_user_error(tmp_path):
    path = tmp_path / "translations.sqlite"
    settings = DecodingSettings()
    keys = [CacheKey.make(HASH, "fake", None, settings, f"{i} " * 40) for i in range(2000)]
    with TranslationCache(path) as c:
        c.put_many((k, "t" * 100) for k in keys)
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page : 8 * page] = bytes(range(256)) * (5 * page // 256)
    path.write_bytes(data)
    with pytest.raises(UserError, match="damaged.*--no-cache"), TranslationCache(path) as c:
        c.get_many(keys)


def test_unusable_paths_are_user_errors(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(UserError, match="is a folder"):
        TranslationCache(tmp_path / "folder")
    os.mkfifo(tmp_path / "pipe")  # a read of it would block for ever
    with pytest.raises(UserError, match="not a regular file.*--no-cache"):
        TranslationCache(tmp_path / "pipe")
    (tmp_path / "file").write_text("x")
    with pytest.raises(UserError, match="a file is in the way"):
        TranslationCache(tmp_path / "file" / "translations.sqlite")


def test_an_unreadable_file_is_a_user_error(tmp_path, monkeypatch):
    # Tests run as root, which reads any file whatever its mode: the refusal is simulated.
    path = tmp_path / "translations.sqlite"
    TranslationCache(path).close()
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(UserError, match="cannot read and write"):
        TranslationCache(path)


# -- the translator ----------------------------------------------------------------------------


def test_cold_then_warm_gives_what_the_engine_gave(cache):
    texts = ["أ ب", "ج د ه", "و"]
    cold = cached(cache)
    first = cold.translate(texts)
    assert first == [t[::-1] for t in texts]
    assert cold.inner.calls == [texts]
    assert cold.last_stats == {
        "segments": 3,
        "cache_hits": 0,
        "cache_misses": 3,
        "cache_deduplicated": 0,
    }
    warm = cached(cache)
    assert warm.translate(texts) == first
    assert warm.inner.calls == []
    assert warm.last_stats == {
        "segments": 0,
        "cache_hits": 3,
        "cache_misses": 0,
        "cache_deduplicated": 0,
    }
    info = warm.info()
    assert info["engine"] == "fake" and info["stats"] == warm.last_stats
    assert info["cache"]["hits"] == 3 and info["cache"]["path"] == str(cache.path)
    json.dumps(info)


@pytest.mark.parametrize(
    "change",
    [
        {"settings": {"num_beams": 2}},
        {"settings": {"max_new_tokens": 5}},
        {"settings": {"min_new_tokens": 1}},
        {"settings": {"max_length_ratio": 1.5}},
        {"model_hash": "b" * 64},
        {"quantization": "int8"},
        {"engine": "ctranslate2"},
    ],
    ids=lambda c: next(iter(c.get("settings", c))),
)
def test_anything_that_decides_the_output_misses(cache, change):
    texts = ["أ ب", "ج د"]
    base = cached(cache, max_new_tokens=4)
    base.translate(texts)
    settings = dataclasses.replace(DecodingSettings(max_new_tokens=4), **change.get("settings", {}))
    inner = FakeTranslator(settings)
    if "engine" in change:
        inner.engine = change["engine"]
    other = CachedTranslator(
        inner, cache, change.get("model_hash", HASH), change.get("quantization")
    )
    other.translate(texts)
    assert inner.calls == [texts]
    again = cached(cache, max_new_tokens=4)  # and the first entries are still there
    again.translate(texts)
    assert again.inner.calls == []


def test_batching_settings_share_entries(cache):
    cached(cache, max_batch_tokens=1024).translate(["أ ب"])
    other = cached(cache, max_batch_tokens=64, max_batch_sentences=2)
    other.translate(["أ ب"])
    assert other.inner.calls == []


def test_repeats_in_one_call_are_translated_once(cache):
    texts = ["أ", "ب", "أ", "", "ج", "ب", "أ", ""]
    tr = cached(cache)
    assert tr.translate(texts) == ["أ", "ب", "أ", "", "ج", "ب", "أ", ""]
    assert tr.inner.calls == [["أ", "ب", "ج"]]  # first-seen order, no empty text
    assert tr.last_stats["cache_deduplicated"] == 3
    assert tr.last_stats["cache_misses"] == 3
    assert cache.stats()["entries"] == 3


def test_empty_texts_reach_neither_cache_nor_engine(cache):
    tr = cached(cache)
    assert tr.translate(["", ""]) == ["", ""]
    assert tr.translate([]) == []
    assert tr.inner.calls == []
    stats = cache.stats()
    assert stats["entries"] == stats["hits"] == stats["misses"] == 0


def test_input_order_with_hits_and_misses(cache):
    cached(cache).translate(["ب ب", "د د د"])
    tr = cached(cache)
    texts = ["أ", "ب ب", "ج", "د د د", "ب ب", "ه ه"]
    assert tr.translate(texts) == [t[::-1] for t in texts]
    assert tr.inner.calls == [["أ", "ج", "ه ه"]]
    assert tr.last_stats["cache_hits"] == 2 and tr.last_stats["cache_misses"] == 3
    assert tr.last_stats["cache_deduplicated"] == 1
    assert tr.stats == {
        "segments": 3,
        "cache_hits": 2,
        "cache_misses": 3,
        "cache_deduplicated": 1,
    }


def test_texts_that_cannot_be_stored_are_translated_uncached(cache):
    tr = cached(cache)
    assert tr.translate(["a\udc80b", "c"]) == ["b\udc80a", "c"]
    assert tr.translate(["a\udc80b", "c"]) == ["b\udc80a", "c"]
    assert tr.inner.calls == [["a\udc80b", "c"], ["a\udc80b"]]


def test_settings_come_from_the_inner_translator_or_are_given(cache):
    inner = FakeTranslator()
    del inner.settings
    with pytest.raises(TypeError, match="settings"):
        CachedTranslator(inner, cache, HASH, None)
    tr = CachedTranslator(inner, cache, HASH, None, settings=DecodingSettings(num_beams=1))
    tr.translate(["أ"])
    same = cached(cache, num_beams=1)  # the given settings were the key
    assert same.translate(["أ"]) == ["أ"] and same.inner.calls == []


def test_passes_the_inner_attributes_through(cache):
    tr = cached(cache, num_beams=3)
    assert tr.engine == "fake" and tr.settings.num_beams == 3 and tr.calls == []


# -- two processes -----------------------------------------------------------------------------

ENTRIES = 300  # per process; half of them shared with the other process


def _source(i: int) -> str:
    return f"جملة رقم {i}"


def _worker(path: str, first: int, start, done) -> None:
    """Write and read entries first..first+ENTRIES through the cache, in small calls, at the
    same time as another worker."""
    start.wait()
    with TranslationCache(Path(path)) as c:
        tr = CachedTranslator(FakeTranslator(), c, HASH, None)
        ids = list(range(first, first + ENTRIES))
        for at in range(0, ENTRIES, 10):
            texts = [_source(i) for i in ids[at : at + 10]]
            texts += [_source(i) for i in ids[:at:7]]  # and some read back
            assert tr.translate(texts) == [t[::-1] for t in texts]
        keys = [CacheKey.make(HASH, "fake", None, DecodingSettings(), _source(i)) for i in ids]
        assert len(c.get_many(keys)) == ENTRIES
    done.put(first)


def test_two_processes_at_once(tmp_path):
    path = tmp_path / "shared" / "translations.sqlite"  # made by whichever comes first
    ctx = multiprocessing.get_context("spawn")
    start, done = ctx.Event(), ctx.Queue()
    starts = (0, ENTRIES // 2)
    workers = [ctx.Process(target=_worker, args=(str(path), s, start, done)) for s in starts]
    for w in workers:
        w.start()
    start.set()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    assert sorted(done.get(timeout=5) for _ in workers) == list(starts)
    ids = range(ENTRIES // 2 * 3)
    keys = {CacheKey.make(HASH, "fake", None, DecodingSettings(), _source(i)): i for i in ids}
    with TranslationCache(path) as c:
        found = c.get_many(keys)
        assert c.stats()["entries"] == len(keys)
    assert {key.source: text for key, text in found.items()} == {
        _source(i): _source(i)[::-1] for i in ids
    }
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _put_through_inherited(cache: TranslationCache) -> None:
    key = CacheKey.make(HASH, "fake", None, DecodingSettings(), "من الابن")
    assert cache.put_many({key: "from the child"}) == 1


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork")
def test_a_forked_child_opens_its_own_connection(cache):
    key = CacheKey.make(HASH, "fake", None, DecodingSettings(), "من الأب")
    cache.put_many({key: "from the parent"})
    child = multiprocessing.get_context("fork").Process(
        target=_put_through_inherited, args=(cache,)
    )
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert cache.get_many([key]) == {key: "from the parent"}
    assert cache.stats()["entries"] == 2


# -- the real engine ---------------------------------------------------------------------------


def test_marian_through_the_cache(tiny_model, tmp_path):
    from align.model.load import load_marian
    from align.translate.marian import MarianTranslator

    loaded = load_marian(str(tiny_model), device="cpu")
    lines = [x for x in ARTICLE.read_text(encoding="utf-8-sig").splitlines() if x.strip()]
    sentences = [
        " ".join(line.split()[:n]) for line, n in zip(lines[1:], [3, 6, 2, 5], strict=False)
    ]
    texts = [sentences[0], sentences[1], "", sentences[0], sentences[2], sentences[3]]
    settings = DecodingSettings(max_new_tokens=4)
    expected = MarianTranslator(loaded, settings, progress=False).translate(texts)
    assert all(expected[i] for i in (0, 1, 3, 4, 5)) and expected[2] == ""

    def counted(settings: DecodingSettings) -> MarianTranslator:
        tr = MarianTranslator(loaded, settings, progress=False)
        tr.calls = 0
        inner_translate = tr.translate

        def translate(batch):
            tr.calls += 1
            return inner_translate(batch)

        tr.translate = translate
        return tr

    path = tmp_path / "translations.sqlite"
    with TranslationCache(path) as c:
        cold = CachedTranslator(counted(settings), c, loaded.model_hash, None)
        assert cold.engine == "transformers"
        assert cold.translate(texts) == expected
        assert cold.inner.calls == 1 and cold.last_stats["segments"] == 4
        assert cold.last_stats["cache_deduplicated"] == 1
    with TranslationCache(path) as c:  # a later run
        warm = CachedTranslator(counted(settings), c, loaded.model_hash, None)
        assert warm.translate(texts) == expected
        assert warm.inner.calls == 0 and warm.last_stats["batches"] == 0
        assert warm.info()["decoding"] == settings.to_json()
        for change in ({"num_beams": 2}, {"max_new_tokens": 3}):
            other = CachedTranslator(
                counted(dataclasses.replace(settings, **change)), c, loaded.model_hash, None
            )
            other.translate(texts)
            assert other.inner.calls == 1 and other.last_stats["cache_misses"] == 4


def test_a_cache_that_cannot_store_costs_a_warning_not_the_translations(cache, monkeypatch):
    from align.errors import JobError

    def refuse(items):
        list(items)
        raise JobError(f"the translation cache {cache.path} stayed locked by another process")

    monkeypatch.setattr(cache, "put_many", refuse)
    translator = cached(cache)
    assert translator.translate(["abc", "de", "abc"]) == ["cba", "ed", "cba"]
    assert translator.unsaved == [
        f"2 translation(s) were not stored in the cache (the translation cache {cache.path} "
        "stayed locked by another process); they are used all the same"
    ]


def test_a_run_keeps_its_translations_when_the_cache_cannot_store_them(
    tiny_model, tmp_path, monkeypatch
):
    from align import Pipeline
    from align.errors import JobError
    from align.settings import AlignmentSettings, TranslationSettings

    def refuse(self, items):
        raise JobError(f"the translation cache {self.path} is damaged")

    monkeypatch.setattr(TranslationCache, "put_many", refuse)
    said = []
    pipeline = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(
            cache=tmp_path / "t.sqlite", decoding=DecodingSettings(max_new_tokens=4)
        ),
        alignment=AlignmentSettings(method="lexical"),
        on_warning=said.append,
    )
    article = "قال الوزير إن الاجتماع انتهى.\nوصل الرئيس إلى موسكو يوم 28 مارس.\n"
    result = pipeline.run(article, out=tmp_path / "run")
    assert all(s.hypothesis for s in result.segments)
    note = "2 translation(s) were not stored in the cache (the translation cache"
    assert any(note in m for m in said)
    assert any(note in m for m in result.manifest["warnings"])


def test_an_interrupted_translation_keeps_what_was_translated_before_it(cache):
    """The new translations of a call were stored only once all were made: a Ctrl-C at 87%
    of an article of 1,623 segments kept none, and the next run translated them all again."""
    from align.translate.cache import STORE_EVERY

    class Interrupted(FakeTranslator):
        def translate(self, texts):
            if self.calls:  # the second share: stopped
                raise KeyboardInterrupt
            return super().translate(texts)

    texts = [f"جملة رقم {n}" for n in range(STORE_EVERY + 10)]
    with pytest.raises(KeyboardInterrupt):
        cached(cache, Interrupted()).translate(texts)
    again = FakeTranslator()
    assert cached(cache, again).translate(texts) == [t[::-1] for t in texts]
    assert again.translated == texts[STORE_EVERY:]  # the first share came from the cache


def test_stats_add_up_over_the_shares(cache):
    from align.translate.cache import STORE_EVERY

    inner = FakeTranslator()
    translator = cached(cache, inner)
    texts = [f"جملة رقم {n}" for n in range(2 * STORE_EVERY + 1)]
    translator.translate(texts)
    assert [len(c) for c in inner.calls] == [STORE_EVERY, STORE_EVERY, 1]
    assert translator.last_stats["segments"] == len(texts)
    assert translator.last_stats["cache_misses"] == len(texts)


def test_a_full_disk_met_as_an_io_error_is_said_as_a_full_disk(tmp_path, monkeypatch):
    """In WAL mode SQLite meets a full disk as "disk I/O error" (IOERR_SHMSIZE): that was
    said as an unreadable cache to check or delete, though the cache was intact."""
    import align.translate.cache as cache_module

    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"
    monkeypatch.setattr(cache_module, "_little_room", lambda path: True)
    said = str(cache_module._user_error(tmp_path / "t.sqlite", error))
    assert "is full" in said and "delete" not in said and "--no-cache" in said
    monkeypatch.setattr(cache_module, "_little_room", lambda path: False)
    said = str(cache_module._user_error(tmp_path / "t.sqlite", error))
    assert "cannot read and write the translation cache" in said  # room enough: another cause


@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_a_bad_cache_file_is_said_before_the_model_loads(tiny_model, tmp_path, monkeypatch, engine):
    """Opening the cache needs nothing of the model: a run stops in a second, not after a
    load and a CTranslate2 conversion."""
    from align import Pipeline, TranslationSettings
    from align.settings import AlignmentSettings

    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "translations.sqlite").write_text("hello\n")
    pipeline = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(engine=engine),
        alignment=AlignmentSettings(method="lexical", background=False),
    )
    with pytest.raises(UserError, match="not an SQLite database"):
        pipeline.run("قال الوزير.\n", out=tmp_path / "run")
    assert "loaded" not in pipeline.__dict__  # the model was never loaded
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["translations.sqlite"]


def test_a_new_release_of_the_engine_translates_again(cache, monkeypatch):
    """The versions of the engine's libraries are part of the key: translations an older
    CTranslate2 made are not taken for a newer one's."""
    from importlib import metadata

    class Engine(FakeTranslator):
        engine = "ctranslate2"

    versions = {"ctranslate2": "4.5.0", "transformers": "4.57.1", "sentencepiece": "0.2.0"}
    monkeypatch.setattr(metadata, "version", lambda package: versions[package])
    first = Engine()
    assert cached(cache, first).translate(["نص"]) == ["صن"] and first.translated == ["نص"]
    again = Engine()
    assert cached(cache, again).translate(["نص"]) == ["صن"] and again.translated == []
    versions["ctranslate2"] = "4.6.0"
    newer = Engine()
    assert cached(cache, newer).translate(["نص"]) == ["صن"] and newer.translated == ["نص"]


def test_the_ctranslate2_engine_translates_again_after_a_new_tokenizer(cache, monkeypatch):
    """CTranslate2's engine cuts and joins the text with transformers' tokenizer: a new
    transformers release is a new key for it too."""
    from importlib import metadata

    class Engine(FakeTranslator):
        engine = "ctranslate2"

    versions = {"ctranslate2": "4.5.0", "transformers": "4.57.1", "sentencepiece": "0.2.0"}
    monkeypatch.setattr(metadata, "version", lambda package: versions[package])
    first = Engine()
    cached(cache, first).translate(["نص"])
    versions["transformers"] = "5.0.0"
    newer = Engine()
    assert cached(cache, newer).translate(["نص"]) == ["صن"] and newer.translated == ["نص"]
