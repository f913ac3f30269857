"""Computing every indicator for every buurt, wijk and the gemeente for one period."""

from collections.abc import Callable
from datetime import date

from buurten.models import Gemeente


def compute_snapshots(
    *,
    gemeente: Gemeente,
    periode_start: date,
    periode_eind: date,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Replace the snapshots of the gemeente for this period; returns how many were written."""
    raise NotImplementedError
