"""Vector index over unit vectors (FAISS inner product, which is cosine on unit vectors); knows no text."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import faiss
import numpy as np

KINDS = ("flat", "ivf", "ivfpq", "hnsw")
APPROXIMATE = KINDS[1:]
# Memory-map the flat vector storage (flat, HNSW), so that server processes on one machine share the pages
# of one file instead of each holding a copy; the exact vectors beside an approximate index are mapped too.
# IVF inverted lists are read into memory: mapped (IO_FLAG_MMAP) they search 20-30x slower (measured 3.6 ms
# against 0.1 ms on 50k vectors), and the IVF-PQ codes that would be mapped are small anyway.
MMAP = {"flat": faiss.IO_FLAG_MMAP_IFC, "hnsw": faiss.IO_FLAG_MMAP_IFC}


@dataclass(frozen=True)
class IndexParams:
    """How to build and search one index; made from Settings by `qa.params`, recorded in the manifest."""

    kind: str
    nlist: int  # IVF cells; 0: about 2 sqrt(n)
    nprobe: int  # IVF cells visited per query
    pq_bytes: int  # IVF-PQ code size per vector (one byte per sub-vector)
    opq: bool  # rotate before PQ (OPQ): better codes, slower training
    hnsw_m: int  # HNSW links per node
    ef_construction: int
    ef_search: int
    refine: int  # an approximate search fetches refine * k, then re-scores them exactly

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def choose(
    count: int,
    params: IndexParams,
    *,
    kind: str,
    flat_max: int,
    approximate: str,
) -> IndexParams:
    """The params for `count` vectors: exact search while that is cheap, `approximate` past `flat_max`."""
    if kind == "auto":
        kind = "flat" if count <= flat_max else approximate
    if kind not in KINDS:
        raise ValueError(f"unknown index kind {kind!r}; choose one of {', '.join(KINDS)} or auto")
    if kind in ("ivf", "ivfpq") and not params.nlist:
        # About 2 sqrt(n) cells, and never fewer than 39 training points per cell (FAISS's minimum).
        params = replace(params, nlist=max(1, min(count // 39, int(2 * math.sqrt(count)))))
    return replace(params, kind=kind)


def _raw_path(path: Path) -> Path:
    return path.with_name(path.stem + ".raw.npy")


class VectorIndex:
    """Inner-product search; ids are row positions, the order vectors were added in.

    Approximate kinds keep the exact vectors beside the index in a memory-mapped .npy: results are
    re-scored with them, and `matrix()` serves them to callers that score candidates exactly.
    """

    def __init__(
        self, index: faiss.Index, raw: np.ndarray | None = None, params: IndexParams | None = None
    ) -> None:
        self.index = index
        self.raw = raw
        self.params = params  # None: exact search (flat)
        self._tune()

    @classmethod
    def build(cls, vectors: np.ndarray, params: IndexParams | None = None) -> VectorIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        index: faiss.Index
        if params is None or params.kind == "flat":
            index = faiss.IndexFlatIP(dim)
        elif params.kind == "hnsw":
            hnsw = faiss.IndexHNSWFlat(dim, params.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = params.ef_construction
            index = hnsw
        elif params.kind in ("ivf", "ivfpq"):
            nlist = (
                params.nlist
                or choose(len(vectors), params, kind=params.kind, flat_max=0, approximate=params.kind).nlist
            )
            if params.kind == "ivf":
                spec = f"IVF{nlist},Flat"
            else:
                # PQ cuts vectors into equal sub-vectors: the largest count up to pq_bytes that divides dim.
                m = max(m for m in range(1, params.pq_bytes + 1) if dim % m == 0)
                rotate = f"OPQ{m}," if params.opq else ""
                # "np": no polysemous training, which costs minutes and serves only Hamming pre-filtering.
                spec = f"{rotate}IVF{nlist},PQ{m}np"
            index = faiss.index_factory(dim, spec, faiss.METRIC_INNER_PRODUCT)
            # Training on a sample is the usual practice: k-means needs some 40-256 points per cell, not all.
            sample = np.random.default_rng(0).permutation(len(vectors))[: max(50 * nlist, 10_000)]
            index.train(vectors[np.sort(sample)])
        else:
            raise ValueError(f"unknown index kind {params.kind!r}")
        index.add(vectors)
        return cls(index, None if params is None or params.kind == "flat" else vectors, params)

    @property
    def dimension(self) -> int:
        return int(self.index.d)

    @property
    def kind(self) -> str:
        return "flat" if self.params is None else self.params.kind

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def tune(self, params: IndexParams) -> None:
        """New search-time settings (nprobe, efSearch, refine) for the same built index."""
        self.params = params
        self._tune()

    def _tune(self) -> None:
        if self.params is None:
            return
        inner = faiss.try_extract_index_ivf(self.index)
        if inner is not None:
            inner.nprobe = self.params.nprobe
        if isinstance(self.index, faiss.IndexHNSW):
            self.index.hnsw.efSearch = self.params.ef_search

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each of shape (len(queries), k'); k' = min(k, size); -1 ids pad a short result."""
        k = min(k, len(self))
        if k == 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if self.raw is None:
            return self._search(queries, k)
        refine = self.params.refine if self.params else 1
        _, found = self._search(queries, min(len(self), max(k, refine * k)))
        return self._rescore(queries, found, k)

    def _search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if len(queries) > 1:
            return self.index.search(queries, k)
        # One query gains nothing from OpenMP threads, and on busy cores their barriers cost up to 30x the
        # search itself (measured: 32 ms against 1.2 ms on 20k vectors). The setting is per calling thread.
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            return self.index.search(queries, k)
        finally:
            faiss.omp_set_num_threads(threads)

    def _rescore(self, queries: np.ndarray, found: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact scores of the approximate candidates from the stored vectors, best k kept."""
        assert self.raw is not None
        scores = np.full(found.shape, -np.inf, dtype=np.float32)
        for row, (query, ids) in enumerate(zip(queries, found, strict=True)):
            valid = ids >= 0
            scores[row, valid] = self.raw[ids[valid]] @ query
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        best_scores = np.take_along_axis(scores, top, axis=1)
        best_ids = np.where(np.isfinite(best_scores), np.take_along_axis(found, top, axis=1), -1)
        return np.where(np.isfinite(best_scores), best_scores, -1.0).astype(np.float32), best_ids

    def matrix(self) -> np.ndarray:
        """All stored vectors as one array: a zero-copy view of a flat index's storage, or the raw file."""
        if self.raw is not None:
            return self.raw
        flat: Any = self.index  # a flat index, whose storage is the matrix
        return faiss.rev_swig_ptr(flat.get_xb(), len(self) * self.dimension).reshape(
            len(self), self.dimension
        )

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))
        if self.raw is not None:
            np.save(_raw_path(path), np.ascontiguousarray(self.raw, dtype=np.float32))

    @classmethod
    def load(cls, path: Path, params: IndexParams | None = None) -> VectorIndex:
        """Memory-mapped where FAISS allows it; `params` give the kind and the search-time settings."""
        kind = "flat" if params is None else params.kind
        index = faiss.read_index(str(path), MMAP.get(kind, 0) | faiss.IO_FLAG_READ_ONLY)
        raw_path = _raw_path(path)
        raw = np.load(raw_path, mmap_mode="r") if raw_path.is_file() else None
        if raw is None and not isinstance(index, faiss.IndexFlat):
            raise ValueError(f"{raw_path} is missing: an approximate index keeps its exact vectors there")
        return cls(index, raw, params)
