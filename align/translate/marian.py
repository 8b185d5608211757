"""MarianMT translation with transformers: sorted batches, beam search, a length cap.

Decoding is the model's own ``generation_config`` (beam size, ``bad_words_ids``, forced
``</s>``, length penalty...) with two overrides from ``DecodingSettings``: the beam size and
the cap on new tokens. The cap is either fixed or relative to the source length,
``ceil(ratio * source tokens) + offset`` (source tokens count the ``</s>``), and never above
what ``generate`` allows by default (``max_length - 1``: ``max_length`` counts the decoder
start token). The relative cap is computed per batch from its longest source; because
batches are sorted by length, that is close to a per-sentence cap.

Segments longer than the encoder's input limit are split at clause boundaries
(``align.translate.split``) and their pieces' translations joined with a space, never
truncated.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

from align.errors import UserError
from align.model.load import LoadedModel
from align.translate.base import DecodingSettings
from align.translate.split import split_to_fit


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
        if settings.batch_size < 1 or settings.num_beams < 1:
            raise UserError("batch size and number of beams must be at least 1")
        # The decoder reads a position for its start token and every new token but the last,
        # so `positions` new tokens is the most the model can give (measured: 513 fails).
        if settings.max_new_tokens is not None and not 1 <= settings.max_new_tokens <= positions:
            raise UserError(
                f"max_new_tokens must be between 1 and {positions} for this model, "
                f"not {settings.max_new_tokens}"
            )
        self.stats = {"segments": 0, "split_segments": 0, "pieces": 0, "batches": 0}

    def count_tokens(self, text: str) -> int:
        """Source pieces of ``text``, without the </s> that the tokenizer appends."""
        # tokenize() rather than __call__: no warning for text that is too long.
        return len(self.loaded.tokenizer.tokenize(text))

    def max_new_tokens_for(self, source_tokens: int) -> int:
        """The cap on new tokens for a batch whose longest source has ``source_tokens``."""
        if self.settings.max_new_tokens is not None:
            return self.settings.max_new_tokens
        relative = math.ceil(self.settings.max_length_ratio * source_tokens)
        return max(1, min(self.max_new_tokens_limit, relative + self.settings.max_length_offset))

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translations in input order; empty or whitespace-only texts give ""."""
        pieces: list[str] = []
        owners: list[int] = []  # the input each piece belongs to
        for i, text in enumerate(texts):
            if not text.strip():
                continue
            self.stats["segments"] += 1
            if self.count_tokens(text) <= self.max_input_tokens:
                spans = [(0, len(text))]
            else:
                spans = split_to_fit(text, self.count_tokens, self.max_input_tokens)
                self.stats["split_segments"] += 1
            for start, end in spans:
                pieces.append(text[start:end])
                owners.append(i)
        decoded = self.loaded.tokenizer.batch_decode(
            self.generate_ids(pieces), skip_special_tokens=True
        )
        parts: list[list[str]] = [[] for _ in texts]
        for owner, translation in zip(owners, decoded, strict=True):
            parts[owner].append(translation)
        return [" ".join(p) for p in parts]

    def generate_ids(self, pieces: Sequence[str]) -> list[list[int]]:
        """Generated token ids for each piece, in input order, trailing padding removed.

        Each piece must fit the encoder (``translate`` splits those that do not). The ids are
        what ``model.generate`` returns: the decoder start token first.
        """
        from tqdm.auto import tqdm

        lengths = [self.count_tokens(p) for p in pieces]
        # Longest first: a batch too large for memory fails at once, not at the end, and
        # similar lengths share a batch, so little padding and a near per-sentence cap.
        order = sorted(range(len(pieces)), key=lambda i: -lengths[i])
        size = self.settings.batch_size
        batches = [order[b : b + size] for b in range(0, len(order), size)]
        show = self.progress
        if show is None:
            show = len(batches) > 1 and sys.stderr.isatty()
        results: list[list[int]] = [[] for _ in pieces]
        with tqdm(total=len(pieces), unit="seg", desc="translate", disable=not show) as bar:
            for batch in batches:
                for i, row in zip(batch, self._generate([pieces[i] for i in batch]), strict=True):
                    results[i] = row
                self.stats["batches"] += 1
                bar.update(len(batch))
        self.stats["pieces"] += len(pieces)
        return results

    def _generate(self, texts: list[str]) -> list[list[int]]:
        """One batch through ``model.generate``, padded on the right with an attention mask."""
        import torch

        model = self.loaded.model
        inputs = self.loaded.tokenizer(texts, return_tensors="pt", padding=True)
        inputs = inputs.to(self.loaded.device)
        cap = self.max_new_tokens_for(inputs["input_ids"].shape[1])
        with torch.inference_mode():
            # max_length (it counts the decoder start token) rather than the equivalent
            # max_new_tokens: with the model's max_length set, that one logs a warning per call.
            out = model.generate(**inputs, num_beams=self.settings.num_beams, max_length=cap + 1)
        pad = model.generation_config.pad_token_id
        rows = out.tolist()
        for row in rows:  # sequences that ended early are padded to the batch's longest
            while len(row) > 1 and row[-1] == pad:
                row.pop()
        return rows

    def info(self) -> dict:
        import torch
        import transformers

        generation = self.loaded.model.generation_config.to_diff_dict()
        return {
            "engine": self.engine,
            "transformers_version": transformers.__version__,
            "torch_version": torch.__version__,
            "device": self.loaded.device,
            "decoding": self.settings.to_json(),
            # Only what differs from transformers' defaults, without bookkeeping entries.
            "generation_config": {
                k: v
                for k, v in generation.items()
                if k != "transformers_version" and not k.startswith("_")
            },
            "max_input_tokens": self.max_input_tokens,
            "stats": dict(self.stats),
            **self.loaded.info(),
        }
