"""`qa build`: corpus -> paragraphs -> passages -> embeddings -> a new index build, swapped in atomically."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np
from tqdm import tqdm

from qa import cachefile
from qa.build import BuildError
from qa.build.calibrate import abstention_threshold
from qa.build.cleaned import PageMemory
from qa.build.faults import machine_faults, need_space
from qa.build.freshness import settings_fingerprint
from qa.build.model import ensure_model
from qa.build.parallel import PagePool, build_workers
from qa.build.passages import STAGES, build_passages, embedding_text
from qa.build.progress import stage_progress
from qa.config import Settings
from qa.dedup.groups import PairFinder
from qa.dedup.memory import DedupCache
from qa.embed.cache import CACHE_DIR, CachedEmbedder, EmbeddingCache
from qa.embed.runtime import Embedder, LateEmbedder, OnnxEmbedder
from qa.embed.token_counts import TokenCounts
from qa.index.lexical import LexicalIndex, PhraseIndex
from qa.index.store import (
    FORMAT_VERSION,
    Manifest,
    Sentences,
    build_bytes,
    build_lock,
    remove_staging,
    write_build,
)
from qa.index.vectors import VectorIndex
from qa.ingest.articles import MapPages, Paragraph, no_article_reason, paragraphs, serial
from qa.ingest.citations import paged
from qa.ingest.corpus import Skipped, load_corpus
from qa.ingest.documents import Document
from qa.ingest.readers import Limits
from qa.ingest.readers.store import in_cache
from qa.params import dedup_thresholds, index_params
from qa.text import sentences
from qa.types import Passage

if TYPE_CHECKING:
    # Ray stays an optional extra: only `qa build --ray` imports it.
    from qa.build.distributed import RayCluster

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    folder: Path
    documents: int
    paragraphs: int
    passages: int
    seconds: float
    embedded: int = 0  # texts the model ran on; the rest came from the embedding cache
    skipped: tuple[Skipped, ...] = ()  # files not indexed (unreadable, or no passage), with the reason
    notes: tuple[Skipped, ...] = ()  # indexed files with something to say (pages left unread)


EMBED_SLICE_ON_CLUSTER = 16384


class Tokens(Protocol):
    """What cutting passages needs of the model: its token count of a text, and its limit."""

    max_tokens: int

    def count_tokens(self, text: str) -> int: ...


@runtime_checkable
class CountsMany(Protocol):
    """A token counter that counts many texts in one call, faster than one at a time."""

    def count_tokens_many(self, texts: Sequence[str]) -> list[int]: ...


def embed_texts(embedder: Embedder, texts: list[str], what: str, *, step: int, progress: bool) -> np.ndarray:
    """Embed texts a slice at a time, with a progress bar on long builds."""
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    with tqdm(total=len(texts), desc=f"embedding {what}", unit=what[:-1], disable=not progress) as bar:
        for first in range(0, len(texts), step):
            vectors[first : first + step] = embedder.embed(texts[first : first + step])
            bar.update(min(step, len(texts) - first))
    return vectors


def embed_late(
    embedder: LateEmbedder,
    texts: list[str],
    passages: list[Passage],
    sentence_map: np.ndarray,
    *,
    step: int,
    progress: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Passage vectors, and sentence vectors pooled from the passages' own runs (rows of `sentence_map`)."""
    # Sentence spans are offsets in the passage's text; the model reads it after its header.
    spans: list[list[tuple[int, int]]] = [[] for _ in passages]
    for position, start, end in sentence_map.tolist():
        shift = len(texts[position]) - len(passages[position].text)
        spans[position].append((start + shift, end + shift))
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    sentences = np.zeros((len(sentence_map), embedder.dimension), dtype=np.float32)
    done = 0
    with tqdm(
        total=len(texts), desc="embedding passages and sentences", unit="passage", disable=not progress
    ) as bar:
        for first in range(0, len(texts), step):
            found, pooled = embedder.embed_late(texts[first : first + step], spans[first : first + step])
            vectors[first : first + step] = found
            sentences[done : done + len(pooled)] = pooled
            done += len(pooled)
            bar.update(len(found))
    return vectors, sentences


def sentence_spans(passages: list[Passage]) -> np.ndarray:
    """(passage position, start, end) of every sentence, passages in order: the rows of the sentence index."""
    rows = [(position, start, end) for position, p in enumerate(passages) for start, end in sentences(p.text)]
    return np.array(rows, dtype=np.int32).reshape(-1, 3)


def passages_of(
    settings: Settings,
    documents: list[Document],
    tokens: Tokens,
    *,
    pairs: Mapping[str, PairFinder] | None = None,
    map_pages: MapPages | None = None,
    memory: PageMemory | None = None,
    progress: bool = False,
) -> tuple[list[Paragraph], list[Passage]]:
    """The documents' cleaned paragraphs, and the passages made of them: what a build indexes.

    `map_pages` runs the cleaning passes over the pages (worker processes, a cluster); by default here.
    `memory` (a rebuild's) reads and cleans only the pages that changed.
    """
    found = paragraphs(
        documents,
        boilerplate_max_words=settings.boilerplate_max_words,
        boilerplate_min_docs=settings.boilerplate_min_docs,
        map_pages=map_pages or serial,
        memory=memory,
    )
    passages = build_passages(
        found,
        count_tokens=tokens.count_tokens,
        max_tokens=min(settings.max_passage_tokens, tokens.max_tokens),
        min_words=settings.min_passage_words,
        target_tokens=min(settings.target_passage_tokens, tokens.max_tokens),
        documents={d.source: d.text for d in documents},
        thresholds=dedup_thresholds(settings),
        pairs=pairs,
        count_many=tokens.count_tokens_many if isinstance(tokens, CountsMany) else None,
        progress=progress,
    )
    pages = {d.source: d.pages for d in documents if d.pages}
    return found, paged(passages, pages) if pages else passages


def without_passages(documents: Sequence[Document], passages: Sequence[Passage]) -> list[Skipped]:
    """The documents no passage cites (as its place or one of its `also_in` places), each with why."""
    cited = {p.citation.source for p in passages} | {c.source for p in passages for c in p.also_in}
    return [Skipped(d.source, no_article_reason(d)) for d in documents if d.source not in cited]


def _why(skipped: Sequence[Skipped], shown: int = 5) -> str:
    """The first files a failed build could not use, each with why: " (a.html: no article: ...; and 3 more)"."""
    if not skipped:
        return ""
    named = "; ".join(f"{s.source}: {s.reason}" for s in skipped[:shown])
    more = f"; and {len(skipped) - shown} more" if len(skipped) > shown else ""
    return f" ({named}{more})"


def build(settings: Settings, *, progress: bool = True, cluster: RayCluster | None = None) -> BuildReport:
    """Build a new index from the corpus; on any failure the previous index stays current.

    With a `cluster` (qa.build.distributed), cleaning and embedding run on Ray; the result is the same build.
    A fault of the machine (a full disk, no memory, no permission, a read-only disk) is a `MachineFault`
    that says so in one sentence; every file the build writes is staged and removed when it fails.
    """
    with machine_faults(settings.index_dir):
        return _build(settings, progress=progress, cluster=cluster)


def _build(settings: Settings, *, progress: bool, cluster: RayCluster | None) -> BuildReport:
    started = time.perf_counter()
    corpus = settings.corpus_dir
    if not corpus.is_dir():
        raise BuildError(f"corpus folder {corpus} does not exist")
    with build_lock(settings.index_dir):
        # What a killed build left: under the lock no other build is writing, so it is all leftovers.
        freed = remove_staging(settings.index_dir) + cachefile.remove_leftovers(
            settings.index_dir / CACHE_DIR
        )
        if freed:
            log.info("removed %d bytes left by an interrupted build", freed)
        # Extracted documents (a PDF read, a scan OCR'd) are remembered by their bytes: a rebuild reads only new ones.
        extractions = in_cache(settings.index_dir / CACHE_DIR)
        read = load_corpus(
            corpus,
            limits=Limits.of(settings),
            store=extractions,
            workers=build_workers(settings.build_workers),
            progress=progress,
        )
        documents = read.documents
        if not documents:
            raise BuildError(f"no readable documents in {corpus}: nothing to index{_why(read.skipped)}")
        fingerprint = read.fingerprint
        model_dir, model_fp = ensure_model(settings)
        # Vectors of unchanged text come from the cache: a rebuild after a small edit embeds only the edit.
        cache = EmbeddingCache.open(settings.index_dir, model_dir.name)
        local = OnnxEmbedder(
            model_dir,
            threads=1,
            batch_size=settings.embed_batch_size,
            workers=build_workers(settings.build_workers),
        )
        counts = TokenCounts.open(settings.index_dir, model_dir.name)
        embedder = CachedEmbedder(cluster.embedder(local, model_dir) if cluster else local, cache, counts)

        thresholds = dedup_thresholds(settings)
        # Near-duplicate pairs among unchanged texts come from the previous build; the new texts are
        # compared with all others on this machine, Ray build or not (exact sparse overlap is cheap).
        memory = {
            stage: DedupCache.open(settings.index_dir / CACHE_DIR, stage, thresholds) for stage in STAGES
        }
        pairs = {stage: remembered.pairs for stage, remembered in memory.items()}
        # Cleaned pages too: a page that did not change is not read or cleaned again.
        pages = PageMemory.open(
            settings.index_dir / CACHE_DIR, settings.boilerplate_max_words, settings.boilerplate_min_docs
        )
        with PagePool(
            build_workers(settings.build_workers),
            total_chars=sum(len(d.text) for d in documents),
            progress=progress,
        ) as pool:
            found, passages = passages_of(
                settings,
                documents,
                embedder,
                pairs=pairs,
                map_pages=cluster.map_pages if cluster else pool,
                memory=pages,
                progress=progress,
            )
        # Read but never cited: named with why, like the files that could not be read.
        skipped = [*read.skipped, *without_passages(documents, passages)]
        if not passages:
            raise BuildError(
                f"the documents in {corpus} hold no indexable text after cleaning{_why(skipped)}"
            )
        log.info(
            "%d documents, %d paragraphs, %d passages after deduplication",
            len(documents),
            len(found),
            len(passages),
        )
        log.info("%d pages cleaned in an earlier build", pages.reused)
        for stage, remembered in memory.items():
            log.info("dedup of %s: %d texts compared in an earlier build", stage, remembered.reused)

        texts = [embedding_text(p) for p in passages]
        # Slices for the progress bar; a cluster gets slices big enough to keep all its actors busy.
        step = settings.embed_batch_size * 4 if cluster is None else EMBED_SLICE_ON_CLUSTER
        sentence_map = sentence_spans(passages)
        sentence_texts = [passages[p].text[start:end] for p, start, end in sentence_map]
        if settings.sentence_vectors == "late":
            vectors, sentence_vectors = embed_late(
                embedder, texts, passages, sentence_map, step=step, progress=progress
            )
        else:
            vectors = embed_texts(embedder, texts, "passages", step=step, progress=progress)
            sentence_vectors = embed_texts(
                embedder, sentence_texts, "sentences", step=step, progress=progress
            )

        threshold = abstention_threshold(
            embedder, passages, vectors, sentence_vectors, sentence_map, settings.sentence_weight
        )
        # The caches and the build folder are written next: refuse now, with the figures, what cannot fit.
        need_space(
            settings.index_dir,
            cache.pending_bytes()
            + sum(len(d.text.encode("utf-8")) for d in documents)  # the cleaned pages' memory
            + build_bytes(passages, vectors, sentence_vectors, sentence_map),
        )
        cache.save()
        counts.save()
        for remembered in memory.values():
            remembered.save()
        pages.save()
        extractions.prune()
        log.info("embedded %d texts, %d from the cache", cache.misses, cache.hits)
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
        with stage_progress("indexing", len(passages), "passage", progress):
            folder = write_build(
                settings.index_dir,
                manifest,
                passages,
                vectors,
                LexicalIndex.build(texts),
                Sentences(VectorIndex.build(sentence_vectors, sentence_index), sentence_map),
                PhraseIndex.build(sentence_texts, sentence_map[:, 0], len(passages)),
                passage_index,
                skipped=[(s.source, s.reason) for s in skipped],
            )
    return BuildReport(
        folder,
        len(documents),
        len(found),
        len(passages),
        round(time.perf_counter() - started, 3),
        embedded=cache.misses,
        skipped=tuple(skipped),
        notes=tuple(read.notes),
    )
