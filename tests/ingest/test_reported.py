"""Reported figures: stored once per indicator and period, with quote, source page and kind of figure."""

import datetime
from decimal import Decimal

import pytest

from apps.goals.models import ProgressUpdate
from apps.ingest.curation import Curation, IndicatorEntry
from apps.ingest.reported import figure_period, published_day, reported_figures_load

D = datetime.date


@pytest.mark.parametrize(
    "text, period",
    [
        ("2025", (D(2025, 1, 1), D(2025, 12, 31))),
        ("2021..2025", (D(2021, 1, 1), D(2025, 12, 31))),
        ("2025-01..09", (D(2025, 1, 1), D(2025, 9, 30))),
        ("2024-01..11", (D(2024, 1, 1), D(2024, 11, 30))),
        ("2024-H1", (D(2024, 1, 1), D(2024, 6, 30))),
        ("2024-H2", (D(2024, 7, 1), D(2024, 12, 31))),
    ],
)
def test_a_period_is_the_first_and_last_day_it_covers(text, period):
    assert figure_period(text) == period


def test_a_period_that_is_none_of_these_is_refused():
    with pytest.raises(ValueError):
        figure_period("去年")


@pytest.mark.parametrize(
    "text, day",
    [
        ("2026-01-28", D(2026, 1, 28)),
        ("unknown (after 2025 year-end)", None),
        (None, None),
        ("unknown", None),
    ],
)
def test_the_publication_day_is_kept_only_when_the_source_shows_it(text, day):
    assert published_day(text) == day


CURATION = Curation(
    indicators=[
        IndicatorEntry(
            slug="gdp-growth",
            name="地区生产总值增速",
            name_en="GDP growth",
            department="",
            metrics=("地区生产总值增长",),
        ),
        IndicatorEntry(
            slug="signed-projects",
            name="签约落地过亿元项目",
            name_en="Projects signed",
            department="",
            metrics=("过亿元项目",),
            reported_as=("签约落地亿元以上项目数",),
        ),
    ]
)


def row(**overrides):
    values = {
        "indicator": "地区生产总值增速",
        "period": "2025-01..09",
        "value": 5.4,
        "unit": "%",
        "status": "preliminary",
        "quote": "同比增长5.4%",
        "url": "https://example.com/gdp",
        "published": "2025-12-26",
    }
    return {**values, **overrides}


@pytest.mark.django_db
def test_figures_are_stored_once_for_their_indicator_with_their_evidence():
    rows = [
        row(),
        row(period="2024", value=5.5, status="estimate", quote="预计增长5.5%左右", published="unknown"),
        row(
            indicator="签约落地亿元以上项目数", period="2024", value=671, unit="个", status="final", url=None
        ),
        row(indicator="起步区累计建设5G基站", period="2025", value=1792, unit="个"),
    ]
    summary = reported_figures_load(rows=rows, curation=CURATION)
    assert (summary.stored, summary.already, summary.unmatched) == (3, 0, ["起步区累计建设5G基站 2025"])
    nine_months = ProgressUpdate.objects.get(indicator__slug="gdp-growth", as_of=D(2025, 9, 30))
    assert (nine_months.goal, nine_months.period_start, nine_months.value, nine_months.unit) == (
        None,
        D(2025, 1, 1),
        Decimal("5.4"),
        "%",
    )
    assert (nine_months.quote, nine_months.evidence_url, nine_months.review_state) == (
        "同比增长5.4%",
        "https://example.com/gdp",
        "approved",
    )
    assert nine_months.published_on == D(2025, 12, 26)
    estimate = ProgressUpdate.objects.get(indicator__slug="gdp-growth", as_of=D(2024, 12, 31))
    assert estimate.published_on is None
    assert (estimate.is_estimate, estimate.is_final) == (True, False)
    assert "publication date not shown" in estimate.note
    signed = ProgressUpdate.objects.get(indicator__slug="signed-projects")
    assert (signed.is_final, signed.evidence_url) == (True, "")
    assert "source page not recorded" in signed.note

    again = reported_figures_load(rows=rows, curation=CURATION)
    assert (again.stored, again.already) == (0, 3)
    assert ProgressUpdate.objects.count() == 3
