"""Competency framework pages: the tree, the core choice, editing and export. The Moodle
import and its preview are in ``views/framework_import.py``; what the core choice of
both pages shares is in ``views/common.py``."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, can_configure, role_required
from scbi.downloads import send_download
from scbi.forms import FORM_ERRORS, form_page
from scbi.loaders import load_or_404
from scbi.programme import framework_file, frameworks, queries
from scbi.programme.core_choice import depths, expert_rule_warning, framework_nodes
from scbi.programme.forms import CompetencyForm, CoreChoiceForm, FrameworkForm
from scbi.programme.models import (
    EARLIEST_DATE,
    Competency,
    CompetencyFramework,
)
from scbi.programme.queries import choices
from scbi.programme.views.blueprint import bp
from scbi.programme.views.common import keep_after_conflict, saved, select_ticks, set_depth_choices
from scbi.transaction import commit, rollback

# --- frameworks ----------------------------------------------------------------------------


@bp.route("/frameworks")
@role_required(*SIGNED_IN)
def frameworks_list():
    return render_template(
        "programme/frameworks.html",
        rows=queries.frameworks_with_counts(),
        can_configure=can_configure(current_user),
    )


@bp.route("/frameworks/<int:framework_id>")
@role_required(*SIGNED_IN)
def framework(framework_id: int):
    framework = queries.framework_page(framework_id)
    form = None
    if can_configure(current_user):
        form = CoreChoiceForm(formdata=None, version=framework.version)
    ticked = {str(c.id) for c in framework.competencies if c.core}
    return _framework_page(framework, form, ticked)


@bp.route("/frameworks/<int:framework_id>/core", methods=["POST"])
@role_required(Role.SECRETARIAT)
def framework_core(framework_id: int):
    """Save the ticked core set, or (a selection button) re-render the ticks with the
    selection applied, saving nothing."""
    framework = queries.framework_page(framework_id)
    form = CoreChoiceForm()
    ordered = framework.tree()
    nodes = framework_nodes(ordered)
    ticked = set(form.core_ids.data or [])
    if not form.validate_on_submit():
        return _framework_page(framework, form, ticked, ordered=ordered, status=422)
    if form.selection.data:
        ticked, message, status = select_ticks(form, nodes, ticked)
        return _framework_page(
            framework, form, ticked, ordered=ordered, message=message, status=status
        )
    try:
        changed = frameworks.choose_core(
            framework,
            sorted(ticked),
            by=current_user,
            version=form.version.data,
            effective_on=form.effective_on.data,
        )
    except FORM_ERRORS as error:
        rollback()
        keep_after_conflict(form, error, framework.version)
        return _framework_page(framework, form, ticked, status=error.status)
    commit()
    flash(
        ngettext(
            "Core choice saved: %(num)d competency changed.",
            "Core choice saved: %(num)d competencies changed.",
            len(changed),
        )
        if changed
        else _("Core choice saved; no flag changed."),
        "success",
    )
    return redirect(url_for("programme.framework", framework_id=framework.id))


def _framework_page(framework, form, ticked, *, ordered=None, message=None, status=200):
    ordered = ordered if ordered is not None else framework.tree()
    nodes = framework_nodes(ordered)
    if form is not None:
        set_depth_choices(form, nodes)
        core_count = len(ticked & {n.key for n in nodes})
    else:
        core_count = sum(1 for c, _depth in ordered if c.core)
    warning = expert_rule_warning(framework.sector, core_count, exclude_framework_id=framework.id)
    html = render_template(
        "programme/framework.html",
        framework=framework,
        tree=ordered,
        rows=list(zip(ordered, nodes, strict=True)),
        form=form,
        ticked=ticked,
        core_count=core_count,
        depths=depths(nodes),
        warning=warning,
        message=message,
        core_updates=queries.core_timeline(framework_id=framework.id),
        from_the_start=EARLIEST_DATE,
    )
    return html, status


def _framework_form(framework: CompetencyFramework | None = None) -> FrameworkForm:
    form = FrameworkForm(obj=framework)
    form.sector_id.choices = choices.sectors(_("— cross-cutting —"))
    return form


@bp.route("/frameworks/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def framework_new():
    form = _framework_form().for_new()
    del form.effective_on  # a new framework moves nowhere
    return form_page(
        form,
        "programme/form.html",
        lambda v: frameworks.create_framework(by=current_user, **v),
        saved(_("Framework saved."), "programme.framework", framework_id=lambda f: f.id),
        title=_("New competency framework"),
        cancel=url_for("programme.frameworks_list"),
    )


@bp.route("/frameworks/<int:framework_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def framework_edit(framework_id: int):
    framework = load_or_404(CompetencyFramework, framework_id)
    return form_page(
        _framework_form(framework),
        "programme/form.html",
        lambda v: frameworks.update_framework(framework, by=current_user, **v),
        saved(_("Framework saved."), "programme.framework", framework_id=lambda f: f.id),
        title=_("Edit %(name)s", name=framework.name),
        cancel=url_for("programme.framework", framework_id=framework.id),
    )


@bp.route("/frameworks/<int:framework_id>/export")
@role_required(*SIGNED_IN)
def framework_export(framework_id: int):
    return send_download(
        framework_file.framework_file(load_or_404(CompetencyFramework, framework_id))
    )


def _competency_form(framework_id: int, competency: Competency | None = None) -> CompetencyForm:
    form = CompetencyForm(obj=competency, parent_id=request.args.get("parent_id", type=int))
    form.parent_id.choices = choices.competencies(
        framework_id, exclude=competency.id if competency else None
    )
    return form


@bp.route("/frameworks/<int:framework_id>/competencies/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def competency_new(framework_id: int):
    framework = load_or_404(CompetencyFramework, framework_id)
    return form_page(
        _competency_form(framework.id).for_new(),
        "programme/form.html",
        lambda v: frameworks.add_competency(framework, by=current_user, **v),
        saved(_("Competency saved."), "programme.framework", framework_id=lambda c: c.framework_id),
        title=_("New competency in %(name)s", name=framework.name),
        cancel=url_for("programme.framework", framework_id=framework.id),
    )


@bp.route("/competencies/<int:competency_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def competency_edit(competency_id: int):
    competency = load_or_404(Competency, competency_id)
    return form_page(
        _competency_form(competency.framework_id, competency),
        "programme/form.html",
        lambda v: frameworks.update_competency(competency, by=current_user, **v),
        saved(_("Competency saved."), "programme.framework", framework_id=lambda c: c.framework_id),
        title=_("Edit %(name)s", name=competency.short_name),
        cancel=url_for("programme.framework", framework_id=competency.framework_id),
    )
