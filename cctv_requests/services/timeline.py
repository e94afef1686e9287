"""Each camera over the coming months: where it is, what it is booked for
and when it is free, as rows a table and an SVG timeline both draw from
(the same bookings as ``availability``)."""

from dataclasses import dataclass
from datetime import date, timedelta

from .availability import CameraNow, camera_board
from .deployments import months_later

# The drawing's own units: the SVG scales to the page.
WIDTH = 960
LABEL_WIDTH = 150
ROW_HEIGHT = 44
BAR_HEIGHT = 24
TOP = 44


def free_periods(booked: list[tuple[date, date]], start: date, end: date) -> list[tuple[date, date]]:
    """The days from ``start`` to ``end`` (both included) that no booking
    covers, as (first, last) periods. Bookings include both their ends."""
    periods = []
    cursor = start
    for first, last in sorted(booked):
        if last < cursor:
            continue
        if first > end:
            break
        if first > cursor:
            periods.append((cursor, first - timedelta(days=1)))
        cursor = max(cursor, last + timedelta(days=1))
    if cursor <= end:
        periods.append((cursor, end))
    return periods


@dataclass(frozen=True)
class Segment:
    first: date
    last: date
    kind: str  # "booked", "free" or "out" (not in service)
    label: str
    x: float
    width: float


@dataclass(frozen=True)
class Row:
    now: CameraNow
    segments: tuple[Segment, ...]
    y: int
    review_x: float | None
    # A review date already passed: drawn at the start, in red.
    review_overdue: bool = False

    @property
    def free(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.kind == "free")


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    rows: tuple[Row, ...]
    months: tuple[tuple[float, str], ...]
    # Where each year starts on the drawing, the first one at its left edge.
    years: tuple[tuple[float, str], ...]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def _scale(start: date, end: date):
    days = (end - start).days + 1
    span = WIDTH - LABEL_WIDTH - 10

    def x(day: date) -> float:
        return round(LABEL_WIDTH + span * (day - start).days / days, 1)

    return x


def build(today: date, months: int = 12, board: list[CameraNow] | None = None) -> Timeline:
    """Every camera from ``today`` for ``months`` months."""
    start, end = today, months_later(today, months) - timedelta(days=1)
    x = _scale(start, end)
    rows = []
    for index, now in enumerate(board if board is not None else camera_board()):
        # Bookings show whatever the camera's state: a faulty camera's
        # bookings stand until the board gives them another camera. The
        # days between are free, or, out of service, not bookable.
        booked = [(b.approved_start, b.approved_end, b) for b in now.bookings if b.approved_end >= start]
        spans = [(first, last, "booked", b.reference) for first, last, b in booked if first <= end]
        gap_kind, gap_label = ("free", "Free") if now.in_service else ("out", now.camera.service_status_label)
        spans += [
            (first, last, gap_kind, gap_label)
            for first, last in free_periods([(a, b) for a, b, _ in booked], start, end)
        ]
        segments = []
        for first, last, kind, label in sorted(spans):
            shown_first, shown_last = max(first, start), min(last, end)
            segments.append(Segment(first, last, kind, label, x(shown_first),
                                    x(shown_last + timedelta(days=1)) - x(shown_first)))  # fmt: skip
        review = now.review_due
        rows.append(
            Row(
                now=now,
                segments=tuple(segments),
                y=TOP + index * ROW_HEIGHT,
                review_x=x(review) if review and start <= review <= end else None,
                review_overdue=review is not None and review < start,
            )
        )
    ticks, years = [], [(x(start), str(start.year))]
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            ticks.append((x(month), f"{month:%b}"))
            if month.month == 1:
                years.append((x(month), str(month.year)))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return Timeline(
        start, end, tuple(rows), tuple(ticks), tuple(years), height=TOP + len(rows) * ROW_HEIGHT + 10
    )
