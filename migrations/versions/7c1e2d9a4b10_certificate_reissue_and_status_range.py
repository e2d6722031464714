"""certificates: superseded_by (re-issue keeps the old code leading to the new certificate), status index range

Revision ID: 7c1e2d9a4b10
Revises: 2f178ea6842a
Create Date: 2026-11-25 18:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1e2d9a4b10'
down_revision = '2f178ea6842a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('superseded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_certificates_superseded_by_id_certificates'), 'certificates',
                                    ['superseded_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_certificates_status_index_range'),
                                         'status_index >= 0 AND status_index < 131072')


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_certificates_status_index_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_certificates_superseded_by_id_certificates'), type_='foreignkey')
        batch_op.drop_column('superseded_by_id')
