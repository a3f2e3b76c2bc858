"""The build's embedding cache and the serving answer cache, with a deterministic fake model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fakes import CountingEmbedder
from qa.embed.cache import CACHE_DIR, CachedEmbedder, EmbeddingCache
from qa.embed.token_counts import TokenCounts
from qa.search.cache import AnswerCache, question_key
from qa.types import Answer


def test_second_build_embeds_only_new_text(tmp_path: Path) -> None:
    model = CountingEmbedder()
    first = EmbeddingCache.open(tmp_path, "m1")
    a = CachedEmbedder(model, first).embed(["alpha", "beta", "alpha"])
    first.save()
    assert model.seen == ["alpha", "beta"]  # a text repeated within a build is embedded once

    model.seen.clear()
    second = EmbeddingCache.open(tmp_path, "m1")
    b = CachedEmbedder(model, second).embed(["beta", "gamma", "alpha"])
    assert model.seen == ["gamma"]
    assert (second.hits, second.misses) == (2, 1)
    np.testing.assert_array_equal(b[[0, 2]], a[[1, 0]])
    np.testing.assert_array_equal(b, CountingEmbedder().embed(["beta", "gamma", "alpha"]))


def test_cache_keeps_what_the_last_build_used(tmp_path: Path) -> None:
    model = CountingEmbedder()
    cache = EmbeddingCache.open(tmp_path, "m1")
    cache.embed(["old", "kept"], model)
    cache.save()
    cache = EmbeddingCache.open(tmp_path, "m1")
    cache.embed(["kept", "new"], model)
    cache.save()
    assert len(EmbeddingCache.open(tmp_path, "m1")) == 2
    assert EmbeddingCache.open(tmp_path, "m1").get(b"x" * 16) is None


def test_another_model_does_not_share_vectors(tmp_path: Path) -> None:
    model = CountingEmbedder()
    cache = EmbeddingCache.open(tmp_path, "m1")
    cache.embed(["alpha"], model)
    cache.save()
    other = EmbeddingCache.open(tmp_path, "m2")
    other.embed(["alpha"], model)
    assert other.misses == 1


def test_damaged_cache_is_ignored_and_replaced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / CACHE_DIR / "embeddings-m1.npz"
    path.parent.mkdir()
    path.write_bytes(b"not a numpy archive")
    cache = EmbeddingCache.open(tmp_path, "m1")
    assert len(cache) == 0 and "ignoring" in caplog.text
    cache.embed(["alpha"], CountingEmbedder())
    cache.save()
    assert len(EmbeddingCache.open(tmp_path, "m1")) == 1
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_cache_is_ignored_not_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, keep: float
) -> None:
    cache = EmbeddingCache.open(tmp_path, "m1")
    cache.embed([f"text {i}" for i in range(50)], CountingEmbedder())
    cache.save()
    path = tmp_path / CACHE_DIR / "embeddings-m1.npz"
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])  # a zip cut short: numpy raises BadZipFile or EOFError
    assert len(EmbeddingCache.open(tmp_path, "m1")) == 0 and "ignoring the unreadable cache" in caplog.text


def test_token_counts_are_remembered_by_text(tmp_path: Path) -> None:
    model = CountingEmbedder()
    counts = TokenCounts.open(tmp_path, "m1")
    embedder = CachedEmbedder(model, EmbeddingCache.open(tmp_path, "m1"), counts)
    assert embedder.count_tokens_many(["one two", "three"]) == [4, 3]
    counts.save()

    model.counted.clear()
    counts = TokenCounts.open(tmp_path, "m1")
    embedder = CachedEmbedder(model, EmbeddingCache.open(tmp_path, "m1"), counts)
    assert embedder.count_tokens_many(["three", "four five six"]) == [3, 5]
    assert embedder.count_tokens("one two") == 4
    assert model.counted == ["four five six"]  # only the text the last build did not count
    assert TokenCounts.open(tmp_path, "m2").count_many(["three"], lambda texts: [0]) == [0]  # another model's


def test_unchanged_token_counts_are_not_rewritten_and_damaged_ones_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    counts = TokenCounts.open(tmp_path, "m1")
    counts.count_many(["alpha beta"], lambda texts: [4])
    counts.save()
    written = counts.path.stat().st_mtime_ns
    again = TokenCounts.open(tmp_path, "m1")
    assert again.count_many(["alpha beta"], lambda texts: pytest.fail("counted again")) == [4]
    again.save()
    assert counts.path.stat().st_mtime_ns == written

    counts.path.write_bytes(b"garbled")
    damaged = TokenCounts.open(tmp_path, "m1")
    assert damaged.count_many(["alpha beta"], lambda texts: [4]) == [4] and damaged.new == 1
    assert "ignoring" in caplog.text


def test_answer_cache_is_lru_and_keyed_by_spacing_and_k() -> None:
    cache = AnswerCache(2)
    first, second = Answer("a?"), Answer("b?")
    cache.put(question_key("a?", 5), first)
    cache.put(question_key("b?", 5), second)
    assert cache.get(question_key("  a? ", 5)) is first
    assert cache.get(question_key("a?", 3)) is None
    cache.put(question_key("c?", 5), Answer("c?"))  # evicts b, the least recently used
    assert cache.get(question_key("b?", 5)) is None
    assert cache.get(question_key("a?", 5)) is first


def test_answer_cache_of_size_zero_keeps_nothing() -> None:
    cache = AnswerCache(0)
    cache.put(question_key("a?", 5), Answer("a?"))
    assert cache.get(question_key("a?", 5)) is None


@pytest.mark.slow
def test_serving_searcher_answers_a_repeated_question_from_memory(searcher) -> None:  # type: ignore[no-untyped-def]
    first = searcher.ask("When was the deadline to leave Camp Ashraf?", 3)
    hits = searcher.answers.hits
    again = searcher.ask("  When was the deadline to leave   Camp Ashraf? ", 3)
    assert searcher.answers.hits == hits + 1
    assert [h.passage.passage_id for h in again.hits] == [h.passage.passage_id for h in first.hits]
    assert again.question == "  When was the deadline to leave   Camp Ashraf? "
    assert searcher.ask_batch(["When was the deadline to leave Camp Ashraf?"], 3)[0].hits == first.hits
