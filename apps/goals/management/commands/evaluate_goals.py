"""Judge every goal on a date (today by default) and store the result: what the daily job does."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.goals.management.options import date_option
from apps.goals.services.baselines import goals_baselines_fill
from apps.goals.services.daily_evaluation import goals_evaluate_all


class Command(BaseCommand):
    help = (
        "Evaluate every goal's status against its expected progress to date (序时进度) and store it. "
        "--date judges as of an earlier (or later) day, counting only figures dated by then."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to judge on, YYYY-MM-DD (default: today in TIME_ZONE)")
        parser.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")

    def handle(self, *args, date=None, dry_run=False, **options):
        today = date_option(date) if date else timezone.localdate()
        if not dry_run:
            goals_baselines_fill()  # baselines found since (a figure reported before a period began)
        summary = goals_evaluate_all(today=today, dry_run=dry_run)
        self.stdout.write(str(summary))
