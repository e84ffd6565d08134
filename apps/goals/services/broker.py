"""Starting Celery tasks from a request without depending on the broker: publishing gives up within
seconds (settings.CELERY_BROKER_TRANSPORT_OPTIONS), a failure is logged and not raised, and after one
the process stops trying for a minute, so a batch of approvals waits for a hung broker once. Callers
keep a durable record of the work (a mark on the goal, a notice row) when it must not be lost."""

from __future__ import annotations

import logging
from time import monotonic

from celery import current_app

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 60
_paused_until = 0.0


def task_start(name: str, *args) -> bool:
    """Queue the task registered as `name` with `args`; True if the broker took it. By name, so that a
    service never imports the task module that calls it (the task runs in-process where tasks run
    eagerly, as in tests)."""
    global _paused_until
    if monotonic() < _paused_until:
        logger.warning("%s%s not queued: the broker failed less than a minute ago", name, args)
        return False
    try:
        current_app.signature(name, args=args).apply_async(retry=False)
    except Exception as error:  # any broker failure: the request must go on
        _paused_until = monotonic() + PAUSE_SECONDS
        logger.warning("%s%s not queued: %s", name, args, error)
        return False
    return True
