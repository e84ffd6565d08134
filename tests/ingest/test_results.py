"""ingest_results: figures reported in the review sections of the 2025 and 2026 work reports become
proposed progress figures of the matching goals, invisible until a reviewer approves them."""

import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from apps.goals.models import GoalKind, ProgressUpdate
from apps.goals.services import progress_review, review
from apps.goals.units import unit_magnitude
from apps.ingest.extractor import read
from apps.ingest.results import goal_matches, results_ingest
from apps.ingest.services import source_file_read
from tests.factories import GoalFactory

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
REVIEWS = ["2026_01_gwr_opening.txt", "2026_06_livelihood_education.txt", "2025_04_review_of_2024.txt"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _goal(slug, metric, kind, value, unit, year, department, start_year=None):
    return GoalFactory(
        slug=slug,
        title=f"{metric}{value}{unit}",
        metric=metric,
        kind=kind,
        target_value=Decimal(value),
        unit=unit,
        period_start=datetime.date(start_year or year, 1, 1),
        deadline=datetime.date(year, 12, 31),
        lead_department=department,
    )


@pytest.fixture
def goals(department):
    growth, level, increment = GoalKind.GROWTH_RATE, GoalKind.LEVEL, GoalKind.INCREMENT
    return {
        "gdp-growth-2024": _goal("gdp-growth-2024", "地区生产总值增长", growth, "5.5", "%", 2024, department),
        "budget-growth-2024": _goal(
            "budget-growth-2024", "一般公共预算收入增长", growth, "5", "%", 2024, department
        ),
        "gdp-level-2025": _goal(
            "gdp-level-2025", "地区生产总值", level, "1.5", "万亿元", 2025, department, 2023
        ),
        "industry-2025": _goal(
            "industry-2025", "规模以上工业增加值增长", growth, "6.5", "%", 2025, department
        ),
        "industry-average-2025": _goal(
            "industry-average-2025", "规模以上工业增加值年均增长", growth, "9", "%", 2025, department, 2021
        ),
        "retail-2025": _goal("retail-2025", "社会消费品零售总额增长", growth, "3", "%", 2025, department),
        "jobs-2025": _goal("jobs-2025", "城镇新增就业", increment, "15", "万人", 2025, department),
        "5g-2025": _goal("5g-2025", "新建5G基站", increment, "7000", "个", 2025, department),
    }


def _ingest():
    return [results_ingest(source=source_file_read(path=DOCUMENTS / name)) for name in REVIEWS]


ESTIMATE, PRELIMINARY = "estimate", "preliminary"


def _proposed():
    return {
        (
            u.goal.slug,
            u.value.normalize(),
            u.as_of,
            ESTIMATE if u.is_estimate else "final" if u.is_final else PRELIMINARY,
        )
        for u in ProgressUpdate.objects.select_related("goal")
    }


def test_the_reported_2025_and_2024_figures_are_proposed_for_the_matching_goals(goals):
    _ingest()
    assert _proposed() == {
        ("gdp-growth-2024", Decimal("5.5"), datetime.date(2024, 12, 31), ESTIMATE),
        ("budget-growth-2024", Decimal("2.1"), datetime.date(2024, 12, 31), PRELIMINARY),
        ("gdp-level-2025", Decimal("1.4"), datetime.date(2025, 12, 31), ESTIMATE),
        ("industry-2025", Decimal("6.9"), datetime.date(2025, 12, 31), ESTIMATE),
        ("retail-2025", Decimal("4.4"), datetime.date(2025, 12, 31), ESTIMATE),
        ("jobs-2025", Decimal("21"), datetime.date(2025, 12, 31), PRELIMINARY),
    }


def test_each_proposal_carries_its_quote_offsets_and_document(goals):
    _ingest()
    updates = list(ProgressUpdate.objects.select_related("source_document"))
    assert updates, "nothing was proposed"
    for update in updates:
        text = update.source_document.text
        assert update.quote and text[update.source_start : update.source_end] == update.quote
        assert update.review_state == ProgressUpdate.ReviewState.SUBMITTED
        assert update.recorded_by is None
        assert update.evidence_url == update.source_document.url


def test_results_that_match_no_goal_are_listed(goals):
    outcomes = _ingest()
    unmatched = {(r.value, r.unit) for o in outcomes for r in o.unmatched}
    assert (Decimal("1093.4"), "亿元") in unmatched  # a 2025 budget revenue level: no goal states one
    assert (Decimal("74.3"), "%") in unmatched


def test_running_twice_stores_nothing_new(goals):
    _ingest()
    before = ProgressUpdate.objects.count()
    second = _ingest()
    assert ProgressUpdate.objects.count() == before
    assert sum(o.created for o in second) == 0


def test_nothing_is_public_before_a_reviewer_approves(goals, reviewer, client):
    _ingest()
    assert not ProgressUpdate.objects.public().exists()
    page = client.get(goals["jobs-2025"].get_absolute_url())
    assert page.status_code == 200
    assert "城镇新增就业21万人" not in page.content.decode()

    update = ProgressUpdate.objects.get(goal=goals["jobs-2025"])
    progress_review.progress_update_approve(update=update, reviewer=reviewer)
    assert list(ProgressUpdate.objects.public()) == [update]


def test_a_yearly_figure_does_not_match_a_five_year_average():
    goal = GoalFactory.build(
        metric="规模以上工业增加值年均增长",
        kind=GoalKind.GROWTH_RATE,
        unit="%",
        period_start=datetime.date(2021, 1, 1),
        deadline=datetime.date(2025, 12, 31),
    )
    (result,) = read("去年规模以上工业增加值增长6.9%。", reference_year=2026).results
    assert goal_matches(result, goal) is None


@pytest.mark.parametrize(
    ("sentence", "metric", "unit", "target", "expected"),
    [
        ("去年全市地区生产总值超过1.4万亿元。", "地区生产总值", "万亿元", "1.5", Decimal("1.4")),
        ("去年全市地区生产总值14200亿元。", "地区生产总值", "万亿元", "1.5", Decimal("1.42")),
        ("去年新增上市公司7家。", "规模以上工业企业数量", "家", "300", None),  # another indicator
        ("去年新建5G基站0.3万个。", "新建5G基站", "个", "7000", Decimal("3000")),
        ("去年新建5G基站3000个。", "新建5G基站", "万元", "7000", None),  # units that measure other things
    ],
)
def test_unit_and_magnitude_aware_matching(sentence, metric, unit, target, expected):
    goal = GoalFactory.build(
        metric=metric,
        kind=GoalKind.LEVEL,
        unit=unit,
        target_value=Decimal(target),
        period_start=datetime.date(2023, 1, 1),
        deadline=datetime.date(2025, 12, 31),
    )
    goal.unit_magnitude = unit_magnitude(unit)

    (result,) = read(sentence, reference_year=2026).results
    value = goal_matches(result, goal)
    assert (value.normalize() if value is not None else None) == expected


def test_command_lists_proposals_and_unmatched_and_is_safe_to_rerun(goals):
    out = StringIO()
    files = [str(DOCUMENTS / name) for name in REVIEWS]
    call_command("ingest_results", *files, "--manifest", str(DOCUMENTS / "manifest.json"), stdout=out)
    text = out.getvalue()
    assert "jobs-2025: 21" in text and "未匹配" in text
    again = StringIO()
    call_command("ingest_results", *files, stdout=again)
    assert "Done: 0 figures proposed" in again.getvalue()


def test_staff_attach_an_unmatched_result_to_its_goal(goals, department):
    budget = _goal("budget-level-2025", "财政收入", GoalKind.LEVEL, "1100", "亿元", 2025, department)
    path = DOCUMENTS / "2026_01_gwr_opening.txt"
    (outcome,) = [results_ingest(source=source_file_read(path=path))]
    (listed,) = [r for r in outcome.unmatched if r.value == Decimal("1093.4")]
    out = StringIO()
    call_command("ingest_results", str(path), "--attach", f"{listed.start}=budget-level-2025", stdout=out)
    update = ProgressUpdate.objects.get(goal=budget)
    assert (update.value, update.as_of, update.review_state) == (
        Decimal("1093.4"),
        datetime.date(2025, 12, 31),
        ProgressUpdate.ReviewState.SUBMITTED,
    )
    assert not ProgressUpdate.objects.public().filter(goal=budget).exists()
    with pytest.raises(CommandError):  # 1093.4 亿元 against a goal counted in 万人
        call_command("ingest_results", str(path), "--attach", f"{listed.start}=jobs-2025", stdout=StringIO())


def test_reviewers_hear_of_each_proposed_figure_once(
    goals, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    path = DOCUMENTS / "2026_06_livelihood_education.txt"
    with django_capture_on_commit_callbacks(execute=True):
        results_ingest(source=source_file_read(path=path))
    [mail] = smtp_server.messages
    assert mail.envelope_to == [reviewer.email]
    assert "城镇新增就业" in mail["Subject"]
    with django_capture_on_commit_callbacks(execute=True):
        results_ingest(source=source_file_read(path=path))
    assert len(smtp_server.messages) == 1


def test_proposed_figures_are_handed_in_by_the_review_service(goals):
    """Submitted as a recorder's figure is: with the time it was handed in and a history step that
    says so, naming no person, so no reviewer is counted among its authors."""
    _ingest()
    proposed = list(ProgressUpdate.objects.all())
    assert proposed
    for update in proposed:
        assert update.review_state == ProgressUpdate.ReviewState.SUBMITTED
        assert update.submitted_at is not None
        assert update.history.filter(history_change_reason="submitted", history_user=None).exists()
        assert review.review_authors(update) == set()
