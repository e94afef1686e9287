"""Access, object loading, camera availability and the audit log, pinned
function by function so that every mutant of those modules fails a test
(QUALITY.md TEST-2, SEC-2, SEC-3, SEC-13).

Expected values are literal tables from DESIGN.md sections 2 and 3, dates and
references picked here, or a SHA-256 worked in the test from the documented
field order; none is computed by the code under test.
"""

import hashlib
import json
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin, login_user
from werkzeug.exceptions import Forbidden, NotFound

from cctv_requests import access, audit
from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent
from cctv_requests.move_requests import loaders
from cctv_requests.services import availability
from tests import factories
from tests.readers import audit_count

# --- helpers -------------------------------------------------------------------------------------


def denials() -> list[tuple]:
    """(actor, object type, object id, outcome, detail) of each access.denied event, oldest first."""
    e = AuditEvent
    query = sa.select(e.actor_id, e.object_type, e.object_id, e.outcome, e.detail).where(
        e.action == "access.denied"
    )
    return [tuple(row) for row in db.session.execute(query.order_by(e.id))]


@contextmanager
def signed_in(app, user, path="/x/y", method="GET"):
    """A request context for ``path`` with ``user`` as current_user (None: anonymous)."""
    with app.test_request_context(path, method=method):
        if user is not None:
            login_user(user)
        yield


def booking(camera, start, end, status="approved", **fields):
    return factories.move_request(
        status=status, approved_camera_id=camera.id, approved_start=start, approved_end=end, **fields
    )


def sha256_of(prev_hash, occurred_at, actor_id, action, object_type, object_id, outcome, detail) -> str:
    """The hash as models/audit.py documents it: the fields in this order, compact JSON."""
    fields = [prev_hash, occurred_at.isoformat(), actor_id, action, object_type, object_id, outcome, detail]
    return hashlib.sha256(json.dumps(fields, separators=(",", ":")).encode()).hexdigest()


# --- access.site_precision (DESIGN.md section 3) -------------------------------------------------


def test_each_viewer_sees_a_site_at_the_precision_design_section_3_gives(app):
    requester, sponsor = factories.user("officer"), factories.user("sponsor")
    mr = factories.move_request(requester=requester, sponsor=sponsor, status="submitted")
    councillor = factories.user("councillor")
    odd = factories.move_request(requester=councillor, status="submitted")
    viewers = {
        "anonymous": AnonymousUserMixin(),
        "coordinator": factories.user("coordinator"),
        "board": factories.user("board"),
        "chair": factories.user("chair"),
        "requester": requester,
        "named sponsor": sponsor,
        "other officer": factories.user("officer"),
        "other sponsor": factories.user("sponsor"),
        "councillor": councillor,
        "admin": factories.user("admin"),
        "no role": factories.user(),
    }
    got = {name: (access.site_precision(v, mr), access.site_precision(v)) for name, v in viewers.items()}
    assert got == {
        "anonymous": ("area", "area"),
        "coordinator": ("exact", "exact"),
        "board": ("exact", "exact"),
        "chair": ("exact", "exact"),
        "requester": ("exact", "street"),
        "named sponsor": ("exact", "street"),
        "other officer": ("street", "street"),
        "other sponsor": ("street", "street"),
        "councillor": ("area", "area"),
        "admin": ("area", "area"),
        "no role": ("area", "area"),
    }
    # The relation wins over the role: a councillor who filed a request sees its site exactly.
    assert access.site_precision(councillor, odd) == "exact"


# --- access.may_use, public, roles_required ------------------------------------------------------


def test_may_use_follows_the_roles_and_the_per_method_narrowing(app):
    officer, sponsor = factories.user("officer"), factories.user("sponsor")
    coordinator, nobody = factories.user("coordinator"), factories.user()
    both = factories.user("officer", "coordinator")
    narrowed = (("officer", "sponsor"), {"POST": ("sponsor",)})
    cases = [
        (nobody, "GET", (), {}, True),
        (nobody, "POST", (), {}, True),
        (officer, "GET", ("coordinator",), {}, False),
        (coordinator, "GET", ("coordinator",), {}, True),
        (nobody, "GET", ("officer", "sponsor"), {}, False),
        (officer, "GET", *narrowed, True),
        (officer, "POST", *narrowed, False),
        (sponsor, "GET", *narrowed, True),
        (sponsor, "POST", *narrowed, True),
        (both, "GET", ("coordinator",), {}, True),
        (both, "GET", ("sponsor",), {}, False),
        (both, "POST", ("officer", "coordinator"), {"POST": ("sponsor",)}, False),
    ]
    got = [access.may_use(u, method, roles, per) for u, method, roles, per, _ in cases]
    assert got == [expected for *_, expected in cases]


def test_public_marks_the_view_itself_as_public():
    def landing():
        return "hello"

    assert access.public(landing) is landing
    assert landing.access_policy == {"public": True}


def test_roles_required_records_the_roles_and_each_method_and_keeps_the_view_name():
    def endorse():
        return "ok"

    wrapped = access.roles_required("officer", "sponsor", POST=("sponsor",))(endorse)
    assert wrapped.access_policy == {"roles": ("officer", "sponsor"), "POST": ("sponsor",)}
    assert wrapped.__name__ == "endorse"
    signed_in_only = access.login_required(endorse)
    assert (signed_in_only.access_policy, signed_in_only.__name__) == ({"roles": ()}, "endorse")


@pytest.fixture
def probe(app):
    """A route officers and sponsors may GET and only sponsors may POST."""

    @access.roles_required("officer", "sponsor", POST=("sponsor",))
    def probe_view(n):
        return f"probe {n}"

    app.add_url_rule("/probe/<int:n>", "probe_view", probe_view, methods=["GET", "POST"])
    return app


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_audited(probe, client):
    response = client.get("/probe/3")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert denials() == []


def test_a_holder_of_an_allowed_role_reaches_the_view_with_its_arguments(probe, client, login_as):
    login_as("officer")
    assert client.get("/probe/3").get_data(as_text=True) == "probe 3"
    assert denials() == []


def test_a_sponsor_may_post_where_the_method_is_narrowed_to_sponsors(probe, client, login_as):
    login_as("sponsor")
    response = client.post("/probe/4")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "probe 4")


def test_an_officer_posting_where_only_sponsors_may_is_refused_and_audited(probe, client, login_as):
    officer = login_as("officer")
    assert client.post("/probe/5").status_code == 403
    assert denials() == [(officer.id, "route", None, "refused", '{"method": "POST", "path": "/probe/5"}')]


def test_a_role_not_named_at_all_is_refused(probe, client, login_as):
    councillor = login_as("councillor")
    assert client.get("/probe/6").status_code == 403
    assert denials() == [(councillor.id, "route", None, "refused", '{"method": "GET", "path": "/probe/6"}')]


# --- access.deny ---------------------------------------------------------------------------------


def test_deny_commits_one_refusal_event_and_aborts_with_403(app):
    user = factories.user("officer")
    with signed_in(app, user, "/x/y", "POST"), pytest.raises(Forbidden):
        access.deny()
    db.session.rollback()  # the event was committed by deny itself
    assert denials() == [(user.id, "route", None, "refused", '{"method": "POST", "path": "/x/y"}')]
    assert audit_count() == 1


def test_deny_for_an_anonymous_visitor_records_no_actor(app):
    with signed_in(app, None, "/a/b"), pytest.raises(Forbidden):
        access.deny()
    assert denials() == [(None, "route", None, "refused", '{"method": "GET", "path": "/a/b"}')]


# --- loaders.can_view (DESIGN.md sections 2 and 3; drafts are the requester's own) ---------------

STATES = ("draft", "withdrawn unsent", "withdrawn after sending", "submitted", "approved")
NEVER, SENT_ONLY, ALWAYS = (False,) * 5, (False, False, True, True, True), (True,) * 5


def test_who_may_view_a_request_in_each_state(app):
    requester, sponsor = factories.user("officer"), factories.user("sponsor")
    sent = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)

    def made(status, **fields):
        return factories.move_request(requester=requester, sponsor=sponsor, status=status, **fields)

    requests = [
        made("draft"),
        made("withdrawn", submitted_at=None),
        made("withdrawn", submitted_at=sent),
        made("submitted", submitted_at=sent),
        made("approved", submitted_at=sent),
    ]
    viewers = {
        "requester": requester,
        "named sponsor": sponsor,
        "other sponsor": factories.user("sponsor"),
        "other officer": factories.user("officer"),
        "coordinator": factories.user("coordinator"),
        "board": factories.user("board"),
        "chair": factories.user("chair"),
        "councillor": factories.user("councillor"),
        "admin": factories.user("admin"),
    }
    got = {name: tuple(loaders.can_view(v, mr) for mr in requests) for name, v in viewers.items()}
    sponsor.set_roles(("officer",))  # no longer a sponsor, still named on the requests
    db.session.commit()
    got["named sponsor without the role"] = tuple(loaders.can_view(sponsor, mr) for mr in requests)
    assert got == {
        "requester": ALWAYS,
        "named sponsor": SENT_ONLY,
        "other sponsor": NEVER,
        "other officer": NEVER,
        "coordinator": SENT_ONLY,
        "board": SENT_ONLY,
        "chair": SENT_ONLY,
        "councillor": NEVER,
        "admin": NEVER,
        "named sponsor without the role": NEVER,
    }


# --- loaders.get_move_request / get_own_request --------------------------------------------------


def test_an_unknown_request_id_is_404_and_not_audited(app):
    with signed_in(app, factories.user("coordinator")), pytest.raises(NotFound):
        loaders.get_move_request(999999)
    assert audit_count() == 0


def test_a_request_of_no_concern_to_the_user_is_refused_and_audited(app):
    mr = factories.move_request(status="submitted")
    officer = factories.user("officer")
    with signed_in(app, officer, f"/requests/{mr.id}"), pytest.raises(Forbidden):
        loaders.get_move_request(mr.id)
    path = f'"path": "/requests/{mr.id}"'
    assert denials() == [(officer.id, "route", None, "refused", '{"method": "GET", ' + path + "}")]


def test_a_request_the_user_may_view_is_returned(app):
    mr = factories.move_request(status="submitted")
    with signed_in(app, mr.sponsor):
        assert loaders.get_move_request(mr.id) is mr
    assert audit_count() == 0


def test_own_request_is_refused_to_the_named_sponsor_and_given_to_the_requester(app):
    mr = factories.move_request(status="submitted")
    with signed_in(app, mr.sponsor), pytest.raises(Forbidden):
        loaders.get_own_request(mr.id)
    assert [row[0] for row in denials()] == [mr.sponsor_id]
    with signed_in(app, mr.requester):
        assert loaders.get_own_request(mr.id) is mr
    assert len(denials()) == 1


# --- availability --------------------------------------------------------------------------------

MAR = {d: date(2027, 3, d) for d in range(1, 32)}


def test_a_booking_clashes_on_its_first_and_last_days_inclusive(app):
    camera = factories.camera()
    booking(camera, MAR[10], MAR[20], reference="CCTV-BND-1")
    assert availability.clashes(camera.id, MAR[20], MAR[25]) == ["CCTV-BND-1"]
    assert availability.clashes(camera.id, MAR[21], MAR[25]) == []
    assert availability.clashes(camera.id, MAR[1], MAR[10]) == ["CCTV-BND-1"]
    assert availability.clashes(camera.id, MAR[1], MAR[9]) == []
    assert availability.clashes(camera.id, MAR[12], MAR[13]) == ["CCTV-BND-1"]
    assert availability.clashes(camera.id, MAR[1], MAR[31]) == ["CCTV-BND-1"]


def test_only_approved_and_scheduled_requests_hold_a_camera(app):
    camera = factories.camera()
    statuses = ("live", "approved", "ended", "closed", "scheduled", "cancelled", "withdrawn")
    for status in (*statuses, "rejected", "on_agenda"):
        booking(camera, MAR[10], MAR[20], status=status, reference=f"CCTV-{status.upper()}")
    assert availability.clashes(camera.id, MAR[1], MAR[31]) == ["CCTV-APPROVED", "CCTV-SCHEDULED"]


def test_another_cameras_bookings_do_not_clash(app):
    mine, other = factories.camera(), factories.camera()
    booking(other, MAR[10], MAR[20], reference="CCTV-OTHER")
    assert availability.clashes(mine.id, MAR[1], MAR[31]) == []
    assert availability.clashes(other.id, MAR[1], MAR[31]) == ["CCTV-OTHER"]


def test_the_excluded_request_is_left_out_of_the_clashes(app):
    camera = factories.camera()
    mine = booking(camera, MAR[10], MAR[20], reference="CCTV-MINE")
    booking(camera, MAR[15], MAR[25], reference="CCTV-THEIRS")
    assert availability.clashes(camera.id, MAR[1], MAR[31], exclude_id=mine.id) == ["CCTV-THEIRS"]
    assert availability.clashes(camera.id, MAR[1], MAR[31]) == ["CCTV-MINE", "CCTV-THEIRS"]


def test_clashes_are_listed_by_reference(app):
    camera = factories.camera()
    for ref in ("CCTV-0003", "CCTV-0001", "CCTV-0002"):
        booking(camera, MAR[10], MAR[20], reference=ref)
    assert availability.clashes(camera.id, MAR[1], MAR[31]) == ["CCTV-0001", "CCTV-0002", "CCTV-0003"]


def test_open_deployments_are_only_those_not_removed_keyed_by_camera(app):
    a, b, c = factories.camera(), factories.camera(), factories.camera()
    open_a = factories.deployment(a, installed_on=MAR[1])
    factories.deployment(b, installed_on=MAR[1], removed_on=MAR[5])
    factories.deployment(c, installed_on=MAR[1], removed_on=MAR[5])
    open_c = factories.deployment(c, installed_on=MAR[6])
    got = {camera_id: d.id for camera_id, d in availability.open_deployments().items()}
    assert got == {a.id: open_a.id, c.id: open_c.id}


def test_bookings_are_grouped_by_camera_soonest_first(app):
    one, two = factories.camera(), factories.camera()
    booking(one, MAR[20], MAR[25], reference="CCTV-1-C")
    booking(one, MAR[1], MAR[5], status="scheduled", reference="CCTV-1-A")
    booking(two, MAR[12], MAR[14], reference="CCTV-2-A")
    booking(one, MAR[10], MAR[15], reference="CCTV-1-B")
    booking(one, date(2027, 2, 1), date(2027, 2, 5), status="live", reference="CCTV-LIVE")
    booking(two, MAR[2], MAR[3], status="on_agenda", reference="CCTV-AGENDA")
    got = {cam: [mr.reference for mr in rows] for cam, rows in availability.bookings().items()}
    assert got == {one.id: ["CCTV-1-A", "CCTV-1-B", "CCTV-1-C"], two.id: ["CCTV-2-A"]}


@pytest.fixture
def fleet(app):
    for name, status in (
        ("Camera Zeta", "in_service"),
        ("Camera Gamma", "retired"),
        ("Camera Alpha", "in_service"),
        ("Camera Beta", "faulty"),
        ("Camera Mu", "in_service"),
    ):
        factories.camera(name=name, service_status=status)


def test_cameras_in_service_are_only_those_in_service_by_name(fleet):
    names = [c.name for c in availability.cameras_in_service()]
    assert names == ["Camera Alpha", "Camera Mu", "Camera Zeta"]


def test_all_cameras_are_listed_by_name(fleet):
    names = [c.name for c in availability.all_cameras()]
    assert names == ["Camera Alpha", "Camera Beta", "Camera Gamma", "Camera Mu", "Camera Zeta"]


# --- audit.record --------------------------------------------------------------------------------


def test_record_adds_an_event_with_defaults_that_the_caller_must_commit(app):
    event = audit.record("x.y")
    assert event in db.session
    got = (event.actor_id, event.action, event.object_type, event.object_id, event.outcome, event.detail)
    assert got == (None, "x.y", "", None, "success", "{}")
    assert event.prev_hash == ""
    db.session.rollback()
    assert audit_count() == 0


def test_record_keeps_the_actor_object_and_outcome(app):
    user = factories.user("officer")
    audit.record("request.viewed", actor=user, object_type="move_request", object_id=7, outcome="refused")
    db.session.commit()
    db.session.expire_all()
    row = db.session.scalars(sa.select(AuditEvent)).one()
    got = (row.actor_id, row.action, row.object_type, row.object_id, row.outcome)
    assert got == (user.id, "request.viewed", "move_request", 7, "refused")


def test_record_writes_the_detail_as_json_with_sorted_keys_and_dates_as_text(app):
    event = audit.record("x.y", when=date(2027, 1, 2), b=1, a="z")
    assert event.detail == '{"a": "z", "b": 1, "when": "2027-01-02"}'


def test_record_stamps_the_time_in_utc(app):
    before = datetime.now(UTC)
    event = audit.record("x.y")
    after = datetime.now(UTC)
    assert event.occurred_at.utcoffset() == timedelta(0)
    assert before <= event.occurred_at <= after


def test_each_event_carries_the_hash_of_the_one_before(app):
    chain = []
    for action in ("a.one", "a.two", "a.three"):
        chain.append(audit.record(action))
        db.session.commit()
    assert [e.prev_hash for e in chain] == ["", chain[0].hash, chain[1].hash]
    assert len({e.hash for e in chain}) == 3


def test_the_hash_is_sha256_of_the_documented_fields(app):
    user = factories.user("officer")
    first = audit.record("a.first")
    db.session.commit()
    event = audit.record("request.viewed", actor=user, object_type="move_request", object_id=7, k="v")
    expected = sha256_of(
        first.hash, event.occurred_at, user.id, "request.viewed", "move_request", 7, "success", '{"k": "v"}'
    )
    assert event.hash == expected
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(AuditEvent, event.id)  # the stored time gives the same hash back
    assert (row.hash, row.compute_hash()) == (expected, expected)


BASE = dict(
    prev_hash="ab" * 32,
    occurred_at=datetime(2027, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
    actor_id=3,
    action="request.viewed",
    object_type="move_request",
    object_id=7,
    outcome="success",
    detail='{"k": "v"}',
)


@pytest.mark.parametrize(
    "field,value",
    [
        ("action", "request.edited"),
        ("detail", '{"k": "w"}'),
        ("outcome", "refused"),
        ("object_id", 8),
        ("actor_id", 4),
        ("object_type", "meeting"),
        ("prev_hash", "cd" * 32),
        ("occurred_at", datetime(2027, 1, 2, 3, 4, 6, tzinfo=UTC)),
    ],
)
def test_changing_any_one_field_changes_the_hash(field, value):
    base = AuditEvent(**BASE)
    changed = AuditEvent(**{**BASE, field: value})
    assert base.compute_hash() == sha256_of(*BASE.values())
    assert changed.compute_hash() == sha256_of(*{**BASE, field: value}.values())
    assert changed.compute_hash() != base.compute_hash()
