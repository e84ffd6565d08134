"""Staff admin for the weekly digest: subscriptions (with "send this week's digest now") and the
read-only record of what was sent."""

from django.contrib import admin, messages
from django.db.models import Max
from django.utils import timezone

from . import services
from .models import DigestDelivery, DigestSubscription


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "is_active", "scope", "last_week_sent", "created_at"]
    list_filter = ["is_active", "departments"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["departments"]
    readonly_fields = ["unsubscribe_token", "created_at"]
    actions = ["send_digest_now"]

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

    @admin.action(description="立即发送本周的周报 · Send this week's digest now", permissions=["change"])
    def send_digest_now(self, request, queryset):
        """The digest the Monday job sends this week (last full week); one already sent is not sent again."""
        week_start = services.digest_week_start(timezone.localdate())
        sent = already = 0
        deliverable = queryset.deliverable().select_related("user")
        for subscription in deliverable:
            if services.digest_send(subscription=subscription, week_start=week_start):
                sent += 1
            else:
                already += 1
        skipped = queryset.count() - sent - already
        week = f"{week_start:%Y-%m-%d}"
        self.message_user(
            request,
            f"已发送 {sent} 份（{week} 起的一周） · Sent {sent} digests for the week of {week}.",
            messages.SUCCESS,
        )
        if already:
            self.message_user(
                request, f"{already} 份此前已发送 · {already} had already been sent.", messages.INFO
            )
        if skipped:
            self.message_user(
                request,
                f"{skipped} 份未发送：订阅已停用、用户已停用或没有邮箱 · "
                f"{skipped} skipped: subscription or user inactive, or no email address.",
                messages.WARNING,
            )


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    """What was sent, as sent: nothing here can be added, changed or deleted."""

    list_display = ["subscription", "week_start", "sent_at"]
    list_filter = ["week_start"]
    list_select_related = ["subscription__user"]
    search_fields = ["subscription__user__username", "subscription__user__email"]
    date_hierarchy = "week_start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
