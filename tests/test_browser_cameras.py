"""The cameras in real Chromium: one approved request carried through the
pages from its site survey to its evaluation by the coordinator (the survey
and consents, the installation booked and recorded, the camera's page, the
availability timeline, a corrected date, the removal, the evaluation and the
costs); the camera pages for a board member and an officer; and the
"where were the cameras on a past date" question by keyboard.

axe on every page (QUALITY.md A11Y-1), at desktop width and at 320 CSS
pixels with no sideways scrolling, and the error summary taking focus
(A11Y-2). Set BROWSER_SHOTS=/tmp/shots to keep screenshots."""

import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from cctv_requests.extensions import db
from cctv_requests.models import Camera, Deployment, DeploymentCorrection, MoveRequest, SiteSurvey
from tests import factories
from tests.browser import (
    DESKTOP,
    NARROW,
    action,
    assert_focus_visible,
    close,
    fill_date,
    heading,
    success_banner,
    wait_for_focus_in_summary,
)
from tests.browser import (
    Visit as JourneyVisit,
)

pytestmark = pytest.mark.browser

# Pages are the same on both databases: SQLite is enough for the browser.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "320px"])

TODAY = date.today()
WARD = "Oxhey Hall and Hayling"
STREET = "Gosforth Lane"
EXACT = "Lamp column 12, outside 40 Gosforth Lane"
OLD_STREET = "Prestwick Road"
TITLE = "Motorbikes on the Gosforth Lane recreation ground"
CAMERA = ("Camera 1", "RDC-01")
BOOKED_CAMERA = ("Camera 2", "RDC-02")
FAULTY_CAMERA = ("Camera 3", "RDC-03")

# The journey's dates: approved for a period that began 200 days ago, so the
# camera went up, came down and the weeks after removal have passed.
APPROVED_START = TODAY - timedelta(days=200)
APPROVED_END = TODAY + timedelta(days=30)
MEETING_DAY = TODAY - timedelta(days=210)
BASELINE = (TODAY - timedelta(days=400), TODAY - timedelta(days=215))
SURVEYED = TODAY - timedelta(days=196)
LANDOWNER_CONSENT = TODAY - timedelta(days=195)
HIGHWAY_CONSENT = TODAY - timedelta(days=194)
INSTALLATION = TODAY - timedelta(days=190)
CORRECTED = INSTALLATION + timedelta(days=1)
REMOVED = TODAY - timedelta(days=100)
OLD_SITE_SINCE = TODAY - timedelta(days=400)


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _label(camera: tuple[str, str]) -> str:
    name, tag = camera
    return f"{name} ({tag})"


def _three_months_after(day: date) -> date:
    """The oracle for the review date offered: the same day three months on
    (the brief; DESIGN.md gives no other rule). The journey's day is never
    past the 28th of a month that needs clamping; fail loudly if it is."""
    month = day.month + 3
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, day.day)


def _financial_year(day: date) -> int:
    """April to March: the year the financial year holding ``day`` starts."""
    return day.year if day.month >= 4 else day.year - 1


# --- set-up ----------------------------------------------------------------------------------


def _cameras() -> dict:
    """The district's three cameras and what they are doing: Camera 1 up at
    Prestwick Road since before the service started, Camera 2 booked by an
    approved request from three weeks on, Camera 3 faulty. Returns plain values."""
    oxhey = factories.ward(WARD)
    one = factories.camera(name=CAMERA[0], asset_tag=CAMERA[1])
    two = factories.camera(name=BOOKED_CAMERA[0], asset_tag=BOOKED_CAMERA[1])
    factories.camera(name=FAULTY_CAMERA[0], asset_tag=FAULTY_CAMERA[1], service_status="faulty")
    old_site = factories.site(
        oxhey,
        street=OLD_STREET,
        exact_location="Lamp column 4, Prestwick Road, facing the parade of shops",
        view_description="The shop fronts and the bus stop",
    )
    factories.deployment(one, old_site, installed_on=OLD_SITE_SINCE)
    booking = factories.move_request(
        status="approved",
        title="Fly-tipping behind the Bedmond Road shops",
        site_obj=factories.site(
            factories.ward("Abbots Langley and Bedmond"),
            street="Bedmond Road",
            exact_location="Telegraph pole opposite 7 Bedmond Road",
        ),
        approved_camera_id=two.id,
        approved_start=TODAY + timedelta(days=20),
        approved_end=TODAY + timedelta(days=110),
    )
    return {"camera_id": one.id, "booked_camera_id": two.id, "booking": booking.reference}


def _seed(app) -> dict:
    """A coordinator, and the request of the journey approved by the board
    at a meeting 210 days ago, with no site survey recorded yet."""
    with app.app_context():
        cameras = _cameras()
        coordinator = factories.user("coordinator", name="Cara Coordinator", email="coordinator@example.org")
        chair = factories.user("board", "chair", name="Charles Chair", email="chair@example.org")
        officer = factories.user("officer", name="Olivia Officer", email="officer@example.org")
        sponsor = factories.user(
            "sponsor", name="Sam Sponsor", email="sponsor@example.org", organisation="Hertfordshire Police"
        )
        site = factories.site(
            factories.ward(WARD),
            street=STREET,
            exact_location=EXACT,
            view_description="The path between the shops and the field gate",
        )
        mr = factories.move_request(
            requester=officer,
            sponsor=sponsor,
            status="approved",
            site_obj=site,
            title=TITLE,
            reference=f"CCTV-{TODAY.year}-0042",
            submitted_at=datetime.combine(MEETING_DAY - timedelta(days=40), datetime.min.time(), UTC),
            baseline_start=BASELINE[0],
            baseline_end=BASELINE[1],
            wanted_start=APPROVED_START,
            approved_camera_id=cameras["camera_id"],
            approved_start=APPROVED_START,
            approved_end=APPROVED_END,
            decided_at=datetime.combine(MEETING_DAY, datetime.min.time(), UTC) + timedelta(hours=19),
        )
        # The survey is recorded through its page in the journey.
        db.session.execute(sa.delete(SiteSurvey).where(SiteSurvey.move_request_id == mr.id))
        db.session.commit()
        meeting = factories.meeting(MEETING_DAY, status="minutes_approved")
        factories.agenda_item(
            meeting,
            mr,
            outcome="approved",
            votes_for=4,
            votes_against=0,
            votes_abstain=0,
            decided_at=datetime.combine(MEETING_DAY, datetime.min.time(), UTC) + timedelta(hours=19),
            decided_by_id=chair.id,
        )
        answers = factories.complete_answers()
        seeded = {
            **cameras,
            "coordinator": SimpleNamespace(email=coordinator.email, name=coordinator.name),
            "request_id": mr.id,
            "reference": mr.reference,
            "meeting_day": _day(meeting.meets_on),
            "incidents_before": answers["crime_count"] + answers["asb_count"],
            "estimated": answers["estimated_cost"],
        }
        db.session.remove()
    return seeded


# --- the checks on each page -------------------------------------------------------------------


class Visit(JourneyVisit):
    journey = "cameras"


def _summary_value(page, key: str):
    """The value in the summary list row whose key is exactly ``key``."""
    key_cell = page.locator("dt", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    return page.locator(".govuk-summary-list__row").filter(has=key_cell).locator(".govuk-summary-list__value")


def _check_item(page, label: str):
    """One item of the "Before the camera goes live" checklist."""
    return page.locator(".govuk-task-list__item").filter(
        has=page.locator(
            # The task's name: a link where the coordinator records it, else text.
            ".govuk-task-list__name-and-hint > :first-child",
            has_text=re.compile(rf"^{re.escape(label)}$"),
        )
    )


def _date_value(page, field_id: str) -> str:
    return " ".join(page.locator(f"#{field_id}-{part}").input_value() for part in ("day", "month", "year"))


def _as_boxes(day: date) -> str:
    """How a date prefilled by the app reads in the three boxes (either
    with or without leading zeros)."""
    return f"{day.day} {day.month} {day.year}"


def _normalise(boxes: str) -> str:
    return " ".join(str(int(part)) if part.isdigit() else part for part in boxes.split())


# --- 1. from approval to evaluation -----------------------------------------------------------


@SQLITE_ONLY
@VIEWPORTS
def test_the_coordinator_takes_a_camera_from_approval_to_evaluation(chromium, live_server, viewport):
    seeded = _seed(live_server.app)
    visit = Visit(viewport)
    reference = seeded["reference"]
    request_path = f"/requests/{seeded['request_id']}"
    camera_label = _label(CAMERA)
    findings: dict[str, object] = {}

    coordinator = visit.sign_in(chromium, live_server, seeded["coordinator"])
    page = coordinator

    # 1. The request page: approved, and the checklist before go-live.
    page.goto(request_path)
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator(".govuk-tag").first).to_have_text("Approved")
    expect(page.get_by_role("heading", name="Before the camera goes live", level=2)).to_be_visible()
    for label in ("Site survey", "Landowner's consent", "Highway authority's consent", "Installation booked"):
        expect(_check_item(page, label).locator(".govuk-task-list__status")).to_have_text("To do")
    for label in ("DPIA or location annex reference", "Signage plan", "Camera in service"):
        expect(_check_item(page, label).locator(".govuk-task-list__status")).to_have_text("Done")
    expect(_summary_value(page, "Decided by")).to_have_text("The board")
    visit.shot(page, "request-checklist-to-do")
    visit.check(page)

    # 2. The site survey and consents: an impossible date first.
    page.get_by_role("link", name="Record the site survey and consents").click()
    expect(heading(page)).to_have_text("Site survey and consents")
    expect(page.get_by_text(EXACT)).to_be_visible()
    visit.shot(page, "survey")
    visit.check(page)
    page.locator("#surveyed_on-day").fill("31")
    page.locator("#surveyed_on-month").fill("2")
    page.locator("#surveyed_on-year").fill(str(TODAY.year))
    page.get_by_label("Who surveyed the site").fill("Alex Surveyor, Herts CCTV")
    page.get_by_role("button", name="Save survey and consents").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Date of the site survey must be a real date")
    expect(page).to_have_title(re.compile(r"^Error: "))
    # A11Y-2: after a failed submit the error summary takes focus.
    wait_for_focus_in_summary(page)
    visit.shot(page, "survey-errors")
    visit.check(page)
    # The form keeps what was typed.
    expect(page.locator("#surveyed_on-day")).to_have_value("31")
    expect(page.get_by_label("Who surveyed the site")).to_have_value("Alex Surveyor, Herts CCTV")
    # The summary's link takes the user to the date: focus lands in its boxes.
    summary.get_by_role("link", name="Date of the site survey must be a real date").click()
    focused = page.evaluate(
        """() => { const el = document.activeElement;
                   return {id: el.id, tag: el.tagName.toLowerCase(), href: el.getAttribute('href'),
                           target: document.querySelector(el.getAttribute('href') || 'x-none')
                                   ?.outerHTML.slice(0, 60)}; }"""
    )
    findings["survey error link focuses"] = focused
    if focused["id"] == "surveyed_on-day":
        assert_focus_visible(page)

    fill_date(page, "surveyed_on", SURVEYED)
    page.get_by_label("Sight lines").fill("Clear view of the footpath and the field gate from the column.")
    page.get_by_label("Privacy masking needed").fill("The back gardens of 38 and 40 Gosforth Lane.")
    fill_date(page, "landowner_consent_on", LANDOWNER_CONSENT)
    page.get_by_label("Landowner's consent reference").fill("TRDC-LAND-118")
    fill_date(page, "highway_consent_on", HIGHWAY_CONSENT)
    page.get_by_label("Highway authority's consent reference").fill("HCC-HWY-2291")
    page.get_by_role("button", name="Save survey and consents").click()
    expect(success_banner(page)).to_contain_text("Site survey and consents saved.")
    expect(heading(page)).to_have_text(TITLE)
    for label, detail in (
        ("Site survey", f"Surveyed {_day(SURVEYED)} by Alex Surveyor, Herts CCTV"),
        ("Landowner's consent", f"Given {_day(LANDOWNER_CONSENT)}, reference TRDC-LAND-118"),
        ("Highway authority's consent", f"Given {_day(HIGHWAY_CONSENT)}, reference HCC-HWY-2291"),
    ):
        item = _check_item(page, label)
        expect(item.locator(".govuk-task-list__status")).to_have_text("Done")
        expect(item.locator(".govuk-task-list__hint")).to_have_text(detail)
    expect(_check_item(page, "Installation booked").locator(".govuk-task-list__status")).to_have_text("To do")
    expect(_summary_value(page, "Privacy masking needed")).to_have_text(
        "The back gardens of 38 and 40 Gosforth Lane."
    )
    visit.shot(page, "request-checklist-surveyed")
    visit.check(page)

    # 3. The installation is booked, within the approved period.
    action(page, "Book the camera's installation").click()
    expect(heading(page)).to_have_text("Book the camera's installation")
    visit.check(page)
    camera = page.get_by_label("Camera", exact=True)
    option = camera.locator("option", has_text=camera_label)
    expect(option).to_contain_text(OLD_STREET)
    camera.select_option(value=option.get_attribute("value"))
    fill_date(page, "installation_date", INSTALLATION)
    page.get_by_label("Installer").fill("Herts CCTV Installations Ltd")
    page.get_by_label("Cost of the installation, in pounds").fill("1250.50")
    page.get_by_role("button", name="Book the camera's installation").click()
    expect(success_banner(page)).to_contain_text(f"Installation of {reference} booked.")
    expect(page.locator(".govuk-tag").first).to_have_text("Installation booked")
    expect(_check_item(page, "Installation booked").locator(".govuk-task-list__hint")).to_have_text(
        f"{_day(INSTALLATION)} with Herts CCTV Installations Ltd"
    )
    expect(page.locator(".govuk-task-list__status", has_text="To do")).to_have_count(0)
    visit.shot(page, "request-checklist-done")
    visit.check(page)

    # 4. The installation is recorded; the dates offered are the booked day
    # and a review three months on.
    action(page, "Record the camera's installation").click()
    expect(heading(page)).to_have_text("Record the camera's installation")
    visit.check(page)
    assert _normalise(_date_value(page, "installed_on")) == _as_boxes(INSTALLATION)
    review_due = _three_months_after(INSTALLATION)
    assert _normalise(_date_value(page, "review_due")) == _as_boxes(review_due), (
        f"The review date offered is not three months after {_day(INSTALLATION)}"
    )
    page.get_by_label("DPIA or location annex reference").fill("DPIA-2026-11")
    page.get_by_label("The signs are up, as the signage plan says").check()
    page.get_by_label("Actual cost of the move, in pounds").fill("1310")
    page.get_by_role("button", name="Record the camera's installation").click()
    expect(success_banner(page)).to_contain_text(
        f"Installation of {reference} recorded. The camera is now live at this site."
    )
    expect(page.locator(".govuk-tag").first).to_have_text("Camera installed")
    expect(_summary_value(page, "Installed on")).to_have_text(_day(INSTALLATION))
    expect(_summary_value(page, "Actual cost of the move")).to_have_text("£1,310.00")
    # Once the camera is up, the checklist has done its work.
    expect(page.get_by_role("heading", name="Before the camera goes live")).to_have_count(0)
    visit.check(page)

    # 5. The camera's page: the new site, the request and the decision behind it.
    visit.menu(page, "Cameras")
    expect(heading(page)).to_have_text("Cameras")
    visit.check(page)
    page.get_by_role("link", name=camera_label, exact=True).click()
    expect(heading(page)).to_have_text(camera_label)
    expect(_summary_value(page, "Now at")).to_contain_text(EXACT)
    expect(_summary_value(page, "Now at")).to_contain_text(f"since {_day(INSTALLATION)}")
    history = page.get_by_role("region", name=f"Every site {camera_label} has been at, newest first")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(2)
    new_stay = rows.nth(0)
    expect(new_stay).to_contain_text(EXACT)
    expect(new_stay.get_by_role("link", name=reference, exact=True)).to_have_attribute("href", request_path)
    expect(new_stay).to_contain_text("Board decision")
    expect(new_stay.get_by_role("link", name=f"meeting of {seeded['meeting_day']}")).to_be_visible()
    expect(new_stay).to_contain_text("recorded by Charles Chair")
    # The old site's stay ended the day the camera went up here.
    old_stay = rows.nth(1)
    expect(old_stay).to_contain_text(OLD_STREET)
    expect(old_stay.locator("td").nth(2)).to_contain_text(_day(INSTALLATION))
    expect(old_stay).to_contain_text("In place when the service started")
    visit.shot(page, "camera")
    visit.check(page)
    camera_url = page.url

    # 6. When each camera is free: the timeline and the table.
    page.get_by_role("link", name="See when every camera is free over the next 12 months").click()
    expect(heading(page)).to_have_text("When each camera is free")
    drawing = page.locator("svg[role=img]")
    expect(drawing).to_have_count(1)
    title = drawing.locator("title")
    desc = drawing.locator("desc")
    expect(title).to_have_count(1)
    expect(desc).to_have_count(1)
    expect(title).to_have_text(re.compile(r"^Cameras from \d{1,2} \w+ \d{4} to \d{1,2} \w+ \d{4}$"))
    labelled_by = drawing.get_attribute("aria-labelledby").split()
    assert labelled_by == [title.get_attribute("id"), desc.get_attribute("id")]
    description = desc.text_content()
    assert f"{_label(BOOKED_CAMERA)}: " in description
    assert f"booked by {seeded['booking']} {_day(TODAY + timedelta(days=20))}" in description
    assert f"{_label(FAULTY_CAMERA)}: faulty, not bookable" in description
    table = page.get_by_role("table", name=re.compile(r"^Each camera from "))
    expect(table).to_be_visible()
    expect(table.get_by_role("row").filter(has_text=camera_label)).to_contain_text(EXACT)
    expect(table.get_by_role("row").filter(has_text=_label(BOOKED_CAMERA))).to_contain_text(
        f"{seeded['booking']}: {_day(TODAY + timedelta(days=20))} to {_day(TODAY + timedelta(days=110))}"
    )
    visit.shot(page, "availability")
    visit.check(page)
    findings["timeline"] = _timeline_measures(page)

    # 7. The installation date was a day out: corrected from the camera's page.
    page.goto(camera_url)
    page.get_by_role(
        "link", name=f"Correct the installation date of {camera_label} at {STREET}", exact=True
    ).click()
    expect(heading(page)).to_have_text("Correct the installation date")
    expect(_summary_value(page, "Installed")).to_have_text(_day(INSTALLATION))
    visit.check(page)
    fill_date(page, "new_value", CORRECTED)
    page.get_by_label("Why the date was wrong").fill(
        "The installer's job sheet shows the camera went up a day later."
    )
    page.get_by_role("button", name="Record correction").click()
    expect(success_banner(page)).to_contain_text("Correction recorded.")
    expect(heading(page)).to_have_text(camera_label)
    new_stay = (
        page.get_by_role("region", name=f"Every site {camera_label} has been at, newest first")
        .locator("tbody tr")
        .nth(0)
    )
    installed_cell = new_stay.locator("td").nth(1)
    expect(installed_cell).to_contain_text(_day(CORRECTED))
    expect(installed_cell).to_contain_text(f"Corrected from {_day(INSTALLATION)} by Cara Coordinator")
    expect(installed_cell).to_contain_text("The installer's job sheet shows the camera went up a day later.")
    expect(_summary_value(page, "Now at")).to_contain_text(f"since {_day(CORRECTED)}")
    visit.shot(page, "camera-corrected")
    visit.check(page)

    # 8. The camera comes down.
    new_stay.get_by_role("link", name=reference, exact=True).click()
    expect(heading(page)).to_have_text(TITLE)
    expect(_summary_value(page, "Installed on")).to_have_text(_day(CORRECTED))
    action(page, "Record the camera's removal").click()
    expect(heading(page)).to_have_text("Record the camera's removal")
    visit.check(page)
    # Left blank, the recordings are kept the district's 31 days after removal.
    findings["recordings kept until offered"] = _normalise(_date_value(page, "recordings_kept_until"))
    assert findings["recordings kept until offered"] == ""
    fill_date(page, "removed_on", REMOVED)
    page.get_by_label("The signs have been removed").check()
    page.get_by_label("Recordings kept beyond that date").fill(
        "Footage of 3 June kept for the police, reference 41/1234/26."
    )
    page.get_by_role("button", name="Record the camera's removal").click()
    expect(success_banner(page)).to_contain_text(f"Removal of the camera for {reference} recorded.")
    expect(page.locator(".govuk-tag").first).to_have_text("Camera removed")
    expect(_summary_value(page, "Removed on")).to_have_text(_day(REMOVED))
    expect(_summary_value(page, "Recordings kept until")).to_have_text(
        f"{_day(REMOVED + timedelta(days=31))}. Footage of 3 June kept for the police, reference 41/1234/26."
    )
    visit.check(page)

    # 9. The evaluation: the incidents before are the request's baseline.
    action(page, "Record the evaluation").click()
    expect(heading(page)).to_have_text("Record the evaluation")
    visit.check(page)
    expect(page.get_by_label("Incidents before the deployment")).to_have_value(
        str(seeded["incidents_before"])
    )
    page.get_by_label("Incidents during the deployment").fill("20")
    page.get_by_label("Incidents after the deployment").fill("30")
    page.get_by_label("Evaluation notes").fill(
        "Fewer incidents while the camera was up; they rose again after it came down."
    )
    page.get_by_role("button", name="Record the evaluation").click()
    expect(success_banner(page)).to_contain_text(
        f"Evaluation of {reference} recorded. The request is closed."
    )
    expect(page.locator(".govuk-tag").first).to_have_text("Closed")
    expect(page.get_by_role("heading", name="Evaluation", exact=True)).to_be_visible()
    evaluation = page.get_by_role("table", name=re.compile(r"^Incidents before, during and after"))
    # During: from the day installed (as corrected) to the day before removal,
    # since the removal day belongs to the camera's next site. After: the
    # 12 weeks (the district's rule) from the day after removal.
    for period, dates, count in (
        ("Before", f"{_day(BASELINE[0])} to {_day(BASELINE[1])}", seeded["incidents_before"]),
        ("During", f"{_day(CORRECTED)} to {_day(REMOVED - timedelta(days=1))}", 20),
        ("After", f"{_day(REMOVED + timedelta(days=1))} to {_day(REMOVED + timedelta(weeks=12))}", 30),
    ):
        # Each period's row header names it and gives its dates beneath.
        row = evaluation.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=re.compile(f"^{period}"))
        )
        expect(row.get_by_role("rowheader")).to_have_text(f"{period}{dates}")
        expect(row.locator("td").nth(0)).to_have_text(str(count))
    expect(page.get_by_role("heading", name="Evaluation notes")).to_be_visible()
    expect(page.get_by_text("Fewer incidents while the camera was up; they rose again")).to_be_visible()
    visit.shot(page, "request-evaluated")
    visit.check(page)

    # 10. What the move cost, in the financial year the camera went up.
    visit.menu(page, "Cameras")
    page.get_by_role("link", name="What camera moves cost, against the budget").click()
    expect(heading(page)).to_have_text(re.compile(r"^What camera moves cost, \d{4} to \d{4}$"))
    year = _financial_year(CORRECTED)
    if _financial_year(TODAY) != year:
        page.get_by_label("Financial year").select_option(label=f"{year} to {year + 1}")
        page.get_by_role("button", name="Show year").click()
    expect(heading(page)).to_have_text(f"What camera moves cost, {year} to {year + 1}")
    move = (
        page.get_by_role("table", name=re.compile(r"^Each camera move in "))
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name=reference, exact=True))
    )
    cells = move.locator("td")
    expect(cells.nth(1)).to_have_text(_day(CORRECTED))
    expect(cells.nth(2)).to_have_text(f"£{seeded['estimated']:,.2f}")
    expect(cells.nth(3)).to_have_text("£1,250.50")
    expect(cells.nth(4)).to_have_text("£1,310.00")
    expect(_summary_value(page, "Spent (cameras installed)")).to_have_text("£1,310.00")
    visit.shot(page, "costs")
    visit.check(page)
    close(page)

    # 11. What the database holds.
    with live_server.app.app_context():
        mr = db.session.get(MoveRequest, seeded["request_id"])
        assert mr.status == "closed"
        assert (mr.installed_on, mr.removed_on, mr.review_due) == (CORRECTED, REMOVED, review_due)
        assert (mr.incidents_before, mr.incidents_during, mr.incidents_after) == (
            seeded["incidents_before"],
            20,
            30,
        )
        stays = db.session.execute(
            sa.select(Deployment.installed_on, Deployment.removed_on, Deployment.move_request_id)
            .where(Deployment.camera_id == seeded["camera_id"])
            .order_by(Deployment.installed_on)
        ).all()
        assert [tuple(s) for s in stays] == [
            (OLD_SITE_SINCE, INSTALLATION, None),
            (CORRECTED, REMOVED, seeded["request_id"]),
        ]
        corrections = db.session.execute(
            sa.select(
                DeploymentCorrection.field, DeploymentCorrection.old_value, DeploymentCorrection.new_value
            )
        ).all()
        assert [tuple(c) for c in corrections] == [("installed_on", INSTALLATION, CORRECTED)]
        db.session.remove()

    print(f"findings at {visit.prefix}: {findings}")
    assert findings["survey error link focuses"]["id"] == "surveyed_on-day", (
        "On the site survey page, the error summary link 'Date of the site survey must be a real date' "
        f"does not take focus to the date's day box: focus is on {findings['survey error link focuses']!r}"
    )


def _timeline_measures(page) -> dict:
    """How the timeline is drawn at this width: the drawing's width on
    screen, whether its box scrolls, and the smallest text on screen."""
    return page.evaluate(
        """() => {
             const svg = document.querySelector('svg[role=img]');
             const box = svg.closest('.app-avail__scroll');
             const heights = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height);
             return {svgWidth: Math.round(svg.getBoundingClientRect().width),
                     scrollBox: box ? [box.clientWidth, box.scrollWidth] : null,
                     smallestTextPx: Math.round(Math.min(...heights) * 10) / 10};
           }"""
    )


# --- 2. the camera pages for a board member and an officer ---------------------------------------


@SQLITE_ONLY
@VIEWPORTS
@pytest.mark.parametrize("role", ["board", "officer"])
def test_board_members_and_officers_read_the_camera_pages(chromium, live_server, role, viewport):
    visit = Visit(viewport)
    with live_server.app.app_context():
        cameras = _cameras()
        # A finished deployment with its request, so the history has one.
        camera = db.session.get(Camera, cameras["camera_id"])
        gate = factories.site(factories.ward(WARD), street=STREET, exact_location=EXACT)
        done = factories.move_request(
            status="closed",
            site_obj=gate,
            approved_camera_id=camera.id,
            approved_start=TODAY - timedelta(days=700),
            approved_end=TODAY - timedelta(days=500),
            installed_on=TODAY - timedelta(days=690),
            removed_on=TODAY - timedelta(days=500),
        )
        factories.deployment(
            camera,
            gate,
            installed_on=TODAY - timedelta(days=690),
            removed_on=TODAY - timedelta(days=500),
            move_request_id=done.id,
        )
        person = factories.user(role, name=f"Pat {role.title()}")
        person = SimpleNamespace(email=person.email, name=person.name)
        camera_label = _label(CAMERA)
        db.session.remove()

    page = visit.sign_in(chromium, live_server, person)
    visit.menu(page, "Cameras")
    expect(heading(page)).to_have_text("Cameras")
    expect(page.get_by_role("table", name="Where the cameras are now")).to_be_visible()
    visit.shot(page, f"{role}-index")
    visit.check(page)

    page.get_by_role("link", name=camera_label, exact=True).click()
    expect(heading(page)).to_have_text(camera_label)
    history = page.get_by_role("region", name=f"Every site {camera_label} has been at, newest first")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history).to_contain_text(STREET)
    visit.shot(page, f"{role}-camera")
    visit.check(page)

    page.get_by_role("link", name="See when every camera is free over the next 12 months").click()
    expect(heading(page)).to_have_text("When each camera is free")
    expect(page.locator("svg[role=img] title")).to_have_count(1)
    visit.shot(page, f"{role}-availability")
    visit.check(page)

    page.goto("/cameras")
    page.get_by_role("link", name="Find a site by street or ward").click()
    expect(heading(page)).to_have_text("Sites")
    expect(page.get_by_role("table", name=re.compile(r"^Sites"))).to_contain_text(STREET)
    visit.shot(page, f"{role}-sites")
    visit.check(page)
    close(page)


# --- 3. where the cameras were, by keyboard ----------------------------------------------------


def _tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element with ``element_id`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    pytest.fail(f"Tab never reached #{element_id} on {page.url}", pytrace=False)


@SQLITE_ONLY
@VIEWPORTS
def test_where_the_cameras_were_on_a_past_date_by_keyboard(chromium, live_server, viewport):
    visit = Visit(viewport)
    asked = TODAY - timedelta(days=300)
    with live_server.app.app_context():
        _cameras()
        board = factories.user("board", name="Bea Board")
        person = SimpleNamespace(email=board.email, name=board.name)
        db.session.remove()

    page = visit.sign_in(chromium, live_server, person)
    page.goto("/cameras")
    expect(heading(page)).to_have_text("Cameras")
    expect(page.get_by_role("heading", name="Where were the cameras on a past date?")).to_be_visible()

    # Tab to the day box and answer with the keyboard only.
    _tab_to(page, "on-day")
    assert_focus_visible(page)
    page.keyboard.type(str(asked.day))
    page.keyboard.press("Tab")
    expect(page.locator("#on-month")).to_be_focused()
    page.keyboard.type(str(asked.month))
    page.keyboard.press("Tab")
    expect(page.locator("#on-year")).to_be_focused()
    page.keyboard.type(str(asked.year))
    page.keyboard.press("Enter")

    answer = page.get_by_role("table", name=f"Where the cameras were on {_day(asked)}")
    expect(answer).to_be_visible()
    expect(answer.get_by_role("row").filter(has_text=_label(CAMERA))).to_contain_text(OLD_STREET)
    expect(answer.get_by_role("row").filter(has_text=_label(BOOKED_CAMERA))).to_contain_text(
        "In store (not deployed)"
    )
    # The question keeps the date asked.
    expect(page.locator("#on-day")).to_have_value(str(asked.day))
    visit.shot(page, "where-on")
    visit.check(page)

    # An impossible date: the error summary takes focus and links to the date.
    _tab_to(page, "on-day")
    page.keyboard.press("Control+a")
    page.keyboard.type("31")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type(str(TODAY.year - 1))
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Date must be a real date")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("table", name=re.compile(r"^Where the cameras were on"))).to_have_count(0)
    # Checked at the end, so that the rest of the page is still checked.
    summary_focused = _focus_lands_in_summary(page)
    after_submit = _where_focus_is(page)
    visit.shot(page, "where-on-error")
    visit.check(page)
    # The summary's link takes the user to the date's boxes.
    summary.get_by_role("link", name="Date must be a real date").click()
    after_link = _where_focus_is(page)
    close(page)

    problems = []
    if not summary_focused:
        problems.append(
            "after asking where the cameras were on an impossible date, the error summary does not "
            f"keep focus and is scrolled out of view: {after_submit}"
        )
    if after_link["id"] != "on-day":
        problems.append(
            "the error summary link 'Date must be a real date' does not take focus to the date's "
            f"day box: {after_link}"
        )
    assert not problems, "On /cameras, " + "; and ".join(problems)


def _focus_lands_in_summary(page) -> bool:
    """Whether the error summary has focus once the page has settled."""
    try:
        wait_for_focus_in_summary(page, timeout=3000)
    except PlaywrightTimeoutError:
        return False
    # Still there once the page has finished scrolling to any fragment.
    page.wait_for_timeout(300)
    return page.evaluate("() => document.activeElement.closest('.govuk-error-summary') !== null")


def _where_focus_is(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
                   const summary = document.querySelector('.govuk-error-summary');
                   return {url: location.pathname + location.search + location.hash,
                           tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href'),
                           scrollY: Math.round(window.scrollY),
                           summaryTop: summary ? Math.round(summary.getBoundingClientRect().top) : null}; }"""
    )
