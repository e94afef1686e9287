"""Two people acting on one request at the same moment: exactly one wins
(DESIGN.md section 4, QUALITY.md INT-2)."""

import threading
from datetime import date, timedelta

import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent, MoveRequest, User
from cctv_requests.workflow import engine
from tests import factories


def test_endorse_and_decline_at_once_leave_one_decision(app):
    mr = factories.move_request(status="submitted")
    request_id, sponsor_id = mr.id, mr.sponsor_id
    # Both load the request before either acts.
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(trigger, data):
        with app.app_context():
            loaded = db.session.get(MoveRequest, request_id)
            actor = db.session.get(User, sponsor_id)
            loaded.status  # noqa: B018 (load before waiting)
            barrier.wait()
            try:
                engine.fire(loaded, trigger, actor, data)
                outcomes[trigger] = "won"
            except engine.Conflict:
                outcomes[trigger] = "conflict"
            except engine.Refused:
                outcomes[trigger] = "refused"
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=act, args=("endorse", {})),
        threading.Thread(target=act, args=("decline", {"reason": "Not a priority"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "won"]
    db.session.expire_all()
    final = db.session.get(MoveRequest, request_id)
    winner = next(t for t, o in outcomes.items() if o == "won")
    assert final.status == {"endorse": "endorsed", "decline": "not_sponsored"}[winner]
    assert final.version == 2
    logged = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == request_id)).all()
    assert logged == [f"request.{winner}"]


def test_two_approvals_of_one_camera_at_once_give_one_booking(app):
    chair_one = factories.user("board", "chair")
    chair_two = factories.user("board", "chair")
    members = [chair_one, chair_two, factories.user("board")]
    today = date.today()
    meeting = factories.meeting(today, status="in_session", attendees=members)
    camera = factories.camera()
    requests = []
    for _ in range(2):
        mr = factories.move_request(status="on_agenda")
        factories.agenda_item(meeting, mr)
        requests.append(mr.id)
    data = {
        "camera_id": camera.id,
        "start": today + timedelta(days=5),
        "end": today + timedelta(days=60),
        "votes_for": 3,
        "votes_against": 0,
    }
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(request_id, chair_id):
        with app.app_context():
            loaded = db.session.get(MoveRequest, request_id)
            chair = db.session.get(User, chair_id)
            loaded.status  # noqa: B018
            barrier.wait()
            try:
                engine.fire(loaded, "approve", chair, data)
                outcomes.append("won")
            except (engine.Conflict, engine.Refused):
                outcomes.append("lost")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=approve, args=(requests[0], chair_one.id)),
        threading.Thread(target=approve, args=(requests[1], chair_two.id)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["lost", "won"]
    db.session.expire_all()
    booked = db.session.scalars(
        sa.select(MoveRequest.id).where(MoveRequest.approved_camera_id == camera.id)
    ).all()
    assert len(booked) == 1


def test_two_agenda_builds_at_once_place_each_request_and_review_once(app):
    """Two endorsements finishing together both build the agendas: each
    endorsed request is placed once and each due review added once, and
    neither build fails (DESIGN.md section 6)."""
    from cctv_requests.models import AgendaItem
    from cctv_requests.services import agendas

    today = date.today()
    meeting = factories.meeting(today + timedelta(days=40))
    waiting = [factories.move_request(status="endorsed").id for _ in range(3)]
    live = factories.move_request(status="live", review_due=today + timedelta(days=10))
    barrier = threading.Barrier(2)
    failures = []

    def build():
        with app.app_context():
            barrier.wait()
            try:
                agendas.build(today)
            except Exception as exc:  # the test reports any failure
                failures.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    db.session.expire_all()
    items = db.session.execute(
        sa.select(AgendaItem.move_request_id, AgendaItem.kind).where(AgendaItem.meeting_id == meeting.id)
    ).all()
    assert sorted(items) == sorted([(i, "request") for i in waiting] + [(live.id, "review")])
    placed = db.session.scalars(sa.select(MoveRequest.status).where(MoveRequest.id.in_(waiting))).all()
    assert placed == ["on_agenda"] * 3
