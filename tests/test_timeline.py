"""The timeline of a date question: one entry per distinct date, in date order, undated mentions last."""

from __future__ import annotations

from qa.answers.timeline import timeline, with_answers
from qa.types import Citation, Hit, Passage


def hit(rank: int, text: str, date: str | None) -> Hit:
    citation = Citation(f"{rank}.txt", 1, 1, 0, len(text), date=date)
    return Hit(
        rank=rank, passage=Passage(f"p{rank}", text, citation), score=1.0 / rank, dense=0.5, lexical=1.0
    )


HITS = [
    hit(
        1,
        "Baghdad has not extended the end-of-year deadline, the agency reported on Wednesday.",
        "2011-12-29",
    ),
    hit(2, "But it ignored a July 20 deadline to move the remaining people out of the camp.", None),
    hit(3, "Iraq agreed to extend the December 31 deadline to close the camp.", "2011-12-29"),
    hit(4, "The deadline of 15 March 2011 passed without a move.", None),
    hit(5, "The group fought in the 1980-1988 war.", "2011-12-29"),
]


def test_distinct_dates_in_date_order_then_undated() -> None:
    hits, entries = with_answers("when was the deadline?", HITS)
    assert [(e.date, e.text, e.rank) for e in entries] == [
        ("2011-03-15", "15 March 2011", 4),
        ("2011-12-31", "end-of-year", 1),
        (None, "July 20", 2),
    ]
    # Each result keeps its own answer; the same date twice is one entry, from the better-ranked result.
    assert [h.answer.text if h.answer else None for h in hits] == [
        "end-of-year",
        "July 20",
        "December 31",
        "15 March 2011",
        None,
    ]


def test_one_date_makes_no_timeline() -> None:
    hits, entries = with_answers("when was the deadline?", HITS[2:3])
    assert hits[0].answer is not None and entries == ()


def test_no_timeline_for_a_quantity_question() -> None:
    _, entries = with_answers("How many exiles were in the camp?", HITS)
    assert entries == ()


def test_no_answers_for_other_questions() -> None:
    hits, entries = with_answers("Who extended the deadline?", HITS)
    assert all(h.answer is None for h in hits) and entries == ()


def test_timeline_of_answered_hits_only() -> None:
    assert timeline([hit(1, "No date here.", None)]) == ()


def test_a_moved_date_adds_its_own_entry() -> None:
    """A sentence that moves a deadline by a stated duration gives both dates, each with the words that say it."""
    hits, entries = with_answers(
        "when was the deadline?",
        [
            hit(
                1,
                "The ministry agreed to extend by three months a year-end deadline for the filings.",
                "2013-11-02",
            ),
            hit(2, "But it ignored a July 20 deadline to move the remaining people out of the camp.", None),
        ],
    )
    assert [(e.date, e.text, e.rank) for e in entries] == [
        ("2013-12-31", "year-end", 1),
        ("2014-03-31", "extend by three months a year-end", 1),
        (None, "July 20", 2),
    ]
    # The result's own answer stays the date as written.
    assert hits[0].answer is not None and hits[0].answer.value == "2013-12-31"


def test_a_moved_date_already_given_is_not_repeated() -> None:
    _, entries = with_answers(
        "when was the deadline?",
        [
            hit(1, "The court extended the March 1 deadline by two weeks.", "2015-02-10"),
            hit(2, "The new deadline of 15 March 2015 was announced by the court.", None),
        ],
    )
    assert [(e.date, e.rank) for e in entries] == [("2015-03-01", 1), ("2015-03-15", 1)]
