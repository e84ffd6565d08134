"""python manage.py send_digests: what the Monday job does, by hand. Sending twice sends nothing new."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.digests.services import DigestsNotAllSent, digests_send_due, due_periods
from apps.goals.management.options import date_option


class Command(BaseCommand):
    help = (
        "Email every active subscriber whose digest is due on --date (default: today) the digest of their "
        "last period: weekly ones the last full week (Monday to Sunday), monthly ones (in the week after a "
        "month's first Monday) the weeks since the first Monday of the month before. A subscriber who "
        "already has that period's digest is not sent it again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the day the digest is sent on, YYYY-MM-DD (default: today in TIME_ZONE)"
        )

    def handle(self, *args, date=None, **options):
        today = date_option(date) if date else timezone.localdate()
        try:
            sent = digests_send_due(today=today)
        except DigestsNotAllSent as error:
            raise CommandError(f"{error} Run the command again to send the missing ones.") from error
        covered = "; ".join(
            f"{period.frequency} {period.start:%Y-%m-%d} to {period.last_day:%Y-%m-%d}"
            for period in due_periods(today)
        )
        self.stdout.write(f"Sent {sent} digests ({covered}).")
