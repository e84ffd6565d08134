"""Memberships are the one source of staff rights: however a membership is created, changed or
deleted (admin, shell, import), the person's review groups follow at once, with no sync call."""

import pytest

from apps.goals.models import DepartmentMembership, MembershipRole

from ..factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def groups_of(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_creating_a_membership_in_a_shell_gives_the_rights_at_once():
    user = UserFactory(username="wangwei")
    DepartmentMembership.objects.create(
        user=user, department=DepartmentFactory(), role=MembershipRole.RECORDER
    )

    user.refresh_from_db()
    assert groups_of(user) == ["recorders"]
    assert user.is_staff
    assert user.has_perm("goals.add_progressupdate")


def test_changing_the_role_moves_the_person_between_groups():
    user = UserFactory()
    membership = DepartmentMembership.objects.create(
        user=user, department=DepartmentFactory(), role=MembershipRole.RECORDER
    )
    membership.role = MembershipRole.REVIEWER
    membership.save()
    assert groups_of(user) == ["reviewers"]

    DepartmentMembership.objects.filter(pk=membership.pk).update(role=MembershipRole.MANAGER)
    assert groups_of(user) == ["managers"]


def test_moving_a_membership_to_another_person_takes_the_rights_from_the_first():
    first, second = UserFactory(), UserFactory()
    membership = DepartmentMembership.objects.create(
        user=first, department=DepartmentFactory(), role=MembershipRole.REVIEWER
    )
    membership.user = second
    membership.save()
    assert groups_of(first) == []
    assert groups_of(second) == ["reviewers"]


@pytest.mark.parametrize("how", ["instance", "queryset"])
def test_deleting_the_last_membership_takes_the_rights(how):
    user = UserFactory()
    department = DepartmentFactory()
    DepartmentMembership.objects.create(user=user, department=department, role=MembershipRole.RECORDER)
    kept = DepartmentMembership.objects.create(
        user=user, department=DepartmentFactory(), role=MembershipRole.RECORDER
    )
    DepartmentMembership.objects.filter(department=department).delete()
    assert groups_of(user) == ["recorders"]  # still a recorder elsewhere

    if how == "instance":
        kept.delete()
    else:
        DepartmentMembership.objects.filter(user=user).delete()
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per instance
    assert groups_of(user) == []
    assert not user.has_perm("goals.add_progressupdate")


def test_bulk_created_memberships_give_rights():
    users = [UserFactory(), UserFactory()]
    department = DepartmentFactory()
    DepartmentMembership.objects.bulk_create(
        [DepartmentMembership(user=u, department=department, role=MembershipRole.REVIEWER) for u in users]
    )
    assert [groups_of(u) for u in users] == [["reviewers"], ["reviewers"]]
