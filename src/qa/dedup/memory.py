"""Build-time dedup memory: MinHash signatures and near-duplicate pairs by content hash, so a rebuild
compares only the texts that changed."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from qa import cachefile
from qa.dedup.minhash import SLACK, lsh_pairs, minhash
from qa.dedup.similarity import Shingles, Thresholds, similar

log = logging.getLogger(__name__)

# Above this share of new texts a plain MinHash LSH pass over everything is cheaper than comparing
# each new signature with all others.
INCREMENTAL_MAX_NEW = 0.1
KEY_BYTES = 8  # a content hash: 16 hex digits


class DedupCache:
    """What one dedup stage learnt in the previous build: every text it saw (by content hash), their
    MinHash signatures, and which pairs of them are near-duplicates.

    Whether two texts are near-duplicates depends on the two texts alone, so pairs among texts seen
    before are known; only pairs with a new text need looking for. Those are found by comparing each
    new signature with every stored one (no banding, so nothing LSH would find is missed) and checked
    exactly. The file is rewritten after each build with the texts of that build only.
    """

    def __init__(
        self, path: Path, keys: list[str], signatures: np.ndarray, pairs: set[tuple[str, str]]
    ) -> None:
        self.path = path
        self._row = {key: row for row, key in enumerate(keys)}
        self._signatures = signatures
        self._pairs = pairs
        self.reused = 0  # texts whose pairs came from memory in the last call

    @classmethod
    def open(cls, folder: Path, stage: str, thresholds: Thresholds) -> DedupCache:
        """The memory of `stage` under these thresholds; empty when there is none or it cannot be read."""
        tag = hashlib.sha256(json.dumps(asdict(thresholds), sort_keys=True).encode()).hexdigest()[:12]
        path = folder / f"dedup-{stage}-{tag}.npz"
        empty = cls(path, [], np.zeros((0, thresholds.num_perm), dtype=np.uint64), set())
        data = cachefile.read(path, ("keys", "signatures", "pairs"))
        if data is None:
            return empty  # the build compares everything again and rewrites the file
        keys = [bytes(k).hex() for k in data["keys"]]
        signatures = np.ascontiguousarray(data["signatures"], dtype=np.uint64)
        pair_rows = data["pairs"]
        if signatures.shape != (len(keys), thresholds.num_perm) or pair_rows.ndim != 2:
            log.warning("ignoring the inconsistent dedup cache %s", path)
            return empty
        return cls(path, keys, signatures, {(keys[a], keys[b]) for a, b in pair_rows.tolist()})

    def pairs(
        self, keys: Sequence[str], sets: Sequence[Shingles], unique: Sequence[int], thresholds: Thresholds
    ) -> set[tuple[int, int]]:
        """Near-duplicate pairs among `unique` (text i has content hash `keys[i]`), checked exactly:
        from memory for texts seen before, by comparison with every signature for new ones, and by one
        MinHash LSH pass over everything when too much is new."""
        new = [i for i in unique if keys[i] not in self._row]
        if len(new) > INCREMENTAL_MAX_NEW * len(unique) or not self._row:
            minhashes = {i: minhash(sets[i], thresholds.num_perm) for i in unique}
            found = _checked(lsh_pairs(minhashes, sets, thresholds), sets, thresholds)
            signatures = {i: m.hashvalues for i, m in minhashes.items()}
            self.reused = 0
        else:
            signatures = {i: self._signatures[self._row[keys[i]]] for i in unique if keys[i] in self._row}
            signatures.update((i, minhash(sets[i], thresholds.num_perm).hashvalues) for i in new)
            close = _close_to(new, unique, signatures, sets, thresholds)
            found = self._known(keys, unique) | _checked(close, sets, thresholds)
            self.reused = len(unique) - len(new)
        self._remember(keys, unique, signatures, found)
        return found

    def _known(self, keys: Sequence[str], unique: Sequence[int]) -> set[tuple[int, int]]:
        """Remembered near-duplicate pairs among these texts, as index pairs."""
        at = {keys[i]: i for i in unique}
        found = set()
        for a, b in self._pairs:
            if a in at and b in at:
                i, j = at[a], at[b]
                found.add((min(i, j), max(i, j)))
        return found

    def _remember(
        self,
        keys: Sequence[str],
        unique: Sequence[int],
        signatures: dict[int, np.ndarray],
        pairs: set[tuple[int, int]],
    ) -> None:
        order = list(unique)
        self._row = {keys[i]: row for row, i in enumerate(order)}
        width = self._signatures.shape[1]
        self._signatures = (
            np.stack([signatures[i] for i in order]).astype(np.uint64)
            if order
            else np.zeros((0, width), np.uint64)
        )
        self._pairs = {(keys[i], keys[j]) for i, j in pairs}

    def save(self) -> None:
        """Written to a temporary file and renamed over the old one."""
        keys = list(self._row)
        table = np.frombuffer(b"".join(bytes.fromhex(k) for k in keys), dtype=np.uint8).reshape(-1, KEY_BYTES)
        pairs = np.array([(self._row[a], self._row[b]) for a, b in self._pairs], dtype=np.int64).reshape(
            -1, 2
        )
        cachefile.write(self.path, keys=table, signatures=self._signatures, pairs=pairs)


def _checked(
    pairs: Iterable[tuple[int, int]], sets: Sequence[Shingles], thresholds: Thresholds
) -> set[tuple[int, int]]:
    """The candidate pairs that pass the exact test."""
    return {(min(i, j), max(i, j)) for i, j in pairs if similar(sets[i], sets[j], thresholds)}


def _close_to(
    new: Sequence[int],
    unique: Sequence[int],
    signatures: dict[int, np.ndarray],
    sets: Sequence[Shingles],
    thresholds: Thresholds,
) -> set[tuple[int, int]]:
    """Pairs of a new text with any other whose MinHash estimate comes near either threshold.

    The estimated Jaccard J is the share of equal signature values; the containment of A in B follows
    from it and the set sizes, J (|A| + |B|) / ((1 + J) |A|).
    """
    others = np.array(list(unique))
    matrix = np.stack([signatures[i] for i in others])
    sizes = np.array([len(sets[i]) for i in others], dtype=np.float64)
    found: set[tuple[int, int]] = set()
    for i in new:
        estimate = (matrix == signatures[i]).mean(axis=1)
        size = float(len(sets[i]))
        overlap = estimate * (size + sizes) / (1 + estimate)
        close = (
            (estimate >= thresholds.jaccard - SLACK)
            | (overlap / size >= thresholds.containment - SLACK)
            | (overlap / sizes >= thresholds.containment - SLACK)
        )
        found.update((min(i, int(j)), max(i, int(j))) for j in others[close] if j != i)
    return found
