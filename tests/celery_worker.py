"""A real `celery worker` process for tests, against the test database and real Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A `celery worker` process against the test database, on its own queue."""

    def __init__(self, tmp_path: Path, queue: str, name: str = "worker", env: dict | None = None):
        self.queue = queue
        self.mail_dir = tmp_path / "mail"
        self.log = tmp_path / f"{name}.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_QUEUE": queue,
            "EMAIL_URL": f"filemail:///{self.mail_dir}",  # django-environ drops one leading slash
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
            # As in-process tests (tests/conftest.py): worker tests run on the real clock, at
            # night too, and are about delivery, not quiet hours.
            "WIJKAANPAK_STILLE_UREN": "false",
            **(env or {}),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "wijkaanpak",
                "worker",
                "--pool",
                "solo",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
                "-n",
                f"{name}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: "ready" in self.log.read_text(), what=f"{name} start", log=self.log)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def wait_for(condition, *, what, log, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-3000:]}")
