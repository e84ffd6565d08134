"""The staff page behind a digest's "…N more" links: one department's section (or all departments')
for one period, with the list followed showing up to FULL_LIST_LIMIT lines (beyond that, the admin's
own lists and filters serve better than one page)."""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from apps.goals.models import Department

from . import building
from .building import LISTS, section_build
from .periods import Frequency, period_starting
from .scope import ALL, digest_scope, member_departments


def full_list_page(model_admin, request):
    try:
        period = period_starting(
            request.GET.get("frequency", Frequency.WEEKLY), date.fromisoformat(request.GET.get("period", ""))
        )
        department_id = int(request.GET["department"]) if request.GET.get("department") else None
    except ValueError as error:
        raise Http404(str(error)) from error
    department = None if department_id is None else get_object_or_404(Department, pk=department_id)
    # The lists show figures awaiting review: a department's only to its members, all departments'
    # only to a superuser (scope.py); anyone else is told it does not exist.
    asked = (department.pk,) if department else ALL
    member_of = member_departments([request.user.pk]).get(request.user.pk, frozenset())
    if digest_scope(asked, member_of=member_of, is_superuser=request.user.is_superuser) != asked:
        raise Http404("no digest list of this department for you")
    name = request.GET.get("list", "")
    section = section_build(department=department, period=period, full=name if name in LISTS else "")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"{period.start:%Y-%m-%d} – {period.last_day:%Y-%m-%d} · 完整列表 · Full lists",
        "section": section,
        "period": period,
        "list": name if name in LISTS else "",
        "full_limit": building.FULL_LIST_LIMIT,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/digests/full_list.html", context)
