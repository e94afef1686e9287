"""The officer's request form as a task list (the GOV.UK "complete multiple
tasks" pattern) in real Chromium: the start page, the eight sections, check
your answers and sending; the sponsor returning the request with sections
ticked; the officer seeing what was asked, changing it and sending again;
the sponsor endorsing it.

axe on every page visited, error pages included (QUALITY.md A11Y-1); at
320 CSS pixels no page scrolls sideways; answers typed and chosen by keyboard;
after a failed submit the error summary takes focus, and each of its links
takes focus to the control it names; the task list and the section buttons
reached by Tab with a visible focus (A11Y-2). Set BROWSER_SHOTS=/tmp/shots to
keep screenshots of the task list."""

import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from cctv_requests.extensions import db
from cctv_requests.models import MoveRequest, User
from tests import factories
from tests.browser import (
    DESKTOP,
    NARROW,
    action,
    assert_accessible,
    assert_focus_visible,
    close,
    heading,
    sign_in,
    success_banner,
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
TITLE = "Motorbikes on the Gosforth Lane recreation ground"
STREET = "Gosforth Lane"
EXACT = "Lamp column 12, outside 40 Gosforth Lane"
SPONSOR_CHOICE = "Sam Sponsor, Hertfordshire Police"
RETURN_REASON = "The crime figures look out of date and the cost has no quote behind it."

# The task list, in order (docs/lifecycle.md, "Filing a request").
SECTIONS = (
    "The problem",
    "The site",
    "Evidence and intelligence",
    "Alternatives",
    "Period and camera",
    "Urgency",
    "Privacy",
    "Cost and sponsor",
)
SEND_STEP = "Check your answers and send the request"
# The two sections the sponsor asks to be changed.
ASKED = ("Evidence and intelligence", "Cost and sponsor")

# The buttons' words, as the service says them now.
START = "Start the request"
SEND = "Send the request"
ENDORSE = "Endorse this request"
RETURN = "Return this request for changes"


# --- set-up ----------------------------------------------------------------------------------


def _seed(app) -> dict:
    """The district (wards, cameras, the CSP priorities), the officer, the
    sponsor they approach and another sponsor. Returns plain values."""
    with app.app_context():
        factories.district()
        officer = factories.user("officer", name="Olivia Officer", email="officer@example.org")
        sponsor = factories.user(
            "sponsor", name="Sam Sponsor", email="sponsor@example.org", organisation="Hertfordshire Police"
        )
        factories.user("sponsor", name="Pat Partner", email="partner@example.org", organisation="Watford BC")
        people = {
            key: SimpleNamespace(id=u.id, name=u.name, email=u.email)
            for key, u in (("officer", officer), ("sponsor", sponsor))
        }
        db.session.remove()
    return people


# --- the checks on each page -------------------------------------------------------------------


class Visit(JourneyVisit):
    journey = "request-tasks"

    def sign_out(self, page) -> None:
        """Sign out with the button in the service navigation, which folds
        behind the menu button at 320 px."""
        if self.narrow:
            page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Sign out").click()
        expect(heading(page)).to_have_text("Sign in")
        expect(success_banner(page)).to_contain_text("You have signed out.")
        self.check(page)

    def sign_in_here(self, page, person) -> None:
        """Sign in as ``person`` on the sign-in page already open."""
        page.get_by_label("Email address").fill(person.email)
        page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(heading(page)).to_have_text(person.name)
        self.check(page)


def _wait_for_focus_on_summary(page) -> None:
    """A11Y-2: after a failed submit the error summary itself takes focus.
    (A function, not an expression: the page's CSP forbids eval when polled.)"""
    page.wait_for_function(
        "() => document.activeElement.classList.contains('govuk-error-summary')", timeout=5000
    )


def _failed(page, visit: Visit) -> None:
    """The page after a failed submit: the error summary, with focus; the
    title begins "Error: "; axe on the page as it is."""
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    _wait_for_focus_on_summary(page)
    visit.check(page)


def _assert_focus_visible(page) -> None:
    """A11Y-2: the focused control shows the GOV.UK focus style. A GOV.UK
    checkbox or radio is drawn by its label: the input is transparent and
    the yellow ring is the label's ::before box shadow."""
    ring = page.evaluate(
        """() => {
             const el = document.activeElement;
             if (!['checkbox', 'radio'].includes(el.type) || !el.labels.length) return null;
             return getComputedStyle(el.labels[0], '::before').boxShadow;
           }"""
    )
    if ring is None:
        assert_focus_visible(page)
    elif "rgb(255, 221, 0)" not in ring:
        pytest.fail(f"No visible focus ring on the focused checkbox or radio: {ring!r}", pytrace=False)


# --- the keyboard ------------------------------------------------------------------------------


def _tab_until(page, test: str, arg, what: str, limit: int = 150) -> None:
    """Press Tab until ``test(activeElement, arg)`` is true."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(arg) => ({test})(document.activeElement, arg)", arg):
            return
    pytest.fail(f"Tab never reached {what} on {page.url}", pytrace=False)


def _tab_to(page, element_id: str) -> None:
    _tab_until(page, "(el, id) => el.id === id", element_id, f"#{element_id}")


def _type(page, element_id: str, text: str) -> None:
    """Tab to a text box and type, replacing what was there."""
    _tab_to(page, element_id)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    expect(page.locator(f"#{element_id}")).to_have_value(text)


def _type_date(page, field: str, day: date) -> None:
    """Tab to a GOV.UK date input's day box and type the three parts."""
    _tab_to(page, f"{field}-day")
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        if part != "day":
            page.keyboard.press("Tab")
            expect(page.locator(f"#{field}-{part}")).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type(str(value))


def _tick(page, group: str, label: str) -> None:
    """Tab to a checkbox in the group named ``group`` and tick it with Space."""
    box = page.get_by_role("group", name=group).get_by_label(label, exact=True)
    _tab_to(page, box.get_attribute("id"))
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def _choose(page, name: str, label: str) -> None:
    """Tab into the radios called ``name`` and move with the arrow keys to
    ``label``, then select it with Space."""
    _tab_until(page, "(el, name) => el.type === 'radio' && el.name === name", name, f"the radios {name}")
    for _ in range(12):
        if page.evaluate("() => document.activeElement.labels[0].innerText.trim()") == label:
            page.keyboard.press("Space")
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator(f"input[name={name}]:checked")).to_have_count(1)
    checked = page.locator(f"input[name={name}]:checked")
    assert checked.evaluate("el => el.labels[0].innerText.trim()") == label


def _pick(page, element_id: str, option: str) -> None:
    """Tab to a select and move through its options with the arrow keys."""
    _tab_to(page, element_id)
    chosen = page.locator(f"#{element_id} option:checked")
    page.keyboard.press("Home")
    for _ in range(40):
        if chosen.inner_text().strip() == option:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"The arrow keys never chose {option!r} in #{element_id}", pytrace=False)


def _press(page, element_id: str) -> None:
    """Tab to a button and press Enter."""
    _tab_to(page, element_id)
    page.keyboard.press("Enter")


# --- the task list -----------------------------------------------------------------------------


def _task_list(page):
    return page.locator(".govuk-task-list")


def _task(page, name: str):
    """The task list item whose name is ``name`` (a link, or text when it
    cannot start yet)."""
    return (
        _task_list(page)
        .locator(".govuk-task-list__item")
        .filter(
            has=page.locator(
                ".govuk-task-list__name-and-hint > :first-child", has_text=re.compile(rf"^{re.escape(name)}$")
            )
        )
    )


def _status(page, name: str):
    return _task(page, name).locator(".govuk-task-list__status")


def _open(page, visit: Visit, section: str) -> None:
    """Follow a section's link in the task list."""
    _task_list(page).get_by_role("link", name=section, exact=True).click()
    expect(heading(page)).to_have_text(section)
    visit.check(page)


def _saved_complete(page, visit: Visit, section: str) -> None:
    """Back at the task list after "Save and continue": the section is
    completed."""
    expect(success_banner(page)).to_contain_text(f"{section}: section completed.")
    expect(heading(page)).to_have_text("Request a camera move")
    expect(_status(page, section)).to_have_text("Completed")
    visit.check(page)


def _reference(page) -> str:
    caption = page.locator(".govuk-caption-l").inner_text().strip()
    match = re.match(r"^(CCTV-\d{4}-\d{4}): ", caption)
    assert match, caption
    return match.group(1)


# --- each section, answered by keyboard --------------------------------------------------------


def _answer_problem(page) -> None:
    # The title given on the start page is carried into the section.
    expect(page.get_by_label("Short title")).to_have_value(TITLE)
    _type(page, "problem", "Motorbikes ridden at speed across the field most evenings.")
    _tick(page, "Purpose of the camera", "Deter")
    _tick(page, "Purpose of the camera", "Detect")
    _type(page, "pressing_need", "A child was nearly hit last month.")
    _choose(page, "priority_id", "Violence")


def _answer_site(page) -> None:
    # The ward chosen on the start page is carried into the section.
    expect(page.locator("#ward_id option:checked")).to_have_text(WARD)
    _type(page, "street", STREET)
    _type(page, "exact_location", EXACT)
    _type(page, "view_description", "The path between the shops and the field gate")
    _choose(page, "mounting", "Dedicated pole")
    readiness = "Power and consents (optional)"
    _tick(page, readiness, "Power is available at the mounting point")
    _tick(page, readiness, "The landowner has agreed")


def _answer_evidence_rest(page) -> None:
    _type_date(page, "baseline_start", TODAY - timedelta(days=180))
    _type_date(page, "baseline_end", TODAY - timedelta(days=1))
    _tick(page, "Intelligence sources", "Police")
    _tick(page, "Intelligence sources", "Local community")
    _type(page, "intelligence_summary", "Residents name the same two riders every week.")


def _answer_alternatives(page) -> None:
    _type(page, "alternatives", "Barriers at the gates; police patrols.")


def _answer_period(page) -> None:
    _type_date(page, "wanted_start", TODAY + timedelta(days=14))
    _type(page, "duration_weeks", "12")


def _answer_privacy(page) -> None:
    overt = page.get_by_label("The camera will be used overtly, with signs.")
    _tab_to(page, "overt_confirmed")
    page.keyboard.press("Space")
    expect(overt).to_be_checked()
    _type(page, "dpia_reference", "DPIA-2026-07")
    _type(page, "signage_plan", "Signs at both gates and on the lamp column.")
    _type(page, "privacy_masking", "The back gardens of 38 and 40 Gosforth Lane.")


def _answer_cost(page) -> None:
    _type(page, "estimated_cost", "850.50")
    _pick(page, "sponsor_id", SPONSOR_CHOICE)


def _answer_urgency(page) -> None:
    # GOV.UK radios: nothing is chosen until the officer answers.
    expect(page.locator("input[name=urgency]:checked")).to_have_count(0)
    _choose(page, "urgency", "Routine")


ANSWERS = {
    "The problem": _answer_problem,
    "Urgency": _answer_urgency,
    "The site": _answer_site,
    "Alternatives": _answer_alternatives,
    "Period and camera": _answer_period,
    "Privacy": _answer_privacy,
    "Cost and sponsor": _answer_cost,
}


def _fill_section(page, visit: Visit, section: str) -> None:
    """Open a section, press "Save and continue" with nothing answered (the
    error page), then answer it by keyboard and save it complete. Evidence is
    first saved part-answered with "Save and come back later"."""
    _open(page, visit, section)
    _press(page, "save_continue")
    _failed(page, visit)
    if section == "Evidence and intelligence":
        _type(page, "crime_count", "12")
        _press(page, "save_later")
        expect(success_banner(page)).to_contain_text(
            "Evidence and intelligence: your answers are saved. "
            "You can come back to this section at any time."
        )
        expect(_status(page, section)).to_have_text("In progress")
        visit.check(page)
        _open(page, visit, section)
        expect(page.locator("#crime_count")).to_have_value("12")
        _type(page, "asb_count", "40")
        _answer_evidence_rest(page)
    else:
        ANSWERS[section](page)
    _press(page, "save_continue")
    _saved_complete(page, visit, section)


# --- 1. the officer and the sponsor -------------------------------------------------------------


@SQLITE_ONLY
@VIEWPORTS
def test_an_officer_files_a_request_section_by_section_and_the_sponsor_returns_then_endorses_it(
    chromium, live_server, viewport
):
    people = _seed(live_server.app)
    visit = Visit(viewport)
    page = visit.sign_in(chromium, live_server, people["officer"])

    # The start page: a failed submit first, then a title and the ward.
    page.get_by_role("button", name="Start a new request").click()
    expect(heading(page)).to_have_text("Request a camera move")
    visit.check(page)
    _press(page, "start")
    _failed(page, visit)
    _type(page, "title", TITLE)
    _pick(page, "ward_id", WARD)
    _press(page, "start")

    # The task list of a fresh draft.
    expect(heading(page)).to_have_text("Request a camera move")
    expect(success_banner(page)).to_contain_text(re.compile(r"Draft CCTV-\d{4}-\d{4} saved\."))
    reference = _reference(page)
    expect(page.get_by_text("You have completed 0 of 8 sections.")).to_be_visible()
    expect(_task_list(page).get_by_role("link")).to_have_text(list(SECTIONS))
    # The title is an answer of "The problem", given on the start page: that
    # section has some answers saved and some still needed.
    for section in SECTIONS:
        expect(_status(page, section)).to_have_text(
            "In progress" if section == "The problem" else "Not started"
        )
    expect(_status(page, SEND_STEP)).to_have_text("Cannot start yet")
    visit.shot(page, "fresh")
    visit.check(page)

    for section in SECTIONS:
        _fill_section(page, visit, section)
    expect(page.get_by_text("You have completed 8 of 8 sections.")).to_be_visible()

    # Check your answers, and send.
    _task_list(page).get_by_role("link", name=SEND_STEP).click()
    expect(heading(page)).to_have_text("Check your answers before sending your request")
    expect(page.get_by_text("Complete every section before you send the request.")).to_have_count(0)
    expect(page.get_by_text(EXACT)).to_be_visible()
    visit.check(page)
    _press(page, "submit")
    expect(success_banner(page)).to_contain_text(f"Request {reference} sent to your sponsor.")
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator(".govuk-tag").first).to_have_text("Waiting for sponsor")
    visit.check(page)

    # The sponsor returns it, asking for two sections to be changed.
    visit.sign_out(page)
    visit.sign_in_here(page, people["sponsor"])
    waiting = page.get_by_role("region", name=re.compile("Requests waiting for you to sponsor"))
    waiting.get_by_role("link", name=reference).click()
    expect(heading(page)).to_have_text(TITLE)
    visit.check(page)
    action(page, RETURN).click()
    expect(heading(page)).to_have_text(RETURN)
    visit.check(page)
    _press(page, "submit")
    _failed(page, visit)
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(["Enter the reason"])
    _type(page, "reason", RETURN_REASON)
    for section in ASKED:
        _tick(page, "Sections that need changes (optional)", section)
    _press(page, "submit")
    expect(success_banner(page)).to_contain_text(
        f"{reference} has been returned to the requester for changes."
    )
    expect(page.locator(".govuk-tag").first).to_have_text("Returned for changes")
    visit.check(page)
    visit.sign_out(page)

    # The officer sees who returned it, why, and the sections asked about.
    visit.sign_in_here(page, people["officer"])
    page.get_by_role("region", name=re.compile("Your requests that need you")).get_by_role(
        "link", name=reference
    ).click()
    expect(heading(page)).to_have_text(TITLE)
    visit.check(page)
    action(page, "Continue the request").click()
    expect(heading(page)).to_have_text("Request a camera move")
    banner = page.get_by_role("region", name="Returned for changes")
    returned_on = {f"{d:%-d %B %Y}" for d in (TODAY, datetime.now(UTC).date())}
    expect(banner).to_contain_text(
        re.compile(rf"Sam Sponsor returned this request on ({'|'.join(returned_on)})\.")
    )
    expect(banner).to_contain_text(f"Reason given: {RETURN_REASON}")
    expect(banner.get_by_role("link")).to_have_text(list(ASKED))
    for section in SECTIONS:
        expect(_status(page, section)).to_have_text("Changes asked for" if section in ASKED else "Completed")
    expect(page.get_by_text("You have completed 6 of 8 sections.")).to_be_visible()
    expect(_status(page, SEND_STEP)).to_have_text("Cannot start yet")
    visit.shot(page, "returned")
    visit.check(page)
    # Sent once, the request is no longer the officer's alone: its sponsor
    # has just read and returned it, and the CSP team can open it. Checked
    # at the end, so that the rest of the journey is still checked.
    only_you = page.get_by_text("Only you can see this request until you send it.").count()
    returned_tasks_url = page.url

    # The officer changes the evidence, from the banner's link.
    banner.get_by_role("link", name="Evidence and intelligence").click()
    expect(heading(page)).to_have_text("Evidence and intelligence")
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "Sam Sponsor asked for changes to this section."
    )
    expect(page.locator(".govuk-inset-text")).to_contain_text(f"Reason given: {RETURN_REASON}")
    visit.check(page)
    _type(page, "crime_count", "14")
    _press(page, "save_continue")
    _saved_complete(page, visit, "Evidence and intelligence")
    # A section asked about stays so until it is saved again
    # (docs/lifecycle.md): the cost must be looked at before sending.
    expect(_status(page, "Cost and sponsor")).to_have_text("Changes asked for")
    expect(page.get_by_role("region", name="Returned for changes").get_by_role("link")).to_have_text(
        ["Cost and sponsor"]
    )
    expect(_status(page, SEND_STEP)).to_have_text("Cannot start yet")

    _open(page, visit, "Cost and sponsor")
    expect(page.locator("#estimated_cost")).to_have_value(re.compile(r"^850\.50?$"))
    _press(page, "save_continue")
    _saved_complete(page, visit, "Cost and sponsor")
    expect(page.get_by_text("You have completed 8 of 8 sections.")).to_be_visible()

    _task_list(page).get_by_role("link", name=SEND_STEP).click()
    expect(heading(page)).to_have_text("Check your answers before sending your request")
    visit.check(page)
    _press(page, "submit")
    expect(success_banner(page)).to_contain_text(f"Request {reference} sent to your sponsor.")
    expect(page.locator(".govuk-tag").first).to_have_text("Waiting for sponsor")
    visit.check(page)
    visit.sign_out(page)

    # The sponsor endorses it.
    visit.sign_in_here(page, people["sponsor"])
    waiting = page.get_by_role("region", name=re.compile("Requests waiting for you to sponsor"))
    waiting.get_by_role("link", name=reference).click()
    expect(heading(page)).to_have_text(TITLE)
    visit.check(page)
    action(page, ENDORSE).click()
    expect(heading(page)).to_have_text(ENDORSE)
    visit.check(page)
    _press(page, "submit")
    expect(success_banner(page)).to_contain_text(f"You have endorsed {reference}.")
    # Endorsed, it joins the next agenda whose papers are open, if there is one.
    expect(page.locator(".govuk-tag").first).to_have_text(re.compile(r"^(Endorsed|On board agenda)$"))
    visit.check(page)
    close(page)

    with live_server.app.app_context():
        mr = db.session.scalar(sa.select(MoveRequest).where(MoveRequest.reference == reference))
        assert mr.status in ("endorsed", "on_agenda")
        assert (mr.title, mr.crime_count, mr.asb_count) == (TITLE, 14, 40)
        assert (mr.site.street, mr.site.exact_location, mr.site.ward.name) == (STREET, EXACT, WARD)
        assert (mr.wanted_start, mr.duration_weeks, mr.urgency) == (TODAY + timedelta(days=14), 12, "routine")
        assert str(mr.estimated_cost) in ("850.50", "850.5")
        assert mr.sponsor_id == people["sponsor"].id
        assert mr.sections_to_change == ""
        db.session.remove()

    assert only_you == 0, (
        f"The task list of the returned request ({returned_tasks_url}) says 'Only you can see this request "
        "until you send it.', but the request has been sent: its sponsor has read and returned it, and the "
        "CSP team and the board can open it too."
    )


# --- 2. every link in the error summary ----------------------------------------------------------

# What each error summary says, in order, and where each link must put the
# focus: the control itself (a date's day box; the first radio or checkbox
# of a group; the select; the text box). Written from the GOV.UK error
# summary guidance, not read from the forms.
START_EMPTY = {"Enter a short title": "title", "Select the ward": "ward_id"}
PROBLEM_EMPTY = {
    "Describe what is happening": "problem",
    "Select the purpose of the camera": "purposes",
    "Explain why the need is pressing": "pressing_need",
    "Select the CSP priority it serves": "priority_id",
}
SITE_BAD = {
    "Select the ward": "ward_id",
    "Enter the street name": "street",
    "Enter the exact location": "exact_location",
    "Enter both the latitude and the longitude of the point, or neither": "longitude",
    "Select how the camera would be mounted": "mounting",
}
EVIDENCE_EMPTY = {
    "Enter the number of crimes, or 0": "crime_count",
    "Enter the number of ASB incidents, or 0": "asb_count",
    "Enter the start of the baseline period": "baseline_start-day",
    "Enter the end of the baseline period": "baseline_end-day",
    "Select the intelligence sources": "intelligence_sources",
    "Enter a summary of the intelligence": "intelligence_summary",
}
EVIDENCE_MALFORMED = {
    "Number of crimes must be a whole number, like 12": "crime_count",
    "Number of ASB incidents must be between 0 and 100,000": "asb_count",
    "Start of the baseline period must be a real date": "baseline_start-day",
    "End of the baseline period must be a real date": "baseline_end-day",
}
URGENT_EMPTY = {
    "Select the grounds for urgency": "urgent_ground",
    "Explain the urgency": "urgent_explanation",
}
PRIVACY_EMPTY = {
    "Confirm that the camera will be used overtly, with signs": "overt_confirmed",
    "Enter the DPIA or location annex reference": "dpia_reference",
    "Enter the signage plan": "signage_plan",
}
COST_EMPTY = {
    "Enter the estimated cost of the move": "estimated_cost",
    "Select the sponsor you have approached": "sponsor_id",
}
COST_MALFORMED = {"Estimated cost must be an amount in pounds, like 850 or 850.50": "estimated_cost"}
RETURN_EMPTY = {"Enter the reason": "reason"}


def _follow_summary_links(page, expected: dict[str, str], where: str) -> list[str]:
    """After a failed submit: the summary has focus, says what ``expected``
    says in that order, and each of its links, clicked in turn, puts the
    focus on the control it names. Returns what went wrong, so that every
    page is checked before the test fails."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    _wait_for_focus_on_summary(page)
    assert_accessible(page)
    links = summary.get_by_role("link")
    said = [text.strip() for text in links.all_inner_texts()]
    if said != list(expected):
        return [f"{where}: the error summary says {said}, expected {list(expected)}"]
    problems = []
    for index, (message, control) in enumerate(expected.items()):
        links.nth(index).click()
        focused = page.evaluate(
            "() => ({id: document.activeElement.id, tag: document.activeElement.tagName.toLowerCase()})"
        )
        if focused["id"] != control:
            problems.append(
                f"{where}: the link {message!r} puts the focus on {focused['tag']}#{focused['id']}, "
                f"not on #{control}"
            )
        else:
            _assert_focus_visible(page)
    return problems


def _section_page(page, section: str) -> None:
    page.get_by_role("link", name="Back to the task list").click()
    _task_list(page).get_by_role("link", name=section, exact=True).click()
    expect(heading(page)).to_have_text(section)


@SQLITE_ONLY
def test_each_error_summary_link_takes_focus_to_its_control(chromium, live_server):
    people = _seed(live_server.app)
    with live_server.app.app_context():
        returned = factories.move_request(
            requester=db.session.get(User, people["officer"].id),
            sponsor=db.session.get(User, people["sponsor"].id),
            status="submitted",
            title="Fly-tipping behind the Bedmond Road shops",
        )
        return_path = f"/requests/{returned.id}/return-for-changes"
        db.session.remove()
    problems: list[str] = []

    officer = sign_in(chromium, live_server, people["officer"])
    officer.goto("/requests/new")
    officer.get_by_role("button", name=START).click()
    problems += _follow_summary_links(officer, START_EMPTY, "Start page, nothing answered")
    officer.get_by_label("Short title").fill(TITLE)
    officer.get_by_label("Ward").select_option(label=WARD)
    officer.get_by_role("button", name=START).click()
    expect(heading(officer)).to_have_text("Request a camera move")

    _task_list(officer).get_by_role("link", name="The problem").click()
    officer.get_by_role("button", name="Save and continue").click()
    problems += _follow_summary_links(officer, PROBLEM_EMPTY, "The problem, nothing answered")

    _section_page(officer, "The site")
    officer.get_by_label("Ward").select_option(label="Select a ward")
    officer.get_by_label("Latitude").fill("51.6372")
    officer.get_by_role("button", name="Save and continue").click()
    problems += _follow_summary_links(officer, SITE_BAD, "The site, no ward, street or place, half a point")

    _section_page(officer, "Evidence and intelligence")
    officer.get_by_role("button", name="Save and continue").click()
    problems += _follow_summary_links(officer, EVIDENCE_EMPTY, "Evidence, nothing answered")
    officer.get_by_label("Number of crimes in the baseline period").fill("twelve")
    officer.get_by_label("Number of ASB incidents in the baseline period").fill("200000")
    for field, (day, month) in (("baseline_start", ("31", "2")), ("baseline_end", ("1", "13"))):
        officer.locator(f"#{field}-day").fill(day)
        officer.locator(f"#{field}-month").fill(month)
        officer.locator(f"#{field}-year").fill(str(TODAY.year))
    # Kept for later, the answers are still checked for their form.
    officer.get_by_role("button", name="Save and come back later").click()
    problems += _follow_summary_links(
        officer, EVIDENCE_MALFORMED, "Evidence, malformed answers saved for later"
    )

    _section_page(officer, "Urgency")
    officer.get_by_role("group", name="Is the request routine or urgent?").get_by_label("Urgent").check()
    officer.get_by_role("button", name="Save and continue").click()
    problems += _follow_summary_links(officer, URGENT_EMPTY, "Urgency, urgent without grounds")

    _section_page(officer, "Privacy")
    officer.get_by_role("button", name="Save and continue").click()
    problems += _follow_summary_links(officer, PRIVACY_EMPTY, "Privacy, nothing answered")

    _section_page(officer, "Cost and sponsor")
    officer.get_by_role("button", name="Save and continue").click()
    problems += _follow_summary_links(officer, COST_EMPTY, "Cost and sponsor, nothing answered")
    officer.get_by_label("Estimated cost of the move").fill("lots")
    officer.get_by_label("Sponsor you have approached").select_option(label=SPONSOR_CHOICE)
    officer.get_by_role("button", name="Save and continue").click()
    problems += _follow_summary_links(officer, COST_MALFORMED, "Cost and sponsor, not an amount")
    close(officer)

    sponsor = sign_in(chromium, live_server, people["sponsor"])
    sponsor.goto(return_path)
    expect(heading(sponsor)).to_have_text(RETURN)
    sponsor.get_by_role("button", name=RETURN).click()
    problems += _follow_summary_links(sponsor, RETURN_EMPTY, "The sponsor's return form, no reason")
    close(sponsor)

    assert not problems, "Error summary links:\n" + "\n".join(problems)


# --- 3. the task list and the section buttons by keyboard --------------------------------------


@SQLITE_ONLY
@VIEWPORTS
def test_the_task_list_and_the_section_buttons_work_by_keyboard(chromium, live_server, viewport):
    people = _seed(live_server.app)
    with live_server.app.app_context():
        officer = db.session.get(User, people["officer"].id)
        draft = factories.move_request(requester=officer, status="draft", title=TITLE)
        tasks_path = f"/requests/{draft.id}/tasks"
        db.session.remove()
    visit = Visit(viewport)
    page = visit.sign_in(chromium, live_server, people["officer"])

    # Every link of the task list, in order, by Tab, with its focus visible.
    page.goto(tasks_path)
    expect(heading(page)).to_have_text("Request a camera move")
    for name in (*SECTIONS, SEND_STEP):
        _tab_until(
            page,
            "(el, name) => el.tagName === 'A' && el.classList.contains('govuk-task-list__link')"
            " && el.textContent.trim() === name",
            name,
            f"the task list link {name!r}",
            limit=60,
        )
        assert_focus_visible(page)

    # Each section opened by keyboard; both its buttons reached by Tab with
    # their focus visible; "Save and come back later" pressed with Enter.
    for section in SECTIONS:
        page.goto(tasks_path)
        _tab_until(
            page,
            "(el, name) => el.tagName === 'A' && el.textContent.trim() === name",
            section,
            f"the task list link {section!r}",
        )
        page.keyboard.press("Enter")
        expect(heading(page)).to_have_text(section)
        _tab_to(page, "save_continue")
        expect(page.get_by_role("button", name="Save and continue")).to_be_focused()
        assert_focus_visible(page)
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Save and come back later")).to_be_focused()
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        expect(success_banner(page)).to_contain_text(f"{section}: your answers are saved.")
        expect(heading(page)).to_have_text("Request a camera move")
        visit.check(page)
    close(page)
