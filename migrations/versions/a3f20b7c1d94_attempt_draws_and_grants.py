"""question banks: the questions drawn for each attempt (with their answers' order), and attempts granted by trainers

Existing attempts get no rows: they keep asking every question, as before, so attempts and progress are unchanged.

Revision ID: a3f20b7c1d94
Revises: a4c2e8d61b37
Create Date: 2026-12-05 07:40:48.642557

"""
from alembic import op
import sqlalchemy as sa

import lumos_learn.models


# revision identifiers, used by Alembic.
revision = 'a3f20b7c1d94'
down_revision = 'a4c2e8d61b37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attempt_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('module_slug', sa.String(length=80), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', lumos_learn.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_attempt_grants_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_attempt_grants_granted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_grants'))
    )
    with op.batch_alter_table('attempt_grants', schema=None) as batch_op:
        batch_op.create_index('ix_attempt_grants_enrolment_module', ['enrolment_id', 'module_slug'], unique=False)

    op.create_table('attempt_questions',
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=80), nullable=False),
    sa.Column('answer_order', sa.JSON(), nullable=True),
    sa.CheckConstraint('position >= 0', name=op.f('ck_attempt_questions_position_not_negative')),
    sa.ForeignKeyConstraint(['attempt_id'], ['quiz_attempts.id'], name=op.f('fk_attempt_questions_attempt_id_quiz_attempts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attempt_id', 'position', name=op.f('pk_attempt_questions')),
    sa.UniqueConstraint('attempt_id', 'question_id', name=op.f('uq_attempt_questions_attempt_id_question_id'))
    )


def downgrade():
    op.drop_table('attempt_questions')
    with op.batch_alter_table('attempt_grants', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_grants_enrolment_module')

    op.drop_table('attempt_grants')
