"""python manage.py curate_goals: fill blank English titles, lead departments and indicators
from fixtures/curation.json."""

from django.core.management.base import BaseCommand

from apps.ingest.curation import goals_curate


class Command(BaseCommand):
    help = (
        "Fill every goal's blank English title and lead department from the staff curation "
        "(fixtures/curation.json: per-goal entries, the indicator table, plan owners). Never overwrites "
        "what is set; safe to run twice."
    )

    def handle(self, *args, **options):
        result = goals_curate()
        self.stdout.write(
            f"Curation: {result.titles} English titles, {result.departments} lead departments and "
            f"{result.indicators} indicators filled."
        )
