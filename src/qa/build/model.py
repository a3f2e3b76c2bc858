"""The exported model a build embeds with: its identity, and exporting it on first use (or when damaged)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from qa.build import BuildError
from qa.build.faults import MachineFault, disk_full, existing, fault_of, nearly_full, need_space
from qa.config import Settings
from qa.embed.export import EXPORT, QUANTISATION, export_onnx, model_fingerprint
from qa.embed.runtime import INFO_FILE, OnnxEmbedder
from qa.index.store import model_folder

log = logging.getLogger(__name__)

WEIGHTS = (".safetensors", ".bin", ".pt", ".pth")
# The export's peak on disk, in multiples of the weights: the float32 graph, and while quantising, the
# quantiser's shape-inferred copy of it beside it (measured: 181 MB for 91 MB of weights, 24 MB at the end).
PEAK_INT8 = 2.1
PEAK_FLOAT = 1.1


def model_id(settings: Settings) -> str:
    """The exported model's identity: the weights' fingerprint and how they were exported."""
    weights = QUANTISATION if settings.int8 else "fp32"
    return f"{model_fingerprint(settings.model_path())}-{EXPORT}-{weights}"


def weights_bytes(model_path: str) -> int:
    """The size of a model's weight files; 0 when it is not a local folder (the need is then unknown)."""
    path = Path(model_path)
    if not path.is_dir():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and p.suffix in WEIGHTS)


def export_bytes(settings: Settings) -> int:
    """The disk space the export of the configured model needs at its peak."""
    return int(weights_bytes(settings.model_path()) * (PEAK_INT8 if settings.int8 else PEAK_FLOAT))


def check_export(folder: Path) -> None:
    """Load the exported model once and embed a word: a truncated or garbled file fails here, not later."""
    embedder = OnnxEmbedder(folder)
    vector = embedder.embed(["check"])
    if vector.shape != (1, embedder.dimension) or not np.isfinite(vector).all():
        raise ValueError(
            f"the exported model gives vectors of shape {vector.shape}, not (1, {embedder.dimension})"
        )


def ensure_model(settings: Settings) -> tuple[Path, str]:
    """The exported model for the configured one, exported on first use, and again if its files are damaged.

    The export is written to a staging folder, checked by loading it, and only then renamed into place;
    a failed export (a full disk included) removes the staging folder, so nothing of it is left behind.
    """
    fingerprint = model_id(settings)
    folder = model_folder(settings.index_dir, fingerprint)
    if (folder / INFO_FILE).is_file():
        try:
            OnnxEmbedder(folder)
            return folder, fingerprint
        except Exception as error:  # ONNX Runtime, tokenizers and json each raise their own kind
            log.warning("the exported model in %s is damaged (%s): exporting it again", folder, error)
            shutil.rmtree(folder, ignore_errors=True)
    elif folder.exists():
        log.warning("the exported model in %s is incomplete: exporting it again", folder)
        shutil.rmtree(folder, ignore_errors=True)
    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)  # left by an interrupted export
    needed = export_bytes(settings)
    need_space(settings.index_dir, needed)
    _temporary_space(settings.index_dir, int(weights_bytes(settings.model_path()) * PEAK_FLOAT))
    try:
        export_onnx(
            settings.model_path(), staging, model_name=settings.model, int8=settings.int8, progress=log.info
        )
        check_export(staging)
    except BaseException as error:
        # Before removing what was written: a writer that met a full disk may have said "damaged file".
        full = nearly_full(staging)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, MachineFault):
            raise
        if not isinstance(error, Exception):
            raise  # KeyboardInterrupt, SystemExit: the staging folder is gone, the interruption goes on
        fault = fault_of(error, settings.index_dir)
        if fault is not None and fault.status == 507 and needed:
            raise disk_full(settings.index_dir, needed=needed) from error
        if fault is not None:
            raise fault from error
        if full:
            raise disk_full(settings.index_dir, needed=needed) from error
        if isinstance(error, OSError | ValueError):
            raise BuildError(f"cannot load model {settings.model!r}: {error}") from error
        raise BuildError(
            f"exporting model {settings.model!r} failed ({type(error).__name__}: {_first_line(error)}); "
            f"nothing of it was kept: run the build again"
        ) from error
    staging.rename(folder)
    return folder, fingerprint


def _temporary_space(index_dir: Path, needed: int) -> None:
    """ONNX Runtime's optimiser writes a copy of the float32 graph to the temporary folder: on another disk
    than the index, that disk needs room for it too."""
    temporary = Path(tempfile.gettempdir())
    try:
        other = os.stat(existing(temporary)).st_dev != os.stat(existing(index_dir)).st_dev
    except OSError:
        return
    if other and needed:
        need_space(temporary, needed, setting="TMPDIR")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else "no message"
