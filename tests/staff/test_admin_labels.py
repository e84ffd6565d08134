"""The admin speaks the staff's language: every column header of every list and every field label of
every form (editable or read-only, inlines included) carries Chinese, walked from the admin
registry; values and people read as a reader writes them (9800, not 9800.0000; 王丽, not lili)."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from apps.goals.models import Goal, Indicator, ProgressUpdate, StatusChange
from apps.goals.services import memberships
from apps.goals.services.explanations import explanations_request

from ..marked_world import build_marked_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]

HAN = re.compile(r"[\u3400-\u9fff]")

# Labels allowed without Chinese, each for a reason: the framework's own tables (users, groups,
# Celery's schedules, history) are labelled by their packages, translated where they translate.
FOREIGN_APPS = {"django_celery_beat"}
NOT_WORDS = {"", "ID", "URL", "slug", "SHA-256"}


class Labels(HTMLParser):
    """Column headers (<th scope="col">, and an inline table's column headers) and field labels."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._depth = 0
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        header = tag == "th" and (
            attrs.get("scope") == "col"
            or "column-" in (attrs.get("class") or "")
            or "required" in (attrs.get("class") or "")
        )
        if self._depth:
            self._depth += tag not in ("input", "br", "img")
        elif header or tag == "label":
            self._depth, self._text = 1, []

    def handle_endtag(self, tag):
        if self._depth and tag not in ("input", "br", "img"):
            self._depth -= 1
            if not self._depth:
                self.found.append(" ".join("".join(self._text).split()).rstrip(":："))

    def handle_data(self, data):
        if self._depth:
            self._text.append(data)


def labels_of(page: str) -> list[str]:
    parser = Labels()
    parser.feed(page)
    return parser.found


def english_only(labels) -> list[str]:
    return [label for label in labels if not HAN.search(label) and label not in NOT_WORDS]


@pytest.fixture
def world(recorder, other_recorder, reviewer, department, other_department):
    for user in (recorder, other_recorder, reviewer):
        memberships.user_groups_sync(user=user)
    world = build_marked_world(
        [department, other_department],
        recorders={department.slug: recorder, other_department.slug: other_recorder},
        reviewers={department.slug: reviewer, other_department.slug: reviewer},
    )
    # Rows for the lists and forms the world above leaves empty: an indicator, and an explanation
    # asked of a goal gone red.
    Indicator.objects.create(slug="5g", name="5G基站", name_en="5G base stations", lead_department=department)
    red = world.goals[department.slug, Goal.ReviewState.PUBLISHED]
    Goal.objects.filter(pk=red.pk).update(status="off_track")
    StatusChange.objects.create(
        goal=red, evaluated_on=datetime.date(2024, 7, 15), from_status="on_track", to_status="off_track"
    )
    assert explanations_request(today=datetime.date(2024, 7, 15))
    return world


def admin_pages(superuser):
    """Each registered admin's list, add form and the change form of its first row."""
    request = RequestFactory().get("/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label in FOREIGN_APPS:
            continue
        name = f"admin:{opts.app_label}_{opts.model_name}"
        yield f"{name}_changelist", reverse(f"{name}_changelist")
        try:
            yield f"{name}_add", reverse(f"{name}_add")
        except NoReverseMatch:
            pass
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            yield f"{name}_change", reverse(f"{name}_change", args=[first.pk])


@pytest.mark.parametrize("who", ["admin", "reviewer"])
def test_every_admin_list_and_form_labels_its_columns_and_fields_in_chinese(who, world, admin_user, reviewer):
    """Walked as a superuser (every form editable) and as a reviewer (forms read-only)."""
    client = Client()
    client.force_login(admin_user if who == "admin" else reviewer)
    walked, failures = 0, {}
    for name, url in admin_pages(admin_user):
        response = client.get(url)
        if response.status_code in (302, 403):  # adds nothing by hand, or not hers to see
            continue
        assert response.status_code == 200, (name, response.status_code)
        labels = labels_of(response.content.decode())
        walked += len(labels)
        if bad := english_only(labels):
            failures[name] = bad
    assert walked > (300 if who == "admin" else 100)  # the walk found the labels it checks
    assert failures == {}


def test_the_reviewers_read_only_figure_speaks_chinese_and_shows_values_and_people_as_written(
    client, world, reviewer, recorder, department
):
    recorder.first_name, recorder.last_name = "丽", "王"
    recorder.save()
    update = world.updates[department.slug, ProgressUpdate.ReviewState.SUBMITTED]
    update.value = 9800
    update.save()
    client.force_login(reviewer)

    page = client.get(reverse("admin:goals_progressupdate_change", args=[update.pk])).content.decode()

    assert english_only(labels_of(page)) == []
    assert "9800.0000" not in page
    assert f">9800 {update.goal.unit}<" in page  # the value as stated, with its unit
    assert "王丽" in page and ">recorder<" not in page
    listing = client.get(reverse("admin:goals_progressupdate_changelist")).content.decode()
    assert "王丽" in listing and "9800.0000" not in listing and f">9800 {update.goal.unit}<" in listing


def test_a_person_without_a_name_is_shown_by_username(client, world, reviewer, department):
    update = world.updates[department.slug, ProgressUpdate.ReviewState.SUBMITTED]
    client.force_login(reviewer)
    page = client.get(reverse("admin:goals_progressupdate_change", args=[update.pk])).content.decode()
    assert f">{update.recorded_by.get_username()}<" in page


def test_the_recorders_own_draft_shows_its_value_as_typed(client, world, recorder, department):
    draft = world.updates[department.slug, ProgressUpdate.ReviewState.DRAFT]
    draft.value = 9800
    draft.save()
    client.force_login(recorder)
    page = client.get(reverse("admin:goals_progressupdate_change", args=[draft.pk])).content.decode()
    assert re.search(r'<input[^>]*name="value"[^>]*value="9800"', page)
    assert "9800.0000" not in page
