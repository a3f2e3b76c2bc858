"""Search: question -> ranked, deduplicated, cited hits; the ranking formula, answers, and serving."""
