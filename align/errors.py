"""Errors a user can cause. The CLI prints their message as one sentence and exits non-zero;
anything else that escapes is our bug and keeps its traceback. ``printable`` is how a
message, or any text from a user's files, is shown on a terminal."""

import contextlib
import re
import unicodedata


class UserError(Exception):
    """A problem with the user's input or environment, explained in one sentence."""

    exit_code = 2


class InputError(UserError):
    """A file the user gave cannot be used (missing, a directory, empty, binary, wrong encoding)."""


class OutputError(UserError):
    """An output cannot be written where the user asked (a read-only or full file system, a
    folder where a file should be, a path that would overwrite an input)."""


class JobError(UserError):
    """A setting of the whole job is wrong (the model, the device, the quantization, a
    cluster address): no input can succeed with it, so a batch stops once, before any article,
    instead of failing every article in turn."""


class ModelUnavailable(JobError):
    """The requested model cannot be loaded (offline with no cached copy, a wrong path)."""


class MismatchError(UserError):
    """Two inputs that must correspond do not (for example reference and segment counts)."""


# A message names an option as its caller gives it: "--out" and "--force" on the command
# line, the keyword arguments of ``Pipeline.run`` ("out=", "force=True") in Python. The
# command line says so while a command runs (``on_command_line``): a plain flag, not a
# context variable, because a batch writes its runs from threads of its own.
_COMMAND_LINE = [False]
_KEYWORDS = {
    "--out": "out=",
    "--force": "force=True",
    "--hyp": "hyp=",
    "--hyp-layout lines": 'hyp_layout="lines"',
    "--hyp-layout document": 'hyp_layout="document"',
    "--ref-layout document": 'ref_layout="document"',
    "--model": "Pipeline's model=",
    "--no-background": "AlignmentSettings(background=False)",
}


@contextlib.contextmanager
def on_command_line():
    """Messages raised inside name the command line's options."""
    before = _COMMAND_LINE[0]
    _COMMAND_LINE[0] = True
    try:
        yield
    finally:
        _COMMAND_LINE[0] = before


def from_command_line() -> bool:
    return _COMMAND_LINE[0]


def option(name: str) -> str:
    """The command line's option ``name`` ("--out"), or the keyword a Python caller gives
    for it ("out=")."""
    return name if _COMMAND_LINE[0] else _KEYWORDS.get(name, name)


def memory_limit() -> int | None:
    """The process's address-space limit in bytes (``ulimit -v``), None when it has none.
    Under such a limit, loading torch or CTranslate2, or starting a thread, fails with an
    ImportError, a RuntimeError or a SystemError rather than a MemoryError."""
    try:
        import resource
    except ImportError:  # not POSIX
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


# What an ImportError, RuntimeError or SystemError says when memory ran out: a shared
# library that cannot be mapped, a thread whose stack cannot be had, a C extension whose
# allocation failed without setting an exception.
_SHORT_OF_MEMORY = re.compile(
    r"failed to map segment|cannot allocate memory|can't start new thread|"
    r"error return without exception set|std::bad_alloc",
    re.IGNORECASE,
)


def short_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` says that memory ran out (under ``ulimit -v``, loading a library or
    starting a thread fails so, not with a MemoryError)."""
    return bool(_SHORT_OF_MEMORY.search(str(exc)))


def under_memory_limit(needs: str = "the model and the aligner") -> str:
    """What to say of the memory limit, when there is one: "" otherwise. ``needs``: what of
    the command takes the memory."""
    limit = memory_limit()
    if limit is None:
        return ""
    return (
        f"this process has a memory limit (ulimit -v: {limit / 2**20:,.0f} MiB of address "
        f"space), likely too low for {needs}; raise or remove it"
    )


def not_loaded(package: str, exc: ImportError, not_installed: str) -> str:
    """Why ``package`` cannot be imported, in one sentence: ``not_installed`` when it is
    missing, otherwise what stopped an installed copy from loading (a broken install, a
    library missing, a memory limit)."""
    if isinstance(exc, ModuleNotFoundError):
        if (exc.name or "").split(".")[0] == package:
            return not_installed
        return f"{not_installed.rstrip('.')} ({exc})"  # a part of it missing: the same advice
    said = f"the {package} package is installed but could not be loaded ({exc})"
    limit = under_memory_limit() if short_of_memory(exc) else ""
    return f"{said}; {limit}" if limit else said


def unicode_text(text: str, what: str) -> str:
    """``text`` when UTF-8 can write it; else one ``InputError`` naming ``what`` and its
    first lone surrogate (a JSON escape such as \\ud800, or a file name's bytes decoded with
    surrogateescape), which would otherwise fail only when a run is written."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{what} is not valid Unicode text: a lone surrogate at character {exc.start}."
        ) from None
    return text


# Control characters and bidi overrides can come from file names and file contents; in a
# message they would break the one line, or reorder what the terminal shows.
_UNPRINTABLE = {
    c: f"\\u{c:04x}" if c > 0xFF else f"\\x{c:02x}"
    for c in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x061C, 0x200E, 0x200F,
              *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]
}  # fmt: skip
SHOWN_AS_ESCAPES = frozenset(map(chr, _UNPRINTABLE))


def clipped(value: str, limit: int = 80) -> str:
    """``value`` quoted as ``repr`` quotes it, cut to ``limit`` characters with an ellipsis
    before the closing quote: a message that quotes a user's line, id or token stays one
    readable sentence however long the input (a 20,000-character line)."""
    said = repr(value)
    return said if len(said) <= limit else f"{said[: limit - 2]}…{said[-1]}"


def printable(message: str) -> str:
    """``message`` on one line, with control and bidi characters shown as escapes, and the
    bytes of a file name that are not UTF-8 as ``\\xNN`` (``encodable``)."""
    return encodable(message.translate(_UNPRINTABLE))


def isolate_runs(text: str, before: str = "\u2068", after: str = "\u2069") -> str:
    """``text`` with each run of right-to-left words (from a right-to-left letter to the last
    one before the next left-to-right letter) between ``before`` and ``after``: FSI and PDI,
    or ``<bdi>`` and ``</bdi>`` in HTML. A message quoting Arabic ("repeats 'موسكو' 6
    times") then keeps the number after the quote in its place, where the bidi algorithm
    would join it to the Arabic (a number after an Arabic letter is an Arabic number).
    Hand-written: python-bidi orders a whole line and says nothing of where its runs are."""
    runs: list[tuple[int, int]] = []
    start = end = 0
    open_run = False
    for k, ch in enumerate(text):
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            start, open_run = (start, True) if open_run else (k, True)
            end = k + 1
        elif kind == "NSM" and open_run and end == k:  # a mark on the last letter: جداً
            end = k + 1
        elif kind == "L" and open_run:
            runs.append((start, _with_its_number(text, end)))
            open_run = False
    if open_run:
        runs.append((start, _with_its_number(text, end)))
    out: list[str] = []
    at = 0
    for first, last in runs:
        out += [text[at:first], before, text[first:last], after]
        at = last
    out.append(text[at:])
    return "".join(out)


def _with_its_number(text: str, end: int) -> int:
    """The end of a right-to-left run with the number that follows it (spaces, digits and
    their separators; "يوم 28"): the bidi algorithm reads such a number as part of the Arabic
    before it, and left outside the isolate it would land on the wrong side."""
    last = end
    for k in range(end, len(text)):
        kind = unicodedata.bidirectional(text[k])
        if kind in ("EN", "AN") or (kind == "ET" and last == k and k > end):  # 28, 5%
            last = k + 1
        elif kind not in ("WS", "CS", "ES", "ET", "NSM", "BN"):
            break
    return last


def encodable(text: str) -> str:
    """``text`` as UTF-8 can write it: the bytes of a file name that are not UTF-8 (Python
    holds them as lone surrogates) as ``\\xNN``, any other lone surrogate as ``\\udNNN``."""
    return (
        re.sub("[\udc80-\udcff]", lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
        .encode("utf-8", "backslashreplace")
        .decode("utf-8")
    )
