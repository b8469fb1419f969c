"""Identity checks the server trusts: verifications, failures and locks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "verifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation", sa.String(200), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("policy_number", sa.String(20), nullable=False),
        sa.Column("subject_type", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(32), nullable=False),
        sa.Column("verified_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_verifications"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_verifications_customer_id_customers"
        ),
    )
    op.create_index("ix_verifications_conversation", "verifications", ["conversation"])
    op.create_table(
        "verification_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_type", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(32), nullable=False),
        sa.Column("policy_number", sa.String(20), nullable=True),
        sa.Column("conversation", sa.String(200), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verification_failures"),
    )
    op.create_index(
        "ix_verification_failures_subject_id", "verification_failures", ["subject_id"]
    )
    op.create_index(
        "ix_verification_failures_policy_number", "verification_failures", ["policy_number"]
    )
    op.create_index(
        "ix_verification_failures_conversation", "verification_failures", ["conversation"]
    )
    op.create_index(
        "ix_verification_failures_failed_at", "verification_failures", ["failed_at"]
    )
    op.create_table(
        "verification_locks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_type", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(32), nullable=False),
        sa.Column("locked_at", sa.DateTime(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("unlocked_at", sa.DateTime(), nullable=True),
        sa.Column("unlocked_by", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_verification_locks"),
    )
    op.create_index("ix_verification_locks_subject_id", "verification_locks", ["subject_id"])


def downgrade() -> None:
    op.drop_index("ix_verification_locks_subject_id", table_name="verification_locks")
    op.drop_table("verification_locks")
    for column in ("failed_at", "conversation", "policy_number", "subject_id"):
        op.drop_index(f"ix_verification_failures_{column}", table_name="verification_failures")
    op.drop_table("verification_failures")
    op.drop_index("ix_verifications_conversation", table_name="verifications")
    op.drop_table("verifications")
