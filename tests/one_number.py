"""One number everywhere (issue 21): for a judged goal, the status text, the key facts, the progress
bar, the chart's expected line, the entry form's expected value, the JSON API and the CSV export all
say the same 序时进度 (expected value to date), percentage and baseline -- those of the stored verdict
(Goal.progress_facts, built by status.progress_facts). Used by tests/public/test_one_number.py on
the seeded site and by tests/goals/test_status_properties.py on generated goals."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

from apps.goals import status, units
from apps.goals.models import Goal
from apps.goals.services.evaluation import goal_expected_on

ONE_DAY = timedelta(days=1)  # the line leaves the baseline at the end of the day before the start


def _drawn_on(points, day) -> float | None:
    """The value a chart's line through `points` ([iso date, value], on a time axis) has on `day`."""
    dated = [(date.fromisoformat(when), value) for when, value in points]
    if day >= dated[-1][0]:
        return dated[-1][1]  # past the deadline the expected value is the target, as the rules clamp it
    if day <= dated[0][0]:
        return dated[0][1]  # before the period the expected value is the baseline, as the rules clamp it
    for (d0, v0), (d1, v1) in zip(dated, dated[1:], strict=False):
        if d0 <= day <= d1:
            return v0 if d1 == d0 else v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    return None


def _shown(value: Decimal) -> Decimal:
    """A computed number as every surface shows it (units.amount_rounded: three significant digits,
    whole digits kept, rounded half up: 29.605 → 29.6, 1673.44 → 1673)."""
    return units.amount_rounded(value, computed=True)


def _percent_shown(value: Decimal) -> Decimal:
    return units.amount_rounded(value, percent=True)


_PACED_KINDS = (Goal.Kind.LEVEL, Goal.Kind.INCREMENT)


def _between(text: str, start: str, end: str) -> str | None:
    at = text.find(start)
    if at < 0:
        return None
    at += len(start)
    return text[at : text.index(end, at)]


def _number(text: str) -> Decimal:
    """The number a text opens with: '9,833.33', '5.5%（截至…）' (a percentage sign joins its number)."""
    return Decimal(re.match(r"-?[\d,]+(?:\.\d+)?", text.strip()).group().replace(",", ""))


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def export_rows(client) -> dict[str, dict]:
    """The goal list's CSV export, by slug."""
    response = client.get("/goals/?_export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}


def check_goal(client, goal: Goal, export_row: dict | None = None) -> list[str]:
    """Every disagreement found for one published, judged goal, as sentences (empty: all agree)."""
    goal.refresh_from_db()
    problems: list[str] = []

    def expect(condition: bool, what: str) -> None:
        if not condition:
            problems.append(f"{goal.slug}: {what}")

    facts = goal.progress_facts
    expected, percent, baseline = facts.expected_value, facts.progress_percent, facts.baseline
    paced = goal.kind in _PACED_KINDS

    # The rules: the stored numbers are what progress_facts makes of the stored baseline and latest.
    if goal.kind != Goal.Kind.MILESTONE and goal.target_value is not None:
        again = status.progress_facts(
            kind=goal.kind,
            comparator=goal.comparator,
            target=goal.target_value,
            baseline=baseline,
            start=goal.period_start,
            deadline=goal.deadline,
            on=goal.latest_as_of or goal.status_evaluated_on,
            latest_value=goal.latest_value,
        )
        expect(
            again.expected_value == expected,
            f"expected {expected} stored, {again.expected_value} by the rules",
        )
        expect(
            again.progress_percent == percent,
            f"percent {percent} stored, {again.progress_percent} by the rules",
        )
    if goal.kind == Goal.Kind.LEVEL and baseline is None:
        expect(expected is None and percent is None, "a level without a baseline shows a pace")
    if paced and expected is not None:
        expect(baseline is not None, "an expected value without a baseline")
    if percent is not None and baseline is not None and goal.latest_value is not None:
        span = goal.target_value - baseline
        if span:
            share = (goal.latest_value - baseline) / span * 100
            expect(
                abs(share - percent) <= 1,
                f"percent {percent} against (latest − baseline)/(target − baseline) {share}",
            )

    # The finished goal's verdict (done-when of issue 21).
    if goal.deadline < goal.status_evaluated_on and goal.status in (
        status.Status.ACHIEVED,
        status.Status.MISSED,
    ):
        expect(not goal.is_sample, f"a finished goal {goal.status} on sample figures")
    if goal.status == status.Status.MISSED and goal.latest_as_of is not None:
        capped = goal.kind == Goal.Kind.CAP or goal.comparator == Goal.Comparator.AT_MOST
        expect(capped or goal.latest_as_of >= goal.deadline, "missed on a figure dated before the deadline")

    # The goal page: status text, key facts, bar, chart.
    page = client.get(goal.get_absolute_url()).content.decode()
    panel = _between(page, '<section class="status-panel', "</section>") or ""
    said = html.unescape(_between(panel, 'data-testid="status-explanation">', "<") or "")
    expect(said == goal.status_explanation_zh, "the page's status text is not the stored one")
    for number in re.findall(r"(?:应达到|应完成)(-?[\d,]+(?:\.\d+)?)", said):
        expect(
            expected is not None and _number(number) == _shown(expected),
            f"text says {number}, expected {expected}",
        )
    if expected is None:
        expect(
            "序时进度应达到" not in said and "应完成" not in said,
            "the text gives a pace without an expected value",
        )
    shown_expected = _between(page, 'data-testid="expected">', "</dd>")
    if expected is not None and goal.kind != Goal.Kind.MILESTONE:
        expect(
            shown_expected is not None and _number(shown_expected.split()[0]) == _shown(expected),
            f"key facts say {shown_expected!r}, expected {expected}",
        )
    else:
        expect(
            shown_expected is None or not re.search(r"\d", shown_expected),
            f"key facts show {shown_expected!r}",
        )
    shown_baseline = _between(page, 'data-testid="baseline">', "</dd>") or ""
    if baseline is None:
        expect(
            shown_baseline == "—", f"key facts show the baseline {shown_baseline!r} that the verdict lacks"
        )
    else:
        expect(
            _number(shown_baseline.split()[0]) == baseline,
            f"key facts baseline {shown_baseline!r}, verdict {baseline}",
        )
    bar = _between(panel, 'class="progress-number">', "%")
    if percent is None:
        expect(bar is None, f"a bar of {bar}% without a percentage")
    else:
        expect(
            bar is not None and Decimal(bar) == _percent_shown(percent),
            f"bar {bar}% against {percent}",
        )
        shares = re.findall(r"完成(-?[\d.]+)%", said)
        expect(
            all(Decimal(s) == _percent_shown(abs(percent)) for s in shares),
            f"text share {shares} against {percent}",
        )
    if goal.kind != Goal.Kind.MILESTONE:
        script = _between(page, '<script id="goal-data" type="application/json">', "</script>")
        expect(script is not None, "no chart data")
        line = json.loads(script)["expected"] if script else None
        if not paced or expected is None:
            expect(line is None, "an expected line without an expected value")
        else:
            expect(line is not None, "an expected value without an expected line")
            if line is not None:
                (start, line_baseline), (end, line_target) = line[0], line[-1]
                expect(
                    (date.fromisoformat(start), end)
                    == (goal.period_start - ONE_DAY, goal.deadline.isoformat()),
                    "the line spans another period",
                )
                expect(Decimal(str(line_baseline)) == baseline, "the line starts elsewhere")
                expect(line_target == float(goal.target_value), "the line ends elsewhere")
                on_line = status.expected_value(
                    baseline=baseline,
                    target=goal.target_value,
                    start=goal.period_start,
                    deadline=goal.deadline,
                    on=facts.expected_on,
                )
                expect(
                    on_line == expected,
                    f"the line passes {on_line} on {facts.expected_on}, expected {expected}",
                )
                drawn = _drawn_on(line, facts.expected_on)
                expect(
                    drawn is not None and abs(drawn - float(expected)) < 0.01,
                    f"the chart draws {drawn} on {facts.expected_on}, expected {expected}",
                )

    # The entry form's expected value for a figure of that date, where no sample is in play.
    if paced and expected is not None and not goal.is_sample:
        entry = goal_expected_on(goal=goal, on=facts.expected_on, today=goal.status_evaluated_on)
        expect(entry == expected, f"the entry form expects {entry}, the verdict {expected}")

    # The API and the export.
    record = json.loads(client.get(f"/api/goals/{goal.slug}.json").content)["goal"]
    rows = [("API", record)] + ([("export", export_row)] if export_row is not None else [])
    for where, row in rows:
        expect(_decimal(row["expected_value"]) == expected, f"{where} expected {row['expected_value']}")
        expect(_decimal(row["progress_percent"]) == percent, f"{where} percent {row['progress_percent']}")
        expect(_decimal(row["baseline_value"]) == baseline, f"{where} baseline {row['baseline_value']}")
        if goal.kind == Goal.Kind.LEVEL and row["expected_value"] not in (None, ""):
            expect(
                row["baseline_value"] not in (None, ""),
                f"{where}: a level's expected value without a baseline",
            )
    return problems
