"""The goal list as a sortable table. Sorting by an unknown key is ignored by django-tables2."""

import django_tables2 as tables
from django.db.models import DecimalField, ExpressionWrapper, F
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.goals.models import Goal

from .selectors import status_rank
from .templatetags.public_tags import latest_figure, progress_bar, status_badge, status_flags

# The sort control above the list (a <select>, for phones, where the column headers are hidden): the
# `sort` values django-tables2 reads, with what they mean.
SORT_CHOICES = [
    ("deadline", _("截止日期：近的在前")),
    ("-deadline", _("截止日期：远的在前")),
    ("status", _("状态：最需关注的在前")),
    ("-progress_percent", _("完成比例：高的在前")),
    ("progress_percent", _("完成比例：低的在前")),
    ("title", _("目标名称")),
    ("lead_department", _("牵头单位")),
]


def _english():
    return (translation.get_language() or "").startswith("en")


def _by_absolute_amount(queryset, field, is_descending):
    amount = ExpressionWrapper(F(field) * F("unit_magnitude"), output_field=DecimalField())
    ordering = amount.desc(nulls_last=True) if is_descending else amount.asc(nulls_last=True)
    return queryset.order_by(ordering, "pk")


class GoalTable(tables.Table):
    title = tables.Column(verbose_name=_("目标"))
    category = tables.Column(
        verbose_name=_("工作领域"), accessor="category", order_by=("category__order", "category__name")
    )
    lead_department = tables.Column(verbose_name=_("牵头单位"), order_by=("lead_department__name",))
    target = tables.Column(verbose_name=_("目标值"), accessor="target_value", order_by=("target_value",))
    latest_value = tables.Column(verbose_name=_("最新值"), order_by=("latest_value",))
    progress_percent = tables.Column(verbose_name=_("完成比例"), order_by=("progress_percent",))
    status = tables.Column(verbose_name=_("状态"))
    deadline = tables.DateColumn(verbose_name=_("截止日期"))

    class Meta:
        model = Goal
        fields = (
            "title",
            "category",
            "lead_department",
            "target",
            "latest_value",
            "progress_percent",
            "status",
            "deadline",
        )
        order_by = ("deadline",)
        empty_text = _("没有符合条件的目标。请放宽筛选条件。")
        # data-label lets the phone layout show each cell with its column name.
        attrs = {"class": "goal-table", "td": {"data-label": lambda bound_column: bound_column.header}}
        template_name = "django_tables2/table.html"

    def render_title(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.display_title)

    def order_title(self, queryset, is_descending):
        field = "title_en" if _english() else "title"
        return queryset.order_by(f"{'-' if is_descending else ''}{field}", "pk"), True

    # Values sort by absolute amount (5700 亿元 = 570,000,000,000 元 ranks above 8900 家), never by
    # the number as written in its own unit.
    def order_target(self, queryset, is_descending):
        return _by_absolute_amount(queryset, "target_value", is_descending), True

    def order_latest_value(self, queryset, is_descending):
        return _by_absolute_amount(queryset, "latest_value", is_descending), True

    def render_category(self, value):
        return value.display_name

    def render_lead_department(self, value):
        return value.display_name

    def render_target(self, record):
        return record.display_target

    def render_latest_value(self, record):
        if record.latest_value is None:
            return "—"
        return latest_figure(record)

    def render_progress_percent(self, value):
        return progress_bar(value, compact=True)

    def render_status(self, record):
        return format_html("{}{}", status_badge(record.status), status_flags(record))

    def order_status(self, queryset, is_descending):
        rank = status_rank()
        return queryset.annotate(status_rank=rank).order_by(
            f"{'-' if is_descending else ''}status_rank", "deadline", "pk"
        ), True
