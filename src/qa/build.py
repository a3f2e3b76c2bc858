"""`qa build`: corpus -> passages -> embeddings -> a new index build, swapped in atomically."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

from qa import __version__
from qa.calibrate import abstention_threshold, offtopic_questions, probe_questions
from qa.config import Settings
from qa.dedup import Thresholds
from qa.dedupcache import DedupCache
from qa.embed import EXPORT, QUANTISATION, Embedder, OnnxEmbedder, export_onnx, model_fingerprint
from qa.embedcache import CACHE_DIR, CachedEmbedder, EmbeddingCache
from qa.highlight import sentences
from qa.index import IndexParams, VectorIndex, choose
from qa.ingest import paragraphs, read_corpus
from qa.lexical import LexicalIndex, PhraseIndex
from qa.passages import build_passages, embedding_text
from qa.search import dense_scores
from qa.store import (
    FORMAT_VERSION,
    IndexProblem,
    Manifest,
    Sentences,
    build_lock,
    corpus_fingerprint,
    model_folder,
    read_manifest,
    write_build,
)
from qa.types import Passage

if TYPE_CHECKING:
    # Ray stays an optional extra: only `qa build --ray` imports it.
    from qa.distributed import RayCluster

log = logging.getLogger(__name__)


class BuildError(Exception):
    """The build cannot proceed; the previous index is untouched."""


@dataclass(frozen=True)
class BuildReport:
    folder: Path
    documents: int
    paragraphs: int
    passages: int
    seconds: float
    embedded: int = 0  # texts the model ran on; the rest came from the embedding cache


def settings_fingerprint(settings: Settings) -> str:
    """Everything besides corpus and model that changes what a build produces."""
    relevant = {
        "version": __version__,
        "format": FORMAT_VERSION,
        **settings.model_dump(
            include={
                "min_passage_words",
                "target_passage_tokens",
                "sentence_weight",
                "max_passage_tokens",
                "boilerplate_max_words",
                "boilerplate_min_docs",
                "dedup_jaccard",
                "dedup_containment",
                "dedup_shingle",
                "dedup_num_perm",
                *INDEX_SETTINGS,
            }
        ),
    }
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]


EMBED_SLICE_ON_CLUSTER = 16384

INDEX_SETTINGS = (
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


def index_params(settings: Settings, count: int) -> IndexParams:
    """The vector index for `count` vectors: exact while small, the configured approximate kind past that."""
    params = IndexParams(
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


def model_id(settings: Settings) -> str:
    """The exported model's identity: the weights' fingerprint and how they were exported."""
    weights = QUANTISATION if settings.int8 else "fp32"
    return f"{model_fingerprint(settings.model_path())}-{EXPORT}-{weights}"


def ensure_model(settings: Settings) -> tuple[Path, str]:
    """The exported model for the configured one, exporting it on first use."""
    path = settings.model_path()
    fingerprint = model_id(settings)
    folder = model_folder(settings.index_dir, fingerprint)
    if not (folder / "embedder.json").is_file():
        staging = folder.with_name(folder.name + ".tmp")
        try:
            export_onnx(path, staging, model_name=settings.model, int8=settings.int8, progress=log.info)
        except (OSError, ValueError) as error:
            raise BuildError(f"cannot load model {settings.model!r}: {error}") from error
        staging.rename(folder)
    return folder, fingerprint


def embed_texts(embedder: Embedder, texts: list[str], what: str, *, step: int, progress: bool) -> np.ndarray:
    """Embed texts a slice at a time, with a progress bar on long builds."""
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    with tqdm(total=len(texts), desc=f"embedding {what}", unit=what[:-1], disable=not progress) as bar:
        for first in range(0, len(texts), step):
            vectors[first : first + step] = embedder.embed(texts[first : first + step])
            bar.update(min(step, len(texts) - first))
    return vectors


def sentence_spans(passages: list[Passage]) -> np.ndarray:
    """(passage position, start, end) of every sentence, passages in order: the rows of the sentence index."""
    rows = [(position, start, end) for position, p in enumerate(passages) for start, end in sentences(p.text)]
    return np.array(rows, dtype=np.int32).reshape(-1, 3)


def build(settings: Settings, *, progress: bool = True, cluster: RayCluster | None = None) -> BuildReport:
    """Build a new index from the corpus; on any failure the previous index stays current.

    With a `cluster` (qa.distributed), cleaning, dedup signatures and embedding run on Ray; the result is
    the same build.
    """
    started = time.perf_counter()
    corpus = settings.corpus_dir
    if not corpus.is_dir():
        raise BuildError(f"corpus folder {corpus} does not exist")
    with build_lock(settings.index_dir):
        documents = read_corpus(corpus)
        if not documents:
            raise BuildError(f"no readable .txt, .md or .html documents in {corpus}: nothing to index")
        fingerprint = corpus_fingerprint(corpus)
        model_dir, model_fp = ensure_model(settings)
        # Vectors of unchanged text come from the cache: a rebuild after a small edit embeds only the edit.
        cache = EmbeddingCache.open(settings.index_dir, model_dir.name)
        local = OnnxEmbedder(
            model_dir, threads=1, batch_size=settings.embed_batch_size, workers=os.cpu_count() or 1
        )
        embedder = CachedEmbedder(cluster.embedder(local, model_dir) if cluster else local, cache)

        thresholds = Thresholds(
            settings.dedup_jaccard,
            settings.dedup_containment,
            settings.dedup_shingle,
            settings.dedup_num_perm,
        )
        # Near-duplicate pairs among unchanged texts come from the previous build too; a cluster, made
        # for corpora past one machine, finds all pairs again instead.
        memory = (
            {}
            if cluster
            else {
                stage: DedupCache.open(settings.index_dir / CACHE_DIR, stage, thresholds)
                for stage in ("paragraphs", "passages")
            }
        )
        found = (cluster.paragraphs if cluster else paragraphs)(
            documents,
            boilerplate_max_words=settings.boilerplate_max_words,
            boilerplate_min_docs=settings.boilerplate_min_docs,
        )
        passages = build_passages(
            found,
            count_tokens=embedder.count_tokens,
            max_tokens=min(settings.max_passage_tokens, embedder.max_tokens),
            min_words=settings.min_passage_words,
            target_tokens=min(settings.target_passage_tokens, embedder.max_tokens),
            documents={d.source: d.text for d in documents},
            thresholds=thresholds,
            candidates=cluster.candidates if cluster else None,
            memory=memory,
        )
        if not passages:
            raise BuildError(f"the documents in {corpus} hold no indexable text after cleaning")
        log.info(
            "%d documents, %d paragraphs, %d passages after deduplication",
            len(documents),
            len(found),
            len(passages),
        )
        for stage, remembered in memory.items():
            log.info("dedup of %s: %d texts compared in an earlier build", stage, remembered.reused)

        texts = [embedding_text(p) for p in passages]
        # Slices for the progress bar; a cluster gets slices big enough to keep all its actors busy.
        step = settings.embed_batch_size * 4 if cluster is None else EMBED_SLICE_ON_CLUSTER
        vectors = embed_texts(embedder, texts, "passages", step=step, progress=progress)
        sentence_map = sentence_spans(passages)
        sentence_texts = [passages[p].text[start:end] for p, start, end in sentence_map]
        sentence_vectors = embed_texts(embedder, sentence_texts, "sentences", step=step, progress=progress)

        offtopic = embedder.embed(offtopic_questions())
        probes = embedder.embed(probe_questions([p.text for p in passages]))
        cache.save()
        for stage in memory.values():
            stage.save()
        log.info("embedded %d texts, %d from the cache", cache.misses, cache.hits)

        def best(questions: np.ndarray) -> np.ndarray:
            scores = dense_scores(
                questions, vectors, sentence_vectors, sentence_map, settings.sentence_weight
            )
            return scores.max(axis=1) if scores.size else np.zeros(0)

        threshold = abstention_threshold(best(offtopic), best(probes))
        passage_index = index_params(settings, len(vectors))
        sentence_index = index_params(settings, len(sentence_vectors))
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            model=settings.model,
            model_fingerprint=model_fp,
            model_dir=model_dir.relative_to(settings.index_dir).as_posix(),
            dimension=embedder.dimension,
            passage_count=len(passages),
            corpus_fingerprint=fingerprint,
            settings_fingerprint=settings_fingerprint(settings),
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            build_seconds=round(time.perf_counter() - started, 3),
            abstain_threshold=round(threshold, 6),
            index_kind=passage_index.kind,
            index_params={"passages": passage_index.as_dict(), "sentences": sentence_index.as_dict()},
        )
        folder = write_build(
            settings.index_dir,
            manifest,
            passages,
            vectors,
            LexicalIndex.build(texts),
            Sentences(VectorIndex.build(sentence_vectors, sentence_index), sentence_map),
            PhraseIndex.build(sentence_texts, sentence_map[:, 0], len(passages)),
            passage_index,
        )
    return BuildReport(
        folder,
        len(documents),
        len(found),
        len(passages),
        round(time.perf_counter() - started, 3),
        embedded=cache.misses,
    )
