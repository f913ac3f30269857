"""Keep personal data out of logs: e-mail addresses and request objects never reach a handler.

Scrubbed are the message, the text of an exception logged with it (a database error quotes the
row it refused: ``Key (email)=(…) already exists``) and every field passed in ``extra`` (Celery
logs a task's arguments and result that way). Names cannot be recognised, so no log call
passes one: log calls name ids."""

import logging
import re
import traceback

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
DROPPED_ATTRIBUTES = ("request", "email", "user")
# What every record has; anything else came in ``extra``.
STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", logging.INFO, "", 0, "", (), None))) | {
    "message",
    "asctime",
}


def scrub(value):
    """``value`` without e-mail addresses, its structure kept (texts inside dicts and lists)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return EMAIL_RE.sub("[e-mail]", value)
    if isinstance(value, dict):
        return {scrub(key): scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub(item) for item in value]
    return scrub(str(value))


class ScrubPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = ()
        if record.exc_info:
            # Formatted once here, scrubbed, and kept as the text every formatter then uses.
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
            record.exc_info = None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        for attribute in DROPPED_ATTRIBUTES:
            if hasattr(record, attribute):
                delattr(record, attribute)
        for attribute, value in list(vars(record).items()):
            if attribute not in STANDARD_ATTRIBUTES:
                setattr(record, attribute, scrub(value))
        return True
