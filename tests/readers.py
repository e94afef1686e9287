"""Reading what a test produced: a page as parsed HTML, and the audit log."""

import sqlalchemy as sa
from bs4 import BeautifulSoup

from cctv_requests.extensions import db
from cctv_requests.models import AuditEvent


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def events(action: str) -> list[tuple]:
    """(actor, object type, object id) of each audit event with ``action``, oldest first."""
    rows = db.session.execute(
        sa.select(AuditEvent.actor_id, AuditEvent.object_type, AuditEvent.object_id)
        .where(AuditEvent.action == action)
        .order_by(AuditEvent.id)
    )
    return [tuple(row) for row in rows]


def audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
