"""Duplicate groups: exact copies by content hash, near duplicates from any pair finder, merged by union-find."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import overload

from qa.dedup.overlap import near_pairs
from qa.dedup.similarity import Shingles, Thresholds, content_hash, has_shingles, shingles

# Near-duplicate pairs among `unique` (indices of texts with shingles), given every text's content hash:
# every pair that passes `similarity.similar`, however found (a finder with a memory uses the hashes).
PairFinder = Callable[
    [Sequence[str], Sequence[Shingles], Sequence[int], Thresholds], Iterable[tuple[int, int]]
]


def every_pair(
    keys: Sequence[str], sets: Sequence[Shingles], unique: Sequence[int], thresholds: Thresholds
) -> set[tuple[int, int]]:
    """The default finder: all near-duplicate pairs among `unique`, found exactly (`overlap.near_pairs`)."""
    return near_pairs(sets, unique, thresholds)


def duplicate_groups(
    texts: Sequence[str], thresholds: Thresholds, *, pairs: PairFinder | None = None
) -> list[list[int]]:
    """Group indices of texts that are exact or near duplicates; each group lists its keeper first.

    The keeper is the most complete text (most shingles, then the longest, then the earliest), so a
    truncated copy folds into the full paragraph and never the other way round. Near-duplicate pairs
    come from `pairs`, by default `every_pair`; a build with a memory of the last one passes its own
    finder, which must find the same pairs. This is the function to time for the cost of dedup.
    """
    sets = LazyShingles(texts, thresholds.shingle)
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

    unique = [i for i in by_hash.values() if has_shingles(texts[i])]
    # Components do not depend on the order pairs are found in: the exact test is symmetric.
    for i, j in (pairs or every_pair)(keys, sets, unique, thresholds):
        union(i, j)

    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(find(i), []).append(i)
    return [
        sorted(members, key=lambda i: (-len(sets[i]), -len(texts[i]), i)) if len(members) > 1 else members
        for members in groups.values()
    ]


class LazyShingles(Sequence[Shingles]):
    """Each text's shingles, made when first asked for. A rebuild whose texts were all seen before finds
    its pairs in memory and asks only for those of its duplicate groups' members (to choose keepers)."""

    def __init__(self, texts: Sequence[str], size: int) -> None:
        self._texts = texts
        self._size = size
        self._made: dict[int, Shingles] = {}

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Shingles: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Shingles]: ...
    def __getitem__(self, index: int | slice) -> Shingles | Sequence[Shingles]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]  # negative indices, and IndexError past the end
        if index not in self._made:
            self._made[index] = shingles(self._texts[index], self._size)
        return self._made[index]
