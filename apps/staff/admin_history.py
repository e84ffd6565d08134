"""django-simple-history's pages in the staff admin: read-only, and only for objects in scope."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's pages, read-only and in scope: the list of versions and each old
    version are shown only for an object this admin's queryset holds for the user, and an old
    version is never saved back (its page would otherwise save a POST after checking only *view*
    permission). To undo a change, edit the object itself."""

    def revert_disabled(self, request, obj=None):
        return True

    def _in_scope_or_404(self, request, object_id):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
