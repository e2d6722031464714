"""certificates: assignment_marking (who assessed the counted assignment: trainer, self or none), stored at issue

Revision ID: b8e4f1a2c3d5
Revises: 3349dbb8ac5f
Create Date: 2026-12-05 10:50:00

Existing certificates keep NULL: their wording is decided by the course, as it was when they were issued.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e4f1a2c3d5'
down_revision = '3349dbb8ac5f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_marking', sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_certificates_assignment_marking_known'),
                                         "assignment_marking IN ('none', 'trainer', 'self')")


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_certificates_assignment_marking_known'), type_='check')
        batch_op.drop_column('assignment_marking')
