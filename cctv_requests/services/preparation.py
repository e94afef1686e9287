"""From approval to live: the site survey and the consents, and the
checklist of everything the go-live gates ask for (DESIGN.md section 4,
record_installation)."""

from dataclasses import dataclass

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..models import Camera, MoveRequest, SiteSurvey

# Where the survey can still change: once the camera is up it is the record.
EDITABLE = ("approved", "scheduled")


def survey_for(move_request_id: int) -> SiteSurvey | None:
    return db.session.scalar(sa.select(SiteSurvey).where(SiteSurvey.move_request_id == move_request_id))


def save_survey(move_request: MoveRequest, details: dict, actor, seen_version: int | None) -> bool:
    """Save the survey and consents. A compare-and-set on the version the
    coordinator opened: False, with nothing saved, if someone else saved it
    meanwhile."""
    survey = survey_for(move_request.id)
    if survey is None:
        if seen_version not in (None, 0):
            return False
        survey = SiteSurvey(move_request_id=move_request.id, updated_by_id=actor.id, version=1, **details)
        db.session.add(survey)
        try:
            db.session.flush()
        except sa.exc.IntegrityError:
            db.session.rollback()
            return False
    else:
        result = db.session.execute(
            sa.update(SiteSurvey)
            .where(SiteSurvey.id == survey.id, SiteSurvey.version == seen_version)
            .values(**details, version=SiteSurvey.version + 1, updated_by_id=actor.id)
            .execution_options(synchronize_session="fetch")
        )
        if result.rowcount != 1:
            db.session.rollback()
            return False
    audit.record("request.survey_saved", actor=actor, object_type="move_request", object_id=move_request.id)
    db.session.commit()
    return True


@dataclass(frozen=True)
class Check:
    label: str
    done: bool
    detail: str
    # Where the coordinator records it: "survey" (the survey and consents
    # page) or "" (recorded with the request or the booking).
    recorded_on: str = ""


def checklist(move_request: MoveRequest, survey: SiteSurvey | None) -> list[Check]:
    """What must be in place before the camera goes live, and whether it is."""
    camera_status = (
        db.session.scalar(
            sa.select(Camera.service_status).where(Camera.id == move_request.approved_camera_id)
        )
        if move_request.approved_camera_id
        else None
    )
    survey_detail = (
        f"Surveyed {survey.surveyed_on:%-d %B %Y} by {survey.surveyor}"
        if survey and survey.survey_done
        else "Not recorded"
    )

    def consent(on, reference) -> str:
        if on is None:
            return "Not recorded"
        return f"Given {on:%-d %B %Y}" + (f", reference {reference}" if reference else "")

    booked = move_request.installation_date is not None
    return [
        Check("Site survey", bool(survey and survey.survey_done), survey_detail, "survey"),
        Check(
            "Landowner's consent",
            bool(survey and survey.landowner_consent_on),
            consent(survey.landowner_consent_on, survey.landowner_consent_reference)
            if survey
            else "Not recorded",
        ),
        Check(
            "Highway authority's consent",
            bool(survey and survey.highway_consent_on),
            consent(survey.highway_consent_on, survey.highway_consent_reference)
            if survey
            else "Not recorded",
        ),
        Check(
            "DPIA or location annex reference",
            bool(move_request.dpia_reference.strip()),
            move_request.dpia_reference or "Not given",
        ),
        Check(
            "Signage plan",
            bool(move_request.signage_plan.strip()),
            "Given" if move_request.signage_plan.strip() else "Not given",
        ),
        Check(
            "Installation booked",
            booked,
            f"{move_request.installation_date:%-d %B %Y} with {move_request.installer}"
            if booked
            else "Not booked",
        ),
        Check(
            "Camera in service",
            camera_status == "in_service",
            "In service"
            if camera_status == "in_service"
            else (camera_status or "No camera").replace("_", " ").capitalize(),
        ),
    ]
