"""`qa eval-dates`: publication dates of real pages, read as `qa build` reads them, against independent gold."""

from __future__ import annotations

import gzip
import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from htmldate import find_date

from qa.config import Settings
from qa.evaluate.halves import half
from qa.evaluate.pages import Gold, PagesError, iso_date, measure
from qa.ingest.documents import decoded
from qa.ingest.readers import Unreadable
from qa.ingest.visible import visible_lines

SPLITS = ("tune", "test", "all")
FORMS = ("html", "txt")


@dataclass(frozen=True)
class Page:
    """A gold page: its file name (as the gold names it, `.html`), URL and publication date (None: it has none)."""

    file: str
    url: str
    date: str | None

    @property
    def id(self) -> str:
        return self.file.removesuffix(".html")


@dataclass(frozen=True)
class Verdict:
    """What one way of dating gave one page."""

    id: str
    gold: str | None  # None: the page states no publication date, and the right answer is none
    found: str | None
    passages: int | None = None  # None: not a build (a reference library on the raw page)

    @property
    def right(self) -> bool:
        return self.found == self.gold

    @property
    def wrong(self) -> bool:
        return self.found is not None and self.found != self.gold


@dataclass(frozen=True)
class Row:
    """One way of dating on one split: shares of pages with the right and with a wrong date."""

    name: str
    split: str
    pages: int
    right: float
    wrong: float
    no_passage: list[str] | None  # pages that gave no passage; None for a reference library


def read_gold(path: Path) -> list[Page]:
    """The gold JSON Lines file: {"file", "url", "date"} a line; a page that states no date has none."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise PagesError(f"cannot read gold file {path}: {error.strerror}") from error
    pages = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)  # a page with no date has NaN or null
            day = iso_date(row["date"]) if isinstance(row["date"], str) else None
            if day is None and isinstance(row["date"], str):
                raise ValueError(f"no date in {row['date']!r}")
            pages.append(Page(row["file"], row.get("url", ""), day))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise PagesError(f"{path}:{number}: not a gold line with file and date ({error})") from error
    return pages


def raw_page(folder: Path, page: Page) -> bytes:
    """The page's bytes as saved: `<file>` or `<file>.gz`."""
    plain, packed = folder / page.file, folder / f"{page.file}.gz"
    if plain.exists():
        return plain.read_bytes()
    if packed.exists():
        return gzip.decompress(packed.read_bytes())
    raise PagesError(f"no page {page.file} (or {page.file}.gz) in {folder}")


def visible_text(page: str) -> str:
    """A scraper's visible-text dump of a page: one line per block, menus, footers and all."""
    lines = visible_lines(page)
    return "\n".join(lines) + "\n" if lines else ""


def page_text(raw: bytes, page: Page) -> str | None:
    """The page decoded as the corpus reader decodes HTML; None when it is not readable text."""
    try:
        return decoded(raw, page.file)
    except Unreadable:
        return None


def write_corpus(folder: Path, pages: Iterable[Page], dest: Path, form: str) -> None:
    """The pages as a corpus folder: `<id>.html` as saved, or `<id>.txt` visible-text dumps."""
    dest.mkdir(parents=True, exist_ok=True)
    for page in pages:
        raw = raw_page(folder, page)
        if form == "html":
            (dest / f"{page.id}.html").write_bytes(raw)
            continue
        text = page_text(raw, page)
        dump = visible_text(text) if text else ""
        if dump:
            (dest / f"{page.id}.txt").write_text(dump, encoding="utf-8")


def built(folder: Path, pages: list[Page], form: str, settings: Settings) -> list[Verdict]:
    """Each page's date as `qa build` cites it (the date most of its passages carry), through a scratch corpus."""
    with tempfile.TemporaryDirectory(prefix="qa-eval-dates-") as scratch:
        corpus = Path(scratch)
        write_corpus(folder, pages, corpus, form)
        gold = {page.id: Gold(id=page.id, body="", date=page.date) for page in pages}
        result = measure(corpus, gold, settings)
    return [
        Verdict(p.id, p.gold_date, p.cited_date if p.passages + p.also_in else None, p.passages + p.also_in)
        for p in result.pages
    ]


def htmldate_verdicts(folder: Path, pages: list[Page], *, extensive: bool) -> list[Verdict]:
    """htmldate's date of each raw page (its defaults, but the original date rather than the last update)."""
    verdicts = []
    for page in pages:
        text = page_text(raw_page(folder, page), page)
        try:
            found = find_date(text, extensive_search=extensive, original_date=True) if text else None
        except (ValueError, TypeError):
            found = None
        verdicts.append(Verdict(page.id, page.date, iso_date(found or "")))
    return verdicts


def rows(name: str, verdicts: list[Verdict], split: str) -> list[Row]:
    """The figures of one way of dating on each half and on all pages (or on the one split asked for)."""
    out = []
    for part in SPLITS if split == "all" else (split,):
        chosen = [v for v in verdicts if part == "all" or half(f"{v.id}.html") == part]
        total = len(chosen) or 1
        no_passage = (
            [v.id for v in chosen if v.passages == 0] if chosen and chosen[0].passages is not None else None
        )
        out.append(
            Row(
                name,
                part,
                len(chosen),
                sum(v.right for v in chosen) / total,
                sum(v.wrong for v in chosen) / total,
                no_passage,
            )
        )
    return out


def evaluate(
    folder: Path,
    gold_file: Path,
    settings: Settings,
    *,
    split: str = "all",
    forms: Iterable[str] = FORMS,
    say: Callable[[str], None] = lambda _: None,
) -> tuple[list[Row], dict[str, list[Verdict]]]:
    """Every way of dating the gold pages: `qa` on each form of the pages, then htmldate's two searches."""
    if not folder.is_dir():
        raise PagesError(f"page folder {folder} does not exist")
    forms = list(forms)
    if unknown := set(forms) - set(FORMS):
        raise PagesError(f"unknown form {', '.join(sorted(unknown))}: read the pages as {' or '.join(FORMS)}")
    pages = read_gold(gold_file)
    if split != "all":
        pages = [p for p in pages if half(p.file) == split]
    verdicts: dict[str, list[Verdict]] = {}
    for form in forms:
        say(f"reading the {len(pages)} pages as {form} through qa's ingest")
        verdicts[f"qa, {form}"] = built(folder, pages, form, settings)
    say("running htmldate on the raw pages")
    verdicts["htmldate fast"] = htmldate_verdicts(folder, pages, extensive=False)
    verdicts["htmldate extensive"] = htmldate_verdicts(folder, pages, extensive=True)
    table = [row for name, found in verdicts.items() for row in rows(name, found, split)]
    return table, verdicts


def render(table: list[Row]) -> str:
    lines = [f"{'':<20}{'split':<7}{'pages':>6}{'right':>7}{'wrong':>7}  no passage"]
    for row in table:
        missing = (
            "" if row.no_passage is None else f"{len(row.no_passage)} {' '.join(row.no_passage)}".strip()
        )
        lines.append(
            f"{row.name:<20}{row.split:<7}{row.pages:>6}{row.right:>7.3f}{row.wrong:>7.3f}  {missing}"
        )
    return "\n".join(lines)


def run_dates_command(
    folder: Path,
    gold: Path,
    *,
    split: str,
    as_json: bool,
    settings: Settings,
    forms: Iterable[str] = FORMS,
    say: Callable[[str], None] = lambda _: None,
) -> str:
    """What `qa eval-dates` prints."""
    table, verdicts = evaluate(folder, gold, settings, split=split, forms=forms, say=say)
    if not as_json:
        return render(table)
    return json.dumps(
        {
            "rows": [asdict(row) for row in table],
            "pages": {
                name: [{**asdict(v), "right": v.right} for v in found] for name, found in verdicts.items()
            },
        },
        indent=2,
        ensure_ascii=False,
    )
