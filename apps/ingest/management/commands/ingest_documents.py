"""python manage.py ingest_documents FILE... [--publish]: store documents and the goals they state."""

import glob
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.ingest.manifest import ManifestError
from apps.ingest.reading import DocumentError
from apps.ingest.services import document_ingest, source_file_read


class Command(BaseCommand):
    help = (
        "Read policy documents (UTF-8 or GB18030 text), store each once, and turn every target they state "
        "into goals with citations. New goals wait for review unless --publish. Every file is checked "
        "before anything is written: one bad file stops the run with nothing stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="text files; a manifest.json beside them adds metadata")
        parser.add_argument("--publish", action="store_true", help="publish new complete goals at once")

    def handle(self, *args, files, publish, **options):
        paths = _expand(files)
        sources, problems = [], []
        for path in paths:
            try:
                sources.append(source_file_read(path=path))
            except (DocumentError, ManifestError, OSError) as error:
                problems.append(f"  {path}: {error}")
        if problems:
            raise CommandError(
                "Nothing was ingested; fix or leave out these files · 未导入任何文件，请先处理：\n"
                + "\n".join(problems)
            )
        total = len(sources)
        stored = goals = citations = 0
        lines = []
        # All or nothing: a failure in any document (a constraint, a crash) leaves none of them stored.
        with transaction.atomic():
            for number, source in enumerate(sources, start=1):
                result = document_ingest(source=source, publish=publish)
                if result.created:
                    stored += 1
                    goals += result.goals_created
                    citations += result.citations_created
                    lines.append(
                        f"[{number}/{total}] {source.path.name}: {result.mentions} mentions, "
                        f"{result.goals_created} new goals, {result.citations_created} citations"
                        + (f", {result.incomplete} incomplete (need review)" if result.incomplete else "")
                    )
                else:
                    lines.append(
                        f"[{number}/{total}] {source.path.name}: already stored as document "
                        f"{result.document.pk}, unchanged"
                    )
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {stored} new documents, {goals} new goals, {citations} citations "
                f"({total - stored} already stored)."
            )
        )


def _expand(patterns):
    paths = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if any(c in pattern for c in "*?[") else [pattern]
        if not matches:
            raise CommandError(f"No file matches {pattern!r}.")
        paths.extend(Path(m) for m in matches)
    return paths
