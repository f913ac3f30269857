"""A melding's reference, as the reporter quotes it: ``M-7K3Q-9PX2`` (``wijkaanpak.ids``)."""

from wijkaanpak.ids import as_reference, new_reference

PREFIX = "M"


def new_melding_reference() -> str:
    return new_reference(PREFIX)


def as_melding_reference(raw) -> str | None:
    """The melding reference ``raw`` stands for ("m 7k3q 9px2"), or None. A nine-letter word
    can look like one ("Verdachte" reads V-ERDA-CHTE): only the melding prefix counts, and a
    search still matches such a text as words too (``search.matching``)."""
    reference = as_reference(raw)
    return reference if reference is not None and reference.startswith(f"{PREFIX}-") else None
