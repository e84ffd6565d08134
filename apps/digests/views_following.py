"""Citizens following a goal or an indicator by email: the form on the goal or indicator page posts
here; the confirmation and the one-click stop links land here. Thin: apps.digests.following does the
work."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.goals.models import Goal, Indicator

from . import following
from .models import Follower

FORM_SALT = "digests.follow-form"
# A page is rendered afresh at least daily (its ETag holds the day); its form works this long.
FORM_TOKEN_MAX_AGE = 2 * 24 * 3600


def _followed_key(followed) -> str:
    return f"{'indicator' if isinstance(followed, Indicator) else 'goal'}:{followed.slug}"


def follow_form_token(followed) -> str:
    """The follow form's hidden token: signed, dated, for this goal or indicator only. It stands in
    for a CSRF token, which would need a cookie on pages cached for everyone."""
    return signing.TimestampSigner(salt=FORM_SALT).sign(_followed_key(followed))


def _form_token_valid(request, followed) -> bool:
    try:
        signed = signing.TimestampSigner(salt=FORM_SALT).unsign(
            request.POST.get("form_token", ""), max_age=FORM_TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        return False
    return signed == _followed_key(followed)


def _from_another_site(request) -> bool:
    """A browser names the page a POST came from (Origin); one from another site is refused."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin == "null"
    allowed = {request.build_absolute_uri("/").rstrip("/"), settings.SITE_URL}
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" not in allowed


def client_address(request) -> str:
    """The asker's IP address: the connection's, or, behind a trusted proxy, the one it appended last."""
    if settings.TRUST_PROXY_HEADERS:
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


class FollowForm(forms.Form):
    email = forms.EmailField(max_length=254)


def _follow(request, *, goal=None, indicator=None):
    followed = goal or indicator
    context = {
        "followed": followed,
        "followed_title": goal.title if goal else indicator.name,
        "is_indicator": indicator is not None,
    }
    if _from_another_site(request) or not _form_token_valid(request, followed):
        return render(request, "digests/follow_requested.html", {**context, "stale_form": True}, status=400)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return render(request, "digests/follow_requested.html", {**context, "invalid": True}, status=400)
    try:
        following.follow_request(
            goal=goal, indicator=indicator, email=form.cleaned_data["email"], client=client_address(request)
        )
    except following.FollowLimited:
        return render(request, "digests/follow_requested.html", {**context, "limited": True}, status=429)
    return render(request, "digests/follow_requested.html", context)


# Exempt from Django's CSRF check, which needs a cookie, while the goal and indicator pages are cached
# for everyone and set none: the form carries a signed token instead, a POST from another site's page
# is refused, and requests are limited per client and confirmation emails per address.
@csrf_exempt
@never_cache
@require_POST
def follow(request, slug):
    return _follow(request, goal=get_object_or_404(Goal.objects.public(), slug=slug))


@csrf_exempt
@never_cache
@require_POST
def follow_indicator(request, slug):
    """Only an indicator with a published goal has a public page, and so can be followed."""
    published = Indicator.objects.filter(goals__review_state=Goal.ReviewState.PUBLISHED).distinct()
    return _follow(request, indicator=get_object_or_404(published, slug=slug))


def _follower(token):
    return get_object_or_404(Follower.objects.select_related("goal", "indicator"), token=token)


# CSRF-exempt, so that a citizen gets no cookie here either: the token in the link is the credential,
# which a forging site does not know.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    """GET shows a button and changes nothing (mail scanners open links); the POST confirms. The
    page lists everything the address asked to follow and has not confirmed; the button confirms
    what it listed."""
    follower = _follower(token)
    if request.method == "POST":
        listed = [int(pk) for pk in request.POST.getlist("also") if pk.isdigit() and len(pk) < 12]
        following.follow_confirm(follower=follower, also=listed)
        follower.refresh_from_db()
    pending = following.follow_pending(follower=follower) if follower.confirmed_at is None else []
    return render(request, "digests/follow_confirm.html", {"follower": follower, "pending": pending})


# CSRF-exempt for mail clients' one-click unsubscribe (RFC 8058); the token is the only credential.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def follow_stop(request, token):
    follower = _follower(token)
    if request.method == "POST":
        following.follow_stop(follower=follower)
        follower.refresh_from_db()
    return render(request, "digests/follow_stop.html", {"follower": follower})
