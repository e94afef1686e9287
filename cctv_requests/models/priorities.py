"""CSP priorities, set by the board for each year. All carry equal weight."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Priority(db.Model):
    __tablename__ = "priorities"
    __table_args__ = (sa.UniqueConstraint("year_start", "name", name="uq_priorities_year_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The financial year the priority belongs to, by its first calendar year
    # (2026 for 2026/27).
    year_start: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(sa.String(120))

    @property
    def year_label(self) -> str:
        return f"{self.year_start}/{(self.year_start + 1) % 100:02d}"
