"""The HTTP contract on a fake model: filters, authors, health and readiness bodies, and the 422s."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fakes import WordsEmbedder, memory_index, passage
from qa.api.app import create_app
from qa.config import Settings
from qa.params import search_params
from qa.search.searcher import Searcher
from qa.search.serving import ServingSearcher

PASSAGES = [
    passage(
        "The harbour museum reopened on 14 May after repairs.",
        "news/2024/museum.txt",
        date="2024-05-15",
        title="Museum reopens",
        author="Ann Lee",
    ),
    passage(
        "The ferry was cancelled for a week because of storms.", "news/2023/ferry.txt", date="2023-11-02"
    ),
    passage("The council approved a budget for cycle lanes.", "council/budget.txt"),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app with a searcher over an in-memory index; no lifespan, so nothing is built or loaded."""
    root = tmp_path_factory.mktemp("app")
    app = create_app(Settings(corpus_dir=root / "corpus", index_dir=root / "index", index_poll_seconds=0))
    searcher = Searcher(memory_index(PASSAGES, WordsEmbedder()), WordsEmbedder(), search_params(Settings()))
    app.state.service.searcher = ServingSearcher(searcher, answers=0, parallel=1)
    yield TestClient(app)


def sources(body: dict) -> list[str]:
    return [r["citation"]["source"] for r in body["results"]]


def test_citations_carry_the_author(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "museum reopened", "k": 1}).json()
    citation = body["results"][0]["citation"]
    assert (citation["title"], citation["date"], citation["author"]) == (
        "Museum reopens",
        "2024-05-15",
        "Ann Lee",
    )
    listed = client.get("/passages").json()["passages"]
    assert {p["citation"]["author"] for p in listed} == {"Ann Lee", None}


def test_filters_by_source_and_date(client: TestClient) -> None:
    ask = {"question": "museum reopened", "k": 5}
    assert sources(client.post("/ask", json={**ask, "filters": {"sources": ["council/*"]}}).json()) == [
        "council/budget.txt"
    ]
    dated = client.post("/ask", json={**ask, "filters": {"date_from": "2023-01-01", "date_to": "2023-12-31"}})
    assert sources(dated.json()) == ["news/2023/ferry.txt"]
    batch = client.post(
        "/ask/batch", json={"questions": ["museum", "ferry"], "filters": {"sources": ["news/2024/*"]}}
    )
    assert [sources(r) for r in batch.json()["responses"]] == [["news/2024/museum.txt"]] * 2
    nothing = client.post("/ask", json={**ask, "filters": {"sources": ["sport/*"]}})
    assert nothing.status_code == 200 and nothing.json()["results"] == []


@pytest.mark.parametrize(
    ("filters", "fragment"),
    [
        ({"sources": [""]}, "sources"),
        ({"sources": "news/*"}, "sources"),
        ({"sources": ["a\u0000b"]}, "sources"),
        ({"sources": ["x"] * 101}, "sources"),
        ({"date_from": "2024-13-01"}, "date_from"),
        ({"date_from": "2024-1-5"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_to": 20240101}, "date_to"),
        ({"date_from": "2024-05-02", "date_to": "2024-05-01"}, "after"),
        ({"author": "Ann Lee"}, "author"),
        ("news/*", "filters"),
    ],
)
def test_bad_filters_get_422_with_a_message(client: TestClient, filters: object, fragment: str) -> None:
    response = client.post("/ask", json={"question": "museum", "filters": filters})
    assert response.status_code == 422, response.text
    assert fragment in response.json()["message"]


def test_health_and_readiness_bodies(client: TestClient, tmp_path: Path) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready" and ready.json()["passages"] == 3
    schema = client.get("/openapi.json").json()
    assert "Ready" in schema["components"]["schemas"] and "FiltersIn" in schema["components"]["schemas"]
    loading = TestClient(create_app(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index")))
    waiting = loading.get("/readyz")
    assert waiting.status_code == 503 and waiting.json() == {
        "status": "not ready",
        "message": "loading the index",
    }


def test_a_date_question_gets_the_answer_span_and_its_value(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "When did the harbour museum reopen?", "k": 3}).json()
    top = body["results"][0]
    assert top["citation"]["source"] == "news/2024/museum.txt"
    answer = top["answer"]
    assert top["text"][answer["start"] : answer["end"]] == answer["text"] == "14 May"
    # The year comes from the article's date.
    assert answer["value"] == "2024-05-14"
    assert body["timeline"] == []  # one date only


def test_other_questions_get_no_answer_span_and_no_timeline(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "Who approved the budget?", "k": 3}).json()
    assert [r["answer"] for r in body["results"]] == [None] * len(body["results"])
    assert body["timeline"] == []


def test_answer_and_timeline_are_in_the_openapi_schema(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"start", "end", "text", "value"} <= set(schemas["AnswerOut"]["properties"])
    assert "answer" in schemas["Result"]["properties"] and "timeline" in schemas["AskResponse"]["properties"]
    assert {"date", "text", "rank"} <= set(schemas["TimelineEntryOut"]["properties"])


def test_view_page_shows_the_answer_first(client: TestClient) -> None:
    listed = client.get("/passages").json()["passages"]
    museum = next(p for p in listed if p["citation"]["source"] == "news/2024/museum.txt")
    page = client.get(f"/view/{museum['passage_id']}", params={"q": "When did the museum reopen?"}).text
    assert "<strong>14 May</strong>" in page and "2024-05-14" in page
    plain = client.get(f"/view/{museum['passage_id']}").text
    assert "class=answer" not in plain
