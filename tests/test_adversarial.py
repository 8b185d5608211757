"""A careless or hostile user, command by command: nothing outside --out is touched, nothing
already written is lost, no command writes over its inputs, every bad input is one sentence
and exit 2, long inputs are refused with the limit named, and the encoding advice works when
it is run."""

from __future__ import annotations

import errno
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from align.cli import main
from align.links import statistical
from align.records import MANIFEST
from align.run import is_complete
from align.settings import AlignmentSettings
from tests.conftest import ROOT, SEED
from tests.faults import listing, refuse_writes
from tests.test_batch import BODY, batch_args, make_articles
from tests.test_review_state import make_run

ARTICLE = SEED / "article.ar.txt"
REFERENCE = SEED / "reference.en.txt"
AR = "قال المتحدث باسم مجلس الأمن إن الهجوم وقع في موسكو يوم الجمعة، وأضاف أن التحقيق مستمر.\n"


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_sentence(code: int, err: str, *words: str) -> None:
    """Exit 2 and exactly one error line, naming ``words``; never a traceback."""
    lines = [x for x in err.splitlines() if "error:" in x]
    assert code == 2, err
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for w in words:
        assert w in lines[0], lines[0]


def fixture_run(model, out: Path, *extra) -> Path:
    code = main(["run", str(ARTICLE), "--ref", str(REFERENCE), "--model", str(model), "--out",
                 str(out), "--max-new-tokens", "4", "--beams", "1", "--align-method", "lexical",
                 "--no-progress", *map(str, extra)])  # fmt: skip
    assert code == 0
    return out


@pytest.fixture(scope="module")
def seed_run(tiny_model, tmp_path_factory) -> Path:
    return fixture_run(tiny_model, tmp_path_factory.mktemp("adv") / "run")


# -- data lost or touched outside --out ----------------------------------------------------


def _edit_batch_json(out: Path, articles=None, settings=None) -> None:
    state = json.loads((out / "batch.json").read_text())
    if articles is not None:
        state["articles"] = articles
    if settings is not None:
        state["settings"].update(settings)
    (out / "batch.json").write_text(json.dumps(state))


def test_force_never_removes_what_batch_json_names_outside_out(tiny_model, tmp_path, capsys):
    manifest = make_articles(tmp_path / "in", n=2)
    out = tmp_path / "deep" / "er" / "out"
    assert cli(capsys, *batch_args(manifest, out, tiny_model))[0] == 0
    victims = [tmp_path / "victimdir", tmp_path / "absolute"]
    for v in victims:
        v.mkdir()
        (v / "keep.txt").write_text("mine")
        (v / MANIFEST).write_text("{}")  # looks like a run to a careless rule
    # A run folder that is a symlink to a folder outside --out, holding a real run's files.
    outside_run = tmp_path / "linked"
    fixture_run(tiny_model, outside_run)
    (out / "linkrun").symlink_to(outside_run)
    before = listing(outside_run)
    _edit_batch_json(
        out,
        articles=["art0", "../../../victimdir", str(victims[1]), "linkrun", "..", "", 5, None],
        settings={"num_beams": 3},
    )
    code, _, err = cli(capsys, *batch_args(manifest, out, tiny_model, "--force"))
    assert code == 0, err
    for v in victims:
        assert (v / "keep.txt").read_text() == "mine" and (v / MANIFEST).exists()
    assert listing(outside_run) == before
    assert (out / "linkrun").is_symlink()
    assert "not provably its runs" in err


def test_force_never_removes_review_work(tiny_model, tmp_path, capsys):
    manifest = make_articles(tmp_path / "in", n=2)
    out = tmp_path / "out"
    assert cli(capsys, *batch_args(manifest, out, tiny_model))[0] == 0
    (out / "art1" / "review.json").write_text('{"schema": 1, "segments": {}}')
    (out / "art1" / "review.journal.jsonl").write_text("")
    before = listing(out)
    code, _, err = cli(capsys, *batch_args(manifest, out, tiny_model, "--force", "--beams", "1"))
    one_sentence(code, err, "review work", "review.json", "never replaced or removed")
    assert listing(out) == before  # nothing at all was removed: the check comes first
    # The same for a single run: `run --force` refuses a reviewed run directory.
    code, _, err = cli(capsys, "run", ARTICLE, "--model", tiny_model, "--out", out / "art1",
                       "--force")  # fmt: skip
    one_sentence(code, err, "review work")
    assert (out / "art1" / "review.json").exists()


@pytest.mark.parametrize("damage", ["unreadable", "edited"])
def test_runs_made_with_other_settings_are_never_kept_as_complete(
    damage, tiny_model, tmp_path, capsys
):
    manifest = make_articles(tmp_path / "in", n=2)
    out = tmp_path / "out"
    args = batch_args(manifest, out, tiny_model)
    args[args.index("--max-new-tokens") + 1] = "8"
    assert cli(capsys, *args)[0] == 0
    if damage == "unreadable":
        (out / "batch.json").write_text("{not json")
    else:  # batch.json claims the new settings; the runs were made with the old
        _edit_batch_json(out, settings={"max_new_tokens": 9})
    args[args.index("--max-new-tokens") + 1] = "9"
    if damage == "edited":
        code, _, err = cli(capsys, *args)
        one_sentence(code, err, "other settings", "--force")
    code, _, err = cli(capsys, *args, "--force")
    assert code == 0, err
    for aid in ("art0", "art1"):
        manifest_of = json.loads((out / aid / MANIFEST).read_text())
        assert manifest_of["batch_settings"]["max_new_tokens"] == 9
        assert manifest_of["translator"]["decoding"]["max_new_tokens"] == 9
    assert "already complete" not in err


def test_report_never_writes_over_a_run_file(seed_run, tmp_path, capsys):
    for target in (seed_run / "segments.jsonl", seed_run / MANIFEST, seed_run / "hyp.txt"):
        before = target.read_bytes()
        code, _, err = cli(capsys, "report", seed_run, "-o", target)
        one_sentence(code, err, "run directory")
        assert target.read_bytes() == before
    # Through a symlink too.
    link = tmp_path / "innocent.html"
    link.symlink_to(seed_run / "scores.json")
    code, _, err = cli(capsys, "report", seed_run, "-o", link)
    one_sentence(code, err)
    # A new file beside the run's files is fine.
    assert cli(capsys, "report", seed_run, "-o", seed_run / "report.html")[0] == 0


def test_no_command_writes_over_its_inputs(tmp_path, capsys):
    src, tgt = tmp_path / "a.ar", tmp_path / "a.en"
    src.write_text("قال الوزير.\n", encoding="utf-8")
    tgt.write_text("The minister said.\n", encoding="utf-8")
    keep = {p: p.read_bytes() for p in (src, tgt)}
    base = ["links", "--src", src, "--tgt", tgt, "--method", "lexical"]
    for extra in (["--out", src], ["--out", tgt], ["--out", tmp_path / "o", "--json", tgt]):
        code, _, err = cli(capsys, *base, *extra)
        one_sentence(code, err, "never writes over its own input")
    # two outputs of one command in one file: not an input, said as outputs
    code, _, err = cli(capsys, *base, "--out", tmp_path / "o", "--json", tmp_path / "o")
    one_sentence(code, err, f"--json {tmp_path / 'o'} is also the --out file")
    link = tmp_path / "alias.pharaoh"
    link.symlink_to(src)
    code, _, err = cli(capsys, *base, "--out", link)
    one_sentence(code, err, "Arabic file")
    hard = tmp_path / "hard.pharaoh"
    os.link(src, hard)
    code, _, err = cli(capsys, *base, "--out", hard)
    one_sentence(code, err, "Arabic file")
    # score --write-aligned whose files would be the hypothesis file
    hyp = tmp_path / "sys.hyp.txt"
    hyp.write_text("The minister said.\n", encoding="utf-8")
    keep[hyp] = hyp.read_bytes()
    code, _, err = cli(capsys, "score", "--hyp", hyp, "--ref", tgt, "--ref-layout", "document",
                       "--write-aligned", tmp_path / "sys")  # fmt: skip
    one_sentence(code, err, "hypothesis file")
    for p, data in keep.items():
        assert p.read_bytes() == data
    # `run` whose article is a file the run directory would replace
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "hyp.txt").write_text(AR, encoding="utf-8")
    code, _, err = cli(capsys, "run", run_dir / "hyp.txt", "--model", "/no/model", "--out",
                       run_dir, "--force")  # fmt: skip
    one_sentence(code, err, "would replace")
    assert (run_dir / "hyp.txt").read_text(encoding="utf-8") == AR
    # an output named as the mark of a run stopped while writing: --force would then take
    # the folder's hyp.txt and ref.txt for that run's and replace them
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "ref.txt").write_text("my reference\n", encoding="utf-8")
    mark = mine / ".arabic-align-swapping"
    for args in ([*base, "--out", mark], [*base, "--out", tmp_path / "o.ph", "--json", mark]):
        code, _, err = cli(capsys, *args)
        one_sentence(code, err, "has the name of the mark a run leaves")
    assert sorted(p.name for p in mine.iterdir()) == ["ref.txt"]


def test_batch_inputs_inside_the_output_are_refused(tiny_model, tmp_path, capsys):
    out = tmp_path / "out"
    (out / "a1").mkdir(parents=True)
    article = out / "a1" / "hyp.txt"
    article.write_text(AR, encoding="utf-8")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"id": "a1", "path": str(article)}) + "\n")
    code, _, err = cli(capsys, "batch", manifest, "--out", out, "--model", tiny_model)
    one_sentence(code, err, "a file the batch writes")
    assert article.read_text(encoding="utf-8") == AR


# -- one sentence instead of a traceback ----------------------------------------------------


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_a_vocabulary_smaller_than_the_model_is_one_sentence(engine, tiny_model, tmp_path, capsys):
    """A vocab.json cut to 20 tokens: the transformers engine ended in an IndexError when it
    read the model's output, and aligned a given translation with the wrong pieces."""
    import shutil

    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    vocab = json.loads((model / "vocab.json").read_text(encoding="utf-8"))
    (model / "vocab.json").write_text(json.dumps(dict(list(vocab.items())[:20])))
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("The minister said.\n", encoding="utf-8")
    article = tmp_path / "a.ar"
    article.write_text("قال الوزير.\n", encoding="utf-8")
    translate = ["--engine", engine, "--max-new-tokens", "4"]
    for given in (translate, ["--hyp", hyp]):  # (a given one: the model's attention aligns)
        out = tmp_path / f"run{len(given)}"
        code, _, err = cli(capsys, "run", article, *given, "--model", model, "--out", out)
        one_sentence(code, err, f"the vocabulary files in {model} hold 21 tokens, fewer than ")
        assert not out.exists()


@pytest.mark.parametrize("damage", ["d_model", "vocab", "tokenizer_config", "bin", "type"])
def test_a_damaged_model_folder_names_what_is_wrong(damage, tiny_model, tmp_path, capsys):
    """Each said as the loader's exception (a RuntimeError pointing at a report never shown,
    a JSONDecodeError or KeyError naming no file, "a None model")."""
    import shutil

    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    said = {
        "d_model": f"the weights in {model} do not have the sizes its config.json gives",
        "vocab": f"{model / 'vocab.json'} is not readable JSON",
        "tokenizer_config": f"{model / 'tokenizer_config.json'} is not readable JSON",
        "bin": f"{model / 'pytorch_model.bin'} cannot be read as PyTorch weights",
        "type": f"{model / 'config.json'} names no model_type",
    }[damage]
    if damage in ("d_model", "type"):
        config.update(d_model=64) if damage == "d_model" else config.pop("model_type")
        (model / "config.json").write_text(json.dumps(config))
    elif damage == "bin":
        (model / "model.safetensors").unlink()
        (model / "pytorch_model.bin").write_text("hello\n")
    else:
        name = f"{damage}.json"
        (model / name).write_bytes((model / name).read_bytes()[: 1000 if damage == "vocab" else 1])
    out = tmp_path / "run"
    code, _, err = cli(capsys, "run", ARTICLE, "--model", model, "--engine", "transformers",
                       "--max-new-tokens", "4", "--out", out)  # fmt: skip
    one_sentence(code, err, said)
    assert not out.exists()


@pytest.mark.parametrize("config", ["[1, 2]", '"marian"', "5", "null"])
def test_model_config_that_is_not_an_object(config, tiny_model, tmp_path, capsys):
    import shutil

    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    (model / "config.json").write_text(config)
    src = tmp_path / "a.ar"
    src.write_text("قال.\n", encoding="utf-8")
    commands = [
        ["run", ARTICLE, "--model", model, "--out", tmp_path / "r" / "deep"],
        ["links", "--src", src, "--tgt", src, "--out", tmp_path / "o", "--method", "attention",
         "--model", model],
        ["batch", make_articles(tmp_path / "in", n=1), "--out", tmp_path / "b" / "deep",
         "--model", model],
    ]  # fmt: skip
    for argv in commands:
        code, _, err = cli(capsys, *argv)
        one_sentence(code, err, "config.json")
    # a job error leaves no folder behind, nor the folders made to hold it
    assert not (tmp_path / "b").exists() and not (tmp_path / "r").exists()


def test_run_refuses_an_odd_run_file_before_translating(tiny_model, tmp_path, capsys):
    out = fixture_run(tiny_model, tmp_path / "run")
    (out / "hyp.txt").unlink()
    (out / "hyp.txt").mkdir()
    # Refused before the model is loaded: a missing model would be the error otherwise.
    code, _, err = cli(capsys, "run", ARTICLE, "--model", tmp_path / "no-model", "--out", out,
                       "--force")  # fmt: skip
    one_sentence(code, err, "hyp.txt")
    assert (out / "hyp.txt").is_dir()


def test_run_onto_a_full_disk(tiny_model, tmp_path, capsys, monkeypatch):
    out = tmp_path / "run"
    refuse_writes(monkeypatch, out, errno.ENOSPC, after=2)  # two files fit, then it is full
    code, _, err = cli(capsys, "run", ARTICLE, "--ref", REFERENCE, "--model", tiny_model,
                       "--out", out, "--max-new-tokens", "4", "--beams", "1",
                       "--align-method", "lexical", "--no-progress")  # fmt: skip
    monkeypatch.undo()
    one_sentence(code, err, "No space left on device", "is as it was")
    assert not out.exists()  # the folder the run made is taken away again


def test_a_rewrite_onto_a_full_disk_keeps_the_run_that_was_there(tiny_model, tmp_path, capsys,
                                                                 monkeypatch):  # fmt: skip
    """`run --force` over a complete run removed the old run's files before writing the
    new ones: a full disk then left neither."""
    out = tmp_path / "run"
    argv = ["run", ARTICLE, "--ref", REFERENCE, "--model", tiny_model, "--out", out,
            "--max-new-tokens", "4", "--beams", "1", "--align-method", "lexical",
            "--no-progress"]  # fmt: skip
    assert cli(capsys, *argv)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    refuse_writes(monkeypatch, out, errno.ENOSPC, after=2)
    code, _, err = cli(capsys, *argv[:2], *argv[4:], "--force")  # no --ref this time
    monkeypatch.undo()
    one_sentence(code, err, "No space left on device", "is as it was")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert is_complete(out)


PLACES = ["file", "under_file", "read_only", "full"]


def unwritable(place: str, tmp_path: Path, monkeypatch) -> Path:
    """A folder path that cannot be written: a file is there, a file is above it, it is on
    a read-only mount (so it cannot even be made), or on a full disk (two files fit)."""
    if place == "file":
        (tmp_path / "dest").write_text("x")
        return tmp_path / "dest"
    if place == "under_file":
        (tmp_path / "f").write_text("x")
        return tmp_path / "f" / "dest"
    if place == "read_only":
        (tmp_path / "ro").mkdir()
        refuse_writes(monkeypatch, tmp_path / "ro", errno.EROFS)
        return tmp_path / "ro" / "dest"
    (tmp_path / "dest").mkdir()
    refuse_writes(monkeypatch, tmp_path / "dest", errno.ENOSPC, after=2)
    return tmp_path / "dest"


@pytest.mark.parametrize("place", PLACES)
def test_batch_out_that_cannot_be_written(place, tiny_model, tmp_path, capsys, monkeypatch):
    manifest = make_articles(tmp_path / "in", n=1)
    out = unwritable(place, tmp_path, monkeypatch)
    code, _, err = cli(capsys, *batch_args(manifest, out, tiny_model))
    monkeypatch.undo()
    one_sentence(code, err)
    if place == "full":  # batch.json fitted; the job stops at the first run that does not
        assert "No space left on device" in err
        assert not list(out.glob("*/manifest.json"))
    else:
        assert not out.exists() or not (out / "batch.json").exists()


def _review_run(tmp_path) -> Path:
    return make_run(tmp_path / "run")


@pytest.mark.parametrize("place", PLACES)
def test_review_export_that_cannot_be_written(place, tmp_path, capsys, monkeypatch):
    run = _review_run(tmp_path)
    dest = unwritable(place, tmp_path, monkeypatch)  # a full disk takes two of the five
    before = listing(run)
    code, _, err = cli(capsys, "review", run, "--export", dest)
    monkeypatch.undo()
    one_sentence(code, err)
    if dest.is_dir():
        assert [p.name for p in dest.iterdir()] == []
    assert listing(run) == before


def test_review_export_onto_a_full_disk_leaves_no_folder_it_made(tmp_path, capsys, monkeypatch):
    """The folders an export made for itself (and their parents it made) go again when its
    files cannot be written; a folder that was there stays."""
    run = _review_run(tmp_path)
    (tmp_path / "disk").mkdir()
    refuse_writes(monkeypatch, tmp_path / "disk", errno.ENOSPC, after=2)
    code, _, err = cli(capsys, "review", run, "--export", tmp_path / "disk" / "new" / "x")
    monkeypatch.undo()
    one_sentence(code, err, "No space left on device")
    assert list((tmp_path / "disk").iterdir()) == []
    # a folder that was there, reached through a folder the export makes, stays
    (tmp_path / "disk" / "x").mkdir()
    refuse_writes(monkeypatch, tmp_path / "disk", errno.ENOSPC, after=2)
    code, _, err = cli(capsys, "review", run, "--export", tmp_path / "disk" / "new" / ".." / "x")
    monkeypatch.undo()
    one_sentence(code, err, "No space left on device")
    assert [p.name for p in (tmp_path / "disk").iterdir()] == ["x"]


def test_review_export_of_a_read_only_run_writes_nothing_there(tmp_path, capsys, monkeypatch):
    run = _review_run(tmp_path)
    (run / "review.journal.jsonl").write_text(
        json.dumps({"t": "change", "kind": "edit", "seg": 1, "changes": [
            {"what": "status", "before": "todo", "after": "accepted"}]}) + "\n"
    )  # fmt: skip
    before = listing(run)
    refuse_writes(monkeypatch, run, errno.EROFS)
    code, out, err = cli(capsys, "review", run, "--export", tmp_path / "export")
    monkeypatch.undo()
    assert code == 0, err
    assert listing(run) == before
    tsv = (tmp_path / "export" / "review.tsv").read_text()
    assert "\taccepted\t" in tsv  # the journal was read, not compacted


BAD_SNAPSHOTS = {
    "list": [1, 2],
    "null": None,
    "no_status": {"schema": 1, "segments": {"1": {"note": "", "links": []}}},
    "two_element_link": {"schema": 1, "segments": {"1": {"status": "todo", "note": "",
                                                         "links": [[0, 1]]}}},
    "out_of_range": {"schema": 1, "segments": {"1": {"status": "todo", "note": "",
                                                     "links": [[0, 999, True, 1.0]]}}},
    "note_number": {"schema": 1, "segments": {"1": {"status": "todo", "note": 5, "links": []}}},
    "note_lone_surrogate": {"schema": 2, "segments": {"1": {"status": "todo", "note": "\udfff",
                                                            "links": []}}},
    "segments_list": {"schema": 1, "segments": [1]},
    "position": {"schema": 1, "position": [3], "segments": {}},
    # numbers past what int() and float() read: refused, not a crash
    "huge_segment_key": {"schema": 2, "segments": {"1" * 5000: {"status": "todo", "note": "",
                                                                "links": []}}},
    "huge_verdict_key": {"schema": 2, "segments": {"1": {
        "status": "todo", "note": "", "links": [], "verdicts": {"9" * 5000: "right"}}}},
    "huge_confidence": {"schema": 2, "segments": {"1": {"status": "todo", "note": "",
                                                        "links": [[0, 0, True, 10**400]]}}},
    "confidence_above_one": {"schema": 2, "segments": {"1": {"status": "todo", "note": "",
                                                             "links": [[0, 0, True, 1.5]]}}},
}  # fmt: skip


@pytest.mark.parametrize("case", [*BAD_SNAPSHOTS, "directory"])
def test_review_snapshot_of_the_wrong_shape(case, tmp_path, capsys):
    run = _review_run(tmp_path)
    if case == "directory":
        (run / "review.json").mkdir()
    else:
        (run / "review.json").write_text(json.dumps(BAD_SNAPSHOTS[case]))
    for extra in ([], ["--export", tmp_path / "e"]):
        code, _, err = cli(capsys, "review", run, *extra)
        one_sentence(code, err, "review.json")


BAD_ENTRIES = {
    "no_changes": {"t": "change", "kind": "edit", "seg": 1},
    "link_without_tgt": {"t": "change", "seg": 1, "changes": [
        {"what": "link", "src": 0, "before": None, "after": {"sure": True, "confidence": 1}}]},
    "list": [1, 2],
    "position_without_segment": {"t": "position", "cursor": ["src", 0]},
    "link_out_of_range": {"t": "change", "seg": 1, "changes": [
        {"what": "link", "src": 5000, "tgt": -7, "before": None,
         "after": {"sure": True, "confidence": 1}}]},
    "status_unknown": {"t": "change", "seg": 1, "changes": [
        {"what": "status", "before": "todo", "after": "done"}]},
    "kind_unknown": {"t": "teleport", "seg": 1},
    "confidence_huge": {"t": "change", "seg": 1, "changes": [
        {"what": "link", "src": 0, "tgt": 0, "before": None,
         "after": {"sure": True, "confidence": 10**401}}]},
    "confidence_nan": {"t": "change", "seg": 1, "changes": [
        {"what": "link", "src": 0, "tgt": 0, "before": None,
         "after": {"sure": True, "confidence": float("nan")}}]},
    # a JSON escape can spell a lone surrogate, which no export can write back
    "note_lone_surrogate": {"t": "change", "seg": 1, "changes": [
        {"what": "note", "before": "", "after": "a\ud800b"}]},
}  # fmt: skip


@pytest.mark.parametrize("case", [*BAD_ENTRIES, "directory"])
def test_review_journal_of_the_wrong_shape(case, tmp_path, capsys):
    run = _review_run(tmp_path)
    journal = run / "review.journal.jsonl"
    if case == "directory":
        journal.mkdir()
    else:
        good = {"t": "change", "kind": "edit", "seg": 2, "changes": [
            {"what": "note", "before": "", "after": "kept"}]}  # fmt: skip
        journal.write_text(json.dumps(good) + "\n" + json.dumps(BAD_ENTRIES[case]) + "\n")
    before = listing(run)
    code, _, err = cli(capsys, "review", run, "--export", tmp_path / "e")
    one_sentence(code, err, "review.journal.jsonl")
    if case != "directory":
        assert "line 2" in err
    assert listing(run) == before  # the journal is kept for the person to fix


def test_compare_bootstrap_is_bounded(tmp_path, capsys):
    hyp = tmp_path / "h.txt"
    hyp.write_text("a b c\n" * 12)
    for option, value in (("--bootstrap", "100000000"), ("--randomization", "10000000")):
        code, _, err = cli(capsys, "compare", hyp, hyp, "--ref", hyp, option, value)
        one_sentence(code, err, "from 1 to", value)


@pytest.mark.parametrize(
    "argv",
    [
        ["models", "fixture", "x", "--seed", "99999999999999999999999"],
        ["models", "fixture", "x", "--seed", "-1"],
        ["run", "a", "--out", "o", "--beams", "0"],
        ["run", "a", "--out", "o", "--beams", "100000"],
        ["run", "a", "--out", "o", "--max-new-tokens", "-5"],
        ["run", "a", "--out", "o", "--intra-threads", "٣"],
        ["links", "--src", "a", "--tgt", "b", "--out", "c", "--runs", "100000"],
        ["batch", "a", "--out", "o", "--workers", "0"],
        ["batch", "a", "--out", "o", "--ray-timeout", "nan"],
        ["run", "a", "--out", "o", "--device", "tpu"],
        ["run", "a", "--out", "o", "--quantization", ""],
        ["review", "r", "--export", ""],
        ["score", "--hyp", "h", "--ref", "r", "--write-aligned", ""],
        ["segment", ""],
        ["nonsense"],
    ],
)
def test_option_values_out_of_range_are_one_line(argv, capsys):
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("arabic-align: error:") and "usage:" not in err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "fifo"])
def test_non_regular_files_are_refused(device, tmp_path, capsys):
    path = device
    if device == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)  # no writer: opening it for reading would block for ever
    for argv in (["segment", path], ["score", "--hyp", path, "--ref", path],
                 ["eval-links", "--gold", path, "--pred", path]):  # fmt: skip
        code, _, err = cli(capsys, *argv)
        one_sentence(code, err, "not a regular file")


def test_sparse_huge_file_is_refused_before_reading(tmp_path, capsys):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(300 * 1024 * 1024)  # sparse: no disk used, but read_bytes would allocate it
    code, _, err = cli(capsys, "segment", big)
    one_sentence(code, err, "256 MiB")


def test_ctrl_c_during_interpreter_shutdown_is_quiet(tmp_path):
    """After the work, Python's shutdown waits for non-daemon threads; a Ctrl-C there used
    to print a traceback from threading._shutdown and exit 0."""
    article = tmp_path / "a.txt"
    article.write_text(AR, encoding="utf-8")
    code = (
        "import sys, threading, time\n"
        "threading.Thread(target=time.sleep, args=(20,)).start()  # like a pool's worker\n"
        "from align.cli import entry\n"
        f"sys.argv = ['arabic-align', 'segment', {str(article)!r}]\n"
        "exit = sys.exit\n"
        "def exiting(code):  # main has returned: the program is exiting\n"
        "    print('exiting', file=sys.stderr, flush=True)\n"
        "    exit(code)\n"
        "sys.exit = exiting\n"
        "entry()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    said = [proc.stderr.readline()]
    while said[-1] not in ("exiting\n", ""):
        said.append(proc.stderr.readline())
    assert said[-1] == "exiting\n", said
    time.sleep(0.5)  # (into the wait for the thread)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert proc.returncode == 130
    assert "interrupted while exiting" in err


def _aligning(tmp_path: Path, out: Path, first: str = ""):
    """``links`` over FLORES in a process of its own (``first``: a line of Python run before
    it), its temporary folder in ``tmp_path/tmp``: the process once eflomal's temporary
    folder is there, and that folder's parent."""
    data = ROOT / "align" / "data" / "flores200-devtest"
    temp = tmp_path / "tmp"
    temp.mkdir()
    code = (
        f"import signal, sys\n{first}\nfrom align.cli import entry\n"
        f"sys.argv = ['arabic-align', 'links', '--src', {str(data / 'arb_Arab.devtest')!r},"
        f" '--tgt', {str(data / 'eng_Latn.devtest')!r}, '--out', {str(out)!r},"
        " '--method', 'statistical', '--no-background']\n"
        "entry()\n"
    )
    env = {**os.environ, "TMPDIR": str(temp)}
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while not _eflomal_folder(temp) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return proc, temp


def _eflomal_folder(temp: Path) -> bool:
    """Whether eflomal's temporary folder is in ``temp`` (where the imports' own look at the
    temporary folder writes and removes a file of another name first)."""
    return any(p.name.startswith("arabic-align-eflomal-") for p in temp.iterdir())


@pytest.mark.parametrize(
    ("signum", "said"), [(signal.SIGTERM, "terminated"), (signal.SIGHUP, "hung up")]
)
def test_sigterm_during_alignment_removes_the_temporary_folder(tmp_path, signum, said):
    """SIGTERM's and SIGHUP's default (a terminal closed, an SSH connection dropped) ended
    the process on the spot, leaving eflomal's temporary folder (outside the output)
    behind; they now end it the way Ctrl-C does, with the signal's status."""
    proc, temp = _aligning(tmp_path, tmp_path / "o")
    assert _eflomal_folder(temp), "eflomal's temporary folder never appeared"
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert proc.returncode == 128 + signum, err
    assert err.strip().endswith(f"{said}; what was complete is kept, nothing else is "
                                "marked complete")  # fmt: skip
    assert list(temp.iterdir()) == []
    assert not (tmp_path / "o").exists()


def test_an_interrupt_while_eflomal_starts_leaves_no_run_on_a_removed_folder(monkeypatch):
    """A Ctrl-C or SIGTERM that came while the thread pool was starting a worker left that
    worker out of the ones waited for: a run started on eflomal's temporary folder after it
    was removed, and the binary printed "text_read(): failed to open text file" after the
    program's last word."""
    start = threading.Thread.start
    runs: list[str] = []  # (list.append is atomic)

    def start_then_interrupt(thread):
        start(thread)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, while the pool starts its workers

    def run(workdir, *args, **kwargs):
        runs.append("started")
        time.sleep(0.2)
        runs.append("ended in its folder" if os.path.exists(workdir) else "ended, folder gone")
        return [], []

    monkeypatch.setattr(threading.Thread, "start", start_then_interrupt)
    monkeypatch.setattr(statistical, "_binary_run", run)
    with pytest.raises(KeyboardInterrupt):
        statistical._in_a_temporary_folder(["1 2\n"], ["1 2\n"], [], 4, 2, 3, 0.1, 1)
    when_it_ended = list(runs)
    time.sleep(0.5)  # a run left going would end meanwhile
    assert runs == when_it_ended
    assert runs.count("started") == runs.count("ended in its folder")


def test_an_interrupt_as_eflomal_s_folder_is_made_leaves_no_folder(monkeypatch, tmp_path):
    """A Ctrl-C or SIGTERM that came just as the temporary folder was made, before the
    object that removes it existed, left the folder behind (outside the output)."""
    mkdtemp = tempfile.mkdtemp
    made: list[str] = []

    def made_then_interrupted(*args, **kwargs):
        made.append(mkdtemp(*args, **kwargs))
        os.kill(os.getpid(), signal.SIGINT)
        return made[-1]

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(tempfile, "mkdtemp", made_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        statistical._in_a_temporary_folder(["1 2\n"], ["1 2\n"], [], 4, 2, 3, 0.1, 1)
    assert len(made) == 1
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_while_eflomal_s_folder_is_removed_leaves_none_of_it(monkeypatch, tmp_path):
    """The removal of the temporary folder is not tried again: a Ctrl-C or SIGTERM inside
    it (after the last run, or as the way out of an earlier one) left the rest behind."""
    unlink = os.unlink

    def unlink_then_interrupted(*args, **kwargs):
        unlink(*args, **kwargs)
        if not interrupted:
            interrupted.append(True)
            os.kill(os.getpid(), signal.SIGINT)

    interrupted: list[bool] = []
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(statistical, "_binary_run", lambda workdir, k, **kw: ([], []))
    monkeypatch.setattr(os, "unlink", unlink_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        statistical._in_a_temporary_folder(["1 2\n"], ["1 2\n"], [], 2, 2, 3, 0.1, 1)
    assert interrupted and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["run", "batch"])
def test_a_reader_of_the_output_that_goes_away_does_not_stop_the_work(
    tiny_model, tmp_path, command
):
    """`arabic-align batch … 2>&1 | head -1`: the pipe broke at the first message (the
    fixture model's warning) and the command stopped there with status 0, its runs half
    written or not at all."""
    out = tmp_path / "out"
    argv = [command, str(ARTICLE), "--ref", str(REFERENCE), "--out", str(out), "--model",
            str(tiny_model), "--max-new-tokens", "4", "--align-method", "lexical"]  # fmt: skip
    if command == "batch":
        folder = tmp_path / "in"
        folder.mkdir()
        shutil.copy(ARTICLE, folder / "a.ar.txt")
        argv[1:4] = [str(folder)]
    code = (
        "import sys\nfrom align.cli import entry\n"
        f"sys.argv = {['arabic-align', *argv]!r}\nentry()\n"
    )
    env = {**os.environ, "ARABIC_ALIGN_CACHE": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    proc.stdout.close()  # the reader is gone before the first line
    assert proc.wait(timeout=300) == 0
    assert is_complete(out if command == "run" else out / "a")
    if command == "batch":
        assert (out / "summary.jsonl").is_file()


def test_a_hangup_under_nohup_does_not_stop_the_work(tmp_path):
    """nohup ignores SIGHUP so that a job outlives its terminal; the handler that ends the
    program on SIGHUP must leave an ignored signal ignored."""
    out = tmp_path / "links.txt"
    proc, _ = _aligning(tmp_path, out, "signal.signal(signal.SIGHUP, signal.SIG_IGN)  # nohup")
    proc.send_signal(signal.SIGHUP)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1012


# -- no hangs: limits named in the sentence ---------------------------------------------------


def test_score_refuses_a_huge_line_quickly(tmp_path, capsys):
    line = " ".join(["كلمة"] * 180_000)  # about 1.8 MB on one line
    hyp, ref = tmp_path / "h.txt", tmp_path / "r.txt"
    hyp.write_text(line + "\n", encoding="utf-8")
    ref.write_text("a reference\n", encoding="utf-8")
    code, _, err = cli(capsys, "score", "--hyp", hyp, "--ref", ref)
    one_sentence(code, err, "line 1", "500 words")
    code, _, err = cli(capsys, "score", "--hyp", ref, "--ref", hyp, "--ref-layout", "document")
    one_sentence(code, err, "sentence 1", "500 words")


@pytest.mark.parametrize("words", [816, 200_000])
def test_links_refuses_a_line_over_the_limit(words, tmp_path, capsys):
    src, tgt = tmp_path / "a.ar", tmp_path / "a.en"
    src.write_text("قال الوزير.\n" + " ".join(["واشنطن", "كتاب"] * (words // 2)) + "\n",
                   encoding="utf-8")  # fmt: skip
    tgt.write_text("The minister said.\n" + " ".join(["Washington", "book"] * (words // 2))
                   + "\n", encoding="utf-8")  # fmt: skip
    code, _, err = cli(capsys, "links", "--src", src, "--tgt", tgt, "--out", tmp_path / "o",
                       "--method", "lexical")  # fmt: skip
    one_sentence(code, err, "line 2", "500 words")
    assert not (tmp_path / "o").exists()


def test_links_by_attention_refuses_a_line_longer_than_the_model_reads(
    tiny_model, tmp_path, capsys
):
    src, tgt = tmp_path / "a.ar", tmp_path / "a.en"
    src.write_text("قال الوزير.\n" + " ".join(["وكتابهم الكبير"] * 200) + "\n", encoding="utf-8")
    tgt.write_text("The minister said.\nbooks\n", encoding="utf-8")
    code, _, err = cli(capsys, "links", "--src", src, "--tgt", tgt, "--out", tmp_path / "o",
                       "--method", "attention", "--model", tiny_model)  # fmt: skip
    one_sentence(code, err, "line 2", "SentencePiece pieces", "511")
    assert not (tmp_path / "o").exists()


def test_a_run_keeps_going_past_a_segment_too_long_to_align(tiny_model, tmp_path):
    from align.pipeline import Pipeline

    article = tmp_path / "a.txt"
    # One short sentence, and one "sentence" of 600 words with no punctuation at all.
    article.write_text("قال الوزير إن الاجتماع انتهى.\n" + " ".join(["كتاب"] * 600) + "\n",
                       encoding="utf-8")  # fmt: skip
    notes = []
    pipeline = Pipeline(
        str(tiny_model),
        alignment=AlignmentSettings(method="lexical"),
        on_warning=notes.append,
        progress=False,
    )
    pipeline.settings = pipeline.settings.__class__(num_beams=1, max_new_tokens=4)
    result = pipeline.run(article, out=tmp_path / "run")
    long = [r for r in result.records if r["translated"] and len(r["source"]) > 1000]
    assert len(long) == 1
    assert long[0]["alignment"]["links"] == [] and long[0]["alignment"]["src_tokens"]
    assert any("not aligned" in n and "500 words" in n for n in notes)
    assert any("not aligned" in n for n in result.manifest["warnings"])


def test_a_segment_longer_than_the_model_reads_is_not_aligned_by_attention(tiny_model):
    from align.pipeline import Pipeline

    # 400 words, under the toolkit's 500-word limit, but more pieces than the model's 512
    # positions: the attention would see only the first ones and leave the rest unlinked.
    article = "قال الوزير إن الاجتماع انتهى.\n" + " ".join(["وكتابهم الكبير"] * 200) + "\n"
    notes = []
    pipeline = Pipeline(
        str(tiny_model),
        alignment=AlignmentSettings(method="attention"),
        on_warning=notes.append,
        progress=False,
    )
    result = pipeline.run(article, hyp=["The minister said the meeting ended.", "books " * 100])
    first, long = result.segments
    assert first.alignment.links and long.alignment.links == ()
    said = [n for n in notes if n.startswith("segment 1 ")]
    assert len(said) == 1 and "not aligned" in said[0] and "SentencePiece pieces" in said[0]
    assert said[0] in result.warnings
    assert not any(f.check in ("omission", "addition") for f in long.findings)


@pytest.mark.parametrize("method", ["statistical", "hybrid"])
def test_a_segment_with_more_units_than_eflomal_aligns_is_said(method, tmp_path, capsys):
    """114 words of five letters and four commas each: under the 500-word limit, but 1,027
    units, more than eflomal takes. The pair came out with no links and no word said."""
    from align.pipeline import Pipeline

    thick = " ".join(["ب،ت،ث،ج،ح"] * 114) + "."
    english = " ".join(["a,b,c,d,e"] * 114)
    notes = []
    pipeline = Pipeline(
        None,
        alignment=AlignmentSettings(method=method, background=False),
        on_warning=notes.append,
        progress=False,
    )
    result = pipeline.run(f"قال الوزير.\n{thick}\n", hyp=["The minister said.", english])
    first, long = result.segments
    assert first.alignment.links and long.alignment.links == ()
    said = [n for n in notes if n.startswith("segment 1 and its translation are not aligned")]
    assert len(said) == 1 and "1,027 units" in said[0] and "1,000 eflomal aligns" in said[0]
    assert not any(f.check in ("omission", "addition") for f in long.findings)
    # links says so too, and writes the pair's line of links empty
    src, tgt = tmp_path / "a.ar", tmp_path / "a.en"
    src.write_text(f"قال الوزير.\n{thick}\n", encoding="utf-8")
    tgt.write_text(f"The minister said.\n{english}\n", encoding="utf-8")
    code, _, err = cli(capsys, "links", "--src", src, "--tgt", tgt, "--out", tmp_path / "o",
                       "--method", method, "--no-background")  # fmt: skip
    assert code == 0 and "Traceback" not in err
    assert "line 2 is not aligned (an empty line of links)" in err and "1,027 units" in err
    lines = (tmp_path / "o").read_text(encoding="utf-8").split("\n")
    assert lines[0] and lines[1] == ""


def test_batch_ray_unreachable_address_fails_fast(tiny_model, tmp_path, capsys):
    import ray

    ray.shutdown()  # as in a fresh process: no cluster yet
    manifest = make_articles(tmp_path / "in", n=1)
    out = tmp_path / "out"
    code, _, err = cli(capsys, *batch_args(manifest, out, tiny_model), "--executor", "ray",
                       "--ray-address", "127.0.0.1:1", "--ray-timeout", "5")  # fmt: skip
    one_sentence(code, err, "127.0.0.1:1", "--ray-timeout")
    assert not out.exists()


def test_lexical_links_on_a_line_at_the_limit():
    """Exact matches are looked up by key, not compared pair by pair; a line at the limit
    still pairs repeated forms one to one."""
    from align.links.methods import make_aligner

    ar = " ".join(["قال", "كتاب", "٢٠٢٤", "،"] * 125)
    en = " ".join(["said", "book", "2024", ","] * 125)
    (a,) = make_aligner("lexical").align([(ar, en)])
    assert len(a.links) == 250  # every number and comma, one to one
    assert all(x.src % 4 == x.tgt % 4 for x in a.links)


# -- advice that is right ---------------------------------------------------------------------


def _encoded(tmp_path, case: str) -> tuple[Path, str]:
    text = AR * 3
    data = {
        "stray": text.encode()[:21] + b"\xff" + text.encode()[21:] + b"\x80\xfe",
        "surrogate": text.encode()[:30] + b"\xed\xa0\x80" + text.encode()[30:],
        "iso-8859-6": text.encode("iso-8859-6"),
        "cp1256": text.encode("cp1256"),
    }[case]
    path = tmp_path / f"article {case}.txt"  # a space: the advice must quote the name
    path.write_bytes(data)
    return path, text


@pytest.mark.parametrize(
    "case, words",
    [
        ("stray", ["UTF-8 except for 3 byte(s)", "offset(s) 21,", "iconv -f utf-8 -t utf-8 -c"]),
        ("surrogate", ["UTF-8 except for 3 byte(s)", "offset(s) 30, 31, 32"]),
        ("iso-8859-6", ["ISO-8859-6", "iconv -f iso-8859-6"]),
        ("cp1256", ["Windows-1256", "iconv -f cp1256"]),
    ],
)
def test_encoding_diagnosis_and_its_advice_run(case, words, tmp_path, capsys):
    path, text = _encoded(tmp_path, case)
    code, _, err = cli(capsys, "segment", path)
    one_sentence(code, err, *words)
    if case in ("stray", "surrogate"):
        assert "Windows-1256" not in err
    command = re.search(r"`([^`]+)`", err).group(1)
    subprocess.run(command, shell=True, check=True, cwd=tmp_path)
    converted = Path(shlex.split(command)[-1])
    result = converted.read_bytes().decode("utf-8")  # UTF-8 now, whatever it was
    if case in ("iso-8859-6", "cp1256"):
        assert result == text
    else:  # the bad bytes are gone, everything else is the text
        assert result.replace("\ufffd", "") in (text, result)
        assert len(result) >= len(text) - 2
    assert cli(capsys, "segment", converted)[0] == 0


@pytest.mark.parametrize("link", ["99999999999999999999999-1", "٠-٠", "０-０", "1-", "-1-2"])
def test_eval_links_takes_ascii_pharaoh_only(link, tmp_path, capsys):
    gold, pred = tmp_path / "g", tmp_path / "p"
    gold.write_text("0-0\n")
    pred.write_text(f"{link}\n", encoding="utf-8")
    code, _, err = cli(capsys, "eval-links", "--gold", gold, "--pred", pred)
    one_sentence(code, err, "line 1")


@pytest.mark.parametrize(
    "bad_id", ["a\nb", ["x"], {"a": 1}, True, "", "   ", " a", "\u202eabc", "a\u200fb", "-rf",
               "..", "x/y", "a" * 201],
)  # fmt: skip
def test_batch_ids_that_cannot_name_a_folder(bad_id, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(AR, encoding="utf-8")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"id": bad_id, "path": "a.txt"}) + "\n")
    code, _, err = cli(capsys, "batch", manifest, "--out", tmp_path / "out", "--model", "x")
    one_sentence(code, err, "line 1")
    assert not (tmp_path / "out").exists()


def test_batch_ids_that_differ_only_in_case_are_one_folder(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(AR, encoding="utf-8")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"id": "News", "path": "a.txt"}) + "\n"
                        + json.dumps({"id": "news", "path": "a.txt"}) + "\n")  # fmt: skip
    code, _, err = cli(capsys, "batch", manifest, "--out", tmp_path / "out", "--model", "x")
    one_sentence(code, err, "'news'", "unique")


def test_write_aligned_prefix_that_is_a_folder(tmp_path, capsys):
    hyp = tmp_path / "h.txt"
    hyp.write_text("The minister said.\n")
    folder = tmp_path / "dir"
    folder.mkdir()
    for prefix in (f"{folder}/", str(folder)):
        code, _, err = cli(capsys, "score", "--hyp", hyp, "--ref", hyp, "--ref-layout",
                           "document", "--write-aligned", prefix)  # fmt: skip
        one_sentence(code, err, "is a folder")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "option",
    [["--quantization", "bogus"], ["--device", "cuda"], ["--model", "broken"],
     ["--engine", "transformers", "--quantization", "int8"]],
)  # fmt: skip
def test_batch_job_errors_stop_once_before_any_article(option, tiny_model, tmp_path, capsys):
    import shutil

    import torch

    if option == ["--device", "cuda"] and torch.cuda.is_available():
        option = ["--device", "cuda", "--quantization", "bogus"]
    if option[-1] == "broken":
        model = tmp_path / "broken"
        shutil.copytree(tiny_model, model)
        (model / "model.safetensors").write_bytes(b"not weights")
        option = ["--model", str(model)]
    manifest = make_articles(tmp_path / "in", n=3)
    out = tmp_path / "out"
    code, _, err = cli(capsys, *batch_args(manifest, out, tiny_model), *option)
    one_sentence(code, err)
    assert len(BODY) >= 3
    assert "art0" not in err and "art1" not in err
    assert not out.exists()  # no batch.json, and the folder it made is gone again
    # The corrected job then runs in that very folder.
    assert cli(capsys, *batch_args(manifest, out, tiny_model))[0] == 0


def test_run_refuses_a_reference_line_too_long_to_score_before_translating(tmp_path, capsys):
    ref = tmp_path / "ref.txt"
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    lines[3] = " ".join(["word"] * 600)
    ref.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = cli(capsys, "run", ARTICLE, "--ref", ref, "--model", "/no/model", "--out",
                       tmp_path / "run")  # fmt: skip
    one_sentence(code, err, "line 4 of the reference file", "500 words")


def test_a_translation_too_long_to_score_is_left_out_with_a_warning():
    from types import SimpleNamespace

    from align.pipeline import Pipeline

    notes: list[str] = []
    pipeline = Pipeline(
        "unused", alignment=AlignmentSettings(method="lexical"), on_warning=notes.append
    )
    todo = [SimpleNamespace(index=k) for k in (3, 4, 5)]
    hyps = ["the minister said", " ".join(["again"] * 700), "the talks ended"]
    refs = ["the minister said", "a reference", "the talks ended today"]
    scores, rows = pipeline._scores(hyps, refs, None, None, todo, notes, None)
    assert rows[1] is None and rows[0]["chrf"] == 100.0 and rows[2] is not None
    assert "segment 4 is left out of the scores" in notes[0] and "500 words" in notes[0]
    assert scores["corpus"]["bleu"]["text"].endswith("ref_len = 7)")  # two pairs scored


@pytest.mark.parametrize("layout", ["lines", "document"])
def test_the_recorded_sacrebleu_command_gives_the_scores_when_a_pair_is_left_out(
    layout, tmp_path, capsys
):
    # hyp.txt and ref.txt keep every segment: the command the run records must read only
    # the pairs its scores took.
    import json
    import subprocess
    import sys

    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    # Lines: a translated line of 501 words. Document: two translated lines of 300 words
    # that the reference has as one sentence of 450 (a reference line too long to score is
    # refused before anything is translated), joined into one pair of 600 words.
    given = list(lines)
    first, second = (lines[k].replace(".", "").replace("?", "").split() for k in (3, 4))
    given[3] = " ".join((first * 300)[:300])
    given[4] = " ".join((second * 300)[:300])
    if layout == "lines":
        given[3] = " ".join((first * 300)[:501])
    else:
        lines[3:5] = [" ".join((first * 300)[:225] + (second * 300)[:225]) + "."]
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("\n".join(given) + "\n", encoding="utf-8")
    ref.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = tmp_path / "run"
    code, _, err = cli(capsys, "run", ARTICLE, "--hyp", hyp, "--ref", ref, "--ref-layout",
                       layout, "--align-method", "lexical", "--out", run)  # fmt: skip
    assert code == 0
    scores = json.loads((run / "scores.json").read_text(encoding="utf-8"))
    command = scores["sacrebleu_cli"].split()
    assert command[0] == "sacrebleu"
    done = subprocess.run(
        [sys.executable, "-m", "sacrebleu", *command[1:], "-f", "json", "-w", "6"],
        cwd=run, capture_output=True, text=True, check=True,
    )  # fmt: skip
    theirs = {row["name"]: row["score"] for row in json.loads(done.stdout)}
    for ours, name in (("bleu", "BLEU"), ("chrf", "chrF2++"), ("ter", "TER")):
        assert round(scores["corpus"][ours]["score"], 6) == theirs[name]
    assert len((run / "hyp.txt").read_text(encoding="utf-8").splitlines()) == len(given)
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert any("is left out of the scores" in w for w in manifest["warnings"])
    assert {command[1], command[3]} <= set(manifest["files"])  # listed, so checked on read


def test_names_with_line_breaks_or_bidi_controls_stay_on_one_line(tmp_path, capsys):
    for name in ("a\nb.txt", "evil\u202etxt.exe", "cr\rname.txt"):
        code, _, err = cli(capsys, "segment", tmp_path / name)  # missing: the name is quoted
        one_sentence(code, err, "does not exist")
        assert len(err.strip().splitlines()) == 1
        assert "\u202e" not in err and "\r" not in err.strip()


# -- a second pass: routes around the checks --------------------------------------------------


def test_batch_never_writes_through_a_symlinked_run_folder(tiny_model, tmp_path, capsys):
    manifest = make_articles(tmp_path / "in", n=2)
    out = tmp_path / "out"
    assert cli(capsys, *batch_args(manifest, out, tiny_model))[0] == 0
    victim = fixture_run(tiny_model, tmp_path / "victim")
    before = listing(victim)
    import shutil

    shutil.rmtree(out / "art0")
    (out / "art0").symlink_to(victim)
    code, _, err = cli(capsys, *batch_args(manifest, out, tiny_model))
    one_sentence(code, err, "symlink")
    assert listing(victim) == before


def test_dotfiles_are_someone_elses(tiny_model, tmp_path, capsys):
    from align.records import remove_stale_temps

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / ".notes.tmp").write_text("mine")
    (folder / ".probe.mydata").write_text("mine")
    (folder / ".hyp.txt.ab12cd34.tmp").write_text("a leftover of ours")
    code, _, err = cli(capsys, *batch_args(make_articles(tmp_path / "in", n=1), folder,
                                            tiny_model))  # fmt: skip
    one_sentence(code, err, "not a batch folder")
    code, _, err = cli(capsys, "run", ARTICLE, "--model", tiny_model, "--out", folder, "--force")
    one_sentence(code, err, "not part of a run")
    remove_stale_temps(folder)
    assert sorted(p.name for p in folder.iterdir()) == [".notes.tmp", ".probe.mydata"]


def test_links_never_writes_into_the_model_it_reads(tiny_model, tmp_path, capsys):
    import shutil

    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    src = tmp_path / "s.txt"
    src.write_text("مرحبا بالعالم.\n", encoding="utf-8")
    before = listing(model)
    code, _, err = cli(capsys, "links", "--src", src, "--tgt", src, "--method", "attention",
                       "--model", model, "--out", model / "vocab.json")  # fmt: skip
    one_sentence(code, err, "inside the model directory")
    assert listing(model) == before
    code, _, err = cli(capsys, "links", "--src", src, "--tgt", src, "--method", "attention",
                       "--model", model, "--out", tmp_path / "o.pharaoh")  # fmt: skip
    assert code == 0 and "fixture model" in err  # a fixture says so wherever it is loaded


def test_outputs_never_go_into_the_model_or_the_cache(tiny_model, tmp_path, capsys, monkeypatch):
    import shutil

    model, cache = tmp_path / "model", tmp_path / "cache"
    shutil.copytree(tiny_model, model)
    cache.mkdir()
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(cache))
    manifest = make_articles(tmp_path / "in", n=1)
    before = listing(model)
    for out, says in ((model / "run", "inside the model directory"), (cache / "x", "cache")):
        code, _, err = cli(capsys, "run", ARTICLE, "--model", model, "--out", out,
                           "--max-new-tokens", "2", "--align-method", "lexical")  # fmt: skip
        one_sentence(code, err, "--out", says)
        code, _, err = cli(capsys, *batch_args(manifest, out, model))
        one_sentence(code, err, "--out", says)
    monkeypatch.setenv("HOME", str(tmp_path))  # --model=~/model, left as it is by a shell
    code, _, err = cli(capsys, "run", ARTICLE, "--model", "~/model", "--out", model / "run",
                       "--max-new-tokens", "2", "--align-method", "lexical")  # fmt: skip
    one_sentence(code, err, "--out", "inside the model directory")
    assert listing(model) == before
    code, _, err = cli(capsys, "models", "fixture", cache / "m")
    one_sentence(code, err, "fixture folder", "cache")
    review = make_run(tmp_path / "reviewed")
    code, _, err = cli(capsys, "review", review, "--export", cache / "e")
    one_sentence(code, err, "--export", "cache")
    assert not (cache / "x").exists() and not (cache / "m").exists()  # (its own files only)
    assert not (cache / "e").exists()


def test_an_output_folder_holding_the_cache_is_refused_before_the_cache_is_filled(
    tiny_model, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "out"
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(out / "cache"))
    manifest = make_articles(tmp_path / "in", n=1)
    for args in (
        ("run", ARTICLE, "--hyp", REFERENCE, "--out", out),  # the default aligner
        batch_args(manifest, out, tiny_model),
    ):
        code, _, err = cli(capsys, *args)
        one_sentence(code, err, "cache", "is inside --out")
        assert not out.exists()


def test_batch_manifest_inside_the_output_is_refused(tiny_model, tmp_path, capsys):
    manifest = make_articles(tmp_path / "in", n=1)
    out = tmp_path / "out"
    assert cli(capsys, *batch_args(manifest, out, tiny_model))[0] == 0
    (out / "summary.jsonl").write_bytes(manifest.read_bytes())
    before = (out / "summary.jsonl").read_bytes()
    code, _, err = cli(capsys, *batch_args(out / "summary.jsonl", out, tiny_model))
    one_sentence(code, err, "a file the batch writes")
    assert (out / "summary.jsonl").read_bytes() == before


def test_review_export_into_the_run_directory_is_refused(tmp_path, capsys):
    run = _review_run(tmp_path)
    before = listing(run)
    code, _, err = cli(capsys, "review", run, "--export", run)
    one_sentence(code, err, "run directory itself")
    assert listing(run) == before


def test_run_training_text_inside_out_is_refused(tiny_model, tmp_path, capsys):
    out = fixture_run(tiny_model, tmp_path / "run")
    before = listing(out)
    code, _, err = cli(capsys, "run", ARTICLE, "--model", tiny_model, "--out", out, "--force",
                       "--align-train", out / "hyp.txt", out / "ref.txt")  # fmt: skip
    one_sentence(code, err, "would replace")
    assert listing(out) == before


def test_a_file_name_that_is_not_utf8(tiny_model, tmp_path, capsys):
    raw = os.fsencode(tmp_path) + b"/bad\xffname.txt"
    Path(os.fsdecode(raw)).write_bytes(ARTICLE.read_bytes())
    out = tmp_path / "run"
    code, stdout, err = cli(capsys, "run", os.fsdecode(raw), "--model", tiny_model, "--out", out,
                            "--max-new-tokens", "4", "--beams", "1", "--align-method",
                            "lexical", "--no-progress")  # fmt: skip
    assert code == 0, err
    manifest = json.loads((out / MANIFEST).read_bytes().decode("utf-8"))  # still UTF-8 JSON
    assert os.fsencode(manifest["article"]["path"]) == raw


@pytest.mark.parametrize("path", ["x\u0000y", "x\ud800y"])
def test_batch_paths_no_file_system_can_hold(path, tmp_path, capsys):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"id": "a", "path": path}) + "\n")
    code, _, err = cli(capsys, "batch", manifest, "--out", tmp_path / "o", "--model", "x")
    one_sentence(code, err, "cannot be a file name")
    code, _, err = cli(capsys, "segment", path)
    one_sentence(code, err)


def test_json_nested_too_deeply(tiny_model, tmp_path, capsys):
    import shutil

    deep = "[" * 100_000
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(deep + "\n")
    code, _, err = cli(capsys, "batch", manifest, "--out", tmp_path / "o", "--model", "x")
    one_sentence(code, err, "not valid JSON")
    run = _review_run(tmp_path)
    (run / "review.json").write_text(deep)
    one_sentence(*cli(capsys, "review", run, "--export", tmp_path / "e")[::2], "review.json")
    (run / "review.json").unlink()
    (run / "review.journal.jsonl").write_text(deep + "\n")  # a damaged line: skipped, said
    code, _, err = cli(capsys, "review", run, "--export", tmp_path / "e")
    assert code == 0 and "line 1 of review.journal.jsonl" in err and "Traceback" not in err
    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    (model / "config.json").write_text(deep)
    one_sentence(*cli(capsys, "run", ARTICLE, "--model", model, "--out", tmp_path / "r")[::2],
                 "config.json")  # fmt: skip
    manifest = make_articles(tmp_path / "in", n=1)
    out = tmp_path / "out"
    assert cli(capsys, *batch_args(manifest, out, tiny_model))[0] == 0
    (out / "batch.json").write_text(deep)
    code, _, err = cli(capsys, *batch_args(manifest, out, tiny_model))
    one_sentence(code, err, "batch.json is unreadable, so which batch made the runs")
    assert "other settings" not in err  # the runs' own records say they are this job's
    code, _, err = cli(capsys, *batch_args(manifest, out, tiny_model), "--force")
    assert code == 0 and "1 article(s) already complete in" in err, err


@pytest.mark.parametrize(
    "file, key, value",
    [("tokenizer_config.json", "model_max_length", "abc"), ("config.json", "d_model", -3),
     ("config.json", "vocab_size", "many"), ("generation_config.json", "num_beams", True)],
)  # fmt: skip
def test_model_numbers_of_the_wrong_kind(file, key, value, tiny_model, tmp_path, capsys):
    import shutil

    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    data = json.loads((model / file).read_text())
    data[key] = value
    (model / file).write_text(json.dumps(data))
    code, _, err = cli(capsys, "run", ARTICLE, "--model", model, "--out", tmp_path / "r",
                       "--max-new-tokens", "4")  # fmt: skip
    one_sentence(code, err, key)


def test_the_console_script_starts_light():
    """A Ctrl-C in the first moments lands where ``entry`` handles it only if importing the
    command line is quick: no torch, numpy or sacrebleu before ``main`` runs."""
    code = (
        "import sys, align.cli; print(sorted({'torch', 'numpy', 'sacrebleu'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout  # fmt: skip
    assert out.strip() == "[]"


def test_a_failed_run_leaves_no_empty_output_folder(tmp_path, capsys):
    out = tmp_path / "new" / "run"
    code, _, err = cli(capsys, "run", ARTICLE, "--model", tmp_path / "no-model", "--out", out)
    one_sentence(code, err, "--model")
    assert not out.exists()


def test_a_failed_batch_through_dot_dot_removes_only_the_folders_it_made(
    tmp_path, capsys, monkeypatch
):
    """``new/../x`` makes ``new`` and ``x``: a job stopped before it writes removes both, but
    a folder ``x`` that was there is the user's and stays."""
    manifest = make_articles(tmp_path / "in", n=1)
    monkeypatch.chdir(tmp_path)
    argv = ["batch", manifest, "--out", "new/../x", "--model", tmp_path / "no-model"]
    one_sentence(*cli(capsys, *argv)[::2], "--model")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]
    (tmp_path / "x").mkdir()
    one_sentence(*cli(capsys, *argv)[::2], "--model")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "x"]


def test_duplicate_keys_in_a_manifest_line(tmp_path, capsys):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text('{"id": "a", "path": "a.txt", "id": "b"}\n')
    code, _, err = cli(capsys, "batch", manifest, "--out", tmp_path / "o", "--model", "x")
    one_sentence(code, err, "line 1", "twice")


# -- a third pass: files beside runs, and options that would do nothing --------------------


def test_force_keeps_a_report_beside_a_run_and_rewrites_the_run(tiny_model, tmp_path, capsys):
    manifest = make_articles(tmp_path / "in", n=3)
    out = tmp_path / "out"
    assert cli(capsys, *batch_args(manifest, out, tiny_model))[0] == 0
    assert cli(capsys, "report", out / "art1", "-o", out / "art1" / "report.html")[0] == 0
    report = (out / "art1" / "report.html").read_bytes()
    code, _, err = cli(capsys, *batch_args(manifest, out, tiny_model, "--beams", "3", "--force"))
    assert code == 0, err
    assert "removed 2 run(s)" in err and "left 1 recorded folder(s)" in err
    assert (out / "art1" / "report.html").read_bytes() == report  # not ours: kept
    rerun = json.loads((out / "art1" / MANIFEST).read_text())
    assert rerun["batch_settings"]["num_beams"] == 3  # and the run itself is the new one


def test_report_reference_options_need_compare(seed_run, tmp_path, capsys):
    for extra in (["--ref", tmp_path / "missing.txt"], ["--ref-layout", "document"]):
        code, _, err = cli(capsys, "report", seed_run, "-o", tmp_path / "r.html", *extra)
        one_sentence(code, err, "--compare")
    assert not (tmp_path / "r.html").exists()


def test_fixture_folder_is_readable_and_an_empty_folder_is_filled(tmp_path, capsys):
    fresh = tmp_path / "fresh"
    assert cli(capsys, "models", "fixture", fresh)[0] == 0
    assert fresh.stat().st_mode & 0o777 == 0o777 & ~_umask()
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o750)
    inode = empty.stat().st_ino
    assert cli(capsys, "models", "fixture", empty)[0] == 0
    assert empty.stat().st_ino == inode and (empty / "config.json").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no build folder left


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_outputs_never_go_into_the_cache_or_over_batch_files(tiny_model, tmp_path, capsys):
    src, tgt = tmp_path / "s", tmp_path / "t"
    src.write_text("كتاب\n", encoding="utf-8")
    tgt.write_text("book\n", encoding="utf-8")
    cache = Path(os.environ["ARABIC_ALIGN_CACHE"])
    base = ["links", "--src", src, "--tgt", tgt, "--method", "lexical"]
    code, _, err = cli(capsys, *base, "--out", cache / "translations.sqlite")
    one_sentence(code, err, "cache")
    out = tmp_path / "out"
    assert cli(capsys, *batch_args(make_articles(tmp_path / "in", n=1), out, tiny_model))[0] == 0
    for name in ("batch.json", "summary.jsonl", "corpus.json"):
        before = (out / name).read_bytes()
        code, _, err = cli(capsys, *base, "--out", out / name)
        one_sentence(code, err, "batch folder")
        assert (out / name).read_bytes() == before


def test_eval_links_needs_sure_gold_links(tmp_path, capsys):
    gold = tmp_path / "g"
    gold.write_text("0?0 1?1\n")
    code, _, err = cli(capsys, "eval-links", "--gold", gold, "--pred", gold)
    one_sentence(code, err, "no sure links")


def test_options_the_method_would_ignore_are_refused(tmp_path, capsys):
    src, tgt, words = tmp_path / "s", tmp_path / "t", tmp_path / "d"
    src.write_text("كتاب\n", encoding="utf-8")
    tgt.write_text("book\n", encoding="utf-8")
    words.write_text("كتاب\tbook\n", encoding="utf-8")
    base = ["links", "--src", src, "--tgt", tgt, "--out", tmp_path / "o"]
    code, _, err = cli(capsys, *base, "--method", "lexical", "--train", src, tgt)
    one_sentence(code, err, "--train", "lexical")
    code, _, err = cli(capsys, *base, "--method", "statistical", "--dictionary", words)
    one_sentence(code, err, "--dictionary", "statistical")
    code, _, err = cli(capsys, "run", ARTICLE, "--out", tmp_path / "r", "--align-method",
                       "lexical", "--align-train", src, tgt)  # fmt: skip
    one_sentence(code, err, "--align-train")
    words.write_text("كتاب كبير\tbig book\n", encoding="utf-8")
    code, _, err = cli(capsys, *base, "--method", "lexical", "--dictionary", words)
    one_sentence(code, err, "line 1", "one Arabic word")


def test_one_batch_job_at_a_time_in_a_folder(tiny_model, tmp_path, capsys):
    import fcntl

    manifest = make_articles(tmp_path / "in", n=1)
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as another job holds it
    try:
        code, _, err = cli(capsys, *batch_args(manifest, out, tiny_model))
        one_sentence(code, err, "another batch job")
        assert list(out.iterdir()) == []
    finally:
        os.close(fd)
    assert cli(capsys, *batch_args(manifest, out, tiny_model))[0] == 0


# (extra arguments, words the one sentence names); every case would otherwise run and
# silently ignore the option
RUN_OPTIONS_DOING_NOTHING = [
    (["--ref-layout", "document"], "--ref-layout"),
    (["--ref-layout", "lines"], "--ref-layout"),
    (["--hyp", REFERENCE, "--beams", "8"], "--beams"),
    (["--hyp", REFERENCE, "--max-new-tokens", "9"], "--max-new-tokens"),
    (["--hyp", REFERENCE, "--no-cache"], "--no-cache"),
    (["--hyp", REFERENCE, "--engine", "transformers"], "--engine"),
    (["--hyp", REFERENCE, "--quantization", "int8"], "--quantization"),
    (["--hyp", REFERENCE, "--inter-threads", "2"], "--inter-threads"),
    (["--hyp", REFERENCE, "--device", "cpu"], "--device"),
    (["--hyp", REFERENCE, "--batch-tokens", "64"], "--batch-tokens"),
    (["--hyp", REFERENCE, "--model", "MODEL", "--align-method", "lexical"], "--model"),
]


@pytest.mark.parametrize(("extra", "names"), RUN_OPTIONS_DOING_NOTHING)
def test_run_options_that_would_do_nothing_are_refused(extra, names, tiny_model, tmp_path, capsys):
    out = tmp_path / "run"
    extra = [tiny_model if x == "MODEL" else x for x in extra]
    code, _, err = cli(capsys, "run", ARTICLE, "--out", out, *extra)
    one_sentence(code, err, names)
    assert not out.exists()


def test_the_transformers_engine_refuses_thread_counts(tiny_model, tmp_path, capsys):
    out = tmp_path / "run"
    code, _, err = cli(capsys, "run", ARTICLE, "--model", tiny_model, "--out", out,
                       "--engine", "transformers", "--intra-threads", "2")  # fmt: skip
    one_sentence(code, err, "--intra-threads", "transformers")
    assert not out.exists()  # said before the model is loaded or --out made
    from align.errors import JobError
    from align.model.load import load_marian
    from align.translate.engines import make_translator

    with pytest.raises(JobError, match="thread counts"):  # the Python API says it too
        make_translator(load_marian(str(tiny_model)), "transformers", inter_threads=2)


LINKS_OPTIONS_DOING_NOTHING = [
    (["--method", "hybrid", "--symmetrize", "union"], "--symmetrize"),
    (["--method", "lexical", "--runs", "8"], "--runs"),
    (["--method", "statistical", "--model", "MODEL"], "--model"),
    (["--method", "lexical", "--device", "cpu"], "--device"),
]


@pytest.mark.parametrize(("extra", "names"), LINKS_OPTIONS_DOING_NOTHING)
def test_links_options_that_would_do_nothing_are_refused(extra, names, tiny_model, tmp_path,
                                                         capsys):  # fmt: skip
    (tmp_path / "a.txt").write_text(AR, encoding="utf-8")
    (tmp_path / "e.txt").write_text("The spokesman said.\n", encoding="utf-8")
    extra = [tiny_model if x == "MODEL" else x for x in extra]
    code, _, err = cli(capsys, "links", "--src", tmp_path / "a.txt", "--tgt", tmp_path / "e.txt",
                       "--out", tmp_path / "o.ph", *extra)  # fmt: skip
    one_sentence(code, err, names)
    assert not (tmp_path / "o.ph").exists()


def test_only_reviewed_without_export_is_refused(tmp_path, capsys):
    run = _review_run(tmp_path)
    before = listing(run)
    code, _, err = cli(capsys, "review", run, "--only-reviewed")
    one_sentence(code, err, "--only-reviewed", "--export")
    assert listing(run) == before


def test_outputs_never_go_into_the_package_data(tmp_path, capsys):
    """The shipped FLORES and seed article are what the aligners and benchmarks read: no
    output goes there, whatever the command (a new file included)."""
    from align.data import data_file

    data = Path(str(data_file()))
    targets = [data / "new.pharaoh", data / "flores200-devtest" / "new.json"]
    (tmp_path / "a.txt").write_text(AR, encoding="utf-8")
    (tmp_path / "e.txt").write_text("The spokesman said.\n", encoding="utf-8")
    try:
        files = ["--src", tmp_path / "a.txt", "--tgt", tmp_path / "e.txt"]
        for target in targets:
            code, _, err = cli(capsys, "links", *files, "--out", target, "--method", "lexical")
            one_sentence(code, err, "package data")
            assert not target.exists()
        code, _, err = cli(capsys, "run", ARTICLE, "--hyp", REFERENCE, "--out", data / "run")
        one_sentence(code, err, "package data")
    finally:
        for target in [*targets, data / "run"]:
            if target.is_dir():
                shutil.rmtree(target)
            target.unlink(missing_ok=True)
    assert not (data / "run").exists()


def test_a_missing_reference_is_said_as_a_missing_article_is(tmp_path, capsys):
    out = tmp_path / "run"
    code, _, err = cli(capsys, "run", ARTICLE, "--hyp", REFERENCE, "--ref", tmp_path / "no.txt",
                       "--out", out, "--align-method", "lexical")  # fmt: skip
    one_sentence(code, err, "the reference file", "does not exist")
    assert not out.exists()


def test_a_device_or_fifo_given_as_a_reference_is_refused_not_hashed(tiny_model, tmp_path, capsys):
    # Hashing /dev/zero never ends and opening a FIFO blocks: both were hashed before the
    # reader refused them, so a run hung, and a batch hung on that article for good.
    import json
    import os

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for ref in ("/dev/zero", fifo):
        code, _, err = cli(capsys, "run", ARTICLE, "--hyp", REFERENCE, "--ref", ref,
                           "--align-method", "lexical", "--out", tmp_path / "run")  # fmt: skip
        one_sentence(code, err, "is not a regular file")
    manifest = make_articles(tmp_path / "in", n=2)
    rows = [json.loads(x) for x in manifest.read_text(encoding="utf-8").splitlines()]
    rows[0]["reference"] = "/dev/zero"
    rows[1]["reference"] = str(fifo)
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    assert cli(capsys, *batch_args(manifest, out, tiny_model))[0] == 1
    summary = [json.loads(x) for x in (out / "summary.jsonl").read_text().splitlines()]
    assert [r["status"] for r in summary] == ["failed", "failed"]
    assert all("is not a regular file" in r["error"] for r in summary)


def test_a_count_of_one_is_said_in_the_singular(tmp_path, capsys):
    one = tmp_path / "one.txt"
    one.write_text("A single line.\n", encoding="utf-8")
    code, _, err = cli(capsys, "run", ARTICLE, "--hyp", one, "--out", tmp_path / "run")
    one_sentence(code, err, "has 1 translation line but the article has 54 segments")


def test_a_memory_limit_too_low_for_the_model_is_one_sentence(tiny_model, tmp_path):
    """Under ``ulimit -v``, torch's libraries fail to map with an ImportError (a traceback),
    and CTranslate2's was said not to be installed: the limit is named instead."""
    article = tmp_path / "a.txt"
    article.write_text("قال الوزير.\n", encoding="utf-8")
    limit = 600 * 2**20  # the interpreter and the CLI fit; torch's libraries do not

    def limited() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-c", "from align.cli import entry; entry()", "run", str(article),
         "--model", str(tiny_model), "--max-new-tokens", "4", "--out", str(tmp_path / "run")],
        capture_output=True, text=True, preexec_fn=limited, cwd=ROOT,
        env={**os.environ, "ARABIC_ALIGN_CACHE": str(tmp_path / "cache")},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "Traceback" not in done.stderr
    assert "memory limit (ulimit -v: 600 MiB" in errors[0]
    assert not (tmp_path / "run" / MANIFEST).exists()


def test_an_installed_package_that_fails_to_load_is_not_called_missing(tmp_path, monkeypatch):
    from align.errors import JobError
    from align.model.convert import NOT_INSTALLED, import_ctranslate2

    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # as if not installed
    with pytest.raises(JobError) as missing:
        import_ctranslate2()
    assert str(missing.value) == NOT_INSTALLED
    broken = tmp_path / "site" / "ctranslate2"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text(
        "raise ImportError('libctranslate2.so.4: failed to map segment from shared object')\n"
    )
    monkeypatch.delitem(sys.modules, "ctranslate2")
    monkeypatch.syspath_prepend(str(broken.parent))
    with pytest.raises(JobError) as failed:
        import_ctranslate2()
    assert str(failed.value).startswith(
        "the ctranslate2 package is installed but could not be loaded (libctranslate2.so.4: "
    )
    assert "not installed" not in str(failed.value)


def test_outputs_of_one_command_are_replaced_all_or_none(tmp_path, capsys, monkeypatch):
    """links --out/--json and score --write-aligned onto a disk that fills after the first
    file: the new first file stood beside the old others, a set that looked complete."""
    src, tgt = tmp_path / "a.ar", tmp_path / "a.en"
    src.write_text("قال الوزير.\nوصل الرئيس.\n", encoding="utf-8")
    tgt.write_text("The minister said.\nThe president arrived.\n", encoding="utf-8")
    dest = tmp_path / "dest"
    dest.mkdir()
    links = ["links", "--src", src, "--tgt", tgt, "--method", "lexical",
             "--out", dest / "x.ph", "--json", dest / "x.jsonl"]  # fmt: skip
    score = ["score", "--hyp", tgt, "--ref", tgt, "--ref-layout", "document",
             "--write-aligned", dest / "w"]  # fmt: skip
    names = {"links": ("x.ph", "x.jsonl"), "score": ("w.hyp.txt", "w.ref.txt", "w.beads.json")}
    for args in (links, score):
        old = {dest / n: "old\n" for n in (*names["links"], *names["score"])}
        for path, text in old.items():
            path.write_text(text)
        refuse_writes(monkeypatch, dest, errno.ENOSPC, after=1)  # one file fits
        code, _, err = cli(capsys, *args)
        monkeypatch.undo()
        one_sentence(code, err, "No space left on device")
        assert {p: p.read_text() for p in old} == old
        assert sorted(p.name for p in dest.iterdir()) == sorted(p.name for p in old)
        assert cli(capsys, *args)[0] == 0  # with room, all of them are written
        assert all((dest / n).read_text() != "old\n" for n in names[args[0]])


def test_an_output_name_near_the_file_systems_limit_is_written(tmp_path, capsys):
    """A name of 242 to 255 bytes is a valid file name; its temporary added 14 bytes and
    the output was refused as "File name too long"."""
    src, tgt = tmp_path / "a.ar", tmp_path / "a.en"
    src.write_text("قال الوزير.\n", encoding="utf-8")
    tgt.write_text("The minister said.\n", encoding="utf-8")
    base = ["links", "--src", src, "--tgt", tgt, "--method", "lexical", "--out"]
    for name in ("e" * 252 + ".ph", "ع" * 126 + ".ph"):  # 255 bytes each
        assert len(name.encode()) == 255
        assert cli(capsys, *base, tmp_path / name)[0] == 0
        assert (tmp_path / name).read_text().strip()  # the links of the pair
    code, _, err = cli(capsys, *base, tmp_path / ("e" * 253 + ".ph"))  # 256: too long
    one_sentence(code, err, "File name too long")
    assert sorted(len(p.name.encode()) for p in tmp_path.iterdir() if p.suffix == ".ph") == [
        255,
        255,
    ]


def test_an_output_under_a_file_names_the_file(tmp_path, capsys):
    """--out a.en/x.ph, where a.en is a file, was refused with "File exists" of a path
    that does not exist; a link to a missing folder likewise."""
    src, tgt = tmp_path / "a.ar", tmp_path / "a.en"
    src.write_text("قال الوزير.\n", encoding="utf-8")
    tgt.write_text("The minister said.\n", encoding="utf-8")
    (tmp_path / "gone").symlink_to(tmp_path / "missing")
    base = ["links", "--src", src, "--tgt", tgt, "--method", "lexical", "--out"]
    for out, said in ((tgt / "x.ph", f"{tgt} is a file, not a folder"),
                      (tgt / "d" / "x.ph", f"{tgt} is a file, not a folder"),
                      (tmp_path / "gone" / "x.ph",
                       f"{tmp_path / 'gone'} is a link to {tmp_path / 'missing'}, which does "
                       "not exist")):  # fmt: skip
        code, _, err = cli(capsys, *base, out)
        one_sentence(code, err, said)
    assert not (tmp_path / "missing").exists()


def test_an_article_of_boilerplate_alone_takes_an_empty_translation(tmp_path, capsys):
    """Zero segments to translate: an empty --hyp (and --ref) was refused as empty, and any
    other file as having lines too many; a FIFO as --out was called a file."""
    article = tmp_path / "boiler.txt"
    article.write_text("© 2024 جميع الحقوق محفوظة\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "run"
    code, _, err = cli(capsys, "run", article, "--hyp", empty, "--ref", empty, "--out", out,
                       "--align-method", "lexical")  # fmt: skip
    assert code == 0, err
    assert "no segment to translate" in err and is_complete(out)
    assert (out / "hyp.txt").read_text() == ""
    # and so in document layout; a translation that has text there is not dropped unsaid
    code, _, err = cli(capsys, "run", article, "--hyp", empty, "--hyp-layout", "document",
                       "--out", tmp_path / "doc", "--align-method", "lexical")  # fmt: skip
    assert code == 0, err
    assert (tmp_path / "doc" / "hyp.txt").read_text() == ""
    text = tmp_path / "text.txt"
    text.write_text("A whole paragraph. It says things.\n", encoding="utf-8")
    for layout in ("lines", "document"):
        code, _, err = cli(capsys, "run", article, "--hyp", text, "--hyp-layout", layout,
                           "--out", tmp_path / layout)  # fmt: skip
        one_sentence(code, err, "but the article has 0 segments to translate")
        assert not (tmp_path / layout).exists()
    # with segments to translate, an empty translation is still one sentence
    body = tmp_path / "body.txt"
    body.write_text("قال الوزير إن الاجتماع انتهى.\n", encoding="utf-8")
    code, _, err = cli(capsys, "run", body, "--hyp", empty, "--out", tmp_path / "r2")
    one_sentence(code, err, "is empty")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, _, err = cli(capsys, "run", body, "--hyp", body, "--out", fifo)
    one_sentence(code, err, f"--out {fifo} is not a folder")


def test_a_model_fine_tuned_with_tokens_of_its_own_loads(tiny_model, tmp_path, capsys):
    """Tokens added and the embeddings resized (the usual fine-tuning): vocab.json holds
    fewer tokens than the model, and the added ones make up the rest."""
    from transformers import MarianMTModel, MarianTokenizer

    model = tmp_path / "tuned"
    tokenizer = MarianTokenizer.from_pretrained(tiny_model)
    net = MarianMTModel.from_pretrained(tiny_model)
    tokenizer.add_tokens(["<org>", "<loc>"])
    net.resize_token_embeddings(len(tokenizer))
    tokenizer.save_pretrained(model)
    net.save_pretrained(model)
    marker = "arabic-align-fixture.json"  # (it is still a fixture: said so)
    (model / marker).write_text((tiny_model / marker).read_text())
    article = tmp_path / "a.ar"
    article.write_text("قال الوزير.\n", encoding="utf-8")
    code, _, err = cli(capsys, "run", article, "--model", model, "--engine", "transformers",
                       "--max-new-tokens", "4", "--out", tmp_path / "run")  # fmt: skip
    assert code == 0, err
    assert is_complete(tmp_path / "run")


def test_an_error_under_a_memory_limit_is_a_bug_unless_it_says_memory(monkeypatch, capsys):
    """Under ulimit -v, a RuntimeError that is not about memory (a bug of ours, which keeps
    its traceback) was said as the memory limit."""
    import align.cli
    import align.errors

    monkeypatch.setattr(align.errors, "memory_limit", lambda: 64 * 2**30)
    for said, raised in (("The check 'x' gave a str", True),
                         ("can't start new thread", False)):  # fmt: skip

        def fail(args, said=said):
            raise RuntimeError(said)

        fail.__name__ = "cmd_check"
        monkeypatch.setattr(align.cli, "cmd_check", fail)
        if raised:
            with pytest.raises(RuntimeError, match="gave a str"):
                main(["check", "somewhere"])
        else:
            assert main(["check", "somewhere"]) == 2
            err = capsys.readouterr().err
            assert "can't start new thread; this process has a memory limit" in err


def test_a_tokenizer_error_beside_pytorch_weights_is_not_blamed_on_them(tiny_model, tmp_path,
                                                                         capsys):  # fmt: skip
    """With pytorch_model.bin in place of safetensors, any KeyError of the load (here the
    tokenizer's, for a vocab.json without <unk>) was said as weights cut short."""
    import shutil

    import torch
    from safetensors.torch import load_file

    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    torch.save(load_file(model / "model.safetensors"), model / "pytorch_model.bin")
    (model / "model.safetensors").unlink()
    vocab = json.loads((model / "vocab.json").read_text(encoding="utf-8"))
    del vocab["<unk>"]
    (model / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    code, _, err = cli(capsys, "run", ARTICLE, "--model", model, "--engine", "transformers",
                       "--max-new-tokens", "4", "--out", tmp_path / "run")  # fmt: skip
    one_sentence(code, err, "<unk>")
    assert "pytorch_model.bin" not in err


def test_a_part_of_an_engine_missing_keeps_the_install_advice(monkeypatch):
    """Ray without Ray Data's dependencies (pandas) was "installed but could not be loaded",
    without the advice that installs them."""
    from align.batch import _check_ray
    from align.errors import JobError

    monkeypatch.setitem(sys.modules, "pandas", None)
    for name in [m for m in sys.modules if m == "ray.data" or m.startswith("ray.data.")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(JobError) as err:
        _check_ray()
    assert str(err.value).startswith("--executor ray needs Ray Data: pip install 'ray[data]==")
    assert "pandas" in str(err.value)


def test_long_names_for_a_fixture_and_a_fifo_for_a_batch(tiny_model, tmp_path, capsys):
    """A model folder named with 250 bytes failed on its build folder's longer name; a FIFO
    as a batch's --out was called a file."""
    name = "m" * 250
    code, _, err = cli(capsys, "models", "fixture", tmp_path / name, "--size", "tiny")
    assert code == 0, err
    assert (tmp_path / name / "config.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    manifest = make_articles(tmp_path / "in", n=1)
    code, _, err = cli(capsys, *batch_args(manifest, fifo, tiny_model))
    one_sentence(code, err, f"--out {fifo} is not a folder")
