"""What the aligners know from outside the article, end to end: saved priors files
(links --save-priors / --priors), run --hyp (a translation made elsewhere), --no-background
in manifests, and a batch's joint alignment with its links.json checkpoint."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import shutil
from pathlib import Path

import pytest
import sacrebleu

import align.batch as batch
from align.cli import main
from align.errors import InputError, UserError
from align.links.background import DICT_ENV, DICT_NAME
from align.links.base import Link
from align.links.morphology import NAME as BAMA_NAME
from align.links.priors import Priors, read_priors, save_priors, train_priors
from align.links.priors import _digest as priors_digest
from align.pipeline import Pipeline
from align.settings import AlignmentSettings
from tests.conftest import ROOT, SEED

FLORES = ROOT / "corpus" / "flores200-devtest"
AR_LINES = (FLORES / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
EN_LINES = (FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
TRAIN = list(zip(AR_LINES[:40], EN_LINES[:40], strict=True))
ALIGN = list(zip(AR_LINES[40:43], EN_LINES[40:43], strict=True))

# Three articles of two sentences; خطة occurs in two of them, so the clitic splitter cuts
# الخطة of the first article into ال + خطة only when it learns from all three together.
ARTICLES = [
    [
        ("وقالت الحكومة إن الخطة ناجحة.", "The government said the plan was successful."),
        ("وقال الوزير إن الحكومة ستعمل بسرعة.", "The minister said the government would act fast."),
    ],
    [
        ("خطة السلام هي خطة جديدة.", "The peace plan is a new plan."),
        ("وقال الرئيس إن السلام ممكن.", "The president said peace was possible."),
    ],
    [
        ("وأعلن الوزير خطة أخرى للسلام.", "The minister announced another plan for peace."),
        ("وقالت الحكومة إن الخطة ستبدأ غدا.", "The government said the plan would start tomorrow."),
    ],
]


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("knowledge-cache")


@pytest.fixture(autouse=True)
def isolated_cache(shared_cache, monkeypatch) -> Path:
    """The cache (lexicon, translations, conversions) in a folder of this test session."""
    monkeypatch.setenv("ARABIC_ALIGN_CACHE", str(shared_cache))
    monkeypatch.delenv(DICT_ENV, raising=False)
    return shared_cache


def write_lines(path: Path, lines) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("arabic-align: error: "), err
    return lines[0]


@pytest.fixture(scope="module")
def trained() -> Priors:
    return train_priors(TRAIN, runs=2)


@pytest.fixture
def priors_file(trained, tmp_path) -> Path:
    path = tmp_path / "news.priors"
    save_priors(trained, path)
    return path


# -- priors files ---------------------------------------------------------------------------


def test_priors_round_trip(trained, priors_file):
    kinds = {line.split("\t")[0] for line in trained.lines}
    assert kinds == {"LEX", "HMMF", "HMMR", "FERF", "FERR"}
    assert trained.counts and min(trained.counts.values()) >= 2
    assert trained.record["pairs"] == len(TRAIN)
    read = read_priors(priors_file, pretokenized=False)
    assert read.lines == trained.lines and read.counts == trained.counts
    assert read.record["path"] == str(priors_file)
    assert read.record["sha256"] == sha256(priors_file)
    assert read.record["pairs"] == len(TRAIN)


def _rewrite_header(path: Path, **changes) -> None:
    head, body = path.read_bytes().split(b"\n", 1)
    magic, header = head.split(b"\t", 1)
    fields = {**json.loads(header), **changes}
    path.write_bytes(magic + b"\t" + json.dumps(fields).encode() + b"\n" + body)


@pytest.mark.parametrize(
    "damage, says",
    [
        ("truncated", "truncated or changed"),
        ("one byte", "truncated or changed"),
        ("other format", "format 9"),
        # the header is covered by the hash too: its tokenization, its pairs
        ("header:pretokenized", "truncated or changed"),
        ("header:pairs", "truncated or changed"),
        ("other tokenization", "tokenization"),
        ("foreign", "not an arabic-align priors file"),
        ("empty", "not an arabic-align priors file"),
        ("header", "header is damaged"),
        ("bad line", "a line of the priors file is damaged"),
        # hand-edited, the hash made again: what eflomal cannot read, or cannot count with
        ("line:HMMF\tabc\t1", "a line of the priors file is damaged"),
        ("line:LEX\tقال\tsaid\tnan", "a line of the priors file is damaged"),
        ("line:LEX\tقال\tsaid\tinf", "a line of the priors file is damaged"),
        ("line:LEX\tقال\tsaid\t-1e9", "a line of the priors file is damaged"),
        ("line:FERF\tقال\t-5\t1", "a line of the priors file is damaged"),
        ("line:WORD\tقال\t-3", "a line of the priors file is damaged"),
        ("missing", "does not exist"),
        ("dangling link", "is a link to"),
        ("fifo", "not a regular file"),  # a read of a named pipe would block for ever
    ],
)
def test_bad_priors_file_is_one_sentence_with_its_path(trained, priors_file, damage, says):
    raw = priors_file.read_bytes()
    if damage == "truncated":
        priors_file.write_bytes(raw[: len(raw) - 30])
    elif damage == "one byte":
        at = max(k for k in range(len(raw)) if raw[k : k + 1].isdigit())
        digit = b"1" if raw[at : at + 1] != b"1" else b"2"
        priors_file.write_bytes(raw[:at] + digit + raw[at + 1 :])
    elif damage == "other format":
        _rewrite_header(priors_file, format=9)
    elif damage.startswith("header:"):
        key = damage[len("header:") :]
        header = json.loads(raw.split(b"\n", 1)[0].split(b"\t", 1)[1])
        _rewrite_header(priors_file, **{key: not header[key] if key == "pretokenized" else 5000})
    elif damage == "other tokenization":
        record = {**trained.record, "pretokenized": True}  # as train_priors(pretokenized=True)
        save_priors(dataclasses.replace(trained, record=record), priors_file)
        assert read_priors(priors_file, pretokenized=True).lines == trained.lines
    elif damage == "foreign":
        priors_file.write_text("LEX\tقال\tsaid\t3\n", encoding="utf-8")
    elif damage == "empty":
        priors_file.write_bytes(b"")
    elif damage == "header":
        priors_file.write_bytes(b"#arabic-align-priors\t{not json\n" + raw.split(b"\n", 1)[1])
    elif damage == "bad line" or damage.startswith("line:"):
        line = "LEX\tonly-two" if damage == "bad line" else damage[len("line:") :]
        body = raw.split(b"\n", 1)[1] + line.encode() + b"\n"
        priors_file.write_bytes(raw.split(b"\n", 1)[0] + b"\n" + body)
        header = json.loads(raw.split(b"\n", 1)[0].split(b"\t", 1)[1])
        _rewrite_header(priors_file, sha256=priors_digest(header, body))
    elif damage == "fifo":
        priors_file.unlink()
        os.mkfifo(priors_file)
    elif damage == "dangling link":
        priors_file.unlink()
        priors_file.symlink_to(priors_file.parent / "gone" / "priors.txt")
    else:
        priors_file.unlink()
    with pytest.raises(InputError) as err:
        read_priors(priors_file, pretokenized=False)
    message = str(err.value)
    assert says in message and str(priors_file) in message and "\n" not in message


def test_save_priors_says_how_many_pairs_it_learned_from(tmp_path, capsys):
    # Pairs past eflomal's length are not trained on: priors "of 2 pairs" held nothing.
    long_ar, long_en = " ".join(["كلمة"] * 1100), " ".join(["word"] * 1100)
    src = write_lines(tmp_path / "src.ar", [a for a, _ in ALIGN])
    tgt = write_lines(tmp_path / "tgt.en", [e for _, e in ALIGN])
    base = ["links", "--src", str(src), "--tgt", str(tgt), "--out", str(tmp_path / "o.ph"),
            "--method", "statistical", "--no-background", "--runs", "1"]  # fmt: skip
    train = [write_lines(tmp_path / "t.ar", [long_ar, long_ar]),
             write_lines(tmp_path / "t.en", [long_en, long_en])]  # fmt: skip
    saved = tmp_path / "p.priors"
    assert main([*base, "--train", *map(str, train), "--save-priors", str(saved)]) == 2
    assert "none of the 2 training pair(s) can be trained on" in one_error_line(
        capsys.readouterr().err
    )
    assert not saved.exists()
    (a, e) = TRAIN[0]
    train = [write_lines(tmp_path / "t.ar", [long_ar, a]),
             write_lines(tmp_path / "t.en", [long_en, e])]  # fmt: skip
    assert main([*base, "--train", *map(str, train), "--save-priors", str(saved)]) == 0
    assert "priors of 1 training pair (1 left out" in capsys.readouterr().out
    jumps = [int(x.split("\t")[1]) for x in read_priors(saved, False).lines if x[:3] == "HMM"]
    assert jumps and max(jumps) < 1000  # nothing of the pair left out (an end jump of 1,101)


def test_links_save_priors_then_use_them(tmp_path, capsys):
    train_ar = write_lines(tmp_path / "train.ar", [a for a, _ in TRAIN])
    train_en = write_lines(tmp_path / "train.en", [e for _, e in TRAIN])
    src = write_lines(tmp_path / "src.ar", [a for a, _ in ALIGN])
    tgt = write_lines(tmp_path / "tgt.en", [e for _, e in ALIGN])
    saved = tmp_path / "saved.priors"
    common = ["--src", str(src), "--tgt", str(tgt), "--method", "statistical",
              "--no-background", "--runs", "2"]  # fmt: skip
    code = main(["links", *common, "--out", str(tmp_path / "a.pharaoh"),
                 "--train", str(train_ar), str(train_en), "--save-priors", str(saved)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and f"priors of {len(TRAIN)} training pairs" in out
    made = read_priors(saved, pretokenized=False)
    assert made.record["pairs"] == len(TRAIN) and made.lines
    assert len((tmp_path / "a.pharaoh").read_text().splitlines()) == len(ALIGN)

    pharaoh, jsonl = tmp_path / "b.pharaoh", tmp_path / "b.jsonl"
    code = main(["links", *common, "--out", str(pharaoh), "--priors", str(saved),
                 "--json", str(jsonl)])  # fmt: skip
    assert code == 0
    lines = pharaoh.read_text().splitlines()
    assert len(lines) == len(ALIGN) and all(lines)
    rows = [json.loads(x) for x in jsonl.read_text().splitlines()]
    assert [r["method"] for r in rows] == ["statistical"] * len(ALIGN)
    assert all(r["links"] for r in rows)  # unit links: the Pharaoh file has word links

    # the same priors are refused for pretokenized text: other units, other forms
    code = main(["links", *common, "--out", str(tmp_path / "c.pharaoh"), "--priors", str(saved),
                 "--pretokenized"])  # fmt: skip
    assert code == 2 and "tokenization" in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "c.pharaoh").exists()
    # and by the hybrid aligner with its background, which cuts words with Buckwalter's
    # lexicon too: other units; priors it saved are refused by the statistical method
    hybrid = ["--src", str(src), "--tgt", str(tgt), "--method", "hybrid", "--runs", "1"]
    code = main(["links", *hybrid, "--out", str(tmp_path / "d.pharaoh"), "--priors", str(saved)])
    said = one_error_line(capsys.readouterr().err)
    assert code == 2 and "cut without Buckwalter's lexicon" in said, said
    code = main(["links", *hybrid, "--out", str(tmp_path / "e.pharaoh"), "--train",
                 str(train_ar), str(train_en), "--save-priors", str(saved)])  # fmt: skip
    assert code == 0 and read_priors(saved, pretokenized=False).record["lexicon_splits"]
    capsys.readouterr()
    code = main(["links", *common, "--out", str(tmp_path / "f.pharaoh"), "--priors", str(saved)])
    said = one_error_line(capsys.readouterr().err)
    assert code == 2 and "cut with Buckwalter's lexicon" in said, said
    assert not (tmp_path / "d.pharaoh").exists() and not (tmp_path / "f.pharaoh").exists()
    # run and batch say so before any work (a batch on a cluster aligns after translating)
    for command in (["run", str(src), "--hyp", str(tgt)], ["batch", str(src)]):
        code = main([*command, "--out", str(tmp_path / "r"), "--priors", str(saved),
                     "--align-method", "statistical"])  # fmt: skip
        said = one_error_line(capsys.readouterr().err)
        assert code == 2 and "cut with Buckwalter's lexicon" in said, said
        assert not (tmp_path / "r").exists()


def test_priors_options_that_would_do_nothing_are_refused(tmp_path, priors_file, capsys):
    src = write_lines(tmp_path / "src.ar", [a for a, _ in ALIGN])
    tgt = write_lines(tmp_path / "tgt.en", [e for _, e in ALIGN])
    out = tmp_path / "out.pharaoh"
    base = ["links", "--src", str(src), "--tgt", str(tgt), "--out", str(out)]
    train = ["--train", str(src), str(tgt), "--save-priors", str(tmp_path / "p")]
    cases = [
        ([*base, "--save-priors", str(tmp_path / "p")], "--train"),
        ([*base, "--method", "lexical", "--priors", str(priors_file)], "--priors"),
        ([*base, "--method", "lexical", *train], "lexical"),
        ([*base, "--method", "statistical", "--priors", str(tmp_path / "none")], "the priors file"),
    ]
    for argv, says in cases:
        assert main(argv) == 2, argv
        assert says in one_error_line(capsys.readouterr().err)
        assert not out.exists() and not (tmp_path / "p").exists()
    article = write_lines(tmp_path / "article.txt", [a for a, _ in ALIGN])
    run = ["run", str(article), "--hyp", str(tgt), "--out", str(tmp_path / "run")]
    assert main([*run, "--align-method", "lexical", "--priors", str(priors_file)]) == 2
    assert "--priors" in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "run").exists()
    manifest = tmp_path / "in.jsonl"
    manifest.write_text(json.dumps({"id": "a", "path": str(article)}) + "\n")
    bad = write_lines(tmp_path / "bad.priors", ["not priors"])
    code = main(["batch", str(manifest), "--out", str(tmp_path / "batch"), "--align-method",
                 "statistical", "--priors", str(bad)])  # fmt: skip
    assert code == 2 and str(bad) in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "batch").exists()


def test_no_background_where_the_method_reads_none_is_refused(tmp_path, capsys):
    src = write_lines(tmp_path / "src.ar", [a for a, _ in ALIGN])
    tgt = write_lines(tmp_path / "tgt.en", [e for _, e in ALIGN])
    manifest = tmp_path / "in.jsonl"
    manifest.write_text(json.dumps({"id": "a", "path": str(src), "hyp": str(tgt)}) + "\n")
    out = tmp_path / "out"
    for argv in (
        ["links", "--src", str(src), "--tgt", str(tgt), "--out", str(out), "--method",
         "attention"],
        ["run", str(src), "--hyp", str(tgt), "--out", str(out), "--align-method", "attention"],
        ["batch", str(manifest), "--out", str(out), "--align-method", "attention"],
    ):  # fmt: skip
        assert main([*argv, "--no-background"]) == 2, argv
        assert "the attention method reads no background" in one_error_line(capsys.readouterr().err)
        assert not out.exists()


def test_missing_dictionary_stops_links_before_writing(tmp_path, monkeypatch, capsys):
    src = write_lines(tmp_path / "src.ar", [a for a, _ in ALIGN])
    tgt = write_lines(tmp_path / "tgt.en", [e for _, e in ALIGN])
    empty = tmp_path / "no-dict"
    empty.mkdir()
    monkeypatch.setenv(DICT_ENV, str(empty))
    out = tmp_path / "out.pharaoh"
    argv = ["links", "--src", str(src), "--tgt", str(tgt), "--out", str(out), "--method", "lexical"]
    assert main(argv) == 2
    err = one_error_line(capsys.readouterr().err)
    assert "dict-freedict-ara-eng" in err and "--no-background" in err
    assert not out.exists()
    assert main([*argv, "--no-background"]) == 0
    assert len(out.read_text().splitlines()) == len(ALIGN)
    article = write_lines(tmp_path / "article.txt", [a for a, _ in ALIGN])
    run = ["run", str(article), "--hyp", str(tgt), "--align-method", "lexical"]
    assert main([*run, "--out", str(tmp_path / "run")]) == 2
    assert "--no-background" in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "run").exists()


# -- run --hyp --------------------------------------------------------------------------------


@pytest.fixture
def article(tmp_path) -> tuple[Path, Path, list[str], list[str]]:
    pairs = ARTICLES[0] + ARTICLES[1]
    path = write_lines(tmp_path / "article.txt", [a for a, _ in pairs])
    ref = write_lines(tmp_path / "ref.en", [e for _, e in pairs])
    hyps = ["The government said the plan succeeded.", "The minister said it would act fast.",
            "The peace plan is new.", "The president said peace is possible."]  # fmt: skip
    assert len(
        Pipeline(None, alignment=AlignmentSettings(method="lexical")).segment(path).to_translate
    ) == len(pairs)
    return path, ref, hyps, [e for _, e in pairs]


@pytest.fixture
def no_model(monkeypatch):
    """A run that loads a model fails the test."""
    import align.model.load

    def refuse(*args, **kwargs):
        raise AssertionError("a model was loaded")

    monkeypatch.setattr(align.model.load, "load_marian", refuse)


def read_run(run: Path) -> tuple[dict, list[dict]]:
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    records = [json.loads(x) for x in (run / "segments.jsonl").read_text().splitlines()]
    return manifest, records


def test_run_with_a_given_translation_loads_no_model(article, no_model, tmp_path, capsys):
    path, _, hyps, _ = article
    hyp = write_lines(tmp_path / "hyp.en", hyps)
    out = tmp_path / "run"
    code = main(["run", str(path), "--hyp", str(hyp), "--align-method", "lexical",
                 "--out", str(out)])  # fmt: skip
    assert code == 0 and f"{len(hyps)} segments given" in capsys.readouterr().out
    manifest, records = read_run(out)
    assert manifest["model"] is None
    given = {"path": str(hyp), "sha256": sha256(hyp), "hyp_layout": "lines"}
    assert manifest["translator"] == {"given": given}
    assert [r["hypothesis"] for r in records if r["translated"]] == hyps
    assert (out / "hyp.txt").read_text(encoding="utf-8").splitlines() == hyps
    assert [r["name"] for r in manifest["aligner"]["background"]] == [DICT_NAME, BAMA_NAME]
    assert manifest["aligner"]["method"] == "lexical"
    # aligned: the full stops at least are linked
    assert all(r["alignment"]["links"] for r in records if r["translated"])


@pytest.mark.parametrize("lines", [3, 5])
def test_run_hyp_line_count_mismatch_writes_nothing(article, no_model, tmp_path, capsys, lines):
    path, _, hyps, _ = article
    hyp = write_lines(tmp_path / "hyp.en", (hyps * 2)[:lines])
    out = tmp_path / "run"
    code = main(["run", str(path), "--hyp", str(hyp), "--align-method", "lexical",
                 "--out", str(out)])  # fmt: skip
    assert code == 2
    err = one_error_line(capsys.readouterr().err)
    assert f"{lines} translation lines" in err and str(hyp) in err
    assert not out.exists()


def test_run_hyp_with_a_reference_is_scored(article, no_model, tmp_path, capsys):
    path, ref, hyps, refs = article
    hyp = write_lines(tmp_path / "hyp.en", hyps)
    out = tmp_path / "run"
    code = main(["run", str(path), "--hyp", str(hyp), "--ref", str(ref), "--align-method",
                 "lexical", "--out", str(out)])  # fmt: skip
    assert code == 0 and "chrF2++" in capsys.readouterr().out
    scores = json.loads((out / "scores.json").read_text())
    chrf = sacrebleu.CHRF(word_order=2).corpus_score(hyps, [refs]).score
    assert scores["corpus"]["chrf"]["score"] == pytest.approx(chrf)
    manifest, records = read_run(out)
    assert manifest["reference"]["sha256"] == sha256(ref)
    assert [r["reference"] for r in records if r["translated"]] == refs
    assert all(r["reference_alignment"] for r in records if r["translated"])


def test_run_hyp_with_priors_and_no_background(article, no_model, priors_file, tmp_path):
    path, _, hyps, _ = article
    hyp = write_lines(tmp_path / "hyp.en", hyps)
    out = tmp_path / "run"
    code = main(["run", str(path), "--hyp", str(hyp), "--align-method", "statistical",
                 "--priors", str(priors_file), "--no-background", "--out", str(out)])  # fmt: skip
    assert code == 0
    manifest, _ = read_run(out)
    aligner = manifest["aligner"]
    assert aligner["background"] is None
    assert aligner["priors"]["path"] == str(priors_file)
    assert aligner["priors"]["sha256"] == sha256(priors_file)
    assert aligner["priors"]["pairs"] == len(TRAIN)


def paragraphs(lines: list[str]) -> str:
    """``lines`` joined into paragraphs of two and three lines, a blank line between them."""
    out, k = [], 0
    while k < len(lines):
        size = 2 + len(out) % 2
        out.append(" ".join(lines[k : k + size]))
        k += size
    return "\n\n".join(out) + "\n"


def test_run_hyp_in_document_layout_is_brought_to_the_segments(no_model, tmp_path, capsys):
    from align.run import is_complete

    lines = (SEED / "reference.en.txt").read_text(encoding="utf-8").splitlines()
    hyp = tmp_path / "hyp.en"
    hyp.write_text(paragraphs(lines), encoding="utf-8")
    out = tmp_path / "run"
    code = main(["run", str(SEED / "article.ar.txt"), "--hyp", str(hyp), "--hyp-layout",
                 "document", "--align-method", "lexical", "--out", str(out)])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0 and f"{len(lines)} segments given" in captured.out
    assert is_complete(out)
    manifest, records = read_run(out)
    got = [r["hypothesis"] for r in records if r["translated"]]
    assert len(got) == len(lines)
    assert sum(g == want for g, want in zip(got, lines, strict=True)) >= 0.8 * len(lines)
    assert (out / "hyp.txt").read_text(encoding="utf-8").splitlines() == got
    # none of the translation is lost, and nothing is repeated
    assert " ".join(g for g in got if g).split() == " ".join(lines).split()
    given = manifest["translator"]["given"]
    assert given["hyp_layout"] == "document" and given["sha256"] == sha256(hyp)
    assert sum(len(sentences) for _, sentences in given["beads"]) == given["sentences"]
    # a segment left with an empty translation is named, on stderr and in the manifest
    empty = [r["index"] for r in records if r["translated"] and not r["hypothesis"]]
    for index in empty:
        assert any(f"segment {index} has an empty translation" in w for w in manifest["warnings"])
        assert f"segment {index} has an empty translation" in captured.err


def test_pipeline_run_takes_a_document_translation(article, no_model, tmp_path):
    path, ref, hyps, refs = article
    hyp = tmp_path / "hyp.en"
    hyp.write_text(f"{hyps[0]} {hyps[1]}\n\n{hyps[2]}\n{hyps[3]}\n", encoding="utf-8")
    pipeline = Pipeline(
        None, alignment=AlignmentSettings(method="lexical"), on_warning=lambda m: None
    )
    result = pipeline.run(path, ref=ref, hyp=hyp, hyp_layout="document")
    assert result.hypotheses == hyps
    assert result.manifest["translator"]["given"]["hyp_layout"] == "document"
    assert [r["reference"] for r in result.records if r["translated"]] == refs
    with pytest.raises(UserError, match="layout 'pages'"):
        pipeline.run(path, hyp=hyp, hyp_layout="pages")


def test_translation_sentences_that_match_no_segment_are_named_from_1(tmp_path):
    """The translation is the user's text: its sentences are counted as a reader counts
    them, from 1 (as reference sentences are), not as a list is."""
    from align.pipeline import spread_translation

    article = "قال الوزير إن الاجتماع انتهى بعد ساعات طويلة من النقاش.\nوصل الرئيس إلى موسكو.\n"
    hyp = tmp_path / "hyp.en"
    hyp.write_text(
        "The minister said the meeting ended. The president arrived. "
        + "More words " * 60
        + "end.\n",
        encoding="utf-8",
    )
    todo = Pipeline(None).segment(article).to_translate
    _, beads, notes = spread_translation(hyp, todo)
    unmatched = [sents for segs, sents in beads if not segs]
    assert unmatched, beads
    named = ", ".join(str(j + 1) for j in unmatched[0])
    said = f"sentence(s) {named} (counted from 1) of the translation match no segment"
    assert any(n.startswith(said) for n in notes), notes


def test_hyp_layout_without_hyp_is_one_sentence(article, no_model, tmp_path, capsys):
    path, _, _, _ = article
    out = tmp_path / "run"
    code = main(["run", str(path), "--hyp-layout", "document", "--align-method", "lexical",
                 "--out", str(out)])  # fmt: skip
    assert code != 0 and "--hyp" in one_error_line(capsys.readouterr().err)
    assert not out.exists()


# -- a batch aligns its articles together -------------------------------------------------------


def make_batch(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for k, pairs in enumerate(ARTICLES):
        write_lines(folder / f"art{k}.txt", [a for a, _ in pairs])
        write_lines(folder / f"art{k}.en", [e for _, e in pairs])
        rows.append({"id": f"art{k}", "path": f"art{k}.txt", "reference": f"art{k}.en"})
    path = folder / "manifest.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def batch_argv(manifest: Path, out: Path, model: Path) -> list[str]:
    return ["batch", str(manifest), "--out", str(out), "--model", str(model),
            "--max-new-tokens", "4", "--beams", "2", "--align-method", "lexical",
            "--quiet"]  # fmt: skip


def run_links(out: Path) -> dict[str, list]:
    """Per article: the hypothesis and reference alignment of each translated segment."""
    found = {}
    for k in range(len(ARTICLES)):
        _, records = read_run(out / f"art{k}")
        found[f"art{k}"] = [
            (r["alignment"], r["reference_alignment"]) for r in records if r["translated"]
        ]
    return found


def expected_links(folder: Path, out: Path, ids: list[str]) -> dict[str, list]:
    """The articles ``ids`` aligned together by Pipeline.prepare / align_jobs / finish, with
    the translations the batch made."""
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical"))
    jobs = []
    for aid in ids:
        hyps = (out / aid / "hyp.txt").read_text(encoding="utf-8").splitlines()
        made = {"model": None, "translator": {}}
        jobs.append(
            pipeline.prepare(folder / f"{aid}.txt", folder / f"{aid}.en", hyps=hyps, made=made)
        )
    pipeline.align_jobs(jobs)
    found = {}
    for aid, job in zip(ids, jobs, strict=True):
        records = json.loads(json.dumps(pipeline.finish(job).records))
        found[aid] = [
            (r["alignment"], r["reference_alignment"]) for r in records if r["translated"]
        ]
    return found


@pytest.fixture
def align_calls(monkeypatch) -> list[int]:
    """The number of pairs of each Pipeline.align call."""
    calls: list[int] = []
    real = Pipeline.align

    def spy(self, pairs):
        calls.append(len(pairs))
        return real(self, pairs)

    monkeypatch.setattr(Pipeline, "align", spy)
    return calls


def test_batch_aligns_its_articles_together(tiny_model, tmp_path, align_calls):
    manifest = make_batch(tmp_path / "in")
    out = tmp_path / "out"
    assert main(batch_argv(manifest, out, tiny_model)) == 0
    # one call with every article's translation and reference pairs
    assert align_calls == [2 * sum(len(a) for a in ARTICLES)]
    assert not (out / batch.LINKS).exists()
    ids = [f"art{k}" for k in range(len(ARTICLES))]
    joint = expected_links(tmp_path / "in", out, ids)
    assert run_links(out) == joint
    # aligned alone, the first article is cut into other units: the test can tell
    alone = expected_links(tmp_path / "in", out, ids[:1])
    assert alone["art0"] != joint["art0"]


def _planted(links: dict) -> dict:
    """The saved joint links with every alignment replaced by one recognisable link."""

    def mark(a):
        return dataclasses.replace(a, links=(Link(0, 0, 0.123),), spans=())

    return {
        key: ([mark(a) for a in hyp], {k: mark(a) for k, a in (ref or {}).items()}, notes, t)
        for key, (hyp, ref, notes, t) in links.items()
    }


class _Planted:
    """A pickle that runs a command when it is loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_links_file_is_reused_only_when_it_matches(tiny_model, tmp_path, monkeypatch, capsys):
    manifest = make_batch(tmp_path / "in")
    out = tmp_path / "out"
    saved = []
    real_write = batch._write_links

    def keep(folder, links):
        saved.append(links)
        real_write(folder, links)
        assert (folder / batch.LINKS).is_file()  # kept while the runs are written

    monkeypatch.setattr(batch, "_write_links", keep)
    assert main(batch_argv(manifest, out, tiny_model)) == 0
    first = run_links(out)
    (links,) = saved
    ids = [f"art{k}" for k in range(len(ARTICLES))]

    def again(write) -> dict:
        for aid in ids:  # as if the job had stopped before writing the runs
            shutil.rmtree(out / aid)
        write()
        capsys.readouterr()
        assert main(batch_argv(manifest, out, tiny_model)) == 0
        assert not (out / batch.LINKS).exists()
        return run_links(out)

    # a file that is not the links (a pickle planted in the output folder) is never loaded
    # as code, only ignored: the links are computed again
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Planted(marker))
    digest = json.dumps({"sha256": hashlib.sha256(payload).hexdigest()}).encode()
    assert again(lambda: (out / batch.LINKS).write_bytes(digest + b"\n" + payload)) == first
    assert not marker.exists()
    assert again(lambda: (out / batch.LINKS).write_text("{", encoding="utf-8")) == first
    # so is one saved for other articles (other keys)
    other = {key + "x": value for key, value in _planted(links).items()}
    assert again(lambda: real_write(out, other)) == first
    # a file that matches these articles is used as it is
    found = again(lambda: real_write(out, _planted(links)))
    assert "taken from the stopped job's links.json" in capsys.readouterr().err
    # a job stopped after its last run, before it removed the file: the next one removes it
    real_write(out, links)
    assert main(batch_argv(manifest, out, tiny_model)) == 0
    assert not (out / batch.LINKS).exists() and run_links(out) == found
    marked = {"src": 0, "tgt": 0, "confidence": 0.123, "sure": True}
    for aid in ids:
        assert found[aid] and all(
            h["links"] == [marked] and r["links"] == [marked] for h, r in found[aid]
        )


def test_seed_article_with_its_reference_as_translation(no_model, tmp_path, capsys):
    """A translation given with --hyp (here the human reference itself) is aligned, scored,
    reported and reviewed like any run, and no model is loaded."""
    from align.review.state import ReviewState
    from align.run import Run
    from tests.conftest import SEED

    out = tmp_path / "run"
    reference = SEED / "reference.en.txt"
    argv = ["run", str(SEED / "article.ar.txt"), "--hyp", str(reference), "--ref",
            str(reference), "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    run = Run.open(out)
    assert run.scores.bleu.score == pytest.approx(100.0)
    assert run.scores.chrf.score == pytest.approx(100.0)
    assert run.manifest["model"] is None
    assert run.manifest["translator"]["given"]["sha256"] == sha256(reference)
    assert main(["report", str(out), "-o", str(tmp_path / "report.html")]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert run.translated[0].hypothesis.split()[0] in page
    assert main(["review", str(out), "--export", str(tmp_path / "export")]) == 0
    state = ReviewState.open(out)
    assert len(state.segments) == len(run.translated)
    pharaoh = (tmp_path / "export" / "review.pharaoh").read_text(encoding="utf-8").splitlines()
    assert len(pharaoh) == len(run.translated) and sum(len(x.split()) for x in pharaoh) > 500
