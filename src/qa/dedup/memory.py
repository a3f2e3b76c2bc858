"""Build-time dedup memory: the texts seen and their near-duplicate pairs by content hash, so a rebuild
compares only the texts that are new."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from qa import cachefile
from qa.dedup.overlap import near_pairs
from qa.dedup.similarity import Shingles, Thresholds

log = logging.getLogger(__name__)

KEY_BYTES = 8  # a content hash: 16 hex digits
# Version 1 also held MinHash signatures, and pairs that LSH may have missed: such a file is not read.
FORMAT = 2


class DedupCache:
    """What one dedup stage learnt in the previous build: every text it saw (by content hash) and which
    pairs of them are near-duplicates.

    Whether two texts are near-duplicates depends on the two texts alone, so pairs among texts seen
    before are known; only pairs with a new text need looking for, and `overlap.near_pairs` finds them
    exactly by comparing the new texts with all the others. The file is rewritten after each build with
    the texts of that build only.
    """

    def __init__(self, path: Path, keys: list[str], pairs: set[tuple[str, str]]) -> None:
        self.path = path
        self._seen = set(keys)
        self._pairs = pairs
        self.reused = 0  # texts whose pairs came from memory in the last call

    @classmethod
    def open(cls, folder: Path, stage: str, thresholds: Thresholds) -> DedupCache:
        """The memory of `stage` under these thresholds; empty when there is none or it cannot be used."""
        tag = hashlib.sha256(json.dumps(asdict(thresholds), sort_keys=True).encode()).hexdigest()[:12]
        path = folder / f"dedup-{stage}-{tag}.npz"
        empty = cls(path, [], set())
        data = cachefile.read(path, ("keys", "pairs"), version=FORMAT)
        if data is None:
            return empty  # the build compares everything again and rewrites the file
        table, rows = data["keys"], data["pairs"]
        if table.ndim != 2 or table.shape[1] != KEY_BYTES or rows.ndim != 2 or rows.shape[1] != 2:
            log.warning("ignoring the inconsistent dedup cache %s", path)
            return empty
        if rows.size and (rows.min() < 0 or rows.max() >= len(table)):
            log.warning("ignoring the inconsistent dedup cache %s", path)
            return empty
        keys = [bytes(k).hex() for k in table]
        return cls(path, keys, {(keys[a], keys[b]) for a, b in rows.tolist()})

    def pairs(
        self, keys: Sequence[str], sets: Sequence[Shingles], unique: Sequence[int], thresholds: Thresholds
    ) -> set[tuple[int, int]]:
        """Near-duplicate pairs among `unique` (text i has content hash `keys[i]`): from memory among texts
        seen before, found exactly for every pair with a new text."""
        new = [i for i in unique if keys[i] not in self._seen]
        found = self._known(keys, unique) | near_pairs(sets, unique, thresholds, among=new)
        self.reused = len(unique) - len(new)
        self._seen = {keys[i] for i in unique}
        self._pairs = {(keys[i], keys[j]) for i, j in found}
        return found

    def _known(self, keys: Sequence[str], unique: Sequence[int]) -> set[tuple[int, int]]:
        """Remembered near-duplicate pairs among these texts, as index pairs."""
        at = {keys[i]: i for i in unique if keys[i] in self._seen}
        found = set()
        for a, b in self._pairs:
            if a in at and b in at:
                i, j = at[a], at[b]
                found.add((min(i, j), max(i, j)))
        return found

    def save(self) -> None:
        """Written to a temporary file and renamed over the old one."""
        keys = sorted(self._seen)
        row = {key: r for r, key in enumerate(keys)}
        table = np.frombuffer(b"".join(bytes.fromhex(k) for k in keys), dtype=np.uint8).reshape(-1, KEY_BYTES)
        pairs = np.array([(row[a], row[b]) for a, b in self._pairs], dtype=np.int64).reshape(-1, 2)
        cachefile.write(self.path, version=FORMAT, keys=table, pairs=pairs)
