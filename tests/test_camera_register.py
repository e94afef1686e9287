"""The camera register (DESIGN.md section 5): adding cameras, changing their
details, their service status (in service, faulty, retired) and maintenance
notes, each kept in the camera's history; and what a camera out of service
means for the lifecycle (DESIGN.md section 4): approve, a chair's action and
booking the installation need "the chosen camera in service", the camera
cannot go live while it is not, and the board sees it as out of service.

A status change is a compare-and-set on the status the coordinator saw, and
moves the camera's booking version on, so that a decision booking the camera
at the same moment loses (QUALITY.md INT-1/INT-2). A retired camera cannot
come back into service.

Every expected message, row and date is written here by hand from those
rules; none is computed by the code under test.
"""

import json
import re
import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from cctv_requests.extensions import db
from cctv_requests.models import AgendaItem, AuditEvent, Camera, CameraLogEntry, Deployment, MoveRequest, User
from cctv_requests.services import register
from cctv_requests.workflow import engine
from tests import factories
from tests.readers import events, page
from tests.test_request_pages import date_fields, error_summary

TODAY = date.today()
NOT_IN_SERVICE = "That camera is not in service."
CANNOT_GO_LIVE = "The approved camera is not in service. It cannot be installed until it is repaired."
DUPLICATE = "A camera with that asset tag is already on the register"
RETIRED = "A retired camera cannot come back into service. Add it again if it returns"
STALE = "Someone else changed this camera's status meanwhile. Check it and try again"


# --- helpers -------------------------------------------------------------------------------------


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def shown(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def text_of(element) -> str:
    return re.sub(r"\s+([,.:;])", r"\1", element.get_text(" ", strip=True))


def banners(response) -> str:
    return " ".join(b.get_text(" ", strip=True) for b in page(response).select(".govuk-notification-banner"))


def log_of(camera) -> list[tuple]:
    """(kind, from, to, note, by) of each register entry, oldest first."""
    rows = db.session.scalars(
        sa.select(CameraLogEntry).where(CameraLogEntry.camera_id == camera.id).order_by(CameraLogEntry.id)
    )
    return [(e.kind, e.from_status, e.to_status, e.note, e.recorded_by_id) for e in rows]


def detail_of(action: str) -> list[dict]:
    rows = db.session.scalars(
        sa.select(AuditEvent.detail).where(AuditEvent.action == action).order_by(AuditEvent.id)
    )
    return [json.loads(row) for row in rows]


def camera_state(camera_id: int) -> tuple:
    """Everything the register can write about one camera."""
    db.session.expire_all()
    camera = db.session.get(Camera, camera_id)
    return (
        camera.asset_tag,
        camera.name,
        camera.make_model,
        camera.serial,
        camera.service_status,
        camera.booking_version,
        log_of(camera),
        db.session.scalar(sa.select(sa.func.count()).select_from(Camera)),
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.like("camera.%"))
        ),
    )


def history_rows(response) -> list[tuple[str, ...]]:
    """(what, note, by) of each row of the register history, as shown."""
    table = next(t for t in page(response).select("table") if "Register history" in t.caption.get_text())
    return [tuple(text_of(td) for td in row.select("td"))[1:] for row in table.select("tbody tr")]


def set_status(client, camera, status: str, note: str = "The 4G modem has failed", seen: str | None = None):
    return client.post(
        f"/cameras/{camera.id}/status",
        data={"seen_status": seen or fresh(Camera, camera.id).service_status, "status": status, "note": note},
    )


def coordinator(login_as):
    return login_as(user=factories.user("coordinator", name="Cara Coordinator"))


# --- adding a camera -----------------------------------------------------------------------------


def test_a_new_camera_goes_on_the_register_in_service_and_in_store(app, client, login_as):
    user = coordinator(login_as)
    response = client.post(
        "/cameras/new",
        data={"asset_tag": " RDC-07 ", "name": "Camera 7", "make_model": "Axis Q6135", "serial": "SN-4411"},
    )
    assert response.status_code == 302, error_summary(response)
    camera = db.session.scalar(sa.select(Camera).where(Camera.asset_tag == "RDC-07"))
    assert response.headers["Location"].endswith(f"/cameras/{camera.id}")
    assert (camera.name, camera.make_model, camera.serial, camera.service_status, camera.booking_version) == (
        "Camera 7",
        "Axis Q6135",
        "SN-4411",
        "in_service",
        0,
    )
    assert log_of(camera) == [("added", None, "in_service", "", user.id)]
    assert events("camera.added") == [(user.id, "camera", camera.id)]

    shown_page = client.get(response.headers["Location"])
    assert "Camera 7 (RDC-07) added to the register. It is in store until a move is approved." in banners(
        shown_page
    )
    summary = {
        text_of(row.select_one("dt")): text_of(row.select_one("dd"))
        for row in page(shown_page).select("dl.govuk-summary-list .govuk-summary-list__row")
    }
    assert summary["Service status"] == "In service"
    assert summary["Now at"] == "In store"
    assert summary["Asset tag"] == "RDC-07"
    assert history_rows(shown_page) == [("Added to the register", "", "Cara Coordinator")]
    # It is on the list, and can be booked.
    assert "Camera 7 (RDC-07)" in page(client.get("/cameras")).select_one("table").get_text()


@pytest.mark.parametrize("tag", ["RDC-07", "  RDC-07  "])
def test_an_asset_tag_already_on_the_register_is_refused_at_the_field(app, client, login_as, tag):
    existing = factories.camera(asset_tag="RDC-07", name="Camera 7")
    coordinator(login_as)
    before = camera_state(existing.id)
    response = client.post("/cameras/new", data={"asset_tag": tag, "name": "Camera 8"})
    assert response.status_code == 200
    assert error_summary(response) == {"asset_tag": DUPLICATE}
    assert camera_state(existing.id) == before
    assert events("camera.added") == []


def test_a_new_camera_needs_a_tag_and_a_name(app, client, login_as):
    coordinator(login_as)
    response = client.post("/cameras/new", data={"asset_tag": " ", "name": "", "make_model": "Axis"})
    assert error_summary(response) == {"asset_tag": "Enter the asset tag", "name": "Enter the camera's name"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Camera)) == 0


# --- changing its details ------------------------------------------------------------------------


def test_changed_details_are_logged_with_what_they_were_and_what_they_are(app, client, login_as):
    camera = factories.camera(asset_tag="RDC-07", name="Camera 7", make_model="Axis Q6135")
    user = coordinator(login_as)
    response = client.post(
        f"/cameras/{camera.id}/edit",
        data={"asset_tag": "RDC-07", "name": "Camera Seven", "make_model": "Axis Q6135", "serial": "SN-9"},
    )
    assert response.status_code == 302, error_summary(response)
    changed = fresh(Camera, camera.id)
    assert (changed.asset_tag, changed.name, changed.make_model, changed.serial) == (
        "RDC-07",
        "Camera Seven",
        "Axis Q6135",
        "SN-9",
    )
    note = "Name: Camera 7 to Camera Seven; Serial number: (none) to SN-9"
    assert log_of(camera) == [("edited", None, None, note, user.id)]
    assert events("camera.edited") == [(user.id, "camera", camera.id)]
    assert detail_of("camera.edited") == [{"changed": ["Name", "Serial number"]}]
    shown_page = client.get(response.headers["Location"])
    assert "Changed: Name, Serial number." in banners(shown_page)
    assert history_rows(shown_page) == [("Details changed", note, "Cara Coordinator")]


def test_saving_the_details_unchanged_writes_nothing(app, client, login_as):
    camera = factories.camera(asset_tag="RDC-07", name="Camera 7")
    coordinator(login_as)
    before = camera_state(camera.id)
    response = client.post(f"/cameras/{camera.id}/edit", data={"asset_tag": "RDC-07", "name": "Camera 7"})
    assert response.status_code == 302, error_summary(response)
    assert camera_state(camera.id) == before
    assert "Nothing was changed." in banners(client.get(response.headers["Location"]))


def test_changing_the_tag_to_another_cameras_is_refused_and_saves_nothing(app, client, login_as):
    factories.camera(asset_tag="RDC-08", name="Camera 8")
    camera = factories.camera(asset_tag="RDC-07", name="Camera 7")
    coordinator(login_as)
    before = camera_state(camera.id)
    response = client.post(
        f"/cameras/{camera.id}/edit", data={"asset_tag": "RDC-08", "name": "Camera 7 renamed"}
    )
    assert response.status_code == 200
    assert error_summary(response) == {"asset_tag": DUPLICATE}
    assert camera_state(camera.id) == before


# --- service status ------------------------------------------------------------------------------


def test_marking_a_camera_faulty_and_repaired_logs_each_change_and_moves_its_booking_version(
    app, client, login_as
):
    camera = factories.camera(asset_tag="KES-1", name="Kestrel")
    user = coordinator(login_as)
    response = set_status(client, camera, "faulty", "The 4G modem has failed")
    assert response.status_code == 302, error_summary(response)
    assert response.headers["Location"].endswith(f"/cameras/{camera.id}")
    assert (fresh(Camera, camera.id).service_status, fresh(Camera, camera.id).booking_version) == (
        "faulty",
        1,
    )
    assert "Kestrel (KES-1) is now faulty." in banners(client.get(response.headers["Location"]))

    set_status(client, camera, "in_service", "Modem replaced by the supplier")
    assert (fresh(Camera, camera.id).service_status, fresh(Camera, camera.id).booking_version) == (
        "in_service",
        2,
    )
    assert log_of(camera) == [
        ("status", "in_service", "faulty", "The 4G modem has failed", user.id),
        ("status", "faulty", "in_service", "Modem replaced by the supplier", user.id),
    ]
    assert events("camera.status_changed") == [(user.id, "camera", camera.id)] * 2
    assert detail_of("camera.status_changed") == [
        {"source": "in_service", "dest": "faulty"},
        {"source": "faulty", "dest": "in_service"},
    ]
    # Newest first on the camera's page.
    assert history_rows(client.get(f"/cameras/{camera.id}")) == [
        (
            "Service status changed: faulty to in service",
            "Modem replaced by the supplier",
            "Cara Coordinator",
        ),
        ("Service status changed: in service to faulty", "The 4G modem has failed", "Cara Coordinator"),
    ]


@pytest.mark.parametrize("start", ["in_service", "faulty"])
def test_a_retired_camera_cannot_come_back(app, client, login_as, start):
    camera = factories.camera(service_status=start)
    coordinator(login_as)
    retired = set_status(client, camera, "retired", "Water in the housing; beyond repair")
    assert retired.status_code == 302, error_summary(retired)
    assert (fresh(Camera, camera.id).service_status, fresh(Camera, camera.id).booking_version) == (
        "retired",
        1,
    )
    before = camera_state(camera.id)
    for status in ("in_service", "faulty"):
        response = set_status(client, camera, status, "Found a spare housing")
        assert response.status_code == 200
        assert error_summary(response) == {"status": RETIRED}
        assert camera_state(camera.id) == before


def test_a_status_change_is_made_on_the_status_the_coordinator_saw(app, client, login_as):
    """Two coordinators open the form while the camera is in service; one
    marks it faulty; the other, still seeing "in service", tries to retire it."""
    camera = factories.camera()
    coordinator(login_as)
    assert set_status(client, camera, "faulty", seen="in_service").status_code == 302
    before = camera_state(camera.id)
    late = set_status(client, camera, "retired", "Beyond repair", seen="in_service")
    assert late.status_code == 200
    assert error_summary(late) == {"status": STALE}
    assert camera_state(camera.id) == before


@pytest.mark.parametrize(
    "answers,errors",
    [
        ({"status": "faulty"}, {"status": "The camera is already faulty"}),
        ({"status": "faulty", "note": " "}, {"note": "Enter what has happened, for example the fault found"}),
        ({"status": "", "note": "Broken"}, {"status": "Select the camera's service status"}),
        ({"status": "mended", "note": "Broken"}, {"status": "Select the camera's service status"}),
    ],
)
def test_a_status_change_form_names_the_answer_to_fix(app, client, login_as, answers, errors):
    camera = factories.camera(service_status="faulty")
    coordinator(login_as)
    before = camera_state(camera.id)
    data = {"seen_status": "faulty", "note": "The lens is cracked", **answers}
    response = client.post(f"/cameras/{camera.id}/status", data=data)
    assert response.status_code == 200
    assert error_summary(response) == errors
    assert camera_state(camera.id) == before


def test_the_service_refuses_a_status_change_on_a_status_no_longer_held(app):
    camera = factories.camera()
    user = factories.user("coordinator")
    register.set_status(camera, "faulty", "Broken", user, "in_service")
    before = camera_state(camera.id)
    with pytest.raises(register.RegisterRefused) as refused:
        register.set_status(fresh(Camera, camera.id), "retired", "Scrap it", user, "in_service")
    assert (refused.value.message, refused.value.field) == (STALE, "status")
    assert camera_state(camera.id) == before


# --- maintenance notes and the camera's history --------------------------------------------------


def test_a_maintenance_note_joins_the_register_history(app, client, login_as):
    camera = factories.camera()
    user = coordinator(login_as)
    response = client.post(f"/cameras/{camera.id}/note", data={"note": "Lens cleaned; firmware 4.2"})
    assert response.status_code == 302, error_summary(response)
    assert log_of(camera) == [("maintenance", None, None, "Lens cleaned; firmware 4.2", user.id)]
    assert events("camera.maintenance_noted") == [(user.id, "camera", camera.id)]
    shown_page = client.get(response.headers["Location"])
    assert "Maintenance note added." in banners(shown_page)
    assert history_rows(shown_page) == [
        ("Maintenance note", "Lens cleaned; firmware 4.2", "Cara Coordinator")
    ]

    before = camera_state(camera.id)
    empty = client.post(f"/cameras/{camera.id}/note", data={"note": "  "})
    assert error_summary(empty) == {"note": "Enter the maintenance note"}
    assert camera_state(camera.id) == before


def test_the_history_lists_every_kind_of_entry_newest_first(app, client, login_as):
    coordinator(login_as)
    client.post("/cameras/new", data={"asset_tag": "OWL-1", "name": "Owl"})
    camera = db.session.scalar(sa.select(Camera).where(Camera.asset_tag == "OWL-1"))
    client.post(
        f"/cameras/{camera.id}/edit", data={"asset_tag": "OWL-1", "name": "Owl", "make_model": "Axis"}
    )
    set_status(client, camera, "faulty", "Cracked lens")
    client.post(f"/cameras/{camera.id}/note", data={"note": "Sent for repair"})
    whats = [row[0] for row in history_rows(client.get(f"/cameras/{camera.id}"))]
    assert whats == [
        "Maintenance note",
        "Service status changed: in service to faulty",
        "Details changed",
        "Added to the register",
    ]


@pytest.mark.parametrize("role", ["board", "chair", "officer", "sponsor", "councillor", "admin"])
def test_only_the_coordinator_keeps_the_register(app, client, login_as, role):
    camera = factories.camera(asset_tag="RDC-07", name="Camera 7")
    user = login_as(role)
    before = camera_state(camera.id)
    forms = {
        "/cameras/new": {"asset_tag": "RDC-09", "name": "Camera 9"},
        f"/cameras/{camera.id}/edit": {"asset_tag": "RDC-07", "name": "Renamed"},
        f"/cameras/{camera.id}/status": {"seen_status": "in_service", "status": "faulty", "note": "Broken"},
        f"/cameras/{camera.id}/note": {"note": "Cleaned"},
    }
    for path, data in forms.items():
        assert client.get(path).status_code == 403, path
        assert client.post(path, data=data).status_code == 403, path
    assert camera_state(camera.id) == before
    assert len(events("access.denied")) == 8
    assert {e[0] for e in events("access.denied")} == {user.id}


# --- a camera out of service in the lifecycle ----------------------------------------------------


def board_in_session():
    chair = factories.user("board", "chair")
    members = [factories.user("board") for _ in range(2)]
    meeting = factories.meeting(TODAY, status="in_session", attendees=(chair, *members))
    return chair, meeting


def booking_attempt(trigger: str, camera: Camera):
    """A request ready for ``trigger``, the actor and the answers naming ``camera``."""
    start, end = days(10), days(60)
    if trigger == "approve":
        chair, meeting = board_in_session()
        mr = factories.move_request(status="on_agenda")
        factories.agenda_item(meeting, mr)
        data = {"camera_id": camera.id, "start": start, "end": end, "votes_for": 3, "votes_against": 0}
        return mr, chair, data
    if trigger == "approve_urgently":
        factories.meeting(days(40))  # the ratification goes there
        mr = factories.move_request(
            status="endorsed", urgency="urgent", urgent_ground="risk_of_harm", urgent_explanation="Threats"
        )
        data = {"camera_id": camera.id, "start": start, "end": end, "reason": "Risk to a resident"}
        return mr, factories.user("board", "chair"), data
    mr = factories.move_request(
        status="approved", approved_camera_id=camera.id, approved_start=start, approved_end=end
    )
    data = {
        "camera_id": camera.id,
        "installation_date": days(12),
        "installer": "Ace",
        "installation_cost": 400,
    }
    return mr, factories.user("coordinator"), data


def request_state(mr) -> tuple:
    db.session.expire_all()
    row = db.session.get(MoveRequest, mr.id)
    items = db.session.scalars(
        sa.select(AgendaItem.outcome).where(AgendaItem.move_request_id == mr.id).order_by(AgendaItem.id)
    ).all()
    return (row.status, row.version, row.approved_camera_id, row.approved_start, row.installation_date, items)


@pytest.mark.parametrize("trigger", ["approve", "approve_urgently", "schedule_installation"])
@pytest.mark.parametrize("status", ["faulty", "retired"])
def test_a_camera_out_of_service_cannot_be_booked(app, trigger, status):
    camera = factories.camera(service_status=status)
    mr, actor, data = booking_attempt(trigger, camera)
    before = request_state(mr)
    with pytest.raises(engine.Refused) as refused:
        engine.fire(mr, trigger, actor, data)
    assert (refused.value.message, refused.value.guard) == (NOT_IN_SERVICE, "camera_available")
    assert request_state(mr) == before
    assert fresh(Camera, camera.id).booking_version == 0
    assert events(f"request.{trigger}") == []


@pytest.mark.parametrize(
    "trigger,dest",
    [("approve", "approved"), ("approve_urgently", "approved"), ("schedule_installation", "scheduled")],
)
def test_the_same_booking_of_a_camera_in_service_goes_ahead(app, trigger, dest):
    camera = factories.camera()
    mr, actor, data = booking_attempt(trigger, camera)
    engine.fire(mr, trigger, actor, data)
    booked = fresh(MoveRequest, mr.id)
    assert (booked.status, booked.approved_camera_id) == (dest, camera.id)
    assert fresh(Camera, camera.id).booking_version == 1


@pytest.mark.parametrize("action", ["schedule-installation", "approve-urgently"])
def test_the_booking_forms_offer_only_cameras_in_service(app, client, login_as, action):
    working = factories.camera(asset_tag="WRK-1", name="Working")
    broken = factories.camera(asset_tag="BRK-1", name="Broken", service_status="faulty")
    gone = factories.camera(asset_tag="OLD-1", name="Old", service_status="retired")
    trigger = action.replace("-", "_")
    mr, actor, data = booking_attempt(trigger, working)
    login_as(user=actor)
    form = page(client.get(f"/requests/{mr.id}/{action}"))
    offered = {option["value"] for option in form.select("select#camera_id option")}
    assert offered == {"", str(working.id)}
    # Sent anyway, the broken camera is refused at the question and nothing changes.
    before = request_state(mr)
    answers = [("version", str(mr.version))]
    for key, value in {**data, "camera_id": broken.id}.items():
        answers += date_fields(key, value) if isinstance(value, date) else [(key, str(value))]
    response = client.post(f"/requests/{mr.id}/{action}", data=MultiDict(answers))
    assert error_summary(response) == {"camera_id": "Select camera from the list"}
    assert request_state(mr) == before
    assert gone.service_status == "retired"


def scheduled_with(camera) -> MoveRequest:
    return factories.move_request(
        status="scheduled",
        approved_camera_id=camera.id,
        approved_start=days(-10),
        approved_end=days(60),
        installation_date=days(-2),
    )


INSTALL = {
    "dpia_reference": "DPIA-42",
    "signage_confirmed": True,
    "installed_on": TODAY,
    "review_due": days(90),
}


def test_an_installation_is_not_offered_once_the_approved_camera_has_gone_faulty(app, client, login_as):
    camera = factories.camera(asset_tag="KES-1", name="Kestrel")
    mr = scheduled_with(camera)
    user = coordinator(login_as)
    assert "record_installation" in [t.trigger for t in engine.allowed_actions(user, mr)]
    assert set_status(client, camera, "faulty", "Lens cracked in transit").status_code == 302

    mr = fresh(MoveRequest, mr.id)
    assert "record_installation" not in [t.trigger for t in engine.allowed_actions(user, mr)]
    shown_page = page(client.get(f"/requests/{mr.id}"))
    buttons = [a.get_text(strip=True) for a in shown_page.select("main a.govuk-button")]
    assert "Record the camera's installation" not in buttons
    stale_link = client.get(f"/requests/{mr.id}/record-installation")
    assert stale_link.status_code == 409
    assert CANNOT_GO_LIVE in page(stale_link).get_text()

    before = request_state(mr)
    with pytest.raises(engine.Refused) as refused:
        engine.fire(mr, "record_installation", user, INSTALL)
    assert refused.value.message == CANNOT_GO_LIVE
    assert request_state(mr) == before
    assert db.session.scalars(sa.select(Deployment)).all() == []

    # Repaired, it can go up again.
    set_status(client, camera, "in_service", "Lens replaced")
    mr = fresh(MoveRequest, mr.id)
    engine.fire(mr, "record_installation", fresh(User, user.id), INSTALL)
    assert fresh(MoveRequest, mr.id).status == "live"


def test_a_live_camera_that_goes_faulty_shows_as_faulty_to_the_board(app, client, login_as):
    chair, meeting = board_in_session()
    ward = factories.ward("Durrants")
    library = factories.site(ward, street="High Street", exact_location="Lamp column 3 outside the library")
    kestrel = factories.camera(asset_tag="KES-1", name="Kestrel")
    factories.camera(asset_tag="HER-1", name="Heron")
    live = factories.move_request(
        status="live",
        site_obj=library,
        approved_camera_id=kestrel.id,
        installed_on=days(-60),
        review_due=days(30),
    )
    factories.deployment(kestrel, library, move_request_id=live.id, installed_on=days(-60))
    asking = factories.move_request(status="on_agenda", wanted_start=days(20), duration_weeks=4)
    item = factories.agenda_item(meeting, asking)
    coordinator(login_as)
    assert set_status(client, kestrel, "faulty", "Picture lost").status_code == 302

    login_as(user=chair)
    agenda = page(client.get(f"/meetings/{meeting.id}"))
    board = next(t for t in agenda.select("table") if "doing now" in t.caption.get_text())
    rows = {
        text_of(r.select_one("th")): [text_of(td) for td in r.select("td")] for r in board.select("tbody tr")
    }
    assert set(rows) == {"Kestrel (KES-1) Faulty", "Heron (HER-1)"}
    # Still up where it was, until it is taken down.
    assert (
        rows["Kestrel (KES-1) Faulty"][0]
        == f"Lamp column 3 outside the library, Durrants, since {shown(days(-60))}"
    )
    card = text_of(agenda.select_one(f"#item-{item.id}"))
    assert "Cameras free for the period asked Heron (HER-1)." in card
    period = next(t for t in agenda.select(f"#item-{item.id} table"))
    kestrel_row = next(r for r in period.select("tbody tr") if "Kestrel" in r.get_text())
    assert text_of(kestrel_row.select("td")[-1]) == "No: not in service"

    index = page(client.get("/cameras")).select_one("table")
    listed = {
        text_of(r.select("td")[0]): [text_of(td) for td in r.select("td")[1:]]
        for r in index.select("tbody tr")
    }
    assert listed["Kestrel (KES-1)"][:2] == [
        "Faulty",
        "Lamp column 3 outside the library, High Street, Durrants",
    ]
    assert listed["Heron (HER-1)"][0] == "In service"

    timeline = page(client.get("/cameras/availability"))
    table = next(t for t in timeline.select("table") if "Each camera from" in t.caption.get_text())
    cells = {
        text_of(r.select_one("th")): [text_of(td) for td in r.select("td")] for r in table.select("tbody tr")
    }
    assert cells["Kestrel (KES-1) Faulty"][2] == "Not bookable while faulty"
    # Heron, in service and not booked, is free from today on.
    assert cells["Heron (HER-1)"][2].startswith(f"{shown(TODAY)} to ")
    assert "Kestrel (KES-1): faulty, not bookable" in timeline.select_one("svg desc").get_text()

    camera_page = page(client.get(f"/cameras/{kestrel.id}"))
    warning = text_of(camera_page.select_one(".govuk-warning-text"))
    assert "This camera is faulty. It cannot be booked or installed until it is back in service." in warning


def test_a_faulty_cameras_bookings_still_show_on_the_timeline(app, client, login_as):
    """A status change leaves the camera's bookings in place ("those bookings
    stay and the requests need another camera"), so the timeline, which
    answers "when is each camera free?" from the bookings, still lists them."""
    kestrel = factories.camera(asset_tag="KES-1", name="Kestrel", service_status="faulty")
    booked = factories.move_request(
        status="approved", approved_camera_id=kestrel.id, approved_start=days(20), approved_end=days(50)
    )
    login_as("coordinator")
    camera_page = text_of(page(client.get(f"/cameras/{kestrel.id}")).select_one(".govuk-warning-text"))
    assert f"It is still booked by {booked.reference}" in camera_page
    timeline = page(client.get("/cameras/availability"))
    table = next(t for t in timeline.select("table") if "Each camera from" in t.caption.get_text())
    row = next(r for r in table.select("tbody tr") if "Kestrel" in r.get_text())
    assert text_of(row.select("td")[1]) == f"{booked.reference}: {shown(days(20))} to {shown(days(50))}"


def test_a_status_change_makes_a_decision_booking_the_camera_at_that_moment_lose(app, monkeypatch):
    """The chair approves with the camera in service; between the engine
    reading the camera and booking it, the coordinator marks it faulty. The
    decision must lose rather than book a camera out of service."""
    camera = factories.camera()
    mr, chair, data = booking_attempt("approve", camera)
    coordinator_id = factories.user("coordinator").id
    camera_id = camera.id
    real_clashes = engine.clashes
    marked = []

    def mark_faulty_meanwhile(*args, **kwargs):
        def other_coordinator():
            with app.app_context():
                try:
                    register.set_status(
                        db.session.get(Camera, camera_id),
                        "faulty",
                        "Picture lost",
                        db.session.get(User, coordinator_id),
                        "in_service",
                    )
                    marked.append(True)
                finally:
                    db.session.remove()

        thread = threading.Thread(target=other_coordinator)
        thread.start()
        thread.join(timeout=30)
        return real_clashes(*args, **kwargs)

    before = request_state(mr)
    monkeypatch.setattr(engine, "clashes", mark_faulty_meanwhile)
    with pytest.raises(engine.Conflict):
        engine.fire(mr, "approve", chair, data)
    assert marked == [True]
    assert request_state(mr) == before
    after = fresh(Camera, camera_id)
    assert (after.service_status, after.booking_version) == ("faulty", 1)
    assert events("request.approve") == []
