"""Alembic environment: migrations run on a connection handed over by ``storage.Database``."""

from __future__ import annotations

from alembic import context

from storage.models import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    """Run migrations on the connection in ``config.attributes`` (online mode only)."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "gutbot migrations run through storage.open_database(url).upgrade(), "
            "which passes the connection; use `gutbot migrate` from the command line"
        )
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
