"""Run directories: what one run of the pipeline writes, and how it is known to be complete.

A run directory holds ``segments.jsonl``, ``scores.json``, ``hyp.txt``, ``ref.txt`` (when
there is a reference) and ``manifest.json``. Every file is written atomically (a temporary
file renamed into place) and the manifest goes last, listing every other file with its
SHA-256: a directory without a valid manifest is an unfinished run, whatever else it holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from align.errors import InputError, UserError

SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
RUN_FILES = (
    "segments.jsonl", "scores.json", "hyp.txt", "ref.txt", "aligned.hyp.txt", "aligned.ref.txt",
    "docalign.json", MANIFEST,
)  # fmt: skip


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600 files; a run is as readable as any file the user writes.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot sync a directory; the rename is still atomic
    finally:
        os.close(fd)


def dumps_jsonl(rows: Iterable[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def lines_file(lines: Iterable[str]) -> str:
    """One segment a line, as sacrebleu's CLI reads it; a newline inside a line would shift
    every later segment, so it is flattened to a space."""
    return "".join(line.replace("\r", " ").replace("\n", " ") + "\n" for line in lines)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_run_dir(run_dir: Path, force: bool = False) -> None:
    """Refuse to mix runs, before any slow work: an existing non-empty directory needs
    ``force``, and even then only a run directory (one with a manifest, or an unfinished
    one with nothing but run files) is overwritten, never a folder of other files. The
    directory is created and probed for writing, so a bad ``--out`` fails in a second, not
    after the translation."""
    if run_dir.exists() and not run_dir.is_dir():
        raise UserError(f"--out {run_dir} is a file; give a directory for the run")
    if run_dir.is_dir():
        present = {p.name for p in run_dir.iterdir()}
        if present and not force:
            raise UserError(
                f"--out {run_dir} already exists and is not empty; "
                "choose a new directory or pass --force to overwrite it"
            )
        foreign = {n for n in present if n not in RUN_FILES and not n.startswith(".")}
        if foreign:
            raise UserError(
                f"--out {run_dir} holds files that are not part of a run "
                f"({', '.join(sorted(foreign)[:3])}); choose another directory"
            )
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=run_dir, prefix=".probe."):
            pass
    except OSError as exc:
        raise UserError(f"cannot write the run to {run_dir}: {exc.strerror or exc}") from exc


def check_output_file(path: Path, option: str) -> None:
    """Probe that ``path`` can be written (its folder is created), before any slow work."""
    if path.is_dir():
        raise UserError(f"{option} {path} is a directory; give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".probe."):
            pass
    except OSError as exc:
        raise UserError(f"cannot write {option} {path}: {exc.strerror or exc}") from exc


def remove_stale_temps(folder: Path) -> None:
    """Delete what a killed writer left: our atomic writes' ``.NAME.*.tmp`` files and write
    probes. Only for folders that one job writes at a time."""
    if folder.is_dir():
        for p in folder.iterdir():
            if (
                p.is_file()
                and p.name.startswith(".")
                and (p.name.endswith(".tmp") or p.name.startswith(".probe."))
            ):
                p.unlink(missing_ok=True)


def prepare_run_dir(run_dir: Path, force: bool = False) -> None:
    """Make the directory ready for writing; an old manifest goes first, so the directory
    never looks complete while it is rewritten."""
    check_run_dir(run_dir, force)
    (run_dir / MANIFEST).unlink(missing_ok=True)
    for name in RUN_FILES:
        (run_dir / name).unlink(missing_ok=True)
    remove_stale_temps(run_dir)


def finish_run(run_dir: Path, manifest: dict) -> dict:
    """Write the manifest last, with the hash of every file the run wrote."""
    manifest = dict(manifest)
    manifest["files"] = {
        name: sha256_file(run_dir / name)
        for name in RUN_FILES
        if name != MANIFEST and (run_dir / name).is_file()
    }
    atomic_write_text(run_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def read_manifest(run_dir: Path) -> dict:
    """The manifest of a complete run; a clear error for an unfinished or foreign one."""
    path = Path(run_dir) / MANIFEST
    if not path.is_file():
        raise InputError(f"{run_dir} is not a complete run directory (no {MANIFEST})")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{path} is not valid JSON") from exc
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise InputError(
            f"{run_dir} has run schema version {version}; this arabic-align reads "
            f"version {SCHEMA_VERSION}"
        )
    return manifest


def is_complete(run_dir: Path) -> bool:
    """True when the manifest is valid and every file it lists still has its hash."""
    try:
        manifest = read_manifest(run_dir)
    except InputError:
        return False
    return all(
        (Path(run_dir) / name).is_file() and sha256_file(Path(run_dir) / name) == digest
        for name, digest in manifest.get("files", {}).items()
    )
