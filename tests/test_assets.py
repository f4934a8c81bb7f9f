"""Light responses: static files under hashed names kept a year, everything compressed."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import brotli
import pytest

from tests import factories
from tests.helpers import api_token, bearer, login

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def page_assets(client) -> list[str]:
    return re.findall(r'(?:src|href)="(/[^"]+\.(?:css|js))"', client.get("/login").text)


def decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    assert encoding is None, encoding
    return response.data


def test_every_asset_of_a_page_has_a_content_hashed_name_kept_a_year(app, client):
    assets = page_assets(client)
    assert len(assets) >= 3  # app.css, Bootstrap's CSS and JS
    for url in assets:
        response = client.get(url, headers=BROWSER)
        assert response.status_code == 200, url
        body = decoded(response)
        digest = re.search(r"\.([0-9a-f]{12})\.(?:css|js)$", url).group(1)
        assert hashlib.sha256(body).hexdigest()[:12] == digest
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Accept-Encoding" in response.headers["Vary"]


def test_app_css_is_the_file_on_disk(app, client):
    url = next(u for u in page_assets(client) if u.startswith("/static/css/app."))
    on_disk = (Path(app.static_folder) / "css" / "app.css").read_bytes()
    assert client.get(url).data == on_disk  # no Accept-Encoding: sent as it is


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
        ("", None),
    ],
)
def test_static_files_are_sent_in_the_best_encoding_asked_for(client, accept, encoding):
    url = next(u for u in page_assets(client) if "bootstrap.min" in u and u.endswith(".css"))
    response = client.get(url, headers={"Accept-Encoding": accept})
    assert response.headers.get("Content-Encoding") == encoding
    body = decoded(response)
    assert body.startswith(b"@charset") or b"Bootstrap" in body[:200]
    if encoding:
        assert len(response.data) < len(body) / 4  # 232 KB of CSS goes as about 20 KB


def test_a_plain_or_outdated_name_is_answered_but_revalidated(client):
    for url in ("/static/css/app.css", "/static/css/app.000000000000.css"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        etag = response.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304


@pytest.mark.parametrize(
    "url", ["/static/css/none.css", "/static/../config.py", "/static/%2e%2e/wsgi.py"]
)
def test_no_file_outside_the_static_folder_and_none_invented(client, url):
    assert client.get(url).status_code == 404


def test_pages_are_compressed_and_still_never_kept(client, make_user):
    login(client, make_user("secretariat"))
    plain = client.get("/")
    for accept, encoding in (("gzip", "gzip"), ("gzip, br", "br")):
        response = client.get("/", headers={"Accept-Encoding": accept})
        assert response.headers["Content-Encoding"] == encoding
        assert response.headers["Cache-Control"] == "no-store"
        assert len(response.data) < len(plain.data) / 2
        assert b"</html>" in decoded(response)


def test_json_and_streamed_csv_are_compressed(app, client):
    world = factories.world(app)
    token = api_token(client, world.secretariat)
    headers = {**bearer(token), "Accept-Encoding": "gzip"}
    plain = client.get("/api/v1/logs", headers=bearer(token))
    listing = client.get("/api/v1/logs", headers=headers)
    assert listing.headers["Content-Encoding"] == "gzip"
    assert listing.headers["Cache-Control"] == "no-store"
    assert json.loads(gzip.decompress(listing.data)) == plain.json
    login(client, world.secretariat)
    export = client.get("/logs/export.csv", headers={"Accept-Encoding": "gzip"})
    assert export.status_code == 200
    assert export.headers["Content-Encoding"] == "gzip"
    lines = gzip.decompress(export.data).decode("utf-8-sig").splitlines()
    assert len(lines) == 2  # the header and world's one submitted log
    assert "Load-flow study" in lines[1]


def test_a_coachs_quick_log_is_light_on_a_first_visit_and_after(app, client):
    """Issue 13: a first visit to the quick log at most 100 KB transferred (the page and
    every asset, compressed), each later page at most 20 KB (assets kept a year)."""
    world = factories.world(app)
    login(client, world.a.coach_user)
    quick_log = client.get(f"/pairings/{world.a.pairing_id}/logs/new", headers=BROWSER)
    assert quick_log.status_code == 200
    html = decoded(quick_log).decode()
    assets = re.findall(r'(?:src|href)="(/[^"]+\.(?:css|js))"', html)
    first = len(quick_log.data) + sum(len(client.get(u, headers=BROWSER).data) for u in assets)
    assert first <= 100_000, first
    for later in ("/", f"/logs/{world.log_id}", "/my/logs", f"/pairings/{world.a.pairing_id}"):
        response = client.get(later, headers=BROWSER)
        assert response.status_code == 200, later
        assert len(response.data) <= 20_000, (later, len(response.data))
