import datetime
import zoneinfo

import pytest
import time_machine

from apps.digests.periods import Frequency, Period

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# The digest of the week Monday 8 July – Sunday 14 July 2024 goes out on Monday 15 July at 08:00.
WEEK_START = datetime.date(2024, 7, 8)
SENDING_DAY = datetime.date(2024, 7, 15)


def beijing(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(beijing(SENDING_DAY, 8), tick=False):
        yield


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://targets.jinan.example"


# The weekly period those dates make.
PERIOD = Period(Frequency.WEEKLY, WEEK_START, SENDING_DAY)
