"""A digest by place: a city manager asks for one section per place (the city and its districts),
each listing what that place is behind on; a district's manager sees only her district; the work is
a fixed number of queries however many places and goals; the email goes through a real SMTP server."""

import datetime

import pytest

from apps.digests import services
from apps.digests.by_place import place_digest_build
from apps.goals.models import Jurisdiction, StatusChange

from ..factories import DepartmentFactory, GoalFactory, ProgressUpdateFactory, UserFactory
from ..smtp import html_of, text_of
from .conftest import PERIOD, SENDING_DAY, beijing
from .factories import DigestSubscriptionFactory

pytestmark = pytest.mark.django_db


def place(slug):
    return Jurisdiction.objects.get(slug=slug)


def behind_goals(where, department, n=1, tag=""):
    """n goals of `where` that are behind: one turned red in the period, the rest owing a figure, and
    each with a figure waiting for review."""
    goals = []
    for i in range(n):
        goal = GoalFactory(title=f"{where.name}的目标{tag}{i}", place=where, lead_department=department)
        if i == 0:
            StatusChange.objects.create(
                goal=goal,
                evaluated_on=datetime.date(2024, 7, 10),
                changed_at=beijing(datetime.date(2024, 7, 10)),
                from_status="on_track",
                to_status="off_track",
                rule_version="t",
            )
        ProgressUpdateFactory(goal=goal, review_state="submitted")
        goals.append(goal)
    return goals


@pytest.fixture
def districts():
    licheng, shanghe = place("licheng"), place("shanghe")
    lc = DepartmentFactory(name="历城区发改局", slug="licheng-fgj", place=licheng)
    sh = DepartmentFactory(name="商河县发改局", slug="shanghe-fgj", place=shanghe)
    behind_goals(licheng, lc)
    behind_goals(shanghe, sh)
    return lc, sh


def test_a_city_managers_digest_has_a_section_per_place_with_what_each_is_behind_on(districts):
    city = DigestSubscriptionFactory(user=UserFactory(is_staff=True, is_superuser=True))
    city.places_of = Jurisdiction.objects.home()
    city.save()

    digest = services.digest_build(subscription=city, period=PERIOD)
    sections = {section.place: section for section in digest.sections}
    assert list(sections)[0] == "济南市（Jinan）"  # the city first, then its units
    assert len(sections) == 1 + Jurisdiction.objects.units_of(Jurisdiction.objects.home()).count()
    licheng, shanghe = sections["历城区（Licheng District）"], sections["商河县（Shanghe County）"]
    assert [line.goal.title for line in licheng.turned_red.lines] == ["历城区的目标0"]
    assert [line.goal.title for line in licheng.waiting.lines] == ["历城区的目标0"]
    assert [line.goal.title for line in licheng.overdue_figures.lines] == ["历城区的目标0"]
    assert [line.goal.title for line in shanghe.turned_red.lines] == ["商河县的目标0"]
    assert sections["济南市（Jinan）"].behind == 0
    assert digest.headline == (
        "2 项待审核 · 2 项转红 · 2 项逾期",
        "2 awaiting review · 2 turned red · 2 overdue",
    )


def test_a_district_managers_digest_by_place_covers_only_her_district(districts):
    lc, _ = districts
    manager = DigestSubscriptionFactory(departments=[lc])
    manager.places_of = Jinan = Jurisdiction.objects.home()
    manager.save()
    assert Jinan.is_home

    digest = services.digest_build(subscription=manager, period=PERIOD)
    assert [section.place for section in digest.sections] == ["历城区（Licheng District）"]
    rendered = services.digest_render(digest)
    assert "历城区的目标0" in rendered.text
    assert "商河县" not in rendered.text + rendered.html


def test_building_a_digest_by_place_takes_the_same_queries_however_many_places_and_goals(
    django_assert_max_num_queries,
):
    jinan = Jurisdiction.objects.home()
    units = list(Jurisdiction.objects.units_of(jinan))
    small = DepartmentFactory(name="历城区发改局", slug="small", place=units[0])
    behind_goals(units[0], small)
    with django_assert_max_num_queries(6):
        few = place_digest_build(place=jinan, departments=[], period=PERIOD)
    assert sum(section.behind for section in few.sections) == 3

    for n, unit in enumerate(units[1:8]):
        behind_goals(
            unit, DepartmentFactory(name=f"{unit.name}局", slug=f"big-{n}", place=unit), n=4, tag="b"
        )
    with django_assert_max_num_queries(6):
        many = place_digest_build(place=jinan, departments=[], period=PERIOD)
    assert sum(section.behind for section in many.sections) == 3 + 7 * (1 + 4 + 4)


def test_the_digest_by_place_goes_out_by_smtp_with_a_heading_per_place(districts, smtp_server):
    lc, sh = districts
    city = DigestSubscriptionFactory(departments=[lc, sh], user__email="city@example.com")
    city.places_of = Jurisdiction.objects.home()
    city.save()

    assert services.digests_send_due(today=SENDING_DAY) == 1

    [message] = smtp_server.to("city@example.com")
    assert "按地区" in message["Subject"] and "digest by place" in message["Subject"]
    text, html = text_of(message), html_of(message)
    assert "== 历城区（Licheng District） ==" in text and "== 商河县（Shanghe County） ==" in text
    assert ">历城区（Licheng District）</h2>" in html and ">商河县（Shanghe County）</h2>" in html
    licheng_part = text.split("== 历城区（Licheng District） ==")[1].split("== 商河县")[0]
    assert "历城区的目标0" in licheng_part and "商河县的目标0" not in licheng_part
    assert "转为红灯 · Turned red" in licheng_part and "待审核的进展 · Waiting for review (1)" in licheng_part
