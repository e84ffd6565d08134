"""The goal list's filters, shared by the list page, its downloads and the JSON API. A value that does
not validate is ignored (the form shows why), so no query string can break a page."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.goals.models import Category, Department, Goal, Jurisdiction, Plan
from apps.goals.status import status_label

from .selectors import STATUS_ORDER

# year=current: the goals whose period contains today (this year's and the multi-year plans running).
IN_FORCE = "current"


class DisplayNameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class DisplayNameFilter(django_filters.ModelChoiceFilter):
    field_class = DisplayNameChoiceField


class GoalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search", max_length=100)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=[], empty_label=_("全部"))
    category = DisplayNameFilter(
        label=_("工作领域"), queryset=Category.objects.all(), to_field_name="slug", empty_label=_("全部")
    )
    department = DisplayNameFilter(
        label=_("责任单位"),
        queryset=Department.objects.all(),
        to_field_name="slug",
        method="filter_department",
        empty_label=_("全部"),
    )
    place = DisplayNameFilter(
        label=_("地区"), queryset=Jurisdiction.objects.all(), to_field_name="slug", empty_label=_("全部地区")
    )
    plan = DisplayNameFilter(label=_("规划"), queryset=Plan.objects.all(), empty_label=_("全部"))
    year = django_filters.ChoiceFilter(
        label=_("截止年份"), choices=[], method="filter_year", empty_label=_("全部")
    )

    class Meta:
        model = Goal
        fields = []

    def __init__(self, *args, language="zh-hans", **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["status"].extra["choices"] = [
            (s.value, status_label(s.value, language)) for s in STATUS_ORDER
        ]
        # Only the years that have goals, so the year filter can never ask for a date out of range;
        # before them, the goals in force today (the list page's default).
        years = Goal.objects.public().dates("deadline", "year")
        self.filters["year"].extra["choices"] = [
            (IN_FORCE, _("当前在期")),
            *((str(d.year), str(d.year)) for d in years),
        ]

    def filter_search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(title_en__icontains=word)
                | Q(metric__icontains=word)
                | Q(slug__icontains=word)
            )
        return queryset

    def filter_year(self, queryset, name, value):
        if value == IN_FORCE:
            return queryset.in_force(timezone.localdate())
        return queryset.filter(deadline__year=int(value))

    def filter_department(self, queryset, name, value):
        """Lead or supporting department, without duplicating goals."""
        supporting = Goal.supporting_departments.through.objects.filter(
            goal_id=OuterRef("pk"), department=value
        )
        return queryset.filter(Q(lead_department=value) | Exists(supporting))
