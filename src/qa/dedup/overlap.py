"""Near-duplicate pairs found exactly: shared-shingle counts of every pair from one sparse matrix product."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import chain

import numpy as np
from scipy.sparse import csr_array

from qa.dedup.similarity import Shingles, Thresholds

# Entries of one block's product held at once (a column and a count, 8 bytes each, a few temporaries):
# rows are taken in blocks whose product stays under this, so a shingle shared by most texts costs time
# but never more memory than one block, whatever the corpus size.
BLOCK_ENTRIES = 4_000_000


def incidence(sets: Sequence[Shingles]) -> csr_array:
    """Binary texts x shingles matrix: row r holds a 1 for each shingle of sets[r]."""
    # A dict that numbers each new key in order of arrival: one C-level pass over all shingles.
    vocabulary: defaultdict[tuple[str, ...], int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    columns = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(sets)), dtype=np.int32)
    starts = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in sets], out=starts[1:])
    # int32 counts: a product of booleans would saturate at 1 instead of counting shared shingles.
    ones = np.ones(len(columns), dtype=np.int32)
    return csr_array((ones, columns, starts), shape=(len(sets), len(vocabulary)))


def near_pairs(
    sets: Sequence[Shingles],
    unique: Sequence[int],
    thresholds: Thresholds,
    *,
    among: Sequence[int] | None = None,
) -> set[tuple[int, int]]:
    """Every pair of `unique` texts (smaller index first) that passes `similarity.similar`.

    With `among` (a subset of `unique`), only the pairs with at least one text in it: a rebuild compares
    its new texts with all others and nothing else. Each pair sharing a shingle is tested, so none is
    missed; pairs sharing none cannot pass. The sets of `unique` must not be empty.
    """
    rows = list(unique) if among is None else list(among)
    if not rows or len(unique) < 2:
        return set()
    ids = np.asarray(unique, dtype=np.int64)
    position = {text: p for p, text in enumerate(unique)}
    chosen = np.fromiter((position[i] for i in rows), dtype=np.int64, count=len(rows))
    matrix = incidence([sets[i] for i in unique])
    postings = matrix.T.tocsr()  # shingle -> the texts holding it
    sizes = np.diff(matrix.indptr)
    in_rows = np.zeros(len(unique), dtype=bool)
    in_rows[chosen] = True
    # A row's product has at most one entry per text holding one of its shingles, and at most one per text.
    costs = np.minimum(matrix @ np.diff(postings.indptr).astype(np.int64), len(unique))[chosen]
    found: set[tuple[int, int]] = set()
    for block in _blocks(chosen, costs, BLOCK_ENTRIES):
        product = matrix[block] @ postings
        left = np.repeat(block, np.diff(product.indptr))
        right = product.indices.astype(np.int64)
        # Each unordered pair once: from its first text when both are rows, from the row when one is.
        keep = (right != left) & (~in_rows[right] | (right > left))
        left, right, shared = left[keep], right[keep], product.data[keep].astype(np.float64)
        passing = _similar(shared, sizes[left], sizes[right], thresholds)
        a, b = ids[left[passing]], ids[right[passing]]
        found.update(zip(np.minimum(a, b).tolist(), np.maximum(a, b).tolist(), strict=True))
    return found


def _similar(shared: np.ndarray, size_a: np.ndarray, size_b: np.ndarray, thresholds: Thresholds) -> np.ndarray:
    """`similarity.similar` over arrays, in the same float64 arithmetic, so each decision is the same."""
    size_a, size_b = size_a.astype(np.float64), size_b.astype(np.float64)
    together = shared / (size_a + size_b - shared) >= thresholds.jaccard
    inside = shared / np.minimum(size_a, size_b) >= thresholds.containment
    return np.asarray(together | inside)


def _blocks(rows: np.ndarray, costs: np.ndarray, budget: int) -> Iterator[np.ndarray]:
    """Consecutive runs of `rows` whose costs add up to at most `budget` (a costlier row goes alone)."""
    start, total = 0, 0
    for end, cost in enumerate(costs.tolist()):
        if total + cost > budget and end > start:
            yield rows[start:end]
            start, total = end, 0
        total += cost
    if start < len(rows):
        yield rows[start:]
