"""Migration 0025 (one review workflow) loses nothing and names what the four-eyes rule reads: every
figure handed in gets the time it was handed in, and the history of explanations names its review
steps, so a reviewer who once returned an explanation is not taken for one of its writers."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.goals.models import GoalExplanation, ProgressUpdate
from apps.goals.services.review import review_authors

from ..factories import GoalFactory, UserFactory

BEFORE = [("goals", "0024_progress_import")]
T0 = datetime(2024, 7, 1, 9, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_figures_keep_when_they_were_handed_in_and_explanations_name_their_review_steps():
    goal = GoalFactory()
    writer, other_writer, reviewer = UserFactory(), UserFactory(), UserFactory()
    # Every app's latest: migrating goals back takes the migrations that depend on it back too.
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(BEFORE)
    try:
        Update = old.get_model("goals", "ProgressUpdate")
        UpdateHistory = old.get_model("goals", "HistoricalProgressUpdate")
        figure = {"goal_id": goal.pk, "as_of": date(2024, 6, 30), "value": 1, "recorded_by_id": writer.pk}
        draft = Update.objects.create(**figure)
        handed_in = Update.objects.create(
            **{**figure, "as_of": date(2024, 5, 31), "review_state": "submitted"}
        )
        UpdateHistory.objects.create(
            **{**figure, "as_of": date(2024, 5, 31), "review_state": "submitted"},
            id=handed_in.pk,
            created_at=T0,
            updated_at=T0,
            history_date=T0 + timedelta(days=2),
            history_change_reason="submitted",
            history_type="~",
            history_user_id=writer.pk,
        )
        stored_submitted = Update.objects.create(
            **{**figure, "as_of": date(2024, 4, 30), "review_state": "submitted"}
        )

        StatusChange = old.get_model("goals", "StatusChange")
        turn = StatusChange.objects.create(
            goal_id=goal.pk,
            changed_at=T0,
            evaluated_on=date(2024, 7, 1),
            to_status="off_track",
            rule_version="t",
        )
        Explanation = old.get_model("goals", "GoalExplanation")
        text = {"reason": "选址协调滞后", "corrective_actions": "加快审批"}
        explanation = Explanation.objects.create(
            goal_id=goal.pk,
            status_change_id=turn.pk,
            status="off_track",
            requested_on=date(2024, 7, 1),
            due_on=date(2024, 7, 15),
            review_state="submitted",
            recorded_by_id=other_writer.pk,
            **text,
        )
        ExplanationHistory = old.get_model("goals", "HistoricalGoalExplanation")
        # Asked (by the job), written, submitted, returned by the reviewer, edited, submitted again:
        # the steps as 0009–0024 recorded them, with no names.
        steps = [
            ("requested", None, {"reason": "", "corrective_actions": ""}),
            ("requested", writer, text),
            ("submitted", writer, text),
            ("returned", reviewer, text),
            ("returned", other_writer, text),
            ("submitted", other_writer, text),
        ]
        for n, (state, user, words) in enumerate(steps):
            ExplanationHistory.objects.create(
                id=explanation.pk,
                goal_id=goal.pk,
                status_change_id=turn.pk,
                status="off_track",
                requested_on=date(2024, 7, 1),
                due_on=date(2024, 7, 15),
                review_state=state,
                history_date=T0 + timedelta(hours=n),
                history_type="+" if n == 0 else "~",
                history_user_id=user.pk if user else None,
                **words,
            )
    finally:
        migrate(latest)

    submitted_at = dict(ProgressUpdate.objects.values_list("pk", "submitted_at"))
    assert submitted_at[draft.pk] is None
    assert submitted_at[handed_in.pk] == T0 + timedelta(days=2)
    assert submitted_at[stored_submitted.pk] == ProgressUpdate.objects.get(pk=stored_submitted.pk).created_at

    explained = GoalExplanation.objects.get(pk=explanation.pk)
    names = list(explained.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert names == [None, None, "submitted", "returned", None, "submitted"]
    assert (explained.reason, explained.corrective_actions, explained.recorded_by) == (
        "选址协调滞后",
        "加快审批",
        other_writer,
    )
    assert review_authors(explained) == {writer.pk, other_writer.pk}
