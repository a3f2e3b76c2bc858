"""The `qa` command: exit codes, one-line errors, and cited answers from the real index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from live import workspace


def qa(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["ask", "   "], {}, "the question is empty"),
        (["ask", "x" * 1001], {}, "longer than 1,000"),
        (["ask", "-k", "0", "when?"], {}, "-k must be between 1 and 50"),
        (["ask", "when?"], {"QA_PORT": "abc"}, "QA_PORT"),
        (["build", "--corpus", "/nonexistent/corpus"], {}, "does not exist"),
        (["eval", "/nonexistent/questions.jsonl"], {}, "no such file"),
        (
            ["ask", "--since", "2024-13-01", "when?"],
            {},
            "--since '2024-13-01' is not a date written YYYY-MM-DD",
        ),
        (["ask", "--until", "May 1", "when?"], {}, "--until 'May 1' is not a date"),
        (["ask", "--since", "2024-05-02", "--until", "2024-05-01", "when?"], {}, "is after --until"),
        (["ask", "--source", "", "when?"], {}, "--source needs a glob pattern"),
        (["eval-pages", "/nonexistent/pages", "--gold", "/nonexistent/gold.jsonl"], {}, "does not exist"),
    ],
)
def test_errors_are_one_line_with_non_zero_exit(args: list[str], env: dict[str, str], message: str) -> None:
    result = qa(*args, env=env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("qa: ")


def test_empty_corpus_fails_and_keeps_the_previous_index(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_text("")
    result = qa("build", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert result.returncode == 1
    assert "nothing to index" in result.stderr and "empty.txt" in result.stderr
    assert not (tmp_path / "index" / "CURRENT").exists()


@pytest.mark.slow  # the build gets as far as loading the model
def test_a_corpus_without_articles_fails_naming_each_page_and_why(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "app.html").write_text(
        "<html><body><div id='root'></div><script>render()</script></body></html>"
    )
    result = qa("build", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert result.returncode == 1
    assert "no indexable text" in result.stderr and "app.html: no article" in result.stderr
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_bad_question_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"question": "ok", "answers": []}\nnot json\n')
    result = qa("eval", str(bad))
    assert result.returncode == 1 and "q.jsonl:2" in result.stderr


@pytest.mark.slow
def test_ask_prints_cited_passages(settings) -> None:  # type: ignore[no-untyped-def]
    paths = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]
    text = qa("ask", *paths, "when was the deadline?")
    assert text.returncode == 0, text.stderr
    assert "July 20" in text.stdout and "000_139965ce83540aa2.txt, line" in text.stdout
    as_json = qa("ask", *paths, "--json", "-k", "3", "when was the deadline?")
    body = json.loads(as_json.stdout)
    assert body["question"] == "when was the deadline?" and len(body["results"]) == 3
    assert {"citation", "also_in", "highlight", "score", "rank", "passage_id", "text"} <= set(
        body["results"][0]
    )


@pytest.mark.slow
def test_ask_filters_by_source_and_date(settings) -> None:  # type: ignore[no-untyped-def]
    paths = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]
    within = qa(
        "ask",
        *paths,
        "--json",
        "-k",
        "10",
        "--source",
        "004_*",
        "--since",
        "2011-12-29",
        "when was the deadline?",
    )
    assert within.returncode == 0, within.stderr
    results = json.loads(within.stdout)["results"]

    def admitted(place: dict) -> bool:
        return place["source"].startswith("004_") and (place["date"] or "") >= "2011-12-29"

    # A passage takes part when its citation or one of its other places is within the filters.
    assert results and all(admitted(r["citation"]) or any(map(admitted, r["also_in"])) for r in results)
    text = qa("ask", *paths, "--source", "nowhere/*", "when was the deadline?")
    assert text.returncode == 0 and "July 20" not in text.stdout


@pytest.mark.slow
def test_build_names_the_documents_that_gave_no_text(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus, index = workspace(tmp_path, settings.corpus_dir, settings.index_dir)
    (corpus / "menu.txt").write_text("Home\nNews\nSport\nWeather\nContact us\n")
    result = qa("build", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0, result.stderr
    # Named with the reason, as every file that is not indexed is.
    assert "1 file not indexed:" in result.stderr
    assert "  menu.txt: " in result.stderr


@pytest.mark.slow
def test_eval_reports_metrics_as_json(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "a", "question": "when was the deadline?", "answers": ["July 20", "December 31"]}\n'
        '{"id": "b", "question": "How do I bake sourdough bread?", "answers": []}\n'
    )
    result = qa(
        "eval",
        str(questions),
        "--json",
        "--corpus",
        str(settings.corpus_dir),
        "--index",
        str(settings.index_dir),
    )
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert metrics["questions"] == 2 and metrics["answerable"] == 1 and metrics["hit@10"] == 1.0
    assert metrics["abstain_recall"] == 1.0
