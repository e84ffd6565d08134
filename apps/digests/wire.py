"""A digest email serialized once for every subscriber of its scope: building and encoding the MIME
message (headers, parts, charsets) costs milliseconds per message, more than sending it, so it is done
once and each subscriber's copy is the same bytes with their address, date, message id and
unsubscribe link put in. Used only where the result is exactly what Django would have produced: the
parts sent unencoded (8bit), so the link mark appears in the bytes as written; otherwise (a line too
long for 8bit makes Django use quoted-printable) the digest is built per message as usual."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME

# Headers that differ from one subscriber to the next; the template leaves them out.
_PER_MESSAGE = (b"to", b"date", b"message-id", b"list-unsubscribe")


@dataclass(frozen=True)
class WireTemplate:
    """The message's shared headers and its body cut at each place the unsubscribe link goes."""

    head: bytes  # CRLF-terminated header lines shared by every copy
    body_pieces: tuple[bytes, ...]

    def message_bytes(self, *, to: str, unsubscribe_url: str) -> bytes:
        link = unsubscribe_url.encode("ascii")
        own = (
            f"To: {sanitize_address(to, 'utf-8')}\r\n"
            f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}\r\n"
            f"Message-ID: {make_msgid(domain=DNS_NAME)}\r\n"
            f"List-Unsubscribe: <{unsubscribe_url}>\r\n"
        ).encode("ascii")
        return self.head + own + b"\r\n" + link.join(self.body_pieces)


def _header_lines(head: bytes) -> list[bytes]:
    """Header fields with their folded continuation lines kept together."""
    fields: list[bytes] = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\r\n" + line
        else:
            fields.append(line)
    return fields


def wire_template(message: EmailMultiAlternatives, mark: str) -> WireTemplate | None:
    """The template of `message`, whose body and alternatives hold `mark` where the link goes and
    whose List-Unsubscribe header is "<mark>"; None if the mark does not survive encoding intact."""
    raw = message.message().as_bytes(linesep="\r\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    expected = message.body.count(mark) + sum(content.count(mark) for content, _ in message.alternatives)
    pieces = tuple(body.split(mark.encode("ascii")))
    encoded = (
        b"Content-Transfer-Encoding: quoted-printable" in body or b"Content-Transfer-Encoding: base64" in body
    )
    if len(pieces) - 1 != expected or encoded:
        return None
    shared = [
        field for field in _header_lines(head) if field.split(b":", 1)[0].strip().lower() not in _PER_MESSAGE
    ]
    return WireTemplate(head=b"\r\n".join(shared) + b"\r\n", body_pieces=pieces)


class _WireMessage:
    """Stands for the MIME message where Django's mail backends ask for one: its bytes."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, unixfrom=False, linesep="\n"):
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def get_charset(self):
        return None


class WiredEmail(EmailMultiAlternatives):
    """An email whose MIME form comes from a WireTemplate; everything else (body, alternatives,
    headers, as tests and backends read them) is an ordinary EmailMultiAlternatives."""

    def __init__(self, *args, wire: WireTemplate, unsubscribe_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.wire = wire
        self.unsubscribe_url = unsubscribe_url

    def message(self):
        return _WireMessage(self.wire.message_bytes(to=self.to[0], unsubscribe_url=self.unsubscribe_url))
