"""The project's settings plus the benchmark's reference views; only for a _bench database."""

from django.core.exceptions import ImproperlyConfigured

from wijkaanpak.settings import *  # noqa: F403
from wijkaanpak.settings import DATABASES

ROOT_URLCONF = "bench.urls"

if not DATABASES["default"]["NAME"].endswith("_bench"):
    raise ImproperlyConfigured("benchmarks run only against a database whose name ends in _bench")
