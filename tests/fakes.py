"""A deterministic fake embedding model for tests that must not load real weights."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np


class CountingEmbedder:
    """Unit vectors drawn from each text's hash; remembers every text it was asked to embed."""

    max_tokens = 128

    def __init__(self, dimension: int = 8) -> None:
        self.dimension = dimension
        self.seen: list[str] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        rows = [
            np.random.default_rng(int.from_bytes(hashlib.sha256(t.encode()).digest()[:8])).standard_normal(
                self.dimension
            )
            for t in texts
        ]
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
