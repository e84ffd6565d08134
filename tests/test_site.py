"""Project-level behaviour: health check, Chinese first, language switch."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    health = response.json()
    assert (health["status"], health["database"], health["cache"]) == ("ok", "ok", "ok")


def test_chinese_is_served_first_even_to_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"


def test_english_is_one_link_away_and_sticks(client):
    chinese = client.get("/goals/?sort=deadline").content.decode()
    assert 'href="/en/goals/?sort=deadline"' in chinese
    response = client.get("/en/goals/?sort=deadline")
    assert response.headers["Content-Language"] == "en"
    english = response.content.decode()
    assert 'href="/en/documents/"' in english  # the site's own links stay in English
    assert 'href="/goals/?sort=deadline"' in english  # and the switch leads back


def test_no_cookie_for_a_citizen(client):
    for url in ("/", "/en/", "/goals/", "/en/goals/"):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, f"{url} sets {list(response.cookies)}"
        assert "Cookie" not in response.get("Vary", "")


def test_a_missing_page_says_so_in_both_languages(client, settings):
    settings.DEBUG = False
    response = client.get("/goals/no-such-goal/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "找不到页面" in text and "Page not found" in text


def test_an_empty_database_url_means_the_local_default():
    """A copied .env with `DATABASE_URL=` left blank still starts, on the SQLite default."""
    script = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    environment = {**os.environ, "DATABASE_URL": "", "DJANGO_SETTINGS_MODULE": "jinan_targets.settings"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr
