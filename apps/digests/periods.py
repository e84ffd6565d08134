"""Which stretch of days a digest covers, and when it is due (pure; tested as tables).

A weekly digest covers Monday to Sunday and goes out the Monday after. A monthly digest goes out on
the first Monday of each month and covers the whole weeks since the first Monday of the month before
(four or five weeks): monthly periods follow one another with no gap and no overlap, each ends the
day it is sent, and every period starts on a Monday, as weekly ones do."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

WEEK = timedelta(days=7)
# A monthly digest missed on its Monday (the job down, a new subscriber) still goes out during the
# following week, not later: after that the next month's is nearer.
MONTHLY_CATCH_UP = timedelta(days=7)


class Frequency(enum.StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


FREQUENCY_LABELS = {
    Frequency.WEEKLY: ("每周（周一发送上一周）", "weekly (Mondays, for the week before)"),
    Frequency.MONTHLY: (
        "每月（每月第一个周一发送上个月）",
        "monthly (the first Monday of the month, for the month before)",
    ),
}
# The covered period in a sentence: "this week" / "this month".
PERIOD_WORDS = {Frequency.WEEKLY: ("本周", "this week"), Frequency.MONTHLY: ("本月", "this month")}


@dataclass(frozen=True)
class Period:
    """[start, end): start is a Monday; end is the Monday after the last day, the day it is sent."""

    frequency: Frequency
    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def words_zh(self) -> str:
        return PERIOD_WORDS[self.frequency][0]

    @property
    def words_en(self) -> str:
        return PERIOD_WORDS[self.frequency][1]


def monday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.weekday())


def first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def last_period(frequency: Frequency | str, today: date) -> Period:
    """The latest whole period ended on or before `today`."""
    frequency = Frequency(frequency)
    if frequency == Frequency.WEEKLY:
        end = monday_on_or_before(today)
        return Period(frequency, end - WEEK, end)
    year, month = today.year, today.month
    end = first_monday(year, month)
    if end > today:
        year, month = _month_before(year, month)
        end = first_monday(year, month)
    return Period(frequency, first_monday(*_month_before(year, month)), end)


def period_starting(frequency: Frequency | str, start: date) -> Period:
    """The period that starts on `start` (a Monday; for a monthly one, a first Monday of a month)."""
    frequency = Frequency(frequency)
    if start.weekday() != 0:
        raise ValueError(f"a digest period starts on a Monday; {start:%Y-%m-%d} is not one")
    if frequency == Frequency.WEEKLY:
        return Period(frequency, start, start + WEEK)
    if start != first_monday(start.year, start.month):
        raise ValueError(f"a monthly digest starts on a first Monday; {start:%Y-%m-%d} is not one")
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return Period(frequency, start, first_monday(year, month))


def is_due(frequency: Frequency | str, today: date) -> bool:
    """Whether the weekly job run on `today` sends the last period of this frequency to those who
    have not had it: a weekly one always (the job runs on Mondays), a monthly one in the week after
    its first Monday."""
    period = last_period(frequency, today)
    return Frequency(frequency) == Frequency.WEEKLY or today < period.end + MONTHLY_CATCH_UP
