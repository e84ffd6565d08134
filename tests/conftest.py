import pytest
from django.core.cache import cache
from django.db import connection

from apps.goals.models import DepartmentMembership, MembershipRole
from apps.public import triggers
from apps.public.caching import local_pages

from .factories import DepartmentFactory, UserFactory
from .smtp import smtp_server  # noqa: F401  (a real SMTP server for mail tests)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Named users are made by the dozen; a deliberately slow hash would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back tests reuse data version numbers, so a page
    cached by one test could otherwise be served to the next."""
    cache.clear()
    local_pages.clear()


@pytest.fixture(autouse=True)
def _public_version_bumped_at_once(request):
    """On PostgreSQL the public data version is bumped as a transaction commits (apps/public/triggers.py);
    a test wrapped in a transaction never commits, so there each public write bumps it at once."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction", False)) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional or (marker is None and "db" not in request.fixturenames):
        return
    request.getfixturevalue("db")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {triggers.COMMIT_TRIGGER} IMMEDIATE")


@pytest.fixture
def department(db):
    return DepartmentFactory(name="济南市大数据局", name_en="Big Data Bureau", slug="big-data")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(
        name="济南市工业和信息化局", name_en="Bureau of Industry and IT", slug="industry-it"
    )


def _member(username, department, role):
    user = UserFactory(username=username, is_staff=True)
    DepartmentMembership.objects.create(user=user, department=department, role=role)
    return user


@pytest.fixture
def recorder(department):
    """A recorder of one department."""
    return _member("recorder", department, MembershipRole.RECORDER)


@pytest.fixture
def other_recorder(other_department):
    """A recorder of another department."""
    return _member("other_recorder", other_department, MembershipRole.RECORDER)


@pytest.fixture
def reviewer(department):
    return _member("reviewer", department, MembershipRole.REVIEWER)


@pytest.fixture
def manager(department):
    return _member("manager", department, MembershipRole.MANAGER)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)
