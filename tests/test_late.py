"""Late chunking: sentence spans mapped to the tokens of their passage's run, pooled, and cached."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from fakes import CountingEmbedder
from qa.config import Settings
from qa.embed.cache import EmbeddingCache
from qa.embed.late import pool, token_spans
from qa.text import sentences


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer.from_file(str(Path(Settings().model_path()) / "tokenizer.json"))


def test_spans_cover_the_tokens_of_their_characters() -> None:
    # [CLS] "The" "cat" "." "It" "sat" "." [SEP], special tokens with empty offsets.
    offsets = [(0, 0), (0, 3), (4, 7), (7, 8), (9, 11), (12, 15), (15, 16), (0, 0)]
    assert token_spans(offsets, [(0, 8), (9, 16)]) == [(1, 4), (4, 7)]


def test_a_span_past_the_truncated_tokens_is_empty() -> None:
    offsets = [(0, 0), (0, 3), (4, 7), (0, 0)]
    assert token_spans(offsets, [(0, 7), (8, 20)]) == [(1, 3), (0, 0)]


def test_sentences_after_the_header_map_to_their_own_words(tokenizer: Tokenizer) -> None:
    header, text = "Floods in Lagos. By Ada Obi.", "Rain fell for days. The river rose two metres overnight."
    read = f"{header} {text}"
    encoding = tokenizer.encode(read)
    shift = len(header) + 1
    found = token_spans(encoding.offsets, [(s + shift, e + shift) for s, e in sentences(text)])
    words = [tokenizer.decode(encoding.ids[first:last]) for first, last in found]
    assert words == ["rain fell for days.", "the river rose two metres overnight."]


def test_pool_is_the_unit_mean_of_the_span_and_the_fallback_when_empty() -> None:
    states = np.array([[9.0, 9.0], [3.0, 0.0], [1.0, 0.0], [0.0, 4.0]], dtype=np.float32)
    fallback = np.array([0.6, 0.8], dtype=np.float32)
    pooled = pool(states, [(1, 3), (3, 4), (0, 0)], fallback)
    np.testing.assert_allclose(pooled, [[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])


def test_a_rebuild_reuses_late_vectors_and_reruns_only_changed_passages(tmp_path: Path) -> None:
    model = CountingEmbedder()
    cache = EmbeddingCache.open(tmp_path, "m1")
    texts, spans = ["One. Two.", "Three."], [[(0, 4), (5, 9)], [(0, 6)]]
    vectors, pooled = cache.embed_late(texts, spans, model)
    cache.save()
    assert model.seen == texts and pooled.shape == (3, model.dimension)
    np.testing.assert_array_equal(vectors, CountingEmbedder().embed(texts))

    model.seen.clear()
    again = EmbeddingCache.open(tmp_path, "m1")
    vectors2, pooled2 = again.embed_late(
        ["Three.", "One. Two.", "Four."], [[(0, 6)], spans[0], [(0, 5)]], model
    )
    assert model.seen == ["Four."]  # the cached passages did not run again
    assert (again.hits, again.misses) == (2, 1)
    np.testing.assert_array_equal(vectors2[:2], vectors[[1, 0]])
    np.testing.assert_array_equal(pooled2[:3], pooled[[2, 0, 1]])


def test_a_cached_passage_vector_alone_does_not_stand_for_its_sentences(tmp_path: Path) -> None:
    """A passage embedded on its own (today's path) has no pooled sentences: it runs again to get them."""
    model = CountingEmbedder()
    cache = EmbeddingCache.open(tmp_path, "m1")
    cache.embed(["One. Two."], model)
    _, pooled = cache.embed_late(["One. Two."], [[(0, 4), (5, 9)]], model)
    assert model.seen == ["One. Two.", "One. Two."] and pooled.shape == (2, model.dimension)
