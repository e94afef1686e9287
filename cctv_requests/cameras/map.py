"""The map of camera sites: every site that has had a camera, where it is
exactly, and what is there now. Exact locations, so only for the roles that
may see them (DESIGN.md section 3), and every view is audited."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from .. import audit
from ..access import roles_required
from ..extensions import db
from ..models import Camera, Deployment, Site, Ward

bp = Blueprint("camera_map", __name__, url_prefix="/cameras/map")


@dataclass(frozen=True)
class MappedSite:
    """A site as the map page shows it."""

    site: Site
    cameras_now: tuple[Camera, ...]
    deployment_count: int

    @property
    def on_map(self) -> bool:
        return self.site.latitude is not None and self.site.longitude is not None

    @property
    def camera_text(self) -> str:
        return ", ".join(camera.label for camera in self.cameras_now) or "No camera now"

    def marker(self) -> dict:
        """What the map script needs for this site's marker (see assets/js/map.mjs)."""
        return {
            "lat": self.site.latitude,
            "lng": self.site.longitude,
            "street": self.site.street,
            "camera": self.camera_text,
        }


def deployed_sites() -> list[MappedSite]:
    """Every site that has had a deployment, by ward and street, with the
    cameras there now and how many deployments it has had: two queries
    however many sites there are (QUALITY.md PERF-1)."""
    counts = (
        sa.select(Deployment.site_id, sa.func.count(Deployment.id).label("deployments"))
        .group_by(Deployment.site_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Site, counts.c.deployments)
        .join(counts, counts.c.site_id == Site.id)
        .join(Site.ward)
        .options(contains_eager(Site.ward))
        .order_by(Ward.name, Site.street, Site.id)
    ).all()
    # A site can hold more than one camera at once; a camera only one site.
    now: dict[int, list[Camera]] = {}
    for deployment in db.session.scalars(
        sa.select(Deployment).where(Deployment.removed_on.is_(None)).order_by(Deployment.installed_on)
    ):
        now.setdefault(deployment.site_id, []).append(deployment.camera)
    return [
        MappedSite(site=site, cameras_now=tuple(now.get(site.id, ())), deployment_count=count)
        for site, count in rows
    ]


@bp.route("")
@roles_required("coordinator", "board", "chair")
def index():
    sites = deployed_sites()
    map_data = {
        "tiles": {
            "url": current_app.config["MAP_TILE_URL"],
            "attribution": current_app.config["MAP_TILE_ATTRIBUTION"],
        },
        "sites": [mapped.marker() for mapped in sites if mapped.on_map],
    }
    # Render first, then audit and commit once (STYLE.md: a commit in the
    # middle of a GET would expire what the template still has to read).
    page = render_template("cameras/map.html", title="Map of camera sites", sites=sites, map_data=map_data)
    # DESIGN.md section 3: every display of an exact location is audited.
    audit.record(
        "site.viewed_exact", actor=current_user, object_type="site", page="camera_map", sites=len(sites)
    )
    db.session.commit()
    return page
