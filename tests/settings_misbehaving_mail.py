"""The project's settings with a mail server that misbehaves for given addresses (for worker
processes in tests; see tests/mail_backends.py)."""

import os

from wijkaanpak.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.mail_backends.RefusingFileBackend"
TEST_REFUSED_ADDRESSES = [a for a in os.environ.get("TEST_REFUSED_ADDRESSES", "").split(",") if a]
TEST_SLOW_ADDRESS = os.environ.get("TEST_SLOW_ADDRESS", "")
TEST_SLOW_MARKER = os.environ.get("TEST_SLOW_MARKER", "/nonexistent/marker")
