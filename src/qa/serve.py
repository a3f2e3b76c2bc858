"""Opening the current index for answering, checked against the settings: as `qa serve`, `qa ask` and `qa eval` do."""

from __future__ import annotations

import os

from qa.config import Settings
from qa.embed.runtime import OnnxEmbedder
from qa.index.store import IndexProblem, LoadedIndex, load
from qa.params import search_params
from qa.search.searcher import Searcher
from qa.search.serving import ServingSearcher, sample_questions


def open_index(settings: Settings) -> tuple[LoadedIndex, OnnxEmbedder]:
    """The current index and its exported model; refuses an index built with another model."""
    index = load(settings.index_dir)
    if index.manifest.model != settings.model:
        raise IndexProblem(
            f"the index was built with model {index.manifest.model}, the configured model is {settings.model}: "
            "run `qa build`"
        )
    try:
        embedder = OnnxEmbedder(
            index.model_dir,
            threads=settings.threads,
            batch_size=settings.embed_batch_size,
            solo_threads=settings.solo_threads,
        )
    except Exception as error:  # ONNX Runtime and tokenizers raise their own kinds for a damaged file
        raise IndexProblem(
            f"the exported model in {index.model_dir} cannot be loaded ({error}): run `qa build`"
        ) from error
    return index, embedder


def open_searcher(settings: Settings) -> ServingSearcher:
    """The serving searcher over the current index, as `qa serve` and `qa ask` use it."""
    index, embedder = open_index(settings)
    embedder.keep_solo_if_faster(sample_questions(index))
    searcher = Searcher(index, embedder, search_params(settings))
    return ServingSearcher(searcher, answers=settings.query_cache, parallel=os.cpu_count() or 1)
