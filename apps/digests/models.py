"""Managers' weekly digest: who receives it (and for which departments), and which weeks were sent."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.goals.models import Department


def new_unsubscribe_token() -> str:
    """A secret for the unsubscribe link: whoever holds it may stop the digest, nothing more."""
    return secrets.token_urlsafe(32)


class DigestSubscriptionQuerySet(models.QuerySet):
    def deliverable(self):
        """Active subscriptions of active users who have an email address."""
        return self.filter(is_active=True, user__is_active=True).exclude(user__email="")


class DigestSubscription(models.Model):
    """One staff member's weekly digest, for some departments or (none chosen) for all of them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户 · user",
        on_delete=models.CASCADE,
        related_name="digest_subscription",
    )
    is_active = models.BooleanField("接收中 · active", default=True)
    departments = models.ManyToManyField(
        Department,
        verbose_name="责任单位 · departments",
        blank=True,
        related_name="digest_subscriptions",
        help_text="留空即全部单位 · Leave empty for all departments.",
    )
    unsubscribe_token = models.CharField(
        "退订令牌 · unsubscribe token",
        max_length=64,
        unique=True,
        default=new_unsubscribe_token,
        editable=False,
    )
    created_at = models.DateTimeField("创建时间 · created", auto_now_add=True)

    objects = DigestSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "周报订阅 · digest subscription"
        verbose_name_plural = "周报订阅 · digest subscriptions"

    def __str__(self):
        return f"{self.user} · {'接收中 · active' if self.is_active else '已退订 · unsubscribed'}"

    def get_unsubscribe_url(self) -> str:
        """Absolute, because it is used in emails and in the List-Unsubscribe header."""
        return settings.SITE_URL + reverse("digests:unsubscribe", args=[self.unsubscribe_token])


class DigestDelivery(models.Model):
    """One digest sent: the row is written in the transaction that sends the email, and the unique
    constraint is what makes sending safe to run twice or at once (one digest per subscriber per week)."""

    subscription = models.ForeignKey(
        DigestSubscription,
        verbose_name="订阅 · subscription",
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    week_start = models.DateField("周一 · week starting (Monday)")
    sent_at = models.DateTimeField("发送时间 · sent at", default=timezone.now)

    class Meta:
        ordering = ["-week_start", "subscription_id"]
        verbose_name = "周报发送记录 · digest delivery"
        verbose_name_plural = "周报发送记录 · digest deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "week_start"], name="digest_delivery_once_per_week"
            ),
        ]

    def __str__(self):
        return f"{self.subscription.user} · {self.week_start:%Y-%m-%d}"
