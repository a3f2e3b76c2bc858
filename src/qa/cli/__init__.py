"""The `qa` command: parses flags, builds Settings and calls the modules that do the work."""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from qa.config import Settings

if TYPE_CHECKING:
    from qa.build.distributed import RayCluster
    from qa.search.filters import Filters
    from qa.search.serving import ServingSearcher

log = logging.getLogger("qa")


class CommandError(Exception):
    """A failure to report in one line on stderr with a non-zero exit."""


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(**_overrides(args))


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {
        key: value
        for key, value in {
            "corpus_dir": getattr(args, "corpus", None),
            "index_dir": getattr(args, "index", None),
            "model": getattr(args, "model", None),
            "host": getattr(args, "host", None),
            "port": getattr(args, "port", None),
        }.items()
        if value is not None
    }


def _ensure_index(settings: Settings, *, quiet: bool = False) -> None:
    from qa.build.freshness import stale_reason

    reason = stale_reason(settings)
    if reason is not None:
        if not quiet:
            print(f"building the index ({reason})", file=sys.stderr)
        _build(settings, quiet=quiet)


def _build(settings: Settings, *, quiet: bool = False, cluster: RayCluster | None = None) -> None:
    from qa.build import BuildError
    from qa.build.pipeline import build

    try:
        report = build(settings, progress=not quiet and sys.stderr.isatty(), cluster=cluster)
    except BuildError as error:
        raise CommandError(f"build failed, previous index kept: {error}") from error
    if not quiet:
        print(
            f"indexed {report.passages} passages from {report.documents} documents "
            f"({report.paragraphs} paragraphs before deduplication) in {report.seconds:.1f} s -> {report.folder}",
            file=sys.stderr,
        )
    # Every file that is not indexed is named with the reason, quiet or not: nothing is skipped in silence.
    if report.skipped:
        count = f"{len(report.skipped)} file{'s' if len(report.skipped) != 1 else ''}"
        print(f"{count} not indexed:", file=sys.stderr)
        for each in report.skipped:
            print(f"  {each.source}: {each.reason}", file=sys.stderr)
    for each in report.notes:
        print(f"note: {each.source}: {each.reason}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> None:
    cluster = None
    if args.ray is not None:
        try:
            from qa.build.distributed import RayCluster
        except ImportError as error:
            raise CommandError(f"--ray needs Ray: pip install 'qa[ray]' ({error})") from error
        cluster = RayCluster(args.ray or None)
    _build(_settings(args), cluster=cluster)


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from qa.api.app import create_app
    from qa.api.observability import log_config

    settings = _settings(args)
    try:
        _ensure_index(settings)
    except CommandError as error:
        from qa.build.faults import MachineFault
        from qa.index.store import current_build

        # A full disk (no memory, ...) stops the rebuild, not the server: the index there still answers.
        if not isinstance(error.__cause__, MachineFault) or current_build(settings.index_dir) is None:
            raise
        print(f"qa: {error}; serving the index that is there", file=sys.stderr)
    if args.workers > 1:
        # Worker processes build their own Settings from the environment: hand them the flags that way.
        os.environ.update({f"QA_{key.upper()}": str(value) for key, value in _overrides(args).items()})
    # Uvicorn handles SIGTERM (stop accepting, finish requests in flight, shut down), then raises it
    # again for the handler it found; a no-op one lets a graceful stop end with status 0, not -15.
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    uvicorn.run(
        # Several workers need an import string, which each of them calls to make its own app.
        create_app(settings) if args.workers <= 1 else "qa.api.workers:app",
        factory=args.workers > 1,
        workers=args.workers,
        host=settings.host,
        port=settings.port,
        log_level=args.log_level,
        # The app writes its own access log, structured and with request ids, so uvicorn's is off.
        log_config=log_config(args.log_level, json_lines=settings.log_json),
        access_log=False,
        # On SIGTERM uvicorn stops accepting, lets requests in flight finish (up to this), then exits.
        timeout_graceful_shutdown=10,
    )


def _open(settings: Settings) -> ServingSearcher:
    from qa.index.store import IndexProblem
    from qa.serve import open_searcher

    try:
        return open_searcher(settings)
    except IndexProblem as problem:
        raise CommandError(str(problem)) from problem


def _filters(args: argparse.Namespace) -> Filters:
    """`--source`, `--since` and `--until` as search filters; a date must be a real YYYY-MM-DD day."""
    from qa.search.filters import Filters

    days = {}
    for flag in ("since", "until"):
        value = getattr(args, flag)
        if value is None:
            continue
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            days[flag] = date.fromisoformat(value).isoformat()
        except ValueError as error:
            raise CommandError(f"--{flag} {value!r} is not a date written YYYY-MM-DD") from error
    if "since" in days and "until" in days and days["since"] > days["until"]:
        raise CommandError(f"--since {days['since']} is after --until {days['until']}")
    if any(not pattern for pattern in args.source or ()):
        raise CommandError("--source needs a glob pattern, e.g. 'news/2024/*'")
    return Filters(tuple(args.source or ()), days.get("since"), days.get("until"))


def cmd_ask(args: argparse.Namespace) -> None:
    import orjson

    from qa.api.schemas import AskResponse

    question = " ".join(args.question).strip()
    if not question:
        raise CommandError("the question is empty")
    if len(question) > 1000:
        raise CommandError("the question is longer than 1,000 characters")
    if not 1 <= args.k <= 50:
        raise CommandError("-k must be between 1 and 50")
    filters = _filters(args)
    settings = _settings(args)
    _ensure_index(settings, quiet=args.json)
    answer = _open(settings).ask(question, args.k, filters)
    if args.json:
        sys.stdout.write(
            orjson.dumps(AskResponse.of(answer).model_dump(), option=orjson.OPT_INDENT_2).decode() + "\n"
        )
        return
    from qa.cli.render import render_answer

    sys.stdout.write(render_answer(answer, color=sys.stdout.isatty() and "NO_COLOR" not in os.environ))


def cmd_eval(args: argparse.Namespace) -> None:
    from qa.build import BuildError
    from qa.evaluate.retrieval import EvalError, run_eval_command
    from qa.index.store import IndexProblem

    try:
        run_eval_command(args, _settings(args))
    except (EvalError, BuildError, IndexProblem) as error:
        raise CommandError(str(error)) from error


def cmd_eval_pages(args: argparse.Namespace) -> None:
    from qa.evaluate.pages import PagesError, run_pages_command

    try:
        output = run_pages_command(
            args.corpus,
            args.gold,
            as_json=args.json,
            show=args.show,
            settings=_settings(args),
            declared_from=args.declared_from,
            write_gold_to=args.write_gold,
            split=args.split,
        )
    except PagesError as error:
        raise CommandError(str(error)) from error
    print(output)


def cmd_eval_dates(args: argparse.Namespace) -> None:
    from qa.evaluate.dates import run_dates_command
    from qa.evaluate.pages import PagesError

    try:
        output = run_dates_command(
            args.pages,
            args.gold,
            split=args.split,
            as_json=args.json,
            settings=_settings(args),
            forms=args.forms.split(","),
            say=lambda line: print(f"qa eval-dates: {line}", file=sys.stderr, flush=True),
        )
    except PagesError as error:
        raise CommandError(str(error)) from error
    print(output)


def cmd_bench(args: argparse.Namespace) -> None:
    from qa.bench.report import render
    from qa.bench.run import run

    if not 1 <= args.port <= 65535:
        raise CommandError("--port must be between 1 and 65535")
    if args.passages < 0 or args.archive < 0:
        raise CommandError("--passages and --archive take a number of paragraphs, 0 or more")
    results = run(
        _settings(args),
        passages=args.passages,
        seconds=args.seconds,
        port=args.port,
        questions_file=args.questions,
        squad_file=args.squad,
        workdir=args.keep,
        archive=args.archive,
        serving_runs=not args.builds_only,
        documents_dir=args.documents,
        say=lambda line: print(f"qa bench: {line}", file=sys.stderr, flush=True),
    )
    sys.stdout.write(render(results))


def cmd_bench_scale(args: argparse.Namespace) -> None:
    from qa.bench import scale

    rows = scale.run(
        _settings(args),
        sizes=[int(n) for n in args.sizes.split(",") if n],
        real=args.real,
        queries=args.queries,
        kinds=args.kinds.split(","),
        say=lambda line: print(f"qa bench-scale: {line}", file=sys.stderr, flush=True),
    )
    sys.stdout.write(scale.render(rows))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa", description="Ask questions of your documents; get cited source passages."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def paths(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--corpus", type=Path, help="corpus folder (env QA_CORPUS_DIR, default corpus/)")
        sub.add_argument("--index", type=Path, help="index folder (env QA_INDEX_DIR, default index/)")
        sub.add_argument("--model", help="sentence-transformers model name or path (env QA_MODEL)")

    build = commands.add_parser("build", help="ingest, clean, deduplicate, embed and write the index")
    paths(build)
    build.add_argument(
        "--ray",
        nargs="?",
        const="",
        metavar="ADDRESS",
        help="spread cleaning, dedup and embedding over a Ray cluster (default: RAY_ADDRESS, else local cores)",
    )
    build.set_defaults(func=cmd_build)

    serve = commands.add_parser(
        "serve", help="serve the HTTP API (builds first when the index is missing or stale)"
    )
    paths(serve)
    serve.add_argument("--host", help="bind address (env QA_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (env QA_PORT, default 8000)")
    serve.add_argument(
        "--workers", type=int, default=1, help="server processes sharing the port and the index (default 1)"
    )
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    serve.set_defaults(func=cmd_serve)

    ask = commands.add_parser("ask", help="answer a question from the command line, with citations")
    paths(ask)
    ask.add_argument("question", nargs="+", help="the question")
    ask.add_argument("-k", type=int, default=5, help="how many passages (1-50, default 5)")
    ask.add_argument("--json", action="store_true", help="print the /ask response as JSON")
    ask.add_argument(
        "--source",
        action="append",
        metavar="GLOB",
        help="only passages from sources matching this glob, e.g. 'news/2024/*' (repeatable: any may match)",
    )
    ask.add_argument("--since", metavar="YYYY-MM-DD", help="only passages published on or after this day")
    ask.add_argument("--until", metavar="YYYY-MM-DD", help="only passages published on or before this day")
    ask.set_defaults(func=cmd_ask)

    evaluate = commands.add_parser(
        "eval", help="evaluate retrieval on a question file (JSON Lines or SQuAD JSON)"
    )
    paths(evaluate)
    evaluate.add_argument(
        "file",
        type=Path,
        help="questions: JSON Lines {question, answers} or a SQuAD file (its paragraphs are the corpus unless "
        "--corpus is given: then its questions are asked of that folder)",
    )
    evaluate.add_argument("-k", type=int, default=10, help="results per question (default 10)")
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluate.add_argument(
        "--split",
        choices=["all", "tune", "test"],
        default="all",
        help="evaluate one stable half of the questions (tune on one, report on the other)",
    )
    evaluate.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="override a ranking parameter for this run (dense_weight, candidates, abstain_threshold, ...)",
    )
    evaluate.set_defaults(func=cmd_eval)

    pages = commands.add_parser(
        "eval-pages",
        help="ingest quality on a folder of real pages: titles, dates, authors, boilerplate and recall",
    )
    pages.add_argument("corpus", type=Path, help="folder of pages (.html, .txt or .md), one per gold id")
    pages.add_argument(
        "--gold",
        type=Path,
        required=True,
        help="JSON Lines {id, body[, title, date, author]}: the article text",
    )
    pages.add_argument(
        "--declared-from",
        type=Path,
        metavar="HTML_DIR",
        help="take gold titles, dates and authors from what HTML_DIR/<id>.html declares (JSON-LD, meta tags)",
    )
    pages.add_argument("--write-gold", type=Path, metavar="OUT", help="save the merged gold as JSON Lines")
    pages.add_argument("--json", action="store_true", help="all figures and a per-page list, as JSON")
    pages.add_argument("--show", type=int, default=0, metavar="N", help="the N worst pages of each metric")
    pages.add_argument(
        "--split",
        choices=("tune", "test", "all"),
        default="all",
        help="score one half of the gold pages (by a hash of the page id) or all (default)",
    )
    pages.set_defaults(func=cmd_eval_pages)

    when = commands.add_parser(
        "eval-dates",
        help="publication dates of real pages (HTML and their text dumps) against gold, next to htmldate's",
    )
    when.add_argument("pages", type=Path, help="folder of the gold's pages (.html or .html.gz)")
    when.add_argument("--gold", type=Path, required=True, help="JSON Lines {file, url, date}")
    when.add_argument(
        "--split", choices=("tune", "test", "all"), default="all", help="which half (default all)"
    )
    when.add_argument("--forms", default="html,txt", help="read the pages as html, as txt dumps, or both")
    when.add_argument("--json", action="store_true", help="the figures and each page's date, as JSON")
    when.set_defaults(func=cmd_eval_dates)

    bench = commands.add_parser(
        "bench",
        help="measure query latency, throughput, memory and build times against plain sentence-transformers",
    )
    paths(bench)
    bench.add_argument("--port", type=int, default=8035, help="port for the server under test (default 8035)")
    bench.add_argument("--seconds", type=float, default=10, help="length of each load run (default 10)")
    bench.add_argument(
        "--passages", type=int, default=20_000, help="size of the generated corpus (default 20,000; 0: skip)"
    )
    bench.add_argument(
        "--questions", type=Path, default=Path("eval/gold.jsonl"), help="JSON Lines questions to send"
    )
    bench.add_argument(
        "--squad",
        type=Path,
        default=Path("../shared/benchmarks/squad2-dev-open.json"),
        help="SQuAD file whose paragraphs feed the generated corpus (optional)",
    )
    bench.add_argument(
        "--archive",
        type=int,
        default=0,
        help="also dedup and build a generated archive of this many paragraphs with duplicates, plainly and "
        "on a local Ray cluster, and compare the two indexes (120000 make about 100k passages: on two cores each "
        "build takes 11-12 minutes with QA_SENTENCE_VECTORS=late, about 24 without; default 0: skip)",
    )
    bench.add_argument(
        "--documents",
        type=Path,
        default=Path("../shared/benchmarks/documents"),
        help="PDFs to read with qa's reader and with poppler's pdftotext, scans with OCR (skipped if absent)",
    )
    bench.add_argument(
        "--builds-only", action="store_true", help="measure the builds alone: no server, no query timings"
    )
    bench.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    bench.set_defaults(func=cmd_bench)

    scale = commands.add_parser(
        "bench-scale", help="build time, memory, size, latency and recall@10 of each vector index kind"
    )
    paths(scale)
    scale.add_argument("--sizes", default="100000,1000000", help="random vector counts (default 100k,1M)")
    scale.add_argument("--real", type=int, default=100_000, help="generated passages to embed (0: skip)")
    scale.add_argument("--queries", type=int, default=1000, help="queries per measurement (default 1000)")
    scale.add_argument("--kinds", default="flat,ivf,ivfpq,hnsw", help="index kinds to compare")
    scale.set_defaults(func=cmd_bench_scale)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.verbose:
        # trafilatura warns of every odd link or tag in a page's markup: noise to someone building an index.
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        args.func(args)
    except CommandError as error:
        print(f"qa: {error}", file=sys.stderr)
        return 1
    except ValidationError as error:
        problems = "; ".join(
            f"QA_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors(include_url=False)
        )
        print(f"qa: invalid configuration: {problems}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130
    return 0
