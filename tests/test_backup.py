"""`scbi backup` / `scbi restore`: a populated database and its evidence files round-trip
with identical rows and checksums; a restore is whole or nothing (QUALITY.md)."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from sqlalchemy import func, select, update

from scbi import files
from scbi.backup import BackupError, backup, restore
from scbi.extensions import db
from scbi.programme.models import Competency, Sector
from scbi.transfer.models import Evidence
from tests import factories as f
from tests.helpers import empty_database


@pytest.fixture
def populated(app):
    """The two-sector world (plans, a log with a file, an assessment, audit events), and a
    competency whose parent has a higher id (parents are not always restored first)."""
    world = f.world(app)
    with app.app_context():
        child, parent = f.competencies(world.a.sector_id, 2)
        db.session.execute(
            update(Competency).where(Competency.id == child.id).values(parent_id=parent.id)
        )
        db.session.commit()
        stored_name = db.session.scalar(select(Evidence.stored_name))
        content = files.path_of(stored_name).read_bytes()
    return world, stored_name, content


def manifest_of(path) -> dict:
    return json.loads(zipfile.ZipFile(path).read("manifest.json"))


def emptied(app) -> None:
    """The database and the upload folder as a new install has them."""
    empty_database(app)
    shutil.rmtree(app.config["UPLOAD_DIR"], ignore_errors=True)


def test_a_populated_database_round_trips_identically(app, populated, tmp_path):
    _world, stored_name, content = populated
    archive = tmp_path / "programme.zip"
    with app.app_context():
        made = backup(archive)
    before = manifest_of(archive)
    assert made.rows["transfer_log"] == 1 and made.rows["audit_event"] > 10
    assert made.files == 1 and before["files"] == {stored_name: before["files"][stored_name]}
    emptied(app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Sector)) == 0
        restored = restore(archive)
        assert restored.rows == made.rows and restored.files == 1
        assert files.path_of(stored_name).read_bytes() == content
        # ids continue after the restored rows (PostgreSQL's sequences were moved on)
        new = f.sector()
        db.session.rollback()
        assert new.id > max(db.session.scalars(select(Sector.id)))
    again = tmp_path / "again.zip"
    with app.app_context():
        backup(again)
    assert manifest_of(again)["tables"] == before["tables"]  # same rows, same checksums


def test_restore_refuses_a_database_with_rows(app, populated, tmp_path):
    archive = tmp_path / "programme.zip"
    with app.app_context():
        backup(archive)
        with pytest.raises(BackupError, match="empty database; table phase has rows"):
            restore(archive)


def damage(source, target, member: str, change) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, change(data) if item.filename == member else data)


@pytest.mark.parametrize(
    ("member", "change", "message"),
    [
        ("tables/sector.jsonl", lambda d: d.replace(b"Sector", b"Sektor", 1), "sector .* damaged"),
        ("tables/transfer_log.jsonl", lambda d: b"", "transfer_log .* damaged"),
        ("manifest.json", lambda d: d.replace(b'"revision": "', b'"revision": "x'), "revision"),
        ("manifest.json", lambda d: b"{}", "Not an SCBI backup"),
        ("tables/sector.jsonl", lambda d: d[:-5], "damaged"),  # cut short: not JSON
        ("tables/sector.jsonl", lambda d: d.replace(b"[", b'["x", ', 1), "damaged"),
    ],
)
def test_a_damaged_backup_restores_nothing(app, populated, tmp_path, member, change, message):
    _world, stored_name, _content = populated
    archive, broken = tmp_path / "programme.zip", tmp_path / "broken.zip"
    with app.app_context():
        backup(archive)
    damage(archive, broken, member, change)
    emptied(app)
    with app.app_context(), pytest.raises(BackupError, match=message):
        restore(broken)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Sector)) == 0
        assert not files.path_of(stored_name).exists()


def test_a_damaged_evidence_file_restores_nothing(app, populated, tmp_path):
    _world, stored_name, _content = populated
    archive, broken = tmp_path / "programme.zip", tmp_path / "broken.zip"
    with app.app_context():
        backup(archive)
    damage(archive, broken, f"files/{stored_name}", lambda d: d + b"tampered")
    emptied(app)
    with app.app_context():
        with pytest.raises(BackupError, match=f"Evidence file {stored_name}"):
            restore(broken)
        assert db.session.scalar(select(func.count()).select_from(Sector)) == 0
        assert not files.path_of(stored_name).exists()


def test_the_commands(app, populated, tmp_path):
    runner = app.test_cli_runner()
    archive = tmp_path / "programme.zip"
    made = runner.invoke(args=["scbi", "backup", str(archive)])
    assert made.exit_code == 0 and "1 evidence files" in made.output, made.output
    twice = runner.invoke(args=["scbi", "backup", str(archive)])
    assert twice.exit_code == 1 and "exists" in twice.output
    refused = runner.invoke(args=["scbi", "restore", str(archive)])
    assert refused.exit_code == 1 and "nothing was changed" in refused.output
    not_zip = tmp_path / "notes.txt"
    not_zip.write_text("hello")
    assert "not a backup file" in runner.invoke(args=["scbi", "restore", str(not_zip)]).output
    emptied(app)
    done = runner.invoke(args=["scbi", "restore", str(archive)])
    assert done.exit_code == 0 and "every table matches its checksum" in done.output


def test_timestamps_are_written_in_utc_whatever_the_sessions_time_zone():
    from datetime import datetime, timedelta, timezone

    from scbi.backup.common import line

    kigali = datetime(2026, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert line([kigali, None, {"b": 1, "a": "é"}]) == (
        '["2026-03-01T08:00:00+00:00", null, {"a": "\\u00e9", "b": 1}]\n'
    )


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (lambda m: [], "Not an SCBI backup"),
        (lambda m: {k: v for k, v in m.items() if k != "revision"}, "manifest is damaged"),
        (lambda m: {**m, "tables": {**m["tables"], "sector": "x"}}, "manifest is damaged"),
        (lambda m: {**m, "files": {}}, "not the ones its logs cite"),
    ],
)
def test_a_manifest_that_does_not_fit_restores_nothing(app, populated, tmp_path, manifest, message):
    archive, broken = tmp_path / "programme.zip", tmp_path / "broken.zip"
    with app.app_context():
        backup(archive)
    damage(archive, broken, "manifest.json", lambda d: json.dumps(manifest(json.loads(d))).encode())
    emptied(app)
    with app.app_context():
        with pytest.raises(BackupError, match=message):
            restore(broken)
        assert db.session.scalar(select(func.count()).select_from(Sector)) == 0


def test_schema_revisions_must_match_this_release(app, populated, tmp_path, monkeypatch):
    archive = tmp_path / "programme.zip"
    with app.app_context():
        backup(archive)
        monkeypatch.setattr("scbi.backup.common.head", lambda: "9999")
        with pytest.raises(BackupError, match="db upgrade` first"):
            backup(tmp_path / "other.zip")
    emptied(app)
    with app.app_context(), pytest.raises(BackupError, match="the release that made it"):
        restore(archive)


def test_a_changed_upload_is_not_backed_up(app, populated, tmp_path):
    _world, stored_name, _content = populated
    with app.app_context():
        files.path_of(stored_name).write_bytes(b"%PDF-1.4 changed behind our back")
        with pytest.raises(BackupError, match=f"{stored_name} no longer matches"):
            backup(tmp_path / "programme.zip")
    assert not (tmp_path / "programme.zip").exists()


def test_a_restore_after_an_interrupted_one_keeps_identical_files(app, populated, tmp_path):
    from scbi.transfer.models import LogEvent

    _world, stored_name, content = populated
    archive = tmp_path / "programme.zip"
    with app.app_context():
        nulls = db.session.scalar(select(func.count()).where(LogEvent.snapshot.is_(None)))
        assert nulls  # the log's events before any change have no snapshot
        backup(archive)
    emptied(app)
    with app.app_context():
        target = files.path_of(stored_name)
        target.parent.mkdir(parents=True)
        target.write_bytes(content)  # what an interrupted restore left
        restore(archive)
        assert target.read_bytes() == content
        # SQL NULL stays SQL NULL (not the JSON value null)
        assert db.session.scalar(select(func.count()).where(LogEvent.snapshot.is_(None))) == nulls


def test_published_reports_round_trip_byte_for_byte_and_stay_immutable(app, populated, tmp_path):
    """A publication and its addendum come back with the figures' JSON text as it was
    written (key order included), and the restored table still refuses changes."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from scbi.reports.models import PublishedReport

    world, _stored_name, _content = populated
    with app.app_context():
        f.publication(world.a.sector_id, 2025, 1)
        f.publication(world.a.sector_id, 2024, None)
        db.session.commit()
        query = select(
            PublishedReport.id, PublishedReport.number, PublishedReport.figures_json
        ).order_by(PublishedReport.id)
        before = db.session.execute(query).all()
    archive = tmp_path / "programme.zip"
    with app.app_context():
        made = backup(archive)
    assert made.rows["published_report"] == 2
    emptied(app)
    with app.app_context():
        restore(archive)
        assert db.session.execute(query).all() == before
        with pytest.raises(DBAPIError, match="immutable"):
            db.session.execute(text("UPDATE published_report SET number = 9"))
        db.session.rollback()


def test_an_indicator_values_evidence_file_round_trips(app, populated, tmp_path):
    """The evidence of an indicator's actual value (the results chain) is backed up and
    restored with the logs' evidence."""
    from scbi.programme.models import IndicatorValue

    world, log_file, _content = populated
    with app.app_context():
        _indicator, value = f.indicator(world.result_id)
        db.session.commit()
        stored_name = value.stored_name
    archive = tmp_path / "programme.zip"
    with app.app_context():
        made = backup(archive)
    assert made.files == 2 and set(manifest_of(archive)["files"]) == {log_file, stored_name}
    emptied(app)
    with app.app_context():
        restored = restore(archive)
        assert restored.files == 2 and restored.rows["indicator_value"] == 1
        assert files.path_of(stored_name).read_bytes() == b"%PDF-1.4 register"
        assert db.session.scalar(select(IndicatorValue.stored_name)) == stored_name
