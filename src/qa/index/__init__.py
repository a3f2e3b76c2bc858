"""The index: vectors (FAISS), lexical indexes (BM25, word pairs) and their format on disk."""
