"""The camera register and where every camera was: the register's history,
site corrections, deployment date corrections, the site survey and consents,
actual costs and the retention of recordings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 11:30:15.551428

"""

import sqlalchemy as sa
from alembic import op

from cctv_requests.models.base import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "camera_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("camera_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('added', 'edited', 'status', 'maintenance')", name=op.f("ck_camera_log_kind_known")
        ),
        sa.CheckConstraint(
            "to_status IS NULL OR to_status IN ('in_service', 'faulty', 'retired')",
            name=op.f("ck_camera_log_to_status_known"),
        ),
        sa.ForeignKeyConstraint(["camera_id"], ["cameras.id"], name=op.f("fk_camera_log_camera_id_cameras")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_camera_log_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camera_log")),
    )
    with op.batch_alter_table("camera_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_camera_log_camera_id"), ["camera_id"], unique=False)

    op.create_table(
        "site_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_site_corrections_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_site_corrections_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_corrections")),
    )
    with op.batch_alter_table("site_corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_corrections_site_id"), ["site_id"], unique=False)

    op.create_table(
        "site_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("move_request_id", sa.Integer(), nullable=False),
        sa.Column("surveyed_on", sa.Date(), nullable=True),
        sa.Column("surveyor", sa.String(length=120), nullable=False),
        sa.Column("mounting_notes", sa.Text(), nullable=False),
        sa.Column("power_notes", sa.Text(), nullable=False),
        sa.Column("sight_lines", sa.Text(), nullable=False),
        sa.Column("masking_needed", sa.Text(), nullable=False),
        sa.Column("landowner_consent_on", sa.Date(), nullable=True),
        sa.Column("landowner_consent_reference", sa.String(length=60), nullable=False),
        sa.Column("highway_consent_on", sa.Date(), nullable=True),
        sa.Column("highway_consent_reference", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["move_request_id"],
            ["move_requests.id"],
            name=op.f("fk_site_surveys_move_request_id_move_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_site_surveys_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_surveys")),
        sa.UniqueConstraint("move_request_id", name=op.f("uq_site_surveys_move_request_id")),
    )
    op.create_table(
        "deployment_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deployment_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("old_value", sa.Date(), nullable=False),
        sa.Column("new_value", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "field IN ('installed_on', 'removed_on')", name=op.f("ck_deployment_corrections_field_known")
        ),
        sa.ForeignKeyConstraint(
            ["deployment_id"],
            ["deployments.id"],
            name=op.f("fk_deployment_corrections_deployment_id_deployments"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_deployment_corrections_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment_corrections")),
    )
    with op.batch_alter_table("deployment_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deployment_corrections_deployment_id"), ["deployment_id"], unique=False
        )

    with op.batch_alter_table("move_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actual_cost", sa.Numeric(precision=10, scale=2), nullable=True))
        batch_op.add_column(sa.Column("recordings_kept_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("recordings_note", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("move_requests", schema=None) as batch_op:
        batch_op.drop_column("recordings_note")
        batch_op.drop_column("recordings_kept_until")
        batch_op.drop_column("actual_cost")

    with op.batch_alter_table("deployment_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deployment_corrections_deployment_id"))

    op.drop_table("deployment_corrections")
    op.drop_table("site_surveys")
    with op.batch_alter_table("site_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_corrections_site_id"))

    op.drop_table("site_corrections")
    with op.batch_alter_table("camera_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_camera_log_camera_id"))

    op.drop_table("camera_log")
