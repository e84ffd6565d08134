"""Staff forms for progress updates: the admin's review bar and the inline rows on a goal."""

from django import forms
from django.conf import settings
from django.contrib.admin.helpers import ActionForm
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from .models import REVISABLE_FIELDS, Goal, ProgressUpdate

# Documents and pictures an office publishes or scans; OFD is China's standard electronic document.
EVIDENCE_TYPES = (
    ".pdf",
    ".ofd",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".csv",
    ".txt",
)


class GoalAdminForm(forms.ModelForm):
    """A goal in the admin; changing a published goal's target, deadline or unit needs a reason,
    which the public sees beside the change."""

    revision_reason = forms.CharField(
        label="调整原因 · reason for changing the target, deadline or unit",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="已发布目标修改目标值、期限或单位时必填，将公开显示 · "
        "Required when a published goal's target, deadline or unit changes; shown to the public.",
    )

    class Meta:
        model = Goal
        fields = [*REVISABLE_FIELDS]  # the admin adds the rest from its fieldsets

    def clean(self):
        cleaned = super().clean()
        was_published = (
            self.instance.pk
            and Goal.objects.filter(pk=self.instance.pk, review_state=Goal.ReviewState.PUBLISHED).exists()
        )
        revised = [name for name in self.changed_data if name in REVISABLE_FIELDS]
        if was_published and revised and not (cleaned.get("revision_reason") or "").strip():
            self.add_error(
                "revision_reason",
                "修改已发布目标的目标值、期限或单位须说明原因 · "
                "Changing a published goal's target, deadline or unit needs a reason",
            )
        return cleaned


class ProgressUpdateActionForm(ActionForm):
    """The admin action bar, with room for the reason a reviewer returns updates."""

    comment = forms.CharField(
        label="退回原因 · reason (to return)",
        required=False,
        widget=forms.TextInput(attrs={"size": 40, "placeholder": "退回时必填 · required to return"}),
    )


class ProgressUpdateForm(forms.ModelForm):
    """An approved figure is public and has been judged: it is changed only by a new update."""

    class Meta:
        model = ProgressUpdate
        fields = [
            "goal",
            "as_of",
            "value",
            "is_final",
            "published_on",
            "note",
            "evidence_url",
            "evidence_file",
            "is_sample",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff record figures against a goal; figures for a whole indicator come from the city's
        # reported statistics (load_reported_figures).
        if "goal" in self.fields:
            self.fields["goal"].required = True

    def clean_evidence_file(self):
        evidence = self.cleaned_data.get("evidence_file")
        name = getattr(evidence, "name", "") or ""
        if evidence and not name.lower().endswith(EVIDENCE_TYPES):
            kinds = "、".join(t.lstrip(".") for t in EVIDENCE_TYPES)
            raise forms.ValidationError(
                f"佐证文件须为以下格式：{kinds} · The evidence file must be one of: {kinds}"
            )
        if evidence and getattr(evidence, "size", 0) > settings.EVIDENCE_MAX_BYTES:
            limit = filesizeformat(settings.EVIDENCE_MAX_BYTES)
            raise forms.ValidationError(f"佐证文件不能超过{limit} · The evidence file may be at most {limit}")
        return evidence

    def clean(self):
        cleaned = super().clean()
        as_of, published_on = cleaned.get("as_of"), cleaned.get("published_on")
        if published_on and as_of and published_on < as_of:
            self.add_error(
                "published_on",
                "公布日期不能早于数据截至日期 · A figure cannot be published before the end of the period it covers",
            )
        if published_on and published_on > timezone.localdate():
            self.add_error("published_on", "公布日期不能在未来 · The publication day cannot be in the future")
        if (
            self.instance.pk
            and self.instance.review_state == ProgressUpdate.ReviewState.APPROVED
            and self.has_changed()
        ):
            raise forms.ValidationError(
                "已通过审核的进展不能修改，请另行填报 · An approved update cannot be changed; record a new one"
            )
        return cleaned
