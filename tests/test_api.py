"""The HTTP API with the real bundled model on the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.config import Settings
from qa.dedup.similarity import containment, jaccard, shingles, similar
from qa.ingest.citations import citation_matches
from qa.params import dedup_thresholds

pytestmark = pytest.mark.slow
THRESHOLDS = dedup_thresholds(Settings())


def _source_text(corpus_dir: Path, citation: dict) -> str:
    text = (corpus_dir / citation["source"]).read_text(encoding="utf-8")
    return text[citation["char_start"] : citation["char_end"]]


def _check_citation(corpus_dir: Path, text: str, citation: dict) -> None:
    raw = _source_text(corpus_dir, citation)
    assert citation_matches(text, raw), (text, raw)
    lines = (corpus_dir / citation["source"]).read_text(encoding="utf-8").splitlines()
    assert raw.splitlines()[0].strip() in lines[citation["line_start"] - 1]
    assert raw.splitlines()[-1].strip() in lines[citation["line_end"] - 1]


def test_deadline_question_finds_both_deadlines(client, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/ask", json={"question": "when was the deadline?"})
    assert response.status_code == 200
    body = response.json()
    assert body["question"] == "when was the deadline?" and body["no_answer"] is False
    texts = [r["text"] for r in body["results"]]
    assert len(texts) == 5
    assert any("July 20" in t for t in texts), texts
    assert any("December 31" in t or "Dec. 31" in t for t in texts), texts
    assert [r["rank"] for r in body["results"]] == [1, 2, 3, 4, 5]
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_every_result_cites_its_source_exactly(client, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    for question in (
        "when was the deadline?",
        "how many residents moved to Camp Hurriya?",
        "who is Maryam Rajavi?",
    ):
        for result in client.post("/ask", json={"question": question, "k": 10}).json()["results"]:
            _check_citation(corpus_dir, result["text"], result["citation"])
            for other in result["also_in"]:
                # Another copy of the same or nearly the same text: its span holds the words of the result,
                # or of a part of it (a copy cut short), up to the dedup thresholds.
                copy = shingles(_source_text(corpus_dir, other))
                assert similar(shingles(result["text"]), copy, THRESHOLDS), (result["text"], other)
            span = result["highlight"]
            if span is not None:
                assert 0 <= span["start"] < span["end"] <= len(result["text"])


def test_duplicates_are_citations_not_results(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/ask", json={"question": "when was the deadline?", "k": 20}).json()
    july = [r for r in body["results"] if "July 20 deadline" in r["text"]]
    assert len(july) == 1
    # The story in 000 is printed twice: the second copy (line 18) is a citation of the first.
    assert any(c["line_start"] <= 18 <= c["line_end"] for c in july[0]["also_in"])
    texts = [r["text"] for r in body["results"]]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            sa, sb = shingles(a), shingles(b)
            assert jaccard(sa, sb) < 0.5 and containment(sa, sb) < 0.8 and containment(sb, sa) < 0.8


def test_all_passages_paginate_and_cite_exactly(client, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/passages", params={"limit": 50}).json()
    total = first["total"]
    collected = []
    for offset in range(0, total, 50):
        collected += client.get("/passages", params={"offset": offset, "limit": 50}).json()["passages"]
    assert len(collected) == total == len({p["passage_id"] for p in collected})
    for passage in collected:
        _check_citation(corpus_dir, passage["text"], passage["citation"])
    one = client.get(f"/passages/{collected[3]['passage_id']}")
    assert one.status_code == 200 and one.json() == collected[3]


def test_index_has_no_near_duplicates_or_boilerplate(client) -> None:  # type: ignore[no-untyped-def]
    passages = client.get("/passages", params={"limit": 1000}).json()["passages"]
    texts = [p["text"] for p in passages]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            sa, sb = shingles(a), shingles(b)
            assert jaccard(sa, sb) < 0.8 and containment(sa, sb) < 0.9 and containment(sb, sa) < 0.9, (a, b)
    joined = "\n".join(texts)
    for chrome in ("Facebook", "0 comments", "©", "Nejat Society", "• ", "Back To Top", "Older Posts"):
        assert chrome not in joined


def test_no_passage_is_truncated_by_the_model(searcher) -> None:  # type: ignore[no-untyped-def]
    from qa.build.passages import embedding_text

    embedder = searcher.searcher.embedder
    assert all(
        embedder.count_tokens(embedding_text(p)) <= embedder.max_tokens for p in searcher.index.passages
    )


def test_citations_carry_article_title_and_date(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post(
        "/ask", json={"question": "Who signed the memorandum of understanding with the UN?"}
    ).json()
    dated = [r["citation"] for r in body["results"] if r["citation"]["date"]]
    assert dated and all(len(c["date"]) == 10 and c["title"] for c in dated)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "question"),
        ({"question": ""}, "question"),
        ({"question": "   \n\t "}, "question"),
        ({"question": "x" * 1001}, "question"),
        ({"question": 5}, "question"),
        ({"question": ["when?"]}, "question"),
        ({"question": "when?", "k": 0}, "k"),
        ({"question": "when?", "k": 51}, "k"),
        ({"question": "when?", "k": "5"}, "k"),
        ({"question": "when?", "k": 2.5}, "k"),
        ({"question": "when?", "k": None}, "k"),
    ],
)
def test_invalid_bodies_get_422_with_a_message(client, body: dict, fragment: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/ask", json=body)
    assert response.status_code == 422
    assert fragment in response.json()["message"]


def test_unknown_passage_is_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/passages/does-not-exist")
    assert response.status_code == 404 and "does-not-exist" in response.json()["message"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "many"}])
def test_bad_pagination_is_422(client, params: dict) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/passages", params=params).status_code == 422


def test_health_ready_and_docs(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["passages"] > 0
    assert client.get("/docs").status_code == 200
    assert "/ask" in client.get("/openapi.json").json()["paths"]


def test_batch_answers_each_question_in_order(client) -> None:  # type: ignore[no-untyped-def]
    questions = ["when was the deadline?", "Who is the UN special representative in Iraq?"]
    body = client.post("/ask/batch", json={"questions": questions, "k": 3}).json()
    assert [r["question"] for r in body["responses"]] == questions
    single = client.post("/ask", json={"question": questions[1], "k": 3}).json()
    assert [r["passage_id"] for r in body["responses"][1]["results"]] == [
        r["passage_id"] for r in single["results"]
    ]


def test_not_ready_before_the_index_loads(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from qa.api.app import create_app
    from qa.config import Settings

    empty = tmp_path / "corpus"
    empty.mkdir()
    app = create_app(Settings(corpus_dir=empty, index_dir=tmp_path / "index"), load_in_background=False)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503 and "nothing to index" in ready.json()["message"]
        asked = client.post("/ask", json={"question": "anything"})
        assert asked.status_code == 503 and asked.json()["message"]


def test_deadline_question_gets_a_timeline_in_date_order(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/ask", json={"question": "when was the deadline?"}).json()
    timeline = body["timeline"]
    dated = [e["date"] for e in timeline if e["date"] is not None]
    # The year-end deadline, and the same deadline extended by six months.
    assert {"2011-12-31", "2012-06-30"} <= set(dated) and dated == sorted(dated) == sorted(set(dated))
    # Undated mentions come after the dated ones.
    assert [e["date"] is None for e in timeline] == sorted(e["date"] is None for e in timeline)
    by_rank = {r["rank"]: r for r in body["results"]}
    for entry in timeline:
        # Each entry is its result's answer, or words of that result that move the answer's date.
        result = by_rank[entry["rank"]]
        answer = result["answer"]
        assert entry["text"] == answer["text"] or (answer["text"] in entry["text"] in result["text"])
        assert entry["date"] == answer["value"] or entry["text"] != answer["text"]
    assert any(e["text"] == "July 20" for e in timeline)


def test_the_ignored_deadline_is_answered(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/ask", json={"question": "What deadline did the exiles ignore?"}).json()
    answer = next(r["answer"] for r in body["results"] if r["answer"] is not None)
    assert answer["text"] == "July 20"
