"""Reference data: the plans targets come from, their source documents, the departments that answer
for goals, the report's work areas, and the indicators goals are targets on."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from ..weblinks import validate_web_url, web_url_or_blank
from .common import bilingual
from .places import Jurisdiction, home_place_pk
from .staff import members_resynced


class Plan(models.Model):
    """A programme targets come from: a government work report, a five-year plan, an action plan."""

    name = models.CharField("名称 · name", max_length=200, unique=True)
    name_en = models.CharField("英文名称 · English name", max_length=300, blank=True)
    period_start = models.DateField("起始日期 · period start")
    period_end = models.DateField("截止日期 · period end")
    place = models.ForeignKey(
        Jurisdiction,
        verbose_name="地区 · place",
        on_delete=models.PROTECT,
        default=home_place_pk,
        related_name="plans",
    )

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
        return bilingual(self.name, self.name_en)


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
    place = models.ForeignKey(
        Jurisdiction,
        verbose_name="地区 · place",
        on_delete=models.PROTECT,
        default=home_place_pk,
        related_name="documents",
    )
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


class DepartmentQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug: str) -> "Department":
        return self.get(slug=slug)

    def delete(self):
        """Deleting departments deletes their memberships: their former members' rights follow at once."""
        with members_resynced(self):
            return super().delete()


class Department(models.Model):
    """A responsible unit (责任单位), e.g. 市工业和信息化局. Deleting one (admin, shell, bulk) takes the
    rights its memberships gave, as deleting the memberships themselves does."""

    name = models.CharField("名称 · name", max_length=100, unique=True)
    name_en = models.CharField("英文名称 · English name", max_length=200, blank=True)
    slug = models.SlugField("网址标识 · slug", max_length=100, unique=True)
    place = models.ForeignKey(
        Jurisdiction,
        verbose_name="地区 · place",
        on_delete=models.PROTECT,
        default=home_place_pk,
        related_name="departments",
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "责任单位 · department"
        verbose_name_plural = "责任单位 · departments"

    def __str__(self):
        return self.name

    def natural_key(self) -> tuple[str]:
        """Fixtures may name a department by its slug (the districts' governments in reference.json)."""
        return (self.slug,)

    @property
    def display_name(self):
        return bilingual(self.name, self.name_en)

    def delete(self, *args, **kwargs):
        with members_resynced([self]):
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
        return bilingual(self.name, self.name_en)


class Indicator(models.Model):
    """What is measured, across the years (地区生产总值增速 · GDP growth, 5G基站总数 · 5G base stations):
    a goal is a target on an indicator for a period, and a figure reported for an indicator and a
    period serves every goal on it whose period covers it."""

    slug = models.SlugField("网址标识 · slug", max_length=100, unique=True)
    name = models.CharField("名称 · name", max_length=200)
    name_en = models.CharField("英文名称 · English name", max_length=300, blank=True)
    place = models.ForeignKey(
        Jurisdiction,
        verbose_name="地区 · place",
        on_delete=models.PROTECT,
        default=home_place_pk,
        related_name="indicators",
    )
    # One measure in many places: gdp-growth is Jinan's GDP growth and 历城区's.
    measure = models.SlugField(
        "通用指标 · measure",
        max_length=100,
        blank=True,
        help_text="各地区共用的指标标识，如 gdp-growth；同一地区内唯一 · "
        "The measure this indicator shares with other places' indicators, e.g. gdp-growth; "
        "one per place.",
    )
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
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="indicator_name_unique_in_place"),
            models.UniqueConstraint(
                fields=["place", "measure"],
                condition=~Q(measure=""),
                name="indicator_measure_unique_in_place",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:indicator_detail", args=[self.slug])

    @property
    def display_name(self):
        return bilingual(self.name, self.name_en)
