"""Models arrive with the workshops issue."""
