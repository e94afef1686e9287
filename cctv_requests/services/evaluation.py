"""The evaluation of a deployment: incidents before (the baseline the request
gave), during, and in a set period after removal, compared at a common rate
so periods of different lengths can be read side by side."""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from ..models import MoveRequest
from .deployments import rules

# Rates are given per 30 days.
RATE_DAYS = 30


def _half_up(value: Fraction, step: Decimal) -> Decimal:
    """``value`` to the nearest ``step``, a half away from zero, worked
    exactly (no binary fractions)."""
    steps = value / Fraction(step)
    whole = math.floor(abs(steps) + Fraction(1, 2))
    return (Decimal(whole if steps >= 0 else -whole) * step).quantize(step)


@dataclass(frozen=True)
class Period:
    name: str
    first: date | None
    last: date | None
    incidents: int | None

    @property
    def days(self) -> int | None:
        if self.first is None or self.last is None:
            return None
        return (self.last - self.first).days + 1

    @property
    def exact_rate(self) -> Fraction | None:
        if self.incidents is None or not self.days:
            return None
        return Fraction(self.incidents * RATE_DAYS, self.days)

    @property
    def rate(self) -> Decimal | None:
        """Incidents per 30 days, to one decimal place, halves rounded up."""
        exact = self.exact_rate
        return None if exact is None else _half_up(exact, Decimal("0.1"))


@dataclass(frozen=True)
class Comparison:
    before: Period
    during: Period
    after: Period

    @property
    def periods(self) -> tuple[Period, Period, Period]:
        return (self.before, self.during, self.after)

    @staticmethod
    def _change(base: Period, other: Period) -> int | None:
        """From the exact rates, not the rounded ones shown."""
        if base.exact_rate in (None, 0) or other.exact_rate is None:
            return None
        return int(_half_up((other.exact_rate - base.exact_rate) * 100 / base.exact_rate, Decimal("1")))

    @property
    def change_during(self) -> int | None:
        """Percentage change in the rate during the deployment against before."""
        return self._change(self.before, self.during)

    @property
    def change_after(self) -> int | None:
        return self._change(self.before, self.after)


def after_period(removed_on: date) -> tuple[date, date]:
    """The days after removal the evaluation counts: from the day after it
    for the district's configured number of weeks."""
    first = removed_on + timedelta(days=1)
    return first, removed_on + timedelta(weeks=rules().evaluation_after_weeks)


def baseline_incidents(move_request: MoveRequest) -> int | None:
    if move_request.crime_count is None and move_request.asb_count is None:
        return None
    return (move_request.crime_count or 0) + (move_request.asb_count or 0)


def compare(move_request: MoveRequest) -> Comparison:
    before_count = move_request.incidents_before
    if before_count is None:
        before_count = baseline_incidents(move_request)
    removed = move_request.removed_on
    during_last = removed - timedelta(days=1) if removed else None
    after_first, after_last = after_period(removed) if removed else (None, None)
    return Comparison(
        before=Period("Before", move_request.baseline_start, move_request.baseline_end, before_count),
        during=Period("During", move_request.installed_on, during_last, move_request.incidents_during),
        after=Period("After", after_first, after_last, move_request.incidents_after),
    )
