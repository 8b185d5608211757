"""Word tokens, span pairs and the attention aligner (on a tiny fixture model)."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from align.links.attention import (
    DEFAULT_THRESHOLD,
    AttentionAligner,
    Piece,
    encode_pieces,
    links_from_matrix,
    pieces_to_words,
    word_matrix,
)
from align.links.base import Alignment, Link, Token
from align.links.spans import span_pairs
from align.links.words import word_tokens
from align.model.load import load_marian

AR = 'ويحظى مبدأ استخباراتي أميركي غير معروف إلى حد ما، ويسمى "واجب التحذير".'
EN = 'A little-known US intelligence principle called "duty to warn" is drawing attention.'
AR_MIXED = "أرسلت الولاياتُ المتحدةُ تحذيراً في الساعة 11:15 من صباح 7 مارس/آذار، أي قبل ١٤ يوماً ـــ"
EN_MIXED = "The US sent a written warning at 11:15 a.m. on March 7, two weeks before; don't."
PAIRS = [
    (AR, EN),
    (AR_MIXED, EN_MIXED),
    ("قال كيربي", "Kirby said."),
    ("وحذرت روسيا مرارا وتكرارا من هذا.", "and had repeatedly warned Russia about it."),
    ("كيف وقع الهجوم الإرهابي على المسرح الروسي؟ فيديو: رويترز، تاس", "How did it happen?"),
]


def texts(text: str, tokens: tuple[Token, ...]) -> list[str]:
    return [text[t.start : t.end] for t in tokens]


# -- word_tokens -------------------------------------------------------------------------


def test_word_tokens_english():
    text = "Kirby said: \"don't\" cost $3.5 at 11:15 a.m., 1,000 U.S. troops' (40%)."
    assert texts(text, word_tokens(text)) == [
        "Kirby", "said", ":", '"', "don't", '"', "cost", "$", "3.5", "at", "11:15",
        "a", ".", "m", ".", ",", "1,000", "U", ".", "S", ".", "troops", "'",
        "(", "40", "%", ")", ".",
    ]  # fmt: skip


def test_word_tokens_arabic_keeps_diacritics_tatweel_and_numbers():
    tokens = texts(AR_MIXED, word_tokens(AR_MIXED))
    assert tokens == [
        "أرسلت", "الولاياتُ", "المتحدةُ", "تحذيراً", "في", "الساعة", "11:15", "من", "صباح",
        "7", "مارس", "/", "آذار", "،", "أي", "قبل", "١٤", "يوماً", "ـــ",
    ]  # fmt: skip
    assert texts("٣٫٥ مليون؟", word_tokens("٣٫٥ مليون؟")) == ["٣٫٥", "مليون", "؟"]
    assert texts("كـــبير", word_tokens("كـــبير")) == ["كـــبير"]


@pytest.mark.parametrize(
    "text",
    [AR, EN, AR_MIXED, EN_MIXED, "\u200fكيربي\u200f  قال\u00a0 ‹نعم›", "", "   \n\t", "x", "،،"],
)
def test_word_tokens_offsets_round_trip(text):
    tokens = word_tokens(text)
    visible_text = any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)
    assert bool(tokens) == visible_text  # blank text has no tokens, any other text has some
    for a, b in zip(tokens, tokens[1:], strict=False):
        assert a.end <= b.start  # ordered, never overlapping
    covered = {i for t in tokens for i in range(t.start, t.end)}
    for i, ch in enumerate(text):
        # Every visible character is in exactly one token; spaces and format marks in none.
        visible = not ch.isspace() and unicodedata.category(ch) != "Cf"
        assert (i in covered) == visible, (i, ch)
    for t in tokens:
        piece = text[t.start : t.end]
        assert piece and piece == piece.strip()
        assert unicodedata.category(piece[0]) != "Cf" and unicodedata.category(piece[-1]) != "Cf"


def test_word_tokens_apostrophes_and_format_marks():
    assert texts("'tis Kirby's ’twas’", word_tokens("'tis Kirby's ’twas’")) == [
        "'", "tis", "Kirby's", "’", "twas", "’",
    ]  # fmt: skip
    text = "\u200fقال\u200c كيربي\u200f \u200f"
    assert texts(text, word_tokens(text)) == ["قال", "كيربي"]
    assert texts("نصف\u200cالليل", word_tokens("نصف\u200cالليل")) == ["نصف\u200cالليل"]


# -- span_pairs --------------------------------------------------------------------------


def toks(n: int) -> tuple[Token, ...]:
    """n one-letter tokens "a b c ..." with their offsets."""
    return tuple(Token(2 * i, 2 * i + 1) for i in range(n))


def boxes(spans, n_src: int, n_tgt: int) -> list[tuple[int, int, int, int]]:
    """Token boxes of span pairs over ``toks`` tokens (start token, end token on each side)."""
    return [(s[0] // 2, (s[1] - 1) // 2, t[0] // 2, (t[1] - 1) // 2) for s, t in spans]


def box_list(links, n_src=6, n_tgt=6):
    spans = span_pairs(links, toks(n_src), toks(n_tgt))
    return boxes([(p.src, p.tgt) for p in spans], n_src, n_tgt), spans


def test_span_pairs_one_to_one_and_crossing():
    links = [Link(0, 1, 0.8), Link(1, 0, 0.6), Link(2, 2, 1.0)]
    got, spans = box_list(links)
    # Crossing links 0-1 and 1-0 are separate components and separately consistent.
    assert got == [(0, 0, 1, 1), (1, 1, 0, 0), (2, 2, 2, 2)]
    assert [p.confidence for p in spans] == [0.8, 0.6, 1.0]
    assert spans[0].src == (0, 1) and spans[0].tgt == (2, 3)


def test_span_pairs_one_to_many_is_one_span():
    links = [Link(1, 0, 0.2), Link(1, 1, 0.4), Link(1, 3, 0.9), Link(4, 2, 0.5)]
    got, spans = box_list(links)
    # 1-0, 1-1, 1-3 share source token 1; their box covers target 0..3, where 4-2 lands
    # with one end inside, so the box grows to source 1..4.
    assert got == [(1, 4, 0, 3)]
    assert spans[0].confidence == pytest.approx((0.2 + 0.4 + 0.9 + 0.5) / 4)
    assert spans[0].src == (2, 9) and spans[0].tgt == (0, 7)


def test_span_pairs_merge_chain():
    # Crossing links 1-2 and 2-1 are two separate, consistent boxes.
    links = [Link(0, 0, 1.0), Link(3, 3, 1.0), Link(1, 2, 1.0), Link(2, 1, 1.0), Link(5, 5, 1.0)]
    got, _ = box_list(links)
    assert got == [(0, 0, 0, 0), (1, 1, 2, 2), (2, 2, 1, 1), (3, 3, 3, 3), (5, 5, 5, 5)]
    # 0-2 joins 0-0 into a box over target 0..2; 1-2 then has its target inside and its
    # source outside, so the box grows to source 1, which brings 2-1 in the same way.
    got, spans = box_list([*links, Link(0, 2, 0.5)])
    assert got == [(0, 2, 0, 2), (3, 3, 3, 3), (5, 5, 5, 5)]
    assert spans[0].confidence == pytest.approx(3.5 / 4)
    # The same chain from the other end: 3-1 pulls 1-2 and 2-1 into 3-3's box.
    got, _ = box_list([*links, Link(3, 1, 0.5)])
    assert got == [(0, 0, 0, 0), (1, 3, 1, 3), (5, 5, 5, 5)]


def test_span_pairs_gap_inside_box_is_pulled_in():
    # Source 0 and 2 both align to target 0; source 1 aligns to target 4. The box of the
    # first component spans source 0..2, so link 1-4 leaves it and must merge.
    got, _ = box_list([Link(0, 0, 1.0), Link(2, 0, 1.0), Link(1, 4, 1.0)])
    assert got == [(0, 2, 0, 4)]


def test_span_pairs_edge_cases():
    assert span_pairs([], toks(3), toks(3)) == ()
    with pytest.raises(IndexError):
        span_pairs([Link(3, 0, 1.0)], toks(3), toks(3))
    # Order is by source start whatever the order of the links.
    links = [Link(2, 0, 1.0), Link(0, 2, 1.0), Link(1, 1, 1.0)]
    assert span_pairs(links, toks(3), toks(3)) == span_pairs(links[::-1], toks(3), toks(3))
    assert [p.src[0] for p in span_pairs(links, toks(3), toks(3))] == [0, 2, 4]


def test_span_pairs_nested_boxes_stay_minimal():
    # 0-0, 0-3, 3-3 form one component whose box holds 1-1 and 2-2 entirely: no link
    # leaves any box, so the inner pairs stay separate (documented in spans.py).
    links = [Link(0, 0, 1.0), Link(0, 3, 1.0), Link(3, 3, 1.0), Link(1, 1, 1.0), Link(2, 2, 1.0)]
    got, _ = box_list(links)
    assert got == [(0, 3, 0, 3), (1, 1, 1, 1), (2, 2, 2, 2)]


@pytest.mark.parametrize("seed", range(50))
def test_span_pairs_random_links_are_consistent(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 12))
    links = {(int(rng.integers(8)), int(rng.integers(8))) for _ in range(n)}
    links = [Link(s, t, float(rng.uniform(0.1, 1.0))) for s, t in sorted(links)]
    src, tgt = toks(8), toks(8)
    spans = span_pairs(links, src, tgt)
    assert_consistent(Alignment(src, tgt, tuple(links), spans, "test"))
    assert [p.src for p in spans] == sorted(p.src for p in spans)


def assert_consistent(alignment: Alignment) -> None:
    """No link has one end inside a span pair's box and the other outside."""
    src, tgt = alignment.src_tokens, alignment.tgt_tokens
    assert alignment.links and alignment.spans  # otherwise there is nothing to check
    linked = set()
    for span in alignment.spans:
        for x in alignment.links:
            inside_s = span.src[0] <= src[x.src].start and src[x.src].end <= span.src[1]
            inside_t = span.tgt[0] <= tgt[x.tgt].start and tgt[x.tgt].end <= span.tgt[1]
            assert inside_s == inside_t, (span, x)
            if inside_s:
                linked.add(x)
    assert linked == set(alignment.links)  # every link is in some span


# -- pieces ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(tiny_model):
    return load_marian(str(tiny_model), device="cpu")


@pytest.fixture(scope="module")
def aligner(loaded):
    # Threshold 0: random weights give rows too flat for the default threshold on long
    # pairs, and most tests want every argmax link.
    return AttentionAligner(loaded, threshold=0.0, batch_size=3)


@pytest.mark.parametrize("side", ["source", "target"])
def test_piece_offsets_round_trip(loaded, side):
    tok = loaded.tokenizer
    sp, lines = (tok.spm_source, [AR, AR_MIXED, "ﻻ مُحَمَّد  ،كيربي"]) if side == "source" else (
        tok.spm_target, [EN, EN_MIXED, "  Hello   world ,"]
    )  # fmt: skip
    for text in lines:
        pieces = encode_pieces(sp, text)
        assert pieces
        assert [p.piece for p in pieces] == sp.encode(text, out_type=str)
        for a, b in zip(pieces, pieces[1:], strict=False):
            assert a.end <= b.start  # in order, never overlapping
        for p in pieces:
            assert 0 <= p.start <= p.end <= len(text)
            surface = text[p.start : p.end]
            # The piece is the normalized surface; "▁" stands for the space(s) before it.
            assert unicodedata.normalize("NFKC", surface).strip() == p.piece.lstrip("▁")
        # Between pieces there is only whitespace.
        covered = {i for p in pieces for i in range(p.start, p.end)}
        assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


def test_pieces_to_words_cover_every_piece(loaded):
    tok = loaded.tokenizer
    for text, sp in [(AR, tok.spm_source), (AR_MIXED, tok.spm_source), (EN_MIXED, tok.spm_target)]:
        words = word_tokens(text)
        pieces = encode_pieces(sp, text)
        mapping = pieces_to_words(pieces, words)
        assert pieces and words
        assert len(mapping) == len(pieces)
        assert all(ws and all(0 <= w < len(words) for w in ws) for ws in mapping)
        visible = [(p, ws) for p, ws in zip(pieces, mapping, strict=True) if p.start < p.end]
        assert visible
        for p, ws in visible:
            if text[p.start : p.end].strip():  # a piece with visible text overlaps its words
                assert all(words[w].start < p.end and p.start < words[w].end for w in ws)
        assert {w for ws in mapping for w in ws} == set(range(len(words)))  # every word seen


def test_pieces_to_words_neighbours():
    words = (Token(1, 2), Token(2, 6))  # ",abcd" after a space: " ,abcd"
    pieces = (Piece("▁", 0, 1), Piece(",", 1, 2), Piece("ab", 2, 4), Piece("x", 4, 4))
    assert pieces_to_words(pieces, words) == ((0,), (0,), (1,), (1,))
    # One piece over two words (U.S. as a single piece) belongs to both.
    assert pieces_to_words((Piece("▁U.", 0, 2),), (Token(0, 1), Token(1, 2))) == ((0, 1),)
    assert pieces_to_words((Piece("▁", 0, 1),), ()) == ((),)


def test_ids_equal_the_tokenizers(loaded, aligner):
    tok = loaded.tokenizer
    batch = tok([s for s, _ in PAIRS], text_target=[t for _, t in PAIRS])
    for (src, tgt), ids, labels in zip(PAIRS, batch["input_ids"], batch["labels"], strict=True):
        assert [*aligner.encode(src, target=False).ids, tok.eos_token_id] == ids
        assert [*aligner.encode(tgt, target=True).ids, tok.eos_token_id] == labels


# -- word matrix and links ---------------------------------------------------------------


def test_word_matrix_aggregates_pieces():
    # Target pieces: word 0 = pieces 0,1; word 1 = piece 2. Source pieces: word 0 = pieces
    # 0,1; word 1 = piece 2; piece 3 is shared by words 1 and 2.
    att = np.array(
        [
            [0.5, 0.3, 0.0, 0.0],
            [0.1, 0.1, 0.4, 0.2],
            [0.0, 0.0, 0.2, 0.6],
        ]
    )
    m = word_matrix(att, [(0,), (0,), (1,), (1, 2)], [(0,), (0,), (1,)], n_src=3, n_tgt=2)
    row0 = np.array([0.8 + 0.2, 0.4 + 0.1, 0.1]) / 2  # mean of two rows, then summed columns
    row1 = np.array([0.0, 0.2 + 0.3, 0.3])
    np.testing.assert_allclose(m, [row0 / row0.sum(), row1 / row1.sum()])
    # A word with no pieces has an all-zero row instead of NaN.
    m = word_matrix(att[:1], [(0,), (0,), (1,), (1,)], [(0,)], n_src=2, n_tgt=2)
    np.testing.assert_array_equal(m[1], [0.0, 0.0])


def test_links_from_matrix_argmax_and_threshold():
    m = np.array(
        [
            [0.7, 0.2, 0.1],
            [0.1, 0.1, 0.8],
            [0.4, 0.4, 0.2],  # a tie goes to the first source word
            [0.35, 0.3, 0.35],
            [0.0, 0.0, 0.0],  # no attention: no link
        ]
    )
    assert links_from_matrix(m, 0.0) == (
        Link(0, 0, 0.7),
        Link(0, 2, 0.4),
        Link(0, 3, 0.35),
        Link(2, 1, 0.8),
    )
    assert links_from_matrix(m, 0.4) == (Link(0, 0, 0.7), Link(0, 2, 0.4), Link(2, 1, 0.8))
    assert links_from_matrix(np.zeros((0, 3)), 0.0) == ()
    assert 0.0 < DEFAULT_THRESHOLD < 1.0


def test_injected_attention_gives_exact_links(aligner, monkeypatch):
    """Replace the model's attention with a known one and check the links end to end."""
    src = "قال المتحدث باسم مجلس الأمن القومي"
    tgt = "National Security Council spokesman said"
    s = aligner.encode(src, target=False)
    truth = {0: 3, 1: 4, 2: 5, 3: 1, 4: 0}  # target word → source word (exclude "باسم")
    first_piece = {w: min(k for k, ws in enumerate(s.piece_words) if w in ws) for w in range(6)}

    def fake(batch):
        out = []
        for bs, bt in batch:
            att = np.full((len(bt.ids), len(bs.ids)), 0.01)
            for k, ws in enumerate(bt.piece_words):
                att[k, first_piece[truth[ws[0]]]] = 0.9
            out.append(att)
        return out

    monkeypatch.setattr(aligner, "_piece_attention", fake)
    [result] = aligner.align([(src, tgt)])
    assert [(x.src, x.tgt) for x in sorted(result.links, key=lambda x: x.tgt)] == [
        (truth[j], j) for j in range(5)
    ]
    assert all(0.5 < x.confidence <= 1.0 for x in result.links)
    assert_consistent(result)
    assert result.pharaoh() == "0-4 1-3 3-0 4-1 5-2"


# -- the aligner on the fixture model ----------------------------------------------------


def test_word_attention_rows_sum_to_one(aligner):
    for src, tgt in PAIRS:
        m = aligner.word_attention(src, tgt)
        assert m.shape == (len(word_tokens(tgt)), len(word_tokens(src)))
        assert m.size
        assert (m >= 0).all()
        np.testing.assert_allclose(m.sum(axis=1), 1.0, atol=1e-6)


def test_align_links_and_spans_are_valid(aligner):
    results = aligner.align(PAIRS)
    assert len(results) == len(PAIRS)
    for (src, tgt), a in zip(PAIRS, results, strict=True):
        assert a.method == "attention"
        assert a.src_tokens == word_tokens(src) and a.tgt_tokens == word_tokens(tgt)
        assert len(a.links) == len(a.tgt_tokens)  # threshold 0: every target word links
        for x in a.links:
            assert 0 <= x.src < len(a.src_tokens) and 0 <= x.tgt < len(a.tgt_tokens)
            assert 0.0 < x.confidence <= 1.0
        assert a.spans
        assert all(0.0 < p.confidence <= 1.0 for p in a.spans)
        assert_consistent(a)
        a.to_json()


def test_batched_equals_unbatched(loaded, aligner):
    one = AttentionAligner(loaded, threshold=0.0, batch_size=1)
    pairs = [*PAIRS, PAIRS[2]]  # a repeat lands in another batch with other padding
    for a, b in zip(one.word_attentions(pairs), aligner.word_attentions(pairs), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    for a, b in zip(one.align(pairs), aligner.align(pairs), strict=True):
        assert a.links  # threshold 0: every target word links
        assert [(x.src, x.tgt) for x in a.links] == [(x.src, x.tgt) for x in b.links]
        np.testing.assert_allclose(
            [x.confidence for x in a.links], [x.confidence for x in b.links], atol=1e-5
        )


def test_empty_sides_give_no_links(aligner):
    results = aligner.align(
        [("", "Kirby said."), ("قال كيربي", ""), ("  ", " \u200f "), *PAIRS[2:3]]
    )
    assert [len(a.links) for a in results[:3]] == [0, 0, 0]
    assert len(results[0].tgt_tokens) == 3 and results[0].src_tokens == ()
    assert len(results[1].src_tokens) == 2 and results[1].tgt_tokens == ()
    assert all(a.spans == () for a in results[:3])
    assert results[3].links  # a real pair in the same call still aligns
    assert aligner.align([]) == []


def test_threshold_only_removes_links(loaded, aligner):
    """Raising the threshold keeps exactly the links at or above it: it never adds one."""
    loose = aligner.align(PAIRS)  # threshold 0: every argmax link
    confidences = sorted({x.confidence for a in loose for x in a.links})
    assert len(confidences) >= 4  # the fixture's rows are not all equally flat
    # Thresholds halfway between observed confidences, so that each keeps some links and
    # drops others, plus the default and the extremes.
    mids = [(lo + hi) / 2 for lo, hi in zip(confidences, confidences[1:], strict=False)]
    inner = [mids[len(mids) // 4], mids[len(mids) // 2], mids[-1]]
    ladder = sorted({0.0, *inner, DEFAULT_THRESHOLD, 1.0})
    counts = []
    previous = None
    for threshold in ladder:
        # The same batch size as ``aligner``: the same batches give the same confidences.
        got = AttentionAligner(loaded, threshold=threshold, batch_size=3).align(PAIRS)
        links = [{(x.src, x.tgt) for x in a.links} for a in got]
        for a, b in zip(got, loose, strict=True):
            kept = {(x.src, x.tgt) for x in b.links if x.confidence >= threshold}
            assert {(x.src, x.tgt) for x in a.links} == kept, threshold
            assert all(x.confidence >= threshold for x in a.links)
            assert a.spans == span_pairs(a.links, a.src_tokens, a.tgt_tokens)
        if previous is not None:
            assert all(now <= before for now, before in zip(links, previous, strict=True))
        previous = links
        counts.append(sum(map(len, links)))
    total = sum(len(a.links) for a in loose)
    assert counts[0] == total
    for threshold, count in zip(ladder, counts, strict=True):
        if threshold in inner:
            assert 0 < count < total, (threshold, count)  # each inner rung drops some, not all
    assert counts == sorted(counts, reverse=True) and len(set(counts)) >= 4
    assert counts[ladder.index(DEFAULT_THRESHOLD)] > 0  # the default keeps some links here


def test_heads_and_layers(loaded):
    n_layers = loaded.model.config.decoder_layers
    n_heads = loaded.model.config.decoder_attention_heads
    src, tgt = PAIRS[0]
    first = AttentionAligner(loaded).word_attention(src, tgt)
    np.testing.assert_allclose(AttentionAligner(loaded, heads=0).word_attention(src, tgt), first)
    np.testing.assert_allclose(
        AttentionAligner(loaded, layer=n_layers - 1).word_attention(src, tgt), first
    )
    for kw in ({"heads": "mean"}, {"heads": n_heads - 1}, {"layer": 0}):
        m = AttentionAligner(loaded, **kw).word_attention(src, tgt)
        np.testing.assert_allclose(m.sum(axis=1), 1.0, atol=1e-6)
        assert not np.allclose(m, first)  # random heads differ
    for bad in ({"heads": "max"}, {"heads": n_heads}, {"layer": n_layers}, {"threshold": 2.0}):
        with pytest.raises(ValueError):
            AttentionAligner(loaded, **bad)


def test_model_keeps_its_attention_implementation(loaded, aligner):
    before = loaded.model.config._attn_implementation
    assert before != "eager"  # otherwise the switch to eager and back is not exercised
    aligner.align(PAIRS[:1])
    assert loaded.model.config._attn_implementation == before


def test_long_input_is_truncated_not_fatal(loaded):
    short = AttentionAligner(loaded, threshold=0.0)
    short.max_pieces = 6  # as if the model's position table ended here
    src, tgt = PAIRS[0]
    [a] = short.align([(src, tgt)])
    m = short.word_attention(src, tgt)
    assert len(short.encode(src, target=False).ids) == 6
    last = max(w for ws in short.encode(tgt, target=True).piece_words for w in ws)
    assert last + 1 < m.shape[0]  # the cut leaves some target words out
    assert m[last + 1 :].sum() == 0  # target words past the cut have no attention
    np.testing.assert_allclose(m[: last + 1].sum(axis=1), 1.0, atol=1e-6)
    # Threshold 0: every target word before the cut links, and no word after it.
    assert sorted(x.tgt for x in a.links) == list(range(last + 1))
    assert_consistent(a)


def test_a_pair_longer_than_the_model_reads_is_not_aligned_by_attention_and_said(loaded):
    from align.links.methods import make_aligner

    short = AttentionAligner(loaded, threshold=0.0)
    short.max_pieces = 6  # as if the model's position table ended here
    aligner = make_aligner("attention", attention=short)
    src, tgt = PAIRS[0]
    short_pair = ("قال كيربي", "Kirby")
    assert short.too_long(*short_pair) is None
    reason = short.too_long(src, tgt)
    assert "Arabic side has" in reason and "more than the 6" in reason
    [long, kept] = aligner.align([(src, tgt), short_pair])
    # Not half-aligned (words past the cut unlinked, read as left out): not aligned, said why.
    assert aligner.skipped == [0] and aligner.reasons[0] == reason
    assert long.links == () and long.src_tokens and long.tgt_tokens
    assert kept.links


def test_the_hybrid_gives_no_attention_vote_past_the_pieces_the_model_reads(loaded):
    from align.links.methods import HybridAligner, prepare

    short = AttentionAligner(loaded, threshold=0.0)
    short.max_pieces = 6
    hybrid = HybridAligner(attention=short, runs=1)
    src, tgt = PAIRS[0]
    data = prepare([(src, tgt)])
    [links], [(src_out, tgt_out)] = hybrid._attention_links(data)
    n_tgt = len(data.tgt[0].units)
    assert tgt_out and max(tgt_out) == n_tgt - 1 and src_out
    # A unit the attention never saw gets no link from it (not one of strength 0 to the
    # first source unit, which counted as a vote for that pair) ...
    assert all(p > 0 for p in links.values())
    assert not any(j in tgt_out or i in src_out for i, j in links)
    # ... and no vote against its links: eflomal's votes alone decide them.
    from align.links.lexical import kinds_agree
    from align.links.statistical import DirectionalVotes

    s, t = data.src[0], data.tgt[0]
    x = next((i, j) for j in sorted(tgt_out) for i in range(len(s.units))
             if i not in src_out and kinds_agree(s.forms[i], t.forms[j]))  # fmt: skip
    votes = DirectionalVotes({x: 0.9}, {x: 0.9})
    seen = hybrid._combine(s, t, votes, links, {}, {}, (src_out, tgt_out))
    blind = hybrid._combine(s, t, votes, links, {}, {}, (set(), set()))
    assert seen[x] == pytest.approx(0.9) and blind.get(x, 0) == pytest.approx(0.6)
