"""Filing and editing a request: the request and its proposed site together."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..models import Deployment, MoveRequest, Priority, Site, User, UserRole
from ..models.base import row_id
from ..models.cameras import Camera
from ..models.places import Ward
from . import sections, sites

SITE_FIELDS = ("street", "exact_location", "view_description", "mounting")
REQUEST_FIELDS = (
    "title",
    "problem",
    "pressing_need",
    "crime_count",
    "asb_count",
    "baseline_start",
    "baseline_end",
    "intelligence_summary",
    "alternatives",
    "wanted_start",
    "duration_weeks",
    "urgency",
    "urgent_explanation",
    "overt_confirmed",
    "dpia_reference",
    "signage_plan",
    "privacy_masking",
    "estimated_cost",
)

TEXT_FIELDS = frozenset(
    name for name in REQUEST_FIELDS if isinstance(MoveRequest.__table__.c[name].type, sa.String)
)


def form_choices(user, today: date, wanted) -> dict:
    """The lists a page of the request form offers: each of ``wanted``
    ("sites", "wards", "priorities", "cameras", "sponsors"), read only when
    the page asks for it."""
    year_start = today.year if today.month >= 4 else today.year - 1
    readers = {
        "sites": lambda: [row.site for row in sites.search("")],
        "wards": wards,
        "priorities": lambda: list(
            db.session.scalars(
                sa.select(Priority).where(Priority.year_start == year_start).order_by(Priority.id)
            )
        ),
        "cameras": lambda: list(
            db.session.scalars(
                sa.select(Camera).where(Camera.service_status != "retired").order_by(Camera.name)
            )
        ),
        "sponsors": lambda: list(
            db.session.scalars(
                sa.select(User)
                .join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role == "sponsor", User.active.is_(True), User.id != user.id)
                .order_by(User.name)
            )
        ),
    }
    return {name: readers[name]() for name in wanted}


def wards() -> list[Ward]:
    return list(db.session.scalars(sa.select(Ward).order_by(Ward.name)))


def form_data(move_request: MoveRequest) -> dict:
    """The request's answers in the shape of the form's pages."""
    site = move_request.site
    data = {name: getattr(site, name) for name in SITE_FIELDS}
    data.update({name: getattr(move_request, name) for name in REQUEST_FIELDS})
    data.update(
        existing_site_id=0 if site_is_own(move_request) else site.id,
        version=move_request.version,
        ward_id=site.ward_id,
        latitude=site.latitude,
        longitude=site.longitude,
        site_readiness=[
            key
            for key, flag in (
                ("power", site.power_available),
                ("landowner", site.landowner_consent),
                ("highway", site.highway_consent),
            )
            if flag
        ],
        purposes=move_request.purpose_list,
        intelligence_sources=move_request.intelligence_source_list,
        priority_id=move_request.priority_id,
        camera_preference_id=move_request.camera_preference_id or 0,
        urgent_ground=move_request.urgent_ground or None,
        sponsor_id=move_request.sponsor_id or 0,
    )
    return data


def site_is_own(move_request: MoveRequest) -> bool:
    """Whether the request's site was described for it alone: no camera has
    been there and no other request names it. Only then may the request's
    form change it."""
    site_id = move_request.site_id
    if site_id is None:
        return True
    shared = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(MoveRequest)
        .where(MoveRequest.site_id == site_id, MoveRequest.id != move_request.id)
    ) or db.session.scalar(
        sa.select(sa.func.count()).select_from(Deployment).where(Deployment.site_id == site_id)
    )
    return not shared


def _apply_site_section(form, move_request: MoveRequest) -> None:
    chosen = form.existing_site_id.data
    if chosen:
        # An existing site is used as it is; only the coordinator corrects it.
        move_request.site_id = chosen
        move_request.site = db.session.get(Site, chosen)
        return
    site = move_request.site
    if not site_is_own(move_request):
        site = Site(exact_location="", street="")
        move_request.site = site
    for name in SITE_FIELDS:
        setattr(site, name, form[name].data or ("lamp_column" if name == "mounting" else ""))
    site.ward_id = form.ward_id.data or site.ward_id
    site.latitude = float(form.latitude.data) if form.latitude.data is not None else None
    site.longitude = float(form.longitude.data) if form.longitude.data is not None else None
    readiness = set(form.site_readiness.data or ())
    site.power_available = "power" in readiness
    site.landowner_consent = "landowner" in readiness
    site.highway_consent = "highway" in readiness


def _apply_answers(form, move_request: MoveRequest) -> None:
    """Copy the answers of one section's page onto the request."""
    asked = set(form.answered_names())
    for name in REQUEST_FIELDS:
        if name not in asked:
            continue
        value = form[name].data
        if value is None and name in TEXT_FIELDS:
            value = ""
        setattr(move_request, name, value)
    if "title" in asked:
        move_request.title = form.title.data or ""
    if "purposes" in asked:
        # dict.fromkeys: a value sent twice is kept once.
        move_request.purposes = ",".join(dict.fromkeys(form.purposes.data or ()))
    if "intelligence_sources" in asked:
        move_request.intelligence_sources = ",".join(dict.fromkeys(form.intelligence_sources.data or ()))
    if "priority_id" in asked:
        move_request.priority_id = form.priority_id.data or None
    if "camera_preference_id" in asked:
        move_request.camera_preference_id = form.camera_preference_id.data or None
    if "urgency" in asked:
        move_request.urgency = form.urgency.data or "routine"
        urgent = move_request.urgency == "urgent"
        move_request.urgent_ground = (form.urgent_ground.data or "") if urgent else ""
        if not urgent:
            move_request.urgent_explanation = ""
    if "sponsor_id" in asked:
        move_request.sponsor_id = form.sponsor_id.data or None


def _next_reference(year: int) -> str:
    prefix = f"CCTV-{year}-"
    last = db.session.scalar(
        sa.select(sa.func.max(MoveRequest.reference)).where(MoveRequest.reference.like(prefix + "%"))
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def create_request(title: str, ward_id: int, known_site: Site | None, requester, today: date) -> MoveRequest:
    """Start a draft from the first page: a title, and the ward of a new site
    or a known site. Retries the reference if another request took it first."""
    for _attempt in range(5):
        site = known_site or Site(ward_id=ward_id, exact_location="", street="")
        move_request = MoveRequest(
            requester_id=requester.id, site=site, status="draft", version=1, title=title
        )
        move_request.reference = _next_reference(today.year)
        db.session.add(move_request)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            continue
        audit.record(
            "request.created", actor=requester, object_type="move_request", object_id=move_request.id
        )
        db.session.commit()
        return move_request
    raise RuntimeError("Could not allocate a request reference")


def save_section(form, slug: str, move_request: MoveRequest, editor) -> bool:
    """Save one section's page, as a compare-and-set on the version the page
    was opened at: False (nothing saved) if the request changed meanwhile or
    is no longer editable."""
    expected = row_id(form.version.data)
    if expected is None:
        return False
    result = db.session.execute(
        sa.update(MoveRequest)
        .where(
            MoveRequest.id == move_request.id,
            MoveRequest.version == expected,
            MoveRequest.status.in_(("draft", "returned")),
        )
        .values(version=expected + 1)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.rollback()
        return False
    if slug == "site":
        _apply_site_section(form, move_request)
    else:
        _apply_answers(form, move_request)
    sections.mark_saved(move_request, slug, complete=not form.save_later.data)
    audit.record(
        "request.edited", actor=editor, object_type="move_request", object_id=move_request.id, section=slug
    )
    db.session.commit()
    return True


def sponsors_for(move_request: MoveRequest) -> list[User]:
    """Active sponsors who could back ``move_request`` (never its requester)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                UserRole.role == "sponsor",
                User.active.is_(True),
                User.id != move_request.requester_id,
            )
            .order_by(User.name)
        )
    )


REASSIGNABLE = ("submitted", "returned")


def reassign_sponsor(move_request: MoveRequest, sponsor_id: int, actor, expected_version: int | None) -> bool:
    """Name another sponsor (DESIGN.md section 4: the coordinator can reassign).

    A compare-and-set on the version, like every change to a request: False
    if the request changed since the coordinator opened the page.
    """
    result = db.session.execute(
        sa.update(MoveRequest)
        .where(
            MoveRequest.id == move_request.id,
            MoveRequest.version == (expected_version or move_request.version),
            MoveRequest.status.in_(REASSIGNABLE),
        )
        .values(sponsor_id=sponsor_id, version=MoveRequest.version + 1)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.rollback()
        return False
    audit.record(
        "request.sponsor_changed",
        actor=actor,
        object_type="move_request",
        object_id=move_request.id,
        sponsor_id=sponsor_id,
    )
    db.session.commit()
    return True
