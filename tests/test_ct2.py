"""The CTranslate2 engine: cached conversion, bad input, fidelity to transformers, attention.

Every test keeps its conversions in a temporary ``ARABIC_ALIGN_CACHE``. The fixture model's
weights are random, so what it writes is gibberish: only equality between engines counts.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("ctranslate2")

from align.errors import ModelUnavailable, UserError  # noqa: E402
from align.model.convert import (  # noqa: E402
    CACHE_ENV,
    CONVERSION_MANIFEST,
    cache_root,
    ensure_converted,
    verify,
)
from align.model.load import LoadedModel, hash_files, load_marian  # noqa: E402
from align.translate.base import DecodingSettings  # noqa: E402

ARTICLE = Path(__file__).resolve().parents[1] / "corpus" / "seed-article" / "article.ar.txt"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(root))
    return root


@pytest.fixture(scope="module")
def loaded(tiny_model):
    return load_marian(str(tiny_model), device="cpu")


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory):
    """A cache for the translators shared by this module's tests (made once)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("ct2-cache")))
        yield


def ct2(loaded, quantization="float32", **settings):
    from align.translate.ct2 import CTranslate2Translator

    return CTranslate2Translator(
        loaded, DecodingSettings(**settings), quantization=quantization, progress=False
    )


def hf(loaded, **settings):
    from align.translate.marian import MarianTranslator

    return MarianTranslator(loaded, DecodingSettings(**settings), progress=False)


@pytest.fixture(scope="module")
def greedy32(loaded):
    return ct2(loaded, num_beams=1)


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    """Twenty varied segments: corpus lines cut to 1..24 words (never in length order), and
    digits, Latin script, punctuation, a repeat."""
    lines = [x for x in ARTICLE.read_text(encoding="utf-8-sig").splitlines() if x.strip()]
    words = [3, 9, 1, 14, 6, 2, 24, 10, 4, 7, 1, 18, 5, 8, 2, 12]
    cut = [" ".join(line.split()[:n]) for line, n in zip(lines[1:17], words, strict=True)]
    return [
        *cut,
        "أرسلت الولايات المتحدة تحذيراً في الساعة 11:15 من صباح 7 مارس/آذار",
        "قال John Kirby لشبكة CNN: «لا»",
        "؟!",
        cut[1],
    ]


def names(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()} if directory.is_dir() else set()


# -- conversion and its cache --------------------------------------------------------------


def test_conversion_is_cached_per_quantization(loaded, own_cache):
    import ctranslate2

    messages: list[str] = []
    first = ensure_converted(loaded, "float32", notify=messages.append)
    assert first.converted
    assert len(messages) == 1 and "converting" in messages[0] and "float32" in messages[0]
    assert str(first.path) in messages[0] and "once" in messages[0]
    assert cache_root() == own_cache
    assert first.path == own_cache / "ct2" / (
        f"{loaded.model_hash[:16]}-float32-ct2v{ctranslate2.__version__}"
    )
    assert {"model.bin", "config.json", "shared_vocabulary.json", CONVERSION_MANIFEST} <= names(
        first.path
    )
    manifest = json.loads((first.path / CONVERSION_MANIFEST).read_text())
    assert manifest["model_hash"] == loaded.model_hash
    assert manifest["quantization"] == "float32"
    assert manifest["ctranslate2_version"] == ctranslate2.__version__
    assert set(manifest["files"]) == names(first.path) - {CONVERSION_MANIFEST}
    # The converter drops <pad>: the converted model can never write it.
    vocab = json.loads((first.path / "shared_vocabulary.json").read_text())
    assert "<pad>" not in vocab and len(vocab) == len(loaded.tokenizer) - 1

    again = ensure_converted(loaded, "float32", notify=messages.append)
    assert not again.converted and len(messages) == 1  # nothing converted, nothing said
    assert again.path == first.path and again.conversion_hash == first.conversion_hash
    other = ensure_converted(loaded, "int8", notify=messages.append)
    assert other.converted and other.path != first.path and "int8" in messages[-1]
    assert other.conversion_hash != first.conversion_hash
    # Only the two conversions (and their lock files) in the cache: no leftovers.
    assert {n for n in names(own_cache / "ct2") if not n.endswith(".lock")} == {
        first.path.name,
        other.path.name,
    }
    with pytest.raises(UserError, match="unknown CTranslate2 quantization"):
        ensure_converted(loaded, "int4")


def test_a_cache_folder_not_named_in_utf8_is_one_sentence(loaded, tmp_path):
    """CTranslate2's loader takes UTF-8 names only: said before converting, not a TypeError
    from its binding after."""
    root = tmp_path / os.fsdecode(b"c\xff")
    with pytest.raises(UserError, match=r"cache folder .*c\\xff has a name that is not UTF-8"):
        ensure_converted(loaded, "float32", root=root)
    assert not root.exists()


def test_a_conversion_held_by_another_process_is_waited_for_and_said(
    loaded, own_cache, monkeypatch
):
    """Said once, given up with one sentence after the wait (a stopped process keeps its
    lock), where a blocking lock waited without end and without a word."""
    import fcntl

    import align.model.convert as convert

    first = ensure_converted(loaded, "float32", notify=lambda m: None)
    monkeypatch.setattr(convert, "LOCK_WAIT_S", 0.3)
    monkeypatch.setattr(convert, "LOCK_POLL_S", 0.1)
    messages: list[str] = []
    with (first.path.parent / f".{first.path.name}.lock").open("a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with pytest.raises(UserError, match="another process has held the CTranslate2"):
            ensure_converted(loaded, "float32", notify=messages.append)
    assert messages == [f"waiting for another process converting the same model into {first.path}"]
    assert ensure_converted(loaded, "float32", notify=messages.append).path == first.path


def test_what_stands_where_the_conversion_goes_is_named(loaded, own_cache):
    """A file where the conversion's folder goes is rebuilt as not a folder (not as bad
    JSON); a folder where its lock goes is named as in the way (the cache is writable)."""
    import ctranslate2

    from align.model.convert import conversion_dir

    final = conversion_dir(loaded.model_hash, "float32", ctranslate2.__version__, own_cache)
    final.parent.mkdir(parents=True)
    final.write_text("x")
    messages: list[str] = []
    assert ensure_converted(loaded, "float32", notify=messages.append).converted
    assert "unusable (it is not a folder); rebuilding it" in messages[0]
    other = conversion_dir(loaded.model_hash, "int8", ctranslate2.__version__, own_cache)
    (other.parent / f".{other.name}.lock").mkdir()
    with pytest.raises(UserError, match=r"\.lock is in the way \(Is a directory\); move it"):
        ensure_converted(loaded, "int8")


def _truncate(path: Path) -> None:
    data = (path / "model.bin").read_bytes()
    (path / "model.bin").write_bytes(data[: len(data) // 2])


def _flip_byte(path: Path) -> None:  # same size, other content
    data = bytearray((path / "model.bin").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (path / "model.bin").write_bytes(bytes(data))


def _delete_vocabulary(path: Path) -> None:
    (path / "shared_vocabulary.json").unlink()


def _edit_manifest(path: Path) -> None:
    manifest = json.loads((path / CONVERSION_MANIFEST).read_text())
    manifest["quantization"] = "int8"
    (path / CONVERSION_MANIFEST).write_text(json.dumps(manifest))


def _break_manifest(path: Path) -> None:
    (path / CONVERSION_MANIFEST).write_text("{not json")


def _delete_manifest(path: Path) -> None:
    (path / CONVERSION_MANIFEST).unlink()


def _fifo_manifest(path: Path) -> None:  # a named pipe: a read of it would block for ever
    (path / CONVERSION_MANIFEST).unlink()
    os.mkfifo(path / CONVERSION_MANIFEST)


@pytest.mark.parametrize(
    "damage",
    [_truncate, _flip_byte, _delete_vocabulary, _edit_manifest, _break_manifest, _delete_manifest,
     _fifo_manifest],
)  # fmt: skip
def test_corrupt_conversion_is_rebuilt_never_used(loaded, damage):
    good = ensure_converted(loaded, "float32", notify=lambda m: None)
    damage(good.path)
    assert verify(good.path, loaded.model_hash, "float32", good.ctranslate2_version)[1]
    messages: list[str] = []
    rebuilt = ensure_converted(loaded, "float32", notify=messages.append)
    assert rebuilt.converted and rebuilt.path == good.path
    assert "unusable" in messages[0] and "rebuilding" in messages[0] and len(messages) == 2
    hashes, problem = verify(good.path, loaded.model_hash, "float32", good.ctranslate2_version)
    assert problem is None and hashes == good.file_hashes  # the same conversion again
    # And it is used: a translator loads it.
    tr = ct2(loaded, num_beams=1, max_new_tokens=3)
    assert tr.translate(["قال كيربي"])[0]


def test_leftovers_of_a_killed_conversion_are_removed(loaded, own_cache):
    good = ensure_converted(loaded, "float32", notify=lambda m: None)
    shutil.rmtree(good.path)
    stale = good.path.with_name(f".{good.path.name}.tmp-killed")
    stale.mkdir()
    (stale / "model.bin").write_bytes(b"half")
    assert ensure_converted(loaded, "float32", notify=lambda m: None).converted
    assert not stale.exists()


def test_two_at_once_convert_once(loaded):
    messages: list[str] = []
    results = []

    def convert():
        results.append(ensure_converted(loaded, "float32", notify=messages.append))

    threads = [threading.Thread(target=convert) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.converted for r in results) == [False, True]
    converting = [m for m in messages if m.startswith("converting")]
    waiting = [m for m in messages if m.startswith("waiting for another process")]
    # one converts; the other, if it came while the first held the lock, said it waited
    assert len(converting) == 1 and len(waiting) <= 1
    assert len(messages) == len(converting) + len(waiting)
    assert results[0].path == results[1].path


def foreign_copy(tiny_model: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "model"
    shutil.copytree(tiny_model, copy)
    return copy


def unloaded(path: Path) -> LoadedModel:
    """A LoadedModel for a directory transformers was never asked to load."""
    return LoadedModel(
        model_id=str(path), path=path, model=None, tokenizer=None, device="cpu",
        file_hashes=hash_files(path),
    )  # fmt: skip


def test_a_directory_ctranslate2_cannot_convert(tiny_model, tmp_path, own_cache):
    bert = foreign_copy(tiny_model, tmp_path)
    config = json.loads((bert / "config.json").read_text())
    config["model_type"] = "bert"
    (bert / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelUnavailable, match="CTranslate2 cannot convert the model in") as e:
        ensure_converted(unloaded(bert), "int8", notify=lambda m: None)
    assert "\n" not in str(e.value)

    no_weights = tmp_path / "no-weights"
    shutil.copytree(tiny_model, no_weights)
    (no_weights / "model.safetensors").unlink()
    # (its weights are loaded first, as a run with the PyTorch engine loads them)
    with pytest.raises(ModelUnavailable, match="cannot load the model in .*no-weights"):
        ensure_converted(unloaded(no_weights), "int8", notify=lambda m: None)
    # Nothing half made is left in the cache.
    assert {n for n in names(own_cache / "ct2") if not n.endswith(".lock")} == set()


def test_full_disk_while_converting(loaded, own_cache, monkeypatch):
    from ctranslate2.specs import model_spec

    def full(self, path):  # a part of model.bin is written, then the disk is full
        with open(path, "wb") as f:
            f.write(b"\0" * 1000)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

    monkeypatch.setattr(model_spec.ModelSpec, "_serialize", full)
    with pytest.raises(UserError, match="no space left on device while converting") as e:
        ensure_converted(loaded, "int8", notify=lambda m: None)
    assert CACHE_ENV in str(e.value) and "\n" not in str(e.value)
    assert {n for n in names(own_cache / "ct2") if not n.endswith(".lock")} == set()
    monkeypatch.undo()
    monkeypatch.setenv(CACHE_ENV, str(own_cache))
    assert ensure_converted(loaded, "int8", notify=lambda m: None).converted


def test_read_only_cache_with_a_valid_conversion(loaded, own_cache, monkeypatch):
    good = ensure_converted(loaded, "int8", notify=lambda m: None)
    real_open = Path.open

    def no_lock(self, *args, **kwargs):  # as in a cache directory that is read-only
        if self.name.endswith(".lock"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", no_lock)
    used = ensure_converted(loaded, "int8", notify=lambda m: None)
    assert used.path == good.path and not used.converted
    with pytest.raises(UserError, match="writable directory"):  # nothing to use: no float32
        ensure_converted(loaded, "float32", notify=lambda m: None)


def test_unwritable_cache(loaded, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(CACHE_ENV, str(blocker))
    with pytest.raises(UserError, match=f"{blocker} is a file, not a folder; move it aside"):
        ensure_converted(loaded, "int8", notify=lambda m: None)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    with monkeypatch.context() as m:  # a directory that refuses new entries
        m.setattr("tempfile.mkdtemp", refused)
        with pytest.raises(UserError, match="Permission denied.*writable directory"):
            ensure_converted(loaded, "int8", notify=lambda m: None)
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        monkeypatch.setenv(CACHE_ENV, str(locked))
        with pytest.raises(UserError, match="writable directory"):
            ensure_converted(loaded, "int8", notify=lambda m: None)


# -- engine choice ---------------------------------------------------------------------------


def test_engine_choice(loaded, monkeypatch):
    from align.translate import engines
    from align.translate.ct2 import CTranslate2Translator
    from align.translate.marian import MarianTranslator

    assert engines.resolve_engine("auto") == "ctranslate2"
    settings = DecodingSettings(num_beams=1, max_new_tokens=2)
    tr = engines.make_translator(loaded, "auto", settings, progress=False, notify=lambda m: None)
    assert isinstance(tr, CTranslate2Translator) and tr.quantization == "int8"
    tr = engines.make_translator(loaded, "transformers", settings)
    assert isinstance(tr, MarianTranslator)
    with pytest.raises(UserError, match="needs the ctranslate2 engine"):
        engines.make_translator(loaded, "transformers", settings, quantization="int8")
    with pytest.raises(UserError, match="unknown engine"):
        engines.resolve_engine("onnx")

    monkeypatch.setattr(engines, "ctranslate2_available", lambda: False)
    assert engines.resolve_engine("auto") == "transformers"
    with pytest.raises(UserError, match="not installed"):
        engines.resolve_engine("ctranslate2")
    monkeypatch.setitem(__import__("sys").modules, "ctranslate2", None)  # import fails
    with pytest.raises(UserError, match=re.escape("pip install 'ctranslate2>=4.5,<5'")):
        CTranslate2Translator(loaded, settings)


def test_device_and_quantization_errors(loaded):
    import ctranslate2

    with pytest.raises(UserError, match="cannot compute in"):
        ct2(loaded, quantization="bfloat16" if ctranslate2.get_cuda_device_count() else "float16")
    if not ctranslate2.get_cuda_device_count():
        from align.translate.ct2 import CTranslate2Translator

        with pytest.raises(UserError, match="sees no CUDA device"):
            CTranslate2Translator(loaded, device="cuda")


def test_threads_and_info(loaded):
    from align.translate.ct2 import CTranslate2Translator

    tr = CTranslate2Translator(loaded, DecodingSettings(max_new_tokens=2), progress=False)
    assert tr.quantization == "int8" and tr.device == "cpu"
    from align.cores import usable_cores

    cores = usable_cores()  # the affinity, a container's quota, OMP_NUM_THREADS
    # on the CPU, one batch a core by default (at most four, the cores shared among them)
    batches = min(cores, 4)
    assert (tr.inter_threads, tr.intra_threads) == (batches, max(1, cores // batches))
    tr.translate(["قال كيربي", ""])
    info = json.loads(json.dumps(tr.info()))
    assert info["engine"] == "ctranslate2" and info["quantization"] == "int8"
    assert info["compute_type"].startswith("int8")
    assert info["conversion_hash"] == tr.conversion.conversion_hash
    assert Path(info["conversion_dir"]) == tr.conversion.path
    assert info["ctranslate2_version"]
    assert info["decoding"] == DecodingSettings(max_new_tokens=2).to_json()
    assert info["stats"] == {"segments": 1, "split_segments": 0, "pieces": 1, "batches": 1}
    assert info["ctranslate2_options"]["forced_eos"] is True
    assert info["max_input_tokens"] == 511
    own = CTranslate2Translator(loaded, inter_threads=1, intra_threads=1, progress=False)
    assert (own.inter_threads, own.intra_threads) == (1, 1)
    assert own.info()["intra_threads"] == 1
    two = CTranslate2Translator(loaded, inter_threads=2, progress=False)
    assert two.intra_threads == max(1, cores // 2)
    # the token budget bounds what the engine holds at once: two batches share it, and
    # many keep 512 each (or the whole budget, where it is smaller)
    assert (own.batch_tokens(), two.batch_tokens()) == (1024, 512)
    many = CTranslate2Translator(loaded, inter_threads=8, intra_threads=1, progress=False)
    assert many.batch_tokens() == 512
    small = DecodingSettings(max_batch_tokens=300)
    assert (
        CTranslate2Translator(loaded, small, inter_threads=2, progress=False).batch_tokens() == 300
    )
    wide = CTranslate2Translator(loaded, intra_threads=2, progress=False)
    assert (wide.inter_threads, wide.intra_threads) == (max(1, cores // 2), 2)
    for bad in ({"inter_threads": 0}, {"intra_threads": 0}):
        with pytest.raises(UserError, match="must be at least 1"):
            CTranslate2Translator(loaded, **bad)


def test_a_translator_leaves_pytorchs_threads_as_they_were(tiny_model):
    """CTranslate2 and PyTorch share the process's OpenMP runtime: a translator of one thread
    a batch set PyTorch's count to 1 as well, and the aligner's forced decoding after it ran
    on one core. In a fresh process, as a run is: a process that has run PyTorch's threads
    already (this one) keeps its count."""
    script = textwrap.dedent(
        f"""
        import torch
        from align.model.load import load_marian
        from align.translate.ct2 import CTranslate2Translator

        loaded = load_marian({str(tiny_model)!r}, device="cpu")
        torch.set_num_threads(2)
        counts = []
        for _ in range(2):
            tr = CTranslate2Translator(loaded, inter_threads=2, intra_threads=1, progress=False)
            counts.append(torch.get_num_threads())
        tr.translate(["قال كيربي"])
        counts.append(torch.get_num_threads())
        # a caller's own count is kept, whatever the translator's
        torch.set_num_threads(3)
        CTranslate2Translator(loaded, inter_threads=1, intra_threads=2, progress=False)
        counts.append(torch.get_num_threads())
        print(counts)
        """
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[2, 2, 2, 3]"


# -- fidelity ----------------------------------------------------------------------------------


def test_caps_are_the_transformers_engines(loaded, greedy32):
    for settings in ({}, {"max_length_ratio": 0.25, "max_length_offset": 3}, {"max_new_tokens": 7}):
        a, b = hf(loaded, **settings), ct2(loaded, **settings)
        assert [a.max_new_tokens_for(n) for n in range(1, 700)] == [
            b.max_new_tokens_for(n) for n in range(1, 700)
        ]
        assert a.max_input_tokens == b.max_input_tokens


# A relative cap on new tokens, smaller than the default one: 0.5 * bucket + 4.
SHORT = {"max_length_ratio": 0.5, "max_length_offset": 4}


def agreement(a: list, b: list) -> int:
    return sum(x == y for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("beams", [1, 4])
def test_float32_output_equals_transformers(loaded, sentences, beams):
    """A relative cap (shorter than the default, to keep the test quick), so the fixture
    runs to a different cap per length bucket."""
    settings = {"num_beams": beams, "max_batch_sentences": 8, **SHORT}
    expected_ids = hf(loaded, **settings).generate_ids(sentences)
    tr = ct2(loaded, **settings)
    got_ids = tr.generate_ids(sentences)
    same = agreement(expected_ids, got_ids)
    print(f"\nfloat32 beam {beams}: {same}/{len(sentences)} segments identical to transformers")
    assert same >= 0.99 * len(sentences)
    decode = loaded.tokenizer.batch_decode
    assert tr.translate(sentences) == decode(expected_ids, skip_special_tokens=True)


def test_int8_against_float32(loaded, sentences, greedy32):
    """Reported, not asserted: random weights of a 32-wide model make near ties everywhere,
    so int8 rounding changes the gibberish (see the opus-sized count in the report)."""
    int8 = ct2(loaded, quantization="int8", num_beams=1)
    same = agreement(int8.translate(sentences), greedy32.translate(sentences))
    print(f"\nint8 vs float32, greedy: {same}/{len(sentences)} segments identical")
    assert all(int8.translate(sentences[:3]))


def test_batching_changes_nothing(loaded, sentences, greedy32):
    from align.translate.batching import plan_batches, split_batches

    alone = ct2(loaded, num_beams=1, max_batch_sentences=1).generate_ids(sentences)
    together = greedy32.generate_ids(sentences)
    assert alone == together
    lengths = [len(loaded.tokenizer(s).input_ids) for s in sentences]
    caps = [greedy32.max_new_tokens_for(n) for n in lengths]
    budget = max(512, 1024 // greedy32.inter_threads)  # batches at once share the budget
    assert greedy32.batch_tokens() == budget
    plan = split_batches(plan_batches(lengths, caps, budget, 64), greedy32.inter_threads)
    assert greedy32.last_stats["batches"] == len(plan)
    small = ct2(loaded, num_beams=1, max_batch_tokens=40)
    assert small.generate_ids(sentences) == together
    assert small.last_stats["batches"] > greedy32.last_stats["batches"]
    # Two batches at a time, collected in order.
    from align.translate.ct2 import CTranslate2Translator

    parallel = CTranslate2Translator(
        loaded,
        DecodingSettings(num_beams=1, max_batch_sentences=2),
        quantization="float32",
        inter_threads=2,
        intra_threads=1,
        progress=False,
    )
    assert parallel.generate_ids(sentences) == together


def test_early_ends_and_min_new_tokens(tiny_model, tmp_path, sentences):
    """A model that writes </s> early: transformers' forced </s> at the cap, min_new_tokens
    and early ends line up with CTranslate2's max/min_decoding_length under greedy search.

    Beam search is only counted: when hypotheses end early, transformers (early_stopping
    False) keeps searching while a running beam could still beat the finished ones, and
    CTranslate2 stops once beam_size hypotheses are finished (patience 1), so it tends to
    return shorter ones on this random model."""
    import torch
    from transformers import MarianMTModel

    path = foreign_copy(tiny_model, tmp_path)
    model = MarianMTModel.from_pretrained(path)
    with torch.no_grad():
        model.final_logits_bias[0, model.config.eos_token_id] = 2.1  # some end early
    model.save_pretrained(path)
    own = load_marian(str(path), device="cpu")
    some = sentences[:12]
    early = capped = 0
    for settings in (
        {"num_beams": 1, **SHORT},
        {"num_beams": 1, "min_new_tokens": 4, **SHORT},
        {"num_beams": 1, "max_new_tokens": 5, "min_new_tokens": 5},
        {"num_beams": 1, "max_new_tokens": 1},
    ):
        ref = hf(own, **settings)
        expected = ref.generate_ids(some)
        assert ct2(own, **settings).generate_ids(some) == expected, settings
        for text, row in zip(some, expected, strict=True):
            new = len(row) - 1  # minus the decoder start token; </s> included
            cap = ref.max_new_tokens_for(len(own.tokenizer(text).input_ids))
            early += new < cap
            capped += new == cap
            assert new - 1 >= min(settings.get("min_new_tokens", 0), cap - 1)
    assert early and capped  # rows that end early and rows that run to their cap
    settings = {"num_beams": 4, **SHORT}
    expected = hf(own, **settings).generate_ids(some)
    got = ct2(own, **settings).generate_ids(some)
    print(f"\nbeam 4, early ends: {agreement(expected, got)}/{len(some)} identical")


def test_input_order_and_empty_inputs(loaded, sentences, greedy32):
    three = [sentences[0], sentences[1], sentences[8]]
    one = greedy32.translate(three)
    assert len(set(one)) == 3
    assert greedy32.translate(["", three[2], "  \n", three[0], three[1], ""]) == [
        "",
        one[2],
        "",
        one[0],
        one[1],
        "",
    ]
    batches = greedy32.stats["batches"]
    assert greedy32.translate(["", " "]) == ["", ""]
    assert greedy32.translate([]) == []
    assert greedy32.stats["batches"] == batches
    assert greedy32.last_stats == {"segments": 0, "split_segments": 0, "pieces": 0, "batches": 0}


def test_long_segment_is_split_like_transformers(loaded):
    from transformers import MarianTokenizer

    short = dataclasses.replace(
        loaded, tokenizer=MarianTokenizer.from_pretrained(loaded.path, model_max_length=24)
    )
    text = max(ARTICLE.read_text(encoding="utf-8-sig").splitlines(), key=len)
    tr = ct2(short, num_beams=1, max_new_tokens=6)
    assert tr.max_input_tokens == 23 and tr.count_tokens(text) > 3 * 23
    out = tr.translate([text, "قال كيربي"])
    assert tr.last_stats["split_segments"] == 1 and tr.last_stats["pieces"] > 3
    assert out == hf(short, num_beams=1, max_new_tokens=6).translate([text, "قال كيربي"])


def test_works_without_the_transformers_weights(loaded, sentences, greedy32):
    """The CTranslate2 path needs the tokenizer and the directory, not the torch model."""
    light = dataclasses.replace(loaded, model=None)
    tr = ct2(light, num_beams=1)
    assert tr.translate(sentences[:5]) == greedy32.translate(sentences[:5])


def test_progress_bar(loaded, greedy32, capsys):
    tr = ct2(loaded, num_beams=1, max_new_tokens=2, max_batch_sentences=1)
    tr.progress = True
    tr.translate(["قال كيربي", "وحذرت روسيا"])
    assert "translate" in capsys.readouterr().err
    tr.progress = None  # only on a terminal, and pytest captures stderr
    tr.translate(["قال كيربي", "وحذرت روسيا"])
    assert capsys.readouterr().err == ""


def test_progress_bar_counts_the_batches_run_at_once(loaded, monkeypatch):
    """Two sentences planned as one batch run as two side by side on two slots: more than
    one batch, so a terminal shows the bar; one slot keeps them in one batch, no bar."""
    import types

    from align.translate import marian
    from align.translate.ct2 import CTranslate2Translator

    texts = ["قال كيربي", "وحذرت روسيا"]
    translators = [
        CTranslate2Translator(
            loaded, DecodingSettings(max_new_tokens=2), inter_threads=inter, intra_threads=1
        )
        for inter in (2, 1)
    ]
    monkeypatch.setattr(marian.sys, "stderr", types.SimpleNamespace(isatty=lambda: True))
    shown = []
    for tr in translators:
        _, batches, show = tr._plan(texts, tr.count_tokens)
        assert sorted(i for b in batches for i in b) == [0, 1]
        shown.append((len(batches), show))
    assert shown == [(2, True), (1, False)]


# -- attention from CTranslate2 ----------------------------------------------------------------


PAIRS = [
    ("قال المتحدث باسم مجلس الأمن القومي", "National Security Council spokesman said"),
    (
        "ذهب الرئيس إلى المدينة والتقى المسؤولين هناك",
        "The president went to the city and met them.",
    ),
    ("قال كيربي", "Kirby said."),
    ("وصل التحذير في الساعة 11:15 صباحا", "The warning came at 11:15 a.m., on March 7."),
]


def test_attention_equals_transformers(loaded, greedy32):
    from align.links.attention import AttentionAligner, _eager_attention

    ref = AttentionAligner(loaded, threshold=0.0, batch_size=3)
    # Without the PyTorch weights, CTranslate2 itself force-decodes (step by step).
    light = dataclasses.replace(loaded, model=None)
    fast = AttentionAligner(
        light, threshold=0.0, batch_size=3, backend="ctranslate2", ct2_translator=greedy32
    )
    assert fast.settings["backend"] == "ctranslate2" and ref.settings["backend"] == "transformers"
    assert fast.settings["forced_decoding"] == "ctranslate2"
    encoded = [(ref.encode(s, target=False), ref.encode(t, target=True)) for s, t in PAIRS]
    with _eager_attention(loaded.model):
        expected = ref._piece_attention(encoded)
    got = fast._piece_attention(encoded)  # one batch: padded sources and targets
    diff = max(float(np.abs(a - b).max()) for a, b in zip(expected, got, strict=True))
    print(f"\nCTranslate2 vs transformers piece attention (float32): max abs diff {diff:.2e}")
    for (s, t), a, b in zip(encoded, expected, got, strict=True):
        assert a.shape == b.shape == (len(t.ids), len(s.ids))
    assert diff < 1e-5
    for a, b in zip(ref.align(PAIRS), fast.align(PAIRS), strict=True):
        assert a.links and [(x.src, x.tgt) for x in a.links] == [(x.src, x.tgt) for x in b.links]
        assert [(p.src, p.tgt) for p in a.spans] == [(p.src, p.tgt) for p in b.spans]
    # Empty sides and an empty call, as with transformers.
    results = fast.align([("", "Kirby said."), ("قال كيربي", "")])
    assert [len(a.links) for a in results] == [0, 0]
    assert fast.align([]) == []


def test_ctranslate2_backend_force_decodes_in_one_pytorch_pass(loaded, greedy32):
    """With the weights loaded, a CTranslate2 aligner force-decodes in PyTorch: the same rows
    as the transformers backend at float32, close to them with int8 linear layers."""
    from align.links.attention import AttentionAligner, _eager_attention

    ref = AttentionAligner(loaded, threshold=0.0, batch_size=3)
    same = AttentionAligner(
        loaded, threshold=0.0, batch_size=3, backend="ctranslate2", ct2_translator=greedy32
    )
    assert same.settings["forced_decoding"] == "transformers"
    assert same.settings["forced_quantization"] is None and same.forced_model is loaded.model
    int8 = ct2(loaded, quantization="int8", num_beams=1)
    quick = AttentionAligner(
        loaded, threshold=0.0, batch_size=3, backend="ctranslate2", ct2_translator=int8
    )
    assert quick.settings["forced_quantization"] == "int8"
    assert quick.forced_model is not loaded.model  # a copy: the float32 model is untouched
    encoded = [(ref.encode(s, target=False), ref.encode(t, target=True)) for s, t in PAIRS]
    with _eager_attention(loaded.model):
        expected = ref._piece_attention(encoded)
    for aligner, tolerance in ((same, 1e-6), (quick, 0.1)):
        got = aligner.word_attentions(PAIRS)
        want = ref.word_attentions(PAIRS)
        for a, b in zip(want, got, strict=True):
            assert a.shape == b.shape
            np.testing.assert_allclose(a, b, atol=tolerance)
    with _eager_attention(quick.forced_model):
        rows = quick._piece_attention(encoded)
    for a, b in zip(expected, rows, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(b, a, atol=0.1)
        assert float(np.abs(a - b).max()) > 0  # quantized: not the float32 numbers


def test_attention_backend_limits(loaded, greedy32):
    from align.links.attention import AttentionAligner

    n_layers = loaded.model.config.decoder_layers
    AttentionAligner(loaded, layer=n_layers - 1, heads=0, backend="ctranslate2")  # the default
    for bad in ({"heads": "mean"}, {"heads": 1}, {"layer": 0}):
        with pytest.raises(ValueError, match="first head of the last layer"):
            AttentionAligner(loaded, backend="ctranslate2", ct2_translator=greedy32, **bad)
    with pytest.raises(ValueError, match="backend must be"):
        AttentionAligner(loaded, backend="onnx")
    # Without a translator the aligner makes its own (int8, the CPU default), and it needs
    # no transformers weights.
    light = dataclasses.replace(loaded, model=None)
    own = AttentionAligner(light, threshold=0.0, backend="ctranslate2")
    [a] = own.align(PAIRS[:1])
    assert a.links and own.ct2_translator.quantization == "int8"


@pytest.mark.parametrize(
    ("cores", "device", "inter", "intra", "layout"),
    [
        (2, "cpu", None, None, (2, 1)),  # one batch a core, one thread each
        (8, "cpu", None, None, (4, 2)),  # at most four batches, the cores shared among them
        (8, "cpu", None, 2, (4, 2)),
        (8, "cpu", None, 1, (8, 1)),
        (8, "cpu", 3, None, (3, 2)),
        (8, "cpu", 16, None, (16, 1)),
        (8, "cpu", 2, 2, (2, 2)),
        (8, "cuda", None, None, (1, 8)),  # one batch at a time on the GPU
    ],
)
def test_thread_layout(monkeypatch, cores, device, inter, intra, layout):
    from align.translate import ct2 as module

    monkeypatch.setattr(module, "usable_cores", lambda: cores)
    assert module.thread_layout(device, inter, intra) == layout


@pytest.mark.parametrize(("inter", "intra"), [(0, None), (None, -1), (-2, 3)])
def test_thread_layout_refuses_no_threads(inter, intra):
    from align.translate.ct2 import thread_layout

    with pytest.raises(UserError, match="must be at least 1"):
        thread_layout("cpu", inter, intra)


def test_one_batch_a_core_gives_the_same_translations_and_attention(loaded, sentences):
    """A short input is spread over the batches run at once, and forced attention over
    them too: the output is that of one batch at a time."""
    from align.translate.ct2 import CTranslate2Translator

    settings = DecodingSettings(num_beams=2, max_new_tokens=8)
    one = CTranslate2Translator(loaded, settings, inter_threads=1, progress=False)
    two = CTranslate2Translator(loaded, settings, inter_threads=2, intra_threads=1, progress=False)
    few = sentences[:3]
    assert two.generate_ids(few) == one.generate_ids(few)
    assert two.last_stats["batches"] >= 2  # both batches at work
    sources = one.source_tokens(few)
    targets = [s[:4] for s in sources]
    for a, b in zip(
        one.forced_attention(sources, targets), two.forced_attention(sources, targets), strict=True
    ):
        assert a.shape == b.shape and np.allclose(a, b, atol=1e-5)
