"""Reports (API.md "Reports"): the critical mass of each sector the caller may see."""

from __future__ import annotations

from flask import g, jsonify, request
from sqlalchemy import select

from scbi.api import bp
from scbi.api.docs import component, endpoint
from scbi.api.schema import F, Schema
from scbi.auth.models import Role
from scbi.auth.permissions import managed_sector_ids, role_required
from scbi.dates import today
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.reports.critical_mass import critical_mass

component(
    Schema(
        "CriticalMass",
        {
            "sector_id": F("integer", required=True),
            "experts": F("integer", required=True),
            "target": F("integer", required=True),
            "progress": F("number", required=True),
            "target_date": F("date", required=True),
            "forecast_date": F("date", nullable=True, required=True),
            "on_track": F("boolean", required=True),
            "trajectory": F(
                "array",
                items="object",
                required=True,
                description="[{month: YYYY-MM-DD (month end), experts}]",
            ),
            "pipeline": F(
                "object",
                required=True,
                description="Counting mentees by core competencies still below the expert "
                'level: {"0", "1", "2", "3+"}',
            ),
        },
    )
)


@bp.get("/reports/critical-mass")
@endpoint(
    "National experts per sector: count, target, trajectory, forecast, pipeline",
    tag="reports",
    response="CriticalMass",
    errors=(422,),
    query=(("on", "string", "YYYY-MM-DD; default today"),),
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def critical_mass_report():
    on = today()
    if raw := request.args.get("on"):
        errors: list[str] = []
        on = F("date").clean(raw, errors)
        if errors:
            raise ValidationFailed(fields={"on": errors})
    ids = managed_sector_ids(g.api_user)
    query = select(Sector).where(Sector.active.is_(True)).order_by(Sector.name)
    if ids is not None:
        query = query.where(Sector.id.in_(ids))
    result = []
    for sector in db.session.scalars(query):
        cm = critical_mass(sector, on)
        result.append(
            {
                "sector_id": sector.id,
                "experts": cm.experts,
                "target": cm.target,
                "progress": cm.progress,
                "target_date": sector.target_date.isoformat(),
                "forecast_date": cm.forecast.forecast_date.isoformat()
                if cm.forecast.forecast_date
                else None,
                "on_track": cm.forecast.on_track,
                "trajectory": [{"month": d.isoformat(), "experts": n} for d, n in cm.trajectory],
                "pipeline": cm.pipeline,
            }
        )
    return jsonify(result)
