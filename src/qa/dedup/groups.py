"""Duplicate groups: exact copies by content hash, near duplicates from any pair finder, merged by union-find."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from qa.dedup.minhash import lsh_candidates
from qa.dedup.similarity import Shingles, Thresholds, content_hash, shingles, similar

# Candidate pairs among `unique` (indices into the shingle sets), each to be checked exactly.
Candidates = Callable[[Sequence[Shingles], Sequence[int], Thresholds], Iterable[tuple[int, int]]]
# Checked near-duplicate pairs among `unique`, given every text's content hash: a finder with a memory.
PairFinder = Callable[
    [Sequence[str], Sequence[Shingles], Sequence[int], Thresholds], Iterable[tuple[int, int]]
]


def checked(candidates: Candidates) -> PairFinder:
    """A pair finder from a candidate search: every candidate pair passes the exact test or is dropped."""

    def find(
        keys: Sequence[str], sets: Sequence[Shingles], unique: Sequence[int], thresholds: Thresholds
    ) -> Iterable[tuple[int, int]]:
        return (
            (i, j) for i, j in candidates(sets, unique, thresholds) if similar(sets[i], sets[j], thresholds)
        )

    return find


def duplicate_groups(
    texts: Sequence[str], thresholds: Thresholds, *, pairs: PairFinder | None = None
) -> list[list[int]]:
    """Group indices of texts that are exact or near duplicates; each group lists its keeper first.

    The keeper is the most complete text (most shingles, then the earliest), so a truncated copy
    folds into the full paragraph and never the other way round. Near-duplicate pairs come from
    `pairs`; by default MinHash LSH (Jaccard) and LSH Ensemble (containment) candidates, with
    thresholds set below the real ones so that the approximate stage misses little, each checked
    exactly. A distributed build or a build with a memory of the last one passes its own finder,
    which must find the same pairs.
    """
    sets = [shingles(text, thresholds.shingle) for text in texts]
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    keys = [content_hash(text) for text in texts]
    by_hash: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in by_hash:
            union(i, by_hash[key])
        else:
            by_hash[key] = i

    unique = [i for i in by_hash.values() if sets[i]]
    # Components do not depend on the order pairs are found in: the exact test is symmetric.
    for i, j in (pairs or checked(lsh_candidates))(keys, sets, unique, thresholds):
        union(i, j)

    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(find(i), []).append(i)
    return [sorted(members, key=lambda i: (-len(sets[i]), -len(texts[i]), i)) for members in groups.values()]
