"""Trend charts as server-side SVG: a line per buurt over the computed periods.

Readable without colour: values are points with a value label, suppressed periods are open
squares on the axis labelled "< n", and the target is a dashed line with its own label. Every
chart comes with a table of the same figures in the template (the text alternative); the
SVG's aria-label gives the gist in one sentence.
"""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 32, 18, 34


@dataclass(frozen=True)
class Point:
    periode_eind: date
    waarde: float | None
    onderdrukt: bool
    label: str


def nice_step(value: float) -> float:
    """The next round number at or above ``value``: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power


def y_ticks(
    points: list[Point], *, fixed_max: float | None, streefwaarde: float | None
) -> list[float]:
    """Round gridline values from 0 to just above the highest value (or the fixed scale)."""
    values = [p.waarde for p in points if p.waarde is not None]
    if streefwaarde is not None:
        values.append(streefwaarde)
    top = fixed_max if fixed_max is not None else max(values, default=1.0) * 1.05
    step = nice_step(top / 5)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def trend_chart(
    points: list[Point],
    *,
    label: str,
    fixed_max: float | None = None,
    streefwaarde: float | None = None,
    streefwaarde_label: str = "",
    onderdrukt_label: str = "",
) -> SafeString:
    """An SVG line chart of ``points`` (oldest first). Gaps where figures are suppressed."""
    if not points:
        return mark_safe("")
    ticks = y_ticks(points, fixed_max=fixed_max, streefwaarde=streefwaarde)
    top_value = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_at(index: int) -> float:
        if len(points) == 1:
            return LEFT + plot_w / 2
        return round(LEFT + index * plot_w / (len(points) - 1), 1)

    def y_at(value: float) -> float:
        return round(TOP + plot_h * (1 - min(value, top_value) / top_value), 1)

    grid = format_html_join(
        "",
        '<line class="grafiek-raster" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="grafiek-as" x="{}" y="{}">{}</text>',
        ((LEFT, WIDTH - RIGHT, y_at(v), y_at(v), LEFT - 6, y_at(v) + 4, f"{v:g}") for v in ticks),
    )
    x_labels = format_html_join(
        "",
        '<text class="grafiek-as grafiek-as-x" x="{}" y="{}">{}</text>',
        ((x_at(i), HEIGHT - 12, date_format(p.periode_eind, "b Y")) for i, p in enumerate(points)),
    )
    segments, current = [], []
    for i, point in enumerate(points):
        if point.waarde is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(f"{x_at(i)},{y_at(point.waarde)}")
    if current:
        segments.append(current)
    lines = format_html_join(
        "",
        '<polyline class="grafiek-lijn" points="{}"/>',
        ((" ".join(segment),) for segment in segments if len(segment) > 1),
    )
    marks = []
    for i, point in enumerate(points):
        if point.waarde is not None:
            marks.append(
                format_html(
                    '<circle class="grafiek-punt" cx="{}" cy="{}" r="4"><title>{}</title></circle>'
                    '<text class="grafiek-waarde" x="{}" y="{}">{}</text>',
                    x_at(i),
                    y_at(point.waarde),
                    point.label,
                    x_at(i),
                    y_at(point.waarde) - 8,
                    point.label,
                )
            )
        elif point.onderdrukt:
            marks.append(
                format_html(
                    '<rect class="grafiek-onderdrukt" x="{}" y="{}" width="8" height="8">'
                    '<title>{}</title></rect><text class="grafiek-waarde" x="{}" y="{}">{}</text>',
                    x_at(i) - 4,
                    y_at(0) - 4,
                    onderdrukt_label,
                    x_at(i),
                    y_at(0) - 10,
                    point.label,
                )
            )
    target = ""
    if streefwaarde is not None:
        target = format_html(
            '<line class="grafiek-streefwaarde" x1="{}" x2="{}" y1="{}" y2="{}"/>'
            '<text class="grafiek-streefwaarde-label" x="{}" y="{}">{}</text>',
            LEFT,
            WIDTH - RIGHT,
            y_at(streefwaarde),
            y_at(streefwaarde),
            LEFT + 4,
            y_at(streefwaarde) - 4,
            streefwaarde_label,
        )
    return format_html(
        '<svg class="grafiek" viewBox="0 0 {} {}" role="img" aria-label="{}"'
        ' xmlns="http://www.w3.org/2000/svg">{}{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        label,
        grid,
        x_labels,
        target,
        lines,
        mark_safe("".join(marks)),  # noqa: S308 (each part built with format_html)
    )


@dataclass(frozen=True)
class PathRow:
    """One buurt in the willing-to-active chart; None where a figure is not shown."""

    naam: str
    tekst: str  # the figures in words, drawn beside the name
    bereid: float | None
    bereid_ci: tuple[float, float] | None
    kern: float | None
    vorige: float | None


PATH_ROW = 46
# Layout of the path chart's text, in viewBox units. On a phone the SVG is drawn at about
# 0.64 of its size with a 17px name font (CSS), so about 60 characters fit on one line of the
# 560-unit width: longer name lines wrap after the buurt's name; the target's label sits in a
# band of its own above the first buurt, so it never covers a buurt's line.
PATH_NAME_X = 2
PATH_LINE_CHARS = 56
PATH_LINE = 18
PATH_TARGET_BAND = 18
PATH_TARGET_LABEL_W = 180


def path_label_lines(naam: str, tekst: str) -> list[str]:
    """A buurt's name line: one line when short, else the figures on a line of their own."""
    line = f"{naam}: {tekst}"
    return [line] if len(line) <= PATH_LINE_CHARS else [f"{naam}:", tekst]


def path_chart(
    rows: list[PathRow], *, label: str, streefwaarde: float, streefwaarde_label: str
) -> SafeString:
    """Per buurt a line from 0 to 100%: the active core (square), the willing (circle, with its
    interval as a whisker), the willing of the previous round (open circle), and the stretch
    between active and willing drawn as the path still to go. The target is a dashed line.
    Shapes, not colours, tell the marks apart; the name line carries the figures as text."""
    if not rows:
        return mark_safe("")
    values = [streefwaarde]
    for row in rows:
        values += [v for v in (row.bereid, row.kern, row.vorige) if v is not None]
        if row.bereid_ci:
            values.append(row.bereid_ci[1])
    step = nice_step(max(values) * 1.05 / 5)
    top_value = min(100.0, step * math.ceil(max(values) * 1.05 / step))
    ticks = [i * step for i in range(round(top_value / step) + 1)]
    labels = [path_label_lines(row.naam, row.tekst) for row in rows]
    top = TOP + PATH_TARGET_BAND
    height = top + sum(PATH_ROW + (len(lines) - 1) * PATH_LINE for lines in labels) + BOTTOM
    plot_w = WIDTH - LEFT - RIGHT

    def x_at(value: float) -> float:
        return round(LEFT + plot_w * min(value, top_value) / top_value, 1)

    grid = format_html_join(
        "",
        '<line class="grafiek-raster" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="grafiek-as grafiek-as-x" x="{}" y="{}">{}%</text>',
        ((x_at(v), x_at(v), top, height - BOTTOM, x_at(v), height - 12, f"{v:g}") for v in ticks),
    )
    parts = []
    row_top = top
    for row, lines in zip(rows, labels, strict=True):
        extra = (len(lines) - 1) * PATH_LINE
        y_text = row_top + 14
        y = row_top + 32 + extra
        row_top += PATH_ROW + extra
        parts.append(
            format_html(
                '<text class="pad-naam" x="{}" y="{}">{}</text>'
                '<line class="pad-baan" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                PATH_NAME_X,
                y_text,
                format_html_join(
                    "",
                    '<tspan x="{}" dy="{}">{}</tspan>',
                    ((PATH_NAME_X, PATH_LINE if n else 0, line) for n, line in enumerate(lines)),
                ),
                x_at(0),
                x_at(top_value),
                y,
                y,
            )
        )
        if row.bereid is not None and row.kern is not None:
            parts.append(
                format_html(
                    '<line class="pad-lijn" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                    x_at(row.kern),
                    x_at(row.bereid),
                    y,
                    y,
                )
            )
        if row.bereid_ci:
            parts.append(
                format_html(
                    '<line class="pad-interval" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                    x_at(row.bereid_ci[0]),
                    x_at(row.bereid_ci[1]),
                    y,
                    y,
                )
            )
        if row.vorige is not None:
            parts.append(
                format_html(
                    '<circle class="pad-vorige" cx="{}" cy="{}" r="5"/>', x_at(row.vorige), y
                )
            )
        if row.kern is not None:
            parts.append(
                format_html(
                    '<rect class="pad-kern" x="{}" y="{}" width="10" height="10"/>',
                    x_at(row.kern) - 5,
                    y - 5,
                )
            )
        if row.bereid is not None:
            parts.append(
                format_html(
                    '<circle class="pad-bereid" cx="{}" cy="{}" r="6"/>', x_at(row.bereid), y
                )
            )
    # The label to the right of the line, or to its left where it would run off the chart.
    x_target = x_at(streefwaarde)
    label_left = x_target + PATH_TARGET_LABEL_W > WIDTH
    target = format_html(
        '<line class="grafiek-streefwaarde" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="grafiek-streefwaarde-label" x="{}" y="{}"{}>{}</text>',
        x_target,
        x_target,
        TOP,
        height - BOTTOM,
        x_target - 4 if label_left else x_target + 4,
        TOP + 12,
        mark_safe(' text-anchor="end"') if label_left else "",
        streefwaarde_label,
    )
    return format_html(
        '<svg class="grafiek pad" viewBox="0 0 {} {}" role="img" aria-label="{}"'
        ' xmlns="http://www.w3.org/2000/svg">{}{}{}</svg>',
        WIDTH,
        height,
        label,
        grid,
        mark_safe("".join(parts)),  # noqa: S308 (each part built with format_html)
        target,
    )
