"""Load a MarianMT model and tokenizer from a hub id or a local directory.

This is the code that loads the real ``Helsinki-NLP/opus-mt-ar-en`` on a user's machine:
the hub snapshot is resolved to a local directory first (so that its files can be hashed
into the run manifest and, later, converted), then loaded with transformers, never with
``trust_remote_code``. A model that cannot be had stops the run with one sentence that says
how to point ``--model`` at a local copy: there is no fallback to any other model.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from align.errors import JobError, ModelUnavailable
from align.model.fixture import FIXTURE_MARKER, is_fixture
from align.model.registry import layout
from align.records import loads_json, not_a_folder, sha256_file, utf8_path

HUB_PATTERNS = ["*.json", "*.spm", "model.safetensors", "README.md"]
# The hub client's command for the same files (its --include takes one pattern a time).
HOW_TO = (
    "download it on a connected machine (for example `hf download {model} --include '*.json' "
    "--include '*.spm' --include '*.safetensors' --include pytorch_model.bin --local-dir DIR`) "
    "and pass --model DIR (to try the tool without it: `arabic-align models fixture DIR`, "
    "a model that writes gibberish)"
)


@dataclass
class LoadedModel:
    model_id: str  # what the user asked for: a hub id or a path
    path: Path  # the local directory the files were loaded from
    model: Any  # MarianMTModel, or None when loaded without weights
    tokenizer: Any  # MarianTokenizer
    device: str
    config: Any = None  # MarianConfig
    generation_config: Any = None  # GenerationConfig
    revision: str | None = None
    file_hashes: dict[str, str] = field(default_factory=dict)
    fixture: bool = False
    warnings: list[str] = field(default_factory=list)  # said by a run, kept in its manifest

    @property
    def model_hash(self) -> str:
        """One hash over every file of the model, names included."""
        h = hashlib.sha256()
        for name, digest in sorted(self.file_hashes.items()):
            h.update(f"{name}:{digest}\n".encode())
        return h.hexdigest()

    def info(self) -> dict:
        return {
            "model": self.model_id,
            "path": str(self.path),
            "revision": self.revision,
            "model_hash": self.model_hash,
            "file_hashes": self.file_hashes,
            "fixture": self.fixture,
            "device": self.device,
        }


def hash_files(directory: Path) -> dict[str, str]:
    """SHA-256 of the files a model is loaded from (not of everything a hub repository holds,
    such as TensorFlow or Rust weights that are never read)."""
    spec = layout()
    names = [*spec["required"], *spec["weights_any_of"], *spec["optional"], FIXTURE_MARKER]
    return {n: sha256_file(directory / n) for n in sorted(set(names)) if (directory / n).is_file()}


def _looks_like_path(model: str) -> bool:
    """Hub ids are ``name`` or ``owner/name``; anything else is meant as a path."""
    if os.sep != "/" and os.sep in model:
        return True
    return model.startswith((".", "/", "~")) or model.count("/") > 1


def check_layout(directory: Path, model: str) -> None:
    spec = layout()
    names = [*spec["required"], *spec["weights_any_of"], *spec["optional"], FIXTURE_MARKER]
    for name in names:
        path = directory / name
        if os.path.lexists(path) and not path.is_file():
            # A device or a pipe in a model directory would be read (and hashed) for ever.
            raise ModelUnavailable(f"{path} in --model {model} is not a regular file")
    missing = [name for name in spec["required"] if not (directory / name).is_file()]
    weights = spec["weights_any_of"]
    if not any((directory / name).is_file() for name in weights):
        missing.append(" or ".join(weights))
    if missing:
        raise ModelUnavailable(
            f"{model} is not a MarianMT model directory: it lacks {', '.join(missing)}"
        )


# Sizes and token ids a model file gives as numbers: a string or a negative number there
# would surface later as a TypeError deep in an engine.
_WHOLE_NUMBERS = (
    "vocab_size", "decoder_vocab_size", "d_model", "encoder_layers", "decoder_layers",
    "encoder_attention_heads", "decoder_attention_heads", "encoder_ffn_dim", "decoder_ffn_dim",
    "max_position_embeddings", "pad_token_id", "decoder_start_token_id", "bos_token_id",
    "model_max_length", "max_length", "num_beams",
)  # fmt: skip


# Of those, the sizes and limits a model cannot have as 0 (a token id can be 0).
_COUNTS = frozenset(_WHOLE_NUMBERS) - {
    "pad_token_id", "decoder_start_token_id", "bos_token_id",
}  # fmt: skip


def _check_numbers(values: dict, where: Path | str) -> None:
    for key in _WHOLE_NUMBERS:
        value = values.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ModelUnavailable(f"{where} gives {key} as {value!r}, not a whole number")
        if value == 0 and key in _COUNTS:
            raise ModelUnavailable(f"{where} gives {key} as 0, which no model can have")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _check_generation(generation, vocab_size: int | None, where: Path) -> None:
    """The generation settings both engines take from the model, checked as the numbers
    are: a string penalty or a token id outside the vocabulary would surface as a
    TypeError or an IndexError inside an engine, mid-translation."""
    for key in ("length_penalty", "repetition_penalty"):
        value = getattr(generation, key, None)
        if value is not None and not _is_number(value):
            raise ModelUnavailable(f"{where} gives {key} as {value!r}, not a number")
    if not (getattr(generation, "repetition_penalty", None) or 1) > 0:
        raise ModelUnavailable(f"{where} gives repetition_penalty as 0 or less")
    ngram = getattr(generation, "no_repeat_ngram_size", None)
    if ngram is not None and (isinstance(ngram, bool) or not isinstance(ngram, int) or ngram < 0):
        raise ModelUnavailable(
            f"{where} gives no_repeat_ngram_size as {ngram!r}, not a whole number"
        )
    _check_token_ids(generation, vocab_size, where)
    bad = getattr(generation, "bad_words_ids", None)
    if bad is None:
        return
    if not (
        isinstance(bad, list)
        and all(isinstance(seq, list) and seq for seq in bad)
        and all(_is_token(t, vocab_size) for seq in bad for t in seq)
    ):
        raise ModelUnavailable(
            f"{where} gives bad_words_ids as {str(bad)[:60]}, not lists of token ids of its "
            f"vocabulary ({vocab_size} tokens)"
        )


# The token ids a decoder starts, pads, ends or is forced to end with: one outside the
# vocabulary is an IndexError inside an engine's embedding or logits, mid-translation, or
# (an end never written) sentences that run to the length cap.
_TOKEN_IDS = (
    "pad_token_id", "bos_token_id", "eos_token_id", "decoder_start_token_id",
    "forced_bos_token_id", "forced_eos_token_id",
)  # fmt: skip


def _getter(settings):
    """Settings read alike from config.json's dict and from transformers' config objects."""
    if isinstance(settings, dict):
        return settings.get
    return lambda key: getattr(settings, key, None)


def _check_fit(tokenizer, config, path: Path) -> None:
    """The tokenizer's ids within the model's vocabulary: otherwise an IndexError in the
    embedding mid-translation. (Lengths past the model's positions are capped where the
    engines read them: ``max_input_tokens``, ``max_new_tokens_limit``.)"""
    size = getattr(config, "vocab_size", None)
    ids = tokenizer.get_vocab().values()
    top = max(ids, default=-1)
    if isinstance(size, int) and top >= size:
        raise ModelUnavailable(
            f"the vocabulary files in {path} hold token ids up to {top}, past the "
            f"{size} tokens of the model its config.json describes"
        )
    # One vocabulary for both sides (Marian's usual vocab.json): fewer tokens than the
    # model's would let it write ids that no token has, an IndexError when its output is
    # read, and the attention aligner would read the model with the wrong pieces.
    # vocab.json's ids and the added tokens' (a model fine-tuned with tokens of its own
    # has them past vocab.json's; an added token spelled as one of vocab.json's hides its id
    # from get_vocab)
    vocab = getattr(tokenizer, "encoder", None)
    held = len({*ids, *(vocab.values() if isinstance(vocab, dict) else ())})
    joint = not getattr(tokenizer, "separate_vocabs", False) and (
        _vocabulary_size(config) in (None, size)
    )
    if joint and isinstance(size, int) and held < size:
        raise ModelUnavailable(
            f"the vocabulary files in {path} hold {held:,} tokens, fewer than the {size:,} "
            "of the model its config.json describes: they are not this model's vocabulary"
        )


def _vocabulary_size(config) -> int | None:
    """The decoder's vocabulary (Marian models may give the decoder its own)."""
    get = _getter(config)
    size = get("decoder_vocab_size") or get("vocab_size")
    return size if isinstance(size, int) and not isinstance(size, bool) else None


def _is_token(value, size: int | None) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= 0
        and (size is None or value < size)
    )


def _check_token_ids(settings, size: int | None, where: Path | str) -> None:
    get = _getter(settings)
    for key in _TOKEN_IDS:
        value = get(key)
        if value is None:
            continue
        ids = value if isinstance(value, list) else [value]  # eos may be several ids
        if not ids or not all(_is_token(t, size) for t in ids):
            raise ModelUnavailable(
                f"{where} gives {key} as {str(value)[:60]}, not a token id of its vocabulary "
                f"({size} tokens)"
            )


@contextmanager
def quiet_transformers():
    """transformers' own logging held to errors (its load report of the weights' keys is a
    coloured table; the loader says what matters in one sentence)."""
    from transformers.utils import logging as hf_logging

    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)


def load_weights(path: Path):
    """The MarianMTModel in ``path``, and a warning (or None) for weights of the file that fit
    no parameter of the model its config.json describes (they are left out). Weights the
    model needs and the file lacks would be made up at random by transformers, a model
    that looks loaded and writes nonsense: refused in one sentence."""
    from transformers import MarianMTModel

    try:
        with quiet_transformers():  # its report of the keys is said here, in one sentence
            net, info = MarianMTModel.from_pretrained(
                path, trust_remote_code=False, output_loading_info=True
            )
    except Exception as exc:  # a corrupt or foreign file fails in many ways
        raise _cannot_load(exc, path) from exc
    missing = sorted(info.get("missing_keys") or ())
    if missing:
        raise ModelUnavailable(
            f"the weights in {path} do not fit the MarianMT model its config.json describes: "
            f"{len(missing)} of its parameters are not in them ({missing[0]}"
            + (", …" if len(missing) > 1 else "")
            + "), and would be random"
        )
    unexpected = sorted(info.get("unexpected_keys") or ())
    warning = None
    if unexpected:
        warning = (
            f"{len(unexpected)} weight(s) in {path} fit no parameter of the model its "
            f"config.json describes and were left out ({unexpected[0]}"
            + (", …" if len(unexpected) > 1 else "")
            + ")"
        )
    return net, warning


# The JSON files MarianTokenizer reads beside its SentencePiece models.
_TOKENIZER_JSON = (
    "vocab.json", "target_vocab.json", "tokenizer_config.json", "special_tokens_map.json",
    "added_tokens.json",
)  # fmt: skip


def _torch_file(path: Path) -> bool:
    """Whether ``path`` starts as torch.save writes: a zip archive, or (the legacy format) a
    pickle's protocol mark. (Another file fails inside torch as a KeyError or an
    UnpicklingError, which name no file.)"""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return True  # (said as it is by the loader)
    return head.startswith((b"PK\x03\x04", b"\x80"))


def _cannot_load(exc: Exception, path: Path) -> ModelUnavailable:
    """One sentence for a load that failed: the two ways a PyTorch pickle of weights fails
    said plainly (torch's own messages run to paragraphs, or name no file)."""
    pickle = path / "pytorch_model.bin"
    text = str(exc)
    if "weights_only" in text or "Weights only load failed" in text:
        return ModelUnavailable(
            f"{pickle} holds more than plain weights, and loading it would run code it "
            "carries; use a copy of the model with model.safetensors"
        )
    if pickle.is_file() and not (path / "model.safetensors").is_file() and (
        isinstance(exc, OSError | EOFError) or "zip" in text.lower() or not _torch_file(pickle)
    ):  # fmt: skip
        return ModelUnavailable(
            f"{pickle} cannot be read as PyTorch weights ({type(exc).__name__}: "
            f"{text.strip().splitlines()[0][:120] if text.strip() else 'no reason given'}); "
            "it may be cut short: download it again"
        )
    if "ignore_mismatched_sizes" in text or "size mismatch" in text:
        return ModelUnavailable(
            f"the weights in {path} do not have the sizes its config.json gives: one of them "
            "was changed, or they belong to different models"
        )
    first = text.strip().split("\n")[0][:200]
    return ModelUnavailable(f"cannot load the model in {path} ({type(exc).__name__}: {first})")


def resolve(model: str) -> tuple[Path, str | None]:
    """A local directory holding the model's files, and the hub revision when from the hub."""
    local = Path(model).expanduser()
    if local.exists():
        if not local.is_dir():
            raise ModelUnavailable(
                f"the model {model} is {not_a_folder(local)}; give a model directory or hub id"
            )
        if not utf8_path(local):
            raise ModelUnavailable(
                f"the path of --model {model} is not UTF-8, and the tokenizer opens files by "
                "UTF-8 names only; rename the folder"
            )
        check_layout(local, model)
        return local, None
    if _looks_like_path(model):
        raise ModelUnavailable(f"there is no model directory at {model}; check the --model path")
    return _from_hub(model)


def _from_hub(model: str) -> tuple[Path, str | None]:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError

    try:
        path = Path(snapshot_download(model, allow_patterns=HUB_PATTERNS))
        if not (path / "model.safetensors").is_file():
            # Older repositories have only PyTorch pickles; transformers loads them with
            # torch's weights_only loader.
            path = Path(snapshot_download(model, allow_patterns=[*HUB_PATTERNS, "*.bin"]))
    except HFValidationError as exc:
        raise ModelUnavailable(f"{model!r} is neither a model directory nor a hub id") from exc
    except Exception as exc:  # the hub client raises many kinds for "offline" and "not found"
        parent = Path(model).expanduser().parent
        if parent != Path(".") and parent.is_dir():  # models/tiny, with a models/ folder here
            raise ModelUnavailable(
                f"there is no model directory at {model} (the folder {parent} has no "
                f"{Path(model).name}), and the hub cannot give a model of that name "
                f"({type(exc).__name__}): check the --model path, or, for a hub model, "
                + HOW_TO.format(model=model)
            ) from exc
        raise ModelUnavailable(
            f"cannot get model {model!r} from the hub ({type(exc).__name__}): "
            + HOW_TO.format(model=model)
        ) from exc
    check_layout(path, model)
    return path, path.name  # snapshots live in .../snapshots/<commit>


DEVICES = ("auto", "cpu", "cuda")


def pick_device(device: str | None = None) -> str:
    """ "auto" (or None): CUDA when torch sees a CUDA device, else the CPU."""
    import torch

    device = device or "auto"
    if device not in DEVICES:
        raise JobError(f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    if device == "cuda" and not torch.cuda.is_available():
        raise JobError("--device cuda was asked for, but torch sees no CUDA device here")
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def load_marian(model: str, device: str | None = None, weights: bool = True) -> LoadedModel:
    """Load MarianMTModel and MarianTokenizer; raise ModelUnavailable with one clear sentence.

    ``weights=False`` loads the tokenizer and configuration only (``model`` is None): what an
    engine that runs its own converted copy (CTranslate2) needs, at a fraction of the memory.
    """
    path, revision = resolve(model)  # before importing transformers: bad paths fail fast
    from transformers import GenerationConfig, MarianConfig, MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        config = loads_json((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"{path / 'config.json'} is not readable JSON") from exc
    if not isinstance(config, dict):
        raise ModelUnavailable(
            f"{path / 'config.json'} is not a model configuration (a JSON object): the "
            "directory is not a MarianMT model"
        )
    if "model_type" not in config:
        raise ModelUnavailable(
            f"{path / 'config.json'} names no model_type: it is not the configuration of a "
            "MarianMT model as the hub writes it"
        )
    if config.get("model_type") != "marian":
        raise ModelUnavailable(
            f"{model} holds a {config.get('model_type')!r} model, not a MarianMT model"
        )
    _check_numbers(config, path / "config.json")
    _check_token_ids(config, _vocabulary_size(config), path / "config.json")
    for name in _TOKENIZER_JSON:  # (the tokenizer's JSON errors name no file)
        if (path / name).is_file():
            try:
                loads_json((path / name).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ModelUnavailable(f"{path / name} is not readable JSON") from exc
    generation_file = path / "generation_config.json"
    if generation_file.is_file():  # transformers would fall back to config.json unsaid
        try:
            found = loads_json(generation_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"{generation_file} is not readable JSON") from exc
        if not isinstance(found, dict):
            raise ModelUnavailable(f"{generation_file} is not a JSON object of settings")
    device = pick_device(device)
    warnings = []
    try:
        tokenizer = MarianTokenizer.from_pretrained(path)
        net = None
        if weights:
            net, warning = load_weights(path)
            net = net.to(device).eval()
            warnings += [warning] if warning else []
            config, generation = net.config, net.generation_config
        else:
            config = MarianConfig.from_pretrained(path)
            generation = GenerationConfig.from_model_config(config)
            if (path / "generation_config.json").is_file():
                generation = GenerationConfig.from_pretrained(path)
    except ModelUnavailable:
        raise
    except Exception as exc:  # a corrupt or foreign directory fails in many ways
        raise _cannot_load(exc, path) from exc
    limits = {
        "model_max_length": tokenizer.model_max_length,
        "max_length": getattr(generation, "max_length", None),
        "num_beams": getattr(generation, "num_beams", None),
    }
    _check_numbers(limits, path / "tokenizer_config.json or generation_config.json")
    for key, value in limits.items():  # a segment's tokens, then the end of sentence
        if key != "num_beams" and value == 1:
            raise ModelUnavailable(
                f"{path} gives {key} as 1, which leaves no token for a segment beside </s>"
            )
    _check_generation(generation, _vocabulary_size(config), path / "generation_config.json")
    _check_fit(tokenizer, config, path)
    return LoadedModel(
        model_id=model,
        path=path,
        model=net,
        tokenizer=tokenizer,
        device=device,
        config=config,
        generation_config=generation,
        revision=revision,
        file_hashes=hash_files(path),
        fixture=is_fixture(path),
        warnings=warnings,
    )
