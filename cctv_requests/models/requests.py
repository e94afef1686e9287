"""The move request: one proposal to put a camera at one site for a period.

Its ``status`` column is written only by ``cctv_requests.workflow.engine``.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..workflow.definition import STATES
from .base import UTCDateTime, check_in, utcnow
from .cameras import Camera
from .places import Site
from .priorities import Priority
from .users import User

PURPOSES = {
    "observe": "Observe",
    "detect": "Detect",
    "prevent": "Prevent",
    "deter": "Deter",
}

INTELLIGENCE_SOURCES = {
    "police": "Police",
    "community": "Local community",
    "asb_group": "ASB group",
    "other": "Other",
}

URGENCIES = {"routine": "Routine", "urgent": "Urgent"}

# The sections of the request form, in the order of its task list (the
# GOV.UK "complete multiple tasks" pattern).
REQUEST_SECTIONS = {
    "problem": "The problem",
    "site": "The site",
    "evidence": "Evidence and intelligence",
    "alternatives": "Alternatives",
    "period": "Period and camera",
    "urgency": "Urgency",
    "privacy": "Privacy",
    "cost": "Cost and sponsor",
}

URGENT_GROUNDS = {
    "risk_of_harm": "Serious risk of harm to a person",
    "imminent_event": "Imminent event",
    "vulnerable_victim": "Vulnerable victim at risk",
}


class MoveRequest(db.Model):
    __tablename__ = "move_requests"
    __table_args__ = (
        sa.CheckConstraint(check_in("status", STATES), name="status_known"),
        sa.CheckConstraint(check_in("urgency", URGENCIES), name="urgency_known"),
        sa.CheckConstraint(
            "approved_end IS NULL OR approved_start IS NULL OR approved_end >= approved_start",
            name="approved_period_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft", index=True)
    # Bumped by every state change: the compare-and-set token (DESIGN.md 4).
    version: Mapped[int] = mapped_column(default=1)

    requester_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    sponsor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)

    # The problem.
    title: Mapped[str] = mapped_column(sa.String(120))
    problem: Mapped[str] = mapped_column(sa.Text, default="")
    purposes: Mapped[str] = mapped_column(sa.String(60), default="")
    pressing_need: Mapped[str] = mapped_column(sa.Text, default="")
    priority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("priorities.id"))

    # Evidence.
    crime_count: Mapped[int | None]
    asb_count: Mapped[int | None]
    baseline_start: Mapped[date | None]
    baseline_end: Mapped[date | None]
    intelligence_sources: Mapped[str] = mapped_column(sa.String(80), default="")
    intelligence_summary: Mapped[str] = mapped_column(sa.Text, default="")
    alternatives: Mapped[str] = mapped_column(sa.Text, default="")

    # When, which camera, how urgent.
    wanted_start: Mapped[date | None]
    duration_weeks: Mapped[int | None]
    camera_preference_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cameras.id"))
    urgency: Mapped[str] = mapped_column(sa.String(10), default="routine")
    urgent_ground: Mapped[str] = mapped_column(sa.String(30), default="")
    urgent_explanation: Mapped[str] = mapped_column(sa.Text, default="")

    # Privacy.
    overt_confirmed: Mapped[bool] = mapped_column(default=False)
    dpia_reference: Mapped[str] = mapped_column(sa.String(60), default="")
    signage_plan: Mapped[str] = mapped_column(sa.Text, default="")
    privacy_masking: Mapped[str] = mapped_column(sa.Text, default="")
    estimated_cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))

    # Set by the board's decision.
    approved_camera_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cameras.id"), index=True)
    approved_start: Mapped[date | None]
    approved_end: Mapped[date | None]
    chair_action: Mapped[bool] = mapped_column(default=False)
    conditions: Mapped[str] = mapped_column(sa.Text, default="")

    # Set when the installation is booked and carried out.
    installation_date: Mapped[date | None]
    installer: Mapped[str] = mapped_column(sa.String(120), default="")
    installation_cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    # What the move cost in the end, recorded with the installation.
    actual_cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    installed_on: Mapped[date | None]
    review_due: Mapped[date | None]
    removed_on: Mapped[date | None]
    # Set when the board orders a live camera down (a chair's action not
    # ratified, or a review that ends it); the coordinator then removes it.
    removal_due: Mapped[date | None]
    # Recorded at removal: until when the recordings from this deployment
    # are kept, and what was kept beyond that (for example, for evidence).
    recordings_kept_until: Mapped[date | None]
    recordings_note: Mapped[str] = mapped_column(sa.Text, default="")

    # Evaluation.
    incidents_before: Mapped[int | None]
    incidents_during: Mapped[int | None]
    incidents_after: Mapped[int | None]
    evaluation_notes: Mapped[str] = mapped_column(sa.Text, default="")

    # The reason recorded with the most recent return, decline, withdrawal,
    # rejection or cancellation.
    last_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # The sections of the form the requester has saved (comma-separated
    # REQUEST_SECTIONS keys), those they last saved as complete ("Save and
    # continue"), and those the sponsor or the board asked to be changed
    # when they returned it, until the requester saves them again.
    sections_saved: Mapped[str] = mapped_column(sa.String(120), default="")
    sections_done: Mapped[str] = mapped_column(sa.String(120), default="")
    sections_to_change: Mapped[str] = mapped_column(sa.String(120), default="")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    requester: Mapped[User] = relationship(foreign_keys=[requester_id], lazy="joined", innerjoin=True)
    sponsor: Mapped[User | None] = relationship(foreign_keys=[sponsor_id], lazy="joined")
    site: Mapped[Site] = relationship(lazy="joined", innerjoin=True)
    priority: Mapped[Priority | None] = relationship(lazy="joined")
    camera_preference: Mapped[Camera | None] = relationship(
        foreign_keys=[camera_preference_id], lazy="joined"
    )
    approved_camera: Mapped[Camera | None] = relationship(foreign_keys=[approved_camera_id], lazy="joined")

    @property
    def purpose_list(self) -> list[str]:
        return [p for p in self.purposes.split(",") if p]

    @property
    def saved_sections(self) -> list[str]:
        return [s for s in self.sections_saved.split(",") if s]

    @property
    def done_sections(self) -> list[str]:
        return [s for s in self.sections_done.split(",") if s]

    @property
    def sections_to_change_list(self) -> list[str]:
        return [s for s in self.sections_to_change.split(",") if s]

    @property
    def intelligence_source_list(self) -> list[str]:
        return [s for s in self.intelligence_sources.split(",") if s]

    @hybrid_property
    def never_sent(self) -> bool:
        """A draft, or a draft its requester withdrew before sending it: the
        requester's own, seen by nobody else (README decisions)."""
        return self.status == "draft" or (self.status == "withdrawn" and self.submitted_at is None)

    @never_sent.inplace.expression
    @classmethod
    def _never_sent_expression(cls):
        return sa.or_(cls.status == "draft", sa.and_(cls.status == "withdrawn", cls.submitted_at.is_(None)))

    @property
    def is_urgent(self) -> bool:
        return self.urgency == "urgent"

    def __repr__(self) -> str:
        return f"<MoveRequest {self.reference} {self.status}>"


class SiteSurvey(db.Model):
    """What must be in place between approval and installation: the site
    survey, the consents with their dates and references. One per request;
    the go-live gates read it (DESIGN.md section 4: record_installation)."""

    __tablename__ = "site_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    move_request_id: Mapped[int] = mapped_column(sa.ForeignKey("move_requests.id"), unique=True)
    surveyed_on: Mapped[date | None]
    surveyor: Mapped[str] = mapped_column(sa.String(120), default="")
    mounting_notes: Mapped[str] = mapped_column(sa.Text, default="")
    power_notes: Mapped[str] = mapped_column(sa.Text, default="")
    sight_lines: Mapped[str] = mapped_column(sa.Text, default="")
    masking_needed: Mapped[str] = mapped_column(sa.Text, default="")
    landowner_consent_on: Mapped[date | None]
    landowner_consent_reference: Mapped[str] = mapped_column(sa.String(60), default="")
    highway_consent_on: Mapped[date | None]
    highway_consent_reference: Mapped[str] = mapped_column(sa.String(60), default="")
    # Bumped by every save: two people saving at once cannot both win.
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    updated_by: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def survey_done(self) -> bool:
        return self.surveyed_on is not None and bool(self.surveyor.strip())

    @property
    def consents_done(self) -> bool:
        return self.landowner_consent_on is not None and self.highway_consent_on is not None
