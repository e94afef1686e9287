"""What each trigger writes, column by column, when fired through
``engine.fire``: the request, its agenda items, the camera's booking version,
deployments and the audit event.

Every expected value is a date, count or text picked here by hand; none is
computed by the code under test. The date is pinned so cut-offs and "the
next meeting" do not depend on the day the tests run.
"""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import AgendaItem, AuditEvent, Camera, Deployment, Meeting, MoveRequest
from cctv_requests.workflow import engine
from tests import factories

TODAY = date(2027, 3, 10)  # a Wednesday
REASON_SENT, REASON = "  Not enough evidence  ", "Not enough evidence"
VOTES = {"votes_for": 3, "votes_against": 1, "votes_abstain": 1}
CONFLICT = (
    "Someone else changed this request while you were working on it. "
    "Nothing you entered has been saved. Check its current state and try again if it is still needed."
)


# --- helpers -------------------------------------------------------------------------------------


def fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def last_event(object_id: int):
    """(action, actor, outcome, detail) of the newest audit event about a request."""
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "move_request", AuditEvent.object_id == object_id)
        .order_by(AuditEvent.id.desc())
    ).first()
    return event and (event.action, event.actor_id, event.outcome, json.loads(event.detail))


def request_events(mr) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            AuditEvent.object_type == "move_request", AuditEvent.object_id == mr.id
        )
    )


def fire_ok(mr, trigger, actor, data=None, *, dest, reason=None, today=TODAY):
    """Fire, then check what every fire writes: the status, the version up by
    exactly one, updated_at and the audit event. Returns the fresh row and the
    (before, after) window taken around the call."""
    source, version = mr.status, mr.version
    before = datetime.now(UTC)
    engine.fire(mr, trigger, actor, data, today=today)
    after = datetime.now(UTC)
    row = fresh(MoveRequest, mr.id)
    assert (row.status, row.version) == (dest, version + 1)
    assert before <= row.updated_at <= after
    detail = {"dest": dest, "reason": reason, "source": source}
    assert last_event(mr.id) == (f"request.{trigger}", actor.id, "success", detail)
    return row, (before, after)


def items_of(mr) -> list[AgendaItem]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AgendaItem).where(AgendaItem.move_request_id == mr.id).order_by(AgendaItem.id)
        )
    )


def decision(item):
    return (item.outcome, item.reasons, item.votes_for, item.votes_against, item.votes_abstain)


def on_agenda(meeting, **overrides) -> MoveRequest:
    mr = factories.move_request(status="on_agenda", **overrides)
    factories.agenda_item(meeting, mr)
    return mr


def urgent(status) -> MoveRequest:
    return factories.move_request(
        status=status, urgency="urgent", urgent_ground="imminent_event", urgent_explanation="Carnival"
    )


@pytest.fixture
def board(app):
    """A chair and four members, present at a quorate meeting in session today."""
    chair = factories.user("board", "chair", name="Chair")
    members = [chair] + [factories.user("board") for _ in range(4)]
    meeting = factories.meeting(TODAY, status="in_session", attendees=members)
    return {"chair": chair, "meeting": meeting}


# --- from draft to the agenda --------------------------------------------------------------------


def test_submitting_stamps_submitted_at_and_audits_no_reason(app):
    mr = factories.move_request()
    row, (before, after) = fire_ok(mr, "submit", mr.requester, dest="submitted")
    assert before <= row.submitted_at <= after
    assert (row.decided_at, row.last_reason) == (None, "")


def test_endorsing_at_the_current_version_writes_only_the_status_and_its_audit(app):
    mr = factories.move_request(status="submitted")
    engine.fire(mr, "endorse", mr.sponsor, expected_version=1, today=TODAY)
    row = fresh(MoveRequest, mr.id)
    assert (row.status, row.version, row.decided_at, row.last_reason) == ("endorsed", 2, None, "")
    assert last_event(mr.id) == (
        "request.endorse",
        mr.sponsor_id,
        "success",
        {"dest": "endorsed", "reason": None, "source": "submitted"},
    )


def test_declining_keeps_the_stripped_reason_and_the_decision_time(app):
    mr = factories.move_request(status="submitted")
    row, (before, after) = fire_ok(
        mr, "decline", mr.sponsor, {"reason": REASON_SENT}, dest="not_sponsored", reason=REASON
    )
    assert row.last_reason == REASON
    assert before <= row.decided_at <= after


def test_placing_on_the_agenda_on_the_cut_off_day_is_not_late(app):
    meeting = factories.meeting(date(2027, 3, 24))
    assert meeting.cutoff_on == TODAY  # ten working days before
    mr = factories.move_request(status="endorsed")
    fire_ok(
        mr, "place_on_agenda", factories.user("coordinator"), {"meeting_id": meeting.id}, dest="on_agenda"
    )
    [item] = items_of(mr)
    assert (item.meeting_id, item.kind, item.late) == (meeting.id, "request", False)
    assert decision(item) + (item.decided_at,) == (None, "", None, None, None, None)


def test_the_chair_places_an_item_after_the_cut_off_and_it_is_marked_late(app):
    meeting = factories.meeting(date(2027, 3, 23))
    assert meeting.cutoff_on == date(2027, 3, 9)
    mr = factories.move_request(status="endorsed")
    chair = factories.user("board", "chair")
    fire_ok(mr, "place_on_agenda", chair, {"meeting_id": meeting.id}, dest="on_agenda")
    assert [(i.meeting_id, i.kind, i.late, i.outcome) for i in items_of(mr)] == [
        (meeting.id, "request", True, None)
    ]


# --- decisions at a meeting ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "trigger, dest, outcome, last_reason, decided",
    [
        ("return_for_changes", "returned", "returned", REASON, False),
        ("defer", "on_agenda", "deferred", "", False),
        ("reject", "rejected", "rejected", REASON, True),
    ],
)
def test_a_board_decision_is_recorded_on_the_open_item(board, trigger, dest, outcome, last_reason, decided):
    factories.meeting(date(2027, 6, 9))  # somewhere to defer to
    mr = on_agenda(board["meeting"])
    data = {"reason": REASON_SENT, **VOTES}
    row, (before, after) = fire_ok(mr, trigger, board["chair"], data, dest=dest, reason=REASON)
    item = items_of(mr)[0]
    assert decision(item) == (outcome, REASON, 3, 1, 1)
    assert before <= item.decided_at <= after
    assert item.decided_by_id == board["chair"].id
    assert row.last_reason == last_reason
    assert (before <= row.decided_at <= after) if decided else row.decided_at is None


def test_approval_books_the_camera_and_decides_the_item_without_reasons(board):
    camera = factories.camera()
    mr = on_agenda(board["meeting"])
    data = {"camera_id": camera.id, "start": date(2027, 4, 1), "end": date(2027, 6, 24), **VOTES}
    row, (before, after) = fire_ok(mr, "approve", board["chair"], data, dest="approved")
    assert (row.approved_camera_id, row.approved_start, row.approved_end) == (
        camera.id,
        date(2027, 4, 1),
        date(2027, 6, 24),
    )
    assert before <= row.decided_at <= after
    assert (row.chair_action, row.last_reason) == (False, "")
    [item] = items_of(mr)
    assert decision(item) == ("approved", "", 3, 1, 1)
    assert before <= item.decided_at <= after and item.decided_by_id == board["chair"].id
    assert fresh(Camera, camera.id).booking_version == 1


def test_each_booking_of_one_camera_bumps_its_booking_version_by_exactly_one(board):
    camera = factories.camera()
    first, second = on_agenda(board["meeting"]), on_agenda(board["meeting"])
    engine.fire(first, "approve", board["chair"], {"camera_id": camera.id, "start": date(2027, 4, 1),
                "end": date(2027, 4, 30)}, today=TODAY)  # fmt: skip
    assert fresh(Camera, camera.id).booking_version == 1
    engine.fire(second, "approve", board["chair"], {"camera_id": camera.id, "start": date(2027, 5, 1),
                "end": date(2027, 5, 31)}, today=TODAY)  # fmt: skip
    assert fresh(Camera, camera.id).booking_version == 2
    assert fresh(MoveRequest, second.id).approved_camera_id == camera.id


def test_deferral_goes_to_the_next_planned_meeting_after_the_items_own(board):
    factories.meeting(date(2027, 2, 10))  # earlier, never held
    closed = factories.meeting(date(2027, 4, 7), status="closed")
    later = factories.meeting(date(2027, 6, 9))
    chosen = factories.meeting(date(2027, 5, 12))
    assert closed.id < later.id < chosen.id
    mr = on_agenda(board["meeting"])
    fire_ok(mr, "defer", board["chair"], {"reason": REASON_SENT}, dest="on_agenda", reason=REASON)
    first, added = items_of(mr)
    assert (first.meeting_id, first.outcome, first.reasons) == (board["meeting"].id, "deferred", REASON)
    assert (added.meeting_id, added.kind, added.late) == (chosen.id, "request", False)
    assert decision(added) + (added.decided_at, added.decided_by_id) == (
        None,
        "",
        None,
        None,
        None,
        None,
        None,
    )


def test_withdrawing_an_item_on_a_planned_agenda_decides_it_as_withdrawn(app):
    meeting = factories.meeting(date(2027, 4, 14))
    mr = on_agenda(meeting)
    row, (before, after) = fire_ok(
        mr, "withdraw", mr.requester, {"reason": REASON_SENT}, dest="withdrawn", reason=REASON
    )
    assert (row.last_reason, row.decided_at) == (REASON, None)
    [item] = items_of(mr)
    assert decision(item) == ("withdrawn", REASON, None, None, None)
    assert before <= item.decided_at <= after and item.decided_by_id == mr.requester_id


# --- chair's action ------------------------------------------------------------------------------


def test_a_chairs_action_books_the_camera_and_sends_a_ratification_to_the_first_meeting_after_today(app):
    factories.meeting(TODAY)  # today's is not "after today"
    factories.meeting(date(2027, 3, 31), status="closed")
    factories.meeting(date(2027, 6, 9))
    first = factories.meeting(date(2027, 4, 14))
    chair, camera = factories.user("board", "chair"), factories.camera()
    mr = urgent("endorsed")
    data = {
        "camera_id": camera.id,
        "start": date(2027, 3, 12),
        "end": date(2027, 4, 30),
        "reason": REASON_SENT,
    }
    row, (before, after) = fire_ok(mr, "approve_urgently", chair, data, dest="approved", reason=REASON)
    assert (row.approved_camera_id, row.approved_start, row.approved_end) == (
        camera.id,
        date(2027, 3, 12),
        date(2027, 4, 30),
    )
    assert (row.chair_action, row.last_reason) == (True, REASON)
    assert before <= row.decided_at <= after
    [item] = items_of(mr)
    assert (item.meeting_id, item.kind, item.late) == (first.id, "ratification", False)
    assert decision(item) + (item.decided_at,) == (None, "", None, None, None, None)
    assert fresh(Camera, camera.id).booking_version == 1


def test_a_chairs_action_on_an_agenda_item_decides_it_as_chair_action(app):
    meeting = factories.meeting(date(2027, 4, 14))
    chair, camera = factories.user("board", "chair"), factories.camera()
    mr = urgent("on_agenda")
    factories.agenda_item(meeting, mr)
    data = {
        "camera_id": camera.id,
        "start": date(2027, 3, 12),
        "end": date(2027, 4, 30),
        "reason": REASON_SENT,
    }
    _, (before, after) = fire_ok(mr, "approve_urgently", chair, data, dest="approved", reason=REASON)
    decided, ratification = items_of(mr)
    assert decision(decided) == ("chair_action", REASON, None, None, None)
    assert before <= decided.decided_at <= after and decided.decided_by_id == chair.id
    assert (ratification.meeting_id, ratification.kind, ratification.outcome) == (
        meeting.id,
        "ratification",
        None,
    )


# --- installation and deployment -----------------------------------------------------------------


@pytest.mark.parametrize("installer_sent, installer", [("Acme Mounts", "Acme Mounts"), ("", "")])
def test_booking_the_installation_stores_date_installer_and_cost(app, installer_sent, installer):
    camera = factories.camera()
    mr = factories.move_request(status="approved", approved_camera_id=camera.id,
                                approved_start=date(2027, 3, 20), approved_end=date(2027, 6, 12))  # fmt: skip
    data = {"camera_id": camera.id, "installation_date": date(2027, 3, 22), "installer": installer_sent,
            "installation_cost": Decimal("1234.50")}  # fmt: skip
    row, _ = fire_ok(mr, "schedule_installation", factories.user("coordinator"), data, dest="scheduled")
    assert (row.approved_camera_id, row.installation_date, row.installer) == (
        camera.id,
        date(2027, 3, 22),
        installer,
    )
    assert str(row.installation_cost) == "1234.50"
    assert fresh(Camera, camera.id).booking_version == 1


def scheduled(camera, reference=None) -> MoveRequest:
    extra = {"reference": reference} if reference else {}
    return factories.move_request(status="scheduled", approved_camera_id=camera.id,
                                  approved_start=date(2027, 3, 1), approved_end=date(2027, 5, 31),
                                  installation_date=date(2027, 3, 8), **extra)  # fmt: skip


INSTALL = {"dpia_reference": "  DPIA-42  ", "signage_confirmed": True, "consents_recorded": True,
           "installed_on": date(2027, 3, 8), "review_due": date(2027, 5, 3)}  # fmt: skip


def test_an_installation_moves_the_camera_and_ends_the_request_it_left(app):
    coordinator = factories.user("coordinator")
    camera, bystander = factories.camera(), factories.camera()
    old = factories.move_request(status="live", approved_camera_id=camera.id, installed_on=date(2026, 12, 10))
    old_row = factories.deployment(camera, old.site, installed_on=date(2026, 12, 10), move_request_id=old.id)
    other = factories.deployment(bystander, installed_on=date(2026, 11, 1))
    new = scheduled(camera, reference="CCTV-2027-0042")
    before = datetime.now(UTC)
    row, _ = fire_ok(new, "record_installation", coordinator, INSTALL, dest="live")
    assert (row.dpia_reference, row.installed_on, row.review_due) == (
        "DPIA-42",
        date(2027, 3, 8),
        date(2027, 5, 3),
    )
    opened = db.session.scalars(sa.select(Deployment).where(Deployment.move_request_id == new.id)).all()
    assert [(d.camera_id, d.site_id, d.installed_on, d.removed_on, d.signs_removed) for d in opened] == [
        (camera.id, new.site_id, date(2027, 3, 8), None, False)
    ]
    closed = fresh(Deployment, old_row.id)
    assert (closed.removed_on, closed.signs_removed) == (date(2027, 3, 8), True)
    ended = fresh(MoveRequest, old.id)
    assert (ended.status, ended.removed_on, ended.version) == ("ended", date(2027, 3, 8), 2)
    assert ended.updated_at >= before
    assert last_event(old.id) == (
        "request.end_deployment",
        coordinator.id,
        "success",
        {"dest": "ended", "reason": "Camera moved to the site of CCTV-2027-0042.", "source": "live"},
    )
    untouched = fresh(Deployment, other.id)
    assert (untouched.removed_on, untouched.signs_removed) == (None, False)


@pytest.mark.parametrize("previous_status", [None, "ended"])
def test_an_installation_closes_a_previous_deployment_without_a_live_request(app, previous_status):
    camera = factories.camera()
    previous = None
    if previous_status:
        previous = factories.move_request(status=previous_status, approved_camera_id=camera.id)
    old_row = factories.deployment(camera, installed_on=date(2026, 12, 10),
                                   move_request_id=previous.id if previous else None)  # fmt: skip
    new = scheduled(camera)
    fire_ok(new, "record_installation", factories.user("coordinator"), INSTALL, dest="live")
    closed = fresh(Deployment, old_row.id)
    assert (closed.removed_on, closed.signs_removed) == (date(2027, 3, 8), True)
    if previous is not None:
        left = fresh(MoveRequest, previous.id)
        assert (left.status, left.version, left.removed_on) == ("ended", 1, None)
        assert request_events(previous) == 0


def live(camera, **fields):
    mr = factories.move_request(status="live", approved_camera_id=camera.id,
                                installed_on=date(2027, 1, 6), review_due=date(2027, 3, 3), **fields)  # fmt: skip
    return mr, factories.deployment(camera, mr.site, installed_on=date(2027, 1, 6), move_request_id=mr.id)


def test_a_review_sets_only_the_next_review_date(app):
    mr, deployment = live(factories.camera())
    data = {"reason": "  Still needed  ", "review_due": date(2027, 6, 2)}
    row, _ = fire_ok(
        mr, "continue_deployment", factories.user("coordinator"), data, dest="live", reason="Still needed"
    )
    assert (row.review_due, row.installed_on, row.removed_on, row.last_reason) == (
        date(2027, 6, 2),
        date(2027, 1, 6),
        None,
        "",
    )
    assert fresh(Deployment, deployment.id).removed_on is None


def test_ending_a_deployment_closes_only_its_own_deployment(app):
    mr, deployment = live(factories.camera())
    _, other = live(factories.camera())
    data = {"removed_on": date(2027, 3, 9), "signs_removed": True}
    row, _ = fire_ok(mr, "end_deployment", factories.user("coordinator"), data, dest="ended")
    assert row.removed_on == date(2027, 3, 9)
    closed, untouched = fresh(Deployment, deployment.id), fresh(Deployment, other.id)
    assert (closed.removed_on, closed.signs_removed) == (date(2027, 3, 9), True)
    assert (untouched.removed_on, untouched.signs_removed) == (None, False)


# --- cancelling and closing ----------------------------------------------------------------------


def test_cancelling_closes_only_the_requests_undecided_items(app):
    decided_at = datetime(2027, 3, 1, 18, 30, tzinfo=UTC)
    held, coming = factories.meeting(date(2027, 3, 1), status="closed"), factories.meeting(date(2027, 4, 14))
    mr = urgent("approved")
    kept = factories.agenda_item(held, mr, outcome="chair_action", reasons="Carnival", decided_at=decided_at)
    pending = factories.agenda_item(coming, mr, kind="ratification")
    neighbour = factories.agenda_item(coming, factories.move_request(status="on_agenda"))
    coordinator = factories.user("coordinator")
    row, (before, after) = fire_ok(
        mr, "cancel", coordinator, {"reason": REASON_SENT}, dest="cancelled", reason=REASON
    )
    assert row.last_reason == REASON
    cancelled = fresh(AgendaItem, pending.id)
    assert (cancelled.outcome, cancelled.reasons) == ("cancelled", REASON)
    assert before <= cancelled.decided_at <= after
    kept = fresh(AgendaItem, kept.id)
    assert (kept.outcome, kept.reasons, kept.decided_at) == ("chair_action", "Carnival", decided_at)
    neighbour = fresh(AgendaItem, neighbour.id)
    assert (neighbour.outcome, neighbour.reasons, neighbour.decided_at) == (None, "", None)


@pytest.mark.parametrize(
    "notes_sent, notes", [("  Footfall fell by half  ", "Footfall fell by half"), (None, "")]
)
def test_an_evaluation_stores_the_three_counts_and_the_stripped_notes(app, notes_sent, notes):
    mr = factories.move_request(status="ended")
    data = {"incidents_before": 14, "incidents_during": 3, "incidents_after": 6, "notes": notes_sent}
    row, _ = fire_ok(mr, "record_evaluation", factories.user("coordinator"), data, dest="closed")
    assert (row.incidents_before, row.incidents_during, row.incidents_after) == (14, 3, 6)
    assert row.evaluation_notes == notes


# --- refusals and conflicts write nothing --------------------------------------------------------


def assert_unchanged(mr, status, version=1):
    row = fresh(MoveRequest, mr.id)
    assert (row.status, row.version, row.last_reason, row.decided_at) == (status, version, "", None)
    assert request_events(mr) == 0


def test_a_stale_expected_version_is_a_conflict_with_the_plain_message(app):
    mr = factories.move_request(status="submitted")
    with pytest.raises(engine.Conflict) as caught:
        engine.fire(mr, "endorse", mr.sponsor, expected_version=2, today=TODAY)
    assert caught.value.message == str(caught.value) == CONFLICT
    assert_unchanged(mr, "submitted")


@pytest.mark.parametrize(
    "status, trigger, who, data, message",
    [
        ("approved", "endorse", "sponsor", {}, "This request is approved, so that cannot be done now."),
        (
            "on_agenda",
            "endorse",
            "sponsor",
            {},
            "This request is on board agenda, so that cannot be done now.",
        ),
        ("submitted", "endorse", "stranger", {}, "You cannot do that to this request."),
        ("submitted", "decline", "sponsor", {"reason": "   "}, "Enter the reason."),
    ],
)
def test_a_refusal_says_why_and_writes_nothing(app, status, trigger, who, data, message):
    mr = factories.move_request(status=status)
    actor = mr.sponsor if who == "sponsor" else factories.user("sponsor")
    with pytest.raises(engine.Refused) as caught:
        engine.fire(mr, trigger, actor, data, today=TODAY)
    assert caught.value.message == str(caught.value) == message
    assert_unchanged(mr, status)


def test_a_decision_after_the_meeting_closed_meanwhile_saves_nothing(board):
    camera = factories.camera()
    mr = on_agenda(board["meeting"])
    with db.engine.begin() as other:
        other.execute(sa.update(Meeting).where(Meeting.id == board["meeting"].id).values(status="closed"))
    data = {"camera_id": camera.id, "start": date(2027, 4, 1), "end": date(2027, 4, 30)}
    with pytest.raises(engine.Conflict) as caught:
        engine.fire(mr, "approve", board["chair"], data, today=TODAY)
    assert caught.value.message == (
        "The meeting closed before this decision was recorded. Nothing you entered has been saved."
    )
    assert_unchanged(mr, "on_agenda")
    assert decision(items_of(mr)[0]) == (None, "", None, None, None)
    assert fresh(Camera, camera.id).booking_version == 0


def test_a_camera_booked_by_another_decision_meanwhile_saves_nothing(board, monkeypatch):
    camera = factories.camera()
    mr = on_agenda(board["meeting"])
    real_clashes = engine.clashes

    def clashes_then_booked_elsewhere(*args, **kwargs):
        # Another server process books the camera just after this one read
        # its clashes and booking version.
        found = real_clashes(*args, **kwargs)
        with db.engine.begin() as other:
            other.execute(sa.update(Camera).where(Camera.id == camera.id).values(booking_version=5))
        return found

    monkeypatch.setattr(engine, "clashes", clashes_then_booked_elsewhere)
    data = {"camera_id": camera.id, "start": date(2027, 4, 1), "end": date(2027, 4, 30)}
    with pytest.raises(engine.Conflict) as caught:
        engine.fire(mr, "approve", board["chair"], data, today=TODAY)
    assert caught.value.message == (
        "Another decision booked that camera a moment ago. Nothing you entered has been saved. "
        "Check the camera's bookings and try again."
    )
    assert_unchanged(mr, "on_agenda")
    assert (items_of(mr)[0].outcome, fresh(Camera, camera.id).booking_version) == (None, 5)
