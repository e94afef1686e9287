"""The map of camera sites in real Chromium, as on a machine with no
internet: the tiles cannot load, and the page must still work (QUALITY.md
A11Y-1, A11Y-2). Set BROWSER_SHOTS=/tmp/shots to keep screenshots."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser import (
    DESKTOP,
    NARROW,
    assert_accessible,
    assert_focus_visible,
    assert_no_horizontal_scroll,
    close,
    heading,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

TODAY = date.today()


def sites_to_map():
    """Three sites that have had cameras: two with coordinates (one with a
    camera now), one without."""
    rickmansworth = factories.ward("Rickmansworth Town")
    oxhey = factories.ward("South Oxhey")
    alpha = factories.camera(asset_tag="MAP-A", name="Alpha")
    bravo = factories.camera(asset_tag="MAP-B", name="Bravo")
    library = factories.site(
        rickmansworth,
        street="High Street",
        exact_location="Lamp column 12 outside the library",
        latitude=51.6394,
        longitude=-0.4705,
    )
    parade = factories.site(
        oxhey,
        street="Prestwick Road",
        exact_location="Lamp column 3 by the shopping parade",
        latitude=51.6311,
        longitude=-0.3904,
    )
    gate = factories.site(
        oxhey,
        street="Gosforth Lane",
        exact_location="Pole by the recreation ground gate",
        latitude=None,
        longitude=None,
    )
    factories.deployment(alpha, library, installed_on=TODAY - timedelta(days=40))
    factories.deployment(
        bravo, parade, installed_on=TODAY - timedelta(days=200), removed_on=TODAY - timedelta(days=100)
    )
    factories.deployment(
        bravo, gate, installed_on=TODAY - timedelta(days=90), removed_on=TODAY - timedelta(days=10)
    )


@pytest.mark.parametrize(
    "viewport,shot", [(DESKTOP, "map-desktop"), (NARROW, "map-320")], ids=["1280", "320"]
)
def test_the_coordinator_sees_the_map_and_the_table_without_tiles(chromium, live_server, viewport, shot):
    with live_server.app.app_context():
        sites_to_map()
        coordinator = factories.user("coordinator", name="Casey Coordinator")
        person = SimpleNamespace(email=coordinator.email, name=coordinator.name)
    page = sign_in(chromium, live_server, person, viewport)
    policy_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            policy_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto("/cameras/map")
    expect(heading(page)).to_have_text("Map of camera sites")
    # Leaflet took over the container and drew one circle per site with coordinates.
    container = page.locator("#site-map")
    expect(container).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(container.locator("path.leaflet-interactive")).to_have_count(2)
    expect(container).not_to_contain_text("The map needs JavaScript")
    expect(container.locator(".leaflet-control-attribution")).to_have_text("© OpenStreetMap contributors")
    # The table is there whatever happens to the map.
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Gosforth Lane")).to_contain_text("not on the map")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    box = container.bounding_box()
    assert box["width"] <= viewport["width"] and box["height"] >= 300
    screenshot(page, shot)

    # A marker's popup names the street and the camera there now.
    container.locator("path.leaflet-interactive").first.click()
    popup = container.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    # Leaflet fades the popup in; check its colours once it is fully shown.
    expect(container.locator(".leaflet-popup")).to_have_css("opacity", "1")
    assert popup.inner_text() in ("High Street\nAlpha (MAP-A)", "Prestwick Road\nNo camera now")
    screenshot(page, f"{shot}-popup")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    assert policy_errors == []
    close(page)


def test_keyboard_users_can_skip_the_map_and_tab_out_of_it(chromium, live_server):
    with live_server.app.app_context():
        sites_to_map()
        board = factories.user("board", name="Bea Board")
        person = SimpleNamespace(email=board.email, name=board.name)
    page = sign_in(chromium, live_server, person)
    page.goto("/cameras/map")
    expect(page.locator("#site-map.leaflet-container")).to_be_visible()

    # The skip link comes into view when it has focus and jumps to the table's heading.
    skip = page.get_by_role("link", name="Skip the map")
    skip.focus()
    expect(skip).to_be_visible()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#sites-heading")).to_be_focused()

    # The map takes focus (arrow keys pan it) and Tab moves on out of it.
    page.locator("#site-map").focus()
    assert_focus_visible(page)
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("!document.getElementById('site-map').contains(document.activeElement)"):
            break
    assert page.evaluate("!document.getElementById('site-map').contains(document.activeElement)")
    expect(page.locator(".app-table-wrapper")).to_be_focused()
    close(page)
