"""What a question asks for: a date, or a quantity of some kind, and the thing it counts ("how many men")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    DATE = "date"
    COUNT = "count"  # how many, what number
    AMOUNT = "amount"  # how much: money, a mass, a volume
    DISTANCE = "distance"  # how far, how tall, how deep
    DURATION = "duration"  # how long: a time or a length, whichever the passage gives
    AGE = "age"
    PERCENT = "percent"

    @property
    def is_date(self) -> bool:
        return self is Kind.DATE


@dataclass(frozen=True)
class Asked:
    """A question's answer kind, what it counts ("men" in "how many men"), and which date grain it wants."""

    kind: Kind
    counted: str | None = None
    grain: str | None = None  # "year", "century", "decade", "month", "day" when the question names one
    bound: str | None = None  # "since" or "until" in "since when", "until what year": the answer follows it


_GRAINS = r"(?:date|day|year|month|time|century|decade|era|period|season|week|deadline|anniversary)"
# "When X happened, what ..." asks the second question, not for a date.
_WHEN_CLAUSE = re.compile(r"^\s*when\b[^?,]*,[^?]*\b(?:what|which|who|whom|how|where|why)\b", re.I)
_DATE = re.compile(
    rf"^\s*(?:since|until|till|by|from)?\s*when\b|\bwhen\s*\?\s*$|"
    rf"\b(?:what|which)\s+(?:\w+\s+)?{_GRAINS}s?\b|\bhow\s+long\s+ago\b",
    re.I,
)
_BOUND = re.compile(rf"^\s*(since|until|till)\s+(?:when|(?:what|which)\s+{_GRAINS})\b", re.I)
_BOUNDS = {"since": "since", "until": "until", "till": "until"}
_GRAIN = re.compile(rf"\b(?:what|which)\s+(?:\w+\s+)?({_GRAINS})s?\b", re.I)
_QUANTITY = (
    (re.compile(r"\bhow\s+many\b", re.I), Kind.COUNT),
    (
        re.compile(r"\b(?:what|which)\s+(?:percentage|percent|proportion|share|fraction)\b", re.I),
        Kind.PERCENT,
    ),
    (re.compile(r"\bhow\s+much\b", re.I), Kind.AMOUNT),
    (re.compile(r"\bhow\s+(?:long|often)\b", re.I), Kind.DURATION),
    (
        re.compile(
            r"\bhow\s+(?:far|tall|high|deep|wide|big|large|heavy|fast|long)\b|\bwhat\s+(?:distance|length|"
            r"height|depth|width|size|area|speed)\b",
            re.I,
        ),
        Kind.DISTANCE,
    ),
    (re.compile(r"\bhow\s+old\b|\bat\s+what\s+age\b|\bwhat\s+age\b", re.I), Kind.AGE),
    (re.compile(r"\b(?:what|which)\s+(?:number|amount|sum|population|total)\b", re.I), Kind.COUNT),
)
# The counted thing: the words after "how many" up to a verb or a preposition; the last of them is the noun.
_PLURALS = frozenset(
    {"people", "men", "women", "children", "police", "cattle", "feet", "teeth", "mice", "geese"}
)
_HOW_MANY = re.compile(r"\bhow\s+many\s+(.*)", re.I)
_NOT_NOUN = frozenset(
    (  # noqa: SIM905
        "did do does were was are is have has had would will could can must should might may in of on at for "
        "from to by with within among under over per"
    ).split()
)


def asked(question: str) -> Asked | None:
    """The kind of answer a question asks for, or None when it asks for neither a date nor a quantity."""
    if _WHEN_CLAUSE.search(question):
        question = question[question.index(",") + 1 :]
    for pattern, kind in _QUANTITY:
        if pattern.search(question):
            if kind is Kind.DURATION and re.search(r"\bhow\s+long\s+ago\b", question, re.I):
                break
            return Asked(kind, _counted(question) if kind is Kind.COUNT else None)
    if _DATE.search(question):
        grain = _GRAIN.search(question)
        bound = _BOUND.search(question)
        return Asked(
            Kind.DATE,
            grain=grain.group(1).lower() if grain else None,
            bound=_BOUNDS[bound.group(1).lower()] if bound else None,
        )
    return None


def _counted(question: str) -> str | None:
    """The head noun of what "how many" counts: the first plural among the words up to a verb or a
    preposition ("Iranian exiles", "lawmakers worldwide"), else the first of them."""
    found = _HOW_MANY.search(question)
    if not found:
        return None
    phrase: list[str] = []
    for word in re.findall(r"[\w'-]+|[^\w\s]", found.group(1))[:6]:
        if word.lower() in _NOT_NOUN or not word[0].isalnum():
            break
        phrase.append(word.lower())
    plural = next((w for w in phrase if w in _PLURALS or (w.endswith("s") and not w.endswith("ss"))), None)
    return plural or (phrase[0] if phrase else None)
