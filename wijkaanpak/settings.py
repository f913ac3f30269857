"""Settings for every environment: the laptop demo, CI and production.

One code path: environment variables (or a ``.env`` file next to ``manage.py``) choose SQLite or
Postgres, in-process or real Celery, console or SMTP e-mail. ``.env.example`` lists them all.
"""

import os
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from wijkaanpak.csp import content_security_policy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
ENV_FILE = Path(os.environ.get("DJANGO_ENV_FILE", BASE_DIR / ".env"))
if ENV_FILE.is_file():
    # Values already in the environment win over the file.
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "teamapi",
    "buurten",
    "meldingen",
    "activiteiten",
    "verzoeken",
    "open311",
    "indicatoren",
    "notificaties",
    "portaal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wijkaanpak.middleware.RejectNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StoredLanguageMiddleware",
    "accounts.middleware.ProfessionalSessionMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "accounts.middleware.NoStoreForAuthenticatedMiddleware",
]

ROOT_URLCONF = "wijkaanpak.urls"
WSGI_APPLICATION = "wijkaanpak.wsgi.application"

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
                "accounts.access.context_processor",
                "notificaties.context_processors.ongelezen",
            ],
        },
    },
]
# Widgets drawn with the templates above, so templates/ can override a widget's template (the
# admin's date-and-time fields get labels there: templates/admin/widgets/split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Data stores -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "wijkaanpak.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs (a network partition) is given up on like one that refuses.
            "OPTIONS": {"FALLBACK": "security", "socket_connect_timeout": 1, "socket_timeout": 2},
        },
        # Rate limits and used TOTP codes while Redis is unreachable: security limits do not
        # fail open (wijkaanpak.redis_cache). No culling of live entries before a million rows.
        "security": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "wijkaanpak_security_cache",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }
else:
    # Single-process demo: a per-process cache is shared by everything that process serves.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery: real workers with Redis, in-process without -------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that hangs (a partition, a stuck Redis) is given up on like one that refuses: a
# request hands its task over after commit and must not wait (the sweep relays it later).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
}
# Workers log through Django's LOGGING (JSON, scrubbed) instead of their own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery's Django fixup closes the database connection around every task unless told to reuse
# it; a new Postgres connection costs more than routing a melding.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="wijkaanpak")

# --- Accounts (django-allauth) -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Wijkaanpak] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/5m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# A sign-in this recent (seconds) counts for actions that ask for one: revealing a reporter,
# changing e-mail, password or MFA (accounts.adapters.AccountAdapter).
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("WIJKAANPAK_REAUTHENTICATION_TIMEOUT", default=300)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Wijkaanpak"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail --------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Wijkaanpak <noreply@wijkaanpak.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# An SMTP server that hangs must not outlast a notification's lease (WIJKAANPAK_NOTIFICATIE_LEASE).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security ------------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Addresses or networks of the reverse proxies in front of the site: only from these is
# X-Forwarded-For believed (``wijkaanpak.proxies.client_ip``). Empty: clients connect directly.
WIJKAANPAK_TRUSTED_PROXIES = env.list("WIJKAANPAK_TRUSTED_PROXIES", default=[])
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Flash messages live in the session (server side), never in a cookie: one of them carries a
# new API key, shown once to the administrator who made it.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The base map under the buurt shapes (PDOK BRT-Achtergrondkaart in production, e.g.
# https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png).
# Empty: the maps draw the buurt shapes only, with no outside service (tests, offline demo).
KAART_TEGELS_URL = env("KAART_TEGELS_URL", default="")
KAART_TEGELS_ATTRIBUTIE = env("KAART_TEGELS_ATTRIBUTIE", default="Kaartgegevens © Kadaster")
CONTENT_SECURITY_POLICY = content_security_policy(tile_url=KAART_TEGELS_URL)

# --- Logging: JSON lines, no personal data (see accounts.logging) --------------------------------
LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_personal_data": {"()": "accounts.logging.ScrubPersonalDataFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["scrub_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Request lines carry full URLs (e-mail confirmation keys, search terms): not logged.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

# --- Domain configuration ------------------------------------------------------------------------
WIJKAANPAK_DEMO_PASSWORD = env("DEMO_PASSWORD", default="buurt-demo-2026")
WIJKAANPAK_VOUCHES_NEEDED = env.int("WIJKAANPAK_VOUCHES_NEEDED", default=2)
WIJKAANPAK_STAFF_ROLES_REQUIRE_MFA = env.bool("WIJKAANPAK_STAFF_ROLES_REQUIRE_MFA", default=True)
# Sessions of the roles that can reveal reporters (OWASP ASVS L2): signed out after this many
# seconds without a request, and after this many in all (accounts.middleware).
WIJKAANPAK_PROFESSIONAL_IDLE_TIMEOUT = env.int(
    "WIJKAANPAK_PROFESSIONAL_IDLE_TIMEOUT", default=30 * 60
)
WIJKAANPAK_PROFESSIONAL_SESSION_MAX_AGE = env.int(
    "WIJKAANPAK_PROFESSIONAL_SESSION_MAX_AGE", default=12 * 3600
)
WIJKAANPAK_SITE_URL = env("WIJKAANPAK_SITE_URL", default="http://127.0.0.1:8000")

# Notificaties: every e-mail to a person goes through one outbox (docs/adr/0010). A worker holds
# the rows it takes for the lease; a row it did not finish (it died) is offered again after it.
WIJKAANPAK_NOTIFICATIE_LEASE = env.int("WIJKAANPAK_NOTIFICATIE_LEASE", default=300)
WIJKAANPAK_NOTIFICATIE_BACKOFF = env.int("WIJKAANPAK_NOTIFICATIE_BACKOFF", default=60)
WIJKAANPAK_NOTIFICATIE_KEEP_DAYS = env.int("WIJKAANPAK_NOTIFICATIE_KEEP_DAYS", default=30)
# Quiet hours (22:00-07:00 Amsterdam) for everyone who did not set their own; off: at any hour.
WIJKAANPAK_STILLE_UREN = env.bool("WIJKAANPAK_STILLE_UREN", default=True)
# A person's notices stay in their inbox in the site (Berichten) this long after they were
# written, then the daily purge deletes them: well before a melding they are about is
# anonymised (WIJKAANPAK_RETENTION_DAYS after it closed).
WIJKAANPAK_BERICHTEN_KEEP_DAYS = env.int("WIJKAANPAK_BERICHTEN_KEEP_DAYS", default=90)

# Web push (docs/adr/0015): without a key pair the push channel and its controls are off.
# Generate a pair with `python manage.py vapid_sleutels`. The subject tells push services whom
# to contact (mailto: or https:). Pushes go only to the push services listed here (an endpoint
# is an address a browser hands us: never a way to make the worker call any host).
WIJKAANPAK_VAPID_PRIVATE_KEY = env("WIJKAANPAK_VAPID_PRIVATE_KEY", default="")
WIJKAANPAK_VAPID_PUBLIC_KEY = env("WIJKAANPAK_VAPID_PUBLIC_KEY", default="")
WIJKAANPAK_VAPID_SUBJECT = env("WIJKAANPAK_VAPID_SUBJECT", default="")
WIJKAANPAK_PUSH_SERVICES = env.list(
    "WIJKAANPAK_PUSH_SERVICES",
    default=[
        "https://fcm.googleapis.com",
        "https://updates.push.services.mozilla.com",
        "https://web.push.apple.com",
        "https://*.push.apple.com",
        "https://*.notify.windows.com",
    ],
)
WIJKAANPAK_PUSH_TIMEOUT = env.float("WIJKAANPAK_PUSH_TIMEOUT", default=10.0)
WIJKAANPAK_PUSH_RATE = env("WIJKAANPAK_PUSH_RATE", default="30/h")
CELERY_BEAT_SCHEDULE = {
    "relay-notificaties": {"task": "notificaties.tasks.relay_notificaties", "schedule": 60.0},
    # Digests at the end of the default quiet hours; each is written once per person and
    # period, so a second run (beat firing twice, a restart) adds nothing.
    "daily-overzichten": {
        "task": "notificaties.tasks.send_daily_overzichten",
        "schedule": crontab(hour=7, minute=0),
    },
    "weekly-overzichten": {
        "task": "portaal.tasks.send_weekly_overzichten",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    "purge-notificaties": {
        "task": "notificaties.tasks.purge_notificaties",
        "schedule": crontab(hour=4, minute=15),
    },
}

# Meldingen
WIJKAANPAK_OUTBOX_RETRY_AFTER = env.int("WIJKAANPAK_OUTBOX_RETRY_AFTER", default=300)
WIJKAANPAK_RETENTION_DAYS = env.int("WIJKAANPAK_RETENTION_DAYS", default=180)
WIJKAANPAK_MELDING_RATE = env("WIJKAANPAK_MELDING_RATE", default="10/h")
CELERY_BEAT_SCHEDULE.update(
    {
        "sweep-outbox": {"task": "meldingen.tasks.sweep_outbox", "schedule": 60.0},
        "activity-reminders": {"task": "activiteiten.tasks.send_reminders", "schedule": 900.0},
        "silent-consent": {
            "task": "verzoeken.tasks.silent_consent_and_escalation",
            "schedule": 900.0,
        },
        "last-day-to-decide": {"task": "verzoeken.tasks.warn_on_the_last_day", "schedule": 900.0},
        # Every five minutes: a high-priority term is at most a day, so the team hears within
        # minutes that it passed.
        "alert-overdue-meldingen": {"task": "meldingen.tasks.alert_overdue", "schedule": 300.0},
        # Every quarter hour: a planned nazorg contact is told from 08:00 that day.
        "remind-nazorg": {"task": "meldingen.tasks.remind_nazorg", "schedule": 900.0},
        # Each morning: the officers' summary of their area (once per officer and day).
        "gebiedsoverzicht": {
            "task": "meldingen.tasks.send_gebiedsoverzicht",
            "schedule": crontab(hour=7, minute=0),
        },
        # Forms sent once (ADR 0020): their claims are kept a day.
        "forget-inzendingen": {
            "task": "accounts.tasks.forget_inzendingen",
            "schedule": crontab(hour=4, minute=50),
        },
        # At a fixed hour, not every 24 hours: an interval counts from beat's own start, so
        # restarting beat each day (a deploy) would put retention off for ever.
        "anonymise-closed-meldingen": {
            "task": "meldingen.tasks.anonymise_closed",
            "schedule": crontab(hour=4, minute=45),
        },
    }
)

# --- APIs: JSON API for the platform's own clients (/api/v1/) and Open311 (/open311/v2/) --------
REST_FRAMEWORK = {
    # Each view names its own authentication (team tokens); a browser session never counts.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's own throttles would otherwise key on any X-Forwarded-For a client sends; ours use
    # wijkaanpak.proxies.client_ip.
    "NUM_PROXIES": 0,
    "EXCEPTION_HANDLER": "teamapi.errors.exception_handler",
    "COMPACT_JSON": False,
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wijkaanpak API",
    "DESCRIPTION": (
        "Read access for the systems of police, enforcement and municipal teams: the triaged "
        "meldingen feed and activities, with the same scope as the team's people on the site. "
        "Authenticate with `Authorization: Bearer wka_…` (a key an administrator issues per "
        "team). Reporters' identities are never part of any answer. The published indicators "
        "(the open data: totals per gemeente, wijk and buurt, small counts suppressed) and the "
        "public activities need no key: those operations list no key as an option of their "
        "security (a key sent there is still checked, and shows a team its members-only "
        'activities). Every error is `{"error": …, "fields": …}`; an empty query value '
        "is a 400."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI and ReDoc from the drf-spectacular-sidecar package: no CDN (CSP is 'self').
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from the online validator: CSP allows images from 'self' only.
    # No deep links: Swagger UI draws each operation's path as a link inside the button that
    # opens it, a control inside a control that screen readers cannot reach (axe-core:
    # nested-interactive, serious).
    # No syntax highlighting of responses: "Try it out" on a gemeente's indicators (about 1.6 MB
    # for Amsterdam) froze the tab for some 40 seconds while Swagger UI coloured the JSON.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "validatorUrl": None, "syntaxHighlight": False},
}
# Open311 GeoReport v2: requests per client key (reads and submissions counted apart) and,
# for the key-less service list, per IP address; COUNT/UNIT with unit s, m, h or d.
WIJKAANPAK_OPEN311_READ_RATE = env("WIJKAANPAK_OPEN311_READ_RATE", default="600/m")
WIJKAANPAK_OPEN311_WRITE_RATE = env("WIJKAANPAK_OPEN311_WRITE_RATE", default="60/m")
WIJKAANPAK_OPEN311_PUBLIC_RATE = env("WIJKAANPAK_OPEN311_PUBLIC_RATE", default="300/m")
# A point outside every buurt shape is placed in the buurt with the nearest centre, but only
# within this many metres (a point in the river beside a buurt, not one in another town).
WIJKAANPAK_OPEN311_MAX_DISTANCE_M = env.int("WIJKAANPAK_OPEN311_MAX_DISTANCE_M", default=1500)
# Address search (buurten/adressen.py): PDOK Locatieserver v3_1, free and without a key, e.g.
# https://api.pdok.nl/bzk/locatieserver/search/v3_1. Empty (the default): no outside service;
# buurten are found by their names and the map. Answers are cached; a slow one is given up on.
WIJKAANPAK_LOCATIESERVER_URL = env("PDOK_LOCATIESERVER_URL", default="")
WIJKAANPAK_LOCATIESERVER_TIMEOUT = env.float("PDOK_LOCATIESERVER_TIMEOUT", default=2.0)
WIJKAANPAK_LOCATIESERVER_CACHE_SECONDS = env.int("PDOK_LOCATIESERVER_CACHE_SECONDS", default=86400)
# The browser's address search (/buurten/adres/...): requests per IP address.
WIJKAANPAK_ADRES_RATE = env("WIJKAANPAK_ADRES_RATE", default="60/m")
# Indicatoren: recomputed every night for the last 12 months (and on demand from the dashboard).
# Before the figures, which are right without it too (ADR 0006, "Computation"), only slower.
CELERY_BEAT_SCHEDULE["deelname-maanden"] = {
    "task": "indicatoren.tasks.deelname_maanden",
    "schedule": crontab(hour=3, minute=0),
}
CELERY_BEAT_SCHEDULE["nightly-indicators"] = {
    "task": "indicatoren.tasks.compute_nightly",
    "schedule": crontab(hour=3, minute=30),
}
