"""Ingest: corpus files -> lines -> cleaned articles -> paragraphs, each with its exact place in the source."""
