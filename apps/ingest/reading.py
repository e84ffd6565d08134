"""Reads a policy document from disk into text, refusing files that are not documents.

The text is returned exactly as decoded (no newline or space normalisation), so offsets found in it
match the file, as the hand-labelled spans expect.
"""

from pathlib import Path

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class DocumentError(Exception):
    """A file that cannot be read as a policy document; the message is meant for a person."""


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
    if not text.strip():
        raise DocumentError(f"{name} contains only whitespace.")
    return text


def read_document(path) -> str:
    """The text of the document at `path`, or DocumentError with a message saying what is wrong."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError(
                f"{path.name} is {size / 1024 / 1024:.1f} MB; documents larger than "
                f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB are refused."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise DocumentError(f"{path} is a directory, not a document.") from None
    except PermissionError:
        raise DocumentError(f"{path} cannot be read (permission denied).") from None
    return decode_document(data, name=path.name)
