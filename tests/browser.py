"""Support for the browser tests: Debian's Chromium driven by Playwright, the
app served from a thread with CSRF on, signing in through the real form, and
axe-core checks (QUALITY.md A11Y-1, A11Y-2).

Its fixtures (``chromium``, ``live_server``) are registered for every test
module by ``pytest_plugins`` in ``tests/conftest.py``.

Set BROWSER_SHOTS=/some/dir to keep screenshots of a few pages.
"""

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from cctv_requests import create_app
from cctv_requests.access import public
from cctv_requests.extensions import db
from tests import factories
from tests.conftest import config_for

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = "Browser tests need Chromium: apt-get install -y chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"

# Screenshots land here when BROWSER_SHOTS is set (e.g. BROWSER_SHOTS=/tmp/shots).
SHOTS_DIR = os.environ.get("BROWSER_SHOTS")

DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}

# axe-core rules for WCAG 2.0, 2.1 and 2.2, levels A and AA (QUALITY.md A11Y-1).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
_axe = Axe()

# A route that fails, so the 500 page can be checked in the browser too.
BOOM_PATH = "/_browser-test/boom"


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Browser:
    """One headless Debian Chromium for the whole run; skipped (failed under
    CI=true) when it is not installed."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(MISSING_CHROMIUM, pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# --- the app, served from a thread ---------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request; errors are still logged."""

    def log_request(self, *args, **kwargs):
        pass


@dataclass
class LiveServer:
    app: Flask
    url: str


def _boom():
    raise RuntimeError("Deliberate failure for the browser test of the 500 page")


@pytest.fixture
def live_server(database_url):
    """The app with CSRF on (the real forms), on a migrated database of each
    kind, served on a free port from a thread.

    ``PROPAGATE_EXCEPTIONS`` is off so that an unexpected error shows the
    app's own 500 page, as in production; the tests fail on any 5xx anyway.
    """
    config = config_for(database_url, WTF_CSRF_ENABLED=True, PROPAGATE_EXCEPTIONS=False)
    app = create_app(config)
    app.add_url_rule(BOOM_PATH, "browser_test_boom", public(_boom))
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# --- pages -----------------------------------------------------------------------------------


def new_page(browser: Browser, server: LiveServer, viewport: dict | None = None) -> Page:
    """A page in a fresh context (its own cookies: one per user). Any 5xx
    response fails the test at the next ``assert_accessible``."""
    context: BrowserContext = browser.new_context(base_url=server.url, viewport=viewport or DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.server_errors = []
    page.on(
        "response",
        lambda response: (
            page.server_errors.append(f"{response.status} {response.request.method} {response.url}")
            if response.status >= 500
            else None
        ),
    )
    page.on("pageerror", lambda error: page.server_errors.append(f"JavaScript error: {error}"))
    return page


def sign_in(browser: Browser, server: LiveServer, user, viewport: dict | None = None) -> Page:
    """Open the service as ``user`` would: the home page sends them to sign
    in, they fill in the real form, and land on their dashboard."""
    page = new_page(browser, server, viewport)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(user.name)
    assert_accessible(page)
    return page


def close(page: Page) -> None:
    page.context.close()


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def success_banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def action(page: Page, name: str):
    """An action on a request: a link styled as a button (with or without
    role="button")."""
    return page.get_by_role("link", name=name, exact=True).or_(
        page.get_by_role("button", name=name, exact=True)
    )


def fill_date(page: Page, field_id: str, day) -> None:
    """A GOV.UK date input: three boxes, ``<id>-day``, ``-month`` and ``-year``."""
    page.locator(f"#{field_id}-day").fill(str(day.day))
    page.locator(f"#{field_id}-month").fill(str(day.month))
    page.locator(f"#{field_id}-year").fill(str(day.year))


def screenshot(page: Page, name: str) -> None:
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS_DIR) / f"{name}.png"), full_page=True)


def assert_no_horizontal_scroll(page: Page) -> None:
    """A11Y-2 (WCAG 1.4.10 reflow): nothing wider than the viewport."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        wide = page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                 .filter(el => el.getBoundingClientRect().right > width + 1)
                 .filter(el => !el.closest('.app-table-wrapper'))
                 .slice(0, 8)
                 .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                      + (el.className && typeof el.className === 'string'
                         ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                      + ' right=' + Math.round(el.getBoundingClientRect().right))""",
            width,
        )
        pytest.fail(
            f"{page.url} scrolls sideways at {width} CSS px: scrollWidth is {scroll_width}. "
            f"Elements past the edge: {wide}",
            pytrace=False,
        )


def assert_focus_visible(page: Page) -> None:
    """A11Y-2: the focused element shows a focus indicator (the GOV.UK focus
    style is a yellow outline, background or box shadow)."""
    style = page.evaluate(
        """() => {
             const el = document.activeElement;
             const s = getComputedStyle(el);
             return {tag: el.tagName.toLowerCase(), id: el.id, outline: s.outlineStyle,
                     outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor,
                     shadow: s.boxShadow, background: s.backgroundColor};
           }"""
    )
    yellow = "rgb(255, 221, 0)"
    outlined = style["outline"] != "none" and style["outlineWidth"] > 0 and style["outlineColor"] == yellow
    if not (outlined or style["background"] == yellow or style["shadow"] != "none"):
        pytest.fail(f"No visible focus indicator on the focused element: {style}", pytrace=False)


# --- accessibility ---------------------------------------------------------------------------


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'no impact given'}): {v['help']}")
        lines.append(f"  {v['helpUrl']}")
        for node in v["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            html = re.sub(r"\s+", " ", node.get("html", ""))[:200]
            lines.append(f"    at {target}: {html}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail with a readable list if axe-core finds WCAG 2.0/2.1/2.2 A or AA
    violations on the page as it is now (QUALITY.md A11Y-1). Also fails if the
    server answered any request with a 5xx or the page raised a script error."""
    page.wait_for_load_state("load")
    errors = getattr(page, "server_errors", [])
    if errors:
        pytest.fail(f"Errors while loading {page.url}: {errors}", pytrace=False)
    violations = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    if violations:
        title = page.title()
        pytest.fail(
            f"axe found {len(violations)} WCAG A/AA violation(s) on {page.url} ({title!r}):\n"
            + _describe(violations),
            pytrace=False,
        )


class Visit:
    """The checks made on every page of a journey at one width: axe, and at
    320 px no sideways scrolling; screenshots named after the journey and
    the width; the service navigation, folded behind "Menu" at 320 px."""

    journey = "journey"

    def __init__(self, viewport: dict):
        self.viewport = viewport
        self.narrow = viewport["width"] <= NARROW["width"]
        self.prefix = "320" if self.narrow else "desktop"

    def check(self, page: Page) -> None:
        assert_accessible(page)
        if self.narrow:
            assert_no_horizontal_scroll(page)

    def shot(self, page: Page, name: str) -> None:
        screenshot(page, f"{self.journey}-{self.prefix}-{name}")

    def sign_in(self, browser: Browser, server: LiveServer, person) -> Page:
        page = sign_in(browser, server, person, viewport=self.viewport)
        if self.narrow:
            assert_no_horizontal_scroll(page)
        return page

    def menu(self, page: Page, name: str) -> None:
        """Follow a link in the service navigation, opening the menu first
        where it folds behind a button (at 320 px)."""
        if self.narrow:
            toggle = page.get_by_role("button", name="Menu")
            expect(toggle).to_be_visible()
            toggle.click()
        page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True).click()


def wait_for_focus_in_summary(page: Page, timeout: float | None = None) -> None:
    """A11Y-2: after a failed submit the error summary takes focus. (A
    function, not an expression: the page's CSP forbids eval, which
    Playwright uses for an expression it has to poll.)"""
    page.wait_for_function(
        "() => document.activeElement.closest('.govuk-error-summary') !== null", timeout=timeout
    )
