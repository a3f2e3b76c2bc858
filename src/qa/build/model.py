"""The exported model a build embeds with: its identity, and exporting it on first use (or when damaged)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from qa.build import BuildError
from qa.config import Settings
from qa.embed.export import EXPORT, QUANTISATION, export_onnx, model_fingerprint
from qa.embed.runtime import INFO_FILE, OnnxEmbedder
from qa.index.store import model_folder

log = logging.getLogger(__name__)


def model_id(settings: Settings) -> str:
    """The exported model's identity: the weights' fingerprint and how they were exported."""
    weights = QUANTISATION if settings.int8 else "fp32"
    return f"{model_fingerprint(settings.model_path())}-{EXPORT}-{weights}"


def ensure_model(settings: Settings) -> tuple[Path, str]:
    """The exported model for the configured one, exported on first use, and again if its files are damaged."""
    fingerprint = model_id(settings)
    folder = model_folder(settings.index_dir, fingerprint)
    if (folder / INFO_FILE).is_file():
        try:
            OnnxEmbedder(folder)
            return folder, fingerprint
        except Exception as error:  # ONNX Runtime, tokenizers and json each raise their own kind
            log.warning("the exported model in %s is damaged (%s): exporting it again", folder, error)
            shutil.rmtree(folder, ignore_errors=True)
    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)  # left by an interrupted export
    try:
        export_onnx(
            settings.model_path(), staging, model_name=settings.model, int8=settings.int8, progress=log.info
        )
    except (OSError, ValueError) as error:
        raise BuildError(f"cannot load model {settings.model!r}: {error}") from error
    staging.rename(folder)
    return folder, fingerprint
