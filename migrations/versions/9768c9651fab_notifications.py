"""notifications: outbox, announcements, cohort reminders, e-mail preferences

Revision ID: 9768c9651fab
Revises: 5d3a9e1f7b22
Create Date: 2026-12-05 07:36:07.399790

"""
from alembic import op
import sqlalchemy as sa

import lumos_learn.models


# revision identifiers, used by Alembic.
revision = '9768c9651fab'
down_revision = '5d3a9e1f7b22'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('unsubscribe_url', sa.String(length=500), nullable=True),
    sa.Column('dedupe_key', sa.String(length=160), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', lumos_learn.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', lumos_learn.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', lumos_learn.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', lumos_learn.models.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name=op.f('ck_outbox_messages_status_known')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_messages_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_messages_dedupe_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_user_id'), ['user_id'], unique=False)

    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=160), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', lumos_learn.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_announcements_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_announcements_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcements_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcements_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remind_inactive_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('remind_before_end_days', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('reminder_days_positive', 'remind_inactive_days IS NULL OR remind_inactive_days > 0')
        batch_op.create_check_constraint('reminder_end_days_positive', 'remind_before_end_days IS NULL OR remind_before_end_days > 0')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_reminders', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('email_announcements', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_announcements')
        batch_op.drop_column('email_reminders')

    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_constraint('reminder_end_days_positive', type_='check')
        batch_op.drop_constraint('reminder_days_positive', type_='check')
        batch_op.drop_column('remind_before_end_days')
        batch_op.drop_column('remind_inactive_days')

    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcements_created_at'))
        batch_op.drop_index(batch_op.f('ix_announcements_cohort_id'))

    op.drop_table('announcements')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_user_id'))
        batch_op.drop_index('ix_outbox_messages_due')

    op.drop_table('outbox_messages')
