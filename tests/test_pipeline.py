"""The backbone end to end on fixture models (random weights: their output is gibberish)."""

import json
import subprocess
import sys

import pytest

from align import DecodingSettings, Pipeline
from align.errors import UserError
from align.records import MANIFEST, SCHEMA_VERSION
from align.run import Run, is_complete, read_manifest
from align.score.metrics import CLI_ARGS
from align.settings import AlignmentSettings, TranslationSettings
from tests.conftest import SEED

ARTICLE = SEED / "article.ar.txt"
REFERENCE = SEED / "reference.en.txt"


def sacrebleu_cli(run_dir) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(run_dir / "ref.txt")]
        + ["-i", str(run_dir / "hyp.txt"), *CLI_ARGS, "-f", "json", "-w", "6"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {row["name"]: row for row in json.loads(out)}


def check_scores_match_cli(run_dir) -> None:
    scores = json.loads((run_dir / "scores.json").read_text())["corpus"]
    cli = sacrebleu_cli(run_dir)
    for ours, theirs in (("bleu", "BLEU"), ("chrf", "chrF2++"), ("ter", "TER")):
        assert round(scores[ours]["score"], 6) == cli[theirs]["score"]
        assert scores[ours]["signature"] == cli[theirs]["signature"]


@pytest.fixture(scope="module")
def tiny_run(tiny_model, tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "seed"
    # Random weights spread attention thinly: threshold 0 keeps every argmax link, so the
    # records carry links to check.
    pipeline = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(decoding=DecodingSettings(max_new_tokens=6)),
        alignment=AlignmentSettings(attention={"threshold": 0.0}),
    )
    result = pipeline.run(ARTICLE, ref=REFERENCE, out=out)
    return out, result, pipeline


def test_run_directory_is_complete_and_consistent(tiny_run):
    out, result, _ = tiny_run
    assert is_complete(out)
    rows = [json.loads(x) for x in (out / "segments.jsonl").read_text().splitlines()]
    assert len(rows) == 57
    translated = [r for r in rows if r["translated"]]
    assert len(translated) == 54
    assert {r["role"] for r in rows if not r["translated"]} == {"boilerplate"}
    hyp = (out / "hyp.txt").read_text(encoding="utf-8").split("\n")[:-1]
    ref = (out / "ref.txt").read_text(encoding="utf-8").split("\n")[:-1]
    assert hyp == [r["hypothesis"] for r in translated]
    assert ref == REFERENCE.read_text(encoding="utf-8").split("\n")[:-1]
    text = ARTICLE.read_text(encoding="utf-8")
    for row in rows:
        assert text[row["start"] : row["end"]] == row["source"]
    # Gibberish from random weights: eflomal finds nothing to agree on in some pairs, but a
    # run's worth of pairs has links, and every span pair comes from links.
    assert sum(bool(r["alignment"]["links"]) for r in translated) > len(translated) // 2
    for row in translated:
        assert set(row["scores"]) == {"bleu", "chrf", "ter"}
        assert bool(row["alignment"]["links"]) == bool(row["alignment"]["spans"])
        for link in row["alignment"]["links"]:
            assert 0 <= link["src"] < len(row["alignment"]["src_tokens"])
            assert 0 <= link["tgt"] < len(row["alignment"]["tgt_tokens"])
        # source offsets point into the article, target offsets into the aligned string
        for s, e in row["alignment"]["src_tokens"]:
            assert row["start"] <= s < e <= row["end"]
        # Hybrid alignment: Arabic units (clitics split) inside the words, each unit inside
        # its word, and span pairs with a confidence.
        al = row["alignment"]
        assert al["method"] == "hybrid"
        assert len(al["src_unit_word"]) == len(al["src_tokens"])
        for (s, e), k in zip(al["src_tokens"], al["src_unit_word"], strict=True):
            ws, we = al["src_words"][k]
            assert ws <= s < e <= we
        assert all(0 < span["confidence"] <= 1 for span in al["spans"])
        for span in row["reference_alignment"]["spans"]:
            s, e = span["tgt"]
            assert 0 <= s < e <= len(row["reference"])
            s, e = span["src"]
            assert row["start"] <= s < e <= row["end"]
            assert text[s:e].strip() == text[s:e]
    assert result.hypotheses == hyp


def test_attention_method_is_selectable(tiny_model, tmp_path):
    pipeline = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(decoding=DecodingSettings(max_new_tokens=4)),
        alignment=AlignmentSettings(attention={"threshold": 0.0}, method="attention"),
    )
    result = pipeline.run(ARTICLE, ref=REFERENCE, out=tmp_path / "attention")
    aligner = result.manifest["aligner"]
    assert aligner["method"] == "attention" and aligner["threshold"] == 0.0
    row = next(r for r in result.records if r["translated"])
    assert row["alignment"]["method"] == "attention"
    # attention links words as word_tokens cuts them: no unit → word map
    assert "src_unit_word" not in row["alignment"]


@pytest.mark.parametrize("engine", ["auto", "transformers"])
@pytest.mark.parametrize("method", ["hybrid", "attention"])
def test_a_translator_of_the_callers_with_a_model_for_the_attention(
    tiny_model, tmp_path, engine, method
):
    """The caller's translator translates; the model gives the aligner its attention."""

    class Fixed:
        def translate(self, texts):
            return ["the minister said"] * len(texts)

    pipeline = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(engine=engine),
        alignment=AlignmentSettings(attention={"threshold": 0.0}, method=method),
        translator=Fixed(),
    )
    result = pipeline.run("قال الوزير.\n", out=tmp_path / "run")
    assert result.hypotheses == ["the minister said"]
    assert result.manifest["translator"]["engine"] == "given"
    assert result.manifest["model"]["model_hash"]  # the attention's model is recorded
    assert result.segments[0].alignment.word_links()
    assert result.records[0]["alignment"]["method"] == method


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
@pytest.mark.parametrize(
    "decoding", [{"max_new_tokens": 10**6}, {"min_new_tokens": 10**6}], ids=["max", "min"]
)
def test_caps_on_new_tokens_the_model_cannot_keep_are_refused(tiny_model, engine, decoding):
    """Both engines refuse a cap past the model's positions, the least as the most (a
    least of a million tokens was kept quietly at each segment's cap)."""
    from align.errors import JobError

    name = next(iter(decoding))
    pipeline = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(engine=engine, decoding=DecodingSettings(**decoding)),
        alignment=AlignmentSettings(method="lexical", background=False),
    )
    with pytest.raises(JobError, match=f"^{name} must be between [01] and [0-9]+ for this model"):
        pipeline.run("قال الوزير.\n")


def test_unknown_alignment_method_is_one_sentence(tiny_model):
    with pytest.raises(UserError, match="Unknown alignment method"):
        Pipeline(str(tiny_model), alignment=AlignmentSettings(method="magic"))


def test_scores_json_equals_sacrebleu_cli(tiny_run):
    check_scores_match_cli(tiny_run[0])


def test_manifest_records_what_decides_the_output(tiny_run, tiny_model):
    out, _, _ = tiny_run
    manifest = read_manifest(out)
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["model"]["path"] == str(tiny_model)
    assert manifest["model"]["fixture"] is True
    assert set(manifest["model"]["file_hashes"]) >= {"config.json", "model.safetensors"}
    assert manifest["translator"]["decoding"]["num_beams"] == 4
    assert manifest["translator"]["decoding"]["max_new_tokens"] == 6
    aligner = manifest["aligner"]
    assert aligner["method"] == "hybrid" and aligner["runs"] >= 1
    assert aligner["attention"]["threshold"] == 0.0 and aligner["attention"]["heads"] == "first"
    assert manifest["packages"]["eflomal"]
    assert manifest["packages"]["transformers"] and manifest["packages"]["sacrebleu"]
    assert {"segment", "load_model", "translate", "align", "score"} <= set(manifest["timings"])
    assert any("gibberish" in w for w in manifest["warnings"])
    assert set(manifest["files"]) == {"segments.jsonl", "scores.json", "hyp.txt", "ref.txt"}


def test_manifest_is_written_last(tiny_run, tmp_path, monkeypatch):
    """Every file goes to a temporary file first; they are renamed into place, the
    manifest last."""
    import os

    renamed = []
    real = os.replace

    def spy(source, target):
        renamed.append(os.path.basename(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", spy)
    tiny_run[2].run(ARTICLE, ref=REFERENCE, out=tmp_path / "again")
    # the mark that names the run's files first, then the files, the manifest last
    assert renamed[0] == ".arabic-align-swapping" and renamed[-1] == MANIFEST
    assert set(renamed[1:-1]) == {"segments.jsonl", "scores.json", "hyp.txt", "ref.txt"}


def test_run_files_are_readable_by_others(tiny_run):
    import os

    mask = os.umask(0)
    os.umask(mask)
    for path in tiny_run[0].iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path.name


def test_library_warns_about_fixture_gibberish(tiny_model, tmp_path):
    pipeline = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(decoding=DecodingSettings(max_new_tokens=2)),
    )
    with pytest.warns(UserWarning, match="gibberish"):
        pipeline.translate(["قال المتحدث."])


def test_second_run_records_its_own_load_time(tiny_run, tmp_path):
    pipeline = tiny_run[2]
    result = pipeline.run(ARTICLE, out=tmp_path / "second")
    assert "load_model" in result.manifest["timings"]
    # this run's counts, not a total: everything came from the cache this time
    assert result.manifest["translator"]["stats"]["segments"] == 0
    assert result.manifest["translator"]["cache"]["hits"] == 54


def test_tampered_run_is_not_complete(tiny_run, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(tiny_run[0], copy)
    assert is_complete(copy)
    (copy / "hyp.txt").write_text("changed\n")
    assert not is_complete(copy)
    (copy / MANIFEST).unlink()
    assert not is_complete(copy)


def test_run_without_reference(tiny_run, tmp_path):
    _, _, pipeline = tiny_run
    result = pipeline.run(ARTICLE, out=tmp_path / "noref")
    # the same object as the run read back (it was None here, a Scores there)
    assert result.scores == Run.open(tmp_path / "noref").scores
    assert result.scores.bleu is None and result.scores.note == "no reference was given"
    assert list(result.scores) == []
    assert not (tmp_path / "noref" / "ref.txt").exists()
    assert is_complete(tmp_path / "noref")
    assert all(r["reference"] is None for r in result.records)


def test_opus_sized_fixture_run_over_seed_article(opus_model, tmp_path):
    """The real model's architecture and vocabulary size, end to end over the seed article."""
    out = tmp_path / "opus"
    pipeline = Pipeline(
        str(opus_model),
        translation=TranslationSettings(decoding=DecodingSettings(max_new_tokens=12)),
    )
    pipeline.run(ARTICLE, ref=REFERENCE, out=out)
    assert is_complete(out)
    manifest = read_manifest(out)
    assert manifest["counts"] == {"segments": 57, "translated": 54}
    config = json.loads((opus_model / "config.json").read_text())
    assert config["vocab_size"] == 62834 and config["d_model"] == 512
    check_scores_match_cli(out)


def test_engines_are_recorded_and_the_cache_serves_a_rerun(tiny_model, tmp_path):
    """CTranslate2 and transformers behind one pipeline; a re-run translates nothing."""
    settings = DecodingSettings(max_new_tokens=4)
    cache = tmp_path / "cache.sqlite"
    ct2 = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(decoding=settings, engine="ctranslate2", cache=cache),
    )
    first = ct2.run(ARTICLE, ref=REFERENCE, out=tmp_path / "ct2")
    info = first.manifest["translator"]
    assert info["engine"] == "ctranslate2" and info["quantization"] == "int8"
    assert info["conversion_hash"]
    assert info["cache"]["misses"] == 54 and info["cache"]["hits"] == 0
    attention = first.manifest["aligner"]["attention"]
    assert attention["backend"] == "ctranslate2"
    # The references are force-decoded in one PyTorch pass, int8 like the engine: the
    # weights are loaded for that alone.
    assert attention["forced_decoding"] == "transformers"
    assert attention["forced_quantization"] == "int8"
    assert ct2.loaded.model is not None
    # An aligner without attention needs no PyTorch weights: CTranslate2 runs its own copy.
    lean = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(decoding=settings, engine="ctranslate2", cache=cache),
        alignment=AlignmentSettings(method="statistical"),
    )
    lean.run(ARTICLE, ref=REFERENCE, out=tmp_path / "ct2-lean")
    assert lean.loaded.model is None

    again = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(decoding=settings, engine="ctranslate2", cache=cache),
    )
    second = again.run(ARTICLE, ref=REFERENCE, out=tmp_path / "ct2-again")
    assert second.manifest["translator"]["cache"]["hits"] == 54
    assert second.hypotheses == first.hypotheses
    assert (tmp_path / "ct2" / "scores.json").read_text() == (
        tmp_path / "ct2-again" / "scores.json"
    ).read_text()

    hf = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(decoding=settings, engine="transformers", cache=False),
    )
    result = hf.run(ARTICLE, out=tmp_path / "hf")
    assert result.manifest["translator"]["engine"] == "transformers"
    assert "cache" not in result.manifest["translator"]


def test_threads_sharing_a_pipeline_get_the_runs_one_thread_gets(tiny_model, tmp_path):
    # One pipeline, one model: the attention aligner switches the model's attention for its
    # pass, and a run's timings and skipped pairs live on the pipeline; threads take turns.
    import threading
    import warnings

    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    articles = []
    for k in range(4):
        folder = tmp_path / f"in{k}"
        folder.mkdir()
        body = ARTICLE.read_text(encoding="utf-8").splitlines()[3 * k : 3 * k + 3]
        (folder / "a.ar.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
        articles.append(folder / "a.ar.txt")
    pipeline = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(cache=False, decoding=DecodingSettings(max_new_tokens=6)),
        alignment=AlignmentSettings(attention={"threshold": 0.0}),
        on_warning=lambda m: None,
    )
    refs = [lines[: len(pipeline.segment(a).to_translate)] for a in articles]
    alone = [pipeline.run(a, ref=refs[k]) for k, a in enumerate(articles)]
    results, errors = {}, []

    def work(k):
        try:
            results[k] = pipeline.run(articles[k], ref=refs[k], out=tmp_path / f"out{k}")
        except BaseException as exc:  # noqa: BLE001 (the test reports every failure)
            errors.append(repr(exc))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    for k in range(4):
        got = results[k]
        assert [s.hypothesis for s in got.segments] == [s.hypothesis for s in alone[k].segments]
        # (the statistical part of the links samples anew each run: their texts are compared)
        assert all(
            (s.alignment.source, s.alignment.target) == (s.source, s.hypothesis)
            for s in got.segments
            if s.translated
        )
        assert {"translate", "align", "score", "checks"} <= set(got.manifest["timings"])


def test_threads_sharing_a_pipeline_take_turns(tmp_path):
    # deterministic: a translator that notes how many calls are inside it at once
    import threading
    import time

    class Slow:
        def __init__(self):
            self.inside = self.most = 0
            self.lock = threading.Lock()

        def translate(self, texts):
            with self.lock:
                self.inside += 1
                self.most = max(self.most, self.inside)
            time.sleep(0.05)
            with self.lock:
                self.inside -= 1
            return [f"words {k}" for k in range(len(texts))]

    slow = Slow()
    pipeline = Pipeline(
        None,
        translator=slow,
        alignment=AlignmentSettings(method="lexical", background=False),
        on_warning=lambda m: None,
    )
    article = "قال الوزير إن الاجتماع انتهى.\nوصل الرئيس إلى موسكو.\n"
    outs = [tmp_path / f"run{k}" for k in range(4)]
    threads = [threading.Thread(target=pipeline.run, args=(article,), kwargs={"out": o})
               for o in outs]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert slow.most == 1
    assert all(is_complete(o) for o in outs)
