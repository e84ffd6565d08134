"""Public reads go to the read replica only when one is configured, and only inside a public page."""

import pytest

from apps.goals.models import Goal
from jinan_targets.routers import PublicReadsToReplica, public_reads, read_database


def test_without_a_replica_everything_reads_the_primary():
    router = PublicReadsToReplica()
    with public_reads():
        assert read_database() == "default"
        assert router.db_for_read(Goal) is None


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_with_a_replica_only_public_pages_read_from_it(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    router = PublicReadsToReplica()
    assert router.db_for_read(Goal) is None and read_database() == "default"
    with public_reads():
        assert router.db_for_read(Goal) == "replica" and read_database() == "replica"
        assert router.db_for_write(Goal) == "default"
    assert router.db_for_read(Goal) is None
    assert router.allow_migrate("default", "goals") and not router.allow_migrate("replica", "goals")
