"""Create the case store tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
    )
    op.create_table(
        "policies",
        sa.Column("number", sa.String(10), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("product", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("sum_insured", sa.BigInteger(), nullable=True),
        sa.Column("beneficiary", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("number", name="pk_policies"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_policies_customer_id_customers"
        ),
    )
    op.create_index("ix_policies_customer_id", "policies", ["customer_id"])
    op.create_table(
        "claims",
        sa.Column("id", sa.String(15), nullable=False),
        sa.Column("policy_number", sa.String(10), nullable=False),
        sa.Column("incident_type", sa.String(32), nullable=False),
        sa.Column("incident_date", sa.Date(), nullable=False),
        sa.Column("incident_place", sa.String(200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("injuries", sa.Boolean(), nullable=True),
        sa.Column("contact_consent", sa.Boolean(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("assessed_amount", sa.BigInteger(), nullable=True),
        sa.Column("paid_amount", sa.BigInteger(), nullable=True),
        sa.Column("channel", sa.String(40), nullable=True),
        sa.Column("idempotency_key", sa.String(128), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.ForeignKeyConstraint(
            ["policy_number"], ["policies.number"], name="fk_claims_policy_number_policies"
        ),
        sa.UniqueConstraint("idempotency_key", name="uq_claims_idempotency_key"),
    )
    op.create_index("ix_claims_policy_number", "claims", ["policy_number"])
    op.create_table(
        "claim_status_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("claim_id", sa.String(15), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_claim_status_history"),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name="fk_claim_status_history_claim_id_claims"
        ),
    )
    op.create_index("ix_claim_status_history_claim_id", "claim_status_history", ["claim_id"])
    op.create_table(
        "complaints",
        sa.Column("id", sa.String(15), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=True),
        sa.Column("policy_number", sa.String(10), nullable=True),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("desired_outcome", sa.Text(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("idempotency_key", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_complaints"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_complaints_customer_id_customers"
        ),
        sa.ForeignKeyConstraint(
            ["policy_number"], ["policies.number"], name="fk_complaints_policy_number_policies"
        ),
        sa.UniqueConstraint("idempotency_key", name="uq_complaints_idempotency_key"),
    )
    op.create_index("ix_complaints_customer_id", "complaints", ["customer_id"])
    op.create_index("ix_complaints_due_at", "complaints", ["due_at"])
    op.create_table(
        "change_requests",
        sa.Column("id", sa.String(15), nullable=False),
        sa.Column("policy_number", sa.String(10), nullable=False),
        sa.Column("change_type", sa.String(32), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_change_requests"),
        sa.ForeignKeyConstraint(
            ["policy_number"],
            ["policies.number"],
            name="fk_change_requests_policy_number_policies",
        ),
        sa.UniqueConstraint("idempotency_key", name="uq_change_requests_idempotency_key"),
    )
    op.create_index("ix_change_requests_policy_number", "change_requests", ["policy_number"])
    op.create_table(
        "handoff_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sender_id", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_handoff_requests"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_handoff_requests_customer_id_customers"
        ),
    )
    op.create_index("ix_handoff_requests_status", "handoff_requests", ["status"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject_type", sa.String(32), nullable=False),
        sa.Column("subject_id", sa.String(32), nullable=True),
        sa.Column("purpose", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_subject_id", "audit_log", ["subject_id"])
    op.create_table(
        "id_sequences",
        sa.Column("prefix", sa.String(3), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name="pk_id_sequences"),
    )


def downgrade() -> None:
    op.drop_table("id_sequences")
    op.drop_index("ix_audit_log_subject_id", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_handoff_requests_status", table_name="handoff_requests")
    op.drop_table("handoff_requests")
    op.drop_index("ix_change_requests_policy_number", table_name="change_requests")
    op.drop_table("change_requests")
    op.drop_index("ix_complaints_due_at", table_name="complaints")
    op.drop_index("ix_complaints_customer_id", table_name="complaints")
    op.drop_table("complaints")
    op.drop_index("ix_claim_status_history_claim_id", table_name="claim_status_history")
    op.drop_table("claim_status_history")
    op.drop_index("ix_claims_policy_number", table_name="claims")
    op.drop_table("claims")
    op.drop_index("ix_policies_customer_id", table_name="policies")
    op.drop_table("policies")
    op.drop_table("customers")
