"""The alignment checks omission and addition on hand cases with real alignments (the hybrid
aligner with its default background), and scripts/bench_checks.py on a few lines."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from align.checks import ArticleInput, SegmentInput, inputs_of_run
from align.checks.addition import CHECK as ADDITION
from align.checks.base import DOMINANCE
from align.checks.length import relative_length
from align.checks.omission import CHECK as OMISSION
from align.checks.omission import chance_links, word_strengths
from align.checks.words import is_arabic_function_word, is_english_function_word
from align.links.base import Alignment, Link
from align.links.words import word_tokens
from align.run import PairAlignment

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "bench_checks.py"

# (source, translation): a left-out clause, an added clause, two fully translated pairs and
# an empty translation.
CASES = [
    (
        "وصل الرئيس إلى القاهرة صباح اليوم، وعقد اجتماعا طويلا مع وزراء الاقتصاد والتجارة "
        "والصناعة.",
        "The president arrived in Cairo this morning.",
    ),
    (
        "وصل الرئيس إلى القاهرة صباح اليوم.",
        "The president arrived in Cairo this morning, after heavy storms flooded several "
        "northern villages and destroyed hundreds of farms overnight.",
    ),
    ("قال الوزير إن الاقتصاد ينمو بسرعة.", "The minister said the economy is growing quickly."),
    ("وقال الطبيب إن المرضى بخير.", "The doctor said the patients are fine."),
    ("افتتحت المدينة مستشفى جديدا للأطفال.", ""),
]


@pytest.fixture(scope="module")
def segments() -> list[SegmentInput]:
    from align.pipeline import Pipeline
    from align.settings import AlignmentSettings

    article = "\n".join(s for s, _ in CASES)
    result = Pipeline(None, alignment=AlignmentSettings(method="hybrid")).run(
        article, hyp=[t for _, t in CASES]
    )
    found = inputs_of_run(result.run)
    assert [s.source for s in found] == [s for s, _ in CASES]
    return found


def findings(check, segment, segments):
    return check.check(segment, ArticleInput(tuple(segments)))


def test_left_out_clause_is_an_omission_over_its_source_span(segments):
    seg = segments[0]
    found = findings(OMISSION, seg, segments)
    assert found
    # eflomal samples at random: each span is inside the left-out clause (with اليوم, which
    # "this morning" may leave unlinked), not always all of it, and a chance link inside the
    # clause may split it into two findings.
    for f in found:
        assert (f.check, f.kind, f.severity, f.tgt) == ("omission", "missing", "warning", None)
        start, end = f.src
        assert seg.source.index("صباح") < start and end <= len(seg.source) - 1
        assert 0 < f.confidence <= 1 and f.message.endswith(".")
    assert max(len(seg.source[slice(*f.src)].split()) for f in found) >= 3
    assert findings(ADDITION, seg, segments) == []


def test_added_clause_is_an_addition_over_its_translation_span(segments):
    seg = segments[1]
    found = findings(ADDITION, seg, segments)
    assert found
    # eflomal samples at random: each span is inside the added clause, not always all of
    # it, and a chance link inside the clause may split it into two findings.
    clause = seg.translation.index("after")
    for f in found:
        assert (f.check, f.kind, f.severity, f.src) == ("addition", "extra", "warning", None)
        start, end = f.tgt
        assert clause <= start < end <= len(seg.translation) - 1
    assert max(len(seg.translation[slice(*f.tgt)].split()) for f in found) >= 3
    assert findings(OMISSION, seg, segments) == []


@pytest.mark.parametrize("k", [2, 3])
def test_fully_linked_pairs_have_no_finding(segments, k):
    assert findings(OMISSION, segments[k], segments) == []
    assert findings(ADDITION, segments[k], segments) == []


def test_segment_without_alignment_has_no_finding(segments):
    seg = SegmentInput(0, CASES[0][0], CASES[0][1], None)
    assert findings(OMISSION, seg, [seg]) == []
    assert findings(ADDITION, seg, [seg]) == []


def test_empty_translation_is_one_omission_of_the_whole_source(segments):
    seg = segments[4]
    assert seg.translation == ""
    found = findings(OMISSION, seg, segments)
    assert [(f.kind, f.src, f.tgt, f.confidence) for f in found] == [
        ("missing", (0, len(seg.source)), None, 1.0)
    ]
    assert findings(ADDITION, seg, segments) == []


def test_alignment_without_any_link_is_not_aligned_not_missing(segments):
    from dataclasses import replace

    seg = segments[0]
    bare = PairAlignment(seg.source, seg.translation, replace(seg.alignment.alignment, links=()))
    seg = replace(seg, alignment=bare)
    assert findings(OMISSION, seg, [seg]) == []
    assert findings(ADDITION, seg, [seg]) == []


def test_function_words():
    for word in ("في", "وفي", "إلى", "عليه", "الذي", "فإن"):
        assert is_arabic_function_word(word), word
    for word in ("الرئيس", "القاهرة", "اجتماعا"):
        assert not is_arabic_function_word(word), word
    assert is_english_function_word("The") and is_english_function_word("it’s")
    assert not is_english_function_word("storms")
    # the Arabic article of a transliterated name ("al-Hussein") is no content word
    assert is_english_function_word("al") and is_english_function_word("El")


def test_a_transliterated_name_with_its_articles_is_no_addition():
    source = "أعلن التنظيم تعيين أبو الحسين الحسيني القرشي زعيما له."
    translation = (
        "The group announced the appointment of Abu al-Hussein al-Husseini al-Qurashi as its "
        "leader."
    )
    src, tgt = word_tokens(source), word_tokens(translation)
    ar = [source[t.start : t.end] for t in src]
    en = [translation[t.start : t.end] for t in tgt]
    pairs = [("أعلن", "announced"), ("التنظيم", "group"), ("تعيين", "appointment"),
             ("أبو", "Abu"), ("القرشي", "Qurashi"), ("زعيما", "leader"), ("له", "its"),
             (".", ".")]  # fmt: skip
    # the aligner found nothing for الحسين and الحسيني (two-letter skeletons)
    links = tuple(Link(ar.index(a), en.index(e), 1.0) for a, e in pairs)
    alignment = PairAlignment(source, translation, Alignment(src, tgt, links, (), "fixed"))
    seg = SegmentInput(0, source, translation, alignment)
    # in an article whose translations are a little shorter for their sources (relative
    # length 1.15: past the run rule's gate), the name's "al"s do not make a run of three
    ratio = sum(not c.isspace() for c in translation) / sum(not c.isspace() for c in source)
    others = [SegmentInput(k, "ب" * 100, "a" * round(100 * ratio / 1.15)) for k in (1, 2)]
    article = ArticleInput((seg, *others))
    assert 1.1 < relative_length(seg, article) < 1.2
    assert ADDITION.check(seg, article) == []


def _bench():
    """scripts/bench_checks.py as a module."""
    spec = importlib.util.spec_from_file_location("bench_checks", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_checks"] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    return bench


def _bench_run(tmp_path, capsys, *argv: str) -> tuple:
    """scripts/bench_checks.py run with ``argv`` and ``--json``: the module, what it
    printed and the JSON it wrote."""
    bench = _bench()
    out = tmp_path / "bench.json"
    assert bench.main([*argv, "--json", str(out)]) == 0
    return bench, capsys.readouterr().out, json.loads(out.read_text(encoding="utf-8"))


def test_bench_checks_runs_on_a_few_lines(tmp_path, capsys):
    argv = ["--limit", "40", "--no-train", "--seed", "1"]
    bench, printed, data = _bench_run(tmp_path, capsys, *argv)
    assert "| kind | injected | checks P |" in printed
    for kind in bench.KINDS:
        assert f"| {kind} |" in printed
    result = data["A: without training text"]
    assert result["pairs"] == 40 and result["align_s"] > 0
    assert sum(row["injected"] for row in result["kinds"].values()) == 40 - result["clean"]
    assert result["kinds"]["omission"]["checks"] is not None  # our checks ran


def test_bench_checks_repeats_report_the_mean_over_alignments(tmp_path, capsys):
    argv = ["--limit", "30", "--no-train", "--repeats", "2"]
    _, printed, data = _bench_run(tmp_path, capsys, *argv)
    assert "2 alignments, mean (min–max)" in printed and "Clean lines with any finding:" in printed
    runs = data["A: without training text"]
    assert [r["pairs"] for r in runs] == [30, 30]
    # The same injected lines each time: only the alignment differs.
    assert runs[0]["kinds"]["number"]["injected"] == runs[1]["kinds"]["number"]["injected"]
    rows = [r["kinds"]["omission"]["checks"]["recall"] for r in runs]
    line = next(x for x in printed.splitlines() if x.startswith("| omission |") and "(" in x)
    mean = sum(rows) / 2
    assert line.split("|")[3].strip().startswith(f"{mean:.2f} ({min(rows):.2f}–{max(rows):.2f})")


def test_bench_checks_summary_of_runs():
    bench = _bench()
    row = {"precision": 0.5, "recall": 0.25, "clean_flagged": 0.01}
    other = {"precision": 1.0, "recall": None, "clean_flagged": 0.03}
    runs = [
        {"kinds": {"name": {"checks": row}}, "false_alarms": {"checks": 0.02}},
        {"kinds": {"name": {"checks": other}}, "false_alarms": {"checks": 0.04}},
    ]
    text = bench.summary("A", runs)
    assert "| name | 0.75 (0.50–1.00) | 0.25 (0.25–0.25) | 0.020 (0.010–0.030) |" in text
    assert "Clean lines with any finding: 0.030 (0.020–0.040)" in text


def test_bench_checks_runs_on_any_parallel_files(tmp_path, capsys):
    bench = _bench()
    ar, en = bench.read_flores(None)
    (tmp_path / "news.ar").write_text("\n".join(ar[100:125]) + "\n", encoding="utf-8")
    (tmp_path / "news.en").write_text("\n".join(en[100:125]) + "\n", encoding="utf-8")
    out = tmp_path / "bench.json"
    pair = [str(tmp_path / "news.ar"), str(tmp_path / "news.en")]
    assert bench.main(["--pair", *pair, "--no-train", "--json", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))["A: without training text"]
    assert result["pairs"] == 25
    # Lines empty on a side are left out, and said so.
    (tmp_path / "gaps.ar").write_text("\n".join(ar[100:125]) + "\n\n", encoding="utf-8")
    (tmp_path / "gaps.en").write_text("\n".join(en[100:124]) + "\n\nlast\n", encoding="utf-8")
    assert bench.read_pair(tmp_path / "gaps.ar", tmp_path / "gaps.en") == (ar[100:124], en[100:124])
    assert "2 lines empty on a side left out" in capsys.readouterr().err
    assert sum(row["injected"] for row in result["kinds"].values()) == 25 - result["clean"]
    # Files that are not parallel, or not there: one sentence, no traceback.
    (tmp_path / "short.en").write_text("\n".join(en[100:110]) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="25 Arabic lines but 10 English lines"):
        bench.main(["--pair", pair[0], str(tmp_path / "short.en"), "--no-train"])
    with pytest.raises(SystemExit, match="bench_checks: "):
        bench.main(["--pair", pair[0], str(tmp_path / "missing.en"), "--no-train"])


def test_bench_checks_clause_of_a_short_line_keeps_a_word_on_each_side():
    # An eight-word line with no comma: a chunk of up to seven words was drawn before, and
    # left no room for a word on each side (a traceback on short conversational lines).
    bench = _bench()
    line = "I would like to check out right now"
    for seed in range(200):
        span = bench._chunk(line, random.Random(seed))
        if span is not None:
            a, b = span
            assert line[:a].split() and line[b:].split()
            assert 4 <= len(line[a:b].split()) <= 6


def test_bench_checks_pools_several_seeds_on_the_seed_article(tmp_path, capsys):
    bench = _bench()
    ar, en = bench.read_seed_article()
    assert len(ar) == len(en) == 54
    assert all(a.strip() and e.strip() for a, e in zip(ar, en, strict=True))
    argv = ["--seed-article", "--limit", "20", "--no-train", "--seeds", "2"]
    _, printed, data = _bench_run(tmp_path, capsys, *argv)
    result = data["A: without training text"]
    # Two sets of the same 20 lines, each injected with its own seed, scored together.
    assert result["pairs"] == 40 and result["seeds"] == [0, 1]
    injected = [
        sum(1 for s in bench.make_segments(ar[:20], en[:20], 0.4, seed) if s.kind)
        for seed in (0, 1)
    ]
    assert sum(row["injected"] for row in result["kinds"].values()) == sum(injected)
    assert result["clean"] == 40 - sum(injected)
    assert "Injected (seeds 0–1):" in printed
    with pytest.raises(SystemExit):
        bench.main(["--seed-article", "--repeats", "2", "--seeds", "2"])
    assert "do not go together" in capsys.readouterr().err


def test_word_strengths_ignore_links_to_no_word():
    """A link whose end is no word of its side (a hand-edited record) neither counts nor
    outweighs the real links of the word at its other end."""
    source, translation = "قال كيربي", "Kirby said"
    src, tgt = word_tokens(source), word_tokens(translation)
    links = (Link(0, 1, 0.5), Link(1, 0, 0.9), Link(99, 1, 1.0), Link(1, 42, 1.0))
    alignment = PairAlignment(source, translation, Alignment(src, tgt, links, (), "fixed"))
    assert word_strengths(alignment, "src", dominance=0.9) == [0.5, 0.9]
    assert word_strengths(alignment, "tgt", dominance=0.9) == [0.9, 0.5]


def _hand_alignment(source: str, translation: str, links):
    src, tgt = word_tokens(source), word_tokens(translation)
    fixed = tuple(Link(i, j, c) for i, j, c in links)
    return PairAlignment(source, translation, Alignment(src, tgt, fixed, (), "fixed"))


def test_chance_link_off_the_diagonal_does_not_split_a_left_out_clause():
    """A weak link of a left-out clause's word to a word far from where its neighbours'
    links point is a chance link: the clause's words make one run, not two short ones."""
    source = "وصل الرئيس إلى القاهرة صباح اليوم وعقد اجتماعا طويلا مع وزراء الاقتصاد ."
    translation = "The president arrived in Cairo this morning ."
    sure = [(0, 2, 1.0), (1, 1, 1.0), (2, 3, 1.0), (3, 4, 1.0), (4, 6, 1.0), (5, 5, 0.9)]
    alignment = _hand_alignment(source, translation, [*sure, (8, 0, 0.5), (12, 7, 1.0)])
    assert chance_links(alignment) == {(8, 0)}
    spans = OMISSION.spans(alignment, relative=0.7)
    assert [source[x.start : x.end] for x in spans] == ["وعقد اجتماعا طويلا مع وزراء الاقتصاد"]


def test_weak_links_near_the_diagonal_are_no_chance_links():
    """Weak links where the neighbours' links point (a verb before its subject, a name of
    two words sharing one translation word) count as they are."""
    source, translation = (
        "قال الوزير إن الاقتصاد ينمو بسرعة .",
        "The minister said the economy is growing quickly .",
    )
    weak = [(3, 4, 0.5), (4, 6, 0.5), (5, 7, 0.5)]
    alignment = _hand_alignment(source, translation, [(0, 2, 1.0), (1, 1, 1.0), *weak, (6, 8, 1.0)])
    assert chance_links(alignment) == frozenset()
    assert OMISSION.spans(alignment, relative=0.7) == []
    source, translation = (
        "زار الرئيس الولايات المتحدة .",
        "The president visited the United States .",
    )
    shared = [(2, 4, 0.5), (2, 5, 0.5), (3, 5, 0.5)]
    alignment = _hand_alignment(
        source, translation, [(0, 2, 1.0), (1, 1, 1.0), *shared, (4, 6, 1.0)]
    )
    assert chance_links(alignment) == frozenset()


def test_a_chance_link_neither_dominates_nor_crowds_a_link():
    """A chance link counts for nothing: not as the stronger link that makes another link of
    its translation word a guess (``DOMINANCE``), nor as a claim that crowds one."""
    source = "وصل الرئيس إلى القاهرة صباح اليوم وعقد اجتماعا طويلا مع وزراء الاقتصاد ."
    translation = (
        "The president arrived in Cairo this morning and held a long meeting with economy "
        "ministers ."
    )
    sure = [(0, 2, 1.0), (1, 1, 1.0), (2, 3, 1.0), (3, 4, 1.0), (4, 6, 1.0), (5, 5, 0.9)]
    sure += [(6, 8, 1.0), (7, 11, 1.0), (8, 10, 1.0), (9, 12, 1.0), (12, 15, 1.0)]
    for far in (2, 1):  # إلى, a function word; الرئيس, a content word that would crowd
        alignment = _hand_alignment(source, translation, [*sure, (10, 14, 0.45), (far, 14, 0.79)])
        chance = chance_links(alignment)
        assert chance == {(far, 14)}
        assert word_strengths(alignment, "src", DOMINANCE, chance)[10] == 0.45


def test_number_words_the_translation_has_as_digits_are_rendered():
    """Number words whose value the translation has (الخمسة وعشرين as "25") render
    themselves, whatever the aligner linked: they neither count in a run nor extend one. A
    value the translation lacks is no rendering: the run stays."""
    from align.checks.omission import rendered_numbers

    source = "توفي السائق صاحب الخمسة وعشرين عاما ."
    links = [(0, 5, 1.0), (1, 1, 1.0)]
    alignment = _hand_alignment(source, "The driver , 25 , died .", links)
    assert rendered_numbers(alignment) == {3, 4}
    assert OMISSION.spans(alignment, relative=0.7) == []
    alignment = _hand_alignment(source, "The driver , 52 , died .", links)
    assert rendered_numbers(alignment) == frozenset()
    spans = OMISSION.spans(alignment, relative=0.7)
    assert [source[x.start : x.end] for x in spans] == ["صاحب الخمسة وعشرين عاما"]
    # a soft value (الاثنين: two, or Monday; الأول: first), which the number check never
    # finds missing, is no rendering either
    source = "وصل الرئيس إلى القاهرة صباح يوم الاثنين الماضي في زيارة رسمية ."
    translation = "The president arrived in Cairo on an official visit ."
    links = [(0, 2, 1.0), (1, 1, 1.0), (2, 3, 1.0), (3, 4, 1.0), (9, 8, 1.0), (10, 7, 1.0)]
    alignment = _hand_alignment(source, translation, [*links, (8, 5, 0.9), (11, 9, 1.0)])
    assert rendered_numbers(alignment) == frozenset()
    spans = OMISSION.spans(alignment, relative=0.7)
    assert [source[x.start : x.end] for x in spans] == ["صباح يوم الاثنين الماضي"]


def test_a_date_units_word_is_rendered_with_the_date():
    """The word of a date's unit right before a date the translation has (يوم 16 سبتمبر,
    "September 16"; يوم الثلاثاء linked to "Tuesday"; لعام 2016) is rendered with it;
    before a date the translation lacks, or a day it names unlinked (a name: "Theresa
    May"), it is not, nor is العام of النائب العام (general) before a day."""
    from align.checks.omission import rendered_date_units, rendered_numbers

    def units(alignment):
        return rendered_date_units(alignment, rendered_numbers(alignment))

    source = "ستستمر الجولة حتى يوم 16 سبتمبر ."
    links = [(0, 3, 1.0), (1, 1, 1.0), (2, 4, 1.0), (4, 6, 1.0), (5, 5, 1.0), (6, 7, 1.0)]
    alignment = _hand_alignment(source, "The tour will last until September 16 .", links)
    assert units(alignment) == {3}
    assert OMISSION.spans(alignment, relative=0.6) == []
    links = [(0, 3, 1.0), (1, 1, 1.0), (2, 4, 1.0), (6, 6, 1.0)]
    alignment = _hand_alignment(source, "The tour will last until autumn .", links)
    assert units(alignment) == frozenset()
    spans = OMISSION.spans(alignment, relative=0.6)
    assert [source[x.start : x.end] for x in spans] == ["يوم 16 سبتمبر"]
    source = "أعلن عنه يوم الثلاثاء في جائزة لعام 2016 ."
    links = [(0, 1, 1.0), (1, 2, 1.0), (5, 7, 1.0), (8, 9, 1.0)]
    translation = "It was announced on Tuesday in the 2016 prize ."
    alignment = _hand_alignment(source, translation, [*links, (3, 4, 1.0), (7, 6, 1.0)])
    assert units(alignment) == {2, 6}
    alignment = _hand_alignment(source, translation, [*links, (7, 6, 1.0)])
    assert units(alignment) == {6}  # Tuesday not linked to الثلاثاء
    translation = "It was announced on Wednesday in the 2017 prize ."
    alignment = _hand_alignment(source, translation, [*links, (3, 4, 1.0), (7, 6, 1.0)])
    assert units(alignment) == frozenset()
    source = "أعلن النائب العام الاثنين توجيه اتهامات إلى خمسة مسؤولين ."
    translation = "Charges were filed against five officials on Monday ."
    links = [(5, 0, 1.0), (4, 2, 1.0), (6, 3, 1.0), (7, 4, 1.0), (8, 5, 1.0), (3, 7, 1.0)]
    alignment = _hand_alignment(source, translation, [*links, (9, 8, 1.0)])
    assert units(alignment) == frozenset()
    spans = OMISSION.spans(alignment, relative=0.7)
    assert [source[x.start : x.end] for x in spans] == ["أعلن النائب العام"]


def test_bench_checks_with_no_share_injected_measures_false_alarms_alone(tmp_path, capsys):
    argv = ["--limit", "30", "--no-train", "--share", "0"]
    _, printed, data = _bench_run(tmp_path, capsys, *argv)
    result = data["A: without training text"]
    # every line clean: nothing injected, so no precision or recall, only false alarms
    assert result["clean"] == result["pairs"] == 30
    for row in result["kinds"].values():
        assert row["injected"] == 0
        checks = row["checks"]
        assert checks["precision"] is None and checks["precision_strict"] is None
        assert checks["recall"] is None
    flagged = result["false_alarms"]["checks"]
    assert 0 <= flagged <= 1
    assert f"False alarms on clean lines (share with any finding): checks {flagged:.3f}" in printed
    assert "| number | 0 | — | — |" in printed


def test_bench_checks_precision_is_none_only_where_nothing_was_injected():
    bench = _bench()
    finding = SimpleNamespace(check="name", src=None, tgt=(0, 4))
    clean = bench.Injected(0, None, "س", "Anna", "Anna", findings=[finding])
    missed = bench.Injected(1, "name", "ص", "Omar", "Hugo", tgt=(0, 4))
    # a name injected and missed, a clean line flagged: precision 0, measured
    row = bench.score([clean, missed], ["name"])["kinds"]["name"]["checks"]
    assert row["precision"] == 0.0 and row["recall"] == 0.0
    # nothing injected: a clean line flagged gives no precision
    row = bench.score([clean], ["name"])["kinds"]["name"]["checks"]
    assert row["precision"] is None and row["recall"] is None and row["clean_flagged"] == 1.0
