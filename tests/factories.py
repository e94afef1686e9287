"""Factory functions with sensible defaults and keyword overrides."""

import itertools
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from cctv_requests.auth.passwords import hash_password
from cctv_requests.extensions import db
from cctv_requests.models import (
    AgendaItem,
    Attendance,
    AuditEvent,
    Camera,
    Deployment,
    Meeting,
    MoveRequest,
    Priority,
    Site,
    SiteSurvey,
    User,
    Ward,
)
from cctv_requests.models.requests import REQUEST_SECTIONS
from cctv_requests.services import district as district_service
from cctv_requests.services.meetings import plan_meeting

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)
# Strings that must never reach a councillor or an anonymous visitor (SEC-4).
EXACT_MARK = "EXACTSECRET lamp column 99 behind the sorting office"
INTEL_MARK = "INTELSECRET informant reports dealing from flat 4"
VIEW_MARK = "VIEWSECRET the back gardens of Acacia Avenue"

_numbers = itertools.count(1)


def district(today: date | None = None) -> dict:
    district_service.apply(district_service.load(), today or date.today())
    return {
        "wards": list(db.session.scalars(sa.select(Ward).order_by(Ward.name))),
        "cameras": list(db.session.scalars(sa.select(Camera).order_by(Camera.name))),
    }


def user(*roles: str, name: str | None = None, email: str | None = None, **fields) -> User:
    n = next(_numbers)
    account = User(
        email=email or f"user{n}@example.org",
        name=name or f"Test User {n}",
        password_hash=_PASSWORD_HASH,
        **fields,
    )
    account.set_roles(roles)
    db.session.add(account)
    db.session.commit()
    return account


def ward(name: str | None = None) -> Ward:
    existing = db.session.scalar(sa.select(Ward).where(Ward.name == name)) if name else None
    if existing:
        return existing
    w = Ward(name=name or f"Ward {next(_numbers)}")
    db.session.add(w)
    db.session.commit()
    return w


def priority(year_start: int | None = None, name: str = "Violence") -> Priority:
    today = date.today()
    year_start = year_start or (today.year if today.month >= 4 else today.year - 1)
    found = db.session.scalar(
        sa.select(Priority).where(Priority.year_start == year_start, Priority.name == name)
    )
    if found:
        return found
    p = Priority(year_start=year_start, name=name)
    db.session.add(p)
    db.session.commit()
    return p


def camera(**fields) -> Camera:
    n = next(_numbers)
    c = Camera(
        asset_tag=fields.pop("asset_tag", f"TST-{n:03d}"), name=fields.pop("name", f"Camera {n}"), **fields
    )
    db.session.add(c)
    db.session.commit()
    return c


def site(ward_obj: Ward | None = None, **fields) -> Site:
    s = Site(
        ward=ward_obj or ward(),
        street=fields.pop("street", "Station Road"),
        exact_location=fields.pop("exact_location", EXACT_MARK),
        view_description=fields.pop("view_description", VIEW_MARK),
        latitude=fields.pop("latitude", 51.637291),
        longitude=fields.pop("longitude", -0.412688),
        **fields,
    )
    db.session.add(s)
    db.session.commit()
    return s


def deployment(camera_obj: Camera, site_obj: Site | None = None, **fields) -> Deployment:
    d = Deployment(
        camera=camera_obj,
        site=site_obj or site(),
        installed_on=fields.pop("installed_on", date.today() - timedelta(days=60)),
        **fields,
    )
    db.session.add(d)
    db.session.commit()
    return d


def complete_answers(**overrides) -> dict:
    today = date.today()
    answers = dict(
        title="Motorbikes on the recreation ground",
        problem="Motorbikes ridden at speed across the field in the evenings.",
        purposes="deter,detect",
        pressing_need="A child was nearly hit last month.",
        crime_count=12,
        asb_count=40,
        baseline_start=today - timedelta(days=180),
        baseline_end=today - timedelta(days=1),
        intelligence_sources="police,community",
        intelligence_summary=INTEL_MARK,
        alternatives="Barriers at the entrances; police patrols.",
        wanted_start=today + timedelta(days=30),
        duration_weeks=12,
        urgency="routine",
        overt_confirmed=True,
        dpia_reference="DPIA-TEST-1",
        signage_plan="Signs at both gates.",
        privacy_masking="",
        estimated_cost=Decimal("900.00"),
    )
    answers.update(overrides)
    return answers


def move_request(
    requester: User | None = None,
    sponsor: User | None = None,
    status: str = "draft",
    site_obj: Site | None = None,
    **overrides,
) -> MoveRequest:
    """A complete request, put straight into ``status`` for a test's set-up."""
    requester = requester or user("officer")
    sponsor = sponsor or user("sponsor")
    n = next(_numbers)
    mr = MoveRequest(
        reference=overrides.pop("reference", f"CCTV-TEST-{n:04d}"),
        requester=requester,
        sponsor=sponsor,
        site=site_obj or site(),
        priority_id=overrides.pop("priority_id", None) or priority().id,
        status=status,
        # Written complete, as if every section of the task list was saved.
        sections_saved=overrides.pop("sections_saved", ",".join(REQUEST_SECTIONS)),
        sections_done=overrides.pop("sections_done", ",".join(REQUEST_SECTIONS)),
        **complete_answers(**overrides),
    )
    db.session.add(mr)
    db.session.commit()
    if status in ("approved", "scheduled"):
        # Ready to go live once its installation is booked: the survey done
        # and both consents given (the go-live gates).
        survey(mr)
    return mr


def survey(mr: MoveRequest, **fields) -> SiteSurvey:
    """A complete site survey and consents for ``mr``; override to leave gaps."""
    values = {
        "surveyed_on": date(2026, 1, 5),
        "surveyor": "A. Surveyor, Herts CCTV",
        "sight_lines": "Clear",
        "landowner_consent_on": date(2026, 1, 6),
        "landowner_consent_reference": "LAND-1",
        "highway_consent_on": date(2026, 1, 7),
        "highway_consent_reference": "HWY-1",
        "updated_by_id": mr.requester_id,
    }
    values.update(fields)
    row = SiteSurvey(move_request_id=mr.id, **values)
    db.session.add(row)
    db.session.commit()
    return row


def meeting(meets_on: date | None = None, status: str = "planned", attendees=(), quorum: int = 3) -> Meeting:
    m = plan_meeting(meets_on or date.today() + timedelta(days=40), quorum=quorum)
    m.status = status
    for person in attendees:
        db.session.add(Attendance(meeting_id=m.id, user_id=person.id))
    db.session.commit()
    return m


def agenda_item(meeting_obj: Meeting, mr: MoveRequest, **fields) -> AgendaItem:
    fields.setdefault("kind", "request")
    item = AgendaItem(meeting_id=meeting_obj.id, move_request_id=mr.id, **fields)
    db.session.add(item)
    db.session.commit()
    return item


def step(request: MoveRequest | int, trigger: str, when: datetime, source: str, dest: str, **extra) -> None:
    """A request's state change in the audit log at ``when``, as the workflow
    engine writes it (for figures measured from the log: the guide's usual
    times, the annual report). The caller commits."""
    detail = {"source": source, "dest": dest, "reason": None, **extra}
    db.session.add(
        AuditEvent(
            occurred_at=when,
            action=f"request.{trigger}",
            object_type="move_request",
            object_id=getattr(request, "id", request),
            detail=json.dumps(detail, sort_keys=True),
        )
    )
