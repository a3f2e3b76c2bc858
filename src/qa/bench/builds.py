"""The build rows of `qa bench`: timed builds, dedup alone, and an archive built plainly and on Ray."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from qa.bench import synthetic
from qa.config import Settings

if TYPE_CHECKING:
    # Ray stays an optional extra: only the archive's second build imports it.
    from qa.build.distributed import RayCluster

# Share of an archive's paragraphs that republish an earlier one (copies, teasers, light edits).
ARCHIVE_DUPLICATES = 0.05


@dataclass(frozen=True)
class BuildTiming:
    passages: int
    seconds: float
    embedded: int
    # Measured apart, in passes of their own (None: not measured): reading, cleaning and metadata up to the
    # passages, and embedding those passages' texts alone with plain sentence-transformers, as a naive
    # build that did nothing else would.
    ingest_seconds: float | None = None
    embed_seconds: float | None = None

    @property
    def per_second(self) -> float:
        return self.passages / self.seconds if self.seconds else 0.0

    @property
    def ingest_share(self) -> float | None:
        """Reading, cleaning and metadata as a share of the whole build."""
        return (
            self.ingest_seconds / self.seconds if self.ingest_seconds is not None and self.seconds else None
        )

    @property
    def embed_ratio(self) -> float | None:
        """The build's time as a multiple of the time embedding its passages alone takes."""
        return self.seconds / self.embed_seconds if self.embed_seconds else None


@dataclass(frozen=True)
class DedupTiming:
    texts: int
    seconds: float  # wall clock
    cpu_seconds: float  # this process, all threads
    folded: int  # texts that joined another's group


@dataclass(frozen=True)
class Archive:
    """An archive-sized generated corpus: its dedup alone, a plain build, and a Ray build of the same corpus."""

    paragraphs: int
    dedup: DedupTiming
    plain: BuildTiming
    ray: BuildTiming | None = None
    ray_cpus: int = 0
    same_index: bool | None = None  # passages, citations, dedup decisions and vectors equal
    ray_missing: str = ""  # why there is no Ray row


def timed_build(
    settings: Settings, cluster: RayCluster | None = None, *, stages: bool = False
) -> BuildTiming:
    """A build's time; with `stages`, also its ingest alone and the embedding of its passages alone, each
    measured in a pass of its own before the build (which stays a fresh one: those passes write nothing)."""
    from qa.build.pipeline import build

    ingest, embed = stage_seconds(settings) if stages else (None, None)
    report = build(settings, progress=False, cluster=cluster)
    return BuildTiming(report.passages, report.seconds, report.embedded, ingest, embed)


def stage_seconds(settings: Settings) -> tuple[float, float]:
    """Seconds to read, clean and cut the corpus into passages (no embedding), then to embed the passages'
    texts alone as a naive build would: plain sentence-transformers, nothing cached."""
    from sentence_transformers import SentenceTransformer

    from qa.build.model import ensure_model
    from qa.build.parallel import PagePool, build_workers
    from qa.build.passages import embedding_text
    from qa.build.pipeline import passages_of
    from qa.embed.runtime import OnnxEmbedder
    from qa.ingest.corpus import load_corpus

    model_dir, _ = ensure_model(settings)
    workers = build_workers(settings.build_workers)
    tokens = OnnxEmbedder(model_dir, threads=1, batch_size=settings.embed_batch_size, workers=workers)
    started = time.perf_counter()
    documents = load_corpus(settings.corpus_dir, workers=workers).documents
    with PagePool(workers, total_chars=sum(len(d.text) for d in documents), progress=False) as pool:
        _, passages = passages_of(settings, documents, tokens, map_pages=pool)
    ingest = time.perf_counter() - started
    texts = [embedding_text(p) for p in passages]
    model = SentenceTransformer(settings.model_path(), device="cpu")
    started = time.perf_counter()
    model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    return ingest, time.perf_counter() - started


def timed_dedup(settings: Settings) -> DedupTiming:
    """Duplicate groups of the corpus's cleaned paragraphs: the first dedup pass of a build, alone."""
    from qa.build.parallel import PagePool, build_workers
    from qa.dedup.groups import duplicate_groups
    from qa.ingest.articles import paragraphs
    from qa.ingest.corpus import read_corpus
    from qa.params import dedup_thresholds

    documents = read_corpus(settings.corpus_dir)
    total = sum(len(d.text) for d in documents)
    with PagePool(build_workers(settings.build_workers), total_chars=total, progress=False) as pool:
        texts = [
            p.text
            for p in paragraphs(
                documents,
                boilerplate_max_words=settings.boilerplate_max_words,
                boilerplate_min_docs=settings.boilerplate_min_docs,
                map_pages=pool,
            )
        ]
    started, cpu = time.perf_counter(), time.process_time()
    groups = duplicate_groups(texts, dedup_thresholds(settings))
    return DedupTiming(
        len(texts), time.perf_counter() - started, time.process_time() - cpu, len(texts) - len(groups)
    )


def same_index(a: Path, b: Path) -> bool:
    """Two builds hold the same passages (ids, texts, citations, also_in), sentences and vectors."""
    from qa.index.store import load

    first, second = load(a), load(b)
    return (
        first.passages == second.passages
        and np.array_equal(first.sentences.rows, second.sentences.rows)
        and np.allclose(first.vectors.matrix(), second.vectors.matrix(), atol=1e-5)
        and np.allclose(first.sentences.vectors.matrix(), second.sentences.vectors.matrix(), atol=1e-5)
    )


def archive(
    base: Settings, root: Path, *, paragraphs: int, pool: list[str], models: Path, say: Callable[[str], None]
) -> Archive:
    """Write an archive of `paragraphs` paragraphs, time its dedup, build it plainly, then on a local Ray cluster.

    `models`: an index's exported models, copied so that neither build pays for the export.
    """
    corpus = root / "archive"
    synthetic.write_corpus(corpus, pool, paragraphs=paragraphs, duplicates=ARCHIVE_DUPLICATES)
    plain = base.model_copy(update={"corpus_dir": corpus, "index_dir": root / "archive-plain"})
    distributed = base.model_copy(update={"corpus_dir": corpus, "index_dir": root / "archive-ray"})
    for settings in (plain, distributed):
        shutil.copytree(models, settings.index_dir / "models")
    say(f"deduplicating the {paragraphs:,} paragraphs of a generated archive")
    dedup = timed_dedup(plain)
    say(f"building the archive of {paragraphs:,} paragraphs (the slowest part)")
    plain_timing = timed_build(plain)
    try:
        from qa.build.distributed import RayCluster
    except ImportError as error:
        return Archive(paragraphs, dedup, plain_timing, ray_missing=f"Ray is not installed ({error})")
    import ray

    cpus = os.cpu_count() or 1
    say(f"building the archive again on a local Ray cluster of {cpus} CPUs")
    cluster = RayCluster(num_cpus=cpus)
    try:
        ray_timing = timed_build(distributed, cluster)
    finally:
        ray.shutdown()
    return Archive(
        paragraphs,
        dedup,
        plain_timing,
        ray_timing,
        cpus,
        same_index(plain.index_dir, distributed.index_dir),
    )
