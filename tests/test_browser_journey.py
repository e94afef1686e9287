"""One request from the officer's start page and task list to the installed
camera, through the real pages in real Chromium, as the four people
involved; axe on every page (QUALITY.md A11Y-1), error summary focus and
320 px reflow (A11Y-2)."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from cctv_requests.extensions import db
from cctv_requests.models import Camera, Deployment, Meeting, MoveRequest, User
from tests import factories
from tests.browser import (
    BOOM_PATH,
    NARROW,
    action,
    assert_accessible,
    assert_focus_visible,
    assert_no_horizontal_scroll,
    close,
    fill_date,
    heading,
    new_page,
    screenshot,
    sign_in,
    success_banner,
    wait_for_focus_in_summary,
)

pytestmark = pytest.mark.browser

STREET = "Gosforth Lane"
EXACT = "Lamp column 12, outside 40 Gosforth Lane, by the footpath to the recreation ground"
TITLE = "Motorbikes on the Gosforth Lane recreation ground"
CAMERA = "Camera 1 (RDC-01)"
WARD = "Oxhey Hall and Hayling"

# The buttons' words, as the service says them (workflow/definition.py labels).
SEND = "Send the request"
ENDORSE = "Endorse this request"
APPROVE = "Approve this request"
BOOK = "Book the camera's installation"
RECORD = "Record the camera's installation"


def _seed(app) -> dict:
    """The district, the five people of the journey and the meeting to use."""
    with app.app_context():
        factories.district()
        people = {
            "officer": factories.user("officer", name="Olivia Officer", email="officer@example.org"),
            "sponsor": factories.user(
                "sponsor",
                name="Sam Sponsor",
                email="sponsor@example.org",
                organisation="Hertfordshire Police",
            ),
            "coordinator": factories.user(
                "coordinator", name="Cara Coordinator", email="coordinator@example.org"
            ),
            "chair": factories.user("board", "chair", name="Charles Chair", email="chair@example.org"),
            "board1": factories.user("board", name="Bea Board", email="board1@example.org"),
            "board2": factories.user("board", name="Ben Board", email="board2@example.org"),
            "councillor": factories.user("councillor", name="Colin Councillor", email="cllr@example.org"),
        }
        today = date.today()
        # The meeting endorsed requests join by themselves: the first planned
        # one whose papers cut-off has not passed.
        later = db.session.scalar(
            sa.select(Meeting)
            .where(Meeting.status == "planned", Meeting.cutoff_on >= today)
            .order_by(Meeting.meets_on)
            .limit(1)
        ) or factories.meeting(today + timedelta(days=40))
        # The meeting held today, whose cut-off has passed: the coordinator
        # moves the item to it, as for an item brought forward.
        meeting = factories.meeting(today)
        # Where the camera of the journey is now: its deployment must close.
        camera_id = db.session.scalar(sa.select(Camera.id).where(Camera.asset_tag == "RDC-01"))
        previous = db.session.scalar(
            sa.select(Deployment).where(Deployment.camera_id == camera_id, Deployment.removed_on.is_(None))
        )
        meeting_option = f"{meeting.meets_on:%-d %B %Y} (papers cut-off {meeting.cutoff_on:%-d %B %Y})"
        camera_option = f"{CAMERA}, at {previous.site.street}"
        seeded = {
            # Plain values: the rows are detached once the session is removed.
            "people": {
                key: SimpleNamespace(id=u.id, name=u.name, email=u.email) for key, u in people.items()
            },
            "meeting_option": meeting_option,
            "camera_option": camera_option,
            "later_date": f"{later.meets_on:%-d %B %Y}",
            "later_title": later.title,
            "meeting_date": f"{meeting.meets_on:%-d %B %Y}",
            "meeting_title": meeting.title,
            "previous": (previous.id, previous.site_id, previous.site.street, previous.installed_on),
        }
        db.session.remove()
    return seeded


def _task_status(page, section: str):
    """The status beside a section's name in the task list."""
    item = page.locator(".govuk-task-list__item").filter(
        has=page.get_by_role("link", name=section, exact=True)
    )
    return item.locator(".govuk-task-list__status")


def _save_section(page, section: str) -> None:
    """Save a section with "Save and continue": back at the task list, it is
    completed."""
    page.get_by_role("button", name="Save and continue").click()
    expect(success_banner(page)).to_contain_text(f"{section}: section completed.")
    expect(heading(page)).to_have_text("Request a camera move")
    expect(_task_status(page, section)).to_have_text("Completed")
    assert_accessible(page)


def _open_section(page, section: str) -> None:
    page.get_by_role("link", name=section, exact=True).click()
    expect(heading(page)).to_have_text(section)
    assert_accessible(page)


def _fill_the_sections(page, today: date) -> None:
    """Every section of the task list, in order, each saved complete."""
    _open_section(page, "The problem")
    # The title given on the start page is carried into the section.
    expect(page.get_by_label("Short title")).to_have_value(TITLE)
    page.get_by_label("What is happening").fill("Motorbikes ridden at speed across the field most evenings.")
    # Each set of radios or checkboxes is a group named by its question.
    purposes = page.get_by_role("group", name="Purpose of the camera")
    purposes.get_by_label("Deter").check()
    purposes.get_by_label("Detect").check()
    page.get_by_label("Why is the need pressing").fill("A child was nearly hit last month.")
    page.get_by_role("group", name="CSP priority it serves").get_by_label("Violence").check()
    _save_section(page, "The problem")

    _open_section(page, "The site")
    # The ward chosen on the start page is carried into the section.
    expect(page.get_by_label("Ward").locator("option:checked")).to_have_text(WARD)
    page.get_by_label("Street name").fill(STREET)
    page.get_by_label("Exact location").fill(EXACT)
    page.get_by_label("What the camera needs to see").fill("The path between the shops and the field gate")
    page.get_by_role("group", name="Mounting").get_by_label("Dedicated pole").check()
    readiness = page.get_by_role("group", name="Power and consents")
    readiness.get_by_label("Power is available at the mounting point").check()
    readiness.get_by_label("The landowner has agreed").check()
    readiness.get_by_label("The highway authority has agreed").check()
    _save_section(page, "The site")

    _open_section(page, "Evidence and intelligence")
    page.get_by_label("Number of crimes in the baseline period").fill("12")
    page.get_by_label("Number of ASB incidents in the baseline period").fill("40")
    fill_date(page, "baseline_start", today - timedelta(days=180))
    fill_date(page, "baseline_end", today - timedelta(days=1))
    sources = page.get_by_role("group", name="Intelligence sources")
    sources.get_by_label("Police").check()
    sources.get_by_label("Local community").check()
    page.get_by_label("Summary of the intelligence").fill("Residents name the same two riders every week.")
    _save_section(page, "Evidence and intelligence")

    _open_section(page, "Alternatives")
    page.get_by_label("Alternatives tried or considered").fill("Barriers at the gates; police patrols.")
    _save_section(page, "Alternatives")

    _open_section(page, "Period and camera")
    fill_date(page, "wanted_start", today)
    page.get_by_label("Duration in weeks").fill("12")
    page.get_by_label("Camera preference").select_option(label=CAMERA)
    _save_section(page, "Period and camera")

    _open_section(page, "Urgency")
    page.get_by_role("group", name="Is the request routine or urgent?").get_by_label("Routine").check()
    expect(page.get_by_role("group", name="Grounds for urgency")).to_be_visible()
    _save_section(page, "Urgency")

    _open_section(page, "Privacy")
    page.get_by_label("The camera will be used overtly, with signs.").check()
    page.get_by_label("DPIA or location annex reference").fill("DPIA-2026-07")
    page.get_by_label("Signage plan").fill("Signs at both gates and on the lamp column.")
    page.get_by_label("Private areas that need masking").fill("The back gardens of 38 and 40 Gosforth Lane.")
    _save_section(page, "Privacy")

    _open_section(page, "Cost and sponsor")
    page.get_by_label("Estimated cost of the move").fill("850.50")
    page.get_by_label("Sponsor you have approached").select_option(label="Sam Sponsor, Hertfordshire Police")
    _save_section(page, "Cost and sponsor")


def test_a_request_goes_from_the_form_to_an_installed_camera(chromium, live_server):
    seeded = _seed(live_server.app)
    people = seeded["people"]
    today = date.today()

    # 1. The officer files the request: the start page, then each section
    # of the task list, then check your answers.
    officer = sign_in(chromium, live_server, people["officer"])
    officer.get_by_role("button", name="Start a new request").click()
    expect(heading(officer)).to_have_text("Request a camera move")
    assert_accessible(officer)

    officer.get_by_role("button", name="Start the request").click()
    summary = officer.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link", name="Select the ward")).to_have_attribute("href", "#ward_id")
    expect(officer).to_have_title(re.compile(r"^Error: "))
    # A11Y-2: after a failed submit the error summary takes focus.
    wait_for_focus_in_summary(officer)
    expect(officer.locator("#ward_id")).to_have_class(re.compile(r"govuk-select--error"))
    assert_accessible(officer)
    screenshot(officer, "desktop-form-with-errors")

    officer.get_by_label("Short title").fill(TITLE)
    officer.get_by_label("Ward").select_option(label=WARD)
    officer.get_by_role("button", name="Start the request").click()
    expect(heading(officer)).to_have_text("Request a camera move")
    expect(success_banner(officer)).to_contain_text(re.compile(r"Draft CCTV-\d{4}-\d{4} saved\."))
    expect(officer.get_by_text("You have completed 0 of 8 sections.")).to_be_visible()
    assert_accessible(officer)

    _fill_the_sections(officer, today)
    expect(officer.get_by_text("You have completed 8 of 8 sections.")).to_be_visible()
    officer.get_by_role("link", name="Check your answers and send the request").click()
    expect(heading(officer)).to_have_text("Check your answers before sending your request")
    expect(officer.get_by_text("Complete every section before you send the request.")).to_have_count(0)
    expect(officer.get_by_text(EXACT)).to_be_visible()
    reference = officer.locator(".govuk-caption-l").inner_text().strip()
    assert re.fullmatch(r"CCTV-\d{4}-\d{4}", reference), reference
    assert_accessible(officer)

    officer.get_by_role("button", name=SEND).click()
    expect(success_banner(officer)).to_contain_text(f"Request {reference} sent to your sponsor.")
    expect(heading(officer)).to_have_text(TITLE)
    expect(officer.locator(".govuk-tag").first).to_have_text("Waiting for sponsor")
    assert_accessible(officer)
    request_url = officer.url

    # 2. The sponsor endorses it.
    sponsor = sign_in(chromium, live_server, people["sponsor"])
    waiting = sponsor.get_by_role("region", name=re.compile("Requests waiting for you to sponsor"))
    waiting.get_by_role("link", name=reference).click()
    expect(heading(sponsor)).to_have_text(TITLE)
    expect(sponsor.get_by_text(EXACT)).to_be_visible()
    assert_accessible(sponsor)
    action(sponsor, ENDORSE).click()
    expect(heading(sponsor)).to_have_text(ENDORSE)
    assert_accessible(sponsor)
    sponsor.get_by_role("button", name=ENDORSE).click()
    expect(success_banner(sponsor)).to_contain_text(f"You have endorsed {reference}.")
    # Endorsed, it joins the next agenda whose papers are open, by itself.
    expect(sponsor.locator(".govuk-tag").first).to_have_text("On board agenda")
    assert_accessible(sponsor)
    close(sponsor)

    # 3. The coordinator brings the item forward to today's meeting and
    # publishes that meeting's agenda.
    coordinator = sign_in(chromium, live_server, people["coordinator"])
    coordinator.get_by_role("navigation", name="Menu").get_by_role("link", name="Meetings").click()
    coordinator.get_by_role("link", name=seeded["later_date"], exact=True).click()
    expect(heading(coordinator)).to_have_text(seeded["later_title"])
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name=re.compile(f"^Move {reference} to another meeting$")).click()
    expect(heading(coordinator)).to_have_text(f"Move {reference} to another meeting")
    assert_accessible(coordinator)
    coordinator.get_by_label("Move to meeting").select_option(label=seeded["meeting_option"])
    coordinator.get_by_role("button", name="Move the item").click()
    expect(success_banner(coordinator)).to_contain_text(
        f"{reference} moved to the meeting of {seeded['meeting_date']}."
    )
    coordinator.get_by_role("navigation", name="Menu").get_by_role("link", name="Meetings").click()
    coordinator.get_by_role("link", name=seeded["meeting_date"], exact=True).click()
    expect(coordinator.get_by_role("heading", name=re.compile(reference))).to_be_visible()
    coordinator.get_by_role("button", name="Publish the agenda").click()
    expect(success_banner(coordinator)).to_contain_text("The agenda is published.")
    assert_accessible(coordinator)

    # 4. The chair runs the meeting and the board approves the request.
    chair = sign_in(chromium, live_server, people["chair"])
    chair.get_by_role("navigation", name="Menu").get_by_role("link", name="Meetings").click()
    expect(heading(chair)).to_have_text("Board meetings")
    assert_accessible(chair)
    chair.get_by_role("link", name=seeded["meeting_date"], exact=True).click()
    expect(heading(chair)).to_have_text(seeded["meeting_title"])
    expect(chair.get_by_role("heading", name=re.compile(reference))).to_be_visible()
    assert_accessible(chair)

    chair.get_by_role("button", name="Start the meeting").click()
    expect(success_banner(chair)).to_contain_text("The meeting is in session.")
    assert_accessible(chair)
    present = chair.get_by_role("group", name="Who is present")
    for name in ("Charles Chair", "Bea Board", "Ben Board"):
        present.get_by_label(name).check()
    chair.get_by_role("button", name="Save attendance").click()
    expect(success_banner(chair)).to_contain_text("Attendance saved: 3 present.")
    expect(chair.get_by_text("3 members; 3 recorded as present")).to_be_visible()
    present_line = chair.get_by_text(re.compile(r"^Present: "))
    for name in ("Charles Chair", "Bea Board", "Ben Board"):
        expect(present_line).to_contain_text(name)
    assert_accessible(chair)

    action(chair, f"{APPROVE} {reference}").click()
    expect(heading(chair)).to_have_text(APPROVE)
    assert_accessible(chair)
    chair.get_by_label("Camera", exact=True).select_option(label=seeded["camera_option"])
    # The period comes from the request: from the wanted start, for 12 weeks.
    expect(chair.locator("#start-day")).to_have_value(str(today.day))
    end = today + timedelta(weeks=12)
    expect(chair.locator("#end-year")).to_have_value(str(end.year))
    chair.get_by_label("Votes for").fill("3")
    chair.get_by_label("Votes against").fill("0")
    chair.get_by_label("Abstentions").fill("0")
    chair.get_by_label("Reasons for the decision").fill("Clear evidence; the alternatives have been tried.")
    chair.get_by_role("button", name=APPROVE).click()
    expect(heading(chair)).to_have_text(seeded["meeting_title"])
    expect(success_banner(chair)).to_contain_text(f"{reference} has been approved.")
    screenshot(chair, "desktop-meeting-after-decision")
    item = chair.locator(".govuk-summary-card", has_text=reference)
    expect(item).to_contain_text("for 3, against 0, abstained 0")
    expect(item.locator(".govuk-tag")).to_have_text("Approved")
    assert_accessible(chair)
    close(chair)

    # 5. The coordinator books the installation and records it.
    coordinator.get_by_role("navigation", name="Menu").get_by_role("link", name="Home").click()
    expect(heading(coordinator)).to_have_text("Cara Coordinator")
    assert_accessible(coordinator)
    to_book = coordinator.get_by_role("region", name=re.compile("Approved requests to book an installation"))
    to_book.get_by_role("link", name=reference).click()
    expect(coordinator.locator(".govuk-tag").first).to_have_text("Approved")
    assert_accessible(coordinator)
    action(coordinator, BOOK).click()
    expect(heading(coordinator)).to_have_text(BOOK)
    assert_accessible(coordinator)
    expect(coordinator.get_by_label("Camera", exact=True).locator("option:checked")).to_have_text(
        seeded["camera_option"]
    )
    fill_date(coordinator, "installation_date", today)
    coordinator.get_by_label("Installer").fill("Herts CCTV Installations Ltd")
    coordinator.get_by_label("Cost of the installation, in pounds").fill("450")
    coordinator.get_by_role("button", name=BOOK).click()
    expect(success_banner(coordinator)).to_contain_text(f"Installation of {reference} booked.")
    expect(coordinator.locator(".govuk-tag").first).to_have_text("Installation booked")
    assert_accessible(coordinator)

    # The go-live gates: the survey and both consents are recorded first.
    expect(action(coordinator, RECORD)).to_have_count(0)
    coordinator.get_by_role("link", name="Site survey", exact=True).click()
    expect(heading(coordinator)).to_have_text("Site survey and consents")
    assert_accessible(coordinator)
    fill_date(coordinator, "surveyed_on", today)
    coordinator.get_by_label("Who surveyed the site").fill("Sam Surveyor, Herts CCTV")
    fill_date(coordinator, "landowner_consent_on", today)
    fill_date(coordinator, "highway_consent_on", today)
    coordinator.get_by_role("button", name="Save survey and consents").click()
    expect(success_banner(coordinator)).to_contain_text("Site survey and consents saved.")

    action(coordinator, RECORD).click()
    expect(heading(coordinator)).to_have_text(RECORD)
    assert_accessible(coordinator)
    fill_date(coordinator, "installed_on", today)
    expect(coordinator.get_by_label("DPIA or location annex reference")).to_have_value("DPIA-2026-07")
    coordinator.get_by_label("The signs are up").check()
    fill_date(coordinator, "review_due", today + timedelta(weeks=6))
    coordinator.get_by_role("button", name=RECORD).click()
    expect(success_banner(coordinator)).to_contain_text(
        f"Installation of {reference} recorded. The camera is now live at this site."
    )

    # 6. What everyone can now see, and what the database holds.
    expect(coordinator.locator(".govuk-tag").first).to_have_text("Camera installed")
    expect(coordinator.locator("#history ~ ol h3").first).to_have_text("Camera installed")
    assert_accessible(coordinator)
    coordinator.get_by_role("navigation", name="Menu").get_by_role("link", name="Cameras").click()
    expect(heading(coordinator)).to_have_text("Cameras")
    camera_row = coordinator.get_by_role("row").filter(has_text=CAMERA)
    # The exact location already names the street, so it is not repeated.
    expect(camera_row).to_contain_text(f"{EXACT}, Oxhey Hall and Hayling")
    expect(camera_row).not_to_contain_text(seeded["previous"][2])
    assert_accessible(coordinator)
    screenshot(coordinator, "desktop-cameras")
    close(coordinator)

    officer.goto(request_url)
    expect(officer.locator(".govuk-tag").first).to_have_text("Camera installed")
    expect(_summary_value(officer, "Camera")).to_have_text(CAMERA)
    expect(_summary_value(officer, "Installed on")).to_have_text(f"{today:%-d %B %Y}")
    assert_accessible(officer)
    screenshot(officer, "desktop-request-installed")
    officer.get_by_role("button", name="Sign out").click()
    expect(heading(officer)).to_have_text("Sign in")
    expect(success_banner(officer)).to_contain_text("You have signed out.")
    assert_accessible(officer)
    close(officer)

    with live_server.app.app_context():
        move_request = db.session.scalar(sa.select(MoveRequest).where(MoveRequest.reference == reference))
        assert move_request.status == "live"
        assert move_request.approved_camera.label == CAMERA
        previous_id, previous_site_id, _street, previous_installed_on = seeded["previous"]
        deployments = {
            (d.id, d.site_id, d.installed_on, d.removed_on, d.move_request_id)
            for d in db.session.scalars(
                sa.select(Deployment).where(Deployment.camera_id == move_request.approved_camera_id)
            )
        }
        new_id = db.session.scalar(
            sa.select(Deployment.id).where(Deployment.move_request_id == move_request.id)
        )
        # The deployment at the old site closed on the installation date, and
        # one at the request's site is open.
        assert deployments == {
            (previous_id, previous_site_id, previous_installed_on, today, None),
            (new_id, move_request.site_id, today, None, move_request.id),
        }
        assert move_request.site.exact_location == EXACT
        db.session.remove()


def _summary_value(page, key: str):
    """The value in the summary list row whose key is exactly ``key``."""
    key_cell = page.locator("dt", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    return page.locator(".govuk-summary-list__row").filter(has=key_cell).locator(".govuk-summary-list__value")


def test_error_pages_are_accessible(chromium, live_server):
    people = _seed(live_server.app)["people"]

    officer = sign_in(chromium, live_server, people["officer"])
    officer.goto("/requests/999999")
    expect(heading(officer)).to_have_text("Page not found")
    assert_accessible(officer)
    close(officer)

    councillor = sign_in(chromium, live_server, people["councillor"])
    response = councillor.goto("/meetings")
    assert response.status == 403
    expect(heading(councillor)).to_have_text("You do not have permission to see this page")
    assert_accessible(councillor)
    close(councillor)

    anonymous = new_page(chromium, live_server)
    response = anonymous.goto("/no-such-page")
    assert response.status == 404
    expect(heading(anonymous)).to_have_text("Page not found")
    assert_accessible(anonymous)
    response = anonymous.goto(BOOM_PATH)
    assert response.status == 500
    assert anonymous.server_errors == [f"500 GET {live_server.url}{BOOM_PATH}"]
    anonymous.server_errors.clear()  # expected here
    expect(heading(anonymous)).to_have_text("Sorry, there is a problem with the service")
    expect(anonymous.get_by_text("Deliberate failure")).to_have_count(0)
    assert_accessible(anonymous)
    close(anonymous)


def test_pages_reflow_at_320_css_pixels(chromium, live_server):
    people = _seed(live_server.app)["people"]
    with live_server.app.app_context():
        officer_user = db.session.get(User, people["officer"].id)
        sponsor_user = db.session.get(User, people["sponsor"].id)
        move_request = factories.move_request(
            requester=officer_user,
            sponsor=sponsor_user,
            status="submitted",
            title=TITLE,
            site_obj=factories.site(street=STREET, exact_location=EXACT),
        )
        request_path = f"/requests/{move_request.id}"
        db.session.remove()

    # Sign in by keyboard alone, with the focus visible at each step (A11Y-2).
    officer = new_page(chromium, live_server, viewport=NARROW)
    officer.goto("/sign-in")
    expect(heading(officer)).to_have_text("Sign in")
    assert_no_horizontal_scroll(officer)
    officer.keyboard.press("Tab")
    expect(officer.get_by_role("link", name="Skip to main content")).to_be_focused()
    assert_focus_visible(officer)
    officer.keyboard.press("Enter")
    officer.keyboard.press("Tab")
    expect(officer.get_by_label("Email address")).to_be_focused()
    assert_focus_visible(officer)
    officer.keyboard.type(people["officer"].email)
    officer.keyboard.press("Tab")
    expect(officer.get_by_label("Password", exact=True)).to_be_focused()
    assert_focus_visible(officer)
    officer.keyboard.type(factories.PASSWORD)
    officer.keyboard.press("Enter")
    expect(heading(officer)).to_have_text(people["officer"].name)
    assert_no_horizontal_scroll(officer)
    assert_accessible(officer)

    # The service navigation folds behind a menu button at this width.
    officer.get_by_role("button", name="Menu").click()
    officer.get_by_role("link", name="New request").click()
    expect(heading(officer)).to_have_text("Request a camera move")
    assert_accessible(officer)
    assert_no_horizontal_scroll(officer)
    officer.get_by_role("button", name="Start the request").click()
    expect(officer.locator(".govuk-error-summary")).to_be_visible()
    assert_no_horizontal_scroll(officer)
    assert_accessible(officer)
    screenshot(officer, "narrow-form-with-errors")

    officer.goto(request_path)
    expect(heading(officer)).to_have_text(TITLE)
    assert_no_horizontal_scroll(officer)
    assert_accessible(officer)
    screenshot(officer, "narrow-request")

    # A table too wide for the screen scrolls inside a region the keyboard can reach.
    officer.goto("/cameras")
    expect(heading(officer)).to_have_text("Cameras")
    assert_no_horizontal_scroll(officer)
    region = officer.get_by_role("region", name="Cameras and where they are now")
    region.focus()
    expect(region).to_be_focused()
    assert_accessible(officer)
    close(officer)
