"""users.time_zone: the IANA zone a person chose for the times they are shown (NULL: derived)

Revision ID: a4c2e8d61b37
Revises: 9b4e1c7d2a60
Create Date: 2026-12-05 08:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a4c2e8d61b37"
down_revision = "9b4e1c7d2a60"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable and empty for everyone: until a person chooses, their zone follows their country and language,
    # so nothing has to be guessed and written for existing accounts.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
