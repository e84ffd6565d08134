"""The admin of goals: their targets, lead departments, citations, figures and revisions, and the
actions that publish, reject, merge and confirm them."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from apps.goals.models import Citation, Goal, GoalRevision, LeadSource, ProgressUpdate
from apps.goals.names import person_name
from apps.goals.services import goal_review, revisions
from apps.goals.services.evaluation import goal_evaluate_after_commit
from apps.goals.services.parts import goal_part_fill
from apps.goals.status import status_label
from apps.goals.units import amount_display
from apps.goals.verdicts import COMPUTED_FIELDS

from . import admin_import
from .admin_figures import reportable_goals, sample_flag_read_only
from .admin_history import ReadOnlyHistoryAdmin
from .admin_queries import DATE_PARTS, whole_number_in
from .forms import GoalAdminForm, GoalChoiceField, GoalPartForm, ProgressUpdateForm, goal_choice_label


def _autocomplete_of(request, model_name: str, field_name: str) -> bool:
    """Whether the request is the admin's autocomplete for the goals field `field_name` of `model_name`."""
    match = request.resolver_match
    return (
        match is not None
        and match.url_name == "autocomplete"
        and request.GET.get("app_label") == "goals"
        and request.GET.get("model_name") == model_name
        and request.GET.get("field_name") == field_name
    )


def _computed(value, unit: str, *, computed: bool = True) -> str:
    """An amount the status rules computed (or, computed=False, a figure they read) with its unit, at
    the precision amounts are shown (units.amount_display)."""
    if value is None:
        return "—"
    text = amount_display(value, computed=computed)
    return f"{text}%" if unit in ("%", "％") else f"{text} {unit}".strip()


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
        # A value that is no year (0, 20260101) filters nothing, as an unknown choice does.
        year = whole_number_in(self.value() or "", *DATE_PARTS["year"])
        return queryset if year is None else queryset.filter(deadline__year=year)


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
        "recorder_name",
    ]
    readonly_fields = ["review_state", "review_comment", "recorder_name"]
    show_change_link = True

    @admin.display(description="填报人 · recorded by")
    def recorder_name(self, update):
        return person_name(update.recorded_by)

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


class GoalPartInline(admin.TabularInline):
    """The goal's parts, one per district or department, each a goal of its own: staff add a part with
    its department and target, and the part takes the rest from the goal (services.parts). A part is
    removed from its own page (its parent cleared), never deleted from here with its figures."""

    model = Goal
    fk_name = "parent"
    form = GoalPartForm
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "分解目标 · part"
    verbose_name_plural = "分解到各区县或部门 · Parts (split by district or department)"
    fields = ["lead_department", "target_value", "target_max", "unit", "title", "review_state", "part_status"]
    readonly_fields = ["review_state", "part_status"]
    autocomplete_fields = ["lead_department"]

    @admin.display(description="状态 · status")
    def part_status(self, part):
        return status_badge(part.status) if part.pk else "—"

    def get_queryset(self, request):
        visible = Goal.objects.in_staff_scope(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible).select_related("lead_department")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class PartFormSet(formset):
            def save_new(self, form, commit=True):
                goal_part_fill(part=form.instance, parent=self.instance)
                return super().save_new(form, commit)

        return PartFormSet


class GoalRevisionInline(admin.TabularInline):
    model = GoalRevision
    extra = 0
    fields = ["field", "before", "after", "reason", "revised_at", "reviser_name"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description="修改人 · revised by")
    def reviser_name(self, revision):
        return person_name(revision.revised_by)

    def has_add_permission(self, request, obj=None):
        return False


# The computed amounts of a goal and the GoalAdmin methods that show them.
AMOUNT_DISPLAYS = {
    "expected_value": "expected_value_display",
    "progress_percent": "progress_display",
    "status_baseline": "status_baseline_display",
    "forecast_value": "forecast_value_display",
    "latest_value": "latest_amount_display",
}


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
        "place",
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
    # What the evaluation computes (verdicts.COMPUTED_FIELDS), shown and never edited; its amounts
    # as amounts are shown (units.amount_display: 1450, not 1450.0000).
    status_fields = [
        "status_display",
        *(AMOUNT_DISPLAYS.get(name, name) for name in COMPUTED_FIELDS if name != "status"),
        "extraction_confidence",
        "created_at",
        "updated_at",
    ]
    # The baseline's figure is set by the baseline rule (services.baselines), never picked by hand.
    readonly_fields = ["baseline_figure", *status_fields]
    inlines = [GoalPartInline, CitationInline, ProgressUpdateInline, GoalRevisionInline]
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
                    "place",
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

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "split-import/",
                wrap(lambda request: admin_import.split_import_page(self, request)),
                name="goals_goal_split_import",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=Goal.objects.in_staff_scope(request.user).values("pk"))
            .annotate(citation_total=Count("citations", distinct=True))
        )

    def get_fieldsets(self, request, obj=None):
        """A goal the person may not change has no reason for a change to give."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f != "revision_reason"]})
            for title, options in fieldsets
        ]

    def get_search_results(self, request, queryset, search_term):
        """The autocomplete of a figure's goal offers only the goals the person may enter figures
        for; every other search (this list, a parent goal, a citation's goal) searches all she sees."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if _autocomplete_of(request, "progressupdate", "goal"):
            queryset = queryset.filter(pk__in=reportable_goals(request.user).values("pk")).order_by(
                "deadline", "pk"
            )
        return queryset, may_have_duplicates

    def autocomplete_label(self, goal) -> str:
        """How the admin's autocomplete names a goal (JinanAdminSite's autocomplete view asks)."""
        return goal_choice_label(goal)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["form_class"] = GoalChoiceField  # named as the autocomplete names it
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
        """Parts added on the goal's page are judged; figures entered or changed there are drafts until
        submitted: say so, beside Django's message about the goal."""
        super().save_formset(request, form, formset, change)
        if formset.model is Goal:  # parts added: each judged once this commits
            for part in formset.new_objects:
                goal_evaluate_after_commit(goal_id=part.pk)
            return
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
        return f"{amount_display(goal.latest_value)} {goal.unit} ({goal.latest_as_of:%Y-%m-%d})"

    @admin.display(description="序时进度应达值 · expected to date")
    def expected_value_display(self, goal):
        return _computed(goal.expected_value, goal.unit)

    @admin.display(description="评估所用基期值 · baseline used")
    def status_baseline_display(self, goal):
        return _computed(goal.status_baseline, goal.unit, computed=False)

    @admin.display(description="最新值 · latest value")
    def latest_amount_display(self, goal):
        return _computed(goal.latest_value, goal.unit, computed=False)

    @admin.display(description="期末预计值 · forecast at the deadline")
    def forecast_value_display(self, goal):
        return _computed(goal.forecast_value, goal.unit)

    @admin.display(description="完成比例 · progress")
    def progress_display(self, goal):
        return _computed(goal.progress_percent, "%")

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
