"""Model releases: classifier models retrained from staff labels, published or rejected, for rollback

Revision ID: c9ced6b994b1
Revises: 928d1c5988f2
Create Date: 2026-11-23 15:52:14.484337

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9ced6b994b1'
down_revision = '928d1c5988f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('model_release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('follows_id', sa.Integer(), nullable=False),
    sa.Column('base_version', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('published', 'rejected', name='releasestatus', native_enum=False, length=20), nullable=False),
    sa.Column('model', sa.LargeBinary(), nullable=True),
    sa.Column('examples', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('check_records', sa.Integer(), nullable=False),
    sa.Column('check_score', sa.Double(), nullable=True),
    sa.Column('previous_score', sa.Double(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_model_release')),
    sa.UniqueConstraint('follows_id', name=op.f('uq_model_release_follows_id'))
    )


def downgrade():
    op.drop_table('model_release')
