"""Fusion and highlight logic, on hand-made scores and texts."""

from __future__ import annotations

import pytest

from qa.highlight import best_span
from qa.search import calibrate_abstention, fuse


def test_fuse_normalises_and_weights() -> None:
    dense = {0: 0.9, 1: 0.5, 2: 0.7}
    lexical = {1: 10.0, 3: 5.0}
    ranked = fuse(dense, lexical, dense_weight=0.5)
    by_id = {c.position: c for c in ranked}
    assert by_id[0].fused == pytest.approx(0.5)  # top dense, no lexical
    assert by_id[1].fused == pytest.approx(0.5)  # bottom dense, top lexical
    assert by_id[2].fused == pytest.approx(0.25)
    assert by_id[3].fused == pytest.approx(0.25)  # missing dense scores the dense floor
    assert ranked[0].position == 0  # ties break on the dense score


def test_fuse_dense_only_weight() -> None:
    ranked = fuse({0: 0.2, 1: 0.8}, {0: 3.0}, dense_weight=1.0)
    assert [c.position for c in ranked] == [1, 0]


def test_fuse_empty() -> None:
    assert fuse({}, {}, 0.5) == []


def test_highlight_prefers_the_dated_sentence_for_when_questions() -> None:
    text = (
        "The deadline was discussed at length by officials. "
        "It ignored a July 20 deadline to move the remaining people. Nobody moved."
    )
    start, end = best_span("when was the deadline?", text) or (0, 0)
    assert text[start:end] == "It ignored a July 20 deadline to move the remaining people."


def test_highlight_none_when_nothing_matches() -> None:
    assert best_span("what is photosynthesis?", "Rockets hit the camp on Sunday.") is None


def test_calibration_sits_above_nearly_all_offtopic_scores() -> None:
    scores = [0.1, 0.12, 0.15, 0.2, 0.18, 0.11, 0.13, 0.3, 0.16, 0.14] * 10
    threshold = calibrate_abstention(__import__("numpy").array(scores))
    assert sum(s < threshold for s in scores) / len(scores) >= 0.9
