"""Handing one email to the mail server, step by step, so that a failure says whether the server can
have accepted the message. Up to the end of the message body nothing is delivered (Failed: safe to
send again); once the body's final "." has gone out, a lost connection or a timeout means the server
may have stored it (Unknown: not sent again blindly). Never call this inside a database transaction.
"""

from __future__ import annotations

import re
import smtplib

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address


class DeliveryFailed(Exception):
    """The server did not take the message: sending it again cannot make a duplicate."""


class DeliveryUnknown(Exception):
    """The message was handed over but the server's answer never came: it may have been delivered."""


_LEADING_DOT = re.compile(rb"(?m)^\.")


def email_deliver(message, *, connection=None) -> None:
    """Send `message` (an EmailMessage) now, raising DeliveryFailed or DeliveryUnknown on failure.
    Given a `connection` (from get_connection()), the SMTP session is reused for many messages and
    left open for the next one (the caller closes it); after a failure it is dropped and the next
    message opens a new one."""
    backend = connection or get_connection(fail_silently=False)
    if not isinstance(backend, SMTPBackend):
        # The console, file and in-memory backends deliver in-process: either it worked or it did not.
        try:
            backend.send_messages([message])
        except Exception as error:
            raise DeliveryFailed(str(error)) from error
        return
    _smtp_deliver(backend, message, keep_open=connection is not None)


def _smtp_deliver(backend: SMTPBackend, message, *, keep_open: bool = False) -> None:
    encoding = message.encoding or "utf-8"
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    body = message.message().as_bytes(linesep="\r\n")
    body = _LEADING_DOT.sub(b"..", body)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    try:
        backend.open()  # connect, greeting, STARTTLS, login; bounded by EMAIL_TIMEOUT
        smtp = backend.connection
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
        code, reply = smtp.docmd("data")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        smtp.send(body + b".\r\n")  # an error before the final "." is out leaves nothing delivered
    except (smtplib.SMTPException, OSError) as error:
        _drop(backend)
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
    try:
        code, reply = smtp.getreply()
    except (smtplib.SMTPException, OSError) as error:
        _drop(backend)
        raise DeliveryUnknown(
            f"no answer after the message was sent ({type(error).__name__}: {error})"
        ) from error
    if code != 250:
        _drop(backend)
        raise DeliveryFailed(f"the mail server refused the message: {code} {reply!r}")
    if keep_open:
        return
    try:
        backend.close()  # QUIT; the message is accepted whatever happens now
    except (smtplib.SMTPException, OSError):
        _drop(backend)


def _drop(backend: SMTPBackend) -> None:
    """Close the socket without a QUIT, which a hung or dead server would make us wait for."""
    if backend.connection is not None:
        try:
            backend.connection.close()
        except OSError:
            pass
        backend.connection = None
