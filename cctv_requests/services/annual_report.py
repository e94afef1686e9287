"""The figures of the annual report on camera moves, for one financial year.

A financial year runs from 1 April to 31 March; while it is still running,
the report counts up to today. When something happened comes from the
audit log's record of each step a request took, the source of truth for
dates, and a step's day is its day in London.

- Received: requests sent to their sponsor for the first time in the year.
  A request returned for changes and sent again is not received again.
- Endorsed, not sponsored, approved, rejected, withdrawn, cancelled: the
  requests that took that step in the year, each counted once, whenever
  they were received. Approved includes the chair's urgent approvals, also
  shown on their own. Withdrawn leaves out drafts withdrawn before they
  were ever sent, which nobody but their author saw. Cancelled includes
  chair's actions the board did not ratify before the camera went up.
- By CSP priority, by ward and by intelligence source: the requests received
  in the year, and those approved and rejected in it, by the priority they
  serve, the ward of their site and the sources of intelligence they name
  (a request naming two sources counts under each). Every priority set for
  the year, every ward and every source is listed, even with no requests.
- Days to a decision: for each approval or rejection in the year, the days
  from the day the request was first sent to its sponsor to the decision.
- Camera use: the days of the year each camera was up at a site (the day it
  comes down belongs to its next site) against the days counted.
- Reviews: reviews of live deployments held in the year, and how many were
  held on or before the day they were due.
- Costs: the year's camera moves against its budget (``services.costs``).
- Evaluations: the requests closed in the year with their evaluation, and
  the incidents before, during and after the deployment.
"""

import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import raiseload

from ..extensions import db
from ..models import AuditEvent, Camera, Deployment, MoveRequest, Priority, Site, Ward
from ..models.requests import INTELLIGENCE_SOURCES
from . import costs, evaluation

LONDON = ZoneInfo("Europe/London")
NO_PRIORITY = "No priority given"
NO_SOURCE = "None given"
APPROVALS = ("approve", "approve_urgently")
REVIEWS = ("continue_deployment", "continue_at_review", "end_at_review")
COUNTED = (
    *(f"request.{t}" for t in ("submit", "endorse", "decline", "reject", "withdraw", "cancel")),
    *(f"request.{t}" for t in (*APPROVALS, *REVIEWS, "not_ratify", "record_evaluation")),
)


def _percent(part: int, whole: int) -> int:
    """100 * part / whole to the nearest whole number, halves up, exactly."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def _london_day(when: datetime) -> date:
    return when.astimezone(LONDON).date()


def _london_midnight(day: date) -> datetime:
    """The moment ``day`` starts in London, in UTC (the audit log's zone)."""
    return datetime.combine(day, time(), LONDON).astimezone(UTC)


@dataclass(frozen=True)
class Row:
    label: str
    received: int
    approved: int
    rejected: int


@dataclass(frozen=True)
class CameraUse:
    label: str
    days_deployed: int
    days: int

    @property
    def percent(self) -> int:
        return _percent(self.days_deployed, self.days)


@dataclass(frozen=True)
class Evaluation:
    reference: str
    ward: str
    before: int | None
    during: int | None
    after: int | None
    change_during: int | None
    change_after: int | None


@dataclass(frozen=True)
class AnnualReport:
    year_start: int
    first: date
    last: date
    complete: bool
    received: int
    endorsed: int
    not_sponsored: int
    approved: int
    approved_urgently: int
    rejected: int
    withdrawn: int
    cancelled: int
    by_priority: tuple[Row, ...]
    by_ward: tuple[Row, ...]
    by_source: tuple[Row, ...]
    decision_days: tuple[int, ...]
    cameras: tuple[CameraUse, ...]
    reviews_held: int
    reviews_on_time: int
    costs: costs.YearCosts
    evaluations: tuple[Evaluation, ...]

    @property
    def label(self) -> str:
        return costs.year_label(self.year_start)

    @property
    def median_days(self) -> float | None:
        return float(statistics.median(self.decision_days)) if self.decision_days else None

    @property
    def shortest_days(self) -> int | None:
        return min(self.decision_days, default=None)

    @property
    def longest_days(self) -> int | None:
        return max(self.decision_days, default=None)

    @property
    def utilisation_percent(self) -> int:
        return _percent(sum(c.days_deployed for c in self.cameras), sum(c.days for c in self.cameras))

    @property
    def evaluation_totals(self) -> tuple[int, int, int]:
        known = [e for e in self.evaluations if None not in (e.before, e.during, e.after)]
        return (
            sum(e.before or 0 for e in known),
            sum(e.during or 0 for e in known),
            sum(e.after or 0 for e in known),
        )


@dataclass(frozen=True)
class _Request:
    """What the breakdowns need of a request that took a step in the year."""

    reference: str
    priority: str
    ward: str
    sources: tuple[str, ...]


def _steps(first: date, last: date) -> list[sa.Row]:
    """The counted steps taken in the period, each with its request's facts
    and the moment the request was first sent (in any year), in one query."""
    first_sent = (
        sa.select(AuditEvent.object_id, sa.func.min(AuditEvent.occurred_at).label("at"))
        .where(AuditEvent.object_type == "move_request", AuditEvent.action == "request.submit")
        .group_by(AuditEvent.object_id)
        .subquery()
    )
    query = (
        sa.select(
            AuditEvent.action,
            AuditEvent.occurred_at,
            AuditEvent.detail,
            MoveRequest.id,
            MoveRequest.reference,
            MoveRequest.intelligence_sources,
            Priority.name.label("priority"),
            Ward.name.label("ward"),
            first_sent.c.at.label("first_sent"),
        )
        .join(MoveRequest, MoveRequest.id == AuditEvent.object_id)
        .join(Site, Site.id == MoveRequest.site_id)
        .join(Ward, Ward.id == Site.ward_id)
        .outerjoin(Priority, Priority.id == MoveRequest.priority_id)
        .outerjoin(first_sent, first_sent.c.object_id == MoveRequest.id)
        .where(
            AuditEvent.object_type == "move_request",
            AuditEvent.action.in_(COUNTED),
            AuditEvent.occurred_at >= _london_midnight(first),
            AuditEvent.occurred_at < _london_midnight(last + timedelta(days=1)),
        )
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    return list(db.session.execute(query))


def _rows(
    labels: Iterable[str],
    last_labels: tuple[str, ...],
    key: Callable[[_Request], Iterable[str]],
    requests: dict[int, _Request],
    *columns: set[int],
) -> tuple[Row, ...]:
    """One row per label, always; then one per other label met (a priority
    of another year), then ``last_labels`` ("none given") where counted.
    ``columns`` are the requests received, approved and rejected."""
    received, approved, rejected = (
        Counter(label for i in ids for label in key(requests[i])) for ids in columns
    )
    shown = list(dict.fromkeys(labels))
    met = set(received) | set(approved) | set(rejected)
    shown += sorted(met - set(shown) - set(last_labels))
    shown += [label for label in last_labels if label in met]
    return tuple(Row(label, received[label], approved[label], rejected[label]) for label in shown)


def _camera_use(first: date, last: date) -> tuple[CameraUse, ...]:
    """Each camera's days up at a site in the period, from its deployments
    overlapping the period (one query for cameras, one for deployments)."""
    days = max((last - first).days + 1, 0)
    up: dict[int, set[int]] = defaultdict(set)
    spans = db.session.execute(
        sa.select(Deployment.camera_id, Deployment.installed_on, Deployment.removed_on).where(
            Deployment.installed_on <= last,
            sa.or_(Deployment.removed_on.is_(None), Deployment.removed_on > first),
        )
    )
    for camera_id, installed_on, removed_on in spans:
        # The day it comes down belongs to the next site (Deployment.on_site).
        until = last if removed_on is None else min(last, removed_on - timedelta(days=1))
        up[camera_id].update(range(max(first, installed_on).toordinal(), until.toordinal() + 1))
    return tuple(
        CameraUse(camera.label, len(up[camera.id]), days)
        for camera in db.session.scalars(sa.select(Camera).order_by(Camera.id))
        if camera.service_status != "retired" or up[camera.id]
    )


def _evaluations(ids: set[int], requests: dict[int, _Request]) -> tuple[Evaluation, ...]:
    if not ids:
        return ()
    closed = db.session.scalars(
        sa.select(MoveRequest)
        .options(raiseload("*"))
        .where(MoveRequest.id.in_(ids))
        .order_by(MoveRequest.reference)
    )

    def evaluated(mr: MoveRequest) -> Evaluation:
        comparison = evaluation.compare(mr)
        before, during, after = (p.incidents for p in comparison.periods)
        changes = comparison.change_during, comparison.change_after
        return Evaluation(mr.reference, requests[mr.id].ward, before, during, after, *changes)

    return tuple(evaluated(mr) for mr in closed)


def build(year_start: int, today: date) -> AnnualReport:
    """The annual report for the financial year starting in April ``year_start``."""
    first, year_end = costs.year_bounds(year_start)
    last = min(year_end, today)
    requests: dict[int, _Request] = {}
    took: dict[str, set[int]] = defaultdict(set)
    decision_days: list[int] = []
    reviews_held = reviews_on_time = 0
    for step in _steps(first, last):
        trigger = step.action.removeprefix("request.")
        detail = json.loads(step.detail or "{}")
        day = _london_day(step.occurred_at)
        codes = [c for c in step.intelligence_sources.split(",") if c in INTELLIGENCE_SOURCES]
        requests[step.id] = _Request(
            step.reference,
            step.priority or NO_PRIORITY,
            step.ward,
            tuple(INTELLIGENCE_SOURCES[c] for c in codes) or (NO_SOURCE,),
        )
        if trigger == "submit" and detail.get("source") != "draft":
            continue  # sent again after a return: not a new request
        if trigger == "withdraw" and detail.get("source") == "draft":
            continue  # never sent, so never received
        if trigger == "not_ratify" and detail.get("dest") != "cancelled":
            continue  # the camera was up: its removal falls due instead
        if trigger in REVIEWS:
            reviews_held += 1
            due = detail.get("review_was_due")
            if due is not None and day <= date.fromisoformat(due):
                reviews_on_time += 1
            continue
        if trigger in (*APPROVALS, "reject") and step.first_sent is not None:
            decision_days.append((day - _london_day(step.first_sent)).days)
        took["cancel" if trigger == "not_ratify" else trigger].add(step.id)
    approved = took["approve"] | took["approve_urgently"]
    priorities = db.session.scalars(
        sa.select(Priority.name).where(Priority.year_start == year_start).order_by(Priority.id)
    )
    wards = db.session.scalars(sa.select(Ward.name).order_by(Ward.name))
    columns = (requests, took["submit"], approved, took["reject"])
    return AnnualReport(
        year_start=year_start,
        first=first,
        last=last,
        complete=today > year_end,
        received=len(took["submit"]),
        endorsed=len(took["endorse"]),
        not_sponsored=len(took["decline"]),
        approved=len(approved),
        approved_urgently=len(took["approve_urgently"]),
        rejected=len(took["reject"]),
        withdrawn=len(took["withdraw"]),
        cancelled=len(took["cancel"]),
        by_priority=_rows(priorities, (NO_PRIORITY,), lambda r: (r.priority,), *columns),
        by_ward=_rows(wards, (), lambda r: (r.ward,), *columns),
        by_source=_rows(INTELLIGENCE_SOURCES.values(), (NO_SOURCE,), lambda r: r.sources, *columns),
        decision_days=tuple(sorted(decision_days)),
        cameras=_camera_use(first, last),
        reviews_held=reviews_held,
        reviews_on_time=reviews_on_time,
        costs=costs.year(year_start),
        evaluations=_evaluations(took["record_evaluation"], requests),
    )


def years_available(today: date) -> list[int]:
    """The financial years from the first in which a request was sent to its
    sponsor (or this one, if none has been) to this one, newest first."""
    current = costs.year_start_of(today)
    earliest = db.session.scalar(
        sa.select(sa.func.min(AuditEvent.occurred_at)).where(
            AuditEvent.object_type == "move_request", AuditEvent.action == "request.submit"
        )
    )
    start = current if earliest is None else min(costs.year_start_of(_london_day(earliest)), current)
    return list(range(current, start - 1, -1))
