"""One measure compared across places (issue 23 item 4): for a measure (gdp-growth) and a year, each
place's target (its published goals on its indicator of that measure, due that year), its latest real
figure for that year with the figure's source, and the goal's stored status; and the list of measures
that two or more places can be compared on. Every read is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from apps.goals.models import Goal, Indicator, Jurisdiction, ProgressUpdate
from apps.goals.models.places import HOME_PLACE
from apps.public.boundaries import JINAN_UNIT_CODES

from .indicators import amount_display


@dataclass
class PlaceRow:
    place: Jurisdiction
    indicator: Indicator
    goals: list = field(default_factory=list)
    figure: ProgressUpdate | None = None

    @property
    def status(self) -> str:
        """The status the map shows: the first goal's (a place rarely has two goals of a measure due in
        one year; the table lists each)."""
        return self.goals[0].status if self.goals else ""


@dataclass
class Comparison:
    measure: str
    year: int
    name: str  # the measure's name in the reader's language (the city's indicator's, else the first's)
    rows: list[PlaceRow]
    units_without: list[Jurisdiction]  # of the 12 map units, those with neither target nor figure
    map_mode: str
    map_rows: list[dict]
    years: list[int]  # the years this measure can be compared in (two places or more)


def _real_figures():
    """Approved real figures (no samples, none superseded) of published goals or of indicators, each
    with the measure and place of its indicator (`figure_measure`, `figure_place_id`)."""
    return (
        ProgressUpdate.objects.approved()
        .filter(is_sample=False)
        .filter(Q(goal__isnull=True) | Q(goal__review_state=Goal.ReviewState.PUBLISHED))
        .annotate(
            figure_measure=Coalesce(F("indicator__measure"), F("goal__indicator__measure")),
            figure_place_id=Coalesce(F("indicator__place_id"), F("goal__indicator__place_id")),
        )
    )


def _public_goals():
    return Goal.objects.public().exclude(indicator__isnull=True).exclude(indicator__measure="")


def comparable_years(measure: str | None = None) -> dict[str, list[int]]:
    """{measure: [years]}: the years in which two places or more have a published goal due or a real
    figure dated, per measure (or for `measure` alone). One query."""
    places: dict[tuple[str, int], set[int]] = {}
    goals = _public_goals()
    figures = _real_figures().exclude(figure_measure="").filter(figure_measure__isnull=False)
    if measure is not None:
        goals = goals.filter(indicator__measure=measure)
        figures = figures.filter(figure_measure=measure)
    goals = goals.values_list("indicator__measure", "indicator__place_id", "deadline__year")
    figures = figures.values_list("figure_measure", "figure_place_id", "as_of__year")
    for measure, place_id, year in goals.order_by().union(figures.order_by()):  # distinct rows, one query
        places.setdefault((measure, year), set()).add(place_id)
    years: dict[str, list[int]] = {}
    for (measure, year), ids in sorted(places.items()):
        if len(ids) >= 2:
            years.setdefault(measure, []).append(year)
    return years


def _measure_name(indicators) -> str:
    named = sorted(indicators, key=lambda i: (i.place.slug != HOME_PLACE, i.place.order, i.pk))
    return str(named[0].display_name)


def compared_measures() -> list[dict]:
    """The measures two places or more can be compared on, by name: [{measure, name, years, places}],
    `places` the places with an indicator of it. Two queries."""
    years = comparable_years()
    indicators: dict[str, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(measure__in=years).select_related("place"):
        indicators.setdefault(indicator.measure, []).append(indicator)
    listed = [
        {
            "measure": measure,
            "name": _measure_name(indicators[measure]),
            "years": measure_years,
            "places": sorted({i.place for i in indicators[measure]}, key=lambda p: (p.order, p.name)),
        }
        for measure, measure_years in years.items()
        if measure in indicators
    ]
    return sorted(listed, key=lambda entry: entry["name"])


def _figure_label(figure) -> str:
    return amount_display(figure.value, figure.reported_unit) if figure else ""


def measure_comparison(measure: str, year: int) -> Comparison | None:
    """The comparison of `measure` in `year`, or None when no place has an indicator of it. Five queries
    whatever the number of places, goals and figures."""
    indicators = list(Indicator.objects.filter(measure=measure).select_related("place"))
    if not indicators:
        return None
    rows = {i.place_id: PlaceRow(place=i.place, indicator=i) for i in indicators}
    goals = (
        Goal.objects.public()
        .filter(indicator__measure=measure, deadline__year=year)
        .order_by("deadline", "pk")
    )
    for goal in goals.annotate(place_of_indicator=F("indicator__place_id")):
        rows[goal.place_of_indicator].goals.append(goal)
    figures = (
        _real_figures()
        .filter(figure_measure=measure, as_of__year=year)
        .filter(Q(period_start__isnull=True) | Q(period_start__year=year))
        .select_related("source_document")
        .defer("source_document__text")
        .order_by("as_of", "pk")
    )
    for figure in figures:  # oldest first: the last one kept is the latest
        rows[figure.figure_place_id].figure = figure
    shown = [row for row in rows.values() if row.goals or row.figure]
    shown.sort(key=lambda row: (row.place.order, row.place.name))
    units = list(
        Jurisdiction.objects.filter(code__in=JINAN_UNIT_CODES).order_by("order", "name")
    )  # the 12 units the map draws
    with_data = {row.place.pk for row in shown}
    units_without = [unit for unit in units if unit.pk not in with_data]
    on_map = [row for row in shown if row.place.code in JINAN_UNIT_CODES]
    map_mode = "status" if any(row.goals for row in shown) else "value"
    map_rows = [
        {
            "code": row.place.code,
            "name": str(row.place.display_name),
            "value": row.figure.value if row.figure else None,
            "status": row.status,
            "label": row.goals[0].display_target
            if map_mode == "status" and row.goals
            else _figure_label(row.figure),
        }
        for row in on_map
    ]
    # The units without data are named too, so an English map does not fall back to the file's
    # Chinese names; they carry no status or value and so are drawn as without data.
    map_rows += [
        {"code": unit.code, "name": str(unit.display_name), "value": None, "status": "", "label": ""}
        for unit in units_without
    ]
    return Comparison(
        measure=measure,
        year=year,
        name=_measure_name(indicators),
        rows=shown,
        units_without=units_without,
        map_mode=map_mode,
        map_rows=map_rows,
        years=comparable_years(measure).get(measure, []),
    )


def indicator_comparison_years(indicator) -> list[int]:
    """The years its indicator page links a comparison for: those in which another place too has a
    target or figure of its measure. One query (none without a measure)."""
    if not indicator.measure:
        return []
    return comparable_years(indicator.measure).get(indicator.measure, [])
