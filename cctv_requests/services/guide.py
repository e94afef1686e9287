"""The process guide for councillors (DESIGN.md section 7), built from the
workflow definition, the district configuration and the data.

The stages and steps come from ``workflow.definition``, the same data the
engine runs on, so the guide says what the service does. How long each stage
usually takes is measured from the audit log once enough requests have
passed through it; until then the guide says so rather than guess.
"""

import json
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import AuditEvent, Meeting, Priority
from ..models.requests import URGENT_GROUNDS
from ..workflow.definition import ACTORS, STATE_LIST, STATES, TRANSITIONS, State, Transition
from .areas import CameraAreas, camera_areas
from .costs import year_label, year_start_of
from .deployments import rules as deployment_rules

LONDON = ZoneInfo("Europe/London")
# A stage's usual time is given once this many requests have left it.
ENOUGH = 5
# How far back the usual times look.
MEASURED_OVER_DAYS = 3 * 365


def who(transition: Transition) -> str:
    """Who takes a step, for a sentence that goes on "... backs the request".
    The service's own part (building agendas) is told separately."""
    if transition.at_meeting:
        return "the board"
    people = [ACTORS[a] for a in transition.actors if a != "system"]
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " or " + people[-1]


@dataclass(frozen=True)
class Step:
    transition: Transition
    dest: State

    @property
    def sentence(self) -> str:
        text = f"{who(self.transition)} {self.transition.explained}"
        if "system" in self.transition.actors:
            text += " The service does this by itself when it builds a meeting's agenda."
        return text[0].upper() + text[1:]


@dataclass(frozen=True)
class Stage:
    state: State
    steps: tuple[Step, ...]
    # Half the requests that left this stage did so within this many days;
    # None until ENOUGH have.
    usual_days: float | None
    measured: int


@dataclass(frozen=True)
class Guide:
    stages: tuple[Stage, ...]
    endings: tuple[State, ...]
    cameras: CameraAreas
    meetings: tuple[Meeting, ...]
    priorities_year: str
    priorities: tuple[str, ...]
    budget_year: str
    budget: Decimal | None
    urgent_grounds: tuple[str, ...]
    today: date


def stage_days(today: date) -> dict[str, list[int]]:
    """For each state, how many days each request spent in it before moving
    on, from the audit log's steps (one query)."""
    since = datetime.combine(today - timedelta(days=MEASURED_OVER_DAYS), datetime.min.time(), LONDON)
    events = db.session.execute(
        sa.select(AuditEvent.object_id, AuditEvent.occurred_at, AuditEvent.detail)
        .where(
            AuditEvent.object_type == "move_request",
            AuditEvent.action.like("request.%"),
            AuditEvent.occurred_at >= since,
        )
        .order_by(AuditEvent.object_id, AuditEvent.id)
    )
    entered: dict[tuple[int, str], date] = {}
    days: dict[str, list[int]] = {}
    for request_id, occurred_at, detail in events:
        step = json.loads(detail or "{}")
        source, dest = step.get("source"), step.get("dest")
        if source == dest:
            continue
        on = occurred_at.astimezone(LONDON).date()
        began = entered.pop((request_id, source), None)
        if began is not None:
            days.setdefault(source, []).append((on - began).days)
        entered[(request_id, dest)] = on
    return days


def build(today: date) -> Guide:
    measured = stage_days(today)
    stages = []
    for state in STATE_LIST:
        if state.final:
            continue
        samples = measured.get(state.name, [])
        stages.append(
            Stage(
                state=state,
                steps=tuple(Step(t, STATES[t.dest]) for t in TRANSITIONS if state.name in t.sources),
                usual_days=statistics.median(samples) if len(samples) >= ENOUGH else None,
                measured=len(samples),
            )
        )
    this_year = year_start_of(today)
    latest = db.session.scalar(
        sa.select(sa.func.max(Priority.year_start)).where(Priority.year_start <= this_year)
    )
    priorities = (
        tuple(
            db.session.scalars(
                sa.select(Priority.name).where(Priority.year_start == latest).order_by(Priority.id)
            )
        )
        if latest is not None
        else ()
    )
    meetings = tuple(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.meets_on >= today, Meeting.status.in_(("planned", "published")))
            .order_by(Meeting.meets_on)
            .limit(current_app.config["MEETING_RULES"].per_year)
        )
    )
    return Guide(
        stages=tuple(stages),
        endings=tuple(s for s in STATE_LIST if s.final),
        cameras=camera_areas(),
        meetings=meetings,
        priorities_year=f"{latest}/{(latest + 1) % 100:02d}" if latest is not None else "",
        priorities=priorities,
        budget_year=year_label(this_year),
        budget=deployment_rules().budget_for(this_year),
        urgent_grounds=tuple(URGENT_GROUNDS.values()),
        today=today,
    )
