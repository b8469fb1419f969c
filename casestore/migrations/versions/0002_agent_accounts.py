"""Agent console accounts and their server-side sessions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agents",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_agents"),
    )
    op.create_table(
        "agent_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("agent_name", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id_hash", name="pk_agent_sessions"),
        sa.ForeignKeyConstraint(
            ["agent_name"], ["agents.name"], name="fk_agent_sessions_agent_name_agents"
        ),
    )
    op.create_index("ix_agent_sessions_agent_name", "agent_sessions", ["agent_name"])


def downgrade() -> None:
    op.drop_index("ix_agent_sessions_agent_name", table_name="agent_sessions")
    op.drop_table("agent_sessions")
    op.drop_table("agents")
