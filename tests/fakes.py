"""Deterministic fake embedding models, and a real index built in memory with one, for fast tests."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qa.build.passages import embedding_text
from qa.build.pipeline import sentence_spans
from qa.dedup.similarity import content_hash
from qa.index.lexical import LexicalIndex, PhraseIndex
from qa.index.store import FORMAT_VERSION, LoadedIndex, Manifest, Sentences
from qa.index.vectors import VectorIndex
from qa.text import words
from qa.types import Citation, Passage


def _hashed(token: str, dimension: int) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(token.encode()).digest()[:8])
    return np.random.default_rng(seed).standard_normal(dimension)


class CountingEmbedder:
    """Unit vectors drawn from each text's hash; remembers every text it was asked to embed."""

    max_tokens = 128

    def __init__(self, dimension: int = 8) -> None:
        self.dimension = dimension
        self.seen: list[str] = []
        self.counted: list[str] = []  # texts whose tokens it was asked to count

    def count_tokens(self, text: str) -> int:
        self.counted.append(text)
        return len(text.split()) + 2

    def embed(self, texts: Sequence[str], *, solo: bool = False) -> np.ndarray:
        self.seen.extend(texts)
        rows = [_hashed(t, self.dimension) for t in texts]
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_late(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each text's vector, and a vector per span drawn from the text and the span (one run per text)."""
        vectors = self.embed(texts)
        pieces = [
            f"{text}[{start}:{end}]" for text, found in zip(texts, spans, strict=True) for start, end in found
        ]
        rows = np.array([_hashed(piece, self.dimension) for piece in pieces], dtype=np.float32)
        rows = rows.reshape(len(pieces), self.dimension)
        return vectors, rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


class WordsEmbedder:
    """A bag of words as a unit vector (a random direction per word, summed): texts that share words are
    close, as with a real model, so rankings on it can be predicted."""

    max_tokens = 128

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension
        self.solo_calls: list[bool] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def embed(self, texts: Sequence[str], *, solo: bool = False) -> np.ndarray:
        self.solo_calls.append(solo)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text):
                out[row] += _hashed(word, self.dimension)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1)


def passage(text: str, source: str = "a.txt", *, date: str | None = None, **citation: object) -> Passage:
    """A passage as ingest makes them, citing `source` (its place in the file does not matter here)."""
    also_in = tuple(citation.pop("also_in", ()))  # type: ignore[call-overload]
    cited = Citation(source, 1, 1, 0, len(text), date=date, **citation)  # type: ignore[arg-type]
    return Passage(content_hash(text), text, cited, also_in)


def memory_index(passages: list[Passage], embedder: WordsEmbedder, *, threshold: float = 0.0) -> LoadedIndex:
    """A real index (FAISS, BM25, word pairs, sentences) of `passages`, held in memory, as a build makes it."""
    texts = [embedding_text(p) for p in passages]
    rows = sentence_spans(passages)
    sentence_texts = [passages[p].text[a:b] for p, a, b in rows.tolist()]
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        model="fake",
        model_fingerprint="fake",
        model_dir="models/fake",
        dimension=embedder.dimension,
        passage_count=len(passages),
        corpus_fingerprint="fake",
        settings_fingerprint="fake",
        built_at="2026-01-01T00:00:00+00:00",
        build_seconds=0.0,
        abstain_threshold=threshold,
    )
    return LoadedIndex(
        Path("memory"),
        manifest,
        passages,
        VectorIndex.build(embedder.embed(texts)),
        LexicalIndex.build(texts),
        Sentences(VectorIndex.build(embedder.embed(sentence_texts)), rows),
        PhraseIndex.build(sentence_texts, rows[:, 0], len(passages)),
    )
