"""Deduplication: exact and near-duplicate groups of texts, and their memory across builds."""
