"""Storage: SQLAlchemy models, keyword-only async repositories, migrations, the reminder queue.

The only package that imports SQLAlchemy. Reports are stored as plain JSON, so it imports no other
gutbot package either.
"""

from sqlalchemy.ext.asyncio import AsyncSession as Session

from storage.database import Database, StorageUnavailable, open_database

__all__ = ["Database", "Session", "StorageUnavailable", "open_database"]
