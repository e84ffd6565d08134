import datetime
import zoneinfo

import pytest
import time_machine


@pytest.fixture
def mid_july_2024():
    """Monday 15 July 2024, 10:00 in Jinan, frozen: the day the goals' workflow tests run on (the
    2024 goals half way through, last quarter's figures due). Modules use it with
    `pytest.mark.usefixtures("mid_july_2024")`."""
    with time_machine.travel(
        datetime.datetime(2024, 7, 15, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield
