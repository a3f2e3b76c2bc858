"""Index kinds (flat, IVF, IVF-PQ, HNSW) on random vectors, no model: recall against exact search, round trips."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa.config import Settings
from qa.index.lexical import LexicalIndex, PhraseIndex
from qa.index.store import Sentences, load, write_build
from qa.index.vectors import IndexParams, VectorIndex, choose
from qa.params import index_params
from test_store import _manifest, _passages

DIM = 32
BASE = index_params(Settings(), 0)  # the configured defaults, exact (flat)


def kind(name: str, **changes: object) -> IndexParams:
    return replace(BASE, kind=name, **changes)  # type: ignore[arg-type]


def clustered(rows: int, seed: int = 0, clusters: int = 50) -> np.ndarray:
    """Unit vectors around random centres: like embeddings, they have structure for an index to learn."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, DIM))
    vectors = centres[rng.integers(clusters, size=rows)] + 0.6 * rng.normal(size=(rows, DIM))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)]))


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    vectors, queries = clustered(5000), clustered(100, seed=1)
    _, truth = VectorIndex.build(vectors).search(queries, 10)
    return vectors, queries, truth


@pytest.mark.parametrize(
    "params",
    [
        kind("ivf", nprobe=16),
        kind("ivfpq", pq_bytes=8, nprobe=16),
        # Learning the OPQ rotation takes a minute even at this size.
        pytest.param(kind("ivfpq", pq_bytes=8, nprobe=16, opq=True), marks=pytest.mark.slow),
        kind("hnsw", hnsw_m=16),
    ],
    ids=lambda p: f"{p.kind}{'-opq' if p.opq else ''}",
)
def test_approximate_kinds_agree_with_exact_search(data, params: IndexParams, tmp_path: Path) -> None:
    vectors, queries, truth = data
    index = VectorIndex.build(
        vectors, choose(len(vectors), params, kind=params.kind, flat_max=0, approximate="ivfpq")
    )
    scores, ids = index.search(queries, 10)
    assert recall_at(ids, truth) >= 0.9
    # Re-scored with the stored vectors: the scores are exact cosines, best first.
    assert np.allclose(scores, np.einsum("qd,qkd->qk", queries, vectors[ids]), atol=1e-5)
    assert (np.diff(scores, axis=1) <= 1e-6).all()

    index.save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss", index.params)
    assert loaded.kind == params.kind and len(loaded) == len(vectors)
    assert isinstance(loaded.matrix(), np.memmap)  # exact vectors come from the file, not a copy
    assert np.array_equal(loaded.matrix(), vectors)
    assert np.array_equal(loaded.search(queries, 10)[1], ids)


def test_flat_round_trip_is_memory_mapped_and_exact(data, tmp_path: Path) -> None:
    vectors, queries, truth = data
    VectorIndex.build(vectors).save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss")
    assert loaded.kind == "flat" and loaded.raw is None
    assert np.array_equal(loaded.matrix(), vectors)
    assert np.array_equal(loaded.search(queries, 10)[1], truth)


def test_auto_choice_by_size() -> None:
    auto = {"kind": "auto", "flat_max": 1000, "approximate": "ivfpq"}
    assert choose(1000, BASE, **auto).kind == "flat"
    chosen = choose(1001, BASE, **auto)
    assert chosen.kind == "ivfpq" and 1 <= chosen.nlist <= 1001 // 39
    assert choose(1_000_000, BASE, **{**auto, "approximate": "hnsw"}).kind == "hnsw"
    assert choose(1_000_000, BASE, **{**auto, "kind": "ivf"}).nlist == 2000
    with pytest.raises(ValueError, match="unknown index kind"):
        choose(10, BASE, **{**auto, "kind": "lsh"})
    # The settings' defaults: exact search up to 200,000 vectors.
    assert (
        index_params(Settings(), 200_000).kind == "flat" and index_params(Settings(), 200_001).kind == "ivfpq"
    )


def test_small_index_returns_what_it_has() -> None:
    vectors = clustered(60)
    index = VectorIndex.build(
        vectors, choose(60, replace(BASE, nprobe=100), kind="ivf", flat_max=0, approximate="ivf")
    )
    scores, ids = index.search(vectors[:2], 100)
    assert ids.shape == (2, 60) and ids[0, 0] == 0 and np.isclose(scores[0, 0], 1.0, atol=1e-5)


def test_build_folder_records_kind_and_serves_it(tmp_path: Path) -> None:
    n = 3000
    vectors = clustered(n)
    (tmp_path / "models" / "f").mkdir(parents=True)
    (tmp_path / "models" / "f" / "model.onnx").write_bytes(b"onnx")
    params = choose(n, replace(BASE, pq_bytes=8), kind="auto", flat_max=1000, approximate="ivfpq")
    rows = np.array([[i, 0, 5] for i in range(n)], dtype=np.int32)
    passages = _passages(n)
    manifest = _manifest(
        n,
        dimension=DIM,
        index_kind=params.kind,
        index_params={"passages": params.as_dict(), "sentences": BASE.as_dict()},
    )
    folder = write_build(
        tmp_path,
        manifest,
        passages,
        vectors,
        LexicalIndex.build([p.text for p in passages]),
        Sentences(VectorIndex.build(vectors), rows),
        PhraseIndex.build([p.text for p in passages], np.arange(n), n),
        params,
    )
    assert json.loads((folder / "manifest.json").read_text())["index_params"]["passages"]["kind"] == "ivfpq"
    loaded = load(tmp_path)
    assert loaded.manifest.index_kind == "ivfpq"
    assert loaded.vectors.kind == "ivfpq" and loaded.sentences.vectors.kind == "flat"
    assert loaded.vectors.params.nlist == params.nlist
    assert np.array_equal(loaded.vectors.matrix(), vectors)
    assert loaded.vectors.search(vectors[:1], 1)[1][0, 0] == 0
