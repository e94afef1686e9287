"""The one way a request's status changes.

``fire()`` checks the actor and the guards, lets the ``transitions`` machine
take the step, applies it as a compare-and-set on the previous status and
version, writes what the trigger touches and its audit event, and commits it
all in one transaction. ``allowed_actions()`` says which triggers a user may
fire, for the buttons on a page.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError, OperationalError
from transitions import Machine

from .. import audit
from ..extensions import db
from ..models import (
    AgendaItem,
    Attendance,
    AuditEvent,
    Camera,
    Deployment,
    Interest,
    Meeting,
    MoveRequest,
    SiteSurvey,
)
from ..services.availability import clashes
from .definition import STATES, TRANSITIONS, Transition, in_button_order, transition_for
from .effects import EFFECTS, EffectTools
from .guards import DATA_GUARDS, GUARDS, Context, Facts

# Days are as the council counts them.
LONDON = ZoneInfo("Europe/London")

CONFLICT_MESSAGE = (
    "Someone else changed this request while you were working on it. "
    "Nothing you entered has been saved. Check its current state and try again if it is still needed."
)


class WorkflowError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Refused(WorkflowError):
    """The actor may not fire the trigger, or a guard said no. ``guard``
    names the guard, so a form can show the message at its field."""

    def __init__(self, message: str, guard: str | None = None):
        super().__init__(message)
        self.guard = guard


class Conflict(WorkflowError):
    """Another change reached the request first."""


class SystemActor:
    """The service itself, when it builds agendas: no user, and the one
    role, "system", that only automatic placing accepts."""

    id = None
    roles = frozenset({"system"})
    is_authenticated = False


SYSTEM = SystemActor()


class _Subject:
    """The model the ``transitions`` machine moves: only the state (set by
    the machine as its initial state), never the database row, so the status
    column has one writer."""

    state: str


def _actor_allowed(t: Transition, ctx: Context) -> bool:
    mr = ctx.move_request
    for actor in t.actors:
        if actor == "requester" and ctx.actor_id == mr.requester_id:
            return True
        if actor == "named_sponsor" and "sponsor" in ctx.actor_roles and ctx.actor_id == mr.sponsor_id:
            return True
        if actor in ctx.actor_roles:
            return True
    return False


def refusals(t: Transition, ctx: Context) -> list[str]:
    """Why ``ctx.actor`` may not take ``t`` now; empty when they may."""
    return [message for _guard, message in _refusals_by_guard(t, ctx)]


def _refusals_by_guard(t: Transition, ctx: Context) -> list[tuple[str | None, str]]:
    if not _actor_allowed(t, ctx):
        return [(None, "You cannot do that to this request.")]
    found = []
    for name in t.guards:
        if ctx.data is None and name in DATA_GUARDS:
            continue
        message = GUARDS[name](ctx)
        if message:
            found.append((name, message))
    return found


def _condition(t: Transition, event) -> bool:
    return not refusals(t, event.kwargs["ctx"])


def _machine(state: str) -> _Subject:
    subject = _Subject()
    machine = Machine(
        model=subject,
        states=list(STATES),
        initial=state,
        auto_transitions=False,
        send_event=True,
    )
    for t in TRANSITIONS:
        machine.add_transition(t.trigger, list(t.sources), t.dest, conditions=[partial(_condition, t)])
    return subject


def _open_item(move_request: MoveRequest, kind: str = "request") -> AgendaItem | None:
    return db.session.scalar(
        sa.select(AgendaItem)
        .where(
            AgendaItem.move_request_id == move_request.id,
            AgendaItem.kind == kind,
            AgendaItem.outcome.is_(None),
        )
        .order_by(AgendaItem.id.desc())
        .limit(1)
    )


def _item_for(t: Transition, move_request: MoveRequest) -> AgendaItem | None:
    """The agenda item a transition decides: its own kind at a meeting; the
    request's open item for anything else that ends its time on an agenda."""
    if t.at_meeting:
        return _open_item(move_request, t.item_kind)
    if move_request.status == "on_agenda":
        return _open_item(move_request)
    return None


def next_meeting_after(day: date) -> int | None:
    """The first meeting after ``day`` that has not started: where deferred,
    unreached and ratification items go."""
    return db.session.scalar(
        sa.select(Meeting.id)
        .where(Meeting.status.in_(("planned", "published")), Meeting.meets_on > day)
        .order_by(Meeting.meets_on)
        .limit(1)
    )


def _load_facts(
    t: Transition, move_request: MoveRequest, actor, data, today: date, item: AgendaItem | None
) -> Facts:
    facts: dict[str, Any] = {}
    if "meeting_accepts_items" in t.guards and data is not None:
        meeting = db.session.get(Meeting, data.get("meeting_id") or 0)
        if meeting is not None:
            facts["chosen_meeting_status"] = meeting.status
            facts["chosen_meeting_cutoff"] = meeting.cutoff_on
            facts["chosen_meeting_date"] = meeting.meets_on
    if item is not None and t.at_meeting:
        meeting = item.meeting
        facts["item_meeting_status"] = meeting.status
        facts["quorum"] = meeting.quorum
        interested = set(
            db.session.scalars(sa.select(Interest.user_id).where(Interest.agenda_item_id == item.id))
        )
        present = set(
            db.session.scalars(sa.select(Attendance.user_id).where(Attendance.meeting_id == meeting.id))
        )
        # Members who declared an interest take no part, so they do not count
        # towards the quorum for this item (DESIGN.md section 2).
        facts["present_count"] = len(present - interested)
        facts["actor_declared_interest"] = actor.id in interested
    if "next_meeting_exists" in t.guards:
        # A deferred item goes to the meeting after its own; a chair's action
        # to the first meeting still to come.
        after = item.meeting.meets_on if item is not None and t.trigger == "defer" else today
        facts["next_meeting_id"] = next_meeting_after(after)
    if "installation_ready" in t.guards:
        # The camera may go up here from the day it came down from its last
        # site, or, while it is still up there, from the day it went up.
        facts["camera_free_from"] = db.session.scalar(
            sa.select(sa.func.max(sa.func.coalesce(Deployment.removed_on, Deployment.installed_on))).where(
                Deployment.camera_id == move_request.approved_camera_id
            )
        )
    if "site_prepared" in t.guards:
        survey = db.session.scalar(sa.select(SiteSurvey).where(SiteSurvey.move_request_id == move_request.id))
        if survey is not None:
            facts["survey_done"] = survey.survey_done
            facts["landowner_consent_on"] = survey.landowner_consent_on
            facts["highway_consent_on"] = survey.highway_consent_on
    if "after_period_over" in t.guards and move_request.removed_on is not None:
        weeks = current_app.config["DEPLOYMENT_RULES"].evaluation_after_weeks
        facts["evaluation_from"] = move_request.removed_on + timedelta(weeks=weeks, days=1)
    if "approved_camera_in_service" in t.guards:
        facts["approved_camera_in_service"] = (
            db.session.scalar(
                sa.select(Camera.service_status).where(Camera.id == move_request.approved_camera_id)
            )
            == "in_service"
        )
    if "camera_available" in t.guards and data is not None and data.get("camera_id"):
        camera = db.session.get(Camera, data["camera_id"])
        facts["camera_in_service"] = camera is not None and camera.service_status == "in_service"
        facts["camera_booking_version"] = camera.booking_version if camera is not None else None
        start, end = _booking_window(t, move_request, data)
        if camera is not None and start and end:
            facts["camera_clashes"] = tuple(clashes(camera.id, start, end, exclude_id=move_request.id))
    return Facts(**facts)


def _booking_window(t: Transition, move_request: MoveRequest, data: Mapping) -> tuple:
    """The period the camera would be held for. A decision that sets the
    period (approve, a chair's action) books the period it is given; any later
    booking (the installation) holds the approved period, whatever the caller
    sends, so no caller can skip the clash check."""
    if "period_valid" in t.guards:
        return data.get("start"), data.get("end")
    return move_request.approved_start, move_request.approved_end


def _context(move_request, actor, data, today, item, t: Transition) -> Context:
    facts = _load_facts(t, move_request, actor, data, today, item)
    return Context(
        move_request=move_request,
        actor_id=actor.id,
        actor_roles=actor.roles,
        today=today,
        data=data,
        facts=facts,
    )


def allowed_actions(actor, move_request: MoveRequest, *, today: date | None = None) -> list[Transition]:
    """The transitions ``actor`` may take on ``move_request`` now, judged on
    everything but the data their form will ask for, in the order their
    buttons go (``in_button_order``)."""
    today = today or date.today()
    candidates = [t for t in TRANSITIONS if move_request.status in t.sources]
    if not candidates:
        return []
    subject = _machine(move_request.status)
    allowed = []
    for t in candidates:
        ctx = _context(move_request, actor, None, today, _item_for(t, move_request), t)
        if getattr(subject, f"may_{t.trigger}")(ctx=ctx):
            allowed.append(t)
    return in_button_order(allowed)


def fire(
    move_request: MoveRequest,
    trigger: str,
    actor,
    data: Mapping | None = None,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> Transition:
    """Fire ``trigger`` on ``move_request`` as ``actor`` and commit.

    Raises ``Refused`` with the first reason when it may not go ahead, and
    ``Conflict`` when another change got there first; nothing is saved then.
    """
    today = today or date.today()
    data = dict(data or {})
    if expected_version is not None and expected_version != move_request.version:
        raise Conflict(CONFLICT_MESSAGE)
    t = transition_for(trigger, move_request.status)
    if t is None:
        raise Refused(
            f"This request is {STATES[move_request.status].label.lower()}, so that cannot be done now."
        )
    item = _item_for(t, move_request)
    ctx = _context(move_request, actor, data, today, item, t)
    problems = _refusals_by_guard(t, ctx)
    if problems:
        guard, message = problems[0]
        raise Refused(message, guard)

    subject = _machine(move_request.status)
    # Unreachable while the machine and refusals() read the same guards:
    # kept so a disagreement can never write an unchanged status.
    if not subject.trigger(trigger, ctx=ctx):  # pragma: no cover, no mutate
        raise Refused("That cannot be done now.")  # pragma: no mutate
    source, version = move_request.status, move_request.version
    # A review's due date as it stood, so the annual report can tell a
    # review held on time from a late one.
    was_due = move_request.review_due if source == "live" else None
    try:
        _compare_and_set(move_request.id, source, version, subject.state)
        if "camera_available" in t.guards:
            _book_camera(data["camera_id"], ctx.facts.camera_booking_version)
        if t.at_meeting and item is not None:
            _hold_meeting_in_session(item.meeting_id)
        effect = EFFECTS.get(trigger)
        if effect is not None:
            effect(ctx, EffectTools(item, partial(_end_by_move, actor)))
        audit.record(
            f"request.{trigger}",
            actor=actor,
            object_type="move_request",
            object_id=move_request.id,
            source=source,
            dest=subject.state,
            reason=(data.get("reason") or "").strip() or None,
            **({"review_was_due": was_due} if was_due else {}),
        )
        db.session.commit()
    except Conflict:
        db.session.rollback()
        raise
    except (IntegrityError, OperationalError) as exc:
        db.session.rollback()
        raise Conflict(CONFLICT_MESSAGE) from exc
    except Exception:
        db.session.rollback()
        raise
    return t


def _compare_and_set(request_id: int, source: str, version: int, dest: str) -> None:
    result = db.session.execute(
        sa.update(MoveRequest)
        .where(
            MoveRequest.id == request_id,
            MoveRequest.status == source,
            MoveRequest.version == version,
        )
        # updated_at moves on by itself (the column's onupdate).
        .values(status=dest, version=version + 1)
    )
    if result.rowcount != 1:
        raise Conflict(CONFLICT_MESSAGE)


def _hold_meeting_in_session(meeting_id: int) -> None:
    """A board decision needs its meeting still in session when it commits:
    this touches the meeting row (locking it on PostgreSQL until commit), so a
    meeting closed meanwhile makes the decision lose rather than land after it."""
    result = db.session.execute(
        sa.update(Meeting)
        .where(Meeting.id == meeting_id, Meeting.status == "in_session")
        .values(status="in_session")
    )
    if result.rowcount != 1:
        raise Conflict(
            "The meeting closed before this decision was recorded. Nothing you entered has been saved."
        )


def _book_camera(camera_id: int, seen_version: int | None) -> None:
    """Compare-and-set on the camera's booking version: if another decision
    booked this camera since its clashes were checked, this one loses."""
    result = db.session.execute(
        sa.update(Camera)
        .where(Camera.id == camera_id, Camera.booking_version == seen_version)
        .values(booking_version=Camera.booking_version + 1)
    )
    if result.rowcount != 1:
        raise Conflict(
            "Another decision booked that camera a moment ago. Nothing you entered has been saved. "
            "Check the camera's bookings and try again."
        )


def _end_by_move(actor, request_id: int, removed_on: date, moved_for: str) -> None:
    """End the live request whose camera has just been moved elsewhere."""
    other = db.session.get(MoveRequest, request_id)
    if other is None or other.status != "live":
        return
    _compare_and_set(other.id, "live", other.version, "ended")
    other.removed_on = removed_on
    # The recordings are kept for the district's standard time.
    kept_days = current_app.config["DEPLOYMENT_RULES"].recordings_kept_days
    other.recordings_kept_until = removed_on + timedelta(days=kept_days)
    audit.record(
        "request.end_deployment",
        actor=actor,
        object_type="move_request",
        object_id=other.id,
        source="live",
        dest="ended",
        reason=f"Camera moved to the site of {moved_for}.",
    )


def could_ever(actor, move_request: MoveRequest, trigger: str) -> bool:
    """Whether ``trigger`` is ever ``actor``'s to fire on ``move_request``, in
    any state: someone for whom it never is gets a 403, not an explanation."""
    bare = Context(move_request=move_request, actor_id=actor.id, actor_roles=actor.roles, today=date.min)
    return any(_actor_allowed(t, bare) for t in TRANSITIONS if t.trigger == trigger)


def has_moved_on(actor, move_request: MoveRequest, trigger: str) -> bool:
    """Whether ``move_request`` is past the point where ``trigger`` was
    ``actor``'s step: it no longer applies in its state, or applies only to
    someone else (a sponsor's return once it is on an agenda)."""
    t = transition_for(trigger, move_request.status)
    bare = Context(move_request=move_request, actor_id=actor.id, actor_roles=actor.roles, today=date.min)
    return t is None or not _actor_allowed(t, bare)


def unavailable_reason(
    actor, move_request: MoveRequest, trigger: str, *, today: date | None = None
) -> str | None:
    """Why ``actor`` cannot fire ``trigger`` on ``move_request`` now, when it
    is something they could do to it at some stage; None when they never
    could (that is a 403, not an explanation)."""
    today = today or date.today()
    if not could_ever(actor, move_request, trigger):
        return None
    if has_moved_on(actor, move_request, trigger):
        return moved_on_message(move_request, today)
    t = transition_for(trigger, move_request.status)
    problems = refusals(t, _context(move_request, actor, None, today, _item_for(t, move_request), t))
    return problems[0] if problems else None


def moved_on_message(move_request: MoveRequest, today: date) -> str:
    """Where a request that moved on since a link to it was opened is now,
    and who it is waiting for, in the words of the definition's states."""
    state = STATES[move_request.status]
    day = entered_on(move_request)
    on = f"{day:%-d %B}" if day.year == today.year else f"{day:%-d %B %Y}"
    moved = f"{move_request.reference} has moved on since you opened that link: it {state.entered} on {on}"
    if state.final:
        return f"{moved}, so nothing more can be done to it."
    return f"{moved} and is now waiting for {state.waiting_for}."


def entered_on(move_request: MoveRequest) -> date:
    """The day (in London) ``move_request`` reached its present state: its
    newest step into that state in the audit log. A step that stays in its
    state (a deferral, a review) does not count; with no such step (a request
    put into its state some other way), the day it last changed."""
    steps = db.session.execute(
        sa.select(AuditEvent.occurred_at, AuditEvent.detail)
        .where(
            AuditEvent.object_type == "move_request",
            AuditEvent.object_id == move_request.id,
            AuditEvent.action.like("request.%"),
        )
        .order_by(AuditEvent.id.desc())
    )
    when = move_request.updated_at
    for occurred_at, detail in steps:
        step = json.loads(detail or "{}")
        if step.get("dest") == move_request.status and step.get("source") != move_request.status:
            when = occurred_at
            break
    return when.astimezone(LONDON).date()


@dataclass(frozen=True)
class ItemChoices:
    """The decisions a user may record on one agenda item now, and why the
    others cannot be recorded."""

    allowed: tuple[Transition, ...]
    blocked: tuple[str, ...]


def meeting_choices(
    actor,
    meeting: Meeting,
    items: list[AgendaItem],
    *,
    present_ids: set[int],
    next_meeting_id: int | None,
    today: date | None = None,
) -> dict[int, ItemChoices]:
    """``allowed_actions`` for every undecided item of a meeting at once,
    from facts the page has already read: no query per item (STYLE.md)."""
    today = today or date.today()
    choices = {}
    for item in items:
        if item.outcome is not None:
            continue
        mr = item.move_request
        candidates = [
            t for t in TRANSITIONS if t.at_meeting and t.item_kind == item.kind and mr.status in t.sources
        ]
        bare = Context(move_request=mr, actor_id=actor.id, actor_roles=actor.roles, today=today)
        if not any(_actor_allowed(t, bare) for t in TRANSITIONS if t.at_meeting):
            continue
        if not candidates:
            label = STATES[mr.status].label.lower()
            choices[item.id] = ItemChoices((), (f"The request has moved on: it is {label}.",))
            continue
        interested = {i.user_id for i in item.interests}
        facts = Facts(
            item_meeting_status=meeting.status,
            quorum=meeting.quorum,
            present_count=len(present_ids - interested),
            actor_declared_interest=actor.id in interested,
            next_meeting_id=next_meeting_id,
        )
        allowed, blocked = [], []
        for t in candidates:
            ctx = Context(
                move_request=mr, actor_id=actor.id, actor_roles=actor.roles, today=today, facts=facts
            )
            problems = refusals(t, ctx)
            if problems:
                blocked += [p for p in problems if p not in blocked]
            else:
                allowed.append(t)
        choices[item.id] = ItemChoices(tuple(in_button_order(allowed)), tuple(blocked))
    return choices
