"""Exact and near-duplicate detection over texts: content hashes, word shingles, MinHash LSH candidates."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from qa import clean

if TYPE_CHECKING:
    # Only builds need MinHash: serving uses the exact tests above and never loads datasketch.
    from datasketch import MinHash, MinHashLSH

    from qa.dedupcache import DedupCache


def content_hash(text: str) -> str:
    """Stable id of a text: equal after normalisation and folding means equal id."""
    return hashlib.sha256(clean.fold(clean.normalise(text)).encode()).hexdigest()[:16]


def shingles(text: str, size: int = 5) -> frozenset[tuple[str, ...]]:
    """Word n-grams; a text shorter than n words is one shingle of all its words."""
    tokens = clean.words(text)
    if len(tokens) <= size:
        return frozenset([tuple(tokens)]) if tokens else frozenset()
    return frozenset(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def containment(inner: frozenset[tuple[str, ...]], outer: frozenset[tuple[str, ...]]) -> float:
    """Share of `inner`'s shingles found in `outer`: 1.0 when inner is a prefix or fragment of outer."""
    return len(inner & outer) / len(inner) if inner else 0.0


def near_duplicate(a: str, b: str, *, jaccard_at: float, containment_at: float, size: int = 5) -> bool:
    """The exact test that LSH candidates must pass: similar as wholes, or one mostly inside the other."""
    return similar(shingles(a, size), shingles(b, size), Thresholds(jaccard_at, containment_at, size))


@dataclass(frozen=True)
class Thresholds:
    jaccard: float = 0.8
    containment: float = 0.9
    shingle: int = 5
    num_perm: int = 128


@cache
def _template(num_perm: int) -> MinHash:
    # Drawing the permutations is a third of the cost of a signature; with one seed they never change.
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=1)


def minhash(items: frozenset[tuple[str, ...]], num_perm: int) -> MinHash:
    from datasketch import MinHash

    template = _template(num_perm)
    signature = MinHash(num_perm=num_perm, seed=1, permutations=template.permutations, scheme=template.scheme)
    signature.update_batch([" ".join(item).encode() for item in items])
    return signature


# Candidate search runs this far below the real thresholds, so that it misses little; pairs are then
# checked exactly.
SLACK = 0.3

Candidates = Callable[
    [Sequence[frozenset[tuple[str, ...]]], Sequence[int], Thresholds], Iterable[tuple[int, int]]
]


def duplicate_groups(
    texts: Sequence[str],
    thresholds: Thresholds | None = None,
    *,
    candidates: Candidates | None = None,
    memory: DedupCache | None = None,
) -> list[list[int]]:
    """Group indices of texts that are exact or near duplicates; each group lists its keeper first.

    The keeper is the most complete text (most shingles, then the earliest), so a truncated copy
    folds into the full paragraph and never the other way round. Candidates come from MinHash LSH
    (Jaccard) and LSH Ensemble (containment) with thresholds set below the real ones, so that the
    approximate stage misses little; every candidate pair is then checked exactly. A distributed build
    passes its own `candidates`, which must find the same pairs. With a `memory` of the previous build,
    only pairs with texts new since then are looked for.
    """
    thresholds = thresholds or Thresholds()
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
    # Components do not depend on the order pairs are checked in: the exact test is symmetric.
    if memory is not None:
        for i, j in memory.pairs(keys, sets, unique, thresholds):
            union(i, j)
    else:
        for i, j in (candidates or lsh_candidates)(sets, unique, thresholds):
            if find(i) != find(j) and similar(sets[i], sets[j], thresholds):
                union(i, j)

    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(find(i), []).append(i)
    return [sorted(members, key=lambda i: (-len(sets[i]), -len(texts[i]), i)) for members in groups.values()]


def similar(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]], thresholds: Thresholds) -> bool:
    """Shingle sets similar as wholes, or one mostly inside the other."""
    if not a or not b:
        return False
    shared = len(a & b)  # one intersection serves all three measures
    return (
        shared / (len(a) + len(b) - shared) >= thresholds.jaccard
        or shared / min(len(a), len(b)) >= thresholds.containment
    )


def lsh_candidates(
    sets: Sequence[frozenset[tuple[str, ...]]], unique: Sequence[int], thresholds: Thresholds
) -> set[tuple[int, int]]:
    """Pairs that MinHash LSH (Jaccard) or LSH Ensemble (containment) bring together, smaller index first."""
    signatures = {i: minhash(sets[i], thresholds.num_perm) for i in unique}
    return lsh_pairs(signatures, sets, thresholds)


def lsh_pairs(
    signatures: dict[int, MinHash], sets: Sequence[frozenset[tuple[str, ...]]], thresholds: Thresholds
) -> set[tuple[int, int]]:
    return jaccard_pairs(signatures, thresholds) | containment_pairs(signatures, sets, thresholds)


def jaccard_lsh(thresholds: Thresholds) -> MinHashLSH:
    from datasketch import MinHashLSH

    return MinHashLSH(threshold=max(0.1, thresholds.jaccard - SLACK), num_perm=thresholds.num_perm)


def jaccard_pairs(signatures: dict[int, MinHash], thresholds: Thresholds) -> set[tuple[int, int]]:
    lsh = jaccard_lsh(thresholds)
    for i, signature in signatures.items():
        lsh.insert(str(i), signature)
    return {
        (min(i, j), max(i, j))
        for i, signature in signatures.items()
        for j in map(int, lsh.query(signature))
        if j != i
    }


def containment_pairs(
    signatures: dict[int, MinHash], sets: Sequence[frozenset[tuple[str, ...]]], thresholds: Thresholds
) -> set[tuple[int, int]]:
    from datasketch import MinHashLSHEnsemble

    if not signatures:
        return set()
    ensemble = MinHashLSHEnsemble(
        threshold=max(0.1, thresholds.containment - SLACK), num_perm=thresholds.num_perm, num_part=8
    )
    ensemble.index((str(i), signature, len(sets[i])) for i, signature in signatures.items())
    return {
        (min(i, j), max(i, j))
        for i, signature in signatures.items()
        for j in map(int, ensemble.query(signature, len(sets[i])))
        if j != i
    }
