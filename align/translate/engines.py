"""Choosing the translation engine: transformers, CTranslate2, or auto (CTranslate2 when it
is installed, else transformers)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from align.errors import JobError
from align.model.convert import NOT_INSTALLED
from align.model.load import LoadedModel
from align.translate.base import MAX_THREADS, DecodingSettings, Translator

ENGINES = ("auto", "transformers", "ctranslate2")


def ctranslate2_available() -> bool:
    try:
        return importlib.util.find_spec("ctranslate2") is not None
    except (ImportError, ValueError):
        return False


def resolve_engine(engine: str | None = "auto") -> str:
    """The engine that ``engine`` means here: "transformers" or "ctranslate2"."""
    engine = engine or "auto"
    if engine not in ENGINES:
        raise JobError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "auto":
        return "ctranslate2" if ctranslate2_available() else "transformers"
    if engine == "ctranslate2" and not ctranslate2_available():
        raise JobError(NOT_INSTALLED)
    return engine


def check_thread_counts(engine: str, inter_threads, intra_threads) -> None:
    """Thread counts are CTranslate2's: with the transformers engine they would do nothing;
    and at most ``MAX_THREADS`` each."""
    for name, value in (("inter_threads", inter_threads), ("intra_threads", intra_threads)):
        if isinstance(value, int) and value > MAX_THREADS:
            raise JobError(
                f"{name} must be at most {MAX_THREADS:,} (more threads than any machine has "
                f"cores), not {value:,}"
            )
    if engine == "transformers" and (inter_threads is not None or intra_threads is not None):
        raise JobError(
            "the thread counts (--inter-threads, --intra-threads; inter_threads and "
            "intra_threads in the Python API) are the ctranslate2 engine's; the transformers "
            "engine runs on torch's threads (OMP_NUM_THREADS)"
        )


def check_engine_options(engine: str, quantization, inter_threads, intra_threads) -> None:
    """Options of the ctranslate2 engine given to the transformers one, said before any
    model is loaded."""
    if engine == "transformers" and quantization is not None:
        raise JobError(
            f"quantization {quantization} needs the ctranslate2 engine; "
            "the transformers engine runs the model's own weights"
        )
    check_thread_counts(engine, inter_threads, intra_threads)


def make_translator(
    loaded: LoadedModel,
    engine: str | None = "auto",
    settings: DecodingSettings = DecodingSettings(),  # noqa: B008 (frozen, so shareable)
    quantization: str | None = None,
    inter_threads: int | None = None,
    intra_threads: int | None = None,
    device: str | None = None,
    progress: bool | None = None,
    notify: Callable[[str], None] | None = None,
) -> Translator:
    """A translator on the chosen engine. ``quantization``, the thread counts, ``device``
    and ``notify`` (the conversion messages) are CTranslate2's; the transformers engine
    runs on ``loaded.device`` and refuses a quantization or thread counts."""
    chosen = resolve_engine(engine)
    if chosen == "transformers":
        check_engine_options(chosen, quantization, inter_threads, intra_threads)
        from align.translate.marian import MarianTranslator

        return MarianTranslator(loaded, settings, progress=progress)
    from align.translate.ct2 import CTranslate2Translator

    return CTranslate2Translator(
        loaded,
        settings,
        quantization=quantization,
        device=device,
        inter_threads=inter_threads,
        intra_threads=intra_threads,
        progress=progress,
        notify=notify,
    )
