"""The benchmark run: builds, a live `qa serve` under load, and plain sentence-transformers as the yardstick."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from pathlib import Path

import numpy as np

from qa.bench import builds, load, synthetic
from qa.bench.builds import Archive, BuildTiming, DedupTiming, timed_build, timed_dedup
from qa.bench.documents import DocumentSpeeds
from qa.bench.documents import measure as measure_documents
from qa.bench.live import LiveServer
from qa.config import Settings

WARMUP = 10


@dataclass(frozen=True)
class Timing:
    """Milliseconds per call over many calls."""

    p50: float
    p95: float
    mean: float
    cpu: float = 0.0  # CPU time of the whole process per call, all threads: robust to a busy machine


@dataclass(frozen=True)
class Server:
    ready_seconds: float
    peak_mb: float
    torch_loaded: bool
    loads: list[load.Load]
    cpu_ms: list[float]  # server CPU time per request, for each load run
    cached_p50: float
    two_workers: load.Load | None = None  # `qa serve --workers 2` at concurrency 8
    two_workers_peak_mb: float = 0.0  # the two workers' peaks added up


@dataclass
class Results:
    cores: int
    load_tool: str
    torch_threads: int = 0
    solo_threads: int = 1  # ONNX Runtime threads for a lone question
    qa_embed: Timing | None = None
    st_embed: Timing | None = None
    plain: Timing | None = None
    faiss: dict[str, Timing] = field(default_factory=dict)
    export_seconds: float = 0.0
    seed_build: BuildTiming | None = None
    documents: DocumentSpeeds | None = None
    full_build: BuildTiming | None = None
    rebuild: BuildTiming | None = None
    unchanged: BuildTiming | None = None  # a rebuild with nothing changed
    dedup: DedupTiming | None = None  # the generated corpus's paragraphs, dedup alone
    archive: Archive | None = None
    server: Server | None = None


def timed(call: Callable[[str], object], inputs: Sequence[str], *, rounds: int = 3) -> Timing:
    """Per-call latency over `rounds` passes of `inputs`, after a short warm-up."""
    for text in inputs[:WARMUP]:
        call(text)
    samples = []
    cpu = time.process_time()
    for _ in range(rounds):
        for text in inputs:
            started = time.perf_counter()
            call(text)
            samples.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu) * 1000 / len(samples)
    p50, p95 = np.percentile(samples, [50, 95])
    return Timing(float(p50), float(p95), float(np.mean(samples)), cpu)


def read_questions(path: Path | None, squad: Path | None) -> list[str]:
    """Questions from a JSON Lines gold file, else from the SQuAD file: real questions, never one repeated."""
    if path is not None and path.is_file():
        return [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    if squad is not None and squad.is_file():
        data = json.loads(squad.read_text())
        return [q["question"] for a in data["data"] for p in a["paragraphs"] for q in p["qas"]][:200]
    raise SystemExit("qa bench: no questions: pass --questions with a JSON Lines file of {question}")


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status(pid: int, key: str) -> float:
    """A /proc/<pid>/status figure in MB (VmHWM is the peak resident set since start)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


@contextmanager
def serving(settings: Settings, port: int, *, workers: int = 1, **env: str) -> Iterator[tuple[int, float]]:
    """`qa serve` in a child process, yielded (its pid, and the seconds it took to be ready) once ready."""
    server = LiveServer(
        settings.corpus_dir,
        settings.index_dir,
        port=port,
        environment={**os.environ, **env},
        args=["--log-level", "warning", "--workers", str(workers)],
        ready_within=120,
    )
    try:
        server.start()
    except RuntimeError as error:
        raise SystemExit(f"qa bench: `qa serve` did not become ready: {error}") from error
    try:
        yield server.pid, server.ready_seconds
    finally:
        server.stop()


def bench_server(
    settings: Settings, port: int, questions: list[str], seconds: float, plain: Callable[[], Timing]
) -> tuple[Server, Timing]:
    """The server under load, and the plain loop timed just before and after its c=1 run (their mean)."""
    url = f"http://127.0.0.1:{port}"
    # The answer cache is off for the load runs: they measure the work of fresh questions.
    with serving(settings, port, QA_QUERY_CACHE="0") as (pid, ready):
        maps = Path(f"/proc/{pid}/maps").read_text()
        load.run(url, questions, concurrency=2, seconds=2)  # warm-up
        runs, cpu = [], []
        before = after = plain()
        for concurrency in (1, 8, 32):
            used = _cpu_seconds(pid)
            runs.append(load.run(url, questions, concurrency=concurrency, seconds=seconds))
            cpu.append((_cpu_seconds(pid) - used) * 1000 / max(runs[-1].requests, 1))
            if concurrency == 1:
                after = plain()
        peak = _status(pid, "VmHWM")
    with serving(settings, port):
        cached = load.run(url, questions[:1], concurrency=1, seconds=min(seconds, 3))
    with serving(settings, port, workers=2, QA_QUERY_CACHE="0") as (pid, _):
        # Each worker loads the index on its own: warm both up before measuring.
        load.run(url, questions, concurrency=4, seconds=3)
        two = load.run(url, questions, concurrency=8, seconds=seconds)
        two_peak = sum(_status(child, "VmHWM") for child in _children(pid))
    baseline = Timing(*((a + b) / 2 for a, b in zip(astuple(before), astuple(after), strict=True)))
    return Server(ready, peak, "libtorch" in maps, runs, cpu, cached.p50, two, two_peak), baseline


def plain_model(model_path: str, texts: list[str]) -> tuple[Callable[[str], object], Callable[[str], object]]:
    """Plain sentence-transformers: encode, and encode + FAISS search over its own vectors of `texts`."""
    import faiss
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path, device="cpu")
    vectors = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)

    def encode(question: str) -> np.ndarray:
        return np.asarray(model.encode([question], normalize_embeddings=True), dtype=np.float32)

    return encode, lambda question: index.search(encode(question), 5)


def fastest_torch_threads(call: Callable[[str], object], questions: list[str]) -> int:
    """Set torch to the faster of its default threads and one thread, and return that number.

    On a busy small VM torch's default team of one thread per core can be many times slower than one
    thread: the yardstick runs at its best here, so that no ratio is measured against a straw man.
    """
    import torch

    timings = {}
    for threads in sorted({torch.get_num_threads(), 1}, reverse=True):
        torch.set_num_threads(threads)
        timings[threads] = timed(call, questions[:30], rounds=1).p50
    best = min(timings, key=lambda threads: timings[threads])
    torch.set_num_threads(best)
    return best


def bench_index(settings: Settings, questions: list[str], results: Results, name: str) -> list[str]:
    """The project's own query embedding and FAISS search alone, on the index `settings` points to."""
    from qa.build.passages import embedding_text
    from qa.embed.runtime import OnnxEmbedder
    from qa.index.store import load as load_index
    from qa.search.serving import sample_questions

    index = load_index(settings.index_dir)
    embedder = OnnxEmbedder(index.model_dir, threads=settings.threads, solo_threads=settings.solo_threads)
    vector = embedder.embed(questions[:1])
    results.faiss[f"{name} ({len(index.passages):,} passages)"] = timed(
        lambda _: index.vectors.search(vector, settings.candidates), questions
    )
    if results.qa_embed is None:
        # As the server embeds a question that comes alone: with the solo session where it is faster.
        results.solo_threads = (
            embedder.solo_threads if embedder.keep_solo_if_faster(sample_questions(index)) else 1
        )
        results.qa_embed = timed(lambda q: embedder.embed([q], solo=True), questions)
    return [embedding_text(p) for p in index.passages]


def reuse_model(source: Settings, target: Settings) -> None:
    """Copy the exported model, so that a build's time is the build's and not the one-off export."""
    from qa.build.model import ensure_model

    folder, _ = ensure_model(source)
    shutil.copytree(folder, target.index_dir / folder.relative_to(source.index_dir), dirs_exist_ok=True)


def run(
    base: Settings,
    *,
    passages: int,
    seconds: float,
    port: int,
    questions_file: Path | None,
    squad_file: Path | None,
    workdir: Path | None = None,
    archive: int = 0,
    serving_runs: bool = True,
    documents_dir: Path | None = None,
    say: Callable[[str], None] = print,
) -> Results:
    """Every measurement, slowest last; `say` hears progress.

    `archive`: also dedup and build a generated archive of that many paragraphs, plainly and on local Ray.
    `serving_runs`: False measures the builds alone.
    `documents_dir`: PDFs whose reading speed is measured next to pdftotext's (and OCR's, for scans).
    """
    results = Results(os.cpu_count() or 1, "wrk" if load.wrk_available() else "python (wrk not installed)")
    questions = read_questions(questions_file, squad_file)
    root = workdir or Path(tempfile.mkdtemp(prefix="qa-bench-"))
    seed = base.model_copy(update={"index_dir": root / "seed-index"})
    try:
        say("exporting the model once")
        started = time.perf_counter()
        from qa.build.model import ensure_model

        ensure_model(seed)
        results.export_seconds = time.perf_counter() - started
        if documents_dir is not None and documents_dir.is_dir():
            say(f"reading the PDFs of {documents_dir} with qa's reader and with pdftotext")
            results.documents = measure_documents(documents_dir)
        say("building the seed corpus")
        results.seed_build = timed_build(seed, stages=True)
        if serving_runs:
            say("timing query embedding, plain SentenceTransformer.encode and FAISS alone")
            texts = bench_index(seed, questions, results, "seed")
            encode, encode_and_search = plain_model(base.model_path(), texts)
            results.torch_threads = fastest_torch_threads(encode, questions)
            results.st_embed = timed(encode, questions)
            say(f"serving the seed index and loading it with {results.load_tool}")
            results.server, results.plain = bench_server(
                seed, port, questions, seconds, lambda: timed(encode_and_search, questions, rounds=2)
            )
        pool = synthetic.source_sentences(base.corpus_dir, squad_file) if passages or archive else []
        if passages:
            generated = base.model_copy(
                update={"corpus_dir": root / "generated", "index_dir": root / "generated-index"}
            )
            synthetic.write_corpus(generated.corpus_dir, pool, paragraphs=passages)
            reuse_model(seed, generated)
            say(f"deduplicating the {passages:,} paragraphs of the generated corpus")
            results.dedup = timed_dedup(generated)
            say(f"building a generated corpus of about {passages:,} passages (the slow part)")
            results.full_build = timed_build(generated)
            say("rebuilding with nothing changed")
            results.unchanged = timed_build(generated)
            synthetic.change_one(generated.corpus_dir, pool)
            say("rebuilding after one file changed")
            results.rebuild = timed_build(generated)
            if serving_runs:
                bench_index(generated, questions, results, "generated")
        if archive:
            results.archive = builds.archive(
                base, root, paragraphs=archive, pool=pool, models=seed.index_dir / "models", say=say
            )
    finally:
        if workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    return results
