"""Import a department's filled-in progress sheet (XLSX or CSV) as figures submitted for review."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.goals.services.progress_import import SheetUnreadable, progress_import, progress_rows_read


class Command(BaseCommand):
    help = (
        "Import figures from FILE.xlsx or FILE.csv (the template's columns) as submitted by --user. "
        "Every row is checked first; if any row has an error, each error is printed and nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an .xlsx or .csv file with the template's header")
        parser.add_argument("--user", required=True, help="the recorder's user name; the figures are theirs")
        parser.add_argument("--dry-run", action="store_true", help="check every row; store nothing")

    def handle(self, *args, file, user, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        recorder = get_user_model().objects.filter(username=user, is_active=True).first()
        if recorder is None:
            raise CommandError(f"--user {user}: no active user of that name")
        try:
            rows = progress_rows_read(name=path.name, content=path.read_bytes())
        except SheetUnreadable as error:
            raise CommandError(f"{file}: {error}") from None
        result = progress_import(rows=rows, user=recorder, today=timezone.localdate(), dry_run=dry_run)
        if not result.is_valid:
            for line in result.error_lines():
                self.stderr.write(line)
            raise CommandError(
                f"{len(result.error_lines())} 处错误，未导入任何数据 · "
                f"{len(result.error_lines())} error(s); nothing was stored."
            )
        if dry_run:
            self.stdout.write(
                f"全部{len(rows)}行无误（试运行，未写入） · "
                f"All {len(rows)} rows are valid (dry run, nothing stored)."
            )
        else:
            self.stdout.write(
                f"已导入并报送审核{len(result.stored)}条进展 · "
                f"{len(result.stored)} figures stored and submitted for review."
            )
