"""E-mail backends for tests that need a mail server to misbehave for one address.

Settings ``TEST_REFUSED_ADDRESSES``: the server refuses these recipients (SMTP 550), the way a
real one does mid-batch. ``TEST_SLOW_ADDRESS`` with ``TEST_SLOW_MARKER`` (a file path): the
first message to that address hangs (after creating the marker), so a test can kill the worker
mid-send; later ones go through.
"""

import smtplib
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends import filebased, locmem


class MisbehavingMixin:
    def send_messages(self, email_messages):
        for message in email_messages:
            refused = set(message.recipients()) & set(
                getattr(settings, "TEST_REFUSED_ADDRESSES", ())
            )
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(refused, (550, b"5.1.1 mailbox unavailable"))
                )
            slow = getattr(settings, "TEST_SLOW_ADDRESS", "")
            marker = Path(getattr(settings, "TEST_SLOW_MARKER", "/nonexistent/marker"))
            if slow in message.recipients() and not marker.exists():
                marker.write_text("sending")
                time.sleep(300)  # the test kills the worker here
        return super().send_messages(email_messages)


class RefusingLocmemBackend(MisbehavingMixin, locmem.EmailBackend):
    pass


class RefusingFileBackend(MisbehavingMixin, filebased.EmailBackend):
    pass
