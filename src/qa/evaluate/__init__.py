"""Evaluation: retrieval metrics on question files."""
