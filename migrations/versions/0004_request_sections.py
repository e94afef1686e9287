"""The request form as a task list: which sections the requester has saved,
which they said were complete, and which the sponsor or the board asked to be
changed when returning it.

Requests made before this revision were written on one page that asked every
question, so each counts as having saved and completed every section.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 15:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ALL_SECTIONS = "problem,site,evidence,alternatives,period,urgency,privacy,cost"


def upgrade():
    with op.batch_alter_table("move_requests") as batch_op:
        batch_op.add_column(sa.Column("sections_saved", sa.String(length=120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("sections_done", sa.String(length=120), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("sections_to_change", sa.String(length=120), nullable=False, server_default="")
        )
    op.execute(
        sa.text("UPDATE move_requests SET sections_saved = :all, sections_done = :all").bindparams(all=ALL_SECTIONS)
    )


def downgrade():
    with op.batch_alter_table("move_requests") as batch_op:
        batch_op.drop_column("sections_to_change")
        batch_op.drop_column("sections_done")
        batch_op.drop_column("sections_saved")
