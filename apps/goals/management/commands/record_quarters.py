"""Record each goal's status at the quarter ends past (the dashboard's status over time); the daily
evaluation does so by itself. --check compares what is recorded with the history; --again forgets what
was recorded and records it afresh."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.goals.services.quarters import quarters_differing, quarters_record, quarters_rerecord


class Command(BaseCommand):
    help = (
        "Record every goal's status at each past quarter end from the status history. --check compares "
        "what is recorded with the history (exit status 1 if any goal differs); --again first forgets "
        "every recorded quarter end (after the history was changed outside the application)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--again", action="store_true", help="forget what was recorded, record it afresh")
        parser.add_argument("--check", action="store_true", help="compare what is recorded with the history")

    def handle(self, *args, again=False, check=False, **options):
        if check:
            differing = quarters_differing()
            if differing:
                days = ", ".join(f"{day.isoformat()}: {count}" for day, count in differing.items())
                raise CommandError(
                    f"Goals whose recorded status differs from their history, per quarter end: {days}. "
                    "Run record_quarters --again."
                )
            self.stdout.write("Every recorded quarter end agrees with the status history.")
            return
        today = timezone.localdate()
        days = quarters_rerecord(today=today) if again else quarters_record(today=today)
        listed = ", ".join(day.isoformat() for day in days) or "none (all recorded already)"
        self.stdout.write(f"Quarter ends recorded: {listed}.")
