"""Whether the index must be rebuilt before serving: fingerprints of corpus, model and build settings."""

from __future__ import annotations

import hashlib
import json

from qa import __version__
from qa.build.model import model_id
from qa.config import Settings
from qa.index.store import FORMAT_VERSION, IndexProblem, read_manifest
from qa.ingest.documents import corpus_fingerprint

# The settings that change what a build writes (the rest change only how it is searched or served).
BUILD_SETTINGS = (
    "min_passage_words",
    "target_passage_tokens",
    "sentence_weight",  # calibration measures abstention with it
    "max_passage_tokens",
    "sentence_vectors",
    "boilerplate_max_words",
    "boilerplate_min_docs",
    "max_document_mb",
    "max_document_pages",
    "ocr",
    "ocr_language",
    "dedup_jaccard",
    "dedup_containment",
    "dedup_shingle",
    "index_kind",
    "index_flat_max",
    "index_approximate",
    "index_nlist",
    "index_nprobe",
    "index_pq_bytes",
    "index_opq",
    "index_hnsw_m",
    "index_ef_construction",
    "index_ef_search",
    "index_refine",
)


def settings_fingerprint(settings: Settings) -> str:
    """Everything besides corpus and model that changes what a build produces."""
    relevant = {
        "version": __version__,
        "format": FORMAT_VERSION,
        **settings.model_dump(include=set(BUILD_SETTINGS)),
    }
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]


def stale_reason(settings: Settings) -> str | None:
    """Why the index must be rebuilt before serving, or None when it is current."""
    try:
        manifest = read_manifest(settings.index_dir)
    except IndexProblem as problem:
        return str(problem)
    if manifest.corpus_fingerprint != corpus_fingerprint(settings.corpus_dir):
        return "the corpus changed since the index was built"
    if manifest.model_fingerprint != model_id(settings):
        return f"the index was built with model {manifest.model}, the configured model is {settings.model}"
    if manifest.settings_fingerprint != settings_fingerprint(settings):
        return "ingest settings changed since the index was built"
    return None
