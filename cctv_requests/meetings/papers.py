"""The board's papers and what others may know of its meetings.

- The agenda pack and the minutes, as pages and PDFs, marked RESTRICTED and
  read only by the board, the chair and the coordinator; every view and
  download is audited (DESIGN.md section 3).
- A summary of each closed meeting for councillors: counts by outcome and
  by ward, small numbers suppressed.
- The meetings as a calendar feed for board members, at a secret URL each
  can reset.
"""

import secrets
from collections import Counter

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..access import login_required, public, roles_required
from ..extensions import db
from ..forms import ConfirmForm
from ..models import AgendaItem, Meeting, User, Ward
from ..models.meetings import OUTCOMES
from ..models.places import Site
from ..models.requests import MoveRequest
from ..printing import pdf_response
from ..services import availability, calendar, meetings
from ..services.areas import suppressed
from .views import BOARD, get_meeting

bp = Blueprint("papers", __name__, url_prefix="/meetings")

PAPERS = {"agenda-pack": "Agenda pack", "minutes": "Minutes"}
DONE = ("closed", "minutes_approved")


def _papers_context(meeting: Meeting, paper: str) -> dict:
    if paper == "minutes" and meeting.status not in DONE:
        abort(404)
    items = meetings.agenda(meeting)
    snapshot = meetings.snapshot(meeting)
    approver = (
        db.session.get(User, meeting.minutes_approved_by_id) if meeting.minutes_approved_by_id else None
    )
    return {
        "meeting": meeting,
        "paper": paper,
        "paper_title": PAPERS[paper],
        "items": items,
        "attendance": meetings.present(meeting),
        "snapshot": snapshot,
        "board": availability.camera_board() if snapshot is None else [],
        "earlier": meetings.earlier_items(items),
        "approver": approver,
        "title": f"{PAPERS[paper]}: {meeting.title}",
    }


def _audited(meeting: Meeting, paper: str, how: str) -> None:
    audit.record(
        f"papers.{how}",
        actor=current_user,
        object_type="meeting",
        object_id=meeting.id,
        paper=paper,
    )
    db.session.commit()


@bp.route("/<int:meeting_id>/<any('agenda-pack', 'minutes'):paper>")
@roles_required(*BOARD)
def paper(meeting_id: int, paper: str):
    meeting = get_meeting(meeting_id)
    html = render_template("papers/page.html", confirm_form=ConfirmForm(), **_papers_context(meeting, paper))
    _audited(meeting, paper, "viewed")
    return html


@bp.route("/<int:meeting_id>/<any('agenda-pack', 'minutes'):paper>.pdf")
@roles_required(*BOARD)
def paper_pdf(meeting_id: int, paper: str):
    meeting = get_meeting(meeting_id)
    html = render_template("papers/print.html", **_papers_context(meeting, paper))
    response = pdf_response(html, f"{paper}-{meeting.meets_on.isoformat()}.pdf")
    _audited(meeting, paper, "downloaded")
    return response


# ---------------------------------------------------------------------------
# For councillors: what the board did, by area, with small numbers hidden.


@bp.route("/summaries")
@login_required
def summaries():
    rows = meetings.with_item_counts(Meeting.status.in_(DONE))
    return render_template(
        "papers/summaries.html", title="What the board decided", rows=rows[::-1], suppressed=suppressed
    )


@bp.route("/<int:meeting_id>/summary")
@login_required
def summary(meeting_id: int):
    meeting = get_meeting(meeting_id)
    if meeting.status not in DONE:
        abort(404)
    rows = db.session.execute(
        sa.select(AgendaItem.outcome, Ward.name)
        .join(MoveRequest, MoveRequest.id == AgendaItem.move_request_id)
        .join(Site, Site.id == MoveRequest.site_id)
        .join(Ward, Ward.id == Site.ward_id)
        .where(AgendaItem.meeting_id == meeting.id)
    ).all()
    by_outcome = Counter(OUTCOMES.get(outcome or "", "Not decided") for outcome, _ in rows)
    by_ward = Counter(ward for _, ward in rows)
    return render_template(
        "papers/summary.html",
        title=f"Summary: {meeting.title}",
        meeting=meeting,
        total=len(rows),
        by_outcome=sorted(by_outcome.items()),
        by_ward=sorted(by_ward.items()),
        suppressed=suppressed,
    )


# ---------------------------------------------------------------------------
# The calendar feed.


def _feed_url(user: User) -> str | None:
    if not user.calendar_token:
        return None
    return url_for(".calendar_feed", key=user.calendar_token, _external=True)


@bp.route("/calendar", methods=["GET", "POST"])
@roles_required(*BOARD)
def calendar_page():
    form = ConfirmForm()
    if form.validate_on_submit():
        had_one = current_user.calendar_token is not None
        current_user.calendar_token = secrets.token_urlsafe(32)
        audit.record("calendar.feed_reset" if had_one else "calendar.feed_created", actor=current_user)
        db.session.commit()
        flash(
            "Your new calendar address is ready. The old one no longer works."
            if had_one
            else "Your calendar address is ready.",
            "success",
        )
        return redirect(url_for(".calendar_page"))
    return render_template(
        "papers/calendar.html",
        title="Board meetings in your calendar",
        form=form,
        feed_url=_feed_url(current_user),
    )


@bp.route("/calendar.ics")
@public
def calendar_feed():
    """The meetings in iCalendar form. The secret in the address stands in
    for signing in, so calendar programs can fetch it; it works only while
    its holder is active and on the board."""
    key = request.args.get("key", "")
    user = db.session.scalar(sa.select(User).where(User.calendar_token == key)) if len(key) >= 32 else None
    if user is None or not user.active or not user.has_role(*BOARD):
        abort(404)
    rows = db.session.scalars(sa.select(Meeting).order_by(Meeting.meets_on)).all()
    body = calendar.feed(rows, council_name=current_app.config["COUNCIL_NAME"], host=request.host)
    return Response(body, mimetype="text/calendar")
