"""The district configuration: wards, cameras, priorities and meetings, the
council's details for the accessibility statement, and what it publishes.

Loaded from a TOML file (by default ``cctv_requests/district/three_rivers.toml``)
by ``flask --app wsgi init``. Applying it twice changes nothing.
"""

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from ..models import Camera, Deployment, Meeting, Priority, Site, Ward
from .calendar import whole_setting
from .meetings import DEFAULT_QUORUM, plan_meeting

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "district" / "three_rivers.toml"


class DistrictConfigError(ValueError):
    pass


def load(path: str | Path | None = None) -> dict:
    path = Path(path or DEFAULT_FILE)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DistrictConfigError(f"Cannot read the district configuration {path}: {exc}") from exc
    if not data.get("council_name"):
        raise DistrictConfigError(f"{path} gives no council_name.")
    if not data.get("wards"):
        raise DistrictConfigError(f"{path} lists no wards.")
    for camera in data.get("cameras", []):
        if not camera.get("asset_tag") or not camera.get("name"):
            raise DistrictConfigError(f"{path}: every camera needs an asset_tag and a name.")
        if camera.get("ward") and camera["ward"] not in data["wards"]:
            raise DistrictConfigError(f"{path}: camera {camera['asset_tag']} is in an unknown ward.")
        for key, low, high in (("latitude", 49, 61), ("longitude", -9, 2)):
            value = camera.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high
            ):
                raise DistrictConfigError(
                    f"{path}: camera {camera['asset_tag']} {key} must be from {low} to {high}."
                )
    try:
        accessibility_from(data)
        publication_from(data)
    except DistrictConfigError as exc:
        raise DistrictConfigError(f"{path}: {exc}") from exc
    return data


# --- the accessibility statement ----------------------------------------------------------

# The WCAG 2.2 AA compliance a statement may claim (the GOV.UK sample
# accessibility statement's wording). "Not compliant" is not offered: the
# service is built and tested to meet WCAG 2.2 AA (QUALITY.md A11Y-1).
COMPLIANCE_STATUSES = ("fully", "partially")

# Problems this build has whatever the district: the statement lists them
# unless the district's [accessibility] table says otherwise.
KNOWN_PROBLEMS = (
    "The agenda pack and minutes PDFs are not tagged, so a screen reader may not read them in the "
    "right order. The same papers are on web pages in the service.",
    "The circles on the map of camera sites cannot be selected with a keyboard. Every site on the map "
    "is also listed, with the same details, in the table below it.",
)

# When the statement's wording and the checks it describes were last gone
# over; the dates a district that gives none of its own shows.
STATEMENT_WRITTEN_ON = date(2026, 11, 26)

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 ()-]+")


@dataclass(frozen=True)
class AccessibilityStatement:
    """The council's details for the accessibility statement, from the
    district file's ``[accessibility]`` table."""

    # Where to ask for another format or report a problem; with neither, the
    # statement names the council's Community Safety Partnership team.
    contact_email: str = ""
    contact_phone: str = ""
    # How long the council takes to answer such a request.
    reply_working_days: int = 5
    compliance: str = "partially"
    known_problems: tuple[str, ...] = KNOWN_PROBLEMS
    prepared_on: date = STATEMENT_WRITTEN_ON
    reviewed_on: date = STATEMENT_WRITTEN_ON


def _statement_date(section: dict, key: str, default: date) -> date:
    value = section.get(key, default)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    message = f"accessibility.{key} must be a date written as YYYY-MM-DD, not {value!r}."
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise DistrictConfigError(message)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DistrictConfigError(message) from None


def accessibility_from(config: dict) -> AccessibilityStatement:
    """The accessibility statement's details from a district configuration;
    defaults for whatever its ``[accessibility]`` table leaves out."""
    section = config.get("accessibility", {})
    if not isinstance(section, dict):
        raise DistrictConfigError("accessibility must be a table: [accessibility].")
    email = section.get("contact_email", "")
    if not isinstance(email, str) or (email and not _EMAIL.fullmatch(email)):
        raise DistrictConfigError(f"accessibility.contact_email must be an email address, not {email!r}.")
    phone = section.get("contact_phone", "")
    if not isinstance(phone, str) or (
        phone and not (_PHONE.fullmatch(phone) and 7 <= sum(c.isdigit() for c in phone) <= 15)
    ):
        raise DistrictConfigError(
            f'accessibility.contact_phone must be a telephone number such as "01632 960 001", not {phone!r}.'
        )
    compliance = section.get("compliance", "partially")
    if compliance not in COMPLIANCE_STATUSES:
        raise DistrictConfigError(
            f'accessibility.compliance must be "fully" or "partially" (compliant with WCAG 2.2 AA), '
            f"not {compliance!r}."
        )
    # Left out, the problems are this build's own, unless the district says
    # it is fully compliant (which allows none).
    problems = section.get("known_problems", KNOWN_PROBLEMS if compliance == "partially" else ())
    if not isinstance(problems, list | tuple) or not all(isinstance(p, str) and p.strip() for p in problems):
        raise DistrictConfigError("accessibility.known_problems must be a list of sentences.")
    # GOV.UK: a partially compliant service lists where it falls short; one
    # with known problems is not fully compliant.
    if compliance == "partially" and not problems:
        raise DistrictConfigError(
            'accessibility.known_problems must list the problems when compliance is "partially".'
        )
    if compliance == "fully" and problems:
        raise DistrictConfigError(
            'accessibility.compliance cannot be "fully" while known_problems lists problems: '
            'make it "partially".'
        )
    prepared_on = _statement_date(section, "prepared_on", STATEMENT_WRITTEN_ON)
    reviewed_on = _statement_date(section, "reviewed_on", prepared_on)
    if reviewed_on < prepared_on:
        raise DistrictConfigError("accessibility.reviewed_on cannot be before prepared_on.")
    return AccessibilityStatement(
        contact_email=email,
        contact_phone=phone,
        reply_working_days=whole_setting(
            section, "reply_working_days", 5, 1, 30, table="accessibility", error=DistrictConfigError
        ),
        compliance=compliance,
        known_problems=tuple(p.strip() for p in problems),
        prepared_on=prepared_on,
        reviewed_on=reviewed_on,
    )


# --- what councillors read: publication and responsibilities ------------------------

# The holders a council may name on the responsibilities page, in the order
# it shows them.
RESPONSIBILITY_KEYS = ("lead_member", "committee", "board_chair", "coordinator", "police")


@dataclass(frozen=True)
class Publication:
    """From the district file's ``[publication]`` and ``[responsibilities]``
    tables: whether the guide, the responsibilities page and the published
    report are open to the public, and who holds each part."""

    public: bool = False
    # Named holders by RESPONSIBILITY_KEYS; a key left out has no name.
    holders: tuple[tuple[str, str], ...] = ()

    def holder(self, key: str) -> str:
        return dict(self.holders).get(key, "")


def publication_from(config: dict) -> Publication:
    section = config.get("publication", {})
    named = config.get("responsibilities", {})
    if not isinstance(section, dict) or not isinstance(named, dict):
        raise DistrictConfigError("publication and responsibilities must be tables.")
    public = section.get("public", False)
    if not isinstance(public, bool):
        raise DistrictConfigError("publication.public must be true or false.")
    unknown = sorted(set(named) - set(RESPONSIBILITY_KEYS))
    if unknown:
        raise DistrictConfigError(
            f"responsibilities has {', '.join(unknown)}: it may name only {', '.join(RESPONSIBILITY_KEYS)}."
        )
    holders = []
    for key in RESPONSIBILITY_KEYS:
        value = named.get(key, "")
        if not isinstance(value, str) or len(value) > 200:
            raise DistrictConfigError(f"responsibilities.{key} must be a name of up to 200 characters.")
        if value.strip():
            holders.append((key, value.strip()))
    return Publication(public=public, holders=tuple(holders))


def apply(data: dict, today: date) -> dict[str, int]:
    """Add whatever the configuration has that the database lacks; return counts added."""
    added = {"wards": 0, "priorities": 0, "cameras": 0, "meetings": 0}
    wards = {w.name: w for w in db.session.scalars(sa.select(Ward))}
    for name in data["wards"]:
        if name not in wards:
            wards[name] = Ward(name=name)
            db.session.add(wards[name])
            added["wards"] += 1
    db.session.flush()

    existing = set(db.session.execute(sa.select(Priority.year_start, Priority.name)))
    for year, names in data.get("priorities", {}).items():
        for name in names:
            if (int(year), name) not in existing:
                db.session.add(Priority(year_start=int(year), name=name))
                added["priorities"] += 1

    cameras = {c.asset_tag: c for c in db.session.scalars(sa.select(Camera))}
    for entry in data.get("cameras", []):
        if entry["asset_tag"] in cameras:
            continue
        camera = Camera(
            asset_tag=entry["asset_tag"],
            name=entry["name"],
            make_model=entry.get("make_model", ""),
            serial=entry.get("serial", ""),
            service_status="in_service",
        )
        db.session.add(camera)
        added["cameras"] += 1
        if entry.get("ward"):
            site = Site(
                ward=wards[entry["ward"]],
                street=entry.get("street", ""),
                exact_location=entry.get("exact_location", ""),
                mounting=entry.get("mounting", "lamp_column"),
                latitude=entry.get("latitude"),
                longitude=entry.get("longitude"),
                power_available=True,
                landowner_consent=True,
                highway_consent=True,
            )
            db.session.add(
                Deployment(
                    camera=camera,
                    site=site,
                    installed_on=date.fromisoformat(entry.get("installed_on", today.isoformat())),
                )
            )

    meeting_config = data.get("meetings", {})
    quorum = int(meeting_config.get("quorum", DEFAULT_QUORUM))
    planned = set(db.session.scalars(sa.select(Meeting.meets_on)))
    for text in meeting_config.get("dates", []):
        day = date.fromisoformat(text)
        if day >= today and day not in planned:
            plan_meeting(day, quorum=quorum)
            added["meetings"] += 1
    db.session.commit()
    return added
