"""The review groups' permissions on explanations of red goals: recorders write them, reviewers
approve or return them (both through the admin's change page), managers read them."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "recorders": ["view_goalexplanation", "change_goalexplanation"],
    "reviewers": ["view_goalexplanation", "change_goalexplanation"],
    "managers": ["view_goalexplanation"],
}


def grant(apps, schema_editor):
    goals = apps.get_app_config("goals")
    goals.models_module = True
    create_permissions(goals, apps=apps, verbosity=0)
    goals.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="goals", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.remove(*Permission.objects.filter(codename__in=GRANTS[group.name]))


class Migration(migrations.Migration):
    dependencies = [("goals", "0009_explanations_and_staff_notices")]

    operations = [migrations.RunPython(grant, revoke)]
