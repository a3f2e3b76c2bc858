"""The check a zipped document (.docx, .odt) passes before any parser unpacks it: a zip, unencrypted, not a bomb."""

from __future__ import annotations

import xml.sax
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from qa.ingest.readers import Limits, Unreadable

# An office document holds tens of parts, a big one a few hundred; thousands are a trap for the parser.
MAX_MEMBERS = 5000
# Deflated XML shrinks 10 to 30 times; a member that shrinks over 200 times past a few MiB is a zip bomb.
MAX_RATIO = 200
_RATIO_FLOOR = 4 << 20
# An Office file saved with a password is not a zip but an OLE compound file holding "EncryptedPackage".
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_CHUNK = 1 << 20
# Compression methods Python's zipfile unpacks (Deflate64, for one, it does not).
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
# What a damaged package lets escape from zipfile and the XML parsers under python-docx and odfpy.
_ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)
_XML_ERRORS = (etree.LxmlError, xml.sax.SAXException)
# What a parser may raise on a damaged or odd package: a reader turns these into "damaged", nothing else.
PARSE_ERRORS = (
    *_ARCHIVE_ERRORS,
    *_XML_ERRORS,
    LookupError,  # a missing part (KeyError), an index past the end, an unknown encoding declared
    ValueError,
    AttributeError,
    TypeError,
    OSError,
    RecursionError,  # XML nested deeper than the walk of its elements can go
)


def check_zip(path: Path, limits: Limits, kind: str = "a Word file") -> None:
    """Raise Unreadable unless `path` is a zip a parser may unpack within `limits`.

    `kind` names the format in the reason ("damaged: not a Word file (not a zip archive)").
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise Unreadable(_not_a_zip(path, kind)) from error
    except NotImplementedError as error:
        raise Unreadable(f"unsupported: {error} (a zip feature Python cannot read)") from error
    except (OSError, EOFError, ValueError) as error:
        raise Unreadable(f"damaged: not {kind} ({error})") from error
    if len(members) > MAX_MEMBERS:
        raise Unreadable(
            f"over the size limit: too many parts in the archive ({len(members)} > {MAX_MEMBERS})"
        )
    if any(member.flag_bits & 1 for member in members):
        raise Unreadable("encrypted (password-protected): save it without a password")
    if odd := {member.compress_type for member in members} - _METHODS:
        raise Unreadable(f"unsupported: compressed with a method that cannot be unpacked ({sorted(odd)})")
    _check_sizes(members, limits)


def _not_a_zip(path: Path, kind: str) -> str:
    """Why a file of a zipped format is no zip: empty, password-protected (OLE), an old binary file, or damaged."""
    try:
        if path.stat().st_size == 0:
            return "empty file"
        ole = _ole_kind(path)
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    return ole or f"damaged: not {kind} (not a zip archive)"


def _ole_kind(path: Path) -> str | None:
    """What an OLE compound file is: an encrypted Office file or an old binary one; None for another file."""
    with path.open("rb") as file:
        if file.read(len(_OLE_MAGIC)) != _OLE_MAGIC:
            return None
        tail = b""
        while chunk := file.read(_CHUNK):
            # The stream's name may straddle two chunks: keep the end of the last one.
            if _ENCRYPTED_PACKAGE in tail + chunk:
                return "encrypted (password-protected): save it without a password"
            tail = chunk[-len(_ENCRYPTED_PACKAGE) :]
    return "unsupported: an old binary Office file (.doc): save it as .docx"


def _check_sizes(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Raise Unreadable when the declared sizes, all together or of one member, say zip bomb.

    The declared sizes bound what `zipfile` will inflate (it stops at a member's file_size), so they
    can be trusted without unpacking anything.
    """
    total = sum(member.file_size for member in members)
    if total > limits.max_unpacked_bytes:
        raise Unreadable(
            f"over the size limit once unpacked ({total / (1 << 20):.0f} MiB > "
            f"{limits.max_unpacked_bytes / (1 << 20):g} MiB)"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
            raise Unreadable(
                f"over the size limit once unpacked ({member.filename} inflates {ratio:.0f} times, "
                f"to {member.file_size / (1 << 20):.0f} MiB)"
            )


def damaged(error: BaseException) -> str:
    """The reason for a package a parser choked on: what broke, then the parser's words."""
    if isinstance(error, _ARCHIVE_ERRORS):
        what = "a part of the archive is corrupt"
    elif isinstance(error, _XML_ERRORS):
        what = "broken XML"
    elif isinstance(error, KeyError):
        what = "a part is missing"
    else:
        what = "not the structure its format requires"
    detail = " ".join(str(error).split())[:160] or type(error).__name__
    return f"damaged: {what} ({detail})"
