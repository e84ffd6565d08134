"""The staff admin: goals with their citations and progress, documents, plans, departments."""
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.db.models import Count
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from apps.ingest import review

from .models import (
    Category,
    Citation,
    Department,
    DepartmentMembership,
    Document,
    Goal,
    Plan,
    ProgressUpdate,
    StatusChange,
)
from .status import STATUS_LABELS


def status_badge(status: str) -> str:
    zh, en = STATUS_LABELS.get(status, (status, status))
    return format_html('<span class="status-badge status-{}">{} · {}</span>', status, zh, en)


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


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ["as_of", "value", "is_final", "evidence_url", "evidence_file", "note", "is_sample", "review_state"]
    readonly_fields = ["review_state"]
    show_change_link = True


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = [
        "title", "status_display", "lead_department", "deadline", "latest_value_display", "review_state",
        "citation_count", "extraction_confidence",
    ]
    actions = ["publish_goals", "reject_goals", "merge_goals"]
    list_filter = [
        "review_state", "status", "kind", "is_headline", "category", "lead_department", "plan", DeadlineYearFilter,
    ]
    search_fields = ["title", "title_en", "metric", "slug"]
    list_select_related = ["lead_department"]
    list_per_page = 50
    date_hierarchy = "deadline"
    autocomplete_fields = ["lead_department", "parent"]
    filter_horizontal = ["supporting_departments"]
    readonly_fields = [
        "status_display", "status_evaluated_on", "status_rule_version", "expected_value", "progress_percent",
        "status_explanation_zh", "status_explanation_en", "forecast_date", "latest_value", "latest_as_of",
        "extraction_confidence", "created_at", "updated_at",
    ]
    inlines = [CitationInline, ProgressUpdateInline]
    fieldsets = [
        (None, {"fields": ["title", "title_en", "slug", "metric", "kind", "review_state", "is_headline",
                           "headline_order"]}),
        ("目标 · Target", {"fields": [
            "comparator", "target_value", "target_max", "unit", "unit_magnitude", "baseline_value",
            "baseline_date", "period_start", "deadline", "milestone_done_on",
        ]}),
        ("归属 · Responsibility", {"fields": [
            "lead_department", "supporting_departments", "category", "plan", "parent",
        ]}),
        ("阈值 · Thresholds (empty = project default)", {"fields": [
            "at_risk_band", "tolerance", "stale_after_days",
        ], "classes": ["collapse"]}),
        ("状态 · Status (computed)", {"fields": readonly_fields}),
    ]
    prepopulated_fields = {"slug": ["metric"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations", distinct=True))

    @admin.display(description="状态 · status", ordering="status")
    def status_display(self, goal):
        return status_badge(goal.status)

    @admin.display(description="最新值 · latest", ordering="latest_value")
    def latest_value_display(self, goal):
        if goal.latest_value is None:
            return "—"
        return f"{goal.latest_value.normalize():f} {goal.unit} ({goal.latest_as_of:%Y-%m-%d})"

    @admin.display(description="出处 · citations", ordering="citation_total")
    def citation_count(self, goal):
        return goal.citation_total

    @admin.action(description="发布所选目标 · Publish selected goals", permissions=["change"])
    def publish_goals(self, request, queryset):
        published, refused = review.goals_publish(goals=list(queryset))
        self.message_user(request, f"已发布 {published} 个目标 · {published} goal(s) published.", messages.SUCCESS)
        if refused:
            names = "、".join(g.title for g in refused[:10])
            self.message_user(
                request,
                f"{len(refused)} 个目标缺少目标值，未发布：{names} · {len(refused)} goal(s) have no target value "
                "and were not published; enter the figure first.",
                messages.WARNING,
            )

    @admin.action(description="驳回所选目标 · Reject selected goals", permissions=["change"])
    def reject_goals(self, request, queryset):
        rejected = review.goals_reject(goals=list(queryset))
        self.message_user(request, f"已驳回 {rejected} 个目标 · {rejected} goal(s) rejected.", messages.SUCCESS)

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
                review.goals_merge(keep=keep, absorb=absorb)
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
            "goals": Goal.objects.filter(pk__in=[g.pk for g in goals]).prefetch_related("citations__document"),
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/goals/goal/merge.html", context)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["goal", "as_of", "value", "is_final", "review_state", "recorded_by", "is_sample", "updated_at"]
    list_filter = ["review_state", "is_final", "is_sample", "goal__lead_department"]
    search_fields = ["goal__title", "goal__title_en", "note"]
    list_select_related = ["goal", "recorded_by"]
    autocomplete_fields = ["goal"]
    readonly_fields = ["recorded_by", "reviewed_by", "reviewed_at", "created_at", "updated_at"]
    date_hierarchy = "as_of"


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["goal", "document", "quote", "value", "unit", "confidence"]
    list_select_related = ["goal", "document"]
    search_fields = ["quote", "goal__title", "metric"]
    list_filter = ["document", "incomplete"]
    autocomplete_fields = ["goal"]
    readonly_fields = ["document", "start", "end", "quote", "match_key", "created_at"]


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
    list_display = ["goal", "changed_at", "from_status", "to_status", "expected_value", "actual_value", "rule_version"]
    list_filter = ["to_status", "rule_version"]
    list_select_related = ["goal"]
    search_fields = ["goal__title"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
