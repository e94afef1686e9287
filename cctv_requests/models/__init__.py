"""The models, one module per aggregate."""

from .audit import AuditEvent
from .cameras import SERVICE_STATUSES, Camera, CameraLogEntry, Deployment, DeploymentCorrection
from .meetings import AgendaItem, Attendance, Interest, Meeting
from .places import MOUNTINGS, SITE_DETAILS, Site, SiteCorrection, Ward
from .priorities import Priority
from .requests import MoveRequest, SiteSurvey
from .users import ROLE_LABELS, ROLES, User, UserRole

__all__ = [
    "MOUNTINGS",
    "ROLES",
    "ROLE_LABELS",
    "SERVICE_STATUSES",
    "AgendaItem",
    "Attendance",
    "AuditEvent",
    "SITE_DETAILS",
    "Camera",
    "CameraLogEntry",
    "Deployment",
    "DeploymentCorrection",
    "Interest",
    "Meeting",
    "MoveRequest",
    "Priority",
    "Site",
    "SiteCorrection",
    "SiteSurvey",
    "User",
    "UserRole",
    "Ward",
]
