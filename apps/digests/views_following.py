"""Citizens following a goal by email: the form on the goal page posts here; the confirmation and the
one-click stop links land here. Thin: apps.digests.following does the work."""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.goals.models import Goal

from . import following
from .models import GoalFollower


class FollowForm(forms.Form):
    email = forms.EmailField(max_length=254)


# CSRF-exempt: the goal page is cached for everyone and carries no token; a forged request can only ask
# for a confirmation email, which does nothing until its recipient clicks it (double opt-in).
@csrf_exempt
@never_cache
@require_POST
def follow(request, slug):
    goal = get_object_or_404(Goal.objects.public(), slug=slug)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return render(request, "digests/follow_requested.html", {"goal": goal, "invalid": True}, status=400)
    following.goal_follow_request(goal=goal, email=form.cleaned_data["email"])
    return render(request, "digests/follow_requested.html", {"goal": goal})


@never_cache
@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    """GET shows a button and changes nothing (mail scanners open links); the POST confirms."""
    follower = get_object_or_404(GoalFollower.objects.select_related("goal"), token=token)
    if request.method == "POST":
        following.goal_follow_confirm(follower=follower)
        follower.refresh_from_db()
    return render(request, "digests/follow_confirm.html", {"follower": follower})


# CSRF-exempt for mail clients' one-click unsubscribe (RFC 8058); the token is the only credential.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def follow_stop(request, token):
    follower = get_object_or_404(GoalFollower.objects.select_related("goal"), token=token)
    if request.method == "POST":
        following.goal_follow_stop(follower=follower)
        follower.refresh_from_db()
    return render(request, "digests/follow_stop.html", {"follower": follower})
