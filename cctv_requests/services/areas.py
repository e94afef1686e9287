"""Area-level camera information, safe for councillors and the public.

Only ward names are given: never a street, an exact point, or which camera
is where (DESIGN.md section 3).
"""

import sqlalchemy as sa

from ..extensions import db
from ..models import Deployment, Site, Ward


def cameras_by_ward() -> list[str]:
    """Names of the wards that have a camera now, alphabetically."""
    return list(
        db.session.scalars(
            sa.select(Ward.name)
            .join(Site, Site.ward_id == Ward.id)
            .join(Deployment, Deployment.site_id == Site.id)
            .where(Deployment.removed_on.is_(None))
            .distinct()
            .order_by(Ward.name)
        )
    )
