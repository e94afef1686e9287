"""Agendas that build themselves (DESIGN.md section 6).

- Endorsed requests join the first planned meeting whose papers cut-off has
  not passed, oldest first; a request endorsed after a cut-off goes to the
  meeting after. Each is placed through the workflow, by the service itself.
- Live deployments whose review falls due by that meeting join it as review
  items; chair's actions join the next meeting as ratification items when
  they are taken (workflow effects).
- An item not reached at a meeting, like a deferred one, is carried to the
  next meeting with a link to the item it continues.

``build`` is run when a request is endorsed, when the calendar changes, when
a meeting closes or its agenda is published, and daily by
``flask --app wsgi meetings build-agendas``.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..models import AgendaItem, Meeting, MoveRequest
from ..models.base import utcnow
from ..workflow import engine
from .meetings import NOT_STARTED, MeetingRefused, _move_item, agenda, next_meeting


@dataclass
class Built:
    placed: list[str] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)


def open_for_papers(today: date) -> Meeting | None:
    """The meeting endorsed requests join now: planned, agenda not yet
    published, papers cut-off today or later."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.status == "planned", Meeting.cutoff_on >= today)
        .order_by(Meeting.meets_on)
        .limit(1)
    )


def build(today: date) -> Built:
    built = Built()
    target = open_for_papers(today)
    if target is not None:
        waiting = db.session.scalars(
            sa.select(MoveRequest)
            .where(MoveRequest.status == "endorsed")
            .order_by(MoveRequest.submitted_at, MoveRequest.id)
        ).all()
        for move_request in waiting:
            try:
                engine.fire(
                    move_request, "place_on_agenda", engine.SYSTEM, {"meeting_id": target.id}, today=today
                )
            except engine.WorkflowError:
                # Someone acted on it meanwhile; it is theirs now.
                continue
            built.placed.append(move_request.reference)
    review_meeting = db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.status == "planned", Meeting.meets_on >= today)
        .order_by(Meeting.meets_on)
        .limit(1)
    )
    if review_meeting is not None:
        built.reviews = _add_reviews(review_meeting)
    return built


def _add_reviews(meeting: Meeting) -> list[str]:
    has_open_review = (
        sa.select(AgendaItem.id)
        .where(
            AgendaItem.move_request_id == MoveRequest.id,
            AgendaItem.kind == "review",
            AgendaItem.outcome.is_(None),
        )
        .exists()
    )
    due = db.session.scalars(
        sa.select(MoveRequest)
        .where(
            MoveRequest.status == "live",
            MoveRequest.review_due <= meeting.meets_on,
            MoveRequest.removal_due.is_(None),
            ~has_open_review,
        )
        .order_by(MoveRequest.review_due, MoveRequest.id)
    ).all()
    try:
        for move_request in due:
            db.session.add(AgendaItem(meeting_id=meeting.id, move_request_id=move_request.id, kind="review"))
            audit.record(
                "agenda_item.review_added",
                object_type="move_request",
                object_id=move_request.id,
                meeting_id=meeting.id,
                review_due=move_request.review_due.isoformat(),
            )
        db.session.commit()
    except IntegrityError:
        # Another build added these reviews at the same moment (one item per
        # meeting, request and kind): theirs stand.
        db.session.rollback()
        return []
    return [mr.reference for mr in due]


def record_not_reached(item: AgendaItem, actor) -> Meeting:
    """The meeting ran out of time before ``item``: it is recorded as not
    reached and carried to the next meeting. Returns that meeting."""
    meeting = item.meeting
    if meeting.status != "in_session":
        raise MeetingRefused("An item can be recorded as not reached only while the meeting is in session.")
    if item.outcome is not None:
        raise MeetingRefused("This item already has a decision.")
    target = next_meeting(meeting)
    if target is None:
        raise MeetingRefused(
            "There is no later meeting to carry this item to. Ask the coordinator to plan one."
        )
    result = db.session.execute(
        sa.update(AgendaItem)
        .where(AgendaItem.id == item.id, AgendaItem.outcome.is_(None))
        .values(outcome="not_reached", decided_at=utcnow(), decided_by_id=actor.id)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise MeetingRefused("Someone recorded a decision on this item a moment ago.")
    db.session.add(
        AgendaItem(
            meeting_id=target.id,
            move_request_id=item.move_request_id,
            kind=item.kind,
            carried_from_id=item.id,
        )
    )
    audit.record(
        "agenda_item.not_reached",
        actor=actor,
        object_type="agenda_item",
        object_id=item.id,
        carried_to=target.id,
        move_request_id=item.move_request_id,
    )
    db.session.commit()
    return target


def _editable(meeting: Meeting) -> None:
    if meeting.status != "planned":
        raise MeetingRefused("The agenda is published and frozen. Only the chair can add a late item.")


def reorder(item: AgendaItem, step: int, actor) -> None:
    """Move ``item`` one place up (step -1) or down (+1) on its agenda."""
    meeting = item.meeting
    _editable(meeting)
    items = agenda(meeting)
    index = next(i for i, other in enumerate(items) if other.id == item.id)
    swap = index + step
    if not 0 <= swap < len(items):
        return
    items[index], items[swap] = items[swap], items[index]
    for position, other in enumerate(items, start=1):
        other.position = position
    audit.record(
        "agenda.reordered",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        order=[other.id for other in items],
    )
    db.session.commit()


def move_to(item: AgendaItem, target: Meeting, actor, today: date) -> None:
    """Move an undecided item to another meeting that has not started."""
    _editable(item.meeting)
    if item.outcome is not None:
        raise MeetingRefused("This item already has a decision.")
    if target.id == item.meeting_id or target.status not in NOT_STARTED or target.meets_on < today:
        raise MeetingRefused("Select another meeting that has not started.", "meeting_id")
    if target.status != "planned":
        raise MeetingRefused(
            "The agenda for that meeting is published. Only the chair can accept a late item.", "meeting_id"
        )
    _move_item(item, target, actor, reason="moved by the coordinator")
    item.late = target.cutoff_on < today
    db.session.commit()
