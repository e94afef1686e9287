"""A camera taken out of service while the board books it (QUALITY.md
INT-1): the booking never lands after the camera went out of service."""

import threading
from datetime import date, timedelta

import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent, Camera, MoveRequest, User
from cctv_requests.services import register
from cctv_requests.workflow import engine
from tests import factories


def test_marking_a_camera_faulty_while_the_board_books_it_never_books_it_after(app, monkeypatch):
    chair = factories.user("board", "chair")
    members = [chair, factories.user("board"), factories.user("board")]
    coordinator = factories.user("coordinator")
    today = date.today()
    meeting = factories.meeting(today, status="in_session", attendees=members)
    camera = factories.camera()
    mr = factories.move_request(status="on_agenda")
    factories.agenda_item(meeting, mr)
    data = {
        "camera_id": camera.id,
        "start": today + timedelta(days=5),
        "end": today + timedelta(days=60),
        "votes_for": 3,
        "votes_against": 0,
    }
    ids = {"request": mr.id, "chair": chair.id, "coordinator": coordinator.id, "camera": camera.id}
    outcomes = {}
    # The worst moment: the decision has read the camera as in service and
    # its clashes, and the camera goes faulty before the booking is written.
    read, marked = threading.Event(), threading.Event()
    read_clashes = engine.clashes

    def clashes_then_wait(*args, **kwargs):
        found = read_clashes(*args, **kwargs)
        read.set()
        marked.wait(timeout=10)
        return found

    monkeypatch.setattr(engine, "clashes", clashes_then_wait)

    def approve():
        with app.app_context():
            loaded = db.session.get(MoveRequest, ids["request"])
            actor = db.session.get(User, ids["chair"])
            try:
                engine.fire(loaded, "approve", actor, data)
                outcomes["approve"] = "won"
            except (engine.Conflict, engine.Refused):
                outcomes["approve"] = "lost"
            finally:
                db.session.remove()

    def mark_faulty():
        with app.app_context():
            loaded = db.session.get(Camera, ids["camera"])
            actor = db.session.get(User, ids["coordinator"])
            read.wait(timeout=10)
            try:
                register.set_status(loaded, "faulty", "Modem failed", actor, "in_service")
                outcomes["faulty"] = "won"
            except register.RegisterRefused:
                outcomes["faulty"] = "lost"
            finally:
                marked.set()
                db.session.remove()

    threads = [threading.Thread(target=approve), threading.Thread(target=mark_faulty)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.expire_all()
    # The coordinator's change always stands: a camera found broken is broken.
    assert outcomes["faulty"] == "won"
    assert db.session.get(Camera, camera.id).service_status == "faulty"
    events = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.action.in_(("request.approve", "camera.status_changed")))
        .order_by(AuditEvent.id)
    ).all()  # fmt: skip
    booked = db.session.get(MoveRequest, mr.id)
    # The decision read the camera before it went faulty, so it loses rather
    # than book a camera that is out of service.
    assert outcomes["approve"] == "lost"
    assert events == ["camera.status_changed"]
    assert (booked.status, booked.approved_camera_id) == ("on_agenda", None)
