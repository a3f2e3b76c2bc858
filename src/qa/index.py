"""Vector index over unit vectors (FAISS inner product, which is cosine on unit vectors); knows no text."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


class VectorIndex:
    """Exact inner-product search; ids are row positions, the order passages were added in."""

    def __init__(self, index: faiss.Index) -> None:
        self.index = index

    @classmethod
    def build(cls, vectors: np.ndarray) -> VectorIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        return cls(index)

    @property
    def dimension(self) -> int:
        return int(self.index.d)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each of shape (len(queries), k'); k' = min(k, size)."""
        k = min(k, len(self))
        if k == 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        scores, ids = self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return scores, ids

    def matrix(self) -> np.ndarray:
        """All stored vectors as one array: a zero-copy view of a flat index's storage."""
        if isinstance(self.index, faiss.IndexFlat):
            return faiss.rev_swig_ptr(self.index.get_xb(), len(self) * self.dimension).reshape(
                len(self), self.dimension
            )
        return self.vectors(np.arange(len(self)))

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """Stored vectors of `ids`, for scoring candidates that another retriever found."""
        return (
            np.vstack([self.index.reconstruct(int(i)) for i in ids])
            if len(ids)
            else np.zeros((0, self.dimension), np.float32)
        )

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        return cls(faiss.read_index(str(path)))
