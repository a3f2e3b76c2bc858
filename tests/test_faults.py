"""Faults: a damaged index, an index from another model, a missing one, and `kill -9` in the middle of a build."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from live import environment, qa_command, workspace
from qa.api.app import create_app
from qa.config import Settings
from qa.index.store import CURRENT, MANIFEST, PASSAGES, VECTORS, current_build

pytestmark = pytest.mark.slow

QUESTION = "when was the deadline?"
KILL_LIMIT = 300.0  # safety bound while waiting for the build to reach the point where it is killed


def _truncate_vectors(build: Path) -> None:
    data = (build / VECTORS).read_bytes()
    (build / VECTORS).write_bytes(data[: len(data) // 2])


def _corrupt_passage_text(build: Path) -> None:
    # Same length, still valid JSON, counts unchanged: only a checksum can tell.
    text = (build / PASSAGES).read_text(encoding="utf-8")
    assert "deadline" in text
    (build / PASSAGES).write_text(text.replace("deadline", "deadlinX"), encoding="utf-8")


def _garble_manifest(build: Path) -> None:
    (build / MANIFEST).write_text('{"format_version": ')


def _other_model(build: Path) -> None:
    manifest = json.loads((build / MANIFEST).read_text())
    manifest.update(model="sentence-transformers/all-mpnet-base-v2", model_fingerprint="0123456789abcdef")
    (build / MANIFEST).write_text(json.dumps(manifest))


def _settings(corpus: Path, index: Path) -> Settings:
    return Settings(corpus_dir=corpus, index_dir=index, index_poll_seconds=0)


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (_truncate_vectors, "damaged"),
        (_corrupt_passage_text, "passages.jsonl is corrupt"),
        (_garble_manifest, "manifest"),
        (_other_model, "built with model sentence-transformers/all-mpnet-base-v2"),
    ],
)
def test_a_bad_index_is_rebuilt_from_the_corpus_and_never_served(
    settings: Settings,
    corpus_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path], None],
    said: str,
) -> None:
    corpus, index = workspace(tmp_path, corpus_dir, settings.index_dir)
    bad = current_build(index)
    assert bad is not None
    damage(bad)
    with (
        caplog.at_level(logging.INFO, logger="qa"),
        TestClient(create_app(_settings(corpus, index))) as client,
    ):
        deadline = time.monotonic() + KILL_LIMIT
        while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        ready = client.get("/readyz").json()
        answer = client.post("/ask", json={"question": QUESTION}).json()
    assert ready["status"] == "ready" and ready["model"] == settings.model
    assert current_build(index) != bad
    assert any("July 20" in r["text"] for r in answer["results"])
    assert not any("deadlinX" in r["text"] for r in answer["results"])
    building = [r.getMessage() for r in caplog.records if "building the index" in r.getMessage()]
    assert any(said in message for message in building), building


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_damaged_caches_and_exported_model_are_rebuilt_not_fatal(
    settings: Settings, corpus_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    corpus, index = workspace(tmp_path, corpus_dir, settings.index_dir)
    for cache in (index / "cache").glob("*.npz"):
        _truncate(cache)
    (model,) = (index / "models").glob("*/model.onnx")
    _truncate(model)
    (corpus / "zz_new.txt").write_text("The quokka census counted 412 animals on the island in March.\n")
    with (
        caplog.at_level(logging.WARNING),
        TestClient(create_app(_settings(corpus, index), load_in_background=False)) as client,
    ):
        ready = client.get("/readyz")
        answer = client.post("/ask", json={"question": "How many quokkas were counted?", "k": 1}).json()
    assert ready.status_code == 200, ready.text
    assert "412" in answer["results"][0]["text"]
    messages = caplog.text
    assert (
        "ignoring the unreadable cache" in messages and "exported model" in messages and "damaged" in messages
    )


def test_an_index_that_cannot_be_rebuilt_is_refused_with_the_reason(
    settings: Settings, corpus_dir: Path, tmp_path: Path
) -> None:
    corpus, index = workspace(tmp_path, corpus_dir, settings.index_dir)
    build = current_build(index)
    assert build is not None
    _truncate_vectors(build)
    for document in corpus.iterdir():
        document.write_bytes(b"\xff\xfe not UTF-8")  # nothing left to build from
    with TestClient(create_app(_settings(corpus, index), load_in_background=False)) as client:
        ready = client.get("/readyz")
        asked = client.post("/ask", json={"question": QUESTION})
    assert ready.status_code == 503
    message = ready.json()["message"]
    assert "rebuilding failed" in message and "no readable" in message, message
    assert asked.status_code == 503 and asked.json()["message"] == message


def test_serve_without_index_or_corpus_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        qa_command("serve", "--port", "8029"),
        env=environment(tmp_path / "no-corpus", tmp_path / "no-index"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("qa: ") and "corpus folder" in last and "does not exist" in last, result.stderr


# A `qa build` that stops at a chosen point, as if it were killed there.
PAUSED_BUILD = """
import os, sys, time
from pathlib import Path
import qa.index.store as store

marker, point = Path(sys.argv[1]), sys.argv[2]

def pause():
    marker.write_text("reached")
    time.sleep(3600)

if point == "staged":  # every file written into the staging folder, before it is renamed
    fsync = store._fsync_tree
    store._fsync_tree = lambda folder: (fsync(folder), pause())
else:  # the build folder complete, before CURRENT is switched to it
    replace = os.replace
    os.replace = lambda src, dst: pause() if str(dst).endswith("CURRENT") else replace(src, dst)

from qa.cli import main
sys.exit(main(["build"]))
"""


@pytest.mark.parametrize("point", ["staged", "renamed"])
def test_kill_9_during_build_leaves_the_previous_index_usable(
    settings: Settings, corpus_dir: Path, tmp_path: Path, point: str
) -> None:
    from qa.serve import open_searcher

    corpus, index = workspace(tmp_path, corpus_dir, settings.index_dir)
    pointer = (index / CURRENT).read_text()
    before = [h.passage.passage_id for h in open_searcher(_settings(corpus, index)).ask(QUESTION).hits]
    marker = tmp_path / "reached"
    build = subprocess.Popen(
        [sys.executable, "-c", PAUSED_BUILD, str(marker), point], env=environment(corpus, index)
    )
    try:
        deadline = time.monotonic() + KILL_LIMIT
        while not marker.exists():
            assert build.poll() is None, "the build ended before reaching the kill point"
            assert time.monotonic() < deadline, "the build did not reach the kill point"
            time.sleep(0.05)
        build.send_signal(signal.SIGKILL)
        assert build.wait(30) == -signal.SIGKILL
    finally:
        if build.poll() is None:
            build.kill()

    assert (index / CURRENT).read_text() == pointer
    after = [h.passage.passage_id for h in open_searcher(_settings(corpus, index)).ask(QUESTION).hits]
    assert after == before
    # The lock died with the process: the next build runs, and its index is served.
    rebuilt = subprocess.run(
        qa_command("build"), env=environment(corpus, index), capture_output=True, timeout=300
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert (index / CURRENT).read_text() != pointer
    assert open_searcher(_settings(corpus, index)).ask(QUESTION).hits
