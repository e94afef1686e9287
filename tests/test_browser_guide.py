"""What councillors read, in real Chromium: their home page, the cameras by
ward, the guide to how cameras are moved, who is responsible for what, and
the annual report; the report's full (restricted) version for the
coordinator; and the guide, the responsibilities page and the report for
an anonymous visitor where the district publishes them to the public.

axe on every page (QUALITY.md A11Y-1), at desktop width and at 320 CSS
pixels with no sideways scrolling; the lifecycle chart and the report's
charts are images with a name; the guide's contents work by keyboard
(A11Y-2). Set BROWSER_SHOTS=/tmp/shots to keep screenshots."""

import dataclasses
import re
from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from cctv_requests.extensions import db
from cctv_requests.services import demo
from tests import factories
from tests.browser import DESKTOP, NARROW, assert_focus_visible, close, heading, new_page
from tests.browser import Visit as JourneyVisit

pytestmark = pytest.mark.browser

# Pages are the same on both databases: SQLite is enough for the browser.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "320px"])

# The financial year holding today (April to March), worked out here rather
# than by the service: the year of the latest annual report.
_today = date.today()
YEAR = _today.year if _today.month >= 4 else _today.year - 1
YEAR_LABEL = f"{YEAR} to {YEAR + 1}"

GUIDE = "How CCTV cameras are moved: a guide"
RESPONSIBILITIES = "Who is responsible for what"
REPORTS = "Annual reports"
REPORT = f"Annual report {YEAR_LABEL}"
# The guide's contents, as the brief for the guide gives its sections: the
# link's words, and the id of the section's heading.
CONTENTS = (
    ("What the cameras are for", "what-the-cameras-are-for"),
    ("Where the cameras are", "where-the-cameras-are"),
    ("Why we do not say exactly where", "why-we-do-not-say-exactly-where"),
    ("Who can ask for a camera", "who-can-ask"),
    ("The steps", "the-steps"),
    ("The process as a chart", "the-process-as-a-chart"),
    ("Board meetings", "board-meetings"),
    ("Urgent requests", "urgent-requests"),
    ("Reviews and removal", "reviews-and-removal"),
    ("Questions councillors have asked", "questions"),
    ("Who to contact", "contact"),
)
LIFECYCLE_CHART = "How a request moves through the process"
# The report's charts that every year has, whatever its figures.
REPORT_CHARTS = (f"Requests in {YEAR_LABEL}", "Share of days each camera was up")


class Visit(JourneyVisit):
    journey = "guide"


def _seed(app) -> dict:
    """The district and the demo data set: requests sent, endorsed and
    decided this year (so the report has figures), cameras up in the
    district's wards, and the demo users. Returns the councillor and the
    coordinator as plain values."""
    with app.app_context():
        factories.district()
        users = demo.ensure_users(factories.PASSWORD)
        demo.create_sample_requests(users, date.today())
        people = {
            role: SimpleNamespace(email=users[role].email, name=users[role].name)
            for role in ("councillor", "coordinator")
        }
        db.session.remove()
    return people


def _publish(app) -> None:
    """The district publishes what councillors read to the public."""
    app.config["PUBLICATION"] = dataclasses.replace(app.config["PUBLICATION"], public=True)


def assert_named_images(page, selector: str, titles: tuple[str, ...]) -> None:
    """Every SVG matching ``selector`` is an image (role="img") named by
    aria-labelledby, whose ids all exist on the page and hold text; and
    among them are images named by each of ``titles`` (the name is the
    title followed by the description)."""
    images = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map(svg => {
             const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
             return {role: svg.getAttribute('role'), ids: ids,
                     texts: ids.map(id => {
                       const el = document.getElementById(id);
                       return el === null ? null : el.textContent.trim();
                     })};
           })""",
        selector,
    )
    assert images, f"No {selector} on {page.url}"
    for image in images:
        assert image["role"] == "img", image
        assert image["ids"], f"{selector} on {page.url} has no aria-labelledby: {image}"
        assert all(image["texts"]), f"{selector} on {page.url} is labelled by a missing or empty id: {image}"
    for title in titles:
        named = page.get_by_role("img", name=re.compile(rf"^{re.escape(title)}\b"))
        expect(named).to_have_count(1)


# --- 1. what a councillor reads -----------------------------------------------------------------


@SQLITE_ONLY
@VIEWPORTS
def test_what_a_councillor_reads_has_no_axe_violations(chromium, live_server, viewport):
    people = _seed(live_server.app)
    visit = Visit(viewport)
    page = visit.sign_in(chromium, live_server, people["councillor"])

    # Home: the guide, cameras by ward, the board's meetings and the report.
    expect(heading(page)).to_have_text(people["councillor"].name)
    expect(page.get_by_role("heading", name="How cameras are moved", level=2)).to_be_visible()
    expect(page.get_by_role("table", name="Cameras up now, by ward")).to_be_visible()
    visit.shot(page, "councillor-home")
    visit.check(page)

    # The guide, from the home page; its lifecycle chart is a named image.
    page.get_by_role("link", name="Read the guide").click()
    expect(heading(page)).to_have_text(GUIDE)
    assert_named_images(page, "main svg", (LIFECYCLE_CHART,))
    visit.shot(page, "guide")
    visit.check(page)

    # Who is responsible for what, from the guide.
    page.get_by_role("link", name=RESPONSIBILITIES).click()
    expect(heading(page)).to_have_text(RESPONSIBILITIES)
    visit.shot(page, "responsibilities")
    visit.check(page)

    # The annual reports, from the navigation, and this year's report: the
    # published version, every chart a named image.
    visit.menu(page, "Reports")
    expect(heading(page)).to_have_text(REPORTS)
    visit.shot(page, "reports")
    visit.check(page)
    page.get_by_role("link", name=REPORT, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/reports/{YEAR}$"))
    expect(heading(page)).to_have_text(REPORT)
    expect(page.locator("strong.govuk-tag", has_text="Restricted")).to_have_count(0)
    assert_named_images(page, "main svg", REPORT_CHARTS)
    visit.shot(page, "report")
    visit.check(page)

    # The cameras, by ward only, from the navigation.
    visit.menu(page, "Cameras")
    expect(heading(page)).to_have_text("Cameras")
    expect(page.get_by_role("table", name="Cameras up now, by ward")).to_be_visible()
    visit.shot(page, "councillor-cameras")
    visit.check(page)
    close(page)


# --- 2. the full report, for the coordinator ----------------------------------------------------


@SQLITE_ONLY
@VIEWPORTS
def test_the_restricted_report_has_no_axe_violations(chromium, live_server, viewport):
    people = _seed(live_server.app)
    visit = Visit(viewport)
    page = visit.sign_in(chromium, live_server, people["coordinator"])
    visit.menu(page, "Reports")
    expect(heading(page)).to_have_text(REPORTS)
    page.get_by_role("link", name=REPORT, exact=True).click()
    expect(heading(page)).to_have_text(REPORT)
    expect(page.locator("strong.govuk-tag", has_text="Restricted")).to_be_visible()
    assert_named_images(page, "main svg", REPORT_CHARTS)
    visit.shot(page, "report-restricted")
    visit.check(page)
    close(page)


# --- 3. an anonymous visitor, where the district publishes --------------------------------------


@SQLITE_ONLY
@VIEWPORTS
def test_the_public_read_the_published_pages_without_axe_violations(chromium, live_server, viewport):
    _seed(live_server.app)
    _publish(live_server.app)
    visit = Visit(viewport)
    page = new_page(chromium, live_server, viewport)

    page.goto("/guide")
    expect(page).to_have_url(re.compile(r"/guide$"))
    expect(heading(page)).to_have_text(GUIDE)
    assert_named_images(page, "main svg", (LIFECYCLE_CHART,))
    visit.shot(page, "public-guide")
    visit.check(page)

    page.get_by_role("link", name=RESPONSIBILITIES).click()
    expect(heading(page)).to_have_text(RESPONSIBILITIES)
    visit.check(page)

    page.goto(f"/reports/{YEAR}")
    expect(heading(page)).to_have_text(REPORT)
    expect(page.locator("strong.govuk-tag", has_text="Restricted")).to_have_count(0)
    assert_named_images(page, "main svg", REPORT_CHARTS)
    visit.shot(page, "public-report")
    visit.check(page)
    close(page)


# --- 4. the guide's contents, by keyboard -------------------------------------------------------


def _tab_to_link(page, href: str, limit: int = 80) -> None:
    """Press Tab until the link to ``href`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == href:
            return
    pytest.fail(f"Tab never reached the link to {href} on {page.url}", pytrace=False)


@SQLITE_ONLY
@VIEWPORTS
def test_the_guides_contents_take_a_keyboard_user_to_each_section(chromium, live_server, viewport):
    with live_server.app.app_context():
        factories.district()
        councillor = factories.user("councillor", name="Colin Councillor")
        person = SimpleNamespace(email=councillor.email, name=councillor.name)
        db.session.remove()
    visit = Visit(viewport)
    page = visit.sign_in(chromium, live_server, person)
    page.goto("/guide")
    expect(heading(page)).to_have_text(GUIDE)

    # Each contents link names the heading of the section it leads to.
    contents = page.get_by_role("navigation", name="Contents")
    links = contents.get_by_role("link")
    expect(links).to_have_text([text for text, _ in CONTENTS])
    for text, anchor in CONTENTS:
        expect(contents.get_by_role("link", name=text, exact=True)).to_have_attribute("href", f"#{anchor}")
        expect(page.locator(f"#{anchor}")).to_have_text(text)

    for text, anchor in (CONTENTS[0], CONTENTS[-1]):
        page.goto("/guide")
        # Tab to the link, with a visible focus, and follow it with Enter.
        _tab_to_link(page, f"#{anchor}")
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"/guide#{anchor}$"))
        section = page.locator(f"#{anchor}")
        expect(section).to_be_in_viewport()
        # The next Tab goes on from the section, not from the contents.
        page.keyboard.press("Tab")
        after = page.evaluate(
            """(anchor) => Boolean(document.getElementById(anchor)
                 .compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)""",
            anchor,
        )
        assert after, f"After following the contents link to {text!r}, Tab went back before the section"
    visit.check(page)
    close(page)
