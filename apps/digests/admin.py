"""Staff admin for the weekly digest: subscriptions (with "send this week's digest now") and the
read-only record of what was sent; for superusers, the citizens following goals and indicators."""

from django.contrib import admin, messages
from django.db.models import Max
from django.urls import path
from django.utils import timezone

from apps.goals.delivery import DeliveryFailed

from . import services
from .full_list import full_list_page
from .mine import my_subscription_page
from .models import STALE_CLAIM, DigestDelivery, DigestSubscription, Follower
from .periods import last_period
from .scope import subscription_scope


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "is_active", "frequency", "scope", "last_week_sent", "created_at"]
    list_filter = ["is_active", "frequency", "departments"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["departments"]
    readonly_fields = ["unsubscribe_token", "created_at"]
    actions = ["send_digest_now"]

    def get_urls(self):
        # Any staff member sets their own subscription here, whatever their model permissions.
        mine = self.admin_site.admin_view(lambda request: my_subscription_page(self, request))
        full = self.admin_site.admin_view(lambda request: full_list_page(self, request))
        return [
            path("mine/", mine, name="digests_digestsubscription_mine"),
            path("full/", full, name="digests_digestsubscription_full_list"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .prefetch_related("departments")
            .annotate(last_week=Max("deliveries__week_start"))
        )

    @admin.display(description="邮箱 · email", ordering="user__email")
    def email(self, subscription):
        return subscription.user.email or "—"

    @admin.display(description="范围 · scope")
    def scope(self, subscription):
        names = [department.name for department in subscription.departments.all()]
        return "、".join(names) if names else "全部单位 · all departments"

    @admin.display(description="最近发送（周一） · last week sent", ordering="last_week")
    def last_week_sent(self, subscription):
        return subscription.last_week or "—"

    @admin.action(description="立即发送本期的周报 · Send this period's digest now", permissions=["change"])
    def send_digest_now(self, request, queryset):
        """The digest the Monday job would send each subscriber now (their last week, or month, by
        their frequency); one already sent is not sent again."""
        today = timezone.localdate()
        sent = already = unknown = failed = 0
        deliverable = queryset.deliverable().select_related("user").prefetch_related(*services.SCOPE_LOOKUPS)
        for subscription in deliverable:
            if subscription_scope(subscription) is None:
                continue  # its reader belongs to none of its departments: counted as skipped
            try:
                if services.digest_send(subscription=subscription, today=today):
                    sent += 1
                elif self._outcome_unknown(subscription, today):
                    unknown += 1
                else:
                    already += 1
            except DeliveryFailed as error:
                failed += 1
                self.message_user(
                    request,
                    f"{subscription.user} 的周报未发送，可稍后重试：{error} · "
                    f"The digest of {subscription.user} was not sent; try again later: {error}",
                    messages.ERROR,
                )
        skipped = queryset.count() - sent - already - unknown - failed
        week = f"{services.digest_week_start(today):%Y-%m-%d}"
        self.message_user(
            request,
            f"已发送 {sent} 份（周报为 {week} 起的一周） · Sent {sent} digests "
            f"(weekly ones for the week of {week}).",
            messages.SUCCESS,
        )
        if already:
            self.message_user(
                request, f"{already} 份此前已发送 · {already} had already been sent.", messages.INFO
            )
        if unknown:
            self.message_user(
                request,
                f"{unknown} 份结果未知（邮件服务器未确认），不会自动重发，见周报发送记录 · "
                f"{unknown} with an unknown outcome (the mail server never confirmed); they are not "
                "sent again automatically, see the digest deliveries.",
                messages.WARNING,
            )
        if skipped:
            self.message_user(
                request,
                f"{skipped} 份未发送：订阅已停用、用户已停用、没有邮箱或不属于所订单位 · "
                f"{skipped} skipped: subscription or user inactive, no email address, or the user belongs "
                "to none of the departments.",
                messages.WARNING,
            )

    @staticmethod
    def _outcome_unknown(subscription, today) -> bool:
        period = last_period(subscription.frequency, today)
        return (
            DigestDelivery.objects.outcome_unknown()
            .filter(subscription=subscription, week_start=period.start, frequency=period.frequency)
            .exists()
        )


class OutcomeFilter(admin.SimpleListFilter):
    title = "结果 · outcome"
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [("sent", "已发送 · sent"), ("unknown", "结果未知 · outcome unknown")]

    def queryset(self, request, queryset):
        if self.value() == "sent":
            return queryset.filter(state=DigestDelivery.State.SENT)
        if self.value() == "unknown":
            return queryset.outcome_unknown()
        return queryset


class ReadOnly:
    """A ModelAdmin mixin: a record kept as it happened; nothing is added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(ReadOnly, admin.ModelAdmin):
    """What was sent, as sent: nothing here can be added, changed or deleted. Deliveries whose outcome
    is unknown (the mail server took the message but never confirmed it, or a run died while sending)
    are listed under the filter "结果未知 · outcome unknown": the job never sends them again."""

    list_display = ["subscription", "week_start", "frequency", "outcome", "claimed_at", "sent_at", "error"]
    list_filter = [OutcomeFilter, "frequency", "week_start"]
    list_select_related = ["subscription__user"]
    search_fields = ["subscription__user__username", "subscription__user__email"]
    date_hierarchy = "week_start"

    @admin.display(description="结果 · outcome", ordering="state")
    def outcome(self, delivery):
        if (
            delivery.state == DigestDelivery.State.SENDING
            and delivery.claimed_at < timezone.now() - STALE_CLAIM
        ):
            return DigestDelivery.State.UNKNOWN.label
        return delivery.get_state_display()


class FollowerStateFilter(admin.SimpleListFilter):
    title = "状态 · state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("following", "关注中 · following"),
            ("unconfirmed", "未确认 · not confirmed"),
            ("stopped", "已退订 · stopped"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "following":
            return queryset.following()
        if self.value() == "unconfirmed":
            return queryset.filter(confirmed_at__isnull=True, unsubscribed_at__isnull=True)
        if self.value() == "stopped":
            return queryset.filter(unsubscribed_at__isnull=False)
        return queryset


@admin.register(Follower)
class FollowerAdmin(ReadOnly, admin.ModelAdmin):
    """Citizens following goals and indicators by email: their addresses are personal data, so only
    superusers see them, to answer a citizen who asks (say, by telephone) to stop the emails. Nothing
    is added or edited here; a citizen follows and confirms on the public pages."""

    list_display = ["email", "goal", "indicator", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = [FollowerStateFilter]
    list_select_related = ["goal", "indicator"]
    search_fields = ["email"]
    fields = list_display
    readonly_fields = list_display
    actions = ["stop_emails"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    @admin.action(description="停止发送邮件（退订） · Stop the emails (unsubscribe)")
    def stop_emails(self, request, queryset):
        stopped = queryset.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())
        self.message_user(request, f"已退订 {stopped} 个 · {stopped} stopped", messages.SUCCESS)
