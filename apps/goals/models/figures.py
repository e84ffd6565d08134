"""Progress figures: a value reported against a goal or for an indicator, with its evidence, public
once reviewed and approved; and the confirmed spreadsheet imports that stored figures."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ..querysets import ProgressUpdateQuerySet
from ..units import plain_decimal
from ..weblinks import validate_web_url, web_url_or_blank
from .goals import Goal
from .reference import Document, Indicator
from .reviewed import Reviewed

# The earliest as-of date a figure may have: no plan tracked here reaches back further.
EARLIEST_AS_OF = datetime.date(2000, 1, 1)


def as_of_refusal(as_of: datetime.date, *, today: datetime.date) -> tuple[str, str] | None:
    """Why a figure may not be dated `as_of`, in Chinese and English; None if it may. The one rule
    for the admin's form, the spreadsheet import and the review service: from EARLIEST_AS_OF to today."""
    if as_of > today:
        return (
            f"数据截至日期不能晚于今天（{today:%Y-%m-%d}）",
            f"The as-of date cannot be after today ({today:%Y-%m-%d})",
        )
    if as_of < EARLIEST_AS_OF:
        return (
            f"数据截至日期不能早于{EARLIEST_AS_OF:%Y-%m-%d}",
            f"The as-of date cannot be before {EARLIEST_AS_OF:%Y-%m-%d}",
        )
    return None


class UpdateReviewState(models.TextChoices):
    DRAFT = "draft", "草稿 · draft"
    SUBMITTED = "submitted", "待审核 · submitted"
    APPROVED = "approved", "已通过 · approved"
    REJECTED = "rejected", "已退回 · returned"


def evidence_upload_path(instance, filename):
    owner = instance.goal_id if instance.goal_id else f"indicator-{instance.indicator_id}"
    return f"evidence/{owner}/{filename}"


class ProgressUpdate(Reviewed):
    """A figure reported against a goal, or for an indicator and a period (a published statistic, which
    then serves every goal on that indicator whose period covers it), with its evidence; public only
    once approved."""

    ReviewState = UpdateReviewState
    REVIEW_OPEN = (UpdateReviewState.DRAFT, UpdateReviewState.REJECTED)
    REVIEW_RETURNED = UpdateReviewState.REJECTED

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
    review_state = models.CharField(
        "审核状态 · review", max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
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
