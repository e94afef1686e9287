"""Who sees what of a request: drafts are the requester's own, views of
exact locations and board papers are audited, and a user with no part in a
request is refused (DESIGN.md sections 2 and 3, QUALITY.md SEC-3, SEC-13).
"""

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent, MoveRequest
from cctv_requests.workflow import engine
from tests import factories
from tests.readers import events, page

TODAY = date.today()
DAY = timedelta(days=1)


# --- 3. drafts are the requester's own ----------------------------------------------------------

OTHERS = ("other_officer", "named_sponsor", "coordinator", "board", "chair", "councillor", "admin")
CAN_LIST = ("other_officer", "named_sponsor", "coordinator", "board", "chair")


def person(kind: str, mr: MoveRequest):
    if kind == "requester":
        return mr.requester
    if kind == "named_sponsor":
        return mr.sponsor
    if kind == "other_officer":
        return factories.user("officer")
    if kind == "other_sponsor":
        return factories.user("sponsor")
    if kind == "chair":
        return factories.user("board", "chair")
    return factories.user(kind)


def listed(client, url) -> list[str]:
    return [a.get_text(strip=True) for a in page(client.get(url)).select("tbody a")]


@pytest.mark.parametrize("viewer", OTHERS)
def test_a_draft_is_not_listed_for_anyone_but_its_requester(app, client, login_as, viewer):
    draft = factories.move_request(status="draft")
    sent = factories.move_request(requester=draft.requester, sponsor=draft.sponsor, status="submitted")
    login_as(user=person(viewer, draft))
    for url in ("/requests", "/requests?status=draft"):
        response = client.get(url)
        assert response.status_code == (200 if viewer in CAN_LIST else 403)
        assert draft.reference not in page(response).get_text()
    # The list itself works: a sent request shows for those with business in it.
    expected = [sent.reference] if viewer in ("named_sponsor", "coordinator", "board", "chair") else []
    assert (listed(client, "/requests") if viewer in CAN_LIST else []) == expected


@pytest.mark.parametrize("viewer", OTHERS)
def test_a_draft_page_is_refused_to_anyone_but_its_requester(app, client, login_as, viewer):
    draft = factories.move_request(status="draft")
    login_as(user=person(viewer, draft))
    response = client.get(f"/requests/{draft.id}")
    assert response.status_code == 403
    text = page(response).get_text()
    assert draft.reference not in text and factories.EXACT_MARK not in text


@pytest.mark.parametrize("viewer", OTHERS)
def test_a_draft_withdrawn_before_it_was_sent_stays_private(app, client, login_as, viewer):
    draft = factories.move_request(status="draft")
    engine.fire(draft, "withdraw", draft.requester, {"reason": "Filed by mistake"})
    login_as(user=person(viewer, draft))
    if viewer in CAN_LIST:
        for url in ("/requests", "/requests?status=withdrawn"):
            assert draft.reference not in page(client.get(url)).get_text()
    assert client.get(f"/requests/{draft.id}").status_code == 403


def test_a_request_withdrawn_after_it_was_sent_stays_visible_to_its_sponsor(app, client, login_as):
    mr = factories.move_request(status="draft")
    engine.fire(mr, "submit", mr.requester)
    engine.fire(mr, "withdraw", mr.requester, {"reason": "Problem solved"})
    login_as(user=mr.sponsor)
    assert listed(client, "/requests?status=withdrawn") == [mr.reference]
    assert client.get(f"/requests/{mr.id}").status_code == 200


def test_the_requester_sees_their_draft_listed_and_on_its_page(app, client, login_as):
    draft = factories.move_request(status="draft", title="My half-written request")
    login_as(user=draft.requester)
    assert listed(client, "/requests") == [draft.reference]
    assert listed(client, "/requests?status=draft") == [draft.reference]
    shown = page(client.get(f"/requests/{draft.id}"))
    assert shown.h1.get_text(strip=True) == "My half-written request"


# --- 4. audit of exact locations and board papers -----------------------------------------------


@pytest.mark.parametrize("viewer", ["requester", "named_sponsor", "coordinator", "board", "chair"])
def test_the_request_page_audits_each_view_of_its_exact_location(app, client, login_as, viewer):
    mr = factories.move_request(status="submitted")
    user = login_as(user=person(viewer, mr))
    response = client.get(f"/requests/{mr.id}")
    assert response.status_code == 200
    assert factories.EXACT_MARK in page(response).get_text()
    assert events("site.viewed_exact") == [(user.id, "move_request", mr.id)]
    detail = db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "site.viewed_exact"))
    assert json.loads(detail) == {"site_id": mr.site_id}


def test_check_answers_and_the_site_section_audit_the_exact_location(app, client, login_as):
    mr = factories.move_request(status="draft")
    requester = login_as(user=mr.requester)
    check = client.get(f"/requests/{mr.id}/check-answers")
    assert factories.EXACT_MARK in page(check).get_text()
    form = page(client.get(f"/requests/{mr.id}/tasks/site"))
    assert form.select_one("textarea#exact_location").get_text(strip=True) == factories.EXACT_MARK
    assert events("site.viewed_exact") == [(requester.id, "move_request", mr.id)] * 2
    # The other sections do not show the exact location, so record no view of it.
    for section in ("problem", "evidence", "alternatives", "period", "urgency", "privacy", "cost"):
        shown = client.get(f"/requests/{mr.id}/tasks/{section}")
        assert shown.status_code == 200
        assert factories.EXACT_MARK not in shown.get_data(as_text=True), section
    assert events("site.viewed_exact") == [(requester.id, "move_request", mr.id)] * 2


def test_an_action_page_audits_the_exact_location_for_the_named_sponsor(app, client, login_as):
    mr = factories.move_request(status="submitted")
    sponsor = login_as(user=mr.sponsor)
    response = client.get(f"/requests/{mr.id}/endorse")
    assert response.status_code == 200
    assert factories.EXACT_MARK in page(response).get_text()
    assert events("site.viewed_exact") == [(sponsor.id, "move_request", mr.id)]


def test_the_camera_pages_audit_the_coordinators_exact_view(app, client, login_as):
    camera = factories.camera()
    factories.deployment(camera)
    coordinator = login_as("coordinator")
    assert factories.EXACT_MARK in page(client.get("/cameras")).get_text()
    assert factories.EXACT_MARK in page(client.get(f"/cameras/{camera.id}")).get_text()
    assert events("site.viewed_exact") == [
        (coordinator.id, "camera", None),
        (coordinator.id, "camera", camera.id),
    ]


def test_the_meeting_page_audits_that_its_papers_were_viewed(app, client, login_as):
    meeting = factories.meeting(TODAY + 30 * DAY)
    mr = factories.move_request(status="on_agenda")
    factories.agenda_item(meeting, mr)
    member = login_as("board")
    response = client.get(f"/meetings/{meeting.id}")
    assert mr.reference in page(response).get_text()
    assert events("meeting.papers_viewed") == [(member.id, "meeting", meeting.id)]


@pytest.mark.parametrize("role", ["officer", "sponsor"])
def test_camera_pages_at_street_precision_write_no_exact_view(app, client, login_as, role):
    camera = factories.camera()
    factories.deployment(camera, factories.site(street="Church Lane"))
    login_as(role)
    for url in ("/cameras", f"/cameras/{camera.id}"):
        text = page(client.get(url)).get_text()
        assert "Church Lane" in text and factories.EXACT_MARK not in text
    assert events("site.viewed_exact") == []


# --- 7. object-level refusals (SEC-3) -----------------------------------------------------------


@pytest.mark.parametrize("viewer", ["other_officer", "other_sponsor"])
def test_a_request_page_is_refused_and_audited_for_an_officer_or_sponsor_with_no_part(
    app, client, login_as, viewer
):
    mr = factories.move_request(status="submitted")
    user = login_as(user=person(viewer, mr))
    for url in (f"/requests/{mr.id}", f"/requests/{mr.id}/withdraw"):
        response = client.get(url)
        assert response.status_code == 403
        assert factories.EXACT_MARK not in page(response).get_text()
    refusals = db.session.execute(
        sa.select(AuditEvent.actor_id, AuditEvent.outcome, AuditEvent.detail)
        .where(AuditEvent.action == "access.denied")
        .order_by(AuditEvent.id)
    ).all()
    assert [(a, o, json.loads(d)["path"]) for a, o, d in refusals] == [
        (user.id, "refused", f"/requests/{mr.id}"),
        (user.id, "refused", f"/requests/{mr.id}/withdraw"),
    ]
    assert events("site.viewed_exact") == []
