"""Vector index and index folder: round trips with random vectors, atomic swaps, refusals."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa.index.lexical import LexicalIndex, PhraseIndex
from qa.index.store import FORMAT_VERSION, IndexProblem, Manifest, Sentences, current_build, load, write_build
from qa.index.vectors import VectorIndex
from qa.types import Citation, Passage

DIM = 16
TOPICS = ("harbours", "elections", "weather")


def _unit(rows: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _passages(n: int) -> list[Passage]:
    return [
        Passage(
            f"id{i}",
            f"passage number {i} about {TOPICS[i % 3]}",
            Citation("a.txt", i + 1, i + 1, i * 10, i * 10 + 9),
        )
        for i in range(n)
    ]


def _manifest(n: int, **changes: object) -> Manifest:
    base = Manifest(
        format_version=FORMAT_VERSION,
        model="m",
        model_fingerprint="f",
        model_dir="models/f",
        dimension=DIM,
        passage_count=n,
        corpus_fingerprint="c",
        settings_fingerprint="s",
        built_at="2026-01-01T00:00:00+00:00",
        build_seconds=1.0,
        abstain_threshold=0.3,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _write(index_dir: Path, n: int = 20, seed: int = 0, **changes: object) -> Path:
    (index_dir / "models" / "f").mkdir(parents=True, exist_ok=True)
    (index_dir / "models" / "f" / "model.onnx").write_bytes(b"onnx")
    passages = _passages(n)
    # One sentence per passage, except passage 0 which has two.
    rows = np.array([[0, 0, 7], [0, 8, 14]] + [[i, 0, 14] for i in range(1, n)], dtype=np.int32)
    sentences = Sentences(VectorIndex.build(_unit(n + 1, seed + 1)), rows)
    return write_build(
        index_dir,
        _manifest(n, **changes),
        passages,
        _unit(n, seed),
        LexicalIndex.build([p.text for p in passages]),
        sentences,
        PhraseIndex.build([p.text for p in passages], np.arange(n), n),
    )


def test_exact_search_finds_each_vector_first() -> None:
    vectors = _unit(100)
    scores, ids = VectorIndex.build(vectors).search(vectors[:10], 3)
    assert list(ids[:, 0]) == list(range(10))
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)
    assert (np.diff(scores, axis=1) <= 1e-6).all()


def test_vector_index_round_trip(tmp_path: Path) -> None:
    vectors = _unit(50)
    VectorIndex.build(vectors).save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss")
    assert len(loaded) == 50 and loaded.dimension == DIM
    assert np.allclose(loaded.matrix()[[7, 3]], vectors[[7, 3]])


def test_build_round_trip(tmp_path: Path) -> None:
    _write(tmp_path)
    index = load(tmp_path)
    assert index.passages == _passages(20)
    assert index.manifest == _manifest(20)
    _, ids = index.vectors.search(_unit(20)[:1], 1)
    assert ids[0, 0] == 0
    assert index.sentences.rows[:, 0].tolist()[:3] == [0, 0, 1]  # passage 0 has two sentences, then passage 1
    ((lex_ids, _),) = index.lexical.search(["weather"], 10)
    assert len(lex_ids) == 6
    assert all(index.passages[i].text.endswith("weather") for i in lex_ids)


def test_swap_is_atomic_and_old_builds_are_pruned(tmp_path: Path) -> None:
    first = _write(tmp_path, n=5)
    second = _write(tmp_path, n=6)
    third = _write(tmp_path, n=7)
    assert current_build(tmp_path) == third
    assert len(load(tmp_path).passages) == 7
    assert not first.exists() and second.exists()


def test_missing_index_is_explained(tmp_path: Path) -> None:
    with pytest.raises(IndexProblem, match=r"no index.*qa build"):
        load(tmp_path)


def test_wrong_format_version_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, format_version=FORMAT_VERSION + 1)
    with pytest.raises(IndexProblem, match="format"):
        load(tmp_path)


def test_manifest_that_disagrees_with_the_files_is_refused(tmp_path: Path) -> None:
    folder = _write(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "passage_count": 21}))
    with pytest.raises(IndexProblem, match="inconsistent"):
        load(tmp_path)


def test_truncated_vectors_are_refused(tmp_path: Path) -> None:
    folder = _write(tmp_path)
    data = (folder / "vectors.faiss").read_bytes()
    (folder / "vectors.faiss").write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexProblem, match="damaged"):
        load(tmp_path)


def test_garbled_manifest_is_refused(tmp_path: Path) -> None:
    folder = _write(tmp_path)
    (folder / "manifest.json").write_text("{not json")
    with pytest.raises(IndexProblem, match="unreadable"):
        load(tmp_path)
