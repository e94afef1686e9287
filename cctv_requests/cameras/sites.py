"""Sites: find a place by street or ward; a site's page with every camera
and request it has had; the coordinator's corrections of its details."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..access import RESTRICTED_ROLES, deny, roles_required
from ..extensions import db
from ..models import Deployment, MoveRequest, Site, Ward
from ..services import deployments, sites
from .forms import SiteForm, SiteSearchForm

bp = Blueprint("sites", __name__, url_prefix="/sites")

FINDERS = ("officer", "sponsor", "board", "chair", "coordinator")
PAGE_SIZE = 50


def _own_sites(user, site_ids) -> set[int]:
    """Which of ``site_ids`` have a request ``user`` filed, or was sent as
    its sponsor: there, the user sees the exact location."""
    return set(
        db.session.scalars(
            sa.select(MoveRequest.site_id).where(
                MoveRequest.site_id.in_(site_ids),
                sa.or_(
                    MoveRequest.requester_id == user.id,
                    sa.and_(MoveRequest.sponsor_id == user.id, ~MoveRequest.never_sent),
                ),
            )
        )
    )


def may_see_exact(user, site_id: int) -> bool:
    """DESIGN.md section 3: exact for the coordinator, board and chair, and
    for the requester and sponsor of a request at that site."""
    return user.has_role(*RESTRICTED_ROLES) or site_id in _own_sites(user, [site_id])


def get_site(site_id: int) -> Site:
    site = db.session.get(Site, site_id)
    if site is None:
        abort(404)
    if not may_see_exact(current_user, site.id):
        deny()
    return site


@bp.route("")
@roles_required(*FINDERS)
def index():
    form = SiteSearchForm(request.args)
    form.validate()
    query = (form.q.data or "")[:160]
    rows = sites.search(query, limit=PAGE_SIZE + 1)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if current_user.has_role(*RESTRICTED_ROLES):
        openable = {row.site.id for row in rows}
    else:
        openable = _own_sites(current_user, [row.site.id for row in rows]) if rows else set()
    # The list gives street and ward only, which every finder may see; each
    # site's own page, with its exact location, is audited when opened.
    return render_template(
        "sites/index.html",
        title="Sites",
        form=form,
        query=query,
        rows=rows,
        more=more,
        openable=openable,
        page_size=PAGE_SIZE,
    )


@bp.route("/<int:site_id>")
@roles_required(*FINDERS)
def show(site_id: int):
    site = get_site(site_id)
    html = render_template(
        "sites/show.html",
        title=f"Site: {site.street}, {site.ward.name}",
        site=site,
        stays=deployments.stays(Deployment.site_id == site.id),
        requests=sites.requests_at(site.id),
        corrections=sites.corrections(site.id),
    )
    audit.record("site.viewed_exact", actor=current_user, object_type="site", object_id=site.id)
    db.session.commit()
    return html


@bp.route("/<int:site_id>/correct", methods=["GET", "POST"])
@roles_required("coordinator")
def correct(site_id: int):
    site = get_site(site_id)
    wards = db.session.scalars(sa.select(Ward).order_by(Ward.name)).all()
    form = SiteForm(obj=site, wards=wards)
    if form.validate_on_submit():
        changed = sites.correct(site, form.details(), form.reason.data, current_user)
        if changed:
            flash(f"Correction recorded: {', '.join(changed).lower()}.", "success")
        else:
            flash("Nothing was changed, so no correction was recorded.", "info")
        return redirect(url_for(".show", site_id=site.id))
    html = render_template("sites/correct.html", title="Correct the site's details", form=form, site=site)
    audit.record("site.viewed_exact", actor=current_user, object_type="site", object_id=site.id)
    db.session.commit()
    return html
