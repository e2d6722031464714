"""Charts as server-rendered SVG: no JavaScript, printable, readable by screen readers through
role="img" with a <title> and <desc> (the page also shows the same numbers in a table).

Colours are presentation attributes, not style attributes, so the site's CSP (no inline styles) holds.
"""

from __future__ import annotations

from markupsafe import Markup, escape

BEFORE_COLOUR = "#8fa8c8"
AFTER_COLOUR = "#1d4f91"
INK = "#1b1f24"
GRID_LINE = "#c9d1db"


def confidence_chart(
    chart_id: str,
    title: str,
    description: str,
    rows: list[tuple[str, float | None, float | None]],
    before_label: str,
    after_label: str,
    scale: tuple[int, int] = (1, 5),
    number=lambda value: f"{value:.1f}",
) -> Markup:
    """Paired horizontal bars per row: (label, before mean, after mean) on `scale`."""
    left, right, top, bar, gap, row_gap = 40, 40, 52, 24, 4, 20
    width = 640
    plot = width - left - right
    low, high = scale
    row_height = 2 * bar + gap + row_gap
    height = top + len(rows) * row_height + 24

    def x(value: float) -> float:
        return left + plot * (value - low) / (high - low)

    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="20" font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect x="{left}" y="8" width="20" height="20" fill="{BEFORE_COLOUR}"/>',
        f'<text x="{left + 26}" y="25" fill="{INK}">{escape(before_label)}</text>',
        f'<rect x="{left + 240}" y="8" width="20" height="20" fill="{AFTER_COLOUR}"/>',
        f'<text x="{left + 266}" y="25" fill="{INK}">{escape(after_label)}</text>',
    ]
    bottom = top + len(rows) * row_height
    for tick in range(low, high + 1):
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{bottom}" stroke="{GRID_LINE}"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{bottom + 18}" text-anchor="middle" fill="{INK}">{tick}</text>')
    for index, (label, before, after) in enumerate(rows):
        y = top + index * row_height
        parts.append(
            f'<text x="{left - 8}" y="{y + bar + 6}" text-anchor="end" fill="{INK}" font-weight="bold">'
            f"{escape(label)}</text>"
        )
        for offset, value, colour in ((0, before, BEFORE_COLOUR), (bar + gap, after, AFTER_COLOUR)):
            if value is None:
                continue
            parts.append(
                f'<rect x="{left}" y="{y + offset}" width="{max(x(value) - left, 1):.1f}" height="{bar}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{x(value) + 4:.1f}" y="{y + offset + bar - 3}" fill="{INK}" font-size="18">'
                f"{escape(number(value))}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
