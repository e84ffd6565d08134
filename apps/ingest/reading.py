"""Reads a policy document from disk into text, refusing files that are not documents.

The text is returned exactly as decoded (no newline or space normalisation), so offsets found in it
match the file, as the hand-labelled spans expect.
"""

import codecs
import os
import stat
from pathlib import Path

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class DocumentError(Exception):
    """A file that cannot be read as a policy document; the message is meant for a person."""


def _looks_like_utf16(data: bytes) -> bool:
    """Text saved as UTF-16 without a byte-order mark: every other byte of the ASCII parts is zero."""
    sample = data[:4096]
    return len(sample) >= 8 and (
        sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4
    )


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    sample = data[:4096]
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return control > len(sample) * 0.1


def decode_document(data: bytes, *, name: str = "document") -> str:
    """Decode document bytes: UTF-8 (BOM stripped), else GB18030 (the encoding of many Chinese sites)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"{name} is {len(data) / 1024 / 1024:.1f} MB; documents larger than "
            f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB are refused."
        )
    if not data.strip():
        raise DocumentError(f"{name} is empty.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked_text(data.decode("utf-16"), name)
        except UnicodeDecodeError:
            raise DocumentError(f"{name} starts like UTF-16 text but cannot be decoded as UTF-16.") from None
    if _looks_like_utf16(data):
        raise DocumentError(
            f"{name} looks like UTF-16 text without a byte-order mark; "
            "save it as UTF-8 (or UTF-16 with a BOM)."
        )
    if _looks_binary(data):
        raise DocumentError(f"{name} looks like a binary file, not a text document.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as error:
            raise DocumentError(
                f"{name} cannot be decoded as UTF-8 or GB18030 (bad byte at position {error.start})."
            ) from None
    return _checked_text(text, name)


def _checked_text(text: str, name: str) -> str:
    if not text.strip():
        raise DocumentError(f"{name} contains only whitespace.")
    return text


def read_document(path) -> str:
    """The text of the document at `path`, or DocumentError with a message saying what is wrong."""
    path = Path(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            # A pipe would block the run and a device like /dev/zero never ends.
            raise DocumentError(f"{path} is not a regular file (a pipe, device or socket), not a document.")
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise DocumentError(
                f"{path.name} is {info.st_size / 1024 / 1024:.1f} MB; documents larger than "
                f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB are refused."
            )
        with open(path, "rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)  # never more, whatever the size said
    except FileNotFoundError:
        raise DocumentError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise DocumentError(f"{path} is a directory, not a document.") from None
    except PermissionError:
        raise DocumentError(f"{path} cannot be read (permission denied).") from None
    return decode_document(data, name=path.name)
