"""QUALITY.md "Concurrency": gunicorn workers serving coaches who write and submit logs
while their mentees acknowledge them end with zero 5xx and every accepted write present,
on both databases. A short run of bench/load.py (its full run is in docs/performance.md).
Its writers race on the audit trail too: the hash chain comes out whole (issue 11, 9)."""

from __future__ import annotations

from bench.load import missing, prepare, run, serving
from scbi.audit.chain import verify
from scbi.extensions import db


def test_concurrent_coaches_and_mentees_get_no_5xx_and_lose_no_write(app):
    with app.app_context():
        pairs = prepare(3)
        url = db.engine.url.render_as_string(hide_password=False)
    with serving(url, workers=2) as base:
        results = run(base, pairs, seconds=5)
    assert results.errors == []
    assert not [status for status in results.statuses if status >= 500], results.statuses
    assert results.created and results.submitted and results.acknowledged
    with app.app_context():
        assert missing(results) == []
        verdict = verify(db.session)
        assert verdict.ok, verdict.reason
        assert verdict.events > len(results.created)
