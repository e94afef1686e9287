"""Wards and sites: the places cameras can be mounted.

A site is held at three precisions (DESIGN.md section 3): the exact point,
the street, and the area (ward). Which one a viewer sees is decided in
``cctv_requests.access.site_precision``.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, check_in, utcnow
from .users import User

MOUNTINGS = {
    "lamp_column": "Lamp column",
    "building": "Building",
    "pole": "Dedicated pole",
}


class Ward(db.Model):
    __tablename__ = "wards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)

    def __repr__(self) -> str:
        return f"<Ward {self.name}>"


class Site(db.Model):
    __tablename__ = "sites"
    __table_args__ = (sa.CheckConstraint(check_in("mounting", MOUNTINGS), name="mounting_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    # Street precision.
    street: Mapped[str] = mapped_column(sa.String(160))
    # Exact precision: restricted (DESIGN.md section 3).
    exact_location: Mapped[str] = mapped_column(sa.Text)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    view_description: Mapped[str] = mapped_column(sa.Text, default="")
    mounting: Mapped[str] = mapped_column(sa.String(20), default="lamp_column")
    power_available: Mapped[bool] = mapped_column(default=False)
    landowner_consent: Mapped[bool] = mapped_column(default=False)
    highway_consent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ward: Mapped[Ward] = relationship(lazy="joined", innerjoin=True)

    @property
    def mounting_label(self) -> str:
        return MOUNTINGS.get(self.mounting, self.mounting)

    def __repr__(self) -> str:
        return f"<Site {self.id} {self.street}>"


# The details of a site the coordinator may correct, with their labels.
SITE_DETAILS = {
    "ward_id": "Ward",
    "street": "Street name",
    "exact_location": "Exact location",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "view_description": "What the camera needs to see",
    "mounting": "Mounting",
}


class SiteCorrection(db.Model):
    """One detail of a site corrected by the coordinator: what it said
    before, what it says now, who changed it and why."""

    __tablename__ = "site_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)
    field: Mapped[str] = mapped_column(sa.String(40))
    old_value: Mapped[str] = mapped_column(sa.Text, default="")
    new_value: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def field_label(self) -> str:
        return SITE_DETAILS.get(self.field, self.field)
