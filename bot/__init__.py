"""gutbot bot package."""
