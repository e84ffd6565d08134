"""Public reads from a read replica, when one is configured (DATABASE_REPLICA_URL); off otherwise.

Only what a citizen reads goes there: apps.public.caching runs each public page inside
`public_reads()`, so the page, its data version and its queries all come from the one replica and
stay consistent with each other. Everything else — the admin, services, jobs, staff reading what they
just wrote — uses the primary."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_public_read: ContextVar[bool] = ContextVar("public_read", default=False)


@contextmanager
def public_reads():
    token = _public_read.set(REPLICA in settings.DATABASES)
    try:
        yield
    finally:
        _public_read.reset(token)


def read_database() -> str:
    """The database alias a public read should use now."""
    return REPLICA if _public_read.get() else "default"


class PublicReadsToReplica:
    def db_for_read(self, model, **hints):
        return REPLICA if _public_read.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
