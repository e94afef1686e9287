"""SEC-5: every state-changing route refuses a request without a valid CSRF
token, and no GET changes anything."""

import pytest
import sqlalchemy as sa

from cctv_requests.extensions import db
from tests import scene as scenes
from tests.conftest import config_for
from tests.scene import VIEWERS
from tests.test_access_matrix import MATRIX

POSTS = [(endpoint, url, expected) for endpoint, method, url, _form, expected in MATRIX if method == "POST"]
GETS = [url for _endpoint, method, url, _form, _expected in MATRIX if method == "GET"]


@pytest.fixture
def app_config(database_url):
    return config_for(database_url, WTF_CSRF_ENABLED=True)


def _allowed_viewer(expected: dict) -> str:
    return next(v for v in VIEWERS if expected[v] in (200, 302))


@pytest.mark.parametrize("endpoint,url,expected", POSTS, ids=[p[0] for p in POSTS])
def test_a_post_without_a_csrf_token_is_refused(app, client, login_as, endpoint, url, expected):
    world = scenes.build()
    viewer = _allowed_viewer(expected)
    if viewer != "anonymous":
        login_as(user=world.users[viewer])
    response = client.post(url.format(**world.ids), data={"reason": "x", "note": "x"})
    assert response.status_code == 400
    assert "Your session has expired or the form was not sent properly" in response.get_data(as_text=True)


def _snapshot() -> dict:
    """Every row of every table but the audit log (reading is audited)."""
    tables = [t for t in db.metadata.sorted_tables if t.name != "audit_events"]
    with db.engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr) for t in tables}


def test_no_get_changes_state(app, client, login_as):
    world = scenes.build()
    before = _snapshot()
    for viewer in VIEWERS:
        with client.session_transaction() as session:
            session.clear()
        if viewer != "anonymous":
            login_as(user=world.users[viewer])
        for url in GETS:
            client.get(url.format(**world.ids)).close()
    assert _snapshot() == before
