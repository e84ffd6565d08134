"""What staff write and a second person reviews (a progress figure, an explanation, and whatever is
reviewed next): who wrote it, when it was handed in, who reviewed it, when, and what they said.
The workflow itself is apps.goals.services.review."""

from typing import ClassVar

from django.conf import settings
from django.db import models


class Reviewed(models.Model):
    """An abstract reviewed thing. Each model keeps its `review_state` field with its own words for
    the states (ReviewState) and says below which of them plays which part in the review; the
    review service reads only these."""

    # The states its writers may edit it in and hand it in from (a draft, one sent back).
    REVIEW_OPEN: ClassVar[tuple[str, ...]]
    REVIEW_SUBMITTED: ClassVar[str] = "submitted"
    REVIEW_APPROVED: ClassVar[str] = "approved"
    # The state a reviewer's return leaves it in.
    REVIEW_RETURNED: ClassVar[str]

    review_state: str

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人 · recorded by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_%(class)ss",
    )
    submitted_at = models.DateTimeField("报送时间 · submitted at", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人 · reviewed by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_%(class)ss",
    )
    reviewed_at = models.DateTimeField("审核时间 · reviewed at", null=True, blank=True)
    review_comment = models.TextField("审核意见 · review comment", blank=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        """Whether its writers may still edit it and hand it in."""
        return self.review_state in self.REVIEW_OPEN
