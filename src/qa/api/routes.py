"""The HTTP routes: thin wrappers that validate, call the Searcher and shape the response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from qa.api.schemas import (
    AskRequest,
    AskResponse,
    BatchRequest,
    BatchResponse,
    Health,
    PassageOut,
    PassagePage,
    Problem,
    Ready,
)
from qa.search.serving import ServingSearcher

router = APIRouter()


async def searcher(request: Request) -> ServingSearcher:
    """The live Searcher, or 503 while the index is still loading or could not be loaded."""
    # async: it only reads an attribute, and FastAPI runs a plain `def` dependency on a worker thread.
    current = request.app.state.service.searcher
    if current is None:
        raise HTTPException(503, detail=request.app.state.service.status)
    return current


SearcherDep = Annotated[ServingSearcher, Depends(searcher)]


def _json(model: BaseModel, status: int = 200, *, exclude_none: bool = False) -> Response:
    return Response(model.model_dump_json(exclude_none=exclude_none), status, media_type="application/json")


ERRORS: dict[int | str, dict] = {
    422: {"model": Problem, "description": "invalid request"},
    503: {"model": Problem, "description": "index not ready"},
}


@router.post("/ask", response_model=AskResponse, responses=ERRORS, tags=["ask"])
def ask(body: AskRequest, search: SearcherDep) -> Response:
    """The best-matching source passages for a question, each with its citation."""
    # Serialised by pydantic in one pass; returned as is, FastAPI would validate the model again and
    # encode it in Python, which costs more than the search's own Python work.
    return _json(AskResponse.of(search.ask(body.question, body.k, body.searched())))


@router.post("/ask/batch", response_model=BatchResponse, responses=ERRORS, tags=["ask"])
def ask_batch(body: BatchRequest, request: Request, search: SearcherDep) -> Response:
    """Several questions in one request, embedded in one pass; for evaluation scripts."""
    limit = request.app.state.settings.max_batch
    if len(body.questions) > limit:
        raise HTTPException(422, detail=f"questions: at most {limit} per batch, got {len(body.questions)}")
    return _json(
        BatchResponse(
            responses=[AskResponse.of(a) for a in search.ask_batch(body.questions, body.k, body.searched())]
        )
    )


@router.get("/passages", response_model=PassagePage, responses=ERRORS, tags=["passages"])
def passages(
    search: SearcherDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> PassagePage:
    """Every indexed passage in a stable order, a page at a time."""
    items = search.index.passages
    return PassagePage(
        total=len(items),
        offset=offset,
        limit=limit,
        passages=[PassageOut.of(p) for p in items[offset : offset + limit]],
    )


@router.get(
    "/passages/{passage_id}",
    response_model=PassageOut,
    responses={404: {"model": Problem}, **ERRORS},
    tags=["passages"],
)
def passage(passage_id: str, search: SearcherDep) -> PassageOut:
    """One passage by id."""
    found = search.passage(passage_id)
    if found is None:
        raise HTTPException(404, detail=f"no passage with id {passage_id!r}")
    return PassageOut.of(found)


@router.get("/healthz", response_model=Health, tags=["operations"])
def healthz() -> Health:
    """200 while the process runs."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Ready,
    response_model_exclude_none=True,
    tags=["operations"],
    responses={503: {"model": Ready, "description": "index not ready"}},
)
def readyz(request: Request) -> Response:
    """200 once the index is loaded and searchable, 503 before (with the reason)."""
    service = request.app.state.service
    if service.searcher is None:
        return _json(Ready(status="not ready", message=service.status), 503, exclude_none=True)
    manifest = service.searcher.index.manifest
    return _json(
        Ready(
            status="ready", passages=manifest.passage_count, model=manifest.model, built_at=manifest.built_at
        ),
        exclude_none=True,
    )
