"""`qa build --ray`: the build's per-page and embedding work on a Ray cluster, with Ray Data."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.embed.late import Span
from qa.embed.runtime import OnnxEmbedder

log = logging.getLogger(__name__)

# Below this many texts a Ray round trip costs more than embedding them here (calibration questions).
SMALL = 256
ROW_TEXTS = 64


def _pack(value: object) -> bytes:
    # Rows carry build objects pickled: Ray Data would otherwise try to fit dataclasses into Arrow types.
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _rows(values: Sequence[object]) -> list[dict[str, Any]]:
    return [{"i": i, "blob": _pack(v)} for i, v in enumerate(values)]


def _in_order(rows: list[dict[str, Any]]) -> list[Any]:
    return [pickle.loads(r["blob"]) for r in sorted(rows, key=lambda r: r["i"])]


class RayCluster:
    """What `build` hands to Ray: the same pure functions as a local build, spread over the cluster.

    Passages, dedup decisions and the index format come out exactly as from a local build; only the
    place where each function runs changes.
    """

    def __init__(self, address: str | None = None, *, num_cpus: int | None = None) -> None:
        import ray

        if not ray.is_initialized():
            # No address: RAY_ADDRESS if set, else a local cluster on this machine's cores.
            ray.init(
                address=address or None,
                num_cpus=None if address else num_cpus,
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.WARNING,
            )
        self.cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        # Ray Data reports each dataset's progress every few seconds, and logs each start and finish; the build
        # shows its own bars per stage. Importing ray.data sets up its loggers, so the level is set after.
        import ray.data

        logging.getLogger("ray.data").setLevel(logging.WARNING)

    def dataset(self, values: Sequence[object]) -> Any:
        import ray.data

        # Enough blocks to keep every CPU busy, few enough that per-task overhead stays small.
        return ray.data.from_items(_rows(values), override_num_blocks=max(1, min(len(values), 4 * self.cpus)))

    def map_pages(self, label: str, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        """One pass of `qa.ingest.articles.paragraphs` over the pages, spread over the cluster, in order."""
        done = self.dataset(items).map(
            lambda r: {"i": r["i"], "blob": _pack(function(pickle.loads(r["blob"])))}
        )
        return _in_order(done.take_all())

    def embedder(self, local: OnnxEmbedder, model_dir: Path) -> RayEmbedder:
        return RayEmbedder(self, local, model_dir)


class _Model:
    """One model per actor, loaded once; the actor pool keeps it between batches."""

    def __init__(self, model_dir: str, batch_size: int) -> None:
        self.embedder = OnnxEmbedder(Path(model_dir), threads=1, batch_size=batch_size)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        # A row holds several of the local build's batches; each still runs on its own, as locally.
        # A late-chunking row's batches hold (text, spans) pairs, and come back with their spans pooled.
        vectors, sentences = [], []
        for blob in batch["blob"]:
            found, pooled = [], []
            for chunk in pickle.loads(blob):
                if chunk and isinstance(chunk[0], tuple):
                    texts, spans = zip(*chunk, strict=True)
                    run, late = self.embedder.run_late(list(texts), spans)
                    found.append(run)
                    pooled.extend(late)
                else:
                    found.append(self.embedder.run(list(chunk)))
            vectors.append(np.concatenate(found).tobytes())
            sentences.append(np.concatenate([found[0][:0], *pooled]).tobytes())
        return {
            "i": batch["i"],
            "vectors": np.array(vectors, dtype=object),
            "sentences": np.array(sentences, dtype=object),
        }


class RayEmbedder:
    """The Embedder of a Ray build: the local model's batches, run by a pool of model-holding actors.

    Batches are cut exactly as OnnxEmbedder cuts them (by length, batch_size each), so each text is
    padded alongside the same others as in a local build.
    """

    def __init__(self, cluster: RayCluster, local: OnnxEmbedder, model_dir: Path) -> None:
        self.cluster, self.local, self.model_dir = cluster, local, model_dir
        self.dimension, self.max_tokens = local.dimension, local.max_tokens

    def count_tokens(self, text: str) -> int:
        return self.local.count_tokens(text)

    def count_tokens_many(self, texts: Sequence[str]) -> list[int]:
        return self.local.count_tokens_many(texts)

    def embed(self, texts: Sequence[str], *, solo: bool = False) -> np.ndarray:
        if len(texts) < SMALL:
            return self.local.embed(texts)
        vectors, _ = self._on_actors(texts, list(texts))
        return vectors

    def embed_late(
        self, texts: Sequence[str], spans: Sequence[Sequence[Span]]
    ) -> tuple[np.ndarray, np.ndarray]:
        if len(texts) < SMALL:
            return self.local.embed_late(texts, spans)
        vectors, pooled = self._on_actors(texts, list(zip(texts, spans, strict=True)))
        return vectors, np.concatenate([vectors[:0], *pooled])

    def _on_actors(self, texts: Sequence[str], items: list[Any]) -> tuple[np.ndarray, list[np.ndarray]]:
        """The vectors of `texts` and, for late-chunking `items`, each text's pooled spans, in text order."""
        import ray.data

        size = self.local.batch_size
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunks = [order[first : first + size] for first in range(0, len(order), size)]
        # Rows of about ROW_TEXTS texts: a row per batch of one text (int8) costs more in Ray than the run.
        per_row = max(1, ROW_TEXTS // size)
        rows = [chunks[first : first + per_row] for first in range(0, len(chunks), per_row)]
        results = (
            self.cluster.dataset([[[items[i] for i in chunk] for chunk in row] for row in rows])
            .map_batches(
                _Model,
                fn_constructor_args=(str(self.model_dir), size),
                batch_size=1,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=self.cluster.cpus),
                num_cpus=1,
            )
            .take_all()
        )
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        pooled = [out[:0]] * len(texts)
        for result in results:
            positions = [i for chunk in rows[int(result["i"])] for i in chunk]
            out[positions] = np.frombuffer(result["vectors"], dtype=np.float32).reshape(-1, self.dimension)
            sentences = np.frombuffer(result["sentences"], dtype=np.float32).reshape(-1, self.dimension)
            if isinstance(items[0], tuple):
                bounds = np.cumsum([0, *(len(items[i][1]) for i in positions)])
                for n, i in enumerate(positions):
                    pooled[i] = sentences[bounds[n] : bounds[n + 1]]
        return out, pooled
