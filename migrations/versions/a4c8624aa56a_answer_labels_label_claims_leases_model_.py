"""Answer labels, label claims (leases), model versions and the label write log

answer_label holds the current machine label of each free-text answer; label_claim the leases of
batches being labelled; label_model when each classifier version first appeared; label_write one row
per label stored.

Revision ID: a4c8624aa56a
Revises: 22fcce568fff
Create Date: 2026-11-23 10:59:59.241616

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4c8624aa56a'
down_revision = '22fcce568fff'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('label_model',
    sa.Column('version', sa.String(length=100), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_label_model'))
    )
    op.create_table('answer_label',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('model_version', sa.String(length=100), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=True),
    sa.Column('supported', sa.Boolean(), nullable=False),
    sa.Column('valence', sa.Double(), nullable=True),
    sa.Column('emotions', sa.JSON(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('blockers', sa.JSON(), nullable=False),
    sa.Column('blocker_scores', sa.JSON(), nullable=False),
    sa.Column('complaint', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('unlabelable', sa.String(length=200), nullable=True),
    sa.Column('labelled_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_answer_label_answer_id_answer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_label')),
    sa.UniqueConstraint('answer_id', name=op.f('uq_answer_label_answer_id'))
    )
    op.create_index(op.f('ix_answer_label_model_version'), 'answer_label', ['model_version'], unique=False)
    op.create_table('label_claim',
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.String(length=32), nullable=False),
    sa.Column('worker_id', sa.String(length=120), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_label_claim_answer_id_answer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', name=op.f('pk_label_claim'))
    )
    op.create_table('label_write',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('model_version', sa.String(length=100), nullable=False),
    sa.Column('claim_id', sa.String(length=32), nullable=False),
    sa.Column('worker_id', sa.String(length=120), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_label_write_answer_id_answer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_label_write'))
    )
    op.create_index(op.f('ix_label_write_answer_id'), 'label_write', ['answer_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_label_write_answer_id'), table_name='label_write')
    op.drop_table('label_write')
    op.drop_table('label_claim')
    op.drop_index(op.f('ix_answer_label_model_version'), table_name='answer_label')
    op.drop_table('answer_label')
    op.drop_table('label_model')
