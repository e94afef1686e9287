"""Board meetings through the web pages: planning, running, deciding."""

from datetime import date, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from cctv_requests.extensions import db
from cctv_requests.models import AgendaItem, Interest, Meeting, MoveRequest
from tests import factories
from tests.test_request_pages import date_fields, error_summary, page

TODAY = date.today()


def test_the_coordinator_plans_a_meeting_with_its_cut_off(app, client, login_as):
    login_as("coordinator")
    # Wednesday 5 March 2031, worked by hand: ten working days before is
    # Wednesday 19 February; five clear working days (26, 27, 28 February,
    # 3 and 4 March) leave Tuesday 25 February for publication.
    day = date(2031, 3, 5)
    response = client.post("/meetings", data=MultiDict([*date_fields("meets_on", day), ("quorum", "4")]))
    meeting = db.session.scalar(sa.select(Meeting))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert (meeting.meets_on, meeting.quorum, meeting.status, meeting.kind) == (
        day,
        4,
        "planned",
        "extraordinary",
    )
    assert (meeting.cutoff_on, meeting.publish_on) == (date(2031, 2, 19), date(2031, 2, 25))
    again = client.post("/meetings", data=MultiDict([*date_fields("meets_on", day), ("quorum", "3")]))
    assert error_summary(again) == {"meets_on-day": "There is already a meeting on that date"}


def test_a_meeting_in_the_past_or_without_a_quorum_is_refused(app, client, login_as):
    login_as("coordinator")
    past = client.post(
        "/meetings", data=MultiDict([*date_fields("meets_on", TODAY - timedelta(days=1)), ("quorum", "")])
    )
    assert error_summary(past) == {"quorum": "Enter the quorum"}
    past = client.post(
        "/meetings", data=MultiDict([*date_fields("meets_on", TODAY - timedelta(days=1)), ("quorum", "3")])
    )
    assert error_summary(past) == {"meets_on-day": "Meeting date must be today or in the future"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_the_chair_runs_a_meeting_and_approves_an_item(app, client, login_as):
    chair = factories.user("board", "chair", name="Chair")
    members = [chair, factories.user("board"), factories.user("board")]
    meeting = factories.meeting(TODAY, status="published")
    mr = factories.move_request(status="on_agenda", title="Canal path burglaries")
    factories.agenda_item(meeting, mr)
    camera = factories.camera(name="Camera 9")
    login_as(user=chair)
    assert "Approve" not in page(client.get(f"/meetings/{meeting.id}")).get_text()
    client.post(f"/meetings/{meeting.id}/open")
    client.post(f"/meetings/{meeting.id}/attendance", data=MultiDict([("present", m.id) for m in members]))
    shown = page(client.get(f"/meetings/{meeting.id}"))
    assert "3 recorded as present" in shown.get_text()
    approve = next(a for a in shown.select("a.govuk-button") if a.get_text().startswith("Approve"))
    assert approve["href"] == f"/requests/{mr.id}/approve?meeting={meeting.id}"
    form = MultiDict(
        [
            ("version", mr.version),
            ("camera_id", camera.id),
            *date_fields("start", TODAY + timedelta(days=7)),
            *date_fields("end", TODAY + timedelta(days=70)),
            ("votes_for", "3"),
            ("votes_against", "0"),
            ("votes_abstain", "0"),
            ("reason", "Strong evidence."),
        ]
    )
    response = client.post(approve["href"], data=form)
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    db.session.expire_all()
    item = db.session.scalar(sa.select(AgendaItem))
    assert (item.outcome, item.votes_for, item.decided_by_id) == ("approved", 3, chair.id)
    decided = db.session.get(MoveRequest, mr.id)
    assert (decided.status, decided.approved_camera_id) == ("approved", camera.id)
    assert "Approved: Camera 9 (" in page(client.get(f"/meetings/{meeting.id}")).get_text(" ", strip=True)
    assert "Strong evidence. (for 3, against 0, abstained 0)" in page(
        client.get(f"/meetings/{meeting.id}")
    ).get_text(" ", strip=True)


def test_a_member_declares_an_interest_and_loses_the_decision_buttons(app, client, login_as):
    chair = factories.user("board", "chair")
    members = [chair, factories.user("board"), factories.user("board")]
    meeting = factories.meeting(TODAY, status="in_session", attendees=members)
    mr = factories.move_request(status="on_agenda")
    item = factories.agenda_item(meeting, mr)
    login_as(user=chair)
    empty = client.post(f"/meetings/{meeting.id}/items/{item.id}/interest", data={"note": ""})
    assert error_summary(empty) == {"note": "Describe your interest"}
    client.post(f"/meetings/{meeting.id}/items/{item.id}/interest", data={"note": "My sister lives there"})
    assert db.session.scalar(sa.select(Interest.note)) == "My sister lives there"
    shown = page(client.get(f"/meetings/{meeting.id}")).get_text()
    assert "My sister lives there" in shown
    assert f"/requests/{mr.id}/approve" not in str(page(client.get(f"/meetings/{meeting.id}")))


def test_a_board_member_reads_but_cannot_run_the_meeting(app, client, login_as):
    meeting = factories.meeting(TODAY)
    login_as("board")
    assert "Start the meeting" not in page(client.get(f"/meetings/{meeting.id}")).get_text()
    assert client.post(f"/meetings/{meeting.id}/open").status_code == 403
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "planned"


def test_no_interest_can_be_declared_on_a_decided_item(app, client, login_as):
    meeting = factories.meeting(TODAY, status="in_session")
    mr = factories.move_request(status="rejected")
    item = factories.agenda_item(meeting, mr, outcome="rejected")
    login_as("board")
    response = client.post(f"/meetings/{meeting.id}/items/{item.id}/interest", data={"note": "Too late"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interest)) == 0
