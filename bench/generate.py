"""Generate the national-scale data set of QUALITY.md into an empty, migrated database.

    SCBI_DATABASE_URL=sqlite:////tmp/bench.db flask --app wsgi db upgrade
    SCBI_DATABASE_URL=sqlite:////tmp/bench.db python -m bench.generate --logs 1000000

Defaults: 8 sectors, 500 coaches, 5,000 mentees, 1,000,000 transfer logs over ten years
(each written by its pairing's coach, most submitted and acknowledged, with their history
events), 300,000 assessments, one approved plan per pairing. Rows go in through
SQLAlchemy Core in large batches; the accounts get an unusable password hash (nobody
signs in to a benchmark). Deterministic: the same arguments give the same data.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from scbi import create_app
from scbi.backup import reset_sequences
from scbi.competencies import level_changes
from scbi.extensions import db
from scbi.transfer import log_months

ACTIVITIES = [
    "on_the_job",
    "shadowing",
    "joint_delivery",
    "formal_training",
    "review_feedback",
    "peer_exchange",
    "self_study",
]
ROLES = ["observed", "assisted", "co_led", "led"]
COUNTED = ("acknowledged", "verified")
START = date(2016, 7, 1)
DAYS = 3650
BATCH = 20_000


def table(name):
    return db.metadata.tables[name]


def put(name: str, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        db.session.execute(insert(table(name)), rows[i : i + BATCH])


def next_id(name: str) -> int:
    return (db.session.scalar(select(func.max(table(name).c.id))) or 0) + 1


def generate(logs: int, mentees: int, coaches: int, sectors: int, assessments: int) -> None:
    rng = random.Random(2026)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    stamp = {"created_at": now, "updated_at": now, "version": 1}
    phase_id = next_id("phase")
    put("phase", [{"id": phase_id, "name": "Bench phase", "start_date": START, **stamp}])
    sector_ids = list(range(next_id("sector"), next_id("sector") + sectors))
    put(
        "sector",
        [
            {
                "id": s,
                "code": f"B{s}",
                "name": f"Bench sector {s}",
                "active": True,
                "expert_target": 150,
                "target_date": date(2028, 6, 30),
                "expert_level": 3,
                **stamp,
            }
            for s in sector_ids
        ],
    )
    # the dated settings and core set (scbi.programme.rules), in force from the start
    from_start = {"effective_on": date(1990, 1, 1), "recorded_at": now}
    rule = next_id("sector_rule")
    put(
        "sector_rule",
        [
            {
                "id": rule + n,
                "sector_id": s,
                "expert_level": 3,
                "expert_target": 150,
                "target_date": date(2028, 6, 30),
                **from_start,
            }
            for n, s in enumerate(sector_ids)
        ],
    )
    institution_ids, institution_sector = [], {}
    first = next_id("institution")
    for n, s in enumerate(sector_ids):
        for k in range(6):
            ident = first + n * 6 + k
            institution_ids.append(ident)
            institution_sector[ident] = s
    put(
        "institution",
        [
            {
                "id": i,
                "name": f"Institution {i}",
                "acronym": f"BI{i}",
                "sector_id": institution_sector[i],
                **stamp,
            }
            for i in institution_ids
        ],
    )
    competencies: dict[int, list[int]] = {}
    framework = next_id("competency_framework")
    competency = next_id("competency")
    for n, s in enumerate(sector_ids):
        put(
            "competency_framework",
            [
                {
                    "id": framework + n,
                    "name": f"Framework {s}",
                    "idnumber": f"BFW{s}",
                    "sector_id": s,
                    **stamp,
                }
            ],
        )
        ids = list(range(competency + n * 8, competency + n * 8 + 8))
        competencies[s] = ids
        put(
            "competency",
            [
                {
                    "id": c,
                    "framework_id": framework + n,
                    "idnumber": f"BC{c}",
                    "short_name": f"Competency {c}",
                    "core": k < 5,
                    "sort_order": k,
                    "cross_references": [],
                    **stamp,
                }
                for k, c in enumerate(ids)
            ],
        )
        change = next_id("core_change")
        put(
            "core_change",
            [
                {"id": change + k, "competency_id": c, "sector_id": s, "core": True, **from_start}
                for k, c in enumerate(ids[:5])
            ],
        )
    user = next_id("user")
    people = coaches + mentees
    put(
        "user",
        [
            {
                "id": user + k,
                "email": f"bench{user + k}@example.org",
                "full_name": f"Bench Person {user + k}",
                "password_hash": "!unusable",
                "active": True,
                "session_epoch": 1,
                **stamp,
            }
            for k in range(people)
        ],
    )
    put(
        "user_role",
        [
            {"user_id": user + k, "role": "coach" if k < coaches else "mentee"}
            for k in range(people)
        ],
    )
    coach_first, mentee_first = next_id("coach"), next_id("mentee")
    coach_sector = {coach_first + k: sector_ids[k % sectors] for k in range(coaches)}
    coach_user = {coach_first + k: user + k for k in range(coaches)}  # each log's author
    put(
        "coach",
        [
            {
                "id": c,
                "user_id": user + k,
                "nationality": "Kenyan",
                "organisation": "GIZ",
                "technical_expertise": "Planning",
                "coaching_experience_years": 10,
                "sector_id": coach_sector[c],
                "host_institution_id": institution_ids[sector_ids.index(coach_sector[c]) * 6],
                "contract_start": START,
                "contract_end": date(2027, 6, 30),
                "max_mentees": 50,
                "status": "active",
                **stamp,
            }
            for k, c in enumerate(coach_sector)
        ],
    )
    mentee_rows, status_rows, joined = [], [], {}
    for k in range(mentees):
        ident = mentee_first + k
        s = sector_ids[k % sectors]
        joined[ident] = START + timedelta(days=rng.randrange(DAYS - 400))
        institution = institution_ids[sector_ids.index(s) * 6 + rng.randrange(6)]
        mentee_rows.append(
            {
                "id": ident,
                "user_id": user + coaches + k,
                "staff_number": f"B{ident}",
                "gender": rng.choice(["female", "male", "female", "male", "other"]),
                "position": "Officer",
                "institution_id": institution,
                "sector_id": s,
                "phase_id": phase_id,
                "joined_on": joined[ident],
                "status": "active",
                "status_changed_on": joined[ident],
                **stamp,
            }
        )
        status_rows.append(
            {"mentee_id": ident, "status": "active", "status_on": joined[ident], "recorded_at": now}
        )
        if rng.random() < 0.1:
            status_rows.append(
                {
                    "mentee_id": ident,
                    "status": "withdrawn",
                    "status_on": joined[ident] + timedelta(days=300),
                    "recorded_at": now,
                }
            )
    put("mentee", mentee_rows)
    put("mentee_status_change", status_rows)
    by_sector_coaches: dict[int, list[int]] = {}
    for c, s in coach_sector.items():
        by_sector_coaches.setdefault(s, []).append(c)
    pairing_first, plan_first = next_id("pairing"), next_id("transfer_plan")
    pairings, plans, items = [], [], []
    for k, row in enumerate(mentee_rows):
        ident, s = pairing_first + k, row["sector_id"]
        start = joined[row["id"]]
        pairings.append(
            {
                "id": ident,
                "coach_id": rng.choice(by_sector_coaches[s]),
                "mentee_id": row["id"],
                "phase_id": phase_id,
                "sector_id": s,
                "start_date": start,
                "planned_end_date": start + timedelta(days=730),
                "status": "active",
                **stamp,
            }
        )
        decided = datetime.combine(start + timedelta(days=20), datetime.min.time(), tzinfo=UTC)
        plans.append(
            {
                "id": plan_first + k,
                "pairing_id": ident,
                "number": 1,
                "status": "approved",
                "submitted_at": decided,
                "decided_at": decided,
                **stamp,
            }
        )
        for p, c in enumerate(competencies[s][:5]):
            items.append(
                {
                    "plan_id": plan_first + k,
                    "position": p,
                    "competency_id": c,
                    "baseline_level": 1,
                    "target_level": 3,
                    "target_date": start + timedelta(days=400 + 30 * p),
                    "methods": [],
                    "expected_evidence": "A piece of work",
                }
            )
    put("pairing", pairings)
    put("transfer_plan", plans)
    put("plan_item", items)
    assessor = user  # any account; the role is what counts
    put(
        "assessment",
        [
            {
                "mentee_id": m["id"],
                "competency_id": rng.choice(competencies[m["sector_id"]]),
                "assessor_id": assessor,
                "assessor_role": "coach",
                "level": rng.choice([1, 2, 2, 3, 3, 3, 4]),
                "assessed_on": joined[m["id"]] + timedelta(days=rng.randrange(60, 900)),
                "review_status": "none",
                **stamp,
            }
            for m in (rng.choice(mentee_rows) for _ in range(assessments))
        ],
    )
    # each sector's priority results (issue 18), which a fifth of the logs serve
    result_first = next_id("priority_result")
    results_of = {s: [result_first + n * 8 + k for k in range(8)] for n, s in enumerate(sector_ids)}
    put(
        "priority_result",
        [
            {
                "id": r,
                "sector_id": s,
                "institution_id": rng.choice(
                    [i for i in institution_ids if institution_sector[i] == s]
                ),
                "title": f"Bench result {r}",
                "due_date": date(2028, 6, 30),
                "status": "on_track",
                **stamp,
            }
            for s, ids in results_of.items()
            for r in ids
        ],
    )
    put(
        "priority_result_status",
        [
            {
                "result_id": r,
                "status": "on_track",
                "status_on": START,
                "note": "",
                "recorded_at": now,
            }
            for ids in results_of.values()
            for r in ids
        ],
    )
    log_first = next_id("transfer_log")
    done = 0
    while done < logs:
        chunk = min(BATCH * 5, logs - done)
        rows, events, addressed = [], [], []
        for k in range(chunk):
            ident = log_first + done + k
            pairing = pairings[rng.randrange(len(pairings))]
            day = min(pairing["start_date"] + timedelta(days=rng.randrange(700)), date(2026, 11, 1))
            submitted = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=17)
            responded = submitted + timedelta(hours=rng.randrange(4, 200))
            status = rng.choices(
                ["acknowledged", "verified", "disputed", "submitted", "draft"], [60, 25, 4, 6, 5]
            )[0]
            rows.append(
                {
                    "id": ident,
                    "pairing_id": pairing["id"],
                    "author_id": coach_user[pairing["coach_id"]],
                    "activity_date": day,
                    "activity_type": rng.choice(ACTIVITIES),
                    "minutes": rng.choice([60, 90, 120, 180, 240]),
                    "title": "Bench work",
                    "description": "",
                    "mentee_role": rng.choice(ROLES),
                    "off_plan_reason": "",
                    "status": status,
                    "submitted_at": None if status == "draft" else submitted,
                    "first_submitted_at": None if status == "draft" else submitted,
                    "responded_at": responded
                    if status in ("acknowledged", "verified", "disputed")
                    else None,
                    "acknowledged_at": responded if status in COUNTED else None,
                    "mentee_comment": "",
                    "priority_result_id": rng.choice(results_of[pairing["sector_id"]])
                    if rng.random() < 0.2
                    else None,
                    **stamp,
                }
            )
            # what the log addressed: one of the competencies of its pairing's plan
            addressed.append(
                {
                    "log_id": ident,
                    "competency_id": rng.choice(competencies[pairing["sector_id"]][:5]),
                }
            )
            if status != "draft":
                events.append({"log_id": ident, "action": "submitted", "at": submitted})
            if status in ("acknowledged", "verified"):
                events.append({"log_id": ident, "action": "acknowledged", "at": responded})
            if status == "disputed":
                events.append({"log_id": ident, "action": "disputed", "at": responded})
        put("transfer_log", rows)
        put("log_event", events)
        put("log_competency", addressed)
        db.session.commit()
        done += chunk
        print(f"  {done:,} logs", file=sys.stderr)
    # what the application keeps beside the history (bulk inserts pass no flush)
    print(f"  {level_changes.rebuild():,} level changes", file=sys.stderr)
    print(f"  {log_months.rebuild():,} months of counted logs", file=sys.stderr)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--mentees", type=int, default=5_000)
    parser.add_argument("--coaches", type=int, default=500)
    parser.add_argument("--sectors", type=int, default=8)
    parser.add_argument("--assessments", type=int, default=300_000)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        generate(args.logs, args.mentees, args.coaches, args.sectors, args.assessments)
        if db.engine.dialect.name == "postgresql":
            reset_sequences(db.session.connection())
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
