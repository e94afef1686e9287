"""Signing in and out."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from .. import audit
from ..access import login_required, public
from ..extensions import db
from ..models import User
from .forms import SignInForm
from .passwords import verify_password

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the sign-in page cannot send people elsewhere."""
    home = url_for("main.dashboard")
    if not target or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return home
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data.lower()
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
        if user is not None and user.active and verify_password(user.password_hash, form.password.data):
            session.clear()  # a new session on sign-in
            login_user(user)
            audit.record("auth.sign_in", actor=user, object_type="user", object_id=user.id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        if user is None:
            verify_password(None, form.password.data)
        audit.record(
            "auth.sign_in",
            actor=user,
            object_type="user",
            object_id=user.id if user else None,
            outcome="failure",
            email=email,
        )
        db.session.commit()
        # The same words whether or not the account exists.
        form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form, title="Sign in")


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    user = db.session.get(User, current_user.id)
    user.end_sessions()
    audit.record("auth.sign_out", actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
