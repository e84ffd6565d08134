"""Dry run of the reader over document files: prints the results (reported figures) found, writes nothing."""

import json

from django.core.management.base import BaseCommand

from apps.ingest.extractor import result_to_json

from .extract_targets import add_reading_arguments, amount, frame_of, read_files


class Command(BaseCommand):
    help = "Extract reported results (figures of a past or current period) from documents (dry run)."

    def add_arguments(self, parser):
        add_reading_arguments(parser)
        parser.add_argument(
            "--explain",
            action="store_true",
            help="also print each result's time frame and the rule that set it",
        )

    def handle(self, *args, **options):
        for path, reading in read_files(options["files"], options):
            if options["json"]:
                for mention in reading.results:
                    self.stdout.write(json.dumps(result_to_json(mention, path.name), ensure_ascii=False))
                continue
            self.stdout.write(f"{path.name}  ({len(reading.results)} results)")
            for m in reading.results:
                estimate = "  [estimate]" if m.is_estimate else ""
                self.stdout.write(
                    f"  {m.start:>6}  {m.metric[:24]:<24} {amount(m):>10} {m.unit:<6} "
                    f"{m.period_start}–{m.period_end} ({m.year_source}){estimate}"
                )
                if options["explain"]:
                    self.stdout.write(f"          frame {frame_of(m)}")
            self.stdout.write("")
