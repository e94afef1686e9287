"""The dashboard, the health check and the accessibility statement."""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template
from flask_login import current_user

from ..access import login_required, public
from ..extensions import db
from ..models import Meeting
from ..services import annual_report
from ..services.areas import camera_areas
from ..services.costs import year_label
from ..services.dashboard import sections_for
from ..services.meetings import with_item_counts

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def dashboard():
    today = date.today()
    meetings = (
        with_item_counts(Meeting.status.in_(("planned", "published", "in_session")), limit=3)
        if current_user.has_role("coordinator", "board", "chair")
        else []
    )
    return render_template(
        "main/dashboard.html",
        title="Home",
        sections=sections_for(current_user, today),
        meetings=meetings,
        councillor=_for_councillor(today) if current_user.has_role("councillor") else None,
    )


def _for_councillor(today: date) -> dict:
    """What a councillor's home shows: cameras by ward, the next meetings'
    dates, what the board decided lately and the latest annual report; all
    published information (DESIGN.md section 3)."""
    upcoming = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.meets_on >= today, Meeting.status.in_(("planned", "published")))
        .order_by(Meeting.meets_on)
        .limit(3)
    ).all()
    decided = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.status.in_(("closed", "minutes_approved")))
        .order_by(Meeting.meets_on.desc())
        .limit(3)
    ).all()
    latest = annual_report.years_available(today)[0]
    return {
        "areas": camera_areas(),
        "upcoming": upcoming,
        "decided": decided,
        "report_year": latest,
        "report_label": year_label(latest),
    }


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.route("/accessibility")
@public
def accessibility():
    # The council's contact, compliance, known problems and dates come from the
    # district file's [accessibility] table (services/district.py).
    return render_template(
        "main/accessibility.html",
        title=f"Accessibility statement for {current_app.config['SERVICE_NAME']}",
        statement=current_app.config["ACCESSIBILITY"],
    )
