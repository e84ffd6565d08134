"""Staff roles: department memberships decide which review groups (and so which admin model
permissions) a person has. The rule lives beside the membership model (apps.goals.models.staff),
which applies it on every write of a membership; callers outside the models use it from here."""

from ..models.staff import ROLE_GROUPS, user_groups_sync

__all__ = ["ROLE_GROUPS", "user_groups_sync"]
