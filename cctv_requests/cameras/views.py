"""The cameras: the register, where each is now and was on any day, its
history, when each is free, corrections and what the moves cost."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..access import login_required, roles_required, site_precision
from ..extensions import db
from ..models import Camera, Deployment
from ..services import availability, costs, deployments, register, timeline
from ..services.areas import camera_areas
from .forms import CameraForm, CorrectDateForm, NoteForm, StatusForm, WhereOnForm

bp = Blueprint("cameras", __name__, url_prefix="/cameras")

# Those who see where cameras are, at street precision or closer.
LOCATORS = ("officer", "sponsor", "board", "chair", "coordinator")
BOARD = ("board", "chair", "coordinator")


def _rendered_with_audit(html: str, precision: str, object_type: str, object_id: int | None = None) -> str:
    """Every display of an exact location is audited (DESIGN.md section 3),
    written after the page is rendered so a GET commits nothing midway."""
    if precision == "exact":
        audit.record("site.viewed_exact", actor=current_user, object_type=object_type, object_id=object_id)
        db.session.commit()
    return html


def get_camera(camera_id: int) -> Camera:
    camera = db.session.get(Camera, camera_id)
    if camera is None:
        abort(404)
    return camera


@bp.route("")
@login_required
def index():
    precision = site_precision(current_user)
    where_on = None
    form = WhereOnForm(request.args)
    asked = precision != "area" and any(key.startswith("on") for key in request.args)
    if asked and form.validate():
        if form.on.data > date.today():
            form.on.errors = ["Date must be today or in the past"]
        else:
            where_on = (form.on.data, deployments.positions_on(form.on.data))
    html = render_template(
        "cameras/index.html",
        title="Cameras",
        cameras=availability.all_cameras(),
        deployments=availability.open_deployments(),
        bookings=availability.bookings() if precision != "area" else {},
        areas=camera_areas() if precision == "area" else None,
        precision=precision,
        form=form,
        asked=asked,
        where_on=where_on,
    )
    return _rendered_with_audit(html, precision, "camera")


@bp.route("/<int:camera_id>")
@login_required
def show(camera_id: int):
    camera = get_camera(camera_id)
    precision = site_precision(current_user)
    located = precision != "area"
    html = render_template(
        "cameras/show.html",
        title=camera.label,
        camera=camera,
        deployment=availability.open_deployments().get(camera.id),
        stays=deployments.stays(Deployment.camera_id == camera.id) if located else [],
        bookings=availability.bookings().get(camera.id, []) if located else [],
        log=register.log(camera.id) if located else [],
        precision=precision,
    )
    return _rendered_with_audit(html, precision, "camera", camera.id)


@bp.route("/availability")
@roles_required(*LOCATORS)
def availability_page():
    today = date.today()
    precision = site_precision(current_user)
    html = render_template(
        "cameras/availability.html",
        title="When each camera is free",
        timeline=timeline.build(today),
        precision=precision,
        today=today,
    )
    return _rendered_with_audit(html, precision, "camera")


# --- the register ----------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@roles_required("coordinator")
def new():
    form = CameraForm()
    if form.validate_on_submit():
        try:
            camera = register.add_camera(form.details(), current_user)
        except register.RegisterRefused as refusal:
            form[refusal.field].errors = [refusal.message]
        else:
            flash(
                f"{camera.label} added to the register. It is in store until a move is approved.", "success"
            )
            return redirect(url_for(".show", camera_id=camera.id))
    return render_template("cameras/camera_form.html", title="Add a camera", form=form, camera=None)


@bp.route("/<int:camera_id>/edit", methods=["GET", "POST"])
@roles_required("coordinator")
def edit(camera_id: int):
    camera = get_camera(camera_id)
    form = CameraForm(obj=camera)
    form.submit.label.text = "Save changes"
    if form.validate_on_submit():
        try:
            changed = register.edit_camera(camera, form.details(), current_user)
        except register.RegisterRefused as refusal:
            form[refusal.field].errors = [refusal.message]
        else:
            flash(f"Changed: {', '.join(changed)}." if changed else "Nothing was changed.", "success")
            return redirect(url_for(".show", camera_id=camera.id))
    return render_template(
        "cameras/camera_form.html", title=f"Change {camera.label}", form=form, camera=camera
    )


@bp.route("/<int:camera_id>/status", methods=["GET", "POST"])
@roles_required("coordinator")
def status(camera_id: int):
    camera = get_camera(camera_id)
    form = StatusForm(data={"seen_status": camera.service_status, "status": camera.service_status})
    if form.validate_on_submit():
        try:
            register.set_status(camera, form.status.data, form.note.data, current_user, form.seen_status.data)
        except register.RegisterRefused as refusal:
            form[refusal.field].errors = [refusal.message]
        else:
            db.session.refresh(camera)
            flash(f"{camera.label} is now {camera.service_status_label.lower()}.", "success")
            return redirect(url_for(".show", camera_id=camera.id))
    return render_template(
        "cameras/status.html",
        title=f"Change the service status of {camera.label}",
        form=form,
        camera=camera,
        bookings=availability.bookings().get(camera.id, []),
    )


@bp.route("/<int:camera_id>/note", methods=["GET", "POST"])
@roles_required("coordinator")
def note(camera_id: int):
    camera = get_camera(camera_id)
    form = NoteForm()
    if form.validate_on_submit():
        register.add_note(camera, form.note.data, current_user)
        flash("Maintenance note added.", "success")
        return redirect(url_for(".show", camera_id=camera.id))
    return render_template(
        "cameras/note.html", title=f"Add a maintenance note: {camera.label}", form=form, camera=camera
    )


# --- corrections ---------------------------------------------------------------------------


@bp.route(
    "/deployments/<int:deployment_id>/correct/<any(installed_on, removed_on):field>", methods=["GET", "POST"]
)
@roles_required("coordinator")
def correct(deployment_id: int, field: str):
    deployment = db.session.get(Deployment, deployment_id)
    if deployment is None:
        abort(404)
    if field == "removed_on" and deployment.removed_on is None:
        abort(404)
    form = CorrectDateForm()
    if form.validate_on_submit():
        try:
            deployments.correct(
                deployment, field, form.new_value.data, form.reason.data, current_user, date.today()
            )
        except deployments.CorrectionRefused as refusal:
            form.new_value.errors = [str(refusal)]
        else:
            flash(
                "Correction recorded. The history shows the date as first recorded and as corrected.",
                "success",
            )
            return redirect(url_for(".show", camera_id=deployment.camera_id))
    label = "installation" if field == "installed_on" else "removal"
    html = render_template(
        "cameras/correct.html",
        title=f"Correct the {label} date",
        form=form,
        deployment=deployment,
        field=field,
        recorded=getattr(deployment, field),
    )
    return _rendered_with_audit(html, "exact", "deployment", deployment.id)


# --- costs ---------------------------------------------------------------------------------


@bp.route("/costs")
@roles_required(*BOARD)
def costs_page():
    today = date.today()
    years = costs.years_with_moves(today)
    chosen = request.args.get("year", type=int)
    if chosen is None:
        chosen = costs.year_start_of(today)
    if chosen not in years:
        abort(404)
    return render_template(
        "cameras/costs.html",
        title=f"What camera moves cost, {costs.year_label(chosen)}",
        year=costs.year(chosen),
        years=years,
    )
