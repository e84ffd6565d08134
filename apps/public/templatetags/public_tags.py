"""Small pieces every public page uses: a status as icon + words (never colour alone), a progress
bar with its number, plain decimals (7000.0000 -> 7000)."""

from decimal import Decimal

from django import template
from django.urls import reverse, translate_url
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.goals import units
from apps.goals.status import status_label
from apps.goals.weblinks import web_url as _web_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language):
    """This page's address in the other language (/en/… for English), query string kept: the
    language switch is a plain link, so no form, no CSRF cookie and no session are needed."""
    return translate_url(context["request"].get_full_path(), language)


# 16×16 SVG shapes, distinct per family of statuses so they read without colour.
_ICON_PATHS = {
    "check": '<circle cx="8" cy="8" r="7"/>'
    '<path d="M4.5 8.2l2.3 2.3 4.7-4.9" fill="none" stroke="#fff" stroke-width="1.8"/>',
    "dot": '<circle cx="8" cy="8" r="7"/>'
    '<path d="M5 8h6M8.5 5l3 3-3 3" fill="none" stroke="#fff" stroke-width="1.6"/>',
    "warn": '<path d="M8 1l7.5 13.5H.5z"/><path d="M8 6v4M8 11.5v1.2" stroke="#fff" stroke-width="1.6"/>',
    "cross": '<circle cx="8" cy="8" r="7"/>'
    '<path d="M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6" stroke="#fff" stroke-width="1.8"/>',
    "clock": '<circle cx="8" cy="8" r="7"/>'
    '<path d="M8 4v4.3l2.8 1.7" fill="none" stroke="#fff" stroke-width="1.6"/>',
    "pause": '<circle cx="8" cy="8" r="7"/><path d="M6 5v6M10 5v6" stroke="#fff" stroke-width="1.8"/>',
    "empty": '<circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.6"/>',
}
STATUS_ICONS = {
    "achieved": "check",
    "done": "check",
    "on_track": "dot",
    "due": "clock",
    "at_risk": "warn",
    "off_track": "cross",
    "missed": "cross",
    "overdue": "cross",
    "awaiting_data": "pause",
    "unreported": "empty",
    "period_unreported": "empty",
    "in_progress": "dot",
    "stale": "clock",
    "not_started": "empty",
}


def plain(value):
    """A number as stated, without trailing zeros or exponent (7000.0000 -> 7000); None as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return units.amount_display(value)
    return str(value)


register.filter("plain", plain)


@register.simple_tag
def amount(value, unit, computed=False):
    """A figure in its unit as the reader's language says it: 1700 亿元 / 170 billion yuan;
    computed=True rounds an amount the site worked out (a forecast: 16.0273 -> 16)."""
    from apps.public.indicators import amount_display

    return amount_display(value, unit, computed=computed)


@register.simple_tag
def figure_kind(figure):
    """正式数据 final, 预计数 estimate or 初步数据 preliminary."""
    from apps.public.indicators import figure_kind_label

    return figure_kind_label(figure)


@register.simple_tag
def figure_period(figure):
    from apps.public.indicators import period_label

    return period_label(figure.period_start, figure.as_of)


@register.simple_tag
def status_badge(status, large=False, link=True):
    """A status as icon and words, linked to its definition on the methodology page (link=False
    where the badge already sits inside a link, or on that page)."""
    label = status_label(status, translation.get_language() or "")
    shape = _ICON_PATHS[STATUS_ICONS.get(status, "empty")]
    inner = format_html(
        '<svg class="status-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" '
        'fill="currentColor">{}</svg><span class="status-text">{}</span>',
        mark_safe(shape),
        label,
    )
    classes = f"status status-{status} {'status-large' if large else ''}"
    if link:
        return format_html(
            '<a class="{}" href="{}#status-{}" title="{}">{}</a>',
            classes,
            reverse("public:methodology"),
            status,
            _("这一状态的含义"),
            inner,
        )
    return format_html('<span class="{}">{}</span>', classes, inner)


@register.simple_tag
def sample_flag():
    """The words that mark a figure, or a status resting on one, as invented for the demo."""
    return format_html('<span class="sample-flag" data-testid="sample-flag">{}</span>', _("示例数据"))


@register.simple_tag
def status_flags(goal):
    """What a status rests on, beside it: 初步数据 when a final verdict rests on a provisional
    figure, 示例数据 when it rests on a sample."""
    flags = []
    if goal.latest_is_provisional and goal.status in ("achieved", "missed"):
        flags.append(
            format_html(
                '<span class="provisional-flag" data-testid="provisional-verdict">{}</span>', _("初步数据")
            )
        )
    if goal.is_sample:
        flags.append(sample_flag())
    return mark_safe(" " + " ".join(flags)) if flags else ""


@register.simple_tag
def latest_figure(goal):
    """The latest figure of a goal with its date, marked provisional or sample where it is."""
    if goal.latest_value is None:
        return _("暂无数据")
    marks = []
    if goal.latest_is_provisional:
        marks.append(format_html('<span class="provisional-flag">{}</span>', _("初步")))
    if goal.is_sample:
        marks.append(sample_flag())
    as_of = formats.date_format(goal.latest_as_of) if goal.latest_as_of else ""
    return format_html(
        '{} {}<small class="muted nowrap">{}</small>',
        amount(goal.latest_value, goal.unit),
        mark_safe(" ".join(marks) + (" " if marks else "")),
        _("截至%(day)s") % {"day": as_of},
    )


@register.filter
def status_text(status):
    return status_label(status, translation.get_language() or "")


@register.simple_tag
def progress_bar(percent, compact=False):
    """A bar for the share of the way from the baseline to the target (Goal.progress_facts; none for a
    level without a baseline), with the number as text beside it. The number is as it is, below 0 or
    above 100; only the fill stops at the ends of the track."""
    if percent is None:
        return format_html('<span class="progress-none">{}</span>', _("暂无"))
    filled = max(Decimal(0), min(Decimal(100), Decimal(percent)))
    # Rounded as the status text rounds it (units.amount_display: 50.25 → 50.3).
    number = units.amount_display(Decimal(percent), percent=True)
    label = _("从基期值到目标已完成 %(percent)s%%") % {"percent": number}
    return format_html(
        '<span class="progress {}" title="{}"><span class="progress-track" role="img" aria-label="{}">'
        '<span class="progress-fill" style="width:{}%"></span></span>'
        '<span class="progress-number">{}%</span></span>',
        "progress-compact" if compact else "",
        label,
        label,
        units.amount_display(filled, percent=True),
        number,
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def web_url(value):
    """An outside link as stored, or "" when it is not an http(s) address (never rendered as a link)."""
    return _web_url(value)
