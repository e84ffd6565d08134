"""python manage.py load_demo_progress: real reported figures and labelled sample figures for a demo
(apps.goals.services.demo), then the statuses they give today."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.goals.services import demo
from apps.goals.services.daily_evaluation import goals_evaluate_all


class Command(BaseCommand):
    help = (
        "Load demo progress: the real reported figures in fixtures/outcomes.json matched to goals, and "
        "seeded synthetic figures (flagged sample data) for the other goals in force today; a finished "
        "goal never gets one. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--outcomes", default=str(demo.OUTCOMES), help="reported figures (JSON list)")

    def handle(self, *args, outcomes, **options):
        try:
            reported = json.loads(Path(outcomes).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the reported figures in {outcomes}: {error}") from error
        today = timezone.localdate()
        try:
            summary = demo.demo_progress_load(reported=reported, today=today)
        except demo.SampleDataNotAllowed as error:
            raise CommandError(
                "This site takes no sample figures: set SAMPLE_DATA_ALLOWED=true only for a demo site."
            ) from error
        except demo.NoPublishedGoals as error:
            raise CommandError(
                "No published goals yet: run `ingest_documents fixtures/documents/*.txt --publish` first."
            ) from error
        self.stdout.write(
            f"Reported figures: {summary.reported} stored, {summary.repeated} already reported for the "
            f"goal's indicator, {summary.baselines} baselines set, "
            f"{len(summary.unmatched)} matched no goal"
            + "".join(f"\n  unmatched: {text}" for text in summary.unmatched)
        )
        self.stdout.write(
            f"Sample figures (示例数据): {summary.samples} stored for {summary.sample_goals} goals."
        )
        if summary.replayed_quarters:
            self.stdout.write(
                f"Status history replayed at {summary.replayed_quarters} quarter ends "
                f"from {demo.HISTORY_FROM:%Y-%m-%d}."
            )
        counts = goals_evaluate_all(today=today, dry_run=True).counts
        per_status = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()) if count)
        self.stdout.write(f"Statuses today ({today:%Y-%m-%d}): {per_status}")
