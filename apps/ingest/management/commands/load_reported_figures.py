"""python manage.py load_reported_figures [--file PATH]: the city's reported figures, once per indicator."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.ingest.reported import reported_figures_load

REPORTED_FIGURES = Path(settings.BASE_DIR) / "fixtures" / "reported_figures.json"


class Command(BaseCommand):
    help = (
        "Store the figures the city reported (fixtures/reported_figures.json) as approved figures of their "
        "indicators, with quote and source page. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(REPORTED_FIGURES), help="reported figures (JSON list)")

    def handle(self, *args, file, **options):
        try:
            rows = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the reported figures in {file}: {error}") from error
        summary = reported_figures_load(rows=rows)
        self.stdout.write(
            f"Reported figures: {summary.stored} stored, {summary.already} already stored, "
            f"{len(summary.unmatched)} without an indicator"
            + "".join(f"\n  no indicator: {text}" for text in summary.unmatched)
        )
