"""Text -> unit vectors: the exported model under ONNX Runtime, so that serving never imports torch."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from qa.embed.late import Span, pool, token_spans

log = logging.getLogger(__name__)

ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
INFO_FILE = "embedder.json"


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows."""

    dimension: int
    max_tokens: int

    def embed(self, texts: Sequence[str], *, solo: bool = False) -> np.ndarray:
        """Unit vectors of `texts`; `solo` says nothing else is running, so more cores may be used."""
        ...

    def count_tokens(self, text: str) -> int: ...


class LateEmbedder(Embedder, Protocol):
    """An Embedder that also gives sentence vectors pooled from each text's own run (qa.embed.late)."""

    def embed_late(
        self, texts: Sequence[str], spans: Sequence[Sequence[Span]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors of `texts`, and of the character spans of each text, all texts' spans in order."""
        ...


class OnnxEmbedder:
    """The exported model under ONNX Runtime, with the model's own tokenizer and no padding beyond the batch."""

    def __init__(
        self, folder: Path, *, threads: int = 1, batch_size: int = 32, workers: int = 1, solo_threads: int = 1
    ) -> None:
        from tokenizers import Tokenizer

        info = json.loads((folder / INFO_FILE).read_text())
        self.dimension = int(info["dimension"])
        self.max_tokens = int(info["max_tokens"])
        self.model = str(info["model"])
        # Dynamic int8 quantisation scales activations per run, so a text's vector would depend on the texts
        # batched with it (cosine down to 0.987): one text per run makes it the same wherever it is computed.
        self.batch_size = 1 if info.get("weights") == "int8" else batch_size
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        # The bundled tokenizer.json pads every input to 128 tokens: a short question would pay for all of them.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_tokens)
        self._counter: Tokenizer | None = None
        self.session = _session(folder / ONNX_FILE, threads)
        # A second session with more threads, for a text embedded while nothing else runs (`embed(solo=True)`).
        # Its vectors are the same to the bit: the int8 products are exact and the work splits by rows.
        self.solo_threads = solo_threads or os.cpu_count() or 1
        more = self.solo_threads > (threads or os.cpu_count() or 1)
        self.solo = _session(folder / ONNX_FILE, self.solo_threads, spin=True) if more else None
        self._inputs = {i.name for i in self.session.get_inputs()}
        # Builds embed many texts: batches run side by side on `workers` threads (ONNX Runtime releases
        # the GIL), which on a short text beats spreading one run over the cores.
        self.workers = max(1, workers)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees, [CLS] and [SEP] included, before truncation."""
        return len(self._counting().encode(text).ids)

    def count_tokens_many(self, texts: Sequence[str]) -> list[int]:
        """`count_tokens` of each text, in one batch that the tokenizer spreads over the cores."""
        return [len(encoding.ids) for encoding in self._counting().encode_batch(list(texts))]

    def _counting(self) -> Any:
        if self._counter is None:
            # A second tokenizer that never truncates: switching truncation off and on for every
            # call costs more than the count itself, and builds count every paragraph and sentence.
            self._counter = self.tokenizer.from_str(self.tokenizer.to_str())
            self._counter.no_truncation()
        return self._counter

    def embed(self, texts: Sequence[str], *, solo: bool = False) -> np.ndarray:
        """Unit vectors of `texts`; `solo` when nothing else runs, so that the solo session may use more cores."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        session = self.solo if solo and self.solo is not None else self.session
        out = np.empty((len(texts), self.dimension), dtype=np.float32)

        def run(chunk: list[int]) -> None:
            out[chunk] = self.run([texts[i] for i in chunk], session)

        self._in_batches(texts, run)
        return out

    def _in_batches(self, texts: Sequence[str], run: Callable[[list[int]], None]) -> None:
        """Call `run` on the positions of each batch of `texts`, batches side by side on `workers` threads."""
        # Sorting by length keeps each batch's padding small.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunks = [order[first : first + self.batch_size] for first in range(0, len(order), self.batch_size)]
        if self.workers > 1 and len(chunks) > 1:
            with ThreadPoolExecutor(min(self.workers, len(chunks))) as executor:
                list(executor.map(run, chunks))
        else:
            for chunk in chunks:
                run(chunk)

    def keep_solo_if_faster(self, texts: Sequence[str], rounds: int = 5) -> bool:
        """Time the solo session against the single-threaded one on `texts`, interleaved, and keep it only if
        faster. Whether more threads pay on one short text depends on the CPU: 25% faster on one 2-core
        machine here, slower on another, where waking the second thread cost more than the split saved."""
        if self.solo is None:
            return False
        timings: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(rounds):
            for text in texts:
                for solo in (False, True):
                    started = time.perf_counter()
                    self.embed([text], solo=solo)
                    timings[solo].append(time.perf_counter() - started)
        alone, single = (float(np.median(timings[solo])) * 1000 for solo in (True, False))
        log.info("one question: %.2f ms on %d threads, %.2f ms on one", alone, self.solo_threads, single)
        if alone >= single:
            self.solo = None
        return self.solo is not None

    def embed_late(
        self, texts: Sequence[str], spans: Sequence[Sequence[Span]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors of `texts`, and late-chunked ones of each text's character `spans`, from the same runs.

        The texts run in the batches `embed` cuts, so their own vectors are exactly those of `embed`.
        """
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        pooled = [np.zeros((0, self.dimension), dtype=np.float32)] * len(texts)

        def run(chunk: list[int]) -> None:
            found, sentences = self.run_late([texts[i] for i in chunk], [spans[i] for i in chunk])
            vectors[chunk] = found
            for i, rows in zip(chunk, sentences, strict=True):
                pooled[i] = rows

        self._in_batches(texts, run)
        return vectors, np.concatenate([vectors[:0], *pooled])

    def run_late(
        self, texts: list[str], spans: Sequence[Sequence[Span]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """One model run on `texts`, their vectors, and each text's `spans` pooled from its token states."""
        encodings = self.tokenizer.encode_batch(texts)
        vectors, states = self._run(encodings, ["embedding", "tokens"], self.session)
        sentences = [
            pool(states[row], token_spans(encoding.offsets, text_spans), vectors[row])
            for row, (encoding, text_spans) in enumerate(zip(encodings, spans, strict=True))
        ]
        return vectors, sentences

    def run(self, texts: list[str], session: Any = None) -> np.ndarray:
        """One model run on `texts` as one batch, in the given order (a build's unit of work)."""
        encodings = self.tokenizer.encode_batch(texts)
        (vectors,) = self._run(encodings, ["embedding"], self.session if session is None else session)
        return vectors

    def _run(self, encodings: list[Any], outputs: list[str], session: Any) -> list[np.ndarray]:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        return [np.asarray(found, dtype=np.float32) for found in session.run(outputs, feeds)]


def _session(path: Path, threads: int, *, spin: bool = False) -> Any:
    """An ONNX Runtime session on the CPU with `threads` threads for one run (0: one per core).

    `spin`: its threads wait for their next share of a run awake, not asleep. Waking a sleeping thread for each
    operator cost more than the split saved on a VM here (a lone question 11.5 ms over HTTP against 8-10 with
    spinning), but threads that spin take the cores that other requests need: only for the solo session.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
