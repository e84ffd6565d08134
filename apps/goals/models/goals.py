"""Goals: one quantitative target or dated milestone each, and where it was stated (citations)."""

import hashlib
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import translation
from simple_history.models import HistoricalRecords

from ..english import target_en
from ..querysets import GoalQuerySet
from ..status import (
    COMPARATOR_LABELS,
    COMPARATOR_SYMBOLS,
    KIND_LABELS,
    Comparator,
    Kind,
    ProgressFacts,
    Status,
    Thresholds,
    bilingual_label,
)
from ..units import plain_decimal, unit_magnitude
from ..verdicts import COMPUTED_FIELDS, goal_thresholds
from .common import STATUS_CHOICES, bilingual, unique_slug
from .places import Jurisdiction, home_place_pk
from .reference import Category, Department, Document, Indicator, Plan

# Model choices made from the vocabulary of the status rules (status.Kind, status.Comparator), so a
# kind or comparator is defined once.
GoalKind = models.TextChoices(
    "GoalKind", [(k.name, (k.value, bilingual_label(KIND_LABELS[k]))) for k in Kind]
)
GoalComparator = models.TextChoices(
    "GoalComparator", [(c.name, (c.value, bilingual_label(COMPARATOR_LABELS[c]))) for c in Comparator]
)


class LeadSource(models.TextChoices):
    """Where a goal's lead department came from, so staff know which ones to confirm."""

    STAFF = "staff", "工作人员确认 · confirmed by staff"
    CURATED = "curated", "人工整理 · staff curation"
    DOCUMENT = "document", "文件写明 · named in the document"
    PLAN = "plan", "规划主管单位 · the plan's owner"
    ROUTING = "routing", "指标归口 · routed by indicator"
    GOVERNMENT = "government", "市政府（未细分）· the city government, not yet routed"
    PLACE = "place", "所在地区政府（未细分）· the place's government office, not yet routed"


class BaselineSource(models.TextChoices):
    """Where a goal's baseline (基期值) came from, in the order services.baselines looks for it."""

    DOCUMENT = "document", "文件所述 · stated in the document"
    INDICATOR = "indicator", "指标公布数据 · the indicator's reported figure"
    STAFF = "staff", "工作人员录入（附佐证） · entered by staff, with evidence"


class GoalReviewState(models.TextChoices):
    PENDING = "pending", "待审核 · pending review"
    PUBLISHED = "published", "已发布 · published"
    REJECTED = "rejected", "已驳回 · rejected"


class Goal(models.Model):
    """One quantitative target (or dated milestone) the government committed to."""

    Kind = GoalKind

    Comparator = GoalComparator

    ReviewState = GoalReviewState

    slug = models.SlugField(
        "网址标识 · slug",
        max_length=120,
        unique=True,
        blank=True,
        help_text="目标的网址标识；留空则按截止年份和标题生成 · "
        "The goal's web address; left empty, one is made from the deadline year and the title.",
    )
    title = models.CharField("标题 · title (Chinese)", max_length=300)
    title_en = models.CharField("英文标题 · title (English)", max_length=300, blank=True)
    metric = models.CharField("指标 · metric", max_length=200)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="指标序列 · indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goals",
        help_text="同一指标的历年目标和公布数据 · "
        "The same indicator across years: its other targets and its figures.",
    )
    kind = models.CharField("类型 · kind", max_length=20, choices=Kind.choices)
    comparator = models.CharField("比较 · comparator", max_length=2, choices=Comparator.choices, default=">=")
    target_value = models.DecimalField(
        "目标值 · target", max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_max = models.DecimalField(
        "目标上限 · upper value (ranges)", max_digits=20, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField("单位 · unit as written", max_length=30, blank=True)
    unit_magnitude = models.DecimalField(
        "单位量级 · unit magnitude",
        max_digits=20,
        decimal_places=0,
        default=Decimal(1),
        help_text="万 = 10000，亿 = 100000000；保持1时按单位自动填写 · Filled from the unit when left at 1.",
    )
    baseline_value = models.DecimalField(
        "基期值 · baseline", max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField("基期日期 · baseline date", null=True, blank=True)
    baseline_source = models.CharField(
        "基期值来源 · baseline from",
        max_length=20,
        choices=BaselineSource.choices,
        blank=True,
        help_text="工作人员录入基期值时选“工作人员录入”并在下面写明佐证 · "
        "When staff enter a baseline, choose 'entered by staff' and give the evidence below.",
    )
    baseline_figure = models.ForeignKey(
        "ProgressUpdate",
        verbose_name="基期值所据数据 · baseline figure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="baseline_of",
    )
    baseline_evidence = models.TextField(
        "基期值佐证 · baseline evidence",
        blank=True,
        help_text="文件原文，或工作人员所据的原文与网址 · The document's words, or the source and page "
        "staff took the baseline from.",
    )
    period_start = models.DateField("起始日期 · period start")
    deadline = models.DateField("截止日期 · deadline")
    lead_department = models.ForeignKey(
        Department,
        verbose_name="牵头单位 · lead department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_goals",
    )
    lead_department_source = models.CharField(
        "牵头单位来源 · lead department from",
        max_length=20,
        choices=LeadSource.choices,
        blank=True,
        help_text="工作人员选定或确认牵头单位时设为“工作人员确认” · "
        "Set to 'confirmed by staff' when staff choose or confirm the lead department.",
    )
    supporting_departments = models.ManyToManyField(
        Department,
        verbose_name="配合单位 · supporting departments",
        blank=True,
        related_name="supported_goals",
    )
    category = models.ForeignKey(
        Category,
        verbose_name="工作领域 · category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name="规划 · plan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
    )
    place = models.ForeignKey(
        Jurisdiction,
        verbose_name="地区 · place",
        on_delete=models.PROTECT,
        default=home_place_pk,
        related_name="goals",
        help_text="目标所属地区，须与其规划、指标所属地区一致 · "
        "The place whose target this is; its plan and indicator must be of the same place.",
    )
    # A part of the parent goal, split by district or department (services.parts, rollup.py).
    parent = models.ForeignKey(
        "self",
        verbose_name="上级目标 · parent goal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    review_state = models.CharField(
        "审核状态 · review", max_length=20, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    is_headline = models.BooleanField("重点目标 · headline goal", default=False)
    headline_order = models.PositiveSmallIntegerField("重点排序 · headline order", default=100)
    extraction_confidence = models.DecimalField(
        "提取置信度 · extraction confidence", max_digits=4, decimal_places=3, null=True, blank=True
    )
    milestone_done_on = models.DateField("完成日期 · milestone done on", null=True, blank=True)
    review_note = models.TextField(
        "审核说明 · review note",
        blank=True,
        help_text="发布、暂缓或驳回的理由（如数字疑似有误） · "
        "Why staff published, held or rejected this goal (e.g. a figure that looks misprinted).",
    )

    # Per-goal overrides of the project-wide status thresholds (settings.GOAL_*).
    at_risk_band = models.DecimalField(
        "黄灯区间 · at-risk band (points)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    tolerance = models.DecimalField(
        "容差 · tolerance (points)", max_digits=8, decimal_places=4, null=True, blank=True
    )
    stale_after_days = models.PositiveIntegerField(
        "报送周期 · reporting cadence (days)", null=True, blank=True
    )

    # Filled by the status evaluation (apps.goals.services.goal_evaluate); never edited by hand.
    status = models.CharField(
        "状态 · status", max_length=20, choices=STATUS_CHOICES, default=Status.NOT_STARTED, editable=False
    )
    status_evaluated_on = models.DateField("评估日期 · evaluated on", null=True, blank=True, editable=False)
    status_rule_version = models.CharField(
        "规则版本 · rule version", max_length=20, blank=True, editable=False
    )
    expected_value = models.DecimalField(
        "序时进度应达值 · expected to date",
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
    )
    progress_percent = models.DecimalField(
        "完成比例 · progress %", max_digits=9, decimal_places=2, null=True, blank=True, editable=False
    )
    # The baseline the verdict used: the one given, 0 for an increment, or a level's figure from before
    # the period start (then dated). Read through Goal.progress_facts.
    status_baseline = models.DecimalField(
        "评估所用基期值 · baseline used",
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
    )
    status_baseline_as_of = models.DateField(
        "基期数据截至 · baseline figure as of", null=True, blank=True, editable=False
    )
    status_explanation_zh = models.TextField("状态说明 · explanation (zh)", blank=True, editable=False)
    status_explanation_en = models.TextField("状态说明 · explanation (en)", blank=True, editable=False)
    forecast_date = models.DateField("预计完成 · forecast", null=True, blank=True, editable=False)
    forecast_value = models.DecimalField(
        "期末预计值 · forecast at the deadline",
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
    )
    latest_value = models.DecimalField(
        "最新值 · latest value", max_digits=20, decimal_places=4, null=True, blank=True, editable=False
    )
    latest_as_of = models.DateField("最新数据截至 · latest as of", null=True, blank=True, editable=False)
    latest_is_provisional = models.BooleanField(
        "最新数据为初步数据 · latest figure provisional", default=False, editable=False
    )
    is_sample = models.BooleanField(
        "示例数据 · rests on sample data",
        default=False,
        editable=False,
        help_text="状态依据的是示例数据 · The status rests on a synthetic demo figure.",
    )
    # Set in the transaction that approves or corrects a figure, cleared by the evaluation that then
    # judges the goal: a re-evaluation is owed even if the broker lost or never got the task.
    evaluation_requested_at = models.DateTimeField(
        "待重新评估 · evaluation requested", null=True, blank=True, editable=False
    )

    created_at = models.DateTimeField("创建时间 · created", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间 · updated", auto_now=True)

    history = HistoricalRecords(
        # The evaluation's fields change daily and are kept in StatusChange; the history is of what
        # staff and ingest wrote.
        excluded_fields=[*COMPUTED_FIELDS, "evaluation_requested_at", "updated_at"]
    )
    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "目标 · goal"
        verbose_name_plural = "目标 · goals"
        indexes = [
            models.Index(fields=["review_state", "status"]),
            models.Index(fields=["deadline"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=GoalKind.values), name="goal_kind_valid"),
            models.CheckConstraint(
                condition=Q(comparator__in=GoalComparator.values), name="goal_comparator_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_state__in=GoalReviewState.values), name="goal_review_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="goal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_max__isnull=True)
                | Q(target_value__isnull=False, target_max__gte=F("target_value")),
                name="goal_target_max_not_below_target",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("period_start")), name="goal_deadline_after_start"
            ),
            models.CheckConstraint(condition=Q(unit_magnitude__gt=0), name="goal_unit_magnitude_positive"),
            models.CheckConstraint(
                condition=Q(tolerance__isnull=True) | Q(tolerance__gte=0), name="goal_tolerance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(at_risk_band__isnull=True) | Q(at_risk_band__gte=0, at_risk_band__lte=100),
                name="goal_at_risk_band_is_percentage",
            ),
            models.CheckConstraint(
                condition=Q(kind="milestone") | Q(target_value__isnull=False) | ~Q(review_state="published"),
                name="goal_published_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(kind="milestone") | Q(target_value__isnull=True),
                name="goal_milestone_has_no_target",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")), name="goal_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.unit_magnitude in (None, Decimal(1)):
            self.unit_magnitude = unit_magnitude(self.unit)
        if not self.slug:
            digest = hashlib.sha1(f"{self.title}|{self.unit}".encode()).hexdigest()[:8]
            self.slug = unique_slug(Goal, f"{self.deadline.year}-{digest}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("public:goal_detail", args=[self.slug])

    def clean(self):
        super().clean()
        errors = {}
        for name in ("plan", "indicator"):
            other = getattr(self, name)
            if other is not None and self.place_id is not None and other.place_id != self.place_id:
                errors[name] = (
                    f"须属于目标所在地区（{self.place}），它属于{other.place} · "
                    f"Must be of the goal's place ({self.place}); it is of {other.place}."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self):
        return bilingual(self.title, self.title_en)

    @property
    def status_explanation(self):
        return bilingual(self.status_explanation_zh, self.status_explanation_en)

    @property
    def is_published(self):
        return self.review_state == self.ReviewState.PUBLISHED

    def part_labels(self) -> tuple[str, str]:
        """What names this goal as a part of its parent (a goal split by district or department), in
        Chinese and English: its place where that is not the parent's (历城区), else its lead
        department, else its title. The parts read from their parent have it cached."""
        if self.parent is not None and self.place_id != self.parent.place_id:
            return self.place.name, self.place.name_en
        if self.lead_department_id is not None:
            return self.lead_department.name, self.lead_department.name_en
        return self.title, self.title_en

    @property
    def part_label(self) -> str:
        """part_labels in the reader's language."""
        return bilingual(*self.part_labels())

    def thresholds(self) -> Thresholds:
        """The thresholds the status rules judge this goal by: its own where set, else the site's."""
        return goal_thresholds(self)

    @property
    def progress_facts(self) -> ProgressFacts:
        """序时进度, the percentage and the baseline of the stored verdict, as status.progress_facts
        built them: what the page, its chart, the API, exports and emails show, never worked out
        again. A baseline given with its date carries that date."""
        baseline_as_of = self.status_baseline_as_of
        if baseline_as_of is None and self.status_baseline is not None and self.baseline_value is not None:
            baseline_as_of = self.baseline_date
        expected_on = None
        if self.expected_value is not None:
            expected_on = self.latest_as_of or self.status_evaluated_on
        return ProgressFacts(
            baseline=self.status_baseline,
            baseline_as_of=baseline_as_of,
            expected_value=self.expected_value,
            expected_on=expected_on,
            progress_percent=self.progress_percent,
        )

    @property
    def is_milestone(self):
        return self.kind == self.Kind.MILESTONE

    @property
    def display_target(self):
        """The target in the reader's language: '≥ 1700 亿元' or '170 billion yuan or more'."""
        language = translation.get_language() or ""
        if language.startswith("en") and self.target_value is not None:
            return target_en(
                comparator=self.comparator, value=self.target_value, value_max=self.target_max, unit=self.unit
            )
        return self.target_display()

    def target_display(self):
        """The target as a reader would say it: ≥ 5.5 %, 2～3 个, 7000 个."""
        if self.target_value is None:
            return "—"
        value = plain_decimal(self.target_value)
        if self.target_max is not None:
            return f"{value}～{plain_decimal(self.target_max)} {self.unit}".strip()
        symbol = COMPARATOR_SYMBOLS[Comparator(self.comparator)]
        return f"{symbol} {value} {self.unit}".strip()


class Citation(models.Model):
    """Where a goal was stated: the exact quote and its character offsets in a document."""

    goal = models.ForeignKey(
        Goal, verbose_name="目标 · goal", on_delete=models.CASCADE, related_name="citations"
    )
    document = models.ForeignKey(
        Document, verbose_name="文件 · document", on_delete=models.PROTECT, related_name="citations"
    )
    start = models.PositiveIntegerField("起点 · start offset")
    end = models.PositiveIntegerField("终点 · end offset")
    quote = models.TextField("原文 · exact quote")
    metric = models.CharField("指标 · metric as extracted", max_length=200, blank=True)
    value = models.DecimalField(
        "数值 · value as extracted", max_digits=20, decimal_places=4, null=True, blank=True
    )
    value_max = models.DecimalField(
        "上限 · upper value", max_digits=20, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField("单位 · unit as written", max_length=30, blank=True)
    deadline = models.DateField("截止日期 · deadline as extracted", null=True, blank=True)
    confidence = models.DecimalField(
        "置信度 · confidence", max_digits=4, decimal_places=3, null=True, blank=True
    )
    incomplete = models.BooleanField("数据缺失 · figure missing in source", default=False)
    match_key = models.CharField(
        "匹配键 · match key",
        max_length=300,
        blank=True,
        db_index=True,
        help_text="重新导入时据此找回该目标，合并时随出处转移 · What re-ingest uses to find this goal again; "
        "it moves with the citation on merge.",
    )
    created_at = models.DateTimeField("创建时间 · created", auto_now_add=True)

    class Meta:
        ordering = ["document_id", "start"]
        verbose_name = "出处 · citation"
        verbose_name_plural = "出处 · citations"
        constraints = [
            models.UniqueConstraint(fields=["goal", "document", "start", "end"], name="citation_unique_span"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="citation_end_after_start"),
            models.CheckConstraint(
                condition=Q(quote__length=F("end") - F("start")), name="citation_quote_matches_offsets"
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=1),
                name="citation_confidence_in_unit_interval",
            ),
            # That `end` falls inside the document is checked by a database trigger (migration 0002).
        ]

    def __str__(self):
        return f"{self.document} [{self.start}:{self.end}]"

    def sentence(self, limit: int = 80) -> tuple[str, str, str]:
        """The sentence around the quote as (before, quote, after), at most `limit` characters each
        side, with the line breaks of newspaper columns taken out."""
        text = self.document.text
        head_from = max(0, self.start - limit)
        parts = SENTENCE_BREAK.split(text[head_from : self.start])
        before = parts[-1]
        if len(parts) == 1 and head_from > 0:
            before = "…" + before
        tail = text[self.end : self.end + limit]
        found = SENTENCE_BREAK.search(tail)
        after = tail[: found.end()] if found else tail + ("…" if self.end + limit < len(text) else "")
        return _unwrap(before), self.quote, _unwrap(after)


# Where a sentence ends: its closing punctuation, or a blank line (a headline, a new paragraph).
SENTENCE_BREAK = re.compile(r"(?<=[。！？；!?;])|\n\s*\n")


def _unwrap(text: str) -> str:
    return "".join(text.split())
