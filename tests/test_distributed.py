"""A Ray build (a real local Ray cluster, 2 CPUs) gives the same passages, dedup decisions and answers as a plain one."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

# Ray is an optional extra: skipped without it, except in CI (CI=true), where a green run must mean these ran.
if os.environ.get("CI") == "true":
    import ray
else:
    ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install -e '.[ray]'")

from qa.bench import synthetic
from qa.build.distributed import SMALL, RayCluster
from qa.build.pipeline import build
from qa.config import Settings
from qa.embed.runtime import OnnxEmbedder
from qa.index.store import load
from qa.serve import open_searcher
from qa.text import sentences

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield RayCluster()
    ray.shutdown()


def _with_model(settings: Settings, index_dir: Path, **changes: object) -> Settings:
    """Settings for a fresh index folder that reuses the model already exported for `settings`."""
    shutil.copytree(settings.index_dir / "models", index_dir / "models")
    return settings.model_copy(update={"index_dir": index_dir, **changes})


def _questions() -> list[str]:
    lines = (ROOT / "eval" / "gold.jsonl").read_text().splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def _assert_same(plain: Settings, distributed: Settings, questions: list[str]) -> None:
    a, b = load(plain.index_dir), load(distributed.index_dir)
    assert a.passages == b.passages  # ids, text, citations and also_in: the dedup decisions
    assert np.array_equal(a.sentences.rows, b.sentences.rows)
    assert np.allclose(a.vectors.matrix(), b.vectors.matrix(), atol=1e-5)
    assert np.allclose(a.sentences.vectors.matrix(), b.sentences.vectors.matrix(), atol=1e-5)
    first, second = open_searcher(plain), open_searcher(distributed)
    for question in questions:
        ours, theirs = first.ask(question, 5), second.ask(question, 5)
        assert [h.passage.passage_id for h in ours.hits] == [h.passage.passage_id for h in theirs.hits], (
            question
        )
        assert ours.no_answer == theirs.no_answer


def test_seed_corpus_ray_build_equals_plain_build(settings, cluster, tmp_path: Path) -> None:
    distributed = _with_model(settings, tmp_path / "index")
    build(distributed, progress=False, cluster=cluster)
    _assert_same(settings, distributed, _questions())


def test_generated_corpus_ray_build_equals_plain_build(settings, cluster, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    pool = synthetic.source_sentences(ROOT / "corpus", None)
    synthetic.write_corpus(corpus, pool, paragraphs=600, per_document=30)
    # Republished stories: some documents again under another name, one with a paragraph cut short.
    for number, path in enumerate(sorted(corpus.glob("*.md"))[:4]):
        text = path.read_text()
        (corpus / f"copy{number}.md").write_text(text if number % 2 else text[: len(text) * 2 // 3])
    plain = _with_model(settings, tmp_path / "plain", corpus_dir=corpus)
    distributed = _with_model(settings, tmp_path / "ray", corpus_dir=corpus)
    build(plain, progress=False)
    build(distributed, progress=False, cluster=cluster)
    assert any(p.also_in for p in load(plain.index_dir).passages)  # duplicates were there to fold
    questions = [synthetic.vary(s, random.Random(i)) for i, s in enumerate(pool[:20])]
    _assert_same(plain, distributed, questions)


def test_actor_pool_embeds_as_the_local_model(settings, cluster) -> None:
    index = load(settings.index_dir)
    local = OnnxEmbedder(index.model_dir)
    texts = [p.text for p in index.passages] * 4
    assert len(texts) >= SMALL  # large enough to go to the actors, not embedded on the driver
    np.testing.assert_allclose(
        cluster.embedder(local, index.model_dir).embed(texts), local.embed(texts), atol=1e-6
    )


def test_actor_pool_pools_sentences_as_the_local_model(settings, cluster) -> None:
    index = load(settings.index_dir)
    local = OnnxEmbedder(index.model_dir)
    passages = index.passages * 4
    texts = [p.text for p in passages]
    spans = [sentences(p.text) for p in passages]
    assert len(texts) >= SMALL
    vectors, pooled = cluster.embedder(local, index.model_dir).embed_late(texts, spans)
    here, pooled_here = local.embed_late(texts, spans)
    assert len(pooled) == sum(len(found) for found in spans)
    np.testing.assert_allclose(vectors, here, atol=1e-6)
    np.testing.assert_allclose(pooled, pooled_here, atol=1e-6)
