"""The admin side of the one review workflow (apps.goals.services.review), for every reviewed model:
the Approve and Return buttons of the change page (templates/admin/staff/review_buttons.html), what
each step says when it is done or refused, where the page goes next, and the save messages that
state the review state (SaveSaysState)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect

from apps.goals.names import person_name

from .admin_messages import SaveSaysState


def error_text(error: ValidationError | PermissionDenied) -> str:
    """A refusal of the review service as one line for a message."""
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class ReviewAdmin(SaveSaysState):
    """A ModelAdmin mixin for a reviewed model. A subclass names the service calls (`review_approve`,
    `review_return`), what each says when done (`review_done`), where the page goes after a step
    (`review_next_url`) and what else its page shows (`review_context`); `changeform_view` answers
    the buttons before anything else."""

    # What a step says when it is done, by the button's step: "approved", "returned" (and any other
    # step a subclass adds, e.g. "submitted").
    review_done: dict[str, str] = {}

    # How the bulk actions count what they did: "3条进展已通过审核 · 3 updates approved".
    review_nouns: tuple[str, str] = ("条", "items")

    # People by name (王丽), not by login: the admin shows these instead of recorded_by, reviewed_by.
    @admin.display(description="填报人 · recorded by", ordering="recorded_by__last_name")
    def recorder_name(self, item) -> str:
        return person_name(item.recorded_by)

    @admin.display(description="审核人 · reviewed by", ordering="reviewed_by__last_name")
    def reviewer_name(self, item) -> str:
        return person_name(item.reviewed_by)

    def review_approve(self, request, item) -> None:
        raise NotImplementedError

    def review_return(self, request, item, comment: str) -> None:
        raise NotImplementedError

    def review_next_url(self, request) -> str:
        raise NotImplementedError

    def review_buttons(self, request, item):
        """The response to a posted Approve or Return button on `item`'s page; None if neither."""
        if request.method != "POST" or item is None:
            return None
        if "_approve" in request.POST:
            return self.review_step(request, lambda: self.review_approve(request, item), "approved")
        if "_return" in request.POST:
            comment = request.POST.get("return_reason", "")
            return self.review_step(request, lambda: self.review_return(request, item, comment), "returned")
        return None

    def review_step(self, request, call, step: str):
        """Take one step through the service: done, say so and go on; refused, say why and stay."""
        try:
            call()
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, error_text(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(request, self.review_done[step], messages.SUCCESS)
        return HttpResponseRedirect(self.review_next_url(request))

    def review_each(self, request, queryset, apply, done_zh: str, done_en: str) -> None:
        """A bulk action: one service call for each selected item, each refusal said with its item."""
        related = self.list_select_related if isinstance(self.list_select_related, (list, tuple)) else ()
        done = 0
        for item in queryset.select_related(*related):
            try:
                apply(item)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{item}: {error_text(error)}", messages.ERROR)
            else:
                done += 1
        if done:
            noun_zh, noun_en = self.review_nouns
            self.message_user(
                request, f"{done}{noun_zh}{done_zh} · {done} {noun_en} {done_en}", messages.SUCCESS
            )

    def review_context(self, request, item) -> dict:
        """What the change page of `item` (None: a new one) shows besides the form, e.g. which
        buttons it offers (may_review)."""
        return {}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        item = self.get_object(request, object_id) if object_id else None
        answered = self.review_buttons(request, item)
        if answered is not None:
            return answered
        extra_context = {**(extra_context or {}), **self.review_context(request, item)}
        return super().changeform_view(request, object_id, form_url, extra_context)
