"""The camera register: adding cameras, their details, their service status
(in service, faulty, retired) and maintenance notes, each kept in the
camera's log (DESIGN.md section 5)."""

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..models import SERVICE_STATUSES, Camera, CameraLogEntry

DETAILS = {
    "asset_tag": "Asset tag",
    "name": "Name",
    "make_model": "Make and model",
    "serial": "Serial number",
}


class RegisterRefused(ValueError):
    """A change the register cannot take; ``field`` is the answer it is about."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def _log(camera_id: int, kind: str, actor, note: str = "", **statuses) -> None:
    db.session.add(
        CameraLogEntry(camera_id=camera_id, kind=kind, note=note, recorded_by_id=actor.id, **statuses)
    )


def add_camera(details: dict, actor) -> Camera:
    camera = Camera(**{k: details[k] for k in DETAILS}, service_status="in_service")
    db.session.add(camera)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise RegisterRefused("A camera with that asset tag is already on the register", "asset_tag") from exc
    _log(camera.id, "added", actor, to_status="in_service")
    audit.record("camera.added", actor=actor, object_type="camera", object_id=camera.id)
    db.session.commit()
    return camera


def edit_camera(camera: Camera, details: dict, actor) -> list[str]:
    """Change the camera's details; returns the labels of what changed."""
    changed = [label for key, label in DETAILS.items() if getattr(camera, key) != details[key]]
    if not changed:
        return []
    note = "; ".join(f"{DETAILS[k]}: {getattr(camera, k) or '(none)'} to {details[k] or '(none)'}"
                     for k in DETAILS if getattr(camera, k) != details[k])  # fmt: skip
    for key in DETAILS:
        setattr(camera, key, details[key])
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise RegisterRefused("A camera with that asset tag is already on the register", "asset_tag") from exc
    _log(camera.id, "edited", actor, note)
    audit.record("camera.edited", actor=actor, object_type="camera", object_id=camera.id, changed=changed)
    db.session.commit()
    return changed


def set_status(camera: Camera, status: str, note: str, actor, seen_status: str) -> None:
    """Mark the camera in service, faulty or retired, as a compare-and-set on
    the status the coordinator saw. It also moves the camera's booking
    version on, so a decision booking the camera at the same moment loses
    rather than booking a camera that has just gone out of service."""
    if status not in SERVICE_STATUSES:
        raise RegisterRefused("Select the camera's service status", "status")
    if status == seen_status:
        raise RegisterRefused(f"The camera is already {SERVICE_STATUSES[status].lower()}", "status")
    if seen_status == "retired":
        raise RegisterRefused(
            "A retired camera cannot come back into service. Add it again if it returns", "status"
        )
    result = db.session.execute(
        sa.update(Camera)
        .where(Camera.id == camera.id, Camera.service_status == seen_status)
        .values(service_status=status, booking_version=Camera.booking_version + 1)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise RegisterRefused(
            "Someone else changed this camera's status meanwhile. Check it and try again", "status"
        )
    _log(camera.id, "status", actor, note, from_status=seen_status, to_status=status)
    audit.record(
        "camera.status_changed",
        actor=actor,
        object_type="camera",
        object_id=camera.id,
        source=seen_status,
        dest=status,
    )
    db.session.commit()


def add_note(camera: Camera, note: str, actor) -> None:
    _log(camera.id, "maintenance", actor, note)
    audit.record("camera.maintenance_noted", actor=actor, object_type="camera", object_id=camera.id)
    db.session.commit()


def log(camera_id: int) -> list[CameraLogEntry]:
    """The camera's register history, newest first."""
    return list(
        db.session.scalars(
            sa.select(CameraLogEntry)
            .where(CameraLogEntry.camera_id == camera_id)
            .order_by(CameraLogEntry.recorded_at.desc(), CameraLogEntry.id.desc())
        )
    )
