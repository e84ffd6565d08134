"""The open data records: every field of the JSON API and the list downloads, with its JSON Schema and
how it is read from a goal, a figure or a citation. The views build their records from these lists and
apps.public.openapi builds the API's schema from the same lists, so a field added here is in both, and
a field cannot reach the API without a schema."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from apps.goals.models import BaselineSource
from apps.goals.rollup import Method, Reason, goal_as_part, roll_up_goals
from apps.goals.status import Comparator, Kind, Status, status_label
from apps.goals.units import plain_decimal
from apps.goals.weblinks import web_url

# The JSON Schema of the kinds of value a field holds. Decimals are strings ("5.5", "7000"): JSON
# numbers would turn 5.5 into 5.4999… in some readers.
TEXT = {"type": "string"}
DECIMAL = {"type": ["string", "null"], "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
DATE = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
BOOLEAN = {"type": "boolean"}
INTEGER = {"type": "integer"}


def nullable(schema: dict) -> dict:
    kind = schema["type"]
    schema = {**schema, "type": [*(kind if isinstance(kind, list) else [kind]), "null"]}
    if "enum" in schema:  # an enum lists every value allowed, null too
        schema["enum"] = [*schema["enum"], None]
    return schema


def one_of(values) -> dict:
    return {"type": "string", "enum": [str(v) for v in values]}


STATUS = one_of(Status)


@dataclass(frozen=True)
class Field:
    """One key of a record: its name, its JSON Schema, what it means (in the schema's description)
    and how it is read (from the object and the site's base address)."""

    name: str
    schema: dict
    description: str
    read: Callable[[Any, str | None], Any]

    @property
    def is_decimal(self) -> bool:
        return self.schema is DECIMAL


def build(fields: list[Field], thing, base=None) -> dict:
    return {field.name: field.read(thing, base) for field in fields}


def absolute(path, base=None):
    """An address on this site: under `base` (the address the request came to) when given, else under
    SITE_URL (emails and jobs, which have no request)."""
    return f"{base or settings.SITE_URL}{path}"


def decimal_text(value):
    """A decimal as the string the records carry ("5.5", "7000"); None stays None."""
    if value is None:
        return None
    return plain_decimal(value) if isinstance(value, Decimal) else value


def _attr(name):
    return lambda thing, base: getattr(thing, name)


def _decimal(name):
    return lambda thing, base: decimal_text(getattr(thing, name))


def _related(relation, name):
    def read(thing, base):
        related = getattr(thing, relation)
        return getattr(related, name) if related else None

    return read


def baseline_source(goal):
    """Where the verdict's baseline came from: the goal's own (its recorded source), or a figure of the
    goal's indicator dated at or before the period start that the rules took."""
    progress = goal.progress_facts
    if progress.baseline is None:
        return None
    if goal.baseline_value is not None and progress.baseline == goal.baseline_value:
        return goal.baseline_source or None
    return "indicator" if goal.status_baseline_as_of is not None else None


GOAL_FIELDS: list[Field] = [
    Field("slug", TEXT, "Stable identifier; the goal's address is /goals/<slug>/.", _attr("slug")),
    Field("title_zh", TEXT, "Title in Chinese, as the source states it.", _attr("title")),
    Field("title_en", TEXT, "Title in English (empty when not translated).", _attr("title_en")),
    Field("url", URL, "The goal's public page.", lambda g, base: absolute(g.get_absolute_url(), base)),
    Field("metric", TEXT, "What is measured, in Chinese.", _attr("metric")),
    Field(
        "metric_en",
        TEXT,
        "What is measured, in English (the indicator's English name).",
        lambda g, base: g.indicator.name_en if g.indicator else "",
    ),
    Field("indicator", nullable(TEXT), "The indicator's slug.", _related("indicator", "slug")),
    Field("kind", one_of(Kind), "How the figure is judged (growth rate, level, increment…).", _attr("kind")),
    Field(
        "comparator", one_of(Comparator), "How a figure must stand against the target.", _attr("comparator")
    ),
    Field("target_value", DECIMAL, "The target, in `unit`.", _decimal("target_value")),
    Field("target_max", DECIMAL, "The upper end of a target range.", _decimal("target_max")),
    Field("unit", TEXT, "The unit as the source writes it (万辆, %, 亿元).", _attr("unit")),
    Field("target_display", TEXT, "The target as text.", lambda g, base: g.target_display()),
    # The baseline the verdict's 序时进度 and percentage start from (Goal.progress_facts).
    Field(
        "baseline_value",
        DECIMAL,
        "The figure the period started from, as the verdict used it.",
        lambda g, base: decimal_text(g.progress_facts.baseline),
    ),
    Field(
        "baseline_date",
        DATE,
        "The date of the baseline figure.",
        lambda g, base: g.progress_facts.baseline_as_of,
    ),
    Field(
        "baseline_source",
        nullable(one_of(BaselineSource)),
        "Where the baseline came from: the document, a reported figure of the goal's indicator, or staff "
        "(null when unknown or entered before its source was recorded).",
        lambda g, base: baseline_source(g),
    ),
    Field("period_start", DATE, "The first day of the goal's period.", _attr("period_start")),
    Field("deadline", DATE, "The last day of the goal's period.", _attr("deadline")),
    Field("category", nullable(TEXT), "Area of work, in Chinese.", _related("category", "name")),
    Field("category_en", nullable(TEXT), "Area of work, in English.", _related("category", "name_en")),
    Field(
        "lead_department",
        nullable(TEXT),
        "The lead department (牵头单位).",
        _related("lead_department", "name"),
    ),
    Field(
        "lead_department_en",
        nullable(TEXT),
        "The lead department, in English.",
        _related("lead_department", "name_en"),
    ),
    Field(
        "place", TEXT, "The place whose target this is (its slug; see /places/).", _related("place", "slug")
    ),
    Field("plan", nullable(TEXT), "The plan or work report the goal belongs to.", _related("plan", "name")),
    Field("plan_en", nullable(TEXT), "The plan, in English.", _related("plan", "name_en")),
    Field("status", STATUS, "The status code (see /methodology/).", _attr("status")),
    Field("status_zh", TEXT, "The status in Chinese.", lambda g, base: status_label(g.status, "zh")),
    Field("status_en", TEXT, "The status in English.", lambda g, base: status_label(g.status, "en")),
    Field(
        "status_explanation_zh",
        TEXT,
        "Why the goal has its status, in Chinese.",
        _attr("status_explanation_zh"),
    ),
    Field(
        "status_explanation_en",
        TEXT,
        "Why the goal has its status, in English.",
        _attr("status_explanation_en"),
    ),
    Field("status_evaluated_on", DATE, "The day the status was last judged.", _attr("status_evaluated_on")),
    Field(
        "expected_value",
        DECIMAL,
        "Expected progress to date (序时进度), in `unit`.",
        _decimal("expected_value"),
    ),
    Field(
        "progress_percent", DECIMAL, "Share of the way from baseline to target.", _decimal("progress_percent")
    ),
    Field("latest_value", DECIMAL, "The latest approved figure, in `unit`.", _decimal("latest_value")),
    Field("latest_as_of", DATE, "The day the latest figure stands for.", _attr("latest_as_of")),
    Field(
        "forecast_date", DATE, "When the target would be reached at the current pace.", _attr("forecast_date")
    ),
    Field(
        "forecast_value",
        DECIMAL,
        "The figure expected by the deadline at the current pace.",
        _decimal("forecast_value"),
    ),
    Field(
        "latest_is_provisional",
        BOOLEAN,
        "Whether the latest figure is not yet final.",
        _attr("latest_is_provisional"),
    ),
    Field("is_sample", BOOLEAN, "Whether the status rests on sample (made-up) data.", _attr("is_sample")),
    Field(
        "is_headline", BOOLEAN, "Whether the goal is a headline goal of the dashboard.", _attr("is_headline")
    ),
]

GOAL_FIELD_NAMES = [field.name for field in GOAL_FIELDS]


DEPARTMENT_FIELDS: list[Field] = [
    Field("name", TEXT, "Name in Chinese.", _attr("name")),
    Field("name_en", TEXT, "Name in English.", _attr("name_en")),
    Field("slug", TEXT, "Stable identifier.", _attr("slug")),
]

CITATION_FIELDS: list[Field] = [
    Field("document_id", INTEGER, "The source document; its page is /documents/<id>/.", _attr("document_id")),
    Field("document_title", TEXT, "The document's title.", lambda c, base: c.document.title),
    Field(
        "document_published_on",
        DATE,
        "When the document was published.",
        lambda c, base: c.document.published_on,
    ),
    Field(
        "document_source_url",
        nullable(URL),
        "The document on the government's site.",
        lambda c, base: web_url(c.document.url) or None,
    ),
    Field("quote", TEXT, "The sentence stating the goal, word for word.", _attr("quote")),
    Field("start", INTEGER, "Where the quote starts in the document's text.", _attr("start")),
    Field("end", INTEGER, "Where the quote ends in the document's text.", _attr("end")),
    Field(
        "url",
        URL,
        "The quote highlighted in the document's page.",
        lambda c, base: absolute(f"{c.document.get_absolute_url()}#cite-{c.pk}", base),
    ),
]

PROGRESS_FIELDS: list[Field] = [
    Field(
        "period_start",
        DATE,
        "The first day the figure covers, when it covers a period.",
        _attr("period_start"),
    ),
    Field("as_of", DATE, "The day the figure stands for.", _attr("as_of")),
    Field(
        "value", DECIMAL, "The figure, in the goal's unit unless `unit` says otherwise.", _decimal("value")
    ),
    Field(
        "unit",
        nullable(TEXT),
        "The figure's unit when it differs from the goal's.",
        lambda u, base: u.unit or None,
    ),
    Field("is_final", BOOLEAN, "A final (not preliminary) figure.", _attr("is_final")),
    Field("is_estimate", BOOLEAN, "An estimate.", _attr("is_estimate")),
    Field("is_sample", BOOLEAN, "Sample (made-up) data.", _attr("is_sample")),
    Field("published_on", DATE, "When the figure was published by its source.", _attr("published_on")),
    Field(
        "for_indicator",
        BOOLEAN,
        "Reported once for the indicator rather than for this goal.",
        lambda u, base: u.goal_id is None,
    ),
    Field(
        "quote", nullable(TEXT), "The source's sentence giving the figure.", lambda u, base: u.quote or None
    ),
    Field("note", TEXT, "A note by the department.", _attr("note")),
    Field(
        "evidence_url", nullable(URL), "Evidence on the web.", lambda u, base: web_url(u.evidence_url) or None
    ),
    Field(
        "evidence_file",
        nullable(URL),
        "An uploaded evidence file.",
        lambda u, base: absolute(u.evidence_file.url, base) if u.evidence_file else None,
    ),
]

STATUS_CHANGE_FIELDS: list[Field] = [
    Field("changed_at", DATETIME, "When the change was recorded.", _attr("changed_at")),
    Field("evaluated_on", DATE, "The day judged.", _attr("evaluated_on")),
    Field(
        "from_status",
        nullable(STATUS),
        "The status before (null for the first).",
        lambda c, base: c.from_status or None,
    ),
    Field("to_status", STATUS, "The status after.", _attr("to_status")),
    Field("explanation_zh", TEXT, "Why, in Chinese.", _attr("explanation_zh")),
    Field("explanation_en", TEXT, "Why, in English.", _attr("explanation_en")),
    Field("is_sample", BOOLEAN, "Rests on sample data.", _attr("is_sample")),
]

EXPLANATION_FIELDS: list[Field] = [
    Field("status", STATUS, "The status explained.", _attr("status")),
    Field("requested_on", DATE, "When the lead department was asked.", _attr("requested_on")),
    Field("due_on", DATE, "When the explanation was due.", _attr("due_on")),
    Field("reason", TEXT, "Why the goal went red (原因说明).", _attr("reason")),
    Field("corrective_actions", TEXT, "What is being done (整改措施).", _attr("corrective_actions")),
    Field("approved_on", DATE, "When the explanation was approved and published.", _attr("approved_on")),
]

REVISION_FIELDS: list[Field] = [
    Field("field", TEXT, "What was changed (target, deadline…).", _attr("field")),
    Field("before", TEXT, "The value before.", _attr("before")),
    Field("after", TEXT, "The value after.", _attr("after")),
    Field("reason", TEXT, "Why it was changed.", _attr("reason")),
    Field("revised_at", DATETIME, "When it was changed.", _attr("revised_at")),
]


# A part of a goal split by district or department: a goal of its own (its page and record at `url`),
# named by its department.
PART_FIELDS: list[Field] = [
    Field("slug", TEXT, "The part's own goal; its record is /api/goals/<slug>.json.", _attr("slug")),
    Field("url", URL, "The part's public page.", lambda p, base: absolute(p.get_absolute_url(), base)),
    Field(
        "label_zh",
        TEXT,
        "What the part is for (its department), in Chinese.",
        lambda p, b: p.part_labels()[0],
    ),
    Field("label_en", TEXT, "What the part is for, in English.", lambda p, base: p.part_labels()[1]),
    Field("target_value", DECIMAL, "The part's target, in `unit`.", _decimal("target_value")),
    Field("target_max", DECIMAL, "The upper end of the part's target range.", _decimal("target_max")),
    Field("unit", TEXT, "The part's unit as written.", _attr("unit")),
    Field("status", STATUS, "The part's own status.", _attr("status")),
    Field("latest_value", DECIMAL, "The latest figure the part's status rests on.", _decimal("latest_value")),
    Field("latest_as_of", DATE, "The day that figure stands for.", _attr("latest_as_of")),
    Field(
        "is_sample", BOOLEAN, "Whether the part's status rests on sample (made-up) data.", _attr("is_sample")
    ),
    Field(
        "reported",
        BOOLEAN,
        "Whether the part has a real figure (a sample is no report).",
        lambda p, base: goal_as_part(p).has_real_figure,
    ),
]


def _slugs(name):
    return lambda rollup, base: list(getattr(rollup, name))


SLUGS = {"type": "array", "items": {"type": "string"}}

# The roll-up of a goal's parts (apps.goals.rollup), beside the goal's own status and never replacing it.
ROLLUP_FIELDS: list[Field] = [
    Field(
        "method",
        one_of(Method),
        "`sum`: the parts' latest real figures added up; `side_by_side`: rates, shares and milestones, "
        "never summed; `refused`: some part cannot be added (see `refused_parts`).",
        _attr("method"),
    ),
    Field("reason", one_of(Reason), "Why that method.", _attr("reason")),
    Field("unit", TEXT, "The goal's unit: the amounts below are in it.", _attr("unit")),
    Field("target_value", DECIMAL, "The goal's own target.", _decimal("target")),
    Field("total", DECIMAL, "`sum`: the reported parts' latest real figures added up.", _decimal("total")),
    Field("first_as_of", DATE, "The earliest date of the figures added up.", _attr("first_as_of")),
    Field("last_as_of", DATE, "The latest date of the figures added up.", _attr("last_as_of")),
    Field("parts_target", DECIMAL, "`sum`: the parts' targets added up.", _decimal("parts_target")),
    Field(
        "parts_target_max",
        DECIMAL,
        "`sum`, for ranges: their upper ends added up.",
        _decimal("parts_target_max"),
    ),
    Field(
        "targets_match",
        {"type": ["boolean", "null"]},
        "Whether the parts' targets add up to the goal's (null when not compared).",
        lambda r, base: (not r.targets_mismatch) if r.parts_target is not None else None,
    ),
    Field("reported", SLUGS, "The parts with a real figure.", _slugs("reported")),
    Field(
        "unreported", SLUGS, "The parts with no real figure (none, or samples only).", _slugs("unreported")
    ),
    Field("sample_only", SLUGS, "Of those, the parts with sample figures only.", _slugs("sample_only")),
    Field("refused_parts", SLUGS, "`refused`: the parts that cannot be added.", _slugs("refused_parts")),
    Field("rule_version", TEXT, "The version of the roll-up rules.", _attr("rule_version")),
]


def _rollup(goal, base):
    parts = goal.public_parts
    return build(ROLLUP_FIELDS, roll_up_goals(goal, parts), base) if parts else None


# What a goal's baseline rests on: the reported figure it was taken from (its day, value, unit, quote
# and page), or only the words of the document or of the staff entry (the other keys null).
BASELINE_EVIDENCE_FIELDS: list[Field] = [
    Field("as_of", DATE, "The day of the figure the baseline was taken from.", _attr("as_of")),
    Field("value", DECIMAL, "That figure.", _decimal("value")),
    Field("unit", nullable(TEXT), "That figure's unit.", lambda e, base: e.unit or None),
    Field("quote", TEXT, "The words the baseline rests on.", _attr("quote")),
    Field("source_url", nullable(URL), "Where the figure was published.", _attr("source_url")),
]


@dataclass(frozen=True)
class BaselineEvidence:
    quote: str
    as_of: object = None
    value: Decimal | None = None
    unit: str | None = None
    source_url: str | None = None


def baseline_evidence(goal) -> BaselineEvidence | None:
    if goal.baseline_value is None:
        return None
    figure = goal.baseline_figure if goal.baseline_figure_id else None
    if figure is not None:
        return BaselineEvidence(
            as_of=figure.as_of,
            value=figure.value,
            unit=figure.unit,
            quote=figure.quote,
            source_url=web_url(figure.evidence_url) or None,
        )
    return BaselineEvidence(quote=goal.baseline_evidence) if goal.baseline_evidence else None


def _each(fields, relation):
    return lambda goal, base: [build(fields, thing, base) for thing in relation(goal)]


# A goal's page in the API: every GOAL_FIELDS key, then these.
GOAL_DETAIL_FIELDS: list[Field] = [
    Field(
        "baseline_evidence",
        {"anyOf": [{"$ref": "#/components/schemas/BaselineEvidence"}, {"type": "null"}]},
        "What the baseline rests on (null when there is no baseline or nothing is recorded).",
        lambda g, base: (
            build(BASELINE_EVIDENCE_FIELDS, evidence, base) if (evidence := baseline_evidence(g)) else None
        ),
    ),
    Field(
        "supporting_departments",
        {"type": "array", "items": {"$ref": "#/components/schemas/Department"}},
        "Departments supporting the lead department (配合单位).",
        _each(DEPARTMENT_FIELDS, lambda g: g.supporting_departments.all()),
    ),
    Field(
        "citations",
        {"type": "array", "items": {"$ref": "#/components/schemas/Citation"}},
        "Where the goal is stated, in the source documents.",
        _each(CITATION_FIELDS, lambda g: g.citations.all()),
    ),
    Field(
        "progress",
        {"type": "array", "items": {"$ref": "#/components/schemas/Progress"}},
        "Approved figures, oldest first.",
        _each(PROGRESS_FIELDS, lambda g: g.public_updates),
    ),
    Field(
        "status_history",
        {"type": "array", "items": {"$ref": "#/components/schemas/StatusChange"}},
        "Changes of status, latest first.",
        _each(STATUS_CHANGE_FIELDS, lambda g: g.status_changes.all()),
    ),
    Field(
        "explanations",
        {"type": "array", "items": {"$ref": "#/components/schemas/Explanation"}},
        "Approved explanations of a red status, with corrective actions.",
        _each(EXPLANATION_FIELDS, lambda g: g.public_explanations),
    ),
    Field(
        "revisions",
        {"type": "array", "items": {"$ref": "#/components/schemas/Revision"}},
        "Changes made to the goal after publication.",
        _each(REVISION_FIELDS, lambda g: g.revisions.all()),
    ),
    Field(
        "parent",
        nullable(TEXT),
        "The goal this one is a part of (its slug), when split from a published goal.",
        lambda g, base: g.parent.slug if g.parent_id and g.parent.is_published else None,
    ),
    Field(
        "parts",
        {"type": "array", "items": {"$ref": "#/components/schemas/Part"}},
        "The goal's published parts, one per district or department, each a goal of its own.",
        _each(PART_FIELDS, lambda g: g.public_parts),
    ),
    Field(
        "rollup",
        {"anyOf": [{"$ref": "#/components/schemas/Rollup"}, {"type": "null"}]},
        "The parts rolled up beside the goal's own status (null for a goal not split).",
        _rollup,
    ),
    Field(
        "data_csv",
        URL,
        "The approved figures as CSV (Open SDG layout).",
        lambda g, base: absolute(f"{g.get_absolute_url()}data.csv", base),
    ),
]

# The schema components and the field list each is made of (apps.public.openapi).
COMPONENTS: dict[str, list[Field]] = {
    "Goal": GOAL_FIELDS,
    "BaselineEvidence": BASELINE_EVIDENCE_FIELDS,
    "Department": DEPARTMENT_FIELDS,
    "Citation": CITATION_FIELDS,
    "Progress": PROGRESS_FIELDS,
    "StatusChange": STATUS_CHANGE_FIELDS,
    "Explanation": EXPLANATION_FIELDS,
    "Revision": REVISION_FIELDS,
    "Part": PART_FIELDS,
    "Rollup": ROLLUP_FIELDS,
}


def goal_record(goal, base=None) -> dict:
    """One goal as a flat dict of stable field names (the goal needs with_related())."""
    return build(GOAL_FIELDS, goal, base)


def goal_detail_record(goal, base=None) -> dict:
    """A goal with its sources, approved figures and status history (the goal from goal_for_page)."""
    return {**goal_record(goal, base), **build(GOAL_DETAIL_FIELDS, goal, base)}


def progress_record(update, base=None) -> dict:
    return build(PROGRESS_FIELDS, update, base)
