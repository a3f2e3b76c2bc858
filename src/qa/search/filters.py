"""Filters a question may carry: which sources (glob patterns) and which publication dates to search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

import numpy as np

from qa.types import Citation, Passage


@dataclass(frozen=True)
class Filters:
    """Only passages from these sources and dates take part in ranking; empty: every passage.

    A passage matches when its citation or one of its `also_in` places does: text that a page in the
    chosen section shares with a page elsewhere is still in that section. With a date bound, places
    without a date are left out.
    """

    sources: tuple[str, ...] = ()
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None

    def __bool__(self) -> bool:
        return bool(self.sources) or self.date_from is not None or self.date_to is not None

    def admits(self, place: Citation) -> bool:
        if self.sources and not any(fnmatchcase(place.source, pattern) for pattern in self.sources):
            return False
        if self.date_from is None and self.date_to is None:
            return True
        if place.date is None:
            return False
        # ISO dates compare as strings.
        return (self.date_from is None or place.date >= self.date_from) and (
            self.date_to is None or place.date <= self.date_to
        )

    def mask(self, passages: Sequence[Passage]) -> np.ndarray:
        """Which passages take part."""
        return np.fromiter(
            (any(self.admits(c) for c in (p.citation, *p.also_in)) for p in passages),
            dtype=bool,
            count=len(passages),
        )


NO_FILTERS = Filters()
