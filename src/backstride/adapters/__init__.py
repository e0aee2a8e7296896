"""I/O at the edges: activity files and the database."""
