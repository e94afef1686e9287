"""When each camera is free: answered from bookings and deployments.

A camera is booked by a request that is approved or has its installation
booked, for the request's approved period (DESIGN.md section 4).
"""

from dataclasses import dataclass
from datetime import date, timedelta

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


@dataclass(frozen=True)
class CameraNow:
    """What one camera is doing: where it is, until when it is to be
    reviewed, and what it is booked for."""

    camera: Camera
    deployment: Deployment | None
    review_due: date | None
    bookings: tuple[MoveRequest, ...]

    @property
    def in_service(self) -> bool:
        return self.camera.service_status == "in_service"

    def free_for(self, start: date, end: date) -> bool:
        return self.in_service and not any(
            b.approved_start <= end and b.approved_end >= start for b in self.bookings
        )

    def next_free(self, start: date, days: int) -> date | None:
        """The first day from ``start`` on which the camera is free for
        ``days`` days running; None if it is not in service. Bookings are in
        start order, so each clash pushes the start past its end."""
        if not self.in_service:
            return None
        candidate = start
        for booking in self.bookings:
            last = candidate + timedelta(days=days - 1)
            if booking.approved_start <= last and booking.approved_end >= candidate:
                candidate = booking.approved_end + timedelta(days=1)
        return candidate


def camera_board() -> list[CameraNow]:
    """Every camera with its current deployment, review date and bookings,
    in four queries however many cameras there are."""
    deployments = open_deployments()
    booked = bookings()
    request_ids = [d.move_request_id for d in deployments.values() if d.move_request_id]
    reviews = dict(
        db.session.execute(
            sa.select(MoveRequest.id, MoveRequest.review_due).where(MoveRequest.id.in_(request_ids))
        ).all()
    )
    board = []
    for camera in all_cameras():
        deployment = deployments.get(camera.id)
        board.append(
            CameraNow(
                camera=camera,
                deployment=deployment,
                review_due=reviews.get(deployment.move_request_id) if deployment else None,
                bookings=tuple(booked.get(camera.id, ())),
            )
        )
    return board


def wanted_period(move_request: MoveRequest) -> tuple[date, date] | None:
    """The period a request asks for: from its wanted start for its duration
    (the period the approve form offers)."""
    if not move_request.wanted_start or not move_request.duration_weeks:
        return None
    start = move_request.wanted_start
    return start, start + timedelta(weeks=move_request.duration_weeks)
