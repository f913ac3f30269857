"""Periodic and batch tasks work row by row: one bad row must not stop the others.

A reminder run that stops at the first activity it cannot mail leaves every other resident
without a reminder, and beat runs it again only to stop at the same row. ``each`` does the
work for every row, with that row's own transaction in ``work``; a row that fails is rolled
back, logged and left for the next run, and the rest still go out.
"""

import logging
from collections.abc import Callable, Iterable

logger = logging.getLogger(__name__)


def each(ids: Iterable, work: Callable[[object], bool | None], *, what: str) -> "Outcome":
    """Call ``work(id)`` for every id. It returns whether it did something (None counts as
    done). An exception is caught: the log names ``what``, the id and the error's type only,
    never its message or traceback (those can hold an address or what someone wrote)."""
    outcome = Outcome()
    for pk in ids:
        try:
            done = work(pk)
        except Exception as exc:
            logger.error(
                "%s failed for one row; the others go on",
                what,
                extra={"row": pk, "error": type(exc).__name__},
            )
            outcome.failures.append(exc)
        else:
            outcome.done += done is not False
    return outcome


class Outcome:
    def __init__(self):
        self.done = 0
        self.failures: list[Exception] = []

    def raise_transient(self) -> None:
        """For a task that retries on OSError (SMTP or network down): once the other rows are
        done, raise the first such failure so the task is retried for the rows left."""
        for exc in self.failures:
            if isinstance(exc, OSError):
                raise exc
