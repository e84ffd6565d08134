"""Target revisions are public: a change of a published goal's target, deadline or unit needs a
reason, is recorded from → to with when and why, and the goal is judged again when it commits."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from apps.goals.models import Goal, GoalRevision, ProgressUpdate
from apps.goals.services import evaluation, revisions
from apps.staff.forms import GoalAdminForm

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def smart_communities(admin_user):
    """建设智慧社区400个 in 2024, judged on 20 Oct with 380 reported."""
    goal = GoalFactory(title="建设智慧社区400个", target_value=Decimal("400"), unit="个")
    ProgressUpdateFactory(
        goal=goal,
        as_of=datetime.date(2024, 9, 30),
        value=Decimal("380"),
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2024, 10, 10, tzinfo=datetime.UTC),
    )
    evaluation.goal_evaluate(goal_id=goal.pk, today=datetime.date(2024, 10, 20))
    goal.refresh_from_db()
    return goal


def revise(goal, user, reason, **changes):
    before = Goal.objects.filter(pk=goal.pk).values(*revisions.JUDGED_FIELDS).get()
    for name, value in changes.items():
        setattr(goal, name, value)
    goal.save()
    return revisions.goal_changes_record(goal=goal, before=before, reason=reason, user=user)


def test_a_target_change_is_recorded_with_its_reason_and_the_goal_judged_again(
    smart_communities, admin_user, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2024, 10, 20, 12, tzinfo=datetime.UTC))
    assert smart_communities.expected_value == Decimal("300")  # three quarters of 400
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        revise(smart_communities, admin_user, "市政府年中调整目标", target_value=Decimal("450"))
    assert len(callbacks) == 1
    revision = GoalRevision.objects.get(goal=smart_communities)
    assert (revision.field, revision.before, revision.after) == ("target_value", "400", "450")
    assert revision.reason == "市政府年中调整目标" and revision.revised_by == admin_user
    smart_communities.refresh_from_db()
    assert smart_communities.expected_value == Decimal("337.5")  # three quarters of 450
    # The text says it as every surface shows a computed amount (units.amount_display: 338 for 337.5).
    assert "应完成338个" in smart_communities.status_explanation_zh


def test_a_revision_without_a_reason_is_refused(smart_communities, admin_user):
    with pytest.raises(ValidationError, match="needs a reason"):
        revise(smart_communities, admin_user, "  ", deadline=datetime.date(2025, 6, 30))


def test_an_unpublished_goal_changes_without_a_revision(admin_user):
    goal = GoalFactory(review_state=Goal.ReviewState.PENDING)
    assert revise(goal, admin_user, "", target_value=Decimal("8000")) == []
    assert not GoalRevision.objects.exists()


def test_the_admin_form_asks_for_a_reason_when_a_published_target_changes(smart_communities):
    fields = ["target_value", "target_max", "comparator", "unit", "deadline"]
    data = {**model_to_dict(smart_communities, fields=fields), "target_value": "450"}
    data["target_max"] = ""
    form = GoalAdminForm(data=data, instance=smart_communities)
    assert not form.is_valid()
    assert "needs a reason" in str(form.errors["revision_reason"])
    form = GoalAdminForm(data={**data, "revision_reason": "年中调整"}, instance=smart_communities)
    assert form.is_valid(), form.errors


def test_the_goal_page_and_api_show_the_revision_history(client, smart_communities, admin_user):
    revise(smart_communities, admin_user, "市政府年中调整目标", target_value=Decimal("450"))
    html = client.get(smart_communities.get_absolute_url()).content.decode()
    section = html[html.index('data-testid="revisions"') :]
    assert "400" in section and "450" in section and "市政府年中调整目标" in section
    detail = client.get(f"/api/goals/{smart_communities.slug}.json").json()["goal"]
    assert detail["revisions"] == [
        {
            "field": "target_value",
            "before": "400",
            "after": "450",
            "reason": "市政府年中调整目标",
            "revised_at": detail["revisions"][0]["revised_at"],
        }
    ]


@pytest.mark.parametrize(
    "title, changes, retitled",
    [
        ("数据要素×典型应用场景100个", dict(target_value=Decimal("110")), "数据要素×典型应用场景110个"),
        ("建设智慧社区100个", dict(unit="家"), "建设智慧社区100家"),
        (
            "千兆城市示范区2～3个",
            dict(target_value=Decimal("3"), target_max=Decimal("4")),
            "千兆城市示范区3～4个",
        ),
        # A title that does not state the target as written stays as staff wrote it.
        ("数据要素典型应用场景", dict(target_value=Decimal("110")), "数据要素典型应用场景"),
    ],
)
def test_the_title_follows_a_revised_target(admin_user, title, changes, retitled):
    goal = GoalFactory(title=title, target_value=Decimal("100"), unit="个")
    if "target_max" in changes:
        goal.target_value, goal.target_max = Decimal("2"), Decimal("3")
        goal.save()
    revise(goal, admin_user, "省里下达新任务", **changes)
    assert Goal.objects.get(pk=goal.pk).title == retitled
