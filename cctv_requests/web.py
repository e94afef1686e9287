"""Request-wide behaviour: the signed-in user, security headers, error pages
and what every template needs."""

import re
import secrets
import uuid
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask, current_app, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from markupsafe import Markup, escape

from .access import public
from .extensions import db, login_manager
from .models import ROLE_LABELS, User
from .services.areas import suppressed
from .workflow.definition import STATES

LONDON = ZoneInfo("Europe/London")

# Navigation by role: (label, endpoint, roles that see it; empty = everyone signed in).
NAVIGATION = (
    ("Home", "main.dashboard", ()),
    ("Requests", "move_requests.index", ("officer", "sponsor", "coordinator", "board", "chair")),
    ("New request", "move_requests.new", ("officer",)),
    ("Meetings", "meetings.index", ("coordinator", "board", "chair")),
    ("Board meetings", "papers.summaries", ("councillor",)),
    ("Cameras", "cameras.index", ()),
    ("Guide", "guide.guide_page", ()),
    ("Reports", "reports.index", ("councillor", "coordinator", "board", "chair")),
    ("Users", "admin.users", ("admin",)),
)
# What a visitor who is not signed in is offered when the district publishes
# the guide and the report to the public.
PUBLIC_NAVIGATION = (
    ("Guide", "guide.guide_page"),
    ("Who is responsible", "guide.responsibilities"),
    ("Reports", "reports.index"),
    ("Sign in", "auth.sign_in"),
)


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    return db.session.scalar(
        sa.select(User).where(User.session_token == session_token, User.active.is_(True))
    )


# A host as a CSP source may hold only these characters ("*" for a subdomain).
_CSP_HOST = re.compile(r"[A-Za-z0-9.*:\[\]-]+")


def map_tile_origin(tile_url: str | None) -> str | None:
    """The origin (scheme and host) of the map's tile server, as a CSP
    source, or None if the URL has none. A ``{s}`` subdomain placeholder
    becomes ``*``."""
    parts = urlsplit(tile_url or "")
    host = parts.netloc.replace("{s}", "*")
    if parts.scheme not in ("http", "https") or not _CSP_HOST.fullmatch(host):
        return None
    return f"{parts.scheme}://{host}"


def init_web(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    static_view = app.view_functions["static"]

    @public
    def static(filename):
        return static_view(filename=filename)

    app.view_functions["static"] = static

    @app.before_request
    def make_nonce():
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def security_headers(response):
        nonce = g.get("csp_nonce", "")
        # The map's tiles are the only images from elsewhere.
        tiles = map_tile_origin(current_app.config.get("MAP_TILE_URL"))
        img_src = f"'self' data: {tiles}" if tiles else "'self' data:"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            f"style-src 'self'; img-src {img_src}; font-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            # Pages may carry restricted data: never keep them in a cache.
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def template_context():
        nav = []
        if current_user.is_authenticated:
            for label, endpoint, roles in NAVIGATION:
                if not roles or current_user.has_role(*roles):
                    nav.append((label, endpoint))
        elif current_app.config["PUBLICATION"].public:
            nav = list(PUBLIC_NAVIGATION)
        return {
            "council_name": current_app.config["COUNCIL_NAME"],
            "service_name": current_app.config["SERVICE_NAME"],
            "cspNonce": g.get("csp_nonce"),
            "navigation": nav,
            "role_labels": ROLE_LABELS,
        }

    app.add_template_global(error_summary)
    app.add_template_global(suppressed)
    app.add_template_filter(format_date, "date")
    app.add_template_filter(lambda text: format_date(date.fromisoformat(text)), "isodate")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(status_tag, "status_tag")
    app.add_template_filter(money, "money")
    app.add_template_filter(lambda value: f"{value:,}", "number")
    app.add_template_filter(kebab, "kebab")
    app.add_template_filter(history_label, "history_label")

    def error_page(code: int, title: str, **extra):
        return render_template(f"errors/{code}.html", title=title, **extra), code

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(400, "Your session has expired or the form was not sent properly")

    @app.errorhandler(400)
    def bad_request(error):
        return error_page(400, "There is a problem with that request")

    @app.errorhandler(403)
    def forbidden(error):
        return error_page(403, "You do not have permission to see this page")

    @app.errorhandler(404)
    def not_found(error):
        return error_page(404, "Page not found")

    @app.errorhandler(405)
    def method_not_allowed(error):
        return error_page(405, "That cannot be done on this page")

    @app.errorhandler(413)
    def too_large(error):
        return error_page(413, "What you sent is too large")

    @app.errorhandler(500)
    def server_error(error):
        # An incident reference the user can quote; the details stay in the log.
        reference = uuid.uuid4().hex[:10].upper()
        current_app.logger.error(
            "Incident %s", reference, exc_info=getattr(error, "original_exception", error)
        )
        db.session.rollback()
        return error_page(500, "Sorry, there is a problem with the service", reference=reference)


def format_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value:%-d %B %Y}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    return f"{local:%-d %B %Y} at {local:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")


def status_tag(status: str) -> Markup:
    state = STATES[status]
    return Markup(f'<strong class="govuk-tag govuk-tag--{state.colour}">{escape(state.label)}</strong>')


# Past this, a list page would be asked for rows beyond any database's reach.
LAST_PAGE = 100_000


def page_number() -> int:
    """The ``page`` asked for in the query string, within 1 to LAST_PAGE."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), LAST_PAGE)


def money(value) -> str:
    if value is None:
        return ""
    return f"£{value:,.2f}"


def kebab(name: str) -> str:
    return name.replace("_", "-")


HISTORY_LABELS = {
    "request.created": "Request started",
    "request.edited": "Answers changed",
    "request.sponsor_changed": "Sponsor changed by the CSP team",
    "request.submit": "Sent to the sponsor",
    "request.endorse": "Endorsed by the sponsor",
    "request.return_for_changes": "Returned for changes",
    "request.decline": "Sponsor declined",
    "request.withdraw": "Withdrawn",
    "request.place_on_agenda": "Placed on a board agenda",
    "request.defer": "Deferred to the next meeting",
    "request.approve": "Approved by the board",
    "request.reject": "Rejected by the board",
    "request.approve_urgently": "Approved by chair's action",
    "request.schedule_installation": "Installation booked",
    "request.record_installation": "Camera installed",
    "request.continue_deployment": "Deployment reviewed",
    "request.end_deployment": "Camera removed",
    "request.cancel": "Cancelled",
    "request.continue_at_review": "Deployment continued by the board",
    "request.end_at_review": "Board decided the camera is to be removed",
    "request.ratify": "Chair's action ratified by the board",
    "request.not_ratify": "Chair's action not ratified by the board",
    "request.record_evaluation": "Evaluation recorded",
}


def history_label(action: str) -> str:
    return HISTORY_LABELS.get(action, action)


def error_summary(form) -> dict:
    """The GOV.UK error summary for ``form``: each message links to the
    input it is about. A date's link goes to its day box, which can take
    focus; its wrapper cannot."""
    errors = []
    for field in form:
        if not field.errors:
            continue
        target = f"{field.id}-day" if isinstance(field.widget, GovDateInput) else field.id
        errors.append({"text": field.errors[0], "href": f"#{target}"})
    return {"titleText": "There is a problem", "errorList": errors}
