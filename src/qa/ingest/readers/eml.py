"""E-mail (.eml): the message's own text, without quoted replies or signature; subject, sender and date."""

from __future__ import annotations

import email
import email.errors
import email.policy
import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from qa.ingest.readers import Extracted, Limits, Unreadable
from qa.ingest.readers.paragraphs import Header, Para, assemble, one_line

# One of these makes a file an e-mail; a file with none is something else named .eml.
_MAIL_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "mime-version")
_QUOTED = re.compile(r"^\s*>")
# The line that introduces a quoted reply ("On Mon, 3 Jun 2019, Ann Lee <ann@x.org> wrote:").
_ATTRIBUTION = re.compile(r"(?:wrote|writes|schrieb|a écrit|escribió|scrisse)\s*:\s*$", re.IGNORECASE)
# Where a reply's quoted history starts in Outlook's style, and the signature delimiter (RFC 3676).
_ORIGINAL = re.compile(r"^\s*-{2,}\s*original message\s*-{2,}\s*$", re.IGNORECASE)
_SIGNATURE = re.compile(r"^--\s?$")
_OUTLOOK_SENT = re.compile(r"^\s*sent:", re.IGNORECASE)
# A list item starts its own paragraph even without a blank line above it.
_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+\S")
_HTML_BLOCKS = {
    "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "section", "article", "header", "footer", "hr", "dd", "dt", "dl",
}  # fmt: skip
_HTML_DROPPED = {"script", "style", "head", "title", "blockquote", "template", "noscript"}
# Quoted history and attribution lines as webmail clients mark them.
_HTML_QUOTE_CLASSES = re.compile(r"\b(?:gmail_quote|gmail_attr|moz-cite-prefix|yahoo_quoted)\b")
# Whitespace in HTML source is one space; line breaks come from <br> and blocks only.
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
_ENCRYPTED_TYPES = {"multipart/encrypted", "application/pkcs7-mime", "application/x-pkcs7-mime"}
_MAIL_ERRORS = (ValueError, TypeError, IndexError, LookupError, AttributeError, email.errors.MessageError)


def read_eml(path: Path, limits: Limits) -> Extracted:
    """A message's text, as paragraphs, with its subject, sender and day; Unreadable when it has no text."""
    try:
        with path.open("rb") as file:
            message = email.message_from_binary_file(file, policy=email.policy.default)
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror})") from error
    try:
        if not isinstance(message, EmailMessage) or not any(message.get(name) for name in _MAIL_HEADERS):
            raise Unreadable("damaged: not an e-mail (no mail headers)")
        attachments = _attachments(message)
        headers = Header(title=_subject(message), date=_day(message), author=_sender(message))
        body = _body_text(message)
    except _MAIL_ERRORS as error:
        raise Unreadable(f"damaged: {' '.join(str(error).split())[:200]}") from error
    notes = (f"attachments not read: {', '.join(attachments)}",) if attachments else ()
    paras = [Para(text) for text in paragraphs(body)]
    if not paras:
        raise Unreadable("no text" + (" (only attachments, which are not read)" if attachments else ""))
    return assemble(paras, headers, notes, top_lines=False)


def _body_text(message: EmailMessage) -> str:
    """The plain-text body, else the HTML body as text; Unreadable for an encrypted message."""
    if message.get_content_type() in _ENCRYPTED_TYPES:
        raise Unreadable("encrypted (S/MIME or PGP): export it decrypted")
    part = message.get_body(preferencelist=("plain", "html"))
    if not isinstance(part, EmailMessage):
        return ""
    content = _content(part)
    if "-----BEGIN PGP MESSAGE-----" in content:
        raise Unreadable("encrypted (PGP): export it decrypted")
    return html_text(content) if part.get_content_subtype() == "html" else content


def _content(part: EmailMessage) -> str:
    """A text part decoded; a charset Python does not know falls back to UTF-8 with replacements."""
    try:
        return str(part.get_content())
    except LookupError:
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


def _attachments(message: EmailMessage) -> list[str]:
    """Names of the attached files (inline images of an HTML body are not attachments)."""
    names = []
    for part in message.walk():
        if not isinstance(part, EmailMessage) or (
            part.is_multipart() and part.get_content_maintype() != "message"
        ):
            continue
        filename = part.get_filename()
        if part.get_content_type() == "message/rfc822":
            names.append(filename or "a forwarded message")
        elif part.is_attachment() or (filename and not part.get("content-id")):
            names.append(filename or part.get_content_type())
    return names


def _subject(message: EmailMessage) -> str | None:
    return " ".join(str(message.get("subject", "")).split()) or None


def _sender(message: EmailMessage) -> str | None:
    """The sender's display name, else the address."""
    header: Any = message.get("from")
    if header is None:
        return None
    for address in getattr(header, "addresses", ()):
        if name := " ".join((address.display_name or address.addr_spec or "").split()):
            return name
    return " ".join(str(header).split()) or None


def _day(message: EmailMessage) -> str | None:
    """The Date header's day, as the sender's clock shows it."""
    when = getattr(message.get("date"), "datetime", None)
    return when.date().isoformat() if when is not None else None


def paragraphs(body: str) -> list[str]:
    """A plain-text body's paragraphs: split at blank lines, wrapped lines joined; quotes and signature out."""
    lines = _own_lines(body.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    found: list[list[str]] = []
    current: list[str] = []
    in_quote = False
    for line, quoted in lines:
        if quoted or not line or (_ITEM.match(line) and current):
            if current:
                found.append(current)
            current = []
        if quoted and not in_quote and found:
            _drop_attribution(found)
        in_quote = quoted
        if line and not quoted:
            current.append(line)
    if current:
        found.append(current)
    return [" ".join(lines) for lines in found if lines]


def _drop_attribution(found: list[list[str]]) -> None:
    """Drop the "On Mon, 3 Jun 2019, Ann Lee wrote:" line(s) that end the last paragraph above a quote."""
    last = found[-1]
    if not _ATTRIBUTION.search(last[-1]):
        return
    # Wrapped, the attribution's first line is the one that opens with "On".
    opening = next(
        (i for i in range(len(last) - 1, max(len(last) - 3, -1), -1) if last[i].startswith("On ")), None
    )
    del last[opening if opening is not None else len(last) - 1 :]
    if not last:
        found.pop()


def _own_lines(lines: list[str]) -> Iterator[tuple[str, bool]]:
    """Each line on one line and whether it is quoted, up to the signature or the quoted history."""
    for index, raw in enumerate(lines):
        if _SIGNATURE.match(raw) or _ORIGINAL.match(raw) or _outlook_history(lines, index):
            return
        yield one_line(raw), bool(_QUOTED.match(raw))


def _outlook_history(lines: list[str], index: int) -> bool:
    """Outlook's reply history: a "From:" line with a "Sent:" line under it."""
    return lines[index].lstrip().lower().startswith("from:") and any(
        _OUTLOOK_SENT.match(line) for line in lines[index + 1 : index + 4]
    )


def html_text(markup: str) -> str:
    """An HTML body as plain text: blocks apart by blank lines, <br> as a line break, quoted history out."""
    if not markup.strip():
        return ""
    try:
        root = lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    for element in list(root.iter()):
        tag = element.tag if isinstance(element.tag, str) else ""
        dropped = tag.lower() in _HTML_DROPPED or _HTML_QUOTE_CLASSES.search(element.get("class") or "")
        if (dropped or not tag) and element.getparent() is not None:
            element.drop_tree()
    return "".join(_html_pieces(root)).replace("\xa0", " ")


def _html_pieces(element: Any) -> Iterator[str]:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag == "br":
        yield "\n"
    block = tag in _HTML_BLOCKS
    if block:
        yield "\n\n"
    if element.text:
        yield _HTML_SPACE.sub(" ", element.text)
    for child in element:
        yield from _html_pieces(child)
        if child.tail:
            yield _HTML_SPACE.sub(" ", child.tail)
    if block:
        yield "\n\n"
