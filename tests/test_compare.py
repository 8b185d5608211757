"""`arabic-align compare`: scores, sacrebleu's paired tests against a baseline, analysis."""

from __future__ import annotations

import json

import pytest
from sacrebleu.metrics import CHRF

from align import DecodingSettings, Pipeline
from align.cli import main
from align.errors import MismatchError, UserError
from align.score.compare import compare_systems, format_table, load_system
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
            str(tiny_model), settings=DecodingSettings(num_beams=beams, max_new_tokens=5),
            align_method="lexical", on_warning=lambda m: None,
        )  # fmt: skip
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
    import shutil

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
