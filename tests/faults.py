"""A file system that refuses, for tests: every write under one folder fails with a chosen
errno (EROFS: read-only; ENOSPC: full), the way the kernel would report it.

Root ignores file modes, and mounting needs privileges a test run may not have, so the
refusal is injected at the system-call wrappers the code under test goes through (``os``
and ``open``), for paths under the folder only; everything else works as usual.
"""

from __future__ import annotations

import builtins
import errno
import os
from pathlib import Path


def _under(path, folder: Path) -> bool:
    if isinstance(path, int):
        try:
            path = os.readlink(f"/proc/self/fd/{path}")
        except OSError:
            return False
    try:
        real = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    return real == str(folder) or real.startswith(str(folder) + os.sep)


def refuse_writes(monkeypatch, folder: Path, code: int = errno.EROFS, after: int = 0) -> None:
    """Fail writes under ``folder`` with ``code``. ``after``: how many file writes succeed
    first (for a disk that fills up part way)."""
    folder = Path(os.path.realpath(folder))
    budget = {"left": after}

    def error(path) -> OSError:
        return OSError(code, os.strerror(code), os.fsdecode(path) if not isinstance(path, int)
                       else None)  # fmt: skip

    def spend(path) -> None:
        if budget["left"] > 0:
            budget["left"] -= 1
            return
        raise error(path)

    real_open, real_os_open = builtins.open, os.open
    real = {name: getattr(os, name) for name in ("mkdir", "replace", "rename", "unlink",
                                                 "rmdir", "fsync", "write")}  # fmt: skip
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def os_open(path, flags, *args, **kwargs):
        if flags & writing and _under(path, folder) and code != errno.ENOSPC:
            raise error(path)
        return real_os_open(path, flags, *args, **kwargs)

    def py_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+") and _under(file, folder) and code != errno.ENOSPC:
            raise error(file)
        return real_open(file, mode, *args, **kwargs)

    def wrap(name):
        def call(*args, **kwargs):
            target = args[0]
            if _under(target, folder):
                if name in ("fsync", "write"):
                    spend(target)
                else:
                    raise error(target)
            return real[name](*args, **kwargs)

        return call

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", py_open)
    for name in real:
        if code == errno.ENOSPC and name not in ("fsync", "write"):
            continue
        monkeypatch.setattr(os, name, wrap(name))


def listing(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` with its modification time and bytes."""
    out = {}
    for p in sorted(Path(folder).rglob("*")):
        if p.is_file():
            out[str(p.relative_to(folder))] = (p.stat().st_mtime_ns, p.read_bytes())
    return out
