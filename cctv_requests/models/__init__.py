"""The models, one module per aggregate."""

from .audit import AuditEvent
from .cameras import SERVICE_STATUSES, Camera, Deployment
from .meetings import AgendaItem, Attendance, Interest, Meeting
from .places import MOUNTINGS, Site, Ward
from .priorities import Priority
from .requests import MoveRequest
from .users import ROLE_LABELS, ROLES, User, UserRole

__all__ = [
    "MOUNTINGS",
    "ROLES",
    "ROLE_LABELS",
    "SERVICE_STATUSES",
    "AgendaItem",
    "Attendance",
    "AuditEvent",
    "Camera",
    "Deployment",
    "Interest",
    "Meeting",
    "MoveRequest",
    "Priority",
    "Site",
    "User",
    "UserRole",
    "Ward",
]
