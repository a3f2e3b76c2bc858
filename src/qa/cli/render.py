"""Plain-text rendering of answers for the terminal: the answer and timeline, then ranked passages with
citations."""

from __future__ import annotations

import textwrap

from qa.types import Answer, Citation

_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def cite(c: Citation) -> str:
    """ "file, lines 5-7, chars 612-695 · “Title” by Author (2011-12-29)"; "file, p. 3, lines ..." for a PDF."""
    lines = f"line {c.line_start}" if c.line_start == c.line_end else f"lines {c.line_start}-{c.line_end}"
    where = f"{c.source}, {lines}, chars {c.char_start}-{c.char_end}"
    if c.page is not None:
        last = c.page_end or c.page
        pages = f"p. {c.page}" if last == c.page else f"pp. {c.page}–{last}"
        where = f"{c.source}, {pages}, {lines}, chars {c.char_start}-{c.char_end}"
    about = " ".join(
        part
        for part in (c.title and f"“{c.title}”", c.author and f"by {c.author}", c.date and f"({c.date})")
        if part
    )
    return f"{where} · {about}" if about else where


def render_answer(answer: Answer, *, color: bool = False, width: int = 100) -> str:
    bold, dim, reset = (_BOLD, _DIM, _RESET) if color else ("", "", "")
    out = []
    if answer.no_answer:
        out.append("No passage is confidently relevant; the closest ones follow.\n")
    if answer.timeline:
        out.append(f"{bold}Timeline{reset}")
        out += [
            f"   {e.date or 'undated':<10}  {e.text}  {dim}(result {e.rank}){reset}" for e in answer.timeline
        ]
        out.append("")
    for hit in answer.hits:
        text = hit.passage.text
        if hit.highlight and color:
            start, end = hit.highlight
            text = f"{text[:start]}{bold}{text[start:end]}{reset}{text[end:]}"
        elif hit.highlight:
            start, end = hit.highlight
            text = f"{text[:start]}»{text[start:end]}«{text[end:]}"
        body = textwrap.fill(text, width=width, initial_indent="   ", subsequent_indent="   ")
        out.append(f"{hit.rank}. score {hit.score:.3f}")
        if hit.answer:
            value = hit.answer.value
            shown = f" {dim}({value}){reset}" if value and value != hit.answer.text else ""
            out.append(
                f"   {bold}{hit.answer.text}{reset}{shown}" if color else f"   **{hit.answer.text}**{shown}"
            )
        out.append(f"{body}\n   {dim}{cite(hit.passage.citation)}{reset}")
        for other in hit.passage.also_in:
            out.append(f"   {dim}also in {cite(other)}{reset}")
        out.append("")
    return "\n".join(out) + "\n"
