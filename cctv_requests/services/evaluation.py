"""The evaluation of a deployment: incidents before (the baseline the request
gave), during, and in a set period after removal, compared at a common rate
so periods of different lengths can be read side by side."""

from dataclasses import dataclass
from datetime import date, timedelta

from ..models import MoveRequest
from .deployments import rules

# Rates are given per 30 days.
RATE_DAYS = 30


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
    def rate(self) -> float | None:
        """Incidents per 30 days, to one decimal place."""
        if self.incidents is None or not self.days:
            return None
        return round(self.incidents * RATE_DAYS / self.days, 1)


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
        if base.rate in (None, 0) or other.rate is None:
            return None
        return round((other.rate - base.rate) * 100 / base.rate)

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
