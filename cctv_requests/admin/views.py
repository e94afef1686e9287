"""User administration."""

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template

from ..access import roles_required
from ..extensions import db
from ..models import User
from ..web import page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required("admin")
def users():
    pagination = db.paginate(
        sa.select(User).order_by(User.name, User.id),
        page=page_number(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("admin/users.html", title="Users", pagination=pagination)
