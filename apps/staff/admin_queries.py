"""What the admin refuses in a query string before any of its views reads it: a NUL character
(PostgreSQL refuses it in any query, which the site would otherwise report as a database outage),
and in a lookup (`?as_of__year=0`, `?created_at__gte=0001-01-01`) a date part or a day out of the
calendar: Python's dates end at years 1 and 9999, and Django moves a day by a time zone or steps a
drill-down to the next year only when it runs the query. Either is answered with a 400 that names
the parameter. Every admin view passes through here (JinanAdminSite.admin_view): the lists of every
admin, their filters, search, sorting and date drill-down, autocomplete and the staff's own pages."""

from __future__ import annotations

import re

from django.http import HttpResponseBadRequest

# The years a lookup may name: a year short of either end of Python's calendar, so that shifting a
# day to UTC or stepping to the next year stays inside it.
YEARS = (2, 9998)

# The range of each date part a lookup may name (Django's date lookups).
DATE_PARTS = {
    "year": YEARS,
    "iso_year": YEARS,
    "quarter": (1, 4),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}


# A day written in a lookup's value (`2024-06-30`, `0001-01-01 00:00`, one of a `__range`).
WRITTEN_DAY = re.compile(r"(?<![0-9])([0-9]+)-[0-9]{1,2}-[0-9]{1,2}")


def whole_number_in(text: str, low: int, high: int) -> int | None:
    """`text` as a whole number from `low` to `high`, or None: "0", "00", "20260101", "-1" and
    "99999999999999999999999" are no year."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if low <= number <= high else None


def query_refusal(query) -> str | None:
    """Why the admin refuses a query string (a QueryDict), in words for its 400; None if it doesn't."""
    for name, values in query.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return "查询参数含有空字符（NUL） · The query string contains a NUL character"
        if "__" not in name:
            continue  # search, sorting, a page, a filter's own parameter: no lookup
        part = name.rsplit("__", 1)[-1]
        for value in values:
            shown = f"{name}={value[:40]}"
            if part in DATE_PARTS:
                low, high = DATE_PARTS[part]
                if whole_number_in(value, low, high) is None:
                    return (
                        f"筛选条件“{shown}”无效：须为{low}至{high}的整数 · "
                        f"The filter “{shown}” is invalid: it must be a whole number from {low} to {high}"
                    )
            elif any(whole_number_in(year, *YEARS) is None for year in WRITTEN_DAY.findall(value)):
                low, high = YEARS
                return (
                    f"筛选条件“{shown}”无效：年份须在{low}至{high}之间 · "
                    f"The filter “{shown}” is invalid: a day's year must be from {low} to {high}"
                )
    return None


def refuse_malformed_query(view):
    """`view`, answering a 400 instead when its query string holds what query_refusal refuses."""

    def checked(request, *args, **kwargs):
        refusal = query_refusal(request.GET)
        if refusal is not None:
            return HttpResponseBadRequest(refusal, content_type="text/plain; charset=utf-8")
        return view(request, *args, **kwargs)

    return checked
