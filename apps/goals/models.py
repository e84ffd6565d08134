"""The domain: plans and their source documents, the goals extracted from them, where each goal
was stated (citations), the progress staff record against it, and the history of its status."""

import hashlib
import re
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from .english import target_en
from .querysets import GoalExplanationQuerySet, GoalQuerySet, ProgressUpdateQuerySet, StatusChangeQuerySet
from .status import (
    COMPARATOR_LABELS,
    COMPARATOR_SYMBOLS,
    KIND_LABELS,
    STATUS_LABELS,
    Comparator,
    Kind,
    Status,
    bilingual_label,
)
from .units import plain_decimal, unit_magnitude
from .weblinks import validate_web_url, web_url_or_blank

models.CharField.register_lookup(Length)
models.TextField.register_lookup(Length)

STATUS_CHOICES = [(s.value, bilingual_label(STATUS_LABELS[s])) for s in Status]


def unique_slug(model, base: str) -> str:
    """`base` made a slug, with -2, -3… added while another row of `model` has it already."""
    base = slugify(base)[:110] or model._meta.model_name
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _bilingual(zh: str, en: str) -> str:
    """The English text when the active language is English and there is one, else the Chinese."""
    language = translation.get_language() or ""
    return en if language.startswith("en") and en else zh


class MembershipRole(models.TextChoices):
    RECORDER = "recorder", "填报员 · recorder"
    REVIEWER = "reviewer", "审核员 · reviewer"
    MANAGER = "manager", "管理者 · manager"


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


class BaselineSource(models.TextChoices):
    """Where a goal's baseline (基期值) came from, in the order services.baselines looks for it."""

    DOCUMENT = "document", "文件所述 · stated in the document"
    INDICATOR = "indicator", "指标公布数据 · the indicator's reported figure"
    STAFF = "staff", "工作人员录入（附佐证） · entered by staff, with evidence"


class GoalReviewState(models.TextChoices):
    PENDING = "pending", "待审核 · pending review"
    PUBLISHED = "published", "已发布 · published"
    REJECTED = "rejected", "已驳回 · rejected"


class UpdateReviewState(models.TextChoices):
    DRAFT = "draft", "草稿 · draft"
    SUBMITTED = "submitted", "待审核 · submitted"
    APPROVED = "approved", "已通过 · approved"
    REJECTED = "rejected", "已退回 · returned"


class Plan(models.Model):
    """A programme targets come from: a government work report, a five-year plan, an action plan."""

    name = models.CharField("名称 · name", max_length=200, unique=True)
    name_en = models.CharField("英文名称 · English name", max_length=300, blank=True)
    period_start = models.DateField("起始日期 · period start")
    period_end = models.DateField("截止日期 · period end")

    class Meta:
        ordering = ["period_start", "name"]
        verbose_name = "规划 · plan"
        verbose_name_plural = "规划 · plans"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="plan_period_end_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return _bilingual(self.name, self.name_en)


class Document(models.Model):
    """A source text as published; targets are cited by character offsets into `text`."""

    title = models.CharField("标题 · title", max_length=300)
    publisher = models.CharField("发布者 · publisher", max_length=200, blank=True)
    published_on = models.DateField("发布日期 · published", null=True, blank=True)
    published_is_approximate = models.BooleanField("日期为约数 · date approximate", default=False)
    url = models.URLField("网址 · URL", max_length=500, blank=True, validators=[validate_web_url])
    file_name = models.CharField("文件名 · file name", max_length=255, blank=True)
    plan = models.ForeignKey(
        Plan,
        verbose_name="规划 · plan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    reference_year = models.PositiveSmallIntegerField("参照年份 · reference year", null=True, blank=True)
    text = models.TextField("全文 · full text")
    sha256 = models.CharField("文本摘要 · SHA-256", max_length=64, unique=True, editable=False)
    ingested_at = models.DateTimeField("导入时间 · ingested", default=timezone.now, editable=False)

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = "文件 · document"
        verbose_name_plural = "文件 · documents"
        constraints = [
            models.CheckConstraint(condition=Q(sha256__length=64), name="document_sha256_is_64_hex_chars"),
            models.CheckConstraint(condition=Q(text__length__gt=0), name="document_text_not_empty"),
            models.CheckConstraint(condition=web_url_or_blank("url"), name="document_url_is_web"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:document_detail", args=[self.pk])


@contextmanager
def _members_resynced(departments):
    """Around a delete of departments: the cascade deletes their memberships without calling their
    delete(), so their former members' rights are synced here, once the departments are gone."""
    user_ids = set(
        DepartmentMembership.objects.filter(department__in=departments).values_list("user_id", flat=True)
    )
    yield
    _sync_rights(user_ids)


class DepartmentQuerySet(models.QuerySet):
    def delete(self):
        """Deleting departments deletes their memberships: their former members' rights follow at once."""
        with _members_resynced(self):
            return super().delete()


class Department(models.Model):
    """A responsible unit (责任单位), e.g. 市工业和信息化局. Deleting one (admin, shell, bulk) takes the
    rights its memberships gave, as deleting the memberships themselves does."""

    name = models.CharField("名称 · name", max_length=100, unique=True)
    name_en = models.CharField("英文名称 · English name", max_length=200, blank=True)
    slug = models.SlugField("网址标识 · slug", max_length=100, unique=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "责任单位 · department"
        verbose_name_plural = "责任单位 · departments"

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return _bilingual(self.name, self.name_en)

    def delete(self, *args, **kwargs):
        with _members_resynced([self]):
            return super().delete(*args, **kwargs)


class Category(models.Model):
    """A work area of the report (数字济南, 民生福祉, …) or 主要预期目标 for the headline indicators."""

    name = models.CharField("名称 · name", max_length=100, unique=True)
    name_en = models.CharField("英文名称 · English name", max_length=200, blank=True)
    slug = models.SlugField("网址标识 · slug", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField("排序 · order", default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "工作领域 · category"
        verbose_name_plural = "工作领域 · categories"

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return _bilingual(self.name, self.name_en)


class DepartmentMembershipQuerySet(models.QuerySet):
    """Bulk writes of memberships keep their people's rights in step, as single saves do."""

    def delete(self):
        user_ids = set(self.values_list("user_id", flat=True))
        result = super().delete()
        _sync_rights(user_ids)
        return result

    def update(self, **kwargs):
        user_ids = set(self.values_list("user_id", flat=True))
        count = super().update(**kwargs)
        if "user" in kwargs or "user_id" in kwargs:
            user_ids |= set(self.values_list("user_id", flat=True))
        _sync_rights(user_ids)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _sync_rights({membership.user_id for membership in objs})
        return created


def _sync_rights(user_ids) -> None:
    """Give or take the admin groups of these people now: memberships are the one source of rights."""
    from django.contrib.auth import get_user_model

    from .services.memberships import user_groups_sync  # the service reads this model: import at call time

    for user in get_user_model().objects.filter(pk__in=user_ids):
        user_groups_sync(user=user)


class DepartmentMembership(models.Model):
    """Which staff member works for which department, and in what role. Saving or deleting one — in the
    admin, a shell, an import — gives or takes the person's rights at once (`_sync_rights`)."""

    Role = MembershipRole

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户 · user",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    department = models.ForeignKey(
        Department, verbose_name="部门 · department", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色 · role", max_length=20, choices=Role.choices, default=Role.RECORDER)

    objects = DepartmentMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "单位成员 · department membership"
        verbose_name_plural = "单位成员 · department memberships"
        constraints = [
            models.UniqueConstraint(fields=["user", "department", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} · {self.department} · {self.get_role_display()}"

    def save(self, *args, **kwargs):
        previous_user = None
        if self.pk is not None:
            previous_user = (
                DepartmentMembership.objects.filter(pk=self.pk).values_list("user_id", flat=True).first()
            )
        super().save(*args, **kwargs)
        _sync_rights({self.user_id, previous_user} - {None})

    def delete(self, *args, **kwargs):
        user_id = self.user_id
        result = super().delete(*args, **kwargs)
        _sync_rights({user_id})
        return result


class Indicator(models.Model):
    """What is measured, across the years (地区生产总值增速 · GDP growth, 5G基站总数 · 5G base stations):
    a goal is a target on an indicator for a period, and a figure reported for an indicator and a
    period serves every goal on it whose period covers it."""

    slug = models.SlugField("网址标识 · slug", max_length=100, unique=True)
    name = models.CharField("名称 · name", max_length=200, unique=True)
    name_en = models.CharField("英文名称 · English name", max_length=300, blank=True)
    lead_department = models.ForeignKey(
        Department,
        verbose_name="牵头单位 · lead department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "指标 · indicator"
        verbose_name_plural = "指标 · indicators"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:indicator_detail", args=[self.slug])

    @property
    def display_name(self):
        return _bilingual(self.name, self.name_en)


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
        excluded_fields=[
            "status",
            "status_evaluated_on",
            "status_rule_version",
            "expected_value",
            "progress_percent",
            "status_explanation_zh",
            "status_explanation_en",
            "forecast_date",
            "forecast_value",
            "latest_value",
            "latest_as_of",
            "latest_is_provisional",
            "is_sample",
            "evaluation_requested_at",
            "updated_at",
        ]
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

    @property
    def display_title(self):
        return _bilingual(self.title, self.title_en)

    @property
    def status_explanation(self):
        return _bilingual(self.status_explanation_zh, self.status_explanation_en)

    @property
    def is_published(self):
        return self.review_state == self.ReviewState.PUBLISHED

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


def evidence_upload_path(instance, filename):
    owner = instance.goal_id if instance.goal_id else f"indicator-{instance.indicator_id}"
    return f"evidence/{owner}/{filename}"


class ProgressUpdate(models.Model):
    """A figure reported against a goal, or for an indicator and a period (a published statistic, which
    then serves every goal on that indicator whose period covers it), with its evidence; public only
    once approved."""

    ReviewState = UpdateReviewState

    goal = models.ForeignKey(
        Goal,
        verbose_name="目标 · goal",
        on_delete=models.CASCADE,
        related_name="progress_updates",
        null=True,
        blank=True,
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="指标 · indicator",
        on_delete=models.CASCADE,
        related_name="figures",
        null=True,
        blank=True,
        help_text="按指标（而非某一目标）公布的数据 · For a figure reported for the indicator itself rather "
        "than against one goal.",
    )
    period_start = models.DateField(
        "数据起始 · period from",
        null=True,
        blank=True,
        help_text=(
            "数据所覆盖期间的第一天（2025年1—9月填2025-01-01）；留空为目标起始日 · The first day the "
            "figure covers (2025-01-01 for January–September 2025); empty: the goal's start."
        ),
    )
    as_of = models.DateField(
        "数据截至 · as of",
        help_text="数据所覆盖期间的最后一天 · The end of the period the figure covers.",
    )
    value = models.DecimalField(
        "数值 · value",
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="按目标的单位（或下面填写的单位）；只有节点类目标可以不填 · "
        "In the goal's unit (or the unit below). Leave empty only for a milestone.",
    )
    unit = models.CharField(
        "单位 · unit",
        max_length=30,
        blank=True,
        help_text="数据公布时的单位（亿元、万亿元）；留空为目标的单位 · The unit the figure was reported in; "
        "empty: the goal's unit.",
    )
    is_final = models.BooleanField("正式数据 · final figure", default=False)
    published_on = models.DateField(
        "公布日期 · published on",
        null=True,
        blank=True,
        help_text="数据公布之日；不填则为审核通过之日。回看过去某日时只计当时已公布的数据 · The day the "
        "figure became known; left empty, the day it is approved. Evaluations of a past day count "
        "only figures published by then.",
    )
    is_estimate = models.BooleanField(
        "预计数 · estimate",
        default=False,
        help_text="统计数据公布前以“预计”表述的数字 · "
        "Stated as 预计 (expected) before the statistics were out.",
    )
    quote = models.TextField(
        "原文 · quote",
        blank=True,
        help_text="来源中关于该数据的原话 · The source's exact words for the figure.",
    )
    # A figure read from a stored document (ingest_results): the document is its source, the quote's
    # character offsets in it the evidence a reviewer checks.
    source_document = models.ForeignKey(
        Document,
        verbose_name="来源文件 · source document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_figures",
    )
    source_start = models.PositiveIntegerField("原文起点 · quote start", null=True, blank=True)
    source_end = models.PositiveIntegerField("原文终点 · quote end", null=True, blank=True)
    note = models.TextField("说明 · note", blank=True)
    # A published statistic restated later on a firmer footing (final over preliminary over estimate,
    # for the same indicator and period) or merely repeated: kept, but no longer shown or judged by.
    superseded_by = models.ForeignKey(
        "self",
        verbose_name="已被取代 · superseded by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    evidence_url = models.URLField(
        "佐证链接 · evidence URL", max_length=500, blank=True, validators=[validate_web_url]
    )
    evidence_file = models.FileField("佐证文件 · evidence file", upload_to=evidence_upload_path, blank=True)
    is_sample = models.BooleanField(
        "示例数据 · sample data",
        default=False,
        help_text="为演示编造的示例数据，公开时会标明 · Synthetic demo figure, labelled as such in public.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人 · recorded by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_updates",
    )
    review_state = models.CharField(
        "审核状态 · review", max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人 · reviewed by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_updates",
    )
    reviewed_at = models.DateTimeField("审核时间 · reviewed at", null=True, blank=True)
    review_comment = models.TextField("审核意见 · review comment", blank=True)
    created_at = models.DateTimeField("创建时间 · created", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间 · updated", auto_now=True)

    history = HistoricalRecords()
    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["goal_id", "as_of", "pk"]
        get_latest_by = "as_of"
        verbose_name = "进展 · progress update"
        verbose_name_plural = "进展 · progress updates"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_state__in=UpdateReviewState.values), name="progress_review_state_valid"
            ),
            models.CheckConstraint(
                condition=web_url_or_blank("evidence_url"), name="progress_evidence_url_is_web"
            ),
            models.UniqueConstraint(
                fields=["goal", "as_of"],
                condition=Q(review_state="approved"),
                name="progress_one_approved_figure_per_date",
            ),
            models.CheckConstraint(
                condition=~Q(review_state__in=["approved", "rejected"]) | Q(reviewed_at__isnull=False),
                name="progress_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(goal__isnull=False) | Q(indicator__isnull=False),
                name="progress_for_a_goal_or_an_indicator",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_start__lte=F("as_of")),
                name="progress_period_start_not_after_as_of",
            ),
            models.CheckConstraint(
                condition=~Q(is_final=True, is_estimate=True), name="progress_final_is_no_estimate"
            ),
            models.UniqueConstraint(
                fields=["goal", "source_document", "source_start"],
                condition=Q(source_document__isnull=False),
                name="progress_one_figure_per_goal_and_quote",
            ),
        ]
        indexes = [
            models.Index(fields=["goal", "review_state", "as_of"]),
            models.Index(fields=["indicator", "review_state", "as_of"]),
            # The progress feeds and the digest read the latest approvals first.
            models.Index(
                fields=["-reviewed_at", "-id"],
                condition=Q(review_state="approved"),
                name="progress_approved_latest",
            ),
            # A past day's status reads each goal's figures on a few dates (services.deciding_figures):
            # the last or first one in a window of dates known that day, found in this index alone.
            models.Index(
                fields=["goal", "as_of"],
                include=["published_on", "is_sample"],
                condition=Q(review_state="approved", value__isnull=False),
                name="progress_known_by_date",
            ),
            # "Is any public figure a sample?" on every public page: answered from this small index
            # instead of a scan of every approved figure.
            models.Index(
                fields=["goal"],
                condition=Q(review_state="approved", is_sample=True),
                name="progress_approved_sample",
            ),
        ]

    def __str__(self):
        value = "—" if self.value is None else plain_decimal(self.value)
        return f"{self.goal or self.indicator} @ {self.as_of}: {value}"

    @property
    def reported_unit(self) -> str:
        """The unit the value is in: its own, else its goal's."""
        return self.unit or (self.goal.unit if self.goal_id else "")


class ProgressImport(models.Model):
    """A confirmed spreadsheet import: the token of the checked sheet the uploader confirmed, claimed
    in the transaction that stores its figures, so a confirmation posted twice stores them once."""

    token = models.CharField("确认令牌 · confirmation token", max_length=64, unique=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人 · imported by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    figures = models.PositiveIntegerField("进展条数 · figures")
    created_at = models.DateTimeField("导入时间 · imported at", auto_now_add=True)

    class Meta:
        verbose_name = "表格导入 · spreadsheet import"
        verbose_name_plural = "表格导入 · spreadsheet imports"

    def __str__(self):
        return f"{self.figures} @ {self.created_at:%Y-%m-%d %H:%M}"


class StatusChange(models.Model):
    """One change of a goal's computed status; written only when the status changes."""

    goal = models.ForeignKey(
        Goal, verbose_name="目标 · goal", on_delete=models.CASCADE, related_name="status_changes"
    )
    changed_at = models.DateTimeField("时间 · when", default=timezone.now)
    evaluated_on = models.DateField("评估日期 · evaluated on")
    from_status = models.CharField("原状态 · from", max_length=20, choices=STATUS_CHOICES, blank=True)
    to_status = models.CharField("新状态 · to", max_length=20, choices=STATUS_CHOICES)
    expected_value = models.DecimalField(
        "序时进度 · expected value", max_digits=20, decimal_places=4, null=True, blank=True
    )
    actual_value = models.DecimalField(
        "实际值 · actual value", max_digits=20, decimal_places=4, null=True, blank=True
    )
    explanation_zh = models.TextField("说明（中文） · explanation (Chinese)", blank=True)
    explanation_en = models.TextField("说明（英文） · explanation (English)", blank=True)
    is_sample = models.BooleanField("示例数据 · rests on sample data", default=False)
    rule_version = models.CharField("规则版本 · rule version", max_length=20)

    objects = StatusChangeQuerySet.as_manager()

    # A change records the verdict that made it: these fields, from the goal's computed fields.
    FROM_VERDICT = {
        "evaluated_on": "status_evaluated_on",
        "to_status": "status",
        "expected_value": "expected_value",
        "actual_value": "latest_value",
        "explanation_zh": "status_explanation_zh",
        "explanation_en": "status_explanation_en",
        "is_sample": "is_sample",
        "rule_version": "status_rule_version",
    }

    class Meta:
        ordering = ["-changed_at", "-pk"]
        get_latest_by = "changed_at"
        verbose_name = "状态变更 · status change"
        verbose_name_plural = "状态变更 · status changes"
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="status_change_is_a_change"
            ),
            models.UniqueConstraint(
                fields=["goal", "evaluated_on", "from_status", "to_status"], name="status_change_once_per_day"
            ),
        ]
        indexes = [
            # Newest first (feeds, the dashboard's recent changes): a daily run stamps its changes with
            # one time, so the id must be in the index too, or the newest few need the whole run sorted.
            models.Index(fields=["changed_at", "id"], name="status_change_time_order"),
            # A goal's status at a moment (the digest's counts at a period's end, the latest turn to
            # red): its last change before it, found without reading the whole history.
            models.Index(fields=["goal", "changed_at"], name="status_change_goal_time"),
        ]

    def __str__(self):
        return f"{self.goal}: {self.from_status or '—'} → {self.to_status}"

    @classmethod
    def from_verdict(cls, *, goal_id: int, from_status: str, verdict, changed_at) -> "StatusChange":
        """The change a verdict (the goal's new computed fields, by name) makes from `from_status`."""
        values = {name: getattr(verdict, source) for name, source in cls.FROM_VERDICT.items()}
        return cls(goal_id=goal_id, from_status=from_status, changed_at=changed_at, **values)

    @property
    def explanation(self):
        return _bilingual(self.explanation_zh, self.explanation_en)


class QuarterSpan(models.Model):
    """A goal's status at a run of recorded quarter ends, as its status history has it (its last
    change evaluated on or before each): from `since` up to, not including, `until` (none: still, at
    the last recorded quarter end). The dashboard's status over time reads these few rows instead of
    the whole history. Kept by apps.goals.services.quarters; nothing else writes them."""

    goal = models.ForeignKey(Goal, verbose_name="目标 · goal", on_delete=models.CASCADE, related_name="+")
    status = models.CharField("状态 · status", max_length=20, choices=STATUS_CHOICES)
    since = models.DateField("自季度末 · from quarter end")
    until = models.DateField("至季度末（不含） · until quarter end (excluded)", null=True, blank=True)

    class Meta:
        verbose_name = "季度末状态 · status at quarter ends"
        verbose_name_plural = "季度末状态 · statuses at quarter ends"
        constraints = [
            models.UniqueConstraint(fields=["goal", "since"], name="quarter_span_once"),
            models.UniqueConstraint(
                fields=["goal"], condition=Q(until__isnull=True), name="quarter_span_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.goal_id}: {self.status} {self.since}–{self.until or ''}"


class RecordedQuarter(models.Model):
    """A quarter end whose statuses are recorded (QuarterSpan) for every goal with a history by then."""

    day = models.DateField("季度末 · quarter end", primary_key=True)
    recorded_at = models.DateTimeField("记录时间 · recorded at", default=timezone.now)

    class Meta:
        verbose_name = "已记录的季度末 · recorded quarter end"
        verbose_name_plural = "已记录的季度末 · recorded quarter ends"

    def __str__(self):
        return self.day.isoformat()


class ExplanationState(models.TextChoices):
    REQUESTED = "requested", "待说明 · requested"
    SUBMITTED = "submitted", "待审核 · submitted"
    APPROVED = "approved", "已通过 · approved"
    RETURNED = "returned", "已退回 · returned"


class GoalExplanation(models.Model):
    """Why a goal went red and what is being done about it (原因说明和整改措施 — reason and corrective
    action), asked of its lead department when the goal turns red (off track, missed, a milestone
    overdue), reviewed like a figure, and public once approved. One per turn to red (its status-change
    row)."""

    ReviewState = ExplanationState

    goal = models.ForeignKey(
        Goal, verbose_name="目标 · goal", on_delete=models.CASCADE, related_name="explanations"
    )
    status_change = models.OneToOneField(
        StatusChange,
        verbose_name="状态变更 · status change",
        on_delete=models.CASCADE,
        related_name="asked_explanation",
    )
    status = models.CharField("所说明的状态 · status explained", max_length=20, choices=STATUS_CHOICES)
    requested_on = models.DateField("要求日期 · requested on")
    due_on = models.DateField("说明期限 · due by")
    reason = models.TextField("原因说明 · reason", blank=True)
    corrective_actions = models.TextField("整改措施 · corrective actions", blank=True)
    review_state = models.CharField(
        "审核状态 · review",
        max_length=20,
        choices=ExplanationState.choices,
        default=ExplanationState.REQUESTED,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人 · written by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="written_explanations",
    )
    submitted_at = models.DateTimeField("报送时间 · submitted at", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人 · reviewed by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_explanations",
    )
    reviewed_at = models.DateTimeField("审核时间 · reviewed at", null=True, blank=True)
    review_comment = models.TextField("审核意见 · review comment", blank=True)

    history = HistoricalRecords()
    objects = GoalExplanationQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = "原因说明 · explanation"
        verbose_name_plural = "原因说明 · explanations"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_state__in=ExplanationState.values), name="explanation_review_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("requested_on")), name="explanation_due_after_request"
            ),
            models.CheckConstraint(
                condition=Q(review_state__in=["requested"]) | (~Q(reason="") & ~Q(corrective_actions="")),
                name="explanation_submitted_is_complete",
            ),
        ]

    def __str__(self):
        return f"{self.goal} · {self.requested_on:%Y-%m-%d}"

    def is_overdue(self, today) -> bool:
        return (
            self.review_state in (ExplanationState.REQUESTED, ExplanationState.RETURNED)
            and today > self.due_on
        )

    @property
    def approved_on(self):
        return timezone.localdate(self.reviewed_at) if self.reviewed_at else None


class StaffNotice(models.Model):
    """One email to a staff member (a review step, an explanation asked for, the weekly reminder).
    The row is claimed before the email goes out and its key is unique, so each notice is sent once
    however often or concurrently the job runs; `sent_at` is set once the server took it."""

    class Kind(models.TextChoices):
        UPDATE_SUBMITTED = "update_submitted", "进展待审核 · figure submitted"
        UPDATE_RETURNED = "update_returned", "进展被退回 · figure returned"
        UPDATE_APPROVED = "update_approved", "进展已通过 · figure approved"
        EXPLANATION_REQUESTED = "explanation_requested", "请说明原因 · explanation requested"
        EXPLANATION_SUBMITTED = "explanation_submitted", "原因说明待审核 · explanation submitted"
        EXPLANATION_RETURNED = "explanation_returned", "原因说明被退回 · explanation returned"
        EXPLANATION_APPROVED = "explanation_approved", "原因说明已通过 · explanation approved"
        REMINDER = "reminder", "每周提醒 · weekly reminder"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人 · to", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("类型 · kind", max_length=30, choices=Kind.choices)
    key = models.CharField(
        "对象 · about",
        max_length=100,
        help_text="如 update:12、explanation:3、2024-W28 · e.g. update:12, explanation:3, 2024-W28",
    )
    subject = models.CharField("主题 · subject", max_length=300)
    created_at = models.DateTimeField("创建时间 · created", default=timezone.now)
    sent_at = models.DateTimeField("发送时间 · sent at", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "工作通知 · staff notice"
        verbose_name_plural = "工作通知 · staff notices"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="staff_notice_once"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.subject}"


class OwedNotice(models.Model):
    """The email a review step owes, written in the step's own transaction: it commits with the step
    or not at all. The step's task removes it once it has run; if the broker never got the task, the
    sweep (every five minutes) sends it, so a broker outage delays the email but never loses it."""

    task = models.CharField("任务 · task", max_length=50)
    object_id = models.BigIntegerField("对象 · object id")
    kind = models.CharField("类型 · kind", max_length=30, choices=StaffNotice.Kind.choices)
    stamp = models.CharField("步骤标识 · step id", max_length=32, unique=True)
    created_at = models.DateTimeField("创建时间 · created", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "待发通知 · owed notice"
        verbose_name_plural = "待发通知 · owed notices"

    def __str__(self):
        return f"{self.task}({self.object_id}, {self.kind})"


# What a published goal promises: changing any of these afterwards is a revision, made public with a reason.
REVISABLE_FIELDS = {
    "target_value": ("目标值", "target"),
    "target_max": ("目标上限", "upper value"),
    "comparator": ("比较方式", "comparator"),
    "unit": ("单位", "unit"),
    "deadline": ("截止日期", "deadline"),
}


class GoalRevision(models.Model):
    """A change to a published goal's target, deadline or unit: from what, to what, when and why."""

    goal = models.ForeignKey(
        Goal, verbose_name="目标 · goal", on_delete=models.CASCADE, related_name="revisions"
    )
    field = models.CharField(
        "调整项 · what changed",
        max_length=30,
        choices=[(name, f"{zh} · {en}") for name, (zh, en) in REVISABLE_FIELDS.items()],
    )
    before = models.CharField("原值 · from", max_length=100, blank=True)
    after = models.CharField("新值 · to", max_length=100, blank=True)
    reason = models.TextField("调整原因 · reason")
    revised_at = models.DateTimeField("调整时间 · when", default=timezone.now)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="调整人 · by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-revised_at", "-pk"]
        verbose_name = "目标调整 · goal revision"
        verbose_name_plural = "目标调整 · goal revisions"
        constraints = [
            models.CheckConstraint(condition=Q(reason__length__gt=0), name="goal_revision_has_reason"),
            models.CheckConstraint(
                condition=Q(field__in=list(REVISABLE_FIELDS)), name="goal_revision_field_valid"
            ),
        ]

    def __str__(self):
        return f"{self.goal}: {self.field} {self.before} → {self.after}"

    @property
    def field_label(self):
        zh, en = REVISABLE_FIELDS.get(self.field, (self.field, self.field))
        return _bilingual(zh, en)
