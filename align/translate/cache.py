"""A translation cache in SQLite, so that a re-run, or an article that repeats a sentence,
translates nothing twice.

An entry is keyed by everything that decides a translation: the model's file hash, the
engine, its quantization, the decoding settings that change what comes out
(``DecodingSettings.output_key()``) and the source text. The primary key is the SHA-256 of
those five as canonical JSON (``CacheKey.digest``); the fields themselves are stored beside it
for inspection, with the translation and when it was written (UTC). A cached translation is
exactly the string the engine returned.

The file lives at ``$ARABIC_ALIGN_CACHE/translations.sqlite``, else
``~/.cache/arabic-align/translations.sqlite``. Several processes may use it at once: it is in
WAL mode (readers never wait for the writer), every connection waits up to
``BUSY_TIMEOUT_S`` for a lock, each write is one short ``BEGIN IMMEDIATE`` transaction of at
most ``CHUNK`` rows, and rows are added with ``INSERT OR IGNORE``: the first writer of a key
wins, and a second writer would have stored the same translation anyway. A file that is not
such a cache (not SQLite, damaged, another program's database, unreadable) stops the run with
one sentence; it is never changed, let alone replaced.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

from align.errors import JobError, UserError
from align.records import CACHE_ENV, cache_root, is_utf8
from align.translate.base import DecodingSettings, Translator

FILE_NAME = "translations.sqlite"
SCHEMA_VERSION = 1  # PRAGMA user_version; also part of every key's digest
APPLICATION_ID = 0x41524131  # "ARA1": PRAGMA application_id, marks the file as ours
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0
CHUNK = 500  # keys per SELECT, rows per write transaction
STORE_EVERY = 512  # new translations stored at least this often (an interrupt keeps them)
BYPASS = "--no-cache"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,      -- SHA-256 (hex) of the canonical key JSON
    model_hash TEXT NOT NULL,
    engine TEXT NOT NULL,
    quantization TEXT,         -- NULL: none
    decoding TEXT NOT NULL,    -- canonical JSON of DecodingSettings.output_key()
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    created TEXT NOT NULL      -- ISO 8601, UTC
)
"""


def default_cache_path() -> Path:
    """``$ARABIC_ALIGN_CACHE/translations.sqlite``, else under ``~/.cache/arabic-align``."""
    return cache_root() / FILE_NAME


def canonical_json(value: Any) -> str:
    """One spelling for equal values: sorted keys, no spaces, UTF-8 text, no NaN."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def decoding_key(settings: DecodingSettings) -> str:
    """The decoding settings that change the output, as canonical JSON."""
    return canonical_json(settings.output_key())


@dataclass(frozen=True)
class CacheKey:
    """What decides one translation. ``decoding`` is ``decoding_key(settings)``."""

    model_hash: str
    engine: str
    quantization: str | None
    decoding: str
    source: str

    @classmethod
    def make(
        cls,
        model_hash: str,
        engine: str,
        quantization: str | None,
        settings: DecodingSettings,
        source: str,
    ) -> CacheKey:
        return cls(model_hash, engine, quantization, decoding_key(settings), source)

    @cached_property
    def digest(self) -> str:
        """SHA-256 (hex) of the canonical JSON of the fields and the schema version."""
        data = {
            "schema": SCHEMA_VERSION,
            "model_hash": self.model_hash,
            "engine": self.engine,
            "quantization": self.quantization,
            "decoding": json.loads(self.decoding),
            "source": self.source,
        }
        return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _not_a_database(path: Path) -> JobError:
    return JobError(
        f"the translation cache {path} is not an SQLite database (it was left untouched); "
        f"delete or move it, or run with {BYPASS}"
    )


def _user_error(path: Path, exc: OSError | sqlite3.Error) -> JobError:
    """One sentence for an SQLite or OS error on the cache file."""
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return _disk_full(path)
        reason = exc.strerror or str(exc)
    else:
        name = getattr(exc, "sqlite_errorname", "")
        if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT_NOTADB"):
            return _not_a_database(path)
        if name.startswith("SQLITE_CORRUPT"):
            return JobError(
                f"the translation cache {path} is damaged ({exc}); delete it or run with {BYPASS}"
            )
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return JobError(
                f"the translation cache {path} stayed locked by another process for "
                f"{BUSY_TIMEOUT_S:g} s; try again or run with {BYPASS}"
            )
        if name == "SQLITE_FULL" or (name.startswith("SQLITE_IOERR") and _little_room(path)):
            return _disk_full(path)  # (a full disk as WAL's shared memory meets it: IOERR_SHMSIZE)
        reason = str(exc)
    return JobError(
        f"cannot read and write the translation cache {path} ({reason}); check the file and "
        f"its folder, delete it, or run with {BYPASS}"
    )


def _disk_full(path: Path) -> JobError:
    return JobError(
        f"the disk holding the translation cache {path} is full; free some space, or run "
        f"with {BYPASS}"
    )


# Below this much free space, an I/O error on the cache is taken for a full disk: SQLite
# says "disk I/O error" when the shared memory of WAL mode cannot grow on a full disk.
LITTLE_ROOM = 4 * 1024 * 1024


def _little_room(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < LITTLE_ROOM
    except OSError:
        return False


def _is_our_error(exc: sqlite3.Error) -> bool:
    """Errors that come from misusing the sqlite3 module are bugs, not the user's doing."""
    return isinstance(exc, sqlite3.ProgrammingError | sqlite3.IntegrityError)


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL mode, in which readers never wait for the writer; it stays with the file.

    Switching a new file needs it to itself, and SQLite answers "busy" at once, without
    waiting, when another process is opening it too: so this waits here. Where WAL is not
    supported (no shared memory), SQLite keeps its rollback journal: slower, just as safe.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")  # nothing to do once the file is in WAL
            return
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY")
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.005, 0.05))


class TranslationCache:
    """Translations keyed by ``CacheKey`` in an SQLite file; see the module docstring.

    Opening checks the file at once, so a bad cache stops a run before any translation.
    Each process (after a fork too) and each thread use the file through this object safely.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._inherited: list[sqlite3.Connection] = []
        self._closed = False
        self._lookups = {"hits": 0, "misses": 0, "stored": 0}
        self._connect()

    # -- opening -------------------------------------------------------------------------

    def _check_file(self) -> None:
        """Refuse a path that cannot be a cache before SQLite touches it."""
        path = self.path
        try:
            if path.is_dir():
                raise JobError(
                    f"the translation cache {path} is a folder, not a file; remove it, point "
                    f"{CACHE_ENV} elsewhere, or run with {BYPASS}"
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError) as exc:
                raise JobError(
                    f"the folder of the translation cache {path} cannot be made: a file is in "
                    f"the way; point {CACHE_ENV} elsewhere or run with {BYPASS}"
                ) from exc
            if path.exists() and not path.is_file():  # a FIFO or a device: a read would block
                raise JobError(
                    f"the translation cache {path} is not a regular file; remove it, point "
                    f"{CACHE_ENV} elsewhere, or run with {BYPASS}"
                )
            if path.exists():
                if not os.access(path, os.R_OK | os.W_OK):
                    raise PermissionError(f"no permission to read and write {path.name}")
                with path.open("rb") as f:
                    header = f.read(len(SQLITE_HEADER))
                if header and header != SQLITE_HEADER:
                    raise _not_a_database(path)
        except OSError as exc:
            raise _user_error(path, exc) from exc

    def _connect(self) -> sqlite3.Connection:
        self._check_file()
        try:
            conn = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,  # autocommit: transactions are explicit and short
                check_same_thread=False,  # guarded by self._lock
            )
        except sqlite3.Error as exc:
            raise _user_error(self.path, exc) from exc
        try:
            self._check_schema(conn)  # before anything writes: another file stays as it was
            _use_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")  # durable enough for a cache in WAL
            if not self._check_schema(conn):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    if not self._check_schema(conn):  # nobody else made it meanwhile
                        conn.execute(_SCHEMA)
                        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            conn.close()
            if _is_our_error(exc):
                raise
            raise _user_error(self.path, exc) from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self._pid = os.getpid()
        return conn

    def _check_schema(self, conn: sqlite3.Connection) -> bool:
        """True for a ready cache, False for an empty database; JobError for anything else."""
        # One statement, so one snapshot: another process may be making the cache right now.
        app_id, version, tables = conn.execute(
            "SELECT (SELECT application_id FROM pragma_application_id),"
            " (SELECT user_version FROM pragma_user_version),"
            " (SELECT count(*) FROM sqlite_master)"
        ).fetchone()
        if app_id == 0 and version == 0 and tables == 0:
            return False
        if app_id != APPLICATION_ID:
            raise JobError(
                f"{self.path} is an SQLite database but not an arabic-align translation cache "
                f"(it was left untouched); point {CACHE_ENV} elsewhere, move it, or run with "
                f"{BYPASS}"
            )
        if version != SCHEMA_VERSION:
            raise JobError(
                f"the translation cache {self.path} has schema version {version}, and this "
                f"arabic-align reads version {SCHEMA_VERSION}; delete it or run with {BYPASS}"
            )
        return True

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise ValueError(f"the translation cache {self.path} is closed")
        if self._conn is None or self._pid != os.getpid():
            # A connection must not cross a fork: the child opens its own and leaves the
            # parent's alone (closing it here could disturb the parent's locks).
            if self._conn is not None:
                self._inherited.append(self._conn)
            self._conn = None
            self._connect()
        assert self._conn is not None
        return self._conn

    # -- use -----------------------------------------------------------------------------

    def get_many(self, keys: Iterable[CacheKey]) -> dict[CacheKey, str]:
        """The cached translations of those ``keys`` that have one."""
        by_digest = {key.digest: key for key in keys}
        digests = list(by_digest)
        found: dict[CacheKey, str] = {}
        with self._lock:
            try:
                conn = self._connection()
                for chunk in _chunks(digests):
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT key, translation FROM translations WHERE key IN ({marks})",
                        list(chunk),
                    )
                    for digest, translation in rows:
                        found[by_digest[digest]] = translation
            except sqlite3.Error as exc:
                if _is_our_error(exc):
                    raise
                raise _user_error(self.path, exc) from exc
            self._lookups["hits"] += len(found)
            self._lookups["misses"] += len(digests) - len(found)
        return found

    def put_many(self, items: Mapping[CacheKey, str] | Iterable[tuple[CacheKey, str]]) -> int:
        """Store translations; a key already there keeps its translation. Returns how many
        entries were new."""
        pairs = items.items() if isinstance(items, Mapping) else items
        created = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [
            (
                key.digest,
                key.model_hash,
                key.engine,
                key.quantization,
                key.decoding,
                key.source,
                translation,
                created,
            )
            for key, translation in pairs
        ]
        stored = 0
        with self._lock:
            try:
                conn = self._connection()
                for chunk in _chunks(rows):
                    conn.execute("BEGIN IMMEDIATE")  # the write lock first: no upgrade deadlock
                    try:
                        cursor = conn.executemany(
                            "INSERT OR IGNORE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            chunk,
                        )
                        conn.execute("COMMIT")
                    except BaseException:
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                        raise
                    stored += max(cursor.rowcount, 0)
            except sqlite3.Error as exc:
                if _is_our_error(exc):
                    raise
                raise _user_error(self.path, exc) from exc
            self._lookups["stored"] += stored
        return stored

    def stats(self) -> dict:
        """The file, its entries and size, and this object's lookups and writes so far."""
        with self._lock:
            try:
                conn = self._connection()
                entries = conn.execute("SELECT count(*) FROM translations").fetchone()[0]
            except sqlite3.Error as exc:
                if _is_our_error(exc):
                    raise
                raise _user_error(self.path, exc) from exc
            lookups = dict(self._lookups)
        size = sum(
            p.stat().st_size
            for p in (self.path, self.path.with_name(self.path.name + "-wal"))
            if p.exists()
        )
        return {"path": str(self.path), "entries": entries, "size_bytes": size, **lookups}

    def close(self) -> None:
        """Close this process's connection; closing twice is harmless."""
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None
            self._closed = True

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


CACHE_STAT_KEYS = ("cache_hits", "cache_misses", "cache_deduplicated")


class CachedTranslator:
    """Any ``Translator`` behind a ``TranslationCache``, with the same interface.

    Each call looks up every distinct text and sends only the misses to ``inner.translate``
    (once each, in first-seen order), stores their translations and returns all of them in
    input order. Empty strings give "" and reach neither the cache nor the engine.

    ``last_stats`` holds the inner translator's counts for this call (zeros when every text
    was cached) and ``cache_hits`` / ``cache_misses`` (distinct texts found / translated) and
    ``cache_deduplicated`` (repeats in the call, served by their first occurrence); ``stats``
    sums them over every call. ``settings`` defaults to ``inner.settings``. Other attributes
    are the inner translator's.

    A cached translation comes without the attention of the pass that made it (the inner
    translator keeps that only for what it translates itself, ``keep_attention``): the
    attention aligner force-decodes it. Storing attention rows would make every entry some
    kilobytes of floats, tied to one head, for what one forced decoding rebuilds.
    """

    def __init__(
        self,
        inner: Translator,
        cache: TranslationCache,
        model_hash: str,
        quantization: str | None,
        settings: DecodingSettings | None = None,
    ) -> None:
        self.inner = inner
        self.cache = cache
        self.model_hash = model_hash
        self.quantization = quantization
        if settings is None and getattr(inner, "settings", None) is None:
            raise TypeError("CachedTranslator needs decoding settings: pass settings=")
        self._settings = settings
        self.last_stats: dict[str, int] = self._zero_stats()
        self._own_stats: dict[str, int] = dict.fromkeys(CACHE_STAT_KEYS, 0)
        # What could not be stored, one sentence a call, for the caller to say and clear:
        # translations made are the run's, whether or not the cache takes them.
        self.unsaved: list[str] = []

    @property
    def engine(self) -> str:
        return self.inner.engine

    @property
    def settings(self) -> DecodingSettings:
        return self._settings if self._settings is not None else self.inner.settings

    @property
    def stats(self) -> dict[str, int]:
        inner = getattr(self.inner, "stats", None)
        return {**(inner if isinstance(inner, dict) else {}), **self._own_stats}

    def __getattr__(self, name: str) -> Any:
        if name == "inner":  # not set yet (during unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)

    def _zero_stats(self) -> dict[str, int]:
        inner = getattr(self.inner, "last_stats", None)
        zeros = dict.fromkeys(inner, 0) if isinstance(inner, dict) else {}
        return {**zeros, **dict.fromkeys(CACHE_STAT_KEYS, 0)}

    def key(self, text: str) -> CacheKey:
        return CacheKey.make(
            self.model_hash, self._engine_release, self.quantization, self.settings, text
        )

    @cached_property
    def _engine_release(self) -> str:
        """The engine with the versions of the libraries that make its output ("ctranslate2
        4.5.0, transformers 4.57.1, sentencepiece 0.2.0"): a new release can decode otherwise,
        and its translations are made anew rather than taken from an older one's."""
        packages = {  # (CTranslate2's engine cuts and joins the text with transformers' tokenizer)
            "ctranslate2": ("ctranslate2", "transformers", "sentencepiece"),
            "transformers": ("transformers", "torch", "sentencepiece"),
        }
        versions = []
        for package in packages.get(self.engine, ()):
            try:
                versions.append(f"{package} {metadata.version(package)}")
            except metadata.PackageNotFoundError:
                versions.append(f"{package} (version unknown)")
        return ", ".join(versions) or self.engine

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translations in input order, each exactly what the engine returned for that text."""
        results = [""] * len(texts)  # empty texts stay ""
        where: dict[str, list[int]] = {}  # distinct texts in first-seen order, and positions
        repeats = 0
        for i, text in enumerate(texts):
            if text == "":
                continue
            if text in where:
                where[text].append(i)
                repeats += 1
            else:
                where[text] = [i]

        # SQLite stores UTF-8: a text with a lone surrogate is translated, never cached.
        keys = {text: self.key(text) for text in where if is_utf8(text)}
        found = self.cache.get_many(keys.values()) if keys else {}
        done = {text: found[key] for text, key in keys.items() if key in found}
        misses = [text for text in where if text not in done]

        stats = self._zero_stats()
        unsaved = 0
        # Stored a share at a time: an interrupted article of thousands of segments keeps
        # what was translated (a share is large enough for the engine's own batching).
        for first in range(0, len(misses), STORE_EVERY):
            share = misses[first : first + STORE_EVERY]
            translated = self.inner.translate(share)
            if len(translated) != len(share):
                raise RuntimeError(
                    f"{self.engine} returned {len(translated)} translations for {len(share)} texts"
                )
            inner_stats = getattr(self.inner, "last_stats", None)
            if isinstance(inner_stats, dict):
                for name, value in inner_stats.items():
                    if isinstance(value, int | float):
                        stats[name] = stats.get(name, 0) + value
            new = dict(zip(share, translated, strict=True))
            try:
                self.cache.put_many((keys[t], new[t]) for t in share if t in keys)
            except UserError as exc:  # locked for too long, damaged, a full disk
                unsaved += len(share)
                reason = exc
            done.update(new)
        if unsaved:
            self.unsaved.append(
                f"{unsaved} translation(s) were not stored in the cache ({reason}); "
                "they are used all the same"
            )

        for text, positions in where.items():
            for i in positions:
                results[i] = done[text]
        stats["cache_hits"] = len(where) - len(misses)
        stats["cache_misses"] = len(misses)
        stats["cache_deduplicated"] = repeats
        self.last_stats = stats
        for name in CACHE_STAT_KEYS:
            self._own_stats[name] += stats[name]
        return results

    def info(self) -> dict:
        """The inner translator's info, with this call's ``stats`` and the cache's part."""
        info = dict(self.inner.info())
        info["stats"] = dict(self.last_stats)
        info["cache"] = {
            "path": str(self.cache.path),
            "schema": SCHEMA_VERSION,
            "quantization": self.quantization,
            "hits": self.last_stats["cache_hits"],
            "misses": self.last_stats["cache_misses"],
            "deduplicated": self.last_stats["cache_deduplicated"],
        }
        return info
