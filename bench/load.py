"""Load: several gunicorn workers, coaches writing and submitting logs while their mentees
acknowledge them (QUALITY.md "Concurrency": zero 5xx, every accepted write present).

    SCBI_DATABASE_URL=sqlite:////tmp/load.db python -m bench.load [--workers 4]
        [--pairs 16] [--seconds 30]

The database is migrated if needed and gets a load sector with ``--pairs`` pairings
(approved plans, API tokens). gunicorn serves it in production configuration; one
thread per coach and one per mentee talk to it over HTTP. At the end the script reads the
database: every log whose creation was answered 201 must exist, every submission and
acknowledgement answered 200 must show. Exit status 1 when a request got a 5xx or a write
is missing. Prints requests per second and latencies (the machine's, not a goal).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from scbi import create_app
from scbi.extensions import db

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Pair:
    pairing_id: int
    competency_id: int
    coach_token: str
    mentee_token: str


@dataclass
class Results:
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    created: set[int] = field(default_factory=set)
    submitted: set[int] = field(default_factory=set)
    acknowledged: set[int] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def prepare(pairs: int) -> list[Pair]:
    """A load sector with ``pairs`` pairings, each with an approved plan and two tokens.
    Runs in the current app context and commits."""
    from scbi.auth import services as accounts
    from scbi.auth.models import Role
    from scbi.auth.tokens import issue_token
    from scbi.coaches.services import register_coach
    from scbi.mentees.services import register_mentee
    from scbi.programme import frameworks, services
    from scbi.transfer.services import create_pairing, plans

    run = secrets.token_hex(3)
    password = accounts.generate_password()
    admin = accounts.create_user(
        by=None,
        email=f"load.admin.{run}@example.org",
        full_name="Load Admin",
        password=password,
        roles=[Role.SECRETARIAT.value],
        must_change_password=False,
    )
    start = date.today() - timedelta(days=120)
    phase = services.create_phase(
        by=admin, name=f"Load phase {run}", start_date=start, end_date=start + timedelta(900)
    )
    sector = services.create_sector(
        by=admin, code=f"L{run}", name=f"Load {run}", expert_target=10, target_date=date(2030, 1, 1)
    )
    institution = services.create_institution(
        by=admin, name=f"Load institution {run}", acronym=f"LI{run}", sector_id=sector.id
    )
    framework = frameworks.create_framework(
        by=admin, name=f"Load {run}", idnumber=f"LOAD-{run}", sector_id=sector.id
    )
    competency = frameworks.add_competency(
        framework,
        by=admin,
        idnumber=f"LOAD-{run}-1",
        short_name="Load work",
        core=True,
        effective_on=date(2020, 1, 1),
    )
    people = {"must_change_password": False, "password": password, "sector_id": sector.id}
    made = []
    for n in range(pairs):
        coach, _ = register_coach(
            by=admin,
            email=f"load.coach{n}.{run}@example.org",
            full_name=f"Load Coach {n}",
            nationality="Kenyan",
            organisation="Load",
            technical_expertise="Load",
            coaching_experience_years=5,
            host_institution_id=institution.id,
            contract_start=start,
            contract_end=start + timedelta(900),
            **people,
        )
        mentee, _ = register_mentee(
            by=admin,
            email=f"load.mentee{n}.{run}@example.org",
            full_name=f"Load Mentee {n}",
            staff_number=f"LOAD-{run}-{n}",
            gender="female" if n % 2 else "male",
            position="Engineer",
            institution_id=institution.id,
            joined_on=start,
            **people,
        )
        pairing = create_pairing(
            by=admin,
            coach_id=coach.id,
            mentee_id=mentee.id,
            phase_id=phase.id,
            sector_id=sector.id,
            start_date=start,
            planned_end_date=start + timedelta(800),
        )
        item = {
            "competency_id": competency.id,
            "baseline_level": 1,
            "target_level": 3,
            "target_date": start + timedelta(700),
            "methods": ["on_the_job", "shadowing"],
            "expected_evidence": "A study the mentee writes alone",
        }
        plan = plans.create_plan(pairing, by=coach.user, items=[item])
        plans.submit_plan(plan, by=coach.user)
        plans.approve_plan(plan, by=admin)
        made.append((pairing.id, coach.user.email, mentee.user.email))
    db.session.commit()
    out = []
    for pairing_id, coach_email, mentee_email in made:
        coach_token, _ = issue_token(coach_email, password, label="load")
        mentee_token, _ = issue_token(mentee_email, password, label="load")
        out.append(Pair(pairing_id, competency.id, coach_token, mentee_token))
    db.session.commit()
    return out


@contextmanager
def serving(database_url: str, workers: int) -> Iterator[str]:
    """gunicorn with ``workers`` processes, once it answers /health; yields the API's base
    URL and stops it (and its upload folder) at the end, whatever happened."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))  # bound here and handed over: no port race
    listener.listen(128)
    listener.set_inheritable(True)
    port, fd = listener.getsockname()[1], listener.fileno()
    uploads = tempfile.mkdtemp(prefix="scbi-load-")
    env = {
        **os.environ,
        "SCBI_CONFIG": "production",
        "SCBI_SECRET_KEY": secrets.token_urlsafe(48),
        "SCBI_DATABASE_URL": database_url,
        "SCBI_UPLOAD_DIR": uploads,
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
    command += ["--bind", f"fd://{fd}", "--log-level", "warning", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, pass_fds=[fd])
    listener.close()
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=1):  # noqa: S310 - local
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(uploads, ignore_errors=True)


def call(results: Results, method: str, url: str, token: str, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - local
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
            status, payload = response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        status, payload = error.code, None
        if status >= 500:
            with results.lock:
                results.errors.append(f"{method} {url}: {status} {error.read()[:200]!r}")
    except OSError as error:  # the connection failed: as bad as a 5xx
        status, payload = 599, None
        with results.lock:
            results.errors.append(f"{method} {url}: {error}")
    with results.lock:
        results.statuses[status] += 1
        results.latencies.append(time.perf_counter() - started)
    return status, payload


def coach_work(base: str, pair: Pair, results: Results, stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        status, log = call(
            results,
            "POST",
            f"{base}/pairings/{pair.pairing_id}/logs",
            pair.coach_token,
            {
                "activity_date": (date.today() - timedelta(days=n % 60)).isoformat(),
                "activity_type": "on_the_job",
                "hours": 1.5,
                "title": f"Load log {n}",
                "description": "Worked through the file together.",
                "mentee_role": "assisted",
                "competency_ids": [pair.competency_id],
            },
        )
        if status != 201:
            continue
        with results.lock:
            results.created.add(log["id"])
        status, _ = call(results, "POST", f"{base}/logs/{log['id']}/submit", pair.coach_token, {})
        if status == 200:
            with results.lock:
                results.submitted.add(log["id"])


def mentee_work(base: str, pair: Pair, results: Results, stop: threading.Event) -> None:
    url = f"{base}/pairings/{pair.pairing_id}/logs?status=submitted&per_page=50"
    while not stop.is_set():
        status, page = call(results, "GET", url, pair.mentee_token)
        for log in page["items"] if status == 200 else []:
            done, _ = call(
                results, "POST", f"{base}/logs/{log['id']}/acknowledge", pair.mentee_token, {}
            )
            if done == 200:
                with results.lock:
                    results.acknowledged.add(log["id"])
        if status == 200 and not page["items"]:
            time.sleep(0.05)


def run(base: str, pairs: list[Pair], seconds: float) -> Results:
    results, stop = Results(), threading.Event()
    threads = [
        threading.Thread(target=work, args=(base, pair, results, stop))
        for pair in pairs
        for work in (coach_work, mentee_work)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return results


def missing(results: Results) -> list[str]:
    """Accepted writes the database does not show (run in an app context)."""
    from scbi.transfer.models import TransferLog

    db.session.remove()
    status = dict(
        db.session.execute(
            select(TransferLog.id, TransferLog.status).where(TransferLog.id.in_(results.created))
        ).all()
    )
    problems = [f"log {i} answered 201 but is not stored" for i in results.created - set(status)]
    problems += [
        f"log {i} submitted but {status.get(i)}"
        for i in results.submitted
        if status.get(i) not in ("submitted", "acknowledged")
    ]
    problems += [
        f"log {i} acknowledged but {status.get(i)}"
        for i in results.acknowledged
        if status.get(i) != "acknowledged"
    ]
    return problems


def main() -> None:
    from alembic import command

    from scbi.database import alembic_config

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pairs", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        command.upgrade(alembic_config(), "head")
        pairs = prepare(args.pairs)
        url = db.engine.url.render_as_string(hide_password=False)
        db.engine.dispose()
    with serving(url, args.workers) as base:
        results = run(base, pairs, args.seconds)
    with app.app_context():
        problems = missing(results)
    requests = sum(results.statuses.values())
    latencies = sorted(results.latencies)
    print(
        f"{url.split(':')[0]}, {args.workers} workers, {2 * len(pairs)} clients, "
        f"{args.seconds:g} s: {requests:,} requests ({requests / args.seconds:,.0f}/s), "
        f"median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms"
    )
    answers = dict(sorted(results.statuses.items()))
    print(
        f"logs created {len(results.created):,}, submitted {len(results.submitted):,}, "
        f"acknowledged {len(results.acknowledged):,}; answers {answers}"
    )
    for line in (results.errors + problems)[:20]:
        print("  " + line)
    server_errors = sum(n for status, n in results.statuses.items() if status >= 500)
    print(f"5xx: {server_errors}; accepted writes missing: {len(problems)}")
    if server_errors or problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
