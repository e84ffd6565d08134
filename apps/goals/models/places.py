"""Places (行政区划 · jurisdictions): Jinan and its 12 districts and counties, and the function zones
(起步区, 高新区) that publish targets of their own. Plans, documents, departments, goals and indicators
each belong to one place; the rows are reference data, created by migration 0027 and listed in
fixtures/reference.json."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .common import bilingual

# The place the site is about: its home page, and the place of every row stored without one.
HOME_PLACE = "jinan"
HOME_PLACE_ROW = {
    "name": "济南市",
    "name_en": "Jinan",
    "level": "city",
    "code": "370100",
    "order": 0,
}


class PlaceLevel(models.TextChoices):
    PROVINCE = "province", "省 · province"
    CITY = "city", "市 · city"
    DISTRICT = "district", "区 · district"
    COUNTY = "county", "县 · county"
    ZONE = "zone", "功能区 · zone"


class JurisdictionQuerySet(models.QuerySet):
    def home(self) -> "Jurisdiction":
        """Jinan, the home place. Made again from its reference values where a test emptied the table
        (a transactional test flushes what the migration created)."""
        place, _ = self.get_or_create(slug=HOME_PLACE, defaults=HOME_PLACE_ROW)
        return place

    def get_by_natural_key(self, slug: str) -> "Jurisdiction":
        return self.get(slug=slug)

    def units_of(self, place: "Jurisdiction"):
        """The places directly under `place` (Jinan's 12 districts and counties and its 2 zones)."""
        return self.filter(parent=place)

    def matching(self, *, code: str | None = None, name: str | None = None) -> "Jurisdiction | None":
        """The place a document names: by its 区划代码 when given, else by its name, whole or short
        (济南新旧动能转换起步区, 起步区; 历城区, 历城). None when neither finds exactly one."""
        if code:
            return self.filter(code=code).first()
        name = (name or "").strip()
        if not name:
            return None
        exact = self.filter(Q(name=name) | Q(short_name=name))
        if len(exact) == 1:
            return exact[0]
        # 济南高新区 / 高新区: the stored short name inside the name given, or the other way round.
        found = [p for p in self.exclude(short_name="") if p.short_name in name or name in p.name]
        return found[0] if len(found) == 1 else None


def home_place_pk() -> int:
    """The default place of a plan, document, department, goal or indicator stored without one."""
    pk = Jurisdiction.objects.filter(slug=HOME_PLACE).values_list("pk", flat=True).first()
    return pk if pk is not None else Jurisdiction.objects.home().pk


class Jurisdiction(models.Model):
    """A place that sets or reports targets: the city, a district or county (with its 6-digit 区划代码),
    or a function zone (no code)."""

    Level = PlaceLevel

    name = models.CharField("名称 · name", max_length=100, unique=True)
    short_name = models.CharField(
        "简称 · short name",
        max_length=50,
        blank=True,
        help_text="文件中常用的简称，如“历城”“起步区” · The name documents often use, e.g. 历城, 起步区.",
    )
    name_en = models.CharField("英文名称 · English name", max_length=200, blank=True)
    slug = models.SlugField("网址标识 · slug", max_length=50, unique=True)
    level = models.CharField("层级 · level", max_length=20, choices=PlaceLevel.choices)
    code = models.CharField(
        "区划代码 · division code",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "六位数字 · six digits")],
        help_text="六位行政区划代码；功能区没有 · The 6-digit administrative division code; zones have none.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级 · parent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField("排序 · order", default=100)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "地区 · place"
        verbose_name_plural = "地区 · places"
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="jurisdiction_code_unique"),
            models.CheckConstraint(
                condition=Q(code="") | Q(code__length=6), name="jurisdiction_code_six_digits"
            ),
            models.CheckConstraint(condition=Q(level__in=PlaceLevel.values), name="jurisdiction_level_valid"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("pk")),
                name="jurisdiction_not_own_parent",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        """The city's page is the home page; every other place has its own."""
        if self.is_home:
            return reverse("public:dashboard")
        return reverse("public:place_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        """Fixtures name a place by its slug (fixtures/reference.json: "place": ["licheng"])."""
        return (self.slug,)

    @property
    def display_name(self):
        return bilingual(self.name, self.name_en)

    @property
    def level_name(self) -> str:
        """The level in the reader's language (区 or district)."""
        zh, _, en = PlaceLevel(self.level).label.partition(" · ")
        return bilingual(zh, en)

    @property
    def is_home(self) -> bool:
        return self.slug == HOME_PLACE
