"""Two people acting on one request at the same moment: exactly one wins
(DESIGN.md section 4, QUALITY.md INT-2)."""

import threading

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
    logged = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_id == request_id)
    ).all()
    assert logged == [f"request.{winner}"]
