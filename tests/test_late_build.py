"""A late-chunked build with the real model: sentence vectors come from the passages' own runs, answers keep highlights."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qa.build.passages import embedding_text
from qa.build.pipeline import build
from qa.config import Settings
from qa.embed.runtime import OnnxEmbedder
from qa.index.store import load
from qa.serve import open_searcher
from qa.text import sentences

pytestmark = pytest.mark.slow


def test_late_build_embeds_each_passage_once_and_answers_with_highlights(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = settings.model_copy(update={"index_dir": tmp_path / "index", "sentence_vectors": "late"})
    shutil.copytree(settings.index_dir / "models", late.index_dir / "models")  # the exported model, reused
    runs: Counter[str] = Counter()
    read: list[str] = []
    plain_run, late_run = OnnxEmbedder.run, OnnxEmbedder.run_late

    def counted_run(self: OnnxEmbedder, texts: list[str], session: Any = None) -> np.ndarray:
        runs["run"] += 1
        read.extend(texts)
        return plain_run(self, texts, session)

    def counted_late(self: OnnxEmbedder, texts: list[str], spans: Any) -> Any:
        runs["run_late"] += 1
        read.extend(texts)
        return late_run(self, texts, spans)

    monkeypatch.setattr(OnnxEmbedder, "run", counted_run)
    monkeypatch.setattr(OnnxEmbedder, "run_late", counted_late)
    build(late, progress=False)

    index = load(late.index_dir)
    passages = [embedding_text(p) for p in index.passages]
    sentence_texts = {p.text[s:e] for p in index.passages for s, e in sentences(p.text)} - set(passages)
    assert runs["run_late"] == len(passages) and sorted(read[: len(passages)]) == sorted(passages)
    assert not sentence_texts & set(read)  # the plain runs were the calibration questions, no sentence
    assert len(index.sentences.rows) > len(passages)
    # The passages' own vectors are those of a separate build: only the sentence vectors differ.
    separate = load(settings.index_dir)  # kept alive: a matrix is a view into its index
    np.testing.assert_array_equal(index.vectors.matrix(), separate.vectors.matrix())

    monkeypatch.undo()
    answer = open_searcher(late).ask("when was the deadline?", 3)
    assert any("deadline" in hit.passage.text for hit in answer.hits)
    for hit in answer.hits:
        assert hit.highlight is not None
        start, end = hit.highlight
        assert (start, end) in sentences(hit.passage.text)
