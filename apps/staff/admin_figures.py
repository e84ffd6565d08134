"""The admin of progress figures: recorders enter and submit them, reviewers of the same department
approve or return them; every step is a call to the review service."""

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import DateField
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone

from apps.goals.models import Goal, MembershipRole, ProgressUpdate
from apps.goals.services import evaluation, progress_review
from apps.goals.units import amount_display

from . import admin_import
from .admin_history import ReadOnlyHistoryAdmin
from .admin_review import ReviewAdmin, error_text
from .entry_facts import entry_facts, expected_display
from .forms import GoalChoiceField, ProgressUpdateActionForm, RecorderProgressUpdateForm


def reportable_goals(user):
    """The goals `user` may enter figures for today: those her departments lead or support as a
    recorder (a superuser: every goal) that are published and in force or within the wait for the
    final figure. The entry form's choices and its autocomplete both read this."""
    return Goal.objects.for_member(user, MembershipRole.RECORDER).reportable(timezone.localdate())


def sample_flag_read_only(request, readonly_fields):
    """Only a superuser marks a figure as sample data: the flag spares it no check, but a recorder
    must not be able to label a real figure as synthetic."""
    if request.user.is_superuser:
        return readonly_fields
    return [*readonly_fields, "is_sample"]


# What a save says of the figure, by its review state (a plain save of a draft, and every
# “save and continue” or “save and add another”): never Django's “added successfully”.
SAVED_FIGURE = {
    ProgressUpdate.ReviewState.DRAFT: (
        "已保存为草稿，尚未报送审核；报送请点“保存并报送” · "
        "Saved as a draft, not yet submitted for review: use “Save and submit”",
        messages.WARNING,
    ),
    ProgressUpdate.ReviewState.REJECTED: (
        "已保存；该数据已被退回，尚未重新报送审核，报送请点“保存并报送” · "
        "Saved; the figure was returned and is not yet submitted again: use “Save and submit”",
        messages.WARNING,
    ),
    ProgressUpdate.ReviewState.SUBMITTED: (
        "已保存；该数据已报送，正在等待审核 · Saved; the figure is submitted and awaits review",
        messages.SUCCESS,
    ),
    ProgressUpdate.ReviewState.APPROVED: (
        "已保存；该数据已通过审核并已公开 · Saved; the figure is approved and public",
        messages.SUCCESS,
    ),
}


def _entered_date(request):
    """The as-of date typed on the page (a re-shown form, or ?as_of=), None when there is none."""
    text = request.POST.get("as_of") or request.GET.get("as_of") or ""
    try:
        return DateField(required=False).clean(text)
    except ValidationError:
        return None


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReviewAdmin, ReadOnlyHistoryAdmin):
    """Recorders enter figures for their departments' goals and submit them; reviewers of those
    departments approve or return them with the actions above the list. Every step is a service call."""

    form = RecorderProgressUpdateForm
    action_form = ProgressUpdateActionForm
    change_form_template = "admin/goals/progressupdate/change_form.html"
    actions = ["submit_updates", "approve_updates", "reject_updates"]
    # Thousands of goals: the page names the chosen one and asks the goal admin for the rest as the
    # recorder types (GoalAdmin.get_search_results limits them to reportable_goals).
    autocomplete_fields = ["goal"]
    list_display = [
        "goal",
        "indicator",
        "as_of",
        "value_display",
        "is_final",
        "published_on",
        "review_state",
        "review_comment",
        "recorder_name",
        "is_sample",
        "updated_at",
    ]
    list_filter = ["review_state", "is_final", "is_sample", "goal__lead_department"]
    search_fields = ["goal__title", "goal__title_en", "note"]
    list_select_related = ["goal", "indicator", "recorded_by"]
    # Shown instead of the form's fields on a figure the person may not change (get_fields).
    READ_ONLY_VALUE = "value_display"
    readonly_fields = [
        "source_document",
        "source_start",
        "source_end",
        "review_state",
        "recorder_name",
        "submitted_at",
        "reviewer_name",
        "reviewed_at",
        "review_comment",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "as_of"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = sample_flag_read_only(request, super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            return [*readonly, self.READ_ONLY_VALUE]
        return readonly

    def get_fields(self, request, obj=None):
        """A figure the person may not change reads as stated: its value with the goal's unit
        (9800 个, not 9800.0000), and no box to confirm a value she cannot change."""
        fields = super().get_fields(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fields
        return [
            self.READ_ONLY_VALUE if name == "value" else name
            for name in fields
            if name not in ("confirm_magnitude", self.READ_ONLY_VALUE)
        ]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "import/",
                wrap(lambda request: admin_import.progress_import_page(self, request)),
                name="goals_progressupdate_import",
            ),
            path(
                "template/",
                wrap(lambda request: admin_import.progress_template_download(self, request)),
                name="goals_progressupdate_template",
            ),
            path("expected/", wrap(self.expected_view), name="goals_progressupdate_expected"),
            *super().get_urls(),
        ]

    @admin.display(description="数值 · value", ordering="value")
    def value_display(self, update):
        if update.value is None:
            return "—"
        unit = update.reported_unit  # its own unit where reported in another, else the goal's
        return f"{amount_display(update.value)} {unit}".strip()

    def expected_view(self, request):
        """序时进度 for ?goal= on ?as_of=, for the entry page to show as the date is typed."""
        goal_id, on = request.GET.get("goal", ""), _entered_date(request)
        goal = Goal.objects.for_member(request.user).filter(pk=goal_id).first() if goal_id.isdigit() else None
        if goal is None or not self.has_view_or_change_permission(request):
            raise Http404
        if on is None:
            return JsonResponse({"error": "as_of: YYYY-MM-DD"}, status=400)
        return JsonResponse({"expected": expected_display(goal=goal, on=on), "on": on.isoformat()})

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "goal" in initial and not str(initial["goal"]).isdigit():
            initial.pop("goal")
        return initial

    review_nouns = ("条进展", "updates")
    review_done = {
        "approved": "已通过审核，将在公众网站公开 · Approved; the figure is now public",
        "returned": "已退回填报人 · Returned to the recorder",
    }

    def review_approve(self, request, update):
        progress_review.progress_update_approve(update=update, reviewer=request.user)

    def review_return(self, request, update, comment):
        progress_review.progress_update_reject(update=update, reviewer=request.user, comment=comment)

    def review_next_url(self, request):
        return reverse("admin:goals_progressupdate_changelist") + "?review_state__exact=submitted"

    def review_context(self, request, update):
        """The recorder's and the reviewer's page: the goal's facts beside the figure, and the
        buttons Save and submit, Approve and Return, each calling the review service."""
        goal = update.goal if update is not None else self._goal_asked_for(request)
        return {
            "facts": entry_facts(goal=goal, update=update, on=_entered_date(request))
            if goal is not None
            else None,
            "may_review": update is not None
            and update.review_state == update.REVIEW_SUBMITTED
            and self.has_review_permission(request),
            "may_submit": (update is None or update.is_open) and self.has_record_permission(request),
        }

    def _goal_asked_for(self, request):
        """The goal of an empty form, from ?goal= (the reminder's links) or the posted choice."""
        goal_id = request.POST.get("goal") or request.GET.get("goal") or ""
        if not goal_id.isdigit():
            return None
        return reportable_goals(request.user).filter(pk=goal_id).first()

    def response_add(self, request, obj, post_url_continue=None):
        return self._save_and_submit(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._save_and_submit(request, obj) or super().response_change(request, obj)

    def saved_message(self, obj) -> tuple[str, int]:
        return SAVED_FIGURE[obj.review_state]

    def _save_and_submit(self, request, obj):
        """Save and submit in one step. Every other save says the figure's state (SaveSaysState)."""
        if IS_POPUP_VAR in request.POST or "_save_and_submit" not in request.POST:
            return None
        try:
            progress_review.progress_update_submit(update=obj, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            text = error_text(error)
            self.message_user(request, f"未能报送审核：{text} · Not submitted for review", messages.ERROR)
            self.message_user(request, *self.saved_message(obj))
            return HttpResponseRedirect(reverse("admin:goals_progressupdate_change", args=[obj.pk]))
        self.message_user(
            request,
            "已保存并报送审核，审核员会收到通知 · Saved and submitted; the reviewers are notified",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:goals_progressupdate_changelist"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "goal":
            kwargs["queryset"] = reportable_goals(request.user)
            kwargs["form_class"] = GoalChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        """Staff edit drafts and returned updates of goals they record for; what is under review or
        approved stays as the reviewer saw it."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        editable = obj.review_state in (ProgressUpdate.ReviewState.DRAFT, ProgressUpdate.ReviewState.REJECTED)
        return (
            editable
            and Goal.objects.for_member(request.user, MembershipRole.RECORDER).filter(pk=obj.goal_id).exists()
        )

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.review_state == ProgressUpdate.ReviewState.APPROVED:
            return request.user.is_superuser
        return self.has_change_permission(request, obj) and super().has_delete_permission(request, obj)

    def has_record_permission(self, request):
        return (
            request.user.is_superuser
            or Goal.objects.for_member(request.user, MembershipRole.RECORDER).exists()
        )

    def has_review_permission(self, request):
        return (
            request.user.is_superuser
            or Goal.objects.for_member(request.user, MembershipRole.REVIEWER).exists()
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        if change and obj.review_state == ProgressUpdate.ReviewState.APPROVED:
            # Only a superuser may correct an approved figure; the goal is judged again on it.
            evaluation.figure_goals_evaluate_after_commit(figure=obj)

    def delete_model(self, request, obj):
        approved = obj.review_state == ProgressUpdate.ReviewState.APPROVED
        super().delete_model(request, obj)
        if approved:  # the goal is judged again without it
            evaluation.figure_goals_evaluate_after_commit(figure=obj)

    def delete_queryset(self, request, queryset):
        approved = list(queryset.filter(review_state=ProgressUpdate.ReviewState.APPROVED))
        super().delete_queryset(request, queryset)
        for figure in approved:
            evaluation.figure_goals_evaluate_after_commit(figure=figure)

    @admin.action(description="报送审核 · Submit for review", permissions=["record"])
    def submit_updates(self, request, queryset):
        self.review_each(
            request,
            queryset,
            lambda u: progress_review.progress_update_submit(update=u, user=request.user),
            "已报送",
            "submitted",
        )

    @admin.action(description="审核通过 · Approve", permissions=["review"])
    def approve_updates(self, request, queryset):
        self.review_each(
            request,
            queryset,
            lambda u: progress_review.progress_update_approve(update=u, reviewer=request.user),
            "已通过审核",
            "approved",
        )

    @admin.action(description="退回（填写原因） · Return (give the reason)", permissions=["review"])
    def reject_updates(self, request, queryset):
        comment = request.POST.get("comment", "")
        self.review_each(
            request,
            queryset,
            lambda u: progress_review.progress_update_reject(
                update=u, reviewer=request.user, comment=comment
            ),
            "已退回",
            "returned",
        )
