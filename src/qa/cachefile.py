"""Cache files of arrays (.npz): versioned, written atomically, read tolerantly (losing one only costs time)."""

from __future__ import annotations

import logging
import os
import zipfile
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# What numpy raises for a file that is truncated, garbled or not an .npz at all.
_DAMAGE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


# The array that holds a file's format version; files written without one are version 1.
VERSION = "format_version"


def read(path: Path, names: tuple[str, ...], *, version: int = 1) -> dict[str, np.ndarray] | None:
    """The named arrays of the file, or None when it is missing, damaged (reported) or of another version."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            found = int(data[VERSION]) if VERSION in data.files else 1
            if found != version:
                log.info("ignoring the cache %s of format %d (this build writes %d)", path, found, version)
                return None
            return {name: np.asarray(data[name]) for name in names}
    except _DAMAGE as error:
        log.warning(
            "ignoring the unreadable cache %s (%s: %s); it is rebuilt", path, type(error).__name__, error
        )
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(folder: Path) -> int:
    """Remove the temporary files that a killed writer left in `folder` (its process is gone); bytes freed."""
    freed = 0
    if not folder.is_dir():
        return freed
    for path in folder.glob(".*.tmp"):
        pid = path.name[: -len(".tmp")].rsplit(".", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)) and path.is_file():
            freed += path.stat().st_size
            path.unlink(missing_ok=True)
    return freed


def write(path: Path, *, version: int = 1, **arrays: np.ndarray) -> None:
    """Written to a temporary file and renamed over the old one: a reader never sees half a file, and a failed
    write (a full disk) leaves neither half a file nor the temporary one."""
    if version != 1:
        arrays = {**arrays, VERSION: np.array(version)}
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(staging, "wb") as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]  # numpy's stub reads every keyword as allow_pickle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
