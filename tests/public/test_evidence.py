"""Evidence files are public only once their update is approved on a published goal."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.goals.models import Goal, ProgressUpdate

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def update_with_file(name="report.pdf", content=b"%PDF-1.4 evidence", **kwargs):
    update = ProgressUpdateFactory(**kwargs)
    update.evidence_file.save(name, ContentFile(content))
    return update


def approved(**kwargs):
    return update_with_file(
        review_state=ProgressUpdate.ReviewState.APPROVED, reviewed_at=timezone.now(), **kwargs
    )


def test_an_approved_updates_evidence_is_served_to_anyone(client):
    update = approved()
    response = client.get(update.evidence_file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected"])
def test_evidence_of_an_unreviewed_update_is_not_public(client, state):
    update = update_with_file(review_state=state, reviewed_at=timezone.now())
    assert client.get(update.evidence_file.url).status_code == 404


def test_evidence_of_an_unpublished_goal_is_not_public(client):
    update = approved(goal=GoalFactory(review_state=Goal.ReviewState.PENDING))
    assert client.get(update.evidence_file.url).status_code == 404


def test_staff_of_the_department_see_evidence_before_review(client, recorder, other_recorder, department):
    update = update_with_file(goal=GoalFactory(lead_department=department), review_state="submitted")
    client.force_login(other_recorder)
    assert client.get(update.evidence_file.url).status_code == 404
    client.force_login(recorder)
    response = client.get(update.evidence_file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"


def test_an_uploaded_web_page_downloads_instead_of_running_in_the_site(client):
    update = approved(name="page.html", content=b"<script>alert(1)</script>")
    response = client.get(update.evidence_file.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_unknown_media_paths_are_404(client):
    assert client.get("/media/evidence/1/nothing.pdf").status_code == 404
    assert client.get("/media/../settings.py").status_code == 404


@pytest.mark.parametrize(
    "path", ["/media/evidence/1/report%00.pdf", "/media/%00", "/media/evidence/%00/../x"]
)
def test_a_nul_byte_in_a_media_path_is_404_not_an_error(client, admin_user, path):
    approved()
    assert client.get(path).status_code == 404
    client.force_login(admin_user)
    assert client.get(path).status_code == 404
