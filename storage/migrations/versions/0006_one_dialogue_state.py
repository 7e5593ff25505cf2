"""One dialogue state: a check-in waiting for its note and a file waiting for its sample are
users.dialog values, no longer a pseudo-step of the entry or a lookup by pending kind

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE users SET dialog = 'checkin_note' WHERE id IN (SELECT user_id FROM "
        "symptom_entries WHERE status = 'in_progress' AND step = 'note_text')"
    )
    op.execute("UPDATE symptom_entries SET step = 'note' WHERE step = 'note_text'")
    op.execute(
        "UPDATE users SET dialog = 'pick_sample' WHERE dialog IS NULL AND id IN (SELECT user_id "
        "FROM pending_uploads WHERE kind = 'awaiting_sample_choice')"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE symptom_entries SET step = 'note_text' WHERE status = 'in_progress' AND "
        "step = 'note' AND user_id IN (SELECT id FROM users WHERE dialog = 'checkin_note')"
    )
    op.execute("UPDATE users SET dialog = NULL WHERE dialog IN ('checkin_note', 'pick_sample')")
