"""The figure entry page at 10,000 goals (apps/staff/admin_figures.py): the goal field is an
autocomplete, so the page stays small and its query count constant, and the autocomplete offers the
recorder only the goals she may report on (published, of her departments, in force or in grace)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.goals.models import Goal, ProgressUpdate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]

ADD = reverse("admin:goals_progressupdate_add")
AUTOCOMPLETE = reverse("admin:autocomplete")
GOALS = 10_000
SEARCHED = "算力规模10000P左右"

# (period start, deadline, review state, reportable on 15 July 2024 by a recorder of the lead department)
KINDS = [
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "published", True),  # in force
    (datetime.date(2023, 1, 1), datetime.date(2024, 3, 31), "published", True),  # deadline passed, in grace
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "pending", False),  # held for review
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "rejected", False),
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), "published", False),  # finished, grace over
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), "published", False),  # not begun
]


def goal_row(n, department, kind, title):
    start, deadline, state, _ = kind
    return Goal(
        slug=f"scale-{n}",
        title=title,
        metric="算力规模",
        kind="level",
        comparator="~",
        target_value=Decimal("10000"),
        unit="P",
        period_start=start,
        deadline=deadline,
        review_state=state,
        lead_department=department,
    )


@pytest.fixture
def goals(department, other_department):
    """10,000 goals, half led by the recorder's department, of every kind above; the few titled
    SEARCHED are the ones the search below should sort out. Returns {goal id: reportable by her}."""
    rows, reportable = [], []
    for n in range(GOALS):
        kind, ours = KINDS[n % len(KINDS)], n // len(KINDS) % 2 == 0
        title = SEARCHED if n < 2 * len(KINDS) else f"新建5G基站{n}个"
        rows.append(goal_row(n, department if ours else other_department, kind, title))
        reportable.append(ours and kind[3])
    created = Goal.objects.bulk_create(rows, batch_size=500)
    # A goal her department supports counts as hers.
    supported = goal_row(GOALS, other_department, KINDS[0], SEARCHED)
    supported.save()
    supported.supporting_departments.add(department)
    return {goal.pk: mine for goal, mine in zip(created, reportable, strict=True)} | {supported.pk: True}


def goal_options(page: str) -> list[str]:
    select = re.search(r'<select name="goal".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="(\d+)"', select.group(0))


def autocomplete(client, term, page=1):
    answer = client.get(
        AUTOCOMPLETE,
        {
            "app_label": "goals",
            "model_name": "progressupdate",
            "field_name": "goal",
            "term": term,
            "page": page,
        },
    )
    assert answer.status_code == 200
    return answer.json()


def test_the_entry_page_at_ten_thousand_goals_is_small_and_its_queries_few(
    client, recorder, goals, django_assert_max_num_queries
):
    assert Goal.objects.count() > GOALS
    client.force_login(recorder)
    client.get(ADD)  # the session and the permission caches warm

    with django_assert_max_num_queries(8):
        page = client.get(ADD)

    assert page.status_code == 200
    assert len(page.content) < 100 * 1024
    assert goal_options(page.content.decode()) == []  # the autocomplete asks as she types


def test_a_goal_asked_for_is_named_with_its_year_and_unit_if_she_may_report_on_it(client, recorder, goals):
    client.force_login(recorder)
    reportable = next(pk for pk, mine in goals.items() if mine)
    held = Goal.objects.filter(
        pk__in=goals, review_state="pending", lead_department__memberships__user=recorder
    )

    page = client.get(ADD, {"goal": reportable}).content.decode()
    assert goal_options(page) == [str(reportable)]
    assert f'<option value="{reportable}" selected>{SEARCHED} (2024, P)</option>' in page

    assert goal_options(client.get(ADD, {"goal": held.first().pk}).content.decode()) == []


def test_the_autocomplete_offers_only_the_goals_she_may_report_on(client, recorder, goals):
    client.force_login(recorder)
    expected = {
        pk for pk, title in Goal.objects.filter(title=SEARCHED).values_list("pk", "title") if goals[pk]
    }
    assert len(expected) == 3  # in force, in grace, and the one her department supports

    found = autocomplete(client, SEARCHED)
    assert {int(result["id"]) for result in found["results"]} == expected
    assert not found["pagination"]["more"]
    texts = {result["text"] for result in found["results"]}
    assert texts == {f"{SEARCHED} (2024, P)"}

    first_page = autocomplete(client, "")
    assert first_page["pagination"]["more"]
    assert len(first_page["results"]) == 20
    assert all(goals[int(result["id"])] for result in first_page["results"])


def test_another_department_and_a_goal_held_for_review_are_absent_and_refused(client, recorder, goals):
    client.force_login(recorder)
    others = Goal.objects.filter(pk__in=goals).exclude(pk__in=[pk for pk, mine in goals.items() if mine])
    not_hers = others.filter(review_state="published").exclude(lead_department__memberships__user=recorder)
    held = others.filter(review_state="pending", lead_department__memberships__user=recorder)
    offered = {int(r["id"]) for r in autocomplete(client, SEARCHED)["results"]}

    for goal in (not_hers.filter(title=SEARCHED).first(), held.filter(title=SEARCHED).first()):
        assert goal.pk not in offered
        refused = client.post(
            ADD,
            {
                "goal": goal.pk,
                "as_of": "2024-06-30",
                "value": "9800",
                "evidence_url": "https://example.com/q2",
            },
        )
        assert refused.status_code == 200 and "goal" in refused.context["adminform"].form.errors


def test_a_figure_keeps_its_goal_after_the_goal_closes_to_new_figures(client, recorder, department):
    """A draft on a goal whose wait for the final figure has ended is still saved against it."""
    closed = goal_row(0, department, KINDS[4], SEARCHED)
    closed.save()
    draft = ProgressUpdate.objects.create(
        goal=closed, as_of=datetime.date(2023, 12, 31), value=Decimal("9800"), recorded_by=recorder
    )
    client.force_login(recorder)
    change = reverse("admin:goals_progressupdate_change", args=[draft.pk])
    data = {
        "goal": closed.pk,
        "as_of": "2023-12-31",
        "value": "9900",
        "evidence_url": "https://example.com/q4",
    }

    assert client.post(change, data).status_code == 302
    draft.refresh_from_db()
    assert draft.value == Decimal("9900")
    assert client.post(ADD, data).context["adminform"].form.errors["goal"]  # but no new figure
