"""Read an article file into text that every offset in the project points into.

The text is the file decoded as UTF-8, with a leading byte-order mark removed and CRLF and
lone CR line ends normalised to LF; nothing else is changed (no Unicode normalisation, no
whitespace trimming). Every ``start``/``end`` offset of a segment, token or span is a
character offset into THIS text, not into the raw bytes of the file.

Files a user can get wrong (missing, a directory, unreadable, empty, binary, UTF-16, a legacy
encoding such as Windows-1256) raise ``InputError`` with one sentence that says what to do.
"""

from __future__ import annotations

import shlex
import unicodedata
from pathlib import Path

from align.errors import InputError

_BOM = b"\xef\xbb\xbf"
# Share of control bytes (other than tab, LF, CR, FF) above which a file is binary, not text.
MAX_CONTROL_SHARE = 0.1
# Share of letters that must be Arabic for undecodable bytes to be called Windows-1256.
MIN_ARABIC_SHARE = 0.5


def _arabic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    arabic = sum(1 for ch in letters if "ARABIC" in unicodedata.name(ch, ""))
    return arabic / len(letters)


def _utf8_name(name: str) -> str:
    path = Path(name)
    return str(path.with_name(f"{path.stem}.utf8{path.suffix or '.txt'}"))


def decode_article(data: bytes, name: str) -> str:
    """Decode the bytes of an article (``name`` is only used in error messages)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{name} is UTF-16, not UTF-8: convert it with "
            f"`iconv -f utf-16 -t utf-8 {shlex.quote(name)} > {shlex.quote(_utf8_name(name))}`."
        )
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if not data.strip():
        raise InputError(f"{name} is empty: there is no article text to read.")
    controls = sum(1 for b in data if b < 0x20 and b not in b"\t\n\r\f")
    if b"\x00" in data or controls > MAX_CONTROL_SHARE * len(data):
        raise InputError(f"{name} looks like a binary file, not a text article.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        try:
            legacy = data.decode("cp1256")
        except UnicodeDecodeError:
            legacy = ""
        if _arabic_share(legacy) >= MIN_ARABIC_SHARE:
            raise InputError(
                f"{name} is not UTF-8; it looks like Windows-1256 (legacy Arabic): convert it "
                f"with `iconv -f cp1256 -t utf-8 {shlex.quote(name)} > "
                f"{shlex.quote(_utf8_name(name))}`."
            ) from None
        raise InputError(
            f"{name} is not UTF-8 (invalid byte at offset {err.start}): save it as UTF-8."
        ) from None
    if not text.strip():
        raise InputError(f"{name} is empty: there is no article text to read.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_article(path: str | Path) -> str:
    """The decoded text of the article at ``path`` (see the module docstring)."""
    name = str(path)
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name} does not exist.") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a directory, not an article file.") from None
    except PermissionError:
        raise InputError(f"{name} cannot be read: permission denied.") from None
    except OSError as err:
        if p.is_dir():
            raise InputError(f"{name} is a directory, not an article file.") from None
        raise InputError(f"{name} cannot be read: {err.strerror or err}.") from None
    return decode_article(data, name)
