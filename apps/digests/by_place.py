"""A digest by place: one section per place (a city and its districts, counties and zones), each listing
what that place is behind on: goals turned red in the period, figures and explanations overdue, figures
waiting for review. The facts are the department sections' own (building.py); only the grouping
differs. A fixed number of queries whatever the number of places and goals: each list is read once for
every place, cut to its first LIST_LIMIT lines per place by a window over the goal's place."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from apps.goals.models import Goal, GoalExplanation, Jurisdiction

from .building import (
    LIST_LIMIT,
    Listing,
    due_line,
    explanation_line,
    figure_due_on,
    figure_schedule,
    goals_in_scope,
    red_line,
    turned_red_changes,
    waiting_line,
    waiting_updates,
)
from .periods import Period


def place_label(place) -> str:
    return f"{place.name}（{place.name_en}）" if place.name_en else place.name


@dataclass(frozen=True)
class PlaceSection:
    """One place's part of a digest by place."""

    place: str  # "历城区（Licheng District）"
    turned_red: Listing
    overdue_figures: Listing
    overdue_explanations: Listing
    waiting: Listing

    @property
    def behind(self) -> int:
        return (
            self.turned_red.total
            + self.overdue_figures.total
            + self.overdue_explanations.total
            + self.waiting.total
        )


@dataclass(frozen=True)
class PlaceDigest:
    period: Period
    place: str  # the place whose units are covered
    sections: list[PlaceSection]

    @property
    def week_start(self):
        return self.period.start

    @property
    def week_last_day(self):
        return self.period.last_day

    @property
    def headline(self) -> tuple[str, str]:
        """As Digest.headline says what waits: figures awaiting review, goals turned red, overdue."""
        parts = [
            (sum(s.waiting.total for s in self.sections), "项待审核", "awaiting review"),
            (sum(s.turned_red.total for s in self.sections), "项转红", "turned red"),
            (
                sum(s.overdue_figures.total + s.overdue_explanations.total for s in self.sections),
                "项逾期",
                "overdue",
            ),
        ]
        parts = [part for part in parts if part[0]]
        if not parts:
            return "各地无待办", "nothing behind"
        return (
            " · ".join(f"{count} {zh}" for count, zh, _ in parts),
            " · ".join(f"{count} {en}" for count, _, en in parts),
        )


def _per_place(queryset, order_by: list) -> dict[int, tuple[list, int]]:
    """{place id: (its first LIST_LIMIT rows, how many it has)}, in one query for every place."""
    place = F("goal__place")
    rows = queryset.annotate(
        place_key=place,
        place_row=Window(RowNumber(), partition_by=[place], order_by=order_by),
        place_total=Window(Count("pk"), partition_by=[place]),
    ).filter(place_row__lte=LIST_LIMIT)
    grouped: dict[int, list] = {}
    for row in sorted(rows, key=lambda row: row.place_row):
        grouped.setdefault(row.place_key, []).append(row)
    return {key: (found, found[0].place_total) for key, found in grouped.items()}


def place_digest_build(*, place, departments: list, period: Period) -> PlaceDigest:
    """The digest of `period` by place: `place` and its units, one section each in their order,
    over the goals of `departments` (the reader's scope, scope.py; empty: all, for a superuser).
    A reader limited to some departments gets sections only for their departments' places, so a
    district's manager never sees another district's goals."""
    places = list(Jurisdiction.objects.filter(Q(pk=place.pk) | Q(parent=place.pk)))
    places.sort(key=lambda p: (p.pk != place.pk, p.order, p.name))
    if departments:
        own = {department.place_id for department in departments}
        places = [p for p in places if p.pk in own]
    place_ids = [p.pk for p in places]
    goals = goals_in_scope([department.pk for department in departments]).filter(place__in=place_ids)
    day = period.end

    red = _per_place(
        turned_red_changes(goals, period).select_related("goal__lead_department"), ["changed_at", "pk"]
    )
    waiting = _per_place(
        waiting_updates(goals).select_related("goal__lead_department", "recorded_by"), ["updated_at", "pk"]
    )
    explanations = _per_place(
        GoalExplanation.objects.overdue(day).filter(goal__in=goals).select_related("goal__lead_department"),
        ["due_on", "pk"],
    )
    # Figures owed: the schedule of every goal in scope, then the goals listed (two queries).
    overdue: dict[int, list] = {}
    for pk, place_id, latest, start, cadence in figure_schedule(goals, day).values_list(
        "pk", "place", "latest_as_of", "period_start", "stale_after_days"
    ):
        due_on = figure_due_on(latest=latest, start=start, cadence=cadence)
        if due_on < day:
            overdue.setdefault(place_id, []).append((due_on, pk, latest))
    for rows in overdue.values():
        rows.sort()
    shown = [pk for rows in overdue.values() for _, pk, _ in rows[:LIST_LIMIT]]
    by_pk = Goal.objects.select_related("lead_department").in_bulk(shown) if shown else {}

    def listing(found: tuple[list, int] | None, line) -> Listing:
        rows, total = found or ([], 0)
        return Listing([line(row) for row in rows], total)

    return PlaceDigest(
        period=period,
        place=place_label(place),
        sections=[
            PlaceSection(
                place=place_label(p),
                turned_red=listing(red.get(p.pk), red_line),
                overdue_figures=Listing(
                    [
                        due_line(by_pk[pk], due_on=due_on, latest=latest, day=day)
                        for due_on, pk, latest in overdue.get(p.pk, [])[:LIST_LIMIT]
                    ],
                    len(overdue.get(p.pk, [])),
                ),
                overdue_explanations=listing(explanations.get(p.pk), lambda row: explanation_line(row, day)),
                waiting=listing(waiting.get(p.pk), waiting_line),
            )
            for p in places
        ],
    )
