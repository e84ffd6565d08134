"""Managers' weekly digest: who receives it (and for which departments), and which weeks were sent."""

import secrets
from datetime import timedelta

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


# A claim still "sending" after this long belongs to a run that died mid-send: its outcome is unknown.
STALE_CLAIM = timedelta(minutes=15)


class DeliveryState(models.TextChoices):
    SENDING = "sending", "发送中 · sending"
    SENT = "sent", "已发送 · sent"
    UNKNOWN = "unknown", "结果未知 · outcome unknown"


class DigestDeliveryQuerySet(models.QuerySet):
    def outcome_unknown(self):
        """Deliveries that may or may not have reached the subscriber: the mail server never answered
        after taking the message, or the run died while sending. They are never sent again by the job;
        staff decide (the admin lists them)."""
        stale = timezone.now() - STALE_CLAIM
        return self.filter(
            models.Q(state=DeliveryState.UNKNOWN)
            | models.Q(state=DeliveryState.SENDING, claimed_at__lt=stale)
        )


class DigestDelivery(models.Model):
    """One digest for one subscriber and week, claimed before the email is sent and settled after.
    The unique constraint makes the claim: a second run (or one at the same time) finds it and sends
    nothing, so each digest is sent at most once. A failure before the mail server took the message
    removes the claim (a retry sends); a failure after it leaves the outcome unknown, for staff."""

    State = DeliveryState

    subscription = models.ForeignKey(
        DigestSubscription,
        verbose_name="订阅 · subscription",
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    week_start = models.DateField("周一 · week starting (Monday)")
    state = models.CharField(
        "状态 · state", max_length=10, choices=DeliveryState.choices, default=DeliveryState.SENT
    )
    claimed_at = models.DateTimeField("开始发送 · claimed at", default=timezone.now)
    sent_at = models.DateTimeField("发送时间 · sent at", null=True, blank=True)
    error = models.TextField("错误 · error", blank=True)

    objects = DigestDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "subscription_id"]
        verbose_name = "周报发送记录 · digest delivery"
        verbose_name_plural = "周报发送记录 · digest deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "week_start"], name="digest_delivery_once_per_week"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=DeliveryState.values), name="digest_delivery_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.subscription.user} · {self.week_start:%Y-%m-%d}"
