"""Benchmark of the weekly digest: `make bench-digest` or `python -m bench.digest`.

It uses the bench database of `make bench-web` (10,000 goals, 1,000,000 figures), adds N subscribers
(default 10,000: a third for all departments, the rest for one department each), starts a local SMTP
sink (aiosmtpd) in a process of its own on a loopback port and sends last week's digest to all of
them as the weekly job does: the chunks of services.digest_chunks sent by several worker processes
at once (default 4, standing in for Celery workers), each chunk over one SMTP connection. It prints
the total seconds, emails per second, queries per email, the CPU seconds of the senders and of the
sink, the load average (other work on the machine slows the bench) and the sizes of the emails."""

import argparse
import multiprocessing
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from statistics import median

from bench.common import free_port, start_django, web_bench_database_url


class Sink:
    """An aiosmtpd handler that keeps only each message's size."""

    def __init__(self):
        self.sizes: list[int] = []

    async def handle_DATA(self, server, session, envelope):
        self.sizes.append(len(envelope.content))
        return "250 OK"


def run_sink(port: int, sizes_path: str, ready, stop) -> None:
    """The SMTP sink, in its own process; writes the sizes it received to `sizes_path` when stopped."""
    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    # The first line: the CPU seconds the sink used; then one size per message.
    Path(sizes_path).write_text("\n".join(map(str, [cpu.ru_utime + cpu.ru_stime, *sink.sizes])))


def add_subscribers(count: int) -> None:
    """Replace the bench subscribers with `count` new ones, with COPY."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from apps.digests.models import DigestDelivery, DigestSubscription, new_unsubscribe_token
    from apps.goals.models import Department, DepartmentMembership

    User = get_user_model()
    DigestDelivery.objects.all().delete()
    DigestSubscription.objects.all().delete()
    User.objects.filter(username__startswith="bench-manager-").delete()
    now = timezone.now()
    user_columns = (
        "username, email, password, first_name, last_name, is_staff, is_active, is_superuser, date_joined"
    )
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {User._meta.db_table} ({user_columns}) FROM STDIN") as copy:
            for n in range(count):
                # A third read every department: only superusers may (apps/digests/scope.py).
                superuser = n % 3 == 0
                copy.write_row(
                    [
                        f"bench-manager-{n}",
                        f"manager{n}@bench.example",
                        "!",
                        "",
                        "",
                        True,
                        True,
                        superuser,
                        now,
                    ]
                )
        users = User.objects.filter(username__startswith="bench-manager-").order_by("pk")
        user_ids = list(users.values_list("pk", flat=True))  # read before COPY holds the connection
        columns = "user_id, is_active, frequency, unsubscribe_token, created_at"
        with cursor.cursor.copy(f"COPY {DigestSubscription._meta.db_table} ({columns}) FROM STDIN") as copy:
            for user_id in user_ids:  # weekly: all of them are due whatever day the bench runs
                copy.write_row([user_id, True, "weekly", new_unsubscribe_token(), now])
        departments = list(Department.objects.order_by("pk").values_list("pk", flat=True))
        through = DigestSubscription.departments.through
        subscription_ids = list(DigestSubscription.objects.order_by("pk").values_list("pk", flat=True))
        with cursor.cursor.copy(
            f"COPY {through._meta.db_table} (digestsubscription_id, department_id) FROM STDIN"
        ) as copy:
            for n, subscription_id in enumerate(subscription_ids):
                if n % 3:  # a third subscribe to all departments (no row here)
                    copy.write_row([subscription_id, departments[n % len(departments)]])
        # The rest manage the department they subscribe to (subscription n is user n's).
        membership_columns = "user_id, department_id, role"
        with cursor.cursor.copy(
            f"COPY {DepartmentMembership._meta.db_table} ({membership_columns}) FROM STDIN"
        ) as copy:
            for n, user_id in enumerate(user_ids):
                if n % 3:
                    copy.write_row([user_id, departments[n % len(departments)], "manager"])


def _worker_start() -> None:
    from django.db import connections

    connections.close_all()  # each worker process opens its own connection


def send_chunk(chunk: list[int], period) -> tuple[int, int]:
    """One worker's task: (emails sent, queries run)."""
    from django.db import connection

    from apps.digests import services

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        sent = services.digests_send_chunk(subscription_ids=chunk, period=period)
    return sent, len(queries)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4, help="processes sending chunks at once")
    args = parser.parse_args(argv)

    url = web_bench_database_url()
    port = free_port()
    start_django(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-secret",
            "DATABASE_URL": url,
            "CACHE_URL": "locmemcache://digest-bench",
            "SITE_URL": "http://127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "CELERY_BROKER_URL": "",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "false",
        }
    )
    from django.db import connection
    from django.utils import timezone

    from apps.digests import services
    from apps.goals.models import Goal

    if not Goal.objects.exists():
        sys.exit("The bench database is empty: run make bench-web first (it loads the goals and figures).")
    began = time.perf_counter()
    add_subscribers(args.subscribers)
    with connection.cursor() as cursor:  # fresh rows: let the planner know them
        cursor.execute(
            "ANALYZE auth_user, digests_digestsubscription, digests_digestsubscription_departments"
        )
    print(
        f"Bench database {url.rsplit('/', 1)[-1]}: {Goal.objects.count():,} goals; "
        f"{args.subscribers:,} subscribers added in {time.perf_counter() - began:.1f} s"
    )
    sizes_path = f"/tmp/digest-bench-sizes-{os.getpid()}"
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    sink = multiprocessing.Process(target=run_sink, args=(port, sizes_path, ready, stop))
    sink.start()
    ready.wait(30)
    load_before = os.getloadavg()[0]
    try:
        began = time.perf_counter()
        [(period, chunks)] = services.digest_chunks(today=timezone.localdate())  # all weekly
        connection.close()
        with ProcessPoolExecutor(args.workers, initializer=_worker_start) as pool:
            results = list(pool.map(send_chunk, chunks, [period] * len(chunks)))
        seconds = time.perf_counter() - began
        workers_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        stop.set()
        sink.join(60)
    sent, query_count = sum(r[0] for r in results), sum(r[1] for r in results)
    sink_cpu, *received = Path(sizes_path).read_text().split()
    sizes = sorted(int(size) for size in received)
    os.unlink(sizes_path)
    print(
        f"Sent {sent:,} digests in {len(chunks)} chunks by {args.workers} processes "
        f"(the SMTP sink received {len(sizes):,}) in {seconds:.1f} s = {sent / seconds:,.0f} emails/s, "
        f"{query_count / max(sent, 1):.2f} queries per email"
    )
    print(
        f"CPU: sending processes {workers_cpu.ru_utime + workers_cpu.ru_stime:.1f} s, SMTP sink "
        f"{float(sink_cpu):.1f} s; load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        f"({os.cpu_count()} CPUs; other work on the machine slows this down)"
    )
    if sizes:
        print(
            f"Email size: median {median(sizes) / 1024:.1f} KiB, largest {sizes[-1] / 1024:.1f} KiB, "
            f"smallest {sizes[0] / 1024:.1f} KiB"
        )


if __name__ == "__main__":
    main()
