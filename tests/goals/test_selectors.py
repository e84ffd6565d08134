"""Reads in apps/goals/selectors.py take the database to read from the caller (`using=`), so a public
page reads a replica without the domain knowing of the project's router."""

import datetime

import pytest
from django.utils.connection import ConnectionDoesNotExist

from apps.goals import selectors
from apps.goals.models import Goal

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 7, 15)


@pytest.fixture
def goals():
    goal = GoalFactory()
    ProgressUpdateFactory(
        goal=goal,
        as_of=datetime.date(2024, 6, 30),
        review_state="approved",
        reviewed_at=datetime.datetime.now(datetime.UTC),
    )
    return Goal.objects.filter(pk=goal.pk)


@pytest.mark.parametrize(
    "read",
    [
        lambda goals, using: selectors.goals_judged_on(goals=goals, day=DAY, using=using),
        lambda goals, using: selectors.statuses_judged_on(goals=goals, day=DAY, using=using),
        lambda goals, using: selectors.status_counts_on([DAY], goals, using=using),
        lambda goals, using: selectors.observations_by_goal(goals, known_on=DAY, using=using),
    ],
    ids=["goals_judged_on", "statuses_judged_on", "status_counts_on", "observations_by_goal"],
)
def test_each_read_goes_to_the_database_it_is_given(goals, read):
    assert read(goals, "default") == read(goals, None)  # the primary, as the router would choose
    with pytest.raises(ConnectionDoesNotExist):
        read(goals, "elsewhere")  # another alias is really asked
