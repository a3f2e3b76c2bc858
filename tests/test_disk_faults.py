"""Faults of the machine made for real: a full disk (a small tmpfs) during the model export and during the
index write, a build killed part way, and two builds at once. Each ends in one line or a good build; the
served index is never touched, and a failed build leaves nothing behind."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from live import environment, qa_command
from qa.config import Settings
from qa.index.store import BUILDS, CURRENT, MODELS

pytestmark = pytest.mark.slow

QUESTION = "when was the deadline?"
LEFT_BEHIND = 5 * 1024 * 1024  # what a failed build may leave: the caches it saved whole, the lock file
MB = 1024 * 1024

# `qa build` with the free-space check before the export or the index write turned off, so that the
# disk really fills while writing (as it would where the estimate is short).
UNCHECKED_BUILD = """
import sys
import qa.build.model, qa.build.pipeline
qa.build.model.export_bytes = lambda settings: 0
qa.build.pipeline.need_space = lambda where, needed, **kw: None
from qa.cli import main
sys.exit(main(["build"]))
"""


@contextlib.contextmanager
def tmpfs(folder: Path, megabytes: int, options: str = "") -> Iterator[Path]:
    """A tmpfs of `megabytes` mounted at `folder`: a small disk that really fills. Skipped where it
    cannot be mounted (not root, no mount), except on CI, where that is a failure."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}M{options}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        reason = f"cannot mount a {megabytes} MB tmpfs (needs root): {mounted.stderr.strip()}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def resize(folder: Path, megabytes: int) -> None:
    subprocess.run(["mount", "-o", f"remount,size={megabytes}M", str(folder)], check=True)


def used(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def fill(folder: Path, leave: int) -> Path:
    """A file that takes all the free space of the disk of `folder` but `leave` bytes."""
    filler = folder / "filler"
    free = shutil.disk_usage(folder).free
    with open(filler, "wb") as out:
        out.truncate(0)
        chunk = b"\0" * MB
        remaining = free - leave
        while remaining > 0:
            out.write(chunk[: min(MB, remaining)])
            remaining -= MB
    return filler


def qa_build(
    corpus: Path, index: Path, *, script: str | None = None, **env: str
) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", script] if script else qa_command("build")
    return subprocess.run(
        command, env=environment(corpus, index, **env), capture_output=True, text=True, timeout=600
    )


def answers(corpus: Path, index: Path) -> list[str]:
    from qa.serve import open_searcher

    searcher = open_searcher(Settings(corpus_dir=corpus, index_dir=index, index_poll_seconds=0))
    return [hit.passage.passage_id for hit in searcher.ask(QUESTION).hits]


def one_line(result: subprocess.CompletedProcess, *said: str) -> str:
    """The build failed with exactly one line on stderr, which says `said`, and no traceback."""
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("qa: build failed, previous index kept: "), lines[0]
    for each in said:
        assert each in lines[0], lines[0]
    return lines[0]


def new_documents(corpus: Path, count: int = 4, sentences: int = 60) -> None:
    """Documents of text unlike any other (words of the corpus drawn at random), so nothing is deduplicated."""
    words = sorted(
        {w.lower() for f in corpus.glob("*.txt") for w in re.findall(r"[A-Za-z]{4,}", f.read_text())}
    )
    pick = random.Random(7)
    for n in range(count):
        paragraphs = [
            " ".join(
                " ".join(pick.choice(words) for _ in range(12)).capitalize()
                + f" in {1900 + pick.randrange(120)}."
                for _ in range(6)
            )
            for _ in range(sentences // 6)
        ]
        (corpus / f"new_{n}.txt").write_text(f"Field notes {n}\n\n" + "\n\n".join(paragraphs) + "\n")


def no_staging(index: Path) -> None:
    left = [
        *(index / BUILDS).glob(".*.tmp"),
        *(index / MODELS).glob("*.tmp"),
        *(index / "cache").glob(".*.tmp"),
        *index.glob(".CURRENT.tmp"),
    ]
    assert not left, left


@pytest.fixture
def served(settings: Settings, corpus_dir: Path, tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """A copy of the small corpus and, on a 40 MB tmpfs, the exported model and an index built from it."""
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    with tmpfs(tmp_path / "disk", 40) as disk:
        index = disk / "index"
        shutil.copytree(settings.index_dir / MODELS, index / MODELS)
        first = qa_build(corpus, index)
        assert first.returncode == 0, first.stderr
        yield corpus, index, disk


def test_disk_full_during_the_model_export(served: tuple[Path, Path, Path]) -> None:
    corpus, index, disk = served
    pointer, before = (index / CURRENT).read_text(), answers(corpus, index)
    # A float32 export of the model needs about 100 MB; the disk has about 14 MB free.
    for script in (None, UNCHECKED_BUILD):
        size = used(disk)
        failed = qa_build(corpus, index, script=script, QA_INT8="false")
        line = one_line(failed, f"no space left on the disk of {index}", "MB free", "QA_INDEX_DIR")
        if script is None:
            assert "MB needed" in line
        left = used(disk) - size
        print(f"{'unchecked' if script else 'checked'}: exit {failed.returncode}, left {left} bytes: {line}")
        assert left <= LEFT_BEHIND
        no_staging(index)
        assert (index / CURRENT).read_text() == pointer and answers(corpus, index) == before
    resize(disk, 300)
    rebuilt = qa_build(corpus, index, QA_INT8="false")
    assert rebuilt.returncode == 0 and "Traceback" not in rebuilt.stderr, rebuilt.stderr
    assert (index / CURRENT).read_text() != pointer
    assert len(list((index / MODELS).iterdir())) == 2
    no_staging(index)


@pytest.mark.parametrize(
    ("script", "leave"),
    [
        (None, 400 * 1024),  # refused before writing: the need is known
        (UNCHECKED_BUILD, 200 * 1024),  # runs out while saving the caches
        (UNCHECKED_BUILD, 1500 * 1024),  # the caches fit; runs out while writing the build folder
    ],
    ids=["checked", "caches", "index"],
)
def test_disk_full_during_the_index_write(
    served: tuple[Path, Path, Path], tmp_path: Path, script: str | None, leave: int
) -> None:
    corpus, index, disk = served
    pointer, before = (index / CURRENT).read_text(), answers(corpus, index)
    # New text to embed and index: caches of about 1.3 MB and a build folder of about 1.1 MB.
    new_documents(corpus)
    filler = fill(disk, leave)
    size = used(disk)
    failed = qa_build(corpus, index, script=script)
    line = one_line(failed, f"no space left on the disk of {index}", "MB free")
    left = used(disk) - size
    print(f"exit {failed.returncode}, left {left} bytes: {line}")
    assert left <= LEFT_BEHIND
    no_staging(index)
    assert (index / CURRENT).read_text() == pointer and answers(corpus, index) == before
    filler.unlink()
    rebuilt = qa_build(corpus, index)
    assert rebuilt.returncode == 0 and "Traceback" not in rebuilt.stderr, rebuilt.stderr
    assert (index / CURRENT).read_text() != pointer and answers(corpus, index)
    no_staging(index)


def _when(condition: Path | float, build: subprocess.Popen) -> None:
    """Wait for a path to appear (a staging file), or for a number of seconds, while the build runs."""
    started = time.monotonic()

    def due() -> bool:
        return condition.exists() if isinstance(condition, Path) else time.monotonic() - started >= condition

    while not due():
        assert build.poll() is None, "the build ended before it was killed"
        assert time.monotonic() - started < 300, "the build did not get there"
        time.sleep(0.02)


def _copies(settings: Settings, corpus_dir: Path, folder: Path) -> tuple[Path, Path]:
    """A copy of the corpus with new documents to embed (a build of a few seconds), and of its index."""
    corpus, index = folder / "corpus", folder / "index"
    shutil.copytree(corpus_dir, corpus)
    shutil.copytree(settings.index_dir, index, ignore=shutil.ignore_patterns(".lock"))
    new_documents(corpus, count=8, sentences=120)
    return corpus, index


@pytest.fixture(scope="module")
def build_seconds(settings: Settings, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long `qa build` of those copies takes, start to end, when nothing stops it."""
    corpus, index = _copies(settings, corpus_dir, tmp_path_factory.mktemp("timed"))
    started = time.monotonic()
    timed = qa_build(corpus, index)
    assert timed.returncode == 0, timed.stderr
    return time.monotonic() - started


# Moments well before the build's end (a second build may run faster than the timed one) and, by a file it
# writes, the model export.
@pytest.mark.parametrize("moment", [0.3, 0.55, "export"])
def test_a_build_killed_part_way(
    settings: Settings, corpus_dir: Path, tmp_path: Path, build_seconds: float, moment: float | str
) -> None:
    from qa.build.model import model_id

    corpus, index = _copies(settings, corpus_dir, tmp_path)
    pointer, before = (index / CURRENT).read_text(), answers(corpus, index)
    # "export": a build that exports the model anew (float32), killed while it writes the export.
    extra = {"QA_INT8": "false"} if moment == "export" else {}
    build = subprocess.Popen(
        qa_command("build"), env=environment(corpus, index, **extra), stderr=subprocess.PIPE, text=True
    )
    try:
        if moment == "export":
            fp32 = Settings(corpus_dir=corpus, index_dir=index, int8=False)
            _when(index / MODELS / f"{model_id(fp32)}.tmp" / "model.float32.onnx", build)
        else:
            assert isinstance(moment, float)
            _when(moment * build_seconds, build)
        build.send_signal(signal.SIGKILL)
        assert build.wait(30) == -signal.SIGKILL
    finally:
        if build.poll() is None:
            build.kill()
    print(f"killed at {moment} (of {build_seconds:.1f} s): {sorted(p.name for p in index.rglob('*.tmp'))}")
    assert (index / CURRENT).read_text() == pointer and answers(corpus, index) == before
    rebuilt = qa_build(corpus, index, **extra)
    assert rebuilt.returncode == 0 and "Traceback" not in rebuilt.stderr, rebuilt.stderr
    assert (index / CURRENT).read_text() != pointer and answers(corpus, index)
    no_staging(index)


def test_two_builds_at_once(settings: Settings, corpus_dir: Path, tmp_path: Path) -> None:
    corpus, index = _copies(settings, corpus_dir, tmp_path)
    pointer = (index / CURRENT).read_text()
    builds = [
        subprocess.Popen(
            qa_command("build"), env=environment(corpus, index), stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outcomes = [(build.wait(300), build.stderr.read() if build.stderr else "") for build in builds]
    for code, stderr in outcomes:
        assert code == 0 and "Traceback" not in stderr, stderr
    assert (index / CURRENT).read_text() != pointer and answers(corpus, index)
    no_staging(index)
    again = qa_build(corpus, index)
    assert again.returncode == 0, again.stderr


def test_reindex_and_the_servers_own_build_on_a_full_disk(served: tuple[Path, Path, Path]) -> None:
    from fastapi.testclient import TestClient
    from pydantic import SecretStr

    from qa.api.app import create_app

    corpus, index, disk = served
    pointer, before = (index / CURRENT).read_text(), answers(corpus, index)
    new_documents(corpus)
    filler = fill(disk, 200 * 1024)
    settings = Settings(
        corpus_dir=corpus, index_dir=index, admin_token=SecretStr("t" * 32), index_poll_seconds=0
    )
    # At start the server finds its index stale and builds: the disk is full, so the old index serves.
    with TestClient(create_app(settings, load_in_background=False)) as client:
        ready = client.get("/readyz")
        asked = client.post("/ask", json={"question": QUESTION})
        size = used(disk)
        reindexed = client.post("/admin/reindex", headers={"Authorization": f"Bearer {'t' * 32}"})
    print(f"readyz {ready.status_code}; reindex {reindexed.status_code}: {reindexed.json()}")
    assert ready.status_code == 200 and asked.status_code == 200
    assert [r["passage_id"] for r in asked.json()["results"]] == before
    assert reindexed.status_code == 507
    message = reindexed.json()["message"]
    assert message.startswith("build failed, previous index kept: no space left on the disk of ")
    assert "\n" not in message and "MB needed" in message, message
    assert used(disk) - size <= LEFT_BEHIND
    assert (index / CURRENT).read_text() == pointer
    no_staging(index)
    filler.unlink()


def test_a_read_only_disk(corpus_dir: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", 1, ",ro") as disk:
        failed = qa_build(corpus_dir, disk / "index")
    line = one_line(failed, "read-only", "QA_INDEX_DIR")
    print(f"exit {failed.returncode}: {line}")


@pytest.mark.parametrize(
    ("error", "said", "status"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "no space left on the disk of index", 507),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "disk quota", 507),
        (
            PermissionError(errno.EACCES, "Permission denied", "index/cache/x.npz"),
            "permission denied on",
            500,
        ),
        (OSError(errno.EROFS, "Read-only file system"), "read-only", 500),
        (MemoryError(), "out of memory", 503),
    ],
)
def test_each_fault_of_the_machine_is_one_sentence(error: BaseException, said: str, status: int) -> None:
    from qa.build.faults import MachineFault, machine_faults

    with pytest.raises(MachineFault) as caught, machine_faults(Path("index")):
        raise error
    assert said in str(caught.value) and "\n" not in str(caught.value) and caught.value.status == status
    with pytest.raises(OSError, match="Input/output"), machine_faults(Path("index")):
        raise OSError(errno.EIO, "Input/output error")  # not a fault it can name: passed on unchanged
