"""MarianMT translation with transformers: sorted batches, beam search, a length cap.

Decoding is the model's own ``generation_config`` (beam size, ``bad_words_ids``, forced
``</s>``, length penalty...) with two overrides from ``DecodingSettings``: the beam size and
the cap on new tokens. Each segment's output depends on that segment alone: batching and
sorting change nothing, token for token, against ``model.generate`` on the segment by itself
with the same beam size and ``max_new_tokens=max_new_tokens_for(n)``.

The cap on new tokens is either fixed (``max_new_tokens``) or relative to the segment's own
source length ``n``, counted in source tokens with the ``</s>`` that the tokenizer appends
(``len(tokenizer(text).input_ids)``)::

    N = CAP_BUCKET * ceil(n / CAP_BUCKET)   # n rounded up to a multiple of 8
    cap = min(max_length - 1, ceil(ratio * N) + offset)   # and at least 1

``max_length`` is the model's generation ``max_length`` (it counts the decoder start token,
hence the ``- 1``). Rounding ``n`` up to its bucket lets segments of similar length share a
cap, and only segments that share a cap share a batch. Batches are formed longest first
(a batch too large for memory fails at once, not at the end), so there is little padding;
results come back in input order.

Segments longer than the encoder's input limit are split at clause boundaries
(``align.translate.split``) and their pieces' translations joined with a space, never
truncated; each piece gets the cap of its own length.

A translator can keep the cross-attention of the hypotheses it returns (``keep_attention``),
so that the attention aligner reads it instead of force-decoding them again: after each
batch's ``generate``, one teacher-forced decoder pass over the chosen hypotheses, on the
encoder states ``generate`` used, gives every row at once (``kept_attention``).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from align.errors import JobError
from align.model.load import LoadedModel
from align.translate.base import DecodingSettings, check_new_tokens
from align.translate.batching import plan_batches, split_batches
from align.translate.split import split_to_fit

# Source lengths are rounded up to a multiple of this before the relative cap is computed.
CAP_BUCKET = 8
STAT_KEYS = ("segments", "split_segments", "pieces", "batches")
# The kept attention of the latest hypotheses takes at most this much memory (the oldest go
# first): a few thousand segments, so a batch's articles, translated one after the other and
# then aligned together, all find theirs.
KEPT_ATTENTION_BYTES = 128 * 2**20


@dataclass(frozen=True)
class PassAttention:
    """The cross-attention of one hypothesis, as the translation pass computed it.

    ``rows[j]`` is the attention over ``source_ids`` while the decoder wrote
    ``target_ids[j]`` from the pieces before it: exactly what forced decoding of
    ``target_ids`` would give. Neither side has its ``</s>``; the target has no decoder start
    token either. ``first_row`` False: ``rows[0]`` (which depends on the source alone) is not
    known and must come from forced decoding.
    """

    source_ids: tuple[int, ...]
    target_ids: tuple[int, ...]
    rows: np.ndarray  # len(target_ids) x len(source_ids), float32
    first_row: bool = True


def hypothesis_ids(row: Sequence[int], eos: int) -> tuple[int, ...]:
    """The pieces of a hypothesis given as ``generate`` gives it: without the decoder start
    token and the </s>."""
    ids = tuple(row[1:])
    return ids[:-1] if ids and ids[-1] == eos else ids


@contextmanager
def eager_attention(model: Any) -> Iterator[None]:
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


def cross_attention(
    model: Any,
    encoder_states: Any,
    encoder_mask: Any,
    decoder_ids: Any,
    decoder_mask: Any,
    layer: int,
    heads: str | int,
) -> np.ndarray:
    """One teacher-forced decoder pass: batch x target x source cross-attention of ``layer``
    (``heads``: a head index or "mean"). Row t is the attention at decoder position t, which
    sees ``decoder_ids[:t + 1]`` only, so one pass gives what decoding step by step gives.
    The model must use eager attention (``eager_attention``)."""
    import torch

    with torch.inference_mode():
        decoded = model.get_decoder()(
            input_ids=decoder_ids,
            attention_mask=decoder_mask,
            encoder_hidden_states=encoder_states,
            encoder_attention_mask=encoder_mask,
            output_attentions=True,
            use_cache=False,
        )
        att = decoded.cross_attentions[layer]  # batch x heads x target x source
        att = att.mean(dim=1) if heads == "mean" else att[:, int(heads)]
        return att.float().cpu().numpy()


class MarianTranslator:
    engine = "transformers"

    def __init__(
        self,
        loaded: LoadedModel,
        settings: DecodingSettings = DecodingSettings(),  # noqa: B008 (frozen, so shareable)
        progress: bool | None = None,
    ) -> None:
        self.loaded = loaded
        self.settings = settings
        self.progress = progress
        config = loaded.model.config
        positions = getattr(config, "max_position_embeddings", None) or 512
        # The tokenizer's limit is the model's documented one; the position table is the hard
        # one (a longer input fails with an IndexError). One place goes to the </s>.
        self.max_input_tokens = min(loaded.tokenizer.model_max_length, positions) - 1
        max_length = loaded.model.generation_config.max_length or positions
        # (a max_length past the positions would decode into positions the model lacks)
        self.max_new_tokens_limit = min(max_length - 1, positions)
        check_new_tokens(settings, positions)
        # Counts of the latest translate() or generate_ids() call (what a run's manifest
        # records), and their sums over every call since this translator was made.
        self.last_stats: dict[str, int] = dict.fromkeys(STAT_KEYS, 0)
        self.stats: dict[str, int] = dict.fromkeys(STAT_KEYS, 0)
        self.attention_head: tuple[int, str | int] | None = None
        self.kept_attention: dict[str, PassAttention] = {}
        self._kept_bytes = 0

    def keep_attention(self, layer: int, heads: str | int) -> None:
        """From now on, keep the cross-attention of ``layer`` (``heads``: a head index or
        "mean") of every hypothesis: ``kept_attention`` maps each text translated (or piece
        of a split text) to its ``PassAttention``, the latest ones up to
        ``KEPT_ATTENTION_BYTES``."""
        if self.attention_head != (layer, heads):
            self.attention_head = (layer, heads)
            self.kept_attention = {}
            self._kept_bytes = 0

    def count_tokens(self, text: str) -> int:
        """Source pieces of ``text``, without the </s> that the tokenizer appends."""
        # tokenize() rather than __call__: no warning for text that is too long.
        return len(self.loaded.tokenizer.tokenize(text))

    def max_new_tokens_for(self, source_tokens: int) -> int:
        """The cap on new tokens for a segment of ``source_tokens`` source tokens, its </s>
        included (``len(tokenizer(text).input_ids)``); see the module docstring."""
        if self.settings.max_new_tokens is not None:
            return self.settings.max_new_tokens
        bucket = CAP_BUCKET * math.ceil(source_tokens / CAP_BUCKET)
        relative = math.ceil(self.settings.max_length_ratio * bucket)
        return max(1, min(self.max_new_tokens_limit, relative + self.settings.max_length_offset))

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translations in input order; empty or whitespace-only texts give ""."""
        memo: dict[str, int] = {}

        def count(text: str) -> int:  # each piece is tokenized once to count it
            if text not in memo:
                memo[text] = self.count_tokens(text)
            return memo[text]

        stats = dict.fromkeys(STAT_KEYS, 0)
        pieces: list[str] = []
        owners: list[int] = []  # the input each piece belongs to
        for i, text in enumerate(texts):
            if not text.strip():
                continue
            stats["segments"] += 1
            if count(text) <= self.max_input_tokens:
                spans = [(0, len(text))]
            else:
                try:
                    spans = split_to_fit(text, count, self.max_input_tokens)
                except ValueError as exc:  # a limit of a token or two (a broken model file)
                    raise JobError(
                        "a segment cannot be cut to fit the model's input limit of "
                        f"{self.max_input_tokens} token(s) (model_max_length in "
                        f"{self.loaded.path / 'tokenizer_config.json'}): {exc}"
                    ) from None
                stats["split_segments"] += 1
            for start, end in spans:
                pieces.append(text[start:end])
                owners.append(i)
        ids = self._generate_all(pieces, count, stats)
        self._record(stats)
        decoded = self.loaded.tokenizer.batch_decode(ids, skip_special_tokens=True)
        parts: list[list[str]] = [[] for _ in texts]
        for owner, translation in zip(owners, decoded, strict=True):
            parts[owner].append(translation)
        return [" ".join(p) for p in parts]

    def generate_ids(self, pieces: Sequence[str]) -> list[list[int]]:
        """Generated token ids for each piece, in input order, trailing padding removed.

        Each piece must fit the encoder (``translate`` splits those that do not). The ids are
        what ``model.generate`` returns: the decoder start token first.
        """
        stats = dict.fromkeys(STAT_KEYS, 0)
        stats["segments"] = len(pieces)
        ids = self._generate_all(pieces, self.count_tokens, stats)
        self._record(stats)
        return ids

    def _record(self, stats: dict[str, int]) -> None:
        self.last_stats = stats
        for key, value in stats.items():
            self.stats[key] += value

    def _keep(self, pieces: Sequence[str], attention: Sequence[PassAttention | None]) -> None:
        """Keep each hypothesis's attention by the text it translates; drop the oldest
        beyond ``KEPT_ATTENTION_BYTES``."""
        kept = self.kept_attention
        for piece, found in zip(pieces, attention, strict=True):
            if found is None:
                continue
            if piece in kept:
                self._kept_bytes -= kept.pop(piece).rows.nbytes
            kept[piece] = found
            self._kept_bytes += found.rows.nbytes
        while kept and self._kept_bytes > KEPT_ATTENTION_BYTES:
            self._kept_bytes -= kept.pop(next(iter(kept))).rows.nbytes

    def batch_tokens(self) -> int:
        """The token budget of one batch: the settings' (one batch runs at a time)."""
        return self.settings.max_batch_tokens

    def batches_at_once(self) -> int:
        """How many batches the engine runs side by side: one."""
        return 1

    def _plan(
        self, pieces: Sequence[str], count: Callable[[str], int]
    ) -> tuple[list[int], list[list[int]], bool]:
        """Each piece's cap, the batches (token budget, equal caps together) and whether to
        show a progress bar: the same for every engine. Fewer batches than the engine runs
        at once would leave cores idle: the largest are halved (``split_batches``)."""
        lengths = [count(p) + 1 for p in pieces]  # + 1: the </s>
        caps = [self.max_new_tokens_for(n) for n in lengths]
        batches = plan_batches(
            lengths, caps, self.batch_tokens(), self.settings.max_batch_sentences
        )
        batches = split_batches(batches, self.batches_at_once())
        show = self.progress
        if show is None:
            show = len(batches) > 1 and sys.stderr.isatty()
        return caps, batches, show

    def _generate_all(
        self, pieces: Sequence[str], count: Callable[[str], int], stats: dict[str, int]
    ) -> list[list[int]]:
        """Ids for each piece, in order; with ``keep_attention``, their attention too."""
        from tqdm.auto import tqdm

        caps, batches, show = self._plan(pieces, count)
        results: list[list[int]] = [[] for _ in pieces]
        attention: list[PassAttention | None] = [None] * len(pieces)
        with tqdm(total=len(pieces), unit="seg", desc="translate", disable=not show) as bar:
            for batch in batches:
                rows, kept = self._generate([pieces[i] for i in batch], caps[batch[0]])
                for n, (i, row) in enumerate(zip(batch, rows, strict=True)):
                    results[i] = row
                    attention[i] = kept[n] if kept is not None else None
                stats["batches"] += 1
                bar.update(len(batch))
        stats["pieces"] += len(pieces)
        self._keep(pieces, attention)
        return results

    def _generate(
        self, texts: list[str], cap: int
    ) -> tuple[list[list[int]], list[PassAttention] | None]:
        """One batch through ``model.generate``, padded on the right with an attention mask;
        with ``keep_attention``, the attention of each returned hypothesis too."""
        import torch

        model = self.loaded.model
        inputs = self.loaded.tokenizer(texts, return_tensors="pt", padding=True)
        inputs = inputs.to(self.loaded.device)
        with torch.inference_mode():
            # max_length (it counts the decoder start token) rather than the equivalent
            # max_new_tokens: with the model's max_length set, that one logs a warning per call.
            extra: dict[str, Any] = {}
            if self.settings.min_new_tokens is not None:
                extra["min_length"] = min(self.settings.min_new_tokens, cap) + 1
            states = None
            if self.attention_head is not None:
                # The encoder runs once, for generate and for the attention pass after it
                # (generate replaces the output's tensor by one repeated for the beams).
                encoded = model.get_encoder()(**inputs)
                states = encoded.last_hidden_state
                extra["encoder_outputs"] = encoded
            out = model.generate(
                **inputs, num_beams=self.settings.num_beams, max_length=cap + 1, **extra
            )
        pad = model.generation_config.pad_token_id
        rows = out.tolist()
        for row in rows:  # sequences that ended early are padded to the batch's longest
            while len(row) > 1 and row[-1] == pad:
                row.pop()
        if states is None:
            return rows, None
        return rows, self._pass_attention(inputs, states, out, rows)

    def _pass_attention(
        self, inputs: Any, states: Any, out: Any, rows: list[list[int]]
    ) -> list[PassAttention]:
        """One teacher-forced decoder pass over the hypotheses ``generate`` chose."""
        import torch

        assert self.attention_head is not None
        model = self.loaded.model
        eos = self.loaded.tokenizer.eos_token_id
        layer, heads = self.attention_head
        targets = [hypothesis_ids(row, eos) for row in rows]
        # Position t reads the start token and targets[:t], and gives the row of targets[t]:
        # the last target needs no position after it. Padding is masked, and causal
        # attention keeps it out of the rows before it anyway.
        width = max((len(t) for t in targets), default=0)
        att = None
        if width:
            decoder_ids = out[:, :width]
            # (At least the start token: a row of only masked positions has no softmax.)
            lengths = torch.tensor([max(1, len(t)) for t in targets], device=out.device)
            positions = torch.arange(width, device=out.device)
            decoder_mask = (positions[None] < lengths[:, None]).long()
            with eager_attention(model):
                att = cross_attention(
                    model, states, inputs["attention_mask"], decoder_ids, decoder_mask,
                    layer, heads,
                )  # fmt: skip
        kept = []
        sources = inputs["input_ids"].tolist()
        for b, (source, target) in enumerate(zip(sources, targets, strict=True)):
            n_src = int(inputs["attention_mask"][b].sum()) - 1  # without </s>
            rows_b = (
                att[b, : len(target), :n_src].copy()
                if att is not None
                else np.zeros((0, n_src), dtype=np.float32)
            )
            kept.append(PassAttention(tuple(source[:n_src]), target, rows_b))
        return kept

    def info(self) -> dict:
        """Engine, versions, device and decoding, for the manifest (the model is recorded
        apart, from ``LoadedModel.info``); ``stats`` are the latest call's counts."""
        import torch
        import transformers

        generation = self.loaded.model.generation_config.to_diff_dict()
        return {
            "engine": self.engine,
            "transformers_version": transformers.__version__,
            "torch_version": torch.__version__,
            "device": self.loaded.device,
            "decoding": self.settings.to_json(),
            "cap_bucket_tokens": CAP_BUCKET,
            # Only what differs from transformers' defaults, without bookkeeping entries.
            "generation_config": {
                k: v
                for k, v in generation.items()
                if k != "transformers_version" and not k.startswith("_")
            },
            "max_input_tokens": self.max_input_tokens,
            "stats": dict(self.last_stats),
        }
