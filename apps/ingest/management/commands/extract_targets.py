"""Dry run of the extractor over document files: prints the targets found, writes nothing."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ingest.extractor import extract, infer_reference_year, to_json
from apps.ingest.manifest import ManifestError, document_metadata
from apps.ingest.reading import DocumentError, read_document


class Command(BaseCommand):
    help = "Extract quantitative targets from policy documents (dry run: prints, writes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="one JSON object per line per mention")
        parser.add_argument("--reference-year", type=int, help="what 今年 means, or the plan's horizon")
        parser.add_argument(
            "--include-incomplete", action="store_true", help="also report figures missing from the source"
        )
        parser.add_argument("--include-milestones", action="store_true", help="also report dated milestones")

    def handle(self, *args, **options):
        # Read and validate every file first, so a bad file stops the run before anything is printed.
        documents = []
        for name in options["files"]:
            path = Path(name)
            try:
                text = read_document(path)
                entry = document_metadata(path)  # title, reference year and speakers from manifest.json
            except (DocumentError, ManifestError) as error:
                raise CommandError(str(error)) from None
            documents.append((path, text, entry))

        for path, text, entry in documents:
            title = entry.get("title", "")
            reference_year = (
                options["reference_year"] or entry.get("reference_year") or infer_reference_year(text, title)
            )
            mentions = extract(
                text,
                reference_year=reference_year,
                title=title,
                speakers=entry.get("speakers"),
                include_incomplete=options["include_incomplete"],
                include_milestones=options["include_milestones"],
            )
            if options["json"]:
                for mention in mentions:
                    self.stdout.write(json.dumps(to_json(mention, path.name), ensure_ascii=False))
            else:
                self._write_table(path, reference_year, mentions)

    def _write_table(self, path, reference_year, mentions):
        self.stdout.write(
            f"{path.name}  (reference year {reference_year or 'unknown'}, {len(mentions)} targets)"
        )
        for m in mentions:
            if m.value is None:
                amount = "?"
            elif m.value_max is not None:
                amount = f"{m.value}～{m.value_max}"
            else:
                amount = str(m.value)
            deadline = m.deadline.isoformat() if m.deadline else "-"
            flag = "  [figure missing in source]" if m.incomplete else ""
            self.stdout.write(
                f"  {m.start:>6}  {m.metric[:24]:<24} {m.comparator:>2} {amount:>10} {m.unit:<6} "
                f"{m.kind:<11} {deadline}  {m.department or ''}{flag}"
            )
        self.stdout.write("")
