"""The pages a citizen opens: dashboard, goal list, goal page, documents."""

import datetime
import re
from decimal import Decimal

import pytest

from apps.goals.models import Goal

from ..factories import GoalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def july_2024(time_machine):
    time_machine.move_to(datetime.datetime(2024, 7, 15, 10, tzinfo=datetime.UTC))


def text_of(response):
    return response.content.decode()


def headline_titles(html):
    return re.findall(r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a>', html)


# --- Dashboard -----------------------------------------------------------------------------------


def test_dashboard_shows_headline_goals_first_in_their_order(client, world, july_2024):
    html = text_of(client.get("/"))
    assert headline_titles(html) == ["地区生产总值增长5.5%以上", "新建5G基站7000个"]
    assert html.index("重点目标") < html.index("按状态统计")


def test_dashboard_card_shows_status_as_words_progress_and_latest_value(client, world, july_2024):
    html = text_of(client.get("/"))
    card = html[html.index("新建5G基站7000个</a>") :]
    card = card[: card.index("</li>")]
    assert "进度正常" in card and 'class="status-icon"' in card
    assert "60%" in card and "4200 个" in card and "2024年6月30日" in card


def test_dashboard_counts_breakdowns_deadlines_and_changes(client, world, july_2024):
    html = text_of(client.get("/"))
    counts = html[html.index('data-testid="status-counts"') :]
    counts = counts[: counts.index("</ul>")]
    # Four published goals, one each of these statuses; the pending goal is not counted.
    for label in ("滞后", "有风险", "进度正常", "已达成"):
        assert label in counts
    assert re.findall(r'class="count">(\d+)<', counts) == ["1", "1", "1", "1"]
    assert "数字济南" in html and "主要预期目标" in html
    assert "市工业和信息化局" in html and "市统计局" in html
    upcoming = html[html.index('id="upcoming-heading"') : html.index('id="changes-heading"')]
    assert "新建5G基站7000个" in upcoming and "建设智慧社区400个" not in upcoming  # achieved is not "due"
    changes = html[html.index('id="changes-heading"') :]
    assert "地区生产总值增长5.5%以上" in changes


def test_dashboard_with_no_goals_explains_why(client, db):
    html = text_of(client.get("/"))
    assert 'data-testid="empty-dashboard"' in html and "还没有发布的目标" in html
    assert "echarts.min.js" not in html


def test_dashboard_serves_echarts_from_own_static_files(client, world):
    html = text_of(client.get("/"))
    assert '<script src="/static/vendor/echarts/echarts.min.js"' in html
    # Nothing is loaded from another host: every script and stylesheet is the site's own.
    loaded = re.findall(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"', html)
    assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded


# --- Goal list -----------------------------------------------------------------------------------


def list_slugs(response):
    return re.findall(r'<a href="/goals/([\w-]+)/">', text_of(response))


def test_list_shows_only_published_goals(client, world):
    slugs = list_slugs(client.get("/goals/"))
    assert set(slugs) == {
        "gdp-growth-2024",
        "new-5g-base-stations-2024",
        "intelligent-computing-2000p",
        "smart-communities-400",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=off_track", {"intelligent-computing-2000p"}),
        ("category=main-targets", {"gdp-growth-2024"}),
        ("department=industry-it", {"new-5g-base-stations-2024"}),
        # A supporting department counts too, without listing a goal twice.
        (
            "department=big-data",
            {"new-5g-base-stations-2024", "intelligent-computing-2000p", "smart-communities-400"},
        ),
        ("year=2025", {"intelligent-computing-2000p"}),
        ("q=基站", {"new-5g-base-stations-2024"}),
        ("q=computing", {"intelligent-computing-2000p"}),
        ("q=GDP+growth", {"gdp-growth-2024"}),
        ("q=秘密", set()),
    ],
)
def test_list_filters(client, world, query, expected):
    slugs = list_slugs(client.get(f"/goals/?{query}"))
    assert set(slugs) == expected
    assert len(slugs) == len(set(slugs))


def test_list_filter_by_plan(client, world):
    other = Goal.objects.get(slug="gdp-growth-2024")
    other.plan = None
    other.save()
    assert "gdp-growth-2024" not in list_slugs(client.get(f"/goals/?plan={world.plan.pk}"))


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("deadline", None),
        ("-deadline", "intelligent-computing-2000p"),
        ("status", "intelligent-computing-2000p"),  # worst first: off track
        ("-status", "smart-communities-400"),
        ("title", "gdp-growth-2024"),  # 地 sorts before 建, 新 and 智 by code point
        ("-progress_percent", None),
        ("latest_value", None),
        ("category", None),
        ("lead_department", None),
        ("target", None),
    ],
)
def test_list_sorts_by_any_column(client, world, sort, first):
    response = client.get(f"/goals/?sort={sort}")
    assert response.status_code == 200
    slugs = list_slugs(response)
    assert len(slugs) == 4
    if first:
        assert slugs[0] == first


@pytest.mark.parametrize(
    "query",
    [
        "page=99999",
        "page=abc",
        "page=-1",
        "page=0",
        "page=1.5",
        "sort=nonsense",
        "sort=-",
        "sort=__class__",
        "status=fine",
        "category=nowhere",
        "department=%00",
        "plan=abc",
        "plan=999999999999999999999",
        "year=99999",
        "year=abc",
        "q=" + "x" * 500,
        "q=%25%27%22%3C",
        "per_page=0",
        "per_page=abc",
        "per_page=999999",
        "_export=",
    ],
)
def test_list_never_breaks_on_bad_query_strings(client, world, query):
    response = client.get(f"/goals/?{query}")
    assert response.status_code in (200, 404)
    if response.status_code == 200 and not query.startswith("_export"):
        assert 'class="goal-table"' in text_of(response)


def test_list_absurd_page_shows_a_real_page(client, world):
    response = client.get("/goals/?page=99999")
    assert response.status_code == 200
    assert len(list_slugs(response)) == 4


def test_list_bad_filter_value_is_reported_not_applied(client, world):
    response = client.get("/goals/?status=fine&category=digital")
    assert set(list_slugs(response)) == {
        "new-5g-base-stations-2024",
        "intelligent-computing-2000p",
        "smart-communities-400",
    }
    assert 'class="field-error"' in text_of(response)


def test_list_paginates(client, world, settings):
    from apps.public import views

    original = views.PER_PAGE
    views.PER_PAGE = 3
    try:
        first = list_slugs(client.get("/goals/?sort=deadline"))
        second = list_slugs(client.get("/goals/?sort=deadline&page=2"))
    finally:
        views.PER_PAGE = original
    assert len(first) == 3 and len(second) == 1 and not set(first) & set(second)


# --- Goal page -----------------------------------------------------------------------------------


def test_goal_page_shows_target_status_departments_and_explanation(client, world):
    html = text_of(client.get("/goals/new-5g-base-stations-2024/"))
    assert "新建5G基站7000个" in html
    assert "≥ 7000 个" in html
    assert "进度正常" in html and "超前10个百分点" in html
    assert "市工业和信息化局" in html and "市大数据局" in html
    assert "2024年12月31日" in html


def test_goal_page_lists_approved_updates_and_labels_samples(client, world):
    html = text_of(client.get("/goals/new-5g-base-stations-2024/"))
    assert f'id="update-{world.sample_update.pk}"' in html
    assert f'id="update-{world.final_update.pk}"' in html
    row = html[html.index(f'id="update-{world.sample_update.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "示例数据" in row
    final_row = html[html.index(f'id="update-{world.final_update.pk}"') :]
    assert "示例数据" not in final_row[: final_row.index("</tr>")]
    assert "6543" not in html and "未审核的草稿" not in html


def test_goal_page_cites_the_exact_sentence_with_a_link_to_its_place(client, world):
    html = text_of(client.get("/goals/new-5g-base-stations-2024/"))
    citation = world.stations.citations.get()
    assert "“加快数字济南建设，<mark>新建5G基站7000个</mark>，智能算力规模达到2000P。”" in html
    assert f'href="/documents/{world.document.pk}/#cite-{citation.pk}"' in html


def test_goal_page_shows_status_history(client, world):
    html = text_of(client.get("/goals/new-5g-base-stations-2024/"))
    history = html[html.index('id="history-heading"') :]
    assert "未开始" in history and "上半年完成4200个" in history


def test_goal_page_chart_data_has_actuals_target_and_expected_line(client, world):
    response = client.get("/goals/new-5g-base-stations-2024/")
    data = response.context["chart_data"]
    assert [(p["date"], p["value"], p["sample"]) for p in data["actual"]] == [
        ("2024-03-31", 1500.0, True),
        ("2024-06-30", 4200.0, False),
    ]
    assert data["target"] == 7000.0
    # 序时进度: from (period start, 0 for an increment without baseline) to (deadline, target), through
    # the rule's value at each month end (half way at the end of June).
    expected = data["expected"]
    assert (expected[0], expected[-1]) == (["2023-12-31", 0.0], ["2024-12-31", 7000.0])
    assert dict(expected)["2024-06-30"] == 3500.0
    assert 'id="goal-data"' in text_of(response)


def test_level_goal_expected_line_starts_at_baseline(client, world):
    data = client.get("/goals/intelligent-computing-2000p/").context["chart_data"]
    assert (data["expected"][0], data["expected"][-1]) == (["2023-12-31", 800.0], ["2025-12-31", 2000.0])


def test_growth_rate_goal_has_target_line_but_no_trajectory(client, world):
    data = client.get("/goals/gdp-growth-2024/").context["chart_data"]
    assert data["target"] == 5.5 and data["expected"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/goals/secret-facilities/",
        "/goals/no-such-goal/",
        "/goals/secret-facilities/data.csv",
        "/api/goals/secret-facilities.json",
        "/goals/secret-facilities/feeds/progress/",
        "/goals/secret-facilities/feeds/status/",
        "/documents/999999/",
        "/api/goals/nope.json",
    ],
)
def test_unpublished_or_unknown_gives_404(client, world, path):
    assert client.get(path).status_code == 404


def test_rejected_goal_is_hidden_too(client, world):
    Goal.objects.filter(pk=world.stations.pk).update(review_state=Goal.ReviewState.REJECTED)
    assert client.get("/goals/new-5g-base-stations-2024/").status_code == 404
    assert "新建5G基站7000个" not in text_of(client.get("/"))


# --- Documents -----------------------------------------------------------------------------------


def test_documents_index_lists_documents_with_published_goal_count(client, world):
    html = text_of(client.get("/documents/"))
    assert "2024年济南市政府工作报告" in html and f'href="/documents/{world.document.pk}/"' in html
    assert "4 个已发布目标" in html


def test_document_page_highlights_published_citations_and_links_them(client, world):
    html = text_of(client.get(f"/documents/{world.document.pk}/"))
    text = html[html.index('data-testid="document-text"') :]
    marks = re.findall(r'<mark id="cite-(\d+)" class="citation" data-goal="([\w-]+)"><a href="([^"]+)"', text)
    assert {slug for _, slug, _ in marks} == {
        "gdp-growth-2024",
        "new-5g-base-stations-2024",
        "intelligent-computing-2000p",
        "smart-communities-400",
    }
    for _, slug, href in marks:
        assert href == f"/goals/{slug}/"
    assert '<mark id="cite-' in text and "新建5G基站7000个</a></mark>" in text


def test_document_page_does_not_highlight_unpublished_goals(client, world):
    html = text_of(client.get(f"/documents/{world.document.pk}/"))
    assert "secret-facilities" not in html and "Twelve secret facilities" not in html
    assert "建设秘密设施12处" in html  # the text itself is public; only the highlight is withheld


def test_document_text_is_escaped(client, world):
    from apps.public.views import highlight

    assert highlight("<script>x</script>", []) == "&lt;script&gt;x&lt;/script&gt;"


def test_hard_wrapped_lines_reflow_but_paragraphs_stay(db):
    from apps.public.views import highlight

    assert (
        highlight("第一段第一行\n第一段第二行。\n  第二段\n\n标题", [])
        == "第一段第一行第一段第二行。\n  第二段\n\n标题"
    )


def test_overlapping_citations_each_get_an_anchor(world):
    from apps.public.views import highlight

    class FakeCitation:
        def __init__(self, pk, start, end, goal):
            self.pk, self.start, self.end, self.goal = pk, start, end, goal

    html = highlight(
        "abcdefgh",
        [
            FakeCitation(1, 1, 5, world.stations),
            FakeCitation(2, 3, 7, world.gdp),
            FakeCitation(3, 3, 4, world.compute),
        ],
    )
    assert 'id="cite-1"' in html and 'id="cite-2"' in html and 'id="cite-3"' in html
    assert re.sub(r"<[^>]+>", "", html) == "abcdefgh"


def test_language_switch_shows_english(english, world):
    html = text_of(english.get("/goals/new-5g-base-stations-2024/"))
    assert "7,000 new 5G base stations" in html
    assert "On track" in html and "10 points ahead" in html
    assert "Source" in html or "Sources" in html


def test_english_falls_back_to_chinese_title(english, world):
    html = text_of(english.get("/goals/smart-communities-400/"))
    assert "<h1>建设智慧社区400个</h1>" in html


def test_chinese_is_the_default(client, world):
    html = text_of(client.get("/"))
    assert '<html lang="zh-Hans">' in html and "重点目标" in html


def test_goal_page_says_expected_forecast_and_baseline_in_the_readers_language(client, july_2024):
    GoalFactory(
        slug="new-buses",
        kind=Goal.Kind.LEVEL,
        unit="辆",
        target_value=Decimal("9000"),
        deadline=datetime.date(2025, 12, 31),
        status_baseline=Decimal("1200.5"),
        expected_value=Decimal("5250.1234"),
        latest_as_of=datetime.date(2024, 6, 30),
        forecast_value=Decimal("16.0273"),
    )

    def facts(language):
        html = text_of(client.get(f"{language}/goals/new-buses/"))
        return html[html.index('id="facts-heading"') : html.index("</dl>")]

    english = facts("/en")
    assert "Expected by now" in english
    # Worked out (序时进度, the forecast): one rule, three digits and every whole one; stated: as given.
    assert "5,250 vehicles" in english and "16 vehicles" in english and "1,200.5 vehicles" in english
    assert "16.0273" not in english and "5,250.12" not in english and "辆" not in english
    chinese = facts("")
    assert "序时进度应达" in chinese
    assert "5250 辆" in chinese and "16 辆" in chinese and "1200.5 辆" in chinese
    assert "16.0273" not in chinese
