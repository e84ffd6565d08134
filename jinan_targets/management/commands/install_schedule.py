"""Write the periodic jobs of settings.CELERY_BEAT_SCHEDULE into the admin's periodic tasks, as beat
does when it starts: `make seed` (and so `make run`) runs it, so the rows are there before beat is."""

from django.core.management.base import BaseCommand

from jinan_targets.jobs import schedule_install


class Command(BaseCommand):
    help = "Create or update a periodic task row for every job in settings.CELERY_BEAT_SCHEDULE."

    def handle(self, *args, **options):
        names = schedule_install()
        self.stdout.write(f"{len(names)} periodic jobs: {', '.join(names)}")
