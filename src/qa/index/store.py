"""The index format on disk: one folder per build (manifest, passages, vectors, lexical indexes), atomic swaps,
checksums, and clear refusals of anything damaged."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qa.index.lexical import LexicalIndex, PhraseIndex
from qa.index.vectors import IndexParams, VectorIndex
from qa.types import Citation, Passage

FORMAT_VERSION = 3
CURRENT = "CURRENT"
BUILDS = "builds"
MODELS = "models"
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
VECTORS = "vectors.faiss"
LEXICAL = "lexical"
PHRASES = "phrases"
SENTENCE_VECTORS = "sentences.faiss"
SENTENCE_MAP = "sentences.npy"
KEEP_BUILDS = 2
CHECKSUMS = "checksums.json"
SKIPPED = "skipped.json"  # the corpus files the build did not index, with the reason


class IndexProblem(Exception):
    """The index cannot be served; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Manifest:
    format_version: int
    model: str
    model_fingerprint: str
    model_dir: str
    dimension: int
    passage_count: int
    corpus_fingerprint: str
    settings_fingerprint: str
    built_at: str
    build_seconds: float
    abstain_threshold: float
    index_kind: str = "flat"
    # {"passages": IndexParams, "sentences": IndexParams} as dicts: kind, nlist/nprobe, M/efSearch, ...
    index_params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Sentences:
    """Every passage sentence as its own vector, for sentence-level matching and highlights.

    `rows[i]` is (passage position, start, end) of vector i; a passage's sentences are contiguous.
    """

    vectors: VectorIndex
    rows: np.ndarray


@dataclass
class LoadedIndex:
    """Everything a Searcher needs, read from one immutable build folder."""

    folder: Path
    manifest: Manifest
    passages: list[Passage]
    vectors: VectorIndex
    lexical: LexicalIndex
    sentences: Sentences
    phrases: PhraseIndex
    skipped: tuple[tuple[str, str], ...] = ()  # (source, reason) of corpus files not indexed

    @property
    def model_dir(self) -> Path:
        return self.folder.parent.parent / self.manifest.model_dir


def model_folder(index_dir: Path, fingerprint: str) -> Path:
    return index_dir / MODELS / fingerprint


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index folder; a second waits rather than interleaving writes."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _citation(data: dict) -> Citation:
    return Citation(**data)


def write_build(
    index_dir: Path,
    manifest: Manifest,
    passages: list[Passage],
    vectors: np.ndarray,
    lexical: LexicalIndex,
    sentences: Sentences,
    phrases: PhraseIndex,
    index_params: IndexParams | None = None,
    skipped: Sequence[tuple[str, str]] = (),
) -> Path:
    """Write a complete build to a temporary folder, then make it current with atomic renames.

    A reader (or a crash) sees either the old build or the new one, never a half-written folder.
    """
    builds = index_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    now = time.time_ns()
    # Sortable by time down to the nanosecond, so pruning keeps the newest.
    name = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9)) + f".{now % 10**9:09d}-{os.getpid()}"
    staging = builds / f".{name}.tmp"
    pointer = index_dir / f".{CURRENT}.tmp"
    staging.mkdir()
    try:
        with open(staging / PASSAGES, "w", encoding="utf-8") as out:
            for passage in passages:
                out.write(json.dumps(asdict(passage), ensure_ascii=False) + "\n")
        VectorIndex.build(vectors, index_params).save(staging / VECTORS)
        lexical.save(staging / LEXICAL)
        phrases.save(staging / PHRASES)
        sentences.vectors.save(staging / SENTENCE_VECTORS)
        np.save(staging / SENTENCE_MAP, sentences.rows)
        (staging / SKIPPED).write_text(json.dumps([list(each) for each in skipped], ensure_ascii=False))
        # Loading checks these, so that a file damaged on disk is refused instead of served from.
        (staging / CHECKSUMS).write_text(json.dumps(_checksums(staging), indent=2))
        # The manifest goes last: a folder with a manifest is a finished build.
        (staging / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2))
        _fsync_tree(staging)
        final = builds / name
        staging.rename(final)
    except BaseException:
        # A full disk, an interruption: nothing of this build stays, and the current one is untouched.
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        with open(pointer, "w") as out:
            out.write(f"{BUILDS}/{name}\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(pointer, index_dir / CURRENT)
    except BaseException:
        pointer.unlink(missing_ok=True)
        if current_build(index_dir) != final:
            shutil.rmtree(final, ignore_errors=True)
        raise
    _prune(index_dir, keep=final)
    return final


def remove_staging(index_dir: Path) -> int:
    """Remove what interrupted builds left (staging folders, a half-written CURRENT); bytes freed.

    Called under `build_lock`: no other build is writing, so every staging name is a leftover.
    """
    freed = 0
    leftovers = [index_dir / f".{CURRENT}.tmp"]
    if (index_dir / BUILDS).is_dir():
        leftovers += [
            p for p in (index_dir / BUILDS).iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")
        ]
    if (index_dir / MODELS).is_dir():
        leftovers += [p for p in (index_dir / MODELS).iterdir() if p.name.endswith(".tmp")]
    for path in leftovers:
        if path.is_dir():
            freed += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            freed += path.stat().st_size
            path.unlink(missing_ok=True)
    return freed


def build_bytes(
    passages: Sequence[Passage], vectors: np.ndarray, sentences: np.ndarray, rows: np.ndarray
) -> int:
    """About the size of a build folder: the vectors, the sentence map, and the passages' text (written as
    JSON Lines, and again in the lexical and phrase indexes)."""
    text = sum(len(p.text.encode("utf-8")) for p in passages)
    return int(vectors.nbytes + sentences.nbytes + rows.nbytes + 4 * text + 300 * len(passages))


def _checksums(folder: Path) -> dict[str, str]:
    sums = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in (CHECKSUMS, MANIFEST):
            with open(path, "rb") as handle:  # in chunks: vector files can be larger than memory
                sums[path.relative_to(folder).as_posix()] = hashlib.file_digest(handle, "sha256").hexdigest()
    return sums


def _verify(folder: Path) -> None:
    """Refuse a build whose files are not the ones written: truncated, corrupted or missing."""
    if not (folder / CHECKSUMS).is_file():
        return  # written before checksums were; the other checks in load() still apply
    expected = json.loads((folder / CHECKSUMS).read_text())
    actual = _checksums(folder)
    for name, digest in expected.items():
        if actual.get(name) != digest:
            state = "missing" if name not in actual else "corrupt (its checksum differs)"
            raise IndexProblem(
                f"the index in {folder} is damaged: {name} is {state}: run `qa build` to rebuild it"
            )


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


def _prune(index_dir: Path, keep: Path) -> None:
    """Drop all but the newest builds; a server still reading an old one keeps its open files."""
    builds = sorted((p for p in (index_dir / BUILDS).iterdir() if p.is_dir()), key=lambda p: p.name)
    finished = [p for p in builds if not p.name.startswith(".")]
    for old in finished[:-KEEP_BUILDS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for stale in (p for p in builds if p.name.startswith(".")):
        # Left by an interrupted build; an hour is far longer than any build writes for.
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        return None
    return index_dir / pointer.read_text().strip()


def read_manifest(index_dir: Path) -> Manifest:
    folder = current_build(index_dir)
    if folder is None:
        raise IndexProblem(f"no index in {index_dir}: run `qa build` to create it")
    try:
        data = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise IndexProblem(
            f"the index manifest in {folder} is unreadable ({error}): run `qa build`"
        ) from error
    if data.get("format_version") != FORMAT_VERSION:
        raise IndexProblem(
            f"the index in {folder} has format {data.get('format_version')}, this qa reads {FORMAT_VERSION}: run `qa build`"
        )
    try:
        return Manifest(**data)
    except TypeError as error:
        raise IndexProblem(f"the index manifest in {folder} is invalid ({error}): run `qa build`") from error


def _index_params(recorded: dict[str, Any] | None) -> IndexParams | None:
    return IndexParams(**recorded) if recorded else None


def load(index_dir: Path) -> LoadedIndex:
    """Read the current build, checking that its parts agree with its manifest."""
    manifest = read_manifest(index_dir)
    folder = current_build(index_dir)
    assert folder is not None
    try:
        _verify(folder)
        with open(folder / PASSAGES, encoding="utf-8") as lines:
            passages = []
            for line in lines:
                data = json.loads(line)
                passages.append(
                    Passage(
                        data["passage_id"],
                        data["text"],
                        _citation(data["citation"]),
                        tuple(_citation(c) for c in data["also_in"]),
                    )
                )
        kinds = manifest.index_params
        vectors = VectorIndex.load(folder / VECTORS, _index_params(kinds.get("passages")))
        lexical = LexicalIndex.load(folder / LEXICAL, len(passages))
        phrases = PhraseIndex.load(folder / PHRASES, len(passages))
        sentences = Sentences(
            VectorIndex.load(folder / SENTENCE_VECTORS, _index_params(kinds.get("sentences"))),
            np.load(folder / SENTENCE_MAP),
        )
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexProblem(
            f"the index in {folder} is damaged ({error}): run `qa build` to rebuild it"
        ) from error
    if (
        not (len(passages) == len(vectors) == manifest.passage_count)
        or vectors.dimension != manifest.dimension
    ):
        raise IndexProblem(
            f"the index in {folder} is inconsistent: manifest says {manifest.passage_count} passages of "
            f"dimension {manifest.dimension}, found {len(passages)} passages and {len(vectors)} vectors of "
            f"dimension {vectors.dimension}: run `qa build`"
        )
    if len(sentences.vectors) != len(sentences.rows) or (
        len(passages) and sentences.rows[:, 0].max() >= len(passages)
    ):
        raise IndexProblem(f"the sentence index in {folder} does not match its passages: run `qa build`")
    skipped = json.loads((folder / SKIPPED).read_text()) if (folder / SKIPPED).is_file() else []
    loaded = LoadedIndex(
        folder, manifest, passages, vectors, lexical, sentences, phrases, tuple((s, r) for s, r in skipped)
    )
    if not (loaded.model_dir / "model.onnx").is_file():
        raise IndexProblem(f"the exported model {loaded.model_dir} is missing: run `qa build`")
    return loaded
