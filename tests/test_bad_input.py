"""Random, missing, repeated and oversized values in the forms never cause a
server error, and a refused form changes nothing (QUALITY.md INP-1)."""

from datetime import date, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent, MoveRequest
from cctv_requests.move_requests.forms import MoveRequestForm
from tests import factories

REQUEST_FIELDS = [name for name in MoveRequestForm.__dict__ if not name.startswith("_")] + [
    "ward_id", "street", "title", "purposes", "baseline_start", "estimated_cost", "sponsor_id", "latitude",
]  # fmt: skip
ACTION_FIELDS = [
    "version", "reason", "camera_id", "start", "end", "votes_for", "meeting_id", "installation_date",
    "installer", "installation_cost", "installed_on", "dpia_reference", "signage_confirmed", "review_due",
]  # fmt: skip

values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["a" * 6000, "\u00e9\u2603 " * 2000]),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "NaN",
            "Infinity",
            "1e309",
            "99999999999999999999",
            "31",
            "2",
            "2027",
            "\x00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "y",
            "urgent",
            "deter",
        ]
    ),  # fmt: skip
)


def form_data(names):
    return st.lists(st.tuples(st.sampled_from(names), values), max_size=25).map(MultiDict)


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _unchanged_counts():
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(MoveRequest)),
        db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action.like("request.%"))),
    )


@SETTINGS
@given(data=form_data(REQUEST_FIELDS))
def test_the_request_form_never_fails_on_bad_input(app, client, login_as, data):
    if not getattr(app, "_seeded", False):
        factories.district()
        app._officer = login_as("officer")
        app._seeded = True
    before = _unchanged_counts()
    data.setdefault("continue_", "Continue")
    response = client.post("/requests/new", data=data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _unchanged_counts() == before


@SETTINGS
@given(data=form_data(ACTION_FIELDS), action=st.sampled_from(["return-for-changes", "endorse", "decline"]))
def test_the_sponsor_actions_never_fail_on_bad_input(app, client, login_as, data, action):
    mr = factories.move_request(status="submitted")
    login_as(user=mr.sponsor)
    response = client.post(f"/requests/{mr.id}/{action}", data=data)
    assert response.status_code in (200, 302)
    db.session.expire_all()
    if response.status_code == 200:
        assert db.session.get(MoveRequest, mr.id).status == "submitted"


@SETTINGS
@given(data=form_data(ACTION_FIELDS))
def test_the_installation_forms_never_fail_on_bad_input(app, client, login_as, data):
    coordinator = getattr(app, "_coordinator", None) or login_as("coordinator")
    app._coordinator = coordinator
    camera = factories.camera()
    today = date.today()
    mr = factories.move_request(
        status="approved",
        approved_camera_id=camera.id,
        approved_start=today,
        approved_end=today + timedelta(days=50),
    )
    response = client.post(f"/requests/{mr.id}/schedule-installation", data=data)
    assert response.status_code in (200, 302)
    db.session.expire_all()
    if response.status_code == 200:
        assert db.session.get(MoveRequest, mr.id).status == "approved"


def test_a_body_over_the_limit_is_refused_with_413(app, client, login_as):
    login_as("officer")
    response = client.post("/requests/new", data={"title": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MoveRequest)) == 0
