"""Map share links: read-only tokens that open a map's page without an account, revocable

Revision ID: 5c1e7a9b3f20
Revises: d87d441db0b1
Create Date: 2026-11-23 11:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e7a9b3f20'
down_revision = 'd87d441db0b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('map_share_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('map_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_map_share_link_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['map_id'], ['journey_map.id'], name=op.f('fk_map_share_link_map_id_journey_map'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_map_share_link')),
    sa.UniqueConstraint('token', name=op.f('uq_map_share_link_token'))
    )
    with op.batch_alter_table('map_share_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_map_share_link_map_id'), ['map_id'], unique=False)


def downgrade():
    with op.batch_alter_table('map_share_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_map_share_link_map_id'))

    op.drop_table('map_share_link')
