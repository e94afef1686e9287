"""What camera moves cost: each move's estimate and actual cost, and the
totals for a financial year (April to March) against the Community Safety
budget the district configured for it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from ..models import MoveRequest
from .deployments import rules

# A move is counted once its installation is booked; before that it is only
# a request.
COUNTED = ("scheduled", "live", "ended", "closed")
ZERO = Decimal("0.00")


def year_start_of(day: date) -> int:
    """The year the financial year holding ``day`` starts (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year_start: int) -> str:
    return f"{year_start} to {year_start + 1}"


def year_bounds(year_start: int) -> tuple[date, date]:
    return date(year_start, 4, 1), date(year_start + 1, 3, 31)


@dataclass(frozen=True)
class Move:
    move_request: MoveRequest
    # The day that puts the move in a financial year: when the camera went
    # up, or, until then, the day its installation is booked for.
    on: date
    installed: bool
    estimated: Decimal | None
    booked: Decimal | None
    actual: Decimal | None

    @property
    def spent(self) -> Decimal:
        """What the move counts against the budget: its actual cost once
        recorded, else the cost booked with the installer."""
        if self.actual is not None:
            return self.actual
        return self.booked if self.booked is not None else ZERO

    @property
    def committed_only(self) -> bool:
        """Booked but the camera not yet up."""
        return not self.installed


@dataclass(frozen=True)
class YearCosts:
    year_start: int
    moves: tuple[Move, ...]
    budget: Decimal | None

    @property
    def label(self) -> str:
        return year_label(self.year_start)

    @property
    def estimated(self) -> Decimal:
        return sum((m.estimated or ZERO for m in self.moves), ZERO)

    @property
    def actual(self) -> Decimal:
        """Spent on cameras that are up (their booked cost where no actual
        cost was recorded)."""
        return sum((m.spent for m in self.moves if m.installed), ZERO)

    @property
    def committed(self) -> Decimal:
        """Booked but not yet installed: spent once the camera goes up."""
        return sum((m.spent for m in self.moves if m.committed_only), ZERO)

    @property
    def total(self) -> Decimal:
        return self.actual + self.committed

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.total

    @property
    def over_budget(self) -> bool:
        return self.remaining is not None and self.remaining < 0


def year(year_start: int) -> YearCosts:
    """Every booked or completed move in the financial year, in one query."""
    first, last = year_bounds(year_start)
    on = sa.func.coalesce(MoveRequest.installed_on, MoveRequest.installation_date)
    rows = db.session.scalars(
        sa.select(MoveRequest)
        .where(MoveRequest.status.in_(COUNTED), on >= first, on <= last)
        .order_by(on, MoveRequest.reference)
    ).all()
    moves = tuple(
        Move(
            move_request=r,
            on=r.installed_on or r.installation_date,
            installed=r.installed_on is not None,
            estimated=r.estimated_cost,
            booked=r.installation_cost,
            actual=r.actual_cost,
        )
        for r in rows
    )
    return YearCosts(year_start, moves, rules().budget_for(year_start))


def years_with_moves(today: date) -> list[int]:
    """The financial years that have moves or a budget, and this one, newest first."""
    on = sa.func.coalesce(MoveRequest.installed_on, MoveRequest.installation_date)
    days = db.session.scalars(
        sa.select(on).where(MoveRequest.status.in_(COUNTED), on.is_not(None)).distinct()
    )
    years = {year_start_of(d) for d in days} | {y for y, _ in rules().budgets} | {year_start_of(today)}
    return sorted(years, reverse=True)
