"""Option parsers the management commands share."""

from datetime import date

from django.core.management.base import CommandError


def date_option(text: str) -> date:
    """--date YYYY-MM-DD, or a clear error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--date must be a date written YYYY-MM-DD, e.g. 2026-11-22; got {text!r}."
        ) from None
