"""A staff member's to-do list on the admin index: figures and explanations waiting for their review,
their returned and draft figures, and what the weekly reminder would tell them now (figures due,
explanations to write).
Reads only, a fixed handful of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.goals.models import GoalExplanation, MembershipRole, ProgressUpdate
from apps.goals.services.reminders import ReminderLine, recorder_reminder_lines
from apps.goals.services.review import review_open_to


@dataclass
class Todo:
    to_review: int = 0
    returned: list[ProgressUpdate] = field(default_factory=list)
    drafts: int = 0
    explanations_to_review: int = 0
    due: list[ReminderLine] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.to_review or self.returned or self.drafts or self.explanations_to_review or self.due)


def staff_todo(user) -> Todo:
    todo = Todo()
    if not user.is_authenticated or not user.is_staff:
        return todo
    roles = set(user.memberships.values_list("role", flat=True))
    updates = reverse("admin:goals_progressupdate_changelist")
    explanations = reverse("admin:goals_goalexplanation_changelist")
    todo.links = {
        "to_review": f"{updates}?review_state__exact=submitted",
        "drafts": f"{updates}?review_state__exact=draft",
        "explanations_to_review": f"{explanations}?review_state__exact=submitted",
    }
    if MembershipRole.REVIEWER in roles:
        # Only what the review service would let them approve: four eyes, as it counts them.
        todo.to_review = review_open_to(
            ProgressUpdate.objects.visible_to(user).filter(review_state=ProgressUpdate.ReviewState.SUBMITTED),
            user,
        ).count()
        todo.explanations_to_review = review_open_to(
            GoalExplanation.objects.filter(
                review_state=GoalExplanation.ReviewState.SUBMITTED,
                goal__lead_department__in=user.memberships.filter(role=MembershipRole.REVIEWER).values(
                    "department_id"
                ),
            ),
            user,
        ).count()
    if MembershipRole.RECORDER in roles:
        mine = ProgressUpdate.objects.filter(recorded_by=user).select_related("goal")
        todo.returned = list(
            mine.filter(review_state=ProgressUpdate.ReviewState.REJECTED).order_by("-reviewed_at")[:20]
        )
        todo.drafts = mine.filter(review_state=ProgressUpdate.ReviewState.DRAFT).count()
        # The reminder's lines, linked on this site rather than through SITE_URL.
        todo.due = [
            ReminderLine(line.title, line.what_zh, line.what_en, line.link.removeprefix(settings.SITE_URL))
            for line in recorder_reminder_lines(user=user, today=timezone.localdate())
        ]
    return todo
