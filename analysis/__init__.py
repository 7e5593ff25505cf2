"""gutbot analysis package."""
