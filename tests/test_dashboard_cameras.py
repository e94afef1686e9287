"""The coordinator's home page lists what stands between approval and a
camera going live: a survey or consent not yet recorded, or a booking on a
camera that has gone out of service."""

import sqlalchemy as sa

from cctv_requests.extensions import db
from cctv_requests.models import SiteSurvey
from tests import factories
from tests.readers import page


def _section(client, key):
    heading = page(client.get("/")).find(id=f"{key}-heading")
    return heading.get_text(strip=True), heading.find_parent("section").get_text(" ", strip=True)


def _survey_of(mr) -> SiteSurvey:
    return db.session.scalar(sa.select(SiteSurvey).where(SiteSurvey.move_request_id == mr.id))


def test_approved_requests_missing_a_survey_or_a_consent_wait_on_the_coordinators_home(app, client, login_as):
    camera = factories.camera()
    ready = factories.move_request(status="scheduled", title="All recorded", approved_camera_id=camera.id)
    no_highway = factories.move_request(status="approved", title="No highway consent")
    _survey_of(no_highway).highway_consent_on = None
    no_surveyor = factories.move_request(status="scheduled", title="Surveyor missing")
    _survey_of(no_surveyor).surveyor = ""
    nothing = factories.move_request(status="approved", title="Nothing recorded")
    db.session.execute(sa.delete(SiteSurvey).where(SiteSurvey.move_request_id == nothing.id))
    # Live already: past the gates, so not listed.
    factories.move_request(status="live", title="Already live")
    db.session.commit()
    login_as("coordinator")
    heading, text = _section(client, "coordinator_preparation")
    assert heading == "Waiting for the site survey or consents (3)"
    for listed in (no_highway, no_surveyor, nothing):
        assert listed.reference in text
    assert ready.reference not in text and "Already live" not in text


def test_a_booking_on_a_faulty_camera_waits_on_the_coordinators_home(app, client, login_as):
    faulty, retired, working = (
        factories.camera(service_status=s) for s in ("faulty", "retired", "in_service")
    )
    on_faulty = factories.move_request(status="approved", approved_camera_id=faulty.id)
    on_retired = factories.move_request(status="scheduled", approved_camera_id=retired.id)
    fine = factories.move_request(status="approved", approved_camera_id=working.id)
    # A request long finished on a camera retired since is not a booking.
    factories.move_request(status="closed", approved_camera_id=retired.id, title="Finished long ago")
    login_as("coordinator")
    heading, text = _section(client, "coordinator_out_of_service")
    assert heading == "Booked on a camera that is out of service (2)"
    assert on_faulty.reference in text and on_retired.reference in text
    assert fine.reference not in text and "Finished long ago" not in text
