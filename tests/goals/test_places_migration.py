"""Migration 0027 (places) gives every row that existed to Jinan and every indicator its slug as its
shared measure, and the places it makes are there whatever was stored before."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("goals", "0026_verdicts_on_real_figures"), ("public", "0005_goal_baseline_used_is_public")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_existing_row_becomes_jinans_and_indicators_get_their_measure():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(BEFORE)
    try:
        Plan, Department = old.get_model("goals", "Plan"), old.get_model("goals", "Department")
        Indicator, Goal = old.get_model("goals", "Indicator"), old.get_model("goals", "Goal")
        Document = old.get_model("goals", "Document")
        plan = Plan.objects.create(
            name="2024年政府工作报告", period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
        )
        department = Department.objects.create(name="济南市大数据局", slug="big-data")
        indicator = Indicator.objects.create(slug="gdp-growth", name="地区生产总值增速")
        document = Document.objects.create(title="报告", text="今年新建5G基站7000个。", sha256="a" * 64)
        goal = Goal.objects.create(
            slug="g",
            title="新建5G基站7000个",
            metric="新建5G基站",
            kind="increment",
            target_value=7000,
            period_start=date(2024, 1, 1),
            deadline=date(2024, 12, 31),
            plan=plan,
            lead_department=department,
            indicator=indicator,
        )
    finally:
        new = migrate(latest)
    jinan = new.get_model("goals", "Jurisdiction").objects.get(slug="jinan")
    for model, pk in (("Plan", plan.pk), ("Department", department.pk), ("Indicator", indicator.pk)):
        assert new.get_model("goals", model).objects.get(pk=pk).place_id == jinan.pk
    assert new.get_model("goals", "Document").objects.get(pk=document.pk).place_id == jinan.pk
    assert new.get_model("goals", "Goal").objects.get(pk=goal.pk).place_id == jinan.pk
    assert new.get_model("goals", "Indicator").objects.get(pk=indicator.pk).measure == "gdp-growth"
    assert new.get_model("goals", "Jurisdiction").objects.filter(parent=jinan).count() == 14
