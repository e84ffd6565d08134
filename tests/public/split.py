"""The city's 2024 goal of 7,000 new 5G base stations (新建5G基站7000个) split among five districts, for
the roll-up tests and the browser test."""

from decimal import Decimal

from apps.goals.models import Department, DepartmentMembership, MembershipRole
from apps.goals.services.parts import goal_split

from ..factories import DepartmentFactory, UserFactory

# (Chinese name, English name, slug, target): the targets add up to 6,900, not the city's 7,000.
DISTRICTS = [
    ("历下区工业和信息化局", "Lixia District Bureau of Industry and IT", "lixia-industry", 2000),
    ("市中区工业和信息化局", "Shizhong District Bureau of Industry and IT", "shizhong-industry", 1500),
    ("槐荫区工业和信息化局", "Huaiyin District Bureau of Industry and IT", "huaiyin-industry", 1200),
    ("天桥区工业和信息化局", "Tianqiao District Bureau of Industry and IT", "tianqiao-industry", 1300),
    ("历城区工业和信息化局", "Licheng District Bureau of Industry and IT", "licheng-industry", 900),
]


def split_stations(stations, user=None):
    """Split the goal into the five district parts; returns {slug of the department: part}."""
    departments = [DepartmentFactory(name=zh, name_en=en, slug=slug) for zh, en, slug, _ in DISTRICTS]
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
    for _, _, slug, _ in DISTRICTS:
        department = Department.objects.get(slug=slug)
        DepartmentMembership.objects.create(
            user=recorder, department=department, role=MembershipRole.RECORDER
        )
        DepartmentMembership.objects.create(
            user=reviewer, department=department, role=MembershipRole.REVIEWER
        )
    return recorder, reviewer
