"""Managers' weekly digest: who receives it (and for which departments), and which weeks were sent."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.goals.models import Department

from .periods import FREQUENCY_LABELS, Frequency

FREQUENCY_CHOICES = [(str(f), f"{zh} · {en}") for f, (zh, en) in FREQUENCY_LABELS.items()]


def new_unsubscribe_token() -> str:
    """A secret for the unsubscribe link: whoever holds it may stop the digest, nothing more."""
    return secrets.token_urlsafe(32)


class DigestSubscriptionQuerySet(models.QuerySet):
    def deliverable(self):
        """Active subscriptions of active users who have an email address."""
        return self.filter(is_active=True, user__is_active=True).exclude(user__email="")


class DigestSubscription(models.Model):
    """One staff member's digest, weekly or monthly, for some departments or (none chosen) for all of
    them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户 · user",
        on_delete=models.CASCADE,
        related_name="digest_subscription",
    )
    is_active = models.BooleanField("接收中 · active", default=True)
    frequency = models.CharField(
        "频率 · frequency", max_length=10, choices=FREQUENCY_CHOICES, default=Frequency.WEEKLY.value
    )
    departments = models.ManyToManyField(
        Department,
        verbose_name="责任单位 · departments",
        blank=True,
        related_name="digest_subscriptions",
        help_text="留空即全部单位 · Leave empty for all departments.",
    )
    places_of = models.ForeignKey(
        "goals.Jurisdiction",
        verbose_name="按地区 · by place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="选定地区（如济南市）则每个下辖地区一节，列出各地落后事项；留空则按单位 · "
        "A place (e.g. Jinan) gives one section for it and each of its districts, with what each is "
        "behind on; leave empty for sections by department.",
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(frequency__in=[str(f) for f in Frequency]),
                name="digest_subscription_frequency_valid",
            )
        ]

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
    """One digest for one subscriber and period (a week, or a month of weeks), claimed before the
    email is sent and settled after. The unique constraint makes the claim: a second run (or one at
    the same time) finds it and sends nothing, so each digest is sent at most once. A failure before
    the mail server took the message removes the claim (a retry sends); a failure after it leaves the
    outcome unknown, for staff."""

    State = DeliveryState

    subscription = models.ForeignKey(
        DigestSubscription,
        verbose_name="订阅 · subscription",
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    week_start = models.DateField("起始周一 · period starting (Monday)")
    # Part of the claim: a subscriber who switches from weekly to monthly still gets the month whose
    # first Monday began a week they were sent.
    frequency = models.CharField(
        "频率 · frequency", max_length=10, choices=FREQUENCY_CHOICES, default=Frequency.WEEKLY.value
    )
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
                fields=["subscription", "week_start", "frequency"], name="digest_delivery_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=DeliveryState.values), name="digest_delivery_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.subscription.user} · {self.week_start:%Y-%m-%d} · {self.frequency}"


class FollowerQuerySet(models.QuerySet):
    def following(self):
        """Confirmed (double opt-in) and not unsubscribed."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Follower(models.Model):
    """A citizen following one goal, or one indicator (every goal on it), by email: asked for on its
    public page, active only once the address confirmed it (double opt-in), ended by the one-click
    link in every email. Exactly one of goal and indicator is set (a database constraint)."""

    goal = models.ForeignKey(
        "goals.Goal",
        verbose_name="目标 · goal",
        on_delete=models.CASCADE,
        related_name="followers",
        null=True,
        blank=True,
    )
    indicator = models.ForeignKey(
        "goals.Indicator",
        verbose_name="指标 · indicator",
        on_delete=models.CASCADE,
        related_name="followers",
        null=True,
        blank=True,
    )
    email = models.EmailField("邮箱 · email")
    token = models.CharField(
        "令牌 · token", max_length=64, unique=True, default=new_unsubscribe_token, editable=False
    )
    created_at = models.DateTimeField("申请时间 · asked", default=timezone.now)
    confirmed_at = models.DateTimeField("确认时间 · confirmed", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("退订时间 · unsubscribed", null=True, blank=True)

    objects = FollowerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "邮件订阅（公众） · follower"
        verbose_name_plural = "邮件订阅（公众） · followers"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(goal__isnull=False, indicator__isnull=True)
                | models.Q(goal__isnull=True, indicator__isnull=False),
                name="follower_follows_a_goal_or_an_indicator",
            ),
            models.UniqueConstraint(fields=["goal", "email"], name="goal_follower_once"),
            models.UniqueConstraint(fields=["indicator", "email"], name="indicator_follower_once"),
        ]

    def __str__(self):
        return f"{self.email} · {self.followed}"

    @property
    def followed(self):
        """The goal or the indicator followed."""
        return self.goal if self.goal_id else self.indicator

    @property
    def followed_title(self) -> str:
        return self.goal.title if self.goal_id else self.indicator.name

    @property
    def follows_indicator(self) -> bool:
        return self.indicator_id is not None

    def get_confirm_url(self) -> str:
        return settings.SITE_URL + reverse("digests:follow_confirm", args=[self.token])

    def get_stop_url(self) -> str:
        return settings.SITE_URL + reverse("digests:follow_stop", args=[self.token])


class FollowerNotice(models.Model):
    """One email to a follower (the confirmation request, a status change, a published figure):
    claimed before sending, unique per follower and event, so each goes once."""

    follower = models.ForeignKey(
        Follower, verbose_name="关注者 · follower", on_delete=models.CASCADE, related_name="notices"
    )
    key = models.CharField(
        "事件 · event",
        max_length=100,
        help_text="如 confirm:<token>、status:<id>、figure:<id> · e.g. confirm:<token>, status:<id>",
    )
    created_at = models.DateTimeField("创建时间 · created", default=timezone.now)
    sent_at = models.DateTimeField("发送时间 · sent at", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "订阅通知 · follower notice"
        verbose_name_plural = "订阅通知 · follower notices"
        constraints = [models.UniqueConstraint(fields=["follower", "key"], name="follower_notice_once")]

    def __str__(self):
        return f"{self.follower.email} · {self.key}"
