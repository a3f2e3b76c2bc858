"""Evaluation metrics on hand-computed cases, and the question file formats."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from qa.evaluate.retrieval import EvalError, Question, distinct_share, half, load, metrics
from qa.types import Answer, Citation, Hit, Passage


def _passage(pid: str, text: str) -> Passage:
    return Passage(pid, text, Citation("a.txt", 1, 1, 0, len(text)))


PASSAGES = [
    _passage("p1", "The deadline was July 20."),
    _passage("p2", "Rockets hit the camp on Sunday."),
    _passage("p3", "Another deadline, December 31, was extended."),
    _passage("p4", "The weather in Lisbon is mild."),
]
BY_ID = {p.passage_id: p for p in PASSAGES}


def _answer(
    question: str, ids: list[str], *, no_answer: bool = False, highlight: tuple[int, int] | None = None
) -> Answer:
    hits = [
        Hit(
            rank,
            BY_ID[pid],
            score=1.0 / rank,
            dense=0.5,
            lexical=1.0,
            highlight=highlight if rank == 1 else None,
        )
        for rank, pid in enumerate(ids, start=1)
    ]
    return Answer(question, hits, no_answer)


def test_metrics_on_a_hand_computed_case() -> None:
    questions = [
        Question("q1", "when was the deadline?", ("July 20", "December 31")),  # hits at ranks 1 and 2
        Question("q2", "when did rockets hit?", ("Sunday",)),  # hit at rank 3
        Question("q3", "what is the capital of Mars?", ()),  # off-topic, flagged
        Question("q4", "how do I bake bread?", ()),  # off-topic, not flagged
    ]
    answers = [
        _answer("q1", ["p1", "p3", "p4"], highlight=(0, 25)),
        _answer("q2", ["p4", "p1", "p2"], no_answer=True),
        _answer("q3", ["p4", "p2"], no_answer=True),
        _answer("q4", ["p2", "p4"]),
    ]
    result = metrics(questions, answers, PASSAGES, [1.0, 2.0, 3.0, 4.0])
    assert result["questions"] == 4 and result["answerable"] == 2 and result["unanswerable"] == 2
    assert result["hit@1"] == 0.5 and result["hit@3"] == 1.0 and result["hit@5"] == 1.0
    assert result["mrr@10"] == pytest.approx((1 + 1 / 3) / 2, abs=1e-4)
    # q1: two relevant passages at ranks 1 and 2 -> nDCG 1; q2: one relevant at rank 3 -> 1/log2(4) = 0.5.
    assert result["ndcg@10"] == pytest.approx((1.0 + 1 / math.log2(4)) / 2, abs=1e-4)
    assert result["highlight@1"] == 1.0  # the only top-1 hit is highlighted around "July 20"
    assert result["answerable_no_answer"] == 0.5
    assert result["abstain_recall"] == 0.5  # one of two off-topic questions flagged
    assert result["abstain_precision"] == 0.5  # two flags, one right
    assert result["distinct@5"] == 1.0
    assert result["latency_p50_ms"] in (2.0, 3.0) and result["latency_p95_ms"] == 4.0


def test_a_question_with_no_relevant_passage_counts_as_a_miss() -> None:
    questions = [Question("q1", "x?", ("July 20",)), Question("q2", "y?", ("not in the corpus",))]
    result = metrics(questions, [_answer("q1", ["p1"]), _answer("q2", ["p2"])], PASSAGES, [1.0, 1.0])
    assert result["hit@1"] == 0.5 and result["mrr@10"] == 0.5


def test_distinct_share_counts_near_duplicates_of_higher_results() -> None:
    text = "The exile group already has moved about 2,000 residents from Camp Ashraf to Camp Hurriya near Baghdad."
    assert distinct_share(
        [text, "Something else entirely about Lisbon weather today.", text + " Indeed."]
    ) == pytest.approx(2 / 3)
    assert distinct_share([]) == 1.0


def test_jsonl_and_squad_files(tmp_path: Path) -> None:
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text(
        '{"id": "a", "question": "when?", "answers": ["July 20"]}\n\n{"question": "off?", "answers": []}\n'
    )
    questions, paragraphs = load(jsonl)
    assert paragraphs is None
    assert questions == [Question("a", "when?", ("July 20",)), Question("q3", "off?", ())]

    squad = tmp_path / "squad.json"
    squad.write_text(
        json.dumps(
            {
                "version": "v2.0",
                "data": [
                    {
                        "title": "Normans",
                        "paragraphs": [
                            {
                                "context": "The Normans were in Normandy in the 10th and 11th centuries.",
                                "qas": [
                                    {
                                        "id": "s1",
                                        "question": "When?",
                                        "is_impossible": False,
                                        "answers": [
                                            {"text": "10th and 11th centuries"},
                                            {"text": "10th and 11th centuries"},
                                        ],
                                    },
                                    {"id": "s2", "question": "Who?", "is_impossible": True, "answers": []},
                                ],
                            }
                        ],
                    }
                ],
            }
        )
    )
    questions, paragraphs = load(squad)
    assert paragraphs == {"Normans/000.txt": "The Normans were in Normandy in the 10th and 11th centuries."}
    assert questions == [Question("s1", "When?", ("10th and 11th centuries",)), Question("s2", "Who?", ())]


@pytest.mark.parametrize(
    "line",
    ['{"answers": []}', '{"question": "", "answers": []}', '{"question": "q", "answers": "x"}', "[1, 2]"],
)
def test_bad_question_lines_are_reported(tmp_path: Path, line: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(EvalError, match=r"bad\.jsonl:1"):
        load(path)


def test_halves_are_stable_and_balanced() -> None:
    questions = [Question(f"q{i}", "?", ()) for i in range(400)]
    halves = [half(q) for q in questions]
    assert halves == [half(q) for q in questions]
    assert 150 < halves.count("tune") < 250


def test_answer_metrics_by_kind_with_abstentions() -> None:
    from dataclasses import replace

    from qa.evaluate.answers import answer_metrics
    from qa.types import AnswerSpan

    answered = _answer("When was the deadline?", ["p1"])
    first = replace(answered.hits[0], answer=AnswerSpan(17, 24, "July 20", None))
    pairs = [
        ("When was the deadline?", ("July 20",), replace(answered, hits=[first])),
        ("When did rockets hit the camp?", ("Sunday",), _answer("When did rockets hit the camp?", ["p2"])),
        ("How many rockets hit the camp?", ("three",), _answer("How many rockets hit the camp?", ["p2"])),
        ("Who set the deadline?", ("Iraq",), _answer("Who set the deadline?", ["p1"])),
    ]
    result = answer_metrics(pairs)
    # Two date questions, one answered right, one abstained (0); the quantity question abstained.
    assert result["answer_date_questions"] == 2 and result["answer_date_f1"] == 0.5
    assert result["answer_quantity_f1"] == 0.0 and result["answer_precision"] == 1.0
    assert result["answer_answered"] == round(1 / 3, 4)
