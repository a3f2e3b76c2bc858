"""The languages a page is written in, detected once per page (py3langid) and only when its dates need them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

# A language with this share of the page's probability or more is one it is written in (a page may mix a
# few: an English menu around a Portuguese article).
_MIN_SHARE = 0.05
_MOST = 3
# Enough of a page to tell its languages; a long page costs no more.
_SAMPLE_CHARS = 20_000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # py3langid (BSD-3-Clause): langid.py's model of 97 languages, fast on a page. Loaded once per process.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> frozenset[str]:
    """ISO 639-1 codes of the languages `text` is written in, the likeliest always among them."""
    ranked = _identifier().rank(text[:_SAMPLE_CHARS])
    found = frozenset(code for code, share in ranked[:_MOST] if share >= _MIN_SHARE)
    return found or frozenset({ranked[0][0]})


class _Page:
    """A page being read: its text, and its languages once something asked for them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.codes: frozenset[str] | None = None

    def languages(self) -> frozenset[str]:
        if self.codes is None:
            self.codes = detect(self.text)
        return self.codes


_PAGE: ContextVar[_Page | None] = ContextVar("qa_page", default=None)


@contextmanager
def reading(text: str) -> Iterator[None]:
    """Within this block, `page_languages()` gives the languages of the page whose text this is."""
    token = _PAGE.set(_Page(text))
    try:
        yield
    finally:
        _PAGE.reset(token)


def page_languages() -> frozenset[str] | None:
    """The languages of the page being read (detected on first use); None outside `reading`."""
    page = _PAGE.get()
    return None if page is None else page.languages()
