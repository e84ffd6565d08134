"""Which departments a digest covers. A digest lists figures still waiting for review, with their
values, so it covers only departments whose unreviewed figures its reader may see in the admin: the
departments they belong to (in any role); a superuser may have any, or all. Chosen departments the
reader does not belong to (chosen by someone else, or a membership that has since ended) are left
out; a reader who belongs to none gets no digest."""

from collections.abc import Iterable

from apps.goals.models import DepartmentMembership

ALL = ()  # the scope of an all-departments digest


def member_departments(user_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Each user's departments, in one query."""
    departments: dict[int, set[int]] = {}
    for user_id, department_id in DepartmentMembership.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "department_id"
    ):
        departments.setdefault(user_id, set()).add(department_id)
    return {user_id: frozenset(ids) for user_id, ids in departments.items()}


def digest_scope(
    chosen: Iterable[int], *, member_of: frozenset[int], is_superuser: bool
) -> tuple[int, ...] | None:
    """The department ids a reader's digest covers, sorted: those chosen (none chosen: all) that the
    reader may see; ALL (an empty tuple) for every department, which only a superuser gets; None when
    the reader may see none of them."""
    chosen = frozenset(chosen)
    if is_superuser:
        return tuple(sorted(chosen))
    scope = chosen & member_of if chosen else member_of
    return tuple(sorted(scope)) or None


def subscription_scope(subscription) -> tuple[int, ...] | None:
    """digest_scope of one subscription (its departments and its user's memberships: two queries,
    or none when prefetched)."""
    user = subscription.user
    return digest_scope(
        [department.pk for department in subscription.departments.all()],
        member_of=frozenset(membership.department_id for membership in user.memberships.all()),
        is_superuser=user.is_superuser,
    )


def scope_departments(subscription, scope: tuple[int, ...]) -> list:
    """The Department objects of a subscription's scope, from what subscription_scope read (its
    departments, and its user's memberships with their departments)."""
    known = {department.pk: department for department in subscription.departments.all()}
    for membership in subscription.user.memberships.all():
        known.setdefault(membership.department_id, membership.department)
    return [known[pk] for pk in scope]
