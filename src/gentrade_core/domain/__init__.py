"""Aggregates and value objects."""
