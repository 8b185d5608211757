"""Read an article file into text that every offset in the project points into.

The text is the file decoded as UTF-8 with a leading byte-order mark removed, and nothing
else changed: line ends are kept as they are (LF, CRLF, a lone CR, or a mix), there is no
Unicode normalisation and no whitespace trimming. So it equals ``data.decode("utf-8-sig")``
of the file's bytes, and every ``start``/``end`` offset of a segment, token or span is a
character offset into THIS text, not into the raw bytes of the file.

A line ends at ``\\r\\n``, ``\\r`` or ``\\n`` (``line_spans``); a line's text never holds
``\\r``.

Files a user can get wrong (missing, a directory, a device or FIFO, larger than
``MAX_INPUT_BYTES``, unreadable, empty, binary, UTF-16, UTF-8 with a few bad bytes, a legacy
encoding such as Windows-1256 or ISO-8859-6) raise ``InputError`` with one sentence that names
the file by what it is for ("the reference file ref.txt is empty.") and says what to do; where
a conversion helps, the sentence gives the ``iconv`` command that does it.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import unicodedata
from pathlib import Path

from align.errors import InputError
from align.text.segment import blank_marks

_BOM = b"\xef\xbb\xbf"
# Share of control bytes (other than tab, LF, CR, FF) above which a file is binary, not text.
MAX_CONTROL_SHARE = 0.1
# Share of letters that must be Arabic for undecodable bytes to be called a legacy Arabic
# encoding (Windows-1256 or ISO-8859-6).
MIN_ARABIC_SHARE = 0.5
# ...and how many such letters at least: one stray byte in a file of digits (a Pharaoh
# file) also decodes as one Arabic letter, which is no Arabic text.
MIN_ARABIC_LETTERS = 3
# At most this share of a Windows-1252 file's letters past ASCII for it to be read as Latin
# text (English with its curly quotes and accents, not another script's letters).
MAX_LATIN1_SHARE = 0.3
# The largest file read: articles, references and even training text are far smaller, and a
# sparse or runaway file must be refused before it is read into memory.
MAX_INPUT_BYTES = 256 * 1024 * 1024
# Offsets of bad bytes named in a message, at most.
SHOWN_OFFSETS = 5
_LINE_END = re.compile(r"\r\n|\r|\n")
# Bytes that are not UTF-8, as ``surrogateescape`` decodes them (one character a byte).
_ESCAPED = re.compile("[\udc80-\udcff]")


def _arabic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    arabic = sum(1 for ch in letters if "ARABIC" in unicodedata.name(ch, ""))
    return arabic / len(letters) if arabic >= MIN_ARABIC_LETTERS else 0.0


def _iconv(source: str, name: str, extra: str = "") -> str:
    """The command that writes the file's UTF-8 copy beside it, as NAME.utf8 (which no batch
    reads as an article or a reference, and which leaves the original as it is, should the
    guess of its encoding be wrong), and what to do with the copy."""
    if name.startswith("-"):  # (else iconv reads it as an option)
        name = "./" + name
    quoted, copy = shlex.quote(name), shlex.quote(name + ".utf8")
    return (
        f"`iconv -f {source} -t utf-8{extra} {quoted} > {copy}`, then, when the copy reads "
        "right, put it in the file's place"
    )


def _arabic_among_latin(data: bytes) -> bool:
    """Whether ``data`` reads in Windows-1256 as Latin text with Arabic in it: Arabic
    letters (at least ``MIN_ARABIC_LETTERS``) most of what lies past ASCII. (A file of
    mostly Arabic is ``_legacy_arabic``'s.)"""
    try:
        text = data[:_SAMPLE].decode("cp1256")
    except UnicodeDecodeError:
        return False
    arabic = sum(1 for ch in text if "ARABIC" in unicodedata.name(ch, "") and ch.isalpha())
    wide = sum(ch >= "\x80" for ch in text)
    return arabic >= MIN_ARABIC_LETTERS and 2 * arabic > wide and _reads_as(data, "cp1256")


def _latin_in_cp1252(data: bytes) -> bool:
    """Whether ``data`` is Latin text in Windows-1252: every byte defined there, and the
    characters past ASCII few among its letters (curly quotes, an accent; Russian or Hebrew
    read so would be nothing but them)."""
    try:
        text = data[:_SAMPLE].decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: no character there
        return False
    letters = sum(ch.isalpha() for ch in text)
    wide = sum(ch >= "\x80" for ch in text)
    return letters > 0 and wide <= MAX_LATIN1_SHARE * letters and _reads_as(data, "cp1252")


def _bad_utf8(data: bytes) -> tuple[list[int], int]:
    """Byte offsets of the bytes that are not UTF-8, and how many well-formed multi-byte
    UTF-8 characters the data holds around them."""
    text = data.decode("utf-8", "surrogateescape")
    offsets = []
    byte = 0
    last = 0
    for m in _ESCAPED.finditer(text):
        byte += len(text[last : m.start()].encode("utf-8"))
        offsets.append(byte)
        byte += 1
        last = m.end()
    multibyte = sum(1 for ch in text if ch >= "\x80") - len(offsets)
    return offsets, multibyte


def _legacy_arabic(data: bytes) -> str | None:
    """ "iso-8859-6" or "cp1256" when the bytes read as mostly Arabic letters in that encoding.

    Both encodings put Arabic letters in the upper half; they differ from 0xDB on. Text in
    ISO-8859-6 decoded as Windows-1256 turns its و ي ه (0xE7-0xEA) into Latin letters (ç è é
    ê), and Windows-1256 text seldom decodes as ISO-8859-6 at all (غ ف ق ك are 0xDB-0xDF,
    undefined there), so the encoding whose decoding is the more Arabic is the one.
    """
    shares = {}
    for codec in ("iso-8859-6", "cp1256"):
        try:
            shares[codec] = _arabic_share(data.decode(codec))
        except UnicodeDecodeError:
            continue
    if not shares:
        return None
    best = max(shares, key=lambda c: (shares[c], c == "cp1256"))
    return best if shares[best] >= MIN_ARABIC_SHARE else None


def _offsets(offsets: list[int]) -> str:
    shown = ", ".join(str(o) for o in offsets[:SHOWN_OFFSETS])
    more = len(offsets) - SHOWN_OFFSETS
    return shown + (f" and {more} more" if more > 0 else "")


def _utf16_order(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark: NUL in every other byte of mostly-ASCII
    text, or Arabic (U+06xx) with its 0x06 high bytes (in UTF-32, two NULs more in every
    four). The high bytes second is little-endian ("utf-16le", "utf-32le"), first
    big-endian; None when it looks like neither."""
    if len(data) < 4 or len(data) % 2:
        return None
    if len(data) % 4 == 0:
        for order, zeros in (("utf-32le", data[3::4] + data[2::4]),
                             ("utf-32be", data[0::4] + data[1::4])):  # fmt: skip
            if zeros.count(0) > 0.95 * len(zeros):
                return order if _reads_as(data, order) else None
    for order, half in (("utf-16le", data[1::2]), ("utf-16be", data[0::2])):
        if half.count(0) + half.count(6) > 0.8 * len(half):
            return order if _reads_as(data, order) else None
    return None


def _reads_as(data: bytes, encoding: str) -> bool:
    """Whether ``data`` decodes as text in ``encoding``: no error, something besides NULs
    and blanks, and few control or unassigned characters. Zeros and binary headers (a
    database, an executable) have the byte pattern too, and converting them gives no text."""
    # The first 64 KiB say it (a whole 256 MiB file took seconds), a cut or stray unit
    # counted as one odd character, not as proof of binary.
    text = data[:_SAMPLE].decode(encoding, errors="replace")
    if not text.strip("\0 \t\r\n\f"):
        return False
    odd = sum(
        1
        for ch in text
        if (ch < " " and ch not in "\t\n\r\f")
        or ch == "\ufffd"
        or unicodedata.category(ch) in ("Cn", "Co")
    )
    return odd <= MAX_CONTROL_SHARE * len(text)


# The control bytes that make a file binary (tab, line ends and form feed are text).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\f")
_SAMPLE = 1 << 16  # bytes (a multiple of 4: whole UTF-16 and UTF-32 units)


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
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise InputError(f"{label} is UTF-32, not UTF-8: convert it with {_iconv('utf-32', name)}.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{label} is UTF-16, not UTF-8: convert it with {_iconv('utf-16', name)}.")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if not allow_empty and not data.strip():
        raise InputError(f"{label} is {_empty(data)}: there is no text in it to read.")
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))  # (at C speed)
    if b"\x00" in data or controls > MAX_CONTROL_SHARE * len(data):
        order = _utf16_order(data)
        if order is not None:
            raise InputError(
                f"{label} looks like {order[:6].upper()} without a byte-order mark, not UTF-8: "
                f"convert it with {_iconv(order, name)}."
            )
        raise InputError(f"{label} looks like a binary file, not UTF-8 text.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(_not_utf8(data, label, name)) from None
    if not allow_empty and not blank_marks(text).strip():  # only whitespace, invisible marks
        raise InputError(f"{label} is {_empty(data)}: there is no text in it to read.")
    return text


def _empty(data: bytes) -> str:
    """ "empty", or what the file holds instead of text (``ls -s`` shows it is not empty)."""
    return "empty" if not data else "empty (blank lines, spaces or invisible marks only)"


def _not_utf8(data: bytes, label: str, name: str) -> str:
    """The sentence for bytes that are not UTF-8: what they most likely are, and the fix.

    UTF-8 with a few bad bytes (a damaged file, a stray byte, an encoded lone surrogate) is
    recognised first, because its Arabic also decodes as Windows-1256 letters: there the
    right advice is to fix or drop the named bytes, not to reinterpret the whole file.
    """
    offsets, multibyte = _bad_utf8(data)
    if multibyte >= len(offsets):
        return (
            f"{label} is UTF-8 except for {len(offsets)} byte(s) that are not, at byte "
            f"offset(s) {_offsets(offsets)}: fix them, or drop them with "
            f"{_iconv('utf-8', name, ' -c')}."
        )
    legacy = _legacy_arabic(data)
    if legacy == "iso-8859-6":
        return (
            f"{label} is not UTF-8; it looks like ISO-8859-6 (legacy Arabic): convert it "
            f"with {_iconv('iso-8859-6', name)}."
        )
    if legacy == "cp1256":
        return (
            f"{label} is not UTF-8; it looks like Windows-1256 (legacy Arabic): convert it "
            f"with {_iconv('cp1256', name)}."
        )
    if _arabic_among_latin(data):
        return (
            f"{label} is not UTF-8; it looks like Windows-1256 (legacy Arabic) with Latin "
            f"text: convert it with {_iconv('cp1256', name)}."
        )
    if _latin_in_cp1252(data):  # English saved by Windows: curly quotes, é, –
        return (
            f"{label} is not UTF-8 (bytes that are not UTF-8 at byte offset(s) "
            f"{_offsets(offsets)}); if it was saved as Windows-1252 (Western European: "
            f"curly quotes, accented letters), convert it with {_iconv('cp1252', name)}; if "
            f"those bytes are damage, drop them with {_iconv('utf-8', name, ' -c')}."
        )
    return (
        f"{label} is not UTF-8 (bytes that are not UTF-8 at byte offset(s) "
        f"{_offsets(offsets)}): save it as UTF-8."
    )


def missing_file(label: str, path: Path) -> str:
    """The sentence for a file that is not there: a link whose target is missing is listed
    by ``ls``, and "does not exist" alone would contradict it."""
    try:
        if path.is_symlink():
            return f"{label} is a link to {os.readlink(path)}, which does not exist."
    except (OSError, ValueError):
        pass
    return f"{label} does not exist."


def read_article(path: str | Path, what: str = "article", allow_empty: bool = False) -> str:
    """The decoded text of the file at ``path`` (see the module docstring).

    ``what`` says what the file is for in error messages: "the {what} {path} is empty."
    """
    name = str(path)
    label = f"the {what} {name}"
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise InputError(missing_file(label, p)) from None
    except ValueError:  # a NUL byte, or a character no file name can hold
        raise InputError(f"{label} is not a valid file name.") from None
    except OSError as err:
        raise InputError(f"{label} cannot be read: {err.strerror or err}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{label} is a directory, not a file.")
    if not stat.S_ISREG(info.st_mode):
        # Reading a device or a FIFO may never end (/dev/zero, a pipe nobody writes to).
        raise InputError(
            f"{label} is not a regular file (a device, a pipe or a socket); save the text "
            "to a file and give that."
        )
    if info.st_size > MAX_INPUT_BYTES:
        raise InputError(
            f"{label} is {info.st_size:,} bytes, more than the "
            f"{MAX_INPUT_BYTES // (1024 * 1024)} MiB an input file may be."
        )
    try:
        with p.open("rb") as f:
            data = f.read(MAX_INPUT_BYTES + 1)  # a file that grows while read stops here too
    except FileNotFoundError:
        raise InputError(missing_file(label, p)) from None
    except IsADirectoryError:
        raise InputError(f"{label} is a directory, not a file.") from None
    except PermissionError:
        raise InputError(f"{label} cannot be read: permission denied.") from None
    except OSError as err:
        if p.is_dir():
            raise InputError(f"{label} is a directory, not a file.") from None
        raise InputError(f"{label} cannot be read: {err.strerror or err}.") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"{label} is more than the {MAX_INPUT_BYTES // (1024 * 1024)} MiB an input file may be."
        )
    return decode_article(data, name, what, allow_empty)


def line_end_note(*paths: str | Path | None) -> str:
    """When line counts disagree: the files among ``paths`` with lone carriage returns (a CR
    not followed by LF), which end a line here, as in Python's universal newlines and old
    Mac files, but which ``wc -l``, sacrebleu and some editors do not count. "" when none
    has any (or a file cannot be read again)."""
    said = []
    for path in paths:
        if path is None:
            continue
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        n = len(re.findall(rb"\r(?!\n)", data))
        if n:
            said.append(f"{path} has {n:,} lone carriage return{'' if n == 1 else 's'} (CR)")
    if not said:
        return ""
    return (
        f" ({'; '.join(said)}, each read as a line end, which `wc -l` does not count: "
        "`tr '\\r' ' '` makes them spaces)"
    )


# The letters of the Arabic script (its punctuation and digits are found in English too).
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc]")


def swapped(arabic: list[str], english: list[str]) -> bool:
    """Whether two line-parallel texts look given the wrong way round: the one taken as
    Arabic has no Arabic letter at all, and the one taken as English has some."""
    return not any(map(_ARABIC_LETTER.search, arabic)) and any(map(_ARABIC_LETTER.search, english))


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
