"""`arabic-align compare`: scores, sacrebleu's paired tests against a baseline, analysis."""

from __future__ import annotations

import json
import shutil

import pytest
from sacrebleu.metrics import CHRF

from align import DecodingSettings, Pipeline
from align.cli import main
from align.errors import MismatchError, UserError
from align.records import sha256_file
from align.run import Run, RunError
from align.score.compare import (
    MIN_PAIRS,
    compare_batches,
    compare_systems,
    format_table,
    load_batch,
    load_system,
    split_name,
)
from align.score.metrics import corpus_scores
from align.settings import AlignmentSettings, TranslationSettings
from align.text import segment_text
from tests.conftest import SEED

REFERENCE = SEED / "reference.en.txt"
ARTICLE = SEED / "article.ar.txt"
LINES = REFERENCE.read_text(encoding="utf-8").splitlines()


def degrade(line: str, every: int) -> str:
    return " ".join(w for i, w in enumerate(line.split()) if i % every != every - 1)


@pytest.fixture(scope="module")
def systems(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("systems")
    good, bad = tmp / "good.txt", tmp / "bad.txt"
    good.write_text("\n".join(degrade(x, 9) for x in LINES) + "\n", encoding="utf-8")
    bad.write_text("\n".join(degrade(x, 2) for x in LINES) + "\n", encoding="utf-8")
    return good, bad


def test_a_much_worse_system_is_significantly_worse(systems):
    good, bad = systems
    result = compare_systems(
        [load_system(good), load_system(bad)], ref=REFERENCE, bootstrap=200, randomization=500
    )
    base, other = result["table"]
    assert result["baseline"] == "good" and result["pairs"] == len(LINES)
    assert base["bleu"]["p_bs"] is None and base["bleu"]["ci"] > 0
    for key in ("bleu", "chrf"):
        assert other[key]["score"] < base[key]["score"]
        assert other[key]["p_bs"] < 0.05 and other[key]["p_ar"] < 0.05
        assert other[key]["significant"] is True
    assert other["ter"]["score"] > base["ter"]["score"]
    # corpus chrF++ is sacrebleu's
    expected = CHRF(word_order=2).corpus_score(
        [degrade(x, 2) for x in LINES], [LINES]
    ).score  # fmt: skip
    assert other["chrf"]["score"] == pytest.approx(expected)
    assert "†" in format_table(result)


def test_a_system_against_itself_is_not_significant(systems):
    good, _ = systems
    result = compare_systems(
        [load_system(good), load_system(good)], ref=REFERENCE, bootstrap=200, randomization=500
    )
    assert result["systems"] == ["good", "good#2"]
    assert result["table"][1]["chrf"]["significant"] is False


def test_analysis(systems):
    good, bad = systems
    result = compare_systems(
        [load_system(good), load_system(bad)], ref=REFERENCE, bootstrap=100, randomization=100
    )
    buckets = result["buckets"]["length"]
    assert sum(b["count"] for b in buckets) == len(LINES)
    assert all(b["chrf"]["good"] > b["chrf"]["bad"] for b in buckets)
    diffs = [abs(d["difference"]) for d in result["differ_most"]]
    assert diffs == sorted(diffs, reverse=True) and diffs[0] > 0
    # every n-gram the baseline gets right and "bad" misses is really matched more by "good"
    worse = result["ngrams"]["worse"]
    assert worse and all(g["baseline"] > g["other"] for g in worse)
    lowest = result["lowest"]
    assert [x["chrf"] for x in lowest] == sorted(x["chrf"] for x in lowest)
    assert lowest[0]["system"] == "bad"


def test_mismatched_systems_and_missing_reference(systems, tmp_path, capsys):
    good, _ = systems
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    with pytest.raises(MismatchError):
        compare_systems([load_system(good), load_system(short)], ref=REFERENCE)
    with pytest.raises(UserError, match="--ref"):
        compare_systems([load_system(good)])
    assert main(["compare", str(good), str(short), "--ref", str(REFERENCE)]) == 2
    err = capsys.readouterr().err
    assert "same article" in err and "Traceback" not in err


@pytest.fixture(scope="module")
def runs(tiny_model, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cmpruns")
    out = []
    for beams in (1, 2):
        pipeline = Pipeline(
            str(tiny_model),
            translation=TranslationSettings(
                decoding=DecodingSettings(num_beams=beams, max_new_tokens=5)
            ),
            alignment=AlignmentSettings(method="lexical"),
            on_warning=lambda m: None,
        )
        pipeline.run(ARTICLE, ref=REFERENCE, out=tmp / f"beam{beams}")
        out.append(tmp / f"beam{beams}")
    return out


def test_compare_run_directories_from_the_cli(runs, capsys):
    code = main(["compare", *map(str, runs), "--bootstrap", "100", "--randomization", "100",
                 "--json"])  # fmt: skip
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["systems"] == ["beam1", "beam2"] and result["pairs"] == 54
    roles = {b["bucket"] for b in result["buckets"]["role"]}
    assert roles <= {"body", "caption", "credit", "byline"} and roles
    assert main(["compare", *map(str, runs), "--bootstrap", "50", "--randomization", "50"]) == 0
    text = capsys.readouterr().out
    assert "| beam2 |" in text and "chrF++ by length" in text


def test_report_command_with_comparison(runs, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", str(runs[0]), "--compare", str(runs[1]), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    compare = html[html.index('<section id="compare">') :]
    assert "beam1" in compare and "beam2" in compare
    assert "http://" not in html and "https://" not in html
    assert main(["report", str(tmp_path / "missing"), "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_too_few_pairs_are_never_marked_significant(tmp_path):
    a, b, r = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "r.txt"
    a.write_text("the cat sat on the mat\n", encoding="utf-8")
    b.write_text("a dog ran\n", encoding="utf-8")
    r.write_text("the cat sat on the mat\n", encoding="utf-8")
    result = compare_systems([load_system(a), load_system(b)], ref=r, bootstrap=50,
                             randomization=50)  # fmt: skip
    assert all(result["table"][1][k]["significant"] is False for k in ("bleu", "chrf", "ter"))


def test_unfinished_or_corrupt_runs_are_refused(runs, tmp_path, capsys):
    unfinished = tmp_path / "unfinished"
    shutil.copytree(runs[0], unfinished)
    (unfinished / "manifest.json").unlink()
    corrupt = tmp_path / "corrupt"
    shutil.copytree(runs[0], corrupt)
    (corrupt / "segments.jsonl").write_text("{oops\n", encoding="utf-8")
    for bad in (unfinished, corrupt):
        assert main(["compare", str(bad), str(runs[1])]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1


# -- reading runs only through Run.open ---------------------------------------------------------


def rewrite(run_dir, name: str, text: str) -> None:
    """Write a file of a run and record its new SHA-256 in the manifest, so that what is
    checked is the file's content, not its hash."""
    (run_dir / name).write_text(text, encoding="utf-8")
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][name] = sha256_file(run_dir / name)
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def refused(capsys, *argv) -> str:
    """The one sentence `compare` answers with, checking it exits non-zero with no traceback."""
    assert main(["compare", *map(str, argv), "--bootstrap", "20", "--randomization", "20"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("arabic-align: error: ")
    return lines[0]


def test_a_run_whose_files_fail_the_manifest_hashes_is_refused(runs, tmp_path, capsys):
    changed = tmp_path / "changed"
    shutil.copytree(runs[0], changed)
    rows = (changed / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(rows[0])
    row["hypothesis"] = "an edited translation"
    # Well-formed, but not what the run wrote: it was scored silently before.
    (changed / "segments.jsonl").write_text(
        "\n".join([json.dumps(row), *rows[1:]]) + "\n", encoding="utf-8"
    )
    err = refused(capsys, changed, runs[1])
    assert "segments.jsonl" in err and "SHA-256 differs" in err
    with pytest.raises(RunError, match="SHA-256 differs"):
        load_system(changed)


def test_damaged_run_contents_are_one_sentence(runs, tmp_path, capsys):
    rows = (runs[0] / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    translated = next(json.loads(r) for r in rows if json.loads(r)["translated"])
    translated.pop("hypothesis")
    cases = {
        "list rows": ("segments.jsonl", "\n".join(["[1, 2]", *rows[1:]]) + "\n",
                      "line 1 is not a segment record"),
        "no hypothesis": (
            "segments.jsonl",
            "\n".join(json.dumps(translated) if json.loads(r)["index"] == translated["index"]
                      else r for r in rows) + "\n",
            "translated but has no hypothesis",
        ),
    }  # fmt: skip
    for label, (name, text, expected) in cases.items():
        bad = tmp_path / label.replace(" ", "-")
        shutil.copytree(runs[0], bad)
        rewrite(bad, name, text)
        err = refused(capsys, bad, runs[1])
        assert name in err and expected in err, label
    for label, text in (("list", "[]"), ("string", '"a run"')):
        bad = tmp_path / f"manifest-{label}"
        shutil.copytree(runs[0], bad)
        (bad / "manifest.json").write_text(text, encoding="utf-8")
        err = refused(capsys, bad, runs[1])
        assert "manifest.json" in err and "not a run manifest" in err


@pytest.fixture(scope="module")
def document_run(tmp_path_factory):
    """A run with a document reference, its translation given (no model needed)."""
    tmp = tmp_path_factory.mktemp("docrun")
    hyp = tmp / "hyp.txt"
    hyp.write_text("\n".join(degrade(x, 5) for x in LINES) + "\n", encoding="utf-8")
    out = tmp / "run"
    assert (
        main(
            [
                "run",
                str(ARTICLE),
                "--hyp",
                str(hyp),
                "--ref",
                str(REFERENCE),
                "--ref-layout",
                "document",
                "--align-method",
                "lexical",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return out  # fmt: skip


def test_compare_pairs_through_the_beads_of_a_document_run(document_run, tmp_path, capsys):
    run = Run.open(document_run)
    assert run.document_alignment is not None and run.schema_version >= 2
    result = compare_systems([load_system(document_run)], bootstrap=20, randomization=20)
    pairs = run.document_alignment.pairs(run.hypotheses)
    assert result["pairs"] == len(pairs) and result["pairs"] > 0
    assert [x["index"] for x in result["lowest"]] and all(
        tuple(x["index"]) in {g for g, _ in pairs} for x in result["lowest"]
    )
    # A bead that points past the reference sentences is refused, hash or no hash.
    bad = tmp_path / "beads"
    shutil.copytree(document_run, bad)
    data = json.loads((bad / "docalign.json").read_text(encoding="utf-8"))
    data["beads"][0]["ref"] = [len(data["reference_texts"]) + 5]
    rewrite(bad, "docalign.json", json.dumps(data))
    err = refused(capsys, bad)
    assert "docalign.json" in err and "bead 0" in err


# -- naming systems -------------------------------------------------------------------------------


def test_systems_named_on_the_command_line(systems, runs, tmp_path, capsys):
    good, bad = systems
    argv = ["--ref", str(REFERENCE), "--bootstrap", "20", "--randomization", "20", "--json"]
    assert main(["compare", f"mine={good}", f"theirs={bad}", str(good), *argv]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["systems"] == ["mine", "theirs", "good"] and result["baseline"] == "mine"
    assert main(["compare", f"one={runs[0]}", str(runs[0]), str(runs[0]), *argv[4:]]) == 0
    assert json.loads(capsys.readouterr().out)["systems"] == ["one", "beam1", "beam1#2"]
    assert main(["compare", f"mine={good}", "--ref", str(REFERENCE), "--bootstrap", "20",
                 "--randomization", "20"]) == 0  # fmt: skip
    assert "| mine |" in capsys.readouterr().out
    # A path that exists is a path, '=' and all; one that does not splits at its first '='.
    odd = tmp_path / "a=b.txt"
    shutil.copy(good, odd)
    assert main(["compare", str(odd), f"x={odd}", *argv]) == 0
    assert json.loads(capsys.readouterr().out)["systems"] == ["a=b", "x"]
    assert split_name(str(odd)) == (None, str(odd))
    assert split_name(f"name={odd}") == ("name", str(odd))
    assert split_name("dir/x=missing.txt") == (None, "dir/x=missing.txt")
    assert "empty name" in refused(capsys, f"={good}", bad, "--ref", REFERENCE)
    assert "empty name" in refused(capsys, f"  ={good}", bad, "--ref", REFERENCE)
    assert "no path" in refused(capsys, "mine=", bad, "--ref", REFERENCE)
    err = refused(capsys, f"same={good}", f"same={bad}", "--ref", REFERENCE)
    assert "'same' is given to two systems" in err


def test_names_made_unique_never_take_another_systems_name(systems, tmp_path, capsys):
    # Scores are kept by name: a "#2" that another system is already called would put one
    # system's scores under the other's name and drop a system.
    good, bad = systems
    (tmp_path / "sub").mkdir()
    shutil.copy(bad, tmp_path / "a#2.txt")
    shutil.copy(good, tmp_path / "a.txt")
    shutil.copy(REFERENCE, tmp_path / "sub" / "a.txt")
    argv = ["--ref", str(REFERENCE), "--bootstrap", "20", "--randomization", "20", "--json"]
    paths = [tmp_path / "a#2.txt", tmp_path / "a.txt", tmp_path / "sub" / "a.txt"]
    assert main(["compare", *map(str, paths), *argv]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["systems"] == ["a#2", "a", "a#3"] and len(result["table"]) == 3
    alone = [
        compare_systems([load_system(p)], ref=REFERENCE)["table"][0]["bleu"]["score"] for p in paths
    ]
    assert [row["bleu"]["score"] for row in result["table"]] == pytest.approx(alone)
    assert alone[2] == pytest.approx(100) and alone[0] < 100  # each row its own system
    assert main(["compare", str(good), str(good), f"good#2={bad}", *argv]) == 0
    assert json.loads(capsys.readouterr().out)["systems"] == ["good", "good#3", "good#2"]
    # A name given is kept; the one taken from a path steps aside.
    assert main(["compare", str(good), f"good={bad}", *argv]) == 0
    assert json.loads(capsys.readouterr().out)["systems"] == ["good#2", "good"]
    # From Python too: two systems given one name are refused, not scored as one
    with pytest.raises(UserError, match="'x' is given to two systems"):
        compare_systems([load_system(good, "x"), load_system(bad, "x")], ref=REFERENCE)


def test_signatures_are_keyed_alike_for_one_system_and_several(systems, capsys):
    good, bad = systems
    argv = ["--ref", str(REFERENCE), "--bootstrap", "20", "--randomization", "20"]
    keys = []
    for given in ([good], [good, bad]):
        assert main(["compare", *map(str, given), *argv, "--json"]) == 0
        signatures = json.loads(capsys.readouterr().out)["signatures"]
        keys.append(list(signatures))
        assert signatures["bleu"].startswith("nrefs:1|") and "version:" in signatures["ter"]
    assert keys == [["bleu", "chrf", "ter"]] * 2
    assert main(["compare", str(good), *argv]) == 0  # one system: no test, no footnote of one
    out = capsys.readouterr().out
    assert "| good |" in out and "significant against" not in out and "±" not in out


def test_a_run_given_as_dot_is_named_by_its_folder(runs, capsys, monkeypatch):
    monkeypatch.chdir(runs[0])
    assert main(["compare", ".", str(runs[1]), "--bootstrap", "20", "--randomization", "20",
                 "--json"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["systems"] == ["beam1", "beam2"]


def test_runs_of_other_text_and_a_layout_without_its_reference_are_refused(
    runs, document_run, tmp_path, capsys
):
    lines = ARTICLE.read_text(encoding="utf-8-sig").splitlines()
    k = next(i for i, x in enumerate(lines) if len(x.split()) > 8)
    lines[k] = lines[k].replace(lines[k].split()[3], "كلمة", 1)  # one word of one sentence
    other = tmp_path / "other.ar.txt"
    other.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = tmp_path / "other"
    assert main(["run", str(other), "--hyp", str(runs[0] / "hyp.txt"), "--ref", str(REFERENCE),
                 "--align-method", "lexical", "--out", str(run)]) == 0  # fmt: skip
    capsys.readouterr()
    assert len(Run.open(run).hypotheses) == len(Run.open(runs[0]).hypotheses)
    err = refused(capsys, runs[0], run)
    assert "translates other text than that of beam1" in err and "same article" in err
    err = refused(capsys, runs[0], runs[1], "--ref-layout", "document")
    assert "--ref-layout is the layout of --ref" in err


# -- batch folders ------------------------------------------------------------------------------


def _article(tmp, aid: str, lines: range) -> dict:
    """An article of some lines of the seed article, with the reference lines of its
    segments (the seed reference has one line per segment to translate)."""
    whole = segment_text(ARTICLE.read_text(encoding="utf-8")).to_translate
    text = ARTICLE.read_text(encoding="utf-8").splitlines()
    refs = [r for s, r in zip(whole, LINES, strict=True) if s.line in lines]
    (tmp / f"{aid}.txt").write_text("\n".join(text[k - 1] for k in lines) + "\n", "utf-8")
    (tmp / f"{aid}.en").write_text("\n".join(refs) + "\n", encoding="utf-8")
    assert len(segment_text("\n".join(text[k - 1] for k in lines)).to_translate) == len(refs)
    return {"id": aid, "path": f"{aid}.txt", "reference": f"{aid}.en"}


@pytest.fixture(scope="module")
def batches(tiny_model, tmp_path_factory):
    """Two batch folders of the same two articles, made with other decoding settings."""
    tmp = tmp_path_factory.mktemp("cmpbatch")
    items = [_article(tmp, "a1", range(1, 4)), _article(tmp, "a2", range(8, 11))]
    manifest = tmp / "articles.jsonl"
    manifest.write_text("".join(json.dumps(x) + "\n" for x in items), encoding="utf-8")
    out = []
    for beams, tokens in ((1, 3), (2, 8)):
        folder = tmp / f"beam{beams}"
        assert main(["batch", str(manifest), "--out", str(folder), "--model", str(tiny_model),
                     "--beams", str(beams), "--max-new-tokens", str(tokens),
                     "--align-method", "lexical", "--no-background", "--quiet"]) == 0  # fmt: skip
        out.append(folder)
    assert (out[0] / "a1" / "hyp.txt").read_text() != (out[1] / "a1" / "hyp.txt").read_text()
    return out


def test_two_batch_folders_given_one_name_are_refused_from_python(batches):
    with pytest.raises(UserError, match="'x' is given to two systems"):
        compare_batches([load_batch(b, "x") for b in batches])


def test_tests_too_large_for_memory_are_refused_before_any_runs(
    systems, batches, capsys, monkeypatch
):
    """sacrebleu draws every resample at once: resamples × pairs past the memory budget are
    refused in one sentence with the count that fits, before any test runs (for batch
    folders, before any article is scored)."""
    import align.score.compare as compare

    good, bad = systems
    n = len(LINES)
    monkeypatch.setattr(compare, "MEMORY_BUDGET", 20 * n * compare.BOOTSTRAP_BYTES)
    ran = []
    monkeypatch.setattr(compare, "PairedTest", lambda *a, **k: ran.append(a))

    def one_sentence(*samples) -> str:
        argv = ["compare", str(good), str(bad), "--ref", str(REFERENCE), *samples]
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
        return captured.err.strip()

    err = one_sentence("--bootstrap", "21", "--randomization", "10")
    assert f"--bootstrap 21 over {n} scored pairs would take about" in err
    assert err.endswith("give --bootstrap 20 or fewer for these pairs.")
    budget = 500 * n * compare.RANDOMIZATION_BYTES
    monkeypatch.setattr(compare, "MEMORY_BUDGET", budget)
    err = one_sentence("--bootstrap", "10", "--randomization", "501")
    assert "give --randomization 500 or fewer" in err
    monkeypatch.setattr(compare, "MEMORY_BUDGET", 1)
    # one system has no test to draw: no bound
    assert main(["compare", str(good), "--ref", str(REFERENCE)]) == 0
    scored = []
    monkeypatch.setattr(compare, "_score", lambda *a: scored.append(a))
    with pytest.raises(UserError, match="--bootstrap 20 over"):
        compare_batches([load_batch(b) for b in batches], bootstrap=20, randomization=20)
    assert ran == [] and scored == []


def test_the_python_api_checks_what_the_command_line_checks(systems):
    good, bad = systems
    two = [load_system(good), load_system(bad)]
    with pytest.raises(UserError, match="ref_layout is one of lines, document, not 'doc'"):
        compare_systems(two, ref=REFERENCE, ref_layout="doc")
    for count in (1.5, "5", True, 0):
        with pytest.raises(UserError, match="a whole number of bootstrap resamples"):
            compare_systems(two, ref=REFERENCE, bootstrap=count)
    with pytest.raises(UserError, match="nothing to score"):
        corpus_scores([], [])


def test_out_of_memory_in_compare_names_the_resamples(systems, capsys, monkeypatch):
    import align.errors
    import align.score.compare as compare

    good, bad = systems

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(compare, "compare_inputs", no_memory)
    monkeypatch.setattr(align.errors, "memory_limit", lambda: 2**30)
    assert main(["compare", str(good), str(bad), "--ref", str(REFERENCE)]) == 2
    err = capsys.readouterr().err
    assert "likely too low for the significance tests" in err and "--bootstrap" in err
    assert "the model" not in err


def _scores(table: list[dict]) -> list[dict]:
    return [{k: row[k] for k in ("system", "bleu", "chrf", "ter")} for row in table]


def test_batch_folders_compare_by_article_and_in_total(batches, tmp_path, capsys):
    b1, b2 = batches
    argv = ["--bootstrap", "100", "--randomization", "100"]
    assert main(["compare", f"short={b1}", f"long={b2}", *argv, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["systems"] == ["short", "long"] and result["notes"] == []
    assert [a["article"] for a in result["articles"]] == ["a1", "a2"]
    # Each article scores as its run folders do when compared alone.
    for article in result["articles"]:
        alone = compare_systems(
            [load_system(b1 / article["article"], "short"),
             load_system(b2 / article["article"], "long")], bootstrap=100, randomization=100,
        )  # fmt: skip
        assert article["pairs"] == alone["pairs"] and article["segments"] == alone["segments"]
        assert _scores(article["table"]) == _scores(alone["table"])
    # The total is every article's pairs, in the batch's order, as one corpus.
    assert result["pairs"] == sum(a["pairs"] for a in result["articles"]) >= MIN_PAIRS
    files = {}
    for name, folder in (("short", b1), ("long", b2), ("ref", b1)):
        kind = "ref.txt" if name == "ref" else "hyp.txt"
        files[name] = tmp_path / f"{name}.txt"
        files[name].write_text(
            "".join((folder / a / kind).read_text(encoding="utf-8") for a in ("a1", "a2")),
            encoding="utf-8",
        )
    whole = compare_systems([load_system(files["short"]), load_system(files["long"])],
                            ref=files["ref"], bootstrap=100, randomization=100)  # fmt: skip
    assert _scores(result["table"]) == _scores(whole["table"])
    assert result["lowest"][0]["article"] in ("a1", "a2")
    assert {b["bucket"] for b in result["buckets"]["role"]} <= {"body", "caption", "credit"}
    # The text: the total table, then one row an article with its marks.
    assert main(["compare", str(b1), str(b2), *argv]) == 0
    text = capsys.readouterr().out
    assert "| beam2 |" in text and "by article (2):" in text
    assert "| article | pairs | beam1 BLEU | beam1 chrF++ | beam2 BLEU | beam2 chrF++ |" in text
    a1 = result["articles"][0]
    assert f"| a1 | {a1['pairs']} | {a1['table'][0]['bleu']['score']:.2f} |" in text


def test_articles_missing_from_a_batch_are_named_in_one_note(batches, tmp_path, capsys):
    b1, b2 = batches
    partial = tmp_path / "partial"
    shutil.copytree(b2, partial)
    shutil.rmtree(partial / "a2")  # as when a2 failed there
    result = compare_batches([load_batch(b1), load_batch(partial)], 20, 20)
    assert [a["article"] for a in result["articles"]] == ["a1"]
    assert result["notes"] == [
        "1 article(s) without a complete run in every batch folder are left out: a2 (none in "
        "partial)"
    ]
    pair = [load_system(b1 / "a1", "beam1"), load_system(partial / "a1", "partial")]
    alone = compare_systems(pair, bootstrap=20, randomization=20)
    assert _scores(result["table"]) == _scores(alone["table"])
    assert main(["compare", str(b1), str(partial), "--bootstrap", "20",
                 "--randomization", "20"]) == 0  # fmt: skip
    notes = [x for x in capsys.readouterr().out.splitlines() if x.startswith("note:")]
    assert len(notes) == 1 and "a2 (none in partial)" in notes[0]


def test_batch_folders_refuse_runs_references_and_damage(batches, runs, tmp_path, capsys):
    b1, b2 = batches
    err = refused(capsys, b1, runs[0])
    assert "is a batch folder" in err and str(runs[0]) in err
    assert "is a batch folder" in refused(capsys, runs[0], f"b={b1}")
    assert "--ref" in refused(capsys, b1, b2, "--ref", REFERENCE)
    damaged = tmp_path / "damaged"
    shutil.copytree(b2, damaged)
    with (damaged / "a1" / "hyp.txt").open("a", encoding="utf-8") as f:
        f.write("one more line\n")
    err = refused(capsys, b1, damaged)
    assert "hyp.txt" in err and "SHA-256 differs" in err
    (damaged / "batch.json").write_text('{"articles": ["../x"]}', encoding="utf-8")
    assert "not an article id" in refused(capsys, b1, damaged)
    (damaged / "batch.json").write_text("[]", encoding="utf-8")
    assert "not a batch record" in refused(capsys, b1, damaged)


def test_a_line_too_long_to_score_leaves_its_pair_out_with_a_note(systems, tmp_path, capsys):
    """As ``run``: a line past the metrics' bounds (a decoder's loop) is left out of the
    scores with a note, not scored for minutes; the comparison refused it, and with it the
    runs ``run`` wrote with such a line."""
    good, _ = systems
    long = tmp_path / "long.txt"
    lines = good.read_text(encoding="utf-8").splitlines()
    lines[3] = " ".join(["word"] * 3000)
    long.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for args in ([str(good), str(long)], [str(long)]):
        assert main(["compare", *args, "--ref", str(REFERENCE), "--bootstrap", "10",
                     "--randomization", "10"]) == 0  # fmt: skip
        out = capsys.readouterr().out
        assert "note: 1 pair(s) too long to score are left out: line 4 (long has 3,000" in out
    result = compare_systems([load_system(good), load_system(long)], ref=REFERENCE,
                             bootstrap=10, randomization=10)  # fmt: skip
    assert all(row["index"] != [3] for row in result["lowest"])
    # a run with such a line, as run wrote it: compared, the pair left out
    article = tmp_path / "a.txt"
    article.write_text("قال الوزير إن الاجتماع انتهى.\nوصل الرئيس إلى موسكو.\n", encoding="utf-8")
    ref = tmp_path / "r.txt"
    ref.write_text("The minister said the meeting ended.\nThe president arrived in Moscow.\n")
    loop = tmp_path / "loop.txt"
    loop.write_text("The minister said the meeting ended.\n" + "and Moscow " * 300 + "\n")
    run = tmp_path / "run"
    assert main(["run", str(article), "--hyp", str(loop), "--ref", str(ref), "--out", str(run),
                 "--align-method", "lexical"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["compare", str(run), "--bootstrap", "10", "--randomization", "10"]) == 0
    said = capsys.readouterr().out
    assert "left out: segment 1 (run has 600 word(s) or mark(s) between spaces" in said
    # a reference sentence too long to align is still refused (the alignment needs it)
    ref.write_text(" ".join(["word"] * 3000) + "\n", encoding="utf-8")
    assert main(["compare", str(good), "--ref", str(ref), "--ref-layout", "document"]) == 2
    assert "sentence 1 of the reference file" in capsys.readouterr().err


def test_a_document_reference_that_does_not_fit_is_said(systems, tmp_path, capsys):
    """The document alignment's notes (an unrelated reference, segments left without one)
    are in the comparison, as ``score`` says them."""
    good, bad = systems
    other = tmp_path / "other.txt"  # the reference of the first twenty segments only
    other.write_text(" ".join(LINES[:20]) + "\n", encoding="utf-8")
    result = compare_systems(
        [load_system(good), load_system(bad)], ref=other, ref_layout="document",
        bootstrap=20, randomization=20,
    )  # fmt: skip
    assert any("line(s) have no reference" in n for n in result["notes"])
    assert all(n.startswith("reference alignment: ") for n in result["notes"])
    assert main(["compare", str(good), str(bad), "--ref", str(other), "--ref-layout",
                 "document", "--bootstrap", "20", "--randomization", "20"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "note: reference alignment: " in out
    # a reference that fits has no such note
    fits = compare_systems([load_system(good)], ref=REFERENCE, ref_layout="document",
                           bootstrap=20, randomization=20)  # fmt: skip
    assert "notes" not in fits


def test_a_document_reference_is_paired_through_the_best_system_whichever_is_first(
    systems, document_run, tmp_path
):
    """A poor system listed first pairs the reference sentences with the segments worse
    than a good one: the pairing goes through the translation that matches the reference
    best, so each system's scores are the same whatever the order, and a note says so."""
    good, _ = systems
    poor = tmp_path / "poor.txt"  # the same segments, in words that share nothing with it
    poor.write_text("\n".join(f"zq{k} xv{k}" for k in range(len(LINES))) + "\n", "utf-8")
    paragraphs = [" ".join(LINES[i : i + 5]) for i in range(0, len(LINES), 5)]
    doc = tmp_path / "doc.txt"
    doc.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")

    def scores(order):
        result = compare_systems(
            [load_system(p) for p in order], ref=doc, ref_layout="document",
            bootstrap=20, randomization=20,
        )  # fmt: skip
        table = {row["system"]: row["chrf"]["score"] for row in result["table"]}
        return table, result.get("notes", [])

    first, notes_first = scores([good, poor])
    second, notes_second = scores([poor, good])
    assert first == pytest.approx(second) and first["good"] > 80, (first, second)
    assert not any("paired with the segments through" in n for n in notes_first)
    assert any("through good's translation" in n for n in notes_second), notes_second
    # a run's own document reference too: its sentences are paired through the best system
    poor_run = tmp_path / "poor-run"
    assert main(["run", str(ARTICLE), "--hyp", str(poor), "--ref", str(REFERENCE),
                 "--ref-layout", "document", "--align-method", "lexical",
                 "--out", str(poor_run)]) == 0  # fmt: skip
    runs = [load_system(poor_run, "poor"), load_system(document_run, "good")]
    poor_first = compare_systems(runs, bootstrap=20, randomization=20)
    good_first = compare_systems(runs[::-1], bootstrap=20, randomization=20)
    assert {r["system"]: r["chrf"]["score"] for r in poor_first["table"]} == pytest.approx(
        {r["system"]: r["chrf"]["score"] for r in good_first["table"]}
    )
    assert any("through good's translation" in n for n in poor_first["notes"])
    # the run listed first pairs through its own beads when it is the best: its scores
    # are those it recorded
    recorded = Run.open(document_run).scores
    row = good_first["table"][0]
    assert row["chrf"]["score"] == pytest.approx(recorded.chrf.score)


MID_ARTICLE = (
    "قال الوزير إن الاجتماع انتهى.\n\n[إعلان 2]\n\nرابط المصدر\n\nوصل الرئيس إلى موسكو يوم 28 "
    "مارس.\n\nستستمر الزيارة ثلاثة أيام.\n\nوقال المتحدث إن المحادثات كانت مثمرة جدا.\n"
)
MID_HYP = [
    "The minister said the meeting ended.",
    "The president arrived in Moscow on March 28.",
    "The visit will last three days.",
    "The spokesman said the talks were very fruitful.",
]
MID_REF = (
    "The minister said that the meeting was over.\nThe president reached Moscow on 28 March.\n"
    "The spokesman said that the talks had been very fruitful.\n"
)


def test_segments_are_named_by_their_index_past_boilerplate(tmp_path, capsys):
    """Two boilerplate lines before the third translated segment: the document alignment's
    notes, and compare's pairs, named it by its position among the translated segments (2
    or 3), where the report, check and the review call it segment 4."""
    ref = tmp_path / "ref.txt"
    ref.write_text(MID_REF, encoding="utf-8")
    out = tmp_path / "run"
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical"), progress=False)
    with pytest.warns(UserWarning, match="no reference: 4"):
        result = pipeline.run(MID_ARTICLE, hyp=MID_HYP, ref=ref, ref_layout="document", out=out)
    assert result.segments[4].hypothesis == MID_HYP[2]
    assert "reference alignment: 1 segment(s) have no reference: 4" in result.warnings
    compared = compare_systems(
        [load_system(out)], ref=ref, ref_layout="document", bootstrap=5, randomization=5
    )  # fmt: skip
    assert "reference alignment: 1 segment(s) have no reference: 4" in compared["notes"]
    indices = sorted(i for row in compared["lowest"] for i in row["index"])
    assert indices == [0, 3, 5]
    # score names the lines of its file, from 1
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("\n".join(MID_HYP) + "\n", encoding="utf-8")
    assert main(["score", "--hyp", str(hyp), "--ref", str(ref), "--ref-layout", "document"]) == 0
    captured = capsys.readouterr()
    assert "1 hypothesis line(s) have no reference: 3" in captured.err
    assert "hypothesis lines without reference: [3]" in captured.out
    # and so does compare of that file (it named it by its position from 0, as a list)
    assert main(["compare", str(hyp), "--ref", str(ref), "--ref-layout", "document"]) == 0
    out = capsys.readouterr().out
    assert "note: reference alignment: 1 line(s) have no reference: 3\n" in out
    assert "[" not in out.split("lowest sentence chrF++:")[1]


def test_files_name_their_lines_from_one_and_runs_their_segments(systems, capsys):
    """Compared plain files are named by their lines as an editor numbers them ("line 4"),
    where the pairs of runs are named by segment index; neither as a Python list."""
    good, bad = systems
    assert main(["compare", str(good), str(bad), "--ref", str(REFERENCE), "--bootstrap", "10",
                 "--randomization", "10"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    chrf = CHRF(word_order=2)

    def score(k: int) -> float:
        return chrf.sentence_score(degrade(LINES[k], 2), [LINES[k]]).score

    worst = min(range(len(LINES)), key=score)
    assert f"  bad line {worst + 1}: " in out
    assert "[" not in out.split("segments where")[1]
    result = compare_systems(
        [load_system(good), load_system(bad)], ref=REFERENCE, bootstrap=10, randomization=10
    )
    assert all(row["lines"] == [k + 1 for k in row["index"]] for row in result["lowest"])


def test_a_batch_article_whose_every_pair_is_too_long_is_said_so(tmp_path, capsys):
    """It was said to have "no segment paired with a reference", and when it was the only
    article, the cause was lost."""
    a1 = _article(tmp_path, "a1", range(1, 4))
    refs = (tmp_path / "a1.en").read_text(encoding="utf-8").splitlines()
    (tmp_path / "good.en").write_text("\n".join(refs) + "\n", encoding="utf-8")
    (tmp_path / "loop.en").write_text("\n".join(["and Cairo " * 300] * len(refs)) + "\n")
    folders = []
    for name in ("good", "loop"):
        manifest = tmp_path / f"{name}.jsonl"
        manifest.write_text(json.dumps({**a1, "hyp": f"{name}.en"}) + "\n", encoding="utf-8")
        folder = tmp_path / name
        assert main(["batch", str(manifest), "--out", str(folder), "--align-method", "lexical",
                     "--no-background", "--quiet"]) == 0  # fmt: skip
        folders.append(str(folder))
    capsys.readouterr()
    assert main(["compare", *folders, "--bootstrap", "10", "--randomization", "10"]) == 2
    err = capsys.readouterr().err
    assert "1 article(s) whose every pair is too long to score are left out: a1" in err
    assert "no segment paired with a reference in" not in err
    assert "a1: 3 pair(s) too long to score are left out: segment 0 (loop has 600" in err


def test_the_reasons_for_leaving_articles_out_name_a_few_of_them(tmp_path):
    """Two batch folders that list 2,000 articles and hold no run: the refusal named every
    article, a line of 58,000 characters."""
    from align.score.compare import Batch

    ids = tuple(f"article-{k:04d}" for k in range(2000))
    batches = [Batch(name, tmp_path / name, {}, ids) for name in ("A", "B")]
    with pytest.raises(UserError) as err:
        compare_batches(batches, bootstrap=5, randomization=5)
    said = str(err.value)
    assert "2000 article(s) without a complete run in every batch folder" in said
    assert "article-0019 (none in A, B) and 1980 more" in said and "article-0020" not in said
    assert len(said) < 2000
