"""gutbot content package."""
