"""Where every camera was and is: deployments, the decisions behind them,
and corrections of their dates (DESIGN.md section 5).

A deployment is a camera at a site from the day it went up to the day it came
down. The day it comes down belongs to the site it moves to next, so on any
day a camera is at one site at most.
"""

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import current_app

from .. import audit
from ..extensions import db
from ..models import (
    AgendaItem,
    AuditEvent,
    Camera,
    Deployment,
    DeploymentCorrection,
    Meeting,
    MoveRequest,
    User,
)
from .calendar import whole_setting


class RulesConfigError(ValueError):
    pass


@dataclass(frozen=True)
class DeploymentRules:
    """The district's rules for deployments, from its ``[deployments]`` and
    ``[budgets]`` tables."""

    # The review date an installation offers, this many months on.
    review_interval_months: int = 3
    # How long after removal the "after" incidents are counted for the evaluation.
    evaluation_after_weeks: int = 12
    # How long recordings are kept after removal unless the coordinator says otherwise.
    recordings_kept_days: int = 31
    # The Community Safety budget for camera moves, by the year a financial year starts.
    budgets: tuple[tuple[int, Decimal], ...] = ()

    def budget_for(self, year_start: int) -> Decimal | None:
        return dict(self.budgets).get(year_start)


def _whole(section: dict, key: str, default: int, low: int, high: int) -> int:
    return whole_setting(section, key, default, low, high, table="deployments", error=RulesConfigError)


def rules_from(config: dict) -> DeploymentRules:
    section = config.get("deployments", {})
    budgets = []
    for year, amount in config.get("budgets", {}).items():
        try:
            year_start, money = int(year), Decimal(str(amount))
        except (ValueError, InvalidOperation) as exc:
            raise RulesConfigError(
                f"budgets: {year!r} = {amount!r} must be a year and an amount in pounds."
            ) from exc
        if not 2000 <= year_start <= 2100 or money < 0 or isinstance(amount, bool):
            raise RulesConfigError(f"budgets: {year!r} = {amount!r} must be a year and an amount in pounds.")
        budgets.append((year_start, money.quantize(Decimal("0.01"))))
    return DeploymentRules(
        review_interval_months=_whole(section, "review_interval_months", 3, 1, 24),
        evaluation_after_weeks=_whole(section, "evaluation_after_weeks", 12, 1, 104),
        recordings_kept_days=_whole(section, "recordings_kept_days", 31, 1, 3650),
        budgets=tuple(sorted(budgets)),
    )


def rules() -> DeploymentRules:
    return current_app.config["DEPLOYMENT_RULES"]


def months_later(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it is shorter
    (31 January + 1 month is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def default_review_due(installed_on: date) -> date:
    return months_later(installed_on, rules().review_interval_months)


# --- where each camera was ---------------------------------------------------------------


def positions_on(day: date) -> list[tuple[Camera, Deployment | None]]:
    """Every camera and the deployment it was at on ``day`` (None: in store),
    in two queries however many cameras and deployments there are."""
    cameras = db.session.scalars(sa.select(Camera).order_by(Camera.name)).all()
    rows = db.session.scalars(
        sa.select(Deployment).where(
            Deployment.installed_on <= day,
            sa.or_(Deployment.removed_on.is_(None), Deployment.removed_on > day),
        )
    ).all()
    at = {d.camera_id: d for d in rows}
    return [(camera, at.get(camera.id)) for camera in cameras]


@dataclass(frozen=True)
class Authority:
    """The decision that put a camera at a site: a board meeting's item, or
    a chair's action, and who took it."""

    kind: str  # "board" or "chair_action"
    decided_by: str
    decided_on: date | None
    meeting: Meeting | None
    ratified: bool | None = None

    @property
    def label(self) -> str:
        if self.kind == "chair_action":
            return "Chair's action"
        return "Board decision"


@dataclass(frozen=True)
class Stay:
    """One deployment in a camera's or a site's history."""

    deployment: Deployment
    move_request: MoveRequest | None
    authority: Authority | None
    corrections: tuple[DeploymentCorrection, ...]


def _authorities(request_ids: list[int]) -> dict[int, Authority]:
    """The authorising decision of each request, in at most three queries."""
    if not request_ids:
        return {}
    items = db.session.scalars(
        sa.select(AgendaItem)
        .where(
            AgendaItem.move_request_id.in_(request_ids),
            AgendaItem.outcome.in_(("approved", "chair_action", "ratified", "not_ratified")),
        )
        .order_by(AgendaItem.decided_at, AgendaItem.id)
    ).all()
    people = dict(
        db.session.execute(
            sa.select(User.id, User.name).where(
                User.id.in_({i.decided_by_id for i in items if i.decided_by_id})
            )
        ).all()
    )
    result: dict[int, Authority] = {}
    ratified: dict[int, bool] = {}
    for item in items:
        if item.outcome in ("ratified", "not_ratified"):
            ratified[item.move_request_id] = item.outcome == "ratified"
            continue
        chair = item.outcome == "chair_action"
        result[item.move_request_id] = Authority(
            kind="chair_action" if chair else "board",
            decided_by=people.get(item.decided_by_id, "Not recorded"),
            decided_on=item.decided_at.date() if item.decided_at else None,
            meeting=item.meeting,
        )
    # A chair's action taken before the request reached an agenda has no
    # item of its own: the audit log records who took it and when.
    missing = [rid for rid in request_ids if rid not in result]
    if missing:
        for rid, name, occurred_at in db.session.execute(
            sa.select(AuditEvent.object_id, User.name, AuditEvent.occurred_at)
            .join(User, User.id == AuditEvent.actor_id)
            .where(
                AuditEvent.object_type == "move_request",
                AuditEvent.object_id.in_(missing),
                AuditEvent.action == "request.approve_urgently",
                AuditEvent.outcome == "success",
            )
            .order_by(AuditEvent.id)
        ):
            result[rid] = Authority("chair_action", name, occurred_at.date(), None)
    return {
        rid: Authority(a.kind, a.decided_by, a.decided_on, a.meeting, ratified.get(rid))
        if a.kind == "chair_action"
        else a
        for rid, a in result.items()
    }


def stays(where) -> list[Stay]:
    """Deployments matching ``where`` (a SQL condition), newest first, each
    with its request, the decision behind it and its corrections, in a
    fixed number of queries."""
    deployments = db.session.scalars(
        sa.select(Deployment).where(where).order_by(Deployment.installed_on.desc(), Deployment.id.desc())
    ).all()
    request_ids = [d.move_request_id for d in deployments if d.move_request_id]
    requests = (
        {r.id: r for r in db.session.scalars(sa.select(MoveRequest).where(MoveRequest.id.in_(request_ids)))}
        if request_ids
        else {}
    )
    corrections: dict[int, list[DeploymentCorrection]] = defaultdict(list)
    if deployments:
        for c in db.session.scalars(
            sa.select(DeploymentCorrection)
            .where(DeploymentCorrection.deployment_id.in_([d.id for d in deployments]))
            .order_by(DeploymentCorrection.recorded_at, DeploymentCorrection.id)
        ):
            corrections[c.deployment_id].append(c)
    authorities = _authorities(request_ids)
    return [
        Stay(
            deployment=d,
            move_request=requests.get(d.move_request_id),
            authority=authorities.get(d.move_request_id),
            corrections=tuple(corrections[d.id]),
        )
        for d in deployments
    ]


# --- corrections -------------------------------------------------------------------------


class CorrectionRefused(ValueError):
    """A correction that would leave the history impossible."""


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _neighbours(deployment: Deployment) -> tuple[Deployment | None, Deployment | None]:
    """The camera's deployments just before and just after this one."""
    others = db.session.scalars(
        sa.select(Deployment)
        .where(Deployment.camera_id == deployment.camera_id, Deployment.id != deployment.id)
        .order_by(Deployment.installed_on)
    ).all()
    before = [d for d in others if d.installed_on < deployment.installed_on or (
        d.installed_on == deployment.installed_on and d.id < deployment.id)]  # fmt: skip
    after = [d for d in others if d not in before]
    return (before[-1] if before else None, after[0] if after else None)


def check_correction(deployment: Deployment, field: str, new_value: date, today: date) -> str | None:
    """Why the corrected date cannot stand, or None. The camera is at one
    site at a time, so the new date may not overlap its stays before and after."""
    installed, removed = deployment.installed_on, deployment.removed_on
    if new_value > today:
        return "The corrected date cannot be in the future."
    if new_value == getattr(deployment, field):
        return "The corrected date is the same as the date recorded. Enter a different date."
    before, after = _neighbours(deployment)
    if field == "installed_on":
        if removed is not None and new_value > removed:
            return f"The date installed cannot be after the date removed ({_day(removed)})."
        if before is not None and (before.removed_on is None or new_value < before.removed_on):
            when = _day(before.removed_on) if before.removed_on else "it is still there"
            return (
                f"The camera was still at its previous site until {when}. "
                "Correct that removal date first, then this one."
            )
        return None
    if removed is None:
        return "The camera has not been removed from this site, so there is no removal date to correct."
    if new_value < installed:
        return f"The date removed cannot be before the date installed ({_day(installed)})."
    if after is not None and new_value > after.installed_on:
        return (
            f"The camera went up at its next site on {_day(after.installed_on)}. "
            "Correct that installation date first, then this one."
        )
    return None


def correct(deployment: Deployment, field: str, new_value: date, reason: str, actor, today: date) -> None:
    """Record a correction and carry the corrected date onto the deployment
    and its request, in one transaction. Raises CorrectionRefused."""
    problem = check_correction(deployment, field, new_value, today)
    if problem:
        raise CorrectionRefused(problem)
    old_value = getattr(deployment, field)
    # A compare-and-set on the date the coordinator saw: two corrections at
    # once cannot both win.
    result = db.session.execute(
        sa.update(Deployment)
        .where(Deployment.id == deployment.id, getattr(Deployment, field) == old_value)
        .values({field: new_value})
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise CorrectionRefused(
            "Someone else corrected this date meanwhile. Check the history and try again."
        )
    db.session.add(
        DeploymentCorrection(
            deployment_id=deployment.id,
            field=field,
            old_value=old_value,
            new_value=new_value,
            reason=reason,
            recorded_by_id=actor.id,
        )
    )
    if deployment.move_request_id is not None:
        db.session.execute(
            sa.update(MoveRequest)
            .where(MoveRequest.id == deployment.move_request_id)
            .values({field: new_value})
            .execution_options(synchronize_session="fetch")
        )
    audit.record(
        "deployment.corrected",
        actor=actor,
        object_type="deployment",
        object_id=deployment.id,
        field=field,
        old_value=old_value,
        new_value=new_value,
        reason=reason,
    )
    db.session.commit()
