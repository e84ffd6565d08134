"""Staff roles: department memberships decide which review groups (and so which admin model
permissions) a person has."""

from django.contrib.auth.models import Group

from ..models import DepartmentMembership, MembershipRole

# Review groups (migration 0003_review_groups) by department role.
ROLE_GROUPS = {
    MembershipRole.RECORDER: "recorders",
    MembershipRole.REVIEWER: "reviewers",
    MembershipRole.MANAGER: "managers",
}


def user_groups_sync(*, user) -> None:
    """Put a staff member in exactly the review groups (recorders, reviewers, managers) their
    department roles call for, so the admin's model permissions follow the memberships."""
    roles = set(DepartmentMembership.objects.filter(user=user).values_list("role", flat=True))
    wanted = {name for role, name in ROLE_GROUPS.items() if role in roles}
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_GROUPS.values())}
    user.groups.remove(*[group for name, group in groups.items() if name not in wanted])
    user.groups.add(*[group for name, group in groups.items() if name in wanted])
    if wanted and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
