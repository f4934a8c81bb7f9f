"""Pages and writes through gunicorn in production configuration, as ratios to the bare
endpoint measured in the same run (issue 13).

    SCBI_DATABASE_URL=sqlite:////tmp/bench.db python -m bench.http [--seconds 5]

On a data set of bench/generate.py: picks a coach with an active pairing, its mentee and
the coordinator of its sector (made if the sector has none), gives them a password made
for this run and the coach an API token; then starts ``gunicorn -w 2`` in production
configuration on a free local port and drives it with wrk (``-t2 -c8``; Debian's package
``wrk``), or, without wrk, a Python load generator of 8 keep-alive connections. Each path
runs ``--seconds``, then ``/api/v1/health`` as long, several rounds alternating; the
requests per second of each and the ratio (goal: pages ≥ 0.2, creating a log through the
API ≥ 0.15) are printed. Creating logs adds drafts to the database, as users would.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import re
import secrets
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import func, select

from bench.load import serving
from scbi import create_app
from scbi.auth import services as accounts
from scbi.auth.models import Role, User, UserRole
from scbi.auth.passwords import hash_password
from scbi.auth.tokens import new_token
from scbi.dates import today
from scbi.extensions import db
from scbi.programme import services as programme
from scbi.transfer.models import Pairing, PairingStatus, TransferLog
from scbi.transfer.queries import approved_plan

AGENT = "scbi-bench"
CLIENTS, THREADS, ROUNDS = 8, 2, 3


def prepare(password: str) -> dict:
    """The people and records the paths need, with a known password; their paths."""
    app = create_app()
    with app.app_context():
        pairing_id = db.session.scalar(
            select(Pairing.id)
            .join(TransferLog, TransferLog.pairing_id == Pairing.id)
            .where(Pairing.status == PairingStatus.ACTIVE, Pairing.planned_end_date > today())
            .group_by(Pairing.id)
            .order_by(func.count().desc())
            .limit(1)
        )
        pairing = db.session.get(Pairing, pairing_id)
        coach, mentee = pairing.coach.user, pairing.mentee.user
        secretariat = db.session.scalar(
            select(User).join(UserRole).where(UserRole.role == Role.SECRETARIAT).limit(1)
        )
        if secretariat is None:
            raise SystemExit("run `flask --app wsgi scbi ensure-login` first")
        coordinator = db.session.scalar(
            select(User).join(UserRole).where(UserRole.role == Role.COORDINATOR).limit(1)
        ) or accounts.create_user(
            by=secretariat,
            email="bench-coordinator@example.org",
            full_name="Bench Coordinator",
            password_hash=hash_password(password),
            roles=[Role.COORDINATOR],
            must_change_password=False,
        )
        programme.set_coordinator_sectors(coordinator, [pairing.sector_id], by=secretariat)
        for user in (coach, mentee, coordinator, secretariat):
            user.password_hash = hash_password(password)
            user.must_change_password = False
        token, _ = new_token(coach, label="bench")
        log = db.session.scalar(  # one the mentee sees too
            select(TransferLog)
            .where(TransferLog.pairing_id == pairing.id, TransferLog.status == "acknowledged")
            .limit(1)
        )
        plan = approved_plan(pairing.id)
        body = {
            "activity_date": (today() - timedelta(days=1)).isoformat(),
            "activity_type": "on_the_job",
            "hours": 1,
            "title": "Bench: a log through the API",
            "description": "",
            "mentee_role": "led",
            "competency_ids": [plan.items[0].competency_id],
        }
        db.session.commit()
        return {
            "coach": (coach.email, token),
            "mentee": (mentee.email, None),
            "coordinator": (coordinator.email, None),
            "secretariat": (secretariat.email, None),
            "pages": [
                ("coach", "GET", "/", None),
                ("coach", "GET", f"/pairings/{pairing.id}/logs/new", None),
                ("coach", "GET", f"/logs/{log.id}", None),
                ("coach", "GET", "/my/logs", None),
                ("mentee", "GET", "/", None),
                ("mentee", "GET", f"/mentees/{pairing.mentee_id}/competencies", None),
                ("mentee", "GET", f"/logs/{log.id}", None),
                ("coordinator", "GET", "/", None),
                ("coordinator", "GET", "/logs", None),
                ("coordinator", "GET", f"/mentees/{pairing.mentee_id}/competencies", None),
                ("secretariat", "GET", f"/reports/sectors/{pairing.sector_id}", None),
                ("coach", "POST", f"/api/v1/pairings/{pairing.id}/logs", json.dumps(body)),
            ],
        }


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=body, headers={"User-Agent": AGENT, **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def sign_in(port: int, email: str, password: str) -> str:
    """The session cookie of a real sign-in (the form and its CSRF token)."""
    response, page = request(port, "GET", "/login")
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urlencode({"email": email, "password": password, "csrf_token": token.decode()})
    response, _ = request(
        port,
        "POST",
        "/login",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    if response.status != 302:
        raise SystemExit(f"sign-in of {email} answered {response.status}")
    return response.getheader("Set-Cookie").split(";")[0]


def wrk(port, method, path, headers, body, seconds) -> float:
    script = f"""wrk.method = {json.dumps(method)}
wrk.body = {json.dumps(body or "")}
wrk.headers["User-Agent"] = "{AGENT}"
""" + "".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}\n" for k, v in headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
        f.write(
            "done = function(summary, latency, requests)\n"
            '  io.write(string.format("BAD %d\\n", summary.errors.status))\nend\n'
        )
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{THREADS}",
                f"-c{CLIENTS}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "60s",
                "-s",
                f.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    bad = int(re.search(r"BAD (\d+)", out).group(1))
    if bad:
        raise SystemExit(f"{method} {path}: {bad} answers were not 2xx/3xx")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _client(args) -> int:
    port, method, path, headers, body, until = args
    conn, done = http.client.HTTPConnection("127.0.0.1", port, timeout=60), 0
    while time.monotonic() < until:
        conn.request(method, path, body=body, headers={"User-Agent": AGENT, **headers})
        response = conn.getresponse()
        response.read()
        if response.status >= 400:
            raise SystemExit(f"{method} {path}: {response.status}")
        done += 1
    return done


def python_load(port, method, path, headers, body, seconds) -> float:
    until = time.monotonic() + seconds
    with multiprocessing.Pool(CLIENTS) as pool:
        done = sum(pool.map(_client, [(port, method, path, headers, body, until)] * CLIENTS))
    return done / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--only", help="measure only the paths containing this text")
    args = parser.parse_args()
    password = secrets.token_urlsafe(16)
    plan = prepare(password)
    with serving(os.environ["SCBI_DATABASE_URL"], workers=2) as base:
        port = int(base.split(":")[2].split("/")[0])
        cookies = {
            role: sign_in(port, plan[role][0], password)
            for role in ("coach", "mentee", "coordinator", "secretariat")
        }
        load = wrk if shutil.which("wrk") else python_load
        print(
            f"{db_name()}; gunicorn -w 2, production configuration; "
            f"{'wrk' if load is wrk else 'Python'} -c{CLIENTS}, {args.rounds} rounds of "
            f"{args.seconds:g} s each way"
        )
        for role, method, path, body in plan["pages"]:
            if args.only and args.only not in path:
                continue
            headers = {"Cookie": cookies[role]}
            if method == "POST":
                headers = {
                    "Authorization": f"Bearer {plan[role][1]}",
                    "Content-Type": "application/json",
                }
            pages, bare = [], []
            for _ in range(args.rounds):
                pages.append(load(port, method, path, headers, body, args.seconds))
                bare.append(load(port, "GET", "/api/v1/health", {}, None, args.seconds))
            page, health = statistics.median(pages), statistics.median(bare)
            print(
                f"{role:<12} {method:<4} {path:<40} {page:8.1f} req/s   "
                f"health {health:7.1f} req/s   ratio {page / health:.3f}"
            )


def db_name() -> str:
    url = os.environ.get("SCBI_DATABASE_URL", "")
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


if __name__ == "__main__":
    main()
