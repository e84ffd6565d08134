"""Build every goal's status spans (the ?as_of= pages' past days) from its inputs and approved figures:
after deploying them, after a change of the rules' thresholds in settings, or after figures were
changed outside the application. The daily evaluation keeps them afterwards."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.goals.services.spans import GOALS_PER_CHUNK, spans_rebuild_all


class Command(BaseCommand):
    help = (
        "Rebuild every goal's status spans through today, "
        f"{GOALS_PER_CHUNK} goals per transaction (memory stays bounded)."
    )

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            if self.verbosity > 1 or done == total:
                self.stdout.write(f"{done:,} of {total:,} goals")

        written = spans_rebuild_all(through=timezone.localdate(), progress=progress)
        self.stdout.write(f"Status spans written: {written:,}.")
