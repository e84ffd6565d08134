"""Open data: the goal list as CSV, JSON and XLSX, and one goal's figures in the Open SDG data layout.
Field names are stable, listed with their meaning in apps.public.records and described by the API's
schema (/api/openapi.json); they do not change with the interface language, which is why both the
Chinese and English text are included."""

import csv
import json
import tempfile
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from apps.goals.spreadsheets import spreadsheet_text, xlsx_cell

from . import records
from .records import goal_record

# The columns of the list downloads, in order; also the keys of every goal in the JSON API.
GOAL_FIELDS = records.GOAL_FIELD_NAMES


def site_base(request) -> str:
    """The scheme and host the site was reached at, e.g. http://127.0.0.1:8010 (the host is checked
    against ALLOWED_HOSTS by Django)."""
    return request.build_absolute_uri("/").rstrip("/")


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
NUMERIC_FIELDS = {field.name for field in records.GOAL_FIELDS if field.is_decimal}


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
                records.decimal_text(update.value),
            ]
        )
    return response
