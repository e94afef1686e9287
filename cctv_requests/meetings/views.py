"""Board meetings: the calendar, the agenda, the meeting itself and its items."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..access import roles_required
from ..extensions import db
from ..forms import ConfirmForm
from ..models import AgendaItem, Meeting
from ..services import agendas, availability, calendar, meetings
from ..services.meetings import MeetingRefused
from ..workflow import engine
from .forms import (
    AttendanceForm,
    CancelMeetingForm,
    InterestForm,
    MoveItemForm,
    MoveMeetingForm,
    PlanMeetingForm,
    PlanYearForm,
)

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

BOARD = ("coordinator", "board", "chair")
RUNNERS = ("coordinator", "chair")


def get_meeting(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def get_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return item


def _back(meeting: Meeting):
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.route("", methods=["GET", "POST"])
@roles_required(*BOARD, POST=("coordinator",))
def index():
    today = date.today()
    form = PlanMeetingForm()
    if form.validate_on_submit():
        if form.meets_on.data < today:
            form.meets_on.errors = ["Meeting date must be today or in the future"]
        else:
            try:
                meeting = meetings.plan_meeting(
                    form.meets_on.data, quorum=form.quorum.data, kind=form.kind.data, actor=current_user
                )
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.meets_on.errors = ["There is already a meeting on that date"]
            else:
                agendas.build(today)
                flash(f"{meeting.kind_label} on {meeting.meets_on:%-d %B %Y} planned.", "success")
                return redirect(url_for(".show", meeting_id=meeting.id))
    upcoming, past = meetings.upcoming_and_past()
    return render_template(
        "meetings/index.html",
        title="Board meetings",
        upcoming=upcoming,
        past=past,
        form=form,
        year_form=PlanYearForm(data={"year": today.year + 1}),
        rules=calendar.rules(),
    )


@bp.route("/plan-year", methods=["POST"])
@roles_required("coordinator")
def plan_year():
    today = date.today()
    form = PlanYearForm()
    if not form.validate_on_submit():
        for error in form.year.errors:
            flash(error, "info")
        return redirect(url_for(".index"))
    planned = meetings.plan_year(form.year.data, today, actor=current_user)
    agendas.build(today)
    if planned:
        days = ", ".join(f"{m.meets_on:%-d %B %Y}" for m in planned)
        flash(f"{len(planned)} meetings planned for {form.year.data}: {days}.", "success")
    else:
        flash(
            f"Nothing to plan: {form.year.data} already has its meetings, or their dates have passed.", "info"
        )
    return redirect(url_for(".index"))


@bp.route("/<int:meeting_id>")
@roles_required(*BOARD)
def show(meeting_id: int):
    meeting = get_meeting(meeting_id)
    items = meetings.agenda(meeting)
    attendance = meetings.present(meeting)
    present_ids = {a.user_id for a in attendance}
    members = meetings.board_members()
    next_meeting_id = engine.next_meeting_after(meeting.meets_on)
    choices = engine.meeting_choices(
        current_user, meeting, items, present_ids=present_ids, next_meeting_id=next_meeting_id
    )
    snapshot = meetings.snapshot(meeting)
    board = availability.camera_board() if snapshot is None else []
    html = render_template(
        "meetings/show.html",
        title=meeting.title,
        meeting=meeting,
        items=items,
        attendance=attendance,
        attendance_form=AttendanceForm(members=members, data={"present": list(present_ids)}),
        confirm_form=ConfirmForm(),
        choices=choices,
        board=board,
        support=_support(items, board),
        snapshot=snapshot,
        earlier=meetings.earlier_items(items),
        next_meeting_id=next_meeting_id,
        today=date.today(),
    )
    # Written last, after everything is read (STYLE.md): the papers were seen.
    audit.record("meeting.papers_viewed", actor=current_user, object_type="meeting", object_id=meeting.id)
    db.session.commit()
    return html


def _support(items: list[AgendaItem], board: list) -> dict[int, dict]:
    """Beside each request: which cameras are free for the period it asks
    for, when the others are next free, and the other requests on this
    agenda that want the same period."""
    periods = {
        item.id: availability.wanted_period(item.move_request)
        for item in items
        if item.kind == "request" and item.outcome is None
    }
    support = {}
    for item_id, period in periods.items():
        if period is None:
            continue
        start, end = period
        days = (end - start).days + 1
        competing = [
            other.move_request.reference
            for other in items
            if other.id != item_id
            and periods.get(other.id)
            and periods[other.id][0] <= end
            and periods[other.id][1] >= start
        ]
        support[item_id] = {
            "start": start,
            "end": end,
            "free": [c.camera.label for c in board if c.free_for(start, end)],
            "later": [
                (c.camera.label, c.next_free(start, days))
                for c in board
                if c.in_service and not c.free_for(start, end)
            ],
            "competing": competing,
        }
    return support


def _change_status(meeting_id: int, change: str):
    meeting = get_meeting(meeting_id)
    if ConfirmForm().validate_on_submit():
        today = date.today()
        if change in ("publish", "close"):
            # The agenda gathers what has reached it; at close, the reviews
            # and carried items for the next meeting.
            agendas.build(today)
        problem = meetings.change_status(meeting, change, current_user, today)
        if problem:
            flash(problem, "info")
        else:
            flash(meetings.STATUS_CHANGES[change].done, "success")
            if change == "close":
                agendas.build(today)
    return _back(meeting)


@bp.route("/<int:meeting_id>/publish", methods=["POST"])
@roles_required("coordinator")
def publish(meeting_id: int):
    return _change_status(meeting_id, "publish")


@bp.route("/<int:meeting_id>/open", methods=["POST"])
@roles_required(*RUNNERS)
def open_(meeting_id: int):
    return _change_status(meeting_id, "open")


@bp.route("/<int:meeting_id>/close", methods=["POST"])
@roles_required(*RUNNERS)
def close(meeting_id: int):
    return _change_status(meeting_id, "close")


@bp.route("/<int:meeting_id>/approve-minutes", methods=["POST"])
@roles_required("chair")
def approve_minutes(meeting_id: int):
    return _change_status(meeting_id, "approve_minutes")


@bp.route("/<int:meeting_id>/move", methods=["GET", "POST"])
@roles_required("coordinator")
def move(meeting_id: int):
    meeting = get_meeting(meeting_id)
    if meeting.status not in meetings.NOT_STARTED:
        flash("Only a meeting that has not started can be moved.", "info")
        return _back(meeting)
    form = MoveMeetingForm()
    if form.validate_on_submit():
        try:
            meetings.move_meeting(meeting, form.meets_on.data, current_user, date.today())
        except MeetingRefused as refusal:
            form.meets_on.errors = [refusal.message]
        else:
            flash(
                f"Meeting moved to {meeting.meets_on:%-d %B %Y}. "
                f"Papers cut-off is now {meeting.cutoff_on:%-d %B %Y}.",
                "success",
            )
            return _back(meeting)
    return render_template(
        "meetings/move.html",
        form=form,
        meeting=meeting,
        title=f"Move the meeting of {meeting.meets_on:%-d %B %Y}",
    )


@bp.route("/<int:meeting_id>/cancel", methods=["GET", "POST"])
@roles_required("coordinator")
def cancel(meeting_id: int):
    meeting = get_meeting(meeting_id)
    if meeting.status not in meetings.NOT_STARTED:
        flash("Only a meeting that has not started can be cancelled.", "info")
        return _back(meeting)
    form = CancelMeetingForm()
    target = meetings.next_meeting(meeting)
    if form.validate_on_submit():
        try:
            moved = meetings.cancel_meeting(meeting, form.reason.data, current_user)
        except MeetingRefused as refusal:
            form.reason.errors = [refusal.message]
        else:
            agendas.build(date.today())
            message = f"The meeting of {meeting.meets_on:%-d %B %Y} is cancelled."
            if moved:
                noun = "item" if moved == 1 else "items"
                message += f" {moved} {noun} moved to {target.meets_on:%-d %B %Y}."
            flash(message, "success")
            return redirect(url_for(".index"))
    return render_template(
        "meetings/cancel.html",
        form=form,
        meeting=meeting,
        target=target,
        undecided=meetings.undecided(meeting),
        title=f"Cancel the meeting of {meeting.meets_on:%-d %B %Y}",
    )


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
    return _back(meeting)


@bp.route("/<int:meeting_id>/items/<int:item_id>/interest", methods=["GET", "POST"])
@roles_required("board", "chair")
def interest(meeting_id: int, item_id: int):
    meeting = get_meeting(meeting_id)
    item = get_item(meeting, item_id)
    if item.outcome is not None or meeting.is_past:
        flash("That item has been decided, so an interest can no longer be declared on it.", "info")
        return _back(meeting)
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
        return _back(meeting)
    return render_template(
        "meetings/interest.html",
        form=form,
        meeting=meeting,
        item=item,
        title=f"Declare an interest in {item.move_request.reference}",
    )


@bp.route("/<int:meeting_id>/items/<int:item_id>/not-reached", methods=["POST"])
@roles_required(*RUNNERS)
def not_reached(meeting_id: int, item_id: int):
    meeting = get_meeting(meeting_id)
    item = get_item(meeting, item_id)
    if ConfirmForm().validate_on_submit():
        try:
            target = agendas.record_not_reached(item, current_user)
        except MeetingRefused as refusal:
            flash(refusal.message, "info")
        else:
            flash(
                f"{item.move_request.reference} was not reached. It goes to the meeting of "
                f"{target.meets_on:%-d %B %Y}.",
                "success",
            )
    return _back(meeting)


@bp.route("/<int:meeting_id>/items/<int:item_id>/<any(up, down):direction>", methods=["POST"])
@roles_required("coordinator")
def reorder(meeting_id: int, item_id: int, direction: str):
    meeting = get_meeting(meeting_id)
    item = get_item(meeting, item_id)
    if ConfirmForm().validate_on_submit():
        try:
            agendas.reorder(item, -1 if direction == "up" else 1, current_user)
        except MeetingRefused as refusal:
            flash(refusal.message, "info")
        else:
            flash(f"{item.move_request.reference} moved {direction} the agenda.", "success")
    return _back(meeting)


@bp.route("/<int:meeting_id>/items/<int:item_id>/move", methods=["GET", "POST"])
@roles_required("coordinator")
def move_item(meeting_id: int, item_id: int):
    meeting = get_meeting(meeting_id)
    item = get_item(meeting, item_id)
    today = date.today()
    if meeting.status != "planned" or item.outcome is not None:
        flash("Only an undecided item on an agenda that is not yet published can be moved.", "info")
        return _back(meeting)
    choices = [m for m, _ in meetings.upcoming_and_past()[0] if m.status == "planned" and m.id != meeting.id]
    form = MoveItemForm(meetings=choices)
    if form.validate_on_submit():
        target = db.session.get(Meeting, form.meeting_id.data)
        try:
            if target is None:
                raise MeetingRefused("Select a meeting", "meeting_id")
            agendas.move_to(item, target, current_user, today)
        except MeetingRefused as refusal:
            form.meeting_id.errors = [refusal.message]
        else:
            flash(
                f"{item.move_request.reference} moved to the meeting of {target.meets_on:%-d %B %Y}.",
                "success",
            )
            return _back(meeting)
    return render_template(
        "meetings/move_item.html",
        form=form,
        meeting=meeting,
        item=item,
        title=f"Move {item.move_request.reference} to another meeting",
    )
