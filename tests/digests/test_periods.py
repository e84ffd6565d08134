"""Which days a digest covers and when it is due (apps/digests/periods.py), as tables."""

import datetime

import pytest

from apps.digests.periods import Frequency, first_monday, is_due, last_period, period_starting

D = datetime.date


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (D(2024, 7, 15), D(2024, 7, 8), D(2024, 7, 15)),  # Monday: the week just ended
        (D(2024, 7, 21), D(2024, 7, 8), D(2024, 7, 15)),  # Sunday: still the last full week
        (D(2024, 7, 22), D(2024, 7, 15), D(2024, 7, 22)),
        (D(2025, 1, 1), D(2024, 12, 23), D(2024, 12, 30)),
    ],
)
def test_a_weekly_digest_covers_the_last_full_week(today, start, end):
    assert last_period(Frequency.WEEKLY, today) == (period := last_period("weekly", today))
    assert (period.start, period.end, period.last_day) == (start, end, end - datetime.timedelta(days=1))


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        # 5 August 2024 is August's first Monday: July's digest covers 1 July (its first Monday) to
        # Sunday 4 August, five whole weeks.
        (D(2024, 8, 5), D(2024, 7, 1), D(2024, 8, 5)),
        (D(2024, 8, 31), D(2024, 7, 1), D(2024, 8, 5)),
        (D(2024, 8, 4), D(2024, 6, 3), D(2024, 7, 1)),  # before August's first Monday
        (D(2025, 1, 6), D(2024, 12, 2), D(2025, 1, 6)),  # across a year
        (D(2025, 1, 5), D(2024, 11, 4), D(2024, 12, 2)),
    ],
)
def test_a_monthly_digest_covers_the_weeks_since_the_first_monday_of_the_month_before(today, start, end):
    period = last_period(Frequency.MONTHLY, today)
    assert (period.start, period.end) == (start, end)
    assert period.start.weekday() == period.end.weekday() == 0
    assert period_starting(Frequency.MONTHLY, start) == period  # the tasks rebuild it from its start


@pytest.mark.parametrize(
    ("today", "monthly_due"),
    [
        (D(2024, 8, 5), True),  # the first Monday
        (D(2024, 8, 11), True),  # a job retried within the week still sends it
        (D(2024, 8, 12), False),  # the second Monday: only weekly digests
        (D(2024, 7, 29), False),
    ],
)
def test_weekly_digests_are_due_every_monday_monthly_ones_on_the_first(today, monthly_due):
    assert is_due(Frequency.WEEKLY, today)
    assert is_due(Frequency.MONTHLY, today) is monthly_due


def test_first_mondays():
    assert [first_monday(2024, month).day for month in (7, 8, 9, 12)] == [1, 5, 2, 2]


@pytest.mark.parametrize(
    ("frequency", "start"),
    [(Frequency.WEEKLY, D(2024, 7, 9)), (Frequency.MONTHLY, D(2024, 7, 8))],
)
def test_a_period_starts_on_a_monday_and_a_monthly_one_on_a_first_monday(frequency, start):
    with pytest.raises(ValueError, match="Monday"):
        period_starting(frequency, start)
