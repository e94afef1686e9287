"""A whole board meeting through the real pages in real Chromium: the agenda
published, the meeting started, attendance, an interest declared, a request
approved (after a refused vote count), a chair's action ratified, an item not
reached, the meeting closed and its minutes approved; then what a councillor
and a board member see. axe on every page (QUALITY.md A11Y-1), at desktop
width and at 320 CSS pixels with no sideways scrolling, a keyboard step and
the error summary taking focus (A11Y-2)."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from cctv_requests.extensions import db
from cctv_requests.models import AgendaItem, Interest, Meeting, MoveRequest
from tests import factories
from tests.browser import (
    DESKTOP,
    NARROW,
    action,
    assert_focus_visible,
    close,
    fill_date,
    heading,
    screenshot,
    success_banner,
    wait_for_focus_in_summary,
)
from tests.browser import (
    Visit as JourneyVisit,
)

pytestmark = pytest.mark.browser

# Every screenshot is also kept here, whatever BROWSER_SHOTS says.
SHOTS = Path("/tmp/shots")

DEPLOYED = ("Camera 1", "RDC-01")
BOOKED = ("Camera 2", "RDC-02")
TO_APPROVE = "Motorbikes on the Gosforth Lane recreation ground"
WITH_INTEREST = "Dealing outside the Bedmond Road shops"
BY_CHAIRS_ACTION = "Arson attacks on the Kytes Drive garages"
CONDITIONS = "Mask the windows of numbers 38 and 40; signs at both gates before the camera goes live."


def _label(camera: tuple[str, str]) -> str:
    name, tag = camera
    return f"{name} ({tag})"


def _seed(app) -> dict:
    """The board (a chair and three members), a coordinator and a councillor;
    today's meeting with two requests and a chair's action to ratify on its
    agenda, a later meeting to carry an item to, and two cameras: one up at a
    site, one booked by the chair's action."""
    today = date.today()
    with app.app_context():
        people = {
            "coordinator": factories.user(
                "coordinator", name="Cara Coordinator", email="coordinator@example.org"
            ),
            "chair": factories.user("board", "chair", name="Charles Chair", email="chair@example.org"),
            "board1": factories.user("board", name="Bea Board", email="board1@example.org"),
            "board2": factories.user("board", name="Ben Board", email="board2@example.org"),
            "board3": factories.user("board", name="Bill Board", email="board3@example.org"),
            "councillor": factories.user("councillor", name="Colin Councillor", email="cllr@example.org"),
        }
        officer = factories.user("officer", name="Olivia Officer", email="officer@example.org")
        sponsor = factories.user(
            "sponsor", name="Sam Sponsor", email="sponsor@example.org", organisation="Hertfordshire Police"
        )
        oxhey = factories.ward("Oxhey Hall and Hayling")
        abbots = factories.ward("Abbots Langley and Bedmond")

        deployed = factories.camera(name=DEPLOYED[0], asset_tag=DEPLOYED[1])
        booked = factories.camera(name=BOOKED[0], asset_tag=BOOKED[1])
        factories.deployment(
            deployed,
            factories.site(
                oxhey,
                street="Prestwick Road",
                exact_location="Lamp column 4, Prestwick Road, facing the parade of shops",
                view_description="The shop fronts and the bus stop",
            ),
            installed_on=today - timedelta(days=60),
        )

        meeting = factories.meeting(today)
        later = factories.meeting(today + timedelta(days=120))

        def request(title, street, exact, ward, submitted_days_ago, **fields):
            return factories.move_request(
                requester=officer,
                sponsor=sponsor,
                title=title,
                site_obj=factories.site(
                    ward, street=street, exact_location=exact, view_description="The path and the gate"
                ),
                submitted_at=datetime.now(UTC) - timedelta(days=submitted_days_ago),
                **fields,
            )

        to_approve = request(
            TO_APPROVE,
            "Gosforth Lane",
            "Lamp column 12, outside 40 Gosforth Lane",
            oxhey,
            30,
            status="on_agenda",
            reference=f"CCTV-{today.year}-0101",
        )
        with_interest = request(
            WITH_INTEREST,
            "Bedmond Road",
            "Telegraph pole opposite 7 Bedmond Road",
            abbots,
            20,
            status="on_agenda",
            reference=f"CCTV-{today.year}-0102",
        )
        by_chairs_action = request(
            BY_CHAIRS_ACTION,
            "Kytes Drive",
            "Wall bracket on the end garage of the Kytes Drive block",
            abbots,
            40,
            status="approved",
            reference=f"CCTV-{today.year}-0099",
            urgency="urgent",
            urgent_ground="risk_of_harm",
            urgent_explanation="Three garages set alight in a week, next to houses.",
            chair_action=True,
            approved_camera_id=booked.id,
            approved_start=today + timedelta(days=7),
            approved_end=today + timedelta(days=90),
            last_reason="Fires spreading towards homes; could not wait for the board.",
        )
        factories.agenda_item(meeting, to_approve)
        factories.agenda_item(meeting, with_interest)
        factories.agenda_item(meeting, by_chairs_action, kind="ratification")

        seeded = {
            # Plain values: the rows are detached once the session is removed.
            "people": {
                key: SimpleNamespace(id=u.id, name=u.name, email=u.email) for key, u in people.items()
            },
            "meeting_id": meeting.id,
            "meeting_title": meeting.title,
            "meeting_date": f"{today:%-d %B %Y}",
            "later_id": later.id,
            "later_date": f"{later.meets_on:%-d %B %Y}",
            "to_approve": to_approve.reference,
            "with_interest": with_interest.reference,
            "by_chairs_action": by_chairs_action.reference,
        }
        db.session.remove()
    return seeded


class Visit(JourneyVisit):
    def __init__(self, viewport: dict):
        super().__init__(viewport)
        self.prefix = "narrow" if self.narrow else "desktop"

    def shot(self, page, name: str) -> None:
        name = f"{self.prefix}-{name}"
        screenshot(page, name)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _item(page, reference: str):
    """The agenda item card of a request on the meeting page."""
    return page.locator(".govuk-summary-card", has=page.get_by_role("heading", name=re.compile(reference)))


def _summary_value(page, key: str):
    """The value in the summary list row whose key is exactly ``key``."""
    key_cell = page.locator("dt", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    return page.locator(".govuk-summary-list__row").filter(has=key_cell).locator(".govuk-summary-list__value")


def _open_meeting(visit: Visit, page, seeded: dict) -> None:
    visit.menu(page, "Meetings")
    expect(heading(page)).to_have_text("Board meetings")
    visit.check(page)
    page.get_by_role("link", name=seeded["meeting_date"], exact=True).click()
    expect(heading(page)).to_have_text(seeded["meeting_title"])
    visit.check(page)


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "320px"])
def test_a_board_meeting_from_its_agenda_to_approved_minutes(chromium, live_server, viewport):
    seeded = _seed(live_server.app)
    people = seeded["people"]
    visit = Visit(viewport)
    today = date.today()
    to_approve, with_interest, by_chairs_action = (
        seeded["to_approve"],
        seeded["with_interest"],
        seeded["by_chairs_action"],
    )

    # 1. The coordinator publishes the agenda and opens the agenda pack.
    coordinator = visit.sign_in(chromium, live_server, people["coordinator"])
    visit.menu(coordinator, "Meetings")
    expect(heading(coordinator)).to_have_text("Board meetings")
    upcoming = coordinator.get_by_role("region", name="Upcoming meetings")
    expect(upcoming.get_by_role("row").filter(has_text=seeded["meeting_date"])).to_contain_text("Planned")
    visit.check(coordinator)
    visit.shot(coordinator, "meetings-list")
    coordinator.get_by_role("link", name=seeded["meeting_date"], exact=True).click()
    expect(heading(coordinator)).to_have_text(seeded["meeting_title"])
    for reference in (by_chairs_action, to_approve, with_interest):
        expect(coordinator.get_by_role("heading", name=re.compile(reference))).to_be_visible()
    visit.check(coordinator)
    visit.shot(coordinator, "meeting-planned")

    coordinator.get_by_role("button", name="Publish the agenda").click()
    expect(success_banner(coordinator)).to_contain_text("The agenda is published.")
    expect(coordinator.get_by_role("button", name="Publish the agenda")).to_have_count(0)
    visit.check(coordinator)
    coordinator.get_by_role("link", name="Agenda pack", exact=True).click()
    expect(heading(coordinator)).to_have_text("Agenda pack")
    expect(coordinator.get_by_text("Restricted", exact=True)).to_be_visible()
    for reference in (by_chairs_action, to_approve, with_interest):
        expect(coordinator.get_by_role("heading", name=re.compile(reference))).to_be_visible()
    visit.check(coordinator)
    visit.shot(coordinator, "agenda-pack")
    close(coordinator)

    # 2. The chair starts the meeting and records who is there.
    chair = visit.sign_in(chromium, live_server, people["chair"])
    _open_meeting(visit, chair, seeded)
    chair.get_by_role("button", name="Start the meeting").click()
    expect(success_banner(chair)).to_contain_text("The meeting is in session.")
    visit.check(chair)
    present = chair.get_by_role("group", name="Who is present")
    members = ("Charles Chair", "Bea Board", "Ben Board", "Bill Board")
    for name in members:
        present.get_by_label(name, exact=True).check()
    chair.get_by_role("button", name="Save attendance").click()
    expect(success_banner(chair)).to_contain_text("Attendance saved: 4 present.")
    expect(chair.get_by_text("3 members; 4 recorded as present")).to_be_visible()
    visit.check(chair)
    visit.shot(chair, "meeting-in-session")

    # 3. A board member declares an interest in one item, by keyboard.
    member = visit.sign_in(chromium, live_server, people["board1"])
    _open_meeting(visit, member, seeded)
    member.get_by_role("link", name=f"Declare an interest in {with_interest}").click()
    expect(heading(member)).to_have_text(f"Declare an interest in {with_interest}")
    visit.check(member)
    member.get_by_label("Your interest").fill("I live on Bedmond Road, two doors from the shops.")
    member.keyboard.press("Tab")
    declare = member.get_by_role("button", name="Declare interest")
    expect(declare).to_be_focused()
    assert_focus_visible(member)
    member.keyboard.press("Enter")
    expect(heading(member)).to_have_text(seeded["meeting_title"])
    expect(success_banner(member)).to_contain_text(
        f"Your interest in {with_interest} is recorded. You take no part in its decision."
    )
    expect(_item(member, with_interest)).to_contain_text("Bea Board: I live on Bedmond Road")
    visit.check(member)
    close(member)

    # 4. The chair approves one request: a vote count that cannot be is refused first.
    chair.reload()
    expect(_item(chair, with_interest)).to_contain_text("Bea Board: I live on Bedmond Road")
    visit.check(chair)
    action(chair, f"Approve this request {to_approve}").click()
    expect(heading(chair)).to_have_text("Approve this request")
    board = chair.get_by_role("region", name="The cameras: where each is, and when each is free")
    expect(board.get_by_role("row").filter(has_text=_label(DEPLOYED))).to_contain_text("Prestwick Road")
    expect(board.get_by_role("row").filter(has_text=_label(BOOKED))).to_contain_text(by_chairs_action)
    visit.check(chair)
    visit.shot(chair, "approve-form")
    camera = chair.get_by_label("Camera", exact=True)
    # Each option names the camera, then where it is now.
    option = camera.locator("option", has_text=_label(DEPLOYED))
    expect(option).to_contain_text("Prestwick Road")
    camera.select_option(value=option.get_attribute("value"))
    start, end = today + timedelta(days=14), today + timedelta(days=14 + 12 * 7)
    fill_date(chair, "start", start)
    fill_date(chair, "end", end)
    chair.get_by_label("Votes for").fill("9")
    chair.get_by_label("Votes against").fill("0")
    chair.get_by_label("Abstentions").fill("0")
    chair.get_by_label("Conditions").fill(CONDITIONS)
    chair.get_by_label("Reasons for the decision").fill("Clear evidence; barriers and patrols have failed.")
    chair.get_by_role("button", name="Approve this request").click()
    summary = chair.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("The votes add up to 9, but only 4 members present may vote")
    expect(chair).to_have_title(re.compile(r"^Error: "))
    # A11Y-2: after a failed submit the error summary takes focus.
    wait_for_focus_in_summary(chair)
    visit.check(chair)
    visit.shot(chair, "approve-form-errors")
    # INP-3 and WCAG 3.3.1: the error is about the votes, so the summary links
    # to the votes and they are the fields marked in error. Checked at the
    # end, so that the rest of the meeting is still walked through.
    votes_error = {
        "summary links to": summary.get_by_role("link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        ),
        "fields marked in error": chair.locator(
            ".govuk-form-group--error :is(input, select, textarea)"
        ).evaluate_all("fields => fields.map(f => f.id)"),
    }
    # The form keeps what was entered.
    expect(chair.get_by_label("Conditions")).to_have_value(CONDITIONS)
    chair.get_by_label("Votes for").fill("3")
    chair.get_by_role("button", name="Approve this request").click()
    expect(heading(chair)).to_have_text(seeded["meeting_title"])
    expect(success_banner(chair)).to_contain_text(f"{to_approve} has been approved.")
    approved = _item(chair, to_approve)
    expect(approved).to_contain_text("for 3, against 0, abstained 0")
    expect(approved).to_contain_text(CONDITIONS)
    expect(approved).to_contain_text(f"{_label(DEPLOYED)}, {start:%-d %B %Y} to {end:%-d %B %Y}")
    visit.check(chair)

    # 5. The chair's action is ratified.
    action(chair, f"Ratify the chair's action {by_chairs_action}").click()
    expect(heading(chair)).to_have_text("Ratify the chair's action")
    visit.check(chair)
    chair.get_by_label("Votes for").fill("4")
    chair.get_by_label("Votes against").fill("0")
    chair.get_by_label("Abstentions").fill("0")
    chair.get_by_role("button", name="Ratify the chair's action").click()
    expect(success_banner(chair)).to_contain_text(
        f"The chair's action on {by_chairs_action} has been ratified."
    )
    expect(_item(chair, by_chairs_action)).to_contain_text("Chair's action ratified")
    visit.check(chair)

    # 6. The item with an interest is not reached: it goes to the next meeting.
    # The hidden part of the name is a block of its own, so Chromium puts a space before it.
    not_reached = re.compile(rf"^Not reached \(carry {with_interest} to the next meeting\)$")
    chair.get_by_role("button", name=not_reached).click()
    expect(success_banner(chair)).to_contain_text(
        f"{with_interest} was not reached. It goes to the meeting of {seeded['later_date']}."
    )
    expect(_item(chair, with_interest)).to_contain_text("Not reached: carried to the next meeting")
    visit.check(chair)

    # 7. The meeting closes; the chair reads the minutes and approves them.
    chair.get_by_role("button", name="Close the meeting").click()
    expect(success_banner(chair)).to_contain_text("The meeting is closed.")
    visit.check(chair)
    chair.get_by_role("link", name="Minutes", exact=True).click()
    expect(heading(chair)).to_have_text("Minutes")
    expect(chair.get_by_text("Draft: not yet approved by the chair")).to_be_visible()
    for name in members:
        expect(_summary_value(chair, "Present")).to_contain_text(name)
    expect(
        chair.get_by_role("region", name="The cameras as they stood when the meeting closed")
    ).to_be_visible()
    visit.check(chair)
    visit.shot(chair, "minutes")
    chair.get_by_role("link", name="Back to the meeting").click()
    expect(heading(chair)).to_have_text(seeded["meeting_title"])
    visit.check(chair)
    chair.get_by_role("button", name="Approve the minutes").click()
    expect(success_banner(chair)).to_contain_text("The minutes are approved.")
    visit.check(chair)
    chair.get_by_role("link", name="Minutes", exact=True).click()
    expect(chair.get_by_text(re.compile(r"Approved as a true record by Charles Chair"))).to_be_visible()
    visit.check(chair)
    close(chair)

    # 8. A councillor sees only counts.
    councillor = visit.sign_in(chromium, live_server, people["councillor"])
    visit.menu(councillor, "Board meetings")
    expect(heading(councillor)).to_have_text("What the board decided")
    visit.check(councillor)
    councillor.get_by_role("link", name=f"Meeting of {seeded['meeting_date']}", exact=True).click()
    expect(heading(councillor)).to_have_text(f"Summary: {seeded['meeting_title']}")
    expect(councillor.get_by_role("table", name="Items by outcome")).to_be_visible()
    expect(councillor.get_by_role("table", name="Items by ward")).to_contain_text("Oxhey Hall and Hayling")
    for secret in (to_approve, with_interest, by_chairs_action, "Gosforth Lane", "Bedmond Road"):
        expect(councillor.get_by_text(secret)).to_have_count(0)
    visit.check(councillor)
    visit.shot(councillor, "councillor-summary")
    close(councillor)

    # 9. A board member adds the meetings to their calendar.
    member = visit.sign_in(chromium, live_server, people["board2"])
    visit.menu(member, "Meetings")
    expect(heading(member)).to_have_text("Board meetings")
    visit.check(member)
    member.get_by_role("link", name="Add the meetings to your calendar").click()
    expect(heading(member)).to_have_text("Board meetings in your calendar")
    visit.check(member)
    member.get_by_role("button", name="Get your calendar address").click()
    expect(success_banner(member)).to_contain_text("Your calendar address is ready.")
    address = member.locator("code").inner_text().strip()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/meetings/calendar\.ics\?key=[\w-]{{32,}}", address)
    visit.check(member)
    visit.shot(member, "calendar")
    feed = member.request.get(address)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text()
    close(member)

    # 10. What the database holds.
    with live_server.app.app_context():
        meeting = db.session.get(Meeting, seeded["meeting_id"])
        assert meeting.status == "minutes_approved"
        assert meeting.minutes_approved_by_id == people["chair"].id
        outcomes = dict(
            db.session.execute(
                sa.select(MoveRequest.reference, AgendaItem.outcome)
                .join(AgendaItem, AgendaItem.move_request_id == MoveRequest.id)
                .where(AgendaItem.meeting_id == meeting.id)
            ).all()
        )
        assert outcomes == {
            to_approve: "approved",
            by_chairs_action: "ratified",
            with_interest: "not_reached",
        }
        carried = db.session.scalar(
            sa.select(AgendaItem)
            .join(MoveRequest, MoveRequest.id == AgendaItem.move_request_id)
            .where(MoveRequest.reference == with_interest, AgendaItem.meeting_id == seeded["later_id"])
        )
        assert carried is not None and carried.outcome is None and carried.carried_from_id is not None
        approved_request = db.session.scalar(
            sa.select(MoveRequest).where(MoveRequest.reference == to_approve)
        )
        assert approved_request.status == "approved"
        assert (approved_request.approved_start, approved_request.approved_end) == (start, end)
        assert approved_request.approved_camera.asset_tag == DEPLOYED[1]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Interest)) == 1
        db.session.remove()

    assert votes_error == {"summary links to": ["#votes_for"], "fields marked in error": ["votes_for"]}, (
        "On the approve form, the refusal 'The votes add up to 9, but only 4 members present may vote' "
        f"is not shown on the votes: {votes_error}"
    )
