"""`qa bench`: how fast qa answers and builds on this machine, next to plain sentence-transformers."""
