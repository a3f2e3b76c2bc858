"""Near-duplicate pairs found exactly: shared shingles counted with sparse matrix products, prefix-filtered."""

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
# Probe length, in prefix lengths (see `probes`): measured on the bench corpus at 100k paragraphs, 1 left
# 5.9M pairs to count in full, 1.5 left 114k for a product four times as long, 2 left 89k.
PROBE = 1.5


def incidence(sets: Sequence[Shingles]) -> csr_array:
    """Binary texts x shingles matrix: row r holds a 1 for each shingle of sets[r], its rarest ones first.

    Columns are numbered by how few texts hold them (indices sorted), so a row starts with the shingles
    that bring it together with the fewest others.
    """
    # A dict that numbers each new key in order of arrival: one C-level pass over all shingles.
    vocabulary: defaultdict[tuple[str, ...], int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    columns = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(sets)), dtype=np.int64)
    rank = np.empty(len(vocabulary), dtype=np.int32)
    rank[np.argsort(np.bincount(columns, minlength=len(vocabulary)), kind="stable")] = np.arange(len(rank))
    starts = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in sets], out=starts[1:])
    # int32 counts: a product of booleans would saturate at 1 instead of counting shared shingles.
    ones = np.ones(len(columns), dtype=np.int32)
    matrix = csr_array((ones, rank[columns], starts), shape=(len(sets), len(vocabulary)))
    matrix.sort_indices()
    return matrix


def probes(matrix: csr_array, share: float) -> tuple[csr_array, np.ndarray]:
    """Each row cut to its rarest entries, and how many of them another row must hold to be a candidate.

    A row of m shingles sharing at least `share` * m of them with another misses at most
    m - floor(share * m) of them there, so of its first (m - floor(share * m) + 1) * PROBE entries it
    shares all but that many. PROBE = 1 is the classic prefix filter (meet once); a longer probe costs
    a larger product but demands more meetings, which leaves far fewer pairs to count in full.
    """
    sizes = np.diff(matrix.indptr)
    missing = sizes - np.maximum(1, np.floor(share * sizes).astype(np.int64))
    keep = np.minimum(sizes, np.ceil((missing + 1) * PROBE).astype(np.int64))
    position = np.arange(matrix.nnz) - np.repeat(matrix.indptr[:-1], sizes)
    mask = position < np.repeat(keep, sizes)
    starts = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(keep, out=starts[1:])
    return csr_array((matrix.data[mask], matrix.indices[mask], starts), shape=matrix.shape), keep - missing


def near_pairs(
    sets: Sequence[Shingles],
    unique: Sequence[int],
    thresholds: Thresholds,
    *,
    among: Sequence[int] | None = None,
) -> set[tuple[int, int]]:
    """Every pair of `unique` texts (smaller index first) that passes `similarity.similar`.

    With `among` (a subset of `unique`), only the pairs with at least one text in it: a rebuild compares
    its new texts with all others and nothing else. Nothing is approximate: a pair that passes shares at
    least min(jaccard, containment) of its shorter text's shingles (Jaccard >= t implies that too), so it
    meets in the shorter text's probe often enough (`probes`); every pair that does is then counted in
    full and tested. The sets of `unique` must not be empty.
    """
    if len(unique) < 2 or (among is not None and not among):
        return set()
    ids = np.asarray(unique, dtype=np.int64)
    matrix = incidence([sets[i] for i in unique])
    sizes = np.diff(matrix.indptr)
    firsts, needed = probes(matrix, min(thresholds.jaccard, thresholds.containment))
    everyone = np.arange(len(unique))
    if among is None:
        found = _meeting(firsts, needed, matrix, everyone, everyone, sizes)
    else:
        at = {text: p for p, text in enumerate(unique)}
        new = np.fromiter((at[i] for i in among), dtype=np.int64, count=len(among))
        # The shorter text of a pair is new, or the longer one is: both sides are searched.
        found = np.union1d(
            _meeting(firsts[new], needed[new], matrix, new, everyone, sizes),
            _meeting(firsts, needed, matrix[new], everyone, new, sizes),
        )
    left, right = np.divmod(found, len(unique))
    passing = _similar(_shared(matrix, left, right), sizes[left], sizes[right], thresholds)
    return set(zip(ids[left[passing]].tolist(), ids[right[passing]].tolist(), strict=True))


def _meeting(
    firsts: csr_array,
    needed: np.ndarray,
    full: csr_array,
    rows: np.ndarray,
    columns: np.ndarray,
    sizes: np.ndarray,
) -> np.ndarray:
    """Pairs (lo * n + hi, over positions) where a probe row meets a full row at least as long often enough.

    `firsts` and `needed` belong to `rows`, `full` to `columns`; only the shorter text of a pair is probed,
    since containment is measured against the shorter one.
    """
    postings = full.T.tocsr()  # shingle -> the texts holding it
    count = len(sizes)
    # A row's product has at most one entry per text holding one of its shingles, and at most one per text.
    costs = np.minimum(firsts @ np.diff(postings.indptr).astype(np.int64), len(columns))
    found = []
    for block in _blocks(np.arange(len(rows)), costs, BLOCK_ENTRIES):
        product = firsts[block] @ postings
        local = np.repeat(block, np.diff(product.indptr))  # each entry's row within `rows`
        left, right = rows[local], columns[product.indices]
        keep = (product.data >= needed[local]) & (left != right) & (sizes[right] >= sizes[left])
        left, right = left[keep], right[keep]
        found.append(np.minimum(left, right) * count + np.maximum(left, right))
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _shared(matrix: csr_array, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Shingles shared by each pair (left[k], right[k]), in chunks of rows."""
    out = np.zeros(len(left), dtype=np.float64)
    step = max(1, BLOCK_ENTRIES // max(1, int(np.diff(matrix.indptr).max(initial=1))))
    for start in range(0, len(left), step):
        chunk = slice(start, start + step)
        out[chunk] = matrix[left[chunk]].multiply(matrix[right[chunk]]).sum(axis=1)
    return out


def _similar(
    shared: np.ndarray, size_a: np.ndarray, size_b: np.ndarray, thresholds: Thresholds
) -> np.ndarray:
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
