"""Fixture models: a MarianMT directory with the real file layout and random weights.

The real opus-mt-ar-en weights cannot be downloaded everywhere (CI, offline machines), so
tests, benchmarks and users who check their pipelines offline build this instead. Its
SentencePiece models are trained on the seed article's text (package data, ``align/data``),
its vocabulary is joint like the real one, and with ``size="opus-mt-ar-en"`` its
architecture and vocabulary size are exactly the real model's. Its weights are random:
WHAT IT WRITES IS GIBBERISH, never translation quality.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from align.data import data_file
from align.errors import UserError
from align.model.registry import DEFAULT_MODEL, known_model
from align.records import (
    blocked_by,
    current_umask,
    lock_folder,
    not_a_folder,
    temp_stem,
    utf8_path,
)

FIXTURE_MARKER = "arabic-align-fixture.json"
GIBBERISH = "fixture model with random weights: its output is gibberish, not translation"
# What a fixture lends when nothing is translated (a translation given, ``links``): attention.
RANDOM_ATTENTION = (
    "fixture model with random weights: its attention, and the links it votes for, mean nothing"
)
FIXTURE_WEIGHT_STD = 0.1
# The SentencePiece models' training text: the article folders of the package data, each
# with article.ar.txt and reference.en.txt. A fixed list, so a fixture does not depend on
# what else a checkout's corpus/ holds.
TEXT_ARTICLES = ("seed-article",)


@dataclass(frozen=True)
class FixtureSize:
    d_model: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int | None  # None: exactly the pieces the SentencePiece models learned


SIZES = {
    "tiny": FixtureSize(d_model=32, layers=2, heads=4, ffn=64, vocab_size=None),
    "opus-mt-ar-en": FixtureSize(d_model=512, layers=6, heads=8, ffn=2048, vocab_size=62834),
}


def _corpus_text() -> tuple[list[str], list[str]]:
    """Arabic and English lines of the TEXT_ARTICLES (article.ar.txt, reference.en.txt)."""
    ar: list[str] = []
    en: list[str] = []
    for name in TEXT_ARTICLES:
        article = data_file(name, "article.ar.txt")
        ref = data_file(name, "reference.en.txt")
        if article.is_file():
            ar += [x for x in article.read_text(encoding="utf-8-sig").splitlines() if x.strip()]
        if ref.is_file():
            en += [x for x in ref.read_text(encoding="utf-8").splitlines() if x.strip()]
    if not ar or not en:
        raise UserError(
            f"no text to train the fixture's SentencePiece models in {data_file()}; "
            "reinstall arabic-align"
        )
    return ar, en


def _train_spm(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        # A small corpus cannot support a large vocabulary; let SentencePiece stop short.
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        unk_id=0,
        bos_id=-1,
        eos_id=1,
        pad_id=-1,
        eos_piece="</s>",
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_fixture(
    out: str | Path,
    size: str = "tiny",
    seed: int = 0,
    model_max_length: int = 512,
    spm_vocab_size: int = 1000,
) -> Path:
    """Write a MarianMT model directory at ``out`` and return its path."""
    if size not in SIZES:
        raise UserError(f"unknown fixture size {size!r}; choose one of {', '.join(SIZES)}")
    spec = SIZES[size]
    given = Path(out)
    if given.is_symlink() and not given.exists():
        raise UserError(f"{given} is a symlink to nothing; give a folder for the fixture")
    final = given.resolve()  # "." and symlinks to folders name the folder they lead to
    if not utf8_path(final):
        raise UserError(
            f"the path of {given} is not UTF-8, and a model's tokenizer opens files by UTF-8 "
            "names only; choose another name"
        )
    if final.is_dir() and not final.is_symlink():
        _remove_killed_builds(final)
    elif not final.exists():
        _remove_killed_builds_beside(final)
    if final.exists() and not final.is_dir():
        raise UserError(f"{given} is {not_a_folder(final)}; give a new folder for the model")
    if final.exists() and any(final.iterdir()):
        raise UserError(f"{given} already exists and is not an empty directory; choose a new one")
    blocked = blocked_by(final.parent)
    if blocked:
        raise UserError(f"cannot create {given}: {blocked}")
    # Built in a hidden directory, then moved in: an interrupted build never leaves a
    # directory that loads as a model. The marker moves first, so a half-moved directory
    # either lacks a model file or says it is a fixture (never passes for a real model).
    # The build sits beside a new folder, or inside an empty one the user made (which may
    # be a mount point: a rename cannot cross into it).
    beside = not final.exists()  # a new folder: the build is moved in by one rename
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        where = final if final.exists() else final.parent
        build = Path(tempfile.mkdtemp(prefix=f".{temp_stem(final.name)}.", dir=where))
    except OSError as exc:
        raise UserError(f"cannot create {given}: {exc.strerror or exc}") from exc
    held = None
    try:
        with contextlib.suppress(OSError):  # (a file system without locks)
            held = lock_folder(build)  # a live build, never taken for a killed one
        _build(build, spec, size, seed, model_max_length, spm_vocab_size)
        for path in build.iterdir():  # (safetensors writes its file 0600)
            os.chmod(path, 0o666 & ~current_umask())
        if beside:
            # mkdtemp makes a 0700 folder; the model is as readable as any folder the user makes
            os.chmod(build, 0o777 & ~current_umask())
            try:
                build.rename(final)  # fails on a folder another build filled meanwhile
            except OSError:
                if final.exists():
                    raise UserError(
                        f"{given} was made by another build while this one ran; it is left "
                        "as that build made it"
                    ) from None
                raise
        else:  # an empty folder the user made: filled, keeping its own mode
            names = sorted(p.name for p in build.iterdir())
            names.remove(FIXTURE_MARKER)
            for name in (FIXTURE_MARKER, *names):
                (build / name).rename(final / name)
            build.rmdir()
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    finally:
        if held is not None:
            os.close(held)
    return final


def _remove_killed_builds(folder: Path) -> None:
    """A folder holding nothing but builds of ours that were killed (``.NAME.XXXXXXXX``
    folders, ``tempfile``'s eight characters: a build the kernel stopped never cleans up)
    is empty to the user: they are removed. A build another process is running (it holds
    its folder) is said in one sentence; anything else beside them keeps the folder as it
    is (and refused)."""
    ours = re.compile(re.escape(f".{temp_stem(folder.name)}.") + r"[a-z0-9_]{8}")
    try:
        entries = list(folder.iterdir())
    except OSError:
        return  # reported by the build itself
    if not entries or not all(
        ours.fullmatch(e.name) and e.is_dir() and not e.is_symlink() for e in entries
    ):
        return
    for e in entries:
        try:
            os.close(lock_folder(e))  # its builder holds it while it runs
        except BlockingIOError:
            raise UserError(
                f"another fixture build is writing to {folder}; wait for it to end"
            ) from None
        except OSError:
            return  # cannot tell: left as it is (and the folder refused as not empty)
    for e in entries:
        shutil.rmtree(e, ignore_errors=True)


def _remove_killed_builds_beside(final: Path) -> None:
    """The builds of a new folder sit beside it (``.NAME.XXXXXXXX``): those of a build the
    kernel stopped, which no process holds, are removed before building it again."""
    ours = re.compile(re.escape(f".{temp_stem(final.name)}.") + r"[a-z0-9_]{8}")
    try:
        entries = [e for e in final.parent.iterdir() if ours.fullmatch(e.name)]
    except OSError:
        return  # reported by the build itself
    for e in entries:
        if not e.is_dir() or e.is_symlink() or not _holds_only_a_build(e):
            continue  # a folder of the user's that happens to be named so is theirs
        try:
            os.close(lock_folder(e))  # its builder holds it while it runs
        except OSError:
            continue  # running, or cannot tell: left as it is
        shutil.rmtree(e, ignore_errors=True)


# What a build writes in its folder (``_build``): a killed build holds some of these only.
_BUILD_FILES = frozenset([
    "source.spm", "target.spm", "vocab.json", "config.json", "generation_config.json",
    "model.safetensors", "tokenizer_config.json", FIXTURE_MARKER, "README.md",
])  # fmt: skip


def _holds_only_a_build(folder: Path) -> bool:
    """Some files, each one a build writes (an empty folder may be a build just begun,
    not yet held)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    return bool(entries) and all(
        e.name in _BUILD_FILES and e.is_file() and not e.is_symlink() for e in entries
    )


def _build(
    out: Path, spec: FixtureSize, size: str, seed: int, model_max_length: int, spm_vocab_size: int
) -> None:
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    ar, en = _corpus_text()
    source_spm = _train_spm(ar, spm_vocab_size)
    target_spm = _train_spm(en, spm_vocab_size)
    (out / "source.spm").write_bytes(source_spm)
    (out / "target.spm").write_bytes(target_spm)

    # One joint vocabulary: </s> first (id 0), <unk>, every piece of both models, <pad> last.
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in _pieces(source_spm) + _pieces(target_spm):
        if piece not in vocab and piece not in ("<unk>", "<pad>"):
            vocab[piece] = len(vocab)
    target = (spec.vocab_size or len(vocab) + 1) - 1
    if len(vocab) > target:
        raise UserError(f"the corpus gives {len(vocab)} pieces, more than the {size} vocabulary")
    while len(vocab) < target:  # filler entries pad the vocabulary to the real size
        vocab[f"<fixture_{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    pad = vocab["<pad>"]
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=2), "utf-8")

    real = (known_model(DEFAULT_MODEL) or {}).get("config", {})
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=spec.d_model,
        encoder_layers=spec.layers,
        decoder_layers=spec.layers,
        encoder_attention_heads=spec.heads,
        decoder_attention_heads=spec.heads,
        encoder_ffn_dim=spec.ffn,
        decoder_ffn_dim=spec.ffn,
        activation_function="swish",
        max_position_embeddings=real.get("max_position_embeddings", 512),
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        bos_token_id=0,
        # Keys the real config.json carries from the transformers release that wrote it;
        # transformers 5 always uses static sinusoidal positions and ignores them.
        static_position_embeddings=True,
        normalize_embedding=False,
        normalize_before=False,
    )
    config.architectures = ["MarianMTModel"]
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        # transformers' init (std 0.02) makes a random Marian write the same token whatever
        # the input, which would hide ordering bugs; std 0.1 makes the gibberish depend on
        # the input. config.json keeps the real init_std: it only matters for training.
        for param in model.parameters():
            if param.dim() == 2:
                param.normal_(0.0, FIXTURE_WEIGHT_STD)
        # As in every converted Marian model, the <pad> embedding (the decoder's start
        # token) is zero; engines such as CTranslate2 rely on it ("start from a zero
        # embedding").
        model.get_input_embeddings().weight[pad].zero_()
        # Filler entries only pad the vocabulary to the real size; a real model never
        # writes such strings, so the fixture must not either.
        fillers = [i for piece, i in vocab.items() if piece.startswith("<fixture_")]
        if fillers:
            model.final_logits_bias[0, fillers] = -1e4
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad]],
        bos_token_id=0,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        max_length=real.get("max_length", 512),
        num_beams=real.get("num_beams", 4),
        pad_token_id=pad,
    )
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # ("Writing model shards": one file, no progress)
    model.save_pretrained(out, safe_serialization=True)

    tokenizer_config = {
        "tokenizer_class": "MarianTokenizer",
        "source_lang": "ar",
        "target_lang": "en",
        "separate_vocabs": False,
        "model_max_length": model_max_length,
        "unk_token": "<unk>",
        "eos_token": "</s>",
        "pad_token": "<pad>",
    }
    (out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2), "utf-8")
    MarianTokenizer.from_pretrained(out)  # fail here, not in the user's run, if the layout is off
    marker = {"fixture": True, "size": size, "seed": seed, "note": GIBBERISH}
    (out / FIXTURE_MARKER).write_text(json.dumps(marker, indent=2), "utf-8")
    (out / "README.md").write_text(
        f"# arabic-align fixture model ({size})\n\n"
        f"A MarianMT directory with the file layout of {DEFAULT_MODEL} and random weights "
        f"(seed {seed}), built by `arabic-align models fixture`.\n\n"
        f"**Its output is gibberish.** Use it to test pipelines offline, never to judge "
        f"translation quality.\n",
        "utf-8",
    )


def is_fixture(model_dir: str | Path) -> bool:
    return (Path(model_dir) / FIXTURE_MARKER).is_file()
