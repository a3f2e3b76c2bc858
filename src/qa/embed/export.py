"""Exporting a sentence-transformers model once to ONNX (pooling and normalisation inside), and its reference."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from qa.embed.runtime import INFO_FILE, ONNX_FILE, TOKENIZER_FILE

log = logging.getLogger(__name__)

FLOAT_FILE = "model.float32.onnx"
# How the model is exported and its int8 weights made; part of the model's identity, so a change
# re-exports and re-embeds.
# "tokens": the graph also gives each token's final state, which late-chunked sentence vectors pool.
EXPORT = "fused-attention-tokens"
QUANTISATION = "int8-per-channel-7bit"
# Architectures whose layers ONNX Runtime's transformer optimiser fuses (its "bert" patterns).
FUSABLE = frozenset({"bert", "roberta", "xlm-roberta", "distilbert", "camembert", "electra"})


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
    sentence embedder: the query path needs neither torch nor sentence-transformers. A second output,
    `tokens`, gives the token states the pooling reads, for late-chunked sentence vectors. With `int8`
    the weights are quantised per channel: a quarter of the size and memory, about twice as fast
    on a small CPU, and the same hit@k on the gold set and SQuAD (see the README).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    progress(f"exporting {model_name} to ONNX")
    # Eager attention exports as plain matrix products, which ONNX Runtime fuses into one attention
    # operator a layer (below); the SDPA export leaves about 200 shape operators it cannot fuse.
    model = _load(SentenceTransformer, model_path)
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
        ) -> tuple[torch.Tensor, torch.Tensor]:
            tokens = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            if mode == "cls":
                pooled = tokens[:, 0]
            else:
                weights = attention_mask.unsqueeze(-1).to(tokens.dtype)
                pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            # Cosine needs unit vectors whatever the model's own pipeline does.
            return torch.nn.functional.normalize(pooled, p=2, dim=1), tokens

    folder.mkdir(parents=True, exist_ok=True)
    sample = torch.ones((2, 8), dtype=torch.long)
    axes = {
        "input_ids": {0: "batch", 1: "tokens"},
        "attention_mask": {0: "batch", 1: "tokens"},
        "token_type_ids": {0: "batch", 1: "tokens"},
        "embedding": {0: "batch"},
        "tokens": {0: "batch", 1: "tokens"},
    }
    with torch.no_grad(), warnings.catch_warnings():
        # The exporter warns about tracing details of the attention code that do not affect the result.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            SentenceEmbedding(),
            (sample, sample, torch.zeros_like(sample)),
            str(folder / FLOAT_FILE),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding", "tokens"],
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


def _load(loader: Any, model_path: str) -> Any:
    """The model, loaded without transformers' progress bar: `qa build` says what it does in its own lines,
    and a failed build's stderr is the one line that says why."""
    from transformers.utils import logging as transformers_logging

    bars = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        return loader(model_path, device="cpu", model_kwargs={"attn_implementation": "eager"})
    finally:
        if bars:
            transformers_logging.enable_progress_bar()


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

    def embed(self, texts: Sequence[str], *, solo: bool = False) -> np.ndarray:
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)
