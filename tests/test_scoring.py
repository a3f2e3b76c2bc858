"""The ranking formula (qa.search.scoring) and its inputs, on hand-made scores and texts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qa.build.calibrate import frequent_names, probe_questions, threshold_from
from qa.config import Settings
from qa.index.lexical import PhraseIndex
from qa.params import search_params
from qa.search.answers import answer_type
from qa.search.scoring import best_sentences, dense_mix, dense_scores, fuse, highlight_values, phrase_shares
from qa.text import sentences


def _fused(
    dense: list[float], lexical: list[float | None], dense_weight: float
) -> tuple[list[float], list[int]]:
    """Fuse candidates given as lists; None: BM25 did not return the candidate."""
    found = np.array([v is not None for v in lexical])
    scores = np.array([v or 0.0 for v in lexical])
    fused, order = fuse(np.array(dense), scores, found, dense_weight, np.zeros(len(dense)))
    return fused.tolist(), order.tolist()


def test_fuse_normalises_and_weights() -> None:
    # Candidates 0-3; candidate 3 was found by BM25 only, so it has the dense floor (the lowest cosine).
    fused, order = _fused([0.9, 0.5, 0.7, 0.5], [None, 10.0, None, 5.0], dense_weight=0.5)
    assert fused == pytest.approx([0.5, 0.5, 0.25, 0.25])  # top dense alone = bottom dense with top BM25
    assert order[:2] == [0, 1]  # ties break on the dense score


def test_fuse_adds_the_bonus_and_keeps_dense_only_weight() -> None:
    fused, order = _fused([0.2, 0.8], [3.0, None], dense_weight=1.0)
    assert order == [1, 0] and fused == pytest.approx([0.0, 1.0])
    boosted, order = fuse(np.array([0.2, 0.8]), np.zeros(2), np.zeros(2, bool), 1.0, np.array([1.5, 0.0]))
    assert order.tolist() == [0, 1] and boosted.tolist() == pytest.approx([1.5, 1.0])


def test_fuse_rrf_and_zscore_rank_by_each_retriever() -> None:
    dense, lexical, found = (
        np.array([0.9, 0.1, 0.5]),
        np.array([0.0, 4.0, 2.0]),
        np.array([False, True, True]),
    )
    # RRF scores ranks: 1 is first by BM25 and last by dense, 2 second by both, 0 first by dense but
    # absent from BM25, so 1 and 2 (found by both) beat 0. z-scores keep the margins: 0's lead in cosine
    # (+1.22 deviations) outweighs its BM25 floor (-1); 1's top BM25 (+1) nearly makes up its last cosine
    # (-1.22), while 2 has the mean cosine (0) and the BM25 floor (-1).
    expected = {"rrf": [1, 2, 0], "zscore": [0, 1, 2]}
    for method, order_expected in expected.items():
        _, order = fuse(dense, lexical, found, 0.5, np.zeros(3), method)
        assert order.tolist() == order_expected, method
    fused, _ = fuse(dense, lexical, found, 0.5, np.zeros(3), "rrf")
    assert fused[0] == pytest.approx(0.5 * 61 / 61)  # first by dense, absent from BM25


def test_dense_mix_weighs_the_best_sentence() -> None:
    assert dense_mix(np.array([0.2]), np.array([0.6]), 0.75).tolist() == pytest.approx([0.5])


def test_highlight_values_add_kind_and_shared_words() -> None:
    params = search_params(Settings(answer_type_weight=0.1, highlight_overlap_weight=0.3))
    value = highlight_values(
        np.array([0.5, 0.45, 0.2]), np.array([False, True, False]), np.array([0, 0, 1.0]), params
    )
    assert value.tolist() == pytest.approx([0.5, 0.55, 0.5])


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("when was the deadline?", "date"),
        ("What year did the group renounce violence?", "date"),
        ("How many residents moved?", "number"),
        ("How far from Baghdad is the camp?", "distance"),
        ("How long did the standoff last?", "length"),
        ("Who is Maryam Rajavi?", None),
    ],
)
def test_answer_type(question: str, kind: str | None) -> None:
    found = answer_type(question)
    examples = {
        "date": "on July 20",
        "number": "400 people",
        "distance": "about 40 miles (65km) north",
        "length": "a 10-day siege",
    }
    assert (found is None) if kind is None else (found is not None and found.search(examples[kind]))


def test_a_distance_or_duration_needs_its_unit() -> None:
    far, long = answer_type("How far is the camp?"), answer_type("how long did it last?")
    assert far is not None and long is not None
    assert not far.search("400 of its residents are preparing to relocate")
    assert not far.search("It lasted three years, until the 2015 mission.")
    assert long.search("It lasted three years.") and long.search("a 5 km walk")


def test_best_sentence_prefers_the_wanted_kind_only_when_close() -> None:
    text = "The deadline was discussed at length. It ignored a July 20 deadline. Nobody moved."
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "The deadline was discussed at length.",
        "It ignored a July 20 deadline.",
        "Nobody moved.",
    ]
    wanted = answer_type("when was the deadline?")
    assert wanted is not None
    holds = np.array([bool(wanted.search(text[a:b])) for a, b in spans] * 3)
    assert holds.tolist()[:3] == [False, True, False]
    # Three passages of these sentences: the dated one wins only when its cosine is close to the best;
    # on a tie the first in text order wins.
    scores = np.array([0.62, 0.55, 0.1, 0.8, 0.55, 0.1, 0.4, 0.1, 0.4])
    owner = np.repeat([0, 1, 2], 3)
    best = best_sentences(scores, holds, 0.1, owner, np.array([0, 3, 6]))
    assert best.tolist() == [1, 3, 6]


def test_phrase_shares_count_consecutive_content_words_within_a_sentence() -> None:
    index = PhraseIndex.build(
        [
            "Harold died at the battle of Hastings.",  # passage 0: battle-Hastings, stopwords skipped
            "The last battle.",  # passage 1: one sentence ends with "battle"...
            "Hastings fell later.",  # ...the next starts with "Hastings": not a pair
            "Hastings saw a battle.",  # passage 2: both words, in the wrong order
            "A famous battle at Hastings and the Norman conquest.",  # passage 3: all three pairs
        ],
        np.array([0, 1, 1, 2, 3]),
        4,
    )
    # Three pairs: battle-Hastings, Hastings-Norman, Norman-conquest; "where" is a question word.
    shares = _shares(index, "Where was the battle of Hastings and the Norman conquest?", [3, 2, 1, 0])

    # Pairs weigh by their IDF among the 4 passages: battle-Hastings is in two, the others in one.
    def idf(held_by: int) -> float:
        return math.log(1 + (4 - held_by + 0.5) / (held_by + 0.5))

    assert shares.tolist() == pytest.approx([1.0, 0.0, 0.0, idf(2) / (idf(2) + 2 * idf(1))])


def _shares(index: PhraseIndex, question: str, positions: list[int]) -> np.ndarray:
    held, holders = index.holdings(question, np.array(positions))
    return phrase_shares(held, holders, index.passages)


def test_phrase_shares_without_a_known_pair() -> None:
    index = PhraseIndex.build(["The battle of Hastings."], np.array([0]), 1)
    assert _shares(index, "Hastings?", [0]).tolist() == [0.0]  # one content word: no pair
    assert _shares(index, "What is a quantum computer?", [0]).tolist() == [0.0]
    # A pair no passage holds still counts in the question's total, at the highest IDF.
    share = _shares(index, "battle of Hastings in England", [0])[0]
    assert share == pytest.approx(
        math.log(1 + 0.5 / 1.5) / (math.log(1 + 0.5 / 1.5) + math.log(1 + 1.5 / 0.5))
    )
    assert _shares(
        PhraseIndex.build([], np.zeros(0, dtype=np.int64), 0), "battle of Hastings", [0]
    ).tolist() == [0.0]


def test_dense_scores_mix_passage_and_best_sentence() -> None:
    passages = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    sentence_vectors = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], dtype=np.float32)
    rows = np.array([[0, 0, 5], [0, 6, 9], [1, 0, 4]], dtype=np.int32)
    question = np.array([[0.6, 0.8]], dtype=np.float32)
    scores = dense_scores(question, passages, sentence_vectors, rows, sentence_weight=0.5)
    assert scores.shape == (1, 2)
    assert scores[0, 0] == pytest.approx(0.5 * 0.6 + 0.5 * 1.0)
    assert scores[0, 1] == pytest.approx(0.5 * 0.8 + 0.5 * 0.8)


def test_threshold_sits_above_general_offtopic_and_half_the_probes() -> None:
    general = np.array([0.1, 0.12, 0.15, 0.2, 0.18, 0.11, 0.13, 0.3, 0.16, 0.14] * 10)
    assert threshold_from(general, np.array([0.1, 0.2])) == pytest.approx(np.quantile(general, 0.95) + 0.02)
    assert threshold_from(general, np.array([0.3, 0.4, 0.5])) == pytest.approx(0.4)


def test_probes_use_the_corpus_names_not_sentence_openers() -> None:
    texts = [
        "However, Camp Ashraf residents met Martin Kobler. The camp is near Baghdad.",
        "Martin Kobler said the camp near Baghdad would close. However, nothing happened.",
        "Camp Ashraf is in Diyala; however the residents stayed.",
    ]
    names = frequent_names(texts)
    assert set(names[:3]) == {"Camp Ashraf", "Martin Kobler", "Baghdad"}
    assert "However" not in names
    assert "What is the population of Baghdad?" in probe_questions(texts)
