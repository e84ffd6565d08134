"""Open data: the goal list as CSV, JSON and XLSX, and one goal's figures in the Open SDG data layout.
Field names are stable and documented in the README ("JSON API"); they do not change with the
interface language, which is why both the Chinese and English text are included."""

import csv
import json
import tempfile
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from apps.goals.spreadsheets import spreadsheet_text, xlsx_cell
from apps.goals.status import status_label
from apps.goals.units import plain_decimal
from apps.goals.weblinks import web_url

# The columns of the list downloads, in order; also the keys of every goal in the JSON API.
GOAL_FIELDS = [
    "slug",
    "title_zh",
    "title_en",
    "url",
    "metric",
    "metric_en",
    "indicator",
    "kind",
    "comparator",
    "target_value",
    "target_max",
    "unit",
    "target_display",
    "baseline_value",
    "baseline_date",
    "baseline_source",
    "period_start",
    "deadline",
    "category",
    "category_en",
    "lead_department",
    "lead_department_en",
    "plan",
    "plan_en",
    "status",
    "status_zh",
    "status_en",
    "status_explanation_zh",
    "status_explanation_en",
    "status_evaluated_on",
    "expected_value",
    "progress_percent",
    "latest_value",
    "latest_as_of",
    "forecast_date",
    "forecast_value",
    "latest_is_provisional",
    "is_sample",
    "is_headline",
]


def _number(value):
    """Decimals as JSON numbers would lose nothing here, but strings keep 5.5 from becoming 5.4999…"""
    if value is None:
        return None
    return plain_decimal(value) if isinstance(value, Decimal) else value


def absolute(path, base=None):
    """An address on this site: under `base` (the address the request came to, see site_base) when
    given, else under SITE_URL (emails and jobs, which have no request)."""
    return f"{base or settings.SITE_URL}{path}"


def site_base(request) -> str:
    """The scheme and host the site was reached at, e.g. http://127.0.0.1:8010 (the host is checked
    against ALLOWED_HOSTS by Django)."""
    return request.build_absolute_uri("/").rstrip("/")


def _baseline_source(goal):
    """Where the verdict's baseline came from: the goal's own (its recorded source), or a figure of the
    goal's indicator dated at or before the period start that the rules took."""
    progress = goal.progress_facts
    if progress.baseline is None:
        return None
    if goal.baseline_value is not None and progress.baseline == goal.baseline_value:
        return goal.baseline_source or None
    return "indicator" if goal.status_baseline_as_of is not None else None


def goal_record(goal, base=None):
    """One goal as a flat dict of stable field names (the goal needs with_related())."""
    zh, en = status_label(goal.status, "zh"), status_label(goal.status, "en")
    return {
        "slug": goal.slug,
        "title_zh": goal.title,
        "title_en": goal.title_en,
        "url": absolute(goal.get_absolute_url(), base),
        "metric": goal.metric,
        "metric_en": goal.indicator.name_en if goal.indicator else "",
        "indicator": goal.indicator.slug if goal.indicator else None,
        "kind": goal.kind,
        "comparator": goal.comparator,
        "target_value": _number(goal.target_value),
        "target_max": _number(goal.target_max),
        "unit": goal.unit,
        "target_display": goal.target_display(),
        # The baseline the verdict's 序时进度 and percentage start from (Goal.progress_facts).
        "baseline_value": _number(goal.progress_facts.baseline),
        "baseline_date": goal.progress_facts.baseline_as_of,
        # document, indicator (a reported figure of the goal's indicator) or staff; None when the
        # baseline is unknown or was entered before its source was recorded.
        "baseline_source": _baseline_source(goal),
        "period_start": goal.period_start,
        "deadline": goal.deadline,
        "category": goal.category.name if goal.category else None,
        "category_en": goal.category.name_en if goal.category else None,
        "lead_department": goal.lead_department.name if goal.lead_department else None,
        "lead_department_en": goal.lead_department.name_en if goal.lead_department else None,
        "plan": goal.plan.name if goal.plan else None,
        "plan_en": goal.plan.name_en if goal.plan else None,
        "status": goal.status,
        "status_zh": zh,
        "status_en": en,
        "status_explanation_zh": goal.status_explanation_zh,
        "status_explanation_en": goal.status_explanation_en,
        "status_evaluated_on": goal.status_evaluated_on,
        "expected_value": _number(goal.expected_value),
        "progress_percent": _number(goal.progress_percent),
        "latest_value": _number(goal.latest_value),
        "latest_as_of": goal.latest_as_of,
        "forecast_date": goal.forecast_date,
        "forecast_value": _number(goal.forecast_value),
        "latest_is_provisional": goal.latest_is_provisional,
        "is_sample": goal.is_sample,
        "is_headline": goal.is_headline,
    }


def baseline_evidence(goal) -> dict | None:
    """What a goal's baseline rests on: the reported figure it was taken from (its day, value, quote
    and page), or the words of the document or of the staff entry."""
    if goal.baseline_value is None:
        return None
    figure = goal.baseline_figure if goal.baseline_figure_id else None
    if figure is not None:
        return {
            "as_of": figure.as_of,
            "value": _number(figure.value),
            "unit": figure.unit,
            "quote": figure.quote,
            "source_url": figure.evidence_url or None,
        }
    return {"quote": goal.baseline_evidence} if goal.baseline_evidence else None


def goal_detail_record(goal, base=None):
    """A goal with its sources, approved figures and status history (the goal from goal_for_page)."""
    record = goal_record(goal, base)
    record["baseline_evidence"] = baseline_evidence(goal)
    record["supporting_departments"] = [
        {"name": d.name, "name_en": d.name_en, "slug": d.slug} for d in goal.supporting_departments.all()
    ]
    record["citations"] = [
        {
            "document_id": c.document_id,
            "document_title": c.document.title,
            "document_published_on": c.document.published_on,
            "document_source_url": web_url(c.document.url) or None,
            "quote": c.quote,
            "start": c.start,
            "end": c.end,
            "url": absolute(f"{c.document.get_absolute_url()}#cite-{c.pk}", base),
        }
        for c in goal.citations.all()
    ]
    record["progress"] = [progress_record(u, base) for u in goal.public_updates]
    record["status_history"] = [
        {
            "changed_at": change.changed_at,
            "evaluated_on": change.evaluated_on,
            "from_status": change.from_status or None,
            "to_status": change.to_status,
            "explanation_zh": change.explanation_zh,
            "explanation_en": change.explanation_en,
            "is_sample": change.is_sample,
        }
        for change in goal.status_changes.all()
    ]
    record["explanations"] = [
        {
            "status": explanation.status,
            "requested_on": explanation.requested_on,
            "due_on": explanation.due_on,
            "reason": explanation.reason,
            "corrective_actions": explanation.corrective_actions,
            "approved_on": explanation.approved_on,
        }
        for explanation in goal.public_explanations
    ]
    record["revisions"] = [
        {
            "field": revision.field,
            "before": revision.before,
            "after": revision.after,
            "reason": revision.reason,
            "revised_at": revision.revised_at,
        }
        for revision in goal.revisions.all()
    ]
    record["data_csv"] = absolute(f"{goal.get_absolute_url()}data.csv", base)
    return record


def progress_record(update, base=None):
    return {
        "period_start": update.period_start,
        "as_of": update.as_of,
        "value": _number(update.value),
        "unit": update.unit or None,
        "is_final": update.is_final,
        "is_estimate": update.is_estimate,
        "is_sample": update.is_sample,
        "published_on": update.published_on,
        "for_indicator": update.goal_id is None,
        "quote": update.quote or None,
        "note": update.note,
        "evidence_url": web_url(update.evidence_url) or None,
        "evidence_file": absolute(update.evidence_file.url, base) if update.evidence_file else None,
    }


def json_response(payload, *, filename=None, status=200):
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
        status=status,
    )
    response["Access-Control-Allow-Origin"] = "*"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Columns that hold numbers (as decimal strings); every other column is text.
NUMERIC_FIELDS = {
    "target_value",
    "target_max",
    "baseline_value",
    "expected_value",
    "progress_percent",
    "latest_value",
    "forecast_value",
}


def _cell(value, *, numeric=False):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if numeric else spreadsheet_text(str(value))


class _Line:
    """A file-like object whose write() hands back what it was given, so csv.writer makes one line
    at a time for a streamed response."""

    def write(self, text):
        return text


def _capped(goals):
    """At most EXPORT_MAX_GOALS goals, read from the database in chunks rather than all at once."""
    limit = settings.EXPORT_MAX_GOALS
    if hasattr(goals, "iterator"):
        return goals[:limit].iterator(chunk_size=EXPORT_CHUNK)
    return iter(list(goals)[:limit])


# Goals read from the database per round trip while a download streams.
EXPORT_CHUNK = 2000


def _download(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def goals_csv(goals, filename, base=None):
    """The goals as CSV, streamed row by row: memory stays flat whatever the number of goals."""
    writer = csv.writer(_Line())

    def rows():
        yield writer.writerow(GOAL_FIELDS)
        for goal in _capped(goals):
            record = goal_record(goal, base)
            yield writer.writerow([_cell(record[f], numeric=f in NUMERIC_FIELDS) for f in GOAL_FIELDS])

    return _download(StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8"), filename)


def goals_json(goals, filename, base=None):
    """{"goals": [goal, ...]}, streamed a goal at a time."""

    def chunks():
        yield '{"goals": ['
        for number, goal in enumerate(_capped(goals)):
            text = json.dumps(goal_record(goal, base), cls=DjangoJSONEncoder, ensure_ascii=False)
            yield ("\n" if number == 0 else ",\n") + text
        yield "\n]}\n"

    return _download(
        StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8"), filename
    )


def _xlsx_cell(sheet, field, value):
    """Numbers as numbers; text always stored as text."""
    if value is None:
        return None
    if field in NUMERIC_FIELDS:
        return Decimal(value)
    return xlsx_cell(sheet, value)


def goals_xlsx(goals, filename, base=None):
    """The goals as an XLSX sheet written in openpyxl's write-only mode to a temporary file (constant
    memory), then streamed from that file."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("goals")
    sheet.append(GOAL_FIELDS)
    for goal in _capped(goals):
        record = goal_record(goal, base)
        sheet.append([_xlsx_cell(sheet, f, record[f]) for f in GOAL_FIELDS])
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    response = FileResponse(
        spool, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return _download(response, filename)


# Open SDG reads Year and Value; the columns between them are units, series and attributes.
OPEN_SDG_COLUMNS = ["Year", "Units", "Series", "Date", "Observation status", "Sample data", "Value"]


def goal_open_sdg_csv(goal):
    """Approved figures of one goal, one row each, oldest first."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{goal.slug}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    writer = csv.writer(response)
    writer.writerow(OPEN_SDG_COLUMNS)
    for update in goal.public_updates:
        if update.value is None:
            continue
        writer.writerow(
            [
                update.as_of.year,
                spreadsheet_text(goal.unit),
                spreadsheet_text(goal.metric),
                update.as_of.isoformat(),
                "sample" if update.is_sample else "final" if update.is_final else "provisional",
                "true" if update.is_sample else "false",
                _number(update.value),
            ]
        )
    return response
