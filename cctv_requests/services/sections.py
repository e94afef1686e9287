"""The request form as a task list (the GOV.UK "complete multiple tasks"
pattern): its sections, what each must answer, and each one's status.

A section is "Not started" until the requester saves it or answers one of its
questions; "Completed" once the requester has saved it with "Save and
continue" (saying it is complete) and every question it must answer is still
answered; "In progress" in between. A section the sponsor or the board asked
to be changed when returning the request says so until the requester saves it.
"""

from dataclasses import dataclass
from datetime import date

from ..models import MoveRequest
from ..models.requests import REQUEST_SECTIONS


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    # What the section is about, under its name in the task list.
    hint: str
    # The form's questions on this section's page.
    fields: tuple[str, ...]


SECTIONS = (
    Section(
        "problem",
        REQUEST_SECTIONS["problem"],
        "What is happening, the purpose of a camera and the CSP priority",
        ("title", "problem", "purposes", "pressing_need", "priority_id"),
    ),
    Section(
        "site",
        REQUEST_SECTIONS["site"],
        "Where the camera would go and how it would be mounted",
        (
            "existing_site_id",
            "ward_id",
            "street",
            "exact_location",
            "latitude",
            "longitude",
            "view_description",
            "mounting",
            "site_readiness",
        ),
    ),  # fmt: skip
    Section(
        "evidence",
        REQUEST_SECTIONS["evidence"],
        "Crime and ASB counts for a baseline period, and the intelligence behind the request",
        (
            "crime_count",
            "asb_count",
            "baseline_start",
            "baseline_end",
            "intelligence_sources",
            "intelligence_summary",
        ),
    ),  # fmt: skip
    Section(
        "alternatives",
        REQUEST_SECTIONS["alternatives"],
        "What has been tried or considered instead of a camera",
        ("alternatives",),
    ),
    Section(
        "period",
        REQUEST_SECTIONS["period"],
        "When the camera is wanted, for how long, and which camera",
        ("wanted_start", "duration_weeks", "camera_preference_id"),
    ),
    Section(
        "urgency",
        REQUEST_SECTIONS["urgency"],
        "Whether the request is routine or urgent, and why",
        ("urgency", "urgent_ground", "urgent_explanation"),
    ),
    Section(
        "privacy",
        REQUEST_SECTIONS["privacy"],
        "Overt use with signs, the DPIA reference and private areas to mask",
        ("overt_confirmed", "dpia_reference", "signage_plan", "privacy_masking"),
    ),
    Section(
        "cost",
        REQUEST_SECTIONS["cost"],
        "The estimated cost of the move and the sponsor you have approached",
        ("estimated_cost", "sponsor_id"),
    ),
)

BY_SLUG = {section.slug: section for section in SECTIONS}

NOT_STARTED = "Not started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
CHANGES_ASKED = "Changes asked for"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def unanswered(move_request: MoveRequest, slug: str, today: date | None = None) -> list[str]:
    """The names of the questions of a section that must be answered and
    are not (the same answers the submit guard asks for). A wanted start
    date that has passed needs a new answer."""
    mr = move_request
    site = mr.site
    if slug == "problem":
        values = {
            "title": mr.title,
            "problem": mr.problem,
            "purposes": mr.purposes,
            "pressing_need": mr.pressing_need,
            "priority_id": mr.priority_id,
        }
    elif slug == "site":
        values = {"street": site.street, "exact_location": site.exact_location}
    elif slug == "evidence":
        values = {
            "crime_count": mr.crime_count,
            "asb_count": mr.asb_count,
            "baseline_start": mr.baseline_start,
            "baseline_end": mr.baseline_end,
            "intelligence_sources": mr.intelligence_sources,
            "intelligence_summary": mr.intelligence_summary,
        }
    elif slug == "alternatives":
        values = {"alternatives": mr.alternatives}
    elif slug == "period":
        start = mr.wanted_start
        if start is not None and start < (today or date.today()):
            start = None
        values = {"wanted_start": start, "duration_weeks": mr.duration_weeks}
    elif slug == "urgency":
        values = {}
        if mr.urgency == "urgent":
            values = {"urgent_ground": mr.urgent_ground, "urgent_explanation": mr.urgent_explanation}
    elif slug == "privacy":
        values = {
            "overt_confirmed": mr.overt_confirmed or None,
            "dpia_reference": mr.dpia_reference,
            "signage_plan": mr.signage_plan,
        }
    else:
        values = {"estimated_cost": mr.estimated_cost, "sponsor_id": mr.sponsor_id}
    return [name for name, value in values.items() if _blank(value)]


def _answered_any(move_request: MoveRequest, slug: str) -> bool:
    """Whether any question of the section has an answer other than the
    form's default (a lamp column, routine urgency, any camera)."""
    mr = move_request
    site = mr.site
    if slug == "site":
        return any(
            not _blank(v)
            for v in (site.street, site.exact_location, site.view_description, site.latitude, site.longitude)
        )
    if slug == "urgency":
        return mr.urgency == "urgent"
    if slug == "period":
        return (
            mr.camera_preference_id is not None
            or not _blank(mr.wanted_start)
            or not _blank(mr.duration_weeks)
        )
    if slug == "privacy":
        return mr.overt_confirmed or any(
            not _blank(v) for v in (mr.dpia_reference, mr.signage_plan, mr.privacy_masking)
        )
    section = BY_SLUG[slug]
    required = set(unanswered(mr, slug))
    return any(name not in required for name in section.fields if name != "privacy_masking")


def status(move_request: MoveRequest, slug: str, today: date | None = None) -> str:
    if slug in move_request.sections_to_change_list:
        return CHANGES_ASKED
    if slug in move_request.done_sections and not unanswered(move_request, slug, today):
        return COMPLETED
    started = slug in move_request.saved_sections or _answered_any(move_request, slug)
    return IN_PROGRESS if started else NOT_STARTED


def statuses(move_request: MoveRequest, today: date | None = None) -> dict[str, str]:
    return {section.slug: status(move_request, section.slug, today) for section in SECTIONS}


def incomplete(move_request: MoveRequest, today: date | None = None) -> list[Section]:
    """The sections still to be completed before the request can be sent."""
    return [s for s in SECTIONS if status(move_request, s.slug, today) != COMPLETED]


def _in_order(slugs) -> str:
    return ",".join(s.slug for s in SECTIONS if s.slug in slugs)


def mark_saved(move_request: MoveRequest, slug: str, *, complete: bool) -> None:
    """Record that the requester saved a section, and whether they said it
    is complete: it is started, and no longer waiting for the change the
    sponsor or board asked for."""
    move_request.sections_saved = _in_order({*move_request.saved_sections, slug})
    done = set(move_request.done_sections) - {slug}
    move_request.sections_done = _in_order(done | {slug} if complete else done)
    move_request.sections_to_change = ",".join(s for s in move_request.sections_to_change_list if s != slug)
