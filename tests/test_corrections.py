"""Putting the record right (DESIGN.md section 5): a mistaken installation
or removal date of a deployment, and a site's details.

A deployment is a camera at a site from the day it went up to the day it came
down; the day it comes down belongs to the site it moves to next, so the
camera is at one site at most on any day. A corrected date may therefore not
overlap the camera's stays before and after; it may not be in the future,
the same as the date recorded, a removal before the installation or an
installation after the removal. Every correction keeps the old and new value,
the reason and who made it, and the history shows both. A refusal saves
nothing.

Sites are held at exact precision for the coordinator, the board and the
chair, and for the requester and sponsor of a request at that site (DESIGN.md
section 3); every view of a site's page is audited (QUALITY.md SEC-13).

Every expected date, message and row is written here from those rules, each
date as a number of days from today, formatted as the pages show it.
"""

import json
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from cctv_requests.extensions import db
from cctv_requests.models import (
    AuditEvent,
    Deployment,
    DeploymentCorrection,
    MoveRequest,
    Site,
    SiteCorrection,
)
from cctv_requests.services import deployments
from tests import factories
from tests.readers import events, page
from tests.test_request_pages import date_fields, error_summary

TODAY = date.today()
SAVED = "Correction recorded. The history shows the date as first recorded and as corrected."
FUTURE = "The corrected date cannot be in the future."
SAME = "The corrected date is the same as the date recorded. Enter a different date."


# --- helpers -------------------------------------------------------------------------------------


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def shown(day: date) -> str:
    """A date as the pages show it: 5 March 2031."""
    return f"{day.day} {day:%B %Y}"


def fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def banners(response) -> str:
    return " ".join(b.get_text(" ", strip=True) for b in page(response).select(".govuk-notification-banner"))


def detail_of(action: str) -> list[dict]:
    rows = db.session.scalars(
        sa.select(AuditEvent.detail).where(AuditEvent.action == action).order_by(AuditEvent.id)
    )
    return [json.loads(row) for row in rows]


class History:
    """Camera Kestrel (KES-1) at three sites, each stay from a request the
    board approved at a meeting 250 days ago:

    library  from day -200 to day -130
    market   from day -120 to day -60
    station  from day -50, still there
    """

    def __init__(self):
        self.coordinator = factories.user("coordinator", name="Cara Coordinator")
        self.chair = factories.user("board", "chair", name="Colin Chair")
        self.camera = factories.camera(asset_tag="KES-1", name="Kestrel")
        ward = factories.ward("South Oxhey")
        held = factories.meeting(days(-250), status="closed")
        self.meeting = held
        stays = (
            ("library", "Lamp column 1 outside the library", -200, -130, "ended"),
            ("market", "Pole 2 by the market cross", -120, -60, "ended"),
            ("station", "Lamp column 3 at the station", -50, None, "live"),
        )
        for name, exact, up, down, status in stays:
            site = factories.site(ward, street=f"{name.title()} Street", exact_location=exact)
            mr = factories.move_request(
                status=status,
                site_obj=site,
                approved_camera_id=self.camera.id,
                installed_on=days(up),
                removed_on=days(down) if down is not None else None,
            )
            factories.agenda_item(held, mr, outcome="approved", decided_by_id=self.chair.id)
            row = factories.deployment(
                self.camera,
                site,
                move_request_id=mr.id,
                installed_on=days(up),
                removed_on=days(down) if down is not None else None,
            )
            setattr(self, name, row)
            setattr(self, f"{name}_request", mr)

    def state(self) -> tuple:
        """Everything a correction could write."""
        db.session.expire_all()
        rows = db.session.scalars(sa.select(Deployment).order_by(Deployment.id))
        requests = db.session.scalars(sa.select(MoveRequest).order_by(MoveRequest.id))
        corrections = db.session.scalar(sa.select(sa.func.count()).select_from(DeploymentCorrection))
        return (
            [(d.id, d.installed_on, d.removed_on) for d in rows],
            [(r.id, r.installed_on, r.removed_on, r.version) for r in requests],
            corrections,
            events("deployment.corrected"),
        )


def correction_form(
    day: date | None, reason: str = "The installer's job sheet shows another day"
) -> MultiDict:
    items = (
        date_fields("new_value", day) if day else [("new_value", ""), ("new_value", ""), ("new_value", "")]
    )
    return MultiDict([*items, ("reason", reason)])


def correct(client, deployment, field: str, day: date | None, **kwargs):
    return client.post(
        f"/cameras/deployments/{deployment.id}/correct/{field}", data=correction_form(day, **kwargs)
    )


def text_of(element) -> str:
    """An element's text as read: no space before a comma or full stop."""
    return re.sub(r"\s+([,.:;])", r"\1", element.get_text(" ", strip=True))


def stay_row(response, exact: str) -> list[str]:
    """The cells of the row for the site at ``exact`` in the camera's history."""
    table = next(t for t in page(response).select("table") if "Every site" in t.caption.get_text())
    for row in table.select("tbody tr"):
        cells = [text_of(td) for td in row.select("td")]
        if exact in cells[0]:
            return cells
    raise AssertionError(f"{exact} is not in the history")


# --- correcting a deployment's dates -------------------------------------------------------------


def test_a_corrected_installation_date_reaches_the_deployment_and_its_request_and_both_dates_are_kept(
    app, client, login_as
):
    world = History()
    login_as(user=world.coordinator)
    reason = "The job sheet shows the camera went up five days later"
    response = correct(client, world.market, "installed_on", days(-115), reason=reason)
    assert response.status_code == 302, error_summary(response)
    assert response.headers["Location"].endswith(f"/cameras/{world.camera.id}")

    assert (fresh(Deployment, world.market.id).installed_on, world.market.removed_on) == (
        days(-115),
        days(-60),
    )
    request = fresh(MoveRequest, world.market_request.id)
    assert (request.installed_on, request.removed_on) == (days(-115), days(-60))
    [kept] = db.session.scalars(sa.select(DeploymentCorrection)).all()
    assert (
        kept.deployment_id,
        kept.field,
        kept.old_value,
        kept.new_value,
        kept.reason,
        kept.recorded_by_id,
    ) == (
        world.market.id,
        "installed_on",
        days(-120),
        days(-115),
        reason,
        world.coordinator.id,
    )
    assert events("deployment.corrected") == [(world.coordinator.id, "deployment", world.market.id)]
    assert detail_of("deployment.corrected") == [
        {
            "field": "installed_on",
            "old_value": days(-120).isoformat(),
            "new_value": days(-115).isoformat(),
            "reason": reason,
        }
    ]
    # The other stays are untouched.
    assert (fresh(Deployment, world.library.id).installed_on, world.library.removed_on) == (
        days(-200),
        days(-130),
    )
    assert fresh(Deployment, world.station.id).installed_on == days(-50)

    shown_page = client.get(response.headers["Location"])
    assert SAVED in banners(shown_page)
    installed, removed, authorised = stay_row(shown_page, "Pole 2 by the market cross")[1:]
    assert installed.startswith(shown(days(-115)))
    assert f"Corrected from {shown(days(-120))} by Cara Coordinator on " in installed
    assert installed.split(" on ", 1)[1].split(": ", 1)[1].startswith(reason)
    assert removed.startswith(shown(days(-60))) and "Corrected from" not in removed
    assert world.market_request.reference in authorised
    assert f"Board decision, meeting of {shown(days(-250))}, recorded by Colin Chair" in authorised


def test_a_corrected_removal_date_reaches_the_deployment_and_its_request(app, client, login_as):
    world = History()
    login_as(user=world.coordinator)
    response = correct(client, world.market, "removed_on", days(-55), reason="Taken down a week late")
    assert response.status_code == 302, error_summary(response)
    assert (fresh(Deployment, world.market.id).installed_on, world.market.removed_on) == (
        days(-120),
        days(-55),
    )
    request = fresh(MoveRequest, world.market_request.id)
    assert (request.installed_on, request.removed_on) == (days(-120), days(-55))
    [kept] = db.session.scalars(sa.select(DeploymentCorrection)).all()
    assert (kept.field, kept.old_value, kept.new_value, kept.reason) == (
        "removed_on",
        days(-60),
        days(-55),
        "Taken down a week late",
    )
    removed = stay_row(client.get(f"/cameras/{world.camera.id}"), "Pole 2 by the market cross")[2]
    assert removed.startswith(shown(days(-55)))
    assert f"Corrected from {shown(days(-60))} by Cara Coordinator on " in removed
    assert "Taken down a week late" in removed


def test_a_date_corrected_twice_shows_each_correction(app, client, login_as):
    world = History()
    login_as(user=world.coordinator)
    correct(client, world.station, "installed_on", days(-45), reason="First look at the job sheet")
    correct(client, world.station, "installed_on", days(-48), reason="The signed copy of the job sheet")
    assert fresh(Deployment, world.station.id).installed_on == days(-48)
    kept = db.session.scalars(sa.select(DeploymentCorrection).order_by(DeploymentCorrection.id)).all()
    assert [(c.old_value, c.new_value) for c in kept] == [(days(-50), days(-45)), (days(-45), days(-48))]
    installed = stay_row(client.get(f"/cameras/{world.camera.id}"), "Lamp column 3 at the station")[1]
    assert installed.startswith(shown(days(-48)))
    assert f"Corrected from {shown(days(-50))}" in installed
    assert f"Corrected from {shown(days(-45))}" in installed


@pytest.mark.parametrize(
    "stay,field,offset,message",
    [
        ("market", "installed_on", 1, FUTURE),
        ("market", "removed_on", 1, FUTURE),
        ("station", "installed_on", 1, FUTURE),
        ("market", "installed_on", -120, SAME),
        ("market", "removed_on", -60, SAME),
        # An installation after the removal, a removal before the installation.
        (
            "market",
            "installed_on",
            -59,
            f"The date installed cannot be after the date removed ({shown(days(-60))}).",
        ),
        (
            "market",
            "removed_on",
            -121,
            f"The date removed cannot be before the date installed ({shown(days(-120))}).",
        ),
        # The library kept the camera until day -130: it cannot be at the market before then.
        (
            "market",
            "installed_on",
            -131,
            f"The camera was still at its previous site until {shown(days(-130))}. "
            "Correct that removal date first, then this one.",
        ),
        (
            "station",
            "installed_on",
            -61,
            f"The camera was still at its previous site until {shown(days(-60))}. "
            "Correct that removal date first, then this one.",
        ),
        # Further back than the whole of the previous stay is no better.
        (
            "market",
            "installed_on",
            -210,
            f"The camera was still at its previous site until {shown(days(-130))}. "
            "Correct that removal date first, then this one.",
        ),
        # The camera went up at the station on day -50.
        (
            "market",
            "removed_on",
            -49,
            f"The camera went up at its next site on {shown(days(-50))}. "
            "Correct that installation date first, then this one.",
        ),
        (
            "library",
            "removed_on",
            -119,
            f"The camera went up at its next site on {shown(days(-120))}. "
            "Correct that installation date first, then this one.",
        ),
    ],
)
def test_a_correction_that_would_leave_the_history_impossible_is_refused_and_saves_nothing(
    app, client, login_as, stay, field, offset, message
):
    world = History()
    login_as(user=world.coordinator)
    before = world.state()
    response = correct(client, getattr(world, stay), field, days(offset))
    assert response.status_code == 200
    # At the date (its day box), saying what to change (QUALITY.md INP-3).
    assert error_summary(response) == {"new_value-day": message}
    assert world.state() == before
    assert before[2:] == (0, [])


@pytest.mark.parametrize(
    "stay,field,offset",
    [
        # The day a camera comes down belongs to the site it moves to next.
        ("market", "installed_on", -130),
        ("market", "removed_on", -50),
        ("station", "installed_on", -60),
        # Up and down on one day.
        ("market", "installed_on", -60),
        ("market", "removed_on", -120),
        # Today is not the future; the first stay has nothing before it.
        ("station", "installed_on", 0),
        ("library", "installed_on", -400),
        # Into the gaps between stays.
        ("library", "removed_on", -125),
        ("station", "installed_on", -55),
    ],
)
def test_a_correction_up_to_the_neighbouring_stays_is_accepted(app, client, login_as, stay, field, offset):
    world = History()
    login_as(user=world.coordinator)
    deployment = getattr(world, stay)
    response = correct(client, deployment, field, days(offset))
    assert response.status_code == 302, error_summary(response)
    assert getattr(fresh(Deployment, deployment.id), field) == days(offset)
    request = getattr(world, f"{stay}_request")
    assert getattr(fresh(MoveRequest, request.id), field) == days(offset)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeploymentCorrection)) == 1


def test_an_open_deployment_has_no_removal_date_to_correct(app, client, login_as):
    world = History()
    login_as(user=world.coordinator)
    before = world.state()
    path = f"/cameras/deployments/{world.station.id}/correct/removed_on"
    assert client.get(path).status_code == 404
    assert client.post(path, data=correction_form(days(-10))).status_code == 404
    assert world.state() == before
    # Nor is the history offering one: only the installation date has a link.
    cells = stay_row(client.get(f"/cameras/{world.camera.id}"), "Lamp column 3 at the station")
    links = page(client.get(f"/cameras/{world.camera.id}")).select("a[href]")
    hrefs = {a["href"] for a in links}
    assert f"/cameras/deployments/{world.station.id}/correct/installed_on" in hrefs
    assert path not in hrefs
    assert cells[2].startswith("Still there")


def test_the_service_refuses_a_removal_correction_of_an_open_deployment(app):
    world = History()
    before = world.state()
    assert (
        deployments.check_correction(world.station, "removed_on", days(-10), TODAY)
        == "The camera has not been removed from this site, so there is no removal date to correct."
    )
    with pytest.raises(deployments.CorrectionRefused):
        deployments.correct(world.station, "removed_on", days(-10), "Wrong", world.coordinator, TODAY)
    assert world.state() == before


def test_a_deployment_with_no_request_is_corrected_on_its_own(app, client, login_as):
    coordinator = factories.user("coordinator")
    camera = factories.camera()
    first = factories.deployment(camera, installed_on=days(-300), removed_on=days(-100))
    login_as(user=coordinator)
    response = correct(client, first, "removed_on", days(-90))
    assert response.status_code == 302, error_summary(response)
    assert fresh(Deployment, first.id).removed_on == days(-90)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeploymentCorrection)) == 1


@pytest.mark.parametrize(
    "boxes,reason,errors",
    [
        (("", "", ""), "Wrong day", {"new_value-day": "Enter the corrected date"}),
        (("31", "2", "2026"), "Wrong day", {"new_value-day": "Corrected date must be a real date"}),
        (("3", "4", "2026"), "   ", {"reason": "Enter why the date was wrong"}),
    ],
)
def test_the_correction_form_names_the_answer_to_fix(app, client, login_as, boxes, reason, errors):
    world = History()
    login_as(user=world.coordinator)
    before = world.state()
    data = MultiDict([*(("new_value", b) for b in boxes), ("reason", reason)])
    response = client.post(f"/cameras/deployments/{world.market.id}/correct/installed_on", data=data)
    assert response.status_code == 200
    assert error_summary(response) == errors
    assert world.state() == before


@pytest.mark.parametrize("role", ["board", "chair", "officer", "sponsor", "councillor", "admin"])
def test_only_the_coordinator_corrects_dates(app, client, login_as, role):
    world = History()
    user = login_as(role)
    before = world.state()
    path = f"/cameras/deployments/{world.market.id}/correct/installed_on"
    assert client.get(path).status_code == 403
    assert client.post(path, data=correction_form(days(-115))).status_code == 403
    assert world.state() == before
    assert events("access.denied") == [(user.id, "route", None)] * 2


def test_the_correction_page_shows_the_recorded_date_and_is_audited_as_an_exact_view(app, client, login_as):
    world = History()
    login_as(user=world.coordinator)
    response = client.get(f"/cameras/deployments/{world.market.id}/correct/removed_on")
    assert response.status_code == 200
    text = page(response).select_one("main").get_text(" ", strip=True)
    assert "Correct the removal date" in text
    assert f"The date recorded is {shown(days(-60))}." in text
    assert "Pole 2 by the market cross" in text
    assert events("site.viewed_exact") == [(world.coordinator.id, "deployment", world.market.id)]


# --- correcting a site's details -----------------------------------------------------------------


def station_site():
    ward = factories.ward("South Oxhey")
    factories.ward("Carpenders Park")
    return factories.site(
        ward,
        street="Station Road",
        exact_location="Lamp column 7 outside the station",
        view_description="The footbridge and the taxi rank",
        latitude=51.637291,
        longitude=-0.412688,
        mounting="lamp_column",
    )


def site_form(site: Site, reason: str = "", **changes) -> dict:
    """Every detail as the site holds it, with ``changes``."""
    answers = {
        "ward_id": str(site.ward_id),
        "street": site.street,
        "exact_location": site.exact_location,
        "latitude": repr(site.latitude),
        "longitude": repr(site.longitude),
        "view_description": site.view_description,
        "mounting": site.mounting,
        "reason": reason,
    }
    answers.update(changes)
    return answers


def site_state(site_id: int) -> tuple:
    db.session.expire_all()
    site = db.session.get(Site, site_id)
    corrections = db.session.scalar(sa.select(sa.func.count()).select_from(SiteCorrection))
    return (
        site.ward_id,
        site.street,
        site.exact_location,
        site.latitude,
        site.longitude,
        site.view_description,
        site.mounting,
        corrections,
        events("site.corrected"),
    )


def corrections_table(response) -> list[tuple[str, ...]]:
    table = next(
        (t for t in page(response).select("table") if "Corrections to this site" in t.caption.get_text()),
        None,
    )
    if table is None:
        return []
    return [
        tuple(td.get_text(" ", strip=True) for td in row.select("td")) for row in table.select("tbody tr")
    ]


def test_each_changed_detail_of_a_site_is_kept_as_a_correction_and_listed_on_its_page(app, client, login_as):
    site = station_site()
    carpenders = factories.ward("Carpenders Park")
    coordinator = login_as(user=factories.user("coordinator", name="Cara Coordinator"))
    reason = "The highway authority renumbered the columns"
    response = client.post(
        f"/sites/{site.id}/correct",
        data=site_form(
            site,
            reason,
            ward_id=str(carpenders.id),
            street="Station Approach",
            mounting="building",
        ),
    )
    assert response.status_code == 302, error_summary(response)
    assert response.headers["Location"].endswith(f"/sites/{site.id}")

    corrected = fresh(Site, site.id)
    assert (corrected.ward_id, corrected.street, corrected.mounting) == (
        carpenders.id,
        "Station Approach",
        "building",
    )
    # The details not changed stay as they were and are not recorded.
    assert (
        corrected.exact_location,
        corrected.latitude,
        corrected.longitude,
        corrected.view_description,
    ) == (
        "Lamp column 7 outside the station",
        51.637291,
        -0.412688,
        "The footbridge and the taxi rank",
    )
    kept = db.session.scalars(sa.select(SiteCorrection).order_by(SiteCorrection.field)).all()
    assert [(c.site_id, c.field, c.old_value, c.new_value, c.reason, c.recorded_by_id) for c in kept] == [
        (site.id, "mounting", "Lamp column", "Building", reason, coordinator.id),
        (site.id, "street", "Station Road", "Station Approach", reason, coordinator.id),
        (site.id, "ward_id", "South Oxhey", "Carpenders Park", reason, coordinator.id),
    ]
    assert events("site.corrected") == [(coordinator.id, "site", site.id)]

    shown_page = client.get(response.headers["Location"])
    assert "Correction recorded: ward, street name, mounting." in banners(shown_page)
    rows = corrections_table(shown_page)
    assert sorted(row[:3] for row in rows) == [
        ("Mounting", "Lamp column", "Building"),
        ("Street name", "Station Road", "Station Approach"),
        ("Ward", "South Oxhey", "Carpenders Park"),
    ]
    assert all(row[3].startswith(f"{reason} (Cara Coordinator, ") for row in rows)


def test_the_site_correction_form_sent_back_as_shown_records_only_what_was_changed(app, client, login_as):
    """The coordinator opens the form, changes the street and sends it: the
    coordinates, shown in the form as they are held, are not corrected."""
    site = station_site()
    login_as("coordinator")
    form = page(client.get(f"/sites/{site.id}/correct")).select_one("main form")
    answers = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            answers[name] = field.get_text()
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            answers[name] = chosen["value"] if chosen else ""
        elif field.get("type") == "radio":
            if field.has_attr("checked"):
                answers[name] = field["value"]
        else:
            answers[name] = field.get("value", "")
    answers["street"] = "Station Approach"
    answers["reason"] = "Renamed by the council"
    response = client.post(f"/sites/{site.id}/correct", data=answers)
    assert response.status_code == 302, error_summary(response)
    kept = db.session.scalars(sa.select(SiteCorrection)).all()
    assert [(c.field, c.old_value, c.new_value) for c in kept] == [
        ("street", "Station Road", "Station Approach")
    ]
    corrected = fresh(Site, site.id)
    assert (corrected.latitude, corrected.longitude) == (51.637291, -0.412688)


def test_a_site_correction_needs_a_reason_and_saves_nothing_without_one(app, client, login_as):
    site = station_site()
    login_as("coordinator")
    before = site_state(site.id)
    response = client.post(f"/sites/{site.id}/correct", data=site_form(site, "  ", street="Station Approach"))
    assert response.status_code == 200
    assert error_summary(response) == {"reason": "Enter why the details are being corrected"}
    assert site_state(site.id) == before


def test_a_site_correction_that_changes_nothing_records_nothing(app, client, login_as):
    site = station_site()
    login_as("coordinator")
    before = site_state(site.id)
    response = client.post(f"/sites/{site.id}/correct", data=site_form(site, "Checked on site"))
    assert response.status_code == 302, error_summary(response)
    assert site_state(site.id) == before
    shown_page = client.get(response.headers["Location"])
    assert "Nothing was changed, so no correction was recorded." in banners(shown_page)
    assert corrections_table(shown_page) == []
    assert "The site's details have not been corrected." in shown_page.get_data(as_text=True)


def test_clearing_the_coordinates_is_a_correction_to_none(app, client, login_as):
    site = station_site()
    login_as("coordinator")
    response = client.post(
        f"/sites/{site.id}/correct",
        data=site_form(site, "Were for another column", latitude="", longitude=""),
    )
    assert response.status_code == 302, error_summary(response)
    corrected = fresh(Site, site.id)
    assert (corrected.latitude, corrected.longitude) == (None, None)
    kept = db.session.scalars(sa.select(SiteCorrection).order_by(SiteCorrection.field)).all()
    assert [(c.field, c.old_value, c.new_value) for c in kept] == [
        ("latitude", "51.637291", ""),
        ("longitude", "-0.412688", ""),
    ]
    rows = corrections_table(client.get(f"/sites/{site.id}"))
    assert sorted(row[:3] for row in rows) == [
        ("Latitude", "51.637291", "Not recorded"),
        ("Longitude", "-0.412688", "Not recorded"),
    ]


@pytest.mark.parametrize(
    "field,value,errors",
    [
        ("street", "", {"street": "Enter the street name"}),
        ("exact_location", "", {"exact_location": "Enter the exact location"}),
        ("latitude", "north", {"latitude": "Latitude must be a number, like 51.6372"}),
        ("latitude", "70", {"latitude": "Latitude must be between 49 and 61, within the UK"}),
        ("longitude", "5", {"longitude": "Longitude must be between -9 and 2, within the UK"}),
        ("mounting", "balloon", {"mounting": "Select how the camera is mounted"}),
    ],
)
def test_a_site_correction_with_a_bad_answer_names_it_and_saves_nothing(
    app, client, login_as, field, value, errors
):
    site = station_site()
    login_as("coordinator")
    before = site_state(site.id)
    response = client.post(f"/sites/{site.id}/correct", data=site_form(site, "A reason", **{field: value}))
    assert response.status_code == 200
    assert error_summary(response) == errors
    assert site_state(site.id) == before


@pytest.mark.parametrize("role", ["board", "chair", "officer", "sponsor", "councillor", "admin"])
def test_only_the_coordinator_corrects_a_site(app, client, login_as, role):
    site = station_site()
    factories.deployment(factories.camera(), site)
    before = site_state(site.id)
    login_as(role)
    path = f"/sites/{site.id}/correct"
    assert client.get(path).status_code == 403
    assert client.post(path, data=site_form(site, "Because", street="Elsewhere")).status_code == 403
    assert site_state(site.id) == before


# --- who sees a site's page ----------------------------------------------------------------------


def test_the_site_page_gives_every_detail_and_each_view_is_audited(app, client, login_as):
    site = station_site()
    camera = factories.camera(asset_tag="OWL-1", name="Owl")
    factories.deployment(camera, site, installed_on=days(-30))
    for role in ("coordinator", "board", "chair"):
        user = login_as(role)
        response = client.get(f"/sites/{site.id}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        text = page(response).select_one("main").get_text(" ", strip=True)
        assert "Lamp column 7 outside the station" in text
        assert "51.637291, -0.412688" in text
        assert "The footbridge and the taxi rank" in text
        assert "Owl (OWL-1)" in text
        assert events("site.viewed_exact")[-1] == (user.id, "site", site.id)
    assert len(events("site.viewed_exact")) == 3


@pytest.mark.parametrize("relation", ["requester", "sponsor"])
def test_the_requester_and_sponsor_of_a_request_there_see_the_site(app, client, login_as, relation):
    site = station_site()
    mr = factories.move_request(status="submitted", site_obj=site)
    viewer = mr.requester if relation == "requester" else mr.sponsor
    login_as(user=viewer)
    response = client.get(f"/sites/{site.id}")
    assert response.status_code == 200
    assert "Lamp column 7 outside the station" in response.get_data(as_text=True)
    assert events("site.viewed_exact") == [(viewer.id, "site", site.id)]


@pytest.mark.parametrize("viewer", ["another officer", "another sponsor", "sponsor of a draft"])
def test_officers_and_sponsors_with_no_request_sent_there_are_refused(app, client, login_as, viewer):
    site = station_site()
    draft = factories.move_request(status="draft", site_obj=site)
    factories.move_request(status="submitted", site_obj=site)
    user = {
        "another officer": lambda: login_as("officer"),
        "another sponsor": lambda: login_as("sponsor"),
        "sponsor of a draft": lambda: login_as(user=draft.sponsor),
    }[viewer]()
    response = client.get(f"/sites/{site.id}")
    assert response.status_code == 403
    assert "Lamp column 7" not in response.get_data(as_text=True)
    assert events("access.denied") == [(user.id, "route", None)]
    assert events("site.viewed_exact") == []


@pytest.mark.parametrize("role", ["councillor", "admin"])
def test_councillors_and_admins_may_not_find_or_open_sites(app, client, login_as, role):
    site = station_site()
    factories.deployment(factories.camera(), site)
    user = login_as(role)
    for path in ("/sites", "/sites?q=Station", f"/sites/{site.id}"):
        response = client.get(path)
        assert response.status_code == 403, path
        body = response.get_data(as_text=True)
        assert "Lamp column 7" not in body and "Station Road" not in body
    assert events("access.denied") == [(user.id, "route", None)] * 3
    assert events("site.viewed_exact") == []
