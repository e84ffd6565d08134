"""One number in a real Chromium (issue 21's done-when): a real figure is recorded for a level goal
with a baseline, a recorder submitting it and a reviewer approving it, and the goal page then says the
same 序时进度 (expected progress to date) in its status text, its key facts and its chart (read from the
drawn ECharts series), and its bar shows the share of the way from that baseline to the target."""

import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from apps.goals.models import ProgressUpdate
from apps.goals.services.progress_review import progress_update_approve, progress_update_submit

from ..factories import GoalFactory
from .test_workflow_browser import review_groups  # noqa: F401  (the groups a flushed database lost)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("review_groups"),
]

# Mid-July 2026 in Jinan: the 2026 goal half way through, its June figure just approved.
MID_JULY = datetime.datetime(2026, 7, 15, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
AS_OF = datetime.date(2026, 6, 30)


def number(text: str) -> Decimal:
    [found] = re.findall(r"\d+(?:\.\d+)?", text.replace(",", ""))
    return Decimal(found)


def drawn_value_on(page, series_name: str, day: datetime.date) -> Decimal:
    """The value the drawn line of `series_name` passes through on `day`, read from the chart's own
    ECharts options and interpolated between its points as the time axis draws them."""
    points = page.evaluate(
        """([name]) => {
            const chart = window.echarts.getInstanceByDom(document.getElementById("chart-goal"));
            const series = chart.getOption().series.find((s) => s.name === name);
            return series ? series.data.map((p) => (Array.isArray(p) ? p : p.value)) : null;
        }""",
        [series_name],
    )
    assert points, f"no {series_name} line drawn"
    at = datetime.datetime.combine(day, datetime.time()).timestamp()
    dated = [
        (datetime.datetime.fromisoformat(when).timestamp(), Decimal(str(value))) for when, value in points
    ]
    for (t0, v0), (t1, v1) in zip(dated, dated[1:], strict=False):
        if t0 <= at <= t1:
            return v0 + (v1 - v0) * Decimal(str((at - t0) / (t1 - t0)))
    raise AssertionError(f"the {series_name} line does not reach {day}: {points}")


@pytest.fixture
def level_goal(department):
    return GoalFactory(
        lead_department=department,
        title="数字经济核心产业增加值达到1700亿元",
        slug="digital-economy-1700",
        kind="level",
        unit="亿元",
        target_value=Decimal("1700"),
        baseline_value=Decimal("1320"),
        baseline_date=datetime.date(2025, 12, 31),
        period_start=datetime.date(2026, 1, 1),
        deadline=datetime.date(2026, 12, 31),
    )


def test_a_real_figure_shows_one_expected_value_in_text_key_facts_bar_and_chart(
    page_at, live_server, level_goal, recorder, reviewer
):
    with time_machine.travel(MID_JULY, tick=True):
        update = ProgressUpdate.objects.create(
            goal=level_goal,
            as_of=AS_OF,
            value=Decimal("1500"),
            evidence_url="https://example.com/bulletin-2026-h1",
            recorded_by=recorder,
        )
        progress_update_submit(update=update, user=recorder)
        progress_update_approve(update=ProgressUpdate.objects.get(pk=update.pk), reviewer=reviewer)
        level_goal.refresh_from_db()
        assert level_goal.status == "at_risk" and not level_goal.is_sample

        page = page_at()
        page.goto(f"{live_server.url}/goals/{level_goal.slug}/")
        page.wait_for_function(
            "() => window.echarts && window.echarts.getInstanceByDom(document.getElementById('chart-goal'))"
        )

        status_text = page.get_by_test_id("status-explanation").inner_text()
        said = re.search(r"截至6月30日应达到([\d.]+) ?亿元", status_text)
        assert said, status_text
        in_text = Decimal(said.group(1))
        in_facts = number(page.get_by_test_id("expected").inner_text().split()[0])
        on_chart = drawn_value_on(page, "序时进度", AS_OF)
        bar = number(page.locator(".status-panel .progress-number").inner_text())
        baseline = number(page.get_by_test_id("baseline").inner_text().split("（")[0])
        latest = number(page.get_by_test_id("latest-figure").inner_text().split("亿元")[0])

    # Half of 2026 has passed by the end of June: half the way from 1320 to 1700.
    assert in_text == in_facts == Decimal("1510")
    assert abs(on_chart - in_facts) < Decimal("0.01"), (on_chart, in_facts)
    assert (baseline, latest) == (Decimal("1320"), Decimal("1500"))
    # The bar: the share of the way from the same baseline to the target, as the text rounds it.
    assert bar == ((latest - baseline) / (Decimal("1700") - baseline) * 100).quantize(Decimal("0.1"))
