"""The question bank ships as package data (see pyproject.toml)."""
