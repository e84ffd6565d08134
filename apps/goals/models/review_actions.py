"""What staff did on the review screen of a document (accept, edit, reject a proposed target or result),
who, why, and how long it took: the time per document; and the reader rule behind each mention it
proposed, so that rejections can be counted per rule to show where the reader fails."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .figures import ProgressUpdate
from .goals import Goal
from .reference import Document


class MentionRule(models.Model):
    """The rule the reader read one mention of a document by: the time frame it put the figure in and the
    rule that set that frame ("year · heading: 主要预期目标"). Kept beside citations and figures (by the
    mention's offsets) rather than on them, so that their tables stay as they are."""

    document = models.ForeignKey(
        Document, verbose_name="文件 · document", on_delete=models.CASCADE, related_name="mention_rules"
    )
    start = models.PositiveIntegerField("起点 · start offset")
    end = models.PositiveIntegerField("终点 · end offset")
    rule = models.CharField("提取规则 · reader rule", max_length=200)

    class Meta:
        verbose_name = "提取规则 · reader rule"
        verbose_name_plural = "提取规则 · reader rules"
        constraints = [
            models.UniqueConstraint(fields=["document", "start", "end"], name="mention_rule_one_per_span"),
        ]

    def __str__(self):
        return f"{self.document_id} [{self.start}:{self.end}] {self.rule}"


class ReviewActionKind(models.TextChoices):
    OPEN = "open", "打开 · opened the page"
    ACCEPT = "accept", "采纳 · accepted"
    EDIT = "edit", "修改后采纳 · edited and accepted"
    REJECT = "reject", "驳回 · rejected"


class RejectionReason(models.TextChoices):
    """The short list a rejection picks from; each one tells the reader's authors something different."""

    NOT_A_TARGET = "not_target", "不是目标或数据 · not a target or figure"
    WRONG_VALUE = "wrong_value", "数值有误 · wrong value"
    WRONG_YEAR = "wrong_year", "年份有误 · wrong year"
    DUPLICATE = "duplicate", "重复 · duplicate"
    RESULT_AS_TARGET = "result_as_target", "把已完成的结果读成了目标 · a result read as a target"
    TARGET_AS_RESULT = "target_as_result", "把目标读成了结果 · a target read as a result"
    OTHER = "other", "其他 · other"


class ReviewAction(models.Model):
    """One step on a document's review screen, timed from the person's previous step on that document
    (or from opening the page)."""

    Kind = ReviewActionKind
    Reason = RejectionReason

    document = models.ForeignKey(
        Document, verbose_name="文件 · document", on_delete=models.CASCADE, related_name="review_actions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人 · by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("操作 · action", max_length=10, choices=ReviewActionKind.choices)
    goal = models.ForeignKey(
        Goal,
        verbose_name="目标 · target",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_actions",
    )
    figure = models.ForeignKey(
        ProgressUpdate,
        verbose_name="数据 · result",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_actions",
    )
    reason = models.CharField("驳回原因 · reason", max_length=20, choices=RejectionReason.choices, blank=True)
    note = models.TextField("说明 · note", blank=True)
    # The reader's rule that proposed the item (its time frame and the rule that set it), copied here so
    # the report per rule survives the item's later edits.
    reader_rule = models.CharField("提取规则 · reader rule", max_length=200, blank=True)
    in_bulk = models.BooleanField("批量采纳 · accepted with the rest", default=False)
    seconds = models.DecimalField("用时（秒） · seconds", max_digits=9, decimal_places=1, default=0)
    created_at = models.DateTimeField("时间 · at", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["document_id", "created_at", "pk"]
        verbose_name = "审阅操作 · review action"
        verbose_name_plural = "审阅操作 · review actions"
        indexes = [models.Index(fields=["document", "user", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ReviewActionKind.values), name="review_action_valid"
            ),
            models.CheckConstraint(
                condition=~Q(action="reject") | ~Q(reason=""), name="review_action_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(action="open") | Q(goal__isnull=False) | Q(figure__isnull=False),
                name="review_action_names_its_item",
            ),
            models.CheckConstraint(condition=Q(seconds__gte=0), name="review_action_seconds_not_negative"),
        ]

    def __str__(self):
        return f"{self.document} · {self.get_action_display()}"
