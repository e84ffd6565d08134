"""Emails are rendered by the one function in apps.goals.emails (subject, plain text, HTML)."""

from apps.goals.emails import email_render

__all__ = ["email_render"]
