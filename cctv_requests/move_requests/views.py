"""Filing a request, reading it, and every action on it."""

import json
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..access import RESTRICTED_ROLES, deny, roles_required, site_precision
from ..cameras.forms import SurveyForm
from ..extensions import db
from ..models import AgendaItem, AuditEvent, Meeting, MoveRequest, Site
from ..models.base import row_id
from ..models.requests import REQUEST_SECTIONS
from ..services import agendas, availability, deployments, evaluation, preparation, sections
from ..services.requests import (
    REASSIGNABLE,
    create_request,
    form_choices,
    form_data,
    reassign_sponsor,
    save_section,
    sponsors_for,
    wards,
)
from ..services.sites import known_sites
from ..web import page_number
from ..workflow import engine
from ..workflow.definition import STATES, TRIGGERS, transition_for
from ..workflow.guards import missing_answers
from .action_forms import (
    ACTION_FORMS,
    DecisionReasonForm,
    ReasonForm,
    ReturnDecisionForm,
    ReturnForm,
    SponsorForm,
)
from .forms import SECTION_FORMS, StartForm
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
    page = page_number()
    query = _visible_requests()
    if status:
        query = query.where(MoveRequest.status == status)
    pagination = db.paginate(
        query.order_by(MoveRequest.updated_at.desc(), MoveRequest.id.desc()),
        page=page,
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


@bp.route("/new", methods=["GET", "POST"])
@roles_required("officer")
def new():
    """The first page: a draft needs a title and where the problem is; the
    task list asks the rest."""
    known_site = _known_site(request.values.get("site_id") or request.args.get("site"))
    form = StartForm(wards=wards(), site_known=known_site is not None)
    if request.method == "GET" and known_site:
        form.site_id.data = known_site.id
    if form.validate_on_submit():
        ward_id = known_site.ward_id if known_site else form.ward_id.data
        move_request = create_request(form.title.data, ward_id, known_site, current_user, date.today())
        flash(
            f"Draft {move_request.reference} saved. Answer each section, then check and send it.", "success"
        )
        return redirect(url_for(".tasks", request_id=move_request.id))
    return render_template(
        "move_requests/start.html", form=form, known_site=known_site, title="Request a camera move"
    )


def _known_site(value):
    """A site offered on the request form, chosen by its id, or None."""
    site_id = row_id(value)
    if site_id is None:
        return None
    return db.session.scalar(sa.select(Site).where(Site.id == site_id, known_sites()))


def _editable(request_id: int) -> MoveRequest:
    move_request = get_own_request(request_id)
    if move_request.status not in ("draft", "returned"):
        flash("This request has been sent on and can no longer be changed.", "info")
        abort(redirect(url_for(".show", request_id=move_request.id)))
    return move_request


@dataclass(frozen=True)
class Return:
    """Who returned a request for changes, and when."""

    by: str
    on: date


def _returned_by(move_request: MoveRequest) -> Return | None:
    """The latest return of a returned request: by its sponsor, or by the
    board at a meeting (a return from the agenda)."""
    if move_request.status != "returned":
        return None
    event = db.session.scalar(
        sa.select(AuditEvent)
        .where(
            AuditEvent.object_type == "move_request",
            AuditEvent.object_id == move_request.id,
            AuditEvent.action == "request.return_for_changes",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if event is None:
        return None
    at_meeting = json.loads(event.detail or "{}").get("source") == "on_agenda"
    by = "The board" if at_meeting else (event.actor.name if event.actor else "Your sponsor")
    return Return(by=by, on=event.occurred_at.date())


@bp.route("/<int:request_id>/tasks")
@roles_required("officer")
def tasks(request_id: int):
    """The task list: each section of the form with its status."""
    move_request = _editable(request_id)
    statuses = sections.statuses(move_request)
    return render_template(
        "move_requests/tasks.html",
        move_request=move_request,
        sections=sections.SECTIONS,
        statuses=statuses,
        completed=sum(1 for value in statuses.values() if value == sections.COMPLETED),
        returned=_returned_by(move_request),
        section_titles=REQUEST_SECTIONS,
        title=f"Request a camera move: {move_request.reference}",
    )


SECTION_SLUGS = ", ".join(f"'{section.slug}'" for section in sections.SECTIONS)


def _section_form(slug: str, move_request: MoveRequest):
    today = date.today()
    form_class = SECTION_FORMS[slug]
    wanted = {
        "problem": ("priorities",),
        "site": ("sites", "wards"),
        "period": ("cameras",),
        "cost": ("sponsors",),
    }.get(slug, ())
    kwargs = form_choices(current_user, today, wanted)
    if request.method == "GET":
        kwargs["data"] = data = form_data(move_request)
        # GOV.UK radios: nothing is chosen for the requester until they
        # have answered (the stored defaults are not their answer).
        if slug not in move_request.saved_sections:
            if slug == "urgency" and move_request.urgency == "routine":
                data["urgency"] = None
            if slug == "site" and not data["street"] and not data["existing_site_id"]:
                data["mounting"] = None
    return form_class(today=today, **kwargs)


@bp.route(f"/<int:request_id>/tasks/<any({SECTION_SLUGS}):section>", methods=["GET", "POST"])
@roles_required("officer")
def section(request_id: int, section: str):
    """One section of the request form, saved as the requester goes."""
    move_request = _editable(request_id)
    form = _section_form(section, move_request)
    if form.acceptable():
        if not save_section(form, section, move_request, current_user):
            flash(engine.CONFLICT_MESSAGE, "info")
            return redirect(url_for(".tasks", request_id=move_request.id))
        title = sections.BY_SLUG[section].title
        if form.save_later.data:
            flash(
                f"{title}: your answers are saved. You can come back to this section at any time.", "success"
            )
        else:
            flash(f"{title}: section completed.", "success")
        return redirect(url_for(".tasks", request_id=move_request.id))
    part = sections.BY_SLUG[section]
    html = render_template(
        f"move_requests/sections/{section}.html",
        form=form,
        move_request=move_request,
        section=part,
        change_asked=section in move_request.sections_to_change_list,
        returned=_returned_by(move_request),
        title=f"{part.title}: {move_request.reference}",
    )
    if section == "site":
        _record_exact_view(move_request, "exact")  # the page shows the requester's exact answers
    return html


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
        incomplete=sections.incomplete(move_request),
        missing=missing_answers(move_request),
        action_form=form,
        title=f"Check your answers before sending {move_request.reference}",
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
            move_request, form.details(), current_user, row_id(seen) if seen else None
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
    if at_meeting and form_class is ReturnForm:
        form_class = ReturnDecisionForm
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
        if not engine.could_ever(current_user, move_request, trigger):
            # Never theirs to do on this request: refused and audited (SEC-13).
            deny()
        # Theirs at some stage: say why not now, and change nothing (409).
        if engine.has_moved_on(current_user, move_request, trigger):
            heading = title = f"{move_request.reference} has moved on"
        else:
            heading = "This cannot be done now"
            title = f"{heading}: {move_request.reference}"
        return render_template(
            "move_requests/unavailable.html",
            move_request=move_request,
            reason=engine.unavailable_reason(current_user, move_request, trigger),
            heading=heading,
            meeting_id=request.args.get("meeting", type=int),
            title=title,
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
        meeting_id=request.args.get("meeting", type=int) if transition.at_meeting else None,
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
