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
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence

from align.errors import JobError
from align.model.load import LoadedModel
from align.translate.base import DecodingSettings
from align.translate.batching import plan_batches
from align.translate.split import split_to_fit

# Source lengths are rounded up to a multiple of this before the relative cap is computed.
CAP_BUCKET = 8
STAT_KEYS = ("segments", "split_segments", "pieces", "batches")


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
        self.max_new_tokens_limit = max_length - 1
        if min(settings.max_batch_tokens, settings.max_batch_sentences, settings.num_beams) < 1:
            raise JobError("batch sizes and the number of beams must be at least 1")
        # The decoder reads a position for its start token and every new token but the last,
        # so `positions` new tokens is the most the model can give (measured: 513 fails).
        if settings.max_new_tokens is not None and not 1 <= settings.max_new_tokens <= positions:
            raise JobError(
                f"max_new_tokens must be between 1 and {positions} for this model, "
                f"not {settings.max_new_tokens}"
            )
        # Counts of the latest translate() or generate_ids() call (what a run's manifest
        # records), and their sums over every call since this translator was made.
        self.last_stats: dict[str, int] = dict.fromkeys(STAT_KEYS, 0)
        self.stats: dict[str, int] = dict.fromkeys(STAT_KEYS, 0)

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
                spans = split_to_fit(text, count, self.max_input_tokens)
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

    def _plan(
        self, pieces: Sequence[str], count: Callable[[str], int]
    ) -> tuple[list[int], list[list[int]], bool]:
        """Each piece's cap, the batches (token budget, equal caps together) and whether to
        show a progress bar: the same for every engine."""
        lengths = [count(p) + 1 for p in pieces]  # + 1: the </s>
        caps = [self.max_new_tokens_for(n) for n in lengths]
        batches = plan_batches(
            lengths, caps, self.settings.max_batch_tokens, self.settings.max_batch_sentences
        )
        show = self.progress
        if show is None:
            show = len(batches) > 1 and sys.stderr.isatty()
        return caps, batches, show

    def _generate_all(
        self, pieces: Sequence[str], count: Callable[[str], int], stats: dict[str, int]
    ) -> list[list[int]]:
        from tqdm.auto import tqdm

        caps, batches, show = self._plan(pieces, count)
        results: list[list[int]] = [[] for _ in pieces]
        with tqdm(total=len(pieces), unit="seg", desc="translate", disable=not show) as bar:
            for batch in batches:
                rows = self._generate([pieces[i] for i in batch], caps[batch[0]])
                for i, row in zip(batch, rows, strict=True):
                    results[i] = row
                stats["batches"] += 1
                bar.update(len(batch))
        stats["pieces"] += len(pieces)
        return results

    def _generate(self, texts: list[str], cap: int) -> list[list[int]]:
        """One batch through ``model.generate``, padded on the right with an attention mask."""
        import torch

        model = self.loaded.model
        inputs = self.loaded.tokenizer(texts, return_tensors="pt", padding=True)
        inputs = inputs.to(self.loaded.device)
        with torch.inference_mode():
            # max_length (it counts the decoder start token) rather than the equivalent
            # max_new_tokens: with the model's max_length set, that one logs a warning per call.
            extra = {}
            if self.settings.min_new_tokens is not None:
                extra["min_length"] = min(self.settings.min_new_tokens, cap) + 1
            out = model.generate(
                **inputs, num_beams=self.settings.num_beams, max_length=cap + 1, **extra
            )
        pad = model.generation_config.pad_token_id
        rows = out.tolist()
        for row in rows:  # sequences that ended early are padded to the batch's longest
            while len(row) > 1 and row[-1] == pad:
                row.pop()
        return rows

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
