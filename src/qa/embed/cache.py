"""Build-time embedding cache: vectors by exported model and text hash, so a rebuild embeds only what changed."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from qa import cachefile
from qa.embed.late import Span
from qa.embed.runtime import Embedder, LateEmbedder

log = logging.getLogger(__name__)

CACHE_DIR = "cache"


def text_key(text: str) -> bytes:
    """The exact text the model reads: any change to it, even in spacing, is a different embedding."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class RememberedCounts(Protocol):
    """Token counts kept across builds (`qa.embed.token_counts.TokenCounts`): known ones given, the rest counted."""

    def count_many(self, texts: Sequence[str], count: Callable[[Sequence[str]], list[int]]) -> list[int]: ...


def span_key(text: str, span: Span) -> bytes:
    """A late-chunked sentence vector: the text whose run it is pooled from, and its span in that text."""
    start, end = span
    return text_key(f"late-chunk {start}:{end}\0{text}")


class EmbeddingCache:
    """Vectors that one exported model gave for texts, kept in one file per model under index/cache/.

    The file is rewritten after each build with the entries that build used, so it stays the size
    of the index; the model's folder name (its fingerprint and variant) names the file, so vectors of
    another model or quantisation are never mixed in.
    """

    def __init__(self, path: Path, keys: dict[bytes, int], vectors: np.ndarray) -> None:
        self.path = path
        self._rows = keys
        self._vectors = vectors
        self._new: dict[bytes, np.ndarray] = {}
        self._used: dict[bytes, None] = {}  # insertion-ordered set
        self.hits = 0
        self.misses = 0

    @classmethod
    def open(cls, index_dir: Path, model_id: str) -> EmbeddingCache:
        """The cache for `model_id` in `index_dir`; empty when there is none or it cannot be read."""
        path = index_dir / CACHE_DIR / f"embeddings-{model_id}.npz"
        empty = cls(path, {}, np.zeros((0, 0), dtype=np.float32))
        data = cachefile.read(path, ("keys", "vectors"))
        if data is None:
            return empty  # the build embeds everything again and rewrites the file
        keys, vectors = data["keys"], np.ascontiguousarray(data["vectors"], dtype=np.float32)
        if keys.ndim != 2 or len(keys) != len(vectors):
            log.warning("ignoring the inconsistent embedding cache %s", path)
            return empty
        return cls(path, {key.tobytes(): row for row, key in enumerate(keys)}, vectors)

    def __len__(self) -> int:
        return len(self._rows) + len(self._new)

    def get(self, key: bytes) -> np.ndarray | None:
        if key in self._new:
            return self._new[key]
        row = self._rows.get(key)
        return None if row is None else self._vectors[row]

    def embed(self, texts: Sequence[str], embedder: Embedder) -> np.ndarray:
        """Vectors of `texts`: cached ones looked up, the others embedded by `embedder` and remembered."""
        keys = [text_key(t) for t in texts]
        out = np.empty((len(texts), embedder.dimension), dtype=np.float32)
        missing: dict[bytes, list[int]] = {}
        for i, key in enumerate(keys):
            found = self.get(key)
            if found is not None and len(found) == embedder.dimension:
                out[i] = found
            else:
                missing.setdefault(key, []).append(i)
        if missing:
            firsts = [rows[0] for rows in missing.values()]
            fresh = embedder.embed([texts[i] for i in firsts])
            for (key, rows), vector in zip(missing.items(), fresh, strict=True):
                out[rows] = vector
                self._new[key] = vector
        self.misses += len(missing)
        self.hits += len(texts) - sum(len(rows) for rows in missing.values())
        self._used.update(dict.fromkeys(keys))
        return out

    def embed_late(
        self, texts: Sequence[str], spans: Sequence[Sequence[Span]], embedder: LateEmbedder
    ) -> tuple[np.ndarray, np.ndarray]:
        """`embed`, and each text's spans pooled from its run: a text runs again unless all its vectors are here."""
        keys = [
            [text_key(text), *(span_key(text, span) for span in text_spans)]
            for text, text_spans in zip(texts, spans, strict=True)
        ]
        # Row i of `table` is key i of the flat list: text 0, its spans, text 1, its spans, ...
        flat = [key for text_keys in keys for key in text_keys]
        bounds = np.cumsum([0, *(len(text_keys) for text_keys in keys)])
        table = np.empty((len(flat), embedder.dimension), dtype=np.float32)
        missing = []
        for i in range(len(texts)):
            found = [
                v for key in keys[i] if (v := self.get(key)) is not None and len(v) == embedder.dimension
            ]
            if len(found) == len(keys[i]):
                table[bounds[i] : bounds[i + 1]] = np.stack(found)
            else:
                missing.append(i)
        if missing:
            fresh, pooled = embedder.embed_late([texts[i] for i in missing], [spans[i] for i in missing])
            starts = np.cumsum([0, *(len(spans[i]) for i in missing)])
            for n, i in enumerate(missing):
                table[bounds[i]] = fresh[n]
                table[bounds[i] + 1 : bounds[i + 1]] = pooled[starts[n] : starts[n + 1]]
                self._new.update(zip(keys[i], table[bounds[i] : bounds[i + 1]], strict=True))
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        self._used.update(dict.fromkeys(flat))
        passage_rows = bounds[:-1]
        return table[passage_rows], np.delete(table, passage_rows, axis=0)

    def pending_bytes(self) -> int:
        """About the size of the file `save` writes: 0 when it leaves the file alone."""
        if not self._new and len(self._used) == len(self._rows):
            return 0
        width = (
            self._vectors.shape[1] if self._vectors.size else next((len(v) for v in self._new.values()), 0)
        )
        return len(self._used) * (16 + 4 * width)

    def save(self) -> None:
        """Keep the entries this build used, written to a temporary file and renamed over the old one; an
        unchanged file is left alone."""
        if not self._new and len(self._used) == len(self._rows):
            return  # the file holds exactly what this build used
        entries = [(key, vector) for key in self._used if (vector := self.get(key)) is not None]
        if not entries:
            return
        table = np.frombuffer(b"".join(key for key, _ in entries), dtype=np.uint8).reshape(len(entries), -1)
        vectors = np.stack([vector for _, vector in entries])
        cachefile.write(self.path, keys=table, vectors=vectors)


class CachedEmbedder:
    """An Embedder that answers from an EmbeddingCache and runs the model only on texts it has not seen;
    with `counts`, token counts too are remembered across builds."""

    def __init__(
        self, embedder: LateEmbedder, cache: EmbeddingCache, counts: RememberedCounts | None = None
    ) -> None:
        self.embedder = embedder
        self.cache = cache
        self.counts = counts
        self.dimension = embedder.dimension
        self.max_tokens = embedder.max_tokens

    def count_tokens(self, text: str) -> int:
        if self.counts is None:
            return self.embedder.count_tokens(text)
        return self.counts.count_many([text], self._count_many)[0]

    def count_tokens_many(self, texts: Sequence[str]) -> list[int]:
        if self.counts is None:
            return self._count_many(texts)
        return self.counts.count_many(texts, self._count_many)

    def _count_many(self, texts: Sequence[str]) -> list[int]:
        many = getattr(self.embedder, "count_tokens_many", None)
        return many(texts) if many else [self.embedder.count_tokens(text) for text in texts]

    def embed(self, texts: Sequence[str], *, solo: bool = False) -> np.ndarray:
        return self.cache.embed(texts, self.embedder)

    def embed_late(
        self, texts: Sequence[str], spans: Sequence[Sequence[Span]]
    ) -> tuple[np.ndarray, np.ndarray]:
        return self.cache.embed_late(texts, spans, self.embedder)
