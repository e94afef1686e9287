"""The cameras: where each is now, at the viewer's precision, and its history."""

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user

from .. import audit
from ..access import login_required, site_precision
from ..extensions import db
from ..models import Camera, Deployment
from ..services import availability
from ..services.areas import cameras_by_ward

bp = Blueprint("cameras", __name__, url_prefix="/cameras")


def _record_exact(precision: str, camera_id: int | None = None) -> None:
    # DESIGN.md section 3: every display of an exact location is audited.
    if precision == "exact":
        audit.record("site.viewed_exact", actor=current_user, object_type="camera", object_id=camera_id)
        db.session.commit()


@bp.route("")
@login_required
def index():
    precision = site_precision(current_user)
    cameras = availability.all_cameras()
    _record_exact(precision)
    return render_template(
        "cameras/index.html",
        title="Cameras",
        cameras=cameras,
        deployments=availability.open_deployments(),
        bookings=availability.bookings() if precision != "area" else {},
        wards=cameras_by_ward() if precision == "area" else [],
        precision=precision,
    )


@bp.route("/<int:camera_id>")
@login_required
def show(camera_id: int):
    camera = db.session.get(Camera, camera_id)
    if camera is None:
        abort(404)
    precision = site_precision(current_user)
    history = (
        list(
            db.session.scalars(
                sa.select(Deployment)
                .where(Deployment.camera_id == camera.id)
                .order_by(Deployment.installed_on.desc(), Deployment.id.desc())
            )
        )
        if precision != "area"
        else []
    )
    _record_exact(precision, camera.id)
    return render_template(
        "cameras/show.html",
        title=camera.label,
        camera=camera,
        deployment=availability.open_deployments().get(camera.id),
        history=history,
        bookings=availability.bookings().get(camera.id, []) if precision != "area" else [],
        precision=precision,
    )
