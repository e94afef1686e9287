"""Planning board meetings and reading their agendas (DESIGN.md section 6)."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import audit
from ..extensions import db
from ..models import AgendaItem, Attendance, Interest, Meeting, User, UserRole
from ..models.base import utcnow

CUTOFF_WORKING_DAYS = 10
PUBLISH_CLEAR_DAYS = 5
DEFAULT_QUORUM = 3


def working_days_before(day: date, count: int) -> date:
    """The date ``count`` working days (Monday to Friday) before ``day``."""
    current = day
    while count:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current


def clear_days_before(day: date, count: int) -> date:
    """The last date that leaves ``count`` clear days before ``day``."""
    return day - timedelta(days=count + 1)


def plan_meeting(meets_on: date, *, quorum: int = DEFAULT_QUORUM, actor=None) -> Meeting:
    meeting = Meeting(
        meets_on=meets_on,
        cutoff_on=working_days_before(meets_on, CUTOFF_WORKING_DAYS),
        publish_on=clear_days_before(meets_on, PUBLISH_CLEAR_DAYS),
        quorum=quorum,
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
    )
    return meeting


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


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .options(selectinload(AgendaItem.interests))
            .order_by(AgendaItem.kind, AgendaItem.added_at, AgendaItem.id)
        )
    )


def present(meeting: Meeting) -> list[Attendance]:
    return list(
        db.session.scalars(
            sa.select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)
        )
    )


@dataclass(frozen=True)
class StatusChange:
    source: str
    dest: str
    stamp: str
    done: str
    refused: str


STATUS_CHANGES = {
    "open": StatusChange(
        "planned",
        "in_session",
        "opened_at",
        "The meeting is in session. Record who is present before any decision.",
        "This meeting is not waiting to start.",
    ),
    "close": StatusChange(
        "in_session", "closed", "closed_at", "The meeting is closed.", "This meeting is not in session."
    ),
}


def change_status(meeting: Meeting, change: str, actor) -> bool:
    """Open or close a meeting, as a compare-and-set so that two people
    pressing the button at once change it once. False if it was not in the
    state the change starts from."""
    step = STATUS_CHANGES[change]
    result = db.session.execute(
        sa.update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == step.source)
        .values(status=step.dest, **{step.stamp: utcnow()})
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.rollback()
        return False
    audit.record(f"meeting.{change}", actor=actor, object_type="meeting", object_id=meeting.id)
    db.session.commit()
    return True


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
    """Meetings, upcoming first then the past, each with its number of items."""
    counts = (
        sa.select(AgendaItem.meeting_id, sa.func.count().label("n"))
        .group_by(AgendaItem.meeting_id)
        .subquery()
    )
    query = (
        sa.select(Meeting, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .where(*where)
        .order_by(Meeting.status == "closed", Meeting.meets_on)
        .limit(limit)
    )
    return [(meeting, n) for meeting, n in db.session.execute(query)]
