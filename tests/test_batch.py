"""`arabic-align batch`: inputs, isolation of bad articles, refusing to mix settings,
kill -9 mid-job then resume = one uninterrupted job, and the same work on local Ray."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from align.batch import Article, read_inputs
from align.cli import main
from align.errors import InputError
from align.settings import AlignmentSettings
from tests.conftest import ROOT, SEED

LINES = (SEED / "article.ar.txt").read_text(encoding="utf-8").splitlines()
REF = (SEED / "reference.en.txt").read_text(encoding="utf-8").splitlines()
# Articles of three body lines from the seed article (lines 3.. are body text), with the
# matching reference lines.
BODY = [(a, r) for a, r in zip(LINES[3:30], REF[3:30], strict=False) if a.strip()][:15]


def make_articles(folder: Path, n: int = 4, bad: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    manifest = []
    for k in range(n):
        part = BODY[k * 3 : k * 3 + 3]
        (folder / f"art{k}.txt").write_text("\n".join(a for a, _ in part) + "\n", encoding="utf-8")
        (folder / f"art{k}.en").write_text("\n".join(r for _, r in part) + "\n", encoding="utf-8")
        manifest.append({"id": f"art{k}", "path": f"art{k}.txt", "reference": f"art{k}.en"})
    if bad:
        (folder / "broken.txt").write_bytes(b"\x00\x01\x02 not text")
        manifest.insert(1, {"id": "broken", "path": "broken.txt"})
    path = folder / "manifest.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in manifest), encoding="utf-8")
    return path


def batch_args(manifest, out, model, *extra):
    return ["batch", str(manifest), "--out", str(out), "--model", str(model),
            "--max-new-tokens", "4", "--beams", "2", "--align-method", "lexical", "--quiet",
            "--ref-layout", "document",
            *extra]  # fmt: skip


STABLE = ("segments.jsonl", "hyp.txt", "ref.txt", "scores.json")


def outputs(out: Path) -> dict[str, bytes]:
    """Every output that must not depend on interruptions (manifests hold timestamps)."""
    files = {name: (out / name).read_bytes() for name in ("summary.jsonl", "corpus.json")}
    for run in sorted(p for p in out.iterdir() if p.is_dir()):
        for name in STABLE:
            if (run / name).exists():
                files[f"{run.name}/{name}"] = (run / name).read_bytes()
    return files


def test_inputs_directory_glob_and_manifest(tmp_path):
    manifest = make_articles(tmp_path / "in")
    from_manifest = read_inputs(str(manifest))
    assert [a.id for a in from_manifest] == ["art0", "art1", "art2", "art3"]
    assert (
        from_manifest[0].reference.endswith("art0.en") and Path(from_manifest[0].path).is_absolute()
    )
    (tmp_path / "in" / ".notes.txt").write_text("hidden")  # dotfiles are not articles
    assert [a.id for a in read_inputs(str(tmp_path / "in"))] == ["art0", "art1", "art2", "art3"]
    assert [a.id for a in read_inputs(str(tmp_path / "in" / "art[12].txt"))] == ["art1", "art2"]


def test_a_file_named_like_a_pattern_is_that_file_and_globs_recurse(tmp_path):
    # art[1].txt was read as the pattern art[1].txt: art1.txt ran, or nothing was found.
    folder = tmp_path / "br"
    (folder / "s1" / "s2").mkdir(parents=True)
    (folder / "art[1].txt").write_text("أ\n", encoding="utf-8")
    (folder / "art1.txt").write_text("ب\n", encoding="utf-8")
    (found,) = read_inputs(str(folder / "art[1].txt"))
    assert found.path == str((folder / "art[1].txt").resolve()) and found.id == "art[1]"
    for name in ("top.txt", "s1/mid.txt", "s1/s2/deep.txt"):
        (folder / name).write_text("ج\n", encoding="utf-8")
    deep = read_inputs(str(folder / "**" / "*.txt"))
    assert {a.id for a in deep} >= {"top", "mid", "deep"}


def test_dangling_links_in_a_folder_are_failed_articles_not_left_out(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.ar.txt").write_text("أ\n", encoding="utf-8")
    (folder / "a.en.txt").symlink_to(tmp_path / "missing.en.txt")
    (folder / "b.txt").symlink_to(tmp_path / "missing.txt")
    articles = {a.id: a for a in read_inputs(str(folder))}
    assert set(articles) == {"a", "b"}
    assert articles["a"].reference == str(folder / "a.en.txt")  # read, and said missing
    assert articles["b"].path == str(folder / "b.txt")


def test_bad_manifests_are_named_before_any_work(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "path": "a.txt"}\n{not json\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2: not valid JSON"):
        read_inputs(str(bad))
    dup = tmp_path / "dup.jsonl"
    dup.write_text('{"id": "a", "path": "x.txt"}\n{"id": "a", "path": "y.txt"}\n')
    with pytest.raises(InputError, match="Two articles have the id 'a'"):
        read_inputs(str(dup))
    for bad_id in ("../x", "summary.jsonl", ".hidden"):
        escape = tmp_path / "escape.jsonl"
        escape.write_text(json.dumps({"id": bad_id, "path": "x.txt"}) + "\n")
        with pytest.raises(InputError, match="cannot be an article id"):
            read_inputs(str(escape))
    typed = tmp_path / "typed.jsonl"
    typed.write_text('{"id": "a", "path": 5}\n')
    with pytest.raises(InputError, match="line 1"):
        read_inputs(str(typed))
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes('{"id": "é", "path": "x.txt"}\n'.encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_inputs(str(latin1))
    bom = tmp_path / "bom.jsonl"
    bom.write_text('\ufeff{"id": "a", "path": "x.txt"}\n', encoding="utf-8")
    assert [a.id for a in read_inputs(str(bom))] == ["a"]
    misspelt = tmp_path / "misspelt.jsonl"  # else the article would run unscored
    misspelt.write_text('{"id": "a", "path": "x.txt", "refrence": "x.en.txt"}\n')
    with pytest.raises(InputError, match='line 1: .* field "refrence"; did you mean "reference"'):
        read_inputs(str(misspelt))
    misspelt.write_text('{"id": "a", "path": "x.txt", "hpy": "x.en.txt"}\n')
    with pytest.raises(InputError, match='did you mean "hyp"'):
        read_inputs(str(misspelt))
    for key, meant in (("Reference", "reference"), ("ref", "reference"), ("translation", "hyp"),
                       ("hyp-layout", "hyp_layout"), ("hyp_layot", "hyp_layout")):  # fmt: skip
        misspelt.write_text(json.dumps({"id": "a", "path": "x.txt", key: "x.en.txt"}) + "\n")
        with pytest.raises(InputError, match=f'did you mean "{meant}"'):
            read_inputs(str(misspelt))
    own = tmp_path / "own.jsonl"  # fields of the user's own are left to the user
    fields = {"title": "News", "url": "http://x", "uid": 7, "source": "Reuters", "lang": "ar",
              "reference_url": "http://y", "hyp_2": "other.txt", "id_source": "wire"}  # fmt: skip
    own.write_text(json.dumps({"id": "a", "path": "x.txt", **fields}) + "\n")
    assert [a.id for a in read_inputs(str(own))] == ["a"]
    one_json = tmp_path / "list.json"  # meant as a manifest: said, not read as an article
    one_json.write_text('[{"id": "a", "path": "x.txt"}]\n')
    with pytest.raises(InputError, match="is a .json file; a manifest is JSON lines"):
        read_inputs(str(one_json))
    for name in ("list.JSONL", "list.ndjson"):  # a manifest, not an article named "list"
        other = tmp_path / name
        other.write_text('{"id": "a", "path": "x.txt"}\n{"id": "b", "path": "y.txt"}\n')
        assert [a.id for a in read_inputs(str(other))] == ["a", "b"]
    with pytest.raises(InputError, match="No article files"):
        read_inputs(str(tmp_path / "nothing-*.txt"))
    # a path with no pattern in it that is not there is said so, not as a pattern
    with pytest.raises(InputError, match="There is no folder or file at .*articles"):
        read_inputs(str(tmp_path / "articles"))


def test_bad_article_is_isolated_and_the_exit_status_says_so(tiny_model, tmp_path, capsys):
    manifest = make_articles(tmp_path / "in", n=2, bad=True)
    out = tmp_path / "out"
    assert main(batch_args(manifest, out, tiny_model)) == 1
    rows = [json.loads(x) for x in (out / "summary.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["art0", "broken", "art1"]
    assert [r["status"] for r in rows] == ["ok", "failed", "ok"]
    assert "binary" in rows[1]["error"]
    corpus = json.loads((out / "corpus.json").read_text())
    counts = [len((out / a / "aligned.hyp.txt").read_text().splitlines()) for a in ("art0", "art1")]
    # (an article whose gibberish matched no reference sentence has nothing scored)
    assert corpus["articles_scored"] == sum(1 for n in counts if n) >= 1
    assert corpus["pairs"] == sum(counts)
    assert "1 of 3 article(s) failed" in capsys.readouterr().err
    # a second run skips what is complete and gives the same files; batch.json keeps the
    # articles in the job's order (the failed one, which has no folder, moved to the end)
    before = outputs(out)
    assert main(batch_args(manifest, out, tiny_model)) == 1
    assert outputs(out) == before
    assert json.loads((out / "batch.json").read_text())["articles"] == ["art0", "broken", "art1"]


def test_other_settings_are_refused_then_force_starts_over(tiny_model, tmp_path, capsys):
    manifest = make_articles(tmp_path / "in", n=1)
    out = tmp_path / "out"
    assert main(batch_args(manifest, out, tiny_model)) == 0
    other = batch_args(manifest, out, tiny_model)
    other[other.index("--beams") + 1] = "3"
    assert main(other) == 2
    err = capsys.readouterr().err
    assert "other settings" in err and "num_beams" in err and "Traceback" not in err
    (out / "my-notes").mkdir()  # the user's own things in the folder survive --force
    (out / "my-notes" / "a.txt").write_text("mine")
    assert main([*other, "--force"]) == 0
    batch = json.loads((out / "batch.json").read_text())
    assert batch["settings"]["num_beams"] == 3 and batch["articles"] == ["art0"]
    assert (out / "my-notes" / "a.txt").read_text() == "mine"
    stray = tmp_path / "stray"
    stray.mkdir()
    (stray / "notes.txt").write_text("mine")
    for extra in ((), ("--force",)):  # not a batch folder: never touched, even with --force
        assert main([*batch_args(manifest, stray, tiny_model), *extra]) == 2
    assert sorted(p.name for p in stray.iterdir()) == ["notes.txt"]


def test_a_force_stopped_while_clearing_can_be_repeated(tiny_model, tmp_path, monkeypatch):
    """--force stopped after removing the old runs, before it records the new batch: the
    folder (with the user's own files kept) is still a batch folder, and --force again
    finishes the job."""
    import align.batch as batch

    manifest = make_articles(tmp_path / "in", n=1)
    out = tmp_path / "out"
    assert main(batch_args(manifest, out, tiny_model)) == 0
    (out / "my-notes").mkdir()
    (out / "my-notes" / "a.txt").write_text("mine")
    other = batch_args(manifest, out, tiny_model)
    other[other.index("--beams") + 1] = "3"
    real_write = batch.atomic_write_text

    def stop_at_the_record(path, text):
        if Path(path).name == "batch.json":
            raise KeyboardInterrupt
        real_write(path, text)

    monkeypatch.setattr(batch, "atomic_write_text", stop_at_the_record)
    assert main([*other, "--force"]) == 130  # Ctrl-C
    assert not (out / "art0").exists() and (out / "batch.json").is_file()
    monkeypatch.setattr(batch, "atomic_write_text", real_write)
    assert main([*other, "--force"]) == 0
    assert json.loads((out / "batch.json").read_text())["settings"]["num_beams"] == 3
    assert (out / "my-notes" / "a.txt").read_text() == "mine"


def test_the_device_that_translates_is_a_setting(tiny_model, monkeypatch):
    """A batch made on the CPU and resumed where "auto" finds CUDA (float16 instead of
    int8) is made with other settings; on the CPU the settings name no device, as before."""
    import torch

    from align.batch import BatchSettings, fingerprint

    settings = BatchSettings(model=str(tiny_model), engine="ctranslate2", align_method="lexical")
    on_cpu = fingerprint(settings)
    assert "device" not in on_cpu
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert fingerprint(settings) == {**on_cpu, "device": "cuda"}
    # a remote cluster's workers choose "auto" on their own machines
    assert fingerprint(settings, here=False) == on_cpu
    # the refusal names the difference, whichever side names the device
    from align.batch import _difference

    assert _difference({**on_cpu, "device": "cuda"}, on_cpu) == (
        "device: 'cuda' there, none named (auto) now"
    )
    # checks are named only when off: the other side says what they were, not None
    assert _difference(on_cpu, {**on_cpu, "checks": False}) == "checks: True there, False now"


def test_the_default_quantization_named_is_the_default(tiny_model, monkeypatch):
    """--quantization int8 on the CPU (float16 on CUDA) makes the runs the default makes:
    a batch made one way resumes the other way instead of being refused."""
    import torch

    from align.batch import BatchSettings, fingerprint

    default = BatchSettings(model=str(tiny_model), engine="ctranslate2", align_method="lexical")
    named = BatchSettings(**{**default.__dict__, "quantization": "int8"})
    other = BatchSettings(**{**default.__dict__, "quantization": "float32"})
    assert fingerprint(named) == fingerprint(default) != fingerprint(other)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)  # float16 by default there
    assert fingerprint(named) != fingerprint(default)
    cuda_default = BatchSettings(**{**default.__dict__, "quantization": "float16"})
    assert fingerprint(cuda_default) == fingerprint(default)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    # A batch recorded before, with the default named as typed, resumes with or without it.
    from align.batch import _same_settings

    recorded = {**fingerprint(default), "quantization": "int8"}
    assert _same_settings(recorded, fingerprint(default))
    assert _same_settings(recorded, fingerprint(named))
    assert not _same_settings({**recorded, "quantization": "float32"}, fingerprint(default))
    # a remote cluster's workers choose the device: what was asked for is recorded, and a
    # record of int8 there is not read as the CPU's default (its workers may have CUDA)
    assert fingerprint(named, here=False)["quantization"] == "int8"
    remote = fingerprint(named, here=False)
    assert not _same_settings(remote, fingerprint(default, here=False), here=False)
    assert _same_settings(remote, fingerprint(named, here=False), here=False)


def test_a_changed_article_is_run_again(tiny_model, tmp_path):
    manifest = make_articles(tmp_path / "in", n=2)
    out = tmp_path / "out"
    assert main(batch_args(manifest, out, tiny_model)) == 0
    first = (out / "art1" / "segments.jsonl").read_text()
    part = BODY[9:12]  # other lines under the same id
    (tmp_path / "in" / "art1.txt").write_text("\n".join(a for a, _ in part) + "\n")
    assert main(batch_args(manifest, out, tiny_model)) == 0
    assert (out / "art1" / "segments.jsonl").read_text() != first
    assert json.loads((out / "art1" / "manifest.json").read_text())["article"]["sha256"]


def test_kill_9_mid_job_then_resume_equals_one_uninterrupted_job(tiny_model, tmp_path):
    manifest = make_articles(tmp_path / "in", n=4)
    whole = tmp_path / "whole"
    assert main(batch_args(manifest, whole, tiny_model)) == 0

    killed = tmp_path / "killed"
    # killed as soon as the first article is complete (the runs are written one after the
    # other within milliseconds: a kill timed from outside would come too late at times)
    code = (
        "import os, signal, sys\n"
        "import align.pipeline as pipeline\n"
        "write = pipeline.write_run\n"
        "def written_then_killed(*args, **kwargs):\n"
        "    write(*args, **kwargs)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "pipeline.write_run = written_then_killed\n"
        "from align.cli import entry\n"
        f"sys.argv = ['arabic-align', *{batch_args(manifest, killed, tiny_model)!r}]\n"
        "entry()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=300,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    assert proc.returncode == -signal.SIGKILL
    assert (killed / "art0" / "manifest.json").exists()
    assert not (killed / "art3" / "manifest.json").exists(), "the job finished before the kill"
    assert main(batch_args(manifest, killed, tiny_model)) == 0
    got, expected = outputs(killed), outputs(whole)
    assert sorted(got) == sorted(expected)
    assert [k for k in expected if got[k] != expected[k]] == []

    # nothing else is left behind: the same files everywhere (temp files of the kill removed)
    def names(root):
        return sorted(str(p.relative_to(root)) for p in root.rglob("*"))

    assert names(killed) == names(whole)


def test_ray_local_cluster_gives_the_same_outputs(tiny_model, tmp_path, capsys, monkeypatch):
    # Ray saves a token of its own in ~/.ray unless it is given one: nothing goes there
    import align.batch as batch

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in batch.RAY_TOKEN_SOURCES:  # (set first, so that the test's end unsets it)
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    manifest = make_articles(tmp_path / "in", n=3, bad=True)
    local, distributed = tmp_path / "local", tmp_path / "ray"
    assert main(batch_args(manifest, local, tiny_model)) == 1  # the broken article fails
    capsys.readouterr()
    try:
        assert main([*batch_args(manifest, distributed, tiny_model), "--executor", "ray",
                     "--workers", "2"]) == 1  # fmt: skip
    finally:
        import ray

        ray.shutdown()  # later tests start from a process without a cluster, as a CLI does
    assert outputs(distributed) == outputs(local)
    assert list(home.iterdir()) == []
    err = capsys.readouterr().err
    assert "broken: failed (the article" in err  # the reason, as the local executor says it
    assert "Progress bars disabled" not in err  # Ray Data's own logs held to errors
    # each actor holds one CPU of the cluster (Ray sets OMP_NUM_THREADS=1 in it) and
    # translates with one thread, however many cores the node has
    for run in (distributed / f"art{k}" for k in range(3)):
        translator = read_json(run / "manifest.json")["translator"]
        assert translator["engine"] == "ctranslate2"  # `--engine auto`, CTranslate2 installed
        assert (translator["inter_threads"], translator["intra_threads"]) == (1, 1)


def test_article_ids_name_run_folders():
    a = Article("x", "/tmp/x.txt")
    assert a.reference is None


# -- articles that come with their translation ----------------------------------------------------


def give_translation(manifest: Path, aid: str, text: str, layout: str | None = None) -> Path:
    """Write ``text`` as the translation of article ``aid`` and name it in the manifest."""
    path = manifest.parent / f"{aid}.hyp"
    path.write_text(text, encoding="utf-8")
    rows = [json.loads(x) for x in manifest.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["id"] == aid:
            row["hyp"] = path.name
            if layout is not None:
                row["hyp_layout"] = layout
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def translation_of(article: Path) -> list[str]:
    """The seed reference's line for each segment to translate of ``article`` (made of seed
    article lines): a translation made elsewhere, one line per segment."""
    from align.pipeline import Pipeline

    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical"))
    seed = [s.text for s in pipeline.segment(SEED / "article.ar.txt").to_translate]
    return [REF[seed.index(s.text)] for s in pipeline.segment(article).to_translate]


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def stamps(out: Path, ids) -> dict[str, int]:
    return {a: (out / a / "manifest.json").stat().st_mtime_ns for a in ids}


def test_given_and_translated_articles_in_one_batch(tiny_model, tmp_path, capsys):
    import hashlib

    manifest = make_articles(tmp_path / "in", n=2)
    given = translation_of(tmp_path / "in" / "art0.txt")
    hyp = give_translation(manifest, "art0", "\n".join(given) + "\n")
    out = tmp_path / "out"
    assert main(batch_args(manifest, out, tiny_model)) == 0
    rows = [json.loads(x) for x in (out / "summary.jsonl").read_text().splitlines()]
    assert [(r["id"], r["status"]) for r in rows] == [("art0", "ok"), ("art1", "ok")]
    assert (out / "art0" / "hyp.txt").read_text(encoding="utf-8").splitlines() == given
    assert rows[0]["scores"]["chrf"] > 99  # the translation is the reference, segmented
    first = read_json(out / "art0" / "manifest.json")
    assert first["translator"]["given"] == {
        "path": str(hyp), "sha256": hashlib.sha256(hyp.read_bytes()).hexdigest(),
        "hyp_layout": "lines",
    }  # fmt: skip
    assert "given" not in read_json(out / "art1" / "manifest.json")["translator"]
    # The model translated art1; art0, given and aligned without attention, used none.
    assert first["model"] is None
    assert read_json(out / "art1" / "manifest.json")["model"] is not None

    # run again: both are complete and skipped
    before, times = outputs(out), stamps(out, ["art0", "art1"])
    capsys.readouterr()
    assert main(batch_args(manifest, out, tiny_model)) == 0
    assert "2 article(s) already complete" in capsys.readouterr().err
    assert outputs(out) == before and stamps(out, ["art0", "art1"]) == times

    # another translation of art0: that article, and only that one, runs again
    changed = [*given[:-1], "Another translation of the last segment."]
    hyp.write_text("\n".join(changed) + "\n", encoding="utf-8")
    assert main(batch_args(manifest, out, tiny_model)) == 0
    assert "1 article(s) already complete" in capsys.readouterr().err
    assert (out / "art0" / "hyp.txt").read_text(encoding="utf-8").splitlines() == changed
    assert stamps(out, ["art1"]) == {"art1": times["art1"]}
    # read another way (a document, not lines): run again too
    give_translation(manifest, "art0", hyp.read_text(encoding="utf-8"), layout="document")
    assert main(batch_args(manifest, out, tiny_model)) == 0
    assert "1 article(s) already complete" in capsys.readouterr().err
    manifest0 = read_json(out / "art0" / "manifest.json")
    assert manifest0["translator"]["given"]["hyp_layout"] == "document"


def test_a_batch_of_given_translations_loads_no_model(tmp_path, monkeypatch):
    import align.model.load

    def refuse(*args, **kwargs):
        raise AssertionError("a model was loaded")

    monkeypatch.setattr(align.model.load, "load_marian", refuse)
    manifest = make_articles(tmp_path / "in", n=2)
    given = {a: translation_of(tmp_path / "in" / f"{a}.txt") for a in ("art0", "art1")}
    give_translation(manifest, "art0", "\n".join(given["art0"]) + "\n")
    # the second as one paragraph: its sentences are brought to the segments
    give_translation(manifest, "art1", " ".join(given["art1"]) + "\n", "document")
    out = tmp_path / "out"
    argv = ["batch", str(manifest), "--out", str(out), "--align-method", "lexical", "--quiet",
            "--ref-layout", "document"]  # fmt: skip
    assert main(argv) == 0
    assert read_json(out / "batch.json")["settings"]["model_hash"] is None
    for aid, lines in given.items():
        run = read_json(out / aid / "manifest.json")
        assert run["model"] is None
        assert (out / aid / "hyp.txt").read_text(encoding="utf-8").splitlines() == lines
    assert main(argv) == 0  # and again: skipped, still without a model


def test_manifest_translations(tmp_path):
    manifest = make_articles(tmp_path / "in", n=2)
    hyp = give_translation(manifest, "art1", "One.\n", "document")
    first, second = read_inputs(str(manifest))
    assert (first.hyp, first.hyp_layout) == (None, "lines")
    assert (second.hyp, second.hyp_layout) == (str(hyp.resolve()), "document")
    bad = tmp_path / "in" / "bad.jsonl"
    for row, says in (
        ({"id": "a", "path": "a.txt", "hyp": 5}, 'line 1: "hyp" is the name of a file, not 5'),
        ({"id": "a", "path": "a.txt", "hyp": ""}, 'line 1: "hyp" is the name of a file, not ""'),
        ({"id": "a", "path": "a.txt", "reference": ["r"]}, '"reference" is the name of a file'),
        ({"id": "a", "path": "a.txt", "hyp": "a.en", "hyp_layout": "pages"}, "hyp_layout"),
        ({"id": "a", "path": "a.txt", "hyp_layout": "document"}, "layout of a"),
    ):
        bad.write_text(json.dumps(row) + "\n", encoding="utf-8")
        with pytest.raises(InputError, match=says):
            read_inputs(str(bad))


def test_a_manifests_paths_are_files_whatever_letters_they_hold(tmp_path, capsys):
    """A missing article whose name has Arabic letters is a failed article, not its name
    translated as the article's text; a reference named with a line break is read."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.hyp").write_text("One line.\n", encoding="utf-8")
    (folder / "a.txt").write_text("قال الوزير.\n", encoding="utf-8")
    (folder / "ref\nx.en").write_text("The minister said.\n", encoding="utf-8")
    rows = [
        {"id": "missing", "path": "مقالات/خبر", "hyp": "one.hyp"},
        {"id": "a", "path": "a.txt", "reference": "ref\nx.en", "hyp": "one.hyp"},
    ]
    manifest = folder / "m.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", str(manifest), "--out", str(out), "--align-method", "lexical", "--quiet"]
    assert main(args) == 1
    summary = [json.loads(x) for x in (out / "summary.jsonl").read_text().splitlines()]
    status = {r["id"]: (r["status"], r.get("error", "")) for r in summary}
    assert status["missing"][0] == "failed" and "does not exist" in status["missing"][1]
    assert status["a"][0] == "ok"
    assert not (out / "missing").exists()
    assert (out / "a" / "ref.txt").read_text(encoding="utf-8") == "The minister said.\n"


def test_ray_takes_given_translations_on_the_driver(tiny_model, tmp_path, capsys):
    manifest = make_articles(tmp_path / "in", n=2)
    given = translation_of(tmp_path / "in" / "art0.txt")
    give_translation(manifest, "art0", "\n".join(given) + "\n")
    local, distributed = tmp_path / "local", tmp_path / "ray"
    assert main(batch_args(manifest, local, tiny_model)) == 0
    capsys.readouterr()
    import warnings

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            # two workers, one article to translate: one actor, not one idle that Ray warns of
            assert main([*batch_args(manifest, distributed, tiny_model), "--executor", "ray",
                         "--workers", "2"]) == 0  # fmt: skip
    finally:
        import ray

        ray.shutdown()
    assert not [w for w in caught if "actors" in str(w.message)]
    err = capsys.readouterr().err
    assert "[1/1] art1: translated" in err and "art0: translated" not in err  # no worker
    assert (distributed / "art0" / "hyp.txt").read_text(encoding="utf-8").splitlines() == given
    assert outputs(distributed) == outputs(local)


def test_ray_options_without_the_ray_executor_are_refused(tmp_path, capsys):
    # A cluster was meant: a local run done without a word would hide that.
    manifest = make_articles(tmp_path / "in", n=1)
    out = tmp_path / "out"
    for option in (["--ray-address", "10.0.0.1:6379"], ["--workers", "9"],
                   ["--ray-timeout", "5"]):  # fmt: skip
        assert main(["batch", str(manifest), "--out", str(out), *option]) == 2
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and f"{option[0]} is for --executor ray" in lines[0]
    assert not out.exists()


def test_old_batch_option_spellings_name_the_new_ones(tmp_path, capsys):
    manifest = make_articles(tmp_path / "in", n=1)
    out = tmp_path / "out"
    for old, new in ((["--engine", "ray"], "--executor ray"),
                     (["--engine", "local"], "--executor local"),
                     (["--mt-engine", "ctranslate2"], "--engine ctranslate2"),
                     (["--mt-engine", "ct2"], "use --engine ctranslate2"),  # its short name
                     (["--mt-engine", "x"], "--engine auto|transformers|ctranslate2")):  # fmt: skip
        assert main(["batch", str(manifest), "--out", str(out), *old]) == 2
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and new in lines[0] and "Traceback" not in lines[0]
    assert not out.exists()


# -- folders of articles with their references; what batch says on stderr ---------------------


def write_article(folder: Path, name: str, part) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join(a for a, _ in part) + "\n", encoding="utf-8")


def test_folder_references_are_read_beside_their_articles(tmp_path):
    folder = tmp_path / "in"
    write_article(folder, "a1.ar.txt", BODY[0:3])
    (folder / "a1.en.txt").write_text("\n".join(r for _, r in BODY[0:3]) + "\n")
    write_article(folder, "a2.ar.txt", BODY[3:6])
    write_article(folder, "a3.txt", BODY[6:9])  # NAME.txt takes NAME.en.txt too
    (folder / "a3.en.txt").write_text("One.\n")
    first, second, third = read_inputs(str(folder))
    assert [a.id for a in (first, second, third)] == ["a1", "a2", "a3"]
    assert first.reference == str((folder / "a1.en.txt").resolve())
    assert second.reference is None
    assert third.reference == str((folder / "a3.en.txt").resolve())
    # a glob and a manifest are read as before: a glob's every file is an article
    assert [a.reference for a in read_inputs(str(folder / "a2.*"))] == [None]
    with pytest.raises(InputError, match="Two articles have the id 'a1'"):
        read_inputs(str(folder / "a1.*"))
    (folder / "a1.ar.en.txt").write_text("Two.\n")  # a second reference of a1.ar.txt
    with pytest.raises(InputError, match="are both references of"):
        read_inputs(str(folder))


def test_batch_of_a_folder_with_and_without_references(tiny_model, tmp_path, capsys):
    folder = tmp_path / "in"
    write_article(folder, "a1.ar.txt", BODY[0:3])
    (folder / "a1.en.txt").write_text("\n".join(r for _, r in BODY[0:3]) + "\n")
    write_article(folder, "a2.ar.txt", BODY[3:6])
    out = tmp_path / "out"
    argv = ["batch", str(folder), "--out", str(out), "--model", str(tiny_model),
            "--max-new-tokens", "2", "--align-method", "lexical",
            "--ref-layout", "document"]  # fmt: skip
    assert main(argv) == 0
    captured = capsys.readouterr()
    a1, a2 = (read_json(out / aid / "manifest.json") for aid in ("a1", "a2"))
    assert a1["reference"]["path"] == str((folder / "a1.en.txt").resolve())
    assert a1["reference_layout"] == "document"
    assert a2["reference"] is None
    rows = [json.loads(x) for x in (out / "summary.jsonl").read_text().splitlines()]
    assert [(r["id"], r["status"], r["scores"] is not None) for r in rows] == [
        ("a1", "ok", True), ("a2", "ok", False),
    ]  # fmt: skip
    # the fixture warning once, first, on stderr; the closing line is information
    err = captured.err.splitlines()
    gibberish = [line for line in err if "gibberish" in line]
    assert gibberish == [
        f"arabic-align: warning: {tiny_model} is a fixture model with random weights: its "
        "output is gibberish, not translation"
    ]
    assert err.index(gibberish[0]) < next(k for k, x in enumerate(err) if "processed" in x)
    closing = [line for line in err if "article(s) processed" in line]
    assert closing and closing[0].startswith("2 article(s) processed")
    assert not [line for line in err if "warning:" in line and line not in gibberish]
    assert "gibberish" not in captured.out


def test_an_orphan_reference_in_a_folder_is_an_error(tmp_path, capsys):
    folder = tmp_path / "in"
    write_article(folder, "a1.ar.txt", BODY[0:3])
    (folder / "b.en.txt").write_text("An orphan.\n")
    out = tmp_path / "out"
    assert main(["batch", str(folder), "--out", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0]
    assert lines[0].startswith("arabic-align: error:") and "b.en.txt" in lines[0]
    assert "is a reference" in lines[0]
    assert not out.exists()


def test_a_worker_that_only_translates_loads_no_aligner(tiny_model, tmp_path):
    """Ray workers translate; the driver aligns. A worker builds no aligner and so loads no
    PyTorch weights for the attention under CTranslate2, while the driver does."""
    from align.batch import BatchSettings

    settings = BatchSettings(str(tiny_model), engine="ctranslate2", max_new_tokens=4)
    worker = settings.pipeline(progress=False, align=False)
    assert worker.align_method == "hybrid" and worker.background is None
    with pytest.raises(RuntimeError, match="only translates"):
        worker.aligner.align([("قال", "said")])
    assert worker.translate(["قال كيربي"]) and worker.loaded.model is None
    driver = settings.pipeline(progress=False)
    assert driver.aligner.settings["attention"]["forced_decoding"] == "transformers"
    assert driver.loaded.model is not None


def test_no_cache_bypasses_an_unusable_translation_cache(tiny_model, tmp_path, monkeypatch, capsys):
    manifest = make_articles(tmp_path / "in", n=2)
    cache = tmp_path / "cache"
    (cache / "translations.sqlite").mkdir(parents=True)  # no cache a batch can use
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(cache))
    assert main(batch_args(manifest, tmp_path / "refused", tiny_model)) == 2
    assert "--no-cache" in capsys.readouterr().err  # the advice names an option batch takes
    assert main(batch_args(manifest, tmp_path / "bypassed", tiny_model, "--no-cache")) == 0
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(tmp_path / "fresh"))
    assert main(batch_args(manifest, tmp_path / "cached", tiny_model)) == 0
    assert outputs(tmp_path / "bypassed") == outputs(tmp_path / "cached")
    # the same settings: the batch made without the cache is complete for one with it
    assert main(batch_args(manifest, tmp_path / "bypassed", tiny_model)) == 0
    assert "2 article(s) already complete" in capsys.readouterr().err


def test_ray_workers_only_translate_and_the_driver_checks_each_run_folder(
    tiny_model, tmp_path, monkeypatch
):
    """A Ray worker's node may not see --out: the worker makes no run folder, and the driver
    checks each one as the local executor does (review work there fails that article, and
    the others are written). The actors run here, in-process, in place of the cluster's."""
    import align.batch as batch
    from align.records import loads_json

    made_by_workers: list[bool] = []

    def translate_here(todo, out, settings, rows, articles, workers, log, print_fp, keep=None):
        from dataclasses import asdict

        worker = batch._RayWorker(asdict(settings), print_fp)
        translated = {}
        for a in todo:
            before = (out / a.id).exists()
            result = worker({"id": [a.id], "path": [a.path], "reference": [a.reference]})
            made_by_workers.append((out / a.id).exists() and not before)
            row = loads_json(result["row"][0])
            if "hyps" in row:  # as the cluster's results are read
                translated[row["id"]] = row
                if keep is not None:
                    keep(row)
            else:
                rows[row["id"]] = row
        return translated

    monkeypatch.setattr(batch, "_connect_ray", lambda address, timeout: None)
    monkeypatch.setattr(batch, "_translate_on_ray", translate_here)
    manifest = make_articles(tmp_path / "in", n=3)
    out = tmp_path / "out"
    assert main(batch_args(manifest, out, tiny_model)) == 0
    # art1 changes, and its run folder holds a review: it must not be run over
    (tmp_path / "in" / "art1.txt").write_text(BODY[9][0] + "\n", encoding="utf-8")
    (out / "art1" / "review.json").write_text('{"schema": 2, "segments": {}}\n')
    review = (out / "art1" / "review.json").read_bytes()
    (out / "art2").rename(tmp_path / "art2-moved")  # art2 runs again, in a new folder
    assert main([*batch_args(manifest, out, tiny_model), "--executor", "ray"]) == 1
    assert made_by_workers == [False, False]
    rows = {r["id"]: r for r in map(json.loads, (out / "summary.jsonl").read_text().splitlines())}
    assert rows["art1"]["status"] == "failed" and "review" in rows["art1"]["error"]
    assert rows["art2"]["status"] == "ok" and rows["art0"]["status"] == "ok"
    assert (out / "art2" / "manifest.json").is_file()
    assert (out / "art1" / "review.json").read_bytes() == review


def test_a_folder_that_is_not_a_batch_is_refused_before_the_model_loads(
    tiny_model, tmp_path, monkeypatch, capsys
):
    import align.batch as batch

    def loaded(*args, **kwargs):
        raise AssertionError("the model was loaded first")

    monkeypatch.setattr(batch, "_check_job_here", loaded)
    manifest = make_articles(tmp_path / "in", n=1)
    stray = tmp_path / "stray"
    stray.mkdir()
    (stray / "notes.txt").write_text("mine")
    for extra in ((), ("--force",)):
        assert main([*batch_args(manifest, stray, tiny_model), *extra]) == 2
        err = capsys.readouterr().err
        assert "not a batch folder" in err and "Traceback" not in err
    assert sorted(p.name for p in stray.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(("cache", "said"), [
    ([], "translations.jsonl: a new try takes them up"),
    (["--no-cache"], "translations.jsonl: a new try takes them up"),
])  # fmt: skip
def test_a_batch_stopped_after_translating_says_what_a_new_try_keeps(
    tiny_model, tmp_path, capsys, monkeypatch, cache, said
):
    """Under --no-cache the stop said nothing of the translations, which were lost."""
    import align.batch
    from align.errors import OutputError

    def full(out, links):
        raise OutputError(f"cannot write {out / 'links.json'}: No space left on device")

    monkeypatch.setattr(align.batch, "_write_links", full)
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(tmp_path / "cache"))
    manifest = make_articles(tmp_path / "in", n=2)
    assert main([*batch_args(manifest, tmp_path / "out", tiny_model), *cache]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and said in err


def test_a_batch_stopped_after_translating_does_not_translate_again(
    tiny_model, tmp_path, capsys, monkeypatch
):
    """Under --no-cache, a job stopped between translating and writing its runs lost every
    translation it had made: the next try translated them all again."""
    import align.batch
    from align.pipeline import Pipeline

    manifest = make_articles(tmp_path / "in", n=3)
    args = [*batch_args(manifest, tmp_path / "out", tiny_model), "--no-cache"]
    whole = [*batch_args(manifest, tmp_path / "whole", tiny_model), "--no-cache"]
    assert main(whole) == 0  # an uninterrupted job, for the outputs

    def stopped(*a, **k):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(align.batch, "align_and_write", stopped)
        assert main(args) == 130
    assert len((tmp_path / "out" / "translations.jsonl").read_text().splitlines()) == 3

    def no_more(self, texts):
        raise AssertionError("translated again")

    with monkeypatch.context() as m:
        m.setattr(Pipeline, "translate", no_more)
        assert main(args) == 0
    capsys.readouterr()
    assert not (tmp_path / "out" / "translations.jsonl").exists()  # done with
    for k in range(3):
        for name in ("hyp.txt", "segments.jsonl", "scores.json"):
            made = (tmp_path / "out" / f"art{k}" / name).read_bytes()
            assert made == (tmp_path / "whole" / f"art{k}" / name).read_bytes(), name


def test_a_batch_resumes_an_article_whose_run_was_stopped_while_put_in_place(
    tiny_model, tmp_path, capsys
):
    """A kill between two renames of a run's files: no manifest, run files, the swapping
    mark; the resumed job writes that article again (it failed on every try)."""
    from align.records import SWAPPING
    from align.run import is_complete

    manifest = make_articles(tmp_path / "in", n=2)
    out = tmp_path / "out"
    assert main(batch_args(manifest, out, tiny_model)) == 0
    (out / "art1" / "manifest.json").unlink()
    (out / "art1" / SWAPPING).touch()
    assert main(batch_args(manifest, out, tiny_model)) == 0
    capsys.readouterr()
    assert is_complete(out / "art1") and not (out / "art1" / SWAPPING).exists()


def test_a_kept_translation_changed_by_hand_is_not_taken_up(tmp_path):
    """A line of translations.jsonl that is not what the batch writes (cut off, edited) is
    left out, and its article translated again: never a traceback; the next line kept after
    a cut one is read."""
    from align.batch import _keep_translation, _read_translations

    out = tmp_path / "out"
    out.mkdir()
    good = {"key": "k1", "hyps": ["a"], "notes": [], "timings": {"translate": 1.0},
            "info": {"model": None, "translator": {"engine": "x"}}}  # fmt: skip
    rows = [good, {**good, "key": "k2", "timings": {"translate": "slow"}},
            {**good, "key": "k3", "info": {"model": None}},
            {**good, "key": "k4", "hyps": [1]}]  # fmt: skip
    text = "".join(json.dumps(r) + "\n" for r in rows) + '{"key": "k5", "hyps": ['
    (out / "translations.jsonl").write_text(text, encoding="utf-8")
    assert list(_read_translations(out)) == ["k1"]
    # a translation kept after the cut line starts a line of its own: it is taken up
    _keep_translation(out, "k6", {k: v for k, v in good.items() if k != "key"}, print)
    assert list(_read_translations(out)) == ["k1", "k6"]
    # a line cut inside a character (“ is three bytes) is one bad line, not a file lost
    row = {k: v for k, v in good.items() if k != "key"}
    _keep_translation(out, "k7", {**row, "hyps": ["“quoted”"]}, print)
    path = out / "translations.jsonl"
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex("“".encode()) + 1])
    _keep_translation(out, "k8", row, print)
    assert list(_read_translations(out)) == ["k1", "k6", "k8"]


def test_a_batch_cleared_halfway_by_force_is_cleared_again(
    tiny_model, tmp_path, capsys, monkeypatch
):
    """--force removes an old run's manifest, then its files: a stop between them left a
    folder of run files and no manifest, refused by every later try."""
    import align.batch
    from align.records import SWAPPING
    from align.run import is_complete

    manifest = make_articles(tmp_path / "in", n=2)
    out = tmp_path / "out"
    assert main(batch_args(manifest, out, tiny_model)) == 0
    real = align.batch.remove_stale_temps

    def stopped(folder):
        raise KeyboardInterrupt  # after the manifest and the files, before the mark goes

    with monkeypatch.context() as m:
        m.setattr(align.batch, "remove_stale_temps", stopped)
        assert main([*batch_args(manifest, out, tiny_model), "--beams", "1", "--force"]) == 130
    assert (out / "art0" / SWAPPING).exists() and not (out / "art0" / "manifest.json").exists()
    assert real is align.batch.remove_stale_temps
    assert main([*batch_args(manifest, out, tiny_model), "--beams", "1", "--force"]) == 0
    capsys.readouterr()
    assert is_complete(out / "art0") and not (out / "art0" / SWAPPING).exists()


def test_a_mark_left_beside_a_complete_run_goes_when_the_batch_resumes(
    tiny_model, tmp_path, capsys
):
    from align.records import SWAPPING

    manifest = make_articles(tmp_path / "in", n=2)
    out = tmp_path / "out"
    assert main(batch_args(manifest, out, tiny_model)) == 0
    (out / "art1" / SWAPPING).write_text('{"run_files": []}\n', encoding="utf-8")
    assert main(batch_args(manifest, out, tiny_model)) == 0
    capsys.readouterr()
    assert not (out / "art1" / SWAPPING).exists()


def test_an_article_with_nothing_scored_is_not_counted_as_scored(tmp_path):
    """Boilerplate alone with a reference: its run has a reference and no pair to score."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bp.txt").write_text("© 2024 جميع الحقوق محفوظة\n", encoding="utf-8")
    (folder / "bp.en").write_text("Some reference.\n", encoding="utf-8")
    (folder / "empty.hyp").write_text("", encoding="utf-8")
    (folder / "ok.txt").write_text("مرحبا بالعالم\n", encoding="utf-8")
    (folder / "ok.hyp").write_text("Hello world\n", encoding="utf-8")
    (folder / "ok.en").write_text("Hello world\n", encoding="utf-8")
    rows = [
        {"id": "bp", "path": "bp.txt", "reference": "bp.en", "hyp": "empty.hyp"},
        {"id": "ok", "path": "ok.txt", "reference": "ok.en", "hyp": "ok.hyp"},
    ]
    manifest = folder / "m.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(manifest), "--out", str(out), "--align-method", "lexical",
                 "--ref-layout", "document", "--quiet"]) == 0  # fmt: skip
    lines = (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()
    summary = {r["id"]: r for r in map(json.loads, lines)}
    assert summary["bp"]["scores"] is None and summary["ok"]["scores"] is not None
    corpus = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    assert (corpus["articles"], corpus["articles_scored"], corpus["pairs"]) == (2, 1, 1)


def test_a_reference_named_in_another_unicode_form_is_its_articles(tmp_path):
    """A name copied from a system that stores names decomposed (NFD) keeps that form, and
    its article's name may be composed: the two are one name."""
    import unicodedata

    folder = tmp_path / "in"
    folder.mkdir()
    name = "أحمد"  # an alef with hamza above: one character composed, two decomposed
    assert unicodedata.normalize("NFD", name) != name
    (folder / f"{unicodedata.normalize('NFC', name)}.ar.txt").write_text("قال الوزير.\n")
    (folder / f"{unicodedata.normalize('NFD', name)}.en.txt").write_text("The minister said.\n")
    [article] = read_inputs(str(folder))
    assert Path(article.reference).read_text() == "The minister said.\n"
    assert Path(article.path).name == f"{unicodedata.normalize('NFC', name)}.ar.txt"


def test_a_file_name_that_is_not_utf8_is_named_as_that(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("قال الوزير.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"the name caf\\xe9 is not UTF-8.*give the file a UTF-8"):
        read_inputs(str(folder))
    # an id a manifest spells with a lone surrogate is not a file's name
    manifest = folder / "m.jsonl"
    manifest.write_text('{"id": "a\\udcff", "path": "x.txt"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r'the id "a\\udcff" holds a lone surrogate'):
        read_inputs(str(manifest))


def test_a_folder_taken_while_the_batch_works_fails_that_article_alone(tmp_path, monkeypatch):
    """A person's file that appears in one article's folder while the batch aligns is that
    article's failure, said as it is (nothing of it was written); the others are written."""
    from align.batch import BatchSettings, run_batch
    from align.pipeline import Pipeline

    articles = []
    for i in (1, 2):
        ar, en = tmp_path / f"a{i}.ar.txt", tmp_path / f"a{i}.en.txt"
        ar.write_text("قال الوزير إن الاجتماع انتهى.\n", encoding="utf-8")
        en.write_text("The minister said the meeting ended.\n", encoding="utf-8")
        articles.append(Article(f"a{i}", str(ar), None, str(en)))
    out = tmp_path / "out"
    align_jobs = Pipeline.align_jobs

    def meanwhile(self, jobs):
        (out / "a1" / "notes.txt").write_text("mine\n")
        return align_jobs(self, jobs)

    monkeypatch.setattr(Pipeline, "align_jobs", meanwhile)
    settings = BatchSettings(model=None, align_method="lexical", background=False, checks=False)
    rows, _ = run_batch(articles, out, settings, quiet=True, log=lambda m: None,
                        warn=lambda m: None)  # fmt: skip
    by_id = {r["id"]: r for r in rows}
    assert by_id["a1"]["status"] == "failed" and by_id["a2"]["status"] == "ok"
    assert "already exists and is not empty" in by_id["a1"]["error"]
    assert "not marked complete" not in by_id["a1"]["error"]
    assert (out / "a1" / "notes.txt").read_text() == "mine\n"
    assert not (out / "a1" / "manifest.json").exists() and (out / "a2" / "manifest.json").exists()


def test_a_ray_worker_names_the_options_as_the_driver_was_given_them(tmp_path, tiny_model):
    """A Ray worker is another process: what it says of an article names the command
    line's options when the batch came from the command line, keywords otherwise."""
    from dataclasses import asdict

    from align.batch import BatchSettings, _RayWorker

    article = tmp_path / "a.ar.txt"
    article.write_text("قال الوزير إن الاجتماع انتهى.\n", encoding="utf-8")
    ref = tmp_path / "a.en.txt"
    ref.write_text(" ".join(["word"] * 600) + "\n", encoding="utf-8")  # too long to score
    settings = asdict(BatchSettings(model=str(tiny_model), align_method="lexical",
                                    background=False, checks=False))  # fmt: skip
    said = {}
    for command_line in (True, False):
        worker = _RayWorker(settings, {}, command_line=command_line)
        result = worker({"id": ["a"], "path": [str(article)], "reference": [str(ref)]})
        said[command_line] = json.loads(result["row"][0])["error"]
    assert "(--ref-layout document)" in said[True]
    assert '(ref_layout="document")' in said[False]
