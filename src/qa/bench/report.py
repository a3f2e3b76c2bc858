"""The benchmark's printout: targets and ratios first, then the absolute figures they come from."""

from __future__ import annotations

from qa.bench.builds import BuildTiming, DedupTiming
from qa.bench.run import Results, Timing

TARGET_LATENCY = 0.4  # /ask p50 over HTTP, as a share of plain encode + FAISS p50
TARGET_THROUGHPUT = 3.0  # req/s at concurrency 8, as a multiple of the plain loop run sequentially
TARGET_P99_MS = 100.0
TARGET_PEAK_MB = 350.0
TARGET_REBUILD = 10.0
TARGET_ARCHIVE_SECONDS = 15 * 60  # a 100k-paragraph archive on two cores
TARGET_PDF_SPEED = 0.5  # PDF text extraction at least half as fast as poppler's pdftotext
TARGET_RAY_RATIO = 1.2  # a local Ray build's time as a multiple of the plain build's
TARGET_EMBED_RATIO = 0.6  # a fresh build's time as a multiple of embedding its passages alone
TARGET_INGEST_SHARE = 0.25  # reading, cleaning and metadata as a share of a fresh build


def _check(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _row(label: str, measured: str, target: str = "", verdict: str = "") -> str:
    return f"  {label:<58} {measured:>12}  {target:<10} {verdict}".rstrip()


def _t(t: Timing) -> str:
    return f"p50 {t.p50:6.2f}  p95 {t.p95:6.2f}"


def _dedup(d: DedupTiming) -> str:
    return f"{d.seconds:7.1f} s  {d.cpu_seconds:.1f} CPU-s  {d.texts:,} paragraphs  {d.folded:,} folded"


def _stage_rows(label: str, build: BuildTiming | None) -> list[str]:
    """Where a fresh build's time goes: against embedding its passages alone, and in reading and cleaning."""
    if build is None or build.embed_ratio is None or build.ingest_share is None:
        return []
    return [
        _row(
            f"build, {label} / embedding its passages alone",
            f"{build.embed_ratio:.2f}x",
            f"<= {TARGET_EMBED_RATIO:g}x",
            _check(build.embed_ratio <= TARGET_EMBED_RATIO),
        ),
        _row(
            f"build, {label}: reading, cleaning and metadata share",
            f"{build.ingest_share:.0%}",
            f"< {TARGET_INGEST_SHARE:.0%}",
            _check(build.ingest_share < TARGET_INGEST_SHARE),
        ),
    ]


def render(r: Results) -> str:
    out = [
        f"qa bench: {r.cores} cores, one run. Ratios first: absolute times on shared machines are noisy.",
        "",
        "Targets",
    ]
    server, plain = r.server, r.plain
    if server and plain:
        c1, c8, c32 = server.loads
        plain_rps = 1000 / plain.mean
        latency = c1.p50 / plain.p50
        throughput = c8.rps / plain_rps
        out += [
            _row(
                "/ask p50 over HTTP / plain encode+FAISS p50",
                f"{latency:.2f}x",
                f"<= {TARGET_LATENCY}x",
                _check(latency <= TARGET_LATENCY),
            ),
            _row(
                "req/s at c=8 / plain encode+FAISS loop, sequential",
                f"{throughput:.1f}x",
                f">= {TARGET_THROUGHPUT:g}x",
                _check(throughput >= TARGET_THROUGHPUT),
            ),
            _row(
                "p99 at c=8", f"{c8.p99:.1f} ms", f"<= {TARGET_P99_MS:g} ms", _check(c8.p99 <= TARGET_P99_MS)
            ),
            _row("errors at c=1, 8, 32", f"{c1.errors + c8.errors + c32.errors}", "0", _check(not c8.errors)),
            _row(
                "server peak memory (VmHWM)",
                f"{server.peak_mb:.0f} MB",
                f"<= {TARGET_PEAK_MB:g} MB",
                _check(server.peak_mb <= TARGET_PEAK_MB),
            ),
        ]
    if r.full_build and r.rebuild:
        speedup = r.full_build.seconds / r.rebuild.seconds
        out.append(
            _row(
                f"full build / rebuild after one file changed ({r.full_build.passages:,} passages)",
                f"{speedup:.1f}x",
                f">= {TARGET_REBUILD:g}x",
                _check(speedup >= TARGET_REBUILD),
            )
        )
    for label, build in (("seed corpus", r.seed_build), ("generated corpus", r.full_build)):
        out += _stage_rows(label, build)
    archive = r.archive
    if archive:
        out.append(
            _row(
                f"archive of {archive.paragraphs:,} paragraphs, plain build",
                f"{archive.plain.seconds / 60:.1f} min",
                f"< {TARGET_ARCHIVE_SECONDS / 60:g} min",
                _check(archive.plain.seconds < TARGET_ARCHIVE_SECONDS),
            )
        )
        if archive.ray:
            ratio = archive.ray.seconds / archive.plain.seconds
            out += [
                _row(
                    f"archive, Ray build ({archive.ray_cpus} CPUs) / plain build",
                    f"{ratio:.2f}x",
                    f"<= {TARGET_RAY_RATIO:g}x",
                    _check(ratio <= TARGET_RAY_RATIO),
                ),
                _row(
                    "archive, Ray and plain builds give the same index",
                    "yes" if archive.same_index else "NO",
                    "yes",
                    _check(bool(archive.same_index)),
                ),
            ]
    speeds = r.documents
    if speeds and speeds.pdftotext:
        ratio = speeds.qa_text.pages_per_second / speeds.pdftotext.pages_per_second
        out.append(
            _row(
                f"PDF text, pages/CPU-s: qa / pdftotext ({speeds.qa_text.pages:,} pages)",
                f"{ratio:.2f}x",
                f">= {TARGET_PDF_SPEED:g}x",
                _check(ratio >= TARGET_PDF_SPEED),
            )
        )
    if server:
        out.append(
            _row(
                "`qa serve` ready on a built index; torch not imported",
                f"{server.ready_seconds:.1f} s",
                "a few s",
                _check(server.ready_seconds < 10 and not server.torch_loaded),
            )
        )

    out += ["", "Ratios"]
    if speeds:
        out.append(
            _row(
                f"PDF text, qa's reader ({speeds.qa_text.files} files)",
                f"{speeds.qa_text.pages_per_second:.0f} pages/s",
            )
        )
        if speeds.qa_first:
            out.append(
                _row(
                    "PDF text, qa's reader, first round in a fresh process",
                    f"{speeds.qa_first.pages_per_second:.0f} pages/s",
                )
            )
        if speeds.pdftotext:
            out.append(
                _row("PDF text, pdftotext (same files)", f"{speeds.pdftotext.pages_per_second:.0f} pages/s")
            )
        if speeds.qa_ocr:
            out.append(
                _row(
                    f"scanned PDF pages, qa's reader with OCR ({speeds.qa_ocr.files} files), wall time",
                    f"{speeds.qa_ocr.pages_per_second:.2f} pages/s",
                )
            )
    if r.qa_embed and r.st_embed:
        out.append(
            _row(
                "query embedding: qa p50 / SentenceTransformer.encode p50",
                f"{r.qa_embed.p50 / r.st_embed.p50:.2f}x",
            )
        )
    if server and plain:
        c1, c8, c32 = server.loads
        out += [
            _row(
                "/ask p50 over HTTP (c=1) / qa query embedding p50",
                f"{c1.p50 / r.qa_embed.p50:.1f}x" if r.qa_embed else "-",
            ),
            _row("req/s at c=32 / plain loop, sequential", f"{c32.rps / (1000 / plain.mean):.1f}x"),
            _row(
                "/ask p50, repeated question (answer cache) / fresh question",
                f"{server.cached_p50 / c1.p50:.2f}x",
            ),
            _row("CPU per request: plain loop / server at c=8", f"{plain.cpu / server.cpu_ms[1]:.1f}x"),
        ]
        if server.two_workers:
            out.append(
                _row("req/s at c=8: two workers / one worker", f"{server.two_workers.rps / c8.rps:.2f}x")
            )

    out += ["", "Measurements (milliseconds unless stated)"]
    if r.qa_embed and r.st_embed and plain:
        out += [
            _row("query embedding, qa (ONNX Runtime)", _t(r.qa_embed)),
            _row("  ONNX Runtime threads for a question alone (found fastest)", f"{r.solo_threads}"),
            _row("query embedding, plain SentenceTransformer.encode", _t(r.st_embed)),
            _row("plain encode + FAISS search, in process", _t(plain)),
            _row("  torch threads (the faster of its default and 1)", f"{r.torch_threads}"),
            _row("  the same loop run sequentially", f"{1000 / plain.mean:.0f} req/s"),
            _row("  CPU time per iteration (all threads)", f"{plain.cpu:.2f}"),
        ]
    for name, timing in r.faiss.items():
        out.append(_row(f"FAISS search alone, k=100, {name}", _t(timing)))
    if server:
        for run, cpu in zip(server.loads, server.cpu_ms, strict=True):
            out.append(
                _row(
                    f"/ask over HTTP, c={run.concurrency} ({run.tool})",
                    f"p50 {run.p50:6.2f}  p95 {run.p95:6.2f}  p99 {run.p99:6.2f}  {run.rps:6.0f} req/s  "
                    f"{run.errors} errors  server CPU {cpu:.2f} per request",
                )
            )
        out += [
            _row(
                "/ask over HTTP, c=1, one repeated question (answer cache)", f"p50 {server.cached_p50:6.2f}"
            ),
            _row("server ready after start", f"{server.ready_seconds:.2f} s"),
            _row("server peak resident memory", f"{server.peak_mb:.0f} MB"),
        ]
        two = server.two_workers
        if two:
            out += [
                _row(
                    f"/ask over HTTP, c=8, two workers ({two.tool})",
                    f"p50 {two.p50:6.2f}  p95 {two.p95:6.2f}  p99 {two.p99:6.2f}  {two.rps:6.0f} req/s  "
                    f"{two.errors} errors",
                ),
                _row("two workers' peak resident memory, added up", f"{server.two_workers_peak_mb:.0f} MB"),
            ]
    out.append(_row("model export to ONNX, once per model", f"{r.export_seconds:.1f} s"))
    if r.dedup:
        out.append(_row("dedup alone, generated corpus", _dedup(r.dedup)))
    archive_rows = (
        [("archive, plain build", archive.plain), ("archive, Ray build", archive.ray)] if archive else []
    )
    for label, build in (
        ("build, seed corpus", r.seed_build),
        ("build, generated corpus, from scratch", r.full_build),
        ("rebuild, generated corpus, nothing changed", r.unchanged),
        ("rebuild, generated corpus, one file changed", r.rebuild),
        *archive_rows,
    ):
        if build:
            out.append(
                _row(
                    label,
                    f"{build.seconds:7.1f} s  {build.passages:,} passages  {build.per_second:.0f} passages/s  "
                    f"{build.embedded:,} texts embedded",
                )
            )
            if build.ingest_seconds is not None and build.embed_seconds is not None:
                out.append(
                    _row(
                        f"{label}: its stages apart",
                        f"reading and cleaning {build.ingest_seconds:.1f} s  "
                        f"embedding its passages alone {build.embed_seconds:.1f} s",
                    )
                )
    if archive:
        out.append(_row("dedup alone, archive", _dedup(archive.dedup)))
        if archive.ray_missing:
            out.append(_row("archive, Ray build", f"not run: {archive.ray_missing}"))
    out.append(_row("load generator", r.load_tool))
    return "\n".join(out) + "\n"
