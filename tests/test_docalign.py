"""References in any segmentation: document alignment, `score --ref-layout document`, and
`run --ref-layout document`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from align import DecodingSettings, Pipeline
from align.cli import main
from align.errors import UserError
from align.run import Run, is_complete
from align.score.docalign import (
    align_by_length,
    align_documents,
    chrf,
    gale_church,
    reference_sentences,
)
from align.score.metrics import CLI_ARGS
from align.settings import AlignmentSettings, TranslationSettings
from tests.conftest import SEED

REFERENCE = SEED / "reference.en.txt"
ARTICLE = SEED / "article.ar.txt"
LINES = REFERENCE.read_text(encoding="utf-8").splitlines()


def weak_system(sentence: str, k: int) -> str:
    """A deterministic 'weak translation': every fourth word dropped, one word replaced."""
    words = [w for i, w in enumerate(sentence.split()) if (i + k) % 4 != 3]
    if len(words) > 3:
        words[1] = "thing"
    return " ".join(words)


def split_half(sentence: str) -> tuple[str, str]:
    words = sentence.split()
    cut = len(words) // 2
    return " ".join(words[:cut]), " ".join(words[cut:])


@pytest.fixture(scope="module")
def document():
    """Hypotheses for 30 reference lines; the reference with merges and splits, and gold."""
    lines = [x for x in LINES if len(x.split()) >= 8][:30]
    hyps = [weak_system(x, k) for k, x in enumerate(lines)]
    refs, gold = [], []
    i = 0
    while i < len(lines):
        if i % 7 == 2 and i + 1 < len(lines):  # merged
            gold.append(((i, i + 1), (len(refs),)))
            refs.append(lines[i] + " " + lines[i + 1])
            i += 2
        elif i % 7 == 5:  # split
            gold.append(((i,), (len(refs), len(refs) + 1)))
            refs.extend(split_half(lines[i]))
            i += 1
        else:
            gold.append(((i,), (len(refs),)))
            refs.append(lines[i])
            i += 1
    return hyps, refs, gold


def beads(result):
    return [(b.hyp, b.ref) for b in result.beads]


def test_merges_and_splits_are_recovered(document):
    hyps, refs, gold = document
    result = align_documents(hyps, refs)
    assert beads(result) == gold
    assert result.corresponds and not result.unmatched_hyp and not result.unmatched_ref
    kinds = {b.kind for b in result.beads}
    assert {"1-1", "2-1", "1-2"} <= kinds


def test_a_segment_without_reference_and_an_extra_reference_sentence_are_named(document):
    hyps, refs, _ = document
    extra_hyp = "Completely different words about football matches and weather tomorrow."
    hyps = hyps[:5] + [extra_hyp] + hyps[5:]
    refs = refs[:10] + ["An unrelated sentence about cooking rice with saffron."] + refs[10:]
    result = align_documents(hyps, refs)
    assert result.unmatched_hyp == [5]
    assert result.unmatched_ref == [10]
    assert any("1 hypothesis segment" in n for n in result.notes)
    # Sentences are named as a reader counts them, from 1, like the lines of a file.
    assert "1 reference sentence(s) match no segment: 11 (counted from 1)" in result.notes


def test_reference_much_shorter_or_longer_is_well_defined(document):
    hyps, refs, _ = document
    short = align_documents(hyps, refs[:4])
    assert len(short.unmatched_hyp) >= len(hyps) - 8
    assert sorted(i for b in short.beads for i in b.hyp) == list(range(len(hyps)))
    long = align_documents(hyps[:4], refs)
    assert sorted(j for b in long.beads for j in b.ref) == list(range(len(refs)))
    assert len(long.unmatched_ref) >= len(refs) - 8


def test_unrelated_documents_are_said_so_with_the_similarity(document):
    hyps, _, _ = document
    other = [
        "The recipe needs two cups of flour and a spoon of sugar.",
        "Bake it for forty minutes in a hot oven.",
        "Serve the cake cold with fresh cream.",
    ] * 5
    result = align_documents(hyps, other)
    assert not result.corresponds
    assert "do not look like the same text" in result.notes[0]
    assert f"{result.mean_similarity:.3f}" in result.notes[0]


def test_empty_lines_and_empty_sides():
    assert align_documents([], ["a b c"]).unmatched_ref == [0]
    assert align_documents(["a b c"], []).unmatched_hyp == [0]
    result = align_documents(["", "The cat sat on the mat."], ["The cat sat on the mat."])
    covered = sorted(i for b in result.beads for i in b.hyp)
    assert covered == [0, 1]


def test_chrf_of_profiles_is_symmetric_in_identity_and_zero_when_disjoint():
    from align.score.docalign import _Profiles

    p = _Profiles(["the same words", "xyz"])
    assert chrf(p.of((0,)), p.of((0,))) == pytest.approx(1.0)
    assert chrf(p.of((0,)), p.of((1,))) < 0.05


def test_gale_church_baseline_runs_on_lengths(document):
    hyps, refs, gold = document
    result = gale_church(hyps, refs)
    assert result.method == "length"
    assert sorted(i for b in result.beads for i in b.hyp) == list(range(len(hyps)))


def test_reference_sentences_split_paragraphs_and_skip_blank_lines():
    text = "First sentence here. Second one follows.\n\nThird line.\n"
    assert reference_sentences(text) == [
        "First sentence here.",
        "Second one follows.",
        "Third line.",
    ]


def sacrebleu_json(ref, hyp) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), *CLI_ARGS, "-f", "json"]
        + ["-w", "6"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {row["name"]: row["score"] for row in json.loads(out)}


def test_score_document_layout_equals_sacrebleu_on_written_files(tmp_path, capsys, document):
    hyps, refs, _ = document
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("\n".join(hyps) + "\n", encoding="utf-8")
    ref = tmp_path / "ref.txt"  # paragraphs of three sentences, a blank line between
    paragraphs = [" ".join(refs[k : k + 3]) for k in range(0, len(refs), 3)]
    ref.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    prefix = str(tmp_path / "aligned")
    code = main(["score", "--hyp", str(hyp), "--ref", str(ref), "--ref-layout", "document",
                 "--write-aligned", prefix, "--json"])  # fmt: skip
    assert code == 0
    ours = json.loads(capsys.readouterr().out)
    cli = sacrebleu_json(prefix + ".ref.txt", prefix + ".hyp.txt")
    for key, name in (("bleu", "BLEU"), ("chrf", "chrF2++"), ("ter", "TER")):
        assert round(ours[key]["score"], 6) == cli[name]  # where --ref-layout lines puts it
    assert ours["document_alignment"]["corresponds"] is True
    beads_file = json.loads((tmp_path / "aligned.beads.json").read_text())
    assert beads_file["corresponds"] and beads_file["unmatched_hypothesis"] == []
    assert len((tmp_path / "aligned.hyp.txt").read_text().splitlines()) == len(
        [b for b in beads_file["beads"] if b["hyp"] and b["ref"]]
    )


def test_score_document_layout_bad_input(tmp_path, capsys):
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("One line.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["score", "--hyp", str(hyp), "--ref", str(empty), "--ref-layout", "document"]) == 2
    err = capsys.readouterr().err
    assert "empty" in err and len(err.strip().splitlines()) == 1
    lines_only = ["score", "--hyp", str(hyp), "--ref", str(hyp), "--write-aligned", "x"]
    assert main(lines_only) == 2


@pytest.fixture(scope="module")
def document_run(tiny_model, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docrun")
    ref = tmp / "reference-paragraphs.txt"
    # The seed reference as paragraphs of four lines: a different segmentation.
    paragraphs = [" ".join(LINES[k : k + 4]) for k in range(0, len(LINES), 4)]
    ref.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    messages: list[str] = []
    pipeline = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(decoding=DecodingSettings(max_new_tokens=6)),
        alignment=AlignmentSettings(method="lexical"),
        on_warning=messages.append,
    )
    out = tmp / "run"
    result = pipeline.run(ARTICLE, ref=ref, out=out, ref_layout="document")
    return out, result, messages


def test_run_with_a_document_reference_writes_the_alignment(document_run):
    out, result, messages = document_run
    assert is_complete(out)
    docalign = json.loads((out / "docalign.json").read_text(encoding="utf-8"))
    assert docalign["hypothesis_segments"] == 54
    assert docalign["reference_sentences"] == len(docalign["reference_texts"]) > 0
    rows = [json.loads(x) for x in (out / "segments.jsonl").read_text().splitlines()]
    translated = [r for r in rows if r["translated"]]
    assert all("bead" in r for r in translated)
    unmatched = docalign["unmatched_hypothesis"]
    for k, row in enumerate(translated):
        assert (row["reference"] is None) == (k in unmatched)
    # Gibberish from random weights does not correspond to the reference: said, with the figure
    assert not docalign["corresponds"]
    assert any("do not look like the same text" in m for m in messages)
    assert result.manifest["reference_layout"] == "document"
    scores = json.loads((out / "scores.json").read_text())
    cli = sacrebleu_json(out / "aligned.ref.txt", out / "aligned.hyp.txt")
    for key, name in (("bleu", "BLEU"), ("chrf", "chrF2++"), ("ter", "TER")):
        assert round(scores["corpus"][key]["score"], 6) == cli[name]
    # The document alignment is stored once, in docalign.json, and read back as objects.
    assert "document_alignment" not in scores and "warnings" not in scores
    run = Run.open(out)
    assert run.document_alignment.summary["unmatched_hypothesis"] == unmatched
    assert [p for p, _ in run.scored_pairs()] == [
        tuple(b["hyp"]) for b in docalign["beads"] if b["hyp"] and b["ref"]
    ]


def test_score_with_nothing_paired_writes_nothing(tmp_path, capsys):
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("The cat sat on the mat.\n", encoding="utf-8")
    ref = tmp_path / "ref.txt"
    ref.write_text("القطة جلست\n", encoding="utf-8")
    prefix = str(tmp_path / "al")
    args = ["score", "--hyp", str(hyp), "--ref", str(ref), "--ref-layout", "document"]
    assert main([*args, "--write-aligned", prefix]) == 2
    assert "could be paired" in capsys.readouterr().err
    assert not list(tmp_path.glob("al.*"))


def test_run_with_nothing_paired_says_so(tiny_model, tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text("قال الوزير إن الاجتماع انتهى.\n", encoding="utf-8")
    ref = tmp_path / "ref.txt"  # Arabic, long: nothing like a short English hypothesis
    ref.write_text(
        "هذا نص عربي طويل لا علاقة له بالترجمة على الإطلاق " * 6 + "\n", encoding="utf-8"
    )
    out = tmp_path / "run"
    code = main(["run", str(article), "--ref", str(ref), "--ref-layout", "document",
                 "--model", str(tiny_model), "--out", str(out), "--max-new-tokens", "3",
                 "--align-method", "lexical", "--no-progress"])  # fmt: skip
    assert code == 0 and is_complete(out)
    captured = capsys.readouterr()
    assert "nothing was scored" in captured.out and "Traceback" not in captured.err
    assert json.loads((out / "scores.json").read_text())["corpus"] is None


def test_align_by_length_scales_the_target_to_the_document():
    """Sources and targets share no characters; the target runs 1.4 times longer. The
    second source is translated as two sentences, the fourth as three."""
    sources = ["ا" * n for n in (40, 90, 25, 120, 60)]
    pieces = [[56], [70, 56], [35], [60, 58, 50], [84]]
    targets = ["x" * n for part in pieces for n in part]
    beads = align_by_length(sources, targets)
    assert beads == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4, 5, 6)),
                     ((4,), (7,))]  # fmt: skip
    # the beads depend on the ratio of the lengths, not their scale
    assert align_by_length(sources, ["x" * round(len(t) / 1.4) for t in targets]) == beads


def test_a_document_reference_given_as_lines_is_read_as_its_file_is(tmp_path):
    """A reference in document layout given as a list of lines is split into sentences as
    the same lines in a file are: the same beads, the same scores."""
    article = (
        "قال الوزير إن الاجتماع انتهى.\nوصل الرئيس إلى موسكو يوم 28 مارس.\nوقال إن الزيارة ناجحة.\n"
    )
    hyp = [
        "The minister said the meeting ended.",
        "The president arrived in Moscow on March 28.",
        "He said the visit was a success.",
    ]
    lines = [
        "The minister said that the meeting was over. The president reached Moscow on 28 March.",
        "He said the visit was successful.",
    ]
    ref = tmp_path / "ref.txt"
    ref.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False))
    from_file = pipeline.run(article, hyp=hyp, ref=ref, ref_layout="document")
    from_list = pipeline.run(article, hyp=hyp, ref=lines, ref_layout="document")
    assert [s.reference for s in from_list.segments] == [s.reference for s in from_file.segments]
    assert from_list.segments[0].reference == "The minister said that the meeting was over."
    assert from_list.scores.bleu.score == from_file.scores.bleu.score
    # A whole document on one line is split too, not refused as one long sentence.
    one_line = pipeline.run(article, hyp=hyp, ref=[" ".join(lines)], ref_layout="document")
    assert one_line.scores.bleu.score == from_file.scores.bleu.score
    # A line-layout reference line too long to score is named once, as the given reference's.
    with pytest.raises(UserError, match=r"^line 1 of the given reference has [\d,]+ word"):
        pipeline.run(article, hyp=hyp, ref=["word " * 5000, "b", "c"])


def test_translation_paragraphs_are_blocks_between_blank_lines_else_lines():
    from align.score.docalign import translation_paragraphs

    blocks = "One. Two.\nThree.\n\n\nFour.\n \nFive. Six.\n"
    assert translation_paragraphs(blocks) == [["One.", "Two.", "Three."], ["Four."],
                                              ["Five.", "Six."]]  # fmt: skip
    marked = "A one.\n\u200f\nB one.\nB two.\n"  # a line of an invisible mark is blank
    assert translation_paragraphs(marked) == [["A one."], ["B one.", "B two."]]
    lines = "One. Two.\nThree.\nFour.\n"
    assert translation_paragraphs(lines) == [["One.", "Two."], ["Three."], ["Four."]]
    for text in (blocks, lines, "\n\n", ""):
        joined = [s for p in translation_paragraphs(text) for s in p]
        assert joined == reference_sentences(text)


def test_a_translation_in_paragraphs_keeps_each_with_its_line(tmp_path):
    """With as many paragraphs as the article has lines to translate, no sentence of the
    translation crosses a paragraph break, where lengths alone put "Then the meeting ended."
    with the line before it."""
    article = tmp_path / "a.txt"
    article.write_text(
        "التقى د. أحمد مع Dr. Smith في U.S. embassy صباحا.\n"
        "وقال أ.د. محمد إن النمو بلغ 3.5 في المئة، أي ٣٫٥ بالمئة.\n"
        "ثم انتهى الاجتماع.\n",
        encoding="utf-8",
    )
    paragraphs = [
        "Dr. Ahmed met Dr. Smith. They met at the U.S. embassy. It was in the morning.",
        "Prof. Mohamed said growth reached 3.5 percent. That is ٣٫٥ percent.",
        "Then the meeting ended. Everyone left.",
    ]
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False))
    for sep in ("\n\n", "\n"):
        hyp = tmp_path / "h.txt"
        hyp.write_text(sep.join(paragraphs) + "\n", encoding="utf-8")
        result = pipeline.run(article, hyp=hyp, hyp_layout="document")
        assert result.hypotheses == paragraphs
    # paragraphs that do not match the lines in number: brought by length, nothing lost
    hyp.write_text(" ".join(paragraphs) + "\n", encoding="utf-8")
    result = pipeline.run(article, hyp=hyp, hyp_layout="document")
    assert " ".join(h for h in result.hypotheses if h) == " ".join(paragraphs)


def test_a_sentence_no_segment_takes_stays_in_its_paragraph(tmp_path):
    article = tmp_path / "p.ar"
    article.write_text(
        "قال الوزير إن الاجتماع انتهى بعد ساعات طويلة من النقاش.\n"
        "وصل الرئيس إلى المدينة صباح اليوم.\n",
        encoding="utf-8",
    )
    hyp = tmp_path / "p.en"
    hyp.write_text(
        "The minister said the meeting ended after long hours of discussion.\n\n"
        "He came. So. Yes. No. The president arrived in the city this morning.\n",
        encoding="utf-8",
    )
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False))
    result = pipeline.run(article, hyp=hyp, hyp_layout="document")
    assert result.hypotheses == [
        "The minister said the meeting ended after long hours of discussion.",
        "He came. So. Yes. No. The president arrived in the city this morning.",
    ]


def test_a_bead_given_to_one_segment_is_checked_as_one(tmp_path):
    """Two Arabic sentences translated as one: the segment left empty by its bead has no
    finding of an empty translation, the other's translation is checked against both
    sources (no added words for the other's content), a changed number is still found,
    and a run checked later finds the same."""
    from align.checks import check_article, inputs_of_run

    article = tmp_path / "b.ar"
    article.write_text("قال الوزير إن الاجتماع انتهى. وأضاف أن 10 أشخاص غادروا المدينة صباح "
                       "اليوم.\n", encoding="utf-8")  # fmt: skip
    hyp = tmp_path / "b.en"
    findings = {}
    for said, label in (("10", "same"), ("12", "changed")):
        hyp.write_text(f"The minister said the meeting had ended and that {said} people left "
                       "the city this morning.\n", encoding="utf-8")  # fmt: skip
        pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False),
                            on_warning=lambda m: None)  # fmt: skip
        out = tmp_path / label
        result = pipeline.run(article, hyp=hyp, hyp_layout="document", out=out)
        assert [bool(h) for h in result.hypotheses] == [False, True]  # one bead, one owner
        findings[label] = [[(f.check, f.kind) for f in s.findings] for s in result.segments]
        later = check_article(inputs_of_run(Run.open(out)))
        assert [[(f.check, f.kind) for f in x] for x in later] == findings[label]
    assert findings["same"] == [[], []]
    assert findings["changed"] == [[], [("number", "changed")]]
    changed = Run.open(tmp_path / "changed").segments[1].findings[0]
    source = Run.open(tmp_path / "changed").segments[1].source
    assert changed.src is not None and source[slice(*changed.src)] == "10"


def test_a_bead_short_for_its_sources_is_a_sentence_that_may_be_missing(tmp_path):
    """A sentence left out of a translation in document layout makes its neighbour's bead
    (2-1): the bead's translation, short for both sources, is said; a whole one is not."""
    article = tmp_path / "a.ar"
    article.write_text(
        "ارتفعت أسعار النفط يوم الاثنين بنسبة 3 في المئة. وبلغ سعر خام برنت 85 دولارا "
        "للبرميل.\nوقال محللون إن الارتفاع جاء بعد قرار أوبك خفض الإنتاج. وتوقعوا أن تستمر "
        "الأسعار في الصعود خلال الأسابيع المقبلة.\nوفي الأسواق الآسيوية، تراجعت الأسهم "
        "اليابانية. في حين ارتفع مؤشر هانغ سنغ في هونغ كونغ.\n",
        encoding="utf-8",
    )
    whole = [
        "Oil prices rose 3 percent on Monday. Brent crude reached 85 dollars a barrel.",
        "Analysts said the rise came after OPEC decided to cut production. They expected "
        "prices to keep climbing in the coming weeks.",
        "In Asian markets, Japanese shares fell. Meanwhile the Hang Seng index in Hong Kong rose.",
    ]
    dropped = list(whole)
    dropped[1] = "Analysts said the rise came after OPEC decided to cut production."
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False),
                        on_warning=lambda m: None)  # fmt: skip
    kinds = {}
    for label, paragraphs in (("whole", whole), ("dropped", dropped)):
        hyp = tmp_path / f"{label}.en"
        hyp.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        result = pipeline.run(article, hyp=hyp, hyp_layout="document")
        kinds[label] = [f.kind for s in result.segments if s.translated for f in s.findings]
    assert "short-bead" not in kinds["whole"]
    assert "short-bead" in kinds["dropped"]


def test_a_bead_given_to_one_segment_is_scored_as_one_pair_against_line_references(
    tmp_path, capsys
):
    """Two Arabic sentences translated as one, scored against one reference line each: the
    bead's translation was set against its longer segment's line alone and the other line
    counted as not translated at all (BLEU far below what the translation earns). The
    bead's segments are now one pair, in the run's scores, the files its sacrebleu command
    reads, the run read back, a batch's total and compare, alike."""
    from sacrebleu.metrics import BLEU

    from align.score.compare import compare_systems, load_system

    article = tmp_path / "b.ar"
    article.write_text(
        "قال الوزير إن الاجتماع انتهى بعد ساعات. وأضاف أن عشرة أشخاص غادروا المدينة صباح "
        "اليوم.\nوصل الرئيس إلى المدينة.\n",
        encoding="utf-8",
    )
    hyp = tmp_path / "b.en"
    hyp.write_text("The minister said the meeting ended after hours and that ten people left "
                   "the city this morning.\n\nThe president arrived in the city.\n",
                   encoding="utf-8")  # fmt: skip
    refs = ["The minister said the meeting ended after hours.",
            "He added that ten people left the city this morning.",
            "The president arrived in the city."]  # fmt: skip
    ref = tmp_path / "ref.en"
    ref.write_text("\n".join(refs) + "\n", encoding="utf-8")
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False),
                        on_warning=lambda m: None)  # fmt: skip
    out = tmp_path / "run"
    result = pipeline.run(article, ref=ref, hyp=hyp, hyp_layout="document", out=out)
    hyps = result.hypotheses
    assert [bool(h) for h in hyps] == [False, True, True]  # one bead, its longer segment
    pairs = [(hyps[1], f"{refs[0]} {refs[1]}"), (hyps[2], refs[2])]
    expected = BLEU().corpus_score([h for h, _ in pairs], [[r for _, r in pairs]]).score
    assert expected > 50  # (the segment by segment figure was about half)
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert scores["corpus"]["bleu"]["score"] == pytest.approx(expected)
    assert scores["pairs"] == 2 and scores["segments"] == 3
    assert scores["sacrebleu_cli"].startswith("sacrebleu scored.ref.txt -i scored.hyp.txt ")
    cli = sacrebleu_json(out / "scored.ref.txt", out / "scored.hyp.txt")
    assert round(scores["corpus"]["bleu"]["score"], 6) == cli["BLEU"]
    rows = [json.loads(line) for line in (out / "segments.jsonl").read_text().splitlines()]
    assert rows[0]["scores"] == rows[1]["scores"] != rows[2]["scores"]
    run = Run.open(out)
    assert run.translation_groups == [(0, 1), (2,)]
    assert run.scored_texts() == pairs
    assert main(["report", str(out), "-o", str(tmp_path / "r.html")]) == 0
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count("scored as one with segments 0, 1") == 2
    # compare: the run against a translation given line by line, on the same two pairs
    lines = tmp_path / "lines.en"
    lines.write_text("The minister spoke.\nTen people left.\nThe president came.\n",
                     encoding="utf-8")  # fmt: skip
    compared = compare_systems([load_system(out), load_system(lines)], bootstrap=20,
                               randomization=20)  # fmt: skip
    assert compared["pairs"] == 2
    assert compared["table"][0]["bleu"]["score"] == pytest.approx(expected)
    assert any("scored together" in n for n in compared["notes"])
    with_ref = compare_systems([load_system(lines), load_system(out)], ref=ref, bootstrap=20,
                               randomization=20)  # fmt: skip
    assert with_ref["pairs"] == 2
    assert with_ref["table"][1]["bleu"]["score"] == pytest.approx(expected)
    # A run of schema 3 was scored segment by segment, and is read back so, by compare too.
    old = tmp_path / "old"
    shutil.copytree(out, old)
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    (old / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 3}))
    assert Run.open(old).translation_groups == [(0,), (1,), (2,)]
    assert compare_systems([load_system(old)], bootstrap=20, randomization=20)["pairs"] == 3


def test_a_bead_too_long_to_score_is_named_as_its_segments(tmp_path):
    article = tmp_path / "b.ar"
    article.write_text("قال الوزير إن الاجتماع انتهى بعد ساعات. وأضاف أن عشرة أشخاص غادروا "
                       "المدينة صباح اليوم.\nوصل الرئيس.\n", encoding="utf-8")  # fmt: skip
    hyp = tmp_path / "b.en"
    hyp.write_text(
        "The minister said the meeting ended after hours and that ten people left the city "
        "this morning.\n\nThe president arrived.\n",
        encoding="utf-8",
    )
    ref = tmp_path / "ref.en"
    long_line = " ".join(["word"] * 260)
    ref.write_text(f"{long_line}\n{long_line}\nThe president arrived.\n", encoding="utf-8")
    warnings: list[str] = []
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False),
                        on_warning=warnings.append)  # fmt: skip
    out = tmp_path / "run"
    pipeline.run(article, ref=ref, hyp=hyp, hyp_layout="document", out=out)
    assert any(w.startswith("segments 0, 1 are left out of the scores") for w in warnings)
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert scores["pairs"] == 1
    assert (out / "scored.hyp.txt").read_text(encoding="utf-8") == "The president arrived.\n"


def test_a_batch_runs_again_an_article_scored_segment_by_segment_by_an_earlier_schema(tmp_path):
    """A batch resumed over a run of schema 3 whose bead joins segments kept it, and its total
    mixed the two ways of scoring; that article is run again."""
    article = tmp_path / "a1.ar"
    article.write_text(
        "قال الوزير إن الاجتماع انتهى بعد ساعات. وأضاف أن عشرة أشخاص غادروا المدينة صباح "
        "اليوم.\nوصل الرئيس إلى المدينة.\n",
        encoding="utf-8",
    )
    (tmp_path / "a1.hyp").write_text(
        "The minister said the meeting ended after hours and that ten people left the city "
        "this morning.\n\nThe president arrived in the city.\n",
        encoding="utf-8",
    )
    (tmp_path / "a1.ref").write_text(
        "The minister said the meeting ended after hours.\nHe added that ten people left the "
        "city this morning.\nThe president arrived in the city.\n",
        encoding="utf-8",
    )
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"id": "a1", "path": str(article), "hyp_layout": "document",
                                    "reference": str(tmp_path / "a1.ref"),
                                    "hyp": str(tmp_path / "a1.hyp")}) + "\n")  # fmt: skip
    out = tmp_path / "out"
    argv = ["batch", str(manifest), "--out", str(out), "--align-method", "lexical",
            "--no-background", "--quiet"]  # fmt: skip
    assert main(argv) == 0
    assert json.loads((out / "corpus.json").read_text())["pairs"] == 2
    path = out / "a1" / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "schema_version": 3}))
    assert main(argv) == 0
    assert json.loads(path.read_text())["schema_version"] == 4  # made again
    assert json.loads((out / "corpus.json").read_text())["pairs"] == 2
