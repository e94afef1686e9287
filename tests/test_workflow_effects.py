"""What each trigger writes, column by column, when fired through
``engine.fire``: the request, its agenda items, the camera's booking version,
deployments and the audit event; and that a refusal or conflict writes nothing.

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
UNDECIDED = (None, "", None, None, None)
APRIL, JULY = (date(2027, 4, 1), date(2027, 4, 30)), (date(2027, 7, 1), date(2027, 7, 31))
NOW = ", so that cannot be done now."
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
    where = (AuditEvent.object_type == "move_request", AuditEvent.object_id == mr.id)
    return db.session.scalar(sa.select(sa.func.count()).where(*where))


def fire_ok(mr, trigger, actor, data=None, *, dest, reason=None, **kwargs):
    """Fire, then check what every fire writes: the status, the version up by
    exactly one, updated_at and the audit event. Returns the fresh row and the
    (before, after) window taken around the call."""
    source, version = mr.status, mr.version
    # A step from a live deployment keeps the review date as it stood, for
    # the annual report's reviews held on time.
    was_due = mr.review_due if source == "live" else None
    before = datetime.now(UTC)
    engine.fire(mr, trigger, actor, data, today=TODAY, **kwargs)
    after = datetime.now(UTC)
    row = fresh(MoveRequest, mr.id)
    assert (row.status, row.version) == (dest, version + 1)
    assert before <= row.updated_at <= after
    detail = {"dest": dest, "reason": reason, "source": source}
    if was_due is not None:
        detail["review_was_due"] = was_due.isoformat()
    assert last_event(mr.id) == (f"request.{trigger}", actor.id, "success", detail)
    return row, (before, after)


def items_of(mr) -> list[AgendaItem]:
    db.session.expire_all()
    query = sa.select(AgendaItem).where(AgendaItem.move_request_id == mr.id).order_by(AgendaItem.id)
    return list(db.session.scalars(query))


def decision(item):
    return (item.outcome, item.reasons, item.votes_for, item.votes_against, item.votes_abstain)


def on_agenda(meeting) -> MoveRequest:
    mr = factories.move_request(status="on_agenda")
    factories.agenda_item(meeting, mr)
    return mr


def urgent(status, **fields) -> MoveRequest:
    return factories.move_request(
        status=status,
        urgency="urgent",
        urgent_ground="imminent_event",
        urgent_explanation="Carnival",
        **fields,
    )


def period(camera, start, end, **extra):
    return {"camera_id": camera.id, "start": start, "end": end, **extra}


def booking_version(camera) -> int:
    return fresh(Camera, camera.id).booking_version


def meanwhile(monkeypatch, statement):
    """Run ``statement`` from another connection just after fire() has read
    the camera's clashes, as another server process writing then would."""
    real_clashes = engine.clashes

    def clashes_then_write(*args, **kwargs):
        found = real_clashes(*args, **kwargs)
        with db.engine.begin() as other:
            other.execute(statement)
        return found

    monkeypatch.setattr(engine, "clashes", clashes_then_write)


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
    row, _ = fire_ok(mr, "endorse", mr.sponsor, dest="endorsed", expected_version=1)
    assert (row.version, row.submitted_at, row.decided_at, row.last_reason) == (2, None, None, "")


def test_declining_keeps_the_stripped_reason_and_the_decision_time(app):
    mr = factories.move_request(status="submitted")
    data = {"reason": REASON_SENT}
    row, (before, after) = fire_ok(mr, "decline", mr.sponsor, data, dest="not_sponsored", reason=REASON)
    assert row.last_reason == REASON
    assert before <= row.decided_at <= after


@pytest.mark.parametrize(
    "meets_on, cutoff, role, late",
    [
        (date(2027, 3, 24), TODAY, "coordinator", False),  # the cut-off day itself
        (date(2027, 3, 23), date(2027, 3, 9), "chair", True),  # only the chair, after it
    ],
)
def test_placing_on_an_agenda_adds_one_item_marked_late_only_after_the_cut_off(
    app, meets_on, cutoff, role, late
):
    meeting = factories.meeting(meets_on)
    assert meeting.cutoff_on == cutoff  # ten working days before
    mr = factories.move_request(status="endorsed")
    fire_ok(mr, "place_on_agenda", factories.user(role), {"meeting_id": meeting.id}, dest="on_agenda")
    [item] = items_of(mr)
    assert (item.meeting_id, item.kind, item.late, item.decided_at) == (meeting.id, "request", late, None)
    assert decision(item) == UNDECIDED


# --- decisions at a meeting ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "trigger, dest, outcome, last_reason, decided",
    [
        ("return_for_changes", "returned", "returned", REASON, False),
        ("defer", "on_agenda", "deferred", "", False),
        ("reject", "rejected", "rejected", REASON, True),
    ],
)
def test_a_board_decision_is_recorded_on_the_requests_open_item(
    board, trigger, dest, outcome, last_reason, decided
):
    factories.meeting(date(2027, 6, 9))  # somewhere to defer to
    mr = on_agenda(board["meeting"])
    neighbour = on_agenda(board["meeting"])
    data = {"reason": REASON_SENT, **VOTES}
    row, (before, after) = fire_ok(mr, trigger, board["chair"], data, dest=dest, reason=REASON)
    item = items_of(mr)[0]
    assert decision(item) == (outcome, REASON, 3, 1, 1)
    assert before <= item.decided_at <= after and item.decided_by_id == board["chair"].id
    assert row.last_reason == last_reason
    assert (before <= row.decided_at <= after) if decided else row.decided_at is None
    assert [decision(i) for i in items_of(neighbour)] == [UNDECIDED]


def test_approval_books_the_camera_bumping_its_booking_version_by_one_and_decides_the_item(board):
    camera, bystander = factories.camera(name="Camera 9", asset_tag="RDC-09"), factories.camera()
    mr = on_agenda(board["meeting"])
    data = period(camera, date(2027, 4, 1), date(2027, 6, 24), conditions="  Signs in Polish too  ", **VOTES)
    row, (before, after) = fire_ok(mr, "approve", board["chair"], data, dest="approved")
    booked = (row.approved_camera_id, row.approved_start, row.approved_end)
    assert booked == (camera.id, date(2027, 4, 1), date(2027, 6, 24))
    assert before <= row.decided_at <= after
    assert (row.chair_action, row.last_reason, row.conditions) == (False, "", "Signs in Polish too")
    [item] = items_of(mr)
    assert decision(item) == ("approved", "", 3, 1, 1)
    assert item.conditions == "Signs in Polish too"
    assert item.terms == "Camera 9 (RDC-09), 1 April 2027 to 24 June 2027"
    assert before <= item.decided_at <= after and item.decided_by_id == board["chair"].id
    assert (booking_version(camera), booking_version(bystander)) == (1, 0)
    # A second request booking the same camera for later bumps it once more;
    # it has no conditions, so none are stored.
    second = on_agenda(board["meeting"])
    engine.fire(second, "approve", board["chair"], period(camera, *JULY, **VOTES), today=TODAY)
    assert (booking_version(camera), booking_version(bystander)) == (2, 0)
    assert (fresh(MoveRequest, second.id).conditions, items_of(second)[0].conditions) == ("", "")


def test_deferral_goes_to_the_next_planned_meeting_after_the_items_own(board):
    factories.meeting(date(2027, 2, 10))  # earlier, never held
    factories.meeting(date(2027, 4, 7), status="closed")
    factories.meeting(date(2027, 6, 9))
    chosen = factories.meeting(date(2027, 5, 12))  # added last, so not first by id
    mr = on_agenda(board["meeting"])
    fire_ok(mr, "defer", board["chair"], {"reason": REASON_SENT}, dest="on_agenda", reason=REASON)
    first, added = items_of(mr)
    assert (first.meeting_id, first.outcome, first.reasons) == (board["meeting"].id, "deferred", REASON)
    assert (added.meeting_id, added.kind, added.late) == (chosen.id, "request", False)
    # The new item carries the deferred one forward, with its history.
    assert added.carried_from_id == first.id
    assert decision(added) == UNDECIDED and (added.decided_at, added.decided_by_id) == (None, None)


def test_withdrawing_an_item_on_a_planned_agenda_decides_it_as_withdrawn(app):
    mr = on_agenda(factories.meeting(date(2027, 4, 14)))
    data = {"reason": REASON_SENT}
    row, (before, after) = fire_ok(mr, "withdraw", mr.requester, data, dest="withdrawn", reason=REASON)
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
    chair, camera, mr = factories.user("board", "chair"), factories.camera(), urgent("endorsed")
    data = period(camera, date(2027, 3, 12), date(2027, 4, 30), reason=REASON_SENT)
    row, (before, after) = fire_ok(mr, "approve_urgently", chair, data, dest="approved", reason=REASON)
    booked = (row.approved_camera_id, row.approved_start, row.approved_end)
    assert booked == (camera.id, date(2027, 3, 12), date(2027, 4, 30))
    assert (row.chair_action, row.last_reason) == (True, REASON)
    assert before <= row.decided_at <= after
    [item] = items_of(mr)
    assert (item.meeting_id, item.kind, item.late, item.decided_at) == (first.id, "ratification", False, None)
    assert decision(item) == UNDECIDED
    assert booking_version(camera) == 1


def test_a_chairs_action_on_an_agenda_item_decides_it_as_chair_action(app):
    meeting = factories.meeting(date(2027, 4, 14))  # planned, not in session
    chair, mr = factories.user("board", "chair"), urgent("on_agenda")
    factories.agenda_item(meeting, mr)
    camera = factories.camera(name="Camera 7", asset_tag="RDC-07")
    data = period(camera, date(2027, 3, 12), date(2027, 4, 30), reason=REASON_SENT)
    _, (before, after) = fire_ok(mr, "approve_urgently", chair, data, dest="approved", reason=REASON)
    decided, ratification = items_of(mr)
    assert decision(decided) == ("chair_action", REASON, None, None, None)
    # The minutes keep the decision in words, as taken.
    assert decided.terms == "Camera 7 (RDC-07), 12 March 2027 to 30 April 2027"
    assert before <= decided.decided_at <= after and decided.decided_by_id == chair.id
    ratified = (ratification.meeting_id, ratification.kind, ratification.outcome)
    assert ratified == (meeting.id, "ratification", None)


# --- installation and deployment -----------------------------------------------------------------


@pytest.mark.parametrize("installer", ["Acme Mounts", ""])
def test_booking_the_installation_stores_date_installer_and_cost(app, installer):
    camera = factories.camera()
    mr = factories.move_request(
        status="approved", approved_camera_id=camera.id, approved_start=date(2027, 3, 20),
        approved_end=date(2027, 6, 12),
    )  # fmt: skip
    data = {"camera_id": camera.id, "installation_date": date(2027, 3, 22), "installer": installer,
            "installation_cost": Decimal("1234.50")}  # fmt: skip
    row, _ = fire_ok(mr, "schedule_installation", factories.user("coordinator"), data, dest="scheduled")
    booked = (row.approved_camera_id, row.installation_date, row.installer, str(row.installation_cost))
    assert booked == (camera.id, date(2027, 3, 22), installer, "1234.50")
    assert booking_version(camera) == 1


def scheduled(camera, **fields) -> MoveRequest:
    return factories.move_request(
        status="scheduled", approved_camera_id=camera.id, approved_start=date(2027, 3, 1),
        approved_end=date(2027, 5, 31), installation_date=date(2027, 3, 8), **fields,
    )  # fmt: skip


INSTALL = {"dpia_reference": "  DPIA-42  ", "signage_confirmed": True, "consents_recorded": True,
           "installed_on": date(2027, 3, 8), "review_due": date(2027, 5, 3)}  # fmt: skip


def closed_and_signs(deployment) -> tuple:
    row = fresh(Deployment, deployment.id)
    return (row.removed_on, row.signs_removed)


def test_an_installation_moves_the_camera_and_ends_the_request_it_left(app):
    bystander = factories.deployment(factories.camera(), installed_on=date(2026, 11, 1))
    coordinator, camera = factories.user("coordinator"), factories.camera()
    earlier = factories.deployment(camera, installed_on=date(2026, 6, 1), removed_on=date(2026, 9, 1))
    old = factories.move_request(status="live", approved_camera_id=camera.id, installed_on=date(2026, 12, 10))
    old_row = factories.deployment(camera, old.site, installed_on=date(2026, 12, 10), move_request_id=old.id)
    new = scheduled(camera, reference="CCTV-2027-0042")
    row, (before, after) = fire_ok(new, "record_installation", coordinator, INSTALL, dest="live")
    installed = (row.dpia_reference, row.installed_on, row.review_due)
    assert installed == ("DPIA-42", date(2027, 3, 8), date(2027, 5, 3))
    opened = db.session.scalars(sa.select(Deployment).where(Deployment.move_request_id == new.id)).all()
    assert [(d.camera_id, d.site_id, d.installed_on, d.removed_on, d.signs_removed) for d in opened] == [
        (camera.id, new.site_id, date(2027, 3, 8), None, False)
    ]
    assert closed_and_signs(old_row) == (date(2027, 3, 8), True)
    assert closed_and_signs(earlier) == (date(2026, 9, 1), False)
    assert closed_and_signs(bystander) == (None, False)
    ended = fresh(MoveRequest, old.id)
    assert (ended.status, ended.removed_on, ended.version) == ("ended", date(2027, 3, 8), 2)
    assert before <= ended.updated_at <= after
    reason = "Camera moved to the site of CCTV-2027-0042."
    detail = {"dest": "ended", "reason": reason, "source": "live"}
    assert last_event(old.id) == ("request.end_deployment", coordinator.id, "success", detail)


@pytest.mark.parametrize("previous_status", [None, "ended"])
def test_an_installation_closes_a_previous_deployment_without_a_live_request(app, previous_status):
    camera = factories.camera()
    # A deployment with no request, or one whose request is no longer live.
    previous = previous_status and factories.move_request(status=previous_status)
    old_row = factories.deployment(
        camera, installed_on=date(2026, 12, 10), move_request_id=previous.id if previous else None
    )
    fire_ok(scheduled(camera), "record_installation", factories.user("coordinator"), INSTALL, dest="live")
    assert closed_and_signs(old_row) == (date(2027, 3, 8), True)
    if previous:
        left = fresh(MoveRequest, previous.id)
        assert (left.status, left.version, left.removed_on, request_events(previous)) == ("ended", 1, None, 0)


def live(camera):
    mr = factories.move_request(status="live", installed_on=date(2027, 1, 6), review_due=date(2027, 3, 3))
    return mr, factories.deployment(camera, mr.site, installed_on=date(2027, 1, 6), move_request_id=mr.id)


def test_a_review_sets_only_the_next_review_date(app):
    mr, deployment = live(factories.camera())
    data = {"reason": "  Still needed  ", "review_due": date(2027, 6, 2)}
    coordinator = factories.user("coordinator")
    row, _ = fire_ok(mr, "continue_deployment", coordinator, data, dest="live", reason="Still needed")
    kept = (row.review_due, row.installed_on, row.removed_on, row.last_reason)
    assert kept == (date(2027, 6, 2), date(2027, 1, 6), None, "")
    assert closed_and_signs(deployment) == (None, False)


def test_ending_a_deployment_closes_only_the_requests_open_deployment(app):
    # The camera first put up was swapped after a fault on 1 February.
    mr, swapped_out = live(factories.camera())
    swapped_out.removed_on = date(2027, 2, 1)
    db.session.commit()
    _, other = live(factories.camera())
    current = factories.deployment(
        factories.camera(), mr.site, installed_on=date(2027, 2, 1), move_request_id=mr.id
    )
    data = {"removed_on": date(2027, 3, 9), "signs_removed": True, "recordings_kept_until": date(2100, 1, 1)}
    row, _ = fire_ok(mr, "end_deployment", factories.user("coordinator"), data, dest="ended")
    assert row.removed_on == date(2027, 3, 9)
    assert closed_and_signs(current) == (date(2027, 3, 9), True)
    assert closed_and_signs(swapped_out) == (date(2027, 2, 1), False)
    assert closed_and_signs(other) == (None, False)


# --- cancelling and closing ----------------------------------------------------------------------


def test_cancelling_closes_only_the_requests_undecided_items(app):
    decided_at = datetime(2027, 3, 1, 18, 30, tzinfo=UTC)
    held, coming = factories.meeting(date(2027, 3, 1), status="closed"), factories.meeting(date(2027, 4, 14))
    mr = urgent("approved")
    kept = factories.agenda_item(held, mr, outcome="chair_action", reasons="Carnival", decided_at=decided_at)
    pending = factories.agenda_item(coming, mr, kind="ratification")
    neighbour = factories.agenda_item(coming, factories.move_request(status="on_agenda"))
    data = {"reason": REASON_SENT}
    coordinator = factories.user("coordinator")
    row, (before, after) = fire_ok(mr, "cancel", coordinator, data, dest="cancelled", reason=REASON)
    assert row.last_reason == REASON
    state = {
        i.id: (i.outcome, i.reasons, i.decided_at) for i in items_of(mr) + items_of(neighbour.move_request)
    }
    assert state.pop(pending.id)[:2] == ("cancelled", REASON)
    assert before <= fresh(AgendaItem, pending.id).decided_at <= after
    assert fresh(AgendaItem, pending.id).decided_by_id == coordinator.id
    assert state == {kept.id: ("chair_action", "Carnival", decided_at), neighbour.id: (None, "", None)}


@pytest.mark.parametrize("notes_sent, notes", [("  Footfall fell  ", "Footfall fell"), (None, "")])
def test_an_evaluation_stores_the_three_counts_and_the_stripped_notes(app, notes_sent, notes):
    mr = factories.move_request(status="ended")
    data = {"incidents_before": 14, "incidents_during": 3, "incidents_after": 6, "notes": notes_sent}
    row, _ = fire_ok(mr, "record_evaluation", factories.user("coordinator"), data, dest="closed")
    assert (row.incidents_before, row.incidents_during, row.incidents_after) == (14, 3, 6)
    assert row.evaluation_notes == notes


# --- ratifying a chair's action and the board's review ---------------------------------------------

CHAIRS_ACTION_AT = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)
FIRST_REVIEW = date(2027, 5, 3)


def by_chairs_action(status, camera) -> MoveRequest:
    """A chair's action of 1 March for March to May, now ``status``; live
    since 8 March, with its first review due on 3 May."""
    fields = dict(
        chair_action=True,
        approved_camera_id=camera.id,
        approved_start=date(2027, 3, 1),
        approved_end=date(2027, 5, 31),
        last_reason="Carnival",
        decided_at=CHAIRS_ACTION_AT,
    )
    if status in ("scheduled", "live"):
        fields["installation_date"] = date(2027, 3, 8)
    if status == "live":
        fields |= {"installed_on": date(2027, 3, 8), "review_due": FIRST_REVIEW}
    mr = urgent(status, **fields)
    if status == "live":
        factories.deployment(camera, mr.site, installed_on=date(2027, 3, 8), move_request_id=mr.id)
    return mr


def request_columns(row) -> tuple:
    """What the board's later decisions may touch on the request."""
    return (row.last_reason, row.decided_at, row.removal_due, row.review_due, row.removed_on)


def open_deployment(mr) -> list[tuple]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Deployment).where(Deployment.move_request_id == mr.id))
    return [(d.installed_on, d.removed_on, d.signs_removed) for d in rows]


@pytest.mark.parametrize("status", ["approved", "scheduled", "live"])
def test_ratifying_decides_only_the_ratification_and_leaves_the_request_as_it_was(board, status):
    camera = factories.camera(name="Camera 7", asset_tag="RDC-07")
    mr = by_chairs_action(status, camera)
    ratification = factories.agenda_item(board["meeting"], mr, kind="ratification")
    review = factories.agenda_item(board["meeting"], mr, kind="review") if status == "live" else None
    neighbour = on_agenda(board["meeting"])
    row, (before, after) = fire_ok(mr, "ratify", board["chair"], VOTES, dest=status)
    review_due = FIRST_REVIEW if status == "live" else None
    assert request_columns(row) == ("Carnival", CHAIRS_ACTION_AT, None, review_due, None)
    booked = (row.approved_camera_id, row.approved_start, row.approved_end, row.chair_action)
    assert booked == (camera.id, date(2027, 3, 1), date(2027, 5, 31), True)
    decided = fresh(AgendaItem, ratification.id)
    assert decision(decided) == ("ratified", "", 3, 1, 1)
    assert decided.terms == "Camera 7 (RDC-07), 1 March 2027 to 31 May 2027"
    assert before <= decided.decided_at <= after and decided.decided_by_id == board["chair"].id
    if review is not None:
        assert decision(fresh(AgendaItem, review.id)) == UNDECIDED
    assert [decision(i) for i in items_of(neighbour)] == [UNDECIDED]
    assert booking_version(camera) == 0


@pytest.mark.parametrize("status", ["approved", "scheduled"])
def test_not_ratifying_before_installation_cancels_the_request_and_its_other_open_items(board, status):
    held = factories.meeting(date(2027, 3, 1), status="closed")
    coming = factories.meeting(date(2027, 4, 14))
    camera = factories.camera()
    mr = by_chairs_action(status, camera)
    kept = factories.agenda_item(
        held, mr, outcome="chair_action", reasons="Carnival", decided_at=CHAIRS_ACTION_AT
    )
    ratification = factories.agenda_item(board["meeting"], mr, kind="ratification")
    listed = factories.agenda_item(coming, mr, kind="review")  # listed ahead, never to be held
    neighbour = on_agenda(coming)
    data = {"reason": REASON_SENT, **VOTES}
    row, (before, after) = fire_ok(mr, "not_ratify", board["chair"], data, dest="cancelled", reason=REASON)
    assert (row.last_reason, row.removal_due, row.review_due, row.removed_on) == (REASON, None, None, None)
    # The board's decision ends the request, as a rejection would.
    assert before <= row.decided_at <= after
    decided = fresh(AgendaItem, ratification.id)
    assert decision(decided) == ("not_ratified", REASON, 3, 1, 1)
    assert decided.terms == "Request cancelled"
    assert before <= decided.decided_at <= after and decided.decided_by_id == board["chair"].id
    cancelled = fresh(AgendaItem, listed.id)
    assert (cancelled.outcome, cancelled.reasons, cancelled.decided_by_id) == (
        "cancelled",
        REASON,
        board["chair"].id,
    )
    assert before <= cancelled.decided_at <= after
    earlier = fresh(AgendaItem, kept.id)
    assert (earlier.outcome, earlier.reasons, earlier.decided_at) == (
        "chair_action",
        "Carnival",
        CHAIRS_ACTION_AT,
    )
    assert [decision(i) for i in items_of(neighbour)] == [UNDECIDED]


def test_not_ratifying_after_installation_leaves_the_request_live_with_its_removal_due_today(board):
    camera = factories.camera()
    mr = by_chairs_action("live", camera)
    ratification = factories.agenda_item(board["meeting"], mr, kind="ratification")
    review = factories.agenda_item(board["meeting"], mr, kind="review")
    data = {"reason": REASON_SENT, **VOTES}
    row, (before, after) = fire_ok(mr, "not_ratify", board["chair"], data, dest="live", reason=REASON)
    # The camera comes down when the coordinator records its removal.
    assert request_columns(row) == (REASON, CHAIRS_ACTION_AT, TODAY, FIRST_REVIEW, None)
    assert open_deployment(mr) == [(date(2027, 3, 8), None, False)]
    decided = fresh(AgendaItem, ratification.id)
    assert decision(decided) == ("not_ratified", REASON, 3, 1, 1)
    assert decided.terms == "Camera to be removed; removal due from 10 March 2027"
    assert before <= decided.decided_at <= after and decided.decided_by_id == board["chair"].id
    assert decision(fresh(AgendaItem, review.id)) == UNDECIDED


def test_continuing_at_a_review_sets_the_next_review_and_decides_the_review_item(board):
    mr = by_chairs_action("live", factories.camera())
    ratified = factories.agenda_item(
        factories.meeting(date(2027, 3, 3), status="closed"), mr, kind="ratification", outcome="ratified"
    )
    review = factories.agenda_item(board["meeting"], mr, kind="review")
    data = {"reason": "  Incidents down by half  ", "review_due": date(2027, 6, 9), **VOTES}
    reason = "Incidents down by half"
    row, (before, after) = fire_ok(mr, "continue_at_review", board["chair"], data, dest="live", reason=reason)
    assert request_columns(row) == ("Carnival", CHAIRS_ACTION_AT, None, date(2027, 6, 9), None)
    assert open_deployment(mr) == [(date(2027, 3, 8), None, False)]
    decided = fresh(AgendaItem, review.id)
    assert decision(decided) == ("continued", reason, 3, 1, 1)
    assert decided.terms == "Next review 9 June 2027"
    assert before <= decided.decided_at <= after and decided.decided_by_id == board["chair"].id
    assert fresh(AgendaItem, ratified.id).outcome == "ratified"


def test_ending_at_a_review_orders_the_removal_today_and_decides_the_review_item(board):
    mr = by_chairs_action("live", factories.camera())
    ratification = factories.agenda_item(board["meeting"], mr, kind="ratification")
    review = factories.agenda_item(board["meeting"], mr, kind="review")
    data = {"reason": REASON_SENT, **VOTES}
    row, (before, after) = fire_ok(mr, "end_at_review", board["chair"], data, dest="live", reason=REASON)
    assert request_columns(row) == (REASON, CHAIRS_ACTION_AT, TODAY, FIRST_REVIEW, None)
    assert open_deployment(mr) == [(date(2027, 3, 8), None, False)]
    decided = fresh(AgendaItem, review.id)
    assert decision(decided) == ("removal_ordered", REASON, 3, 1, 1)
    assert decided.terms == "Camera to be removed; removal due from 10 March 2027"
    assert before <= decided.decided_at <= after and decided.decided_by_id == board["chair"].id
    assert decision(fresh(AgendaItem, ratification.id)) == UNDECIDED


def test_ending_a_deployment_closes_its_undecided_agenda_items_as_not_needed(app):
    held, coming = factories.meeting(date(2027, 3, 3), status="closed"), factories.meeting(date(2027, 4, 14))
    mr = by_chairs_action("live", factories.camera())
    ratified = factories.agenda_item(
        held, mr, kind="ratification", outcome="ratified", decided_at=CHAIRS_ACTION_AT
    )
    review = factories.agenda_item(coming, mr, kind="review")
    ratification = factories.agenda_item(coming, mr, kind="ratification")
    neighbour = factories.agenda_item(coming, by_chairs_action("live", factories.camera()), kind="review")
    coordinator = factories.user("coordinator")
    data = {"removed_on": date(2027, 3, 9), "signs_removed": True, "recordings_kept_until": date(2100, 1, 1)}
    row, (before, after) = fire_ok(mr, "end_deployment", coordinator, data, dest="ended")
    assert row.removed_on == date(2027, 3, 9)
    for item in (review, ratification):
        closed = fresh(AgendaItem, item.id)
        assert (closed.outcome, closed.decided_by_id) == ("not_needed", coordinator.id)
        assert closed.reasons == "The camera was removed before the board met."
        assert before <= closed.decided_at <= after
    earlier = fresh(AgendaItem, ratified.id)
    assert (earlier.outcome, earlier.decided_at, earlier.decided_by_id) == (
        "ratified",
        CHAIRS_ACTION_AT,
        None,
    )
    assert decision(fresh(AgendaItem, neighbour.id)) == UNDECIDED


# --- refusals and conflicts write nothing --------------------------------------------------------


def assert_unchanged(mr, status, version=1):
    row = fresh(MoveRequest, mr.id)
    assert (row.status, row.version, row.last_reason, row.decided_at) == (status, version, "", None)
    assert request_events(mr) == 0


@pytest.mark.parametrize(
    "status, trigger, who, data, message",
    [
        ("approved", "endorse", "sponsor", {}, "This request is approved" + NOW),
        ("on_agenda", "endorse", "sponsor", {}, "This request is on board agenda" + NOW),
        ("submitted", "endorse", "stranger", {}, "You cannot do that to this request."),
        ("draft", "withdraw", "stranger", {"reason": "x"}, "You cannot do that to this request."),
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


@pytest.mark.parametrize(
    "change, expected_version, status, version",
    [
        ({}, 2, "submitted", 1),
        ({"version": 2}, None, "submitted", 2),
        ({"status": "returned"}, None, "returned", 1),
    ],
)
def test_a_stale_version_or_a_change_made_meanwhile_is_a_conflict_with_the_plain_message(
    app, change, expected_version, status, version
):
    mr = factories.move_request(status="submitted")
    if change:  # another server process changes the request after this one read it
        with db.engine.begin() as other:
            other.execute(sa.update(MoveRequest).where(MoveRequest.id == mr.id).values(**change))
    data = {"reason": REASON_SENT}
    with pytest.raises(engine.Conflict) as caught:
        engine.fire(mr, "decline", mr.sponsor, data, expected_version=expected_version, today=TODAY)
    assert caught.value.message == str(caught.value) == CONFLICT
    assert_unchanged(mr, status, version)


def test_a_decision_after_the_meeting_closed_meanwhile_saves_nothing(board):
    factories.meeting(date(2027, 3, 3), status="in_session")  # another, never closed
    camera = factories.camera()
    mr = on_agenda(board["meeting"])
    with db.engine.begin() as other:
        other.execute(sa.update(Meeting).where(Meeting.id == board["meeting"].id).values(status="closed"))
    with pytest.raises(engine.Conflict) as caught:
        engine.fire(mr, "approve", board["chair"], period(camera, *APRIL, **VOTES), today=TODAY)
    message = "The meeting closed before this decision was recorded. Nothing you entered has been saved."
    assert caught.value.message == message
    assert_unchanged(mr, "on_agenda")
    assert ([decision(i) for i in items_of(mr)], booking_version(camera)) == ([UNDECIDED], 0)


def test_a_camera_booked_by_another_decision_meanwhile_saves_nothing(board, monkeypatch):
    camera = factories.camera()
    mr = on_agenda(board["meeting"])
    meanwhile(monkeypatch, sa.update(Camera).where(Camera.id == camera.id).values(booking_version=5))
    with pytest.raises(engine.Conflict) as caught:
        engine.fire(mr, "approve", board["chair"], period(camera, *APRIL, **VOTES), today=TODAY)
    assert caught.value.message == (
        "Another decision booked that camera a moment ago. Nothing you entered has been saved. "
        "Check the camera's bookings and try again."
    )
    assert_unchanged(mr, "on_agenda")
    assert ([decision(i) for i in items_of(mr)], booking_version(camera)) == ([UNDECIDED], 5)


def test_a_row_written_meanwhile_that_breaks_a_database_rule_is_a_plain_conflict(app, monkeypatch):
    meeting, camera, mr = factories.meeting(date(2027, 4, 14)), factories.camera(), urgent("endorsed")
    chair = factories.user("board", "chair")
    row = {"meeting_id": meeting.id, "move_request_id": mr.id, "kind": "ratification"}
    meanwhile(monkeypatch, sa.insert(AgendaItem).values(**row))  # a second ratification item is refused
    with pytest.raises(engine.Conflict) as caught:
        engine.fire(mr, "approve_urgently", chair, period(camera, *APRIL, reason="x"), today=TODAY)
    assert caught.value.message == CONFLICT
    assert_unchanged(mr, "endorsed")
    assert (len(items_of(mr)), booking_version(camera)) == (1, 0)
