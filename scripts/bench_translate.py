"""Translation speed, memory and fidelity: transformers against CTranslate2, side by side.

Five contenders translate the same Arabic lines (default: the first 200 lines of FLORES-200
devtest) with the same beam size and the same forced output length, in one run:

(a) naive transformers, one sentence at a time, as a user would write it from the model
    card (``MarianTokenizer`` / ``MarianMTModel.from_pretrained``, ``model.generate`` per
    sentence, decode);
(b) batched transformers: batches of 16 in file order, ``padding=True``, ``batch_decode``;
(c) the toolkit on transformers: ``MarianTranslator(load_marian(dir), settings)``;
(d) the toolkit on CTranslate2 int8: ``CTranslate2Translator(..., quantization="int8")``;
(e) raw CTranslate2 ``translate_batch`` on pre-tokenized input, int8, with the threads (d)
    used, ``max_batch_size=1024, batch_type="tokens"``: the engine's own limit.

Each contender runs in its own subprocess (this script again, with a hidden ``--worker``
flag), one after another, so its peak RSS is its own. Only the translation is timed: model
loading (reported apart), one warm-up sentence, conversion to CTranslate2 (done beforehand by
the toolkit's ``ensure_converted``, into its cache under ``$ARABIC_ALIGN_CACHE``, timed
apart) and, for (e), tokenization and detokenization are outside the clock. (d) loads what
the toolkit loads for CTranslate2: the tokenizer and configs (``load_marian(weights=False)``),
not the transformers weights. Threads: each engine's default (torch's; the toolkit's on the
CPU, one batch a usable core, one thread each, which (e) copies), or ``--threads N`` for all
of them (CTranslate2: one batch at a time on N threads). On a
machine shared with other jobs, multi-threaded runs can slow down many times over (threads
wait on each other): the load average is printed before and after.

Equal output lengths. A model with random weights never stops on its own, so every
contender is forced to write exactly ``--length`` content tokens per sentence: transformers
forces ``</s>`` at the last allowed position, so it gets ``min_new_tokens = max_new_tokens =
length + 1`` (``length`` content tokens and the forced ``</s>``), while CTranslate2 gets
``min_decoding_length = max_decoding_length = length`` (``</s>`` is not part of its output).
The toolkit translators take the same ``DecodingSettings`` as each other (the toolkit's own
contract). Produced target tokens (without the decoder start token, ``</s>`` and padding) are
COUNTED for every contender and printed, so equal work is visible, and tokens/s come from
those counts.

Fidelity (same run): float32 weights and greedy decoding, with the toolkit's per-segment cap
(relative to the source length, no forced minimum): how many outputs of CTranslate2 equal
transformers' (target: at least 99%), and how many of CTranslate2 int8 equal its float32.

The default model is the opus-mt-ar-en-sized fixture (random weights: its output is
gibberish, and its small SentencePiece models cut FLORES sentences into more pieces than the
real model's would); it is built into models/local/ on first use.

    .venv/bin/python scripts/bench_translate.py [--model DIR] [--src FILE] [--limit 200]
        [--length 32] [--beams 4] [--only a,b,c,d,e] [--threads N] [--no-fidelity]
        [--fidelity-limit N] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.data import data_file  # noqa: E402
from align.errors import UserError  # noqa: E402

DEFAULT_MODEL = ROOT / "models/local/fixture-opus-mt-ar-en"
# FLORES-200 devtest as the package ships it (corpus/flores200-devtest links there).
DEFAULT_SRC = Path(str(data_file("flores200-devtest", "arb_Arab.devtest")))
CONTENDERS = {
    "a": "naive per-sentence transformers",
    "b": "batched transformers (16)",
    "c": "toolkit on transformers",
    "d": "toolkit on CTranslate2 int8",
    "e": "raw CTranslate2 int8 translate_batch",
}
NAIVE_BATCH = 16
CT2_MAX_BATCH_SIZE = 1024
CT2_BATCH_TYPE = "tokens"
FIDELITY_TARGET = 0.99
RSS_TARGET_MB = 1024
WARMUP_LENGTH = 2


class BenchError(Exception):
    """A problem with the benchmark's inputs, said in one sentence."""


# --------------------------------------------------------------------------------------------
# Inputs


def read_lines(src: Path, limit: int) -> list[str]:
    """The first ``limit`` non-empty lines of ``src``, stripped."""
    if not src.is_file():
        raise BenchError(
            f"no Arabic source file at {src}: pass --src FILE (one sentence a line; the default "
            "is the FLORES-200 devtest arb_Arab the package ships)"
        )
    try:
        text = src.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BenchError(f"cannot read {src} as UTF-8 text: {exc}") from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise BenchError(f"{src} holds no text lines")
    return lines[:limit]


def ct2_toolkit() -> type | None:
    """The toolkit's CTranslate2Translator, or None where it (or ctranslate2) is missing."""
    try:
        from align.translate.ct2 import CTranslate2Translator
    except ImportError:
        return None
    return CTranslate2Translator


def peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes vs KiB


def setup_torch(args) -> None:
    """``--threads`` for the transformers contenders (default: torch's own choice)."""
    quiet_transformers()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)


def quiet_transformers() -> None:
    """No per-call warnings (max_new_tokens beside the model's max_length) in the timings."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def count_ids(rows, skip: set[int]) -> int:
    """Produced tokens in ``generate`` output rows: without the decoder start token (the
    first), ``</s>`` and padding."""
    return sum(sum(1 for t in row[1:] if int(t) not in skip) for row in rows)


def special_ids(model) -> set[int]:
    config = model.generation_config
    ids = {config.eos_token_id, config.pad_token_id, config.decoder_start_token_id}
    return {int(i) for i in ids if i is not None}


# --------------------------------------------------------------------------------------------
# Workers: each runs in its own process and returns a JSON-able dict.


def _timed(fn: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def worker_a(args, lines: list[str]) -> dict:
    """Naive: one sentence at a time, as on the model card."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    setup_torch(args)
    start = time.perf_counter()
    tokenizer = MarianTokenizer.from_pretrained(args.model)
    model = MarianMTModel.from_pretrained(args.model)
    load = time.perf_counter() - start
    n = args.length + 1  # the forced </s> takes the last place
    rows: list[list[int]] = []

    def run(texts: Sequence[str], new: int) -> list[str]:
        out = []
        for s in texts:
            ids = model.generate(
                **tokenizer([s], return_tensors="pt"),
                num_beams=args.beams,
                max_new_tokens=new,
                min_new_tokens=new,
            )
            rows.extend(ids.tolist())
            out.append(tokenizer.decode(ids[0], skip_special_tokens=True))
        return out

    run(lines[:1], WARMUP_LENGTH + 1)
    rows.clear()
    outputs, seconds = _timed(lambda: run(lines, n))
    return {
        "load_seconds": load,
        "seconds": seconds,
        "tokens": count_ids(rows, special_ids(model)),
        "outputs": outputs,
        "threads": {"torch": torch.get_num_threads()},
    }


def worker_b(args, lines: list[str]) -> dict:
    """Batched: 16 sentences at a time in file order, padded."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    setup_torch(args)
    start = time.perf_counter()
    tokenizer = MarianTokenizer.from_pretrained(args.model)
    model = MarianMTModel.from_pretrained(args.model)
    load = time.perf_counter() - start
    n = args.length + 1
    rows: list[list[int]] = []

    def run(texts: Sequence[str], new: int) -> list[str]:
        out = []
        for i in range(0, len(texts), NAIVE_BATCH):
            batch = list(texts[i : i + NAIVE_BATCH])
            inputs = tokenizer(batch, return_tensors="pt", padding=True)
            ids = model.generate(
                **inputs, num_beams=args.beams, max_new_tokens=new, min_new_tokens=new
            )
            rows.extend(ids.tolist())
            out.extend(tokenizer.batch_decode(ids, skip_special_tokens=True))
        return out

    run(lines[:1], WARMUP_LENGTH + 1)
    rows.clear()
    outputs, seconds = _timed(lambda: run(lines, n))
    return {
        "load_seconds": load,
        "seconds": seconds,
        "tokens": count_ids(rows, special_ids(model)),
        "outputs": outputs,
        "threads": {"torch": torch.get_num_threads()},
    }


def toolkit_settings(args, beams: int | None = None, forced: bool = True):
    from align.translate.base import DecodingSettings

    if not forced:  # the toolkit's own per-segment cap, no forced minimum
        return DecodingSettings(num_beams=beams or args.beams)
    n = args.length + 1  # the toolkit's contract is transformers': its cap counts the </s>
    return DecodingSettings(num_beams=beams or args.beams, max_new_tokens=n, min_new_tokens=n)


def record_generate(model) -> list[list[int]]:
    """Keep what ``model.generate`` returns, to count produced tokens (costs nothing
    measurable: the rows are kept, not copied)."""
    rows: list = []
    original = model.generate

    def generate(*a, **kw):
        out = original(*a, **kw)
        rows.append(out)
        return out

    model.generate = generate
    return rows


def worker_c(args, lines: list[str]) -> dict:
    """The toolkit on transformers."""
    import torch

    from align.model.load import load_marian
    from align.translate.marian import MarianTranslator

    setup_torch(args)
    start = time.perf_counter()
    loaded = load_marian(str(args.model), device="cpu")
    load = time.perf_counter() - start
    translator = MarianTranslator(loaded, toolkit_settings(args), progress=False)
    outs = record_generate(loaded.model)
    translator.translate(lines[:1])
    outs.clear()
    outputs, seconds = _timed(lambda: translator.translate(lines))
    rows = [row for out in outs for row in out.tolist()]
    return {
        "load_seconds": load,
        "seconds": seconds,
        "tokens": count_ids(rows, special_ids(loaded.model)),
        "outputs": outputs,
        "batches": translator.last_stats.get("batches"),
        "threads": {"torch": torch.get_num_threads()},
    }


class _RecordingTranslator:
    """Stands in for a ``ctranslate2.Translator`` and keeps the produced hypotheses."""

    def __init__(self, inner) -> None:
        self._inner = inner
        self._done: list[list[str]] = []
        self._pending: list = []  # asynchronous results (several batches at once)

    def __getattr__(self, name):
        return getattr(self._inner, name)

    @property
    def hypotheses(self) -> list[list[str]]:
        """Every hypothesis produced so far (an asynchronous result is read once done)."""
        self._done.extend(p.result().hypotheses[0] for p in self._pending)
        self._pending.clear()
        return self._done

    def translate_batch(self, *a, **kw):
        results = self._inner.translate_batch(*a, **kw)
        if kw.get("asynchronous"):
            self._pending.extend(results)
        else:
            self._done.extend(r.hypotheses[0] for r in results)
        return results

    def translate_iterable(self, *a, **kw):
        for result in self._inner.translate_iterable(*a, **kw):
            self._done.append(result.hypotheses[0])
            yield result


def record_ct2(obj) -> _RecordingTranslator | None:
    """Wrap the ``ctranslate2.Translator`` held by a toolkit translator, to count tokens."""
    import ctranslate2

    for name, value in vars(obj).items():
        if isinstance(value, ctranslate2.Translator):
            recorder = _RecordingTranslator(value)
            setattr(obj, name, recorder)
            return recorder
    return None


def count_hypotheses(hypotheses: list[list[str]]) -> int:
    return sum(sum(1 for t in h if t not in ("</s>", "<pad>")) for h in hypotheses)


def ct2_threads(info: dict) -> dict:
    """The thread counts a toolkit CTranslate2Translator runs with (from its info())."""
    return {k: int(info[k]) for k in ("inter_threads", "intra_threads") if info.get(k) is not None}


def load_light(model: Path):
    """The toolkit's loading for an engine with its own weights: tokenizer and configs only
    (``load_marian(weights=False)``), where this checkout has it."""
    import inspect

    from align.model.load import load_marian

    if "weights" in inspect.signature(load_marian).parameters:
        return load_marian(str(model), device="cpu", weights=False), "tokenizer and configs"
    return load_marian(str(model), device="cpu"), "full transformers model"


def convert(args) -> dict:
    """Convert to CTranslate2 int8 and float32 before any timing; report how long it took.

    With the toolkit's backend: ``ensure_converted`` into its cache (a later run finds the
    conversions there: ``converted`` false). Without it: with
    ``ctranslate2.converters.TransformersConverter`` into the run's temporary directory.
    """
    result: dict = {"engine": "toolkit" if ct2_toolkit() else "raw", "conversions": {}}
    if ct2_toolkit() is not None:
        from align.model.convert import ensure_converted

        loaded, _ = load_light(args.model)
        for quantization in ("int8", "float32"):
            start = time.perf_counter()
            conv = ensure_converted(loaded, quantization, notify=lambda m: None)
            result["conversions"][quantization] = {
                "seconds": time.perf_counter() - start,
                "dir": str(conv.path),
                "converted": conv.converted,
            }
        return result
    import ctranslate2

    for quantization in ("int8", "float32"):
        out = Path(args.workdir) / f"ct2-{quantization}"
        start = time.perf_counter()
        ctranslate2.converters.TransformersConverter(str(args.model)).convert(
            str(out), quantization=quantization, force=True
        )
        result["conversions"][quantization] = {
            "seconds": time.perf_counter() - start,
            "dir": str(out),
            "converted": True,
        }
    return result


def worker_d(args, lines: list[str]) -> dict:
    """The toolkit on CTranslate2 int8 (converted beforehand)."""
    cls = ct2_toolkit()
    if cls is None:
        raise BenchError("align.translate.ct2 (the toolkit's CTranslate2 backend) is missing")
    start = time.perf_counter()
    loaded, how = load_light(args.model)
    translator = cls(loaded, toolkit_settings(args), quantization="int8", **toolkit_threads(args))
    load = time.perf_counter() - start
    recorder = record_ct2(translator)
    translator.translate(lines[:1])
    if recorder is not None:
        recorder.hypotheses.clear()
    outputs, seconds = _timed(lambda: translator.translate(lines))
    info = translator.info()
    return {
        "load_seconds": load,
        "seconds": seconds,
        "tokens": count_hypotheses(recorder.hypotheses) if recorder else None,
        "outputs": outputs,
        "threads": ct2_threads(info),
        "conversion_dir": info.get("conversion_dir"),
        "compute_type": info.get("compute_type"),
        "loaded": how,
    }


def default_ct2_threads(args) -> dict:
    """``--threads``, else the toolkit's default layout on the CPU (``thread_layout``)."""
    if args.threads:
        return {"inter_threads": 1, "intra_threads": args.threads}
    from align.translate.ct2 import thread_layout

    inter, intra = thread_layout("cpu", None, None)
    return {"inter_threads": inter, "intra_threads": intra}


def worker_e(args, lines: list[str]) -> dict:
    """Raw CTranslate2 on pre-tokenized input: the engine's own limit."""
    import ctranslate2
    from transformers import MarianTokenizer

    quiet_transformers()
    threads = json.loads(args.ct2_threads) if args.ct2_threads else default_ct2_threads(args)
    start = time.perf_counter()
    tokenizer = MarianTokenizer.from_pretrained(args.model)
    translator = ctranslate2.Translator(args.ct2_int8, device="cpu", compute_type="int8", **threads)
    load = time.perf_counter() - start
    source = [tokenizer.convert_ids_to_tokens(tokenizer(s).input_ids) for s in lines]
    options = {
        "max_batch_size": CT2_MAX_BATCH_SIZE,
        "batch_type": CT2_BATCH_TYPE,
        "beam_size": args.beams,
    }
    translator.translate_batch(
        source[:1], max_decoding_length=WARMUP_LENGTH, min_decoding_length=WARMUP_LENGTH, **options
    )
    results, seconds = _timed(
        lambda: translator.translate_batch(
            source, max_decoding_length=args.length, min_decoding_length=args.length, **options
        )
    )
    hypotheses = [r.hypotheses[0] for r in results]
    outputs = [
        tokenizer.decode(tokenizer.convert_tokens_to_ids(h), skip_special_tokens=True)
        for h in hypotheses
    ]
    return {
        "load_seconds": load,
        "seconds": seconds,
        "tokens": count_hypotheses(hypotheses),
        "outputs": outputs,
        "threads": threads,
    }


def toolkit_threads(args) -> dict:
    """``--threads`` for the toolkit's CTranslate2Translator (default: its own choice)."""
    return {"inter_threads": 1, "intra_threads": args.threads} if args.threads else {}


def fidelity(args, lines: list[str], conversions: dict) -> dict:
    """float32 + greedy: CTranslate2 against transformers, then CTranslate2 int8 against
    float32, with the toolkit's per-segment cap and no forced minimum."""
    from align.model.load import load_marian
    from align.translate.marian import MarianTranslator

    setup_torch(args)
    lines = lines[: args.fidelity_limit] if args.fidelity_limit else lines
    loaded = load_marian(str(args.model), device="cpu")
    settings = toolkit_settings(args, beams=1, forced=False)
    reference = MarianTranslator(loaded, settings, progress=False)
    start = time.perf_counter()
    tf_out = reference.translate(lines)
    timings = {"transformers_float32": time.perf_counter() - start}
    cls = ct2_toolkit()
    if cls is not None:
        engine = "toolkit"
        outs = {}
        for quantization in ("float32", "int8"):
            translator = cls(loaded, settings, quantization=quantization, **toolkit_threads(args))
            start = time.perf_counter()
            outs[quantization] = translator.translate(lines)
            timings[f"ctranslate2_{quantization}"] = time.perf_counter() - start
            del translator
    else:
        import ctranslate2

        engine = "raw (toolkit CTranslate2 backend missing)"
        tokenizer = loaded.tokenizer
        threads = json.loads(args.ct2_threads) if args.ct2_threads else default_ct2_threads(args)
        source = [tokenizer.convert_ids_to_tokens(tokenizer(s).input_ids) for s in lines]
        # transformers' cap counts the </s> it forces at the last place; CTranslate2's does not.
        caps = [reference.max_new_tokens_for(len(s)) - 1 for s in source]
        outs = {}
        for quantization in ("float32", "int8"):
            directory = conversions[quantization]["dir"]
            translator = ctranslate2.Translator(
                directory, device="cpu", compute_type=quantization, **threads
            )
            start = time.perf_counter()
            hyps: list[list[str]] = [[] for _ in lines]
            for cap in sorted(set(caps)):
                idx = [i for i, c in enumerate(caps) if c == cap]
                results = translator.translate_batch(
                    [source[i] for i in idx],
                    beam_size=1,
                    max_decoding_length=cap,
                    max_batch_size=CT2_MAX_BATCH_SIZE,
                    batch_type=CT2_BATCH_TYPE,
                )
                for i, r in zip(idx, results, strict=True):
                    hyps[i] = r.hypotheses[0]
            outs[quantization] = [
                tokenizer.decode(tokenizer.convert_tokens_to_ids(h), skip_special_tokens=True)
                for h in hyps
            ]
            timings[f"ctranslate2_{quantization}"] = time.perf_counter() - start
            del translator

    def agree(x: list[str], y: list[str], names: tuple[str, str]) -> dict:
        same = sum(a == b for a, b in zip(x, y, strict=True))
        diffs = [
            {"index": i, names[0]: a[:120], names[1]: b[:120]}
            for i, (a, b) in enumerate(zip(x, y, strict=True))
            if a != b
        ][:3]
        return {"identical": same, "total": len(x), "rate": same / len(x), "examples": diffs}

    return {
        "engine": engine,
        "decoding": settings.to_json(),
        "seconds": timings,
        "ct2_float32_vs_transformers": agree(
            outs["float32"], tf_out, ("ctranslate2_float32", "transformers")
        ),
        "ct2_int8_vs_float32": agree(
            outs["int8"], outs["float32"], ("ctranslate2_int8", "ctranslate2_float32")
        ),
    }


def worker_prepare(args, lines: list[str]) -> dict:
    """Conversion, then (unless --no-fidelity) the fidelity counts, in one process: one
    interpreter start fewer. The conversions are written out first, so that the contenders
    can run even if the fidelity run fails."""
    result = convert(args)
    Path(args.result).write_text(json.dumps(result), "utf-8")
    if args.fidelity:
        result["fidelity"] = fidelity(args, lines, result["conversions"])
    return result


WORKERS = {
    "a": worker_a,
    "b": worker_b,
    "c": worker_c,
    "d": worker_d,
    "e": worker_e,
    "prepare": worker_prepare,
}


def run_worker(args) -> int:
    lines = read_lines(args.src, args.limit)
    result = WORKERS[args.worker](args, lines)
    result["peak_rss_mb"] = peak_rss_mb()
    Path(args.result).write_text(json.dumps(result, ensure_ascii=False), "utf-8")
    return 0


# --------------------------------------------------------------------------------------------
# The parent: runs the workers one after another and reports.


def spawn(name: str, args, extra: Sequence[str] = ()) -> dict:
    """Run one worker in a fresh interpreter; its result, or {"error": ...}."""
    result = Path(args.workdir) / f"{name}.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        name,
        "--result",
        str(result),
        "--model",
        str(args.model),
        "--src",
        str(args.src),
        "--limit",
        str(args.limit),
        "--length",
        str(args.length),
        "--beams",
        str(args.beams),
        "--workdir",
        str(args.workdir),
        *(["--threads", str(args.threads)] if args.threads else []),
        *(["--fidelity-limit", str(args.fidelity_limit)] if args.fidelity_limit else []),
        *extra,
    ]
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false", HF_HUB_OFFLINE="1")
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    # A worker that failed may have written part of its result (prepare: the conversions).
    data = json.loads(result.read_text("utf-8")) if result.is_file() else {}
    if proc.returncode != 0 or not data:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-12:]
        data.update(error=f"worker {name} exited with {proc.returncode}", stderr_tail=tail)
    data["wall_seconds"] = wall
    return data


def note(msg: str, args) -> None:
    print(msg, file=sys.stderr if args.json else sys.stdout, flush=True)


def ensure_model(args) -> None:
    from align.model.fixture import GIBBERISH, build_fixture, is_fixture

    if args.model is None:
        args.model = DEFAULT_MODEL
        if not (DEFAULT_MODEL / "arabic-align-fixture.json").is_file():
            note(f"building the opus-mt-ar-en-sized fixture model in {DEFAULT_MODEL} ...", args)
            if DEFAULT_MODEL.is_dir() and not any(DEFAULT_MODEL.iterdir()):
                DEFAULT_MODEL.rmdir()
            elif DEFAULT_MODEL.exists():
                raise BenchError(
                    f"{DEFAULT_MODEL} exists but is not a complete fixture: remove it, or "
                    "pass --model DIR"
                )
            build_fixture(DEFAULT_MODEL, size="opus-mt-ar-en")
    args.model = Path(args.model)
    if not (args.model / "config.json").is_file():
        raise BenchError(f"{args.model} is not a MarianMT model directory (no config.json)")
    if is_fixture(args.model):
        note(f"note: {args.model} is a {GIBBERISH}; only speed is measured here", args)


def rates(result: dict, sentences: int) -> None:
    seconds = result["seconds"]
    result["sentences"] = sentences
    result["sentences_per_s"] = sentences / seconds if seconds > 0 else None
    tokens = result.get("tokens")
    result["tokens_per_s"] = tokens / seconds if tokens is not None and seconds > 0 else None


def cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def ratio(x: float | None, y: float | None) -> float | None:
    return x / y if x is not None and y else None


def check_targets(contenders: dict) -> list[dict]:
    def tps(k: str) -> float | None:
        return contenders.get(k, {}).get("tokens_per_s")

    rss = contenders.get("d", {}).get("peak_rss_mb")
    checks = [
        ("(d) tokens/s >= 4x (b)", ratio(tps("d"), tps("b")), 4.0, ">="),
        ("(d) tokens/s >= 10x (a)", ratio(tps("d"), tps("a")), 10.0, ">="),
        ("(d) within 10% of (e): d/e >= 0.9", ratio(tps("d"), tps("e")), 0.9, ">="),
        ("(d) peak RSS <= 1024 MB", rss, float(RSS_TARGET_MB), "<="),
    ]
    out = []
    for name, value, threshold, op in checks:
        if value is None:
            status = "SKIP"
        else:
            ok = value >= threshold if op == ">=" else value <= threshold
            status = "PASS" if ok else "FAIL"
        out.append({"target": name, "value": value, "threshold": threshold, "status": status})
    return out


def fmt(x: float | None, spec: str = ".1f") -> str:
    return "-" if x is None else format(x, spec)


def print_report(report: dict) -> None:
    print(f"\nmodel {report['model']}{' (fixture: gibberish output)' if report['fixture'] else ''}")
    print(
        f"{report['sentences']} lines of {report['src']}; beam {report['beams']}, "
        f"{report['length']} target tokens forced per sentence; "
        f"load average {report['machine']['loadavg_before']} -> "
        f"{report['machine']['loadavg_after']} on {report['machine']['cpus']} CPUs "
        f"({report['machine'].get('cpu_model')}); --threads {report.get('threads_option')}"
    )
    for q, conv in report.get("conversions", {}).items():
        how = "converted" if conv.get("converted") else "found in the cache"
        print(f"conversion {q}: {fmt(conv.get('seconds'), '.1f')} s ({how}) -> {conv.get('dir')}")
    head = (
        f"{'':3}{'contender':40}{'sent/s':>8}{'tokens':>8}{'tok/s':>9}"
        f"{'RSS MB':>8}{'load s':>8}{'x(a)':>7}{'x(b)':>7}"
    )
    print("\n" + head + "\n" + "-" * len(head))
    for key, r in report["contenders"].items():
        label = f"({key}) {CONTENDERS[key]}"
        if "error" in r:
            print(f"{label:43}ERROR: {r['error']}")
            continue
        print(
            f"{label:43}{fmt(r['sentences_per_s'], '.2f'):>8}{fmt(r['tokens'], 'd'):>8}"
            f"{fmt(r['tokens_per_s']):>9}{fmt(r['peak_rss_mb'], '.0f'):>8}"
            f"{fmt(r['load_seconds']):>8}{fmt(r['vs_a'], '.2f'):>7}{fmt(r['vs_b'], '.2f'):>7}"
        )
    counts = report["token_counts"]
    same = "equal" if report["token_counts_equal"] else "NOT EQUAL"
    print(f"\nproduced target tokens per contender: {counts} ({same})")
    if report.get("threads"):
        print(f"threads: {report['threads']}")
    print()
    for t in report["targets"]:
        print(f"{t['status']}  {t['target']}  (value {fmt(t['value'], '.2f')})")
    fid = report.get("fidelity")
    if fid:
        print("\nfidelity (float32, greedy, per-segment cap, no forced minimum)")
        if "error" in fid:
            print(f"ERROR: {fid['error']}")
        else:
            print(f"engine: {fid['engine']}")
            for key, label in (
                ("ct2_float32_vs_transformers", "CTranslate2 float32 = transformers"),
                ("ct2_int8_vs_float32", "CTranslate2 int8 = float32"),
            ):
                f = fid[key]
                print(f"{label}: {f['identical']}/{f['total']} ({100 * f['rate']:.1f}%)")
            print(f"{fid['status']}  CTranslate2 float32 = transformers on >= 99% of segments")


def run_bench(args) -> int:
    ensure_model(args)
    lines = read_lines(args.src, args.limit)
    only = [k.strip() for k in args.only.split(",") if k.strip()] if args.only else []
    unknown = [k for k in only if k not in CONTENDERS]
    if unknown:
        raise BenchError(f"--only takes letters among {','.join(CONTENDERS)}, not {unknown}")
    selected = only or list(CONTENDERS)
    if importlib.util.find_spec("ctranslate2") is None:
        note("ctranslate2 is not installed: (d), (e) and the fidelity counts are skipped", args)
        selected = [k for k in selected if k not in ("d", "e")]
        args.fidelity = False
    elif "d" in selected and ct2_toolkit() is None:
        note(
            "(d) skipped: align/translate/ct2.py (the toolkit's CTranslate2 backend) is missing",
            args,
        )
        selected.remove("d")
    need_ct2 = "d" in selected or "e" in selected or args.fidelity
    machine = {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "loadavg_before": [round(x, 2) for x in os.getloadavg()],
    }
    report: dict = {
        "model": str(args.model),
        "fixture": (args.model / "arabic-align-fixture.json").is_file(),
        "src": str(args.src),
        "sentences": len(lines),
        "length": args.length,
        "beams": args.beams,
        "threads_option": args.threads,
        "machine": machine,
        "contenders": {},
    }
    workdir = tempfile.mkdtemp(prefix="bench-translate-")
    args.workdir = workdir
    try:
        extra: list[str] = []
        if need_ct2:
            note("converting to CTranslate2 (int8, float32), outside the timings ...", args)
            if args.fidelity:
                note("fidelity: float32 + greedy, CTranslate2 against transformers ...", args)
            prep = spawn("prepare", args, [] if args.fidelity else ["--no-fidelity"])
            if "conversions" not in prep:
                raise BenchError(f"conversion failed: {prep['error']}: {prep['stderr_tail']}")
            report["conversions"] = prep["conversions"]
            extra += ["--ct2-int8", prep["conversions"]["int8"]["dir"]]
            if args.fidelity:
                fid = prep.get("fidelity") or {
                    "error": prep.get("error", "no fidelity result"),
                    "stderr_tail": prep.get("stderr_tail", []),
                }
                if "error" not in fid:
                    rate = fid["ct2_float32_vs_transformers"]["rate"]
                    fid["status"] = "PASS" if rate >= FIDELITY_TARGET else "FAIL"
                report["fidelity"] = fid
        threads: dict | None = None
        for key in selected:
            note(f"running ({key}) {CONTENDERS[key]} ...", args)
            more = list(extra)
            if threads:
                more += ["--ct2-threads", json.dumps(threads)]
            r = spawn(key, args, more)
            if "error" not in r:
                rates(r, len(lines))
                if key == "d" and r.get("threads"):
                    threads = r["threads"]  # (e) runs with (d)'s threads
            report["contenders"][key] = r
        report["threads"] = {k: r.get("threads") for k, r in report["contenders"].items()}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    machine["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]

    contenders = report["contenders"]
    base_a = contenders.get("a", {}).get("tokens_per_s")
    base_b = contenders.get("b", {}).get("tokens_per_s")
    for r in contenders.values():
        if "error" not in r:
            r["vs_a"] = ratio(r["tokens_per_s"], base_a)
            r["vs_b"] = ratio(r["tokens_per_s"], base_b)
    counts = {k: r.get("tokens") for k, r in contenders.items() if "error" not in r}
    report["token_counts"] = counts
    report["expected_tokens"] = len(lines) * args.length
    report["token_counts_equal"] = len(set(counts.values())) <= 1 and None not in counts.values()
    report["targets"] = check_targets(contenders)
    if not args.keep_outputs:
        for r in contenders.values():
            r.pop("outputs", None)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report)
    failed = [k for k, r in contenders.items() if "error" in r]
    if "error" in report.get("fidelity", {}):
        failed.append("fidelity")
    for k in failed:
        r = contenders.get(k) or report["fidelity"]
        print(f"worker {k} failed: {r['error']}", file=sys.stderr)
        print("\n".join(r.get("stderr_tail", [])), file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, help=f"MarianMT directory (default: {DEFAULT_MODEL})")
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC, help="Arabic text, one a line")
    ap.add_argument("--limit", type=int, default=200, help="first N lines (default 200)")
    ap.add_argument("--length", type=int, default=32, help="forced target tokens (default 32)")
    ap.add_argument("--beams", type=int, default=4, help="beam size (default 4)")
    ap.add_argument("--only", help="contenders to run, e.g. a,b,d (default: all)")
    ap.add_argument(
        "--threads",
        type=int,
        help="threads for every contender (torch threads; CTranslate2 intra_threads with one "
        "inter thread); default: each engine's own choice",
    )
    ap.add_argument("--no-fidelity", dest="fidelity", action="store_false")
    ap.add_argument(
        "--fidelity-limit", type=int, help="fidelity on the first N lines only (default: all)"
    )
    ap.add_argument("--keep-outputs", action="store_true", help="put translations in the JSON")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    hidden = argparse.SUPPRESS
    for flag in ("--worker", "--result", "--workdir", "--ct2-int8"):
        ap.add_argument(flag, help=hidden)
    ap.add_argument("--ct2-threads", help=hidden)
    args = ap.parse_args(argv)
    # --threads and --fidelity-limit may be left out (None), never given as 0.
    numbers = (args.limit, args.length, args.beams, args.threads, args.fidelity_limit)
    if min(n for n in numbers if n is not None) < 1:
        print(
            "bench_translate: --limit, --length, --beams, --threads and --fidelity-limit must "
            "be at least 1",
            file=sys.stderr,
        )
        return 2
    try:
        if args.worker:
            return run_worker(args)
        return run_bench(args)
    except (BenchError, UserError) as exc:
        print(f"bench_translate: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
