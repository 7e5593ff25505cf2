"""Published indices: GMHI, GMWI2 and distance to healthy."""
