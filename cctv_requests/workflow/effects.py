"""What each trigger writes besides the status: agenda items, decisions,
bookings and deployments. Called by the engine inside the transaction that
changes the status, so they commit or roll back together.
"""

from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import AgendaItem, Camera, Deployment, Meeting
from ..models.base import utcnow
from ..models.requests import REQUEST_SECTIONS
from .guards import Context

Effect = Callable[[Context, "EffectTools"], None]


class EffectTools:
    """Engine services an effect may use: the request's open agenda item and
    cascading a status change to another request."""

    def __init__(self, open_item: AgendaItem | None, end_request: Callable):
        self.open_item = open_item
        self.end_request = end_request


def _day(value) -> str:
    return f"{value:%-d %B %Y}"


def _terms(ctx: Context, outcome: str) -> str:
    """The decision in words, as the minutes keep it."""
    mr = ctx.move_request
    if outcome in ("approved", "chair_action"):
        camera = db.session.get(Camera, ctx.value("camera_id"))
        return f"{camera.label}, {_day(ctx.value('start'))} to {_day(ctx.value('end'))}"
    if outcome == "ratified":
        camera = db.session.get(Camera, mr.approved_camera_id)
        return f"{camera.label}, {_day(mr.approved_start)} to {_day(mr.approved_end)}"
    if outcome == "continued":
        return f"Next review {_day(ctx.value('review_due'))}"
    if outcome == "removal_ordered" or (outcome == "not_ratified" and mr.installed_on is not None):
        return f"Camera to be removed; removal due from {_day(ctx.today)}"
    if outcome == "not_ratified":
        return "Request cancelled"
    return ""


def _decide_item(ctx: Context, tools: EffectTools, outcome: str) -> None:
    item = tools.open_item
    if item is None:
        return
    item.terms = _terms(ctx, outcome)
    item.outcome = outcome
    item.reasons = (ctx.value("reason") or "").strip()
    item.votes_for = ctx.value("votes_for")
    item.votes_against = ctx.value("votes_against")
    item.votes_abstain = ctx.value("votes_abstain")
    item.conditions = (ctx.value("conditions") or "").strip()
    item.decided_at = utcnow()
    item.decided_by_id = ctx.actor_id


def _keep_reason(ctx: Context) -> None:
    # Only triggers guarded by reason_given keep one, so there is always text.
    ctx.move_request.last_reason = ctx.value("reason").strip()


def _submit(ctx, tools):
    ctx.move_request.submitted_at = utcnow()
    ctx.move_request.sections_to_change = ""


def _return(ctx, tools):
    _keep_reason(ctx)
    # The sections the sponsor or the board said need changes, in the
    # form's order; each stays marked until the requester saves it.
    asked = set(ctx.value("sections") or ())
    ctx.move_request.sections_to_change = ",".join(s for s in REQUEST_SECTIONS if s in asked)
    _decide_item(ctx, tools, "returned")


def _decline(ctx, tools):
    _keep_reason(ctx)
    ctx.move_request.decided_at = utcnow()


def _withdraw(ctx, tools):
    _keep_reason(ctx)
    _decide_item(ctx, tools, "withdrawn")


def _place_on_agenda(ctx, tools):
    meeting = db.session.get(Meeting, ctx.value("meeting_id"))
    db.session.add(
        AgendaItem(
            meeting_id=meeting.id,
            move_request_id=ctx.move_request.id,
            kind="request",
            late=meeting.cutoff_on < ctx.today,
        )
    )


def _defer(ctx, tools):
    _decide_item(ctx, tools, "deferred")
    db.session.add(
        AgendaItem(
            meeting_id=ctx.facts.next_meeting_id,
            move_request_id=ctx.move_request.id,
            kind="request",
            carried_from_id=tools.open_item.id if tools.open_item is not None else None,
        )
    )


def _set_booking(ctx) -> None:
    mr = ctx.move_request
    mr.approved_camera_id = ctx.value("camera_id")
    mr.approved_start = ctx.value("start")
    mr.approved_end = ctx.value("end")
    mr.decided_at = utcnow()


def _approve(ctx, tools):
    _set_booking(ctx)
    ctx.move_request.conditions = (ctx.value("conditions") or "").strip()
    _decide_item(ctx, tools, "approved")


def _reject(ctx, tools):
    _keep_reason(ctx)
    ctx.move_request.decided_at = utcnow()
    _decide_item(ctx, tools, "rejected")


def _approve_urgently(ctx, tools):
    _set_booking(ctx)
    _keep_reason(ctx)
    ctx.move_request.chair_action = True
    _decide_item(ctx, tools, "chair_action")
    # The board ratifies (or not) a chair's action at its next meeting.
    db.session.add(
        AgendaItem(
            meeting_id=ctx.facts.next_meeting_id,
            move_request_id=ctx.move_request.id,
            kind="ratification",
        )
    )


def _schedule(ctx, tools):
    mr = ctx.move_request
    mr.approved_camera_id = ctx.value("camera_id")
    mr.installation_date = ctx.value("installation_date")
    mr.installer = ctx.value("installer") or ""
    mr.installation_cost = ctx.value("installation_cost")


def _install(ctx, tools):
    """The camera moves: its open deployment closes, the request that put it
    there ends, and a deployment at this site opens (DESIGN.md section 4)."""
    mr = ctx.move_request
    installed_on = ctx.value("installed_on")
    previous = db.session.scalar(
        sa.select(Deployment).where(
            Deployment.camera_id == mr.approved_camera_id, Deployment.removed_on.is_(None)
        )
    )
    if previous is not None:
        previous.removed_on = installed_on
        previous.signs_removed = True
        if previous.move_request_id is not None:
            tools.end_request(previous.move_request_id, installed_on, mr.reference)
        db.session.flush()
    mr.dpia_reference = ctx.value("dpia_reference").strip()
    actual_cost = ctx.value("actual_cost")
    mr.actual_cost = actual_cost if actual_cost is not None else mr.installation_cost
    mr.installed_on = installed_on
    mr.review_due = ctx.value("review_due")
    db.session.add(
        Deployment(
            camera_id=mr.approved_camera_id,
            site_id=mr.site_id,
            move_request_id=mr.id,
            installed_on=installed_on,
        )
    )


def _continue(ctx, tools):
    ctx.move_request.review_due = ctx.value("review_due")


def _close_open_items(ctx, outcome: str, reason: str) -> None:
    db.session.execute(
        sa.update(AgendaItem)
        .where(AgendaItem.move_request_id == ctx.move_request.id, AgendaItem.outcome.is_(None))
        .values(outcome=outcome, reasons=reason, decided_at=utcnow(), decided_by_id=ctx.actor_id)
    )


def _end(ctx, tools):
    mr = ctx.move_request
    # A review or ratification still waiting for the board has nothing left
    # to decide once the camera is down.
    _close_open_items(ctx, "not_needed", "The camera was removed before the board met.")
    mr.removed_on = ctx.value("removed_on")
    # Left blank: the district's usual time after the removal.
    usual = timedelta(days=current_app.config["DEPLOYMENT_RULES"].recordings_kept_days)
    mr.recordings_kept_until = ctx.value("recordings_kept_until") or mr.removed_on + usual
    mr.recordings_note = (ctx.value("recordings_note") or "").strip()
    deployment = db.session.scalar(
        sa.select(Deployment).where(Deployment.move_request_id == mr.id, Deployment.removed_on.is_(None))
    )
    if deployment is not None:
        deployment.removed_on = mr.removed_on
        deployment.signs_removed = True


def _cancel(ctx, tools):
    _keep_reason(ctx)
    # Nothing is left for the board to ratify.
    _close_open_items(ctx, "cancelled", ctx.value("reason").strip())


def _board_review_continue(ctx, tools):
    ctx.move_request.review_due = ctx.value("review_due")
    _decide_item(ctx, tools, "continued")


def _order_removal(ctx, tools, outcome: str) -> None:
    """The board wants a live camera down: the coordinator carries it out
    with end_deployment (DESIGN.md section 4)."""
    _keep_reason(ctx)
    ctx.move_request.removal_due = ctx.today
    _decide_item(ctx, tools, outcome)


def _board_review_end(ctx, tools):
    _order_removal(ctx, tools, "removal_ordered")


def _ratify(ctx, tools):
    _decide_item(ctx, tools, "ratified")


def _not_ratify(ctx, tools):
    if ctx.move_request.installed_on is not None:
        # The camera is up: it comes down rather than the request ending.
        _order_removal(ctx, tools, "not_ratified")
        return
    _decide_item(ctx, tools, "not_ratified")
    db.session.flush()
    _cancel(ctx, tools)
    ctx.move_request.decided_at = utcnow()


def _evaluate(ctx, tools):
    mr = ctx.move_request
    mr.incidents_before = ctx.value("incidents_before")
    mr.incidents_during = ctx.value("incidents_during")
    mr.incidents_after = ctx.value("incidents_after")
    mr.evaluation_notes = (ctx.value("notes") or "").strip()


EFFECTS: dict[str, Effect] = {
    "submit": _submit,
    "return_for_changes": _return,
    "decline": _decline,
    "withdraw": _withdraw,
    "place_on_agenda": _place_on_agenda,
    "defer": _defer,
    "approve": _approve,
    "reject": _reject,
    "approve_urgently": _approve_urgently,
    "schedule_installation": _schedule,
    "record_installation": _install,
    "continue_deployment": _continue,
    "end_deployment": _end,
    "cancel": _cancel,
    "continue_at_review": _board_review_continue,
    "end_at_review": _board_review_end,
    "ratify": _ratify,
    "not_ratify": _not_ratify,
    "record_evaluation": _evaluate,
}
