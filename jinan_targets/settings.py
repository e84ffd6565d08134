"""Settings for Jinan Targets: one module, every value read from the environment.

The defaults are for local use (`make run`): SQLite, tasks run in-process, mail to the console.
Production sets DEBUG=false and must then set SECRET_KEY; see .env.example for every variable.
"""

import sys
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "local-development-only-not-secret"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links where there is no request (emails, jobs, a shell) point at the port the site is served on.
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "jinan_targets.admin_site.JinanAdminConfig",  # django.contrib.admin with the domain listed first
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_celery_beat",
    "simple_history",
    "apps.goals",
    "apps.staff",
    "apps.ingest",
    "apps.public",
    "apps.digests",
    "jinan_targets.apps.JinanTargetsConfig",  # the periodic jobs' runs (jinan_targets/jobs.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jinan_targets.middleware.language_from_path",
    # Public pages answered from the cache before sessions, CSRF and authentication run.
    "apps.public.caching.public_pages_from_cache",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "jinan_targets.urls"
WSGI_APPLICATION = "jinan_targets.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.public.context_processors.sample_data",
            ],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL means the default too (as in a copied .env with the line left blank).
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False


def _runs_jobs(argv: list[str]) -> bool:
    """Whether this process runs jobs (a Celery worker or beat, a management command other than
    runserver) rather than answering web requests (gunicorn, runserver, the tests' client)."""
    program = Path(argv[0]) if argv else Path()
    if program.name == "celery" or program.parent.name == "celery":  # `celery …` or `python -m celery …`
        return True
    # `manage.py …`, `django-admin …` or `python -m django …`
    command = program.name in ("manage.py", "django-admin") or program.parts[-2:] == ("django", "__main__.py")
    return command and argv[1:2] != ["runserver"]


# Web requests give up waiting for a lock after DATABASE_LOCK_TIMEOUT seconds and on a statement after
# DATABASE_STATEMENT_TIMEOUT, both well inside gunicorn's 30 s, so a held lock answers 503 at once
# instead of holding every worker until gunicorn kills it. Jobs and commands wait longer:
# DATABASE_JOB_LOCK_TIMEOUT and DATABASE_JOB_STATEMENT_TIMEOUT (0: no limit). DATABASE_TIMEOUTS
# (web or jobs) overrides which set a process takes.
DATABASE_TIMEOUTS = env.str("DATABASE_TIMEOUTS", default="jobs" if _runs_jobs(sys.argv) else "web")
if DATABASE_TIMEOUTS not in ("web", "jobs"):
    raise ImproperlyConfigured("DATABASE_TIMEOUTS must be web or jobs.")
if DATABASE_TIMEOUTS == "web":
    DATABASE_LOCK_TIMEOUT = env.float("DATABASE_LOCK_TIMEOUT", default=3)
    DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=20)
else:
    DATABASE_LOCK_TIMEOUT = env.float("DATABASE_JOB_LOCK_TIMEOUT", default=60)
    DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_JOB_STATEMENT_TIMEOUT", default=30 * 60)


def _database_options(database: dict) -> None:
    """The session settings every connection of this process carries."""
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.postgresql":
        # A database that hangs must not hang every request: connecting gives up after
        # DATABASE_CONNECT_TIMEOUT seconds.
        options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
        # No JIT compilation: the application's queries are index lookups and set-based batches, and
        # compiling one whose estimated cost passes jit_above_cost took 60 ms of a past day's
        # dashboard's 215 ms query; the daily evaluation ran no slower without it (make bench-status).
        options["options"] = (
            f"-c lock_timeout={int(DATABASE_LOCK_TIMEOUT * 1000)}"
            f" -c statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)} -c jit=off"
        )
    elif database["ENGINE"] == "django.db.backends.sqlite3" and database["NAME"] != ":memory:":
        # `make run`'s worker and beat write to the same file as the dev server: a writer waits up to
        # 20 s for another's lock (SQLite's busy timeout) rather than failing at once, and readers never
        # wait for a writer (write-ahead log).
        options.setdefault("timeout", 20)
        options.setdefault("init_command", "PRAGMA journal_mode=WAL;")


_database_options(DATABASES["default"])
# Keep a worker's database connection between requests (checked before reuse) instead of opening one
# per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica for public pages (jinan_targets/routers.py); unset, everything uses the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    _database_options(DATABASES["replica"])
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASE_ROUTERS = ["jinan_targets.routers.PublicReadsToReplica"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://jinan-targets")}
if "redis" in CACHES["default"]["BACKEND"].lower():
    # Seconds to wait for Redis: a cache that hangs must not hang the pages.
    _cache_timeout = env.float("CACHE_TIMEOUT", default=2)
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=_cache_timeout, socket_timeout=_cache_timeout
    )
# Public pages are cached under the public data version (apps/public/caching.py): this long in the
# cache (a newer version makes a new key anyway), and this long in a CDN or proxy before it revalidates.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=600)
PUBLIC_SHARED_MAX_AGE = env.int("PUBLIC_SHARED_MAX_AGE", default=0)
# Seconds a web worker may reuse its last reading of the public data version (0: read it on every
# request, so a change shows on the very next one; 1 trades up to a second of delay for throughput).
PUBLIC_VERSION_REUSE_SECONDS = env.float("PUBLIC_VERSION_REUSE_SECONDS", default=0)
# Bytes of pages each web worker keeps in its own memory, beside the shared cache (0: none).
PUBLIC_LOCAL_CACHE_BYTES = env.int("PUBLIC_LOCAL_CACHE_BYTES", default=16 * 1024 * 1024)
# Citizens' follow requests (apps/digests/following.py), counted in the cache shared by all workers:
# requests one client (IP address) may make an hour, and confirmation emails one address may get a day.
FOLLOW_REQUESTS_PER_CLIENT_PER_HOUR = env.int("FOLLOW_REQUESTS_PER_CLIENT_PER_HOUR", default=20)
FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY = env.int("FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY", default=3)
# The most goals one list download (CSV, JSON, XLSX) holds; the download is streamed.
EXPORT_MAX_GOALS = env.int("EXPORT_MAX_GOALS", default=50_000)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Evidence files staff attach to progress updates.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

# Mail: the console locally, SMTP (the mail catcher in compose) in production.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Seconds to wait for the mail server at each step; a server that never answers cannot hold a job.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="济南目标追踪 <noreply@localhost>")

# Celery: with no broker configured, tasks run eagerly in-process (the tests, a shell, `make seed`).
# Locally (DEBUG) the broker is then a folder (kombu's filesystem transport), which `make run` turns on
# for its dev server, worker and beat with CELERY_TASK_ALWAYS_EAGER=false; no server is needed.
# Production names its broker (Redis in docker-compose).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_BROKER_FOLDER = Path(env.str("CELERY_BROKER_FOLDER", default=str(BASE_DIR / ".celery-broker")))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing a task gives up after a few seconds on a broker that hangs (the web never waits long).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# (kombu would otherwise retry connecting for ever; a worker reconnects by its own loop anyway).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
if not CELERY_BROKER_URL and DEBUG:
    CELERY_BROKER_URL = "filesystem://localhost/"  # (the host names nothing; kombu wants one)
    _messages = str(CELERY_BROKER_FOLDER / "messages")
    # (beside the options above, which a broker named later, as in the tests, still needs)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": _messages,
        "data_folder_out": _messages,
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
    }
    # The folder carries no broadcasts worth having: workers neither gossip nor take remote commands.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
# No result backend, so nothing for Celery's own clean-up job to do (beat would otherwise add it).
CELERY_RESULT_EXPIRES = None
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic job, in one place. django-celery-beat copies these into the admin,
# where staff can see and change them.
CELERY_BEAT_SCHEDULE = {
    # Every day at 01:00 Beijing time: mark deadlines passed and stale goals, then ask for explanations
    # of goals gone red.
    "evaluate-all-goals-daily": {
        "task": "apps.goals.tasks.evaluate_all_goals",
        "schedule": crontab(hour=1, minute=0),
    },
    # Every Monday at 09:00 Beijing time: remind recorders of stale goals, figures and explanations due.
    "send-weekly-reminders": {
        "task": "apps.goals.tasks.send_weekly_reminders",
        "schedule": crontab(day_of_week="mon", hour=9, minute=0),
    },
    # Every hour at :15: tell citizens following a goal of its status changes and published figures.
    "notify-goal-followers-hourly": {
        "task": "apps.digests.tasks.notify_goal_followers",
        "schedule": crontab(minute=15),
    },
    # Every ten minutes (from 01:30 Beijing time on it acts): finish a daily evaluation that was killed.
    "evaluate-all-goals-catch-up": {
        "task": "apps.goals.tasks.evaluate_all_goals_catch_up",
        "schedule": crontab(minute="*/10"),
    },
    # Every five minutes: send the review emails whose task the broker lost or never got.
    "send-owed-notices": {
        "task": "apps.goals.tasks.send_owed_notices",
        "schedule": 300.0,
    },
    # Every minute: judge goals owed an evaluation whose task the broker lost or never got.
    "evaluate-requested-goals": {
        "task": "apps.goals.tasks.evaluate_requested_goals",
        "schedule": 60.0,
    },
    # Every Monday at 08:00 Beijing time: email subscribed managers the digest of the week before (and,
    # on the first Monday of a month, monthly subscribers the weeks since the month before's first Monday).
    "send-weekly-digests": {
        "task": "apps.digests.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
    },
}

# Status rules: project-wide defaults; each goal may override them.
GOAL_AT_RISK_BAND = Decimal(env.str("GOAL_AT_RISK_BAND", default="10"))
GOAL_GROWTH_TOLERANCE = Decimal(env.str("GOAL_GROWTH_TOLERANCE", default="0.5"))
GOAL_STALE_AFTER_DAYS = env.int("GOAL_STALE_AFTER_DAYS", default=120)
# Invented demo figures (示例数据) may be loaded and approved only where a demo is wanted: by default
# locally (DEBUG), never in production unless this says so explicitly.
SAMPLE_DATA_ALLOWED = env.bool("SAMPLE_DATA_ALLOWED", default=DEBUG)
# Days a lead department has to explain a goal that turned off track or missed (原因说明和整改措施).
GOAL_EXPLANATION_DUE_DAYS = env.int("GOAL_EXPLANATION_DUE_DAYS", default=14)
# Weekly reminders: a figure is due this many days before the reporting cadence runs out, and a
# deadline this near is mentioned.
REMINDER_DUE_BEFORE_DAYS = env.int("REMINDER_DUE_BEFORE_DAYS", default=21)
REMINDER_DEADLINE_WITHIN_DAYS = env.int("REMINDER_DEADLINE_WITHIN_DAYS", default=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS: redirect plain HTTP and tell browsers to use HTTPS only (HSTS) once the site is served over
# TLS; both are off until the environment turns them on (see README, "Production").
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Believe X-Forwarded-Proto only when a proxy that sets it is in front and is the only way in;
# otherwise any client could claim its plain-HTTP request was HTTPS.
TRUST_PROXY_HEADERS = env.bool("TRUST_PROXY_HEADERS", default=False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is answered over plain HTTP inside the container network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
