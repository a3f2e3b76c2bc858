"""A build's progress on standard error: one bar per stage, with its rate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def stage_progress(label: str, total: int, unit: str, enabled: bool) -> Iterator[tqdm]:
    """A bar for a stage that works on `total` items at once: complete when the stage is, with its rate."""
    with tqdm(total=total, desc=label, unit=unit, disable=not enabled) as bar:
        yield bar
        bar.update(total - bar.n)
