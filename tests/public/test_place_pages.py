"""The places list and each place's page: a district's goals with their source sentence, its results
and documents, and the goal list, API and exports of one place (?place=)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.goals.models import Goal, Indicator, Jurisdiction, ProgressUpdate

from ..factories import CitationFactory, DocumentFactory, GoalFactory

pytestmark = pytest.mark.django_db

LICHENG_TEXT = "主要预期目标是：地区生产总值增长5.6%以上，城乡居民收入稳步增长。"


@pytest.fixture
def july_2025(time_machine):
    time_machine.move_to(datetime.datetime(2025, 7, 15, 10, tzinfo=datetime.UTC))


@pytest.fixture
def licheng():
    return Jurisdiction.objects.get(slug="licheng")


def _licheng_goal(licheng, n=0, **fields):
    goal = GoalFactory(place=licheng, title="历城区地区生产总值增长5.6%以上", **fields)
    text = LICHENG_TEXT + (f"（{n}）" if n else "")
    document = DocumentFactory(title="2025年历城区政府工作报告", text=text, place=licheng)
    start = LICHENG_TEXT.index("地区生产总值增长5.6%以上")
    CitationFactory(goal=goal, document=document, start=start, end=start + len("地区生产总值增长5.6%以上"))
    return goal


def test_the_places_list_shows_the_city_and_its_units_with_what_each_has(client, licheng, july_2025):
    _licheng_goal(licheng)
    html = client.get("/places/").content.decode()
    assert "济南市" in html
    rows = dict(re.findall(r'data-place="([a-z-]+)">.*?<td class="num">(\d+)</td>', html, flags=re.S))
    # The 12 districts and counties and the 2 zones, each linked to its own page.
    assert len(rows) == 14 and rows["licheng"] == "1" and rows["shanghe"] == "0"
    assert 'href="/places/licheng/"' in html
    english = client.get("/en/places/").content.decode()
    assert "Licheng District" in english and "district" in english
    assert "Published goals" in english and "已发布目标" not in english


def test_a_districts_page_shows_its_goals_with_their_source_sentence_marked(client, licheng, july_2025):
    _licheng_goal(licheng)
    GoalFactory(title="全市地区生产总值增长5.5%以上")  # the city's: not on the district's page
    response = client.get("/places/licheng/")
    html = response.content.decode()
    assert response.status_code == 200
    crumbs = html[html.index('data-testid="place-breadcrumbs"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert "济南市" in crumbs and "历城区" in crumbs and crumbs.index("济南市") < crumbs.index("历城区")
    assert "历城区地区生产总值增长5.6%以上" in html and "全市地区生产总值增长5.5%以上" not in html
    assert "<mark>地区生产总值增长5.6%以上</mark>" in html
    assert "主要预期目标是：" in html  # the sentence around the quote
    english = client.get("/en/places/licheng/").content.decode()
    assert "Licheng District" in english and "Jinan" in english
    assert "Goals and their source text" in english and "目标及原文出处" not in english


def test_a_districts_unpublished_goal_is_on_no_page_of_it(client, licheng, july_2025):
    _licheng_goal(licheng)
    GoalFactory(place=licheng, title="历城区待审目标MARKPENDING", review_state=Goal.ReviewState.PENDING)
    for url in ["/places/licheng/", "/goals/?place=licheng", "/api/goals.json?place=licheng", "/places/"]:
        assert "MARKPENDING" not in client.get(url).content.decode(), url


def test_a_place_without_goals_shows_its_results_and_documents(client, july_2025):
    laiwu = Jurisdiction.objects.get(slug="laiwu")
    document = DocumentFactory(title="莱芜区2024年工作回顾", text="新建5G基站138处。", place=laiwu)
    indicator = Indicator.objects.create(slug="laiwu-5g", name="5G基站新建数", place=laiwu, measure="5g-new")
    ProgressUpdate.objects.create(
        indicator=indicator,
        as_of=datetime.date(2024, 12, 31),
        period_start=datetime.date(2024, 1, 1),
        value=Decimal("138"),
        unit="处",
        quote="新建5G基站138处",
        source_document=document,
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=timezone.now(),
    )
    html = client.get("/places/laiwu/").content.decode()
    assert 'data-testid="place-empty"' in html
    figures = html[html.index('data-testid="place-figures"') :]
    assert "5G基站新建数" in figures and "138" in figures and "新建5G基站138处" in figures
    assert "莱芜区2024年工作回顾" in html[html.index('data-testid="place-documents"') :]


def test_the_citys_page_is_the_home_page_and_an_unknown_place_is_404(client):
    response = client.get("/places/jinan/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/places/atlantis/").status_code == 404


def test_the_goal_list_api_and_exports_take_a_place(client, licheng, july_2025):
    _licheng_goal(licheng)
    GoalFactory(title="全市地区生产总值增长5.5%以上")
    city_list = client.get("/goals/").content.decode()  # opened plain: the city's, as the home page
    assert "全市地区生产总值增长5.5%以上" in city_list and "历城区地区生产总值" not in city_list
    district_list = client.get("/goals/?place=licheng").content.decode()
    assert "历城区地区生产总值" in district_list and "全市地区生产总值" not in district_list
    every_place = client.get("/goals/?place=").content.decode()
    assert "历城区地区生产总值" in every_place and "全市地区生产总值" in every_place
    api = client.get("/api/goals.json?place=licheng").json()
    assert [g["place"] for g in api["results"]] == ["licheng"]
    assert {g["place"] for g in client.get("/api/goals.json").json()["results"]} == {"jinan", "licheng"}
    csv = b"".join(client.get("/goals/?place=licheng&_export=csv").streaming_content).decode()
    assert "历城区地区生产总值" in csv and "全市地区生产总值" not in csv


@pytest.mark.parametrize("count", [1, 30])
def test_place_pages_run_a_bounded_number_of_queries(
    client, licheng, july_2025, count, django_assert_max_num_queries
):
    for n in range(count):
        _licheng_goal(licheng, n, slug=f"licheng-goal-{n}")
    with django_assert_max_num_queries(6):
        assert client.get("/places/").status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get("/places/licheng/").status_code == 200
