"""MarianMT translation with CTranslate2: the transformers engine's behaviour, faster.

The model directory is converted once (``align.model.convert``; int8 on the CPU by default,
float16 on CUDA) and loaded once per translator. Everything around the engine is the
transformers engine's (``align.translate.marian``): the same tokenizer, the same per-segment
cap on new tokens (the very same ``max_new_tokens_for``), the same token-budget batches
(``plan_batches``: only segments that share a cap share a batch, longest first), the same
clause splitting of segments too long for the encoder, and the same decoding of the output
ids. Results come back in input order; empty or whitespace-only texts give "".

Decoding follows the model's ``generation_config`` where CTranslate2 has the same knob:

- transformers forces ``</s>`` at the last allowed position when the generation config has
  ``forced_eos_token_id`` (Marian models do): with a cap of N new tokens it writes at most
  N - 1 others. CTranslate2 counts only the others, so it is given N - 1.
- ``min_new_tokens`` (or the model's ``min_length``) becomes ``min_decoding_length``, which
  counts the same tokens (measured: both then put ``</s>`` at the same step).
- ``bad_words_ids`` [[<pad>]] needs nothing: the converter drops ``<pad>`` from the
  vocabulary. Other bad words become ``suppress_sequences``.
- ``length_penalty``, ``repetition_penalty`` and ``no_repeat_ngram_size`` carry over.

With float32 weights and greedy search the output equals transformers' token for token in
practice (``tests/test_ct2.py`` counts it); beam search and int8 weights may differ in a few
segments (beam bookkeeping and arithmetic are not the same).

With ``keep_attention`` (the attention aligner asks for it), ``translate_batch`` also returns
the alignment head's attention of each hypothesis (``return_attention``), kept in
``kept_attention`` so that the hypotheses need no forced decoding afterwards (but for their
first row under beam search: see ``_collect``).
"""

from __future__ import annotations

import contextlib
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from align.cores import usable_cores
from align.errors import JobError
from align.model.convert import ensure_converted, import_ctranslate2, marian_configs
from align.model.load import LoadedModel
from align.translate.base import DecodingSettings, check_new_tokens
from align.translate.marian import (
    CAP_BUCKET,
    STAT_KEYS,
    MarianTranslator,
    PassAttention,
    hypothesis_ids,
)

DEVICES = ("auto", "cpu", "cuda")
# The smallest token budget a batch gets when the batches that run at once share the
# settings' budget (``CTranslate2Translator.batch_tokens``).
MIN_SHARED_BATCH_TOKENS = 512
# Most batches the CPU runs at once by default. Measured on two cores only: two batches side
# by side are about twice as fast as one on both. On a larger machine the cap keeps what
# runs at once (and its memory) near a two-core run's, and the other cores go to each
# batch, as the one-batch layout gave them.
MAX_DEFAULT_BATCHES = 4


def default_quantization(device: str) -> str:
    """int8 on the CPU, float16 on CUDA (int8_float16 is the other common CUDA choice)."""
    return "float16" if device == "cuda" else "int8"


def thread_layout(device: str, inter: int | None, intra: int | None) -> tuple[int, int]:
    """(batches translated at once, threads per batch). On the CPU, by default, as many
    batches at once as there are usable cores, one thread each: a Marian model's matrices
    are too small for one batch to keep several cores busy, and two batches side by side on
    two cores translate about twice as fast as one batch on both (scripts/bench_translate.py,
    docs/performance.md); at most ``MAX_DEFAULT_BATCHES``, the other cores shared among
    them. On CUDA, one batch at a time. Either number given alone sets the other to share
    the usable cores."""
    cores = usable_cores()
    for name, value in (("inter_threads", inter), ("intra_threads", intra)):
        if value is not None and value < 1:
            raise JobError(f"{name} must be at least 1, not {value}")
    if inter is None and device != "cpu":
        inter = 1
    elif inter is None:
        inter = min(cores, MAX_DEFAULT_BATCHES) if intra is None else max(1, cores // intra)
    if intra is None:
        intra = max(1, cores // inter)
    return inter, intra


@contextlib.contextmanager
def _torch_threads_kept() -> Iterator[None]:
    """Keep PyTorch's thread count as it was across the block. Where PyTorch was imported
    first (a run loads it with the model), CTranslate2 shares its OpenMP runtime, and making
    a Translator sets the calling thread's count to the translator's ``intra_threads`` (1
    where two batches run at once on two cores), which PyTorch then reads as its own: every
    later PyTorch pass of the run (the aligner's forced decoding) ran on one core. On the
    seed article (opus-size fixture, 2 cores) forced decoding took 1.42–1.47 s after such a
    translator and 0.94–1.23 s after one of ``intra_threads`` 2. PyTorch is left alone where
    it was not imported: it reads the count afresh when it is."""
    torch = sys.modules.get("torch")
    threads = torch.get_num_threads() if torch is not None else None
    try:
        yield
    finally:
        if torch is not None and torch.get_num_threads() != threads:
            torch.set_num_threads(threads)


@dataclass(frozen=True)
class _Submitted:
    """One batch on its way: its source tokens, and CTranslate2's (pending) results or None
    when there was nothing to compute."""

    sources: list[list[str]]
    pending: list[Any] | None


class CTranslate2Translator:
    engine = "ctranslate2"

    # The transformers engine's own rules, shared rather than copied: how a text is counted
    # and the cap on new tokens for a segment of n source tokens.
    count_tokens = MarianTranslator.count_tokens
    max_new_tokens_for = MarianTranslator.max_new_tokens_for
    # Splitting, joining, order and stats are engine-independent too; only _generate_all
    # (how batches reach the engine) differs. generate_ids returns ids in transformers'
    # form: the decoder start token first, </s> included when written or forced at the cap.
    translate = MarianTranslator.translate
    generate_ids = MarianTranslator.generate_ids
    _record = MarianTranslator._record
    _plan = MarianTranslator._plan
    _keep = MarianTranslator._keep

    def batch_tokens(self) -> int:
        """The token budget of one batch: the batches that run side by side share the
        settings' budget (1024 over two: 512 each), but none gets less than
        ``MIN_SHARED_BATCH_TOKENS`` (or the whole budget, where the settings give less), so
        with more batches at once the engine holds more. On two cores 512 each is also the
        faster size: 437–440 target tokens/s against 410–420 for 1024 each and 363–366 for
        256 (opus-size fixture, beam 4, 200 FLORES lines; docs/performance.md)."""
        budget = self.settings.max_batch_tokens
        return max(min(budget, MIN_SHARED_BATCH_TOKENS), budget // self.inter_threads)

    def batches_at_once(self) -> int:
        """How many batches the engine runs side by side: ``inter_threads``."""
        return self.inter_threads

    def __init__(
        self,
        loaded: LoadedModel,
        settings: DecodingSettings = DecodingSettings(),  # noqa: B008 (frozen, so shareable)
        quantization: str | None = None,
        device: str | None = None,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        progress: bool | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        ct2 = import_ctranslate2()
        self.loaded = loaded
        self.settings = settings
        self.progress = progress
        config, generation = marian_configs(loaded)
        self.generation_config = generation
        positions = getattr(config, "max_position_embeddings", None) or 512
        self.max_input_tokens = min(loaded.tokenizer.model_max_length, positions) - 1
        max_length = generation.max_length or positions
        # (a max_length past the positions would decode into positions the model lacks)
        self.max_new_tokens_limit = min(max_length - 1, positions)
        check_new_tokens(settings, positions)

        self.device = self._pick_device(ct2, device)
        self.quantization = quantization or default_quantization(self.device)
        supported = ct2.get_supported_compute_types(self.device)
        if self.quantization not in supported:
            raise JobError(
                f"CTranslate2 cannot compute in {self.quantization} on the {self.device} here; "
                f"choose one of {', '.join(sorted(supported))}"
            )
        self.inter_threads, self.intra_threads = thread_layout(
            self.device, inter_threads, intra_threads
        )

        self.conversion = ensure_converted(loaded, self.quantization, notify=notify)
        try:
            with _torch_threads_kept():
                self.translator = ct2.Translator(
                    str(self.conversion.path),
                    device=self.device,
                    compute_type=self.quantization,
                    inter_threads=self.inter_threads,
                    intra_threads=self.intra_threads,
                )
        except (RuntimeError, ValueError) as exc:
            first = str(exc).strip().split("\n")[0][:200]
            raise JobError(
                f"CTranslate2 cannot load the conversion in {self.conversion.path} "
                f"on the {self.device} ({first})"
            ) from exc

        tok = loaded.tokenizer
        self.eos_token = tok.eos_token
        self.eos_id = generation.eos_token_id
        if isinstance(self.eos_id, list):
            self.eos_id = self.eos_id[0]
        if self.eos_id is None:
            self.eos_id = tok.eos_token_id
        self.start_id = generation.decoder_start_token_id
        if self.start_id is None:
            self.start_id = config.decoder_start_token_id
        # transformers writes </s> itself at the last allowed position.
        self.forced_eos = generation.forced_eos_token_id is not None
        if settings.min_new_tokens is not None:
            self.min_new_tokens = settings.min_new_tokens
        elif generation.min_new_tokens is not None:
            self.min_new_tokens = generation.min_new_tokens
        else:  # min_length counts the decoder start token
            self.min_new_tokens = max(0, (generation.min_length or 0) - 1)
        self.options = self._static_options(generation)
        self.last_stats: dict[str, int] = dict.fromkeys(STAT_KEYS, 0)
        self.stats: dict[str, int] = dict.fromkeys(STAT_KEYS, 0)
        self.attention_head: tuple[int, str | int] | None = None
        self.kept_attention: dict[str, PassAttention] = {}
        self._kept_bytes = 0
        self._last_layer = config.decoder_layers - 1

    def keep_attention(self, layer: int, heads: str | int) -> None:
        """From now on, keep the attention of every hypothesis (``kept_attention``, as the
        transformers engine does): only the head that the converter keeps for alignment
        exists here, the first of the last layer."""
        if layer % (self._last_layer + 1) != self._last_layer or heads not in ("first", 0):
            raise ValueError(
                "CTranslate2 returns only the first head of the last decoder layer's attention"
            )
        if self.attention_head != (self._last_layer, 0):
            self.attention_head = (self._last_layer, 0)
            self.kept_attention = {}
            self._kept_bytes = 0

    def _pick_device(self, ct2: Any, device: str | None) -> str:
        if device is None:  # the device the model was loaded on, which the user chose
            device = self.loaded.device if self.loaded.device in ("cpu", "cuda") else "auto"
        if device not in DEVICES:
            raise JobError(f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
        cuda = ct2.get_cuda_device_count() > 0
        if device == "auto":
            return "cuda" if cuda else "cpu"
        if device == "cuda" and not cuda:
            raise JobError("--device cuda was asked for, but CTranslate2 sees no CUDA device")
        return device

    def _static_options(self, generation: Any) -> dict:
        """translate_batch options that are the same for every batch."""
        pad = self.loaded.tokenizer.pad_token_id
        tok = self.loaded.tokenizer
        suppress = [
            tok.convert_ids_to_tokens(list(words))
            for words in (generation.bad_words_ids or [])
            if list(words) != [pad]  # <pad> is not in the converted vocabulary
        ]
        return {
            "beam_size": self.settings.num_beams,
            "length_penalty": float(generation.length_penalty or 1.0),
            "repetition_penalty": float(generation.repetition_penalty or 1.0),
            "no_repeat_ngram_size": int(generation.no_repeat_ngram_size or 0),
            "suppress_sequences": suppress or None,
            "max_input_length": 0,  # never truncate: long segments are split beforehand
            "return_end_token": True,
        }

    # -- translation ------------------------------------------------------------------------

    def _generate_all(
        self, pieces: Sequence[str], count: Callable[[str], int], stats: dict[str, int]
    ) -> list[list[int]]:
        from tqdm.auto import tqdm

        caps, batches, show = self._plan(pieces, count)
        results: list[list[int]] = [[] for _ in pieces]
        attention: list[PassAttention | None] = [None] * len(pieces)
        # With inter_threads > 1, batches are queued a few ahead
        # (translate_batch(asynchronous=True)) so that that many run at once; with one, each
        # batch is one plain translate_batch call. Results are collected in order.
        ahead = self.inter_threads + 1
        queue: deque[tuple[list[int], _Submitted]] = deque()

        def collect() -> None:
            batch, submitted = queue.popleft()
            rows, kept = self._collect(submitted)
            for n, (i, row) in enumerate(zip(batch, rows, strict=True)):
                results[i] = row
                attention[i] = kept[n] if kept is not None else None
            stats["batches"] += 1
            bar.update(len(batch))

        with tqdm(total=len(pieces), unit="seg", desc="translate", disable=not show) as bar:
            for batch in batches:
                queue.append((batch, self._submit([pieces[i] for i in batch], caps[batch[0]])))
                if len(queue) > ahead:
                    collect()
            while queue:
                collect()
        stats["pieces"] += len(pieces)
        self._keep(pieces, attention)
        return results

    def source_tokens(self, texts: Sequence[str]) -> list[list[str]]:
        """The tokens CTranslate2 is given: the tokenizer's pieces, </s> appended."""
        tok = self.loaded.tokenizer
        return [tok.convert_ids_to_tokens(ids) for ids in tok(list(texts)).input_ids]

    def _submit(self, texts: list[str], cap: int) -> _Submitted:
        """Queue one batch on ``translate_batch`` (no call when there is nothing to compute)."""
        sources = self.source_tokens(texts)
        longest = cap - 1 if self.forced_eos else cap
        if longest < 1:  # transformers can only write the forced </s>
            return _Submitted(sources, None)
        pending = self.translator.translate_batch(
            sources,
            max_decoding_length=longest,
            min_decoding_length=min(self.min_new_tokens, longest),
            asynchronous=self.inter_threads > 1,
            return_attention=self.attention_head is not None,
            **self.options,
        )
        return _Submitted(sources, pending)

    def _collect(self, submitted: _Submitted) -> tuple[list[list[int]], list[PassAttention] | None]:
        """The batch's ids as transformers' ``generate`` gives them, and with
        ``keep_attention`` the attention of each hypothesis."""
        tok = self.loaded.tokenizer
        rows = []
        attention = []
        for k, source in enumerate(submitted.sources):
            if submitted.pending is None:
                rows.append([self.start_id, self.eos_id])
                attention.append(np.zeros((0, len(source) - 1), dtype=np.float32))
                continue
            pending = submitted.pending[k]
            result = pending.result() if self.inter_threads > 1 else pending
            ids = tok.convert_tokens_to_ids(result.hypotheses[0])
            if self.attention_head is not None:
                n_target = len(hypothesis_ids([self.start_id, *ids], self.eos_id))
                steps = np.asarray(result.attention[0], dtype=np.float32)
                attention.append(steps.reshape(len(steps), -1)[:n_target, : len(source) - 1])
            if self.forced_eos and (not ids or ids[-1] != self.eos_id):
                ids.append(self.eos_id)  # the cap was reached: transformers forces </s>
            rows.append([self.start_id, *ids])
        if self.attention_head is None:
            return rows, None
        # CTranslate2's beam search (on the CPU; measured with 4.8.5) runs its first step
        # before it repeats the batch for the beams, and then returns that step's attention
        # from the wrong example: the one at index i // beam_size of the batch as it sorts
        # it. That row depends on the source alone, so the aligner gets it by forced decoding
        # (free when it force-decodes a reference of the same source anyway).
        first_row = submitted.pending is None or self.settings.num_beams == 1
        kept = []
        for source, row, rows_k in zip(submitted.sources, rows, attention, strict=True):
            source_ids = tuple(tok.convert_tokens_to_ids(source[:-1]))
            target = hypothesis_ids(row, self.eos_id)
            kept.append(PassAttention(source_ids, target, rows_k, first_row=first_row))
        return rows, kept

    # -- forced decoding, for the attention aligner -------------------------------------------

    def forced_attention(
        self, sources: Sequence[Sequence[str]], targets: Sequence[Sequence[str]]
    ) -> list[np.ndarray]:
        """Cross-attention of the alignment head under teacher forcing.

        ``sources`` are source tokens with their ``</s>``, ``targets`` target tokens without
        it. For each pair: a ``len(target) × len(source)`` array whose row j is the attention
        while the decoder predicts target token j from the tokens before it. The head is the
        one the converter keeps for alignment: the first head of the last decoder layer.

        CTranslate2 (4.x) has no forward pass that returns attention: the target goes in as
        ``target_prefix``, one decoding step per token, the batch's steps together. (With
        ``return_alternatives`` it forwards a prefix in one pass, but then starts every
        prefix position from the zero embedding that Marian models start from, not just the
        first: the rows after the first come out wrong.)
        """
        if not sources:
            return []
        results = self.translator.translate_batch(
            [list(s) for s in sources],
            target_prefix=[list(t) for t in targets],
            beam_size=1,
            # The prefix's steps are all that is needed (each gives one row).
            max_decoding_length=max(1, *(len(t) for t in targets)),
            min_decoding_length=0,
            max_input_length=0,
            return_attention=True,
            # as many chunks as batches run at once, so that every core has one
            max_batch_size=-(-len(sources) // self.inter_threads),
            batch_type="examples",
        )
        out = []
        for s, t, result in zip(sources, targets, results, strict=True):
            rows = np.asarray(result.attention[0][: len(t)], dtype=np.float32)
            out.append(rows.reshape(len(t), -1)[:, : len(s)])
        return out

    # -- manifest -------------------------------------------------------------------------

    def info(self) -> dict:
        """Engine, versions, device, quantization, conversion, threads and decoding, for the
        manifest (the model is recorded apart); ``stats`` are the latest call's counts."""
        generation = self.generation_config.to_diff_dict()
        return {
            "engine": self.engine,
            "ctranslate2_version": self.conversion.ctranslate2_version,
            "device": self.device,
            "quantization": self.quantization,
            "compute_type": self.translator.compute_type,
            "conversion_dir": str(self.conversion.path),
            "conversion_hash": self.conversion.conversion_hash,
            "inter_threads": self.inter_threads,
            "intra_threads": self.intra_threads,
            "decoding": self.settings.to_json(),
            "cap_bucket_tokens": CAP_BUCKET,
            "generation_config": {
                k: v
                for k, v in generation.items()
                if k != "transformers_version" and not k.startswith("_")
            },
            "ctranslate2_options": {
                **self.options,
                "forced_eos": self.forced_eos,
                "min_new_tokens": self.min_new_tokens,
            },
            "max_input_tokens": self.max_input_tokens,
            "stats": dict(self.last_stats),
        }
