"""The admin of explanations of red goals: the lead department's recorder writes the reason and the
corrective action and presses “保存并报送 · Save and submit”; its reviewer presses “通过 · Approve” or
“退回 · Return” with a reason. Every button calls apps.goals.services.explanations (the review
workflow's buttons and messages: admin_review.ReviewAdmin)."""

from django.contrib import admin, messages
from django.urls import reverse

from apps.goals.models import GoalExplanation, MembershipRole
from apps.goals.names import person_name
from apps.goals.services import explanations

from .admin_review import ReviewAdmin

State = GoalExplanation.ReviewState

# What a save (“保存” or “保存并继续编辑”) says of the explanation, by its review state.
SAVED_EXPLANATION = {
    State.REQUESTED: (
        "原因说明已保存为草稿，尚未报送审核；报送请点“保存并报送” · "
        "The explanation is saved as a draft, not yet submitted for review: use “Save and submit”",
        messages.WARNING,
    ),
    State.RETURNED: (
        "原因说明已保存；该说明已被退回，尚未重新报送审核，报送请点“保存并报送” · "
        "The explanation is saved; it was returned and is not yet submitted again: use “Save and submit”",
        messages.WARNING,
    ),
    State.SUBMITTED: (
        "原因说明已报送，正在等待审核 · The explanation is submitted and awaits review",
        messages.SUCCESS,
    ),
    State.APPROVED: (
        "原因说明已通过审核并已公开 · The explanation is approved and public",
        messages.SUCCESS,
    ),
}


@admin.register(GoalExplanation)
class GoalExplanationAdmin(ReviewAdmin, admin.ModelAdmin):
    list_display = ["goal", "status", "requested_on", "due_on", "review_state", "review_comment", "writer"]
    list_filter = ["review_state", "status", "goal__lead_department"]
    list_select_related = ["goal", "recorded_by"]
    search_fields = ["goal__title", "reason", "corrective_actions"]
    fields = [
        "goal",
        "status",
        "requested_on",
        "due_on",
        "review_state",
        "reason",
        "corrective_actions",
        "writer",
        "submitted_at",
        "reviewer_name",
        "reviewed_at",
        "review_comment",
    ]
    readonly_fields = [f for f in fields if f not in ("reason", "corrective_actions")]
    change_form_template = "admin/goals/goalexplanation/change_form.html"

    def saved_message(self, obj) -> tuple[str, int]:
        return SAVED_EXPLANATION[obj.review_state]

    @admin.display(description="填报人 · written by")
    def writer(self, explanation):
        return person_name(explanation.recorded_by) if explanation.recorded_by_id else "—"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        departments = request.user.memberships.values("department_id")
        return queryset.filter(goal__lead_department__in=departments)

    def has_add_permission(self, request):
        return False  # explanations are asked for by the status job, never made by hand

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self._may_write(request, obj):
            return self.readonly_fields
        return self.fields

    def _may_write(self, request, explanation) -> bool:
        return explanation.is_open and (
            request.user.is_superuser
            or request.user.memberships.filter(
                department=explanation.goal.lead_department_id, role=MembershipRole.RECORDER
            ).exists()
        )

    def _may_review(self, request, explanation) -> bool:
        return explanation.review_state == State.SUBMITTED and (
            request.user.is_superuser
            or request.user.memberships.filter(
                department=explanation.goal.lead_department_id, role=MembershipRole.REVIEWER
            ).exists()
        )

    review_done = {
        "submitted": "原因说明已报送审核 · The explanation was submitted for review",
        "approved": (
            "原因说明已通过，将在目标页面公开 · Approved; the explanation is now public on the goal's page"
        ),
        "returned": "原因说明已退回 · The explanation was returned",
    }

    def review_approve(self, request, explanation):
        explanations.goal_explanation_approve(explanation=explanation, reviewer=request.user)

    def review_return(self, request, explanation, comment):
        explanations.goal_explanation_return(explanation=explanation, reviewer=request.user, comment=comment)

    def review_next_url(self, request):
        return reverse("admin:goals_goalexplanation_changelist")

    def review_buttons(self, request, explanation):
        """Besides Approve and Return, “保存并报送 · Save and submit” of what the recorder wrote."""
        if request.method == "POST" and explanation is not None and "_submit_explanation" in request.POST:
            return self.review_step(
                request,
                lambda: explanations.goal_explanation_submit(
                    explanation=explanation,
                    user=request.user,
                    reason=request.POST.get("reason", ""),
                    corrective_actions=request.POST.get("corrective_actions", ""),
                ),
                "submitted",
            )
        return super().review_buttons(request, explanation)

    def review_context(self, request, explanation):
        return {
            "may_write": explanation is not None and self._may_write(request, explanation),
            "may_review": explanation is not None and self._may_review(request, explanation),
        }
