"""Board meetings: planning, the agenda, attendance, interests and decisions."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..access import roles_required
from ..extensions import db
from ..forms import ConfirmForm
from ..models import AgendaItem, Meeting
from ..services import availability, meetings
from ..workflow import engine
from .forms import AttendanceForm, InterestForm, PlanMeetingForm

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

BOARD = ("coordinator", "board", "chair")
RUNNERS = ("coordinator", "chair")


def get_meeting(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


@bp.route("", methods=["GET", "POST"])
@roles_required(*BOARD, POST=("coordinator",))
def index():
    form = PlanMeetingForm()
    if form.validate_on_submit():
        if form.meets_on.data < date.today():
            form.meets_on.errors = ["Meeting date must be today or in the future"]
        else:
            try:
                meeting = meetings.plan_meeting(
                    form.meets_on.data, quorum=form.quorum.data, actor=current_user
                )
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.meets_on.errors = ["There is already a meeting on that date"]
            else:
                flash(f"Meeting on {meeting.meets_on:%-d %B %Y} planned.", "success")
                return redirect(url_for(".show", meeting_id=meeting.id))
    rows = meetings.with_item_counts()
    return render_template("meetings/index.html", title="Board meetings", rows=rows, form=form)


@bp.route("/<int:meeting_id>")
@roles_required(*BOARD)
def show(meeting_id: int):
    meeting = get_meeting(meeting_id)
    items = meetings.agenda(meeting)
    attendance = meetings.present(meeting)
    audit.record("meeting.papers_viewed", actor=current_user, object_type="meeting", object_id=meeting.id)
    db.session.commit()
    members = meetings.board_members()
    present_ids = {a.user_id for a in attendance}
    decisions = {}
    if current_user.has_role("chair") and meeting.status == "in_session":
        for item in items:
            if item.outcome is None and item.kind == "request":
                decisions[item.id] = [
                    t
                    for t in engine.allowed_actions(current_user, item.move_request)
                    if t.at_meeting or t.trigger in ("approve_urgently", "withdraw")
                ]
    return render_template(
        "meetings/show.html",
        title=meeting.title,
        meeting=meeting,
        items=items,
        attendance=attendance,
        attendance_form=AttendanceForm(members=members, data={"present": list(present_ids)}),
        interest_form=InterestForm(),
        confirm_form=ConfirmForm(),
        decisions=decisions,
        open_deployments=availability.open_deployments(),
        bookings=availability.bookings(),
        cameras=availability.all_cameras(),
        today=date.today(),
    )


def _change_status(meeting_id: int, change: str):
    meeting = get_meeting(meeting_id)
    if ConfirmForm().validate_on_submit():
        if meetings.change_status(meeting, change, current_user):
            flash(meetings.STATUS_CHANGES[change].done, "success")
        else:
            flash(meetings.STATUS_CHANGES[change].refused, "info")
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/open", methods=["POST"])
@roles_required(*RUNNERS)
def open_(meeting_id: int):
    return _change_status(meeting_id, "open")


@bp.route("/<int:meeting_id>/close", methods=["POST"])
@roles_required(*RUNNERS)
def close(meeting_id: int):
    return _change_status(meeting_id, "close")


@bp.route("/<int:meeting_id>/attendance", methods=["POST"])
@roles_required(*RUNNERS)
def attendance(meeting_id: int):
    meeting = get_meeting(meeting_id)
    form = AttendanceForm(members=meetings.board_members())
    if meeting.status != "in_session":
        flash("Attendance can be recorded only while the meeting is in session.", "info")
    elif form.validate_on_submit():
        meetings.record_attendance(meeting, set(form.present.data or ()), current_user)
        flash(f"Attendance saved: {len(form.present.data or ())} present.", "success")
    else:
        flash("Select the board members who are present.", "info")
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/items/<int:item_id>/interest", methods=["GET", "POST"])
@roles_required("board", "chair")
def interest(meeting_id: int, item_id: int):
    meeting = get_meeting(meeting_id)
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    if item.outcome is not None or meeting.status == "closed":
        flash("That item has been decided, so an interest can no longer be declared on it.", "info")
        return redirect(url_for(".show", meeting_id=meeting.id))
    form = InterestForm()
    if form.validate_on_submit():
        try:
            meetings.declare_interest(item, current_user, form.note.data)
        except IntegrityError:
            db.session.rollback()
            flash("You have already declared an interest in this item.", "info")
        else:
            flash(
                f"Your interest in {item.move_request.reference} is recorded. "
                "You take no part in its decision.",
                "success",
            )
        return redirect(url_for(".show", meeting_id=meeting.id))
    return render_template(
        "meetings/interest.html",
        form=form,
        meeting=meeting,
        item=item,
        title=f"Declare an interest in {item.move_request.reference}",
    )
