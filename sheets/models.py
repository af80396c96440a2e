"""Models arrive with the sheets issue."""
