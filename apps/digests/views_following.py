"""Citizens following a goal or an indicator by email: the form on the goal or indicator page posts
here; the confirmation and the one-click stop links land here. Thin: apps.digests.following does the
work."""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.goals.models import Goal, Indicator

from . import following
from .models import Follower


class FollowForm(forms.Form):
    email = forms.EmailField(max_length=254)


def _follow(request, *, goal=None, indicator=None):
    followed = goal or indicator
    context = {
        "followed": followed,
        "followed_title": goal.title if goal else indicator.name,
        "is_indicator": indicator is not None,
    }
    form = FollowForm(request.POST)
    if not form.is_valid():
        return render(request, "digests/follow_requested.html", {**context, "invalid": True}, status=400)
    following.follow_request(goal=goal, indicator=indicator, email=form.cleaned_data["email"])
    return render(request, "digests/follow_requested.html", context)


# CSRF-exempt: the goal and indicator pages are cached for everyone and carry no token (nor set a
# cookie); a forged request can only ask for a confirmation email, which does nothing until its
# recipient clicks it (double opt-in).
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
    """GET shows a button and changes nothing (mail scanners open links); the POST confirms."""
    follower = _follower(token)
    if request.method == "POST":
        following.follow_confirm(follower=follower)
        follower.refresh_from_db()
    return render(request, "digests/follow_confirm.html", {"follower": follower})


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
