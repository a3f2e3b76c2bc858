"""Text -> unit vectors. The only module that knows the model: sentence-transformers to load and export it,
ONNX Runtime to run it, so that serving never imports torch."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, cast

import numpy as np

log = logging.getLogger(__name__)

ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
INFO_FILE = "embedder.json"
FLOAT_FILE = "model.float32.onnx"
# How the model is exported and its int8 weights made; part of the model's identity, so a change
# re-exports and re-embeds.
EXPORT = "fused-attention"
QUANTISATION = "int8-per-channel-7bit"
# Architectures whose layers ONNX Runtime's transformer optimiser fuses (its "bert" patterns).
FUSABLE = frozenset({"bert", "roberta", "xlm-roberta", "distilbert", "camembert", "electra"})


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows."""

    dimension: int
    max_tokens: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


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
        if self._counter is None:
            # A second tokenizer that never truncates: switching truncation off and on for every
            # call costs more than the count itself, and builds count every paragraph and sentence.
            self._counter = self.tokenizer.from_str(self.tokenizer.to_str())
            self._counter.no_truncation()
        return len(self._counter.encode(text).ids)

    def embed(self, texts: Sequence[str], *, solo: bool = False) -> np.ndarray:
        """Unit vectors of `texts`; `solo` when nothing else runs, so that the solo session may use more cores."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        session = self.solo if solo and self.solo is not None else self.session
        # Sorting by length keeps each batch's padding small.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        chunks = [order[first : first + self.batch_size] for first in range(0, len(order), self.batch_size)]

        def run(chunk: list[int]) -> None:
            out[chunk] = self._run([texts[i] for i in chunk], session)

        if self.workers > 1 and len(chunks) > 1:
            with ThreadPoolExecutor(min(self.workers, len(chunks))) as pool:
                list(pool.map(run, chunks))
        else:
            for chunk in chunks:
                run(chunk)
        return out

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

    def _run(self, texts: list[str], session: Any = None) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        (vectors,) = (self.session if session is None else session).run(["embedding"], feeds)
        return np.asarray(vectors, dtype=np.float32)


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


def model_fingerprint(model_path: str) -> str:
    """Identifies a model's weights and configuration, so that a changed model triggers a rebuild."""
    path = Path(model_path)
    if not path.is_dir():
        return hashlib.sha256(model_path.encode()).hexdigest()[:16]
    digest = hashlib.sha256()
    for file in sorted(
        p for p in path.rglob("*") if p.is_file() and p.suffix in {".json", ".safetensors", ".bin", ".txt"}
    ):
        stat = file.stat()
        digest.update(f"{file.relative_to(path)}:{stat.st_size}".encode())
        if stat.st_size < 1_000_000:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def export_onnx(
    model_path: str,
    folder: Path,
    *,
    model_name: str,
    int8: bool = True,
    progress: Callable[[str], None] = log.info,
) -> None:
    """Load the model with sentence-transformers and export it, pooling and normalisation included, to ONNX.

    Folding mean pooling and L2 normalisation into the graph makes the exported file a complete
    sentence embedder: the query path needs neither torch nor sentence-transformers. With `int8`
    the weights are quantised per channel: a quarter of the size and memory, about twice as fast
    on a small CPU, and the same hit@k on the gold set and SQuAD (see the README).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    progress(f"exporting {model_name} to ONNX")
    # Eager attention exports as plain matrix products, which ONNX Runtime fuses into one attention
    # operator a layer (below); the SDPA export leaves about 200 shape operators it cannot fuse.
    model = SentenceTransformer(model_path, device="cpu", model_kwargs={"attn_implementation": "eager"})
    transformer = cast(torch.nn.Module, model[0].auto_model).eval()
    pooling = model[1]
    mode = getattr(pooling, "pooling_mode", None) or (
        "cls" if getattr(pooling, "pooling_mode_cls_token", False) else "mean"
    )
    if mode not in ("mean", "cls"):
        raise ValueError(f"model {model_name} uses {mode} pooling; only mean and cls pooling can be exported")
    normalise = any(type(module).__name__ == "Normalize" for module in model)

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            tokens = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            if mode == "cls":
                pooled = tokens[:, 0]
            else:
                weights = attention_mask.unsqueeze(-1).to(tokens.dtype)
                pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            # Cosine needs unit vectors whatever the model's own pipeline does.
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    folder.mkdir(parents=True, exist_ok=True)
    sample = torch.ones((2, 8), dtype=torch.long)
    axes = {
        "input_ids": {0: "batch", 1: "tokens"},
        "attention_mask": {0: "batch", 1: "tokens"},
        "token_type_ids": {0: "batch", 1: "tokens"},
        "embedding": {0: "batch"},
    }
    with torch.no_grad(), warnings.catch_warnings():
        # The exporter warns about tracing details of the attention code that do not affect the result.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            SentenceEmbedding(),
            (sample, sample, torch.zeros_like(sample)),
            str(folder / FLOAT_FILE),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    _fuse(folder / FLOAT_FILE, transformer.config, progress)
    if int8:
        progress(f"quantising {model_name} to int8")
        _quantise(folder / FLOAT_FILE, folder / ONNX_FILE)
        (folder / FLOAT_FILE).unlink()
    else:
        (folder / FLOAT_FILE).rename(folder / ONNX_FILE)
    model.tokenizer.backend_tokenizer.save(str(folder / TOKENIZER_FILE))
    info = {
        "model": model_name,
        "dimension": _dimension(model),
        "max_tokens": int(model.max_seq_length or 512),
        "pooling": mode,
        "normalised_by_model": normalise,
        "weights": "int8" if int8 else "float32",
        "export": EXPORT,
        "quantisation": QUANTISATION if int8 else None,
    }
    (folder / INFO_FILE).write_text(json.dumps(info, indent=2))


def _fuse(path: Path, config: Any, progress: Callable[[str], None]) -> None:
    """Fuse each layer's attention, GELU and layer norms with ONNX Runtime's transformer optimiser.

    One operator instead of dozens of small ones a layer: the same vectors (cosine 1.0 in float32),
    and the gold questions embed about 6% faster (int8: 6.8 against 7.3 ms, interleaved, on a 2-core
    AVX2 machine). Architectures the optimiser does not know are left as exported.
    """
    if getattr(config, "model_type", None) not in FUSABLE:
        progress(f"no operator fusion for {getattr(config, 'model_type', 'this')} models")
        return
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(
        str(path),
        model_type="bert",
        num_heads=int(config.num_attention_heads),
        hidden_size=int(config.hidden_size),
    )
    fused.save_model_to_file(str(path))


def _quantise(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of the weights, one scale per output channel, weights in 7 bits.

    One scale per tensor moves embeddings too far (cosine to float32 about 0.96); per channel keeps
    them at about 0.99. CPUs without VNNI (AVX2, plain AVX-512) multiply uint8 activations by int8
    weights in pairs summed into saturating 16-bit integers; 7-bit weights (`reduce_range`) cannot
    overflow there. On such a CPU full-range weights moved gold hit@1 by two questions against
    float32; 7-bit weights left hit@1/3/5 unchanged (README, "Performance").
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    # The quantiser advises shape pre-processing through the root logger; it changes nothing here.
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(
            str(source),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,
            reduce_range=True,
            # Fused operators carry no type information for the quantiser's shape inference.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        root.setLevel(level)


def _dimension(model: Any) -> int:
    # Renamed in sentence-transformers 6; both spellings are supported.
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(getter() or 0)


class SentenceTransformerEmbedder:
    """The reference: plain sentence-transformers on torch, for checking the exported model agrees."""

    def __init__(self, model_path: str, *, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(model_path, device="cpu")
        self.dimension = _dimension(self.model)
        self.max_tokens = int(self.model.max_seq_length or 512)
        self.batch_size = batch_size

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=True)["input_ids"])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)
