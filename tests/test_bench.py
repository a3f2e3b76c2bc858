"""The benchmark's parts, not its timings: the generated corpus, the fallback load client, the printout."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from qa.bench import load, synthetic
from qa.bench.report import render
from qa.bench.run import BuildTiming, Results, Server, Timing
from qa.build.passages import build_passages
from qa.config import Settings
from qa.ingest.articles import paragraphs
from qa.ingest.corpus import read_corpus
from qa.params import dedup_thresholds

ROOT = Path(__file__).resolve().parent.parent


def _generated(folder: Path, **shape: Any) -> tuple[list, list]:
    """The paragraphs and passages of a generated corpus written to `folder`."""
    synthetic.write_corpus(folder, synthetic.source_sentences(ROOT / "corpus", None), **shape)
    found = paragraphs(read_corpus(folder))
    passages = build_passages(
        found,
        count_tokens=lambda t: len(t.split()) + 2,
        max_tokens=200,
        thresholds=dedup_thresholds(Settings()),
    )
    return found, passages


def test_generated_documents_are_distinct_passages(tmp_path: Path) -> None:
    found, passages = _generated(tmp_path, paragraphs=120, per_document=30)
    assert len(found) == 120
    assert len(passages) >= 110  # deduplication keeps nearly all of them


def test_republished_paragraphs_fold_into_the_ones_they_copy(tmp_path: Path) -> None:
    found, passages = _generated(tmp_path, paragraphs=200, per_document=25, duplicates=0.2)
    copies = sum(len(p.also_in) for p in passages)
    assert len(found) == 200
    assert 20 <= copies <= 60  # about a fifth republish an earlier paragraph
    assert len(passages) == len(found) - copies  # each copy is a citation of its original, not a passage


def test_change_one_rewrites_one_paragraph_of_one_file(tmp_path: Path) -> None:
    pool = synthetic.source_sentences(ROOT / "corpus", None)
    synthetic.write_corpus(tmp_path, pool, paragraphs=40, per_document=20)
    before = {p.name: p.read_text() for p in tmp_path.iterdir()}
    changed = synthetic.change_one(tmp_path, pool)
    after = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert [name for name in before if before[name] != after[name]] == [changed.name]
    old, new = before[changed.name].split("\n\n"), after[changed.name].split("\n\n")
    assert sum(a != b for a, b in zip(old, new, strict=True)) == 1


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b'{"results": []}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tiny_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_python_load_client_keeps_connections_alive(tiny_server: str) -> None:
    result = load.run_python(tiny_server, ["a?", 'say "b"?'], concurrency=3, seconds=0.5)
    assert result.requests > 3 and result.errors == 0
    assert 0 < result.p50 <= result.p99


def test_report_puts_targets_first_and_marks_misses() -> None:
    runs = [load.Load("wrk", c, 1000, 10.0, 0, 2.0, 3.0, 4.0) for c in (1, 8, 32)]
    results = Results(
        cores=2,
        load_tool="wrk",
        qa_embed=Timing(2.0, 3.0, 2.2),
        st_embed=Timing(8.0, 9.0, 8.1),
        plain=Timing(8.0, 9.0, 8.0, 9.0),
        seed_build=BuildTiming(91, 9.0, 400),
        full_build=BuildTiming(20_000, 1000.0, 90_000),
        rebuild=BuildTiming(20_000, 200.0, 12),
        server=Server(
            2.0, 400.0, False, runs, [3.0, 3.0, 3.0], 0.5, load.Load("wrk", 8, 1500, 10.0, 0, 2, 3, 4), 380.0
        ),
    )
    text = render(results)
    assert text.index("\nTargets") < text.index("\nRatios") < text.index("\nMeasurements")
    lines = {line.split("  ")[1].strip(): line for line in text.splitlines() if line.startswith("  ")}
    assert lines["/ask p50 over HTTP / plain encode+FAISS p50"].endswith("ok")  # 2 / 8 = 0.25
    assert lines["server peak memory (VmHWM)"].endswith("MISSED")  # 400 MB
    assert lines["req/s at c=8: two workers / one worker"].endswith("1.50x")  # 150 / 100 req/s
    assert (
        "5.0x" in text and "MISSED" in lines["full build / rebuild after one file changed (20,000 passages)"]
    )
