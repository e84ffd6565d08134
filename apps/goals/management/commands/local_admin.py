"""Create (or reuse) the local admin login that `make run` prints. Never for production."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = Path(settings.BASE_DIR) / ".local-admin-password"


class Command(BaseCommand):
    help = "Create or reuse a local superuser 'admin' and print how to log in (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("local_admin is for local use only: DEBUG is off. Use createsuperuser.")
        password = PASSWORD_FILE.read_text().strip() if PASSWORD_FILE.exists() else ""
        if not password:
            password = secrets.token_urlsafe(12)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if created or not user.check_password(password):
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            self.style.SUCCESS(
                f"\nLocal admin login · 本地管理员账号\n"
                f"  URL:      http://127.0.0.1:{port}/admin/\n"
                f"  user:     {username}\n"
                f"  password: {password}   (kept in {PASSWORD_FILE.name})\n"
            )
        )
