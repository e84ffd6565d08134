"""The review screen of a document (admin: 文件 · documents → 审阅 · review): its text on one side, every
target and result the reader proposed from it on the other, highlighted in the text, to accept, edit or
reject with the keyboard. Thin: every step goes through apps.goals.services.document_review."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.goals.models import Department, Document, Goal, RejectionReason
from apps.goals.services import document_review as service

STATE_LABELS = {
    service.PROPOSED: "待审 · proposed",
    service.ACCEPTED: "已采纳 · accepted",
    service.REJECTED: "已驳回 · rejected",
    service.APPROVED: "已审核通过 · approved",
    service.OPEN: "草稿 · draft",
}


class EditForm(forms.Form):
    """A correction: what is left empty stays as the reader read it."""

    value = forms.DecimalField(label="数值 · value", required=False, max_digits=20, decimal_places=4)
    unit = forms.CharField(label="单位 · unit", required=False, max_length=30)
    kind = forms.ChoiceField(label="类型 · kind", required=False, choices=[("", "—"), *Goal.Kind.choices])
    year = forms.IntegerField(label="年份 · year", required=False, min_value=2000, max_value=2100)
    department = forms.ModelChoiceField(
        label="牵头单位 · lead department", required=False, queryset=Department.objects.all()
    )


def duration_display(seconds: Decimal) -> str:
    """1 分 5 秒 · 1 min 5 s"""
    total = int(round(seconds))
    minutes, rest = divmod(total, 60)
    if minutes:
        return f"{minutes} 分 {rest} 秒 · {minutes} min {rest} s"
    return f"{rest} 秒 · {rest} s"


def text_segments(text: str, items) -> list[tuple[str, str, str]]:
    """The text cut where any item's quote starts or ends: (piece, keys of the items quoting it, their
    states), so that each quote can be highlighted and found from its item."""
    bounds = {0, len(text)}
    for item in items:
        for start, end in item.spans:
            bounds.update((start, end))
    points = sorted(b for b in bounds if 0 <= b <= len(text))
    pieces = []
    for start, end in zip(points, points[1:], strict=False):
        covering = [item for item in items if any(s <= start and end <= e for s, e in item.spans)]
        keys = " ".join(item.key for item in covering)
        states = " ".join(sorted({f"state-{item.state}" for item in covering}))
        pieces.append((text[start:end], keys, states))
    return pieces


def _may_view(model_admin, request) -> None:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied


def review_list_page(model_admin, request):
    """The documents with targets or results waiting for the person's review."""
    _may_view(model_admin, request)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "待审阅的文件 · Documents to review",
        "documents": [
            (document, duration_display(document.time_spent or Decimal(0)))
            for document in service.review_documents(user=request.user)
        ],
        "reviewed": [
            (document, duration_display(document.time_spent or Decimal(0)))
            for document in service.review_documents(user=request.user, reviewed=True)[:50]
        ],
    }
    return TemplateResponse(request, "admin/goals/document/review_list.html", context)


def review_page(model_admin, request, document_id: int):
    _may_view(model_admin, request)
    document = get_object_or_404(Document, pk=document_id)
    items = service.document_review_items(document=document, user=request.user)
    if not items:
        raise Http404("这份文件没有您可审阅的内容 · Nothing in this document is yours to review.")
    if request.method == "POST":
        return _act(request, document)
    if "continue" not in request.GET:
        service.document_review_opened(document=document, user=request.user)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"审阅 · Review: {document.title}",
        "document": document,
        "items": [(item, STATE_LABELS[item.state]) for item in items],
        "proposed": sum(item.is_proposed for item in items),
        "segments": text_segments(document.text, items),
        "reasons": RejectionReason.choices,
        "edit_form": EditForm(),
        "kinds": Goal.Kind.choices,
        "departments": Department.objects.order_by("name"),
        "may_publish": request.user.has_perm(service.PUBLISH_PERMISSION),
        "time_total": duration_display(service.document_review_seconds(document=document)),
        "time_mine": duration_display(service.document_review_seconds(document=document, user=request.user)),
        "list_url": reverse("admin:goals_document_review_list"),
    }
    return TemplateResponse(request, "admin/goals/document/review.html", context)


def _act(request, document: Document):
    action, key = request.POST.get("action", ""), request.POST.get("item", "")
    user = request.user
    try:
        if action == "accept":
            service.review_item_accept(document=document, user=user, key=key)
        elif action == "edit":
            form = EditForm(request.POST)
            if not form.is_valid():
                raise ValidationError("; ".join(f"{name}: {' '.join(e)}" for name, e in form.errors.items()))
            data = form.cleaned_data
            service.review_item_edit(
                document=document,
                user=user,
                key=key,
                value=data["value"],
                unit=data["unit"] or None,
                kind=data["kind"] or None,
                year=data["year"],
                department=data["department"],
            )
        elif action == "reject":
            service.review_item_reject(
                document=document,
                user=user,
                key=key,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
            )
        elif action == "accept_all":
            keys = [k for k in request.POST.get("items", "").split() if k]
            service.review_accept_unchanged(document=document, user=user, keys=keys)
        else:
            raise ValidationError("未知的操作 · Unknown action.")
    except (ValidationError, PermissionDenied) as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        status = 403 if isinstance(error, PermissionDenied) else 400
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=status)
        messages.error(request, message)
    else:
        if _wants_json(request):
            return JsonResponse(_state(document, user))
        messages.success(request, "已保存 · Saved.")
    return redirect(f"{request.path}?continue=1#item-{key}")


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _state(document: Document, user) -> dict:
    items = service.document_review_items(document=document, user=user)
    return {
        "ok": True,
        "states": {item.key: [item.state, STATE_LABELS[item.state]] for item in items},
        "time_total": duration_display(service.document_review_seconds(document=document)),
        "time_mine": duration_display(service.document_review_seconds(document=document, user=user)),
    }
