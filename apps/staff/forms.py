"""Staff forms for progress updates: the admin's review bar, the inline rows on a goal, and the goal
as staff choose it."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.admin.helpers import ActionForm
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from apps.goals.models import REVISABLE_FIELDS, Goal, ProgressUpdate, as_of_refusal
from apps.goals.services.parts import goal_parent_check
from apps.goals.units import amount_display, far_off, in_unit

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


def goal_choice_label(goal) -> str:
    """A goal as staff pick it from a list: a plan states the same target year after year, so the
    title carries the year it is due and the unit figures are entered in: "算力规模10000P左右 (2026, P)"."""
    details = ", ".join(part for part in (str(goal.deadline.year), (goal.unit or "").strip()) if part)
    return f"{goal.title} ({details})"


class GoalChoiceField(forms.ModelChoiceField):
    """A goal field whose choices read as goal_choice_label, in the admin's autocomplete and its select."""

    def label_from_instance(self, obj):
        return goal_choice_label(obj)


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
        try:
            goal_parent_check(goal=self.instance, parent=cleaned.get("parent"))
        except forms.ValidationError as error:
            self.add_error("parent", error)
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


class GoalPartForm(forms.ModelForm):
    """One part of a goal split by district or department, on the goal's page: its department and
    target; the rest it takes from the goal (services.parts.goal_part_fill). A saved part's target is
    changed on the part's own page, where a published goal's change needs its reason."""

    class Meta:
        model = Goal
        fields = ["lead_department", "target_value", "target_max", "unit", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].required = True
        self.fields["target_value"].required = True
        self.fields["title"].required = False
        self.fields[
            "title"
        ].help_text = "留空则按指标、目标值和单位生成 · Left empty, made from the metric, target and unit."
        if self.instance.pk is not None:
            for name in ("target_value", "target_max", "unit"):
                self.fields[name].disabled = True


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

    # Chinese first, English beside it, on every help text a recorder reads.
    HELP_TEXTS = {
        "as_of": (
            "数据所覆盖期间的最后一天，如上半年填6月30日 · The last day of the period the figure covers."
        ),
        "value": (
            "按目标的单位填写；只有节点类目标可以不填 · In the goal's unit; only a milestone may have none."
        ),
        "is_final": (
            "统计部门公布的正式数据；初步数据不勾选 · "
            "A final official figure; leave unticked for a preliminary one."
        ),
        "evidence_url": "公开的网页或文件链接（http或https） · A public web page or file (http or https).",
        "evidence_file": (
            "没有公开链接时上传扫描件或文件 · Upload a scan or file when there is no public link."
        ),
        "note": "口径、来源等需要说明的情况 · Anything a reader should know: definitions, sources.",
        "published_on": (
            "数据公布之日；不填则为审核通过之日 · "
            "The day the figure became known; empty: the day it is approved."
        ),
        "is_sample": (
            "为演示编造的示例数据，公开时会标明 · A synthetic demo figure, labelled as such in public."
        ),
        "period_start": (
            "数据覆盖期间的第一天（如1—9月填1月1日）；不填则为目标起始日 · "
            "The first day the figure covers; empty: the goal's start."
        ),
        "unit": (
            "数据公布时的单位（如万亿元）；不填即目标的单位 · "
            "The unit the figure was reported in; empty: the goal's unit."
        ),
        "is_estimate": "统计数据公布前的预计数 · Stated as 预计 (expected) before the statistics were out.",
        "quote": "来源中关于该数据的原话 · The source's exact words for the figure.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff record figures against a goal; figures for a whole indicator come from the city's
        # reported statistics (load_reported_figures).
        if "goal" in self.fields:
            self.fields["goal"].required = True
            self._keep_the_recorded_goal(self.fields["goal"])
        if self.initial.get("value") is not None:  # shown 9800, not the stored 9800.0000; still equal
            self.initial["value"] = Decimal(amount_display(self.initial["value"]))
        for name, text in self.HELP_TEXTS.items():
            if name in self.fields:
                self.fields[name].help_text = text

    def _keep_the_recorded_goal(self, field) -> None:
        """A figure already recorded keeps its goal as a valid choice, though the goal may since have
        left the goals open for new figures (its grace period over)."""
        goal_id = self.instance.goal_id
        if goal_id is None or not hasattr(field, "queryset"):
            return
        field.queryset = Goal.objects.filter(Q(pk__in=field.queryset.values("pk")) | Q(pk=goal_id))

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
                "公布日期不能早于数据截至日期 · "
                "A figure cannot be published before the end of the period it covers",
            )
        if published_on and published_on > timezone.localdate():
            self.add_error("published_on", "公布日期不能在未来 · The publication day cannot be in the future")
        self._check_at_save(cleaned)
        if (
            self.instance.pk
            and self.instance.review_state == ProgressUpdate.ReviewState.APPROVED
            and self.has_changed()
        ):
            raise forms.ValidationError(
                "已通过审核的进展不能修改，请另行填报 · "
                "An approved update cannot be changed; record a new one"
            )
        return cleaned

    def _check_at_save(self, cleaned) -> None:
        """What submitting would refuse, said when the figure is saved, not only at submission."""
        if self.instance.pk and self.instance.review_state == ProgressUpdate.ReviewState.APPROVED:
            return
        as_of = cleaned.get("as_of")
        refusal = as_of and as_of_refusal(as_of, today=timezone.localdate())
        if refusal:
            self.add_error("as_of", " · ".join(refusal))
        has_file = cleaned.get("evidence_file")  # an existing file stays unless cleared
        if not (cleaned.get("evidence_url") or has_file or self.instance.source_document_id):
            self.add_error(
                "evidence_url",
                "请提供佐证链接或上传佐证文件 · Give an evidence link or upload an evidence file",
            )


class RecorderProgressUpdateForm(ProgressUpdateForm):
    """The recorder's page: the value is checked against the goal's last approved figure, and one a
    hundred times larger or smaller (亿元 typed for 万亿元) must be confirmed before it is saved."""

    confirm_magnitude = forms.BooleanField(
        label="数值确认无误 · I confirm this value",
        required=False,
        help_text="与上次数值相差百倍以上时须勾选 · Needed when the value is 100 times off the last figure.",
    )

    def clean(self):
        cleaned = super().clean()
        goal, value = cleaned.get("goal"), cleaned.get("value")
        if goal is None or value is None or cleaned.get("confirm_magnitude"):
            return cleaned
        last = (
            ProgressUpdate.objects.approved()
            .filter(goal=goal, value__isnull=False)
            .exclude(pk=self.instance.pk)
            .order_by("-as_of", "-pk")
            .first()
        )
        # Compared in the goal's unit: 1.4 万亿元 stated as such is 14000 亿元, not a slip.
        value_in_goal_unit = in_unit(value, cleaned.get("unit") or goal.unit, goal.unit)
        last_in_goal_unit = in_unit(last.value, last.reported_unit, goal.unit) if last is not None else None
        if (
            value_in_goal_unit is not None
            and last_in_goal_unit is not None
            and far_off(value_in_goal_unit, last_in_goal_unit)
        ):
            self.add_error(
                "value",
                f"与上次审核通过的数值（{amount_display(last.value)} {goal.unit}，"
                f"截至{last.as_of:%Y-%m-%d}）相差百倍以上，"
                f"请核对单位；确认无误请勾选“数值确认无误” · This is 100 times off the last approved figure "
                f"({amount_display(last.value)} {goal.unit} as of {last.as_of:%Y-%m-%d}): "
                "check the unit, or tick "
                "“I confirm this value”.",
            )
        return cleaned
