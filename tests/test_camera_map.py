"""The map of camera sites (DESIGN.md sections 3 and 5): who may see it, what
it lists, the data its script draws, the tile server in the content security
policy, the audit event for viewing exact locations (QUALITY.md SEC-13), and
its cost in queries (PERF-1).

Every expected row, coordinate and policy below is written out here by hand;
none is taken from the module under test.
"""

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent
from cctv_requests.web import map_tile_origin
from tests import factories
from tests.conftest import config_for
from tests.readers import events, page

MAP = "/cameras/map"
TODAY = date.today()
TEST_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
# The policy every page had before the map, with this response's nonce.
POLICY_BEFORE_THE_MAP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce-{nonce}'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def sites_with_history():
    """Two wards, three sites: one with a camera now and an earlier one, one
    whose only camera has gone and which has no coordinates, and one that
    has never had a camera."""
    rickmansworth = factories.ward("Rickmansworth Town")
    abbots = factories.ward("Abbots Langley and Bedmond")
    alpha = factories.camera(asset_tag="MAP-A", name="Alpha")
    bravo = factories.camera(asset_tag="MAP-B", name="Bravo")
    library = factories.site(
        rickmansworth,
        street="High Street",
        exact_location="Lamp column 12 outside the library",
        latitude=51.6394,
        longitude=-0.4705,
    )
    gate = factories.site(
        abbots,
        street="Gallows Hill Lane",
        exact_location="Pole by the recreation ground gate",
        latitude=None,
        longitude=None,
    )
    factories.site(rickmansworth, street="Church Street", exact_location="Never used")
    factories.deployment(bravo, library, installed_on=days_ago(200), removed_on=days_ago(120))
    factories.deployment(alpha, library, installed_on=days_ago(100))
    factories.deployment(bravo, gate, installed_on=days_ago(110), removed_on=days_ago(20))


def table_rows(soup) -> list[tuple[str, ...]]:
    table = soup.select_one("table")
    return [
        tuple(cell.get_text(" ", strip=True) for cell in row.select("td")) for row in table.select("tbody tr")
    ]


def map_data(soup) -> dict:
    element = soup.find("script", id="map-data")
    assert element["type"] == "application/json"
    return json.loads(element.string)


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def nonce_of(response) -> str:
    return policy(response)["script-src"][1].removeprefix("'nonce-").removesuffix("'")


def statements_during(client, path: str):
    """The response to GET ``path`` and every statement sent to the database
    while it was served, COMMIT included, in order."""
    seen: list[str] = []

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.lstrip())

    def on_commit(conn):
        seen.append("COMMIT")

    sa.event.listen(db.engine, "before_cursor_execute", on_statement)
    sa.event.listen(db.engine, "commit", on_commit)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", on_statement)
        sa.event.remove(db.engine, "commit", on_commit)
    return response, seen


def verb(statement: str) -> str:
    return statement.split(None, 1)[0].upper()


# --- what the page shows ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "board", "chair"])
def test_the_csp_team_and_the_board_see_every_site_that_has_had_a_camera(app, client, login_as, role):
    sites_with_history()
    login_as(role)
    response = client.get(MAP)
    assert response.status_code == 200
    soup = page(response)
    assert [h.get_text(strip=True) for h in soup.select("h1")] == ["Map of camera sites"]
    assert soup.title.get_text().startswith("Map of camera sites – ")
    # By ward, then street; the site never used is not listed.
    assert table_rows(soup) == [
        (
            "Abbots Langley and Bedmond",
            "Gallows Hill Lane",
            "Pole by the recreation ground gate",
            "None: not on the map",
            "No camera now",
            "1",
        ),
        (
            "Rickmansworth Town",
            "High Street",
            "Lamp column 12 outside the library",
            "51.639400, -0.470500",
            "Alpha (MAP-A)",
            "2",
        ),
    ]
    assert "Never used" not in response.get_data(as_text=True)
    headers = [th.get_text(strip=True) for th in soup.select("table thead th")]
    assert headers == ["Ward", "Street", "Exact location", "Coordinates", "Camera now", "Deployments"]
    assert all(th["scope"] == "col" for th in soup.select("table thead th"))
    assert soup.select_one("table caption").get_text(strip=True)
    text = soup.select_one("main").get_text(" ", strip=True)
    assert "1 site has no coordinates, so it is not on the map." in text


def test_the_map_data_holds_the_sites_with_coordinates_and_the_tile_server(app, client, login_as):
    sites_with_history()
    login_as("coordinator")
    soup = page(client.get(MAP))
    assert map_data(soup) == {
        "tiles": {"url": TEST_TILES, "attribution": "© OpenStreetMap contributors"},
        "sites": [{"lat": 51.6394, "lng": -0.4705, "street": "High Street", "camera": "Alpha (MAP-A)"}],
    }
    container = soup.find(id="site-map")
    assert container["role"] == "region"
    assert container["aria-label"] == "Map of camera sites"
    # Keyboard users can jump past the map to the table.
    skip = soup.find("a", string="Skip the map")
    assert soup.find(id=skip["href"].removeprefix("#")).get_text(strip=True) == "Sites"


def test_the_map_scripts_carry_the_nonce_and_no_script_is_inline(app, client, login_as):
    sites_with_history()
    login_as("coordinator")
    response = client.get(MAP)
    soup = page(response)
    nonce = nonce_of(response)
    sources = {script.get("src"): script.get("nonce") for script in soup.select("script[src]")}
    assert sources["/static/leaflet.js"] == nonce
    assert sources["/static/map.mjs"] == nonce
    assert soup.select_one('link[href="/static/leaflet.css"]') is not None
    # The only script without a source is the data, which browsers never run.
    inline = [s for s in soup.select("script:not([src])") if s.get("type") != "application/json"]
    assert all(s.get("nonce") == nonce for s in inline)


def test_cameras_now_at_one_site_are_all_named(app, client, login_as):
    ward = factories.ward("Durrants")
    site = factories.site(ward, street="Durrants Drive", latitude=51.65, longitude=-0.44)
    factories.deployment(factories.camera(asset_tag="MAP-C", name="Charlie"), site, installed_on=days_ago(30))
    factories.deployment(factories.camera(asset_tag="MAP-D", name="Delta"), site, installed_on=days_ago(10))
    login_as("board")
    soup = page(client.get(MAP))
    assert table_rows(soup)[0][4] == "Charlie (MAP-C), Delta (MAP-D)"
    assert table_rows(soup)[0][5] == "2"
    assert map_data(soup)["sites"][0]["camera"] == "Charlie (MAP-C), Delta (MAP-D)"


def test_text_that_looks_like_markup_stays_data(app, client, login_as):
    street = "</script><script>alert(1)</script> Road"
    factories.deployment(factories.camera(), factories.site(street=street))
    login_as("coordinator")
    response = client.get(MAP)
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    soup = page(response)
    assert map_data(soup)["sites"][0]["street"] == street
    assert table_rows(soup)[0][1] == street


def test_with_no_deployments_there_is_no_map(app, client, login_as):
    factories.site(street="Church Street")
    login_as("coordinator")
    response = client.get(MAP)
    soup = page(response)
    assert "No site has had a camera yet." in soup.select_one("main").get_text(" ", strip=True)
    assert soup.find(id="site-map") is None
    assert soup.find(id="map-data") is None
    assert soup.select_one('script[src="/static/leaflet.js"]') is None


def test_with_no_coordinates_at_all_the_table_stands_alone(app, client, login_as):
    factories.deployment(factories.camera(), factories.site(latitude=None, longitude=None))
    login_as("coordinator")
    soup = page(client.get(MAP))
    assert soup.find(id="site-map") is None
    assert table_rows(soup)[0][3] == "None: not on the map"
    assert "No site has coordinates yet, so none is on a map." in soup.get_text(" ", strip=True)


# --- who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["councillor", "officer", "sponsor", "admin"])
def test_roles_that_may_not_see_exact_locations_are_refused(app, client, login_as, role):
    sites_with_history()
    user = login_as(role)
    response = client.get(MAP)
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "Lamp column 12" not in body and "51.6394" not in body
    assert events("access.denied") == [(user.id, "route", None)]
    assert events("site.viewed_exact") == []


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(app, client):
    sites_with_history()
    response = client.get(MAP)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


# --- the content security policy ---------------------------------------------------------------


def test_the_policy_lets_images_come_from_the_tile_server_and_nothing_else_changes(app, client, login_as):
    sites_with_history()
    login_as("coordinator")
    response = client.get(MAP)
    expected = {name: list(sources) for name, sources in POLICY_BEFORE_THE_MAP.items()}
    expected["script-src"] = ["'self'", f"'nonce-{nonce_of(response)}'"]
    expected["img-src"] = ["'self'", "data:", "http://127.0.0.1:9"]
    assert policy(response) == expected
    assert response.headers["Cache-Control"] == "no-store"


def test_the_tile_server_in_the_policy_follows_the_configuration(database_url):
    from cctv_requests import create_app

    app = create_app(config_for(database_url, MAP_TILE_URL=OSM_TILES))
    response = app.test_client().get("/sign-in")
    assert policy(response)["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    "url,origin",
    [
        (OSM_TILES, "https://tile.openstreetmap.org"),
        (TEST_TILES, "http://127.0.0.1:9"),
        ("https://{s}.tiles.example.org/{z}/{x}/{y}.png", "https://*.tiles.example.org"),
        ("https://tiles.example.org:8443/wmts/{z}/{x}/{y}.png?key=abc", "https://tiles.example.org:8443"),
        # Nothing that is not an http(s) origin, and nothing that could add a directive.
        ("", None),
        (None, None),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("ftp://tiles.example.org/{z}/{x}/{y}.png", None),
        ("https://tiles.example.org; script-src *", None),
        ("https://user:secret@tiles.example.org/{z}/{x}/{y}.png", None),
    ],
)
def test_the_tile_origin_is_the_scheme_and_host_of_the_tile_url(url, origin):
    assert map_tile_origin(url) == origin


# --- the audit log and the cost of the page --------------------------------------------------------


def test_viewing_the_map_is_audited_once_after_every_read(app, client, login_as):
    sites_with_history()
    user = login_as("coordinator")
    response, statements = statements_during(client, MAP)
    assert response.status_code == 200
    assert events("site.viewed_exact") == [(user.id, "site", None)]
    detail = json.loads(
        db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "site.viewed_exact"))
    )
    assert detail == {"page": "camera_map", "sites": 2}
    writes = [s for s in statements if verb(s) != "SELECT"]
    assert [verb(s) for s in writes] == ["INSERT", "COMMIT"]
    assert "audit_events" in writes[0]
    last_read = max(i for i, s in enumerate(statements) if verb(s) == "SELECT")
    assert last_read < statements.index(writes[0])


def add_deployed_sites(count: int, ward) -> None:
    """``count`` sites, each with a removed deployment; every other one has a
    camera now and every third has no coordinates."""
    for n in range(count):
        site = factories.site(
            ward,
            street=f"Street {n}",
            latitude=None if n % 3 == 0 else 51.6 + n / 1000,
            longitude=None if n % 3 == 0 else -0.4 - n / 1000,
        )
        camera = factories.camera()
        factories.deployment(camera, site, installed_on=days_ago(300), removed_on=days_ago(200))
        if n % 2 == 0:
            factories.deployment(camera, site, installed_on=days_ago(100))


def test_the_page_costs_the_same_queries_for_2_or_20_sites(app, client, login_as):
    ward = factories.ward("Leavesden")
    add_deployed_sites(2, ward)
    login_as("coordinator")
    two, with_two = statements_during(client, MAP)
    add_deployed_sites(18, ward)
    twenty, with_twenty = statements_during(client, MAP)
    assert (two.status_code, twenty.status_code) == (200, 200)
    assert (len(table_rows(page(two))), len(table_rows(page(twenty)))) == (2, 20)
    assert len(map_data(page(twenty))["sites"]) == 13
    assert len(with_twenty) == len(with_two), "\n".join(with_twenty)
