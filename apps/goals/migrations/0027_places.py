"""Places: Jinan, its 12 districts and counties and its 2 function zones (reference data, held here
as literal rows), and a place for every plan, document, department, goal and indicator. Every row that
exists is Jinan's: the column is added empty, filled with Jinan, then made NOT NULL, and only then given
its default (new rows without a place are Jinan's), so that migrating runs no project code. An
indicator's shared measure starts as its slug (gdp-growth), and its name is unique per place.

Rebuilding goals_goal and the reference tables on SQLite fails while the public data version's
triggers on other tables name them, so on SQLite those triggers are dropped first, as in 0026 (public
0006 installs them again, the update trigger of goals_goal listing place_id too)."""

import importlib

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models
from django.db.migrations.recorder import MigrationRecorder

import apps.goals.models.places

_within = importlib.import_module("apps.goals.migrations.0002_citation_within_document")
_previous = importlib.import_module("apps.goals.migrations.0026_verdicts_on_real_figures")
_baseline_update = importlib.import_module("apps.public.migrations.0005_goal_baseline_used_is_public")

HOME = "jinan"
# slug, name, short name, English name, level, code, order
PLACES = [
    ("lixia", "历下区", "", "Lixia District", "district", "370102", 10),
    ("shizhong", "市中区", "", "Shizhong District", "district", "370103", 11),
    ("huaiyin", "槐荫区", "", "Huaiyin District", "district", "370104", 12),
    ("tianqiao", "天桥区", "", "Tianqiao District", "district", "370105", 13),
    ("licheng", "历城区", "", "Licheng District", "district", "370112", 14),
    ("changqing", "长清区", "", "Changqing District", "district", "370113", 15),
    ("zhangqiu", "章丘区", "", "Zhangqiu District", "district", "370114", 16),
    ("jiyang", "济阳区", "", "Jiyang District", "district", "370115", 17),
    ("laiwu", "莱芜区", "", "Laiwu District", "district", "370116", 18),
    ("gangcheng", "钢城区", "", "Gangcheng District", "district", "370117", 19),
    ("pingyin", "平阴县", "", "Pingyin County", "county", "370124", 20),
    ("shanghe", "商河县", "", "Shanghe County", "county", "370126", 21),
    ("qibuqu", "济南新旧动能转换起步区", "起步区", "Jinan Start-up Area", "zone", "", 30),
    ("gaoxin", "济南高新区", "高新区", "Jinan High-tech Zone", "zone", "", 31),
]
FILLED = ["plan", "document", "department", "goal", "historicalgoal", "indicator"]


def places_create(apps, schema_editor):
    Jurisdiction = apps.get_model("goals", "Jurisdiction")
    jinan, _ = Jurisdiction.objects.update_or_create(
        slug=HOME,
        defaults={
            "name": "济南市",
            "short_name": "济南",
            "name_en": "Jinan",
            "level": "city",
            "code": "370100",
            "order": 0,
        },
    )
    for slug, name, short_name, name_en, level, code, order in PLACES:
        Jurisdiction.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "name_en": name_en,
                "level": level,
                "code": code,
                "order": order,
                "parent": jinan,
            },
        )


def rows_to_jinan(apps, schema_editor):
    jinan = apps.get_model("goals", "Jurisdiction").objects.get(slug=HOME)
    for model in FILLED:
        apps.get_model("goals", model).objects.filter(place__isnull=True).update(place=jinan)
    Indicator = apps.get_model("goals", "Indicator")
    Indicator.objects.filter(measure="").update(measure=models.F("slug"))


def triggers_off(apps, schema_editor):
    """On SQLite: the public triggers (as 0026) and the citation triggers that name goals_document."""
    _previous.public_triggers_off(apps, schema_editor)
    _within._run({"sqlite": _within.SQLITE_REVERSE})(apps, schema_editor)


def citation_triggers_back(apps, schema_editor):
    _within._run({"sqlite": _within.SQLITE})(apps, schema_editor)


def public_triggers_back(apps, schema_editor):
    """Going back: the triggers as public 0005 left them, while it stays applied (going further back,
    public 0005 was undone before this migration, and 0026 puts back what it needs)."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    if ("public", "0005_goal_baseline_used_is_public") not in MigrationRecorder(
        connection
    ).applied_migrations():
        return
    for statement in _baseline_update.CREATE:
        schema_editor.execute(statement, params=None)


def triggers_back(apps, schema_editor):
    citation_triggers_back(apps, schema_editor)
    public_triggers_back(apps, schema_editor)


def _place(related_name, help_text=None, **options):
    extra = {"help_text": help_text} if help_text else {}
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="goals.jurisdiction",
        verbose_name="地区 · place",
        **extra,
        **options,
    )


GOAL_HELP = (
    "目标所属地区，须与其规划、指标所属地区一致 · "
    "The place whose target this is; its plan and indicator must be of the same place."
)
RELATED = {"plan": "plans", "document": "documents", "department": "departments", "indicator": "indicators"}


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0026_verdicts_on_real_figures"),
    ]

    operations = [
        migrations.RunPython(triggers_off, triggers_back),
        migrations.CreateModel(
            name="Jurisdiction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="名称 · name")),
                (
                    "short_name",
                    models.CharField(
                        blank=True,
                        help_text="文件中常用的简称，如“历城”“起步区” · The name documents often use, e.g. 历城, 起步区.",
                        max_length=50,
                        verbose_name="简称 · short name",
                    ),
                ),
                (
                    "name_en",
                    models.CharField(blank=True, max_length=200, verbose_name="英文名称 · English name"),
                ),
                ("slug", models.SlugField(unique=True, verbose_name="网址标识 · slug")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("province", "省 · province"),
                            ("city", "市 · city"),
                            ("district", "区 · district"),
                            ("county", "县 · county"),
                            ("zone", "功能区 · zone"),
                        ],
                        max_length=20,
                        verbose_name="层级 · level",
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        blank=True,
                        help_text="六位行政区划代码；功能区没有 · The 6-digit administrative division code; zones have none.",
                        max_length=6,
                        validators=[
                            django.core.validators.RegexValidator("^\\d{6}$", "六位数字 · six digits")
                        ],
                        verbose_name="区划代码 · division code",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=100, verbose_name="排序 · order")),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="goals.jurisdiction",
                        verbose_name="上级 · parent",
                    ),
                ),
            ],
            options={
                "verbose_name": "地区 · place",
                "verbose_name_plural": "地区 · places",
                "ordering": ["order", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("code", ""), _negated=True),
                        fields=("code",),
                        name="jurisdiction_code_unique",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("code", ""), ("code__length", 6), _connector="OR"),
                        name="jurisdiction_code_six_digits",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("level__in", ["province", "city", "district", "county", "zone"])),
                        name="jurisdiction_level_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("parent__isnull", True),
                            models.Q(("parent", models.F("pk")), _negated=True),
                            _connector="OR",
                        ),
                        name="jurisdiction_not_own_parent",
                    ),
                ],
            },
        ),
        migrations.RunPython(places_create, migrations.RunPython.noop),
        migrations.AddField(
            model_name="indicator",
            name="measure",
            field=models.SlugField(
                blank=True,
                help_text="各地区共用的指标标识，如 gdp-growth；同一地区内唯一 · The measure this indicator shares with other places' indicators, e.g. gdp-growth; one per place.",
                max_length=100,
                verbose_name="通用指标 · measure",
            ),
        ),
        *[
            migrations.AddField(model_name=model, name="place", field=_place(related, null=True))
            for model, related in RELATED.items()
        ],
        migrations.AddField(model_name="goal", name="place", field=_place("goals", GOAL_HELP, null=True)),
        migrations.AddField(
            model_name="historicalgoal",
            name="place",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text=GOAL_HELP,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="goals.jurisdiction",
                verbose_name="地区 · place",
            ),
        ),
        migrations.RunPython(rows_to_jinan, migrations.RunPython.noop),
        # NOT NULL first, then the default: a default given while the column turns NOT NULL would be
        # called (today's code) to fill empty rows.
        *[
            migrations.AlterField(model_name=model, name="place", field=_place(related))
            for model, related in RELATED.items()
        ],
        migrations.AlterField(model_name="goal", name="place", field=_place("goals", GOAL_HELP)),
        *[
            migrations.AlterField(
                model_name=model,
                name="place",
                field=_place(related, default=apps.goals.models.places.home_place_pk),
            )
            for model, related in RELATED.items()
        ],
        migrations.AlterField(
            model_name="goal",
            name="place",
            field=_place("goals", GOAL_HELP, default=apps.goals.models.places.home_place_pk),
        ),
        migrations.AlterField(
            model_name="historicalgoal",
            name="place",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                default=apps.goals.models.places.home_place_pk,
                help_text=GOAL_HELP,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="goals.jurisdiction",
                verbose_name="地区 · place",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="name",
            field=models.CharField(max_length=200, verbose_name="名称 · name"),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                fields=("place", "name"), name="indicator_name_unique_in_place"
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                condition=models.Q(("measure", ""), _negated=True),
                fields=("place", "measure"),
                name="indicator_measure_unique_in_place",
            ),
        ),
        migrations.RunPython(citation_triggers_back, _within._run({"sqlite": _within.SQLITE_REVERSE})),
    ]
