"""The board's cycle: meeting states and kinds, agenda order and carried
items, conditions, removals ordered by the board, calendar feed secrets.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 08:55:48.013339

"""

import sqlalchemy as sa
from alembic import op

from cctv_requests.models.base import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD_MEETING_STATUSES = "status IN ('planned', 'in_session', 'closed')"
MEETING_STATUSES = (
    "status IN ('planned', 'published', 'in_session', 'closed', 'minutes_approved', 'cancelled')"
)
OLD_OUTCOMES = (
    "outcome IS NULL OR outcome IN ('approved', 'rejected', 'deferred', 'returned', 'withdrawn', "
    "'chair_action', 'cancelled')"
)
OUTCOMES = (
    "outcome IS NULL OR outcome IN ('approved', 'rejected', 'deferred', 'returned', 'withdrawn', "
    "'chair_action', 'cancelled', 'ratified', 'not_ratified', 'continued', 'removal_ordered', "
    "'not_reached', 'not_needed')"
)
ACTIVE = sa.text("status <> 'cancelled'")


def upgrade():
    with op.batch_alter_table("agenda_items") as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("carried_from_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("conditions", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("terms", sa.Text(), nullable=False, server_default=""))
        batch_op.create_foreign_key(
            batch_op.f("fk_agenda_items_carried_from_id_agenda_items"),
            "agenda_items",
            ["carried_from_id"],
            ["id"],
        )
        batch_op.drop_constraint(batch_op.f("ck_agenda_items_outcome_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_agenda_items_outcome_known"), OUTCOMES)

    with op.batch_alter_table("meetings") as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="ordinary"))
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("published_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("minutes_approved_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("minutes_approved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("camera_snapshot", sa.Text(), nullable=False, server_default=""))
        batch_op.drop_constraint(batch_op.f("uq_meetings_meets_on"), type_="unique")
        batch_op.create_index(
            "uq_meetings_meets_on_active",
            ["meets_on"],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_meetings_minutes_approved_by_id_users"), "users", ["minutes_approved_by_id"], ["id"]
        )
        batch_op.drop_constraint(batch_op.f("ck_meetings_status_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_meetings_status_known"), MEETING_STATUSES)
        batch_op.create_check_constraint(
            batch_op.f("ck_meetings_kind_known"), "kind IN ('ordinary', 'extraordinary')"
        )

    with op.batch_alter_table("move_requests") as batch_op:
        batch_op.add_column(sa.Column("conditions", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("removal_due", sa.Date(), nullable=True))

    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("calendar_token", sa.String(64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_calendar_token"), ["calendar_token"])


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_calendar_token"), type_="unique")
        batch_op.drop_column("calendar_token")

    with op.batch_alter_table("move_requests") as batch_op:
        batch_op.drop_column("removal_due")
        batch_op.drop_column("conditions")

    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_meetings_kind_known"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_meetings_status_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_meetings_status_known"), OLD_MEETING_STATUSES)
        batch_op.drop_constraint(batch_op.f("fk_meetings_minutes_approved_by_id_users"), type_="foreignkey")
        batch_op.drop_index("uq_meetings_meets_on_active", sqlite_where=ACTIVE, postgresql_where=ACTIVE)
        batch_op.create_unique_constraint(batch_op.f("uq_meetings_meets_on"), ["meets_on"])
        for column in (
            "camera_snapshot",
            "cancelled_reason",
            "minutes_approved_by_id",
            "minutes_approved_at",
            "published_at",
            "sequence",
            "kind",
        ):
            batch_op.drop_column(column)

    with op.batch_alter_table("agenda_items") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_agenda_items_outcome_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_agenda_items_outcome_known"), OLD_OUTCOMES)
        batch_op.drop_constraint(batch_op.f("fk_agenda_items_carried_from_id_agenda_items"), type_="foreignkey")
        batch_op.drop_column("terms")
        batch_op.drop_column("conditions")
        batch_op.drop_column("carried_from_id")
        batch_op.drop_column("position")
