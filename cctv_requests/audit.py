"""Writing to the audit log (QUALITY.md SEC-13).

Every event carries time (UTC), actor, action, object and outcome, and the
hash of the event before it. Passwords are never passed here.
"""

import json

import sqlalchemy as sa

from .extensions import db
from .models import AuditEvent
from .models.base import utcnow


def record(
    action: str,
    *,
    actor=None,
    object_type: str = "",
    object_id: int | None = None,
    outcome: str = "success",
    **detail,
) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits."""
    prev_hash = db.session.scalar(sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        detail=json.dumps(detail, sort_keys=True, default=str),
        prev_hash=prev_hash or "",
    )
    event.hash = event.compute_hash()
    db.session.add(event)
    return event
