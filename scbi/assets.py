"""Static files under content-hashed names, cached for a year and sent compressed.

``url_for("static", filename="css/app.css")`` (and Bootstrap-Flask's ``bootstrap.static``)
gives ``/static/css/app.<hash>.css``, where the hash is the first 12 hex digits of the
file's SHA-256: a browser keeps the file a year without asking again (``immutable``), and
a new release, which changes the bytes, changes the name. A request for a name whose hash
is not the file's current one (a page cached across a release) or for the plain name is
still answered, with ``no-cache`` and an ETag, so nothing old is kept.

Each file is read once per process and kept with its gzip and Brotli forms, made once at
their strongest level, so no request compresses a static file; the dynamic answers
(pages, JSON, CSV) are compressed by Flask-Compress, which leaves these alone because
they already carry ``Content-Encoding``.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import brotli
from flask import Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
mimetypes.add_type("application/manifest+json", ".webmanifest")
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")
_COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
)
# What the static endpoints' url_for turns into a hashed name
_ENDPOINTS = ("static", "bootstrap.static")


@dataclass
class Asset:
    body: bytes
    mimetype: str
    digest: str
    mtime: float
    encoded: dict[str, bytes] = field(default_factory=dict)

    def encoding(self, accepted) -> str | None:
        """The encoding to send: Brotli, else gzip, else none, as the request's
        ``Accept-Encoding`` (werkzeug's parsed header) allows."""
        if not self.mimetype.startswith(_COMPRESSIBLE) or len(self.body) < 500:
            return None
        return accepted.best_match(("br", "gzip"))

    def encoded_body(self, name: str) -> bytes:
        if name not in self.encoded:
            if name == "br":
                self.encoded[name] = brotli.compress(self.body, quality=11)
            else:
                self.encoded[name] = gzip.compress(self.body, compresslevel=9, mtime=0)
        return self.encoded[name]


class Assets:
    """The static files of the app and its blueprints, read on first use."""

    def __init__(self, app: Flask):
        self.app = app
        self.cache: dict[str, Asset] = {}

    def folder(self, endpoint: str) -> str | None:
        if endpoint == "static":
            return self.app.static_folder
        blueprint = self.app.blueprints.get(endpoint.rpartition(".")[0])
        return blueprint.static_folder if blueprint else None

    def load(self, endpoint: str, filename: str) -> Asset | None:
        folder = self.folder(endpoint)
        path = safe_join(folder, filename) if folder else None
        if path is None:
            return None
        key = f"{endpoint}:{filename}"
        asset = self.cache.get(key)
        if asset is not None and not self.app.debug:
            return asset
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        if asset is None or asset.mtime != mtime:
            body = Path(path).read_bytes()
            mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            digest = hashlib.sha256(body).hexdigest()[:12]
            asset = self.cache[key] = Asset(body, mimetype, digest, mtime)
        return asset

    def hashed_name(self, endpoint: str, filename: str) -> str:
        asset = self.load(endpoint, filename)
        if asset is None:
            return filename
        stem, dot, suffix = filename.rpartition(".")
        if not dot or "/" in suffix:
            return filename  # no suffix to keep: the plain name, revalidated
        return f"{stem}.{asset.digest}.{suffix}"

    def serve(self, endpoint: str, filename: str) -> Response:
        match = _HASHED.match(filename)
        asked = None
        if match and self.load(endpoint, match["stem"] + match["suffix"]) is not None:
            filename, asked = match["stem"] + match["suffix"], match["hash"]
        asset = self.load(endpoint, filename)
        if asset is None:
            abort(404)
        encoding = asset.encoding(request.accept_encodings)
        response = Response(
            asset.encoded_body(encoding) if encoding else asset.body, mimetype=asset.mimetype
        )
        response.vary.add("Accept-Encoding")
        if encoding:
            response.content_encoding = encoding
        if asked == asset.digest:
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        else:  # a plain or an outdated name: kept only while the server says it is current
            response.cache_control.no_cache = True
            response.set_etag(f"{asset.digest}-{encoding or 'identity'}")
            response.make_conditional(request)
        return response


def init_app(app: Flask) -> None:
    """Hashed names in url_for, and the static endpoints served from memory."""
    assets = Assets(app)
    app.extensions["scbi_assets"] = assets

    @app.url_defaults
    def hash_static_names(endpoint, values):
        if endpoint in _ENDPOINTS and "filename" in values:
            values["filename"] = assets.hashed_name(endpoint, values["filename"])

    for endpoint in _ENDPOINTS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = _view(endpoint)


def _view(endpoint: str):
    def serve_static(filename: str) -> Response:
        return current_app.extensions["scbi_assets"].serve(endpoint, filename)

    return serve_static
