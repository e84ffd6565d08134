from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0014_evaluation_requested"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="progressupdate",
            index=models.Index(
                condition=models.Q(("review_state", "approved")),
                fields=["-reviewed_at", "-id"],
                name="progress_approved_latest",
            ),
        ),
        migrations.AddIndex(
            model_name="progressupdate",
            index=models.Index(
                condition=models.Q(("is_sample", True), ("review_state", "approved")),
                fields=["goal"],
                name="progress_approved_sample",
            ),
        ),
    ]
