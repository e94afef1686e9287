"""Cameras and their deployments.

A camera's location is never stored on the camera: it is the site of its
open deployment. The database allows at most one open deployment per camera
(DESIGN.md section 5).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, check_in, utcnow
from .places import Site
from .users import User

SERVICE_STATUSES = {
    "in_service": "In service",
    "faulty": "Faulty",
    "retired": "Retired",
}


class Camera(db.Model):
    __tablename__ = "cameras"
    __table_args__ = (
        sa.CheckConstraint(check_in("service_status", SERVICE_STATUSES), name="service_status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_tag: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    make_model: Mapped[str] = mapped_column(sa.String(120), default="")
    serial: Mapped[str] = mapped_column(sa.String(80), default="")
    service_status: Mapped[str] = mapped_column(sa.String(20), default="in_service")
    # Bumped by every booking of this camera: two decisions booking it at once
    # cannot both win (QUALITY.md INT-1).
    booking_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def service_status_label(self) -> str:
        return SERVICE_STATUSES[self.service_status]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.asset_tag})"

    def __repr__(self) -> str:
        return f"<Camera {self.asset_tag}>"


class Deployment(db.Model):
    __tablename__ = "deployments"
    __table_args__ = (
        # At most one open deployment per camera.
        sa.Index(
            "uq_deployments_open_camera",
            "camera_id",
            unique=True,
            sqlite_where=sa.text("removed_on IS NULL"),
            postgresql_where=sa.text("removed_on IS NULL"),
        ),
        sa.CheckConstraint(
            "removed_on IS NULL OR removed_on >= installed_on", name="removed_after_installed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(sa.ForeignKey("cameras.id"), index=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)
    move_request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("move_requests.id"), index=True)
    installed_on: Mapped[date]
    removed_on: Mapped[date | None]
    signs_removed: Mapped[bool] = mapped_column(default=False)

    camera: Mapped[Camera] = relationship(lazy="joined", innerjoin=True)
    site: Mapped[Site] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_open(self) -> bool:
        return self.removed_on is None

    def on_site(self, day: date) -> bool:
        """Whether the camera was at this site on ``day``. The day it comes
        down belongs to the site it moves to next."""
        return self.installed_on <= day and (self.removed_on is None or day < self.removed_on)


CAMERA_LOG_KINDS = {
    "added": "Added to the register",
    "edited": "Details changed",
    "status": "Service status changed",
    "maintenance": "Maintenance note",
}


class CameraLogEntry(db.Model):
    """One line of a camera's register history: added, details changed,
    service status changed, or a maintenance note. Only ever added to."""

    __tablename__ = "camera_log"
    __table_args__ = (
        sa.CheckConstraint(check_in("kind", CAMERA_LOG_KINDS), name="kind_known"),
        sa.CheckConstraint(
            "to_status IS NULL OR " + check_in("to_status", SERVICE_STATUSES), name="to_status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(sa.ForeignKey("cameras.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str | None] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def kind_label(self) -> str:
        return CAMERA_LOG_KINDS[self.kind]


CORRECTABLE_DATES = {"installed_on": "Date installed", "removed_on": "Date removed"}


class DeploymentCorrection(db.Model):
    """A mistaken installation or removal date put right. The deployment
    carries the corrected date; this row keeps what was recorded before, who
    corrected it and why, so the history shows both."""

    __tablename__ = "deployment_corrections"
    __table_args__ = (sa.CheckConstraint(check_in("field", CORRECTABLE_DATES), name="field_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(sa.ForeignKey("deployments.id"), index=True)
    field: Mapped[str] = mapped_column(sa.String(20))
    old_value: Mapped[date]
    new_value: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def field_label(self) -> str:
        return CORRECTABLE_DATES[self.field]
