"""Word alignment from a MarianMT model's cross-attention, by forced decoding.

The opus-mt models were trained as ``transformer-align``: the first head of the last
decoder layer's cross-attention was supervised to follow word alignments (Marian's guided
alignment; CTranslate2 returns the same head). So feeding the model a given English text
(its own output or a reference) under teacher forcing and reading that head gives, for
every target piece, a distribution over source pieces. This module maps pieces to the
word tokens of :func:`align.links.words.word_tokens` by character offsets and links each
target word to its most attended source word.

Forced decoding is one decoder forward pass over each whole target in PyTorch (any layer
and head, or the mean of the heads). With ``backend="ctranslate2"`` (the translations come
from CTranslate2; only the head its converter keeps for alignment, the first of the last
layer, which is this aligner's default) forced decoding still runs in PyTorch when the
weights are loaded: CTranslate2 4.x has no forward pass that returns attention, and
stepping a target through it one token at a time costs about twice the PyTorch pass. At an
int8 compute type on the CPU the PyTorch model is then quantized the same way (int8 linear
layers, ``quantize_dynamic``), three times faster than float32. Without the weights,
CTranslate2 steps (``CTranslate2Translator.forced_attention``). Everything after the
target-piece × source-piece attention (words, links, spans) is shared.

A hypothesis needs no forced decoding at all when the translator that wrote it was given to
the aligner (``translator=``): the translator then keeps the attention of its own pass
(``keep_attention``, ``kept_attention``), which is what forced decoding of the pieces it
generated gives. Those pieces are the hypothesis's target pieces here, with their offsets
found by decoding them one by one (``decoded_pieces``); a target that is not such a
hypothesis (a reference, a translation from the translation cache or from elsewhere) is
encoded with SentencePiece and force-decoded.

With the fixture model (random weights) the attention, and so the links, are noise; only
shapes, offsets and logic can be tested with it.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from align.links.base import Alignment, Link, Token
from align.links.spans import span_pairs
from align.links.words import word_tokens
from align.translate.marian import cross_attention
from align.translate.marian import eager_attention as _eager_attention

if TYPE_CHECKING:
    from align.model.load import LoadedModel
    from align.translate.ct2 import CTranslate2Translator
    from align.translate.marian import PassAttention

# A target word whose best source word holds less than this share of its (renormalized)
# attention is left unlinked: below a fifth, the argmax of a row is too flat to point at
# one word. The guided-alignment head of a real opus-mt model puts most of a row on one
# word, so this drops diffuse rows (often unaligned function words) and little else. To be
# tuned on gold word alignments with the real model.
DEFAULT_THRESHOLD = 0.2
BACKENDS = ("transformers", "ctranslate2")
# Pairs per forced-decoding batch. CTranslate2 decodes a target one step at a time, so larger
# batches share each step's overhead (seed article references, 2 cores: 32 took 5.0 s where 8
# took 8.4 s and 64 took 6.9 s); PyTorch runs one pass per batch and wants less padding
# (16: 2.66 s, 8: 2.72 s, 54: 4.9 s).
BATCH_SIZES = {"transformers": 16, "ctranslate2": 32}


def _int8_copy(model: Any) -> Any:
    """``model`` with int8 linear layers (PyTorch dynamic quantization), or ``model`` itself
    where this PyTorch has no dynamic quantization. PyTorch marks its quantized tensors as
    deprecated; the project pins its PyTorch, and a later one without them gets float32."""
    import warnings

    import torch

    quantize = getattr(getattr(torch, "ao", None), "quantization", None)
    quantize = getattr(quantize, "quantize_dynamic", None)
    if quantize is None:
        return model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return quantize(model, {torch.nn.Linear}, dtype=torch.qint8)
        except (RuntimeError, NotImplementedError):  # no quantized engine on this CPU
            return model


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


def decoded_pieces(tokenizer: Any, ids: Sequence[int], text: str) -> tuple[Piece, ...] | None:
    """The pieces of target ``ids`` with character offsets into ``text``, the tokenizer's
    decoding of them (as a translator returns it); None when decoding them one more at a
    time does not build ``text`` up from its start.

    A piece spans the text its decoding adds, so a piece after a space starts at the space
    (as SentencePiece's own offsets do); a piece that adds nothing (a special token, a bare
    "▁" before punctuation) has an empty span, except that a bare "▁" takes the space that
    the next piece brings.
    """
    tokens = tokenizer.convert_ids_to_tokens(list(ids))
    spans = []
    end = 0
    for k in range(1, len(ids) + 1):
        prefix = tokenizer.decode(list(ids[:k]), skip_special_tokens=True)
        if len(prefix) < end or not text.startswith(prefix):
            return None
        spans.append([end, len(prefix)])
        end = len(prefix)
    if end != len(text):
        return None
    for k in range(len(spans) - 1):
        (start, stop), after = spans[k], spans[k + 1]
        if start == stop and tokens[k] == "▁" and after[0] < after[1] and text[after[0]] == " ":
            spans[k][1] = after[0] = start + 1
    return tuple(Piece(p, a, b) for p, (a, b) in zip(tokens, spans, strict=True))


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


class AttentionAligner:
    """Links target words to source words by the model's cross-attention: the translation
    pass's for the hypotheses of ``translator``, forced decoding for any other target."""

    method = "attention"

    def __init__(
        self,
        loaded: LoadedModel,
        layer: int = -1,
        heads: str | int = "first",
        batch_size: int | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        backend: str = "transformers",
        ct2_translator: CTranslate2Translator | None = None,
        translator: Any = None,
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
        if batch_size is None:
            # by what force-decodes: PyTorch whenever the weights are loaded
            batch_size = BATCH_SIZES["transformers" if self.model is not None else backend]
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        if backend == "ctranslate2" and (
            layer % n_layers != n_layers - 1 or heads not in ("first", 0)
        ):
            raise ValueError(
                "the ctranslate2 backend gives only the alignment head its converter keeps "
                "(the first head of the last layer); use the transformers backend for others"
            )
        self.backend = backend
        self._ct2 = ct2_translator
        # What force-decodes: PyTorch whenever the weights are loaded (see the module's
        # docstring), CTranslate2 step by step otherwise.
        self.forced_backend = "transformers" if self.model is not None else backend
        self.forced_model = self.model
        self.forced_quantization = None
        if backend == "ctranslate2" and self.model is not None:
            compute = getattr(ct2_translator or translator, "quantization", None)
            if compute is None:
                from align.translate.ct2 import default_quantization

                compute = default_quantization(str(self.device))
            if compute.startswith("int8") and str(self.device) == "cpu":
                self.forced_model = _int8_copy(self.model)
                self.forced_quantization = "int8" if self.forced_model is not self.model else None
        self.layer = layer % n_layers
        self.heads = heads
        # The translator of the hypotheses to align, when its engine is this backend: it
        # keeps the attention of its own pass, so that they need no forced decoding.
        self.translator = translator if getattr(translator, "engine", None) == backend else None
        if self.translator is not None:
            self.translator.keep_attention(self.layer, self._head_key())
            if backend == "ctranslate2" and self._ct2 is None:
                self._ct2 = self.translator
        # Seconds spent since the last take_timings(): in the aligner, and in forced decoding.
        self._seconds = {"attention": 0.0, "forced_decoding": 0.0}
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
            "backend": self.backend,
            "forced_decoding": self.forced_backend,
            "forced_quantization": self.forced_quantization,
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

    def too_long(self, src: str, tgt: str) -> str | None:
        """Why the model cannot read a pair whole (None when it can): a side with more
        SentencePiece pieces than its position table holds. The attention of the pieces past
        that is never computed, so their words would have no links."""
        tok = self.tokenizer
        for side, text, spm in (("Arabic", src, tok.spm_source), ("English", tgt, tok.spm_target)):
            pieces = len(encode_pieces(spm, text))
            if pieces > self.max_pieces:
                return (
                    f"the {side} side has {pieces:,} SentencePiece pieces, more than the "
                    f"{self.max_pieces:,} the translation model reads at once"
                )
        return None

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
        if self.forced_backend == "ctranslate2":
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

        model = self.forced_model
        mask = attention_mask.to(self.device)
        with torch.inference_mode():
            encoded = model.get_encoder()(input_ids=input_ids.to(self.device), attention_mask=mask)
        att = cross_attention(
            model,
            encoded.last_hidden_state,
            mask,
            decoder_ids.to(self.device),
            decoder_mask.to(self.device),
            self.layer,
            self._head_key(),
        )
        return [att[b, : len(t.ids), : len(s.ids)] for b, (s, t) in enumerate(batch)]

    def _head(self) -> int:
        return 0 if self.heads == "first" else int(self.heads)

    def _head_key(self) -> str | int:
        return "mean" if self.heads == "mean" else self._head()

    def take_timings(self) -> dict[str, float]:
        """Seconds spent since the last call: all in all, and in forced decoding."""
        taken = {f"align_{k}": v for k, v in self._seconds.items()}
        self._seconds = dict.fromkeys(self._seconds, 0.0)
        return taken

    def _from_translation(
        self, src_text: str, src: EncodedSide, tgt: str, words: tuple[Token, ...] | None
    ) -> tuple[EncodedSide, PassAttention] | None:
        """The target side and the translation pass's attention, when ``tgt`` is the
        hypothesis that ``self.translator`` wrote for this source and still keeps (None
        otherwise).

        The target pieces are the ones the model generated (usually what SentencePiece gives
        for the text, not always), so the rows are exactly those of forced decoding them.
        """
        if self.translator is None:
            return None
        if self.translator.attention_head != (self.layer, self._head_key()):
            return None
        found: PassAttention | None = self.translator.kept_attention.get(src_text)
        if found is None or found.source_ids != src.ids:
            return None
        pieces = decoded_pieces(self.tokenizer, found.target_ids, tgt)
        if pieces is None:
            return None
        words = word_tokens(tgt) if words is None else words
        pieces = pieces[: self.max_pieces]
        side = EncodedSide(
            words, found.target_ids[: self.max_pieces], pieces_to_words(pieces, words)
        )
        return side, found

    # -- public --------------------------------------------------------------------------

    def _aligned(
        self,
        pairs: Sequence[tuple[str, str]],
        tokens: Sequence[tuple[tuple[Token, ...], tuple[Token, ...]]] | None = None,
    ) -> list[tuple[EncodedSide, EncodedSide, np.ndarray]]:
        began = time.perf_counter()
        given = tokens if tokens is not None else [(None, None)] * len(pairs)
        encoded: list[tuple[EncodedSide, EncodedSide]] = []
        kept: dict[int, np.ndarray] = {}  # pair -> piece attention from the translation pass
        todo: list[int] = []  # pairs to force-decode
        no_first_row: list[int] = []  # kept attention whose first row is to be found
        for k, ((src, tgt), (sw, tw)) in enumerate(zip(pairs, given, strict=True)):
            s = self.encode(src, False, sw)
            found = self._from_translation(src, s, tgt, tw) if s.words and s.ids else None
            t = found[0] if found is not None else self.encode(tgt, True, tw)
            encoded.append((s, t))
            if not (s.words and t.words and s.ids and t.ids):
                continue
            if found is None:
                todo.append(k)
                continue
            kept[k] = found[1].rows[: len(t.ids)]
            if not found[1].first_row:
                kept[k] = kept[k].copy()
                no_first_row.append(k)
        # The first row depends on the source alone: a pair of the same source that is
        # force-decoded gives it (a reference, usually); otherwise the first target piece
        # alone is force-decoded. Jobs are numbered by pair, first-piece jobs after them.
        forced_source = {encoded[k][0].ids: k for k in todo}
        jobs = [(k, *encoded[k]) for k in todo]
        for k in no_first_row:
            s, t = encoded[k]
            if s.ids not in forced_source:
                forced_source[s.ids] = len(pairs) + k
                first_piece = EncodedSide(t.words, t.ids[:1], t.piece_words[:1])
                jobs.append((len(pairs) + k, s, first_piece))
        # Similar lengths together waste less padding; results go back in input order.
        jobs.sort(key=lambda job: (len(job[1].ids) + len(job[2].ids), job[0]))
        forcing = time.perf_counter()
        forced: dict[int, np.ndarray] = {}
        eager = (
            _eager_attention(self.forced_model)
            if self.forced_backend == "transformers"
            else nullcontext()
        )
        with eager:
            for first in range(0, len(jobs), self.batch_size):
                chunk = jobs[first : first + self.batch_size]
                rows = self._piece_attention([(s, t) for _, s, t in chunk])
                forced.update(zip((key for key, _, _ in chunk), rows, strict=True))
        self._seconds["forced_decoding"] += time.perf_counter() - forcing
        for k in no_first_row:
            kept[k][0] = forced[forced_source[encoded[k][0].ids]][0]
        matrices = []
        for k, (s, t) in enumerate(encoded):
            att = forced.get(k, kept.get(k))
            if att is None:
                matrices.append(np.zeros((len(t.words), len(s.words))))
            else:
                matrices.append(
                    word_matrix(att, s.piece_words, t.piece_words, len(s.words), len(t.words))
                )
        self._seconds["attention"] += time.perf_counter() - began
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
