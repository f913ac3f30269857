"""The buurt map: server-side SVG from the shapes stored on ``buurten.Buurt`` (EWKT, RD New).

No tile server and no JavaScript: RD New coordinates are metres on a flat grid, so drawing is
scaling and flipping the y axis. Styling is by class only (the CSP forbids inline style); the
colour classes come with a hatch for suppressed figures (a cross-hatch where a figure is hidden
to protect a small count elsewhere), a dotted fill where nothing is known,
a thick outline where the target is reached, and a value label on every buurt, so that the map
reads without colour. The table under the map carries the same figures as text.
"""

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from buurten.geo import rings_of

WIDTH = 800
PADDING = 12
# Points closer together than this (in drawing units) add nothing visible at this size.
MIN_STEP = 0.8


@dataclass(frozen=True)
class Area:
    """One buurt on the map. ``klasse`` is 1..5, or None when there is no figure to colour."""

    code: str
    naam: str
    geometrie: str
    label: str
    title: str
    klasse: int | None = None
    onderdrukt: bool = False
    beschermd: bool = False  # hidden to protect a small count elsewhere, not small itself
    streefwaarde_gehaald: bool = False
    href: str = ""


class _Projection:
    """RD New metres → drawing units: fit the bounding box into WIDTH, north up."""

    def __init__(self, rings):
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        self.min_x, self.max_y = min(xs), max(ys)
        span = max(max(xs) - self.min_x, max(ys) - min(ys), 1.0)
        self.scale = (WIDTH - 2 * PADDING) / span
        self.width = round((max(xs) - self.min_x) * self.scale + 2 * PADDING)
        self.height = round((self.max_y - min(ys)) * self.scale + 2 * PADDING)

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return (
            round((x - self.min_x) * self.scale + PADDING, 1),
            round((self.max_y - y) * self.scale + PADDING, 1),
        )


def _path(rings, project) -> str:
    parts = []
    for ring in rings:
        kept = []
        for x, y in ring:
            px, py = project(x, y)
            if kept and math.dist(kept[-1], (px, py)) < MIN_STEP:
                continue
            kept.append((px, py))
        if len(kept) >= 3:
            parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in kept) + "Z")
    return "".join(parts)


def label_point(ring: list[tuple[float, float]]) -> tuple[float, float]:
    """A point inside the ring for its label: the middle of the widest horizontal run through
    the centroid's height (the centroid itself may lie outside a concave buurt)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        xs, ys = zip(*ring, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx, cy = cx / (3 * area), cy / (3 * area)
    crossings = sorted(
        x0 + (cy - y0) * (x1 - x0) / (y1 - y0)
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
        if (y0 <= cy < y1) or (y1 <= cy < y0)
    )
    runs = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not runs:
        return cx, cy
    left, right = max(runs, key=lambda run: run[1] - run[0])
    return (left + right) / 2, cy


# Label sizes in drawing units (see indicatoren.css): the desktop font, and the one a phone
# uses for a map drawn at about half size (a 375 px phone draws Amsterdam's wijken at 0.45 to
# 0.7 of the drawing: 18 units are 8 to 12.5 px).
LABEL_FONT = 13
LABEL_FONT_PHONE = 18


def _ring_area(ring) -> float:
    return (
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def _box(x: float, y: float, text: str, font: float) -> tuple[float, float, float, float]:
    # A bold digit is about 0.6 em wide, and the white outline adds a little either side.
    half_width = 0.32 * font * max(len(text), 1) + 0.15 * font
    half_height = 0.6 * font
    return x - half_width, y - half_height, x + half_width, y + half_height


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _within(x: float, half: float, width: float | None) -> float:
    """``x`` moved in so that a label ``half`` wide either side stays inside the drawing."""
    if not width:
        return x
    return min(max(x, half), width - half) if 2 * half < width else width / 2


def place_labels(
    labels: list[tuple[float, float, float, str]],
    names: dict | None = None,
    *,
    width: float | None = None,
    key: list | None = None,
):
    """(classes, x, y, text) for the labels that fit: the largest buurten first, a label that
    would overlap one placed already is left off (the value stays in the buurt's tooltip and
    in the table). Labels that only fit at the desktop size are hidden on phones.

    ``names`` ({(x, y): name}) adds the buurt's name under each value placed, where it overlaps
    no value and no other name (the names are read without hovering, also on a phone); the
    values keep their room first. A label near the edge is moved in to stay within ``width``.

    On a phone, a buurt whose name has no room gets a number in its place (``kaart-nummer``,
    numbered from north to south) where that fits, and ``key`` receives (number, name) for the
    key under the map."""
    placed = {LABEL_FONT: [], LABEL_FONT_PHONE: []}
    values = []
    for _size, x, y, text in sorted(labels, key=lambda label: -label[0]):
        if not text:
            continue
        shown_x = _within(x, 0.32 * LABEL_FONT_PHONE * len(text), width)
        desktop = _box(shown_x, y, text, LABEL_FONT)
        if any(_overlaps(desktop, other) for other in placed[LABEL_FONT]):
            values.append((x, y, False, False))  # no value: on a phone a number, if it fits
            continue
        placed[LABEL_FONT].append(desktop)
        phone = _box(shown_x, y, text, LABEL_FONT_PHONE)
        fits_phone = not any(_overlaps(phone, other) for other in placed[LABEL_FONT_PHONE])
        if fits_phone:
            placed[LABEL_FONT_PHONE].append(phone)
        values.append((x, y, True, fits_phone))
        yield ("kaart-label" if fits_phone else "kaart-label kaart-label-breed"), shown_x, y, text
    named_on_phone = set()
    for x, y, value_shown, value_on_phone in values:
        name = (names or {}).get((x, y))
        if not name or not value_shown:
            continue
        shown_x = _within(x, 0.3 * NAME_FONT_PHONE * len(name), width)
        desktop = _name_box(shown_x, y, name, NAME_FONT, LABEL_FONT)
        if any(_overlaps(desktop, other) for other in placed[LABEL_FONT]):
            continue
        placed[LABEL_FONT].append(desktop)
        phone = _name_box(shown_x, y, name, NAME_FONT_PHONE, LABEL_FONT_PHONE)
        fits_phone = value_on_phone and not any(
            _overlaps(phone, other) for other in placed[LABEL_FONT_PHONE]
        )
        if fits_phone:
            placed[LABEL_FONT_PHONE].append(phone)
            named_on_phone.add((x, y))
        yield ("kaart-naam" if fits_phone else "kaart-naam kaart-label-breed"), shown_x, y, name
    if names is None:
        return
    # North to south, then west to east: the order in which the key is read.
    unnamed = sorted(
        (
            (x, y, on_phone)
            for x, y, _shown, on_phone in values
            if (x, y) not in named_on_phone and names.get((x, y))
        ),
        key=lambda value: (value[1], value[0]),
    )
    number = 0
    for x, y, value_on_phone in unnamed:
        text = str(number + 1)
        # Under the value where it shows on a phone, in its place where it does not.
        ny = y + 0.6 * LABEL_FONT_PHONE + NUMBER_RADIUS if value_on_phone else y
        nx = _within(x, NUMBER_RADIUS, width)
        box = (nx - NUMBER_RADIUS, ny - NUMBER_RADIUS, nx + NUMBER_RADIUS, ny + NUMBER_RADIUS)
        if any(_overlaps(box, other) for other in placed[LABEL_FONT_PHONE]):
            continue
        placed[LABEL_FONT_PHONE].append(box)
        number += 1
        if key is not None:
            key.append((number, names[(x, y)]))
        yield NUMMER, nx, round(ny, 1), text


# The name under the value: smaller, one line lower (``dy`` in em, so it follows the font size
# the stylesheet gives it on a phone).
NAME_FONT = 11
NAME_FONT_PHONE = 15
NAME_DY_EM = 1.25
# A phone's number for a buurt whose name has no room: a disc this wide (drawing units).
NUMBER_RADIUS = 11


def _name_box(x: float, y: float, text: str, font: float, value_font: float):
    """From just under the value's box (``_box``) to the bottom of the name's line."""
    half_width = 0.28 * font * max(len(text), 1)  # regular weight, mostly lower case
    return x - half_width, y + 0.6 * value_font, x + half_width, y + (NAME_DY_EM + 0.6) * font


def _fill_class(area: Area) -> str:
    if area.onderdrukt:
        return "kaart-beschermd" if area.beschermd else "kaart-onderdrukt"
    if area.klasse is None:
        return "kaart-onbekend"
    return f"kaart-k{area.klasse}"


DEFS = (
    '<defs><pattern id="kaart-arcering" width="8" height="8" patternUnits="userSpaceOnUse"'
    ' patternTransform="rotate(45)"><rect class="kaart-arcering-bg" width="8" height="8"/>'
    '<line class="kaart-arcering-lijn" x1="0" y1="0" x2="0" y2="8"/></pattern>'
    '<pattern id="kaart-stippen" width="8" height="8" patternUnits="userSpaceOnUse">'
    '<rect class="kaart-stippen-bg" width="8" height="8"/>'
    '<circle class="kaart-stippen-stip" cx="4" cy="4" r="1.2"/></pattern>'
    '<pattern id="kaart-kruis" width="8" height="8" patternUnits="userSpaceOnUse"'
    ' patternTransform="rotate(45)"><rect class="kaart-arcering-bg" width="8" height="8"/>'
    '<line class="kaart-kruis-lijn" x1="0" y1="0" x2="0" y2="8"/>'
    '<line class="kaart-kruis-lijn" x1="0" y1="4" x2="8" y2="4"/></pattern></defs>'
)


def _dy(classes: str) -> SafeString:
    return mark_safe(f' dy="{NAME_DY_EM}em"' if "kaart-naam" in classes else "")  # noqa: S308


def buurt_map(areas: list[Area], *, label: str, with_names: bool = True) -> SafeString:
    """An inline SVG map of ``areas``; ``label`` describes it for screen readers (the table
    under the map is the text alternative). Buurten without a shape are left out. Each value
    label gets the buurt's name under it where there is room (``with_names``)."""
    shaped = [(area, rings_of(area.geometrie)) for area in areas]
    shaped = [(area, rings) for area, rings in shaped if rings]
    if not shaped:
        return mark_safe("")
    project = _Projection([ring for _, rings in shaped for ring in rings])
    shapes, labels, names = [], [], {}
    for area, rings in shaped:
        classes = f"kaart-buurt {_fill_class(area)}" + (
            " kaart-streefwaarde" if area.streefwaarde_gehaald else ""
        )
        path = format_html(
            '<path class="{}" d="{}" fill-rule="evenodd"><title>{}</title></path>',
            classes,
            _path(rings, project),
            area.title,
        )
        if area.href:
            path = format_html('<a href="{}" tabindex="-1">{}</a>', area.href, path)
        shapes.append(path)
        outer = max(rings, key=len)
        x, y = project(*label_point(outer))
        labels.append((abs(_ring_area(outer)), x, y, area.label))
        names[(x, y)] = area.naam
    key: list[tuple[int, str]] = []
    placed = list(place_labels(labels, names if with_names else None, width=project.width, key=key))
    text = format_html_join(
        "",
        '<text class="{}" x="{}" y="{}"{}>{}</text>',
        ((classes, x, y, _dy(classes), t) for classes, x, y, t in placed if classes != NUMMER),
    )
    # A phone's numbers (hidden on a wide screen, where the names fit): a disc with the number.
    numbers = format_html_join(
        "",
        '<g class="kaart-nummer"><circle cx="{}" cy="{}" r="{}"/><text x="{}" y="{}">{}</text></g>',
        ((x, y, NUMBER_RADIUS, x, y, t) for classes, x, y, t in placed if classes == NUMMER),
    )
    drawn = format_html(
        # A group, not an image: it holds the buurten's links (mouse only; the table under the
        # map is the keyboard's and screen reader's way in).
        '<svg class="kaart" viewBox="0 0 {} {}" role="group" aria-label="{}"'
        ' xmlns="http://www.w3.org/2000/svg">{}<g>{}</g><g aria-hidden="true">{}{}</g></svg>',
        project.width,
        project.height,
        label,
        mark_safe(DEFS),  # noqa: S308 (constant markup)
        mark_safe("".join(shapes)),  # noqa: S308 (each part built with format_html)
        text,
        numbers,
    )
    if not key:
        return drawn
    # The key to the numbers, on a phone only (the table under the map names every buurt too).
    return format_html(
        '{}<ol class="kaart-sleutel" data-kaart-sleutel aria-hidden="true">{}</ol>',
        drawn,
        format_html_join("", '<li value="{}">{}</li>', key),
    )


NUMMER = "kaart-nummer"


CLASSES = 5


def class_breaks(values: list[float]) -> list[tuple[float, float]]:
    """Up to five equal-width classes over the observed range: (lower, upper) each."""
    if not values:
        return []
    low, high = min(values), max(values)
    if math.isclose(low, high):
        return [(low, high)]
    step = (high - low) / CLASSES
    return [(low + i * step, low + (i + 1) * step) for i in range(CLASSES)]


def class_of(value: float | None, breaks: list[tuple[float, float]]) -> int | None:
    """1-based class of ``value`` (the upper bound belongs to the class below it)."""
    if value is None or not breaks:
        return None
    for index, (_, upper) in enumerate(breaks, start=1):
        if value <= upper + 1e-9:
            return index
    return len(breaks)
