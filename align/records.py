"""Run directories: what one run of the pipeline writes, and how it is known to be complete.

A run directory holds ``segments.jsonl``, ``scores.json``, ``hyp.txt``, ``ref.txt`` (when
there is a reference) and ``manifest.json``. Every file is written atomically (a temporary
file renamed into place) and the manifest goes last, listing every other file with its
SHA-256: a directory without a valid manifest is an unfinished run, whatever else it holds.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from align.errors import InputError, OutputError, option

# Schema 4 scores a bead of a translation given in document layout that holds several
# segments as one pair against a line reference (``align.run.translation_groups``); a run of
# an earlier schema was scored segment by segment, and is read back so. Schema 3 adds each
# translated segment's findings (``align.checks``) to segments.jsonl and
# the names of the checks run to the manifest; schema 2 keeps the document alignment only in
# docalign.json and the warnings only in the manifest; schema 1 runs (which also copied them
# into scores.json) are still read. Runs of schema 1 and 2 are read without findings.
SCHEMA_VERSION = 4
READABLE_SCHEMAS = (1, 2, 3, 4)
# The one setting of the tool's cache folder (``cache_root``).
CACHE_ENV = "ARABIC_ALIGN_CACHE"
MANIFEST = "manifest.json"
RUN_FILES = (
    "segments.jsonl", "scores.json", "hyp.txt", "ref.txt", "aligned.hyp.txt", "aligned.ref.txt",
    "docalign.json", "scored.hyp.txt", "scored.ref.txt", MANIFEST,
)  # fmt: skip
# A person's review of a run lives beside it (``arabic-align review``). It is their work, not
# ours: nothing removes it, ``--force`` included.
REVIEW_SNAPSHOT = "review.json"
REVIEW_JOURNAL = "review.journal.jsonl"
REVIEW_FILES = (REVIEW_SNAPSHOT, REVIEW_JOURNAL)
# What a batch keeps beside its run folders.
BATCH_FILES = ("batch.json", "summary.jsonl", "corpus.json", "links.json", "translations.jsonl")
# A run's files are renamed into place with this file in the folder (naming the run's
# files), removed once the manifest is there: a folder whose swap was stopped (a kill
# between two renames) holds it beside its run files and no manifest, and so is provably a
# run to write again.
SWAPPING = ".arabic-align-swapping"
# The temporary files a writer of ours leaves when it is killed: ``.NAME.XXXXXXXX.tmp`` (an
# atomic write of one of our files) and ``.probe.XXXXXXXX`` (a write probe), where
# XXXXXXXX is tempfile's eight random characters. Only these are ever removed as leftovers;
# any other file, dotfiles included, is someone else's.
_TOOL_TEMP = re.compile(
    r"\.(?:"
    + "|".join(re.escape(n) for n in (*RUN_FILES, *REVIEW_FILES, *BATCH_FILES, SWAPPING))
    + r")\.[a-z0-9_]{8}\.tmp|\.probe\.[a-z0-9_]{8}"
)  # fmt: skip


def is_tool_temp(name: str) -> bool:
    return _TOOL_TEMP.fullmatch(name) is not None


def current_umask() -> int:
    """The process's umask (the mode bits a new file or folder is made without): files written
    through a temporary file and renamed get the mode a plain ``open`` would have given them."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


# The longest file name most file systems take (NAME_MAX), in bytes, and what a temporary
# adds to the name it stands for: a dot before, a dot and eight random characters after,
# and ".tmp".
_NAME_MAX = 255
_TEMP_ADDS = 14


def temp_stem(name: str) -> str:
    """``name``, cut so that its temporary's name fits the file system's limit: a name of
    242 to 255 bytes is a valid output, and its temporary must not make it "too long"."""
    while name and len(os.fsencode(name)) > _NAME_MAX - _TEMP_ADDS:
        name = name[:-1]
    return name


def _mode_of(path: Path) -> int:
    """The permissions for a new ``path``: those of the regular file it replaces, else the
    umask's."""
    try:
        st = os.lstat(path)
    except OSError:
        st = None
    if st is not None and stat.S_ISREG(st.st_mode):
        return stat.S_IMODE(st.st_mode) & 0o777  # (no setuid, setgid or sticky bit)
    return 0o666 & ~current_umask()


def _write_temp(path: Path, text: str | bytes) -> str:
    """``text`` (UTF-8) or bytes in a synced temporary file beside ``path``; returns the
    temporary's path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{temp_stem(path.name)}.", suffix=".tmp",
                               dir=path.parent)  # fmt: skip
    try:
        # mkstemp creates 0600 files; a run is as readable as any file the user writes,
        # and a file written again keeps the mode its user gave it (chmod 600).
        os.fchmod(fd, _mode_of(path))
        if isinstance(text, str):
            f = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        else:
            f = os.fdopen(fd, "wb")
        with f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one.

    A file system that refuses (full, read-only, a file where a folder should be) raises
    ``OutputError`` with one sentence, and leaves the old file as it was."""
    atomic_write_files({Path(path): text})


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """``atomic_write_text`` for bytes (a picture)."""
    atomic_write_files({Path(path): data})


def _stage(files: Mapping[Path, str | bytes]) -> list[tuple[str, Path]]:
    """Each file's text in a synced temporary file beside it: (temporary, path) pairs. All
    or none: a failure removes those written and says which file (``OutputError``)."""
    staged: list[tuple[str, Path]] = []
    current = None
    try:
        for path, text in files.items():
            current = Path(path)
            staged.append((_write_temp(current, text), current))
    except BaseException as exc:
        _discard(staged)
        if isinstance(exc, OSError):
            raise _cannot_write(current, exc) from exc
        raise
    return staged


def _discard(staged: Iterable[tuple[str, Path]]) -> None:
    for tmp, _ in staged:
        Path(tmp).unlink(missing_ok=True)


def atomic_write_files(files: Mapping[Path, str | bytes]) -> None:
    """Write several files all or none: each goes to a temporary file beside it first, and
    only when every one is on disk are they renamed into place (a full disk leaves the old
    files, never half of the new set)."""
    written = _stage(files)
    current = None
    try:
        for tmp, path in written:
            current = path
            os.replace(tmp, path)
    except OSError as exc:
        _discard(written)
        raise _cannot_write(current, exc) from exc
    except BaseException:
        _discard(written)
        raise
    for parent in {p.parent for _, p in written}:
        _fsync_dir(parent)


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


# Characters that JSON may hold raw inside a string but that many line readers take for a
# line end (Python's str.splitlines, JavaScript): escaped, one JSON value stays one line.
_LINE_BREAKERS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def loads_json(text: str | bytes, **options):
    """``json.loads``, with a document nested too deeply for Python's parser reported as
    invalid JSON (``ValueError``) like any other damage, not as a ``RecursionError``."""
    try:
        return json.loads(text, **options)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_line(value, **options) -> str:
    """``value`` as JSON (UTF-8 text kept readable), without a line end; with ``indent`` it
    spans lines, otherwise it is one. A lone surrogate (a file name with bytes that are not
    UTF-8, as Python decodes it) is written as its ``\\uXXXX`` escape, so the file stays
    UTF-8 and reads back to the same string."""
    text = json.dumps(value, ensure_ascii=False, **options).translate(_LINE_BREAKERS)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def jsonl_rows(text: str) -> list[str]:
    """The non-blank lines of JSON-lines text, split at LF only (as JSON lines are)."""
    return [x for x in text.split("\n") if x.strip()]


def dumps_jsonl(rows: Iterable[dict]) -> str:
    return "".join(json_line(row) + "\n" for row in rows)


def lines_file(lines: Iterable[str]) -> str:
    """One segment a line, as sacrebleu's CLI reads it; a newline inside a line would shift
    every later segment, so it is flattened to a space."""
    return "".join(line.replace("\r", " ").replace("\n", " ") + "\n" for line in lines)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a regular file. Anything else is an ``OSError`` before a byte is
    read: a device (``/dev/zero``) would be hashed for ever, and a FIFO would block the
    open itself (hence ``O_NONBLOCK``, which changes nothing for a regular file)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
            raise OSError(f"{path} is {kind}")
        h = hashlib.sha256()
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file: through symlinks, and hard links where both exist."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return _resolved(Path(a)) == _resolved(Path(b))


def cache_root() -> Path:
    """``$ARABIC_ALIGN_CACHE``, or ``~/.cache/arabic-align``, as an absolute path (a
    relative setting is read from the current folder, and recorded as the folder it is):
    the tool's one cache folder (converted models, translations, the parsed dictionary)."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser().absolute()
    return Path("~/.cache/arabic-align").expanduser().absolute()


def _cache_dir() -> Path | None:
    """The cache folder, resolved: never an output."""
    try:
        return _resolved(cache_root())
    except Exception:  # an unusable cache setting is reported where the cache is used
        return None


def _package_data_dir() -> Path | None:
    """The folder of the data the package ships (FLORES, the seed article, the registry),
    read by the aligners and the benchmarks: never an output."""
    from align.data import data_file

    try:
        return _resolved(Path(str(data_file())))
    except (OSError, TypeError, ValueError):  # (a zipped install has no folder to write in)
        return None


def run_files_of(run_dir: Path) -> set[str]:
    """Names that belong to the run directory ``run_dir``: what the pipeline writes, what
    its manifest lists and the review beside it (empty when ``run_dir`` is not a run)."""
    if not ((run_dir / MANIFEST).is_file() or (run_dir / "segments.jsonl").is_file()):
        return set()
    names = {*RUN_FILES, *REVIEW_FILES}
    try:
        listed = loads_json((run_dir / MANIFEST).read_text(encoding="utf-8")).get("files")
        names |= {n for n in listed if isinstance(n, str)}
    except (OSError, ValueError, AttributeError, TypeError):
        pass  # an unfinished or damaged run: its fixed names still belong to it
    return names


def check_not_input(
    path: Path, option: str, inputs: Iterable[tuple[str, str | Path | None]] = ()
) -> None:
    """Refuse an output that would replace one of the command's inputs or a file of a run
    directory (paths compared after resolving symlinks)."""
    for label, source in inputs:
        if source is None or not same_file(path, source):
            continue
        if label.startswith("--"):
            raise OutputError(  # another output of the same command, not an input
                f"{option} {path} is also the {label} ({source}): give each output a file "
                "of its own"
            )
        raise OutputError(
            f"{option} {path} is the {label} ({source}): a command never writes over its "
            "own input; choose another output"
        )
    target = _resolved(path)
    if target.name == SWAPPING:  # the mark lets --force replace the run files it names
        raise OutputError(
            f"{option} {path} has the name of the mark a run leaves while it writes its "
            "files; choose another name"
        )
    if target.name in run_files_of(target.parent):
        raise OutputError(
            f"{option} {path} is a file of the run directory {target.parent}; write the "
            "output outside it"
        )
    if target.name in BATCH_FILES and (target.parent / BATCH_FILES[0]).is_file():
        raise OutputError(
            f"{option} {path} is a file of the batch folder {target.parent}; write the "
            "output outside it"
        )
    check_outside_reads(path, option)


def is_utf8(text: str) -> bool:
    """Whether UTF-8 can write ``text``: not when it holds a lone surrogate (a file name's
    bytes that are not UTF-8, as Python decodes them, or a JSON escape such as \\ud800)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def utf8_path(path: Path) -> bool:
    """Whether ``path``, made absolute, is UTF-8 text (SentencePiece's file loader refuses
    any other name)."""
    return is_utf8(str(path.absolute()))


def check_outside_reads(
    path: Path, option: str, folders: Iterable[tuple[str, str | Path | None]] = ()
) -> None:
    """Refuse an output inside one of the ``folders`` the command reads ((label, folder)
    pairs: a model directory), inside the tool's own cache or holding it (paths compared
    after resolving symlinks)."""
    target = _resolved(Path(path))
    for label, folder in folders:
        # (~ as the model loader reads it: a shell leaves --model=~/m as it is)
        if folder is not None and Path(folder).expanduser().is_dir():
            root = _resolved(Path(folder).expanduser())
            if target == root or root in target.parents:
                raise OutputError(
                    f"{option} {path} is inside the {label} {folder}, which the command "
                    "reads; write the output elsewhere"
                )
    cache = _cache_dir()
    if cache is not None and (target == cache or cache in target.parents):
        raise OutputError(
            f"{option} {path} is inside arabic-align's cache {cache}; write the output elsewhere"
        )
    if cache is not None and target in cache.parents:
        # The run would find the cache's files in its folder (and --force would weigh them).
        raise OutputError(
            f"arabic-align's cache {cache} is inside {option} {path}; write the output "
            f"elsewhere or set {CACHE_ENV} to a folder outside it"
        )
    data = _package_data_dir()
    if data is not None and (target == data or data in target.parents):
        raise OutputError(
            f"{option} {path} is inside arabic-align's package data {data}, which the tool "
            "reads; write the output elsewhere"
        )


def check_output_file(
    path: Path,
    option: str,
    inputs: Iterable[tuple[str, str | Path | None]] = (),
    folders: Iterable[tuple[str, str | Path | None]] = (),
) -> None:
    """Probe that ``path`` can be written (its folder is created), before any slow work; an
    output that is one of ``inputs`` ((label, path) pairs), a run's file, or inside one of
    the input ``folders`` (a model directory) is refused."""
    path = Path(path)
    check_outside_reads(path, option, folders)
    if path.is_dir():
        raise OutputError(f"{option} {path} is a directory; give a file name")
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        # Renaming over a device or a FIFO would replace it, not write into it.
        raise OutputError(f"{option} {path} is not a regular file; give a file name")
    check_not_input(path, option, inputs)
    # The folders the probe makes go again: a command that fails on its inputs afterwards
    # leaves nothing behind, and the file's writer makes them when it writes.
    _probe_dir(path.parent, f"{option} {path}", keep=False)


def lock_folder(folder: Path) -> int:
    """An exclusive lock on ``folder`` itself (no lock file to leave behind; the kernel lets
    go of it however the process ends), as an open descriptor to close to let go.
    ``BlockingIOError`` when another process holds it; any other ``OSError`` as the file
    system says (one without locks, say)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        os.close(fd)
        raise
    return fd


def check_output_dir(path: Path, option: str) -> None:
    """Create ``path`` as a folder (or take an existing one) and probe that it is writable."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{option} {path} is {not_a_folder(path)}; give a folder")
    _probe_dir(path, f"{option} {path}")


def not_a_folder(path: Path) -> str:
    """What a path that is not a folder is, for a message: "a file" or "not a folder" (a
    device, a FIFO, a link to nothing)."""
    return "a file" if Path(path).is_file() else "not a folder"


def blocked_by(path: Path) -> str | None:
    """Why a folder cannot be made at ``path`` when something on the way is in its place:
    the nearest existing path above it (or it) that is not a folder, said in words (mkdir
    says "File exists" of the path given, which does not exist); None otherwise."""
    path = Path(path)
    blocking = next((p for p in (path, *path.parents) if os.path.lexists(p)), None)
    if blocking is None or blocking.is_dir():
        return None
    if blocking.is_symlink() and not blocking.exists():
        return f"{blocking} is a link to {os.readlink(blocking)}, which does not exist"
    return (
        f"{blocking} is a file, not a folder"
        if blocking.is_file()
        else f"{blocking} is not a folder"
    )


def _probe_dir(path: Path, what: str, keep: bool = True) -> None:
    """Make the folder and create (and remove) a file in it, so that a folder that cannot
    be written fails now, in a second, not after the slow work. With ``keep`` False, the
    folders it had to make are removed again (those still empty)."""
    made = [p for p in (path, *path.parents) if not os.path.lexists(p)]
    blocked = blocked_by(path)
    if blocked:
        raise OutputError(f"cannot write {what}: {blocked}")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".probe."):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write {what}: {exc.strerror or exc}") from exc
    finally:
        for folder in made if not keep else ():  # the deepest first
            try:
                folder.rmdir()
            except OSError:  # not made after all, or something in it now
                break


class RunFolderRefused(OutputError):
    """The run's folder holds what the run must not replace or mix with (review work, files
    of no run, a run without ``force``, one of the run's own inputs): this run cannot be
    written there, though the disk is fine; a batch fails the article and goes on."""


def review_work(run_dir: Path) -> list[str]:
    """The review files a person keeps in ``run_dir`` (never removed by the tool)."""
    return [n for n in REVIEW_FILES if os.path.lexists(run_dir / n)]


def review_work_sentence(run_dir: Path, found: list[str]) -> str:
    return (
        f"{run_dir} holds review work ({', '.join(found)}), which is never replaced or removed "
        f"({option('--force')} included): move those files elsewhere to keep them, or delete "
        "them to discard the review, then try again"
    )


def check_inputs_outside_run(
    run_dir: Path, inputs: Iterable[tuple[str, str | Path | None]]
) -> None:
    """Refuse inputs that are files a run written to ``run_dir`` would replace."""
    for label, source in inputs:
        for name in RUN_FILES:
            if source is not None and same_file(Path(run_dir) / name, source):
                target = Path(run_dir) / name
                said = (  # "the article a/hyp.txt is a/hyp.txt" says nothing
                    f"{source} is {target}, a file"
                    if os.path.normpath(source) != os.path.normpath(target)
                    else f"{source} is a file"
                )
                raise RunFolderRefused(
                    f"the {label} {said} the run would replace; move it elsewhere or choose "
                    f"another {option('--out')}"
                )


def _holds_a_run(run_dir: Path) -> bool:
    from align.run import read_manifest  # the run reader builds on this module

    try:
        read_manifest(run_dir)
    except InputError:
        return False
    return True


def check_run_dir(
    run_dir: Path,
    force: bool = False,
    inputs: Iterable[tuple[str, str | Path | None]] = (),
    folders: Iterable[tuple[str, str | Path | None]] = (),
) -> None:
    """Refuse to mix runs, before any slow work: an existing non-empty directory needs
    ``force``, and even then only a run directory is rewritten: one with a run manifest
    (other files beside its run files, a report say, are kept as they are; a damaged
    manifest still makes a run of nothing but run files), or one whose files a stopped
    ``write_run`` was putting in place (``SWAPPING``). Never a folder of other files, nor
    one of files with a run's names and no manifest, never a review, never one of the run's
    own ``inputs``, never inside the tool's cache or one of the ``folders`` the run reads
    (its model directory). The directory is created and probed for writing, so a bad
    ``--out`` fails in a second, not after the translation."""
    run_dir = Path(run_dir)
    out = option("--out")
    try:  # a name the system refuses (too long) is said before anything reads it
        os.lstat(run_dir)
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError as exc:
        raise OutputError(f"{out} {run_dir} cannot be used: {exc.strerror or exc}") from None
    check_outside_reads(run_dir, out, folders)
    if run_dir.exists() and not run_dir.is_dir():
        raise OutputError(
            f"{out} {run_dir} is {not_a_folder(run_dir)}; give a directory for the run"
        )
    if run_dir.is_dir():
        try:
            present = {p.name for p in run_dir.iterdir()}
        except OSError as exc:
            raise OutputError(f"cannot read {out} {run_dir}: {exc.strerror or exc}") from exc
        found = review_work(run_dir)
        if found:
            raise RunFolderRefused(review_work_sentence(run_dir, found))
        own = {n for n in present if not is_tool_temp(n) and n != SWAPPING}
        # A run: a manifest (one damaged, or of a schema this version does not read, is
        # still a run's), or a run's renames stopped midway (``SWAPPING`` beside them).
        a_run = bool(own) and (SWAPPING in present or MANIFEST in own)
        if own and not a_run and own <= set(RUN_FILES):
            check_inputs_outside_run(run_dir, inputs)  # (the more telling sentence first)
            # Files with a run's names and no manifest: nothing shows a run wrote them (a
            # run's files are all written before any is put in place), and hyp.txt and
            # ref.txt are sacrebleu's names for a user's own files.
            names = sorted(own)
            raise RunFolderRefused(
                f"{out} {run_dir} holds {', '.join(names[:3])}"
                f"{' and others' if len(names) > 3 else ''} but no run manifest, so nothing "
                "shows a run wrote them; move them away or choose another directory"
            )
        if own and not force:
            raise RunFolderRefused(
                f"{out} {run_dir} already exists and is not empty; "
                + (
                    f"choose a new directory or pass {option('--force')} to overwrite it"
                    if a_run
                    else "choose a new directory"
                )
            )
        foreign = {n for n in own if n not in RUN_FILES}
        odd = sorted(
            n for n in present & set(RUN_FILES)
            if (run_dir / n).is_symlink() or not (run_dir / n).is_file()
        )  # fmt: skip
        if foreign and not odd and (SWAPPING in present or _holds_a_run(run_dir)):
            foreign = set()  # a run with a report or notes beside it: only run files change
        if foreign or odd:
            names = sorted(foreign)[:3] or odd[:3]
            raise RunFolderRefused(
                f"{out} {run_dir} holds files that are not part of a run "
                f"({', '.join(names)}); choose another directory"
            )
        check_inputs_outside_run(run_dir, inputs)
    _probe_dir(run_dir, f"the run to {run_dir}")


def remove_stale_temps(folder: Path) -> None:
    """Delete what a killed writer of ours left (``is_tool_temp``), nothing else. Only for
    folders that one job writes at a time."""
    if folder.is_dir():
        for p in folder.iterdir():
            if is_tool_temp(p.name) and p.is_file() and not p.is_symlink():
                p.unlink(missing_ok=True)


def missing_folders(path: Path) -> list[Path]:
    """``path`` and those of its parents that do not exist yet, innermost first: what a
    command that makes ``path`` creates, for ``remove_if_empty`` to take away again if it
    stops before writing. Absolute (a later change of folder changes nothing), with its
    ``..`` left for the system to follow, as it does when it makes them (``new/../x``
    makes ``new``; through a symlink, ``..`` is the link's target's parent). A path through
    a ``..`` that leads to a folder that is there (``new/../x`` where ``x`` is) is not
    missing: once ``new`` is made, it is that folder, which is not the command's."""
    here = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    missing = []
    for folder in (here, *here.parents):
        if os.path.lexists(folder):
            break
        if ".." in folder.parts and os.path.lexists(os.path.realpath(folder)):
            continue
        if folder.name not in ("", ".", ".."):  # (never a folder to remove by that name)
            missing.append(folder)
    return missing


def remove_if_empty(folder: Path) -> None:
    """Remove ``folder`` when nothing but our own leftovers is in it (a folder made for
    output that never got any), unless another process holds it (``lock_folder``): one
    that made the same folder meanwhile and is writing there, whose temporary files are no
    leftovers."""
    try:
        held = lock_folder(folder)
    except BlockingIOError:
        return
    except OSError:  # gone, or a file system without locks
        held = None
    try:
        remove_stale_temps(folder)
        folder.rmdir()
    except OSError:
        pass  # not empty after all, or gone: either way nothing of anyone's is lost
    finally:
        if held is not None:
            os.close(held)


class RunKept(OutputError):
    """A run could not be written, and its folder is as it was (an earlier run in it too)."""


def run_files_listed(run_dir: Path) -> set[str] | None:
    """The run files that are the run's in ``run_dir``: those its manifest lists, or, when
    a swap was stopped, those ``SWAPPING`` names (None: nothing says)."""
    for name, key in ((MANIFEST, "files"), (SWAPPING, "run_files")):
        try:
            listed = loads_json((run_dir / name).read_text(encoding="utf-8")).get(key)
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(listed, dict | list):
            return {n for n in listed if isinstance(n, str) and n in RUN_FILES}
    return None


def mark_swapping(run_dir: Path, names) -> None:
    """Put ``SWAPPING`` in a run folder, naming the run files that are the run's (those
    of the old run and of the new one), before its manifest goes: a stop from then on
    leaves a folder ``--force`` writes again, and that removes those files only."""
    atomic_write_text(run_dir / SWAPPING, json_line({"run_files": sorted(set(names))}) + "\n")


def write_run(run_dir: Path, files: Mapping[str, str], manifest: dict, force: bool = False):
    """Write a run's ``files`` (name: text) and, last, its manifest with the hash of each, so
    that a failure leaves the folder as it was: every file goes to a synced temporary file
    first, and only when all are on disk (a full disk stops it there: ``RunKept``) is the
    old run's manifest removed, its other files (those its manifest lists; every run file
    of a run without one), and the new ones renamed into place, the manifest last, with
    ``SWAPPING`` in the folder meanwhile. The directory never looks complete while it is
    rewritten. Returns the manifest written."""
    check_run_dir(run_dir, force)
    listed = run_files_listed(run_dir)
    if listed is not None:  # a file the run did not write is not its to replace
        others = sorted(n for n in files if n not in listed and os.path.lexists(run_dir / n))
        if others:
            raise RunFolderRefused(
                f"{option('--out')} {run_dir} holds {', '.join(others)}, which its run did not "
                "write; "
                "move it away or choose another directory"
            )
    try:
        remove_stale_temps(run_dir)
    except OSError as exc:
        raise _cannot_write(run_dir, exc) from exc
    manifest = dict(manifest)
    manifest["files"] = {
        name: hashlib.sha256(files[name].encode("utf-8")).hexdigest()
        for name in RUN_FILES
        if name in files and name != MANIFEST
    }
    texts = {run_dir / n: t for n, t in files.items() if n != MANIFEST}
    texts[run_dir / MANIFEST] = json_line(manifest, indent=2)  # (renamed last)
    staged: list[tuple[str, Path]] = []
    try:
        staged = _stage(texts)
        mark_swapping(run_dir, [*(listed if listed is not None else RUN_FILES), *files])
    except BaseException as exc:
        _discard(staged)
        if isinstance(exc, OutputError):
            raise RunKept(str(exc)) from exc
        raise
    done, current = 0, run_dir
    try:
        (run_dir / MANIFEST).unlink(missing_ok=True)
        for name in RUN_FILES if listed is None else listed:
            if name not in files:
                (run_dir / name).unlink(missing_ok=True)
        for tmp, path in staged:  # renames: no space is needed any more
            current = path
            os.replace(tmp, path)
            done += 1
        (run_dir / SWAPPING).unlink(missing_ok=True)
    except OSError as exc:
        _discard(staged[done:])
        raise _cannot_write(current, exc) from exc
    _fsync_dir(run_dir)  # the renames, on disk
    return manifest
