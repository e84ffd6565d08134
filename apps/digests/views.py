"""The unsubscribe link of the weekly digest: a confirmation page, and the POST that stops the digest."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services
from .models import DigestSubscription


# CSRF-exempt because mail clients' one-click unsubscribe (RFC 8058) POSTs here with no token or cookie.
# The secret token in the URL is the only credential; no session is read, so a forged request could do
# nothing the token's holder could not do anyway.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscription = get_object_or_404(DigestSubscription, unsubscribe_token=token)
    if request.method == "POST":
        services.digest_subscription_deactivate(subscription=subscription)
    return render(request, "digests/unsubscribe.html", {"subscription": subscription})
