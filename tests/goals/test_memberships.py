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


def _recorder_of(department, username):
    user = UserFactory(username=username)
    DepartmentMembership.objects.create(user=user, department=department, role=MembershipRole.RECORDER)
    return user


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # permissions are cached per instance


@pytest.mark.parametrize("how", ["instance", "queryset"])
def test_deleting_a_department_in_a_shell_takes_its_members_rights(how):
    department, elsewhere = DepartmentFactory(), DepartmentFactory()
    only_here = _recorder_of(department, "only_here")
    also_elsewhere = _recorder_of(department, "also_elsewhere")
    DepartmentMembership.objects.create(
        user=also_elsewhere, department=elsewhere, role=MembershipRole.RECORDER
    )
    assert _fresh(only_here).has_perm("goals.add_progressupdate")

    if how == "instance":
        department.delete()
    else:
        type(department).objects.filter(pk=department.pk).delete()

    assert groups_of(only_here) == []
    assert not _fresh(only_here).has_perm("goals.add_progressupdate")
    assert groups_of(also_elsewhere) == ["recorders"]  # still a recorder of the other department


@pytest.mark.parametrize("how", ["delete page", "bulk action"])
def test_deleting_a_department_in_the_admin_takes_its_members_rights(client, admin_user, how):
    department = DepartmentFactory()
    recorder = _recorder_of(department, "recorder_of_a_closed_department")
    client.force_login(admin_user)
    if how == "delete page":
        response = client.post(f"/admin/goals/department/{department.pk}/delete/", {"post": "yes"})
    else:
        response = client.post(
            "/admin/goals/department/",
            {"action": "delete_selected", "_selected_action": [department.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not type(department).objects.filter(pk=department.pk).exists()
    assert groups_of(recorder) == []
    assert not _fresh(recorder).has_perm("goals.add_progressupdate")
