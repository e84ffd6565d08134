"""Record each goal's status at the quarter ends past (the dashboard's status over time); the daily
evaluation does so by itself. --again forgets what was recorded and records it afresh."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.goals.services.quarters import quarters_record, quarters_rerecord


class Command(BaseCommand):
    help = (
        "Record every goal's status at each past quarter end from the status history. --again first "
        "forgets every recorded quarter end (after the history was changed outside the application)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--again", action="store_true", help="forget what was recorded, record it afresh")

    def handle(self, *args, again=False, **options):
        today = timezone.localdate()
        days = quarters_rerecord(today=today) if again else quarters_record(today=today)
        listed = ", ".join(day.isoformat() for day in days) or "none (all recorded already)"
        self.stdout.write(f"Quarter ends recorded: {listed}.")
