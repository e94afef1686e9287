"""Access control: a declared policy on every route, and what each viewer
may see of a site.

Every view is wrapped by ``public`` or ``roles_required`` (QUALITY.md SEC-1);
``create_app`` refuses to start if a route has neither. Object rules live in
the per-resource loaders (``get_move_request`` and friends).
"""

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

from . import audit
from .extensions import db, login_manager

POLICY_ATTR = "access_policy"
# Roles that see exact locations, intelligence and board papers.
RESTRICTED_ROLES = frozenset({"coordinator", "board", "chair"})
# Roles that see street-level locations.
STREET_ROLES = frozenset({"officer", "sponsor"})


def public(view):
    """Anyone, signed in or not, may use this route."""
    setattr(view, POLICY_ATTR, {"public": True})
    return view


def published(view):
    """Every signed-in user, and anyone at all when the district publishes
    what councillors read to the public (``[publication] public = true``):
    the guide, the responsibilities page and the published annual report.
    Such pages give camera locations by ward only."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated and not current_app.config["PUBLICATION"].public:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    setattr(wrapped, POLICY_ATTR, {"published": True})
    return wrapped


def login_required(view):
    """Any signed-in user, whatever their roles."""
    return roles_required()(view)


def roles_required(*roles: str, **per_method: tuple[str, ...]):
    """Signed-in users holding at least one of ``roles`` may use the route.

    ``per_method`` gives the roles for one method instead, e.g. ``POST=("coordinator",)``
    (used to narrow a method, so name only roles the route already allows).
    With no roles at all, any signed-in user may use it.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not may_use(current_user, request.method, roles, per_method):
                deny()
            return view(*args, **kwargs)

        setattr(wrapped, POLICY_ATTR, {"roles": roles, **per_method})
        return wrapped

    return decorate


def may_use(user, method: str, roles: tuple[str, ...], per_method: dict) -> bool:
    """Whether signed-in ``user`` may use a route with this policy by ``method``.
    Kept apart from the decorator so the rule runs, and is tested, per request."""
    allowed = per_method.get(method, roles)
    return not allowed or user.has_role(*allowed)


def deny():
    """Refuse with 403 and write the refusal to the audit log."""
    audit.record(
        "access.denied",
        # An anonymous visitor has no id, so the event has no actor.
        actor=current_user,
        object_type="route",
        outcome="refused",
        path=request.path,
        method=request.method,
    )
    db.session.commit()
    abort(403)


def site_precision(user, move_request=None) -> str:
    """'exact', 'street' or 'area': how much of a site ``user`` may see.

    DESIGN.md section 3: exact for the coordinator, board and chair, and for
    the requester and sponsor of a request at that site; street for other
    officers and sponsors; area (ward only) for everyone else.
    """
    if not user.is_authenticated:
        return "area"
    if user.has_role(*RESTRICTED_ROLES):
        return "exact"
    if move_request is not None and user.id in (move_request.requester_id, move_request.sponsor_id):
        return "exact"
    if user.has_role(*STREET_ROLES):
        return "street"
    return "area"
