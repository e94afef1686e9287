"""When each camera is free: answered from bookings and deployments.

A camera is booked by a request that is approved or has its installation
booked, for the request's approved period (DESIGN.md section 4).
"""

from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import Camera, Deployment, MoveRequest

BOOKING_STATES = ("approved", "scheduled")


def clashes(camera_id: int, start: date, end: date, *, exclude_id: int | None = None) -> list[str]:
    """References of other requests booking ``camera_id`` within start..end."""
    query = sa.select(MoveRequest.reference).where(
        MoveRequest.approved_camera_id == camera_id,
        MoveRequest.status.in_(BOOKING_STATES),
        MoveRequest.approved_start <= end,
        MoveRequest.approved_end >= start,
    )
    if exclude_id is not None:
        query = query.where(MoveRequest.id != exclude_id)
    return list(db.session.scalars(query.order_by(MoveRequest.reference)))


def open_deployments() -> dict[int, Deployment]:
    """Each camera's open deployment, by camera id."""
    rows = db.session.scalars(sa.select(Deployment).where(Deployment.removed_on.is_(None)))
    return {d.camera_id: d for d in rows}


def bookings() -> dict[int, list[MoveRequest]]:
    """Each camera's bookings (approved or scheduled requests), soonest first."""
    rows = db.session.scalars(
        sa.select(MoveRequest)
        .where(MoveRequest.status.in_(BOOKING_STATES))
        .order_by(MoveRequest.approved_start)
    )
    result: dict[int, list[MoveRequest]] = {}
    for row in rows:
        result.setdefault(row.approved_camera_id, []).append(row)
    return result


def cameras_in_service() -> list[Camera]:
    return list(
        db.session.scalars(
            sa.select(Camera).where(Camera.service_status == "in_service").order_by(Camera.name)
        )
    )


def all_cameras() -> list[Camera]:
    return list(db.session.scalars(sa.select(Camera).order_by(Camera.name)))
