"""Answer F1 and exact match (SQuAD's normalised token overlap) for date and quantity questions, with the
simplest baseline beside them: the first date or number of the top result's highlighted sentence."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Sequence

from qa.answers.spans import Question, question
from qa.types import Answer

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)
# The baseline's date: the pattern that already marks a sentence as holding one (qa.search.answers), with
# the whole of a number it starts.
_BASELINE_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b\d{3,4}s?\b|"
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today)\b",
    re.I,
)
_BASELINE_NUMBER = re.compile(
    r"\d[\d,.]*\d|\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|thousand|million|dozens?|hundreds|thousands|millions)\b",
    re.I,
)


def normalise(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split())


def f1(prediction: str, gold: str) -> float:
    predicted, expected = normalise(prediction).split(), normalise(gold).split()
    common = sum((Counter(predicted) & Counter(expected)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def best_f1(prediction: str, golds: Sequence[str]) -> float:
    return max((f1(prediction, g) for g in golds), default=0.0)


def exact(prediction: str, golds: Sequence[str]) -> bool:
    return any(normalise(prediction) == normalise(g) for g in golds)


def given(answer: Answer) -> str | None:
    """The response's answer: that of the best-ranked result that has one."""
    return next((h.answer.text for h in answer.hits if h.answer is not None), None)


def baseline(answer: Answer, asked: Question) -> str | None:
    """The first date (or number) in the top result's highlighted sentence."""
    if not answer.hits or answer.hits[0].highlight is None:
        return None
    start, end = answer.hits[0].highlight
    found = (_BASELINE_DATE if asked.is_date else _BASELINE_NUMBER).search(
        answer.hits[0].passage.text[start:end]
    )
    return found.group() if found else None


def answer_metrics(
    pairs: Sequence[tuple[str, Sequence[str], Answer]],
    pick: Callable[[Answer, Question], str | None] = lambda a, _: given(a),
    prefix: str = "answer",
) -> dict[str, float | int]:
    """F1 and exact match by kind (date, quantity) over the answerable questions that ask for one (an
    abstention scores 0), the share answered, and the share of answers given that are right (F1 >= 0.5)."""
    scores: dict[str, list[tuple[float, bool, bool]]] = {"date": [], "quantity": []}
    for text, golds, answer in pairs:
        asked = question(text)
        if asked is None or not golds:
            continue
        predicted = pick(answer, asked)
        score = best_f1(predicted, golds) if predicted is not None else 0.0
        hit = predicted is not None and exact(predicted, golds)
        scores["date" if asked.is_date else "quantity"].append((score, hit, predicted is not None))
    result: dict[str, float | int] = {}
    for kind, rows in scores.items():
        if not rows:
            continue
        result[f"{prefix}_{kind}_questions"] = len(rows)
        result[f"{prefix}_{kind}_f1"] = round(sum(s for s, _, _ in rows) / len(rows), 4)
        result[f"{prefix}_{kind}_em"] = round(sum(e for _, e, _ in rows) / len(rows), 4)
    every = [row for rows in scores.values() for row in rows]
    answered = [s for s, _, a in every if a]
    if every:
        result[f"{prefix}_answered"] = round(len(answered) / len(every), 4)
        result[f"{prefix}_precision"] = (
            round(sum(s >= 0.5 for s in answered) / len(answered), 4) if answered else 0.0
        )
    return result
