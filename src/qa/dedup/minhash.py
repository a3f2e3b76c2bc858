"""MinHash signatures and LSH candidate pairs (datasketch): Jaccard by MinHash LSH, containment by LSH Ensemble."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from qa.dedup.similarity import Shingles, Thresholds

if TYPE_CHECKING:
    # Only builds need MinHash: serving uses the exact tests and never loads datasketch.
    from datasketch import MinHash, MinHashLSH

# Candidate search runs this far below the real thresholds, so that it misses little; pairs are then
# checked exactly.
SLACK = 0.3


@cache
def template(num_perm: int) -> MinHash:
    """The one set of permutations every signature uses (seed 1)."""
    # Drawing the permutations is a third of the cost of a signature; with one seed they never change.
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=1)


def minhash(items: Shingles, num_perm: int) -> MinHash:
    from datasketch import MinHash

    base = template(num_perm)
    signature = MinHash(num_perm=num_perm, seed=1, permutations=base.permutations, scheme=base.scheme)
    signature.update_batch([" ".join(item).encode() for item in items])
    return signature


def lsh_candidates(
    sets: Sequence[Shingles], unique: Sequence[int], thresholds: Thresholds
) -> set[tuple[int, int]]:
    """Pairs that MinHash LSH (Jaccard) or LSH Ensemble (containment) bring together, smaller index first."""
    signatures = {i: minhash(sets[i], thresholds.num_perm) for i in unique}
    return lsh_pairs(signatures, sets, thresholds)


def lsh_pairs(
    signatures: dict[int, MinHash], sets: Sequence[Shingles], thresholds: Thresholds
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
    signatures: dict[int, MinHash], sets: Sequence[Shingles], thresholds: Thresholds
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
