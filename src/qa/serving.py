"""Opening a Searcher for serving: the current index and its exported model, checked against the settings."""

from __future__ import annotations

from qa.config import Settings
from qa.embed import OnnxEmbedder
from qa.search import Searcher, SearchParams
from qa.store import IndexProblem, load


def search_params(settings: Settings) -> SearchParams:
    return SearchParams(
        candidates=settings.candidates,
        dense_weight=settings.dense_weight,
        sentence_weight=settings.sentence_weight,
        answer_type_weight=settings.answer_type_weight,
        highlight_overlap_weight=settings.highlight_overlap_weight,
        abstain_threshold=settings.abstain_threshold,
        result_jaccard=settings.result_jaccard,
    )


def open_searcher(settings: Settings) -> Searcher:
    """The Searcher over the current index; refuses an index built with another model."""
    index = load(settings.index_dir)
    if index.manifest.model != settings.model:
        raise IndexProblem(
            f"the index was built with model {index.manifest.model}, the configured model is {settings.model}: "
            "run `qa build`"
        )
    embedder = OnnxEmbedder(index.model_dir, threads=settings.threads, batch_size=settings.embed_batch_size)
    if settings.query_cache:
        from qa.querycache import CachingSearcher

        return CachingSearcher(index, embedder, search_params(settings), answers=settings.query_cache)
    return Searcher(index, embedder, search_params(settings))
