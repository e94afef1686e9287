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
