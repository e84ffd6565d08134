"""An anonymous crawl of every public URL — pages, API, feeds, exports, data files, evidence files —
generated from the public URL patterns and the objects in a world where every unreviewed goal,
figure and evidence file carries a unique marker: no marker may ever reach a citizen."""

import io
import itertools
import re
import zipfile

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.goals.models import Document, Goal, Indicator, Jurisdiction, ProgressUpdate

from ..factories import DepartmentFactory, UserFactory
from ..marked_world import build_marked_world

pytestmark = pytest.mark.django_db

LIST_QUERIES = [
    "",
    "?q=MARK",
    "?_export=csv",
    "?_export=json",
    "?_export=xlsx",
    "?page_size=200",
    "?sort=title",
    "?place=licheng",
    "?place=",
    "?place=licheng&year=",
]


@pytest.fixture
def world(department):
    # The second department is a district's (历城区): its pending goals carry markers too.
    other_department = DepartmentFactory(
        name="历城区发展和改革局", slug="licheng-fgj", place=Jurisdiction.objects.get(slug="licheng")
    )
    people = {d.slug: UserFactory(username=f"recorder-{d.slug}") for d in (department, other_department)}
    return build_marked_world([department, other_department], recorders=people, reviewers=people)


def public_patterns():
    """(route name, pattern) of every public URL: all but the admin, and the digests' token pages."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin" or entry.app_name == "admin":
                    continue
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((f"{namespace}{entry.name}", entry))

    walk(get_resolver().url_patterns, "")
    return found


def arguments_for(name: str, parameter: str, world):
    """Every value the crawl tries for a URL parameter: every goal (whatever its review state), every
    place, every document, every evidence file."""
    if name.endswith("place_detail"):
        return list(Jurisdiction.objects.values_list("slug", flat=True))
    if parameter == "slug":
        return list(Goal.objects.values_list("slug", flat=True))
    if parameter == "pk":
        return list(Document.objects.values_list("pk", flat=True))
    if parameter == "name":
        return [u.evidence_file.name for u in ProgressUpdate.objects.exclude(evidence_file="")]
    if parameter == "measure":  # a comparison across places: every indicator's measure
        return sorted(set(Indicator.objects.exclude(measure="").values_list("measure", flat=True)))
    if parameter == "year":  # every goal's deadline year and every figure's
        years = set(Goal.objects.values_list("deadline__year", flat=True))
        return sorted(years | set(ProgressUpdate.objects.values_list("as_of__year", flat=True)))
    if parameter in ("token", "uidb64"):
        return []  # per-person links (unsubscribe): none of the crawl's business
    raise AssertionError(f"public URL parameter <{parameter}>: teach the crawl test what to try")


def crawl_urls(world):
    urls = []
    for name, pattern in public_patterns():
        parameters = list(pattern.pattern.converters) or re.findall(
            r"\(\?P<(\w+)>", pattern.pattern.regex.pattern
        )
        if not parameters:
            base = reverse(name)
            urls += [base + query for query in LIST_QUERIES]
            continue
        values = [arguments_for(name, parameter, world) for parameter in parameters]
        for combination in itertools.product(*values):
            urls.append(reverse(name, kwargs=dict(zip(parameters, combination, strict=True))))
    return urls


def readable(response) -> str:
    """The body as text; an XLSX (a zip) is unpacked, since a marker inside it is compressed."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(member) for member in archive.namelist())
    return body.decode("utf-8", errors="replace")


def test_no_public_url_shows_anything_unreviewed(client, world):
    markers = world.all_markers()
    urls = crawl_urls(world)
    assert len(urls) > 40
    leaks, errors, seen = [], [], 0
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(url)
        seen += response.status_code == 200
        body = readable(response)
        # A 404 page may repeat the address asked for; that tells the asker nothing new.
        leaks += [f"{url}: {m}" for m in sorted(markers) if m in body and m not in url]
    assert not errors, errors
    assert not leaks, "\n".join(leaks)
    assert seen > 20  # the crawl reached real pages, not only 404s


@pytest.mark.parametrize("owner", ["big-data", "licheng-fgj"])
def test_the_crawl_would_see_a_marker_that_reached_the_public(client, world, owner):
    """The control: once a marked goal is published, the city's or the district's, the same crawl
    finds its marker."""
    goal = world.goals[owner, Goal.ReviewState.PENDING]
    Goal.objects.filter(pk=goal.pk).update(review_state=Goal.ReviewState.PUBLISHED)
    marker = next(m for m in world.all_markers() if m.endswith("GOALPENDING") and m in goal.title)
    bodies = [readable(client.get(url)) for url in crawl_urls(world)]
    assert sum(marker in body for body in bodies) >= 5
