"""Dry run of the reader over document files: prints the targets found, writes nothing."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ingest.extractor import Reading, read, to_json
from apps.ingest.manifest import ManifestError, document_metadata
from apps.ingest.reading import DocumentError, read_document


def read_files(files, options) -> list[tuple[Path, Reading]]:
    """Each file read and validated first (a bad file stops the run before anything is printed), then read."""
    documents = []
    for name in files:
        path = Path(name)
        try:
            text = read_document(path)
            entry = document_metadata(path)  # title, reference year and speakers from manifest.json
        except (DocumentError, ManifestError) as error:
            raise CommandError(str(error)) from None
        documents.append((path, text, entry))
    readings = []
    for path, text, entry in documents:
        if options.get("reference_year"):
            year, source = options["reference_year"], "option"
        elif entry.get("reference_year"):
            year, source = entry["reference_year"], "manifest"
        else:
            year, source = None, "unknown"  # inferred by the reader, which says from what
        reading = read(
            text,
            reference_year=year,
            year_source=source,
            title=entry.get("title", ""),
            speakers=entry.get("speakers"),
            include_incomplete=options.get("include_incomplete", False),
            include_milestones=options.get("include_milestones", False),
            explain=options.get("explain", False),
        )
        readings.append((path, reading))
    return readings


def add_reading_arguments(parser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object per line per mention")
    parser.add_argument("--reference-year", type=int, help="what 今年 means, or the plan's horizon")
    parser.add_argument(
        "--include-incomplete", action="store_true", help="also report figures missing from the source"
    )


def frame_of(m) -> str:
    """The time frame a figure was read in and the rule that set it: "review (heading: 工作回顾)"."""
    return f"{m.frame or 'none'} ({m.frame_rule or 'no rule'})"


def amount(m) -> str:
    if m.value is None:
        return "?"
    return f"{m.value}～{m.value_max}" if m.value_max is not None else str(m.value)


class Command(BaseCommand):
    help = "Extract quantitative targets from policy documents (dry run: prints, writes nothing)."

    def add_arguments(self, parser):
        add_reading_arguments(parser)
        parser.add_argument("--include-milestones", action="store_true", help="also report dated milestones")
        parser.add_argument(
            "--explain",
            action="store_true",
            help="also print each figure's time frame and the rule that set it, and each rejected figure "
            "with the rule that rejected it",
        )

    def handle(self, *args, **options):
        for path, reading in read_files(options["files"], options):
            if options["json"]:
                for mention in reading.targets:
                    self.stdout.write(json.dumps(to_json(mention, path.name), ensure_ascii=False))
            else:
                self._write_table(path, reading)
            if options["explain"]:
                # With --json the explanation goes to standard error,
                # so that standard output stays JSON lines.
                self._write_rejections(self.stderr if options["json"] else self.stdout, path, reading)

    def _write_table(self, path, reading):
        self.stdout.write(
            f"{path.name}  (reference year {reading.reference_year or 'unknown'} from {reading.year_source}, "
            f"{len(reading.targets)} targets)"
        )
        for m in reading.targets:
            deadline = m.deadline.isoformat() if m.deadline else "-"
            flag = "  [figure missing in source]" if m.incomplete else ""
            self.stdout.write(
                f"  {m.start:>6}  {m.metric[:24]:<24} {m.comparator:>2} {amount(m):>10} {m.unit:<6} "
                f"{m.kind:<11} {deadline}  {m.department or ''}{flag}"
            )
        self.stdout.write("")

    def _write_rejections(self, out, path, reading):
        out.write(
            f"{path.name}: {len(reading.rejections)} figures rejected, {len(reading.results)} read as results"
        )
        for r in reading.rejections:
            out.write(f"  {r.start:>6}  {r.quote[:20]:<20}  {r.rule}: {r.reason}")
        for m in reading.targets:
            out.write(f"  {m.start:>6}  {m.quote[:20]:<20}  target, frame {frame_of(m)}")
        for m in reading.results:
            out.write(f"  {m.start:>6}  {m.quote[:20]:<20}  result for {m.period_end}, frame {frame_of(m)}")
        out.write("")
