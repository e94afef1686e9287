"""Every (state, trigger) pair of the lifecycle: allowed for the right actor
with valid data, refused for everyone else (DESIGN.md section 4)."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent, MoveRequest
from cctv_requests.workflow import engine
from cctv_requests.workflow.definition import STATES, TRANSITIONS, TRIGGERS, transition_for
from tests import factories

TODAY = date.today()
START = TODAY + timedelta(days=30)
END = START + timedelta(weeks=12)

# Which named actor of the world each actor kind of the definition is.
ACTOR_OF_KIND = {
    "requester": "requester",
    "named_sponsor": "named_sponsor",
    "coordinator": "coordinator",
    "chair": "chair",
}


@pytest.fixture
def world(app):
    requester = factories.user("officer", name="Requester")
    named_sponsor = factories.user("sponsor", name="Named Sponsor")
    chair = factories.user("board", "chair", name="Chair")
    board = factories.user("board", name="Board One")
    board2 = factories.user("board", name="Board Two")
    actors = {
        "requester": requester,
        "named_sponsor": named_sponsor,
        "other_sponsor": factories.user("sponsor", name="Other Sponsor"),
        "other_officer": factories.user("officer", name="Other Officer"),
        "coordinator": factories.user("coordinator", name="Coordinator"),
        "chair": chair,
        "board": board,
        "councillor": factories.user("councillor", name="Councillor"),
        "admin": factories.user("admin", name="Admin"),
        "no_role": factories.user(name="Nobody"),
    }
    now = factories.meeting(TODAY, status="in_session", attendees=(chair, board, board2))
    later = factories.meeting(TODAY + timedelta(days=60))
    return {"actors": actors, "now": now, "later": later}


def in_state(world, state: str) -> MoveRequest:
    """A request in ``state`` whose every guard would pass."""
    actors = world["actors"]
    mr = factories.move_request(
        requester=actors["requester"],
        sponsor=actors["named_sponsor"],
        status=state,
        urgency="urgent",
        urgent_ground="risk_of_harm",
        urgent_explanation="A resident has been threatened twice this week.",
    )
    if state == "on_agenda":
        factories.agenda_item(world["now"], mr)
    # Each request has a camera of its own, so bookings never clash here.
    camera = factories.camera()
    if state in ("approved", "scheduled", "live", "ended"):
        mr.approved_camera_id = camera.id
        mr.approved_start, mr.approved_end = START, END
    if state == "scheduled":
        mr.installation_date = START
    if state in ("live", "ended"):
        mr.installed_on = TODAY - timedelta(days=10)
        factories.deployment(
            camera,
            mr.site,
            installed_on=mr.installed_on,
            move_request_id=mr.id,
            removed_on=None if state == "live" else TODAY,
        )
    db.session.commit()
    return mr


def valid_data(world, trigger: str, mr: MoveRequest) -> dict:
    return {
        "reason": "Recorded for the table test.",
        "meeting_id": world["later"].id,
        "camera_id": mr.approved_camera_id or factories.camera().id,
        "start": mr.approved_start or START,
        "end": mr.approved_end or END,
        "votes_for": 3,
        "votes_against": 0,
        "votes_abstain": 0,
        "installation_date": mr.approved_start or START,
        "installer": "Installer Ltd",
        "installation_cost": 500,
        "installed_on": TODAY,
        "dpia_reference": "DPIA-1",
        "signage_confirmed": True,
        "consents_recorded": True,
        "review_due": TODAY + timedelta(days=90),
        "removed_on": TODAY,
        "signs_removed": True,
        "incidents_before": 10,
        "incidents_during": 4,
        "incidents_after": 6,
    }


def test_the_definition_has_every_state_and_trigger_of_the_design():
    assert list(STATES) == [
        "draft", "submitted", "returned", "endorsed", "on_agenda", "approved", "scheduled",
        "live", "ended", "closed", "not_sponsored", "rejected", "withdrawn", "cancelled",
    ]  # fmt: skip
    assert set(TRIGGERS) == {
        "submit", "endorse", "return_for_changes", "decline", "withdraw", "place_on_agenda",
        "defer", "approve", "reject", "approve_urgently", "schedule_installation",
        "record_installation", "continue_deployment", "end_deployment", "cancel",
        "record_evaluation",
    }  # fmt: skip
    final = {s.name for s in STATES.values() if s.final}
    assert final == {"closed", "not_sponsored", "rejected", "withdrawn", "cancelled"}
    assert not any(set(t.sources) & final for t in TRANSITIONS)


@pytest.mark.parametrize("state", list(STATES))
def test_every_trigger_from_each_state(world, state):
    actors = world["actors"]
    mismatches = []
    for trigger in TRIGGERS:
        transition = transition_for(trigger, state)
        expected = {ACTOR_OF_KIND[kind] for kind in transition.actors} if transition else set()
        refused_mr = in_state(world, state)
        for name, actor in actors.items():
            shown = trigger in {t.trigger for t in engine.allowed_actions(actor, refused_mr)}
            if shown != (name in expected):
                mismatches.append(f"{state}/{trigger}/{name}: button shown={shown}")
            if name in expected:
                mr = in_state(world, state)
                engine.fire(mr, trigger, actor, valid_data(world, trigger, mr))
                db.session.expire_all()
                after = db.session.get(MoveRequest, mr.id)
                if after.status != transition.dest or after.version != 2:
                    mismatches.append(f"{state}/{trigger}/{name}: ended {after.status} v{after.version}")
                logged = db.session.scalar(
                    sa.select(sa.func.count()).where(
                        AuditEvent.object_id == mr.id, AuditEvent.action == f"request.{trigger}"
                    )
                )
                if logged != 1:
                    mismatches.append(f"{state}/{trigger}/{name}: {logged} audit events")
            else:
                try:
                    engine.fire(refused_mr, trigger, actor, valid_data(world, trigger, refused_mr))
                except engine.Refused:
                    pass
                else:
                    mismatches.append(f"{state}/{trigger}/{name}: was allowed")
                db.session.expire_all()
                if db.session.get(MoveRequest, refused_mr.id).status != state:
                    mismatches.append(f"{state}/{trigger}/{name}: status changed on refusal")
    assert mismatches == []
