"""Incremental builds: after one file changes, only its new text is embedded, and the index is as a full build's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import qa.build.pipeline
from fakes import CountingEmbedder
from qa.build.passages import embedding_text
from qa.config import Settings
from qa.index.store import PASSAGES, SENTENCE_VECTORS, VECTORS, current_build
from qa.index.vectors import VectorIndex
from qa.text import sentences
from qa.types import Citation, Passage

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> CountingEmbedder:
    """Every build in the test embeds with one fake model, which counts what it is given."""
    fake = CountingEmbedder(dimension=16)
    monkeypatch.setattr(qa.build.pipeline, "OnnxEmbedder", lambda *args, **kwargs: fake)
    monkeypatch.setattr(
        qa.build.pipeline, "ensure_model", lambda s: (s.index_dir / "models" / "fake", "fake")
    )
    return fake


def _index(settings: Settings) -> tuple[list[dict], np.ndarray]:
    folder = current_build(settings.index_dir)
    assert folder is not None
    passages = [json.loads(line) for line in (folder / PASSAGES).read_text().splitlines()]
    vectors = VectorIndex.load(folder / VECTORS)
    return passages, np.array(vectors.matrix())


def test_rebuild_embeds_only_the_changed_file(tmp_path: Path, model: CountingEmbedder) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    first = qa.build.pipeline.build(settings, progress=False)
    assert first.embedded == len(set(model.seen)) > 0

    changed = sorted(corpus.glob("*.txt"))[1]
    added = (
        "The harbour authority said the new ferry terminal would open on 14 March after two years of work."
    )
    changed.write_text(changed.read_text(encoding="utf-8") + "\n" + added + "\n", encoding="utf-8")
    model.seen.clear()
    second = qa.build.pipeline.build(settings, progress=False)

    assert model.seen, "the changed text was not embedded"
    assert second.embedded == len(model.seen) < first.embedded / 5
    assert any(added in text for text in model.seen)

    # The same corpus built from scratch, with no cache, gives the same passages and vectors.
    fresh = Settings(corpus_dir=corpus, index_dir=tmp_path / "fresh")
    qa.build.pipeline.build(fresh, progress=False)
    incremental, scratch = _index(settings), _index(fresh)
    assert incremental[0] == scratch[0]
    np.testing.assert_array_equal(incremental[1], scratch[1])


def test_unchanged_corpus_rebuilds_without_embedding(tmp_path: Path, model: CountingEmbedder) -> None:
    settings = Settings(corpus_dir=CORPUS, index_dir=tmp_path / "index")
    qa.build.pipeline.build(settings, progress=False)
    model.seen.clear()
    model.counted.clear()
    report = qa.build.pipeline.build(settings, progress=False)
    assert report.embedded == 0 and model.seen == []
    assert model.counted == []  # token counts come from the last build too


def _sentence_vectors(settings: Settings) -> np.ndarray:
    folder = current_build(settings.index_dir)
    assert folder is not None
    index = VectorIndex.load(folder / SENTENCE_VECTORS)  # its matrix is a view: the index must stay alive
    return np.array(index.matrix())


def test_late_chunked_build_runs_no_sentence_and_rebuilds_from_the_cache(
    tmp_path: Path, model: CountingEmbedder
) -> None:
    settings = Settings(corpus_dir=CORPUS, index_dir=tmp_path / "index", sentence_vectors="late")
    qa.build.pipeline.build(settings, progress=False)
    passages = [Passage(p["passage_id"], p["text"], Citation(**p["citation"])) for p in _index(settings)[0]]
    read = {embedding_text(p) for p in passages}
    sentence_texts = {p.text[start:end] for p in passages for start, end in sentences(p.text)}
    assert read <= set(model.seen)
    assert not (sentence_texts - read) & set(model.seen)  # no sentence ran on its own
    pooled = _sentence_vectors(settings)
    assert len(pooled) == sum(len(sentences(p.text)) for p in passages) > len(passages)

    model.seen.clear()
    second = qa.build.pipeline.build(settings, progress=False)
    assert second.embedded == 0 and model.seen == []
    np.testing.assert_array_equal(_sentence_vectors(settings), pooled)
