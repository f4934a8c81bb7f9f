"""assessment: indexed by review status, for the self-assessments waiting for a review

Every coach's and manager's home counts the self-assessments that wait for a review among
the mentees they see; without this index that read every assessment of those mentees
(tens of thousands in a sector after a few years) to find a handful.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_assessment_review_status", "assessment", ["review_status", "mentee_id"])


def downgrade() -> None:
    op.drop_index("ix_assessment_review_status", table_name="assessment")
