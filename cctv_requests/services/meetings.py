"""Board meetings: planning, their states, attendance and the record of the
meeting (DESIGN.md section 6).

A meeting goes planned -> published (its agenda frozen) -> in session (on
its date, not before) -> closed (every item decided, deferred or recorded as
not reached) -> minutes approved. A planned or published meeting can be moved
or cancelled; a cancelled meeting's items go to the next meeting.
"""

import json
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import audit
from ..extensions import db
from ..models import AgendaItem, Attendance, Interest, Meeting, MoveRequest, User, UserRole
from ..models.base import utcnow
from . import availability, calendar

DEFAULT_QUORUM = 3
NOT_STARTED = ("planned", "published")


class MeetingRefused(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def plan_meeting(meets_on: date, *, quorum: int | None = None, kind: str = "ordinary", actor=None) -> Meeting:
    """Add a meeting, its cut-off and publication day worked out from the
    rules; the caller commits."""
    rule = calendar.rules()
    meeting = Meeting(
        meets_on=meets_on,
        cutoff_on=calendar.papers_cutoff(meets_on, rule),
        publish_on=calendar.publication_day(meets_on, rule),
        quorum=quorum or rule.quorum,
        kind=kind,
        status="planned",
    )
    db.session.add(meeting)
    db.session.flush()
    audit.record(
        "meeting.planned",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        meets_on=meets_on.isoformat(),
        kind=kind,
    )
    return meeting


def plan_year(year: int, today: date, actor=None) -> list[Meeting]:
    """The year's ordinary meetings from the rules, on the usual day of each
    meeting month. A month that already has a meeting, or whose usual day
    has passed, is left alone; so planning twice adds nothing."""
    rule = calendar.rules()
    taken = {
        (day.year, day.month)
        for day in db.session.scalars(
            sa.select(Meeting.meets_on).where(
                Meeting.status != "cancelled",
                Meeting.meets_on >= date(year, 1, 1),
                Meeting.meets_on <= date(year, 12, 31),
            )
        )
    }
    planned = []
    for month in rule.months:
        day = calendar.usual_day(year, month, rule)
        if (year, month) in taken or day < today:
            continue
        planned.append(plan_meeting(day, actor=actor))
    db.session.commit()
    return planned


def move_meeting(meeting: Meeting, new_day: date, actor, today: date) -> None:
    """Move a meeting that has not started to another day, recomputing its
    cut-off and publication day. Its items go with it."""
    if meeting.status not in NOT_STARTED:
        raise MeetingRefused("Only a meeting that has not started can be moved.")
    if new_day < today:
        raise MeetingRefused("The new date must be today or in the future.", "meets_on")
    if new_day == meeting.meets_on:
        raise MeetingRefused("The new date is the same as the current one.", "meets_on")
    rule = calendar.rules()
    old_day = meeting.meets_on
    taken = db.session.scalar(
        sa.select(Meeting.id).where(
            Meeting.meets_on == new_day, Meeting.status != "cancelled", Meeting.id != meeting.id
        )
    )
    if taken is not None:
        raise MeetingRefused("There is already a meeting on that date", "meets_on")
    try:
        result = db.session.execute(
            sa.update(Meeting)
            .where(Meeting.id == meeting.id, Meeting.status == meeting.status, Meeting.meets_on == old_day)
            .values(
                meets_on=new_day,
                cutoff_on=calendar.papers_cutoff(new_day, rule),
                publish_on=calendar.publication_day(new_day, rule),
                sequence=Meeting.sequence + 1,
            )
            .execution_options(synchronize_session="fetch")
        )
    except IntegrityError:
        # Another meeting took the date a moment ago (the unique index).
        db.session.rollback()
        raise MeetingRefused("There is already a meeting on that date", "meets_on") from None
    if result.rowcount != 1:
        db.session.rollback()
        raise MeetingRefused("Someone else changed this meeting. Check it and try again.")
    audit.record(
        "meeting.moved",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        from_day=old_day.isoformat(),
        to_day=new_day.isoformat(),
    )
    db.session.commit()


def next_meeting(after: Meeting) -> Meeting | None:
    """The first meeting after ``after`` that has not started."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.status.in_(NOT_STARTED), Meeting.meets_on > after.meets_on, Meeting.id != after.id)
        .order_by(Meeting.meets_on)
        .limit(1)
    )


def cancel_meeting(meeting: Meeting, reason: str, actor) -> int:
    """Call off a meeting that has not started. Its undecided items move to
    the next meeting, each move recorded; returns how many moved."""
    if meeting.status not in NOT_STARTED:
        raise MeetingRefused("Only a meeting that has not started can be cancelled.")
    items = list(
        db.session.scalars(
            sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.outcome.is_(None))
        )
    )
    target = next_meeting(meeting)
    if items and target is None:
        raise MeetingRefused(
            f"This meeting has {len(items)} {'item' if len(items) == 1 else 'items'} and no later meeting "
            "to take them. "
            "Plan the next meeting first."
        )
    result = db.session.execute(
        sa.update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == meeting.status)
        .values(status="cancelled", cancelled_reason=reason, sequence=Meeting.sequence + 1)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise MeetingRefused("Someone else changed this meeting. Check it and try again.")
    for item in items:
        _move_item(item, target, actor, reason="meeting cancelled")
    audit.record(
        "meeting.cancelled",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        reason=reason,
        items_moved=len(items),
    )
    db.session.commit()
    return len(items)


def _move_item(item: AgendaItem, target: Meeting, actor, *, reason: str) -> None:
    audit.record(
        "agenda_item.moved",
        actor=actor,
        object_type="agenda_item",
        object_id=item.id,
        from_meeting=item.meeting_id,
        to_meeting=target.id,
        reason=reason,
        move_request_id=item.move_request_id,
    )
    item.meeting_id = target.id
    item.position = 0


# ---------------------------------------------------------------------------
# The meeting's own states.


@dataclass(frozen=True)
class StatusChange:
    sources: tuple[str, ...]
    dest: str
    stamp: str
    done: str


STATUS_CHANGES = {
    "publish": StatusChange(
        ("planned",),
        "published",
        "published_at",
        "The agenda is published. Only the chair can now add a late item.",
    ),
    "open": StatusChange(
        ("published",),
        "in_session",
        "opened_at",
        "The meeting is in session. Record who is present before any decision.",
    ),
    "close": StatusChange(("in_session",), "closed", "closed_at", "The meeting is closed."),
    "approve_minutes": StatusChange(
        ("closed",), "minutes_approved", "minutes_approved_at", "The minutes are approved."
    ),
}
WRONG_STATE = {
    "publish": "The agenda of this meeting has already been published.",
    "open": "Publish the agenda before starting the meeting.",
    "close": "This meeting is not in session.",
    "approve_minutes": "The minutes can be approved only once the meeting is closed.",
}


def undecided(meeting: Meeting) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.outcome.is_(None))
    )


def change_problem(meeting: Meeting, change: str, today: date) -> str | None:
    """Why ``change`` cannot be made to ``meeting`` now, or None."""
    step = STATUS_CHANGES[change]
    if meeting.status not in step.sources:
        if change == "open" and meeting.status == "in_session":
            return "This meeting is already in session."
        return WRONG_STATE[change]
    if change == "open" and today < meeting.meets_on:
        return f"This meeting is on {meeting.meets_on:%-d %B %Y}. It can be started on that day, not before."
    if change == "close":
        count = undecided(meeting)
        if count:
            noun = "item has" if count == 1 else "items have"
            return (
                f"{count} {noun} no decision. Record a decision, defer it, or record it as not reached "
                "so that it goes to the next meeting."
            )
    return None


def change_status(meeting: Meeting, change: str, actor, today: date) -> str | None:
    """Make ``change`` as a compare-and-set, so that two people pressing the
    button at once change it once. Returns why not, or None when done."""
    problem = change_problem(meeting, change, today)
    if problem:
        return problem
    step = STATUS_CHANGES[change]
    values = {"status": step.dest, step.stamp: utcnow()}
    if change == "close":
        values["camera_snapshot"] = json.dumps(camera_positions(), sort_keys=True)
    if change == "approve_minutes":
        values["minutes_approved_by_id"] = actor.id
    result = db.session.execute(
        sa.update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == meeting.status)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.rollback()
        return "Someone else changed this meeting a moment ago. Check it and try again."
    audit.record(f"meeting.{change}", actor=actor, object_type="meeting", object_id=meeting.id)
    db.session.commit()
    return None


def camera_positions() -> list[dict]:
    """Each camera: its service status, where it is and its bookings, as
    plain data for the minutes' record."""
    deployments = availability.open_deployments()
    bookings = availability.bookings()
    reviews = dict(
        db.session.execute(
            sa.select(MoveRequest.id, MoveRequest.review_due).where(
                MoveRequest.id.in_([d.move_request_id for d in deployments.values() if d.move_request_id])
            )
        ).all()
    )
    rows = []
    for camera in availability.all_cameras():
        deployment = deployments.get(camera.id)
        site = deployment.site if deployment else None
        review = reviews.get(deployment.move_request_id) if deployment else None
        rows.append(
            {
                "camera": camera.label,
                "service": camera.service_status_label,
                "street": site.street if site else "",
                "ward": site.ward.name if site else "",
                "exact": site.exact_location if site else "",
                "since": deployment.installed_on.isoformat() if deployment else "",
                "review_due": review.isoformat() if review else "",
                "bookings": [
                    {
                        "reference": b.reference,
                        "start": b.approved_start.isoformat(),
                        "end": b.approved_end.isoformat(),
                    }
                    for b in bookings.get(camera.id, [])
                ],
            }
        )
    return rows


def snapshot(meeting: Meeting) -> list[dict] | None:
    return json.loads(meeting.camera_snapshot) if meeting.camera_snapshot else None


# ---------------------------------------------------------------------------
# People at the meeting.


def board_members() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role.in_(("board", "chair")), User.active.is_(True))
            .distinct()
            .order_by(User.name)
        )
    )


def present(meeting: Meeting) -> list[Attendance]:
    return list(
        db.session.scalars(
            sa.select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)
        )
    )


def record_attendance(meeting: Meeting, user_ids: set[int], actor) -> None:
    current = {a.user_id: a for a in present(meeting)}
    for user_id, row in current.items():
        if user_id not in user_ids:
            db.session.delete(row)
    for user_id in user_ids - current.keys():
        db.session.add(Attendance(meeting_id=meeting.id, user_id=user_id))
    audit.record(
        "meeting.attendance",
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        present=sorted(user_ids),
    )
    db.session.commit()


def declare_interest(item: AgendaItem, user, note: str) -> None:
    db.session.add(Interest(agenda_item_id=item.id, user_id=user.id, note=note))
    audit.record(
        "meeting.interest_declared", actor=user, object_type="agenda_item", object_id=item.id, note=note
    )
    db.session.commit()


def with_item_counts(*where, limit: int | None = None) -> list[tuple[Meeting, int]]:
    """Meetings, soonest first, each with its number of items."""
    counts = (
        sa.select(AgendaItem.meeting_id, sa.func.count().label("n"))
        .group_by(AgendaItem.meeting_id)
        .subquery()
    )
    query = (
        sa.select(Meeting, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .where(*where)
        .order_by(Meeting.meets_on)
        .limit(limit)
    )
    return [(meeting, n) for meeting, n in db.session.execute(query)]


def upcoming_and_past() -> tuple[list, list]:
    """Meetings still to be held (soonest first) and the rest (latest first)."""
    upcoming, past = [], []
    for meeting, count in with_item_counts():
        still_to_hold = meeting.status in (*NOT_STARTED, "in_session")
        (upcoming if still_to_hold else past).append((meeting, count))
    return upcoming, past[::-1]


def agenda_query(meeting_id: int):
    return (
        sa.select(AgendaItem)
        .join(MoveRequest, MoveRequest.id == AgendaItem.move_request_id)
        .where(AgendaItem.meeting_id == meeting_id)
        .options(selectinload(AgendaItem.interests))
        .order_by(
            # Reordered items keep the coordinator's order; the rest follow:
            # chair's actions, then requests oldest first, then reviews.
            sa.case((AgendaItem.position == 0, 1), else_=0),
            AgendaItem.position,
            sa.case((AgendaItem.kind == "ratification", 0), (AgendaItem.kind == "request", 1), else_=2),
            MoveRequest.submitted_at,
            AgendaItem.id,
        )
    )


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(db.session.scalars(agenda_query(meeting.id)))


def earlier_items(items: list[AgendaItem]) -> dict[int, AgendaItem]:
    """The items that ``items`` carry forward, by id, in one query: the
    history shown beside a carried item."""
    ids = [item.carried_from_id for item in items if item.carried_from_id is not None]
    if not ids:
        return {}
    return {item.id: item for item in db.session.scalars(sa.select(AgendaItem).where(AgendaItem.id.in_(ids)))}
