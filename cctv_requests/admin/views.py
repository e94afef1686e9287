"""User administration."""

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request

from ..access import roles_required
from ..extensions import db
from ..models import User

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required("admin")
def users():
    pagination = db.paginate(
        sa.select(User).order_by(User.name, User.id),
        page=max(request.args.get("page", 1, type=int), 1),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("admin/users.html", title="Users", pagination=pagination)
