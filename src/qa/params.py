"""Settings -> the parameter objects of each stage: the one place where settings become arguments."""

from __future__ import annotations

from qa.config import Settings
from qa.dedup.similarity import Thresholds
from qa.index.vectors import IndexParams, choose
from qa.search.scoring import SearchParams


def search_params(settings: Settings) -> SearchParams:
    return SearchParams(
        candidates=settings.candidates,
        dense_weight=settings.dense_weight,
        sentence_weight=settings.sentence_weight,
        answer_type_weight=settings.answer_type_weight,
        phrase_weight=settings.phrase_weight,
        highlight_overlap_weight=settings.highlight_overlap_weight,
        fusion=settings.fusion,
        abstain_threshold=settings.abstain_threshold,
        result_jaccard=settings.result_jaccard,
        result_containment=settings.result_containment,
    )


def dedup_thresholds(settings: Settings) -> Thresholds:
    return Thresholds(settings.dedup_jaccard, settings.dedup_containment, settings.dedup_shingle)


def index_params(settings: Settings, count: int) -> IndexParams:
    """The vector index for `count` vectors: exact while small, the configured approximate kind past that."""
    params = IndexParams(
        kind=settings.index_kind,
        nlist=settings.index_nlist,
        nprobe=settings.index_nprobe,
        pq_bytes=settings.index_pq_bytes,
        opq=settings.index_opq,
        hnsw_m=settings.index_hnsw_m,
        ef_construction=settings.index_ef_construction,
        ef_search=settings.index_ef_search,
        refine=settings.index_refine,
    )
    return choose(
        count,
        params,
        kind=settings.index_kind,
        flat_max=settings.index_flat_max,
        approximate=settings.index_approximate,
    )
