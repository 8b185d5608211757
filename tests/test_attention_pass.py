"""Attention from the translation pass: the hypotheses a translator returns come with the
cross-attention it computed, equal to forced decoding of the same pieces, so the attention
aligner force-decodes only what it did not translate (references, cache hits, other text).

The tiny fixture is used on purpose: its attention rows differ from source to source and
position to position (the opus-size fixture's are almost uniform, so nearly any row would
pass for any other there).
"""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from align.links.attention import (
    AttentionAligner,
    EncodedSide,
    _eager_attention,
    decoded_pieces,
    word_matrix,
)
from align.model.load import load_marian
from align.translate import marian
from align.translate.base import DecodingSettings
from align.translate.marian import MarianTranslator, cross_attention

ARTICLE = Path(__file__).resolve().parents[1] / "corpus" / "seed-article" / "article.ar.txt"
ENGINES = ["transformers", "ctranslate2"]
LENGTHS = [3, 9, 1, 14, 6, 2, 11, 5]  # words kept of each line
NEW = 12  # a fixed cap on new tokens: random weights never write </s> by themselves


@pytest.fixture(scope="module")
def loaded(tiny_model):
    return load_marian(str(tiny_model), device="cpu")


@pytest.fixture(scope="module")
def sources() -> list[str]:
    """Segments of the seed article cut to varied lengths, a repeat and a one-word segment."""
    lines = [x for x in ARTICLE.read_text(encoding="utf-8-sig").splitlines() if x.strip()]
    cut = [" ".join(line.split()[:n]) for line, n in zip(lines[1:9], LENGTHS, strict=True)]
    return [*cut, cut[1], "قال"]


def translator(loaded, engine: str, **settings):
    settings = {"max_new_tokens": NEW, **settings}
    if engine == "transformers":
        return MarianTranslator(loaded, DecodingSettings(**settings), progress=False)
    pytest.importorskip("ctranslate2")
    from align.translate.ct2 import CTranslate2Translator

    # float32: int8 changes the numbers a little between any two ways of computing them.
    return CTranslate2Translator(
        loaded, DecodingSettings(**settings), quantization="float32", progress=False
    )


def forced(aligner: AttentionAligner, batch: list[tuple[EncodedSide, EncodedSide]]):
    """Forced decoding of these pieces, as the aligner does it for any target."""
    eager = (
        _eager_attention(aligner.forced_model) if aligner.forced_backend == "transformers" else None
    )
    with eager or contextlib.nullcontext():
        return aligner._piece_attention(batch)


def spy_forced(monkeypatch, aligner: AttentionAligner) -> list[list[int]]:
    """Record the target lengths of every forced-decoding batch the aligner runs."""
    calls: list[list[int]] = []
    real = aligner._piece_attention

    def spy(batch):
        calls.append([len(t.ids) for _, t in batch])
        return real(batch)

    monkeypatch.setattr(aligner, "_piece_attention", spy)
    return calls


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("beams", [4, 1])
def test_translation_pass_attention_equals_forced_decoding(loaded, sources, engine, beams):
    tr = translator(loaded, engine, num_beams=beams)
    aligner = AttentionAligner(loaded, backend=engine, translator=tr, threshold=0.0)
    assert tr.attention_head == (aligner.layer, 0)
    hyps = tr.translate(sources)
    assert set(tr.kept_attention) == set(sources)
    sides = []
    for src, hyp in zip(sources, hyps, strict=True):
        s = aligner.encode(src, target=False)
        found = aligner._from_translation(src, s, hyp, None)
        assert found is not None, (src, hyp)  # every hypothesis is found with its pieces
        side, kept = found
        assert kept.source_ids == s.ids and side.ids == kept.target_ids
        assert kept.rows.shape == (len(side.ids), len(s.ids)) and len(side.ids) >= NEW - 1
        sides.append((s, side, kept))
    expected = forced(aligner, [(s, t) for s, t, _ in sides])
    for (_, _, kept), rows in zip(sides, expected, strict=True):
        np.testing.assert_allclose(kept.rows[1:], rows[1:], atol=2e-6)
        # CTranslate2's beam search gives a wrong first row: it is marked as such.
        assert kept.first_row == (engine == "transformers" or beams == 1)
        if kept.first_row:
            np.testing.assert_allclose(kept.rows[0], rows[0], atol=2e-6)
    # The aligner's word attention is the forced decoding's, first row included.
    got = aligner.word_attentions(list(zip(sources, hyps, strict=True)))
    for (s, t, _), rows, matrix in zip(sides, expected, got, strict=True):
        want = word_matrix(rows, s.piece_words, t.piece_words, len(s.words), len(t.words))
        np.testing.assert_allclose(matrix, want, atol=2e-6)
        assert matrix.shape == (len(t.words), len(s.words)) and matrix.any()


@pytest.mark.parametrize("engine", ENGINES)
def test_hypotheses_are_not_force_decoded_again(loaded, sources, engine, monkeypatch):
    tr = translator(loaded, engine)
    aligner = AttentionAligner(loaded, backend=engine, translator=tr, threshold=0.0)
    hyps = tr.translate(sources)
    calls = spy_forced(monkeypatch, aligner)
    aligner.align(list(zip(sources, hyps, strict=True)))
    if engine == "transformers":
        assert calls == []
    else:
        # Only the first row, once per distinct source: one target piece each.
        assert [n for batch in calls for n in batch] == [1] * len(set(sources))
    timings = aligner.take_timings()
    assert set(timings) == {"align_attention", "align_forced_decoding"}
    assert timings["align_attention"] >= timings["align_forced_decoding"] >= 0.0
    assert aligner.take_timings() == dict.fromkeys(timings, 0.0)


@pytest.mark.parametrize("engine", ENGINES)
def test_references_and_other_texts_are_force_decoded(loaded, sources, engine, monkeypatch):
    tr = translator(loaded, engine)
    aligner = AttentionAligner(loaded, backend=engine, translator=tr, threshold=0.0)
    plain = AttentionAligner(
        loaded,
        backend=engine,
        threshold=0.0,
        ct2_translator=tr if engine != "transformers" else None,
    )
    assert plain.translator is None
    hyps = tr.translate(sources)
    other = next(h for h in hyps if h != hyps[2])  # random weights repeat themselves
    refs = ["The spokesman said so.", "Kirby said that it was a warning, on March 7."] * 5
    pairs = [(src, ref) for src, ref in zip(sources, refs, strict=False)]
    pairs += [(sources[0], hyps[0] + " more"), (sources[2], other)]  # not what it wrote
    calls = spy_forced(monkeypatch, aligner)
    got = aligner.word_attentions(pairs)
    want = plain.word_attentions(pairs)
    assert sum(len(batch) for batch in calls) == len(pairs)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, atol=2e-6)
    # A hypothesis aligned together with a reference of its source takes its first row
    # from that reference's forced decoding: nothing more is force-decoded for it.
    calls.clear()
    mixed = [(sources[1], hyps[1]), (sources[1], refs[1])]
    first, _ = aligner.word_attentions(mixed)
    assert sum(len(batch) for batch in calls) == 1
    s = aligner.encode(sources[1], False)
    side, _ = aligner._from_translation(sources[1], s, hyps[1], None)
    [rows] = forced(plain, [(s, side)])
    want = word_matrix(rows, s.piece_words, side.piece_words, len(s.words), len(side.words))
    np.testing.assert_allclose(first, want, atol=2e-6)


def test_cache_hits_are_force_decoded(loaded, sources, tmp_path, monkeypatch):
    from align.translate.cache import CachedTranslator, TranslationCache

    inner = translator(loaded, "transformers")
    cached = CachedTranslator(inner, TranslationCache(tmp_path / "t.sqlite"), "hash", None)
    aligner = AttentionAligner(loaded, translator=inner, threshold=0.0)
    hyps = cached.translate(sources[:3])  # misses: translated, attention kept
    fresh = AttentionAligner(loaded, translator=translator(loaded, "transformers"))
    assert cached.translate(sources[:3]) == hyps
    calls = spy_forced(monkeypatch, aligner)
    aligner.word_attentions(list(zip(sources[:3], hyps, strict=True)))
    assert calls == []  # still kept from the first call
    # Hits reach no engine, so a fresh translator keeps nothing for them.
    other = CachedTranslator(
        fresh.translator, TranslationCache(tmp_path / "t.sqlite"), "hash", None
    )
    assert other.translate(sources[:3]) == hyps and fresh.translator.kept_attention == {}
    calls = spy_forced(monkeypatch, fresh)
    fresh.word_attentions(list(zip(sources[:3], hyps, strict=True)))
    assert sum(len(batch) for batch in calls) == 3


def test_keeping_attention_changes_no_translation(loaded, sources):
    plain = translator(loaded, "transformers", num_beams=4)
    keeping = translator(loaded, "transformers", num_beams=4)
    keeping.keep_attention(-1, "mean")
    assert keeping.generate_ids(sources) == plain.generate_ids(sources)
    assert keeping.translate(sources) == plain.translate(sources)
    assert plain.kept_attention == {} and set(keeping.kept_attention) == set(sources)


def test_other_heads_and_layers_come_from_the_pass(loaded, sources):
    tr = translator(loaded, "transformers")
    pairs = []
    aligners = []
    for options in ({"heads": "mean"}, {"layer": 0, "heads": 2}):
        aligner = AttentionAligner(loaded, translator=tr, threshold=0.0, **options)
        aligners.append(aligner)
        plain = AttentionAligner(loaded, threshold=0.0, **options)
        pairs = list(zip(sources[:4], tr.translate(sources[:4]), strict=True))
        for src, hyp in pairs:
            s = aligner.encode(src, False)
            side, kept = aligner._from_translation(src, s, hyp, None)
            [want] = forced(plain, [(s, side)])
            np.testing.assert_allclose(kept.rows, want, atol=2e-6)
    # The translator keeps one head at a time: the first aligner now finds nothing there,
    # and force-decodes.
    src, hyp = pairs[0]
    assert aligners[0]._from_translation(src, aligners[0].encode(src, False), hyp, None) is None
    assert tr.attention_head == (0, 2)


def test_parallel_forced_decoding_equals_step_by_step(loaded, sources):
    """One teacher-forced pass gives the rows that decoding one step at a time (with the
    key/value cache, as generate does) gives."""
    import torch

    model = loaded.model
    tok = loaded.tokenizer
    aligner = AttentionAligner(loaded)
    pairs = [(sources[3], "The spokesman said it was a warning."), (sources[0], "Kirby said.")]
    for src, tgt in pairs:
        s, t = aligner.encode(src, False), aligner.encode(tgt, True)
        [parallel] = forced(aligner, [(s, t)])
        ids = torch.tensor([[*s.ids, tok.eos_token_id]])
        with _eager_attention(model), torch.inference_mode():
            states = model.get_encoder()(input_ids=ids).last_hidden_state
            decoder = model.get_decoder()
            steps, cache = [], None
            for token in [aligner.start_id, *t.ids[:-1]]:
                out = decoder(
                    input_ids=torch.tensor([[token]]),
                    encoder_hidden_states=states,
                    cache=cache,
                    use_cache=True,
                    output_attentions=True,
                )
                cache = out.cache
                steps.append(out.cross_attentions[-1][0, 0, -1, : len(s.ids)].numpy())
        assert parallel.shape == (len(t.ids), len(s.ids))
        np.testing.assert_allclose(parallel, np.stack(steps), atol=2e-6)


def test_cross_attention_rows_do_not_see_later_pieces(loaded):
    """Causal: changing a later decoder input changes no earlier row."""
    import torch

    model = loaded.model
    tok = loaded.tokenizer
    ids = tok(["قال كيربي إن التحذير وصل"], return_tensors="pt")
    with torch.inference_mode():
        states = model.get_encoder()(**ids).last_hidden_state
    start = model.config.decoder_start_token_id
    a = torch.tensor([[start, 10, 11, 12, 13]])
    b = torch.tensor([[start, 10, 11, 40, 41]])
    mask = torch.ones_like(a)
    with _eager_attention(model):
        att_a, att_b = (
            cross_attention(model, states, ids["attention_mask"], x, mask, -1, 0) for x in (a, b)
        )
    # Row t reads inputs 0..t: the rows before the first change are the same.
    np.testing.assert_allclose(att_a[0, :3], att_b[0, :3], atol=1e-6)
    assert not np.allclose(att_a[0, 3], att_b[0, 3]) and not np.allclose(att_a[0, 4], att_b[0, 4])


def test_decoded_pieces_offsets(loaded, sources):
    tok = loaded.tokenizer
    tr = translator(loaded, "transformers")
    ids = tr.generate_ids(sources)
    texts = tok.batch_decode(ids, skip_special_tokens=True)
    for row, text in zip(ids, texts, strict=True):
        target = marian.hypothesis_ids(row, tok.eos_token_id)
        pieces = decoded_pieces(tok, target, text)
        assert pieces is not None and len(pieces) == len(target)
        assert [p.piece for p in pieces] == tok.convert_ids_to_tokens(list(target))
        for a, b in zip(pieces, pieces[1:], strict=False):
            assert a.end <= b.start
        assert pieces[-1].end == len(text)
        for p in pieces:
            surface = text[p.start : p.end]
            if p.piece not in tok.all_special_tokens:
                assert unicodedata.normalize("NFKC", surface).strip() == p.piece.lstrip("▁")
        assert decoded_pieces(tok, target, text + " x") is None
        assert decoded_pieces(tok, target, "x" + text) is None


class SpaceTokenizer:
    """Decodes pieces as SentencePiece does: "▁" is a space, the text is stripped."""

    pieces = ["▁Kirby", "▁said", "▁", ",", "<unk>", "▁no"]
    all_special_tokens = ["<unk>"]

    def convert_ids_to_tokens(self, ids):
        return [self.pieces[i] for i in ids]

    def decode(self, ids, skip_special_tokens=False):
        tokens = [t for t in self.convert_ids_to_tokens(ids) if t not in self.all_special_tokens]
        return "".join(tokens).replace("▁", " ").strip()


def test_decoded_pieces_spaces_and_special_tokens():
    tok = SpaceTokenizer()
    text = "Kirby said , no"
    pieces = decoded_pieces(tok, [0, 1, 2, 3, 4, 5], text)
    # A bare "▁" before punctuation takes the space, as SentencePiece's own offsets give it;
    # a special token that decodes to nothing has an empty span where it stands.
    assert [(p.piece, p.start, p.end) for p in pieces] == [
        ("▁Kirby", 0, 5), ("▁said", 5, 10), ("▁", 10, 11), (",", 11, 12), ("<unk>", 12, 12),
        ("▁no", 12, 15),
    ]  # fmt: skip
    assert decoded_pieces(tok, [0, 1], "Kirby  said") is None
    assert decoded_pieces(tok, [], "") == ()


def test_kept_attention_is_bounded(loaded, sources, monkeypatch):
    tr = translator(loaded, "transformers")
    tr.keep_attention(-1, 0)
    tr.translate(sources[:2])
    budget = 3 * max(a.rows.nbytes for a in tr.kept_attention.values())
    monkeypatch.setattr(marian, "KEPT_ATTENTION_BYTES", budget)
    order = list(dict.fromkeys(sources[:8]))
    tr.translate(sources[2:8])
    kept = list(tr.kept_attention)
    assert 1 <= len(kept) < len(order)
    assert kept == order[-len(kept) :]  # the latest stay, the oldest went first
    assert tr._kept_bytes == sum(a.rows.nbytes for a in tr.kept_attention.values()) <= budget
    tr.keep_attention(-1, "mean")  # another head: what was kept is of no use
    assert tr.kept_attention == {} and tr._kept_bytes == 0


def test_ct2_keeps_only_the_alignment_head(loaded):
    tr = translator(loaded, "ctranslate2")
    with pytest.raises(ValueError, match="first head of the last"):
        tr.keep_attention(0, 0)
    with pytest.raises(ValueError, match="first head of the last"):
        tr.keep_attention(-1, "mean")
    # A transformers aligner does not take a CTranslate2 translator's attention.
    aligner = AttentionAligner(loaded, translator=tr)
    assert aligner.translator is None and tr.attention_head is None
