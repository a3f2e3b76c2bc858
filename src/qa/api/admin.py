"""The admin API: upload and delete corpus documents and rebuild the index, behind a bearer token."""

from __future__ import annotations

import secrets
import time
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from qa.api.documents import extraction_store
from qa.api.schemas import DeletedOut, DocumentOut, Problem, ReindexOut, SkippedOut
from qa.build import BuildError
from qa.build.faults import MachineFault
from qa.index.store import IndexProblem
from qa.ingest import uploads as corpus
from qa.ingest.readers import Limits

UPLOAD_PATH = "/documents"
_bearer = HTTPBearer(auto_error=False, description="the value of QA_ADMIN_TOKEN")


def require_admin(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """404 while QA_ADMIN_TOKEN is unset (the admin API is off), 401 without the right bearer token."""
    token = request.app.state.settings.admin_token
    if token is None:
        raise HTTPException(404, detail="the admin API is off: set QA_ADMIN_TOKEN to enable it")
    given = credentials.credentials if credentials else ""
    # compare_digest takes as long for a near miss as for a wild guess.
    if not secrets.compare_digest(given.encode("utf-8", "replace"), token.get_secret_value().encode()):
        raise HTTPException(
            401,
            detail="a valid admin token is required: send Authorization: Bearer <QA_ADMIN_TOKEN>",
            headers={"WWW-Authenticate": "Bearer"},
        )


ERRORS: dict[int | str, dict] = {
    401: {"model": Problem, "description": "missing or wrong admin token"},
    404: {"model": Problem, "description": "the admin API is off, or no such document"},
    413: {"model": Problem, "description": "upload larger than QA_MAX_UPLOAD_BYTES"},
    422: {"model": Problem, "description": "refused name or content; nothing changed"},
}
router = APIRouter(tags=["admin"], dependencies=[Depends(require_admin)], responses=ERRORS)


@router.post(UPLOAD_PATH, status_code=201, response_model=DocumentOut)
def upload(
    request: Request,
    file: Annotated[
        UploadFile,
        File(description="a document a build indexes: .txt, .md or .html (UTF-8), .pdf, .docx, .odt or .eml"),
    ],
    path: Annotated[
        str | None, Form(description="name in the corpus, e.g. news/a.txt; default: the file's name")
    ] = None,
) -> DocumentOut:
    """Add or replace a corpus document; it is searchable after POST /admin/reindex.

    A PDF, Word, ODT or e-mail file is read before it is saved: one a build could not index (encrypted,
    damaged, no text) is refused with the reason, and nothing is written.
    """
    settings = request.app.state.settings
    name = path or file.filename or ""
    # One byte over the limit is enough to refuse; never read more than that into memory.
    content = file.file.read(settings.max_upload_bytes + 1)
    try:
        saved = corpus.save(
            settings.corpus_dir,
            name,
            content,
            limit=settings.max_upload_bytes,
            limits=Limits.of(settings),
            store=extraction_store(settings),
        )
    except corpus.DocumentProblem as problem:
        raise HTTPException(422, detail=f"{problem}; nothing was changed") from problem
    return DocumentOut(
        source=saved.source,
        bytes=saved.bytes,
        replaced=saved.replaced,
        message="saved: POST /admin/reindex to make it searchable",
    )


@router.delete(UPLOAD_PATH + "/{source:path}", response_model=DeletedOut)
def delete(request: Request, source: str) -> DeletedOut:
    """Remove a corpus document by its source name; it leaves the results after POST /admin/reindex."""
    try:
        removed = corpus.delete(request.app.state.settings.corpus_dir, source)
    except corpus.DocumentMissing as missing:
        raise HTTPException(404, detail=str(missing)) from missing
    except corpus.DocumentProblem as problem:
        raise HTTPException(422, detail=str(problem)) from problem
    return DeletedOut(source=removed, message="deleted: POST /admin/reindex to drop it from the results")


@router.post(
    "/admin/reindex",
    response_model=ReindexOut,
    responses={
        409: {"model": Problem, "description": "the corpus cannot be built; the previous index is kept"},
        507: {
            "model": Problem,
            "description": "no space left on the index's disk; the previous index is kept",
        },
    },
)
def reindex(request: Request) -> ReindexOut:
    """Rebuild the index from the corpus and swap it in atomically; the old index serves until then.

    A fault of the machine answers with one line that names it and what to do: 507 for a full disk,
    503 for want of memory, 500 for a disk that is read-only or may not be written.
    """
    started = time.perf_counter()
    try:
        searcher = request.app.state.service.reindex()
    except MachineFault as fault:
        raise HTTPException(fault.status, detail=f"build failed, previous index kept: {fault}") from fault
    except BuildError as error:
        raise HTTPException(409, detail=f"build failed, previous index kept: {error}") from error
    except IndexProblem as problem:
        raise HTTPException(
            500, detail=f"the new index cannot be served, previous one kept: {problem}"
        ) from problem
    manifest = searcher.index.manifest
    return ReindexOut(
        build=searcher.index.folder.name,
        passages=manifest.passage_count,
        documents_fingerprint=manifest.corpus_fingerprint,
        built_at=manifest.built_at,
        seconds=round(time.perf_counter() - started, 3),
        skipped=[SkippedOut(source=source, reason=reason) for source, reason in searcher.index.skipped],
    )
