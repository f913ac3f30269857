"""Keep personal data out of logs: e-mail addresses and request objects never reach a handler."""

import logging
import re

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
DROPPED_ATTRIBUTES = ("request", "email", "user")


class ScrubPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = EMAIL_RE.sub("[e-mail]", message)
        record.args = ()
        for attribute in DROPPED_ATTRIBUTES:
            if hasattr(record, attribute):
                delattr(record, attribute)
        return True
