"""Workflow rules at their edges: date boundaries, what holds a camera,
ending a deployment and the compare-and-set.

Every expected value is a date picked here, a count worked by hand, or a
rule quoted from DESIGN.md; none is computed by the code under test.
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import AgendaItem, Deployment, MoveRequest
from cctv_requests.workflow import engine
from tests import factories
from tests.readers import audit_count, events

TODAY = date.today()
DAY = timedelta(days=1)


# --- helpers -------------------------------------------------------------------------------------


def fresh(mr: MoveRequest) -> MoveRequest:
    db.session.expire_all()
    return db.session.get(MoveRequest, mr.id)


def open_deployments(camera) -> list[tuple]:
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(Deployment).where(Deployment.camera_id == camera.id, Deployment.removed_on.is_(None))
    )
    return [(d.site_id, d.move_request_id, d.installed_on) for d in rows]


@pytest.fixture
def board(app):
    """A chair and two members, present at a quorate meeting in session today."""
    chair = factories.user("board", "chair", name="Chair")
    members = [chair, factories.user("board"), factories.user("board")]
    meeting = factories.meeting(TODAY, status="in_session", attendees=members)
    return {"chair": chair, "meeting": meeting}


def on_agenda(meeting) -> MoveRequest:
    mr = factories.move_request(status="on_agenda")
    factories.agenda_item(meeting, mr)
    return mr


# All three members present vote: two for, one abstaining.
VOTES = {"votes_for": 2, "votes_against": 0, "votes_abstain": 1}


def approve(board, mr, camera, start, end):
    data = {"camera_id": camera.id, "start": start, "end": end, **VOTES}
    return engine.fire(mr, "approve", board["chair"], data)


def booked(camera, start, end, status="approved") -> MoveRequest:
    """A request already holding ``camera`` from ``start`` to ``end``."""
    return factories.move_request(
        status=status, approved_camera_id=camera.id, approved_start=start, approved_end=end
    )


def live(camera, installed_on) -> tuple[MoveRequest, Deployment]:
    mr = booked(camera, installed_on, installed_on + timedelta(weeks=12), status="live")
    mr.installed_on = installed_on
    db.session.commit()
    return mr, factories.deployment(camera, mr.site, installed_on=installed_on, move_request_id=mr.id)


def scheduled(camera, installation_date) -> MoveRequest:
    mr = booked(camera, installation_date - 5 * DAY, installation_date + timedelta(weeks=10), "scheduled")
    mr.installation_date = installation_date
    db.session.commit()
    return mr


INSTALLED = {"dpia_reference": "DPIA-R1", "signage_confirmed": True, "consents_recorded": True}


# --- 1. date-rule boundaries --------------------------------------------------------------------


def test_a_booking_starting_on_the_day_another_ends_clashes_and_the_day_after_is_free(board):
    camera = factories.camera()
    first = booked(camera, TODAY + 10 * DAY, TODAY + 40 * DAY)
    mr = on_agenda(board["meeting"])
    with pytest.raises(engine.Refused, match=f"overlapping period by {first.reference}"):
        approve(board, mr, camera, TODAY + 40 * DAY, TODAY + 60 * DAY)
    assert fresh(mr).status == "on_agenda"
    approve(board, mr, camera, TODAY + 41 * DAY, TODAY + 60 * DAY)
    got = fresh(mr)
    assert (got.status, got.approved_camera_id, got.approved_start) == (
        "approved",
        camera.id,
        TODAY + 41 * DAY,
    )


def test_a_booking_ending_on_the_day_another_starts_clashes_and_the_day_before_is_free(board):
    camera = factories.camera()
    first = booked(camera, TODAY + 30 * DAY, TODAY + 60 * DAY)
    mr = on_agenda(board["meeting"])
    with pytest.raises(engine.Refused, match=f"overlapping period by {first.reference}"):
        approve(board, mr, camera, TODAY + 5 * DAY, TODAY + 30 * DAY)
    approve(board, mr, camera, TODAY + 5 * DAY, TODAY + 29 * DAY)
    assert (fresh(mr).status, fresh(mr).approved_end) == ("approved", TODAY + 29 * DAY)


def test_a_one_day_period_is_valid_and_an_end_before_the_start_is_refused(board):
    camera = factories.camera()
    mr = on_agenda(board["meeting"])
    start = TODAY + 14 * DAY
    with pytest.raises(
        engine.Refused, match="end of the deployment period must be the same as or after its start"
    ):
        approve(board, mr, camera, start, start - DAY)
    assert fresh(mr).status == "on_agenda"
    approve(board, mr, camera, start, start)
    got = fresh(mr)
    assert (got.status, got.approved_start, got.approved_end) == ("approved", start, start)


@pytest.mark.parametrize(
    "when,accepted",
    [("first day", True), ("last day", True), ("day before", False), ("day after", False)],
)
def test_an_installation_is_booked_only_within_the_approved_period(app, when, accepted):
    coordinator = factories.user("coordinator")
    camera = factories.camera()
    start, end = TODAY + 20 * DAY, TODAY + 50 * DAY
    mr = booked(camera, start, end)
    day = {"first day": start, "last day": end, "day before": start - DAY, "day after": end + DAY}[when]
    data = {"camera_id": camera.id, "installer": "Ace Installs", "installation_cost": 400}
    data |= {"installation_date": day, "start": day, "end": end}
    if accepted:
        engine.fire(mr, "schedule_installation", coordinator, data)
        got = fresh(mr)
        assert (got.status, got.installation_date) == ("scheduled", day)
    else:
        with pytest.raises(engine.Refused, match="within the approved period"):
            engine.fire(mr, "schedule_installation", coordinator, data)
        assert (fresh(mr).status, fresh(mr).installation_date) == ("approved", None)


def test_a_review_dated_today_is_refused_and_tomorrow_is_accepted(app):
    coordinator = factories.user("coordinator")
    mr, _ = live(factories.camera(), TODAY - 30 * DAY)
    mr.review_due = TODAY
    db.session.commit()
    findings = {"reason": "Incidents down by half; keep it there."}
    with pytest.raises(engine.Refused, match="next review date in the future"):
        engine.fire(mr, "continue_deployment", coordinator, {**findings, "review_due": TODAY}, today=TODAY)
    assert (fresh(mr).review_due, fresh(mr).version) == (TODAY, 1)
    engine.fire(mr, "continue_deployment", coordinator, {**findings, "review_due": TODAY + DAY}, today=TODAY)
    got = fresh(mr)
    assert (got.status, got.review_due, got.version) == ("live", TODAY + DAY, 2)


def test_an_installations_review_must_fall_after_the_installation_day(app):
    coordinator = factories.user("coordinator")
    camera = factories.camera()
    mr = scheduled(camera, TODAY)
    same_day = {**INSTALLED, "installed_on": TODAY, "review_due": TODAY}
    with pytest.raises(engine.Refused, match="review date after the installation date"):
        engine.fire(mr, "record_installation", coordinator, same_day, today=TODAY)
    assert open_deployments(camera) == []
    engine.fire(mr, "record_installation", coordinator, {**same_day, "review_due": TODAY + DAY}, today=TODAY)
    got = fresh(mr)
    assert (got.status, got.installed_on, got.review_due) == ("live", TODAY, TODAY + DAY)


def test_a_removal_dated_today_is_accepted_and_tomorrow_is_refused(app):
    coordinator = factories.user("coordinator")
    mr, _ = live(factories.camera(), TODAY - 30 * DAY)
    with pytest.raises(engine.Refused, match="removed cannot be in the future"):
        engine.fire(
            mr,
            "end_deployment",
            coordinator,
            {"removed_on": TODAY + DAY, "signs_removed": True, "recordings_kept_until": date(2100, 1, 1)},
            today=TODAY,
        )
    assert (fresh(mr).status, fresh(mr).removed_on) == ("live", None)
    engine.fire(
        mr,
        "end_deployment",
        coordinator,
        {"removed_on": TODAY, "signs_removed": True, "recordings_kept_until": date(2100, 1, 1)},
        today=TODAY,
    )
    assert (fresh(mr).status, fresh(mr).removed_on) == ("ended", TODAY)


def test_a_removal_on_the_installation_day_is_accepted_and_the_day_before_is_refused(app):
    coordinator = factories.user("coordinator")
    installed = TODAY - 3 * DAY
    mr, _ = live(factories.camera(), installed)
    with pytest.raises(engine.Refused, match="cannot be before the installation date"):
        engine.fire(
            mr,
            "end_deployment",
            coordinator,
            {"removed_on": installed - DAY, "signs_removed": True, "recordings_kept_until": date(2100, 1, 1)},
            today=TODAY,
        )
    assert fresh(mr).status == "live"
    engine.fire(
        mr,
        "end_deployment",
        coordinator,
        {"removed_on": installed, "signs_removed": True, "recordings_kept_until": date(2100, 1, 1)},
        today=TODAY,
    )
    assert (fresh(mr).status, fresh(mr).removed_on) == ("ended", installed)


def test_the_coordinator_places_an_item_on_the_cut_off_day_but_not_the_day_after(app):
    coordinator = factories.user("coordinator")
    meeting = factories.meeting(TODAY + 60 * DAY)
    cutoff = meeting.cutoff_on  # set-up: the day to pin, not an expectation
    in_time, too_late = factories.move_request(status="endorsed"), factories.move_request(status="endorsed")
    engine.fire(in_time, "place_on_agenda", coordinator, {"meeting_id": meeting.id}, today=cutoff)
    with pytest.raises(engine.Refused, match="cut-off for that meeting has passed"):
        engine.fire(too_late, "place_on_agenda", coordinator, {"meeting_id": meeting.id}, today=cutoff + DAY)
    items = db.session.execute(sa.select(AgendaItem.move_request_id, AgendaItem.meeting_id, AgendaItem.late))
    assert [tuple(i) for i in items] == [(in_time.id, meeting.id, False)]
    assert (fresh(in_time).status, fresh(too_late).status) == ("on_agenda", "endorsed")


def test_a_planned_meeting_today_still_takes_a_late_item_and_yesterdays_does_not(app):
    chair = factories.user("board", "chair")
    today, yesterday = factories.meeting(TODAY), factories.meeting(TODAY - DAY)
    on_time, too_late = factories.move_request(status="endorsed"), factories.move_request(status="endorsed")
    with pytest.raises(engine.Refused, match="^The date of that meeting has passed"):
        engine.fire(too_late, "place_on_agenda", chair, {"meeting_id": yesterday.id}, today=TODAY)
    engine.fire(on_time, "place_on_agenda", chair, {"meeting_id": today.id}, today=TODAY)
    items = db.session.execute(sa.select(AgendaItem.move_request_id, AgendaItem.meeting_id, AgendaItem.late))
    assert [tuple(i) for i in items] == [(on_time.id, today.id, True)]
    assert (fresh(on_time).status, fresh(too_late).status) == ("on_agenda", "endorsed")


# DESIGN.md section 6: votes for, against and abstaining add up to no more
# than the members present who may vote on the item.
@pytest.mark.parametrize(
    "votes,accepted",
    [((2, 0, 1), True), ((3, 0, 0), True), ((2, 1, 1), False), ((4, None, None), False)],
)
def test_votes_may_add_up_to_the_members_present_and_no_more(board, votes, accepted):
    mr = on_agenda(board["meeting"])
    data = dict(zip(("votes_for", "votes_against", "votes_abstain"), votes, strict=True))
    data["reason"] = "Not enough evidence."
    if accepted:
        engine.fire(mr, "reject", board["chair"], data)
        assert fresh(mr).status == "rejected"
    else:
        with pytest.raises(engine.Refused) as refusal:
            engine.fire(mr, "reject", board["chair"], data)
        assert refusal.value.message == (
            "The votes add up to 4, but only 3 members present may vote on this item. "
            "Check the votes for, against and abstaining."
        )
        assert (fresh(mr).status, fresh(mr).version) == ("on_agenda", 1)


# A majority of the votes cast: more for than against; abstentions are not cast.
@pytest.mark.parametrize(
    "votes,accepted",
    [((1, 0, 2), True), ((2, 1, 0), True), ((1, 1, 1), False), ((1, 2, 0), False), ((0, 0, 3), False)],
)
def test_an_approval_needs_one_vote_more_for_than_against(board, votes, accepted):
    camera = factories.camera()
    mr = on_agenda(board["meeting"])
    data = {"camera_id": camera.id, "start": TODAY + 10 * DAY, "end": TODAY + 40 * DAY}
    data |= dict(zip(("votes_for", "votes_against", "votes_abstain"), votes, strict=True))
    if accepted:
        engine.fire(mr, "approve", board["chair"], data)
        assert fresh(mr).status == "approved"
    else:
        with pytest.raises(engine.Refused) as refusal:
            engine.fire(mr, "approve", board["chair"], data)
        assert refusal.value.message == (
            f"This needs a majority of the votes cast: {votes[0]} for and {votes[1]} against. "
            "Enter the votes, or record a different decision."
        )
        assert (fresh(mr).status, fresh(mr).approved_camera_id) == ("on_agenda", None)


def test_a_board_review_dated_today_is_refused_and_tomorrow_is_accepted(board):
    mr, _ = live(factories.camera(), TODAY - 30 * DAY)
    factories.agenda_item(board["meeting"], mr, kind="review")
    data = {"reason": "Incidents down by half.", **VOTES}
    with pytest.raises(engine.Refused, match="next review date in the future"):
        engine.fire(mr, "continue_at_review", board["chair"], {**data, "review_due": TODAY}, today=TODAY)
    assert (fresh(mr).review_due, fresh(mr).version) == (None, 1)
    engine.fire(mr, "continue_at_review", board["chair"], {**data, "review_due": TODAY + DAY}, today=TODAY)
    got = fresh(mr)
    assert (got.status, got.review_due, got.version) == ("live", TODAY + DAY, 2)


# --- 2. what holds a camera ---------------------------------------------------------------------


def test_a_cancelled_approval_frees_its_camera_for_the_same_period(board):
    coordinator = factories.user("coordinator")
    camera = factories.camera()
    first, second = on_agenda(board["meeting"]), on_agenda(board["meeting"])
    approve(board, first, camera, TODAY + 10 * DAY, TODAY + 40 * DAY)
    engine.fire(first, "cancel", coordinator, {"reason": "Landowner withdrew consent."})
    approve(board, second, camera, TODAY + 20 * DAY, TODAY + 50 * DAY)
    assert (fresh(first).status, fresh(second).status) == ("cancelled", "approved")
    assert fresh(second).approved_camera_id == camera.id


# DESIGN.md section 4: "available" means not booked by another approved or scheduled request.
@pytest.mark.parametrize(
    "status,holds",
    [
        ("approved", True),
        ("scheduled", True),
        ("live", False),
        ("ended", False),
        ("closed", False),
        ("cancelled", False),
        ("withdrawn", False),
        ("rejected", False),
    ],
)
def test_only_an_approved_or_scheduled_request_holds_its_camera(board, status, holds):
    camera = factories.camera()
    other = booked(camera, TODAY + 10 * DAY, TODAY + 40 * DAY, status=status)
    mr = on_agenda(board["meeting"])
    if holds:
        with pytest.raises(engine.Refused, match=f"overlapping period by {other.reference}"):
            approve(board, mr, camera, TODAY + 20 * DAY, TODAY + 30 * DAY)
        assert fresh(mr).status == "on_agenda"
    else:
        approve(board, mr, camera, TODAY + 20 * DAY, TODAY + 30 * DAY)
        assert (fresh(mr).status, fresh(mr).approved_camera_id) == ("approved", camera.id)


# --- 5. ending a deployment ---------------------------------------------------------------------


def test_ending_a_deployment_closes_the_cameras_open_deployment(app):
    coordinator = factories.user("coordinator")
    camera = factories.camera()
    mr, deployment = live(camera, TODAY - 30 * DAY)
    engine.fire(
        mr,
        "end_deployment",
        coordinator,
        {"removed_on": TODAY - 2 * DAY, "signs_removed": True, "recordings_kept_until": date(2100, 1, 1)},
    )
    row = db.session.get(Deployment, deployment.id)
    assert (row.removed_on, row.signs_removed) == (TODAY - 2 * DAY, True)
    assert (fresh(mr).status, fresh(mr).removed_on) == ("ended", TODAY - 2 * DAY)
    assert open_deployments(camera) == []


def test_a_removed_camera_can_be_installed_elsewhere_from_its_removal_day(app):
    coordinator = factories.user("coordinator")
    camera = factories.camera()
    old, old_deployment = live(camera, TODAY - 30 * DAY)
    engine.fire(
        old,
        "end_deployment",
        coordinator,
        {"removed_on": TODAY - 2 * DAY, "signs_removed": True, "recordings_kept_until": date(2100, 1, 1)},
    )
    new = scheduled(camera, TODAY - 2 * DAY)
    data = {**INSTALLED, "installed_on": TODAY - 2 * DAY, "review_due": TODAY + 30 * DAY}
    engine.fire(new, "record_installation", coordinator, data)
    assert fresh(new).status == "live"
    assert open_deployments(camera) == [(new.site_id, new.id, TODAY - 2 * DAY)]
    assert db.session.get(Deployment, old_deployment.id).removed_on == TODAY - 2 * DAY


def test_a_camera_cannot_be_installed_elsewhere_before_its_removal_day(app):
    coordinator = factories.user("coordinator")
    camera = factories.camera()
    old, _ = live(camera, TODAY - 30 * DAY)
    engine.fire(
        old,
        "end_deployment",
        coordinator,
        {"removed_on": TODAY - 2 * DAY, "signs_removed": True, "recordings_kept_until": date(2100, 1, 1)},
    )
    new = scheduled(camera, TODAY - 5 * DAY)
    data = {**INSTALLED, "installed_on": TODAY - 5 * DAY, "review_due": TODAY + 30 * DAY}
    with pytest.raises(engine.Refused):
        engine.fire(new, "record_installation", coordinator, data)
    assert (fresh(new).status, open_deployments(camera)) == ("scheduled", [])


# --- 6. the compare-and-set ---------------------------------------------------------------------


def test_firing_at_the_current_version_succeeds_and_bumps_it_by_one(app):
    mr = factories.move_request(status="submitted")
    before = audit_count()
    engine.fire(mr, "endorse", mr.sponsor, expected_version=1)
    assert (fresh(mr).status, fresh(mr).version) == ("endorsed", 2)
    assert audit_count() == before + 1
    assert events("request.endorse") == [(mr.sponsor_id, "move_request", mr.id)]


def _change_underneath(mr: MoveRequest, **values) -> None:
    with db.engine.begin() as other:
        other.execute(sa.update(MoveRequest).where(MoveRequest.id == mr.id).values(**values))


def test_a_version_bumped_meanwhile_loses_even_with_the_same_status(app):
    mr = factories.move_request(status="submitted")
    sponsor, seen = mr.sponsor, mr.version  # this process has read version 1
    before = audit_count()
    _change_underneath(mr, version=2)  # another process, status still "submitted"
    with pytest.raises(
        engine.Conflict, match="^Someone else changed this request while you were working on it\\."
    ):
        engine.fire(mr, "endorse", sponsor, expected_version=seen)
    assert (fresh(mr).status, fresh(mr).version, audit_count()) == ("submitted", 2, before)


def test_a_status_changed_meanwhile_loses_even_with_the_same_version(app):
    mr = factories.move_request(status="submitted")
    sponsor, seen = mr.sponsor, mr.version
    before = audit_count()
    _change_underneath(mr, status="returned")  # version left at 1
    with pytest.raises(
        engine.Conflict, match="^Someone else changed this request while you were working on it\\."
    ):
        engine.fire(mr, "endorse", sponsor, expected_version=seen)
    assert (fresh(mr).status, fresh(mr).version, audit_count()) == ("returned", 1, before)


def test_a_chair_does_not_record_a_review_between_meetings(app):
    chair = factories.user("board", "chair")
    mr, _ = live(factories.camera(), TODAY - 30 * DAY)
    data = {"reason": "Keep it up.", "review_due": TODAY + 60 * DAY}
    with pytest.raises(engine.Refused):
        engine.fire(mr, "continue_deployment", chair, data)
    assert (fresh(mr).review_due, fresh(mr).version) == (None, 1)
