"""Named reads in apps/goals/querysets.py: "known on a day" in SQL says what status.known_on says."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.goals.models import ProgressUpdate
from apps.goals.status import known_on

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_figures_known_on_a_day_are_the_approved_ones_status_known_on_accepts():
    dated = [D(2024, 6, 30), D(2024, 7, 15), D(2024, 7, 16)]
    published = [None, D(2024, 7, 15), D(2024, 7, 16)]
    figures = [
        ProgressUpdateFactory(
            goal=GoalFactory(),  # one figure a goal: a goal has one approved figure per date
            as_of=as_of,
            published_on=published_on,
            value=Decimal(1),
            review_state=state,
            reviewed_at=timezone.now() if state == "approved" else None,
        )
        for as_of in dated
        for published_on in published
        for state in ("approved", "submitted")
    ]
    day = D(2024, 7, 15)

    known = set(ProgressUpdate.objects.known_on(day).values_list("pk", flat=True))

    expected = {
        f.pk
        for f in figures
        if f.review_state == "approved" and known_on(as_of=f.as_of, published_on=f.published_on, day=day)
    }
    assert known == expected
    assert len(known) == 4  # dated 30 June or 15 July, published by 15 July or with no publication day
