"""Two departments' goals and figures in every review state, each unreviewed thing carrying a unique
marker in its text (and its evidence file's name), so that a test can say "this marker must not
appear here" for the admin's scope and for the public site."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.goals.models import (
    Citation,
    Department,
    DepartmentMembership,
    Goal,
    MembershipRole,
    ProgressUpdate,
    StatusChange,
)
from apps.goals.services import memberships

from .factories import DocumentFactory, GoalFactory, ProgressUpdateFactory, UserFactory

GOAL_STATES = [Goal.ReviewState.PUBLISHED, Goal.ReviewState.PENDING, Goal.ReviewState.REJECTED]
UPDATE_STATES = list(ProgressUpdate.ReviewState)


def marker(department: Department, what: str) -> str:
    return f"MARK{department.slug.upper().replace('-', '')}{what.upper().replace('_', '')}"


@dataclass
class MarkedWorld:
    departments: list
    goals: dict = field(default_factory=dict)  # (department slug, goal review state) -> goal
    updates: dict = field(default_factory=dict)  # (department slug, update review state) -> update
    markers: dict = field(default_factory=dict)  # department slug -> markers no outsider may see

    def all_markers(self) -> set[str]:
        return {m for markers in self.markers.values() for m in markers}

    def markers_hidden_from(self, user) -> set[str]:
        """Markers of the departments the user is no member of (superusers see everything)."""
        if user is None or not user.is_superuser:
            own = set() if user is None else set(user.memberships.values_list("department__slug", flat=True))
            return {m for slug, markers in self.markers.items() if slug not in own for m in markers}
        return set()


def build_marked_world(departments: list[Department], recorders: dict, reviewers: dict) -> MarkedWorld:
    """For each department: a published, a pending and a rejected goal (the last two marked); on the
    published goal a figure in each review state (all but the approved one marked, the draft with a
    marked evidence file); a marked approved figure on the pending goal; citations and a status
    change for every goal; and a marked member (a manager) whose name only their colleagues see."""
    world = MarkedWorld(departments=departments)
    now = timezone.now()
    for department in departments:
        slug = department.slug
        markers = world.markers.setdefault(slug, set())
        text = f"今年新建5G基站7000个。{department.name}的文件。"
        document = DocumentFactory(title=f"{department.name}文件", text=text, place=department.place)
        for state in GOAL_STATES:
            title = f"{department.name}目标{state.label[:3]}"
            if state != Goal.ReviewState.PUBLISHED:
                title += marker(department, f"goal{state}")
                markers.add(marker(department, f"goal{state}"))
            goal = GoalFactory(
                place=department.place,
                lead_department=department,
                review_state=state,
                title=title,
                title_en=title,
                slug=f"{slug}-{state}",
            )
            world.goals[slug, state] = goal
            Citation.objects.create(goal=goal, document=document, start=2, end=13, quote=text[2:13])
            StatusChange.objects.create(
                goal=goal,
                evaluated_on=datetime.date(2024, 7, 1),
                from_status="not_started",
                to_status="on_track",
                rule_version="1",
                explanation_zh=f"{goal.title}进度正常",
                explanation_en="on track",
            )
        published = world.goals[slug, Goal.ReviewState.PUBLISHED]
        for n, state in enumerate(UPDATE_STATES):
            note = f"{department.name}的数据"
            if state != ProgressUpdate.ReviewState.APPROVED:
                note += marker(department, f"update{state}")
                markers.add(marker(department, f"update{state}"))
            reviewed = state in (ProgressUpdate.ReviewState.APPROVED, ProgressUpdate.ReviewState.REJECTED)
            update = ProgressUpdateFactory(
                goal=published,
                as_of=datetime.date(2024, 3 + n, 28),
                value=Decimal(1000 + n),
                note=note,
                review_state=state,
                recorded_by=recorders[slug],
                reviewed_by=reviewers[slug] if reviewed else None,
                reviewed_at=now if reviewed else None,
                review_comment="请核实" if state == ProgressUpdate.ReviewState.REJECTED else "",
            )
            world.updates[slug, state] = update
        draft = world.updates[slug, ProgressUpdate.ReviewState.DRAFT]
        evidence, content = marker(department, "evidence"), marker(department, "evidencecontent")
        markers |= {evidence, content}
        draft.evidence_file.save(f"{evidence}.txt", ContentFile(f"{content} 佐证".encode()), save=True)
        pending_goal = world.goals[slug, Goal.ReviewState.PENDING]
        world.updates[slug, "approved-on-pending"] = ProgressUpdateFactory(
            goal=pending_goal,
            as_of=datetime.date(2024, 6, 30),
            note=marker(department, "updateonpending"),
            review_state=ProgressUpdate.ReviewState.APPROVED,
            recorded_by=recorders[slug],
            reviewed_by=reviewers[slug],
            reviewed_at=now,
        )
        markers.add(marker(department, "updateonpending"))
        member = UserFactory(username=marker(department, "member"), is_staff=True)
        DepartmentMembership.objects.create(user=member, department=department, role=MembershipRole.MANAGER)
        memberships.user_groups_sync(user=member)
        markers.add(marker(department, "member"))
    return world
