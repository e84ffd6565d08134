"""Groups for the staff roles, with the model permissions the admin needs. A staff member's
department roles (DepartmentMembership) decide their groups: services.user_groups_sync."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_REFERENCE = [
    "view_goal", "view_citation", "view_document", "view_plan", "view_department", "view_category",
    "view_statuschange",
]
GROUPS = {
    # Record figures for their departments' goals; which goals is decided by their memberships.
    "recorders": VIEW_REFERENCE + [
        "view_progressupdate", "add_progressupdate", "change_progressupdate", "delete_progressupdate",
    ],
    # Approve or return submitted figures (the admin actions need change permission).
    "reviewers": VIEW_REFERENCE + ["view_progressupdate", "change_progressupdate"],
    # Follow progress; change nothing.
    "managers": VIEW_REFERENCE + ["view_progressupdate", "view_departmentmembership"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    goals = apps.get_app_config("goals")
    goals.models_module = True
    create_permissions(goals, apps=apps, verbosity=0)
    goals.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="goals", codename__in=codenames))


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0002_citation_within_document"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
