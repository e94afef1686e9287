"""Demo users and sample requests in several states, made through the
workflow engine so that their histories are real."""

import json
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from ..auth.passwords import hash_password
from ..extensions import db
from ..models import Attendance, Camera, Meeting, MoveRequest, Priority, Site, User, Ward
from ..models.requests import REQUEST_SECTIONS
from ..workflow import engine
from . import agendas, preparation
from .meetings import camera_positions, plan_meeting

DEMO_USERS = (
    ("officer@example.org", "Olivia Officer", "Hertfordshire Constabulary", ("officer",)),
    ("sponsor@example.org", "Sam Sponsor", "Three Rivers CSP", ("sponsor",)),
    ("board@example.org", "Bola Board", "Community Safety Board", ("board",)),
    ("board2@example.org", "Bernard Board", "Community Safety Board", ("board",)),
    ("board3@example.org", "Beatrice Board", "Community Safety Board", ("board",)),
    ("chair@example.org", "Charlotte Chair", "Community Safety Board", ("board", "chair")),
    ("coordinator@example.org", "Cai Coordinator", "CSP team", ("coordinator",)),
    ("councillor@example.org", "Cllr Connie Councillor", "Three Rivers District Council", ("councillor",)),
    ("admin@example.org", "Ada Admin", "Three Rivers District Council", ("admin",)),
)


def ensure_users(password: str) -> dict[str, User]:
    """Create the demo users, or reset their passwords and roles."""
    password_hash = hash_password(password)
    users = {}
    for email, name, organisation, roles in DEMO_USERS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name, organisation=organisation, password_hash=password_hash)
            db.session.add(user)
        user.password_hash = password_hash
        user.active = True
        user.set_roles(roles)
        users[email.split("@")[0]] = user
    db.session.commit()
    return users


def _answers(ward: Ward, priority: Priority, n: int, **overrides) -> tuple[Site, dict]:
    site = Site(
        ward=ward,
        street=overrides.pop("street", f"Demo Street {n}"),
        exact_location=overrides.pop("exact_location", f"Lamp column {n}, outside number {10 + n}"),
        view_description="The footpath and the entrance to the car park",
        mounting="lamp_column",
        power_available=True,
        landowner_consent=True,
        highway_consent=True,
    )
    answers = dict(
        title=f"Demo request {n}",
        problem="Groups gathering late at night, damage to parked cars and drug dealing reported by residents.",
        purposes="deter,detect",
        pressing_need="Incidents have doubled since the summer and residents feel unsafe walking home.",
        priority_id=priority.id,
        crime_count=14 + n,
        asb_count=31 + n,
        baseline_start=date(2026, 3, 1),
        baseline_end=date(2026, 8, 31),
        intelligence_sources="police,community",
        intelligence_summary=f"Police intelligence log entry {n}: named individuals seen dealing near the car park.",
        alternatives="Extra lighting in 2025 and weekly police patrols; problem-solving meeting with residents.",
        wanted_start=date(2027, 1, 11),
        duration_weeks=12,
        urgency="routine",
        overt_confirmed=True,
        dpia_reference=f"DPIA-2026-{n:02d}",
        signage_plan="Two signs at each entrance to the footpath.",
        privacy_masking="Windows of the flats above the shops.",
        estimated_cost=Decimal("850.00"),
    )
    answers.update(overrides)
    return site, answers


def create_sample_requests(users: dict[str, User], today: date) -> int:
    """Sample requests in several states. Does nothing if requests exist."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(MoveRequest)):
        return 0
    wards = {w.name: w for w in db.session.scalars(sa.select(Ward))}
    year_start = today.year if today.month >= 4 else today.year - 1
    priorities = list(
        db.session.scalars(sa.select(Priority).where(Priority.year_start == year_start).order_by(Priority.id))
    )
    officer, sponsor, chair, coordinator = (
        users["officer"],
        users["sponsor"],
        users["chair"],
        users["coordinator"],
    )
    ward_names = sorted(wards)

    def new(n: int, **overrides) -> MoveRequest:
        site, answers = _answers(
            wards[ward_names[n % len(ward_names)]], priorities[n % len(priorities)], n, **overrides
        )
        mr = MoveRequest(
            reference=f"CCTV-{today.year}-{n:04d}",
            requester=officer,
            sponsor=sponsor,
            site=site,
            status="draft",
            sections_saved=",".join(REQUEST_SECTIONS),
            sections_done=",".join(REQUEST_SECTIONS),
            **answers,
        )
        db.session.add(mr)
        db.session.commit()
        return mr

    def fire(mr, trigger, actor, when=today, **data):
        engine.fire(mr, trigger, actor, data, today=when)

    new(1, title="Fly-tipping and arson at the garages")
    fire(new(2, title="Shop theft and threats at the parade"), "submit", officer)
    returned = new(3, title="Cars broken into at the station car park")
    fire(returned, "submit", officer)
    fire(
        returned,
        "return_for_changes",
        sponsor,
        reason="Please add the police crime numbers for the baseline period.",
        sections=["evidence"],
    )
    endorsed = new(4, title="Motorbikes on the recreation ground")
    fire(endorsed, "submit", officer)
    fire(endorsed, "endorse", sponsor)
    urgent = new(
        5,
        title="Threats to a vulnerable resident",
        urgency="urgent",
        urgent_ground="vulnerable_victim",
        urgent_explanation="Repeated targeting of a vulnerable adult; police ask for a camera within two weeks.",
    )
    fire(urgent, "submit", officer)
    fire(urgent, "endorse", sponsor)

    next_meeting = db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.status == "planned", Meeting.meets_on >= today)
        .order_by(Meeting.meets_on)
    )
    if next_meeting is not None:
        queued = new(6, title="Drug dealing by the underpass")
        fire(queued, "submit", officer)
        fire(queued, "endorse", sponsor)
        fire(queued, "place_on_agenda", coordinator, when=next_meeting.cutoff_on, meeting_id=next_meeting.id)

    # A past meeting, held in session, that decided two requests.
    past_day = today - timedelta(days=22)
    past = db.session.scalar(sa.select(Meeting).where(Meeting.meets_on == past_day)) or plan_meeting(past_day)
    db.session.commit()
    rejected = new(7, title="Noise from the skate park")
    approved = new(8, title="Burglaries along the canal path")
    for mr in (rejected, approved):
        fire(mr, "submit", officer, when=past.cutoff_on - timedelta(days=7))
        fire(mr, "endorse", sponsor, when=past.cutoff_on - timedelta(days=7))
        fire(mr, "place_on_agenda", coordinator, when=past.cutoff_on, meeting_id=past.id)
    past.status = "in_session"
    for key in ("board", "board2", "chair"):
        db.session.add(Attendance(meeting_id=past.id, user_id=users[key].id))
    db.session.commit()
    fire(
        rejected,
        "reject",
        chair,
        when=past_day,
        reason="The problem is noise, which a camera would not address.",
    )
    spare = db.session.scalar(sa.select(Camera).where(Camera.asset_tag == "RDC-06")) or db.session.scalar(
        sa.select(Camera).order_by(Camera.id.desc())
    )
    start = past_day + timedelta(days=7)
    fire(
        approved,
        "approve",
        chair,
        when=past_day,
        camera_id=spare.id,
        start=start,
        end=start + timedelta(weeks=12),
        votes_for=3,
        votes_against=0,
        votes_abstain=0,
        reason="Clear evidence; the spare camera is free.",
    )
    past.status = "closed"
    past.camera_snapshot = json.dumps(camera_positions(), sort_keys=True)
    db.session.commit()
    fire(
        approved,
        "schedule_installation",
        coordinator,
        when=past_day,
        camera_id=spare.id,
        installation_date=start,
        installer="Hertfordshire CCTV Partnership",
        installation_cost=Decimal("640.00"),
        start=start,
        end=approved.approved_end,
    )
    preparation.save_survey(
        approved,
        {
            "surveyed_on": past_day,
            "surveyor": "Sam Patel, Hertfordshire CCTV Partnership",
            "mounting_notes": "Existing lamp column; bracket fits",
            "power_notes": "Lamp column supply, switched to 24 hours by the highway authority",
            "sight_lines": "Clear view of the underpass mouth and the footpath",
            "masking_needed": "Rear windows of the houses facing the footpath",
            "landowner_consent_on": past_day,
            "landowner_consent_reference": "TRDC-PROP-2026-31",
            "highway_consent_on": past_day,
            "highway_consent_reference": "HCC-SL-88120",
        },
        coordinator,
        0,
    )
    fire(
        approved,
        "record_installation",
        coordinator,
        when=start,
        installed_on=start,
        dpia_reference="DPIA-2026-08",
        signage_confirmed=True,
        actual_cost=Decimal("655.00"),
        review_due=start + timedelta(weeks=8),
    )
    # The urgent request goes ahead by chair's action, for the board to
    # ratify at its next meeting, on a camera nobody has booked.
    free = db.session.scalar(sa.select(Camera).where(Camera.asset_tag == "RDC-01"))
    if free is not None and next_meeting is not None:
        fire(
            urgent,
            "approve_urgently",
            chair,
            camera_id=free.id,
            start=today + timedelta(days=7),
            end=today + timedelta(weeks=9),
            reason="Police ask for a camera within two weeks; the board next meets after that.",
        )
    # Endorsed requests and reviews falling due join the next agenda.
    agendas.build(today)
    return db.session.scalar(sa.select(sa.func.count()).select_from(MoveRequest))
