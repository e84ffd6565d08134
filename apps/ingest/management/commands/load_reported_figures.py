"""python manage.py load_reported_figures [--file PATH]...: the reported figures of the city and its
districts, stored once per indicator and period."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.ingest.manifest import ManifestError
from apps.ingest.reading import DocumentError
from apps.ingest.reported import reported_figures_load, reported_rows_read

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
REPORTED_FIGURES = [
    FIXTURES / "reported_figures.json",
    FIXTURES / "results" / "outcomes.json",
    FIXTURES / "results" / "baselines.json",
    FIXTURES / "districts" / "outcomes.json",  # the districts' and zones' results, each of its place
]


class Command(BaseCommand):
    help = (
        "Store the figures the city and its districts reported (fixtures/reported_figures.json, "
        "fixtures/results/, fixtures/districts/outcomes.json) as approved "
        "figures of their indicators, with quote, source document and page; a firmer figure of the same "
        "statistic supersedes a weaker one. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            action="append",
            dest="files",
            help="reported figures (JSON list); may be given more than once (default: the fixtures)",
        )

    def handle(self, *args, files, **options):
        rows = []
        for file in files or REPORTED_FIGURES:
            try:
                rows += reported_rows_read(Path(file))
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read the reported figures in {file}: {error}") from error
        try:
            summary = reported_figures_load(rows=rows)
        except (DocumentError, ManifestError, OSError) as error:
            raise CommandError(f"Cannot read a source document: {error}") from error
        self.stdout.write(
            f"Reported figures: {summary.stored} stored, {summary.already} already stored, "
            f"{summary.superseded} marks of superseded figures changed, {summary.baselines} baselines set, "
            f"{len(summary.unmatched)} without an indicator"
            + "".join(f"\n  no indicator: {text}" for text in summary.unmatched)
        )
