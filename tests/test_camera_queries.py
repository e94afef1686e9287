"""The camera and site pages: where each camera was on a past day (DESIGN.md
section 5), what a councillor may and may not see of them (DESIGN.md section
3, QUALITY.md SEC-4), and their cost in queries (QUALITY.md PERF-1: the
number of SQL statements does not grow with the rows listed, checked at 10x).

Every expected row is written here by hand; each date is a number of days
from today, formatted as the pages show it.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import Camera, CameraLogEntry, DeploymentCorrection, SiteCorrection
from tests import factories
from tests import scene as scenes
from tests.readers import events, page
from tests.scene import RESTRICTED_MARKS
from tests.test_request_pages import error_summary

TODAY = date.today()


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def shown(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def on(day: date) -> str:
    """The time-travel question as the cameras page sends it: three boxes."""
    return f"on={day.day}&on={day.month}&on={day.year}"


def text_of(element) -> str:
    return re.sub(r"\s+([,.:;])", r"\1", element.get_text(" ", strip=True))


def leaks(body: str) -> list[str]:
    return [mark for mark in RESTRICTED_MARKS if mark in body]


def statements_during(client, path: str):
    """The response to GET ``path`` and every statement sent while serving it."""
    seen: list[str] = []

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.lstrip())

    sa.event.listen(db.engine, "before_cursor_execute", on_statement)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", on_statement)
    return response, seen


def positions(response) -> dict[str, list[str]]:
    """The "where were the cameras" table: camera to its cells."""
    table = next(
        (t for t in page(response).select("table") if "Where the cameras were on" in t.caption.get_text()),
        None,
    )
    assert table is not None, "no positions table"
    return {
        text_of(r.select_one("th")): [text_of(td) for td in r.select("td")] for r in table.select("tbody tr")
    }


# --- where the cameras were on a past day ----------------------------------------------------------


def two_cameras():
    """Alpha at the library from day -200 to day -100, then at the station
    from day -100; Bravo never deployed."""
    ward = factories.ward("Leavesden")
    alpha = factories.camera(asset_tag="ALP-1", name="Alpha")
    factories.camera(asset_tag="BRA-1", name="Bravo")
    library = factories.site(ward, street="High Street", exact_location="Lamp column 1 outside the library")
    station = factories.site(ward, street="Station Road", exact_location="Pole 2 at the station")
    mr = factories.move_request(status="live", site_obj=station, installed_on=days(-100))
    factories.deployment(alpha, library, installed_on=days(-200), removed_on=days(-100))
    factories.deployment(alpha, station, installed_on=days(-100), move_request_id=mr.id)


@pytest.mark.parametrize(
    "offset,alpha",
    [
        (-250, ["In store (not deployed)"]),
        (-200, ["Lamp column 1 outside the library, High Street, Leavesden", f"{shown(days(-200))} to {shown(days(-100))}", "In place when the service started"]),
        (-101, ["Lamp column 1 outside the library, High Street, Leavesden", f"{shown(days(-200))} to {shown(days(-100))}", "In place when the service started"]),
        # The day it comes down belongs to the site it moves to.
        (-100, ["Pole 2 at the station, Station Road, Leavesden", shown(days(-100)), "View the request"]),
        (0, ["Pole 2 at the station, Station Road, Leavesden", shown(days(-100)), "View the request"]),
    ],
)  # fmt: skip
def test_the_coordinator_asks_where_each_camera_was_on_a_day(app, client, login_as, offset, alpha):
    two_cameras()
    login_as("coordinator")
    response = client.get(f"/cameras?{on(days(offset))}")
    assert response.status_code == 200
    assert positions(response) == {"Alpha (ALP-1)": alpha, "Bravo (BRA-1)": ["In store (not deployed)"]}


def test_an_officer_is_told_the_street_only(app, client, login_as):
    two_cameras()
    login_as("officer")
    rows = positions(client.get(f"/cameras?{on(days(-150))}"))
    assert rows["Alpha (ALP-1)"][0] == "High Street, Leavesden"
    assert rows["Alpha (ALP-1)"][2] == "In place when the service started"


def test_a_day_to_come_is_not_asked_about(app, client, login_as):
    two_cameras()
    login_as("coordinator")
    response = client.get(f"/cameras?{on(days(1))}")
    assert response.status_code == 200
    assert error_summary(response) == {"on-day": "Date must be today or in the past"}
    assert not any(
        "Where the cameras were on" in t.caption.get_text() for t in page(response).select("table")
    )


# --- SEC-4: what a councillor gets ----------------------------------------------------------------


def restricted_world():
    """The scene's camera at a restricted site, with history that names the
    exact place: an earlier stay, a maintenance note and a corrected date."""
    world = scenes.build()
    camera_id = world.ids["camera"]
    camera = db.session.get(Camera, camera_id)
    earlier = factories.deployment(
        camera,
        factories.site(factories.ward("South Oxhey"), street=scenes.STREET_MARK),
        installed_on=days(-300),
        removed_on=days(-200),
    )
    coordinator = world.users["coordinator"]
    db.session.add(
        CameraLogEntry(
            camera_id=camera_id, kind="maintenance", note=f"Realigned at {factories.EXACT_MARK}",
            recorded_by_id=coordinator.id,
        )
    )  # fmt: skip
    db.session.add(
        DeploymentCorrection(
            deployment_id=earlier.id, field="removed_on", old_value=days(-199), new_value=days(-200),
            reason="EXACTSECRET job sheet", recorded_by_id=coordinator.id,
        )
    )  # fmt: skip
    db.session.commit()
    return world


def test_the_coordinator_sees_what_the_councillor_must_not(app, client, login_as):
    """The marks are there to be found: the searches below would catch a leak."""
    world = restricted_world()
    login_as(user=world.users["coordinator"])
    for path in ("/cameras", f"/cameras/{world.ids['camera']}", f"/cameras?{on(days(-250))}"):
        assert "EXACTSECRET" in client.get(path).get_data(as_text=True), path


@pytest.mark.parametrize("viewer", ["councillor", "no_role"])
def test_a_councillor_gets_no_exact_location_or_street_from_the_camera_pages(app, client, login_as, viewer):
    world = restricted_world()
    login_as(user=world.users[viewer])
    for path in ("/cameras", f"/cameras/{world.ids['camera']}", f"/cameras?{on(days(-250))}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert leaks(response.get_data(as_text=True)) == [], path
    # The date question is not offered, nor answered.
    for path in ("/cameras", f"/cameras?{on(days(-250))}", f"/cameras?{on(days(1))}"):
        shown_page = page(client.get(path))
        assert shown_page.select('input[name="on"]') == [], path
        assert "Where were the cameras" not in shown_page.get_text(), path
        assert "Where the cameras were on" not in shown_page.get_text(), path
        assert shown_page.select_one(".govuk-error-summary") is None, path
    # Nothing the councillor saw was an exact location.
    assert events("site.viewed_exact") == []


@pytest.mark.parametrize(
    "path", ["/sites", "/sites?q=Road", "/sites/{site}", "/cameras/availability", "/cameras/costs"]
)
def test_a_councillor_is_refused_the_site_and_planning_pages(app, client, login_as, path):
    world = restricted_world()
    user = login_as(user=world.users["councillor"])
    response = client.get(path.format(site=world.ids["site"]))
    assert response.status_code == 403
    assert leaks(response.get_data(as_text=True)) == []
    assert events("access.denied") == [(user.id, "route", None)]


@pytest.mark.parametrize(
    "path", ["/sites", "/sites/{site}", "/cameras/availability", "/cameras/costs", "/cameras"]
)
def test_a_visitor_not_signed_in_is_sent_to_sign_in(app, client, path):
    world = restricted_world()
    response = client.get(path.format(site=world.ids["site"]))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


# --- PERF-1: the cost of each page ---------------------------------------------------------------


class Grower:
    """Adds rows to one world, ``count`` at a time, so one page can be
    measured with 2 rows and again with 20."""

    def __init__(self):
        self.ward = factories.ward("Abbots Langley and Bedmond")
        self.coordinator = factories.user("coordinator", name="Cara Coordinator")
        self.chair = factories.user("board", "chair", name="Colin Chair")
        self.meeting = factories.meeting(days(-400), status="closed")
        self.made = 0

    def request(self, site, camera, status: str, **fields):
        """A request the board approved at the meeting (every third by chair's action)."""
        mr = factories.move_request(status=status, site_obj=site, approved_camera_id=camera.id, **fields)
        if self.made % 3 == 2:
            factories.agenda_item(self.meeting, mr, outcome="chair_action", decided_by_id=self.chair.id)
            factories.agenda_item(self.meeting, mr, kind="ratification", outcome="ratified")
        else:
            factories.agenda_item(self.meeting, mr, outcome="approved", decided_by_id=self.chair.id)
        return mr

    def cameras(self, count: int) -> None:
        """Cameras each up at a site of its own, with a booking; every other
        one faulty, every third with an earlier stay."""
        for _ in range(count):
            n = self.made
            self.made += 1
            camera = factories.camera(service_status="faulty" if n % 2 else "in_service")
            site = factories.site(self.ward, street=f"Street {n}")
            if n % 3 == 0:
                factories.deployment(camera, site, installed_on=days(-300), removed_on=days(-200))
            mr = self.request(site, camera, "live", installed_on=days(-100), review_due=days(30))
            factories.deployment(camera, site, move_request_id=mr.id, installed_on=days(-100))
            self.request(
                factories.site(self.ward, street=f"Next {n}"), camera, "approved",
                approved_start=days(40 + n), approved_end=days(80 + n),
            )  # fmt: skip

    def stays(self, camera, count: int, site=None) -> None:
        """``count`` earlier stays of ``camera`` (at ``site``, or each at a
        site of its own), each from a request; every other one corrected."""
        for _ in range(count):
            n = self.made
            self.made += 1
            up, down = days(-2000 + 30 * n), days(-2000 + 30 * n + 20)
            where = site or factories.site(self.ward, street=f"Street {n}")
            mr = self.request(where, camera, "closed", installed_on=up, removed_on=down)
            deployment = factories.deployment(
                camera, where, move_request_id=mr.id, installed_on=up, removed_on=down
            )
            if n % 2:
                db.session.add(
                    DeploymentCorrection(
                        deployment_id=deployment.id, field="installed_on", old_value=up - timedelta(days=1),
                        new_value=up, reason="Job sheet", recorded_by_id=self.coordinator.id,
                    )
                )  # fmt: skip
                db.session.add(
                    CameraLogEntry(
                        camera_id=camera.id, kind="maintenance", note=f"Note {n}",
                        recorded_by_id=self.coordinator.id,
                    )
                )  # fmt: skip
                db.session.commit()

    def sites(self, count: int) -> None:
        """Sites each with a request; every other one with a camera now."""
        for _ in range(count):
            n = self.made
            self.made += 1
            site = factories.site(self.ward, street=f"Market Street {n}")
            camera = factories.camera()
            factories.move_request(status="submitted", site_obj=site)
            if n % 2:
                factories.deployment(camera, site, installed_on=days(-50))

    def moves(self, count: int) -> None:
        """Moves in the financial year 2025 to 2026, every other one installed."""
        for _ in range(count):
            n = self.made
            self.made += 1
            camera = factories.camera()
            site = factories.site(self.ward, street=f"Street {n}")
            if n % 2:
                self.request(
                    site, camera, "live", installed_on=date(2025, 5, 1) + timedelta(days=n),
                    installation_cost=Decimal("500.00"), actual_cost=Decimal("550.00"),
                )  # fmt: skip
            else:
                self.request(
                    site, camera, "scheduled", installation_date=date(2025, 6, 1) + timedelta(days=n),
                    installation_cost=Decimal("400.00"),
                )  # fmt: skip


def same_cost(client, path: str, add, count_rows) -> None:
    add(2)
    small, with_small = statements_during(client, path)
    add(18)
    large, with_large = statements_during(client, path)
    assert (small.status_code, large.status_code) == (200, 200)
    assert (count_rows(small), count_rows(large)) == (2, 20), "the page did not list what was added"
    assert len(with_large) == len(with_small), "\n".join(with_large)


def rows_of(caption_part: str):
    def count(response) -> int:
        table = next(t for t in page(response).select("table") if caption_part in t.caption.get_text())
        return len(table.select("tbody tr"))

    return count


def test_the_cameras_page_costs_the_same_for_2_or_20_cameras(app, client, login_as):
    grower = Grower()
    login_as(user=grower.coordinator)
    same_cost(client, "/cameras", grower.cameras, rows_of("Where the cameras are now"))


def test_the_cameras_page_with_a_past_day_costs_the_same_for_2_or_20_cameras(app, client, login_as):
    grower = Grower()
    login_as(user=grower.coordinator)
    same_cost(client, f"/cameras?{on(days(-250))}", grower.cameras, rows_of("Where the cameras were on"))


def test_a_cameras_page_costs_the_same_for_2_or_20_stays(app, client, login_as):
    grower = Grower()
    camera = factories.camera()
    login_as(user=grower.coordinator)
    same_cost(client, f"/cameras/{camera.id}", lambda n: grower.stays(camera, n), rows_of("Every site"))
    shown_page = page(client.get(f"/cameras/{camera.id}"))
    text = text_of(shown_page.select_one("main"))
    assert "Corrected from" in text and "Chair's action by Colin Chair" in text and "; ratified" in text
    assert "Board decision, meeting of" in text


def test_the_availability_page_costs_the_same_for_2_or_20_cameras(app, client, login_as):
    grower = Grower()
    login_as(user=grower.coordinator)
    same_cost(client, "/cameras/availability", grower.cameras, rows_of("Each camera from"))


def test_the_costs_page_costs_the_same_for_2_or_20_moves(app, client, login_as):
    grower = Grower()
    login_as(user=grower.coordinator)
    same_cost(client, "/cameras/costs?year=2025", grower.moves, rows_of("Each camera move"))


def test_the_sites_list_costs_the_same_for_2_or_20_sites(app, client, login_as):
    grower = Grower()
    login_as(user=grower.coordinator)
    same_cost(client, "/sites", grower.sites, rows_of("Sites"))


def test_a_site_search_costs_the_same_for_2_or_20_matches(app, client, login_as):
    grower = Grower()
    factories.deployment(factories.camera(), factories.site(grower.ward, street="Church Lane"))
    login_as(user=grower.coordinator)
    same_cost(client, "/sites?q=market", grower.sites, rows_of("Sites"))


def test_the_sites_list_for_an_officer_costs_the_same_for_2_or_20_sites(app, client, login_as):
    grower = Grower()
    login_as("officer")
    same_cost(client, "/sites?q=market", grower.sites, rows_of("Sites"))


def test_a_site_page_costs_the_same_for_2_or_20_stays_and_corrections(app, client, login_as):
    grower = Grower()
    site = factories.site(grower.ward, street="Market Place")
    camera = factories.camera()

    def add(count: int) -> None:
        grower.stays(camera, count, site=site)
        for n in range(count):
            db.session.add(
                SiteCorrection(
                    site_id=site.id, field="street", old_value=f"Old {n}", new_value="Market Place",
                    reason="Renamed", recorded_by_id=grower.coordinator.id,
                )
            )  # fmt: skip
        db.session.commit()

    login_as(user=grower.coordinator)
    same_cost(client, f"/sites/{site.id}", add, rows_of("Cameras that have been at this site"))
    assert rows_of("Corrections to this site")(client.get(f"/sites/{site.id}")) == 20
