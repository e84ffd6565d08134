"""Reported figures: stored once per indicator and period, with quote, source page and kind of figure."""

import datetime
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Q

from apps.goals.models import ProgressUpdate
from apps.ingest.curation import Curation, IndicatorEntry
from apps.ingest.reported import (
    figure_period,
    figure_rank,
    published_day,
    reported_figures_load,
    reported_rows_read,
)

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


def test_a_range_of_days_is_a_period_too():
    assert figure_period("2024-01-01..2024-09-30") == (D(2024, 1, 1), D(2024, 9, 30))


@pytest.mark.parametrize(
    "firmer, weaker",
    [
        (dict(is_final=True, is_estimate=False), dict(is_final=False, is_estimate=False)),
        (dict(is_final=False, is_estimate=False), dict(is_final=False, is_estimate=True)),
        (dict(is_final=True, is_estimate=False), dict(is_final=False, is_estimate=True)),
    ],
)
def test_final_outranks_preliminary_outranks_estimate_whatever_else(firmer, weaker):
    def rank(basis, **rest):
        values = dict(value=Decimal("5.4"), published_on=None, pk=1)
        return figure_rank(**basis, **{**values, **rest})

    # The weaker figure published later, more precise and stored first still loses.
    assert rank(firmer, pk=9) > rank(weaker, value=Decimal("5.412"), published_on=D(2026, 1, 1), pk=1)


def test_of_equal_standing_the_exact_figure_then_the_later_then_the_first_stored_wins():
    def rank(value, published_on, pk):
        return figure_rank(is_final=False, is_estimate=False, value=value, published_on=published_on, pk=pk)

    assert rank(Decimal("14210.09"), None, 2) > rank(Decimal("1.42"), D(2026, 1, 28), 1)
    assert rank(Decimal("5.4"), D(2026, 1, 28), 2) > rank(Decimal("5.4"), D(2025, 12, 1), 1)
    assert rank(Decimal("5.4"), None, 1) > rank(Decimal("5.4"), None, 2)


@pytest.mark.django_db
def test_a_firmer_figure_supersedes_and_a_repeat_gives_way_but_both_stay_stored():
    rows = [
        row(period="2024", value=5.5, status="estimate", quote="预计增长5.5%左右"),
        row(url="https://example.com/repost"),  # the same nine months' 5.4% from another page
        row(),
    ]
    first = reported_figures_load(rows=rows, curation=CURATION)
    assert (first.stored, first.superseded) == (3, 1)
    final = reported_figures_load(
        rows=[
            row(
                period="2024", value=5.4, status="final", quote="增长5.4%", url="https://example.com/bulletin"
            )
        ],
        curation=CURATION,
    )
    assert (final.stored, final.superseded) == (1, 1)

    assert ProgressUpdate.objects.count() == 4
    shown = ProgressUpdate.objects.approved().order_by("as_of")
    assert [(u.as_of, u.value, u.is_final, u.evidence_url) for u in shown] == [
        (D(2025, 9, 30), Decimal("5.4"), False, "https://example.com/repost"),
        (D(2024, 12, 31), Decimal("5.4"), True, "https://example.com/bulletin"),
    ][::-1]
    estimate = ProgressUpdate.objects.get(is_estimate=True)
    assert estimate.superseded_by.evidence_url == "https://example.com/bulletin"
    again = reported_figures_load(rows=rows, curation=CURATION)
    assert (again.stored, again.superseded) == (0, 0)


@pytest.mark.django_db
def test_a_row_naming_its_file_is_linked_to_that_document_with_the_quotes_offsets(tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "01_bulletin.txt").write_text(
        "2024年全市经济运行稳中有进。全年地区生产总值增长5.4%。", "utf-8"
    )
    (documents / "manifest.json").write_text(
        '[{"file": "01_bulletin.txt", "title": "2024年统计公报", "published": "2025-03-24"}]', "utf-8"
    )
    outcomes = tmp_path / "outcomes.json"
    outcomes.write_text(
        '[{"indicator": "地区生产总值增速", "period": "2024-01-01..2024-12-31", "value": 5.4, "unit": "%",'
        ' "status": "final", "quote": "地区生产总值增长5.4%", "url": "https://example.com/b", '
        '"published": "2025-03-24", "file": "documents/01_bulletin.txt"}]',
        "utf-8",
    )
    reported_figures_load(rows=reported_rows_read(outcomes), curation=CURATION)

    figure = ProgressUpdate.objects.get()
    assert figure.source_document.title == "2024年统计公报"
    assert figure.source_document.text[figure.source_start : figure.source_end] == "地区生产总值增长5.4%"
    assert (figure.period_start, figure.as_of, figure.is_final) == (D(2024, 1, 1), D(2024, 12, 31), True)


@pytest.mark.django_db
def test_a_baseline_row_is_the_figure_of_its_day_and_not_stored_twice(tmp_path):
    outcomes = tmp_path / "outcomes.json"
    outcomes.write_text(
        '[{"indicator": "签约落地亿元以上项目数", "period": "2024", "value": 671, "unit": "个", '
        '"status": "final", "quote": "签约落地亿元以上项目671个", "url": "https://example.com/a"}]',
        "utf-8",
    )
    baselines = tmp_path / "baselines.json"
    baselines.write_text(
        '[{"indicator": "签约落地亿元以上项目数", "as_of": "2024-12-31", "value": 671, "unit": "个", '
        '"status": "final", "quote": "签约落地亿元以上项目671个", "url": "https://example.com/b"}, '
        '{"indicator": "签约落地亿元以上项目数", "as_of": "2023-12-31", "value": 600, "unit": "个", '
        '"status": "preliminary", "quote": "项目600个", "url": "https://example.com/b"}]',
        "utf-8",
    )
    rows = reported_rows_read(outcomes) + reported_rows_read(baselines)
    summary = reported_figures_load(rows=rows, curation=CURATION)

    assert (summary.stored, summary.already) == (2, 1)
    base = ProgressUpdate.objects.get(as_of=D(2023, 12, 31))
    assert (base.period_start, base.value, base.is_final) == (D(2023, 12, 31), Decimal("600"), False)


@pytest.mark.django_db
def test_the_fixtures_load_every_figure_with_its_quote_in_its_document():
    call_command("loaddata", "fixtures/reference.json", verbosity=0)
    call_command("load_reported_figures", verbosity=0)
    call_command("load_reported_figures", verbosity=0)

    results = json.loads(Path("fixtures/results/outcomes.json").read_text("utf-8"))
    baselines = json.loads(Path("fixtures/results/baselines.json").read_text("utf-8"))
    every = ProgressUpdate.objects.filter(goal=None, is_sample=False)
    # The districts' figures (fixtures/districts/outcomes.json) are their places' own, from their documents.
    districts = every.exclude(indicator__place__slug="jinan")
    assert districts.count() > 90
    assert not districts.filter(source_document__place__slug="jinan").exists()
    # The city's own: of its indicators, from its documents (the city report filed under 起步区 quotes two).
    stored = every.filter(indicator__place__slug="jinan").filter(
        Q(source_document__isnull=True) | Q(source_document__place__slug="jinan")
    )
    # 54 earlier figures, 24 results, 19 baselines of which 3 repeat a result of the same day.
    assert (len(results), len(baselines)) == (24, 19)
    assert stored.count() == 54 + 24 + 19 - 3
    # Each figure of fixtures/results is linked to the document its `file` names.
    linked = stored.filter(source_document__isnull=False).select_related("source_document")
    assert linked.count() == 24 + 19 - 3
    assert linked.filter(source_document__file_name__startswith="01_bulletin").exists()
    for figure in linked:
        assert figure.source_document.text[figure.source_start : figure.source_end] == figure.quote
    jobs = stored.get(indicator__slug="new-urban-jobs", as_of=D(2024, 12, 31))
    assert (jobs.value, jobs.unit, jobs.superseded_by) == (Decimal("21.59"), "万人", None)
    gdp_2024 = ProgressUpdate.objects.approved().filter(
        indicator__slug="gdp-growth", period_start=D(2024, 1, 1)
    )
    assert [(u.value, u.is_final) for u in gdp_2024.filter(as_of=D(2024, 12, 31))] == [(Decimal("5.4"), True)]
    # One figure per indicator and period is in force.
    periods = Counter(
        ProgressUpdate.objects.approved().filter(goal=None).values_list("indicator", "period_start", "as_of")
    )
    assert max(periods.values()) == 1
