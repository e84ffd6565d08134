"""Names as a Chinese reader writes them: family name first, no space; Latin names in their own order."""

import pytest

from apps.goals.names import person_name
from tests.factories import UserFactory


@pytest.mark.parametrize(
    "first, last, username, expected",
    [
        ("伟", "王", "wangwei", "王伟"),
        ("小明", "欧阳", "oyxm", "欧阳小明"),
        ("Wei", "Wang", "ww", "Wei Wang"),
        ("", "", "recorder", "recorder"),
        ("伟", "", "w", "伟"),
    ],
)
def test_person_name(first, last, username, expected):
    user = UserFactory.build(first_name=first, last_name=last, username=username)
    assert person_name(user) == expected


def test_nobody():
    assert person_name(None) == "—"
