"""Migration 0004 turns goal followers into followers of a goal or an indicator: every existing
follower, confirmed or not, keeps its goal, address, token (the links in emails already sent) and the
record of what it was sent."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.digests.models import Follower

from ..factories import GoalFactory

BEFORE = [("digests", "0003_goal_followers")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_goal_followers_are_kept():
    goal = GoalFactory(slug="5g-2024")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()  # every app, as before the test
    old = migrate(BEFORE)
    try:
        GoalFollower = old.get_model("digests", "GoalFollower")
        confirmed = GoalFollower.objects.create(goal_id=goal.pk, email="a@example.org", token="tok-a")
        GoalFollower.objects.filter(pk=confirmed.pk).update(confirmed_at="2024-07-01T00:00:00Z")
        GoalFollower.objects.create(goal_id=goal.pk, email="b@example.org", token="tok-b")
        old.get_model("digests", "FollowerNotice").objects.create(follower_id=confirmed.pk, key="status:1")
    finally:
        migrate(latest)

    kept = {f.email: f for f in Follower.objects.all()}
    assert sorted(kept) == ["a@example.org", "b@example.org"]
    assert all(f.goal_id == goal.pk and f.indicator_id is None for f in kept.values())
    assert (kept["a@example.org"].token, kept["b@example.org"].token) == ("tok-a", "tok-b")
    assert list(Follower.objects.following()) == [kept["a@example.org"]]
    assert list(kept["a@example.org"].notices.values_list("key", flat=True)) == ["status:1"]
