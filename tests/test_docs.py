"""The docs stay true: every relative link in README.md, ARCHITECTURE.md and docs/*.md leads to a file
(and a heading) that exists; every setting settings.py reads from the environment is in .env.example
and the README's table; docs/api.md names exactly the fields apps/public/records.py declares; and
docs/methodology.md, the source text of /methodology/, says what the page and the status rules say."""

import re
from pathlib import Path

import pytest

from apps.goals.status import RULE_VERSION, STATUS_LABELS, Status, Thresholds
from apps.goals.units import plain_decimal
from apps.goals.wording import STATUS_DEFINITIONS
from apps.public import records

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def outside_code(markdown: str) -> str:
    """The text without fenced code blocks and inline code, where brackets are not links."""
    markdown = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", markdown)


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", outside_code(markdown), flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def relative_links(path: Path) -> list[str]:
    return [
        target
        for target in LINK.findall(outside_code(text(path)))
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target)  # http:, https:, mailto:
    ]


def test_the_docs_have_relative_links_to_check():
    """The checks below read links: a pattern that found none would pass on anything."""
    assert len(relative_links(ROOT / "README.md")) >= 10
    assert any(relative_links(path) for path in DOCS if path.parent.name == "docs")


@pytest.mark.parametrize("path", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(path):
    broken = []
    for target in relative_links(path):
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in heading_anchors(text(linked)):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    assert broken == []


def settings_variables() -> set[str]:
    source = text(ROOT / "jinan_targets" / "settings.py")
    return set(re.findall(r"""env(?:\.[a-z]+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))


def test_every_setting_read_from_the_environment_is_in_env_example_and_the_readme():
    variables = settings_variables()
    assert {"DEBUG", "DATABASE_URL", "GOAL_AT_RISK_BAND", "PUBLIC_LOCAL_CACHE_BYTES"} <= variables
    example = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text(ROOT / ".env.example"), flags=re.M))
    readme = text(ROOT / "README.md")
    table = readme[readme.index("## Environment variables") :]
    table = table[: table.index("\n## ", 1)]
    in_table = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert sorted(variables - example) == [], "missing from .env.example"
    assert sorted(example - variables) == [], ".env.example names a variable settings.py does not read"
    assert sorted(variables - in_table) == [], "missing from the README's Environment variables table"


def documented_fields(component: str) -> list[str]:
    """The names on docs/api.md's line '**<component>** fields: `a`, `b`, …' (it may wrap)."""
    api = text(ROOT / "docs" / "api.md")
    found = re.search(rf"^\*\*{component}\*\* fields[^:]*:(.*?)(?:\n\n|\Z)", api, flags=re.S | re.M)
    assert found, f"docs/api.md has no line for {component}"
    return re.findall(r"`([a-z_]+)`", found.group(1))


@pytest.mark.parametrize(
    "component, fields",
    [*records.COMPONENTS.items(), ("GoalDetail", records.GOAL_DETAIL_FIELDS)],
    ids=[*records.COMPONENTS, "GoalDetail"],
)
def test_the_api_guide_names_every_field_the_api_declares(component, fields):
    assert documented_fields(component) == [field.name for field in fields]


def test_the_api_guide_lists_every_status_and_links_the_schema():
    api = text(ROOT / "docs" / "api.md")
    statuses = re.search(r"`status` one of(.*?)each defined", api, flags=re.S).group(1)
    assert re.findall(r"`([a-z_]+)`", statuses) == [status.value for status in Status]
    assert "/api/openapi.json" in api and "/api/`" in api


# --- The methodology: this markdown is the source text, /methodology/ the published page ----------


def methodology_md() -> str:
    return text(ROOT / "docs" / "methodology.md")


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_the_methodology_source_states_every_status_as_the_rules_word_it(status):
    zh_label, en_label = STATUS_LABELS[status]
    zh_definition, en_definition = STATUS_DEFINITIONS[status]
    row = next(line for line in methodology_md().splitlines() if line.startswith(f"| `{status.value}` |"))
    assert f"{zh_label} · {en_label}" in row
    assert zh_definition in row and en_definition in row


def test_the_methodology_source_states_the_version_grace_period_and_thresholds():
    doc, defaults = methodology_md(), Thresholds()
    assert f"**version {RULE_VERSION}**" in doc
    assert f"For {defaults.awaiting_data_grace_days} days after the deadline" in doc
    assert f"`GOAL_AT_RISK_BAND`, default {plain_decimal(defaults.at_risk_band)} points" in doc
    assert f"`GOAL_GROWTH_TOLERANCE`, default {plain_decimal(defaults.growth_tolerance)} points" in doc
    assert f"`GOAL_STALE_AFTER_DAYS`, default {defaults.stale_after_days} days" in doc


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_published_methodology_page_agrees_with_its_source(client, language, settings):
    settings.GOAL_AT_RISK_BAND = Thresholds().at_risk_band  # the defaults the source text states
    settings.GOAL_GROWTH_TOLERANCE = Thresholds().growth_tolerance
    settings.GOAL_STALE_AFTER_DAYS = Thresholds().stale_after_days
    response = client.get("/methodology/" if language == "zh" else "/en/methodology/")
    assert response.status_code == 200
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    english = language == "en"
    for status in Status:
        label = STATUS_LABELS[status][english]
        definition = STATUS_DEFINITIONS[status][english]
        assert label in page and label in methodology_md()
        assert definition in page and definition in methodology_md()
    version = f"version {RULE_VERSION}" if english else f"第 {RULE_VERSION} 版"
    assert version in page
    assert f" {Thresholds().awaiting_data_grace_days} " in page


def test_the_readme_names_every_make_target():
    phony = re.search(r"^\.PHONY:(.*)$", text(ROOT / "Makefile"), flags=re.M).group(1).split()
    assert "run" in phony and "bench-web" in phony
    readme = text(ROOT / "README.md")
    assert [target for target in phony if not re.search(rf"`make {re.escape(target)}`", readme)] == []
