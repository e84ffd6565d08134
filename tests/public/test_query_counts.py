"""Every public page runs a bounded number of queries, the same with 10 goals as with 500."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.goals.models import Citation, Goal, GoalKind, Indicator, ProgressUpdate, StatusChange

from ..factories import CategoryFactory, DepartmentFactory, DocumentFactory, PlanFactory

pytestmark = pytest.mark.django_db

STATUSES = ["on_track", "at_risk", "off_track", "achieved", "stale", "not_started"]


def build_goals(count):
    """`count` published goals with figures, citations, status changes and supporting departments,
    in a handful of bulk inserts. Returns the first goal and the document."""
    categories = [CategoryFactory() for _ in range(5)]
    departments = [DepartmentFactory() for _ in range(8)]
    plan = PlanFactory()
    indicator = Indicator.objects.create(slug="new-facilities", name="新建设施", name_en="New facilities")
    text = "".join(f"目标{i}：新建设施{i}个。" for i in range(count))
    document = DocumentFactory(text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
    goals = Goal.objects.bulk_create(
        [
            Goal(
                slug=f"bulk-{i}",
                title=f"新建设施{i}个",
                title_en=f"{i} new facilities",
                metric="新建设施",
                indicator=indicator,
                kind=GoalKind.INCREMENT,
                target_value=Decimal(100 + i),
                unit="个",
                unit_magnitude=Decimal(1),
                period_start=datetime.date(2024, 1, 1),
                deadline=datetime.date(2024 + i % 3, 12, 31),
                review_state=Goal.ReviewState.PUBLISHED if i % 10 else Goal.ReviewState.PENDING,
                is_headline=i < 6,
                headline_order=i,
                status=STATUSES[i % len(STATUSES)],
                progress_percent=Decimal(i % 100),
                latest_value=Decimal(i),
                latest_as_of=datetime.date(2024, 6, 30),
                category=categories[i % 5],
                lead_department=departments[i % 8],
                plan=plan,
            )
            for i in range(count)
        ]
    )
    Goal.supporting_departments.through.objects.bulk_create(
        [
            Goal.supporting_departments.through(goal_id=g.pk, department_id=departments[(i + 1) % 8].pk)
            for i, g in enumerate(goals)
        ]
    )
    citations, position = [], 0
    for i, goal in enumerate(goals):
        quote = f"新建设施{i}个"
        start = text.index(quote, position)
        position = start + len(quote)
        citations.append(Citation(goal=goal, document=document, start=start, end=position, quote=quote))
    Citation.objects.bulk_create(citations)
    now = timezone.now()
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(
                goal=g,
                as_of=datetime.date(2024, month, 28),
                value=Decimal(month * 10),
                review_state=ProgressUpdate.ReviewState.APPROVED,
                reviewed_at=now,
                is_sample=month == 3,
            )
            for g in goals
            for month in (3, 6)
        ]
    )
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                goal=g,
                evaluated_on=datetime.date(2024, 7, 1),
                from_status="not_started",
                to_status=g.status if g.status != "not_started" else "on_track",
                rule_version="1",
            )
            for g in goals
        ]
    )
    return goals[1], document


# URL builder and the most queries the page may run (one of them is the ETag's data version; one on
# every HTML page asks whether the site holds sample figures, for the banner). A goal's page and record
# read its parts (a split by district or department) in one query, whether it has any or not.
PAGES = {
    "dashboard": (lambda goal, doc: "/", 11),
    # The list's place filter checks its slug and lists the places: two queries more.
    "goal list": (lambda goal, doc: "/goals/", 10),
    "goal list filtered and sorted": (
        lambda goal, doc: (
            f"/goals/?status=on_track&department={goal.lead_department.slug}&year=2025&q=设施&sort=-status"
        ),
        10,
    ),
    "goal list csv": (lambda goal, doc: "/goals/?_export=csv", 4),
    "goal list xlsx": (lambda goal, doc: "/goals/?_export=xlsx", 4),
    "goal page": (lambda goal, doc: f"/goals/{goal.slug}/", 12),
    "goal page as of a past day": (lambda goal, doc: f"/goals/{goal.slug}/?as_of=2024-06-30", 17),
    # The indicator page asks in one query which years other places can be compared in.
    "indicator page": (lambda goal, doc: f"/indicators/{goal.indicator.slug}/", 6),
    "indicators": (lambda goal, doc: "/indicators/", 3),
    "goal data.csv": (lambda goal, doc: f"/goals/{goal.slug}/data.csv", 3),
    "documents": (lambda goal, doc: "/documents/", 3),
    "document page": (lambda goal, doc: f"/documents/{doc.pk}/", 4),
    "progress feed": (lambda goal, doc: "/feeds/progress/", 2),
    "status feed": (lambda goal, doc: "/feeds/status/", 2),
    "goal progress feed": (lambda goal, doc: f"/goals/{goal.slug}/feeds/progress/", 3),
    "goal status feed": (lambda goal, doc: f"/goals/{goal.slug}/feeds/status/", 3),
    "api list": (lambda goal, doc: "/api/goals.json?page_size=200", 4),
    "api goal": (lambda goal, doc: f"/api/goals/{goal.slug}.json", 10),
}


@pytest.mark.parametrize("count", [10, 500])
@pytest.mark.parametrize("page", list(PAGES))
def test_query_count_does_not_grow_with_goals(client, django_assert_max_num_queries, count, page):
    goal, document = build_goals(count)
    url, bound = PAGES[page][0](goal, document), PAGES[page][1]
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200
