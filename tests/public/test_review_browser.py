"""Onboarding the districts set from an empty database, then the review screen in a real Chromium: a
person accepts, edits and rejects with the keyboard, accepts the rest once she has looked at each, and
checks a result; goals are published, the result waits for another reviewer, the reasons are recorded,
and the page shows the time spent on each document."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from apps.goals.models import Department, Document, Goal, MembershipRole, ProgressUpdate, ReviewAction
from apps.goals.services.document_review import document_review_seconds
from apps.staff.document_review import duration_display

from ..districts import LICHENG, RESULTS_2025_H1, districts_copy, row_counts
from ..staff.test_document_review import _staff
from .test_browser import screenshot
from .test_workflow_browser import log_in, review_groups  # noqa: F401  (the review groups, made again)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("review_groups"),
]


def districts_with_a_later_report(tmp_path):
    """The districts set, and 历城区's first half of 2025, whose results report on its 2025 goals."""
    folder = districts_copy(tmp_path)
    (folder / "documents" / "21_licheng_2025_h1.txt").write_text(RESULTS_2025_H1, encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest.append(
        {
            "file": "documents/21_licheng_2025_h1.txt",
            "title": "历城区2025年上半年经济运行情况",
            "published": "2025-07-20",
            **LICHENG,
        }
    )
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return folder


def current(page):
    return page.locator(".review-item.current")


def state_of(page, key):
    return page.locator(f"#item-{key}").get_attribute("data-state")


def test_onboard_then_review_a_district_s_report(page_at, live_server, tmp_path):
    empty = {"goals.Document", "goals.Goal", "goals.Department", "goals.ProgressUpdate", "goals.Citation"}
    assert not any(count for label, count in row_counts().items() if label in empty)
    output = io.StringIO()
    call_command("onboard", str(districts_with_a_later_report(tmp_path)), stdout=output)
    assert "Goals proposed · 待审目标: 0" not in output.getvalue()
    # Each document is its place's (made again under the city where an earlier test flushed the places).
    places = {d.file_name[:2]: d.place for d in Document.objects.select_related("place__parent")}
    assert (places["01"].code, places["01"].parent.code) == ("370112", "370100")
    assert (places["11"].name, places["11"].parent.code) == ("济南新旧动能转换起步区", "370100")
    editor = _staff("editor", [MembershipRole.RECORDER, MembershipRole.REVIEWER], publisher=True)
    second = _staff("second", [MembershipRole.REVIEWER])
    report = Document.objects.get(file_name="01_licheng_2025_targets.txt")

    page = page_at()
    log_in(page, live_server, editor, "/admin/goals/document/review/")
    page.get_by_role("link", name=report.title).click()
    page.wait_for_selector(".review-item.current")
    assert "j</kbd>/<kbd>k</kbd>" in page.content()
    screenshot(page, "document-review")
    proposed = page.locator(".review-item[data-state=proposed]").count()
    assert proposed >= 5
    accept_all = page.get_by_test_id("accept-all")
    assert accept_all.is_disabled()  # nothing accepted in bulk before each item was shown

    # a: accept the first item as read.
    first = current(page).get_attribute("data-key")
    page.keyboard.press("a")
    page.wait_for_selector(f"#item-{first}[data-state=accepted]")
    assert page.locator(f"mark.state-accepted[data-items~='{first}']").count() >= 1

    # e: correct the next one's value, then save.
    edited = current(page).get_attribute("data-key")
    assert edited != first
    page.keyboard.press("e")
    value = page.locator(f"#item-{edited} input[name=value]")
    assert value.evaluate("node => node === document.activeElement")
    value.fill("5.8")
    page.locator(f"#item-{edited}").get_by_role("button", name="保存并采纳 · Save and accept").click()
    page.wait_for_selector(f"#item-{edited}[data-state=accepted]")

    # r: reject the next one, which needs a reason from the list.
    rejected = current(page).get_attribute("data-key")
    page.keyboard.press("r")
    page.locator(f"#item-{rejected} select[name=reason]").select_option("result_as_target")
    page.locator(f"#item-{rejected}").get_by_role("button", name="确认驳回 · Reject").click()
    page.wait_for_selector(f"#item-{rejected}[data-state=rejected]")

    # The rest: only once each one left has been shown.
    remaining = page.locator(".review-item[data-state=proposed]").count()
    for _ in range(remaining + 3):
        page.keyboard.press("j")
    assert accept_all.is_enabled()
    accept_all.click()
    assert page.locator("#accept-all-list li").count() == remaining
    page.get_by_test_id("accept-all-confirm").click()
    page.wait_for_selector(".review-item[data-state=proposed]", state="detached")

    goals = {f"goal-{g.pk}": g for g in Goal.objects.filter(citations__document=report).distinct()}
    assert goals[first].review_state == goals[edited].review_state == Goal.ReviewState.PUBLISHED
    assert goals[edited].target_value == Decimal("5.8")
    assert goals[rejected].review_state == Goal.ReviewState.REJECTED
    assert sum(g.review_state == Goal.ReviewState.PUBLISHED for g in goals.values()) == len(goals) - 1
    rejection = ReviewAction.objects.get(action="reject")
    assert (rejection.reason, rejection.goal, rejection.user) == ("result_as_target", goals[rejected], editor)
    assert rejection.reader_rule
    spent = document_review_seconds(document=report)
    assert spent > 0
    assert page.get_by_test_id("time-total").inner_text() == duration_display(spent)

    # A result read from the later report: checked here, it waits for another reviewer.
    results = Document.objects.get(file_name="21_licheng_2025_h1.txt")
    figure = ProgressUpdate.objects.filter(source_document=results).order_by("source_start").first()
    assert figure is not None and figure.review_state == ProgressUpdate.ReviewState.SUBMITTED
    page.goto(f"{live_server.url}/admin/goals/document/review/")
    assert duration_display(spent) in page.locator(f"tr:has-text('{report.title}')").inner_text()
    page.get_by_role("link", name=results.title).click()
    page.wait_for_selector(".review-item.current")
    while current(page).get_attribute("data-key") != f"figure-{figure.pk}":
        page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_selector(f"#item-figure-{figure.pk}[data-state=accepted]")
    figure.refresh_from_db()
    assert figure.review_state == ProgressUpdate.ReviewState.SUBMITTED
    assert ReviewAction.objects.get(figure=figure).user == editor
    assert editor.pk in {h.history_user_id for h in figure.history.all()}
    assert Department.objects.filter(name="历城区人民政府办公室").exists()
    assert second.pk  # the one who may approve it (tests/staff/test_document_review.py approves)
