"""Symmetrization, AER evaluation, lexical links, eflomal-based aligners and the CLI."""

from __future__ import annotations

import json
import random

import pytest

from align.cli import main
from align.errors import InputError, MismatchError, UserError
from align.links.arabic import normalize
from align.links.evaluate import GoldLinks, link_scores, parse_pharaoh, read_pharaoh
from align.links.lexical import Dictionary, kinds_agree, lexical_links, name_similarity
from align.links.methods import (
    HybridAligner,
    LexicalAligner,
    StatisticalAligner,
    make_aligner,
    prepare,
)
from align.links.statistical import check_heuristic, eflomal_votes
from align.links.symmetrize import (
    grow_diag,
    grow_diag_final,
    grow_diag_final_and,
    intersection,
    symmetrize,
    union,
)

# ---------------------------------------------------------------- symmetrization

# Hand-worked example. Intersection {0-0, 1-1}; grow-diag adds the neighbours 2-1 and
# 1-2 (each has one unaligned end). grow-diag-final then walks forward, reverse in order:
# 3-3 (source 3 free), 4-0 (source 4 free), 3-4 (target 4 free); 4-4 is left out because
# by then both its ends are aligned. grow-diag-final-and adds only links with both ends
# unaligned: 3-3 and 4-4 (4-0 has target 0 aligned; 3-4 has source 3 aligned after 3-3).
FORWARD = {(0, 0), (1, 1), (2, 1), (3, 3), (4, 0)}
REVERSE = {(0, 0), (1, 1), (1, 2), (4, 4), (3, 4)}
GD = {(0, 0), (1, 1), (2, 1), (1, 2)}


def test_intersection_and_union():
    assert intersection(FORWARD, REVERSE) == {(0, 0), (1, 1)}
    assert union(FORWARD, REVERSE) == FORWARD | REVERSE


def test_grow_diag_adds_neighbours_of_the_intersection():
    assert grow_diag(FORWARD, REVERSE) == GD


def test_grow_diag_final():
    assert grow_diag_final(FORWARD, REVERSE) == GD | {(3, 3), (4, 0), (3, 4)}


def test_grow_diag_final_and_needs_both_ends_unaligned():
    assert grow_diag_final_and(FORWARD, REVERSE) == GD | {(3, 3), (4, 4)}


def test_grow_diag_final_and_rejects_a_link_with_one_end_aligned():
    # 5-0 is not a neighbour of 0-0 and target 0 is aligned: final adds it (source 5 is
    # free), final-and does not (one end is aligned).
    fwd = {(0, 0), (5, 0)}
    rev = {(0, 0)}
    assert grow_diag(fwd, rev) == {(0, 0)}
    assert grow_diag_final(fwd, rev) == {(0, 0), (5, 0)}
    assert grow_diag_final_and(fwd, rev) == {(0, 0)}


def test_grow_diag_uses_diagonal_neighbours():
    fwd = {(0, 0), (1, 1)}
    rev = {(0, 0)}
    assert grow_diag(fwd, rev) == {(0, 0), (1, 1)}
    # Not adjacent at all: stays out of grow-diag.
    assert grow_diag({(0, 0), (2, 2)}, {(0, 0)}) == {(0, 0)}


def test_heuristics_are_nested():
    rng = random.Random(7)
    for _ in range(200):
        fwd = {(rng.randrange(6), rng.randrange(6)) for _ in range(rng.randrange(8))}
        rev = {(rng.randrange(6), rng.randrange(6)) for _ in range(rng.randrange(8))}
        i, u = intersection(fwd, rev), union(fwd, rev)
        gd, gdf, gdfa = (
            grow_diag(fwd, rev),
            grow_diag_final(fwd, rev),
            grow_diag_final_and(fwd, rev),
        )
        assert i <= gd <= gdf <= u
        assert gd <= gdfa <= u
        # Every link gdfa adds after grow-diag comes from one of the directions.
        assert gdfa - gd <= fwd | rev


def test_symmetrize_by_name_and_unknown_name():
    assert symmetrize(FORWARD, REVERSE, "grow-diag") == GD
    with pytest.raises(ValueError, match="unknown symmetrization"):
        symmetrize(FORWARD, REVERSE, "grow")
    with pytest.raises(UserError):
        check_heuristic("grow")


# ---------------------------------------------------------------- evaluation


def test_parse_pharaoh_sure_and_possible():
    g = parse_pharaoh("0-0 1?2  3-1")
    assert g.sure == {(0, 0), (3, 1)}
    assert g.possible == {(0, 0), (1, 2), (3, 1)}
    assert parse_pharaoh("") == GoldLinks(frozenset(), frozenset())


@pytest.mark.parametrize("bad", ["0-", "a-1", "0:1", "1-2-3", "-1-2"])
def test_malformed_link_is_input_error(bad):
    with pytest.raises(InputError, match="not a Pharaoh link"):
        parse_pharaoh(f"0-0 {bad}", "gold.txt, line 1")


def test_link_scores_hand_computed():
    gold = [parse_pharaoh("0-0 1-1 2?2"), parse_pharaoh("0-1 1?0")]
    pred = [parse_pharaoh("0-0 1-2 2-2"), parse_pharaoh("0-1 1-1")]
    # |A| = 5, |S| = 3, |P| = 5; A∩S = {0-0, 0-1} = 2; A∩P = {0-0, 2-2, 0-1} = 3.
    s = link_scores(gold, pred)
    assert (s.predicted, s.sure, s.possible, s.pairs) == (5, 3, 5, 2)
    assert s.precision == pytest.approx(3 / 5)
    assert s.recall == pytest.approx(2 / 3)
    assert s.aer == pytest.approx(1 - (2 + 3) / (5 + 3))
    assert s.f1 == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))
    assert s.to_json()["aer"] == 0.375


def test_link_scores_perfect_and_empty():
    gold = [parse_pharaoh("0-0 1-1 2?2")]
    s = link_scores(gold, [parse_pharaoh("0-0 1-1")])
    assert s.aer == 0.0 and s.precision == 1.0 and s.recall == 1.0
    empty = link_scores(gold, [parse_pharaoh("")])
    assert empty.aer == 1.0 and empty.precision == 0.0 and empty.f1 == 0.0


def test_link_scores_line_count_mismatch():
    with pytest.raises(MismatchError, match="2 lines .* 1"):
        link_scores([parse_pharaoh("0-0"), parse_pharaoh("")], [parse_pharaoh("0-0")])


def test_read_pharaoh_names_the_line(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text("0-0 1-1\n0-0 x\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        read_pharaoh(path, "gold file")
    path.write_text("0-0\n\n1?1\n", encoding="utf-8")
    assert [len(g.possible) for g in read_pharaoh(path, "gold file")] == [1, 0, 1]


# ---------------------------------------------------------------- lexical


def _lexical(ar: str, en: str, dictionary=None, split=True):
    data = prepare([(ar, en)], split_clitics=split)
    s, t = data.src[0], data.tgt[0]
    links = lexical_links(s, t, dictionary)
    return {
        (s.text[s.units[i].start : s.units[i].end], t.text[t.units[j].start : t.units[j].end])
        for i, j in links
    }, links


def test_lexical_keeps_a_form_said_twice_in_order_on_both_sides():
    # Nearest relative position alone pairs the Arabic opening quote with the English closing
    # one when the English has a long opening of its own.
    ar = 'قال إن "واجب التحذير" مهم'
    en = 'So then, as everyone now knows well, he said that "duty to warn" matters'
    data = prepare([(ar, en)], split_clitics=True)
    s, t = data.src[0], data.tgt[0]
    quotes = sorted(
        (s.units[i].start, t.units[j].start)
        for i, j in lexical_links(s, t, None)
        if s.text[s.units[i].start : s.units[i].end] == '"'
    )
    assert quotes == [(ar.index('"'), en.index('"')), (ar.rindex('"'), en.rindex('"'))]


def test_lexical_punctuation_numbers_and_names():
    found, _ = _lexical(
        "قال، هل ٣٫٥ أو ١٬٠٠٠ من واشنطن؟", "He said, is it 3.5 or 1,000 from Washington?"
    )
    assert found == {
        ("،", ","),
        ("؟", "?"),
        ("٣٫٥", "3.5"),
        ("١٬٠٠٠", "1,000"),
        ("واشنطن", "Washington"),
    }


def test_lexical_repeated_forms_pair_by_position():
    _, links = _lexical("أ ، ب ، ج", "a , b , c")
    assert set(links) == {(1, 1), (3, 3)}


def test_lexical_numbers_by_value_only():
    found, _ = _lexical("٣ و ٤", "4 and 3")
    assert found == {("٣", "3"), ("٤", "4")}
    found, _ = _lexical("٣٫٥", "35")
    assert found == set()


def test_lexical_latin_token_without_clitic_splitting():
    found, _ = _lexical("قالت BBC إن", "the BBC said", split=False)
    assert ("BBC", "BBC") in found


def test_lexical_latin_token_inside_arabic():
    found, _ = _lexical("قالت BBC إن", "the BBC said")
    assert ("BBC", "BBC") in found


def test_lexical_dictionary_entry():
    dictionary = Dictionary([("كِتَاب", "Book")])
    found, links = _lexical("الكتاب كتاب", "a book", dictionary)
    # Only the unit كتاب matches (the article ال is split off); one-to-one.
    assert found == {("كتاب", "book")}
    assert set(links.values()) == {0.9}
    assert _lexical("الكتاب كتاب", "a book")[0] == set()


def test_dictionary_read(tmp_path):
    path = tmp_path / "dict.tsv"
    path.write_text("# comment\nكتاب\tbook\n\nبيت\thouse\n", encoding="utf-8")
    d = Dictionary.read(path)
    assert len(d) == 2 and ("بيت", "house") in d
    path.write_text("كتاب book\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        Dictionary.read(path)


def test_name_similarity():
    assert name_similarity("واشنطن", "Washington") >= 0.75
    assert name_similarity("لندن", "London") >= 0.75
    assert name_similarity("واشنطن", "London") < 0.75
    # A lowercase English word is never taken for a name.
    assert _lexical("واشنطن", "washington")[0] == set()


def test_punctuation_never_links_to_a_word():
    assert kinds_agree(",", ",")
    assert kinds_agree("كتاب", "book")
    assert kinds_agree("3", "three")
    assert not kinds_agree(",", "and")
    assert not kinds_agree("و", ",")
    assert not kinds_agree("؟", "what")


def test_lexical_aligner_word_pharaoh():
    aligner = make_aligner("lexical")
    assert isinstance(aligner.inner, LexicalAligner)
    (a,) = aligner.align([("في ٢٠٢٤، قالت", "In 2024, she said")])
    assert a.word_pharaoh() == "1-1 2-2"
    assert a.method == "lexical"


def test_make_aligner_errors():
    with pytest.raises(UserError, match="model"):
        make_aligner("attention")
    with pytest.raises(UserError, match="Unknown alignment method"):
        make_aligner("magic")


# ---------------------------------------------------------------- statistical / hybrid

NOUNS = [
    ("بيت", "house"), ("كتاب", "book"), ("ولد", "boy"), ("قلم", "pen"), ("باب", "door"),
    ("رجل", "man"), ("سيف", "sword"), ("حصان", "horse"), ("جمل", "camel"), ("طبق", "plate"),
]  # fmt: skip
VERBS = [
    ("رأى", "saw"), ("أخذ", "took"), ("وجد", "found"), ("فتح", "opened"), ("حمل", "carried"),
    ("كسر", "broke"),
]  # fmt: skip


def synthetic(n: int, seed: int = 0) -> tuple[list[tuple[str, str]], list[str]]:
    """Pairs like "ورأى الولد كتابه بالبيت" / "and the boy saw his book in the house", with
    gold word links. Nouns also occur bare ("بيت كتاب وقلم"), so the splitter's counts
    support و, ال, ب and ه."""
    rng = random.Random(seed)
    pairs, gold = [], []
    for _ in range(n):
        va, ve = rng.choice(VERBS)
        (n1a, n1e), (n2a, n2e), (n3a, n3e) = rng.sample(NOUNS, 3)
        if rng.random() < 0.5:
            ar = [va, "ال" + n1a, n2a + "ه"]
            en = ["the", n1e, ve, "his", n2e]
            g = [(0, 2), (1, 0), (1, 1), (2, 3), (2, 4)]
            if rng.random() < 0.5:
                ar.append("بال" + n3a)
                en += ["in", "the", n3e]
                g += [(3, 5), (3, 6), (3, 7)]
            if rng.random() < 0.3:
                ar[0] = "و" + ar[0]
                en.insert(0, "and")
                g = [(0, 0)] + [(i, j + 1) for i, j in g]
        else:
            ar = [n1a, n2a, "و" + n3a]
            en = [n1e, n2e, "and", n3e]
            g = [(0, 0), (1, 1), (2, 2), (2, 3)]
        pairs.append((" ".join(ar), " ".join(en)))
        gold.append(" ".join(f"{i}-{j}" for i, j in g))
    return pairs, gold


@pytest.fixture(scope="module")
def corpus():
    return synthetic(300)


def _aer(gold: list[str], alignments) -> float:
    return link_scores(
        [parse_pharaoh(g) for g in gold], [parse_pharaoh(a.word_pharaoh()) for a in alignments]
    ).aer


def test_synthetic_corpus_is_split_as_intended(corpus):
    pairs, _ = corpus
    data = prepare(pairs)
    forms = {f for s in data.src for f in s.forms}
    assert {"و", "ال", "ب", "ه"} <= forms
    # e.g. "ورأى الولد كتابه بالبيت" → و رأى | ال ولد | كتاب ه | ب ال بيت
    assert all("ال" + n not in forms and n + "ه" not in forms for n, _ in NOUNS)


def test_hybrid_recovers_most_true_links(corpus):
    pairs, gold = corpus
    alignments = HybridAligner(runs=2).align(pairs)
    assert len(alignments) == len(pairs)
    # Measured 0.09 over repeated runs (eflomal is not seeded); a no-skill baseline
    # (monotone diagonal) is far above this.
    assert _aer(gold, alignments) < 0.25


def test_statistical_recovers_most_true_links(corpus):
    pairs, gold = corpus
    alignments = make_aligner("statistical", runs=2).align(pairs)
    assert all(a.method == "statistical" for a in alignments)
    assert _aer(gold, alignments) < 0.25  # measured 0.04-0.09


def test_eflomal_votes_shape_and_skipped_pairs(corpus):
    pairs, _ = corpus
    data = prepare(pairs[:100])
    src, tgt = data.training()
    src = [*src[:50], [], src[50], ["x"] * 1200]
    tgt = [*tgt[:50], ["y"], tgt[50], ["y"]]
    votes = eflomal_votes(src, tgt, runs=2)
    assert len(votes) == 53
    assert votes[50].forward == {} and votes[50].reverse == {}
    assert votes[52].forward == {} and votes[52].reverse == {}
    assert votes[51].forward and votes[51].reverse
    for v in votes[:52]:
        for share in [*v.forward.values(), *v.reverse.values()]:
            assert share in (0.5, 1.0)
    for i, j in votes[0].forward:
        assert 0 <= i < len(src[0]) and 0 <= j < len(tgt[0])


def test_edge_lines_are_well_defined(corpus):
    pairs, _ = corpus
    long_ar = " ".join(["ولد", "كتاب"] * 600) + " ؟"  # 1,201 words: over eflomal's limit
    long_en = " ".join(["boy", "book"] * 600) + " ?"
    edge = [
        ("", ""),
        ("ولد", ""),
        ("، . ؟", ", . ?"),
        ("ذهب John إلى واشنطن في ٢٠٢٤", "John went to Washington in 2024"),
        (long_ar, long_en),
    ]
    batch = pairs[:150] + edge[:2] + pairs[150:200] + edge[2:]
    aligner = HybridAligner(runs=2)
    alignments = aligner.align(batch)
    assert len(alignments) == len(batch)
    empty, half_empty = alignments[150], alignments[151]
    assert empty.links == () and empty.word_pharaoh() == ""
    assert half_empty.links == () and len(half_empty.src_tokens) == 1
    # Every alignment belongs to its own pair: the empty lines kept their place.
    for (ar, en), a in zip(batch, alignments, strict=True):
        assert len(a.src_words) == len(ar.split()) and len(a.tgt_words) == len(en.split())
    assert alignments[149].links and alignments[152].links
    punct, mixed, long = alignments[-3:]
    assert punct.word_pharaoh() == "0-0 1-1 2-2"
    assert {"3-3", "5-5"} <= set(mixed.word_pharaoh().split())
    # The long line is not aligned (eflomal leaves it out; a lexical ؟ ↔ ? alone would
    # read as the rest left out), and the aligner says why.
    assert len(long.src_words) == 1201
    assert long.links == ()
    assert list(aligner.over_limit) == [len(batch) - 1]
    assert "1,201 units" in aligner.over_limit[len(batch) - 1]
    for a in alignments:
        for x in a.links:
            assert 0 <= x.src < len(a.src_tokens) and 0 <= x.tgt < len(a.tgt_tokens)
            assert 0.0 <= x.confidence <= 1.0
    # Punctuation never links to a word in the hybrid output.
    data = prepare(batch)
    for s, t, a in zip(data.src, data.tgt, alignments, strict=True):
        for x in a.links:
            assert kinds_agree(s.forms[x.src], t.forms[x.tgt])


def test_statistical_without_any_usable_pair():
    (a, b) = StatisticalAligner(runs=2).align([("", ""), ("، ؟", "")])
    assert a.links == () and b.links == ()


# ---------------------------------------------------------------- CLI


def _write(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_cli_links_hybrid_writes_one_line_per_pair(tmp_path, capsys, corpus):
    pairs, gold = corpus
    src = [a for a, _ in pairs[:200]]
    tgt = [e for _, e in pairs[:200]]
    src[5], tgt[5] = "", ""  # an empty pair keeps its place
    out, js = tmp_path / "out.txt", tmp_path / "out.jsonl"
    rc = main(
        [
            "links",
            "--src", _write(tmp_path / "ar.txt", src),
            "--tgt", _write(tmp_path / "en.txt", tgt),
            "--out", str(out),
            "--runs", "2",
            "--json", str(js),
        ]
    )  # fmt: skip
    assert rc == 0
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == 200
    assert lines[5] == ""
    said = capsys.readouterr().out
    # The summary names the method and the background knowledge it used.
    assert "over 200 pairs (hybrid; background: " in said
    assert "freedict-ara-eng" in said and "flores200-devtest" in said
    records = [json.loads(line) for line in js.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 200 and records[5]["links"] == []
    r = records[0]
    assert r["method"] == "hybrid"
    assert len(r["src_unit_word"]) == len(r["src_tokens"])
    for start, end in r["src_tokens"]:
        assert src[0][start:end].strip() == src[0][start:end] != ""
    # The links are good ones.
    g = [parse_pharaoh(x) for i, x in enumerate(gold[:200]) if i != 5]
    p = [parse_pharaoh(x) for i, x in enumerate(lines[:200]) if i != 5]
    assert link_scores(g, p).aer < 0.3


def test_cli_links_training_text_and_statistical(tmp_path, corpus):
    pairs, _ = corpus
    out = tmp_path / "out.txt"
    rc = main(
        [
            "links",
            "--src", _write(tmp_path / "ar.txt", [pairs[0][0], pairs[1][0]]),
            "--tgt", _write(tmp_path / "en.txt", [pairs[0][1], pairs[1][1]]),
            "--train", _write(tmp_path / "tar.txt", [a for a, _ in pairs]),
            _write(tmp_path / "ten.txt", [e for _, e in pairs]),
            "--method", "statistical", "--runs", "2", "--symmetrize", "intersection",
            "--out", str(out),
        ]
    )  # fmt: skip
    assert rc == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(lines)


def test_cli_links_line_count_mismatch(tmp_path, capsys):
    out = tmp_path / "out.txt"
    rc = main(
        [
            "links",
            "--src", _write(tmp_path / "ar.txt", ["ولد", "بيت", "كتاب"]),
            "--tgt", _write(tmp_path / "en.txt", ["boy", "house"]),
            "--out", str(out), "--runs", "2",
        ]
    )  # fmt: skip
    assert rc == 2
    err = capsys.readouterr().err
    assert err.startswith("arabic-align: error:")
    assert err.count("\n") == 1 and "3 lines" in err and "2" in err
    assert not out.exists()


def test_cli_links_training_mismatch(tmp_path, capsys):
    rc = main(
        [
            "links",
            "--src", _write(tmp_path / "ar.txt", ["ولد"]),
            "--tgt", _write(tmp_path / "en.txt", ["boy"]),
            "--train", _write(tmp_path / "t1", ["ولد", "بيت"]), _write(tmp_path / "t2", ["boy"]),
            "--out", str(tmp_path / "out.txt"),
        ]
    )  # fmt: skip
    assert rc == 2
    assert "training files differ" in capsys.readouterr().err


def test_cli_links_pretokenized_indices_refer_to_given_tokens(tmp_path):
    dictionary = _write(tmp_path / "dict.tsv", ["ذهب\twent", "ولد\tboy"])
    out = tmp_path / "out.txt"
    rc = main(
        [
            "links",
            "--src", _write(tmp_path / "ar.txt", ["ذهب الولد .", "ولد", "ولد"]),
            "--tgt", _write(tmp_path / "en.txt", ["The boy went .", "boy", "boy"]),
            "--method", "lexical", "--dictionary", dictionary, "--pretokenized",
            "--out", str(out),
        ]
    )  # fmt: skip
    assert rc == 0
    # الولد is split into ال + ولد internally, but Pharaoh indices are the given tokens.
    assert out.read_text(encoding="utf-8").splitlines() == ["0-2 1-1 2-3", "0-0", "0-0"]


def test_cli_eval_links(tmp_path, capsys):
    gold = _write(tmp_path / "gold.txt", ["0-0 1-1 2?2", "0-1 1?0"])
    pred = _write(tmp_path / "pred.txt", ["0-0 1-2 2-2", "0-1 1-1"])
    assert main(["eval-links", "--gold", gold, "--pred", pred]) == 0
    out = capsys.readouterr().out
    assert "AER 0.3750" in out and "precision 0.6000" in out
    assert "recall 0.6667" in out and "F1 0.6316" in out
    assert main(["eval-links", "--gold", gold, "--pred", pred, "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores == {
        "aer": 0.375, "precision": 0.6, "recall": 0.6667, "f1": 0.6316,
        "predicted": 5, "sure": 3, "possible": 5, "pairs": 2,
    }  # fmt: skip


def test_cli_eval_links_identical_files(tmp_path, capsys):
    gold = _write(tmp_path / "gold.txt", ["0-0 1-1 2-3", "", "0-1 1?0"])
    assert main(["eval-links", "--gold", gold, "--pred", gold, "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["aer"] == 0.0 and scores["precision"] == 1.0 and scores["recall"] == 1.0


def test_cli_eval_links_errors(tmp_path, capsys):
    gold = _write(tmp_path / "gold.txt", ["0-0", "1-1"])
    short = _write(tmp_path / "short.txt", ["0-0"])
    bad = _write(tmp_path / "bad.txt", ["0-0", "1_1"])
    assert main(["eval-links", "--gold", gold, "--pred", short]) == 2
    err = capsys.readouterr().err
    assert err.startswith("arabic-align: error:") and err.count("\n") == 1
    assert main(["eval-links", "--gold", gold, "--pred", bad]) == 2
    assert "'1_1'" in capsys.readouterr().err


def test_cli_eval_links_prediction_without_links(tmp_path, capsys):
    gold = _write(tmp_path / "gold.txt", ["0-0", "1-1"])
    pred = _write(tmp_path / "pred.txt", ["", ""])
    assert main(["eval-links", "--gold", gold, "--pred", pred, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["aer"] == 1.0


@pytest.mark.parametrize(
    "word, carries",
    [("البيت", True), ("والبيت", True), ("بالبيت", True), ("فللحكومة", True),
     ("للحكومة", True), ("كتاب", False), ("وكتابه", False), ("إلى", False), ("والي", False)],
)  # fmt: skip
def test_has_article(word, carries):
    from align.links.methods import has_article

    assert has_article(word) is carries


def _sides(ar: str, en: str):
    data = prepare([(ar, en)])
    return data.src[0], data.tgt[0]


def test_the_links_to_the_arabic_word_carrying_al_of_the_word_it_determines():
    from align.links.methods import link_clitic_words

    src, tgt = _sides("زار الرئيس مدينة القدس", "the president visited the city of Jerusalem")
    # zar ↔ visited, al-ra'is ↔ president, madina ↔ city, al-quds ↔ Jerusalem
    links = {(0, 2): 1.0, (1, 1): 0.8, (2, 4): 0.9, (3, 6): 1.0}
    out = link_clitic_words(links, src, tgt)
    # the first "the" goes with الرئيس (it carries ال), at half that link's confidence
    assert out[(1, 0)] == pytest.approx(0.4)
    # the second determines "city", whose Arabic word مدينة carries no ال (an idafa head):
    # no link; nothing else changes
    assert {k: v for k, v in out.items() if k != (1, 0)} == links
    # a "the" that eflomal put on the verb by position moves to الرئيس
    moved = link_clitic_words({**links, (0, 0): 0.9}, src, tgt)
    assert (0, 0) not in moved and moved[(1, 0)] == pytest.approx(0.4)
    # a "the" that eflomal linked to the idafa head keeps its links and gets no other
    linked = {**links, (2, 3): 0.6}
    assert link_clitic_words(linked, src, tgt) == {**linked, (1, 0): 0.4}
    # nor one that eflomal linked to another word carrying ال
    assert link_clitic_words({**links, (3, 0): 0.7}, src, tgt) == {**links, (3, 0): 0.7}
    # punctuation or another article ends the search
    src, tgt = _sides("البيت", "the . house")
    assert link_clitic_words({(0, 2): 1.0}, src, tgt) == {(0, 2): 1.0}


def test_and_links_to_the_arabic_word_beginning_with_wa():
    from align.links.background import Lexicon
    from align.links.methods import has_conjunction, link_clitic_words

    lexicon = Lexicon()
    lexicon.add("وزير", "minister", 1.0)
    assert has_conjunction("والمعارك") and has_conjunction("وزير")
    assert not has_conjunction("وزير", lexicon)  # a headword: و is its first root letter
    assert not has_conjunction("ولد") and not has_conjunction("قال")
    src, tgt = _sides("قرأ كتبا والمجلات", "he read books and the magazines")
    links = {(0, 1): 1.0, (1, 2): 0.9, (2, 5): 0.8}
    out = link_clitic_words(links, src, tgt, lexicon)
    # "and" skips "the" and joins والمجلات, the word of "magazines"; "the" joins it too
    assert out[(2, 3)] == pytest.approx(0.4) and out[(2, 4)] == pytest.approx(0.4)
    src, tgt = _sides("قابل وزير", "he met and minister")
    assert link_clitic_words({(1, 3): 1.0}, src, tgt, lexicon) == {(1, 3): 1.0}


def test_of_keeps_no_link_to_the_dependent_of_an_idafa():
    from align.links.methods import drop_idafa_of

    src, tgt = _sides("وصول القوات من فرنسا", "the arrival of troops of France")
    # wusul ↔ arrival; "of" wrongly on القوات (the word of "troops"); من ↔ the second "of"
    links = {(0, 1): 1.0, (1, 2): 0.5, (1, 3): 1.0, (2, 4): 0.9, (3, 5): 1.0, (3, 4): 0.3}
    out = drop_idafa_of(links, src, tgt)
    assert (1, 2) not in out  # the dependent's link
    assert (2, 4) in out  # من keeps its link to "of"
    assert (3, 4) not in out  # a link to فرنسا, the word of "France", is the dependent's too
    assert {k: v for k, v in out.items() if k not in ((1, 2), (3, 4))} == {
        k: v for k, v in links.items() if k not in ((1, 2), (3, 4))
    }


def test_the_hybrid_never_links_the_indefinite_article(corpus):
    pairs, _ = corpus
    pairs = [(ar, "a " + en) for ar, en in pairs[:60]]
    alignments = HybridAligner(runs=2).align(pairs)
    for (_, en), a in zip(pairs, alignments, strict=True):
        linked = {en[a.tgt_tokens[link.tgt].start : a.tgt_tokens[link.tgt].end] for link in a.links}
        assert linked and "a" not in linked


def test_unaligned_english_pronouns_join_the_arabic_word_of_the_next_word():
    from align.links.methods import absorb_pronouns

    # اخذت العلبة . | I took the box .  (units: اخذت ال علبه .)
    links = {(0, 1): 0.8, (1, 2): 0.6, (2, 3): 0.9, (3, 4): 1.0}
    out = absorb_pronouns(links, ["i", "took", "the", "box", "."])
    assert out[(0, 0)] == pytest.approx(0.4)  # "I" goes with اخذت, at half its confidence
    assert {k: v for k, v in out.items() if k != (0, 0)} == links
    # "my" before an unaligned word and then an aligned one: within the window of 2
    assert (5, 0) in absorb_pronouns({(5, 2): 1.0}, ["my", "own", "house"])
    # an aligned pronoun keeps its links; a pronoun with nothing aligned after it stays alone
    assert absorb_pronouns({(0, 0): 0.9}, ["i", "x"]) == {(0, 0): 0.9}
    assert absorb_pronouns({(0, 4): 1.0}, ["we", "a", "b", "c", "d"]) == {(0, 4): 1.0}
    # other English words are never absorbed
    assert absorb_pronouns({(0, 1): 1.0}, ["the", "house"]) == {(0, 1): 1.0}


def test_cli_links_bad_output_and_options_fail_before_work(tmp_path, capsys):
    src, tgt = tmp_path / "a.txt", tmp_path / "b.txt"
    src.write_text("كتاب\n", encoding="utf-8")
    tgt.write_text("book\n", encoding="utf-8")
    base = ["links", "--src", str(src), "--tgt", str(tgt), "--method", "lexical"]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for out, message in ((tmp_path, "is a directory"), (blocker / "x.ph", "cannot write")):
        assert main([*base, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main([*base, "--out", str(tmp_path / "o.ph"), "--runs", "0"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    bad = tmp_path / "dict.tsv"
    bad.write_text("كتاب\tbook\nno tab here\n", encoding="utf-8")
    assert main([*base, "--out", str(tmp_path / "o.ph"), "--dictionary", str(bad)]) == 2
    assert "line 2" in capsys.readouterr().err
    assert not (tmp_path / "o.ph").exists()


def test_a_temporary_folder_that_cannot_be_written_is_named(monkeypatch, tmp_path):
    # A full /tmp (or a file-size limit) failed inside eflomal's writes with an OSError that
    # names no file: "the system refused: File too large", and no word of where.
    import errno
    import tempfile

    import eflomal

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(eflomal.Aligner, "prepare_files", full)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(UserError) as err:
        eflomal_votes([["a", "b"]], [["x", "y"]], runs=1)
    message = str(err.value)
    assert f"working files in {tmp_path}: No space left on device" in message
    assert "TMPDIR" in message

    def gone(*args, **kwargs):  # not a write refused: not said as the folder's fault
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    monkeypatch.setattr(eflomal.Aligner, "prepare_files", gone)
    with pytest.raises(FileNotFoundError):
        eflomal_votes([["a", "b"]], [["x", "y"]], runs=1)


def test_a_dictionary_entry_matches_with_or_without_the_article(tmp_path):
    # The clitic splitter's splits depend on the rest of the text: an entry matched only the
    # unit's form, so الهجوم matched where the article was left on, هجوم where it was not.
    ar, en = "وقع الهجوم الإرهابي", "the terrorist attack happened"
    found = []
    for lines in (["إرهابي\tterrorist", "هجوم\tattack"], ["الإرهابي\tterrorist", "الهجوم\tattack"]):
        path = tmp_path / "d.tsv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        links, _ = _lexical(ar, en, Dictionary.read(path))
        found.append(links)
    assert found[0] == found[1]
    assert {e for _, e in found[0]} >= {"terrorist", "attack"}
    # ... and only the article: الآن is not إن, الله not له, فكرة not كرة, وجود not جود
    entries = Dictionary([("الآن", "now"), ("له", "him"), ("كرة", "ball"), ("جود", "generosity")])
    for word in ("إن", "الله", "فكرة", "وجود"):
        assert entries.translations(normalize(word)) == frozenset(), word
    assert entries.translations(normalize("الآن")) == {"now"}


@pytest.mark.parametrize("line", ["house\tبيت", "hello\tworld", "بيت\tبيت", "# a comment"])
def test_a_dictionary_without_arabic_and_english_words_is_refused(tmp_path, line):
    path = tmp_path / "d.tsv"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="one Arabic word, a tab and one English word"):
        Dictionary.read(path)


@pytest.mark.parametrize("runs", [0, -2, 65, 1.5, True, "4"])
def test_a_number_of_runs_no_aligner_can_use_is_refused(runs):
    """runs=0 made alignments with no statistical link at all, without a word."""
    from align.links.methods import make_aligner

    with pytest.raises(UserError, match="runs= is a whole number from 1 to 64"):
        make_aligner("statistical", runs=runs)


def test_link_scores_refuse_a_gold_without_sure_links():
    """AER and recall are measured against sure links: with none, 0.0 would read as a
    perfect AER."""
    from align.links.evaluate import link_scores, parse_pharaoh

    with pytest.raises(UserError, match="no sure link"):
        link_scores([parse_pharaoh("0?0 1?1")], [parse_pharaoh("0-0 1-1")])
