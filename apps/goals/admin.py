"""The staff admin: goals with their citations and progress, documents, plans, departments."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms import DateField
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import admin_import
from .admin_messages import SaveSaysState
from .entry_facts import entry_facts, expected_display
from .forms import GoalAdminForm, ProgressUpdateActionForm, ProgressUpdateForm, RecorderProgressUpdateForm
from .models import (
    Category,
    Citation,
    Department,
    DepartmentMembership,
    Document,
    Goal,
    GoalRevision,
    Indicator,
    LeadSource,
    MembershipRole,
    Plan,
    ProgressUpdate,
    StatusChange,
)
from .names import person_name
from .services import evaluation, goal_review, progress_review, revisions
from .status import status_label
from .units import plain_decimal


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's pages, read-only and in scope: the list of versions and each old
    version are shown only for an object this admin's queryset holds for the user, and an old
    version is never saved back (its page would otherwise save a POST after checking only *view*
    permission). To undo a change, edit the object itself."""

    def revert_disabled(self, request, obj=None):
        return True

    def _in_scope_or_404(self, request, object_id):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def status_badge(status: str) -> str:
    return format_html(
        '<span class="status-badge status-{}">{} · {}</span>',
        status,
        status_label(status, "zh"),
        status_label(status, "en"),
    )


class DeadlineYearFilter(admin.SimpleListFilter):
    title = "截止年份 · deadline year"
    parameter_name = "deadline_year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("deadline", "year")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(deadline__year=int(self.value()))
        return queryset


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ["document", "quote_display", "start", "end", "value", "unit", "confidence", "incomplete"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    @admin.display(description="原文 · quote")
    def quote_display(self, citation):
        return format_html("<q>{}</q>", citation.quote)

    def has_add_permission(self, request, obj=None):
        return False


def sample_flag_read_only(request, readonly_fields):
    """Only a superuser marks a figure as sample data: the flag spares it no check, but a recorder
    must not be able to label a real figure as synthetic."""
    if request.user.is_superuser:
        return readonly_fields
    return [*readonly_fields, "is_sample"]


class ProgressUpdateInline(admin.TabularInline):
    """A goal's progress updates, as far as the staff member may see them; review happens on the
    progress update list (its actions), and approved rows cannot be edited (ProgressUpdateForm)."""

    model = ProgressUpdate
    form = ProgressUpdateForm
    extra = 0
    fields = [
        "as_of",
        "value",
        "is_final",
        "evidence_url",
        "evidence_file",
        "note",
        "is_sample",
        "review_state",
        "review_comment",
        "recorded_by",
    ]
    readonly_fields = ["review_state", "review_comment", "recorded_by"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        return sample_flag_read_only(request, super().get_readonly_fields(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        user = request.user

        class RecordedByFormSet(formset):
            def save_new(self, form, commit=True):
                form.instance.recorded_by = user
                return super().save_new(form, commit)

        return RecordedByFormSet


class GoalRevisionInline(admin.TabularInline):
    model = GoalRevision
    extra = 0
    fields = ["field", "before", "after", "reason", "revised_at", "revised_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Goal)
class GoalAdmin(ReadOnlyHistoryAdmin):
    form = GoalAdminForm
    list_display = [
        "title",
        "status_display",
        "lead_department",
        "deadline",
        "latest_value_display",
        "review_state",
        "citation_count",
        "extraction_confidence",
    ]
    actions = ["publish_goals", "reject_goals", "merge_goals", "confirm_lead_departments"]
    list_filter = [
        "review_state",
        "status",
        "kind",
        "is_headline",
        "category",
        "lead_department",
        "lead_department_source",
        "plan",
        DeadlineYearFilter,
    ]
    search_fields = ["title", "title_en", "metric", "slug"]
    list_select_related = ["lead_department"]
    list_per_page = 50
    date_hierarchy = "deadline"
    autocomplete_fields = ["lead_department", "parent", "indicator"]
    filter_horizontal = ["supporting_departments"]
    status_fields = [
        "status_display",
        "status_evaluated_on",
        "status_rule_version",
        "expected_value",
        "progress_percent",
        "status_explanation_zh",
        "status_explanation_en",
        "forecast_date",
        "latest_value",
        "latest_as_of",
        "extraction_confidence",
        "created_at",
        "updated_at",
    ]
    # The baseline's figure is set by the baseline rule (services.baselines), never picked by hand.
    readonly_fields = ["baseline_figure", *status_fields]
    inlines = [CitationInline, ProgressUpdateInline, GoalRevisionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "title_en",
                    "slug",
                    "metric",
                    "indicator",
                    "kind",
                    "review_state",
                    "review_note",
                    "is_headline",
                    "headline_order",
                ]
            },
        ),
        (
            "目标 · Target",
            {
                "fields": [
                    "comparator",
                    "target_value",
                    "target_max",
                    "unit",
                    "unit_magnitude",
                    "baseline_value",
                    "baseline_date",
                    "baseline_source",
                    "baseline_figure",
                    "baseline_evidence",
                    "period_start",
                    "deadline",
                    "milestone_done_on",
                    "revision_reason",
                ]
            },
        ),
        (
            "归属 · Responsibility",
            {
                "fields": [
                    "lead_department",
                    "lead_department_source",
                    "supporting_departments",
                    "category",
                    "plan",
                    "parent",
                ]
            },
        ),
        (
            "阈值 · Thresholds (empty = project default)",
            {
                "fields": [
                    "at_risk_band",
                    "tolerance",
                    "stale_after_days",
                ],
                "classes": ["collapse"],
            },
        ),
        ("状态 · Status (computed)", {"fields": status_fields}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=Goal.objects.in_staff_scope(request.user).values("pk"))
            .annotate(citation_total=Count("citations", distinct=True))
        )

    def save_model(self, request, obj, form, change):
        """Save, then record any revision of a published goal with its reason and judge it again."""
        if "lead_department" in form.changed_data and obj.lead_department_id:
            obj.lead_department_source = LeadSource.STAFF  # staff chose it
        before = Goal.objects.filter(pk=obj.pk).values(*revisions.JUDGED_FIELDS).first() if change else None
        super().save_model(request, obj, form, change)
        if before is not None:
            revisions.goal_changes_record(
                goal=obj,
                before=before,
                reason=form.cleaned_data.get("revision_reason", ""),
                user=request.user,
            )

    def save_formset(self, request, form, formset, change):
        """Figures entered or changed on the goal's page are drafts until submitted: say so, beside
        Django's message about the goal."""
        super().save_formset(request, form, formset, change)
        if formset.model is not ProgressUpdate:
            return
        saved = [*formset.new_objects, *(update for update, _ in formset.changed_objects)]
        drafts = sum(u.review_state in (u.ReviewState.DRAFT, u.ReviewState.REJECTED) for u in saved)
        if drafts:
            self.message_user(
                request,
                f"{drafts} 条数据已保存为草稿，尚未报送审核：请在数据页点“保存并报送” · "
                f"{drafts} figure(s) saved as drafts, not yet submitted for review: open each and use "
                "“Save and submit”",
                messages.WARNING,
            )

    @admin.display(description="状态 · status", ordering="status")
    def status_display(self, goal):
        return status_badge(goal.status)

    @admin.display(description="最新值 · latest", ordering="latest_value")
    def latest_value_display(self, goal):
        if goal.latest_value is None:
            return "—"
        return f"{plain_decimal(goal.latest_value)} {goal.unit} ({goal.latest_as_of:%Y-%m-%d})"

    @admin.display(description="出处 · citations", ordering="citation_total")
    def citation_count(self, goal):
        return goal.citation_total

    @admin.action(
        description="确认所选目标的牵头单位 · Confirm the lead department of selected goals",
        permissions=["change"],
    )
    def confirm_lead_departments(self, request, queryset):
        confirmed = goal_review.goals_lead_confirm(goals=list(queryset), user=request.user)
        self.message_user(
            request,
            f"已确认 {confirmed} 个目标的牵头单位 · {confirmed} lead department(s) confirmed.",
            messages.SUCCESS,
        )

    @admin.action(description="发布所选目标 · Publish selected goals", permissions=["change"])
    def publish_goals(self, request, queryset):
        published, refused = goal_review.goals_publish(goals=list(queryset), user=request.user)
        self.message_user(
            request, f"已发布 {published} 个目标 · {published} goal(s) published.", messages.SUCCESS
        )
        if refused:
            names = "、".join(g.title for g in refused[:10])
            self.message_user(
                request,
                f"{len(refused)} 个目标缺少目标值，未发布：{names} · "
                f"{len(refused)} goal(s) have no target value "
                "and were not published; enter the figure first.",
                messages.WARNING,
            )

    @admin.action(description="驳回所选目标 · Reject selected goals", permissions=["change"])
    def reject_goals(self, request, queryset):
        rejected = goal_review.goals_reject(goals=list(queryset), user=request.user)
        self.message_user(
            request, f"已驳回 {rejected} 个目标 · {rejected} goal(s) rejected.", messages.SUCCESS
        )

    @admin.action(description="合并所选的两个目标 · Merge the two selected goals", permissions=["change"])
    def merge_goals(self, request, queryset):
        goals = list(queryset.order_by("pk")[:3])
        if len(goals) != 2:
            self.message_user(
                request, "请恰好选择两个目标进行合并 · Select exactly two goals to merge.", messages.ERROR
            )
            return None
        if request.POST.get("keep"):
            keep = next((g for g in goals if str(g.pk) == request.POST["keep"]), None)
            if keep is None:
                self.message_user(request, "请选择要保留的目标 · Choose the goal to keep.", messages.ERROR)
                return None
            absorb = goals[1] if keep is goals[0] else goals[0]
            try:
                goal_review.goals_merge(keep=keep, absorb=absorb)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request, f"已合并到「{keep.title}」 · Merged into “{keep.title}”.", messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "合并目标 · Merge goals",
            "goals": Goal.objects.filter(pk__in=[g.pk for g in goals]).prefetch_related(
                "citations__document"
            ),
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/goals/goal/merge.html", context)


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
class ProgressUpdateAdmin(SaveSaysState, ReadOnlyHistoryAdmin):
    """Recorders enter figures for their departments' goals and submit them; reviewers of those
    departments approve or return them with the actions above the list. Every step is a service call."""

    form = RecorderProgressUpdateForm
    action_form = ProgressUpdateActionForm
    change_form_template = "admin/goals/progressupdate/change_form.html"
    actions = ["submit_updates", "approve_updates", "reject_updates"]
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
    readonly_fields = [
        "source_document",
        "source_start",
        "source_end",
        "review_state",
        "recorded_by",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "as_of"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        return sample_flag_read_only(request, super().get_readonly_fields(request, obj))

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
        unit = update.goal.unit if update.goal_id else ""
        return f"{plain_decimal(update.value)} {unit}".strip()

    @admin.display(description="填报人 · recorded by", ordering="recorded_by__last_name")
    def recorder_name(self, update):
        return person_name(update.recorded_by)

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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The recorder's and the reviewer's page: the goal's facts beside the figure, and the
        buttons Save and submit, Approve and Return, each calling the review service."""
        update = self.get_object(request, object_id) if object_id else None
        if request.method == "POST" and update is not None:
            if "_approve" in request.POST:
                return self._review_one(
                    request,
                    lambda: progress_review.progress_update_approve(update=update, reviewer=request.user),
                    "已通过审核，将在公众网站公开 · Approved; the figure is now public",
                )
            if "_return" in request.POST:
                return self._review_one(
                    request,
                    lambda: progress_review.progress_update_reject(
                        update=update, reviewer=request.user, comment=request.POST.get("return_reason", "")
                    ),
                    "已退回填报人 · Returned to the recorder",
                )
        goal = update.goal if update is not None else self._goal_asked_for(request)
        submitted = ProgressUpdate.ReviewState.SUBMITTED
        editable = (ProgressUpdate.ReviewState.DRAFT, ProgressUpdate.ReviewState.REJECTED)
        extra_context = {
            **(extra_context or {}),
            "facts": entry_facts(goal=goal, update=update, on=_entered_date(request))
            if goal is not None
            else None,
            "may_review": update is not None
            and update.review_state == submitted
            and self.has_review_permission(request),
            "may_submit": (update is None or update.review_state in editable)
            and self.has_record_permission(request),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _goal_asked_for(self, request):
        """The goal of an empty form, from ?goal= (the reminder's links) or the posted choice."""
        goal_id = request.POST.get("goal") or request.GET.get("goal") or ""
        if not goal_id.isdigit():
            return None
        return Goal.objects.for_member(request.user, MembershipRole.RECORDER).filter(pk=goal_id).first()

    def _review_one(self, request, call, done: str):
        try:
            call()
        except (ValidationError, PermissionDenied) as error:
            text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:goals_progressupdate_changelist") + "?review_state__exact=submitted"
        )

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
            text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
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
            kwargs["queryset"] = Goal.objects.for_member(request.user, MembershipRole.RECORDER).exclude(
                review_state=Goal.ReviewState.REJECTED
            )
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
            evaluation.goal_evaluate_after_commit(goal_id=obj.goal_id)

    def _review(self, request, queryset, apply, done_zh: str, done_en: str) -> None:
        done = 0
        for update in queryset.select_related("goal"):
            try:
                apply(update)
            except ValidationError as error:
                self.message_user(request, f"{update}: {'; '.join(error.messages)}", messages.ERROR)
            except PermissionDenied as error:
                self.message_user(request, f"{update}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done}条进展{done_zh} · {done} updates {done_en}", messages.SUCCESS)

    @admin.action(description="报送审核 · Submit for review", permissions=["record"])
    def submit_updates(self, request, queryset):
        self._review(
            request,
            queryset,
            lambda u: progress_review.progress_update_submit(update=u, user=request.user),
            "已报送",
            "submitted",
        )

    @admin.action(description="审核通过 · Approve", permissions=["review"])
    def approve_updates(self, request, queryset):
        self._review(
            request,
            queryset,
            lambda u: progress_review.progress_update_approve(update=u, reviewer=request.user),
            "已通过审核",
            "approved",
        )

    @admin.action(description="退回（填写原因） · Return (give the reason)", permissions=["review"])
    def reject_updates(self, request, queryset):
        comment = request.POST.get("comment", "")
        self._review(
            request,
            queryset,
            lambda u: progress_review.progress_update_reject(
                update=u, reviewer=request.user, comment=comment
            ),
            "已退回",
            "returned",
        )


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["goal", "document", "quote", "value", "unit", "confidence"]
    list_select_related = ["goal", "document"]
    search_fields = ["quote", "goal__title", "metric"]
    list_filter = ["document", "incomplete"]
    autocomplete_fields = ["goal"]
    readonly_fields = ["document", "start", "end", "quote", "match_key", "created_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(goal__in=Goal.objects.in_staff_scope(request.user).values("pk"))
        )


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "plan", "reference_year", "citation_count"]
    list_filter = ["plan", "publisher"]
    search_fields = ["title", "text"]
    readonly_fields = ["sha256", "ingested_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    @admin.display(description="出处 · citations", ordering="citation_total")
    def citation_count(self, document):
        return document.citation_total


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = [
        "goal",
        "changed_at",
        "from_status",
        "to_status",
        "expected_value",
        "actual_value",
        "rule_version",
    ]
    list_filter = ["to_status", "rule_version"]
    list_select_related = ["goal"]
    search_fields = ["goal__title"]
    date_hierarchy = "changed_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(goal__in=Goal.objects.in_staff_scope(request.user).values("pk"))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the history stays as it was known


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """The indicators goals are targets on; staff set who leads each and its English name."""

    list_display = ["name", "name_en", "lead_department", "slug"]
    list_editable = ["lead_department"]
    list_select_related = ["lead_department"]
    search_fields = ["name", "name_en", "slug"]
    list_filter = ["lead_department"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "period_start", "period_end"]
    search_fields = ["name", "name_en"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_en"]


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["role", "department"]
    autocomplete_fields = ["department"]

    def get_queryset(self, request):
        """Managers see the memberships of their own departments; superusers all."""
        memberships = super().get_queryset(request)
        if request.user.is_superuser:
            return memberships
        departments = DepartmentMembership.objects.filter(user=request.user).values("department_id")
        return memberships.filter(department__in=departments)

    # Saving or deleting a membership keeps its person's groups in step (DepartmentMembership.save).


from . import admin_explanations  # noqa: E402,F401  (registers the explanations admin)
