"""The staff admin: every model of the domain (apps.goals) registered here or in the admin_*
modules this one loads: goals, figures, explanations, and the reference data below."""

from django.contrib import admin
from django.db.models import Count
from django.urls import path, reverse
from django.utils.html import format_html

from apps.goals.models import (
    Category,
    Citation,
    Department,
    DepartmentMembership,
    Document,
    Goal,
    Indicator,
    Jurisdiction,
    Plan,
    StatusChange,
)
from apps.goals.units import amount_display

from . import admin_explanations, admin_figures, admin_goals, document_review  # noqa: F401  (the admin_* register)


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
    list_display = [
        "title",
        "place",
        "publisher",
        "published_on",
        "plan",
        "reference_year",
        "citation_count",
        "review_link",
    ]
    list_filter = ["place", "plan", "publisher"]
    search_fields = ["title", "text"]
    readonly_fields = ["sha256", "ingested_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "review/",
                wrap(lambda request: document_review.review_list_page(self, request)),
                name="goals_document_review_list",
            ),
            path(
                "<int:document_id>/review/",
                wrap(lambda request, document_id: document_review.review_page(self, request, document_id)),
                name="goals_document_review",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="审阅 · review")
    def review_link(self, document):
        url = reverse("admin:goals_document_review", args=[document.pk])
        return format_html('<a href="{}">审阅 · review</a>', url)

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
        "expected_value_display",
        "actual_value_display",
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

    @admin.display(description="序时进度 · expected value", ordering="expected_value")
    def expected_value_display(self, change):
        return amount_display(change.expected_value, computed=True)

    @admin.display(description="实际值 · actual value", ordering="actual_value")
    def actual_value_display(self, change):
        return amount_display(change.actual_value)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the history stays as it was known


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """The indicators goals are targets on; staff set who leads each and its English name."""

    list_display = ["name", "name_en", "place", "measure", "lead_department", "slug"]
    list_editable = ["lead_department"]
    list_select_related = ["lead_department", "place"]
    search_fields = ["name", "name_en", "slug", "measure"]
    list_filter = ["place", "lead_department"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "place", "period_start", "period_end"]
    list_filter = ["place"]
    search_fields = ["name", "name_en"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "place", "slug"]
    list_filter = ["place"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    """The places (reference data from the migration): staff read them; only a superuser edits."""

    list_display = ["name", "name_en", "level", "code", "parent", "slug"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "name_en", "code", "slug"]


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
