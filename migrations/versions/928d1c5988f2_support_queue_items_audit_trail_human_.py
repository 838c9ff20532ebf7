"""Support queue: items, audit trail, human labels and their log, API tokens

Revision ID: 928d1c5988f2
Revises: 5c1e7a9b3f20
Create Date: 2026-11-23 12:18:50.346208

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '928d1c5988f2'
down_revision = '5c1e7a9b3f20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('support_api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_api_token')),
    sa.UniqueConstraint('name', name=op.f('uq_support_api_token_name')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_support_api_token_token_hash'))
    )
    op.create_table('support_enqueue_watermark',
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('read_up_to', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('source', name=op.f('pk_support_enqueue_watermark'))
    )
    op.create_table('human_label_write',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_human_label_write_answer_id_answer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_human_label_write'))
    )
    with op.batch_alter_table('human_label_write', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_human_label_write_answer_id'), ['answer_id'], unique=False)

    op.create_table('support_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.Enum('survey', 'manual', 'csv', 'api', name='itemorigin', native_enum=False, length=20), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=40), nullable=True),
    sa.Column('stage_id', sa.Integer(), nullable=True),
    sa.Column('touchpoint_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.String(length=120), nullable=True),
    sa.Column('customer_reference', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('machine_model', sa.String(length=100), nullable=True),
    sa.Column('machine_label', sa.JSON(), nullable=True),
    sa.Column('valence', sa.Double(), nullable=True),
    sa.Column('complaint', sa.Boolean(), nullable=False),
    sa.Column('emotion_ids', sa.String(length=400), nullable=False),
    sa.Column('blocker_ids', sa.String(length=400), nullable=False),
    sa.Column('status', sa.Enum('new', 'in_progress', 'resolved', name='itemstatus', native_enum=False, length=20), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_support_item_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assignee_id'], ['user_account.id'], name=op.f('fk_support_item_assignee_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_support_item_stage_id_stage'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['touchpoint_id'], ['touchpoint.id'], name=op.f('fk_support_item_touchpoint_id_touchpoint'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_item')),
    sa.UniqueConstraint('answer_id', name=op.f('uq_support_item_answer_id'))
    )
    with op.batch_alter_table('support_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_item_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_item_language'), ['language'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_item_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_item_stage_id'), ['stage_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_item_status'), ['status'], unique=False)

    op.create_table('human_label',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('valence', sa.Double(), nullable=True),
    sa.Column('emotions', sa.JSON(), nullable=False),
    sa.Column('blockers', sa.JSON(), nullable=False),
    sa.Column('complaint', sa.Boolean(), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('machine_model', sa.String(length=100), nullable=True),
    sa.Column('machine_emotions', sa.JSON(), nullable=False),
    sa.Column('machine_blockers', sa.JSON(), nullable=False),
    sa.Column('labelled_by_id', sa.Integer(), nullable=True),
    sa.Column('labelled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_human_label_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['support_item.id'], name=op.f('fk_human_label_item_id_support_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['labelled_by_id'], ['user_account.id'], name=op.f('fk_human_label_labelled_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_human_label')),
    sa.UniqueConstraint('answer_id', name=op.f('uq_human_label_answer_id')),
    sa.UniqueConstraint('item_id', name=op.f('uq_human_label_item_id'))
    )
    op.create_table('support_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('item_version', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['support_item.id'], name=op.f('fk_support_audit_item_id_support_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_support_audit_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_audit'))
    )
    with op.batch_alter_table('support_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_audit_item_id'), ['item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('support_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_audit_item_id'))

    op.drop_table('support_audit')
    op.drop_table('human_label')
    with op.batch_alter_table('support_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_item_status'))
        batch_op.drop_index(batch_op.f('ix_support_item_stage_id'))
        batch_op.drop_index(batch_op.f('ix_support_item_received_at'))
        batch_op.drop_index(batch_op.f('ix_support_item_language'))
        batch_op.drop_index(batch_op.f('ix_support_item_assignee_id'))

    op.drop_table('support_item')
    with op.batch_alter_table('human_label_write', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_human_label_write_answer_id'))

    op.drop_table('human_label_write')
    op.drop_table('support_api_token')
    op.drop_table('support_enqueue_watermark')
