"""python manage.py ingest_results FILE... [--manifest PATH]: propose reported figures for review."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.goals.models import Goal
from apps.ingest.manifest import ManifestError
from apps.ingest.reading import DocumentError
from apps.ingest.results import ESTIMATE, FINAL, PRELIMINARY, AttachError, result_attach, results_ingest
from apps.ingest.services import source_file_read

from .ingest_documents import _expand


class Command(BaseCommand):
    help = (
        "Read statistical bulletins, releases and the review sections of reports; propose each reported "
        "figure as a progress update of the goal on that indicator and period, awaiting review (nothing "
        "is public before a reviewer approves it). Results that match no goal are listed. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="text files")
        parser.add_argument(
            "--manifest",
            type=Path,
            help="the manifest.json describing the files (default: the one beside each file)",
        )
        parser.add_argument(
            "--attach",
            action="append",
            default=[],
            metavar="START=GOAL",
            help="propose the unmatched result starting at offset START (as listed) for the goal with "
            "slug GOAL; one FILE only",
        )

    def handle(self, *args, files, manifest, attach, **options):
        if manifest is not None and not manifest.is_file():
            raise CommandError(f"{manifest} does not exist.")
        sources, problems = [], []
        for path in _expand(files):
            try:
                sources.append(source_file_read(path=path, manifest=manifest))
            except (DocumentError, ManifestError, OSError) as error:
                problems.append(f"  {path}: {error}")
        if problems:
            raise CommandError(
                "Nothing was read; fix or leave out these files · 未读取任何文件，请先处理：\n"
                + "\n".join(problems)
            )
        if attach:
            self._attach(sources, attach)
            return
        proposed = unmatched = 0
        for source in sources:
            outcome = results_ingest(source=source)
            proposed += outcome.created
            unmatched += len(outcome.unmatched)
            self.stdout.write(
                f"{source.path.name}: {outcome.results} results, {outcome.created} figures proposed, "
                f"{len(outcome.proposals) - outcome.created} already proposed, "
                f"{len(outcome.unmatched)} unmatched"
            )
            for p in outcome.proposals:
                mark = "+" if p.created else "="
                self.stdout.write(
                    f"  {mark} {p.goal.slug or p.goal.pk}: "
                    f"{p.update.value} {p.goal.unit} as of {p.update.as_of} "
                    f"({_basis(p.update)}) ← {p.result.quote!r}"
                )
            for r in outcome.unmatched:
                self.stdout.write(
                    f"  ? no goal · 未匹配: {r.metric} {r.value} {r.unit} ({r.period_start}–{r.period_end}) "
                    f"at {r.start}-{r.end} ← {r.quote!r}"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {proposed} figures proposed for review, {unmatched} results unmatched."
            )
        )

    def _attach(self, sources, pairs):
        if len(sources) != 1:
            raise CommandError("--attach takes exactly one FILE · 请只指定一个文件")
        for pair in pairs:
            start, _, slug = pair.partition("=")
            goal = Goal.objects.filter(slug=slug).first()
            if not start.isdigit() or goal is None:
                raise CommandError(f"{pair!r}: expected START=GOAL with a goal's slug · 格式应为 起点=目标")
            try:
                update, created = result_attach(source=sources[0], start=int(start), goal=goal)
            except AttachError as error:
                raise CommandError(str(error)) from None
            state = "proposed" if created else "already proposed"
            self.stdout.write(
                f"{slug}: {update.value} {goal.unit} as of {update.as_of} {state} ← {update.quote!r}"
            )


def _basis(update) -> str:
    return ESTIMATE if update.is_estimate else FINAL if update.is_final else PRELIMINARY
