"""Map figures: cells folded from answers and labels, stage targets

map_cell holds the sums and counts of a map's answers per stage, persona, survey, touchpoint, language
and month; map_folded_label and map_folded_agreement what each answer and response added to them;
map_blocker_quote indexes the answers behind each blocker; map_fold_watermark how far the fold job has
read; map_figures_version counts the folds that changed a map. Stages of ideal maps get targets.

Revision ID: d87d441db0b1
Revises: a4c8624aa56a
Create Date: 2026-11-23 11:16:28.768126

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd87d441db0b1'
down_revision = 'a4c8624aa56a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('map_fold_watermark',
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('folded_up_to', sa.BigInteger(), nullable=False),
    sa.Column('settled_up_to', sa.BigInteger(), nullable=False),
    sa.Column('folded_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('source', name=op.f('pk_map_fold_watermark'))
    )
    op.create_table('map_figures_version',
    sa.Column('map_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['map_id'], ['journey_map.id'], name=op.f('fk_map_figures_version_map_id_journey_map'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('map_id', name=op.f('pk_map_figures_version'))
    )
    op.create_table('map_cell',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('map_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('persona_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('touchpoint_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('labelled', sa.Integer(), nullable=False),
    sa.Column('unclassified', sa.Integer(), nullable=False),
    sa.Column('valence_n', sa.Integer(), nullable=False),
    sa.Column('valence_sum', sa.BigInteger(), nullable=False),
    sa.Column('valence_sumsq', sa.BigInteger(), nullable=False),
    sa.Column('complaints', sa.Integer(), nullable=False),
    sa.Column('emotion_frustration', sa.Integer(), nullable=False),
    sa.Column('emotion_shame', sa.Integer(), nullable=False),
    sa.Column('emotion_relief', sa.Integer(), nullable=False),
    sa.Column('emotion_pride', sa.Integer(), nullable=False),
    sa.Column('emotion_uncertainty', sa.Integer(), nullable=False),
    sa.Column('emotion_anxiety', sa.Integer(), nullable=False),
    sa.Column('emotion_confidence', sa.Integer(), nullable=False),
    sa.Column('emotion_surprise', sa.Integer(), nullable=False),
    sa.Column('emotion_disappointment', sa.Integer(), nullable=False),
    sa.Column('emotion_fear', sa.Integer(), nullable=False),
    sa.Column('emotion_joy', sa.Integer(), nullable=False),
    sa.Column('emotion_anger', sa.Integer(), nullable=False),
    sa.Column('emotion_disgust', sa.Integer(), nullable=False),
    sa.Column('emotion_trust', sa.Integer(), nullable=False),
    sa.Column('emotion_suspicion', sa.Integer(), nullable=False),
    sa.Column('blocker_pricing_unclear', sa.Integer(), nullable=False),
    sa.Column('blocker_checkout_friction', sa.Integer(), nullable=False),
    sa.Column('blocker_information_gap', sa.Integer(), nullable=False),
    sa.Column('blocker_contact_difficulty', sa.Integer(), nullable=False),
    sa.Column('blocker_delivery_problem', sa.Integer(), nullable=False),
    sa.Column('blocker_product_defect', sa.Integer(), nullable=False),
    sa.Column('blocker_returns_friction', sa.Integer(), nullable=False),
    sa.Column('blocker_website_usability', sa.Integer(), nullable=False),
    sa.Column('blocker_approval_needed', sa.Integer(), nullable=False),
    sa.Column('blocker_value_uncertainty', sa.Integer(), nullable=False),
    sa.Column('blocker_budget_constraint', sa.Integer(), nullable=False),
    sa.Column('blocker_trust_concern', sa.Integer(), nullable=False),
    sa.Column('blocker_timing', sa.Integer(), nullable=False),
    sa.Column('nps_promoters', sa.Integer(), nullable=False),
    sa.Column('nps_passives', sa.Integer(), nullable=False),
    sa.Column('nps_detractors', sa.Integer(), nullable=False),
    sa.Column('csat_n', sa.Integer(), nullable=False),
    sa.Column('csat_sum', sa.Integer(), nullable=False),
    sa.Column('ces_n', sa.Integer(), nullable=False),
    sa.Column('ces_sum', sa.Integer(), nullable=False),
    sa.Column('pickers', sa.Integer(), nullable=False),
    sa.Column('picked_frustration', sa.Integer(), nullable=False),
    sa.Column('picked_shame', sa.Integer(), nullable=False),
    sa.Column('picked_relief', sa.Integer(), nullable=False),
    sa.Column('picked_pride', sa.Integer(), nullable=False),
    sa.Column('picked_uncertainty', sa.Integer(), nullable=False),
    sa.Column('picked_anxiety', sa.Integer(), nullable=False),
    sa.Column('picked_confidence', sa.Integer(), nullable=False),
    sa.Column('picked_surprise', sa.Integer(), nullable=False),
    sa.Column('picked_disappointment', sa.Integer(), nullable=False),
    sa.Column('picked_fear', sa.Integer(), nullable=False),
    sa.Column('picked_joy', sa.Integer(), nullable=False),
    sa.Column('picked_anger', sa.Integer(), nullable=False),
    sa.Column('picked_disgust', sa.Integer(), nullable=False),
    sa.Column('picked_trust', sa.Integer(), nullable=False),
    sa.Column('picked_suspicion', sa.Integer(), nullable=False),
    sa.Column('agreement_n', sa.Integer(), nullable=False),
    sa.Column('agreement_agree', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['map_id'], ['journey_map.id'], name=op.f('fk_map_cell_map_id_journey_map'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_map_cell_stage_id_stage'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_map_cell_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_map_cell'))
    )
    op.create_index('ix_map_cell_map_month', 'map_cell', ['map_id', 'month'], unique=False)

    op.create_table('map_folded_agreement',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('cell_key', sa.String(length=80), nullable=False),
    sa.Column('agree', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_map_folded_agreement_response_id_response'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_map_folded_agreement_stage_id_stage'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('response_id', 'stage_id', name=op.f('pk_map_folded_agreement'))
    )
    op.create_table('map_blocker_quote',
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('blocker', sa.String(length=40), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('persona_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('touchpoint_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_map_blocker_quote_answer_id_answer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_map_blocker_quote_stage_id_stage'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', 'blocker', name=op.f('pk_map_blocker_quote'))
    )
    op.create_index('ix_map_blocker_quote_stage_blocker_submitted', 'map_blocker_quote', ['stage_id', 'blocker', 'submitted_at', 'answer_id'], unique=False)

    op.create_table('map_folded_label',
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('cell_key', sa.String(length=80), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('label_version', sa.String(length=100), nullable=False),
    sa.Column('supported', sa.Boolean(), nullable=False),
    sa.Column('valence', sa.Integer(), nullable=True),
    sa.Column('emotions', sa.JSON(), nullable=False),
    sa.Column('blockers', sa.JSON(), nullable=False),
    sa.Column('complaint', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_map_folded_label_answer_id_answer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('answer_id', name=op.f('pk_map_folded_label'))
    )
    op.add_column('stage', sa.Column('target_valence', sa.Double(), nullable=True))
    op.add_column('stage', sa.Column('target_emotions', sa.JSON(), nullable=True))



def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): recreating `stage` in batch mode would cascade
    # the deletion of its old copy to every table that points at it.
    op.drop_column('stage', 'target_emotions')
    op.drop_column('stage', 'target_valence')

    op.drop_table('map_folded_label')
    op.drop_index('ix_map_blocker_quote_stage_blocker_submitted', table_name='map_blocker_quote')

    op.drop_table('map_blocker_quote')
    op.drop_table('map_folded_agreement')
    op.drop_index('ix_map_cell_map_month', table_name='map_cell')

    op.drop_table('map_cell')
    op.drop_table('map_figures_version')
    op.drop_table('map_fold_watermark')
