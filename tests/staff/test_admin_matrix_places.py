"""The permission matrix for district staff: a recorder of 历城区 sees and changes nothing of 商河县's in
the admin (goals in any review state, figures, drafts, evidence, members), while the city's staff still
see the districts' published goals. The sweep is test_admin_matrix's, over two districts' departments."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.goals.models import DepartmentMembership, Goal, Jurisdiction, MembershipRole
from apps.goals.services import memberships

from ..factories import DepartmentFactory, GoalFactory, UserFactory
from ..marked_world import build_marked_world
from .test_admin_matrix import (
    autocomplete_urls,
    changes_something,
    list_urls,
    may_write,
    object_urls,
    registered_admins,
    snapshot,
    world_objects,
    write_requests,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]


def _member(username, department, role):
    user = UserFactory(username=username, is_staff=True)
    DepartmentMembership.objects.create(user=user, department=department, role=role)
    memberships.user_groups_sync(user=user)
    return user


@pytest.fixture
def districts(db):
    licheng = DepartmentFactory(
        name="济南市历城区人民政府", slug="licheng-government", place=Jurisdiction.objects.get(slug="licheng")
    )
    shanghe = DepartmentFactory(
        name="商河县人民政府", slug="shanghe-government", place=Jurisdiction.objects.get(slug="shanghe")
    )
    people = {
        "licheng_recorder": _member("licheng_recorder", licheng, MembershipRole.RECORDER),
        "licheng_reviewer": _member("licheng_reviewer", licheng, MembershipRole.REVIEWER),
        "shanghe_recorder": _member("shanghe_recorder", shanghe, MembershipRole.RECORDER),
        "shanghe_reviewer": _member("shanghe_reviewer", shanghe, MembershipRole.REVIEWER),
        "admin": UserFactory(username="admin", is_staff=True, is_superuser=True),
    }
    world = build_marked_world(
        [licheng, shanghe],
        recorders={
            "licheng-government": people["licheng_recorder"],
            "shanghe-government": people["shanghe_recorder"],
        },
        reviewers={
            "licheng-government": people["licheng_reviewer"],
            "shanghe-government": people["shanghe_reviewer"],
        },
    )
    # 商河县's published goal is public, but no business of 历城区's staff in the admin.
    published = world.goals["shanghe-government", Goal.ReviewState.PUBLISHED]
    Goal.objects.filter(pk=published.pk).update(title="商河县目标MARKSHANGHEPUBLISHED")
    world.markers["shanghe-government"].add("MARKSHANGHEPUBLISHED")
    return people, world, licheng, shanghe


def test_a_district_recorder_sees_nothing_of_another_districts(client, districts):
    people, world, licheng, shanghe = districts
    user = people["licheng_recorder"]
    hidden = world.markers["shanghe-government"]
    client.force_login(user)
    superuser_request = RequestFactory().get("/")
    superuser_request.user = people["admin"]
    urls = autocomplete_urls(superuser_request)
    for model, model_admin in registered_admins():
        urls += list_urls(model_admin, model._meta)
        for obj in world_objects(model):
            urls += object_urls(model_admin, obj)
    leaks, errors = [], []
    for kind, url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {url}")
        body = response.content.decode(errors="replace")
        leaked = sorted(m for m in hidden if m in body)
        if leaked:
            leaks.append(f"{kind} {url}: {', '.join(leaked)}")
    assert not errors, "\n".join(errors)
    assert not leaks, "历城区's recorder sees:\n" + "\n".join(leaks)
    # The control: her own district's work is there.
    body = client.get(reverse("admin:goals_goal_changelist")).content.decode()
    assert any(m in body for m in world.markers["licheng-government"] if m.endswith("GOALPENDING"))


def test_the_citys_staff_see_the_districts_published_goals(client, districts):
    people, world, licheng, shanghe = districts
    city = DepartmentFactory(name="济南市大数据局", slug="big-data")
    city_recorder = _member("city_recorder", city, MembershipRole.RECORDER)
    GoalFactory(lead_department=city, title="济南市目标")
    client.force_login(city_recorder)
    body = client.get(reverse("admin:goals_goal_changelist")).content.decode()
    assert "MARKSHANGHEPUBLISHED" in body and "济南市目标" in body
    assert not any(m in body for m in world.markers["shanghe-government"] if "GOALPENDING" in m)


def test_a_district_recorder_changes_nothing_of_another_districts(client, districts):
    people, world, licheng, shanghe = districts
    superuser = Client()
    superuser.force_login(people["admin"])
    superuser_request = RequestFactory().get("/")
    superuser_request.user = people["admin"]
    shanghe_objects = {
        *(goal.pk for (slug, _), goal in world.goals.items() if slug == "shanghe-government"),
    }
    requests = [
        r
        for r in write_requests(superuser, superuser_request)
        if getattr(r[4], "goal_id", getattr(r[4], "pk", None)) in shanghe_objects
        or getattr(r[4], "place_id", None) == shanghe.place_id
    ]
    assert requests, "the sweep must write to 商河县's goals and figures"
    user = people["licheng_recorder"]
    client.force_login(user)
    baseline = snapshot()
    written = [
        f"{kind} {action or ''} {url}"
        for kind, url, data, action, obj in requests
        if changes_something(client, url, data, baseline) and not may_write(user, kind, obj, action)
    ]
    assert not written, "written without permission:\n" + "\n".join(written)
    # The control: the superuser's same requests do write.
    assert any(changes_something(superuser, url, data, baseline) for kind, url, data, _, _ in requests)
