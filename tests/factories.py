"""Factories for the domain models; tests build exactly the rows they need."""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.goals import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


def home_place():
    return models.Jurisdiction.objects.home()


class JurisdictionFactory(factory.django.DjangoModelFactory):
    """A place; the reference places (licheng, shanghe…) are found by slug where the migration made them."""

    class Meta:
        model = models.Jurisdiction
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    name_en = factory.Sequence(lambda n: f"Test District {n}")
    level = models.PlaceLevel.DISTRICT
    parent = factory.LazyFunction(home_place)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Plan

    place = factory.LazyFunction(home_place)

    name = factory.Sequence(lambda n: f"规划{n}")
    name_en = factory.Sequence(lambda n: f"Plan {n}")
    period_start = datetime.date(2024, 1, 1)
    period_end = datetime.date(2024, 12, 31)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Department

    place = factory.LazyFunction(home_place)

    name = factory.Sequence(lambda n: f"市测试局{n}")
    name_en = factory.Sequence(lambda n: f"Test Bureau {n}")
    slug = factory.Sequence(lambda n: f"bureau-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Category

    name = factory.Sequence(lambda n: f"领域{n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Document

    place = factory.LazyFunction(home_place)

    title = factory.Sequence(lambda n: f"文件{n}")
    publisher = "济南市人民政府"
    published_on = datetime.date(2024, 1, 11)
    text = factory.Sequence(lambda n: f"今年新建5G基站7000个。全年地区生产总值增长5.5%以上。（{n}）")
    sha256 = factory.LazyAttribute(lambda d: hashlib.sha256(d.text.encode()).hexdigest())
    reference_year = 2024


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Goal

    slug = factory.Sequence(lambda n: f"goal-{n}")
    title = factory.Sequence(lambda n: f"新建5G基站7000个（{n}）")
    title_en = factory.Sequence(lambda n: f"7,000 new 5G base stations ({n})")
    metric = "新建5G基站"
    kind = models.GoalKind.INCREMENT
    comparator = ">="
    target_value = Decimal("7000")
    unit = "个"
    period_start = datetime.date(2024, 1, 1)
    deadline = datetime.date(2024, 12, 31)
    review_state = models.GoalReviewState.PUBLISHED
    place = factory.LazyFunction(home_place)
    lead_department = factory.SubFactory(DepartmentFactory, place=factory.SelfAttribute("..place"))
    category = factory.SubFactory(CategoryFactory)
    plan = factory.SubFactory(PlanFactory, place=factory.SelfAttribute("..place"))


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Citation

    goal = factory.SubFactory(GoalFactory)
    document = factory.SubFactory(DocumentFactory)
    start = 2
    end = 13  # 新建5G基站7000个
    quote = factory.LazyAttribute(lambda c: c.document.text[c.start : c.end])
    value = Decimal("7000")
    unit = "个"


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgressUpdate

    goal = factory.SubFactory(GoalFactory)
    as_of = datetime.date(2024, 6, 30)
    value = Decimal("3500")
    evidence_url = "https://example.com/evidence"
    review_state = models.UpdateReviewState.DRAFT

    class Params:
        # ProgressUpdateFactory(approved=True): approved now, as a reviewer would.
        approved = factory.Trait(
            review_state=models.UpdateReviewState.APPROVED, reviewed_at=factory.LazyFunction(timezone.now)
        )
