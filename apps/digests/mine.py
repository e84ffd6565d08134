"""A staff member's own digest subscription, set from the admin page “我的周报订阅 · My digest
subscription”: whether they get the digest, how often (weekly or monthly), and for which departments
(none = all of the staff member's own; see scope.py)."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from apps.goals.models import Department

from .models import FREQUENCY_CHOICES, DigestSubscription
from .periods import Frequency


def digest_subscription_set(
    *, user, is_active: bool, departments, frequency: str = Frequency.WEEKLY
) -> DigestSubscription:
    """Create or change `user`'s subscription. Turning it on again keeps its unsubscribe token."""
    with transaction.atomic():
        subscription, _ = DigestSubscription.objects.select_for_update().get_or_create(user=user)
        subscription.is_active = is_active
        subscription.frequency = Frequency(frequency)
        subscription.save(update_fields=["is_active", "frequency"])
        subscription.departments.set(departments)
    return subscription


class MySubscriptionForm(forms.Form):
    is_active = forms.BooleanField(label="接收摘要 · Receive the digest", required=False)
    frequency = forms.ChoiceField(
        label="频率 · How often",
        choices=FREQUENCY_CHOICES,
        initial=Frequency.WEEKLY,
        required=False,  # left out: unchanged
        widget=forms.RadioSelect,
    )
    departments = forms.ModelMultipleChoiceField(
        label="责任单位 · Departments",
        queryset=Department.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "只能订阅本人所在的单位；不选即本人所在的全部单位，每个单位一节 · Only your own departments; "
            "none chosen means all of them, one section each."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = self.fields["departments"]
        if user.is_superuser:
            departments.help_text = (
                "不选即全部单位；每个单位一节 · None chosen means all; one section per department."
            )
        else:  # a digest shows figures awaiting review: only of departments the reader belongs to
            departments.queryset = (
                Department.objects.filter(memberships__user=user).distinct().order_by("name")
            )


def my_subscription_page(model_admin, request):
    subscription = DigestSubscription.objects.filter(user=request.user).first()
    if request.method == "POST":
        form = MySubscriptionForm(request.POST, user=request.user)
        if form.is_valid():
            digest_subscription_set(
                user=request.user,
                is_active=form.cleaned_data["is_active"],
                departments=form.cleaned_data["departments"],
                frequency=form.cleaned_data["frequency"]
                or (subscription.frequency if subscription else Frequency.WEEKLY),
            )
            messages.success(request, "周报订阅已保存 · Your digest subscription is saved")
            return redirect(request.path)
    else:
        initial = {"is_active": True, "departments": [], "frequency": Frequency.WEEKLY}
        if subscription is not None:
            initial = {
                "is_active": subscription.is_active,
                "departments": subscription.departments.all(),
                "frequency": subscription.frequency,
            }
        form = MySubscriptionForm(initial=initial, user=request.user)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "我的周报订阅 · My digest subscription",
        "form": form,
        "has_email": bool(request.user.email),
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/digests/my_subscription.html", context)
