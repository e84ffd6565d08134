"""Staff forms for progress updates: the admin's review bar and the inline rows on a goal."""

from django import forms
from django.conf import settings
from django.contrib.admin.helpers import ActionForm
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from .models import ProgressUpdate

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
