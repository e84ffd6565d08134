"""The status colours of apps.goals.status as CSS custom properties (--status-on_track …), put in each
page's head: site.css and the charts read them there, so a colour is defined in one place."""

from django import template
from django.utils.html import format_html

from apps.goals.status import STATUS_COLOURS

register = template.Library()


def status_colour_properties() -> str:
    """`--status-<status>: <colour>;` for every status, in the order of Status."""
    return " ".join(f"--status-{status}: {colour};" for status, colour in STATUS_COLOURS.items())


@register.simple_tag
def status_colour_style():
    return format_html("<style>:root {{ {} }}</style>", status_colour_properties())
