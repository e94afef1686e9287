"""The request form, check your answers, the request page and its actions,
driven through the web pages."""

from datetime import date, timedelta
from decimal import Decimal

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


# Each section of the request form, answered in full, as its page posts it
# (the GOV.UK "complete multiple tasks" pattern: a first page, then a task list).
SECTION_ORDER = ("problem", "site", "evidence", "alternatives", "period", "urgency", "privacy", "cost")


def complete_sections(ward, sponsor, priority, **overrides) -> dict[str, dict]:
    sections = {
        "problem": {
            "title": "Graffiti and damage at the bus station",
            "problem": "Repeated damage to the shelters.",
            "purposes": ("deter", "detect"),
            "pressing_need": "The shelters have been smashed three times this month.",
            "priority_id": str(priority.id),
        },
        "site": {
            "existing_site_id": "0",
            "ward_id": str(ward.id),
            "street": "Bridge Street",
            "exact_location": "Lamp column 4 by the bus stop",
            "latitude": "",
            "longitude": "",
            "view_description": "The bus shelter",
            "mounting": "lamp_column",
        },
        "evidence": {
            "crime_count": "9",
            "asb_count": "21",
            "baseline_start": TODAY - timedelta(days=120),
            "baseline_end": TODAY - timedelta(days=2),
            "intelligence_sources": ("asb_group",),
            "intelligence_summary": "Local youths named by the ASB group.",
        },
        "alternatives": {"alternatives": "Extra patrols in the summer."},
        "period": {
            "wanted_start": TODAY + timedelta(days=20),
            "duration_weeks": "10",
            "camera_preference_id": "0",
        },
        "urgency": {"urgency": "routine"},
        "privacy": {
            "overt_confirmed": "y",
            "dpia_reference": "DPIA-77",
            "signage_plan": "Signs on both shelters.",
            "privacy_masking": "",
        },
        "cost": {"estimated_cost": "725.50", "sponsor_id": str(sponsor.id)},
    }
    for name, value in overrides.items():
        [slug] = [slug for slug, answers in sections.items() if name in answers]
        sections[slug][name] = value
    return sections


def section_form(answers: dict, version, button: str = "save_continue") -> MultiDict:
    """One section's page as the browser posts it: a date in its three boxes,
    each ticked box repeated, and the button pressed."""
    items = [("version", str(version)), (button, "x")]
    for name, value in answers.items():
        if value is None:
            continue
        if isinstance(value, date):
            items += date_fields(name, value)
        elif isinstance(value, tuple | list):
            items += [(name, str(v)) for v in value]
        else:
            items.append((name, str(value)))
    return MultiDict(items)


def current_version(mr) -> int:
    db.session.expire_all()
    return db.session.get(MoveRequest, mr.id).version


def save_section(client, mr, slug: str, answers: dict, button: str = "save_continue", version=None):
    version = current_version(mr) if version is None else version
    return client.post(f"/requests/{mr.id}/tasks/{slug}", data=section_form(answers, version, button))


def start_draft(client, ward, title: str = "Graffiti and damage at the bus station") -> MoveRequest:
    response = client.post("/requests/new", data={"title": title, "ward_id": str(ward.id)})
    assert response.status_code == 302, error_summary(response)
    return db.session.scalar(sa.select(MoveRequest).order_by(MoveRequest.id.desc()).limit(1))


def count_requests() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(MoveRequest))


def test_an_empty_form_names_every_missing_answer_and_saves_nothing(app, client, login_as):
    district = factories.district()
    login_as("officer")
    response = client.post("/requests/new", data={"ward_id": "0"})
    assert response.status_code == 200
    assert page(response).title.get_text().startswith("Error: Request a camera move")
    errors = error_summary(response)
    # The summary follows the order of the questions on the page.
    assert list(errors.items()) == [("title", "Enter a short title"), ("ward_id", "Select the ward")]
    assert count_requests() == 0

    # Each section of a draft, left empty, names what it still needs.
    mr = start_draft(client, district["wards"][0])
    site = save_section(client, mr, "site", {"ward_id": "0"})
    assert page(site).title.get_text().startswith(f"Error: The site: {mr.reference}")
    assert list(error_summary(site).items()) == [
        ("ward_id", "Select the ward"),
        ("street", "Enter the street name"),
        ("exact_location", "Enter the exact location"),
        ("mounting", "Select how the camera would be mounted"),
    ]
    cost = error_summary(save_section(client, mr, "cost", {"sponsor_id": ""}))
    assert list(cost)[-1] == "sponsor_id"
    assert cost["sponsor_id"] == "Select the sponsor you have approached"
    assert (count_requests(), current_version(mr)) == (1, 1)


def test_badly_formed_answers_are_named_and_nothing_is_saved(app, client, login_as):
    district = factories.district()
    sponsor = factories.user("sponsor")
    login_as("officer")
    mr = start_draft(client, district["wards"][0])
    sections = complete_sections(
        district["wards"][0], sponsor, factories.priority(), crime_count="lots", estimated_cost="£ten"
    )
    errors = error_summary(save_section(client, mr, "evidence", sections["evidence"]))
    assert errors["crime_count"] == "Number of crimes must be a whole number, like 12"
    errors = error_summary(save_section(client, mr, "cost", sections["cost"]))
    assert errors["estimated_cost"] == "Estimated cost must be an amount in pounds, like 850 or 850.50"
    form = section_form(sections["period"], current_version(mr))
    form.setlist("wanted_start", ["31", "2", "2027"])
    errors = error_summary(client.post(f"/requests/{mr.id}/tasks/period", data=form))
    # A date's link goes to its day box, which can take focus.
    assert errors["wanted_start-day"] == "Wanted start date must be a real date"
    db.session.expire_all()
    kept = db.session.get(MoveRequest, mr.id)
    assert (kept.version, kept.crime_count, kept.estimated_cost, kept.wanted_start) == (1, None, None, None)


def test_a_draft_needs_only_a_title_and_a_ward(app, client, login_as):
    district = factories.district()
    officer = login_as("officer")
    response = client.post(
        "/requests/new", data={"ward_id": district["wards"][2].id, "title": "Half-written"}
    )
    assert response.status_code == 302
    mr = db.session.scalar(sa.select(MoveRequest))
    assert (mr.status, mr.title, mr.requester_id) == ("draft", "Half-written", officer.id)
    assert mr.site.ward_id == district["wards"][2].id
    assert response.headers["Location"] == f"/requests/{mr.id}/tasks"
    shown = page(client.get(response.headers["Location"]))
    assert "Draft " + mr.reference + " saved" in shown.select_one(".govuk-notification-banner").get_text()
    assert shown.h1.get_text(strip=True) == "Request a camera move"
    assert shown.select_one(".govuk-caption-l").get_text(strip=True) == f"{mr.reference}: Half-written"
    assert page(client.get(f"/requests/{mr.id}")).h1.get_text(strip=True) == "Half-written"


@pytest.mark.parametrize("title", ["", "   "])
def test_a_draft_without_a_title_is_not_saved(app, client, login_as, title):
    district = factories.district()
    login_as("officer")
    response = client.post("/requests/new", data={"ward_id": district["wards"][2].id, "title": title})
    assert response.status_code == 200
    assert error_summary(response) == {"title": "Enter a short title"}
    assert count_requests() == 0


def test_an_officer_files_checks_and_sends_a_request(app, client, login_as):
    district = factories.district()
    sponsor = factories.user("sponsor", name="Sunita Sponsor")
    officer = login_as("officer")
    mr = start_draft(client, district["wards"][0])
    sections = complete_sections(district["wards"][0], sponsor, factories.priority())
    for slug in SECTION_ORDER:
        response = save_section(client, mr, slug, sections[slug])
        assert response.status_code == 302, (slug, page(response).select_one(".govuk-error-summary"))
        assert response.headers["Location"] == f"/requests/{mr.id}/tasks"
    tasks = page(client.get(f"/requests/{mr.id}/tasks"))
    send = tasks.find("a", string="Check your answers and send the request")
    assert send is not None and send["href"] == f"/requests/{mr.id}/check-answers"
    check = page(client.get(send["href"]))
    assert check.h1.get_text(strip=True) == "Check your answers before sending your request"
    assert "Lamp column 4 by the bus stop" in check.get_text()
    assert "Sunita Sponsor" in check.get_text()
    sent = client.post(f"/requests/{mr.id}/submit", data={"version": current_version(mr)})
    assert sent.status_code == 302
    db.session.expire_all()
    mr = db.session.get(MoveRequest, mr.id)
    assert (mr.status, mr.requester_id, mr.sponsor_id) == ("submitted", officer.id, sponsor.id)
    banner = page(client.get(sent.headers["Location"])).select_one(".govuk-notification-banner")
    assert f"Request {mr.reference} sent to your sponsor." in banner.get_text()


def test_only_the_requester_may_change_a_draft(app, client, login_as):
    mr = factories.move_request()
    login_as("officer")
    assert client.get(f"/requests/{mr.id}/tasks").status_code == 403
    assert client.get(f"/requests/{mr.id}/tasks/problem").status_code == 403
    assert client.get(f"/requests/{mr.id}").status_code == 403
    login_as(user=mr.requester)
    assert client.get(f"/requests/{mr.id}/tasks").status_code == 200
    assert client.get(f"/requests/{mr.id}/tasks/problem").status_code == 200


def test_the_sponsor_endorses_from_the_request_page(app, client, login_as):
    mr = factories.move_request(status="submitted")
    login_as(user=mr.sponsor)
    shown = page(client.get(f"/requests/{mr.id}"))
    buttons = [a.get_text(strip=True) for a in shown.select(".govuk-button-group a")]
    assert buttons == [
        "Endorse this request",
        "Return this request for changes",
        "Decline to sponsor this request",
    ]
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
    assert "Endorse this request" in page(client.get(f"/requests/{mr.id}")).get_text()


def test_nonsense_amounts_and_tampered_choices_are_named(app, client, login_as):
    district = factories.district()
    sponsor = factories.user("sponsor")
    login_as("officer")
    mr = start_draft(client, district["wards"][0])
    sections = complete_sections(
        district["wards"][0], sponsor, factories.priority(), estimated_cost="NaN", mounting="rocket"
    )
    assert error_summary(save_section(client, mr, "site", sections["site"])) == {
        "mounting": "Select how the camera would be mounted"
    }
    assert error_summary(save_section(client, mr, "cost", sections["cost"])) == {
        "estimated_cost": "Estimated cost must be an amount in pounds, like 850 or 850.50"
    }
    # Saved for later, a nonsense answer is refused all the same.
    assert error_summary(save_section(client, mr, "cost", sections["cost"], "save_later")) == {
        "estimated_cost": "Estimated cost must be an amount in pounds, like 850 or 850.50"
    }
    # A tick sent thirty times is no error.
    problem = section_form(sections["problem"], current_version(mr))
    problem.setlist("purposes", ["deter"] * 30)
    assert client.post(f"/requests/{mr.id}/tasks/problem", data=problem).status_code == 302
    db.session.expire_all()
    kept = db.session.get(MoveRequest, mr.id)
    assert (kept.site.street, kept.site.mounting, kept.estimated_cost) == ("", "lamp_column", None)
    assert kept.purposes == "deter"


def test_zero_is_an_answer_and_repeated_ticks_count_once(app, client, login_as):
    district = factories.district()
    sponsor = factories.user("sponsor")
    login_as("officer")
    mr = start_draft(client, district["wards"][0])
    sections = complete_sections(
        district["wards"][0], sponsor, factories.priority(), crime_count="0", asb_count="0"
    )
    response = save_section(client, mr, "evidence", sections["evidence"])
    assert response.status_code == 302, page(response).select_one(".govuk-error-summary")
    problem = section_form(sections["problem"], current_version(mr))
    problem.setlist("purposes", ["deter"] * 30 + ["observe"])
    response = client.post(f"/requests/{mr.id}/tasks/problem", data=problem)
    assert response.status_code == 302, page(response).select_one(".govuk-error-summary")
    db.session.expire_all()
    mr = db.session.get(MoveRequest, mr.id)
    assert (mr.crime_count, mr.asb_count, mr.purposes) == (0, 0, "deter,observe")


def test_a_change_saved_after_someone_else_acted_is_not_written(app, client, login_as):
    mr = factories.move_request(status="returned")
    requester = login_as(user=mr.requester)
    opened_version = mr.version
    # The coordinator names another sponsor while the requester has the cost page open.
    coordinator = factories.user("coordinator")
    new_sponsor = factories.user("sponsor")
    login_as(user=coordinator)
    client.post(f"/requests/{mr.id}/sponsor", data={"version": mr.version, "sponsor_id": new_sponsor.id})
    login_as(user=requester)
    sections = complete_sections(mr.site.ward, mr.sponsor, factories.priority(), estimated_cost="1,000")
    response = client.post(
        f"/requests/{mr.id}/tasks/cost",
        data=section_form(sections["cost"], opened_version),
        follow_redirects=True,
    )
    assert "Someone else changed this request" in response.get_data(as_text=True)
    response = client.post(
        f"/requests/{mr.id}/tasks/problem",
        data=section_form(sections["problem"], opened_version),
        follow_redirects=True,
    )
    assert "Someone else changed this request" in response.get_data(as_text=True)
    db.session.expire_all()
    after = db.session.get(MoveRequest, mr.id)
    assert (after.sponsor_id, after.title, after.estimated_cost) == (
        new_sponsor.id,
        "Motorbikes on the recreation ground",
        Decimal("900.00"),
    )


def test_a_request_cannot_be_sent_without_its_site(app, client, login_as):
    district = factories.district()
    sponsor = factories.user("sponsor")
    officer = login_as("officer")
    mr = start_draft(client, district["wards"][0], "No site yet")
    # Every section but the site answered.
    sections = complete_sections(district["wards"][0], sponsor, factories.priority(), title="No site yet")
    for slug in SECTION_ORDER:
        if slug != "site":
            assert save_section(client, mr, slug, sections[slug]).status_code == 302, slug
    check = page(client.get(f"/requests/{mr.id}/check-answers"))
    assert [a.get_text(strip=True) for a in check.select("main ul.govuk-list a")] == ["The site"]
    assert check.select_one(f"form[action='/requests/{mr.id}/submit']") is None
    refused = client.post(f"/requests/{mr.id}/submit", data={"version": current_version(mr)})
    assert "the street name, the exact location" in page(refused).get_text()
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
    mr = start_draft(client, district["wards"][0])

    def site(**point):
        answers = complete_sections(district["wards"][0], sponsor, factories.priority(), **point)["site"]
        return save_section(client, mr, "site", answers)

    assert error_summary(site(latitude="51.6", longitude="")) == {
        "longitude": "Enter both the latitude and the longitude of the point, or neither"
    }
    assert error_summary(site(latitude="40.4", longitude="-3.7")) == {
        "latitude": "Latitude must be between 49 and 61, within the UK"
    }
    assert current_version(mr) == 1
    assert site(latitude="51.6581", longitude="-0.3942").status_code == 302
    db.session.expire_all()
    mr = db.session.get(MoveRequest, mr.id)
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
