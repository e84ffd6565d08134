"""The city's 2024 goal of 7,000 new 5G base stations (新建5G基站7000个) split among five districts, for
the roll-up tests and the browser test."""

from decimal import Decimal

from apps.goals.models import Department, DepartmentMembership, MembershipRole
from apps.goals.services.parts import goal_split

from ..factories import DepartmentFactory, JurisdictionFactory, UserFactory

# Each district's bureau of industry and IT (Chinese name, English name, slug), its place and its target:
# the targets add up to 6,900, not the city's 7,000.
DISTRICTS = [
    (
        "历下区工业和信息化局",
        "Lixia Bureau of Industry and IT",
        "lixia-industry",
        ("lixia", "历下区", "Lixia District"),
        2000,
    ),
    (
        "市中区工业和信息化局",
        "Shizhong Bureau of Industry and IT",
        "shizhong-industry",
        ("shizhong", "市中区", "Shizhong District"),
        1500,
    ),
    (
        "槐荫区工业和信息化局",
        "Huaiyin Bureau of Industry and IT",
        "huaiyin-industry",
        ("huaiyin", "槐荫区", "Huaiyin District"),
        1200,
    ),
    (
        "天桥区工业和信息化局",
        "Tianqiao Bureau of Industry and IT",
        "tianqiao-industry",
        ("tianqiao", "天桥区", "Tianqiao District"),
        1300,
    ),
    (
        "历城区工业和信息化局",
        "Licheng Bureau of Industry and IT",
        "licheng-industry",
        ("licheng", "历城区", "Licheng District"),
        900,
    ),
]


def district(slug, name, name_en):
    """A district (the reference place where the migration made it; a transactional test made it again)."""
    return JurisdictionFactory(slug=slug, name=name, name_en=name_en, level="district")


def split_stations(stations, user=None):
    """Split the goal into the five district parts; returns {slug of the department: part}."""
    departments = [
        DepartmentFactory(name=zh, name_en=en, slug=slug, place=district(*place))
        for zh, en, slug, place, _ in DISTRICTS
    ]
    parts = goal_split(
        parent=stations,
        targets=[(d, Decimal(target)) for d, (*_, target) in zip(departments, DISTRICTS, strict=True)],
        user=user,
    )
    return {part.lead_department.slug: part for part in parts}


def district_staff():
    """A recorder and a reviewer of every district's department (four eyes: two people)."""
    recorder = UserFactory(username="district_recorder", is_staff=True)
    reviewer = UserFactory(username="district_reviewer", is_staff=True)
    for _, _, slug, _, _ in DISTRICTS:
        department = Department.objects.get(slug=slug)
        DepartmentMembership.objects.create(
            user=recorder, department=department, role=MembershipRole.RECORDER
        )
        DepartmentMembership.objects.create(
            user=reviewer, department=department, role=MembershipRole.REVIEWER
        )
    return recorder, reviewer
