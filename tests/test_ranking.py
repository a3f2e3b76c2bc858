"""The ranking on a real in-memory index and a fake words model: fusion, filters, query-time dedup, abstention."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fakes import WordsEmbedder, memory_index, passage
from qa.config import Settings
from qa.params import search_params
from qa.search.filters import Filters
from qa.search.searcher import Searcher
from qa.types import Citation

HARBOUR = passage(
    "The Port Elsworth harbour museum reopened on 14 May after a year of repairs to its roof.",
    "news/2024/museum.txt",
    date="2024-05-15",
    title="Harbour museum reopens",
)
FERRY = passage(
    "The ferry to the islands was cancelled for a week because of storms in the channel.",
    "news/2023/ferry.txt",
    date="2023-11-02",
)
BUDGET = passage(
    "The council approved a budget for new cycle lanes along the harbour road next spring.",
    "council/budget.txt",
)
SCHOOL = passage(
    "A new primary school opened in the north of the town with room for three hundred pupils.",
    "news/2022/school.txt",
    date="2022-09-01",
)
# The museum story again, a few words changed: another site's copy that ingest kept (another source).
MUSEUM_COPY = passage(
    "The Port Elsworth harbour museum reopened on 14 May after a year of repairs to its roof, officials said.",
    "agency/museum-copy.txt",
    date="2024-05-15",
)
CORPUS = [HARBOUR, FERRY, BUDGET, SCHOOL, MUSEUM_COPY]


def searcher(threshold: float = 0.0, **settings: object) -> Searcher:
    return Searcher(
        memory_index(CORPUS, WordsEmbedder(), threshold=threshold),
        WordsEmbedder(),
        search_params(Settings(**settings)),
    )


def ids(answer) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.passage.passage_id for hit in answer.hits]


def test_the_passage_sharing_the_question_words_ranks_first() -> None:
    answer = searcher().ask("When did the harbour museum reopen?", k=3)
    assert ids(answer)[0] == HARBOUR.passage_id
    assert [hit.rank for hit in answer.hits] == [1, 2, 3]
    scores = [hit.score for hit in answer.hits]
    assert scores == sorted(scores, reverse=True)
    # "when" asks for a date: the highlighted sentence is the dated one.
    start, end = answer.hits[0].highlight or (0, 0)
    assert "14 May" in HARBOUR.text[start:end]


def test_lexical_weight_decides_between_retrievers() -> None:
    # BM25 alone and the dense score alone both find the ferry story for words only it holds.
    for weight in (0.0, 1.0):
        assert ids(searcher(dense_weight=weight).ask("ferry cancelled storms", k=1)) == [FERRY.passage_id]


def test_near_duplicates_are_one_result() -> None:
    search = searcher()
    question = "harbour museum reopened after repairs to its roof"
    ranked = search.candidates(question, search.embedder.embed([question])[0])
    best_copy = next(int(p) for p in ranked.positions if int(p) in (0, 4))  # HARBOUR is 0, MUSEUM_COPY 4
    found = ids(search.ask(question, k=5))
    # Five passages, two of them one story: four results, the better-ranked copy kept.
    assert len(found) == 4 and CORPUS[best_copy].passage_id in found
    assert not {HARBOUR.passage_id, MUSEUM_COPY.passage_id} <= set(found)


def test_filters_apply_before_ranking() -> None:
    # A question about the museum, asked within the council's files: the budget is all there is, and it
    # comes, though each retriever keeps only its one best candidate (filtering after would find nothing).
    narrow = searcher(candidates=1)
    question = "When did the harbour museum reopen?"
    assert BUDGET.passage_id not in ids(narrow.ask(question, k=5))
    assert ids(narrow.ask(question, k=5, filters=Filters(sources=("council/*",)))) == [BUDGET.passage_id]
    search = searcher()
    # k results whenever k passages match, however low they rank overall.
    news = search.ask("harbour museum", k=3, filters=Filters(sources=("news/*",)))
    assert sorted(ids(news)) == sorted(p.passage_id for p in (HARBOUR, FERRY, SCHOOL))


def test_date_filters_are_inclusive_and_leave_out_undated_passages() -> None:
    search = searcher()
    found = search.ask("harbour", k=5, filters=Filters(date_from="2023-11-02", date_to="2024-05-15"))
    assert BUDGET.passage_id not in ids(found)  # no date
    assert set(ids(found)) <= {HARBOUR.passage_id, FERRY.passage_id, MUSEUM_COPY.passage_id}
    assert FERRY.passage_id in ids(found)  # on the first day
    assert ids(search.ask("school", k=5, filters=Filters(date_to="2022-08-31"))) == []


def test_a_passage_matches_through_its_other_places() -> None:
    elsewhere = Citation("archive/old.txt", 1, 1, 0, 10, date="2010-01-01")
    shared = replace(FERRY, also_in=(elsewhere,))
    search = Searcher(
        memory_index([shared, SCHOOL], WordsEmbedder()), WordsEmbedder(), search_params(Settings())
    )
    assert ids(search.ask("ferry", k=2, filters=Filters(sources=("archive/*",)))) == [FERRY.passage_id]
    assert ids(search.ask("ferry", k=2, filters=Filters(date_to="2010-12-31"))) == [FERRY.passage_id]


def test_abstains_below_the_threshold_and_still_returns_the_closest() -> None:
    offtopic = "quantum chromodynamics lattice gauge theory"
    search = searcher(threshold=0.3)
    assert search.ask(offtopic, k=2).no_answer and len(search.ask(offtopic, k=2).hits) == 2
    assert not search.ask("The Port Elsworth harbour museum reopened on 14 May", k=2).no_answer
    # A threshold in the settings overrides the calibrated one.
    assert searcher(threshold=0.3, abstain_threshold=-1.0).ask(offtopic, k=2).no_answer is False


def test_the_byline_finds_an_article_by_its_author() -> None:
    bylined = replace(FERRY, citation=replace(FERRY.citation, author="Ann Lee"))
    corpus = [HARBOUR, bylined, BUDGET, SCHOOL]
    search = Searcher(memory_index(corpus, WordsEmbedder()), WordsEmbedder(), search_params(Settings()))
    answer = search.ask("Who is Ann Lee?", k=1)
    assert ids(answer) == [FERRY.passage_id] and answer.hits[0].passage.citation.author == "Ann Lee"


@pytest.mark.parametrize("k", [1, 2, 5])
def test_batch_answers_as_single_questions(k: int) -> None:
    search = searcher()
    questions = ["When did the harbour museum reopen?", "school pupils", "ferry storms"]
    batch = search.ask_batch(questions, k)
    assert [ids(a) for a in batch] == [ids(search.ask(q, k)) for q in questions]
