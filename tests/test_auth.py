"""Signing in and out."""

import pytest
import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent
from tests import factories
from tests.test_request_pages import error_summary


def sign_in(client, email, password):
    return client.post("/sign-in", data={"email": email, "password": password})


def test_a_user_signs_in_and_lands_on_their_dashboard(app, client):
    user = factories.user("officer", email="olivia@example.org", name="Olivia")
    response = sign_in(client, " Olivia@Example.org ", factories.PASSWORD)
    assert response.headers["Location"] == "/"
    assert "Olivia" in client.get("/").get_data(as_text=True)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "auth.sign_in"))
    assert (event.actor_id, event.outcome) == (user.id, "success")


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(app, client):
    factories.user("officer", email="olivia@example.org")
    wrong = error_summary(sign_in(client, "olivia@example.org", "not the password at all"))
    unknown = error_summary(sign_in(client, "nobody@example.org", "not the password at all"))
    assert wrong == unknown == {"email": "Enter a correct email address and password"}
    outcomes = db.session.scalars(
        sa.select(AuditEvent.outcome).where(AuditEvent.action == "auth.sign_in")
    ).all()
    assert outcomes == ["failure", "failure"]
    assert all("not the password" not in e.detail for e in db.session.scalars(sa.select(AuditEvent)))


def test_a_deactivated_user_cannot_sign_in(app, client):
    factories.user("officer", email="gone@example.org", active=False)
    assert error_summary(sign_in(client, "gone@example.org", factories.PASSWORD))


def test_signing_out_ends_the_session_even_for_a_copied_cookie(app, client):
    factories.user("officer", email="olivia@example.org")
    sign_in(client, "olivia@example.org", factories.PASSWORD)
    copied = client.get_cookie("session").value
    assert client.get("/").status_code == 200
    assert client.post("/sign-out").headers["Location"] == "/sign-in"
    client.set_cookie("session", copied)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_the_sign_in_page_never_sends_people_to_another_site(app, client):
    factories.user("officer", email="olivia@example.org")
    response = client.post(
        "/sign-in?next=//evil.example.com/",
        data={"email": "olivia@example.org", "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_every_response_carries_the_security_headers(app, client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
        "script-src 'self' 'nonce-",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    # The one inline script carries this response's nonce.
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)


def test_an_unexpected_error_shows_a_plain_page_with_a_reference(app, client, login_as):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom-test")
    def boom():
        raise RuntimeError("SELECT secret FROM configuration")

    response = client.get("/boom-test")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "incident reference" in body and "SELECT" not in body and "Traceback" not in body


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\t/evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_no_next_address_leads_off_the_site(app, client, target):
    factories.user("officer", email="olivia@example.org")
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": "olivia@example.org", "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_a_local_next_address_is_followed(app, client):
    factories.user("officer", email="olivia@example.org")
    response = client.post(
        "/sign-in?next=/cameras", data={"email": "olivia@example.org", "password": factories.PASSWORD}
    )
    assert response.headers["Location"] == "/cameras"


def test_a_refused_page_is_written_to_the_audit_log(app, client, login_as):
    councillor = login_as("councillor")
    assert client.get("/meetings").status_code == 403
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "access.denied"))
    assert (event.actor_id, event.outcome, event.details["path"]) == (councillor.id, "refused", "/meetings")


def test_each_audit_event_carries_the_hash_of_the_one_before(app, client, login_as):
    login_as("councillor")
    client.get("/meetings")
    client.get("/requests")
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert len(events) == 2
    assert events[0].prev_hash == "" and events[1].prev_hash == events[0].hash
    assert all(e.hash == e.compute_hash() for e in events)
