"""The public data version: one number that changes exactly when something a citizen can see changes
(a goal published, edited or unpublished, a figure approved, an evaluation rewriting a published goal,
a citation, document, department, category or plan changed) and never when a draft, a submitted
figure or an unpublished goal is saved. Database triggers (migration 0001) keep it, so every write
path counts, QuerySet.update() and the admin included; public pages are cached under it."""

from django.db import models


class DataVersion(models.Model):
    """A single row (id 1): `number` grows by one or more on every public change, in the same
    transaction as the change (on PostgreSQL as it commits), so a reader who sees the new number also
    sees the new data (apps/public/triggers.py)."""

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "公开数据版本 · public data version"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="data_version_single_row")]

    def __str__(self):
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
