"""Random, missing, repeated and oversized values in the forms never cause a
server error, and a refused form changes nothing (QUALITY.md INP-1)."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent, MoveRequest, Site
from tests import factories

# The request form's pages: the first page, then one page per section of the
# task list (the GOV.UK "complete multiple tasks" pattern).
SECTIONS = ["problem", "site", "evidence", "alternatives", "period", "urgency", "privacy", "cost"]
# Every answer the pages ask for, the hidden fields and the buttons, any of
# which may be sent to any page.
REQUEST_FIELDS = [
    "title", "ward_id", "site_id", "problem", "purposes", "pressing_need", "priority_id", "existing_site_id",
    "street", "exact_location", "latitude", "longitude", "view_description", "mounting", "site_readiness",
    "crime_count", "asb_count", "baseline_start", "baseline_end", "intelligence_sources",
    "intelligence_summary", "alternatives", "wanted_start", "duration_weeks", "camera_preference_id",
    "urgency", "urgent_ground", "urgent_explanation", "overt_confirmed", "dpia_reference", "signage_plan",
    "privacy_masking", "estimated_cost", "sponsor_id", "version", "save_continue", "save_later",
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
            "1",
            "1,250.50",
            "lamp_column",
            "risk_of_harm",
            "police",
            "power",
        ]
    ),  # fmt: skip
)


def form_data(names):
    return st.lists(st.tuples(st.sampled_from(names), values), max_size=25).map(MultiDict)


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _stored() -> tuple:
    """Every request and site as stored, and how many request events the
    audit log holds."""
    return (
        db.session.execute(sa.select(MoveRequest.__table__).order_by(MoveRequest.id)).all(),
        db.session.execute(sa.select(Site.__table__).order_by(Site.id)).all(),
        db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action.like("request.%"))),
    )


def _seed(app, login_as):
    """Once per test: the district, an officer signed in, and a draft of theirs."""
    if not getattr(app, "_seeded", False):
        factories.district()
        app._officer = login_as("officer")
        app._draft_id = factories.move_request(requester=app._officer, sections_saved="").id
        app._seeded = True
    return app._draft_id


@SETTINGS
@given(data=form_data(REQUEST_FIELDS))
def test_the_first_page_never_fails_on_bad_input(app, client, login_as, data):
    _seed(app, login_as)
    db.session.expire_all()
    before = _stored()
    response = client.post("/requests/new", data=data)
    assert response.status_code in (200, 302)
    db.session.expire_all()
    after = _stored()
    if response.status_code == 200:
        assert after == before
    else:
        # Exactly one new draft; nothing else changed.
        assert after[0][:-1] == before[0] and len(after[0]) == len(before[0]) + 1
        assert after[1][: len(before[1])] == before[1]
        assert after[2] == before[2] + 1


@pytest.mark.parametrize("section", SECTIONS)
@settings(SETTINGS, max_examples=25)
@given(
    data=form_data(REQUEST_FIELDS),
    button=st.sampled_from(["save_continue", "save_later", "both", "none"]),
    # None: the version the page was opened at, so the answers are read and
    # not refused as out of date; else a version out of date or malformed.
    sent_version=st.one_of(st.sampled_from([None, None, None, "", "-1", "99999999999999999999"]), values),
)
def test_every_section_page_never_fails_on_bad_input(
    app, client, login_as, data, section, button, sent_version
):
    draft_id = _seed(app, login_as)
    db.session.expire_all()
    before = _stored()
    version = db.session.get(MoveRequest, draft_id).version
    items = list(data.items(multi=True))
    items.insert(0, ("version", str(version) if sent_version is None else sent_version))
    if button in ("save_continue", "both"):
        items.append(("save_continue", "Save and continue"))
    if button in ("save_later", "both"):
        items.append(("save_later", "Save and come back later"))
    response = client.post(f"/requests/{draft_id}/tasks/{section}", data=MultiDict(items))
    assert response.status_code in (200, 302)
    db.session.expire_all()
    after = _stored()
    if response.status_code == 200:
        assert after == before
    else:
        saved = db.session.get(MoveRequest, draft_id)
        assert (saved.status, saved.requester_id) == ("draft", app._officer.id)
        # Either saved, once, or refused as out of date with nothing changed.
        assert saved.version in (version, version + 1)
        if saved.version == version:
            assert after == before
        else:
            assert after[2] == before[2] + 1
            others = [row for row in after[0] if row.id != draft_id]
            assert others == [row for row in before[0] if row.id != draft_id]


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


BEYOND_ANY_ROW = "99999999999999999999"


@pytest.mark.parametrize(
    "role, path, expected",
    [
        ("officer", f"/requests/{BEYOND_ANY_ROW}", 404),
        ("officer", f"/requests/{BEYOND_ANY_ROW}/tasks/site", 404),
        ("coordinator", f"/cameras/{BEYOND_ANY_ROW}", 404),
        ("coordinator", f"/meetings/{BEYOND_ANY_ROW}", 404),
        ("officer", f"/requests?page={BEYOND_ANY_ROW}", 200),
        ("admin", f"/admin/users?page={BEYOND_ANY_ROW}", 200),
    ],
)
def test_a_number_beyond_any_row_is_not_found_rather_than_an_error(
    app, client, login_as, role, path, expected
):
    # Ids and page numbers past a 32-bit integer never reach the database.
    login_as(role)
    assert client.get(path).status_code == expected


def test_a_version_beyond_any_row_is_out_of_date_on_the_sponsor_change(app, client, login_as):
    mr = factories.move_request(status="submitted")
    other = factories.user("sponsor", name="Another Sponsor")
    login_as("coordinator")
    response = client.post(
        f"/requests/{mr.id}/sponsor", data={"version": BEYOND_ANY_ROW, "sponsor_id": other.id}
    )
    assert response.status_code == 302
    assert db.session.get(MoveRequest, mr.id).sponsor_id != other.id
