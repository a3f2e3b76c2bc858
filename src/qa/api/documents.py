"""The corpus documents the index cites: the original files, the text citations index, and what was skipped.

Public and read-only, like /passages. A source is served only when it is a document of the served index and its
file lies inside the corpus folder: unknown names, `..`, absolute paths, hidden files and symlinks that lead out
of the corpus all get a 404, never a file from elsewhere.
"""

from __future__ import annotations

import codecs
import os
import threading
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from qa.api.schemas import DocumentList, Problem, SkippedOut
from qa.config import Settings
from qa.embed.cache import CACHE_DIR
from qa.index.store import LoadedIndex
from qa.ingest.corpus import read_document
from qa.ingest.documents import Document
from qa.ingest.readers import Unreadable
from qa.ingest.readers.store import ExtractionStore, in_cache

PREFIX = "/documents"

# The original file's media type by suffix; text is served as stored, declared UTF-8 when it is.
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".eml": "message/rfc822",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".md": "text/plain",
    ".markdown": "text/plain",
}
# A stored HTML page runs nothing on our origin: no scripts, no forms, an origin of its own.
HTML_CSP = "sandbox; default-src 'none'; img-src * data:; style-src * 'unsafe-inline'; font-src *"


router = APIRouter(tags=["documents"])
_NOT_FOUND: dict[int | str, dict] = {
    404: {"model": Problem, "description": "not an indexed document"},
    503: {"model": Problem, "description": "index not ready"},
}

_known: tuple[LoadedIndex, frozenset[str]] | None = None
_known_lock = threading.Lock()


def indexed_sources(index: LoadedIndex) -> frozenset[str]:
    """Every source the index cites (citations and `also_in`), computed once per served index."""
    global _known
    known = _known
    if known is not None and known[0] is index:
        return known[1]
    with _known_lock:
        if _known is not None and _known[0] is index:
            return _known[1]
        sources = frozenset(c.source for p in index.passages for c in (p.citation, *p.also_in))
        _known = (index, sources)
        return sources


def _index(request: Request) -> LoadedIndex:
    searcher = request.app.state.service.searcher
    if searcher is None:
        raise HTTPException(503, detail=request.app.state.service.status)
    return searcher.index


def _missing(source: str) -> HTTPException:
    return HTTPException(404, detail=f"no indexed document {source!r}")


def _plain(source: str) -> bool:
    """A relative, `/`-separated name with no empty, `.`, `..` or hidden parts: the shape of a citation's source."""
    if not source or "\x00" in source or source.startswith("/"):
        return False
    parts = source.split("/")
    return (
        all(part and not part.startswith(".") for part in parts) and not PurePosixPath(source).is_absolute()
    )


def located(settings: Settings, index: LoadedIndex, source: str) -> Path:
    """The file of an indexed document, inside the corpus folder (symlinks resolved); 404 otherwise."""
    if not _plain(source) or source not in indexed_sources(index):
        raise _missing(source)
    try:
        root = settings.corpus_dir.resolve()
        path = (root / source).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise _missing(source)
    except (OSError, ValueError, RuntimeError) as error:  # a loop of symlinks, a name the OS refuses
        raise _missing(source) from error
    return path


def extraction_store(settings: Settings) -> ExtractionStore:
    """Where builds remember extracted documents: reading one here costs nothing after a build."""
    return in_cache(settings.index_dir / CACHE_DIR)


def indexed_document(settings: Settings, index: LoadedIndex, source: str) -> Document:
    """An indexed document's text as its citations index it; 404 when it is not one (or no longer readable)."""
    located(settings, index, source)
    try:
        return read_document(settings.corpus_dir, source, extraction_store(settings))
    except (Unreadable, OSError, ValueError) as error:
        raise HTTPException(404, detail=f"the document {source!r} cannot be read: {error}") from error


def document_url(request: Request, source: str) -> str:
    """The path of GET /documents/{source}, quoted, under the app's root path."""
    return f"{request.scope.get('root_path', '')}{PREFIX}/{quote(source)}"


def _media_type(path: Path) -> str:
    """The type of the file as stored. Text is declared UTF-8 when it is; otherwise (and for a page that
    declares its own charset) the browser decides, as it would for the file itself."""
    kind = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    if kind == "text/plain" and _is_utf8(path):
        return "text/plain; charset=utf-8"
    if kind == "text/html" and _is_utf8(path) and not _declares_charset(path):
        return "text/html; charset=utf-8"
    return kind


def _declares_charset(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return b"charset" in handle.read(4096).lower()
    except OSError:
        return True


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return False
    return True


@router.get(PREFIX, response_model=DocumentList, responses=_NOT_FOUND)
def documents(request: Request) -> DocumentList:
    """The indexed documents' sources, and the corpus files the build skipped with the reason."""
    index = _index(request)
    return DocumentList(
        documents=sorted(indexed_sources(index)),
        skipped=[SkippedOut(source=source, reason=reason) for source, reason in index.skipped],
    )


# Before the route of the file itself, whose {source:path} would also match "a/b.pdf/text".
@router.get(
    PREFIX + "/{source:path}/text",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}, **_NOT_FOUND},
)
def document_text(source: str, request: Request) -> Response:
    """The text that citations index: `char_start`/`char_end` slice it, `line_*` count its lines."""
    document = indexed_document(request.app.state.settings, _index(request), source)
    return Response(
        document.text.encode("utf-8", "replace"),
        media_type="text/plain; charset=utf-8",
        headers={"X-Content-Type-Options": "nosniff"},
    )


@router.get(
    PREFIX + "/{source:path}",
    response_class=FileResponse,
    responses={200: {"content": {"application/pdf": {}}}, **_NOT_FOUND},
)
def document_file(source: str, request: Request) -> Response:
    """The original file as stored, shown inline (a PDF opens in the browser; add `#page=N` for a page)."""
    path = located(request.app.state.settings, _index(request), source)
    try:
        stat = os.stat(path)
    except OSError as error:
        raise _missing(source) from error
    kind = _media_type(path)
    headers = {"X-Content-Type-Options": "nosniff"}
    if kind.startswith("text/html"):
        headers["Content-Security-Policy"] = HTML_CSP
    response = FileResponse(
        path,
        media_type=kind,
        headers=headers,
        filename=PurePosixPath(source).name,
        stat_result=stat,
        content_disposition_type="inline",
    )
    # Starlette would add "charset=utf-8" to any text/ type: only where the file is UTF-8.
    response.headers["content-type"] = kind
    return response
