"""Fixture models carry the real model's file layout (and, at opus size, its architecture)."""

import json

import pytest
import sentencepiece as spm

from align.cli import main
from align.errors import UserError
from align.model.fixture import FIXTURE_MARKER, build_fixture
from align.model.load import load_marian
from align.model.registry import DEFAULT_MODEL, known_model

LAYOUT = {
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "source.spm",
    "target.spm",
    "vocab.json",
    "tokenizer_config.json",
    "README.md",
}


def check_vocab(model_dir, size: int | None) -> None:
    vocab = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
    assert vocab["</s>"] == 0 and "<unk>" in vocab
    assert vocab["<pad>"] == len(vocab) - 1  # <pad> last, as in the real model
    assert sorted(vocab.values()) == list(range(len(vocab)))
    for name in ("source.spm", "target.spm"):
        sp = spm.SentencePieceProcessor(model_file=str(model_dir / name))
        pieces = {sp.id_to_piece(i) for i in range(sp.get_piece_size())}
        assert pieces <= set(vocab), f"{name} has pieces missing from vocab.json"
    if size is not None:
        assert len(vocab) == size


def test_tiny_fixture_layout_and_load(tiny_model):
    assert {p.name for p in tiny_model.iterdir()} >= LAYOUT
    assert (tiny_model / FIXTURE_MARKER).is_file()
    assert "gibberish" in (tiny_model / "README.md").read_text()
    check_vocab(tiny_model, None)
    loaded = load_marian(str(tiny_model))
    assert loaded.fixture
    assert loaded.tokenizer.model_max_length == 512
    assert loaded.tokenizer.separate_vocabs is False
    ids = loaded.tokenizer("قال المتحدث باسم مجلس الأمن").input_ids
    assert ids[-1] == 0 and loaded.tokenizer.unk_token_id not in ids


def test_opus_sized_fixture_has_the_real_architecture(opus_model):
    check_vocab(opus_model, 62834)
    real = known_model(DEFAULT_MODEL)["config"]
    config = json.loads((opus_model / "config.json").read_text())
    for key, value in real.items():
        if key in ("max_length", "num_beams", "bad_words_ids"):
            continue  # these live in generation_config.json in transformers 5
        assert config[key] == value, key
    assert config["architectures"] == ["MarianMTModel"]
    generation = json.loads((opus_model / "generation_config.json").read_text())
    assert generation["num_beams"] == 4 and generation["max_length"] == 512
    assert generation["bad_words_ids"] == [[62833]]
    loaded = load_marian(str(opus_model))
    params = sum(p.numel() for p in loaded.model.parameters())
    assert 74_000_000 < params < 80_000_000  # about 77M, like opus-mt-ar-en


def test_fixture_refuses_a_non_empty_directory(tmp_path, capsys):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    assert main(["models", "fixture", str(tmp_path / "x")]) == 2
    assert "not an empty directory" in capsys.readouterr().err
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


def test_fixture_refuses_a_file_and_leaves_nothing_behind(tmp_path, capsys):
    (tmp_path / "f").write_text("mine")
    assert main(["models", "fixture", str(tmp_path / "f")]) == 2
    assert f"{tmp_path / 'f'} is a file; give a new folder" in capsys.readouterr().err
    assert main(["models", "fixture", str(tmp_path / "f" / "sub")]) == 2
    err = capsys.readouterr().err  # (mkdir said "File exists" of the folder to make)
    assert "Traceback" not in err and f"{tmp_path / 'f'} is a file, not a folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_interrupted_fixture_build_leaves_no_model(tmp_path, monkeypatch):
    import align.model.fixture as fixture

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fixture, "_train_spm", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_fixture(tmp_path / "m")
    assert list(tmp_path.iterdir()) == []


def test_a_build_overtaken_by_another_leaves_that_builds_model(tmp_path, monkeypatch, capsys):
    # Two builds into one new folder: the second moved its files over the first's.
    import align.model.fixture as fixture

    real = fixture._build
    final = tmp_path / "m"

    def overtaken(build, *args, **kwargs):
        real(build, *args, **kwargs)
        final.mkdir()  # the other build, done first
        (final / "theirs").write_text("the other build's model")

    monkeypatch.setattr(fixture, "_build", overtaken)
    assert main(["models", "fixture", str(final)]) == 2
    err = capsys.readouterr().err
    assert "was made by another build while this one ran" in err and "Traceback" not in err
    assert [p.name for p in final.iterdir()] == ["theirs"]
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # this build's folder is gone


def test_fixture_command_says_gibberish(tmp_path, capsys):
    assert main(["models", "fixture", str(tmp_path / "m"), "--seed", "3"]) == 0
    assert "gibberish" in capsys.readouterr().err
    marker = json.loads((tmp_path / "m" / FIXTURE_MARKER).read_text())
    assert marker["seed"] == 3 and marker["size"] == "tiny"


def test_fixture_is_reproducible(tmp_path, tiny_model):
    again = build_fixture(tmp_path / "again", size="tiny", seed=0)
    for name in ("model.safetensors", "vocab.json", "config.json"):
        assert (again / name).read_bytes() == (tiny_model / name).read_bytes(), name


@pytest.mark.parametrize("size", ["huge"])
def test_unknown_size_is_a_user_error(tmp_path, size):

    with pytest.raises(UserError, match="unknown fixture size"):
        build_fixture(tmp_path / "m", size=size)


def test_load_without_weights_keeps_tokenizer_and_configs(tiny_model):
    full = load_marian(str(tiny_model))
    light = load_marian(str(tiny_model), weights=False)
    assert light.model is None
    assert light.config.to_diff_dict() | {"_name_or_path": ""} == full.config.to_diff_dict() | {
        "_name_or_path": ""
    }
    assert light.generation_config.to_dict() == full.generation_config.to_dict()
    assert light.model_hash == full.model_hash
    text = "قال المتحدث باسم مجلس الأمن"
    assert light.tokenizer(text).input_ids == full.tokenizer(text).input_ids


def test_every_file_the_tokenizer_reads_is_in_the_model_hash(tiny_model, tmp_path):
    # added tokens change the pieces, hence the translations: a model hash without them
    # would serve a stale cached translation and reuse a stale conversion
    import json
    import shutil

    text = "قال المتحدث باسم مجلس الأمن"
    before = load_marian(str(tiny_model), weights=False)
    other = tmp_path / "other"
    shutil.copytree(tiny_model, other)
    added = {w: 300 + k for k, w in enumerate(text.split())}
    (other / "added_tokens.json").write_text(json.dumps(added, ensure_ascii=False))
    after = load_marian(str(other), weights=False)
    assert after.tokenizer(text).input_ids != before.tokenizer(text).input_ids
    assert "added_tokens.json" in after.file_hashes
    assert after.model_hash != before.model_hash


def test_an_empty_folder_is_filled_from_inside(tmp_path, monkeypatch, tiny_model):
    """An empty folder the user made may be a mount point (a Docker volume, a new disk): the
    build never renames across into it, and an interrupted one leaves it empty."""
    import errno
    from pathlib import Path

    import align.model.fixture as fixture

    target = tmp_path / "volume"
    target.mkdir()
    real_rename = Path.rename

    def rename(self, dest):
        inside = target in Path(self).parents, target in Path(dest).parents
        if inside[0] != inside[1]:  # as the kernel says for another file system
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_rename(self, dest)

    monkeypatch.setattr(Path, "rename", rename)
    path = build_fixture(target)
    assert path == target.resolve()
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in tiny_model.iterdir())
    assert (target / "model.safetensors").read_bytes() == (
        tiny_model / "model.safetensors"
    ).read_bytes()

    again = tmp_path / "other"
    again.mkdir()

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fixture, "_train_spm", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_fixture(again)
    assert list(again.iterdir()) == []
    monkeypatch.undo()

    # A build killed outright leaves its hidden folder inside: the next build clears it, but
    # only when nothing else is there.
    killed = again / ".other.a1b2c3d4"
    killed.mkdir()
    (killed / "vocab.json").write_text("{}")
    build_fixture(again)
    assert not killed.exists() and (again / "config.json").is_file()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / ".mine.a1b2c3d4").mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="not an empty directory"):
        build_fixture(mine)
    assert (mine / ".mine.a1b2c3d4").is_dir() and (mine / "notes.txt").read_text() == "mine"


def test_a_path_that_is_not_utf8_is_one_sentence(tmp_path, capsys, tiny_model):
    """SentencePiece opens files by UTF-8 names only: such a fixture folder or --model is
    refused in one sentence, not a traceback from the tokenizer."""
    import os
    import shutil

    bad = os.fsdecode(os.fsencode(tmp_path) + b"/model\xff")
    assert main(["models", "fixture", bad]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert sorted(os.listdir(tmp_path)) == []
    shutil.copytree(tiny_model, bad)
    (tmp_path / "a.txt").write_text("كتاب\n", encoding="utf-8")
    (tmp_path / "e.txt").write_text("book\n", encoding="utf-8")
    files = ["--src", str(tmp_path / "a.txt"), "--tgt", str(tmp_path / "e.txt")]
    code = main(["links", *files, "--out", str(tmp_path / "o.ph"), "--method", "attention",
                 "--model", bad])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "not UTF-8" in err and "Traceback" not in err
    assert not (tmp_path / "o.ph").exists()


def test_a_build_running_in_the_folder_is_left_to_it(tmp_path, capsys):
    """Two `models fixture` into one empty folder: the second sees the first's build held
    and says so in one sentence, leaving it alone."""
    import os

    from align.records import lock_folder

    target = tmp_path / "fx"
    target.mkdir()
    running = target / ".fx.a1b2c3d4"
    running.mkdir()
    (running / "source.spm").write_bytes(b"being written")
    held = lock_folder(running)  # the other build, running
    try:
        assert main(["models", "fixture", str(target)]) == 2
        err = capsys.readouterr().err
        assert "another fixture build is writing" in err and "Traceback" not in err
        assert (running / "source.spm").read_bytes() == b"being written"
    finally:
        os.close(held)


def test_a_killed_build_beside_a_new_folder_is_removed_and_a_running_one_kept(tmp_path):
    """A build of a new folder sits beside it; killed (no process holds it), it is removed
    when the folder is built again, while another process's running build is left alone."""
    import os
    import stat

    from align.records import lock_folder

    killed = tmp_path / ".fx.k1ll3d00"
    killed.mkdir()
    (killed / "source.spm").write_bytes(b"written")
    (killed / "model.safetensors").write_bytes(b"half written")
    running = tmp_path / ".fx.runn1ng0"
    running.mkdir()
    (running / "source.spm").write_bytes(b"being written")
    # a user's folders named like builds: not builds (other files, or nothing yet)
    (tmp_path / ".fx.settings").mkdir()
    (tmp_path / ".fx.settings" / "notes.txt").write_text("mine")
    (tmp_path / ".fx.backup_1").mkdir()
    held = lock_folder(running)
    try:
        path = build_fixture(tmp_path / "fx")
    finally:
        os.close(held)
    assert not killed.exists() and running.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".fx.backup_1",
        ".fx.runn1ng0",
        ".fx.settings",
        "fx",
    ]
    assert (tmp_path / ".fx.settings" / "notes.txt").read_text() == "mine"
    # every file as readable as the folder the user makes (safetensors writes 0600)
    mask = os.umask(0)
    os.umask(mask)
    assert {stat.S_IMODE(p.stat().st_mode) for p in path.iterdir()} == {0o666 & ~mask}
