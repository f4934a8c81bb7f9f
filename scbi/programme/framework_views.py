"""Competency framework pages: the tree, editing, Moodle import and export."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.downloads import download
from scbi.extensions import db
from scbi.forms import form_page
from scbi.programme import choices, frameworks
from scbi.programme.forms import (
    CompetencyForm,
    FrameworkForm,
    FrameworkImportForm,
)
from scbi.programme.models import (
    Competency,
    CompetencyFramework,
)
from scbi.programme.views import SECRETARIAT, _get, _saved, _without, bp

# --- frameworks ----------------------------------------------------------------------------


@bp.route("/frameworks")
@role_required(*SIGNED_IN)
def frameworks_list():
    items = db.session.scalars(select(CompetencyFramework).order_by(CompetencyFramework.name)).all()
    counts = {
        fid: (total, core or 0)
        for fid, total, core in db.session.execute(
            select(
                Competency.framework_id,
                func.count(),
                func.sum(case((Competency.core.is_(True), 1), else_=0)),
            ).group_by(Competency.framework_id)
        )
    }
    rows = [(f, *counts.get(f.id, (0, 0))) for f in items]
    return render_template("programme/frameworks.html", rows=rows)


@bp.route("/frameworks/<int:framework_id>")
@role_required(*SIGNED_IN)
def framework(framework_id: int):
    framework = db.session.scalar(
        select(CompetencyFramework)
        .options(selectinload(CompetencyFramework.competencies))
        .where(CompetencyFramework.id == framework_id)
    )
    if framework is None:
        abort(404)
    return render_template(
        "programme/framework.html", framework=framework, tree=frameworks.tree(framework)
    )


def _framework_form(framework: CompetencyFramework | None = None) -> FrameworkForm:
    form = FrameworkForm(obj=framework)
    form.sector_id.choices = choices.sectors(_("— cross-cutting —"))
    return form


@bp.route("/frameworks/new", methods=["GET", "POST"])
@role_required(SECRETARIAT)
def framework_new():
    return form_page(
        _framework_form().for_new(),
        "programme/form.html",
        lambda v: frameworks.create_framework(by=current_user, **_without(v, "version")),
        _saved(_("Framework saved."), "programme.framework", framework_id=lambda f: f.id),
        title=_("New competency framework"),
        cancel=url_for("programme.frameworks_list"),
    )


@bp.route("/frameworks/<int:framework_id>/edit", methods=["GET", "POST"])
@role_required(SECRETARIAT)
def framework_edit(framework_id: int):
    framework = _get(CompetencyFramework, framework_id)
    return form_page(
        _framework_form(framework),
        "programme/form.html",
        lambda v: frameworks.update_framework(framework, by=current_user, **v),
        _saved(_("Framework saved."), "programme.framework", framework_id=lambda f: f.id),
        title=_("Edit %(name)s", name=framework.name),
        cancel=url_for("programme.framework", framework_id=framework.id),
    )


@bp.route("/frameworks/import", methods=["GET", "POST"])
@role_required(SECRETARIAT)
def framework_import():
    form = FrameworkImportForm(sector_id=request.args.get("sector_id", type=int))
    form.sector_id.choices = choices.sectors(_("— cross-cutting —"))
    return form_page(
        form,
        "programme/import.html",
        lambda v: frameworks.import_framework(
            v["file"].read(), by=current_user, sector_id=v["sector_id"]
        ),
        _saved(_("Framework imported."), "programme.framework", framework_id=lambda f: f.id),
    )


@bp.route("/frameworks/<int:framework_id>/export")
@role_required(*SIGNED_IN)
def framework_export(framework_id: int):
    framework = _get(CompetencyFramework, framework_id)
    return download(
        frameworks.export_framework(framework),
        mimetype="text/csv",
        name=frameworks.export_file_name(framework),
    )


def _competency_form(framework_id: int, competency: Competency | None = None) -> CompetencyForm:
    form = CompetencyForm(obj=competency, parent_id=request.args.get("parent_id", type=int))
    form.parent_id.choices = choices.competencies(
        framework_id, exclude=competency.id if competency else None
    )
    return form


@bp.route("/frameworks/<int:framework_id>/competencies/new", methods=["GET", "POST"])
@role_required(SECRETARIAT)
def competency_new(framework_id: int):
    framework = _get(CompetencyFramework, framework_id)
    return form_page(
        _competency_form(framework.id).for_new(),
        "programme/form.html",
        lambda v: frameworks.add_competency(framework, by=current_user, **_without(v, "version")),
        _saved(
            _("Competency saved."), "programme.framework", framework_id=lambda c: c.framework_id
        ),
        title=_("New competency in %(name)s", name=framework.name),
        cancel=url_for("programme.framework", framework_id=framework.id),
    )


@bp.route("/competencies/<int:competency_id>/edit", methods=["GET", "POST"])
@role_required(SECRETARIAT)
def competency_edit(competency_id: int):
    competency = _get(Competency, competency_id)
    return form_page(
        _competency_form(competency.framework_id, competency),
        "programme/form.html",
        lambda v: frameworks.update_competency(competency, by=current_user, **v),
        _saved(
            _("Competency saved."), "programme.framework", framework_id=lambda c: c.framework_id
        ),
        title=_("Edit %(name)s", name=competency.short_name),
        cancel=url_for("programme.framework", framework_id=competency.framework_id),
    )
