"""Area-level camera information, safe for councillors and the public.

Only ward names and counts are given: never a street, an exact point, or
which camera is where (DESIGN.md section 3). Counts below the district's
threshold are shown as "fewer than N" by ``suppressed``.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Camera, Deployment, Site, Ward


def suppressed(count: int, threshold: int | None = None) -> str:
    """A published count: "None" for nought, "Fewer than N" below the
    threshold (default 5, DESIGN.md section 3), else the number."""
    if threshold is None:
        threshold = current_app.config["SMALL_NUMBER_THRESHOLD"]
    if count == 0:
        return "None"
    if count < threshold:
        return f"Fewer than {threshold}"
    return f"{count:,}"


@dataclass(frozen=True)
class CameraAreas:
    """How many cameras each ward has now, and how many are not deployed."""

    wards: tuple[tuple[str, int], ...]
    deployed: int
    in_store: int
    out_of_service: int

    @property
    def total(self) -> int:
        return self.deployed + self.in_store

    @property
    def wards_with_cameras(self) -> tuple[tuple[str, int], ...]:
        return tuple((name, n) for name, n in self.wards if n)


def camera_areas() -> CameraAreas:
    """Every ward with its number of deployed cameras, and the cameras in
    store: in two queries, whatever the number of wards or cameras."""
    deployed = dict(
        db.session.execute(
            sa.select(Ward.name, sa.func.count(Deployment.id))
            .join(Site, Site.ward_id == Ward.id)
            .join(Deployment, Deployment.site_id == Site.id)
            .where(Deployment.removed_on.is_(None))
            .group_by(Ward.name)
        ).all()
    )
    wards = tuple((name, deployed.get(name, 0)) for name in db.session.scalars(sa.select(Ward.name)))
    # A camera with no open deployment is in store, unless it is retired.
    # A faulty camera still up at its site counts as deployed.
    open_ids = sa.select(Deployment.camera_id).where(Deployment.removed_on.is_(None))
    stored = db.session.execute(
        sa.select(Camera.service_status, sa.func.count(Camera.id))
        .where(Camera.id.not_in(open_ids), Camera.service_status != "retired")
        .group_by(Camera.service_status)
    ).all()
    by_status = dict(stored)
    return CameraAreas(
        wards=tuple(sorted(wards)),
        deployed=sum(deployed.values()),
        in_store=sum(by_status.values()),
        out_of_service=by_status.get("faulty", 0),
    )


def cameras_by_ward() -> list[str]:
    """Names of the wards that have a camera now, alphabetically."""
    return [name for name, _ in camera_areas().wards_with_cameras]
