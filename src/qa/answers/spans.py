"""The span of a passage that answers a date or quantity question, or None when none fits well enough."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from qa.answers import dates, numbers
from qa.answers.kinds import Asked, Kind, asked
from qa.answers.mentions import Form, Measure, Mention, Move, moves
from qa.answers.mentions import dates as date_mentions
from qa.answers.mentions import quantities as quantity_mentions
from qa.index.lexical import STOPWORDS, stems
from qa.text import WORD, fold, sentences
from qa.types import AnswerSpan

# A sentence must share this much of the question's content words for one of its mentions to answer it:
# a date in a sentence about something else is the commonest wrong answer.
MIN_SHARE = 0.34
HIGHLIGHT_BONUS = 0.15  # the sentence retrieval chose as the best answer
NEAR_WEIGHT = 0.3  # mentions next to the question's words answer it, far ones less
NEAR_WORDS = 12  # beyond this many words away, a mention is as far as any
NEAR_WINDOW = 6  # the question's words within this many words of a mention are its context
BREAK_WORDS = 2  # a clause break between a word and a mention counts as this many words more
TIE_BREAK = 0.01  # of two mentions equally near by NEAR_WINDOW, the one next to a question word
COUNTED_BONUS = 0.3  # "30,000 men" for "how many men"
MIN_SCORE = 0.35

# Which quantity measures answer which kind of question, and how well (1: fully, less: a fallback).
_MEASURES: dict[Kind, dict[Measure, float]] = {
    Kind.COUNT: {Measure.NUMBER: 1.0, Measure.DURATION: 0.6, Measure.DISTANCE: 0.3, Measure.MASS: 0.3},
    Kind.AMOUNT: {Measure.MONEY: 1.0, Measure.MASS: 1.0, Measure.PERCENT: 0.8, Measure.NUMBER: 0.5},
    Kind.DISTANCE: {Measure.DISTANCE: 1.0},
    Kind.DURATION: {Measure.DURATION: 1.0, Measure.DISTANCE: 0.8},
    Kind.AGE: {Measure.AGE: 1.0, Measure.DURATION: 0.8},
    Kind.PERCENT: {Measure.PERCENT: 1.0},
}
# How well a date form answers a question that names a grain ("what year"); forms not listed: 1.
_GRAINS: dict[str, dict[Form, float]] = {
    "time": {Form.TIME: 1.0, Form.YEAR: 0.5, Form.CENTURY: 0.5, Form.DECADE: 0.5},
    "year": {Form.CENTURY: 0.3, Form.DECADE: 0.5, Form.WEEKDAY: 0.3, Form.MONTH: 0.5},
    "century": {Form.CENTURY: 1.0, Form.YEAR: 0.6, Form.DECADE: 0.6},
    "decade": {Form.DECADE: 1.0, Form.YEAR: 0.6, Form.CENTURY: 0.5},
}
# A named date answers "when" better than one counted from the article ("on Wednesday" is often only when it
# was reported).
_DATE_FORMS = {Form.WEEKDAY: 0.6, Form.RELATIVE: 0.8}
FIT_WEIGHT = 0.3
UNBOUND_WEIGHT = 0.0  # for "until when", a date that no "until" introduces does not answer


# Stems of words after which a date looks forward from the article's ("until April", "by June").
_AHEAD = frozenset({"until", "till", "by", "befor"})

# Words that say what kind of answer is wanted, not what it is about: no sentence needs to share them.
_CUE_WORDS = frozenset(
    (  # noqa: SIM905
        "how many much long far old tall high deep wide big large heavy fast often percentage percent proportion "
        "share fraction number amount sum total roughly approximately about around nearly year years century "
        "centuries decade decades date day month time era period season week when since until had has have did "
        "does do was were is are"
    ).split()
)


@dataclass(frozen=True)
class Question:
    """What finding a span needs of a question, worked out once per question."""

    asked: Asked
    stems: frozenset[str]
    words: frozenset[str]
    counted: str | None  # the stem of what "how many" counts
    bound: str | None = None  # the stem of "since" or "until" when the answer must follow it

    @property
    def is_date(self) -> bool:
        return self.asked.kind is Kind.DATE


def question(text: str) -> Question | None:
    """None for a question that asks for neither a date nor a quantity."""
    kind = asked(text)
    if kind is None:
        return None
    found = WORD.findall(fold(text))
    content = frozenset(stems([w for w in found if w not in STOPWORDS and w not in _CUE_WORDS]))
    counted = stems([kind.counted])[0] if kind.counted else None
    bound = stems([kind.bound])[0] if kind.bound else None
    return Question(kind, content, frozenset(found), counted, bound)


def answer_span(
    q: Question, text: str, highlight: tuple[int, int] | None, article_date: str | None
) -> AnswerSpan | None:
    """The best-fitting mention of the asked-for kind in a passage, scored by how much its sentence shares
    with the question, how near it stands to the shared words, and how well its form fits the question."""
    best: tuple[float, Mention] | None = None
    for start, end in sentences(text):
        sentence = text[start:end]
        tokens = _tokens(sentence)
        shared = [i for i, (_, stem) in enumerate(tokens) if stem in q.stems]
        held = {tokens[i][1] for i in shared}
        share = len(held) / len(q.stems) if q.stems else 1.0
        chosen = highlight is not None and start <= highlight[0] < end
        # Two shared words in the sentence retrieval chose are enough for a long, paraphrased question.
        if share < MIN_SHARE and not (chosen and len(held) >= 2):
            continue
        bonus = HIGHLIGHT_BONUS if chosen else 0.0
        mentions = date_mentions(sentence) if q.is_date else quantity_mentions(sentence)
        for mention in mentions:
            fit = _fit(q, mention, tokens)
            if fit <= 0 or _stated(q, mention):
                continue
            near = _near(mention, tokens, shared, _breaks(sentence))
            score = (
                share
                + bonus
                + FIT_WEIGHT * fit
                + NEAR_WEIGHT * near
                - TIE_BREAK * _distance(mention, tokens, shared)
            )
            if best is None or score > best[0]:
                ahead = bool(_AHEAD & set(_preceding(mention, tokens)))
                best = (score, replace(_shifted(mention, start), ahead=ahead))
    if best is None or best[0] < MIN_SCORE:
        return None
    return _span(q, best[1], article_date)


# Dates a stated duration can move: named ones. "On Monday they extended it by a week" says when, not what.
_MOVABLE = frozenset(
    {Form.FULL, Form.DAY_MONTH, Form.MONTH_YEAR, Form.MONTH, Form.YEAR, Form.SEASON_YEAR, Form.YEAR_END}
)
MOVE_GAP_WORDS = 4  # "extend by six months [a] year-end deadline": words between a move and the date after it
MOVED_BEFORE_WORDS = 5  # "the March 3 vote [has been] postponed": words between a date and a move after it
_BREAK = re.compile(r"[,;:()\[\]]")
_PASSIVE = re.compile(r"\b(?:is|was|were|are|be|been|being)\b", re.I)
# Words that tie a date after a move to something else: "extended by a week on March 3" (when it was done),
# "by six months to June 30" (the new date, already stated).
_NOT_OBJECT = re.compile(
    r"\b(?:on|in|at|during|since|after|before|until|till|to|into|through|than|that|which|when|while|and|but|or|as)\b",
    re.I,
)
# What ties a noun's move to the date after it: "extension of the year-end deadline", "delay to the May 2 vote".
_NOUN_OBJECT = re.compile(r"\s+(?:of|to|on|for)\s+(?:the|its|their|his|her)\s+(?:[\w'’-]+\s+){0,2}", re.I)
# Words that open another clause: "on March 3 [that] the deadline was extended" dates the saying, not the move.
_CLAUSE = re.compile(r"\b(?:that|which|who|when|while|after|before|and|but|because|as|if|since|once)\b", re.I)


def moved(text: str, answer: AnswerSpan) -> AnswerSpan | None:
    """Where the answer's own sentence moves its date by a stated duration ("extend by six months a year-end
    deadline", "the March 3 vote was postponed by two weeks"): the shortest words that carry the move, with
    the moved date as value. None when no move applies to it or the moved date cannot be told."""
    if answer.value is None:
        return None
    found = next(((a, b) for a, b in sentences(text) if a <= answer.start < b), None)
    if found is None:
        return None
    offset, sentence = found[0], text[found[0] : found[1]]
    start, end = answer.start - offset, answer.end - offset
    mention = next((m for m in date_mentions(sentence) if m.start <= start and end <= m.end), None)
    if mention is None or mention.form not in _MOVABLE:
        return None
    applying = [move for move in moves(sentence) if _moves(sentence, start, end, move)]
    if not applying:
        return None
    move = min(applying, key=lambda m: abs(m.start - start))
    value = dates.moved(answer.value, move)
    if value is None:
        return None
    first, last = min(start, move.start), max(end, move.end)
    return AnswerSpan(offset + first, offset + last, sentence[first:last], value)


def _moves(sentence: str, start: int, end: int, move: Move) -> bool:
    """The move is of this date: the date is its object (inside it, or just after it with no clause break;
    after "of the", "to the"... for a noun, "an extension of the March 3 deadline"), or the subject of a passive
    just before it ("the deadline of March 3 was extended by a week")."""
    if move.noun:
        return start >= move.end and bool(_NOUN_OBJECT.fullmatch(sentence[move.end : start]))
    if move.start <= start and end <= move.end:
        return not _NOT_OBJECT.search(sentence[move.start : start])
    if start >= move.end:
        between = sentence[move.end : start]
        return (
            not _BREAK.search(between)
            and not _NOT_OBJECT.search(between)
            and len(WORD.findall(between)) <= MOVE_GAP_WORDS
        )
    if end <= move.start:
        between = sentence[end : move.start]
        return (
            not _BREAK.search(between)
            and not _CLAUSE.search(between)
            and len(WORD.findall(between)) <= MOVED_BEFORE_WORDS
            and bool(_PASSIVE.search(between))
        )
    return False


@lru_cache(maxsize=16384)
def _tokens(sentence: str) -> tuple[tuple[int, str], ...]:
    """Each word's offset in the sentence and its stem."""
    found = [(m.start(), m.group()) for m in WORD.finditer(fold(sentence))]
    return tuple(zip([at for at, _ in found], stems([w for _, w in found]), strict=True))


@lru_cache(maxsize=16384)
def _breaks(sentence: str) -> tuple[int, ...]:
    """How many clause breaks (, ; ) :) stand before each word: a word across one belongs less to a mention."""
    counts, seen, last = [], 0, 0
    for at, _ in _tokens(sentence):
        seen += sum(sentence.count(c, last, at) for c in ",;):")
        counts.append(seen)
        last = at
    return tuple(counts)


def _fit(q: Question, mention: Mention, tokens: tuple[tuple[int, str], ...]) -> float:
    if q.is_date:
        if mention.form is Form.TIME and q.asked.grain != "time":
            return 0.0  # a time of day answers "what time", not "when"
        weight = _DATE_FORMS.get(mention.form, 1.0) if mention.form else 0.0
        grain = _GRAINS.get(q.asked.grain or "", {})
        if q.bound and q.bound not in _preceding(mention, tokens):
            weight *= UNBOUND_WEIGHT
        return weight * grain.get(mention.form, 1.0) if mention.form else 0.0
    weight = _MEASURES[q.asked.kind].get(mention.measure or Measure.NUMBER, 0.0)
    if weight and q.counted and q.counted in _following(mention, tokens):
        weight += COUNTED_BONUS / FIT_WEIGHT
    return weight


def _preceding(mention: Mention, tokens: tuple[tuple[int, str], ...], words: int = 3) -> list[str]:
    return [stem for at, stem in tokens if at < mention.start][-words:]


def _following(mention: Mention, tokens: tuple[tuple[int, str], ...], words: int = 4) -> list[str]:
    return [stem for at, stem in tokens if at >= mention.start][:words]


def _distance(mention: Mention, tokens: tuple[tuple[int, str], ...], shared: list[int]) -> float:
    """Words between the mention and the nearest of the question's words, as a share of NEAR_WORDS."""
    inside = [i for i, (at, _) in enumerate(tokens) if mention.start <= at < mention.end]
    outside = [i for i in shared if i not in inside]
    if not outside or not inside:
        return 1.0
    gap = min(abs(i - j) for i in outside for j in inside)
    return min(gap, NEAR_WORDS) / NEAR_WORDS


def _near(
    mention: Mention, tokens: tuple[tuple[int, str], ...], shared: list[int], breaks: tuple[int, ...]
) -> float:
    """How close the sentence's question words stand to the mention: each counts 1 next to it, falling to 0
    at NEAR_WINDOW words away, averaged over the distinct words."""
    inside = [i for i, (at, _) in enumerate(tokens) if mention.start <= at < mention.end]
    if not inside or not shared:
        return 0.0
    closest: dict[str, int] = {}
    for i in shared:
        if i in inside:
            continue
        edge = inside[0] if i < inside[0] else inside[-1]
        gap = abs(i - edge) + BREAK_WORDS * abs(breaks[i] - breaks[edge])
        stem = tokens[i][1]
        closest[stem] = min(gap, closest.get(stem, gap))
    if not closest:
        return 0.0
    return sum(max(0.0, 1 - (gap - 1) / NEAR_WINDOW) for gap in closest.values()) / len(closest)


def _stated(q: Question, mention: Mention) -> bool:
    """The question already says it ("what happened in 1066?"): not the answer."""
    said = [w for w in WORD.findall(fold(mention.text)) if w not in STOPWORDS]
    return bool(said) and all(w in q.words for w in said)


def _shifted(mention: Mention, offset: int) -> Mention:
    """The mention with passage offsets (it was found in a sentence), without a leading "the"."""
    text = mention.text
    trimmed = len(text) - len(text.removeprefix("the ").removeprefix("The "))
    start, end = mention.start + offset + trimmed, mention.end + offset
    return replace(mention, start=start, end=end, text=text[trimmed:])


def _asked_part(q: Question, mention: Mention) -> Mention:
    """Only what the question does not already say: the year of "April 1191" for "what year", "11th" of
    "11th century" for "what century", "2000" of "2000 kilometres" for "how many kilometers"."""
    text = mention.text
    if q.is_date and q.asked.grain == "year" and mention.form in (Form.FULL, Form.MONTH_YEAR):
        year = list(re.finditer(r"\d{4}", text))[-1]
        return replace(
            mention,
            start=mention.start + year.start(),
            end=mention.start + year.end(),
            text=year.group(),
            form=Form.YEAR,
        )
    if q.is_date and q.asked.grain in ("century", "decade") and mention.form is Form.CENTURY:
        kept = re.sub(r"[\s-]+centur(?:y|ies)\b.*$", "", text)
        return replace(mention, end=mention.start + len(kept), text=kept)
    unit, counted, number = mention.unit, q.counted, mention.number
    if (
        unit
        and counted
        and number
        and mention.measure is not Measure.NUMBER
        and _same_word(unit.split()[-1], counted)
    ):
        kept = text[: text.index(number) + len(number)] if number in text else text
        return replace(mention, end=mention.start + len(kept), text=kept)
    return mention


def _same_word(word: str, stem: str) -> bool:
    spelled = re.sub(r"tres?\b", "ters", fold(word))  # "kilometres" and "kilometers" are one unit
    return stems([spelled])[0] == stem or stems([fold(word)])[0] == stem


def _span(q: Question, mention: Mention, article_date: str | None) -> AnswerSpan:
    mention = _asked_part(q, mention)
    if q.is_date:
        value = dates.resolve(mention, article_date, ahead=mention.ahead)
    elif mention.measure is Measure.NUMBER:
        # A bare number's unit is the thing it counts, when that is what the question counts.
        counted = mention.unit if mention.unit and stems([fold(mention.unit)])[0] == q.counted else None
        value = numbers.value(Mention(0, 0, mention.text, number=mention.number, unit=counted))
    else:
        value = numbers.value(mention)
    return AnswerSpan(mention.start, mention.end, mention.text, value)
