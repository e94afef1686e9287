"""The district configuration: wards, cameras, priorities and meetings.

Loaded from a TOML file (by default ``cctv_requests/district/three_rivers.toml``)
by ``flask --app wsgi init``. Applying it twice changes nothing.
"""

import tomllib
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from ..models import Camera, Deployment, Meeting, Priority, Site, Ward
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
    return data


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
