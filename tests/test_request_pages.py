"""The request form, check your answers, the request page and its actions,
driven through the web pages."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from cctv_requests.extensions import db
from cctv_requests.models import MoveRequest
from tests import factories
from tests.readers import page

TODAY = date.today()


def error_summary(response) -> dict[str, str]:
    """The error summary's links: target id to message."""
    summary = page(response).select_one(".govuk-error-summary")
    assert summary is not None, "no error summary"
    return {a["href"].lstrip("#"): a.get_text(strip=True) for a in summary.select("a")}


def date_fields(name: str, day: date) -> list[tuple[str, str]]:
    return [(name, str(day.day)), (name, str(day.month)), (name, str(day.year))]


def complete_form(ward, sponsor, priority, **overrides) -> MultiDict:
    fields = {
        "version": "",
        "ward_id": str(ward.id),
        "street": "Bridge Street",
        "exact_location": "Lamp column 4 by the bus stop",
        "view_description": "The bus shelter",
        "mounting": "lamp_column",
        "title": "Graffiti and damage at the bus station",
        "problem": "Repeated damage to the shelters.",
        "pressing_need": "The shelters have been smashed three times this month.",
        "priority_id": str(priority.id),
        "crime_count": "9",
        "asb_count": "21",
        "intelligence_summary": "Local youths named by the ASB group.",
        "alternatives": "Extra patrols in the summer.",
        "duration_weeks": "10",
        "camera_preference_id": "0",
        "urgency": "routine",
        "overt_confirmed": "y",
        "dpia_reference": "DPIA-77",
        "signage_plan": "Signs on both shelters.",
        "privacy_masking": "",
        "estimated_cost": "725.50",
        "sponsor_id": str(sponsor.id),
        "continue_": "Continue",
    }
    fields.update(overrides)
    items = [(k, v) for k, v in fields.items() if v is not None]
    items += [("purposes", "deter"), ("purposes", "detect"), ("intelligence_sources", "asb_group")]
    items += date_fields("baseline_start", TODAY - timedelta(days=120))
    items += date_fields("baseline_end", TODAY - timedelta(days=2))
    items += date_fields("wanted_start", TODAY + timedelta(days=20))
    return MultiDict(items)


def count_requests() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(MoveRequest))


def test_an_empty_form_names_every_missing_answer_and_saves_nothing(app, client, login_as):
    factories.district()
    login_as("officer")
    response = client.post("/requests/new", data={"continue_": "Continue", "ward_id": "0"})
    assert response.status_code == 200
    assert page(response).title.get_text().startswith("Error: Request a camera move")
    errors = error_summary(response)
    assert errors["ward_id"] == "Select the ward"
    assert errors["title"] == "Enter a short title"
    assert errors["exact_location"] == "Enter the exact location"
    assert errors["sponsor_id"] == "Select the sponsor you have approached"
    # The summary follows the order of the questions on the page.
    assert list(errors)[:4] == ["ward_id", "street", "exact_location", "title"]
    assert list(errors)[-1] == "sponsor_id"
    assert count_requests() == 0


def test_badly_formed_answers_are_named_and_nothing_is_saved(app, client, login_as):
    district = factories.district()
    sponsor = factories.user("sponsor")
    login_as("officer")
    form = complete_form(
        district["wards"][0], sponsor, factories.priority(), crime_count="lots", estimated_cost="£ten"
    )
    form.setlist("wanted_start", ["31", "2", "2027"])
    errors = error_summary(client.post("/requests/new", data=form))
    assert errors["crime_count"] == "Number of crimes must be a whole number, like 12"
    assert errors["estimated_cost"] == "Estimated cost must be an amount in pounds, like 850 or 850.50"
    # A date's link goes to its day box, which can take focus.
    assert errors["wanted_start-day"] == "Wanted start date must be a real date"
    assert count_requests() == 0


def test_a_draft_needs_only_a_title_and_a_ward(app, client, login_as):
    district = factories.district()
    officer = login_as("officer")
    response = client.post(
        "/requests/new",
        data={"ward_id": district["wards"][2].id, "title": "Half-written", "save_draft": "Save"},
    )
    assert response.status_code == 302
    mr = db.session.scalar(sa.select(MoveRequest))
    assert (mr.status, mr.title, mr.requester_id) == ("draft", "Half-written", officer.id)
    shown = page(client.get(response.headers["Location"]))
    assert "Draft " + mr.reference + " saved" in shown.select_one(".govuk-notification-banner").get_text()
    assert shown.h1.get_text(strip=True) == "Half-written"


@pytest.mark.parametrize("title", ["", "   "])
def test_a_draft_without_a_title_is_not_saved(app, client, login_as, title):
    district = factories.district()
    login_as("officer")
    response = client.post(
        "/requests/new", data={"ward_id": district["wards"][2].id, "title": title, "save_draft": "Save"}
    )
    assert response.status_code == 200
    assert error_summary(response) == {"title": "Enter a short title"}
    assert count_requests() == 0


def test_an_officer_files_checks_and_sends_a_request(app, client, login_as):
    district = factories.district()
    sponsor = factories.user("sponsor", name="Sunita Sponsor")
    officer = login_as("officer")
    response = client.post(
        "/requests/new", data=complete_form(district["wards"][0], sponsor, factories.priority())
    )
    assert response.status_code == 302, page(response).select_one(".govuk-error-summary")
    mr = db.session.scalar(sa.select(MoveRequest))
    assert response.headers["Location"].endswith(f"/requests/{mr.id}/check-answers")
    check = page(client.get(response.headers["Location"]))
    assert check.h1.get_text(strip=True) == "Check your answers before sending your request"
    assert "Lamp column 4 by the bus stop" in check.get_text()
    assert "Sunita Sponsor" in check.get_text()
    sent = client.post(f"/requests/{mr.id}/submit", data={"version": mr.version})
    assert sent.status_code == 302
    db.session.expire_all()
    mr = db.session.get(MoveRequest, mr.id)
    assert (mr.status, mr.requester_id, mr.sponsor_id) == ("submitted", officer.id, sponsor.id)
    banner = page(client.get(sent.headers["Location"])).select_one(".govuk-notification-banner")
    assert f"Request {mr.reference} sent to your sponsor." in banner.get_text()


def test_only_the_requester_may_change_a_draft(app, client, login_as):
    mr = factories.move_request()
    login_as("officer")
    assert client.get(f"/requests/{mr.id}/edit").status_code == 403
    assert client.get(f"/requests/{mr.id}").status_code == 403
    login_as(user=mr.requester)
    assert client.get(f"/requests/{mr.id}/edit").status_code == 200


def test_the_sponsor_endorses_from_the_request_page(app, client, login_as):
    mr = factories.move_request(status="submitted")
    login_as(user=mr.sponsor)
    shown = page(client.get(f"/requests/{mr.id}"))
    buttons = [a.get_text(strip=True) for a in shown.select(".govuk-button-group a")]
    assert buttons == ["Endorse", "Return for changes", "Decline", "Withdraw"][:3]
    response = client.post(f"/requests/{mr.id}/endorse", data={"version": mr.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(MoveRequest, mr.id).status == "endorsed"
    timeline = page(client.get(f"/requests/{mr.id}")).select_one(".app-timeline").get_text()
    assert "Endorsed by the sponsor" in timeline


def test_another_sponsor_cannot_endorse(app, client, login_as):
    mr = factories.move_request(status="submitted")
    login_as("sponsor")
    assert client.post(f"/requests/{mr.id}/endorse", data={"version": mr.version}).status_code == 403
    db.session.expire_all()
    assert db.session.get(MoveRequest, mr.id).status == "submitted"


def test_a_decision_on_an_out_of_date_page_gets_a_clear_conflict_message(app, client, login_as):
    mr = factories.move_request(status="submitted")
    login_as(user=mr.sponsor)
    # Someone else returned it after the sponsor opened the page.
    stale_version = mr.version
    client.post(f"/requests/{mr.id}/return-for-changes", data={"version": mr.version, "reason": "Add dates"})
    response = client.post(
        f"/requests/{mr.id}/endorse", data={"version": stale_version}, follow_redirects=True
    )
    assert response.status_code == 200
    banners = " ".join(b.get_text() for b in page(response).select(".govuk-notification-banner"))
    assert "Someone else changed this request" in banners
    db.session.expire_all()
    assert db.session.get(MoveRequest, mr.id).status == "returned"


def test_a_reason_is_required_to_return_a_request(app, client, login_as):
    mr = factories.move_request(status="submitted")
    login_as(user=mr.sponsor)
    response = client.post(
        f"/requests/{mr.id}/return-for-changes", data={"version": mr.version, "reason": "  "}
    )
    assert error_summary(response) == {"reason": "Enter the reason"}
    db.session.expire_all()
    assert db.session.get(MoveRequest, mr.id).status == "submitted"


def test_a_guard_refusal_shows_in_the_error_summary(app, client, login_as):
    coordinator = login_as("coordinator")
    meeting = factories.meeting(TODAY + timedelta(days=4))  # its cut-off has passed
    mr = factories.move_request(status="endorsed")
    response = client.post(
        f"/requests/{mr.id}/place-on-agenda", data={"version": mr.version, "meeting_id": meeting.id}
    )
    assert error_summary(response) == {
        "meeting_id": "The papers cut-off for that meeting has passed. Only the chair can accept a late item."
    }
    assert coordinator.has_role("coordinator")


def test_the_request_list_paginates(app, client, login_as):
    coordinator = login_as("coordinator")
    requester, sponsor = factories.user("officer"), factories.user("sponsor")
    for _ in range(23):
        factories.move_request(requester=requester, sponsor=sponsor, status="submitted")
    first = page(client.get("/requests"))
    assert len(first.select("tbody tr")) == 20
    assert first.select_one(".govuk-pagination__next a")["href"].endswith("page=2")
    second = page(client.get("/requests?page=2"))
    assert len(second.select("tbody tr")) == 3
    filtered = page(client.get("/requests?status=draft"))
    assert "No requests are draft." in filtered.get_text()
    assert coordinator.roles == {"coordinator"}


def test_each_role_sees_what_is_waiting_for_them(app, client, login_as):
    mr = factories.move_request(status="submitted", title="Waiting for Sam")
    login_as(user=mr.sponsor)
    home = page(client.get("/"))
    section = home.select_one("#sponsor-heading")
    assert section.get_text(strip=True) == "Requests waiting for you to sponsor (1)"
    assert "Waiting for Sam" in home.get_text()
    login_as("councillor")
    home = page(client.get("/"))
    assert "Where the cameras are" in home.get_text()
    assert "Waiting for Sam" not in home.get_text()


def test_the_coordinator_names_another_sponsor(app, client, login_as):
    mr = factories.move_request(status="submitted")
    new_sponsor = factories.user("sponsor", name="Nadia New")
    login_as("coordinator")
    shown = page(client.get(f"/requests/{mr.id}"))
    assert shown.find("a", string="Change the sponsor")["href"] == f"/requests/{mr.id}/sponsor"
    empty = client.post(f"/requests/{mr.id}/sponsor", data={"version": mr.version, "sponsor_id": "0"})
    assert error_summary(empty) == {"sponsor_id": "Select the new sponsor"}
    # The requester is not offered, and cannot be forced in.
    requester_choice = client.post(
        f"/requests/{mr.id}/sponsor", data={"version": mr.version, "sponsor_id": mr.requester_id}
    )
    assert error_summary(requester_choice) == {"sponsor_id": "Select new sponsor from the list"}
    client.post(f"/requests/{mr.id}/sponsor", data={"version": mr.version, "sponsor_id": new_sponsor.id})
    db.session.expire_all()
    changed = db.session.get(MoveRequest, mr.id)
    assert (changed.sponsor_id, changed.version, changed.status) == (new_sponsor.id, 2, "submitted")
    login_as(user=new_sponsor)
    assert "Endorse" in page(client.get(f"/requests/{mr.id}")).get_text()


def test_nonsense_amounts_and_tampered_choices_are_named(app, client, login_as):
    district = factories.district()
    sponsor = factories.user("sponsor")
    login_as("officer")
    form = complete_form(
        district["wards"][0], sponsor, factories.priority(), estimated_cost="NaN", mounting="rocket"
    )
    form.setlist("purposes", ["deter"] * 30)
    errors = error_summary(client.post("/requests/new", data=form))
    assert errors == {
        "mounting": "Select how the camera would be mounted",
        "estimated_cost": "Estimated cost must be an amount in pounds, like 850 or 850.50",
    }
    assert count_requests() == 0


def test_zero_is_an_answer_and_repeated_ticks_count_once(app, client, login_as):
    district = factories.district()
    sponsor = factories.user("sponsor")
    login_as("officer")
    form = complete_form(district["wards"][0], sponsor, factories.priority(), crime_count="0", asb_count="0")
    form.setlist("purposes", ["deter"] * 30 + ["observe"])
    response = client.post("/requests/new", data=form)
    assert response.status_code == 302, page(response).select_one(".govuk-error-summary")
    mr = db.session.scalar(sa.select(MoveRequest))
    assert (mr.crime_count, mr.asb_count, mr.purposes) == (0, 0, "deter,observe")


def test_a_change_saved_after_someone_else_acted_is_not_written(app, client, login_as):
    mr = factories.move_request(status="returned")
    requester = login_as(user=mr.requester)
    opened_version = mr.version
    # The coordinator names another sponsor while the requester has the form open.
    coordinator = factories.user("coordinator")
    new_sponsor = factories.user("sponsor")
    login_as(user=coordinator)
    client.post(f"/requests/{mr.id}/sponsor", data={"version": mr.version, "sponsor_id": new_sponsor.id})
    login_as(user=requester)
    form = complete_form(mr.site.ward, mr.sponsor, factories.priority(), version=str(opened_version))
    response = client.post(f"/requests/{mr.id}/edit", data=form, follow_redirects=True)
    assert "Someone else changed this request" in response.get_data(as_text=True)
    db.session.expire_all()
    after = db.session.get(MoveRequest, mr.id)
    assert (after.sponsor_id, after.title) == (new_sponsor.id, "Motorbikes on the recreation ground")


def test_a_request_cannot_be_sent_without_its_site(app, client, login_as):
    district = factories.district()
    officer = login_as("officer")
    client.post(
        "/requests/new",
        data={"ward_id": district["wards"][0].id, "title": "No site yet", "save_draft": "Save"},
    )
    mr = db.session.scalar(sa.select(MoveRequest))
    check = page(client.get(f"/requests/{mr.id}/check-answers")).get_text()
    assert "the street name, the exact location" in check
    client.post(f"/requests/{mr.id}/submit", data={"version": mr.version})
    db.session.expire_all()
    assert db.session.get(MoveRequest, mr.id).status == "draft"
    assert officer.roles == {"officer"}


def test_the_chair_approves_an_urgent_request_by_chairs_action(app, client, login_as):
    from cctv_requests.models import AgendaItem

    factories.meeting(TODAY + timedelta(days=45))
    camera = factories.camera()
    mr = factories.move_request(
        status="endorsed", urgency="urgent", urgent_ground="risk_of_harm", urgent_explanation="Threats made"
    )
    login_as("board", "chair")
    form = MultiDict(
        [
            ("version", mr.version),
            ("camera_id", camera.id),
            *date_fields("start", TODAY + timedelta(days=2)),
            *date_fields("end", TODAY + timedelta(days=30)),
            ("reason", "Risk to a named resident this week."),
        ]
    )
    response = client.post(f"/requests/{mr.id}/approve-urgently", data=form)
    assert response.status_code == 302, page(response).select_one(".govuk-error-summary")
    db.session.expire_all()
    approved = db.session.get(MoveRequest, mr.id)
    assert (approved.status, approved.chair_action, approved.last_reason) == (
        "approved",
        True,
        "Risk to a named resident this week.",
    )
    assert (
        db.session.scalar(sa.select(AgendaItem.kind).where(AgendaItem.move_request_id == mr.id))
        == "ratification"
    )


def test_action_pages_audit_the_exact_location_they_show(app, client, login_as):
    from cctv_requests.models import AuditEvent

    mr = factories.move_request(status="endorsed")
    coordinator = login_as("coordinator")
    client.get(f"/requests/{mr.id}/place-on-agenda")
    viewed = db.session.scalars(
        sa.select(AuditEvent.actor_id).where(
            AuditEvent.action == "site.viewed_exact", AuditEvent.object_id == mr.id
        )
    ).all()
    assert viewed == [coordinator.id]


def test_a_map_point_needs_both_coordinates_within_the_uk(app, client, login_as):
    district = factories.district()
    sponsor = factories.user("sponsor")
    login_as("officer")
    half = complete_form(district["wards"][0], sponsor, factories.priority(), latitude="51.6", longitude="")
    assert error_summary(client.post("/requests/new", data=half)) == {
        "longitude": "Enter both the latitude and the longitude of the point, or neither"
    }
    abroad = complete_form(
        district["wards"][0], sponsor, factories.priority(), latitude="40.4", longitude="-3.7"
    )
    assert error_summary(client.post("/requests/new", data=abroad)) == {
        "latitude": "Latitude must be between 49 and 61, within the UK"
    }
    good = complete_form(
        district["wards"][0], sponsor, factories.priority(), latitude="51.6581", longitude="-0.3942"
    )
    assert client.post("/requests/new", data=good).status_code == 302
    mr = db.session.scalar(sa.select(MoveRequest))
    assert (mr.site.latitude, mr.site.longitude) == (51.6581, -0.3942)
    assert "51.6581, -0.3942" in page(client.get(f"/requests/{mr.id}")).get_text()


def test_the_agenda_form_offers_the_first_meeting_still_open_for_papers(app, client, login_as):
    factories.meeting(TODAY + timedelta(days=5))  # cut-off passed
    open_for_papers = factories.meeting(TODAY + timedelta(days=40))
    mr = factories.move_request(status="endorsed")
    login_as("coordinator")
    selected = page(client.get(f"/requests/{mr.id}/place-on-agenda")).select_one(
        "#meeting_id option[selected]"
    )
    assert selected["value"] == str(open_for_papers.id)
