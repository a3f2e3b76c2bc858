"""`qa bench-scale`: build time, memory, size, latency and recall@10 of each index kind at 100k and 1M vectors."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from qa.config import Settings
from qa.index.vectors import KINDS, IndexParams, VectorIndex

DIM = 384
K = 10
WARMUP = 20
# Search-time settings tried on each built index: the speed/recall trade-off without rebuilding.
SWEEP: dict[str, list[dict]] = {
    "flat": [{}],
    "ivf": [{"nprobe": 16}, {"nprobe": 32}, {"nprobe": 64}],
    "ivfpq": [
        {"nprobe": 32, "refine": 4},
        {"nprobe": 32, "refine": 10},
        {"nprobe": 32, "refine": 25},
        {"nprobe": 64, "refine": 50},
    ],
    "hnsw": [{"ef_search": 32}, {"ef_search": 64}, {"ef_search": 128}],
}


@dataclass(frozen=True)
class Row:
    data: str
    vectors: int
    kind: str
    params: str
    build_s: float
    build_peak_mb: float
    index_mb: float  # the FAISS file; approximate kinds add the exact vectors beside it (vectors x dim x 4)
    serve_rss_mb: float  # resident after loading and answering every query: shared file pages included
    serve_private_mb: float  # the part no other process can share
    p50_ms: float
    p99_ms: float
    recall: float


def clustered(rows: int, *, seed: int, centres: int = 2000, dim: int = DIM) -> np.ndarray:
    """Unit vectors around random centres (cosine to their centre about 0.7, like topical embeddings).

    Uniformly random vectors have no neighbourhoods for an approximate index to learn: every point is
    nearly equidistant from every other, which no real embedding set looks like.
    """
    centre_rng = np.random.default_rng(12345)
    middle = centre_rng.normal(size=(centres, dim)).astype(np.float32)
    middle /= np.linalg.norm(middle, axis=1, keepdims=True)
    rng = np.random.default_rng(seed)
    out = np.empty((rows, dim), dtype=np.float32)
    for first in range(0, rows, 100_000):
        n = min(100_000, rows - first)
        block = middle[rng.integers(centres, size=n)] + rng.normal(scale=1 / np.sqrt(dim), size=(n, dim))
        out[first : first + n] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int = K) -> np.ndarray:
    return VectorIndex.build(vectors).search(queries, k)[1]


def _memory(*keys: str) -> tuple[float, ...]:
    """MB from /proc/self/status; VmHWM rather than ru_maxrss, which Linux carries across exec from the parent."""
    lines = Path("/proc/self/status").read_text().splitlines()
    status = dict(line.split(":", 1) for line in lines if ":" in line)
    return tuple(int(status[key].split()[0]) / 1024 for key in keys)


def _build(vectors_file: str, params: dict, out: str, answer: multiprocessing.Queue) -> None:
    vectors = np.load(vectors_file, mmap_mode="r")
    started = time.perf_counter()
    index = VectorIndex.build(np.asarray(vectors), IndexParams(**params))
    index.save(Path(out))
    answer.put((time.perf_counter() - started, *_memory("VmHWM")))


def _serve(index_file: str, settings: list[dict], queries_file: str, answer: multiprocessing.Queue) -> None:
    """A fresh process, like a server worker: load (memory-mapped), then answer one query at a time."""
    queries = np.load(queries_file)
    results = []
    index = VectorIndex.load(Path(index_file), IndexParams(**settings[0]))
    for params in settings:
        index.tune(IndexParams(**params))
        for query in queries[:WARMUP]:
            index.search(query[None, :], K)
        times, found = [], []
        for query in queries:
            started = time.perf_counter()
            _, ids = index.search(query[None, :], K)
            times.append((time.perf_counter() - started) * 1000)
            found.append(ids[0])
        results.append((times, np.array(found).tolist(), *_memory("VmRSS", "RssAnon")))
    answer.put(results)


def _in_child(target: Callable, *args: object) -> tuple:
    context = multiprocessing.get_context("spawn")
    answer = context.Queue()
    process = context.Process(target=target, args=(*args, answer))
    process.start()
    result = answer.get()
    process.join()
    return result


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)]))


def _describe(params: IndexParams) -> str:
    return {
        "flat": "exact",
        "ivf": f"nlist={params.nlist} nprobe={params.nprobe}",
        "ivfpq": f"nlist={params.nlist} nprobe={params.nprobe} PQ{params.pq_bytes}{' OPQ' if params.opq else ''}",
        "hnsw": f"M={params.hnsw_m} efSearch={params.ef_search}",
    }[params.kind] + ("" if params.kind == "flat" else f" refine={params.refine}")


def bench_vectors(
    name: str,
    vectors: np.ndarray,
    queries: np.ndarray,
    settings: Settings,
    kinds: Sequence[str],
    workdir: Path,
    say: Callable[[str], None],
) -> list[Row]:
    from qa.params import index_params

    vectors_file, queries_file = workdir / f"{name}.npy", workdir / f"{name}.queries.npy"
    np.save(vectors_file, vectors)
    np.save(queries_file, queries)
    say(f"{name}: exact top-{K} of {len(queries)} queries over {len(vectors):,} vectors")
    truth = exact_top(vectors, queries)
    rows = []
    for kind in kinds:
        params = index_params(settings.model_copy(update={"index_kind": kind}), len(vectors))
        say(f"{name}: building {kind} ({_describe(params)})")
        out = workdir / f"{name}.{kind}.faiss"
        seconds, peak = _in_child(_build, str(vectors_file), params.as_dict(), str(out))
        tried = [replace(params, **change) for change in SWEEP[kind]]
        measured = _in_child(_serve, str(out), [t.as_dict() for t in tried], str(queries_file))
        for setting, (times, found, rss, private) in zip(tried, measured, strict=True):
            row = Row(
                name,
                len(vectors),
                kind,
                _describe(setting),
                round(seconds, 1),
                round(peak),
                round(out.stat().st_size / 2**20, 1),
                round(rss),
                round(private),
                round(float(np.percentile(times, 50)), 3),
                round(float(np.percentile(times, 99)), 3),
                round(recall_at(np.array(found), truth), 4),
            )
            say(json.dumps(asdict(row)))
            rows.append(row)
        out.unlink()
        out.with_name(out.stem + ".raw.npy").unlink(missing_ok=True)
    vectors_file.unlink()
    return rows


def real_embeddings(
    settings: Settings, passages: int, questions: int, say: Callable[[str], None]
) -> tuple[np.ndarray, np.ndarray]:
    """Passages of a generated corpus and questions drawn from its sentences, through the real model."""
    from qa.bench import synthetic
    from qa.build.model import ensure_model
    from qa.build.pipeline import embed_texts
    from qa.embed.runtime import OnnxEmbedder

    model_dir, _ = ensure_model(settings)
    embedder = OnnxEmbedder(
        model_dir, threads=1, batch_size=settings.embed_batch_size, workers=os.cpu_count() or 1
    )
    pool = synthetic.source_sentences(settings.corpus_dir, None)
    rng = random.Random(0)
    texts = [synthetic.paragraph(pool, rng) for _ in range(passages)]
    asked = [synthetic.vary(rng.choice(pool), rng) for _ in range(questions)]
    say(f"embedding {passages:,} generated passages with the real model")
    started = time.perf_counter()
    vectors = embed_texts(embedder, texts, "passages", step=settings.embed_batch_size * 4, progress=False)
    say(f"embedded {passages / (time.perf_counter() - started):.0f} passages/s")
    return vectors, embedder.embed(asked)


def run(
    settings: Settings,
    *,
    sizes: Sequence[int],
    real: int,
    queries: int,
    kinds: Sequence[str] = KINDS,
    say: Callable[[str], None] = print,
) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="qa-scale-") as tmp:
        workdir = Path(tmp)
        if real:
            vectors, asked = real_embeddings(settings, real, queries, say)
            rows += bench_vectors(f"real{real // 1000}k", vectors, asked, settings, kinds, workdir, say)
        for size in sizes:
            vectors, asked = clustered(size, seed=1), clustered(queries, seed=2)
            name = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"
            rows += bench_vectors(f"random{name}", vectors, asked, settings, kinds, workdir, say)
            del vectors
    return rows


def render(rows: Sequence[Row]) -> str:
    head = (
        "| data | vectors | kind | parameters | build s | build peak MB | index file MB | serve RSS MB "
        "| private MB | p50 ms | p99 ms | recall@10 |\n|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    return head + "".join(
        f"| {r.data} | {r.vectors:,} | {r.kind} | {r.params} | {r.build_s} | {r.build_peak_mb} | {r.index_mb} "
        f"| {r.serve_rss_mb} | {r.serve_private_mb} | {r.p50_ms} | {r.p99_ms} | {r.recall} |\n"
        for r in rows
    )
