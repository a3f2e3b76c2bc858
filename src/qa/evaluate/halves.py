"""A stable split of a development set into two halves, "tune" and "test": develop on one, report both."""

from __future__ import annotations

import hashlib

HALVES = ("tune", "test")


def half(key: str) -> str:
    """The half an item belongs to, by a hash of its id (a question's id, a page's id or file name)."""
    return HALVES[hashlib.sha256(key.encode()).digest()[0] % 2]
