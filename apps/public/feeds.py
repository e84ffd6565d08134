"""Atom feeds of approved progress updates and of status changes, site-wide and per goal.

An entry's summary is published as `type="html"` (Django's Atom feed), which a feed reader decodes
and then renders as HTML: what staff typed (a note, a unit in an explanation) is escaped for that
HTML here, so `<img onerror=…>` in a note reaches the reader as text (issue 22, item 2)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import formats, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from apps.goals.models import Goal
from apps.goals.status import status_label
from apps.goals.weblinks import web_url

from . import selectors
from .templatetags.public_tags import plain

FEED_LENGTH = 50


class _GoalFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        try:
            return selectors.public_goals().get(slug=slug)
        except Goal.DoesNotExist:
            raise Http404("No published goal with this slug") from None

    def link(self, obj):
        return obj.get_absolute_url() if obj else reverse("public:dashboard")

    def item_author_name(self, item):
        return _("济南目标追踪")


class ProgressFeed(_GoalFeed):
    def title(self, obj):
        return _("%(goal)s：进展") % {"goal": obj.display_title} if obj else _("济南目标追踪：最新进展")

    def subtitle(self, obj):
        return _("经审核发布的进展数据")

    def items(self, obj):
        updates = selectors.public_updates()
        if obj is not None:
            updates = updates.filter(goal=obj)
        return updates.order_by("-reviewed_at", "-pk")[:FEED_LENGTH]

    def item_title(self, update):
        value = (
            f"{plain(update.value)} {update.goal.unit}".strip() if update.value is not None else _("已完成")
        )
        title = _("%(goal)s：%(value)s（截至%(date)s）") % {
            "goal": update.goal.display_title,
            "value": value,
            "date": formats.date_format(update.as_of),
        }
        return f"{title} [{_('示例数据')}]" if update.is_sample else title

    def item_description(self, update):
        if update.is_sample:  # never "final" beside a sample
            parts = [_("示例数据，仅供演示")]
        else:
            parts = [_("正式数据") if update.is_final else _("初步数据")]
        if update.note:
            parts.append(update.note)
        if web_url(update.evidence_url):
            parts.append(_("佐证：%(url)s") % {"url": web_url(update.evidence_url)})
        return escape(" · ".join(parts))

    def item_link(self, update):
        return f"{update.goal.get_absolute_url()}#update-{update.pk}"

    def item_pubdate(self, update):
        return update.reviewed_at or update.created_at

    def item_updateddate(self, update):
        return update.updated_at


class StatusFeed(_GoalFeed):
    def title(self, obj):
        return _("%(goal)s：状态变化") % {"goal": obj.display_title} if obj else _("济南目标追踪：状态变化")

    def subtitle(self, obj):
        return _("目标状态的每一次变化及其说明")

    def items(self, obj):
        changes = selectors.public_status_changes()
        if obj is not None:
            changes = changes.filter(goal=obj)
        return changes.order_by("-changed_at", "-pk")[:FEED_LENGTH]

    def item_title(self, change):
        language = translation.get_language() or ""
        before = status_label(change.from_status, language)
        title = _("%(goal)s：%(before)s → %(after)s") % {
            "goal": change.goal.display_title,
            "before": before,
            "after": status_label(change.to_status, language),
        }
        return f"{title} [{_('示例数据')}]" if change.is_sample else title

    def item_description(self, change):
        return escape(change.explanation)

    def item_link(self, change):
        return f"{change.goal.get_absolute_url()}#status-{change.pk}"

    def item_pubdate(self, change):
        return change.changed_at
