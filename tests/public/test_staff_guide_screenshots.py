"""The staff guide (docs/staff-guide.zh.md) walked in a real Chromium, as a recorder and as a reviewer:
logging in, the to-do list, entering a figure with evidence and submitting it, checking a spreadsheet,
writing an explanation, reviewing (four eyes), and the digest subscription. Every button and label the
guide tells staff to look for is asserted on its page and in the guide, so the test fails when either
loses it. With UPDATE_DOCS_SCREENSHOTS=1 it also writes the guide's pictures into docs/images/
(1000 px wide, squeezed by pngquant when it is installed); without it, it writes nothing."""

import csv
import datetime
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from apps.goals.models import GoalExplanation, ProgressUpdate, StatusChange
from apps.goals.services.explanations import explanations_request

from ..factories import GoalFactory, ProgressUpdateFactory
from .test_workflow_browser import log_in, review_groups  # noqa: F401  (the review groups fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("review_groups"),
]

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "staff-guide.zh.md"
IMAGES = ROOT / "docs" / "images"
WIDTH = {"width": 1000, "height": 760}
UPDATING = os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1"


def guide_says(*labels: str) -> None:
    """The guide names these words, exactly as the page shows them."""
    guide = GUIDE.read_text(encoding="utf-8")
    missing = [label for label in labels if label not in guide]
    assert missing == [], f"docs/staff-guide.zh.md does not mention {missing}"


def on_page(page, *labels: str) -> None:
    """Each label is on the page and visible, and the guide names it."""
    for label in labels:
        assert page.get_by_text(label, exact=False).first.is_visible(), f"{label!r} is not on {page.url}"
    guide_says(*labels)


def picture(page, name: str, *, full_page: bool = False) -> None:
    """The guide's picture `name`.png, written only when UPDATE_DOCS_SCREENSHOTS=1; the guide links it."""
    guide_says(f"images/{name}.png")
    if not UPDATING:
        return
    IMAGES.mkdir(exist_ok=True)
    path = IMAGES / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if shutil.which("pngquant"):
        subprocess.run(
            [
                "pngquant",
                "--force",
                "--skip-if-larger",
                "--strip",
                "--quality=70-95",
                "--output",
                str(path),
                str(path),
            ],
            check=False,
        )


@pytest.fixture
def people(recorder, reviewer):
    """The recorder 李丽 and the reviewer 王伟 of 济南市大数据局 (the tests' department)."""
    recorder.last_name, recorder.first_name = "李", "丽"
    recorder.save()
    reviewer.last_name, reviewer.first_name = "王", "伟"
    reviewer.save()
    return recorder, reviewer


@pytest.fixture
def goals(department):
    today = timezone.localdate()
    year = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    digital = GoalFactory(
        lead_department=department,
        title="数字经济核心产业增加值达到1700亿元",
        slug="digital-economy-1700",
        kind="level",
        unit="亿元",
        target_value=Decimal("1700"),
        period_start=year[0],
        deadline=year[1],
    )
    ProgressUpdateFactory(
        goal=digital,
        as_of=year[0],
        value=Decimal("1320"),
        review_state="approved",
        reviewed_at=timezone.now(),
    )
    stations = GoalFactory(
        lead_department=department,
        title="新建5G基站7000个",
        slug="5g-stations-7000",
        kind="increment",
        unit="个",
        target_value=Decimal("7000"),
        period_start=year[0],
        deadline=year[1],
        status="off_track",
    )
    ProgressUpdateFactory(
        goal=stations, as_of=year[0], value=Decimal("0"), review_state="approved", reviewed_at=timezone.now()
    )
    StatusChange.objects.create(
        goal=stations, evaluated_on=today, from_status="on_track", to_status="off_track", rule_version="test"
    )
    explanations_request(today=today)
    return digital, stations


def test_the_staff_guide_walked_as_a_recorder_and_a_reviewer(page_at, live_server, people, goals, tmp_path):
    recorder, reviewer = people
    digital, stations = goals
    today = timezone.localdate()
    as_of = (today - datetime.timedelta(days=3)).isoformat()

    # 登录 · Logging in
    page = page_at(WIDTH)
    page.goto(f"{live_server.url}/admin/login/")
    on_page(page, "用户名", "密码")
    picture(page, "login")
    log_in(page, live_server, recorder, "/admin/")

    # 首页待办 · The to-do list: the explanation owed, and the way to one's digest
    todo = page.get_by_test_id("todo")
    assert "新建5G基站7000个" in todo.inner_text()
    on_page(page, "待办事项 · To do", "我的周报订阅 · My digest subscription")
    picture(page, "recorder-home")

    # 填报数据 · Entering a figure with evidence, then submitting it
    page.goto(f"{live_server.url}/admin/goals/progressupdate/add/?goal={digital.pk}")
    assert page.get_by_test_id("goal-unit").inner_text() == "亿元"
    assert page.get_by_test_id("previous-figure").inner_text() == "1320 亿元"
    page.fill("#id_as_of", as_of)
    page.fill("#id_value", "1405")
    page.fill("#id_evidence_url", "https://example.com/bulletin")
    page.locator("#id_value").focus()
    page.wait_for_function(f"document.querySelector('[data-testid=expected-on]').textContent === '{as_of}'")
    on_page(
        page,
        "目标信息 · The goal",
        "所填日期的序时进度",
        "数据截至",
        "佐证链接",
        "数值确认无误 · I confirm this value",
        "保存并报送 · Save and submit",
    )
    picture(page, "recorder-entry", full_page=True)
    page.get_by_role("button", name="保存并报送 · Save and submit").click()
    page.wait_for_selector("text=已保存并报送审核")
    guide_says("已保存并报送审核")
    figure = ProgressUpdate.objects.get(goal=digital, value=Decimal("1405"))
    assert figure.review_state == "submitted"

    # 表格导入 · A spreadsheet checked before anything is stored
    page.goto(f"{live_server.url}/admin/goals/progressupdate/import/")
    on_page(page, "下载模板 · Download template", "检查 · Check")
    sheet = tmp_path / "figures.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(
            [
                ["goal", "unit", "as_of", "value", "is_final", "evidence_url", "note"],
                [stations.slug, "个", as_of, "2600", "否", "https://example.com/5g", "一季度"],
                [stations.slug, "万个", as_of, "多", "否", "", ""],
            ]
        )
    page.set_input_files("input[type=file]", str(sheet))
    page.get_by_role("button", name="检查 · Check").click()
    page.wait_for_selector("#import-preview")
    assert page.locator("tr.import-ok").count() == 1 and page.locator("tr.import-error").count() == 1
    on_page(page, "✓ 无误 · valid", "有错误时不导入任何一行")
    picture(page, "import-check", full_page=True)
    assert ProgressUpdate.objects.filter(goal=stations).count() == 1  # the check stored nothing

    # 原因说明 · Writing the explanation a red goal asks for
    explanation = GoalExplanation.objects.get(goal=stations)
    page.goto(f"{live_server.url}/admin/goals/goalexplanation/{explanation.pk}/change/")
    page.fill("#id_reason", "站址审批进度慢于预期，上半年开通基站少于计划")
    page.fill("#id_corrective_actions", "成立专班，每周调度站址审批；三季度集中开通2000个基站")
    on_page(page, "保存并报送 · Save and submit")
    picture(page, "explanation", full_page=True)
    page.get_by_role("button", name="保存并报送 · Save and submit").click()
    page.wait_for_selector("text=原因说明已报送审核")
    guide_says("原因说明已报送审核")

    # 审核 · The reviewer: the to-do list, then the figure beside its facts, approved
    review = page_at(WIDTH)
    log_in(review, live_server, reviewer, "/admin/")
    on_page(review, "条进展待您审核", "条原因说明待您审核")
    picture(review, "reviewer-home")
    review.goto(f"{live_server.url}/admin/goals/progressupdate/{figure.pk}/change/")
    assert review.get_by_test_id("change").inner_text() == "+85 亿元"
    on_page(review, "通过 · Approve", "退回 · Return", "退回原因 · reason to return")
    picture(review, "reviewer-review", full_page=True)
    review.get_by_role("button", name="通过 · Approve").click()
    review.wait_for_selector("text=已通过审核")
    guide_says("已通过审核")
    figure.refresh_from_db()
    assert figure.review_state == "approved"

    # 周报 · The digest subscription each person sets for themselves
    review.goto(f"{live_server.url}/admin/digests/digestsubscription/mine/")
    on_page(review, "保存 · Save")
    picture(review, "my-digest")
