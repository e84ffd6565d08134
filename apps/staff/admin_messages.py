"""Save messages that say where a reviewed thing stands. Django's own “成功添加了… · was added
successfully” reads as if a figure were done while it is still a draft; admins of figures and
explanations replace it, on every save button, with their `saved_message`."""

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR

# What each save button adds to the state: where the page goes next.
NEXT_STEP = {
    "_continue": "可在下方继续编辑 · you may edit it below",
    "_addanother": "可在下方填报下一条 · you may enter the next one below",
}


class SaveSaysState:
    """A ModelAdmin mixin: each save says the object's review state (`saved_message(obj)`, a
    (Chinese · English text, message level) pair) instead of Django's success message."""

    def saved_message(self, obj) -> tuple[str, int]:
        raise NotImplementedError

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS and getattr(request, "_saying_state", False):
            return  # Django's own “added/changed successfully”, replaced below
        super().message_user(request, message, level, *args, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        return self._saying_state(request, obj, super().response_add, request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._saying_state(request, obj, super().response_change, request, obj)

    def _saying_state(self, request, obj, respond, *args):
        request._saying_state = True
        try:
            response = respond(*args)
        finally:
            request._saying_state = False
        if IS_POPUP_VAR not in request.POST:
            text, level = self.saved_message(obj)
            step = next((words for button, words in NEXT_STEP.items() if button in request.POST), "")
            if step:
                zh, en = text.split(" · ", 1)
                step_zh, step_en = step.split(" · ", 1)
                text = f"{zh}；{step_zh} · {en}; {step_en}"
            self.message_user(request, text, level)
        return response
