"""The HTTP contract: every request and response body of the API, kept apart from the internal types."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from qa.search.filters import NO_FILTERS, Filters
from qa.types import Answer, AnswerSpan, Citation, Hit, Passage, TimelineEntry

Question = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000, strict=True)
]
K = Annotated[int, Field(ge=1, le=50, strict=True, description="how many passages to return")]


Pattern = Annotated[str, StringConstraints(min_length=1, max_length=500, strict=True, pattern=r"^[^\x00]*$")]


def _calendar_day(value: str) -> str:
    date.fromisoformat(value)  # ValueError for 2024-02-30: pydantic reports it as a 422 with this message
    return value


# Only the contract's form, as a string: "2024-1-5", a timestamp or a number is refused, never guessed at.
Day = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^\d{4}-\d{2}-\d{2}$"),
    AfterValidator(_calendar_day),
    Field(description="YYYY-MM-DD, inclusive", json_schema_extra={"format": "date"}),
]


class FiltersIn(BaseModel):
    """Which passages take part, before ranking: a passage counts when its citation or one of its `also_in`
    places matches."""

    model_config = ConfigDict(extra="forbid")

    sources: list[Pattern] | None = Field(
        None,
        max_length=100,
        description="glob patterns over citation.source (`*`, `?`, `[...]`), e.g. `news/2024/*`; any may match",
    )
    date_from: Day | None = Field(
        None, description="earliest publication date; undated passages are left out"
    )
    date_to: Day | None = Field(None, description="latest publication date; undated passages are left out")

    @model_validator(mode="after")
    def _ordered(self) -> FiltersIn:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        return self

    def to_filters(self) -> Filters:
        return Filters(
            sources=tuple(self.sources or ()),
            date_from=self.date_from,
            date_to=self.date_to,
        )


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {"question": "when was the deadline?", "k": 5},
                {
                    "question": "when was the deadline?",
                    "filters": {"sources": ["004_*"], "date_from": "2011-12-01"},
                },
            ]
        },
    )

    question: Question = Field(description="1 to 1,000 characters after trimming")
    k: K = 5
    filters: FiltersIn | None = None

    def searched(self) -> Filters:
        return self.filters.to_filters() if self.filters else NO_FILTERS


class BatchRequest(BaseModel):
    questions: list[Question] = Field(min_length=1, description="questions answered in one pass")
    k: K = 5
    filters: FiltersIn | None = Field(None, description="applied to every question of the batch")

    def searched(self) -> Filters:
        return self.filters.to_filters() if self.filters else NO_FILTERS


class CitationOut(BaseModel):
    source: str = Field(description="path of the source file relative to the corpus folder")
    title: str | None
    date: str | None = Field(description="publication date, YYYY-MM-DD")
    author: str | None = Field(description="the article's author (byline), where the source shows it")
    line_start: int = Field(description="1-based, inclusive")
    line_end: int = Field(description="1-based, inclusive")
    char_start: int = Field(
        description="0-based offset into the decoded file (for PDF, Word, ...: into the text that "
        "GET /documents/{source}/text returns)"
    )
    char_end: int = Field(description="end exclusive")
    page: int | None = Field(
        None,
        description="for a paged document (PDF), the 1-based physical page the passage starts on; "
        "null for formats without pages (text, HTML, Word)",
    )
    page_end: int | None = Field(
        None,
        description="for a paged document (PDF), the 1-based physical page the passage ends on; else null",
    )

    @classmethod
    def of(cls, c: Citation) -> CitationOut:
        return cls(
            source=c.source,
            title=c.title,
            date=c.date,
            author=c.author,
            line_start=c.line_start,
            line_end=c.line_end,
            char_start=c.char_start,
            char_end=c.char_end,
            page=c.page,
            page_end=c.page_end,
        )


class Span(BaseModel):
    start: int
    end: int


class AnswerOut(BaseModel):
    """The words of `text` that answer a date or quantity question."""

    start: int = Field(description="offset into the result's text")
    end: int = Field(description="end exclusive")
    text: str = Field(description="the answering words, as the passage writes them")
    value: str | None = Field(
        description="a date as YYYY-MM-DD, YYYY-MM or YYYY (a year, month or weekday the text leaves out is "
        "read against the article's date), or the number with its unit; null when it cannot be resolved"
    )

    @classmethod
    def of(cls, a: AnswerSpan) -> AnswerOut:
        return cls(start=a.start, end=a.end, text=a.text, value=a.value)


class TimelineEntryOut(BaseModel):
    date: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY; null for an undated mention")
    text: str = Field(description="the answer's words")
    rank: int = Field(description="rank of the result it comes from")

    @classmethod
    def of(cls, e: TimelineEntry) -> TimelineEntryOut:
        return cls(date=e.date, text=e.text, rank=e.rank)


class Scores(BaseModel):
    dense: float = Field(description="cosine similarity of question and passage")
    lexical: float = Field(description="BM25 score")
    fused: float = Field(description="the weighted sum of normalised scores that ranks results")


class PassageOut(BaseModel):
    passage_id: str
    text: str
    citation: CitationOut
    also_in: list[CitationOut] = Field(
        description="other places where the same or nearly the same text occurs"
    )

    @classmethod
    def of(cls, p: Passage) -> PassageOut:
        return cls(**_passage_fields(p))


def _passage_fields(p: Passage) -> dict:
    return {
        "passage_id": p.passage_id,
        "text": p.text,
        "citation": CitationOut.of(p.citation),
        "also_in": [CitationOut.of(c) for c in p.also_in],
    }


class Result(PassageOut):
    rank: int
    score: float
    highlight: Span | None
    answer: AnswerOut | None = Field(
        description="for a question that asks for a date or a quantity, the span of `text` that answers it; "
        "null for other questions and when no span fits"
    )
    scores: Scores

    @classmethod
    def of_hit(cls, hit: Hit) -> Result:
        # Built from the passage's fields directly: dumping a PassageOut to a dict and validating it again
        # cost a third of the response's serialisation.
        span = Span(start=hit.highlight[0], end=hit.highlight[1]) if hit.highlight else None
        return cls(
            **_passage_fields(hit.passage),
            rank=hit.rank,
            score=hit.score,
            highlight=span,
            answer=AnswerOut.of(hit.answer) if hit.answer else None,
            scores=Scores(dense=hit.dense, lexical=hit.lexical, fused=hit.score),
        )


class AskResponse(BaseModel):
    question: str
    no_answer: bool = Field(description="true when nothing in the corpus is confidently relevant")
    took_ms: float
    results: list[Result]
    timeline: list[TimelineEntryOut] = Field(
        description="for a date question whose results give different dates, one entry per distinct date in "
        "date order, undated mentions last (date null); empty otherwise"
    )

    @classmethod
    def of(cls, answer: Answer) -> AskResponse:
        return cls(
            question=answer.question,
            no_answer=answer.no_answer,
            took_ms=answer.took_ms,
            results=[Result.of_hit(h) for h in answer.hits],
            timeline=[TimelineEntryOut.of(e) for e in answer.timeline],
        )


class BatchResponse(BaseModel):
    responses: list[AskResponse]


class PassagePage(BaseModel):
    total: int
    offset: int
    limit: int
    passages: list[PassageOut]


class Problem(BaseModel):
    """Every error body: a human-readable message, plus details where there are several."""

    message: str
    detail: list[dict] | str | None = None


class Health(BaseModel):
    status: str = Field(description='"ok" while the process runs')


class Ready(BaseModel):
    status: str = Field(description='"ready", or "not ready" with a message')
    passages: int | None = None
    model: str | None = None
    built_at: str | None = None
    message: str | None = Field(None, description="why the index is not ready")


class DocumentOut(BaseModel):
    source: str = Field(
        description="the normalised name, relative to the corpus folder, as citations show it"
    )
    bytes: int
    replaced: bool = Field(description="true when a document of that name was overwritten")
    message: str


class DeletedOut(BaseModel):
    source: str
    message: str


class SkippedOut(BaseModel):
    source: str
    reason: str = Field(description="why the build did not index it")


class DocumentList(BaseModel):
    documents: list[str] = Field(description="the sources of the indexed documents, sorted")
    skipped: list[SkippedOut] = Field(description="corpus files the build did not index, with the reason")


class ReindexOut(BaseModel):
    build: str = Field(description="the build folder now served")
    passages: int
    documents_fingerprint: str
    built_at: str
    seconds: float
    skipped: list[SkippedOut] = Field(
        default_factory=list, description="corpus files the build did not index, with the reason"
    )
