"""Build-time token counts by text hash, so that a rebuild asks the tokenizer only about new texts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from qa import cachefile
from qa.embed.cache import CACHE_DIR, text_key

log = logging.getLogger(__name__)

CountMany = Callable[[Sequence[str]], list[int]]


class TokenCounts:
    """How many tokens one model's tokenizer made of each text a build counted, in one file per model.

    Cutting passages counts every paragraph, packed passage, header and sentence piece: on a rebuild
    with nothing new that was a third of the time. Like the embedding cache, the file is named by the
    model's folder (another tokenizer never reads it) and holds the entries of the last build only.
    """

    def __init__(self, path: Path, counts: dict[bytes, int]) -> None:
        self.path = path
        self._counts = counts
        self._used: dict[bytes, None] = {}  # insertion-ordered set
        self.new = 0  # texts counted by the tokenizer in this build

    @classmethod
    def open(cls, index_dir: Path, model_id: str) -> TokenCounts:
        """The counts for `model_id` in `index_dir`; empty when there are none or they cannot be read."""
        path = index_dir / CACHE_DIR / f"tokens-{model_id}.npz"
        data = cachefile.read(path, ("keys", "counts"))
        if data is None:
            return cls(path, {})
        keys, counts = data["keys"], data["counts"]
        if keys.ndim != 2 or counts.ndim != 1 or len(keys) != len(counts):
            log.warning("ignoring the inconsistent token-count cache %s", path)
            return cls(path, {})
        return cls(path, dict(zip((key.tobytes() for key in keys), counts.tolist(), strict=True)))

    def count_many(self, texts: Sequence[str], count: CountMany) -> list[int]:
        """Token counts of `texts`: remembered ones looked up, the others made by `count` in one call."""
        keys = [text_key(text) for text in texts]
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in self._counts}
        if missing:
            self._counts.update(zip(missing, count(list(missing.values())), strict=True))
            self.new += len(missing)
        self._used.update(dict.fromkeys(keys))
        return [self._counts[key] for key in keys]

    def save(self) -> None:
        """Keep the counts this build used; the file is left alone when they are exactly the ones it holds."""
        if not self._used or (not self.new and len(self._used) == len(self._counts)):
            return
        keys = list(self._used)
        table = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), -1)
        counts = np.array([self._counts[key] for key in keys], dtype=np.int32)
        cachefile.write(self.path, keys=table, counts=counts)
