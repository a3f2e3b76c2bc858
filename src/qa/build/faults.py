"""Faults of the machine during a build (a full disk, no memory, no permission, a read-only disk), each said
in one sentence that names it and what to do, instead of the traceback of whichever write met it first."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from qa.build import BuildError

DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
NO_ACCESS = frozenset({errno.EACCES, errno.EPERM})
MACHINE = DISK_FULL | NO_ACCESS | {errno.EROFS}
# A write that failed for want of space leaves less than this free (the rest of the block it was writing).
NEARLY_FULL = 4 * 1024 * 1024
AGAIN = "and build again"


class MachineFault(BuildError):
    """The machine, not the corpus, stopped the build; `status` is the HTTP status the admin API answers."""

    def __init__(self, message: str, *, status: int = 500) -> None:
        super().__init__(message)
        self.status = status


def size(count: float) -> str:
    """Bytes as an operator reads them: '150 MB', '3.2 MB', '0.4 MB'."""
    megabytes = count / 1e6
    return f"{megabytes:.0f} MB" if megabytes >= 10 else f"{megabytes:.1f} MB"


def existing(path: Path) -> Path:
    """The path, or the nearest folder above it that exists (whose disk the path would be written to)."""
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(existing(path)).free


def disk_full(
    where: Path, *, needed: int | None = None, free: int | None = None, setting: str = "QA_INDEX_DIR"
) -> MachineFault:
    free = free_bytes(where) if free is None else free
    amounts = f"about {size(needed)} needed, {size(free)} free" if needed else f"{size(free)} free"
    return MachineFault(
        f"no space left on the disk of {where}: {amounts}: free some space there, or set {setting} to a "
        f"folder on a larger disk, {AGAIN}",
        status=507,
    )


def need_space(where: Path, needed: int, *, setting: str = "QA_INDEX_DIR") -> None:
    """Refuse, before writing, what cannot fit: `needed` bytes on the disk of `where`."""
    free = free_bytes(where)
    if free < needed:
        raise disk_full(where, needed=needed, free=free, setting=setting)


def nearly_full(where: Path) -> bool:
    """Whether the disk of `where` is full enough that a failed write there ran out of space (some
    writers, such as ONNX's and torch's, report a short write as a damaged file, not as ENOSPC)."""
    try:
        return free_bytes(where) < NEARLY_FULL
    except OSError:
        return False


def _shown(error: OSError, index_dir: Path) -> Path:
    """Where the fault is: the index folder for its own files, else the file named by the error."""
    if not error.filename:
        return index_dir
    named = Path(os.fsdecode(error.filename))
    try:
        named.resolve().relative_to(index_dir.resolve())
        return index_dir
    except ValueError:
        return named.parent if named.suffix else named


def fault_of(error: BaseException, index_dir: Path) -> MachineFault | None:
    """The sentence for a fault of the machine, or None for any other error."""
    if isinstance(error, MemoryError):
        return MachineFault(
            "out of memory while building the index: stop other programs, lower QA_BUILD_WORKERS and "
            f"QA_EMBED_BATCH_SIZE, or build on a machine with more memory, {AGAIN}",
            status=503,
        )
    if not isinstance(error, OSError) or error.errno not in MACHINE:
        return None
    where = _shown(error, index_dir)
    if error.errno == errno.ENOSPC:
        return disk_full(where)
    if error.errno == errno.EDQUOT:
        return MachineFault(
            f"the disk quota for {where} is used up: free some space in it, or set QA_INDEX_DIR to a folder "
            f"on another disk, {AGAIN}",
            status=507,
        )
    if error.errno == errno.EROFS:
        return MachineFault(
            f"the disk of {where} is read-only: mount it writable, or set QA_INDEX_DIR to a folder on a "
            f"writable disk, {AGAIN}"
        )
    named = os.fsdecode(error.filename) if error.filename else str(index_dir)
    return MachineFault(
        f"permission denied on {named}: let the user qa runs as read and write {where}, or set QA_INDEX_DIR "
        f"to a folder it may write, {AGAIN}"
    )


@contextlib.contextmanager
def machine_faults(index_dir: Path) -> Iterator[None]:
    """Turn a fault of the machine met anywhere inside into a MachineFault; other errors pass unchanged."""
    try:
        yield
    except BuildError:
        raise
    except (OSError, MemoryError) as error:
        fault = fault_of(error, index_dir)
        if fault is None:
            raise
        raise fault from error
    except Exception as error:
        # Writers in C++ (faiss, ONNX, torch) report a short write as their own error, not as ENOSPC.
        if os.strerror(errno.ENOSPC) in str(error) or nearly_full(index_dir):
            raise disk_full(index_dir) from error
        raise
