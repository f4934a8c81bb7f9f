"""Every download's ``Content-Disposition``, built in one place.

A file name may hold any character a person's name, a sector code or a framework's
idnumber holds ("Łukasz Nowak", "İNV"), but an HTTP header is Latin-1 at most, so a name
written into it raw is a 500. RFC 6266 answers with two parameters: ``filename*`` carries
the name in UTF-8, percent-encoded as RFC 5987 says, and ``filename`` an ASCII look-alike
for clients that do not read the first ("Lukasz-Nowak"). Werkzeug's ``send_file`` does the
same; this module is the one place for every download, streamed or not.

Services and exports do not make responses: they return a :class:`Download` (the name,
the media type and the content, possibly still to be made), and the view or API handler
hands it to :func:`send_download`, the one place that turns it into a ``Response``.

A download is saved (``attachment``) unless it asks to be shown in the browser
(``inline``) and its type is one a browser shows without running anything in it
(:data:`INLINE_TYPES`). Someone's upload is sent with ``nosniff`` and a sandboxing CSP
either way (docs/security.md, "Evidence in the browser").
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from flask import Response, send_file, stream_with_context
from werkzeug.http import dump_options_header

# What a browser shows by itself and runs nothing in: PDFs and raster images. Never SVG,
# HTML, XML or text, which could carry script or be taken for a page of this site.
INLINE_TYPES = frozenset({"application/pdf", "image/gif", "image/jpeg", "image/png", "image/webp"})
# Someone's upload: nothing loads, nothing runs, no framing (the policy a PDF and an image
# still display under in Chromium, docs/security.md)
UNTRUSTED_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"

# RFC 5987 attr-char beyond letters and digits (what Werkzeug's send_file keeps too)
_ATTR_CHARS = "!#$&+-.^_`|~"
# Path separators and what no common file system takes in a name
_NOT_IN_NAMES = frozenset('/\\:*?"<>|')
# Letters that Unicode does not decompose into an ASCII letter and a mark
_ASCII_LOOKALIKES = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "ı": "i",
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "Th",
        "þ": "th",
    }
)


def file_name(name: str, default: str = "download") -> str:
    """``name`` as a file name: no control characters, path separators or characters a
    file system refuses (each becomes "_"), at most 200 characters, never empty."""
    kept = "".join(
        "_" if c in _NOT_IN_NAMES else c
        for c in unicodedata.normalize("NFC", name or "")
        if unicodedata.category(c)[0] != "C"
    )
    return kept.strip(" .")[-200:] or default


def ascii_name(name: str) -> str:
    """The name in ASCII: accents dropped ("İ" → "I"), a few letters spelt out ("Ł" → "L"),
    anything else "_"."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_ASCII_LOOKALIKES))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if " " <= c <= "~" else "_" for c in letters)


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """``attachment`` (or ``inline``) with ``name``: an ASCII ``filename`` and, when the
    name is not ASCII, the exact name in ``filename*`` (RFC 6266 §4.3, RFC 5987)."""
    name = file_name(name)
    fallback = ascii_name(name)
    options = {"filename": fallback}
    if fallback != name:
        options["filename*"] = "UTF-8''" + quote(name, safe=_ATTR_CHARS)
    return dump_options_header(disposition, options)


def shown_inline(mimetype: str | None) -> bool:
    """Whether a file of ``mimetype`` may open in the browser (:data:`INLINE_TYPES`)."""
    return (mimetype or "").lower() in INLINE_TYPES


def attachment(response: Response, name: str, disposition: str = "attachment") -> Response:
    """Mark ``response`` as a download named ``name``, to save or (``inline``) to show
    (for :func:`send_download`)."""
    response.headers["Content-Disposition"] = content_disposition(name, disposition)
    return response


def download(content, *, mimetype: str, name: str, disposition: str = "attachment") -> Response:
    """A response of ``content`` (bytes, text or an iterable of pieces) to save as ``name``
    (for :func:`send_download`: views and API handlers send a :class:`Download`)."""
    return attachment(Response(content, mimetype=mimetype), name, disposition)


@dataclass(frozen=True)
class Download:
    """A file for the user to save, as a service or an export hands it to its view.

    ``content`` is the whole file (bytes or text), an iterator of pieces made only as the
    response is sent (a CSV's rows: nothing runs before the first piece is asked for), or
    the path of a stored file on disk. ``untrusted`` marks someone's upload: the browser
    is told neither to guess its type nor to run anything in it. ``inline`` asks for the
    file to open in the browser rather than be saved, granted only to a type of
    :data:`INLINE_TYPES` (any other stays an attachment)."""

    name: str
    mimetype: str
    content: bytes | str | Iterable[bytes | str] | os.PathLike
    untrusted: bool = False
    inline: bool = False


def send_download(file: Download) -> Response:
    """The response that saves ``file`` as its name (or shows it, when it asks to and its
    type allows): streamed when its content is an iterator (inside the request context,
    so its rows can still read the database), sent from disk when it is a path (never
    cached, no ETag), whole otherwise."""
    content = file.content
    disposition = "inline" if file.inline and shown_inline(file.mimetype) else "attachment"
    if isinstance(content, os.PathLike):
        response = attachment(
            send_file(content, mimetype=file.mimetype, max_age=0, etag=False),
            file.name,
            disposition,
        )
    else:
        if isinstance(content, Iterator):
            content = stream_with_context(content)
        response = download(
            content, mimetype=file.mimetype, name=file.name, disposition=disposition
        )
    if file.untrusted:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = UNTRUSTED_CSP
    return response
