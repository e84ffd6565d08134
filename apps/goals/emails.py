"""Rendering emails: each is three templates in templates/emails/ (subject, plain text, HTML)."""

from django.template.loader import render_to_string


def email_render(name: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) from emails/<name>_subject.txt, emails/<name>.txt and emails/<name>.html.
    The subject is folded onto one line, since a header cannot hold a newline."""
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    return subject, text, html
