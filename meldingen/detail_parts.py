"""What apps above meldingen add to a handler's case page: a hook, not an upward import
(ADR 0012). An app registers, from its ``AppConfig.ready``, a one-to-one reverse accessor to
fetch with the melding (in the same query) and a template included with ``melding``."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DetailPart:
    related: str
    template: str


_parts: dict[str, DetailPart] = {}


def register(name: str, *, related: str, template: str) -> None:
    """Registering the same name again replaces it (``ready`` may run twice in tests)."""
    _parts[name] = DetailPart(related=related, template=template)


def parts() -> tuple[DetailPart, ...]:
    return tuple(_parts.values())
