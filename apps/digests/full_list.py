"""The staff page behind a digest's "…N more" links: every line of one department's section (or of
all departments) for one period, uncapped."""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from apps.goals.models import Department

from .building import LISTS, section_build
from .periods import Frequency, period_starting


def full_list_page(model_admin, request):
    try:
        period = period_starting(
            request.GET.get("frequency", Frequency.WEEKLY), date.fromisoformat(request.GET.get("period", ""))
        )
    except ValueError as error:
        raise Http404(str(error)) from error
    department = None
    if request.GET.get("department"):
        department = get_object_or_404(Department, pk=request.GET["department"])
    section = section_build(department=department, period=period, limit=None)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"{period.start:%Y-%m-%d} – {period.last_day:%Y-%m-%d} · 完整列表 · Full lists",
        "section": section,
        "period": period,
        "list": request.GET.get("list") if request.GET.get("list") in LISTS else "",
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/digests/full_list.html", context)
