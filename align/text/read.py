"""Read an article file into text that every offset in the project points into.

The text is the file decoded as UTF-8 with a leading byte-order mark removed, and nothing
else changed: line ends are kept as they are (LF, CRLF, a lone CR, or a mix), there is no
Unicode normalisation and no whitespace trimming. So it equals ``data.decode("utf-8-sig")``
of the file's bytes, and every ``start``/``end`` offset of a segment, token or span is a
character offset into THIS text, not into the raw bytes of the file.

A line ends at ``\\r\\n``, ``\\r`` or ``\\n`` (``line_spans``); a line's text never holds
``\\r``.

Files a user can get wrong (missing, a directory, unreadable, empty, binary, UTF-16, a legacy
encoding such as Windows-1256) raise ``InputError`` with one sentence that names the file by
what it is for ("the reference file ref.txt is empty.") and says what to do.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from pathlib import Path

from align.errors import InputError
from align.text.segment import blank_marks

_BOM = b"\xef\xbb\xbf"
# Share of control bytes (other than tab, LF, CR, FF) above which a file is binary, not text.
MAX_CONTROL_SHARE = 0.1
# Share of letters that must be Arabic for undecodable bytes to be called Windows-1256.
MIN_ARABIC_SHARE = 0.5
_LINE_END = re.compile(r"\r\n|\r|\n")


def _arabic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    arabic = sum(1 for ch in letters if "ARABIC" in unicodedata.name(ch, ""))
    return arabic / len(letters)


def _utf8_name(name: str) -> str:
    path = Path(name)
    return str(path.with_name(f"{path.stem}.utf8{path.suffix or '.txt'}"))


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text``, line end excluded; lines end at CRLF, CR or LF.

    Text ending with a line end has a last, empty line after it (like ``str.split``).
    """
    spans = []
    start = 0
    for m in _LINE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def decode_article(data: bytes, name: str, what: str = "article", allow_empty: bool = False) -> str:
    """Decode the bytes of an article (see the module docstring).

    ``name`` and ``what`` (what the file is for: "article", "reference file") are only used in
    error messages.
    """
    label = f"the {what} {name}"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{label} is UTF-16, not UTF-8: convert it with "
            f"`iconv -f utf-16 -t utf-8 {shlex.quote(name)} > {shlex.quote(_utf8_name(name))}`."
        )
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if not allow_empty and not data.strip():
        raise InputError(f"{label} is empty: there is no text in it to read.")
    controls = sum(1 for b in data if b < 0x20 and b not in b"\t\n\r\f")
    if b"\x00" in data or controls > MAX_CONTROL_SHARE * len(data):
        raise InputError(f"{label} looks like a binary file, not UTF-8 text.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        try:
            legacy = data.decode("cp1256")
        except UnicodeDecodeError:
            legacy = ""
        if _arabic_share(legacy) >= MIN_ARABIC_SHARE:
            raise InputError(
                f"{label} is not UTF-8; it looks like Windows-1256 (legacy Arabic): convert it "
                f"with `iconv -f cp1256 -t utf-8 {shlex.quote(name)} > "
                f"{shlex.quote(_utf8_name(name))}`."
            ) from None
        raise InputError(
            f"{label} is not UTF-8 (invalid byte at offset {err.start}): save it as UTF-8."
        ) from None
    if not allow_empty and not blank_marks(text).strip():  # only whitespace, invisible marks
        raise InputError(f"{label} is empty: there is no text in it to read.")
    return text


def read_article(path: str | Path, what: str = "article", allow_empty: bool = False) -> str:
    """The decoded text of the file at ``path`` (see the module docstring).

    ``what`` says what the file is for in error messages: "the {what} {path} is empty."
    """
    name = str(path)
    label = f"the {what} {name}"
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{label} does not exist.") from None
    except IsADirectoryError:
        raise InputError(f"{label} is a directory, not a file.") from None
    except PermissionError:
        raise InputError(f"{label} cannot be read: permission denied.") from None
    except OSError as err:
        if p.is_dir():
            raise InputError(f"{label} is a directory, not a file.") from None
        raise InputError(f"{label} cannot be read: {err.strerror or err}.") from None
    return decode_article(data, name, what, allow_empty)


def read_lines(path: str | Path, what: str = "file", allow_empty: bool = False) -> list[str]:
    """The lines of a line-parallel text file (hypotheses, references), one item a line.

    Read and checked like an article (``read_article``; ``what`` names the file in error
    messages); lines end at CRLF, CR or LF, which are not part of the items, and a final line
    end does not make an extra empty item.
    """
    text = read_article(path, what, allow_empty)
    if not text:
        return []
    lines = [text[s:e] for s, e in line_spans(text)]
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines
