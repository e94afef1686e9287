"""The engine's guards, effects and compare-and-set, one rule at a time."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from cctv_requests.extensions import db
from cctv_requests.models import AgendaItem, AuditEvent, Deployment, Interest, Meeting, MoveRequest
from cctv_requests.workflow import engine
from cctv_requests.workflow.definition import Transition
from cctv_requests.workflow.effects import EFFECTS
from cctv_requests.workflow.guards import Context, missing_answers
from tests import factories

TODAY = date.today()


@pytest.fixture
def board(app):
    chair = factories.user("board", "chair", name="Chair")
    members = [chair, factories.user("board"), factories.user("board")]
    return {"chair": chair, "members": members}


def on_agenda(meeting, **overrides):
    mr = factories.move_request(status="on_agenda", **overrides)
    factories.agenda_item(meeting, mr)
    return mr


def approve_data(camera, start=TODAY + timedelta(days=10), weeks=8):
    return {"camera_id": camera.id, "start": start, "end": start + timedelta(weeks=weeks)}


# Two of the three members present for, none against: a majority that adds up.
VOTES = {"votes_for": 2, "votes_against": 0}


def vote_to_approve(camera, **kwargs):
    return {**approve_data(camera, **kwargs), **VOTES}


def test_submit_is_refused_until_every_answer_is_given(app):
    mr = factories.move_request(signage_plan="", wanted_start=None)
    assert missing_answers(mr) == ["the wanted start date", "the signage plan"]
    with pytest.raises(engine.Refused, match="Still needed: the wanted start date, the signage plan"):
        engine.fire(mr, "submit", mr.requester)
    assert db.session.get(MoveRequest, mr.id).status == "draft"


def test_a_request_naming_its_requester_as_sponsor_cannot_be_submitted(app):
    both = factories.user("officer", "sponsor")
    mr = factories.move_request(requester=both, sponsor=both)
    with pytest.raises(engine.Refused, match="sponsor other than yourself"):
        engine.fire(mr, "submit", both)


def test_approval_needs_a_quorate_meeting_in_session(board):
    camera = factories.camera()
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"][:2])
    mr = on_agenda(meeting)
    with pytest.raises(engine.Refused, match="not quorate: 2 present, 3 needed"):
        engine.fire(mr, "approve", board["chair"], vote_to_approve(camera))
    planned = factories.meeting(TODAY + timedelta(days=3), attendees=board["members"])
    other = on_agenda(planned)
    with pytest.raises(engine.Refused, match="only while its meeting is in session"):
        engine.fire(other, "approve", board["chair"], vote_to_approve(camera))


def test_a_member_who_declared_an_interest_takes_no_part(board):
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    mr = factories.move_request(status="on_agenda")
    item = factories.agenda_item(meeting, mr)
    db.session.add(Interest(agenda_item_id=item.id, user_id=board["chair"].id, note="Lives nearby"))
    db.session.commit()
    assert "reject" not in {t.trigger for t in engine.allowed_actions(board["chair"], mr)}
    with pytest.raises(engine.Refused, match="declared an interest"):
        engine.fire(mr, "reject", board["chair"], {"reason": "No"})


def test_a_camera_booked_for_an_overlapping_period_cannot_be_approved(board):
    camera = factories.camera()
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    first, second = on_agenda(meeting), on_agenda(meeting)
    engine.fire(first, "approve", board["chair"], vote_to_approve(camera))
    with pytest.raises(
        engine.Refused, match=f"already booked for an overlapping period by {first.reference}"
    ):
        engine.fire(
            second, "approve", board["chair"], vote_to_approve(camera, start=TODAY + timedelta(days=20))
        )
    # The same camera after the first booking ends is free.
    engine.fire(second, "approve", board["chair"], vote_to_approve(camera, start=TODAY + timedelta(weeks=12)))
    assert db.session.get(MoveRequest, second.id).status == "approved"


def test_a_faulty_camera_cannot_be_approved(board):
    camera = factories.camera(service_status="faulty")
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    with pytest.raises(engine.Refused, match="not in service"):
        engine.fire(on_agenda(meeting), "approve", board["chair"], vote_to_approve(camera))


def test_only_the_chair_may_place_an_item_after_the_cut_off(app):
    coordinator = factories.user("coordinator")
    chair = factories.user("board", "chair")
    meeting = factories.meeting(TODAY + timedelta(days=3))  # cut-off already passed
    mr = factories.move_request(status="endorsed")
    with pytest.raises(engine.Refused, match="cut-off for that meeting has passed"):
        engine.fire(mr, "place_on_agenda", coordinator, {"meeting_id": meeting.id})
    engine.fire(mr, "place_on_agenda", chair, {"meeting_id": meeting.id})
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.move_request_id == mr.id))
    assert item.meeting_id == meeting.id and item.late


def test_defer_moves_the_item_to_the_next_meeting(board):
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    next_meeting = factories.meeting(TODAY + timedelta(days=120))
    mr = on_agenda(meeting)
    engine.fire(mr, "defer", board["chair"], {"reason": "Waiting for the police analysis."})
    items = db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.move_request_id == mr.id).order_by(AgendaItem.id)
    ).all()
    assert [(i.meeting_id, i.outcome) for i in items] == [(meeting.id, "deferred"), (next_meeting.id, None)]
    assert items[0].reasons == "Waiting for the police analysis."
    assert db.session.get(MoveRequest, mr.id).status == "on_agenda"


def test_chairs_action_needs_an_urgent_request_and_an_independent_chair(app):
    chair = factories.user("board", "chair")
    factories.meeting(TODAY + timedelta(days=50))
    camera = factories.camera()
    data = {**approve_data(camera), "reason": "Cannot wait eight weeks."}
    routine = factories.move_request(status="endorsed")
    with pytest.raises(engine.Refused, match="Only an urgent request"):
        engine.fire(routine, "approve_urgently", chair, data)
    sponsored_by_chair = factories.move_request(
        status="endorsed",
        sponsor=chair,
        urgency="urgent",
        urgent_ground="imminent_event",
        urgent_explanation="x",
    )
    with pytest.raises(engine.Refused, match="requester or sponsor"):
        engine.fire(sponsored_by_chair, "approve_urgently", chair, data)
    urgent = factories.move_request(
        status="endorsed", urgency="urgent", urgent_ground="imminent_event", urgent_explanation="x"
    )
    engine.fire(urgent, "approve_urgently", chair, data)
    ratification = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.move_request_id == urgent.id))
    assert ratification.kind == "ratification"
    assert db.session.get(MoveRequest, urgent.id).chair_action


def test_installation_moves_the_camera_and_ends_its_earlier_request(app):
    coordinator = factories.user("coordinator")
    camera = factories.camera()
    old = factories.move_request(
        status="live", approved_camera_id=camera.id, installed_on=TODAY - timedelta(days=90)
    )
    old_deployment = factories.deployment(
        camera, old.site, installed_on=old.installed_on, move_request_id=old.id
    )
    new = factories.move_request(
        status="scheduled",
        approved_camera_id=camera.id,
        approved_start=TODAY,
        approved_end=TODAY + timedelta(weeks=10),
        installation_date=TODAY,
    )
    engine.fire(
        new,
        "record_installation",
        coordinator,
        {
            "installed_on": TODAY,
            "dpia_reference": "DPIA-9",
            "signage_confirmed": True,
            "consents_recorded": True,
            "review_due": TODAY + timedelta(days=56),
        },
    )
    db.session.expire_all()
    assert db.session.get(MoveRequest, new.id).status == "live"
    ended = db.session.get(MoveRequest, old.id)
    assert (ended.status, ended.removed_on, ended.version) == ("ended", TODAY, 2)
    assert db.session.get(Deployment, old_deployment.id).removed_on == TODAY
    open_rows = db.session.scalars(
        sa.select(Deployment).where(Deployment.camera_id == camera.id, Deployment.removed_on.is_(None))
    ).all()
    assert [(d.site_id, d.move_request_id) for d in open_rows] == [(new.site_id, new.id)]
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == old.id)).all()
    assert "request.end_deployment" in actions


def test_a_stale_version_is_a_conflict_and_saves_nothing(app):
    mr = factories.move_request(status="submitted")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    with pytest.raises(engine.Conflict):
        engine.fire(mr, "endorse", mr.sponsor, expected_version=mr.version + 1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before


def test_a_change_made_meanwhile_loses_the_compare_and_set(app):
    mr = factories.move_request(status="submitted")
    sponsor = mr.sponsor
    # Another server process endorses the request after this one loaded it.
    with db.engine.begin() as other:
        other.execute(
            sa.update(MoveRequest).where(MoveRequest.id == mr.id).values(status="endorsed", version=2)
        )
    with pytest.raises(engine.Conflict):
        engine.fire(mr, "return_for_changes", sponsor, {"reason": "Needs the crime numbers"})
    db.session.expire_all()
    after = db.session.get(MoveRequest, mr.id)
    assert (after.status, after.version, after.last_reason) == ("endorsed", 2, "")
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "request.return_for_changes")
    )


def test_a_member_with_an_interest_does_not_count_towards_the_quorum(board):
    camera = factories.camera()
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    mr = factories.move_request(status="on_agenda")
    item = factories.agenda_item(meeting, mr)
    db.session.add(Interest(agenda_item_id=item.id, user_id=board["members"][1].id, note="Neighbour"))
    db.session.commit()
    with pytest.raises(engine.Refused, match="not quorate: 2 present, 3 needed"):
        engine.fire(mr, "approve", board["chair"], vote_to_approve(camera))


def test_a_chairs_action_goes_to_the_first_meeting_still_to_come(app):
    chair = factories.user("board", "chair")
    sooner = factories.meeting(TODAY + timedelta(days=20))
    later = factories.meeting(TODAY + timedelta(days=80))
    mr = factories.move_request(
        status="on_agenda", urgency="urgent", urgent_ground="imminent_event", urgent_explanation="x"
    )
    item = factories.agenda_item(sooner, mr)
    engine.fire(
        mr, "approve_urgently", chair, {**approve_data(factories.camera()), "reason": "Festival next week"}
    )
    items = db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.move_request_id == mr.id).order_by(AgendaItem.id)
    ).all()
    assert [(i.id, i.meeting_id, i.kind, i.outcome) for i in items] == [
        (item.id, sooner.id, "request", "chair_action"),
        (items[1].id, sooner.id, "ratification", None),
    ]
    assert later.id not in {i.meeting_id for i in items}


def test_an_installation_must_fall_within_the_approved_period(app):
    coordinator = factories.user("coordinator")
    camera = factories.camera()
    mr = factories.move_request(
        status="approved",
        approved_camera_id=camera.id,
        approved_start=TODAY + timedelta(days=30),
        approved_end=TODAY + timedelta(days=90),
    )
    data = {"camera_id": camera.id, "installer": "X", "installation_cost": 1, "end": mr.approved_end}
    for day in (TODAY + timedelta(days=29), TODAY + timedelta(days=91)):
        with pytest.raises(engine.Refused, match="within the approved period"):
            engine.fire(
                mr, "schedule_installation", coordinator, {**data, "installation_date": day, "start": day}
            )


def test_an_installation_cannot_predate_the_cameras_current_deployment_or_be_in_the_future(app):
    coordinator = factories.user("coordinator")
    camera = factories.camera()
    factories.deployment(camera, installed_on=TODAY - timedelta(days=5))
    mr = factories.move_request(
        status="scheduled", approved_camera_id=camera.id, approved_start=TODAY - timedelta(days=20),
        approved_end=TODAY + timedelta(days=60), installation_date=TODAY - timedelta(days=10),
    )  # fmt: skip
    data = {"dpia_reference": "D", "signage_confirmed": True, "consents_recorded": True}
    with pytest.raises(engine.Refused, match="still at its previous site"):
        engine.fire(mr, "record_installation", coordinator,
                    {**data, "installed_on": TODAY - timedelta(days=10), "review_due": TODAY + timedelta(days=30)})  # fmt: skip
    with pytest.raises(engine.Refused, match="cannot be in the future"):
        engine.fire(mr, "record_installation", coordinator,
                    {**data, "installed_on": TODAY + timedelta(days=1), "review_due": TODAY + timedelta(days=30)})  # fmt: skip
    assert db.session.get(MoveRequest, mr.id).status == "scheduled"


def test_a_decision_does_not_land_after_its_meeting_closed(board):
    from cctv_requests.models import Meeting

    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    mr = on_agenda(meeting)
    # The coordinator closes the meeting from another server process just
    # after the chair's page was read.
    with db.engine.begin() as other:
        other.execute(sa.update(Meeting).where(Meeting.id == meeting.id).values(status="closed"))
    with pytest.raises(engine.Conflict, match="meeting closed"):
        engine.fire(mr, "reject", board["chair"], {"reason": "Not enough evidence"})
    db.session.expire_all()
    assert db.session.get(MoveRequest, mr.id).status == "on_agenda"


def test_cancelling_a_chairs_action_takes_it_off_the_next_agenda(app):
    chair = factories.user("board", "chair")
    factories.meeting(TODAY + timedelta(days=30))
    mr = factories.move_request(
        status="endorsed", urgency="urgent", urgent_ground="imminent_event", urgent_explanation="x"
    )
    engine.fire(mr, "approve_urgently", chair, {**approve_data(factories.camera()), "reason": "Carnival"})
    engine.fire(mr, "cancel", chair, {"reason": "Carnival called off"})
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.move_request_id == mr.id))
    assert (item.kind, item.outcome, item.reasons) == ("ratification", "cancelled", "Carnival called off")


def test_a_named_sponsor_who_no_longer_holds_the_role_cannot_endorse(app):
    former = factories.user("officer", name="Former Sponsor")
    mr = factories.move_request(status="submitted", sponsor=former)
    with pytest.raises(engine.Refused, match="^You cannot do that to this request.$"):
        engine.fire(mr, "endorse", former)
    assert engine.allowed_actions(former, mr) == []


def test_a_decision_at_one_meeting_stands_while_another_is_in_session(board):
    other_room = factories.meeting(TODAY - timedelta(days=1), status="in_session", attendees=board["members"])
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    mr = on_agenda(meeting)
    engine.fire(mr, "reject", board["chair"], {"reason": "Not enough evidence"})
    db.session.expire_all()
    assert db.session.get(MoveRequest, mr.id).status == "rejected"
    assert {
        m.status for m in (db.session.get(Meeting, other_room.id), db.session.get(Meeting, meeting.id))
    } == {"in_session"}


def test_the_request_in_hand_shows_its_new_state_after_a_trigger(app):
    mr = factories.move_request(status="submitted")
    engine.fire(mr, "endorse", mr.sponsor)
    assert (mr.status, mr.version) == ("endorsed", 2)


def test_a_database_refusal_at_commit_is_a_conflict_and_saves_nothing(app, monkeypatch):
    mr = factories.move_request(status="submitted")

    def constraint_fails(ctx, tools):
        raise IntegrityError("INSERT", {}, Exception("unique constraint"))

    monkeypatch.setitem(EFFECTS, "endorse", constraint_fails)
    with pytest.raises(engine.Conflict) as conflict:
        engine.fire(mr, "endorse", mr.sponsor)
    assert conflict.value.message.startswith(
        "Someone else changed this request while you were working on it."
    )
    db.session.expire_all()
    assert (db.session.get(MoveRequest, mr.id).status, db.session.get(MoveRequest, mr.id).version) == (
        "submitted",
        1,
    )
    assert not db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "request.endorse"))


def test_deferring_and_a_chairs_action_pick_the_soonest_planned_meeting_after(board):
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    # Planned out of date order, with a closed meeting in between.
    furthest = factories.meeting(TODAY + timedelta(days=150))
    factories.meeting(TODAY + timedelta(days=30), status="closed")
    soonest = factories.meeting(TODAY + timedelta(days=60))
    factories.meeting(TODAY + timedelta(days=90))
    mr = on_agenda(meeting)
    engine.fire(mr, "defer", board["chair"], {"reason": "Waiting for the analysis"})
    urgent = factories.move_request(
        status="endorsed", urgency="urgent", urgent_ground="imminent_event", urgent_explanation="x"
    )
    camera = factories.camera()
    engine.fire(urgent, "approve_urgently", board["chair"], {**approve_data(camera), "reason": "Carnival"})
    open_items = db.session.execute(
        sa.select(AgendaItem.move_request_id, AgendaItem.meeting_id).where(AgendaItem.outcome.is_(None))
    ).all()
    assert sorted(open_items) == sorted([(mr.id, soonest.id), (urgent.id, soonest.id)])
    assert furthest.id not in {meeting_id for _, meeting_id in open_items}


def test_a_deferred_item_goes_to_the_meeting_after_its_own_not_after_today(board):
    # Its meeting sits later than today's date (an early start is not yet refused).
    meeting = factories.meeting(TODAY + timedelta(days=60), status="in_session", attendees=board["members"])
    factories.meeting(TODAY + timedelta(days=30))
    after_it = factories.meeting(TODAY + timedelta(days=120))
    mr = on_agenda(meeting)
    engine.fire(mr, "defer", board["chair"], {"reason": "Waiting for the analysis"})
    carried = db.session.scalar(
        sa.select(AgendaItem.meeting_id).where(
            AgendaItem.move_request_id == mr.id, AgendaItem.outcome.is_(None)
        )
    )
    assert carried == after_it.id


def test_the_machine_offers_no_shortcut_past_the_guards():
    # transitions adds to_<state>() for every state unless told not to
    # (RECIPES.md); each would move a request without a single guard.
    subject = engine._machine("draft")
    assert subject.state == "draft"
    assert not [name for name in dir(subject) if name.startswith("to_")]


def test_a_refusal_names_every_request_that_holds_the_camera_for_the_period(board):
    camera = factories.camera()
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    first = factories.move_request(
        status="approved",
        reference="CCTV-2027-0001",
        approved_camera_id=camera.id,
        approved_start=TODAY + timedelta(days=10),
        approved_end=TODAY + timedelta(days=20),
    )
    second = factories.move_request(
        status="scheduled",
        reference="CCTV-2027-0002",
        approved_camera_id=camera.id,
        approved_start=TODAY + timedelta(days=40),
        approved_end=TODAY + timedelta(days=50),
    )
    with pytest.raises(engine.Refused) as refusal:
        engine.fire(on_agenda(meeting), "approve", board["chair"], vote_to_approve(camera, weeks=8))
    assert refusal.value.message == (
        f"That camera is already booked for an overlapping period by {first.reference}, {second.reference}."
    )


def test_listing_actions_skips_only_the_guards_that_need_the_forms_answers(app):
    # A data guard listed before a request guard must not hide the latter.
    mr = factories.move_request()
    mr.sponsor_id = None
    t = Transition(
        "submit", ("draft",), "submitted", ("requester",), "Send", guards=("reason_given", "sponsor_named")
    )
    ctx = Context(move_request=mr, actor_id=mr.requester_id, actor_roles=frozenset({"officer"}), today=TODAY)
    assert engine.refusals(t, ctx) == ["Choose the sponsor you have approached."]


def test_placing_an_item_without_choosing_a_meeting_is_refused(app):
    coordinator = factories.user("coordinator")
    factories.meeting(TODAY + timedelta(days=40))  # the first meeting there is, and open for papers
    mr = factories.move_request(status="endorsed")
    with pytest.raises(engine.Refused) as refusal:
        engine.fire(mr, "place_on_agenda", coordinator, {"meeting_id": None})
    assert refusal.value.message == "Select a meeting that has not started."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 0


def test_a_camera_that_does_not_exist_cannot_be_approved(board):
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    data = {
        "camera_id": 987654,
        "start": TODAY + timedelta(days=10),
        "end": TODAY + timedelta(days=40),
        **VOTES,
    }
    with pytest.raises(engine.Refused) as refusal:
        engine.fire(on_agenda(meeting), "approve", board["chair"], data)
    assert refusal.value.message == "That camera is not in service."


def test_only_the_chair_may_add_an_item_to_a_published_agenda(app):
    coordinator = factories.user("coordinator")
    chair = factories.user("board", "chair")
    meeting = factories.meeting(TODAY + timedelta(days=40), status="published")  # cut-off weeks away
    mr = factories.move_request(status="endorsed")
    with pytest.raises(engine.Refused) as refusal:
        engine.fire(mr, "place_on_agenda", coordinator, {"meeting_id": meeting.id})
    assert refusal.value.message == (
        "The agenda for that meeting is published. Only the chair can accept a late item."
    )
    assert db.session.get(MoveRequest, mr.id).status == "endorsed"
    engine.fire(mr, "place_on_agenda", chair, {"meeting_id": meeting.id})
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.move_request_id == mr.id))
    assert (item.meeting_id, item.kind, item.outcome) == (meeting.id, "request", None)
    assert db.session.get(MoveRequest, mr.id).status == "on_agenda"


def test_not_even_the_chair_places_an_item_on_a_meeting_whose_date_has_passed(app):
    chair = factories.user("board", "chair")
    meeting = factories.meeting(TODAY - timedelta(days=1))  # still marked planned: never held
    mr = factories.move_request(status="endorsed")
    with pytest.raises(engine.Refused) as refusal:
        engine.fire(mr, "place_on_agenda", chair, {"meeting_id": meeting.id})
    assert refusal.value.message == "The date of that meeting has passed. Select a meeting still to come."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 0


def test_a_published_meeting_still_to_come_takes_deferred_items_and_ratifications(board):
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    factories.meeting(TODAY + timedelta(days=30), status="cancelled")
    published = factories.meeting(TODAY + timedelta(days=45), status="published")
    mr = on_agenda(meeting)
    engine.fire(mr, "defer", board["chair"], {"reason": "Waiting for the analysis", **VOTES})
    urgent = factories.move_request(
        status="endorsed", urgency="urgent", urgent_ground="imminent_event", urgent_explanation="x"
    )
    data = {**approve_data(factories.camera()), "reason": "Carnival"}
    engine.fire(urgent, "approve_urgently", board["chair"], data)
    open_items = db.session.execute(
        sa.select(AgendaItem.move_request_id, AgendaItem.meeting_id, AgendaItem.kind).where(
            AgendaItem.outcome.is_(None)
        )
    ).all()
    assert sorted(open_items) == sorted(
        [(mr.id, published.id, "request"), (urgent.id, published.id, "ratification")]
    )


def live_with_items(meeting, *kinds):
    """A live request, put up by chair's action, with open items of ``kinds``."""
    mr = factories.move_request(
        status="live",
        chair_action=True,
        approved_camera_id=factories.camera().id,
        approved_start=TODAY - timedelta(days=20),
        approved_end=TODAY + timedelta(days=60),
        installed_on=TODAY - timedelta(days=20),
    )
    items = {kind: factories.agenda_item(meeting, mr, kind=kind) for kind in kinds}
    return mr, items


def test_an_interest_in_one_item_of_a_request_does_not_bar_the_chair_from_its_other(board):
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    mr, items = live_with_items(meeting, "ratification", "review")
    db.session.add(Interest(agenda_item_id=items["review"].id, user_id=board["chair"].id, note="Neighbour"))
    db.session.commit()
    shown = {t.trigger for t in engine.allowed_actions(board["chair"], mr, today=TODAY)}
    assert shown == {"ratify", "not_ratify"}
    review = {"reason": "Still needed", "review_due": TODAY + timedelta(days=60), **VOTES}
    with pytest.raises(engine.Refused, match="declared an interest in this item"):
        engine.fire(mr, "continue_at_review", board["chair"], review, today=TODAY)
    engine.fire(mr, "ratify", board["chair"], VOTES, today=TODAY)
    db.session.expire_all()
    assert db.session.get(AgendaItem, items["ratification"].id).outcome == "ratified"
    assert db.session.get(AgendaItem, items["review"].id).outcome is None


def test_a_board_decision_needs_an_open_item_of_its_own_kind(board):
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    # The ratification already decided, and no review on any agenda.
    mr, items = live_with_items(meeting, "ratification")
    engine.fire(mr, "ratify", board["chair"], VOTES, today=TODAY)
    assert engine.allowed_actions(board["chair"], mr, today=TODAY) == []
    for trigger in ("ratify", "not_ratify", "end_at_review"):
        with pytest.raises(engine.Refused):
            engine.fire(mr, trigger, board["chair"], {"reason": "Again", **VOTES}, today=TODAY)
    db.session.expire_all()
    after = db.session.get(MoveRequest, mr.id)
    assert (after.status, after.version, after.removal_due) == ("live", 2, None)


def test_votes_are_counted_against_the_members_who_may_vote_on_the_item(board):
    """Three present; one member declares an interest, so two may vote."""
    meeting = factories.meeting(TODAY, status="in_session", attendees=board["members"])
    mr = on_agenda(meeting)
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.move_request_id == mr.id))
    db.session.add(Interest(agenda_item_id=item.id, user_id=board["members"][2].id, note="Neighbour"))
    db.session.commit()
    data = {"reason": "Papers incomplete", "votes_for": 2, "votes_against": 0, "votes_abstain": 1}
    with pytest.raises(engine.Refused) as refusal:
        engine.fire(mr, "return_for_changes", board["chair"], data)
    assert refusal.value.message == (
        "The votes add up to 3, but only 2 members present may vote on this item. "
        "Check the votes for, against and abstaining."
    )
    engine.fire(mr, "return_for_changes", board["chair"], {**data, "votes_abstain": None})
    assert db.session.get(MoveRequest, mr.id).status == "returned"
