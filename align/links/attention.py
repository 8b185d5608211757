"""Word alignment from a MarianMT model's cross-attention, by forced decoding.

The opus-mt models were trained as ``transformer-align``: the first head of the last
decoder layer's cross-attention was supervised to follow word alignments (Marian's guided
alignment; CTranslate2 returns the same head). So feeding the model a given English text
(its own output or a reference) under teacher forcing and reading that head gives, for
every target piece, a distribution over source pieces. This module maps pieces to the
word tokens of :func:`align.links.words.word_tokens` by character offsets and links each
target word to its most attended source word.

The forced decoding runs on either engine: transformers (any layer and head, or the mean of
the heads) or CTranslate2 (``engine="ctranslate2"``: ``translate_batch`` with the target as
``target_prefix`` and ``return_attention``; only the head its converter keeps for alignment,
the first of the last layer, which is this aligner's default). Everything after the
target-piece × source-piece attention (words, links, spans) is shared.

With the fixture model (random weights) the attention, and so the links, are noise; only
shapes, offsets and logic can be tested with it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from align.links.base import Alignment, Link, Token
from align.links.spans import span_pairs
from align.links.words import word_tokens

if TYPE_CHECKING:
    from align.model.load import LoadedModel
    from align.translate.ct2 import CTranslate2Translator

# A target word whose best source word holds less than this share of its (renormalized)
# attention is left unlinked: below a fifth, the argmax of a row is too flat to point at
# one word. The guided-alignment head of a real opus-mt model puts most of a row on one
# word, so this drops diffuse rows (often unaligned function words) and little else. To be
# tuned on gold word alignments with the real model.
DEFAULT_THRESHOLD = 0.2
ENGINES = ("transformers", "ctranslate2")


@dataclass(frozen=True)
class Piece:
    """A SentencePiece piece with character offsets into the text it was encoded from."""

    piece: str
    start: int
    end: int


def _char_offsets(text: str) -> list[int]:
    """Byte offset at which each character of ``text`` starts in UTF-8, plus the total."""
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + len(ch.encode("utf-8")))
    return offsets


def encode_pieces(sp: Any, text: str) -> tuple[Piece, ...]:
    """Encode ``text`` with SentencePiece processor ``sp``, keeping each piece's offsets.

    SentencePiece reports byte offsets into the UTF-8 input (Arabic letters are two bytes);
    they are turned into character offsets here. Normalization (NFKC: ``ﻻ`` → ``لا``) changes
    the piece strings but not the offsets, which always point into the original text.
    """
    from sentencepiece import sentencepiece_pb2

    # "serialized_proto" exists in every sentencepiece >= 0.2 (immutable_proto does not).
    proto = sentencepiece_pb2.SentencePieceText.FromString(
        sp.encode(text, out_type="serialized_proto")
    )
    if text.isascii():
        return tuple(Piece(p.piece, p.begin, p.end) for p in proto.pieces)
    starts = _char_offsets(text)
    pieces = []
    for p in proto.pieces:
        # A byte offset inside a character (byte-fallback pieces) rounds outwards.
        start = bisect.bisect_right(starts, p.begin) - 1
        end = bisect.bisect_left(starts, p.end)
        pieces.append(Piece(p.piece, start, end))
    return tuple(pieces)


def pieces_to_words(pieces: Sequence[Piece], words: Sequence[Token]) -> tuple[tuple[int, ...], ...]:
    """For each piece, the indices of the words it overlaps (never empty if any word exists).

    A piece that overlaps no word takes its neighbour's words: a bare "▁" (the space before
    a word that starts with a separate piece) belongs to the next word; a piece with an
    empty span (from a character that normalization expanded) to the previous one.
    """
    ends = [w.end for w in words]
    direct: list[tuple[int, ...]] = []
    for p in pieces:
        # Words with end > p.start, from the first one on, while start < p.end.
        i = bisect.bisect_right(ends, p.start)
        hit = []
        while i < len(words) and words[i].start < p.end:
            hit.append(i)
            i += 1
        direct.append(tuple(hit))
    if not words:
        return tuple(direct)
    result = list(direct)
    for k, p in enumerate(pieces):
        if result[k]:
            continue
        after = next((direct[j] for j in range(k + 1, len(pieces)) if direct[j]), None)
        before = next((direct[j] for j in range(k - 1, -1, -1) if direct[j]), None)
        first, second = (before, after) if p.start == p.end else (after, before)
        result[k] = first or second or (_nearest_word(words, p.start),)
    return tuple(result)


def _nearest_word(words: Sequence[Token], position: int) -> int:
    return min(range(len(words)), key=lambda i: abs(words[i].start - position))


def word_matrix(
    piece_attention: np.ndarray,
    src_map: Sequence[Sequence[int]],
    tgt_map: Sequence[Sequence[int]],
    n_src: int,
    n_tgt: int,
) -> np.ndarray:
    """Turn a target-piece × source-piece attention matrix into target-word × source-word.

    A target word's row is the mean of its pieces' rows (each piece saw the whole source);
    a source word's column is the sum of its pieces' columns (attention mass adds up), a
    piece shared by k words giving each 1/k. Rows are renormalized over the source words,
    since the mass on </s> and on padding is not on any word; a row with no mass (a word
    whose pieces were truncated away) stays zero.
    """
    src_weights = np.zeros((piece_attention.shape[1], n_src), dtype=np.float64)
    for k, ws in enumerate(src_map):
        for w in ws:
            src_weights[k, w] = 1.0 / len(ws)
    tgt_weights = np.zeros((n_tgt, piece_attention.shape[0]), dtype=np.float64)
    for k, ws in enumerate(tgt_map):
        for w in ws:
            tgt_weights[w, k] = 1.0
    counts = tgt_weights.sum(axis=1, keepdims=True)
    tgt_weights = np.divide(tgt_weights, counts, out=np.zeros_like(tgt_weights), where=counts > 0)
    matrix = tgt_weights @ piece_attention.astype(np.float64) @ src_weights
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)


def links_from_matrix(matrix: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> tuple[Link, ...]:
    """One link per target word to its argmax source word, if that probability ≥ threshold.

    ``matrix`` is target words × source words. Ties go to the first source word, so the
    result is deterministic. Links are ordered by source, then target index.
    """
    links = []
    if matrix.size:
        best = matrix.argmax(axis=1)
        for j, i in enumerate(best):
            p = float(matrix[j, i])
            if p > 0 and p >= threshold:
                links.append(Link(src=int(i), tgt=j, confidence=min(p, 1.0)))
    return tuple(sorted(links, key=lambda x: (x.src, x.tgt)))


@dataclass(frozen=True)
class EncodedSide:
    """One side of one pair: its words, the pieces the model sees, and the piece → word map."""

    words: tuple[Token, ...]
    ids: tuple[int, ...]  # piece ids, without </s>
    piece_words: tuple[tuple[int, ...], ...]  # for each id in ``ids``


@contextmanager
def _eager_attention(model: Any) -> Iterator[None]:
    """Use eager attention while inside: SDPA and flash attention return no weights."""
    before = model.config._attn_implementation
    if before == "eager":
        yield
        return
    model.set_attn_implementation("eager")
    try:
        yield
    finally:
        model.set_attn_implementation(before)


class AttentionAligner:
    """Links target words to source words by the model's cross-attention (forced decoding)."""

    method = "attention"

    def __init__(
        self,
        loaded: LoadedModel,
        layer: int = -1,
        heads: str | int = "first",
        batch_size: int = 8,
        threshold: float = DEFAULT_THRESHOLD,
        engine: str = "transformers",
        ct2_translator: CTranslate2Translator | None = None,
    ) -> None:
        from align.model.convert import marian_configs

        self.loaded = loaded
        self.model = loaded.model
        self.tokenizer = loaded.tokenizer
        self.device = loaded.device
        config, _ = marian_configs(loaded)
        n_layers = config.decoder_layers
        n_heads = config.decoder_attention_heads
        if not -n_layers <= layer < n_layers:
            raise ValueError(f"layer {layer} is out of range for {n_layers} decoder layers")
        if isinstance(heads, str) and heads not in ("first", "mean"):
            raise ValueError(f"heads must be 'first', 'mean' or a head index, not {heads!r}")
        if isinstance(heads, int) and not 0 <= heads < n_heads:
            raise ValueError(f"head {heads} is out of range for {n_heads} attention heads")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        if engine == "ctranslate2" and (
            layer % n_layers != n_layers - 1 or heads not in ("first", 0)
        ):
            raise ValueError(
                "the ctranslate2 engine gives only the alignment head its converter keeps "
                "(the first head of the last layer); use the transformers engine for others"
            )
        self.engine = engine
        self._ct2 = ct2_translator
        self.layer = layer % n_layers
        self.heads = heads
        self.batch_size = batch_size
        self.threshold = threshold
        # Longer inputs would run past the sinusoidal position table.
        self.max_pieces = min(self.tokenizer.model_max_length, config.max_position_embeddings) - 1
        self.pad_id = config.pad_token_id
        self.eos_id = self.tokenizer.eos_token_id
        self.start_id = config.decoder_start_token_id
        if self.start_id is None:
            self.start_id = self.pad_id

    @property
    def settings(self) -> dict:
        """What decides the links, for the run manifest."""
        return {
            "engine": self.engine,
            "layer": self.layer,
            "heads": self.heads,
            "threshold": self.threshold,
            "batch_size": self.batch_size,
            "max_pieces": self.max_pieces,
        }

    # -- text to model inputs ------------------------------------------------------------

    def _vocab(self, target: bool) -> dict[str, int]:
        tok = self.tokenizer
        return tok.target_encoder if target and tok.separate_vocabs else tok.encoder

    def encode(
        self, text: str, target: bool, words: tuple[Token, ...] | None = None
    ) -> EncodedSide:
        """Words (``word_tokens`` unless given), piece ids and piece → word map of one side."""
        tok = self.tokenizer
        words = word_tokens(text) if words is None else words
        pieces = encode_pieces(tok.spm_target if target else tok.spm_source, text)
        pieces = pieces[: self.max_pieces]
        vocab = self._vocab(target)
        unk = vocab[tok.unk_token]
        ids = tuple(vocab.get(p.piece, unk) for p in pieces)
        return EncodedSide(words, ids, pieces_to_words(pieces, words))

    # -- model ---------------------------------------------------------------------------

    @property
    def ct2_translator(self) -> CTranslate2Translator:
        """The CTranslate2 model (the translator's, when one was given; else one is made)."""
        if self._ct2 is None:
            from align.translate.ct2 import CTranslate2Translator

            self._ct2 = CTranslate2Translator(self.loaded, progress=False)
        return self._ct2

    def _piece_attention(
        self, batch: Sequence[tuple[EncodedSide, EncodedSide]]
    ) -> list[np.ndarray]:
        """Target-piece × source-piece attention for each pair, </s> row and column dropped:
        row j is the attention while the decoder predicts target piece j from those before."""
        if self.engine == "ctranslate2":
            return self._piece_attention_ct2(batch)
        return self._piece_attention_transformers(batch)

    def _piece_attention_ct2(
        self, batch: Sequence[tuple[EncodedSide, EncodedSide]]
    ) -> list[np.ndarray]:
        to_tokens = self.tokenizer.convert_ids_to_tokens
        sources = [to_tokens([*s.ids, self.eos_id]) for s, _ in batch]
        targets = [to_tokens(list(t.ids)) for _, t in batch]
        att = self.ct2_translator.forced_attention(sources, targets)
        return [a[:, : len(s.ids)] for a, (s, _) in zip(att, batch, strict=True)]

    def _piece_attention_transformers(
        self, batch: Sequence[tuple[EncodedSide, EncodedSide]]
    ) -> list[np.ndarray]:
        import torch

        src_len = max(len(s.ids) for s, _ in batch) + 1
        tgt_len = max(len(t.ids) for _, t in batch) + 1
        input_ids = torch.full((len(batch), src_len), self.pad_id, dtype=torch.long)
        attention_mask = torch.zeros((len(batch), src_len), dtype=torch.long)
        decoder_ids = torch.full((len(batch), tgt_len), self.pad_id, dtype=torch.long)
        decoder_mask = torch.zeros((len(batch), tgt_len), dtype=torch.long)
        for b, (s, t) in enumerate(batch):
            src = [*s.ids, self.eos_id]
            # Teacher forcing: the row for target piece j is computed from pieces < j.
            dec = [self.start_id, *t.ids]
            input_ids[b, : len(src)] = torch.tensor(src)
            attention_mask[b, : len(src)] = 1
            decoder_ids[b, : len(dec)] = torch.tensor(dec)
            decoder_mask[b, : len(dec)] = 1

        model = self.model
        with torch.inference_mode():
            encoded = model.get_encoder()(
                input_ids=input_ids.to(self.device), attention_mask=attention_mask.to(self.device)
            )
            decoded = model.get_decoder()(
                input_ids=decoder_ids.to(self.device),
                attention_mask=decoder_mask.to(self.device),
                encoder_hidden_states=encoded.last_hidden_state,
                encoder_attention_mask=attention_mask.to(self.device),
                output_attentions=True,
                use_cache=False,
            )
            att = decoded.cross_attentions[self.layer]  # batch × heads × tgt × src
            att = att.mean(dim=1) if self.heads == "mean" else att[:, self._head()]
            att = att.float().cpu().numpy()
        return [att[b, : len(t.ids), : len(s.ids)] for b, (s, t) in enumerate(batch)]

    def _head(self) -> int:
        return 0 if self.heads == "first" else int(self.heads)

    # -- public --------------------------------------------------------------------------

    def _aligned(
        self,
        pairs: Sequence[tuple[str, str]],
        tokens: Sequence[tuple[tuple[Token, ...], tuple[Token, ...]]] | None = None,
    ) -> list[tuple[EncodedSide, EncodedSide, np.ndarray]]:
        given = tokens if tokens is not None else [(None, None)] * len(pairs)
        encoded = [
            (self.encode(s, False, sw), self.encode(t, True, tw))
            for (s, t), (sw, tw) in zip(pairs, given, strict=True)
        ]
        matrices: list[np.ndarray] = [np.zeros((len(t.words), len(s.words))) for s, t in encoded]
        todo = [k for k, (s, t) in enumerate(encoded) if s.words and t.words and s.ids and t.ids]
        # Similar lengths together waste less padding; results go back in input order.
        todo.sort(key=lambda k: (len(encoded[k][0].ids) + len(encoded[k][1].ids), k))
        eager = _eager_attention(self.model) if self.engine == "transformers" else nullcontext()
        with eager:
            for first in range(0, len(todo), self.batch_size):
                chunk = todo[first : first + self.batch_size]
                batch = [encoded[k] for k in chunk]
                for k, (s, t), att in zip(chunk, batch, self._piece_attention(batch), strict=True):
                    matrices[k] = word_matrix(
                        att, s.piece_words, t.piece_words, len(s.words), len(t.words)
                    )
        return [(s, t, m) for (s, t), m in zip(encoded, matrices, strict=True)]

    def word_attentions(
        self,
        pairs: Sequence[tuple[str, str]],
        tokens: Sequence[tuple[tuple[Token, ...], tuple[Token, ...]]] | None = None,
    ) -> list[np.ndarray]:
        """For each pair, the target-word × source-word attention (rows sum to 1 or 0).

        ``tokens`` replaces the words of each side (e.g. Arabic units with clitics split).
        """
        return [m for _, _, m in self._aligned(pairs, tokens)]

    def word_attention(self, src: str, tgt: str) -> np.ndarray:
        """Target-word × source-word attention of one pair."""
        return self.word_attentions([(src, tgt)])[0]

    def align(self, pairs: Sequence[tuple[str, str]]) -> list[Alignment]:
        """Word links and span pairs for each (source, target) pair, in input order."""
        alignments = []
        for s, t, matrix in self._aligned(pairs):
            links = links_from_matrix(matrix, self.threshold)
            alignments.append(
                Alignment(
                    src_tokens=s.words,
                    tgt_tokens=t.words,
                    links=links,
                    spans=span_pairs(links, s.words, t.words),
                    method=self.method,
                )
            )
        return alignments
