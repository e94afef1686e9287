"""Filing a request, reading it, and every action on it."""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..access import RESTRICTED_ROLES, deny, roles_required, site_precision
from ..cameras.forms import SurveyForm
from ..extensions import db
from ..models import AgendaItem, AuditEvent, Meeting, MoveRequest
from ..services import agendas, availability, deployments, evaluation, preparation
from ..services.requests import (
    REASSIGNABLE,
    create_request,
    form_choices,
    form_data,
    reassign_sponsor,
    sponsors_for,
    update_request,
)
from ..workflow import engine
from ..workflow.definition import STATES, TRIGGERS, transition_for
from ..workflow.guards import missing_answers
from .action_forms import ACTION_FORMS, DecisionReasonForm, ReasonForm, SponsorForm
from .forms import MoveRequestForm
from .loaders import get_move_request, get_own_request

bp = Blueprint("move_requests", __name__, url_prefix="/requests")

READERS = ("officer", "sponsor", "coordinator", "board", "chair")
ACTION_SLUGS = ", ".join(f"'{t.replace('_', '-')}'" for t in TRIGGERS)


def _visible_requests():
    """The requests the current user may list."""
    query = sa.select(MoveRequest)
    own = MoveRequest.requester_id == current_user.id
    if current_user.has_role(*RESTRICTED_ROLES):
        return query.where(sa.or_(own, ~MoveRequest.never_sent))
    return query.where(
        sa.or_(
            own,
            sa.and_(
                MoveRequest.sponsor_id == current_user.id,
                ~MoveRequest.never_sent,
                sa.literal(current_user.has_role("sponsor")),
            ),
        )
    )


@bp.route("")
@roles_required(*READERS)
def index():
    status = request.args.get("status", "")
    if status and status not in STATES:
        status = ""
    page = request.args.get("page", 1, type=int)
    query = _visible_requests()
    if status:
        query = query.where(MoveRequest.status == status)
    pagination = db.paginate(
        query.order_by(MoveRequest.updated_at.desc(), MoveRequest.id.desc()),
        page=max(page, 1),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "move_requests/index.html",
        title="Requests",
        pagination=pagination,
        status=status,
        states=STATES,
    )


def _acceptable(form: MoveRequestForm, today: date) -> bool:
    """Whether a posted request form may be saved: a draft needs well-formed
    answers; continuing to check them needs every answer too. All problems
    are reported at once."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    if form.continue_.data:
        valid = form.check_complete(today) and valid
    return valid


@bp.route("/new", methods=["GET", "POST"])
@roles_required("officer")
def new():
    today = date.today()
    form = MoveRequestForm(**form_choices(current_user, today))
    if request.method == "GET":
        # "Request a camera here" on the sites page chooses the site.
        chosen = request.args.get("site", type=int)
        if chosen in [value for value, _label in form.existing_site_id.choices]:
            form.existing_site_id.data = chosen
    if _acceptable(form, today):
        move_request = create_request(form, current_user, today)
        if form.continue_.data:
            return redirect(url_for(".check_answers", request_id=move_request.id))
        flash(f"Draft {move_request.reference} saved. You can come back to it at any time.", "success")
        return redirect(url_for(".show", request_id=move_request.id))
    return render_template("move_requests/form.html", form=form, title="Request a camera move")


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@roles_required("officer")
def edit(request_id: int):
    move_request = get_own_request(request_id)
    if move_request.status not in ("draft", "returned"):
        flash("This request has been sent on and can no longer be changed.", "info")
        return redirect(url_for(".show", request_id=move_request.id))
    today = date.today()
    choices = form_choices(current_user, today)
    if request.method == "GET":
        form = MoveRequestForm(data=form_data(move_request), **choices)
    else:
        form = MoveRequestForm(**choices)
    if _acceptable(form, today):
        if not update_request(form, move_request, current_user):
            flash(engine.CONFLICT_MESSAGE, "info")
            return redirect(url_for(".show", request_id=move_request.id))
        if form.continue_.data:
            return redirect(url_for(".check_answers", request_id=move_request.id))
        flash(f"Changes to {move_request.reference} saved.", "success")
        return redirect(url_for(".show", request_id=move_request.id))
    _record_exact_view(move_request, "exact")  # the form shows the requester's exact answers
    return render_template(
        "move_requests/form.html",
        form=form,
        move_request=move_request,
        title=f"Change request {move_request.reference}",
    )


def _record_exact_view(move_request: MoveRequest, precision: str) -> None:
    # DESIGN.md section 3: every display of an exact location is audited.
    if precision == "exact":
        audit.record(
            "site.viewed_exact",
            actor=current_user,
            object_type="move_request",
            object_id=move_request.id,
            site_id=move_request.site_id,
        )
        db.session.commit()


def _history(move_request: MoveRequest) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.object_type == "move_request",
                AuditEvent.object_id == move_request.id,
                AuditEvent.action.like("request.%"),
            )
            .order_by(AuditEvent.id.desc())
        )
    )


@bp.route("/<int:request_id>/check-answers")
@roles_required("officer")
def check_answers(request_id: int):
    move_request = get_own_request(request_id)
    if move_request.status not in ("draft", "returned"):
        return redirect(url_for(".show", request_id=move_request.id))
    precision = site_precision(current_user, move_request)
    _record_exact_view(move_request, precision)
    form = ACTION_FORMS["submit"](data={"version": move_request.version})
    return render_template(
        "move_requests/check_answers.html",
        move_request=move_request,
        precision=precision,
        missing=missing_answers(move_request),
        action_form=form,
        title="Check your answers before sending your request",
    )


@bp.route("/<int:request_id>")
@roles_required(*READERS)
def show(request_id: int):
    move_request = get_move_request(request_id)
    precision = site_precision(current_user, move_request)
    _record_exact_view(move_request, precision)
    restricted = current_user.has_role(*RESTRICTED_ROLES)
    survey = preparation.survey_for(move_request.id) if restricted else None
    going_live = restricted and move_request.status in preparation.EDITABLE
    return render_template(
        "move_requests/show.html",
        move_request=move_request,
        precision=precision,
        actions=engine.allowed_actions(current_user, move_request),
        history=_history(move_request),
        ratification=_ratification(move_request),
        survey=survey,
        checklist=preparation.checklist(move_request, survey) if going_live else [],
        evaluation=evaluation.compare(move_request) if move_request.incidents_before is not None else None,
        title=f"{move_request.reference}: {move_request.title}",
    )


@bp.route("/<int:request_id>/survey", methods=["GET", "POST"])
@roles_required("coordinator")
def survey(request_id: int):
    """The site survey and the consents, recorded between approval and
    installation; the go-live gates read them."""
    move_request = get_move_request(request_id)
    if move_request.status not in preparation.EDITABLE:
        flash("The site survey and consents can be recorded only between approval and installation.", "info")
        return redirect(url_for(".show", request_id=move_request.id))
    record = preparation.survey_for(move_request.id)
    form = SurveyForm(obj=record)
    if request.method == "GET":
        form.version.data = record.version if record else 0
    if form.validate_on_submit():
        seen = str(form.version.data or "")
        if preparation.save_survey(
            move_request, form.details(), current_user, int(seen) if seen.isdigit() else None
        ):
            flash("Site survey and consents saved.", "success")
            return redirect(url_for(".show", request_id=move_request.id))
        flash(
            "Someone else saved the survey meanwhile. Their answers are shown; make your changes again.",
            "info",
        )
        return redirect(url_for(".survey", request_id=move_request.id))
    html = render_template(
        "move_requests/survey.html",
        form=form,
        move_request=move_request,
        title=f"Site survey and consents: {move_request.reference}",
    )
    _record_exact_view(move_request, "exact")
    return html


def _ratification(move_request: MoveRequest) -> AgendaItem | None:
    """The latest ratification item of a chair's action, if there is one."""
    if not move_request.chair_action:
        return None
    return db.session.scalar(
        sa.select(AgendaItem)
        .where(AgendaItem.move_request_id == move_request.id, AgendaItem.kind == "ratification")
        .order_by(AgendaItem.id.desc())
        .limit(1)
    )


@bp.route("/<int:request_id>/sponsor", methods=["GET", "POST"])
@roles_required("coordinator")
def change_sponsor(request_id: int):
    move_request = get_move_request(request_id)
    if move_request.status not in REASSIGNABLE:
        flash(
            "The sponsor can be changed only while the request is waiting for a sponsor or returned.", "info"
        )
        return redirect(url_for(".show", request_id=move_request.id))
    current = {"version": move_request.version, "sponsor_id": move_request.sponsor_id or 0}
    form = SponsorForm(sponsors=sponsors_for(move_request), data=current if request.method == "GET" else None)
    if form.validate_on_submit():
        if reassign_sponsor(move_request, form.sponsor_id.data, current_user, form.expected_version()):
            flash(f"The sponsor of {move_request.reference} has been changed.", "success")
        else:
            flash(engine.CONFLICT_MESSAGE, "info")
        return redirect(url_for(".show", request_id=move_request.id))
    return render_template(
        "move_requests/sponsor.html",
        form=form,
        move_request=move_request,
        title=f"Change the sponsor of {move_request.reference}",
    )


def _action_form(trigger: str, move_request: MoveRequest, at_meeting: bool):
    form_class = ACTION_FORMS[trigger]
    if at_meeting and form_class is ReasonForm:
        form_class = DecisionReasonForm
    kwargs = {}
    if trigger == "place_on_agenda":
        # Published agendas too: the chair may accept a late item there, and
        # anyone else is told why not.
        kwargs["meetings"] = db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.status.in_(("planned", "published")), Meeting.meets_on >= date.today())
            .order_by(Meeting.meets_on)
        )
    if trigger in ("approve", "approve_urgently", "schedule_installation"):
        kwargs["cameras"] = availability.cameras_in_service()
        kwargs["notes"] = _camera_notes(kwargs["cameras"])
    if request.method == "GET":
        kwargs["data"] = _form_defaults(trigger, move_request)
    form = form_class(**kwargs)
    if trigger == "record_evaluation":
        _describe_evaluation_periods(form, move_request)
    return form


def _describe_evaluation_periods(form, move_request: MoveRequest) -> None:
    """Each count's hint gives the dates it covers (services.evaluation)."""
    periods = evaluation.compare(move_request)
    for field, period, what in (
        (form.incidents_before, periods.before, "the baseline period on the request"),
        (form.incidents_during, periods.during, "the deployment"),
        (form.incidents_after, periods.after, "the period after removal"),
    ):
        if period.first and period.last:
            field.description = f"In {what}: {period.first:%-d %B %Y} to {period.last:%-d %B %Y}"


def _camera_notes(cameras) -> dict[int, str]:
    """Where each camera is now, beside its name in the choices; the table
    under the form gives its bookings and when it is free."""
    deployments = availability.open_deployments()
    return {
        c.id: f"at {deployments[c.id].site.street}" if c.id in deployments else "in store" for c in cameras
    }


def _form_defaults(trigger: str, move_request: MoveRequest) -> dict:
    data = {"version": move_request.version}
    if trigger == "place_on_agenda":
        # The first meeting whose papers cut-off has not passed.
        data["meeting_id"] = db.session.scalar(
            sa.select(Meeting.id)
            .where(Meeting.status == "planned", Meeting.cutoff_on >= date.today())
            .order_by(Meeting.meets_on)
            .limit(1)
        )
    if trigger in ("approve", "approve_urgently"):
        data["camera_id"] = move_request.camera_preference_id or 0
        data["start"] = move_request.wanted_start
        if move_request.wanted_start and move_request.duration_weeks:
            data["end"] = date.fromordinal(
                move_request.wanted_start.toordinal() + 7 * move_request.duration_weeks
            )
    if trigger == "schedule_installation":
        data["camera_id"] = move_request.approved_camera_id or 0
        data["installation_date"] = move_request.approved_start
    if trigger == "record_installation":
        data["installed_on"] = move_request.installation_date
        data["dpia_reference"] = move_request.dpia_reference
        if move_request.installation_date:
            data["review_due"] = deployments.default_review_due(move_request.installation_date)
    if trigger in ("continue_deployment", "continue_at_review"):
        data["review_due"] = deployments.months_later(
            date.today(), deployments.rules().review_interval_months
        )
    if trigger == "record_evaluation":
        data["incidents_before"] = evaluation.baseline_incidents(move_request)
    if trigger == "end_deployment":
        data["removed_on"] = move_request.removal_due
    return data


@bp.route(f"/<int:request_id>/<any({ACTION_SLUGS}):action>", methods=["GET", "POST"])
@roles_required(*READERS)
def act(request_id: int, action: str):
    trigger = action.replace("-", "_")
    move_request = get_move_request(request_id)
    transition = transition_for(trigger, move_request.status)
    allowed = {t.trigger for t in engine.allowed_actions(current_user, move_request)}
    if transition is None or trigger not in allowed:
        sent_version = request.form.get("version", "")
        if request.method == "POST" and sent_version and sent_version != str(move_request.version):
            # The page was out of date: someone else acted first (INT-2).
            flash(engine.CONFLICT_MESSAGE, "info")
            return redirect(url_for(".show", request_id=move_request.id))
        reason = engine.unavailable_reason(current_user, move_request, trigger)
        if reason is None:
            # Never theirs to do: refused and audited (SEC-13).
            deny()
        return render_template(
            "move_requests/unavailable.html",
            move_request=move_request,
            reason=reason,
            meeting_id=request.args.get("meeting", type=int),
            title=f"This cannot be done now: {move_request.reference}",
        ), 409
    form = _action_form(trigger, move_request, transition.at_meeting)
    if form.validate_on_submit():
        data = form.engine_data()
        try:
            engine.fire(
                move_request,
                trigger,
                current_user,
                data,
                expected_version=form.expected_version(),
            )
        except engine.Conflict as conflict:
            flash(conflict.message, "info")
            return redirect(url_for(".show", request_id=request_id))
        except engine.Refused as refusal:
            form.add_refusal(refusal.message, refusal.guard)
        else:
            flash(_done_message(trigger, move_request), "success")
            if trigger == "endorse":
                # Straight onto the next agenda whose papers are still open.
                agendas.build(date.today())
            if transition.at_meeting and request.args.get("meeting", type=int):
                return redirect(url_for("meetings.show", meeting_id=request.args.get("meeting", type=int)))
            return redirect(url_for(".show", request_id=request_id))
    precision = site_precision(current_user, move_request)
    _record_exact_view(move_request, precision)
    return render_template(
        "move_requests/action.html",
        form=form,
        move_request=move_request,
        transition=transition,
        precision=precision,
        board=availability.camera_board() if "camera_id" in form else [],
        period=_asked_period(form, move_request),
        title=f"{transition.label}: {move_request.reference}",
    )


def _asked_period(form, move_request: MoveRequest):
    """The period the decision support judges the cameras against: the one
    on the form, else the one the request asks for."""
    start = getattr(form, "start", None)
    end = getattr(form, "end", None)
    if start is not None and end is not None and start.data and end.data and end.data >= start.data:
        return start.data, end.data
    if move_request.approved_start and move_request.approved_end:
        return move_request.approved_start, move_request.approved_end
    return availability.wanted_period(move_request)


DONE = {
    "submit": "Request {ref} sent to your sponsor.",
    "endorse": "You have endorsed {ref}. The CSP team will place it on a board agenda.",
    "return_for_changes": "{ref} has been returned to the requester for changes.",
    "decline": "You have declined to sponsor {ref}.",
    "withdraw": "{ref} has been withdrawn.",
    "place_on_agenda": "{ref} has been placed on the agenda.",
    "defer": "{ref} has been deferred to the next meeting.",
    "approve": "{ref} has been approved.",
    "reject": "{ref} has been rejected.",
    "approve_urgently": "{ref} has been approved by chair's action. It will go to the next meeting for ratification.",
    "schedule_installation": "Installation of {ref} booked.",
    "record_installation": "Installation of {ref} recorded. The camera is now live at this site.",
    "continue_deployment": "Review of {ref} recorded.",
    "end_deployment": "Removal of the camera for {ref} recorded.",
    "cancel": "{ref} has been cancelled.",
    "continue_at_review": "The board continued the deployment for {ref}.",
    "end_at_review": "The board decided the camera for {ref} is to be removed. The CSP team will record its removal.",
    "ratify": "The chair's action on {ref} has been ratified.",
    "not_ratify": "The chair's action on {ref} was not ratified.",
    "record_evaluation": "Evaluation of {ref} recorded. The request is closed.",
}


def _done_message(trigger: str, move_request: MoveRequest) -> str:
    return DONE[trigger].format(ref=move_request.reference)
