"""What other sites embed: a goal's status badge (an SVG image) and its card (a small page for an
iframe). Both are cached public pages, set no cookie, and are the only pages of the site that other
sites may frame (every other page answers X-Frame-Options: DENY)."""

import unicodedata
from functools import wraps

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from apps.goals.status import STATUS_COLOURS, Status, status_label

from . import selectors
from .caching import public_page
from .indicators import amount_display
from .views import goal_or_404

# The status's box takes its colour (apps.goals.status.STATUS_COLOURS, each 4.5:1 or more against
# white text), the figure's box the site's ink.
FIGURE_COLOUR = "#1f2933"
FONT_SIZE = 12


def published_goal(slug):
    """One published goal with what its badge and card show (one query)."""
    return selectors.public_goals().get(slug=slug)


def frameable(view):
    """Any site may show this page in a frame (both the old header and CSP say so)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = "frame-ancestors *"
        return response

    return xframe_options_exempt(wrapper)


def text_width(text: str) -> int:
    """The width of a line of text in pixels at FONT_SIZE, near enough for a badge: wide (CJK)
    characters take a full em, others a little over half of one."""
    em = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return round(em * FONT_SIZE)


def latest_text(goal) -> str:
    if goal.latest_value is None:
        return _("暂无数据")
    figure = amount_display(goal.latest_value, goal.unit)
    if goal.latest_as_of is None:
        return figure
    return f"{figure} · {_('截至%(day)s') % {'day': formats.date_format(goal.latest_as_of)}}"


def badge_svg(goal) -> str:
    """Two boxes: the status in words on its colour, then the latest figure and its date."""
    status = status_label(goal.status, translation.get_language() or "")
    figure = latest_text(goal)
    left, right = text_width(status) + 16, text_width(figure) + 16
    width, height = left + right, 22
    colour = STATUS_COLOURS.get(goal.status, STATUS_COLOURS[Status.NOT_STARTED])  # StrEnum keys
    title = f"{goal.display_title}: {status}, {figure}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="badge-title" '
        f'data-status="{escape(goal.status)}">'
        f'<title id="badge-title">{escape(title)}</title>'
        f'<rect width="{left}" height="{height}" rx="3" fill="{colour}"/>'
        f'<rect x="{left}" width="{right}" height="{height}" fill="{FIGURE_COLOUR}"/>'
        f"<g fill=\"#fff\" font-family=\"system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif\" "
        f'font-size="{FONT_SIZE}" text-anchor="middle" aria-hidden="true">'
        f'<text x="{left / 2}" y="15">{escape(status)}</text>'
        f'<text x="{left + right / 2}" y="15">{escape(figure)}</text>'
        f"</g></svg>"
    )


@frameable
@public_page
def goal_badge(request, slug):
    goal = goal_or_404(slug, published_goal)
    return HttpResponse(badge_svg(goal), content_type="image/svg+xml; charset=utf-8")


@frameable
@public_page
def goal_embed(request, slug):
    goal = goal_or_404(slug, published_goal)
    return render(
        request,
        "public/embed.html",
        {
            "goal": goal,
            "goal_url": request.build_absolute_uri(goal.get_absolute_url()),
            "latest": latest_text(goal),
        },
    )
