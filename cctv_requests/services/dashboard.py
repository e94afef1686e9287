"""What is waiting for each user, by role."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import Camera, MoveRequest, SiteSurvey

LIMIT = 10


@dataclass
class Section:
    key: str
    heading: str
    empty: str
    rows: list = field(default_factory=list)
    total: int = 0
    more_url_status: str | None = None


def _requests(heading, key, empty, *where, order=None) -> Section:
    order = MoveRequest.updated_at.desc() if order is None else order
    query = sa.select(MoveRequest).where(*where)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = list(db.session.scalars(query.order_by(order).limit(LIMIT)))
    return Section(key, heading, empty, rows, total)


def sections_for(user, today: date) -> list[Section]:
    sections = []
    roles = user.roles
    if "officer" in roles:
        sections.append(
            _requests(
                "Your requests that need you",
                "officer_action",
                "None of your requests needs anything from you.",
                MoveRequest.requester_id == user.id,
                MoveRequest.status.in_(("draft", "returned")),
            )
        )
        sections.append(
            _requests(
                "Your requests in progress",
                "officer_progress",
                "You have no requests in progress.",
                MoveRequest.requester_id == user.id,
                MoveRequest.status.in_(
                    ("submitted", "endorsed", "on_agenda", "approved", "scheduled", "live")
                ),
            )
        )
    if "sponsor" in roles:
        sections.append(
            _requests(
                "Requests waiting for you to sponsor",
                "sponsor",
                "No requests are waiting for your sponsorship.",
                MoveRequest.sponsor_id == user.id,
                MoveRequest.requester_id != user.id,
                MoveRequest.status == "submitted",
                order=MoveRequest.submitted_at,
            )
        )
    if "coordinator" in roles:
        for status, heading, empty in (
            ("endorsed", "Endorsed requests to place on an agenda", "No endorsed requests are waiting."),
            (
                "approved",
                "Approved requests to book an installation for",
                "No approved requests are waiting.",
            ),
            ("scheduled", "Installations booked", "No installations are booked."),
            ("ended", "Removed cameras awaiting evaluation", "No evaluations are due."),
        ):
            sections.append(
                _requests(
                    heading,
                    f"coordinator_{status}",
                    empty,
                    MoveRequest.status == status,
                    order=MoveRequest.updated_at,
                )
            )
        prepared = sa.select(SiteSurvey.move_request_id).where(
            SiteSurvey.surveyed_on.is_not(None),
            SiteSurvey.surveyor != "",
            SiteSurvey.landowner_consent_on.is_not(None),
            SiteSurvey.highway_consent_on.is_not(None),
        )
        sections.append(
            _requests(
                "Waiting for the site survey or consents",
                "coordinator_preparation",
                "Every approved request has its survey and consents recorded.",
                MoveRequest.status.in_(("approved", "scheduled")),
                MoveRequest.id.not_in(prepared),
                order=MoveRequest.approved_start,
            )
        )
        sections.append(
            _requests(
                "Booked on a camera that is out of service",
                "coordinator_out_of_service",
                "No booking is on a faulty or retired camera.",
                MoveRequest.status.in_(("approved", "scheduled")),
                MoveRequest.approved_camera_id.in_(
                    sa.select(Camera.id).where(Camera.service_status != "in_service")
                ),
                order=MoveRequest.approved_start,
            )
        )
        sections.append(
            _requests(
                "Cameras the board has ordered removed",
                "coordinator_removals",
                "The board has not ordered any camera removed.",
                MoveRequest.status == "live",
                MoveRequest.removal_due.is_not(None),
                order=MoveRequest.removal_due,
            )
        )
        sections.append(
            _requests(
                "Live deployments with a review due",
                "coordinator_reviews",
                "No reviews are due in the next 30 days.",
                MoveRequest.status == "live",
                MoveRequest.review_due <= date.fromordinal(today.toordinal() + 30),
                order=MoveRequest.review_due,
            )
        )
    if "chair" in roles:
        sections.append(
            _requests(
                "Urgent requests that may need chair's action",
                "chair_urgent",
                "No urgent requests are waiting.",
                MoveRequest.urgency == "urgent",
                MoveRequest.status.in_(("endorsed", "on_agenda")),
                order=MoveRequest.submitted_at,
            )
        )
    return sections
