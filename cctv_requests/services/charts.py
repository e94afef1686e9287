"""Bar charts drawn on the server as SVG, for the annual report.

Each chart is an image with a title and a description (its text
alternative); the report gives the same figures in a table beside it. A
value withheld as a small number is drawn with no bar and its words
("Fewer than 5"), so the chart never shows more than the table.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

# Narrow, with each label above its bar, so the text stays readable when
# the chart shrinks to a phone's width.
WIDTH = 400
ROOM = 300
BAR_H = 20
ROW_H = 60
TOP = 4
# GOV.UK blue, and the grey of a withheld value's words; both above 4.5:1 on white.
BAR = "#1d70b8"
INK = "#0b0c0c"
MUTED = "#505a5f"


@dataclass(frozen=True)
class Bar:
    label: str
    # None when the value is withheld (a small number in a published report).
    value: float | None
    # What is written at the bar's end: the value with its unit, or the
    # words that stand for a withheld value.
    shown: str


def bar_chart(
    bars: list[Bar], title: str, description: str, *, key: str, scale_to: float | None = None
) -> str:
    """A horizontal bar chart; ``key`` makes its ids unique on the page.
    Bars are scaled to ``scale_to`` (100 for percentages) or to the largest
    value shown."""
    title_id, desc_id = f"chart-{key}-title", f"chart-{key}-desc"
    values = [b.value for b in bars if b.value is not None]
    top = scale_to if scale_to is not None else max(values, default=0)
    height = TOP * 2 + ROW_H * len(bars)
    parts = []
    for i, bar in enumerate(bars):
        y = TOP + i * ROW_H
        parts.append(
            f'<text class="app-chart__label" x="0" y="{y + 18}" fill="{INK}">{escape(bar.label)}</text>'
        )
        length = 0.0
        if bar.value is not None and top:
            length = max(ROOM * bar.value / top, 2 if bar.value else 0)
            parts.append(f'<rect x="0" y="{y + 27}" width="{length:.1f}" height="{BAR_H}" fill="{BAR}"/>')
        colour = INK if bar.value is not None else MUTED
        parts.append(
            f'<text class="app-chart__value" x="{length + 6:.1f}" y="{y + 43}" fill="{colour}">'
            f"{escape(bar.shown)}</text>"
        )
    return (
        f'<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" font-family="Arial, Helvetica, sans-serif" '
        'font-size="17">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(description)}</desc>'
        + "".join(parts)
        + "</svg>"
    )
