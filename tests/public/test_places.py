"""District goals beside the city's: the home page stays the city's, its counts and lists its own."""

import datetime
import re

import pytest

from apps.goals.models import Indicator, Jurisdiction

from ..factories import GoalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def july_2024(time_machine):
    time_machine.move_to(datetime.datetime(2024, 7, 15, 10, tzinfo=datetime.UTC))


def test_the_home_dashboard_counts_and_lists_only_the_citys_goals(client, july_2024):
    GoalFactory(title="新建5G基站7000个", is_headline=True)
    licheng = Jurisdiction.objects.get(slug="licheng")
    GoalFactory(title="历城区新建5G基站300个", is_headline=True, place=licheng)
    GoalFactory(
        title="商河县新建5G基站100个",
        place=Jurisdiction.objects.get(slug="shanghe"),
        deadline=datetime.date(2026, 12, 31),
    )
    html = client.get("/").content.decode()
    assert "新建5G基站7000个" in html
    assert "历城区" not in html and "商河县" not in html
    counts = html[html.index('data-testid="status-counts"') :]
    assert re.findall(r'class="count">(\d+)<', counts[: counts.index("</ul>")]) == ["1"]
    assert "?year=2024" in html and "?year=2026" not in html  # no year of a district's goals only


def test_the_indicator_list_is_the_citys_and_a_districts_indicator_keeps_its_page(client, july_2024):
    licheng = Jurisdiction.objects.get(slug="licheng")
    city = Indicator.objects.create(slug="gdp-growth", name="地区生产总值增速", measure="gdp-growth")
    district = Indicator.objects.create(
        slug="licheng-gdp-growth", name="地区生产总值增速", measure="gdp-growth", place=licheng
    )
    GoalFactory(indicator=city, title="全市地区生产总值增长5.5%以上")
    GoalFactory(indicator=district, place=licheng, title="历城区地区生产总值增长5.6%以上")
    listed = client.get("/indicators/").content.decode()
    assert "/indicators/gdp-growth/" in listed and "licheng-gdp-growth" not in listed
    page = client.get("/indicators/licheng-gdp-growth/")
    assert page.status_code == 200 and "历城区地区生产总值增长5.6%以上" in page.content.decode()
