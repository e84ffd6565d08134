"""The places map's payload: plain rows (one per unit) turned into what static/public/places-map.js
draws and what templates/public/_place_map.html lists as its legend, in the page's language."""

from django import template
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _

from apps.goals.status import STATUS_ORDER, status_label
from apps.public.boundaries import JINAN_UNIT_CODES

register = template.Library()

BOUNDARIES = "public/places/jinan-districts.geojson"
MODES = ("status", "value")


def _number(value):
    if value is None or value == "":
        return None
    return float(value)


@register.simple_tag
def place_map_payload(rows, mode="status"):
    """{geojson, mode, rows, legend, labels} for the map of Jinan's 12 units.

    `rows`: dicts (or objects) with `code` (区划代码), `name`, `value` (a number or None), `status`
    (a goals.status.Status value or empty) and `label` (the value as the table writes it, "5.6%").
    `mode`: "status" colours units by status and writes the status on each; "value" shades them by
    value and writes the label on each. Units without a row are drawn grey, marked "no data"."""
    if mode not in MODES:
        raise ValueError(f"place map mode {mode!r}: use one of {MODES}")
    language = translation.get_language() or ""
    plain_rows = []
    for row in rows:
        get = row.get if isinstance(row, dict) else lambda key, row=row: getattr(row, key, None)
        status = str(get("status") or "")
        plain_rows.append(
            {
                "code": str(get("code")),
                "name": str(get("name") or ""),
                "value": _number(get("value")),
                "status": status,
                "status_words": status_label(status, language) if status else "",
                "label": str(get("label") or ""),
            }
        )
    known = {row["code"] for row in plain_rows if row["code"] in JINAN_UNIT_CODES}
    if mode == "status":
        counts = {}
        for row in plain_rows:
            if row["status"]:
                counts[row["status"]] = counts.get(row["status"], 0) + 1
        legend = [
            {"status": str(status), "words": status_label(status, language), "count": counts[status]}
            for status in STATUS_ORDER
            if status in counts
        ]
        without = len(JINAN_UNIT_CODES) - len(
            {r["code"] for r in plain_rows if r["status"] and r["code"] in known}
        )
    else:
        valued = [row for row in plain_rows if row["value"] is not None]
        legend = []
        if valued:
            lowest = min(valued, key=lambda row: row["value"])
            highest = max(valued, key=lambda row: row["value"])
            legend = [
                {"end": "low", "words": _("最低"), "name": lowest["name"], "label": lowest["label"]},
                {"end": "high", "words": _("最高"), "name": highest["name"], "label": highest["label"]},
            ]
        without = len(JINAN_UNIT_CODES) - len({r["code"] for r in valued if r["code"] in known})
    return {
        "geojson": static(BOUNDARIES),
        "mode": mode,
        "rows": plain_rows,
        "legend": legend,
        "without_data": without,
        "labels": {
            "no_data": _("暂无数据"),
            "darker_is_higher": _("颜色越深，数值越高"),
            "centre": _("中心城区（放大）"),
        },
    }
