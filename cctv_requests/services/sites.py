"""Sites: the places cameras have been or have been asked for, found by
street or ward, with everything each has had, and corrections of their
details (DESIGN.md sections 3 and 5)."""

from dataclasses import dataclass

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..models import MOUNTINGS, SITE_DETAILS, Deployment, MoveRequest, Site, SiteCorrection, Ward


def known_sites():
    """Sites that have had a camera, or a request someone other than its
    writer has seen: a draft's new site stays its writer's own."""
    deployed = sa.select(Deployment.site_id)
    requested = sa.select(MoveRequest.site_id).where(~MoveRequest.never_sent)
    return sa.or_(Site.id.in_(deployed), Site.id.in_(requested))


@dataclass(frozen=True)
class SiteRow:
    site: Site
    deployments: int
    requests: int
    camera_now: str | None


def search(query: str = "", ward_id: int | None = None, *, limit: int | None = None) -> list[SiteRow]:
    """Known sites whose street or ward contains ``query`` (any case), in a
    fixed number of queries."""
    where = [known_sites()]
    text = query.strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            sa.or_(
                Site.street.ilike(pattern, escape="\\"),
                Site.ward_id.in_(sa.select(Ward.id).where(Ward.name.ilike(pattern, escape="\\"))),
            )
        )
    if ward_id:
        where.append(Site.ward_id == ward_id)
    statement = sa.select(Site).join(Ward).where(*where).order_by(Ward.name, Site.street, Site.id)
    if limit:
        statement = statement.limit(limit)
    sites = db.session.scalars(statement).all()
    ids = [s.id for s in sites]
    if not ids:
        return []
    deployments = dict(
        db.session.execute(
            sa.select(Deployment.site_id, sa.func.count())
            .where(Deployment.site_id.in_(ids))
            .group_by(Deployment.site_id)
        ).all()
    )
    requests = dict(
        db.session.execute(
            sa.select(MoveRequest.site_id, sa.func.count())
            .where(MoveRequest.site_id.in_(ids), ~MoveRequest.never_sent)
            .group_by(MoveRequest.site_id)
        ).all()
    )
    open_here = {
        d.site_id: d.camera.label
        for d in db.session.scalars(
            sa.select(Deployment).where(Deployment.site_id.in_(ids), Deployment.removed_on.is_(None))
        )
    }
    return [SiteRow(s, deployments.get(s.id, 0), requests.get(s.id, 0), open_here.get(s.id)) for s in sites]


def requests_at(site_id: int) -> list[MoveRequest]:
    """Every request for the site that has been sent, newest first."""
    return list(
        db.session.scalars(
            sa.select(MoveRequest)
            .where(MoveRequest.site_id == site_id, ~MoveRequest.never_sent)
            .order_by(MoveRequest.created_at.desc(), MoveRequest.id.desc())
        )
    )


def corrections(site_id: int) -> list[SiteCorrection]:
    return list(
        db.session.scalars(
            sa.select(SiteCorrection)
            .where(SiteCorrection.site_id == site_id)
            .order_by(SiteCorrection.recorded_at.desc(), SiteCorrection.id.desc())
        )
    )


def _shown(site: Site, field: str, value) -> str:
    if value is None:
        return ""
    if field == "ward_id":
        return db.session.get(Ward, value).name
    if field == "mounting":
        return MOUNTINGS.get(value, value)
    return str(value)


def correct(site: Site, details: dict, reason: str, actor) -> list[str]:
    """Put right the site's details: each changed detail is kept as a
    correction (what it said, what it says now, who and why). Returns the
    labels of what changed; nothing is written if nothing did."""
    changes = [(f, getattr(site, f), details[f]) for f in SITE_DETAILS if getattr(site, f) != details[f]]
    for field, old, new in changes:
        db.session.add(
            SiteCorrection(
                site_id=site.id,
                field=field,
                old_value=_shown(site, field, old),
                new_value=_shown(site, field, new),
                reason=reason,
                recorded_by_id=actor.id,
            )
        )
    for field, _old, new in changes:
        setattr(site, field, new)
    if changes:
        audit.record(
            "site.corrected",
            actor=actor,
            object_type="site",
            object_id=site.id,
            fields=[f for f, _o, _n in changes],
            reason=reason,
        )
        db.session.commit()
    return [SITE_DETAILS[f] for f, _o, _n in changes]
