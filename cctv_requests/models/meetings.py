"""Community Safety Board meetings and their agendas."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, check_in, utcnow
from .requests import MoveRequest
from .users import User

MEETING_STATUSES = {
    "planned": "Planned",
    "published": "Agenda published",
    "in_session": "In session",
    "closed": "Closed",
    "minutes_approved": "Minutes approved",
    "cancelled": "Cancelled",
}

MEETING_KINDS = {"ordinary": "Ordinary meeting", "extraordinary": "Extraordinary meeting"}

ITEM_KINDS = {
    "request": "Request for decision",
    "ratification": "Chair's action for ratification",
    "review": "Deployment review",
}

OUTCOMES = {
    "approved": "Approved",
    "rejected": "Rejected",
    "deferred": "Deferred",
    "returned": "Returned for changes",
    "withdrawn": "Withdrawn",
    "chair_action": "Decided by chair's action",
    "cancelled": "Request cancelled",
    "ratified": "Chair's action ratified",
    "not_ratified": "Chair's action not ratified",
    "continued": "Deployment continued",
    "removal_ordered": "Camera to be removed",
    "not_reached": "Not reached: carried to the next meeting",
    "not_needed": "No longer needed: the deployment has ended",
}

# Outcomes that send an item on to the next meeting.
CARRIED = ("deferred", "not_reached")


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint(check_in("status", MEETING_STATUSES), name="status_known"),
        sa.CheckConstraint(check_in("kind", MEETING_KINDS), name="kind_known"),
        sa.CheckConstraint("cutoff_on <= meets_on", name="cutoff_before_meeting"),
        # One meeting a day, not counting those called off.
        sa.Index(
            "uq_meetings_meets_on_active",
            "meets_on",
            unique=True,
            sqlite_where=sa.text("status <> 'cancelled'"),
            postgresql_where=sa.text("status <> 'cancelled'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meets_on: Mapped[date]
    cutoff_on: Mapped[date]
    publish_on: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(20), default="ordinary")
    quorum: Mapped[int] = mapped_column(default=3)
    status: Mapped[str] = mapped_column(sa.String(20), default="planned")
    # RFC 5545 SEQUENCE: bumped when the meeting is moved or cancelled, so
    # calendars replace their copy.
    sequence: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    cancelled_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # What each camera was doing when the meeting closed, as JSON: the
    # minutes show this, not today's positions (DESIGN.md section 6).
    camera_snapshot: Mapped[str] = mapped_column(sa.Text, default="")

    attendance: Mapped[list["Attendance"]] = relationship(
        lazy="raise_on_sql", cascade="all, delete-orphan", back_populates="meeting"
    )

    @property
    def title(self) -> str:
        return f"Community Safety Board, {self.meets_on:%-d %B %Y}"

    @property
    def status_label(self) -> str:
        return MEETING_STATUSES[self.status]

    @property
    def kind_label(self) -> str:
        return MEETING_KINDS[self.kind]

    @property
    def is_past(self) -> bool:
        return self.status in ("closed", "minutes_approved", "cancelled")


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id", name="uq_attendance_meeting_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="attendance", lazy="raise_on_sql")
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (
        sa.CheckConstraint(check_in("kind", ITEM_KINDS), name="kind_known"),
        sa.CheckConstraint("outcome IS NULL OR " + check_in("outcome", OUTCOMES), name="outcome_known"),
        sa.UniqueConstraint(
            "meeting_id", "move_request_id", "kind", name="uq_agenda_items_meeting_request_kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    move_request_id: Mapped[int] = mapped_column(sa.ForeignKey("move_requests.id"), index=True)
    # No default: whoever adds an item says what kind it is.
    kind: Mapped[str] = mapped_column(sa.String(20))
    # The coordinator's order; 0 until the agenda is reordered, then items
    # sort by kind and the request's age (DESIGN.md section 6: oldest first).
    position: Mapped[int] = mapped_column(default=0)
    # The item at an earlier meeting this one carries forward.
    carried_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id"))
    late: Mapped[bool] = mapped_column(default=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    reasons: Mapped[str] = mapped_column(sa.Text, default="")
    votes_for: Mapped[int | None]
    votes_against: Mapped[int | None]
    votes_abstain: Mapped[int | None]
    # Conditions the board attached to an approval.
    conditions: Mapped[str] = mapped_column(sa.Text, default="")
    # What was decided, in words, as it stood when it was decided (the
    # camera and period approved, the next review, a removal due): the
    # minutes quote this, whatever happens to the request later.
    terms: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    meeting: Mapped[Meeting] = relationship(lazy="joined", innerjoin=True)
    move_request: Mapped[MoveRequest] = relationship(lazy="joined", innerjoin=True)
    interests: Mapped[list["Interest"]] = relationship(
        lazy="raise_on_sql", cascade="all, delete-orphan", back_populates="agenda_item"
    )

    @property
    def kind_label(self) -> str:
        return ITEM_KINDS[self.kind]

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome or "", "Not yet decided")


class Interest(db.Model):
    """A board member's declared interest in an agenda item."""

    __tablename__ = "interests"
    __table_args__ = (sa.UniqueConstraint("agenda_item_id", "user_id", name="uq_interests_item_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="interests", lazy="raise_on_sql")
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
