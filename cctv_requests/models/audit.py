"""The audit log (QUALITY.md SEC-13).

Each event stores the hash of the one before it, so an edited or removed row
breaks the chain. The rest of INT-3 (the database refusing UPDATE and DELETE,
a command that verifies the chain) is not built yet.
"""

import hashlib
import json
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .users import User


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str] = mapped_column(sa.String(40), default="")
    object_id: Mapped[int | None]
    outcome: Mapped[str] = mapped_column(sa.String(20), default="success")
    detail: Mapped[str] = mapped_column(sa.Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(sa.String(64), default="")
    hash: Mapped[str] = mapped_column(sa.String(64), default="")

    actor: Mapped[User | None] = relationship(lazy="joined")

    @property
    def details(self) -> dict:
        return json.loads(self.detail or "{}")

    def compute_hash(self) -> str:
        body = json.dumps(
            [
                self.prev_hash,
                self.occurred_at.isoformat(),
                self.actor_id,
                self.action,
                self.object_type,
                self.object_id,
                self.outcome,
                self.detail,
            ],
            separators=(",", ":"),
        )
        return hashlib.sha256(body.encode()).hexdigest()
