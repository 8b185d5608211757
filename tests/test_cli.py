"""Errors a user can cause: one clear sentence, a non-zero exit, no traceback, and no run
directory that looks complete."""

import fnmatch
import os
import re
import subprocess
import sys

import pytest

from align.cli import main
from align.records import MANIFEST
from align.run import read_manifest
from tests.conftest import SEED

ARTICLE = SEED / "article.ar.txt"
REFERENCE = SEED / "reference.en.txt"


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_sentence(err: str) -> None:
    lines = [x for x in err.splitlines() if x.startswith("arabic-align: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err


def bad_inputs(tmp_path):
    directory = tmp_path / "adir"
    directory.mkdir()
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 100)
    legacy = tmp_path / "cp1256.txt"
    legacy.write_bytes("قال المتحدث باسم مجلس الأمن إن الهجوم وقع في موسكو.".encode("cp1256"))
    return {
        "missing": (tmp_path / "nope.txt", "nope.txt"),
        "directory": (directory, "directory"),
        "empty": (empty, "empty"),
        "binary": (binary, "binary"),
        "cp1256": (legacy, "Windows-1256"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "cp1256"])
def test_bad_article(case, tmp_path, capsys):
    path, words = bad_inputs(tmp_path)[case]
    out = tmp_path / "run"
    code, _, err = run_cli(capsys, "run", path, "--model", "/no/model", "--out", out)
    assert code == 2
    assert_one_sentence(err)
    assert words in err
    assert not (out / MANIFEST).exists()
    code, _, err = run_cli(capsys, "segment", path)
    assert code == 2 and words in err


def test_reference_count_mismatch(tmp_path, capsys):
    ref = tmp_path / "ref.txt"
    ref.write_text("only one line\n")
    out = tmp_path / "run"
    code, _, err = run_cli(capsys, "run", ARTICLE, "--ref", ref, "--model", "x", "--out", out)
    assert code == 2
    assert_one_sentence(err)
    assert "1 reference line but the article has 54 segments" in err
    assert not out.exists()


def test_wrong_model_path(tmp_path, capsys):
    out = tmp_path / "run"
    code, _, err = run_cli(capsys, "run", ARTICLE, "--model", tmp_path / "nomodel", "--out", out)
    assert code == 2
    assert_one_sentence(err)
    assert "--model" in err
    assert not (out / MANIFEST).exists()


def test_offline_hub_id_says_how_to_use_a_local_copy(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = tmp_path / "run"
    code, _, err = run_cli(
        capsys, "run", ARTICLE, "--model", "Helsinki-NLP/opus-mt-ar-en", "--out", out
    )
    assert code == 2
    assert_one_sentence(err)
    assert "pass --model DIR" in err
    assert "arabic-align models fixture DIR" in err and "gibberish" in err  # said as such
    assert not (out / MANIFEST).exists()
    # a mistyped local path that reads as a hub id (models/tiny, with a models/ folder here)
    # is said as a path, not with advice to download "models/tiny" from the hub
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    code, _, err = run_cli(capsys, "run", ARTICLE, "--model", "models/tiny", "--out", out)
    assert code == 2
    assert "there is no model directory at models/tiny (the folder models has no tiny)" in err
    # (offline, the hub cannot say whether it has such a model: its advice follows)
    assert "check the --model path, or, for a hub model, download it" in err
    # a device is not a model folder, nor a file
    code, _, err = run_cli(capsys, "run", ARTICLE, "--model", "/dev/null", "--out", out)
    assert code == 2 and "the model /dev/null is not a folder" in err


def test_the_download_command_offered_offline_fetches_every_file_a_model_folder_needs(
    tmp_path, capsys, monkeypatch
):
    """The `hf download` command of the message, run by the hub client (its download
    stubbed): it asks for the configuration and vocabulary files too, not the weights only
    (the client takes one pattern an --include)."""
    import shlex

    import huggingface_hub.cli.download as hub_download
    from huggingface_hub.cli.hf import main as hf_main

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code, _, err = run_cli(
        capsys, "run", ARTICLE, "--model", "Helsinki-NLP/opus-mt-ar-en", "--out", tmp_path / "r"
    )
    assert code == 2
    command = shlex.split(err.split("`")[1])
    assert command[:2] == ["hf", "download"]
    asked = {}
    monkeypatch.setattr(
        hub_download, "snapshot_download", lambda **kw: asked.update(kw) or str(tmp_path)
    )
    monkeypatch.setattr(sys, "argv", command)
    with pytest.raises(SystemExit) as done:
        hf_main()
    assert done.value.code in (0, None)
    patterns = asked["allow_patterns"]
    assert asked["repo_id"] == "Helsinki-NLP/opus-mt-ar-en" and asked["local_dir"] == "DIR"
    for needed in ("config.json", "vocab.json", "source.spm", "target.spm", "model.safetensors"):
        assert any(fnmatch.fnmatch(needed, p) for p in patterns), needed


def test_model_directory_missing_tokenizer_files(tiny_model, tmp_path, capsys):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    (broken / "source.spm").unlink()
    code, _, err = run_cli(capsys, "run", ARTICLE, "--model", broken, "--out", tmp_path / "r")
    assert code == 2
    assert "lacks source.spm" in err


def test_existing_run_directory_needs_force(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "notes.txt").write_text("keep")
    code, _, err = run_cli(capsys, "run", ARTICLE, "--model", "/no/model", "--out", out)
    # not a run: --force would be refused too, so it is not what the sentence suggests
    assert code == 2 and "is not empty" in err and "--force" not in err
    assert (out / "notes.txt").read_text() == "keep"


def test_run_interrupted_while_rewriting_a_complete_run(tiny_model, tmp_path, capsys):
    """--force over a complete run, interrupted while writing the new one: the new files go
    to temporary files first, so the old run is still there, whole and complete, and no
    temporary file is left."""
    import align.records
    from align.run import is_complete

    out = tmp_path / "run"
    args = ["run", ARTICLE, "--model", tiny_model, "--out", out, "--max-new-tokens", "2"]
    assert run_cli(capsys, *args)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = align.records._write_temp

    def interrupt_at_hyp(path, text):
        if path.name == "hyp.txt":
            raise KeyboardInterrupt
        return real(path, text)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(align.records, "_write_temp", interrupt_at_hyp)
        code, _, err = run_cli(capsys, *args, "--max-new-tokens", "3", "--force")
    assert code == 130
    assert "interrupted" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert is_complete(out)


def test_force_never_overwrites_a_folder_that_is_not_a_run(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "hyp.txt").write_text("my own file")
    (out / "thesis.tex").write_text("keep")
    code, _, err = run_cli(capsys, "run", ARTICLE, "--model", "/no", "--out", out, "--force")
    assert code == 2 and "not part of a run" in err
    assert (out / "hyp.txt").read_text() == "my own file"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_files_with_a_runs_names_and_no_manifest_are_never_removed(tmp_path, capsys, force):
    """hyp.txt and ref.txt are sacrebleu's names for a user's own files: with no manifest,
    --force (which the message suggested) overwrote one and deleted the other."""
    out = tmp_path / "mine"
    out.mkdir()
    (out / "hyp.txt").write_text("my system output")
    (out / "ref.txt").write_text("my reference")
    code, _, err = run_cli(capsys, "run", ARTICLE, "--hyp", REFERENCE, "--out", out, *force)
    assert code == 2 and "but no run manifest" in err and "--force" not in err
    assert_one_sentence(err)
    assert (out / "hyp.txt").read_text() == "my system output"
    assert (out / "ref.txt").read_text() == "my reference"


def test_a_run_folder_without_force_is_told_to_use_it(tmp_path, capsys):
    out = tmp_path / "run"
    assert run_cli(capsys, "run", ARTICLE, "--hyp", REFERENCE, "--out", out)[0] == 0
    code, _, err = run_cli(capsys, "run", ARTICLE, "--hyp", REFERENCE, "--out", out)
    assert code == 2 and "pass --force to overwrite it" in err


def test_unwritable_out_fails_before_any_work(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli(capsys, "run", ARTICLE, "--model", "/no", "--out", blocker / "run")
    assert code == 2
    assert_one_sentence(err)
    assert "cannot write the run" in err


def test_cuda_asked_for_without_cuda(tiny_model, tmp_path, capsys, monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    code, _, err = run_cli(
        capsys, "run", ARTICLE, "--model", tiny_model, "--out", tmp_path / "r", "--device", "cuda"
    )
    assert code == 2
    assert_one_sentence(err)
    assert "no CUDA device" in err


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_corrupt_weights_are_a_clear_error(engine, tiny_model, tmp_path, capsys):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    weights = broken / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    out = tmp_path / "r"
    code, _, err = run_cli(
        capsys, "run", ARTICLE, "--model", broken, "--out", out, "--engine", engine
    )
    assert code == 2
    assert_one_sentence(err)
    assert str(broken) in err and "SafetensorError" in err
    assert not (out / MANIFEST).exists()


def refused_run(capsys, model, out, engine) -> tuple[str, str]:
    """A run on ``model`` that must stop in one sentence (status 2): its stdout and stderr."""
    code, stdout, err = run_cli(
        capsys, "run", ARTICLE, "--model", model, "--out", out, "--engine", engine,
        "--align-method", "lexical",
    )  # fmt: skip
    assert code == 2
    assert_one_sentence(err)
    return stdout, err


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_weights_that_do_not_fit_the_config_are_refused(engine, tiny_model, tmp_path, capsys):
    # transformers would make up the weights the file lacks at random: a model that seems
    # to load and writes nonsense, with no word said
    import shutil

    from safetensors.torch import load_file, save_file

    other = tmp_path / "other"
    shutil.copytree(tiny_model, other)
    (other / "arabic-align-fixture.json").unlink()  # as a user's copy of a model would be
    weights = load_file(other / "model.safetensors")
    kept = {k: v for k, v in weights.items() if ".decoder." not in k}
    save_file(kept, other / "model.safetensors", metadata={"format": "pt"})
    out = tmp_path / "r"
    _, err = refused_run(capsys, other, out, engine)
    assert f"the weights in {other} do not fit the MarianMT model its config.json" in err
    assert "LOAD REPORT" not in err and not out.exists()


@pytest.mark.parametrize(
    "name, change, said",
    [
        ("config.json", {"decoder_layers": 0}, "gives decoder_layers as 0, which no model"),
        ("tokenizer_config.json", {"model_max_length": 1}, "gives model_max_length as 1"),
        ("tokenizer_config.json", {"model_max_length": 2}, "cannot be cut to fit the model"),
        ("generation_config.json", {"max_length": 1}, "gives max_length as 1"),
        ("generation_config.json", {"bad_words_ids": [[99999]]}, "gives bad_words_ids as"),
        ("generation_config.json", {"bad_words_ids": "x"}, "gives bad_words_ids as x"),
        ("generation_config.json", {"length_penalty": "a"}, "length_penalty as 'a', not a"),
        ("generation_config.json", {"no_repeat_ngram_size": -3}, "no_repeat_ngram_size as -3"),
        ("config.json", {"forced_eos_token_id": 99999}, "forced_eos_token_id as 99999, not a"),
        ("vocab.json", {"▁extra": 99999}, "hold token ids up to 99999, past the"),
        ("config.json", {"pad_token_id": 99999}, "gives pad_token_id as 99999, not a token"),
        ("generation_config.json", {"decoder_start_token_id": 99999}, "start_token_id as 99999"),
        ("generation_config.json", {"eos_token_id": [0, 99999]}, "eos_token_id as [0, 99999]"),
        ("generation_config.json", None, "generation_config.json is not readable JSON"),
    ],
)
@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_model_files_with_values_no_engine_can_use(
    engine, name, change, said, tiny_model, tmp_path, capsys
):
    import json
    import shutil

    other = tmp_path / "other"
    shutil.copytree(tiny_model, other)
    path = other / name
    if change is None:
        path.write_text("{oops")  # transformers would fall back to config.json unsaid
    else:
        path.write_text(json.dumps({**json.loads(path.read_text()), **change}))
    out = tmp_path / "r"
    _, err = refused_run(capsys, other, out, engine)
    assert said in err and not out.exists()


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_a_model_with_fewer_positions_than_its_max_length_runs(
    engine, tiny_model, tmp_path, capsys
):
    # max_length 512 with 8 positions: decoding ran into positions the model lacks (an
    # IndexError, or CTranslate2's "no position encodings"); the engines cap it, as they
    # cap the input.
    import json
    import shutil

    other = tmp_path / "other"
    shutil.copytree(tiny_model, other)
    config = json.loads((other / "config.json").read_text())
    (other / "config.json").write_text(json.dumps({**config, "max_position_embeddings": 8}))
    out = tmp_path / "r"
    code, _, err = run_cli(
        capsys, "run", ARTICLE, "--model", other, "--out", out, "--engine", engine,
        "--align-method", "lexical",
    )  # fmt: skip
    assert code == 0, err
    assert len((out / "hyp.txt").read_text(encoding="utf-8").splitlines()) == 54


class _Carried:
    """What a pickle can carry besides weights: a call made when it is loaded."""

    def __reduce__(self):
        return (print, ("code a pickle carries ran",))


@pytest.mark.parametrize("damage", ["code", "cut"])
@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_a_pickle_of_weights_that_cannot_load_is_said_plainly(
    engine, damage, tiny_model, tmp_path, capsys
):
    import shutil

    import torch
    from safetensors.torch import load_file

    other = tmp_path / "other"
    shutil.copytree(tiny_model, other)
    weights = load_file(other / "model.safetensors")
    (other / "model.safetensors").unlink()
    pickle = other / "pytorch_model.bin"
    if damage == "code":
        torch.save({**weights, "carried": _Carried()}, pickle)
    else:
        torch.save(weights, pickle)
        pickle.write_bytes(pickle.read_bytes()[:5000])
    stdout, err = refused_run(capsys, other, tmp_path / "r", engine)
    said = {
        "code": "holds more than plain weights, and loading it would run code it carries",
        "cut": "cannot be read as PyTorch weights",
    }[damage]
    assert f"{pickle} {said}" in err
    assert "code a pickle carries ran" not in stdout + err and "\x1b" not in err


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_weights_that_fit_no_parameter_are_said(engine, tiny_model, tmp_path, capsys):
    import shutil

    import torch
    from safetensors.torch import load_file, save_file

    other = tmp_path / "other"
    shutil.copytree(tiny_model, other)
    weights = load_file(other / "model.safetensors")
    weights["pooler.dense.weight"] = torch.zeros(2, 2)
    save_file(weights, other / "model.safetensors", metadata={"format": "pt"})
    out = tmp_path / "r"
    code, _, err = run_cli(
        capsys, "run", ARTICLE, "--model", other, "--out", out, "--engine", engine,
        "--max-new-tokens", "4", "--align-method", "lexical",
    )  # fmt: skip
    assert code == 0
    said = "1 weight(s) in " + str(other) + " fit no parameter"
    assert said in err and "LOAD REPORT" not in err
    if engine == "transformers":  # (a conversion says it once, when it converts)
        assert any(said in w for w in read_manifest(out)["warnings"])
        # links' attention aligner loads the model too, and says it as run does
        pair = [tmp_path / "a.ar", tmp_path / "a.en"]
        pair[0].write_text("قال الوزير\n", encoding="utf-8")
        pair[1].write_text("the minister said\n", encoding="utf-8")
        code, _, err = run_cli(
            capsys, "links", "--src", pair[0], "--tgt", pair[1], "--out", tmp_path / "l.ph",
            "--method", "attention", "--model", other,
        )  # fmt: skip
        assert code == 0 and said in err


def test_segment_prints_jsonl(capsys):
    import json

    code, out, _ = run_cli(capsys, "segment", ARTICLE)
    assert code == 0
    rows = [json.loads(x) for x in out.splitlines()]
    assert len(rows) == 57
    text = ARTICLE.read_text(encoding="utf-8")
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    assert {"line", "role", "start", "end", "text"} <= set(rows[0])


def test_console_script_error_has_no_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "align.cli", "segment", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("arabic-align: error:")


def test_score_command(tmp_path, capsys):
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("The cat sat on the mat.\nA dog.\n")
    ref = tmp_path / "ref.txt"
    ref.write_text("The cat sat on a mat.\nThe dog.\n")
    code, out, _ = run_cli(capsys, "score", "--hyp", hyp, "--ref", ref)
    assert code == 0 and "BLEU = " in out and "chrF2++ = " in out and "TER = " in out
    ref.write_text("one line\n")
    code, _, err = run_cli(capsys, "score", "--hyp", hyp, "--ref", ref)
    assert code == 2 and f"{hyp} has 2 lines but {ref} has 1: give one reference line" in err
    assert "carriage return" not in err
    # a lone CR (an old Mac line end, or a stray one) counts as a line end, which `wc -l`
    # does not count: when the counts then differ, the file and its CRs are named
    hyp.write_text("The cat sat\ron the mat.\nA dog.\n")
    ref.write_text("The cat sat on a mat.\nThe dog.\n")
    code, _, err = run_cli(capsys, "score", "--hyp", hyp, "--ref", ref)
    assert code == 2 and f"{hyp} has 3 lines but {ref} has 2" in err
    assert f"({hyp} has 1 lone carriage return (CR), each read as a line end" in err
    assert len(err.strip().splitlines()) == 1


def test_run_command_on_a_fixture_says_gibberish(tiny_model, tmp_path, capsys):
    out = tmp_path / "run"
    code, stdout, err = run_cli(
        capsys, "run", ARTICLE, "--ref", REFERENCE, "--model", tiny_model, "--out", out,
        "--max-new-tokens", "4", "--no-progress",
    )  # fmt: skip
    assert code == 0
    assert "gibberish" in err
    assert "54 segments translated" in stdout and "BLEU = " in stdout
    assert (out / MANIFEST).is_file()


def test_score_reads_crlf_files_like_sacrebleu(tmp_path, capsys):
    lf = tmp_path / "lf"
    crlf = tmp_path / "crlf"
    for folder, newline in ((lf, "\n"), (crlf, "\r\n")):
        folder.mkdir()
        (folder / "hyp.txt").write_bytes(newline.join(["The cat sat.", "A dog."]).encode() + b"\n")
        (folder / "ref.txt").write_bytes(newline.join(["The cat sat.", "The dog."]).encode())
    outputs = []
    for folder in (lf, crlf):
        code, out, _ = run_cli(
            capsys, "score", "--hyp", folder / "hyp.txt", "--ref", folder / "ref.txt", "--json"
        )
        assert code == 0
        outputs.append(out)
    assert outputs[0] == outputs[1]


def _stop_at_third_rename(monkeypatch):
    import os as os_module

    real, calls = os_module.replace, []

    def replace(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(source, target)

    monkeypatch.setattr(os_module, "replace", replace)


def test_a_run_stopped_while_putting_its_files_in_place_is_written_again(
    tmp_path, capsys, monkeypatch
):
    """Stopped between two renames, a run left run files and no manifest, which --force
    then refused to touch for good."""
    from align.records import SWAPPING
    from align.run import is_complete

    out = tmp_path / "run"
    args = ["run", ARTICLE, "--hyp", REFERENCE, "--ref", REFERENCE, "--out", out]
    assert run_cli(capsys, *args)[0] == 0
    with monkeypatch.context() as m:
        _stop_at_third_rename(m)
        assert run_cli(capsys, *args, "--force")[0] == 130
    assert (out / SWAPPING).exists() and not (out / "manifest.json").exists()
    code, _, err = run_cli(capsys, *args)
    assert code == 2 and "pass --force" in err
    assert run_cli(capsys, *args, "--force")[0] == 0
    assert is_complete(out) and not (out / SWAPPING).exists()


def test_a_run_with_a_damaged_manifest_is_written_again_with_force(tmp_path, capsys):
    from align.run import is_complete

    out = tmp_path / "run"
    args = ["run", ARTICLE, "--hyp", REFERENCE, "--out", out]
    assert run_cli(capsys, *args)[0] == 0
    (out / "manifest.json").write_text("{", encoding="utf-8")  # cut off, or another schema
    code, _, err = run_cli(capsys, *args)
    assert code == 2 and "pass --force" in err
    assert run_cli(capsys, *args, "--force")[0] == 0 and is_complete(out)


def test_force_keeps_a_file_beside_a_run_that_the_run_did_not_write(tmp_path, capsys):
    """A ref.txt of the user's beside a run made without a reference was deleted by
    --force, though the run's manifest does not list it."""
    out = tmp_path / "run"
    args = ["run", ARTICLE, "--hyp", REFERENCE, "--out", out]
    assert run_cli(capsys, *args)[0] == 0
    (out / "ref.txt").write_text("my reference", encoding="utf-8")
    assert run_cli(capsys, *args, "--force")[0] == 0
    assert (out / "ref.txt").read_text(encoding="utf-8") == "my reference"
    code, _, err = run_cli(capsys, *args, "--ref", REFERENCE, "--force")  # would replace it
    assert code == 2 and "ref.txt, which its run did not write" in err
    assert (out / "ref.txt").read_text(encoding="utf-8") == "my reference"


def test_a_working_command_with_its_output_closed_still_works(tmp_path):
    import os
    import subprocess
    import sys

    from align.run import is_complete
    from tests.conftest import ROOT

    out = tmp_path / "run"
    argv = ["arabic-align", "run", str(ARTICLE), "--hyp", str(REFERENCE), "--out", str(out)]
    code = f"import sys\nfrom align.cli import entry\nsys.argv = {argv!r}\nentry()\n"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE,
                          text=True, preexec_fn=lambda: os.close(1), timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and is_complete(out)


def test_a_resumed_swap_keeps_a_file_its_run_did_not_write(tmp_path, capsys, monkeypatch):
    """Stopped between two renames, then written again: the run's files are those the mark
    names, so a ref.txt of the user's beside a run without a reference stays."""
    from align.run import is_complete

    out = tmp_path / "run"
    args = ["run", ARTICLE, "--hyp", REFERENCE, "--out", out]
    assert run_cli(capsys, *args)[0] == 0
    (out / "ref.txt").write_text("my reference", encoding="utf-8")
    with monkeypatch.context() as m:
        _stop_at_third_rename(m)
        assert run_cli(capsys, *args, "--force")[0] == 130
    assert run_cli(capsys, *args, "--force")[0] == 0 and is_complete(out)
    assert (out / "ref.txt").read_text(encoding="utf-8") == "my reference"


def test_counts_that_differ_by_lone_carriage_returns_name_them(tmp_path, capsys):
    """links, eval-links, run --hyp and run --ref read a lone CR as a line end: when a count
    then differs from what `wc -l` shows, the message names the file and its CRs."""
    ar = tmp_path / "a.ar"
    ar.write_text("قال الوزير.\nوصل الرئيس.\n", encoding="utf-8")
    en = tmp_path / "a.en"
    en.write_text("The minister\rsaid.\nThe president arrived.\n", encoding="utf-8")
    note = f"({en} has 1 lone carriage return (CR), each read as a line end"
    code, _, err = run_cli(capsys, "links", "--src", ar, "--tgt", en, "--out",
                           tmp_path / "x.ph", "--method", "lexical")  # fmt: skip
    assert code == 2 and f"{ar} has 2 lines but {en} has 3" in err and note in err
    assert_one_sentence(err)
    good = tmp_path / "good.en"
    good.write_text("The minister said.\nThe president arrived.\n", encoding="utf-8")
    for k, given in enumerate([("--hyp", en), ("--hyp", good, "--ref", en)]):
        out = tmp_path / f"run{k}"
        code, _, err = run_cli(capsys, "run", ar, *given, "--out", out, "--align-method",
                               "lexical")  # fmt: skip
        assert code == 2 and f"{en} has 3 " in err and note in err, err
        assert not out.exists()
    gold, pred = tmp_path / "gold.ph", tmp_path / "pred.ph"
    gold.write_text("0-0\n1-1\n")
    pred.write_text("0-0\r\n1-1\r0-0\r\n")  # CRLF line ends are one line end each
    code, _, err = run_cli(capsys, "eval-links", "--gold", gold, "--pred", pred)
    assert code == 2 and f"the gold file {gold} has 2 lines but the predicted file" in err
    assert f"({pred} has 1 lone carriage return (CR)" in err and f"{gold} has 1 lone" not in err
    pred.write_text("0-0\r\n1-1\r\n")
    assert run_cli(capsys, "eval-links", "--gold", gold, "--pred", pred)[0] == 0
    # compare names a hypothesis file's CRs, against a reference or another system
    other = tmp_path / "b.en"
    other.write_text("The minister said.\nThe president arrived.\n", encoding="utf-8")
    for args in (["--ref", other], [other, "--ref", other]):
        code, _, err = run_cli(capsys, "compare", en, *args)
        assert code == 2 and note in err, err


def test_a_command_that_prints_its_work_says_when_its_output_is_closed(tmp_path):
    """`arabic-align segment FILE >&-` ended in a traceback, and score, check and eval-links
    printed into nothing and exited 0."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    gold = tmp_path / "gold.ph"
    gold.write_text("0-0\n")
    commands = [
        ["segment", str(ARTICLE)],
        ["score", "--hyp", str(REFERENCE), "--ref", str(REFERENCE)],
        ["eval-links", "--gold", str(gold), "--pred", str(gold)],
    ]
    for argv in commands:
        code = f"from align.cli import entry\nimport sys\nsys.argv = {['x', *argv]!r}\nentry()\n"
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE,
                              text=True, preexec_fn=lambda: os.close(1), timeout=300)  # fmt: skip
        assert done.returncode == 2, (argv, done.stderr)
        assert done.stderr == (
            "arabic-align: error: standard output is closed, and it is where this command "
            "writes what it finds; redirect it to a file\n"
        )


def test_run_refuses_an_article_and_a_translation_given_the_other_way_round(tmp_path, capsys):
    """English as the article and Arabic as --hyp: one sentence, nothing written."""
    ar = tmp_path / "a.ar"
    ar.write_text("قال الوزير.\nوصل الرئيس.\n", encoding="utf-8")
    en = tmp_path / "a.en"
    en.write_text("The minister said.\nThe president arrived.\n", encoding="utf-8")
    out = tmp_path / "run"
    code, _, err = run_cli(capsys, "run", en, "--hyp", ar, "--out", out)
    assert code == 2 and "look swapped; give the Arabic article first" in err and "--hyp" in err
    assert_one_sentence(err)
    assert not out.exists()
    code, _, err = run_cli(capsys, "run", ar, "--hyp", en, "--out", out, "--no-checks",
                           "--align-method", "lexical")  # fmt: skip
    assert code == 0, err


def test_check_on_a_batch_folder_points_at_its_runs(tmp_path, capsys):
    """A batch's top folder is said to be one, with where its runs are; not an unfinished run."""
    (tmp_path / "summary.jsonl").write_text("", encoding="utf-8")
    code, _, err = run_cli(capsys, "check", tmp_path)
    assert code == 2 and "is a batch's folder, not a run directory" in err
    assert_one_sentence(err)
    code, _, err = run_cli(capsys, "check", tmp_path / "sub")
    assert code == 2 and "batch's folder" not in err


def test_a_long_line_is_quoted_cut(tmp_path, capsys):
    """An error quoting a user's line, id or token cuts it: a 20,000-character dictionary
    line is quoted in 80 characters."""
    from align.errors import clipped

    assert clipped("abc") == "'abc'"
    cut = clipped("word " * 4000)
    assert len(cut) == 80 and cut.startswith("'word word") and cut.endswith("…'")
    ar = tmp_path / "a.ar"
    ar.write_text("قال الوزير.\n", encoding="utf-8")
    en = tmp_path / "a.en"
    en.write_text("The minister said.\n", encoding="utf-8")
    dictionary = tmp_path / "d.tsv"
    dictionary.write_text("word " * 4000 + "\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "links", "--src", ar, "--tgt", en, "--out", tmp_path / "x",
                           "--method", "lexical", "--dictionary", dictionary)  # fmt: skip
    assert code == 2 and "a dictionary line is one Arabic word" in err and len(err) < 300
    assert_one_sentence(err)


def test_links_refuses_files_given_the_other_way_round(tmp_path, capsys, tiny_model):
    """English as --src (or first in --train) is said in one sentence before any work; the
    attention method, which splits the text its own way, refuses --pretokenized; the
    training files are checked before the model loads."""
    ar = tmp_path / "a.ar"
    ar.write_text("قال الوزير.\nوصل الرئيس.\n", encoding="utf-8")
    en = tmp_path / "a.en"
    en.write_text("The minister said.\nThe president arrived.\n", encoding="utf-8")
    out = tmp_path / "x.ph"
    code, _, err = run_cli(capsys, "links", "--src", en, "--tgt", ar, "--out", out,
                           "--method", "lexical", "--no-background")  # fmt: skip
    assert code == 2 and "the files look swapped; give the Arabic as --src" in err
    assert_one_sentence(err)
    for method in ("statistical", "hybrid"):
        code, _, err = run_cli(capsys, "links", "--src", ar, "--tgt", en, "--out", out,
                               "--method", method, "--train", en, ar)  # fmt: skip
        assert code == 2 and "look swapped; give the Arabic file first" in err, err
    code, _, err = run_cli(capsys, "links", "--src", ar, "--tgt", en, "--out", out,
                           "--method", "hybrid", "--model", tiny_model, "--train", ar,
                           tmp_path / "missing.en")  # fmt: skip
    assert code == 2 and "missing.en" in err and "fixture model" not in err
    code, _, err = run_cli(capsys, "links", "--src", ar, "--tgt", en, "--out", out,
                           "--method", "attention", "--model", tiny_model,
                           "--pretokenized")  # fmt: skip
    assert code == 2 and "--pretokenized" in err and "attention method" in err
    assert not out.exists()
    # the right way round, the counts are said in the singular where they are one
    one_ar, one_en = tmp_path / "one.ar", tmp_path / "one.en"
    one_ar.write_text("قال الوزير.\n", encoding="utf-8")
    one_en.write_text("The minister said.\n", encoding="utf-8")
    code, said, _ = run_cli(capsys, "links", "--src", one_ar, "--tgt", one_en, "--out", out,
                            "--method", "lexical", "--no-background")  # fmt: skip
    assert code == 0 and re.search(r": \d+ links? over 1 pair \(lexical\)", said), said


def test_a_refused_standard_output_is_named(tmp_path):
    """The work written, a full standard output (/dev/full) is said to be that, not a
    refusal of the file just written."""
    from tests.conftest import ROOT

    ar = tmp_path / "a.ar"
    ar.write_text("قال الوزير.\n", encoding="utf-8")
    en = tmp_path / "a.en"
    en.write_text("The minister said.\n", encoding="utf-8")
    out = tmp_path / "x.ph"
    argv = ["x", "links", "--src", str(ar), "--tgt", str(en), "--out", str(out),
            "--method", "lexical", "--no-background"]  # fmt: skip
    code = f"from align.cli import entry\nimport sys\nsys.argv = {argv!r}\nentry()\n"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, stdout=full, stderr=subprocess.PIPE,
            text=True, timeout=300, env={**os.environ, "ARABIC_ALIGN_CACHE": str(tmp_path / "c")},
        )  # fmt: skip
    assert done.returncode == 2 and out.read_text() != ""
    assert "the system refused (standard output): No space left on device" in done.stderr


def test_run_with_a_translation_given_says_what_it_did(tmp_path, capsys, tiny_model):
    """One segment is "1 segment"; a fixture that only lends its attention is said to be
    that, not to write gibberish; a reference line too long to score points at the
    document layout rather than at splitting one line; an input that is the very run file
    it would be replaced by is named once."""
    article = tmp_path / "a.txt"
    article.write_text("قال الوزير إن الاجتماع انتهى.\n", encoding="utf-8")
    hyp = tmp_path / "h.txt"
    hyp.write_text("The minister said the meeting ended.\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "run", article, "--hyp", hyp, "--model", tiny_model,
                             "--out", tmp_path / "r1")  # fmt: skip
    assert code == 0 and "1 segment given (1 in the article)" in out
    assert "its attention, and the links it votes for, mean nothing" in err
    assert "gibberish" not in err
    long_ref = tmp_path / "ref.txt"
    long_ref.write_text(" ".join(["word"] * 600) + "\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "run", article, "--hyp", hyp, "--ref", long_ref,
                           "--align-method", "lexical", "--out", tmp_path / "r2")  # fmt: skip
    assert code == 2 and "--ref-layout document" in err and "split it into" not in err
    assert_one_sentence(err)
    run = tmp_path / "r3"
    run.mkdir()
    inside = run / "hyp.txt"
    inside.write_text("The minister said the meeting ended.\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "run", article, "--hyp", inside, "--align-method",
                           "lexical", "--out", run, "--force")  # fmt: skip
    assert code == 2 and f"the translation file {inside} is a file the run would replace" in err


def test_links_says_what_is_wrong_with_its_files_before_reading_the_dictionary(
    tmp_path, capsys, monkeypatch
):
    """The files' mistakes come before the dictionary is read (seconds on a fresh cache):
    with no dictionary at all, unequal files are still what is said; and a written output
    keeps the permissions its user gave it."""
    import stat

    from align.links.background import DICT_ENV

    ar, en = tmp_path / "a.ar", tmp_path / "a.en"
    ar.write_text("قال الوزير.\nوصل الرئيس.\n", encoding="utf-8")
    en.write_text("The minister said.\n", encoding="utf-8")
    monkeypatch.setenv(DICT_ENV, str(tmp_path / "no-dictionary"))
    out = tmp_path / "x.ph"
    code, _, err = run_cli(capsys, "links", "--src", ar, "--tgt", en, "--out", out)
    assert code == 2 and "the files must be line-parallel" in err and "dictionary" not in err
    en.write_text("The minister said.\nThe president arrived.\n", encoding="utf-8")
    out.write_text("old\n")
    out.chmod(0o600)
    code, _, _ = run_cli(capsys, "links", "--src", ar, "--tgt", en, "--out", out,
                         "--method", "lexical", "--no-background")  # fmt: skip
    assert code == 0 and out.read_text() != "old\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_translation_in_paragraphs_given_line_by_line_is_pointed_at_its_layout(tmp_path, capsys):
    article, hyp = tmp_path / "p.ar", tmp_path / "p.en"
    article.write_text("قال الوزير.\nوصل الرئيس.\n", encoding="utf-8")
    hyp.write_text("The minister said.\n\nThe president arrived.\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "run", article, "--hyp", hyp, "--out", tmp_path / "r",
                           "--align-method", "lexical", "--no-background")  # fmt: skip
    assert code == 2 and "its blank lines count as lines" in err
    assert "--hyp-layout document" in err
    assert_one_sentence(err)
    hyp.write_text("The minister said.\nThe president arrived.\nAnd more.\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "run", article, "--hyp", hyp, "--out", tmp_path / "r",
                           "--align-method", "lexical", "--no-background")  # fmt: skip
    assert code == 2 and "blank lines" not in err
