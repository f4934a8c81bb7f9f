"""Fixtures of the browser tests, and their skip: where the browser or axe is missing they
are skipped, saying which; with SCBI_REQUIRE_BROWSER=1 (set by .ci/run) they run anyway and
fail, so CI never passes without them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.driver import REQUIRED, missing


def pytest_collection_modifyitems(config, items):
    reason = missing()
    if reason is None or REQUIRED:
        return
    skip = pytest.mark.skip(reason=f"no browser test: {reason}")
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(skip)


@pytest.fixture
def live_server(app):
    """The app served on a free loopback port, in a thread, for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
