"""Loading requests with their object rules (QUALITY.md SEC-3)."""

from flask import abort
from flask_login import current_user

from ..access import RESTRICTED_ROLES, deny
from ..extensions import db
from ..models import MoveRequest


def can_view(user, move_request: MoveRequest) -> bool:
    if user.id == move_request.requester_id:
        return True
    # A draft is the requester's own until it is sent, even once withdrawn.
    if move_request.never_sent:
        return False
    if user.has_role(*RESTRICTED_ROLES):
        return True
    # The named sponsor sees a request once it has been sent to them.
    return user.has_role("sponsor") and user.id == move_request.sponsor_id


def get_move_request(request_id: int) -> MoveRequest:
    """The request, or 404 if there is none, or 403 if it is none of the user's business."""
    move_request = db.session.get(MoveRequest, request_id)
    if move_request is None:
        abort(404)
    if not can_view(current_user, move_request):
        deny()
    return move_request


def get_own_request(request_id: int) -> MoveRequest:
    """A request the current user filed."""
    move_request = get_move_request(request_id)
    if move_request.requester_id != current_user.id:
        deny()
    return move_request
