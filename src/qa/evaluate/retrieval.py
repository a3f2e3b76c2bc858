"""`qa eval`: retrieval metrics on a question file (JSON Lines or SQuAD), on top of Searcher."""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import ir_measures
from ir_measures import RR, Success, nDCG

from qa.config import Settings
from qa.dedup.similarity import near_duplicate
from qa.evaluate import halves
from qa.evaluate.answers import answer_metrics, baseline
from qa.search.scoring import SearchParams
from qa.search.searcher import Searcher

if TYPE_CHECKING:
    from qa.search.serving import ServingSearcher
from qa.types import Answer, Passage

KS = (1, 3, 5, 10)


class EvalError(Exception):
    """The question file cannot be evaluated; the message says why."""


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answers: tuple[str, ...]

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class SquadSet:
    """A SQuAD file: its questions, and the paragraphs that form its corpus."""

    questions: list[Question]
    paragraphs: dict[str, str]


def read_jsonl(path: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            text = data["question"]
            answers = data.get("answers", [])
        except (ValueError, KeyError, TypeError) as error:
            raise EvalError(f"{path}:{number}: not a question line ({error})") from error
        if not isinstance(text, str) or not text.strip() or not isinstance(answers, list):
            raise EvalError(f"{path}:{number}: needs a non-empty question and a list of answers")
        questions.append(Question(str(data.get("id", f"q{number}")), text, tuple(str(a) for a in answers)))
    return questions


def read_squad(data: dict) -> SquadSet:
    """Answerable questions keep their distinct answer texts; impossible ones get none."""
    questions, paragraphs = [], {}
    for article in data["data"]:
        title = article.get("title", "article")
        for number, paragraph in enumerate(article["paragraphs"]):
            paragraphs[f"{title}/{number:03d}.txt"] = paragraph["context"]
            for qa in paragraph["qas"]:
                answers = (
                    () if qa.get("is_impossible") else tuple(dict.fromkeys(a["text"] for a in qa["answers"]))
                )
                questions.append(Question(qa["id"], qa["question"], answers))
    return SquadSet(questions, paragraphs)


def load(path: Path) -> tuple[list[Question], dict[str, str] | None]:
    """Questions of a file, and for SQuAD the paragraphs to build a corpus from."""
    if not path.is_file():
        raise EvalError(f"no such file: {path}")
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("{") and '"data"' in text[:2000]:
        try:
            squad = read_squad(json.loads(text))
        except (ValueError, KeyError, TypeError) as error:
            raise EvalError(f"{path}: not a SQuAD file ({error})") from error
        return squad.questions, squad.paragraphs
    return read_jsonl(path), None


def half(question: Question) -> str:
    """A stable split of questions into two halves, "tune" and "test", by a hash of the id."""
    return halves.half(question.id)


def is_hit(text: str, answers: Sequence[str]) -> bool:
    lowered = text.lower()
    return any(a.lower() in lowered for a in answers)


def distinct_share(texts: Sequence[str], upto: int = 5) -> float:
    """Share of the top results that are not near-duplicates of a higher result."""
    top = list(texts[:upto])
    if not top:
        return 1.0
    repeats = sum(
        any(near_duplicate(t, earlier, jaccard_at=0.5, containment_at=0.8) for earlier in top[:i])
        for i, t in enumerate(top)
    )
    return 1 - repeats / len(top)


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def metrics(
    questions: Sequence[Question],
    answers: Sequence[Answer],
    passages: Sequence[Passage],
    latencies: Sequence[float],
) -> dict:
    """Every number `qa eval` reports, from the questions and the answers they got."""
    answerable = [(q, a) for q, a in zip(questions, answers, strict=True) if q.answerable]
    offtopic = [(q, a) for q, a in zip(questions, answers, strict=True) if not q.answerable]
    result: dict = {"questions": len(questions), "answerable": len(answerable), "unanswerable": len(offtopic)}
    if answerable:
        result.update(ranking_metrics(answerable, passages))
        result["highlight@1"] = _mean(_highlight_holds(q, a) for q, a in answerable if is_hit_at(a, q, 1))
        result["answerable_no_answer"] = _mean(a.no_answer for _, a in answerable)
        pairs = [(q.question, q.answers, a) for q, a in answerable]
        result.update(answer_metrics(pairs))
        result.update(answer_metrics(pairs, baseline, prefix="baseline"))
    result["distinct@5"] = _mean(distinct_share([h.passage.text for h in a.hits]) for a in answers)
    if offtopic:
        flagged = [a.no_answer for _, a in offtopic]
        all_flags = sum(a.no_answer for a in answers)
        result["abstain_recall"] = _mean(flagged)
        result["abstain_precision"] = round(sum(flagged) / all_flags, 4) if all_flags else 0.0
    result["latency_p50_ms"] = round(_percentile(latencies, 0.5), 3)
    result["latency_p95_ms"] = round(_percentile(latencies, 0.95), 3)
    return result


def ranking_metrics(
    answerable: Sequence[tuple[Question, Answer]], passages: Sequence[Passage]
) -> dict[str, float]:
    """hit@k (Success@k, the top-k accuracy of DPR), MRR@10 and nDCG@10, computed by ir-measures (trec_eval).

    Relevance comes from the answer strings: every indexed passage containing one is relevant. A
    question with no relevant passage at all, or no results, still counts, as a miss.
    """
    measures = [*(Success @ k for k in KS), RR @ 10, nDCG @ 10]
    qrels, run = [], []
    for q, a in answerable:
        relevant = [p.passage_id for p in passages if is_hit(p.text, q.answers)]
        qrels += [ir_measures.Qrel(q.id, pid, 1) for pid in relevant or ["(none)"]]
        run += [ir_measures.ScoredDoc(q.id, h.passage.passage_id, float(-h.rank)) for h in a.hits]
    per_query: dict[str, dict] = {q.id: {} for q, _ in answerable}
    for m in ir_measures.iter_calc(measures, qrels, run):
        per_query[m.query_id][m.measure] = m.value
    names = {**{Success @ k: f"hit@{k}" for k in KS}, RR @ 10: "mrr@10", nDCG @ 10: "ndcg@10"}
    return {name: _mean(scores.get(m, 0.0) for scores in per_query.values()) for m, name in names.items()}


def is_hit_at(answer: Answer, question: Question, k: int) -> bool:
    return any(is_hit(h.passage.text, question.answers) for h in answer.hits[:k])


def _highlight_holds(question: Question, answer: Answer) -> bool:
    top = answer.hits[0]
    if top.highlight is None:
        return False
    start, end = top.highlight
    return is_hit(top.passage.text[start:end], question.answers)


def _mean(values: object) -> float:
    items = [float(v) for v in values]  # type: ignore[attr-defined]
    return round(statistics.fmean(items), 4) if items else 0.0


def run(
    searcher: Searcher | ServingSearcher, questions: Sequence[Question], k: int
) -> tuple[list[Answer], list[float]]:
    """Ask each question on its own, as a client would, timing each."""
    searcher.ask("warm up", k)
    answers, latencies = [], []
    for q in questions:
        started = time.perf_counter()
        answers.append(searcher.ask(q.question, k))
        latencies.append((time.perf_counter() - started) * 1000)
    return answers, latencies


def squad_settings(settings: Settings, paragraphs: dict[str, str], file: Path) -> Settings:
    """Settings whose corpus is the SQuAD paragraphs, written once into a cache folder beside the index."""
    digest = hashlib.sha256(json.dumps(paragraphs, sort_keys=True).encode()).hexdigest()[:12]
    root = settings.index_dir / "eval" / f"{file.stem}-{digest}"
    corpus = root / "corpus"
    if not corpus.is_dir():
        staging = root / "corpus.tmp"
        for name, text in paragraphs.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + "\n", encoding="utf-8")
        staging.rename(corpus)
    return settings.model_copy(update={"corpus_dir": corpus, "index_dir": root / "index"})


def format_table(name: str, result: dict) -> str:
    rows = [(key, value) for key, value in result.items()]
    width = max(len(k) for k, _ in rows)
    lines = [name, "-" * max(len(name), width + 12)]
    lines += [f"{key:<{width}}  {value:>10}" for key, value in rows]
    return "\n".join(lines)


def _overrides(pairs: Sequence[str], params: SearchParams) -> SearchParams:
    changes: dict[str, float | int | str] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if not hasattr(params, key) or not value:
            raise EvalError(
                f"--set takes NAME=VALUE with NAME one of {', '.join(params.__dataclass_fields__)}"
            )
        changes[key] = int(value) if key == "candidates" else value if key == "fusion" else float(value)
    return replace(params, **changes)  # type: ignore[arg-type]


def run_eval_command(args: argparse.Namespace, settings: Settings) -> None:
    """Raises EvalError, BuildError or IndexProblem with a message for the user."""
    from qa.build.freshness import stale_reason
    from qa.build.pipeline import build
    from qa.params import search_params
    from qa.search.serving import ServingSearcher, sample_questions
    from qa.serve import open_index

    questions, paragraphs = load(args.file)
    # A SQuAD file's paragraphs are the corpus, unless --corpus names one: the same articles kept as PDF, Word...
    if paragraphs is not None and getattr(args, "corpus", None) is None:
        settings = squad_settings(settings, paragraphs, args.file)
    if stale_reason(settings) is not None:
        print(f"building the index for {args.file.name}", file=sys.stderr)
        build(settings, progress=sys.stderr.isatty())
    # A searcher of its own, with the overridden parameters and no answer cache (every question is searched),
    # embedding each question as the server embeds one that comes alone.
    index, embedder = open_index(settings)
    embedder.keep_solo_if_faster(sample_questions(index))
    searcher = ServingSearcher(
        Searcher(index, embedder, _overrides(args.set or [], search_params(settings))), answers=0, parallel=1
    )
    if args.split != "all":
        questions = [q for q in questions if half(q) == args.split]
    if not questions:
        raise EvalError(f"{args.file} has no questions in split {args.split!r}")
    answers, latencies = run(searcher, questions, args.k)
    result = metrics(questions, answers, searcher.index.passages, latencies)
    if args.json:
        print(json.dumps({"file": str(args.file), "split": args.split, "k": args.k, **result}, indent=2))
    else:
        print(format_table(f"{args.file.name} ({args.split}, k={args.k})", result))
