"""Staff and their roles: which department a person works for, as what, and the admin groups that
follow. Memberships are the one source of rights: every write of one, single or bulk, syncs the
groups of the people it touches here, in this module, which imports no service."""

from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q


class MembershipRole(models.TextChoices):
    RECORDER = "recorder", "填报员 · recorder"
    REVIEWER = "reviewer", "审核员 · reviewer"
    MANAGER = "manager", "管理者 · manager"


@contextmanager
def members_resynced(departments):
    """Around a delete of departments: the cascade deletes their memberships without calling their
    delete(), so their former members' rights are synced here, once the departments are gone."""
    user_ids = set(
        DepartmentMembership.objects.filter(department__in=departments).values_list("user_id", flat=True)
    )
    yield
    _sync_rights(user_ids)


class DepartmentMembershipQuerySet(models.QuerySet):
    """Bulk writes of memberships keep their people's rights in step, as single saves do."""

    def delete(self):
        user_ids = set(self.values_list("user_id", flat=True))
        result = super().delete()
        _sync_rights(user_ids)
        return result

    def update(self, **kwargs):
        user_ids = set(self.values_list("user_id", flat=True))
        count = super().update(**kwargs)
        if "user" in kwargs or "user_id" in kwargs:
            user_ids |= set(self.values_list("user_id", flat=True))
        _sync_rights(user_ids)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _sync_rights({membership.user_id for membership in objs})
        return created


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


def _sync_rights(user_ids) -> None:
    """Give or take the admin groups of these people now: memberships are the one source of rights."""
    for user in get_user_model().objects.filter(pk__in=user_ids):
        user_groups_sync(user=user)


class DepartmentMembership(models.Model):
    """Which staff member works for which department, and in what role. Saving or deleting one — in the
    admin, a shell, an import — gives or takes the person's rights at once (`_sync_rights`)."""

    Role = MembershipRole

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户 · user",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    department = models.ForeignKey(
        "goals.Department",
        verbose_name="部门 · department",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("角色 · role", max_length=20, choices=Role.choices, default=Role.RECORDER)

    objects = DepartmentMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "单位成员 · department membership"
        verbose_name_plural = "单位成员 · department memberships"
        constraints = [
            models.UniqueConstraint(fields=["user", "department", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} · {self.department} · {self.get_role_display()}"

    def save(self, *args, **kwargs):
        previous_user = None
        if self.pk is not None:
            previous_user = (
                DepartmentMembership.objects.filter(pk=self.pk).values_list("user_id", flat=True).first()
            )
        super().save(*args, **kwargs)
        _sync_rights({self.user_id, previous_user} - {None})

    def delete(self, *args, **kwargs):
        user_id = self.user_id
        result = super().delete(*args, **kwargs)
        _sync_rights({user_id})
        return result
