"""python manage.py send_digests: what the Monday job does, by hand. Sending twice sends nothing new."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.digests.services import DigestsNotAllSent, digest_week_start, digests_send_weekly
from apps.goals.management.options import date_option


class Command(BaseCommand):
    help = (
        "Email every active subscriber the weekly digest of the last full week (Monday to Sunday) before "
        "--date (default: today). A subscriber who already has that week's digest is not sent it again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the day the digest is sent on, YYYY-MM-DD (default: today in TIME_ZONE)"
        )

    def handle(self, *args, date=None, **options):
        today = date_option(date) if date else timezone.localdate()
        week_start = digest_week_start(today)
        try:
            sent = digests_send_weekly(today=today)
        except DigestsNotAllSent as error:
            raise CommandError(f"{error} Run the command again to send the missing ones.") from error
        last_day = week_start + timedelta(days=6)
        self.stdout.write(
            f"Sent {sent} weekly digests for the week {week_start:%Y-%m-%d} to {last_day:%Y-%m-%d}."
        )
