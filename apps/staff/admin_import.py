"""The admin's spreadsheet pages for progress figures (download a department's template, upload a
filled-in sheet, see every row's errors, and confirm an all-valid sheet) and for goals split into
parts (upload, check, confirm). Thin: the rules are in apps.goals.services.progress_import and
parts_import."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from apps.goals.models import Department, MembershipRole
from apps.goals.services import parts_import
from apps.goals.services.progress_import import (
    ImportRow,
    SheetUnreadable,
    progress_import,
    progress_import_check,
    progress_rows_read,
    progress_template,
)

# A checked sheet travels to the confirmation as signed data, valid this long.
CONFIRM_WITHIN_SECONDS = 3600
SALT = "goals.progress-import"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def recording_departments(user):
    """The departments a staff member may fill a template for."""
    if user.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.RECORDER
    ).distinct()


class UploadForm(forms.Form):
    sheet = forms.FileField(
        label="进展表格 · progress sheet",
        help_text="按模板填写的 .xlsx 或 .csv 文件 · an .xlsx or .csv file filled in from the template",
    )


def progress_import_page(model_admin, request):
    if not model_admin.has_record_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "表格导入进展 · Import figures from a spreadsheet",
        "departments": recording_departments(request.user),
        "form": UploadForm(),
    }
    if request.method == "POST" and request.POST.get("payload"):
        return _confirm(request)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["sheet"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("sheet", "文件不能超过5 MB · The file may be at most 5 MB")
            else:
                try:
                    rows = progress_rows_read(name=upload.name, content=upload.read())
                except SheetUnreadable as error:
                    form.add_error("sheet", str(error))
                else:
                    result = progress_import_check(rows=rows, user=request.user, today=timezone.localdate())
                    context["result"] = result
                    if result.is_valid:
                        context["payload"] = signing.dumps(
                            [[row.number, row.cells] for row in rows], salt=SALT, compress=True
                        )
    return TemplateResponse(request, "admin/goals/progressupdate/import.html", context)


def _confirm(request):
    changelist = reverse("admin:goals_progressupdate_changelist")
    try:
        data = signing.loads(request.POST["payload"], salt=SALT, max_age=CONFIRM_WITHIN_SECONDS)
    except signing.BadSignature:
        messages.error(request, "确认已过期，请重新上传 · The confirmation expired; upload the sheet again")
        return redirect(request.path)
    rows = [ImportRow(number=number, cells=cells) for number, cells in data]
    result = progress_import(
        rows=rows, user=request.user, today=timezone.localdate(), once=request.POST["payload"]
    )
    if not result.is_valid:
        for line in result.error_lines():
            messages.error(request, line)
        return redirect(request.path)
    count = len(result.stored)
    messages.success(
        request, f"已导入并报送审核{count}条进展 · {count} figures stored and submitted for review"
    )
    return redirect(f"{changelist}?review_state__exact=submitted")


def progress_template_download(model_admin, request):
    if not model_admin.has_record_permission(request):
        raise PermissionDenied
    department = recording_departments(request.user).filter(slug=request.GET.get("department", "")).first()
    if department is None:
        raise PermissionDenied
    response = HttpResponse(
        progress_template(department=department),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="progress-{department.slug}.xlsx"'
    return response


# --- A goal's split into parts, by spreadsheet (apps.goals.services.parts_import) -------------------

SPLIT_SALT = "goals.split-import"


class SplitUploadForm(forms.Form):
    sheet = forms.FileField(
        label="分解表格 · sheet of parts",
        help_text="每行一个分解目标：上级目标编号、责任单位、目标值（单位、标题可选），.xlsx 或 .csv · "
        "one part per row: the parent goal's slug, the department, the target (unit and title optional); "
        ".xlsx or .csv",
    )


def split_import_page(model_admin, request):
    """Upload a sheet of parts, see every row's errors, confirm an all-valid sheet."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "表格导入目标分解 · Split goals into parts from a spreadsheet",
        "columns": [label for _, label in parts_import.COLUMNS],
        "form": SplitUploadForm(),
    }
    if request.method == "POST" and request.POST.get("payload"):
        return _split_confirm(request)
    if request.method == "POST":
        form = SplitUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["sheet"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("sheet", "文件不能超过5 MB · The file may be at most 5 MB")
            else:
                try:
                    rows = parts_import.split_rows_read(name=upload.name, content=upload.read())
                except SheetUnreadable as error:
                    form.add_error("sheet", str(error))
                else:
                    result = parts_import.split_import_check(rows=rows, user=request.user)
                    context["result"] = result
                    if result.is_valid:
                        context["payload"] = signing.dumps(
                            [[row.number, row.cells] for row in rows], salt=SPLIT_SALT, compress=True
                        )
    return TemplateResponse(request, "admin/goals/goal/split_import.html", context)


def _split_confirm(request):
    try:
        data = signing.loads(request.POST["payload"], salt=SPLIT_SALT, max_age=CONFIRM_WITHIN_SECONDS)
    except signing.BadSignature:
        messages.error(request, "确认已过期，请重新上传 · The confirmation expired; upload the sheet again")
        return redirect(request.path)
    rows = [parts_import.SplitRow(number=number, cells=cells) for number, cells in data]
    result = parts_import.split_import(rows=rows, user=request.user)
    if not result.is_valid:
        for line in result.error_lines():
            messages.error(request, line)
        return redirect(request.path)
    count = len(result.stored)
    messages.success(request, f"已新增{count}个分解目标 · {count} parts added")
    parents = {part.parent_id for part in result.stored}
    changelist = reverse("admin:goals_goal_changelist")
    if len(parents) == 1:
        return redirect(reverse("admin:goals_goal_change", args=[parents.pop()]))
    return redirect(changelist)
