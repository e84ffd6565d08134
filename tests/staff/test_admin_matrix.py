"""The permission matrix, generated from the admin registry: every registered admin, every URL it
serves (list, add, change, delete, history, each history version and any other object view), its
autocomplete fields and its actions, requested by each staff role on objects of their own and of
another department in every review state.

Reading: no page shows a marker of a department the user is no member of (tests/marked_world.py).
Writing: every POST leaves the database as it was, unless the policy below (may_write) lets that
role make that change; the same POST by a superuser is the control that the payload could write.
A new admin, admin URL or action is covered without being named here; an admin URL of a shape
this test does not know fails it."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.db import connection, models, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.goals.models import DepartmentMembership, MembershipRole, ProgressUpdate
from apps.goals.services import memberships

from ..factories import UserFactory
from ..marked_world import build_marked_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]

ROLES = ["recorder", "reviewer", "manager", "unassigned", "other_recorder"]
TAMPER = "篡改TAMPERED"


@pytest.fixture
def people(recorder, other_recorder, reviewer, manager, admin_user, department, other_department):
    unassigned = UserFactory(username="unassigned", is_staff=True)
    other_reviewer = UserFactory(username="other_reviewer", is_staff=True)
    DepartmentMembership.objects.create(
        user=other_reviewer, department=other_department, role=MembershipRole.REVIEWER
    )
    for user in (recorder, other_recorder, reviewer, manager, other_reviewer):
        memberships.user_groups_sync(user=user)
    return {
        "recorder": recorder,
        "reviewer": reviewer,
        "manager": manager,
        "unassigned": unassigned,
        "other_recorder": other_recorder,
        "other_reviewer": other_reviewer,
        "admin": admin_user,
    }


@pytest.fixture
def world(people, department, other_department):
    return build_marked_world(
        [department, other_department],
        recorders={department.slug: people["recorder"], other_department.slug: people["other_recorder"]},
        reviewers={department.slug: people["reviewer"], other_department.slug: people["other_reviewer"]},
    )


# --- What a non-superuser may change ------------------------------------------------------------


def roles_for(user, update: ProgressUpdate) -> set[str]:
    departments = {
        update.goal.lead_department_id,
        *update.goal.supporting_departments.values_list("pk", flat=True),
    }
    return set(user.memberships.filter(department__in=departments).values_list("role", flat=True))


def may_write(user, kind: str, obj, action: str | None = None) -> bool:
    """The whole write policy for staff who are not superusers: recorders enter, edit, delete and
    submit their departments' drafts and returned figures; reviewers approve or return submitted
    figures of their departments that they did not record. Nothing else in the admin."""
    if not isinstance(obj, ProgressUpdate):
        return False
    roles = roles_for(user, obj)
    open_for_edit = obj.review_state in (
        ProgressUpdate.ReviewState.DRAFT,
        ProgressUpdate.ReviewState.REJECTED,
    )
    if kind == "add":
        return MembershipRole.RECORDER in roles
    if kind in ("change", "delete") or action in ("delete_selected", "submit_updates"):
        return MembershipRole.RECORDER in roles and open_for_edit
    if action in ("approve_updates", "reject_updates"):
        return (
            MembershipRole.REVIEWER in roles
            and obj.review_state == ProgressUpdate.ReviewState.SUBMITTED
            and obj.recorded_by_id != user.pk
        )
    return False


# --- The registry's URLs ------------------------------------------------------------------------


def registered_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def object_urls(model_admin, obj):
    """(kind, url) for every URL the admin serves for one object, history versions included."""
    urls = []
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None)
        if name is None:
            continue  # the bare <id>/ URL only redirects to the change page
        kind = name.removeprefix(f"{obj._meta.app_label}_{obj._meta.model_name}_")
        arguments = pattern.pattern.regex.groups
        if arguments == 0:
            continue
        if arguments == 1:
            urls.append((kind, reverse(f"admin:{name}", args=[obj.pk])))
        elif arguments == 2 and kind == "simple_history":
            for version in obj.history.all():
                urls.append((kind, reverse(f"admin:{name}", args=[obj.pk, version.history_id])))
        else:
            raise AssertionError(f"admin URL {name} takes {arguments} arguments: teach the matrix test")
    return urls


def list_urls(model_admin, opts):
    """The list, the list searched for every marker at once (a search echoes its term, so the term
    is the markers' common prefix), and the add form."""
    info = f"admin:{opts.app_label}_{opts.model_name}"
    urls = [("changelist", reverse(f"{info}_changelist")), ("add", reverse(f"{info}_add"))]
    if model_admin.search_fields:
        urls.append(("search", reverse(f"{info}_changelist") + "?q=MARK"))
    return urls


def autocomplete_urls(superuser_request):
    """Every autocomplete field of every admin and its inlines, searched with no term."""
    urls = []
    for model, model_admin in registered_admins():
        for source in [model_admin, *model_admin.get_inline_instances(superuser_request)]:
            for field_name in source.get_autocomplete_fields(superuser_request):
                query = urlencode(
                    {
                        "app_label": model._meta.app_label,
                        "model_name": model._meta.model_name,
                        "field_name": field_name,
                        "term": "",
                    }
                )
                urls.append(("autocomplete", reverse("admin:autocomplete") + "?" + query))
    return urls


# --- Forms as a browser would post them ---------------------------------------------------------


class FormFields(HTMLParser):
    """The fields of the admin change form as a browser submits them unchanged."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.selects: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
            self.selects[name] = []
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self.selects[self._select].append(value)
            if "selected" in attrs:
                self.data[self._select].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def change_payload(client, url, obj):
    """The object's change form as the superuser sees it, with one text field changed."""
    response = client.get(url)
    if response.status_code != 200:
        return None
    parser = FormFields()
    parser.feed(response.content.decode())
    data = {name: values for name, values in parser.data.items()}
    for name in data:
        try:
            model_field = obj._meta.get_field(name)
        except Exception:
            continue
        if (
            isinstance(model_field, (models.CharField, models.TextField))
            and not isinstance(model_field, (models.SlugField, models.URLField, models.EmailField))
            and not model_field.choices
        ):
            data[name] = [(data[name][0] if data[name] else "") + TAMPER]
            break
    else:
        for name, options in parser.selects.items():
            others = [o for o in options if o and o not in data.get(name, [])]
            if others and "-" not in name:
                data[name] = [others[0]]
                break
    data["_save"] = ["保存"]
    return data


class Rollback(Exception):
    pass


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def snapshot():
    """Every row of every model the admin manages, and their many-to-many links."""
    rows = {}
    for model, _ in registered_admins():
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            rows[through._meta.label] = list(through.objects.order_by("pk").values())
    return rows


def changes_something(client, url, data, baseline) -> bool:
    """Whether the POST changed any row from `baseline`; it is rolled back either way. Only a
    request that ran a write statement is compared (an UPDATE may match no row)."""
    changed = False
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            client.post(url, data)
            wrote = any(
                WRITE.match(q["sql"]) and "django_session" not in q["sql"] for q in queries.captured_queries
            )
            changed = wrote and snapshot() != baseline
            raise Rollback
    except Rollback:
        pass
    return changed


# --- The tests ----------------------------------------------------------------------------------


def world_objects(model):
    return list(model._default_manager.order_by("pk"))


@pytest.mark.parametrize("role", ROLES)
def test_no_admin_page_shows_another_departments_unreviewed_work(client, people, world, role):
    user = people[role]
    hidden = world.markers_hidden_from(user)
    assert hidden, "the world must hold something this role may not see"
    client.force_login(user)
    superuser_request = RequestFactory().get("/")
    superuser_request.user = people["admin"]
    leaks, errors = [], []
    urls = autocomplete_urls(superuser_request)
    for model, model_admin in registered_admins():
        urls += list_urls(model_admin, model._meta)
        for obj in world_objects(model):
            urls += object_urls(model_admin, obj)
    for kind, url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {url}")
        body = response.content.decode(errors="replace")
        leaked = sorted(m for m in hidden if m in body)
        if leaked:
            leaks.append(f"{kind} {url}: {', '.join(leaked)}")
    assert not errors, "\n".join(errors)
    assert not leaks, f"{role} sees:\n" + "\n".join(leaks)


def test_staff_see_their_own_departments_unreviewed_work(client, people, world, department):
    """The other side of the matrix: scope does not hide a department's work from its own staff."""
    own = world.markers[department.slug]
    draft = world.updates[department.slug, "draft"]
    submitted = world.updates[department.slug, "submitted"]
    for role, url, expected in [
        ("recorder", reverse("admin:goals_goal_changelist"), "GOALPENDING"),
        ("recorder", reverse("admin:goals_progressupdate_change", args=[draft.pk]), "UPDATEDRAFT"),
        ("reviewer", reverse("admin:goals_progressupdate_change", args=[submitted.pk]), "UPDATESUBMITTED"),
        ("manager", reverse("admin:goals_departmentmembership_changelist"), "MEMBER"),
        ("manager", reverse("admin:goals_statuschange_changelist"), "GOALREJECTED"),
    ]:
        client.force_login(people[role])
        body = client.get(url).content.decode()
        assert any(m.endswith(expected) and m in body for m in own), (role, url)


def write_requests(superuser, superuser_request):
    """(kind, url, data, action, object) for every POST the admin takes: add, change, delete, each
    history version and any other object view, and each action on each object."""
    requests = []
    for model, model_admin in registered_admins():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        actions = sorted(model_admin.get_actions(superuser_request))
        for n, obj in enumerate(world_objects(model)):
            payload = change_payload(superuser, reverse(f"{info}_change", args=[obj.pk]), obj)
            if payload and (n == 0 or isinstance(obj, ProgressUpdate)):
                requests.append(("add", reverse(f"{info}_add"), payload, None, obj))
            for kind, url in object_urls(model_admin, obj):
                if kind == "delete":
                    requests.append((kind, url, {"post": "yes"}, None, obj))
                elif kind != "history" and payload:
                    requests.append((kind, url, payload, None, obj))
            for action in actions:
                data = {
                    "action": action,
                    "_selected_action": [obj.pk],
                    "post": "yes",
                    "comment": "请补充佐证",
                }
                requests.append(("action", reverse(f"{info}_changelist"), data, action, obj))
    return requests


def test_staff_change_only_what_their_role_allows(client, people, world):
    superuser = Client()
    superuser.force_login(people["admin"])
    superuser_request = _request_for(people["admin"])
    requests = write_requests(superuser, superuser_request)
    # The control: for every admin whose change form a superuser may save, the payload does change
    # the object, so "nothing was written" below means "refused", not "the form was invalid".
    changeable = {
        model._meta.label
        for model, model_admin in registered_admins()
        if world_objects(model) and model_admin.has_change_permission(superuser_request)
    }
    controlled = set()
    baseline = snapshot()
    for kind, url, data, _, obj in requests:
        label = obj._meta.label
        if (
            kind == "change"
            and label in changeable - controlled
            and changes_something(superuser, url, data, baseline)
        ):
            controlled.add(label)
    assert controlled == changeable
    refused = []
    for role in ROLES:
        user = people[role]
        client.force_login(user)
        baseline = snapshot()
        for kind, url, data, action, obj in requests:
            if changes_something(client, url, data, baseline) and not may_write(user, kind, obj, action):
                refused.append(f"{role}: {kind} {action or ''} {url} on {obj!r}")
    assert not refused, "written without permission:\n" + "\n".join(refused)


@pytest.mark.parametrize("role", ["recorder", "reviewer", "manager", "admin"])
def test_no_one_saves_an_old_version_back(client, people, world, department, role):
    """django-simple-history's version page is read-only for everyone, superusers included."""
    client.force_login(people[role])
    for obj in [world.goals[department.slug, "pending"], world.updates[department.slug, "draft"]]:
        version = obj.history.earliest()
        url = reverse(f"admin:goals_{obj._meta.model_name}_simple_history", args=[obj.pk, version.history_id])
        assert client.get(url).status_code == 200
        response = client.post(url, {"title": TAMPER, "note": TAMPER, "review_state": "published"})
        assert response.status_code == 403
        obj.refresh_from_db()
        assert TAMPER not in getattr(obj, "title", "") + getattr(obj, "note", "")


def _request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request
