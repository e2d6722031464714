"""quiz_attempts: index of submitted attempts in first-attempt order (item analysis, issue 29)

Revision ID: 5d1e7c9a2b40
Revises: b8e4f1a2c3d5
Create Date: 2026-12-05 10:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d1e7c9a2b40"
down_revision = "b8e4f1a2c3d5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("quiz_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quiz_attempts_submitted_order",
            ["enrolment_id", "module_slug", "submitted_at", "id"],
            unique=False,
            sqlite_where=sa.text("submitted_at IS NOT NULL"),
            postgresql_where=sa.text("submitted_at IS NOT NULL"),
            postgresql_include=["content_language"],
        )


def downgrade():
    with op.batch_alter_table("quiz_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_attempts_submitted_order")
