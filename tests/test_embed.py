"""The exported model agrees with sentence-transformers, and the index and the queries use one model and backend."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.build.passages import embedding_text
from qa.config import Settings
from qa.embed.export import SentenceTransformerEmbedder, export_onnx
from qa.embed.runtime import OnnxEmbedder

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def texts(searcher) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Real passages as the model reads them, and the gold questions."""
    questions = [
        json.loads(line)["question"] for line in (ROOT / "eval" / "gold.jsonl").read_text().splitlines()
    ]
    return [embedding_text(p) for p in searcher.index.passages], questions


@pytest.fixture(scope="module")
def reference() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(Settings().model_path())


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1)


def test_float_export_matches_sentence_transformers(tmp_path: Path, texts, reference) -> None:  # type: ignore[no-untyped-def]
    export_onnx(Settings().model_path(), tmp_path, model_name="all-MiniLM-L6-v2", int8=False)
    exported = OnnxEmbedder(tmp_path)
    for sample in texts:
        assert _cosines(exported.embed(sample), reference.embed(sample)).min() > 0.999


def test_int8_export_stays_close_to_sentence_transformers(searcher, texts, reference) -> None:  # type: ignore[no-untyped-def]
    served = OnnxEmbedder(searcher.index.model_dir)
    for sample in texts:
        assert _cosines(served.embed(sample), reference.embed(sample)).min() > 0.98


def test_index_vectors_are_what_the_query_path_computes(searcher, settings, texts) -> None:  # type: ignore[no-untyped-def]
    """The build's vectors and a query-time embedding of the same text agree, whatever the batching."""
    passages, _ = texts
    stored = np.array(searcher.index.vectors.matrix())
    query_path = OnnxEmbedder(searcher.index.model_dir, threads=settings.threads)
    alone = np.vstack([query_path.embed([text]) for text in passages])
    assert _cosines(stored, alone).min() > 0.99999


def test_serving_does_not_import_the_build_stack(settings) -> None:  # type: ignore[no-untyped-def]
    """`qa serve` on a current index: no torch, sentence-transformers, datasketch, scipy or ONNX tooling."""
    script = f"""
import sys
from pathlib import Path
from fastapi.testclient import TestClient
from qa.cli import _ensure_index
from qa.config import Settings
from qa.api.app import create_app
settings = Settings(corpus_dir=Path({str(settings.corpus_dir)!r}), index_dir=Path({str(settings.index_dir)!r}))
_ensure_index(settings)
with TestClient(create_app(settings, load_in_background=False)) as client:
    assert client.post("/ask", json={{"question": "when was the deadline?"}}).status_code == 200
heavy = ("torch", "sentence_transformers", "transformers", "datasketch", "onnx", "trafilatura", "scipy")
print(" ".join(sorted(m for m in heavy if m in sys.modules)))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_the_solo_session_gives_the_same_vectors_to_the_bit(searcher, texts) -> None:  # type: ignore[no-untyped-def]
    """A lone question may run on more threads; its vector, and so its answer, must not change."""
    embedder = OnnxEmbedder(searcher.index.model_dir, threads=1, solo_threads=2)
    assert embedder.solo is not None
    for sample in texts:
        assert np.array_equal(embedder.embed(sample, solo=True), embedder.embed(sample))
