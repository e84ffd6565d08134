"""python manage.py onboard FOLDER [--dry-run]: a place's documents in, its targets and results ready
for review."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ingest.onboarding import OnboardError, place_onboard


class Command(BaseCommand):
    help = (
        "Onboard a place from FOLDER: a manifest.json (each entry with its jurisdiction) and the documents "
        "it lists. Targets become goals pending review, results become figures proposed for review, and each "
        "new goal gets a lead department (its document's 牵头单位/责任单位, else the place's government "
        "office). Prints a summary. --dry-run stores nothing. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a folder holding manifest.json and the documents")
        parser.add_argument("--dry-run", action="store_true", help="say what would be stored; store nothing")

    def handle(self, *args, folder, dry_run, **options):
        try:
            summary = place_onboard(folder=folder, dry_run=dry_run)
        except OnboardError as error:
            raise CommandError(str(error)) from None
        write = self.stdout.write
        if dry_run:
            write("Dry run: nothing was stored · 试运行：未写入任何数据")
        for line in summary.documents:
            state = "new" if line.created else "already stored"
            write(
                f"{line.file} [{line.place}] ({state}): {line.goals_created} goals proposed, "
                f"{line.results} results read: {line.figures_created} figures proposed, "
                f"{line.matched} matched, {line.unmatched} unmatched"
            )
        write("")
        write(
            f"Goals proposed · 待审目标: {summary.goals_proposed} "
            f"(from {summary.documents_stored} new of {len(summary.documents)} documents)"
        )
        write(
            f"Results · 结果数据: {summary.results_matched} matched to a goal "
            f"({summary.figures_proposed} figures proposed for review), {summary.results_unmatched} unmatched"
        )
        if summary.routed:
            write("Lead departments routed · 牵头单位:")
            for (department, source), count in sorted(summary.routed.items()):
                how = {
                    "line": "its task's 牵头单位/责任单位 line",
                    "document": "named in its sentence",
                    "place": "the place's government office",
                }[source]
                write(f"  {department}: {count} goals ({how})")
        for place in summary.places_created:
            write(f"Created the place · 新建地区: {place}")
        for office in summary.offices_created:
            write(f"Created the place's office department · 新建地区办公室: {office}")
        if summary.unmatched:
            write("Unmatched results (no goal on that indicator and period) · 未匹配的数据:")
            for file, quote in summary.unmatched:
                write(f"  {file}: {quote}")
        if summary.unreadable:
            write("Could not read · 未能读取:")
            for problem in summary.unreadable:
                write(f"  {problem}")
        self.stdout.write(
            self.style.SUCCESS("Done · 完成" + (" (dry run, nothing stored)" if dry_run else ""))
        )
