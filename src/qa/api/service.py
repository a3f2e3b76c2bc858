"""The service's lifecycle: building or loading the index at start, following new builds, reindexing on request."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from qa.api.metrics import Metrics
from qa.build import BuildError
from qa.build.faults import MachineFault
from qa.build.freshness import stale_reason
from qa.config import Settings
from qa.index.store import IndexProblem, current_build
from qa.search.serving import ServingSearcher
from qa.serve import open_searcher

log = logging.getLogger("qa.api")


def build(settings: Settings, *, progress: bool) -> None:
    # Imported when a build is needed: serving a current index never loads the build pipeline.
    from qa.build.pipeline import build as run_build

    report = run_build(settings, progress=progress)
    # The server's log is where an operator reads what a build left out, and why.
    for each in report.skipped:
        log.warning("not indexed: %s: %s", each.source, each.reason)
    for each in report.notes:
        log.info("note on %s: %s", each.source, each.reason)


class Service:
    """What the routes share: the current Searcher (None until loaded) and a status line for /readyz.

    A new build replaces `searcher` in one assignment; a request reads the attribute once and keeps
    that Searcher throughout, so every response comes wholly from the old index or wholly from the new.
    """

    def __init__(self, settings: Settings, metrics: Metrics | None = None) -> None:
        self.settings = settings
        self.metrics = metrics
        self.searcher: ServingSearcher | None = None
        self.status = "loading the index"
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._refused: Path | None = None

    def load(self) -> None:
        """Build when the index is missing or stale, then load it; a damaged index is rebuilt from the corpus.

        When neither works, the reason stays as the status and /readyz answers 503 with it.
        """

        try:
            reason = stale_reason(self.settings)
            if reason is not None:
                try:
                    self._build(reason)
                except MachineFault as fault:
                    # A full disk (no memory, ...) stops the rebuild, not the service: the index that is
                    # there still answers, and the line that says why is in the log.
                    if current_build(self.settings.index_dir) is None:
                        raise BuildError(f"{reason}, and rebuilding failed: {fault}") from fault
                    log.error("%s, and rebuilding failed, serving the previous index: %s", reason, fault)
                except BuildError as error:
                    raise BuildError(f"{reason}, and rebuilding failed: {error}") from error
            try:
                self.refresh()
            except IndexProblem as damage:
                # Fingerprints cover the manifest only: a truncated or corrupt file shows up on loading.
                try:
                    self._build(str(damage))
                except BuildError as error:
                    raise BuildError(f"{damage}, and rebuilding failed: {error}") from error
                self.refresh()
        except (BuildError, IndexProblem) as problem:
            self.status = str(problem)
            self._refused = current_build(self.settings.index_dir)
            log.error("index not available: %s", problem)

    def _build(self, reason: str) -> None:
        self.status = f"building the index: {reason}"
        log.warning(self.status)
        build(self.settings, progress=False)

    def refresh(self) -> bool:
        """Swap in the build that index/CURRENT names, if it is not the one served; True when swapped."""

        with self.lock:
            folder = current_build(self.settings.index_dir)
            served = self.searcher.index.folder if self.searcher else None
            if folder is None or folder == served:
                return False
            searcher = open_searcher(self.settings)
            self.searcher = searcher
            self.status = "ready"
            self._refused = None
        if self.metrics:
            self.metrics.index_loaded(searcher.index)
        log.info("serving index %s: %d passages", searcher.index.folder.name, len(searcher.index.passages))
        return True

    def reindex(self) -> ServingSearcher:
        """Rebuild from the corpus and swap the new index in; the old one serves until then."""
        build(self.settings, progress=False)
        self.refresh()
        assert self.searcher is not None
        return self.searcher

    def watch(self) -> None:
        """Poll index/CURRENT so that a `qa build` run beside the server is served without a restart."""

        interval = self.settings.index_poll_seconds
        while interval and not self.stopping.wait(interval):
            try:
                if current_build(self.settings.index_dir) != self._refused:
                    self.refresh()
            except IndexProblem as problem:
                # Keep serving the last good index (if any), and say so once per refused build.
                self._refused = current_build(self.settings.index_dir)
                log.error("the new index is not served: %s", problem)
                if self.searcher is None:
                    self.status = str(problem)
            except Exception:  # the watcher must outlive any surprise, or the server stops following builds
                log.exception("checking for a new index failed")
