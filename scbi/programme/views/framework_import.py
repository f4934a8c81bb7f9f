"""The Moodle framework import on the web: upload, preview (nothing stored), confirm.

Stateless: the preview form carries the file's text back in a hidden field, and the
confirmation parses and checks everything again (``framework_import`` never trusts what
a preview showed).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.forms import FORM_ERRORS
from scbi.programme import framework_import
from scbi.programme.core_choice import depths
from scbi.programme.forms import FrameworkImportForm, ImportPreviewForm
from scbi.programme.queries import choices
from scbi.programme.views.blueprint import bp
from scbi.programme.views.common import keep_after_conflict, select_ticks, set_depth_choices
from scbi.transaction import commit, rollback

# The preview form sends the file back as one form field, which the request limits.
PREVIEW_LIMIT = 900 * 1024

REASONS = {
    "assessments": _l("assessments cite it"),
    "plan_items": _l("transfer plans include it"),
    "logs": _l("transfer logs address it"),
    "core": _l("it is core"),
    "was_core": _l("it was core: the national experts of past dates were counted with it"),
    "children": _l("competencies kept under it need it"),
}
CHANGED_FIELDS = {
    "short_name": _l("name"),
    "description": _l("description"),
    "parent": _l("place in the tree"),
    "description_format": _l("description format"),
    "rule_type": _l("Moodle rule"),
    "rule_outcome": _l("Moodle rule"),
    "rule_config": _l("Moodle rule"),
    "cross_references": _l("cross-references"),
}


def reason_text(code: str) -> str:
    return str(REASONS.get(code, _l("other records cite it")))


def _upload_form() -> FrameworkImportForm:
    form = FrameworkImportForm(sector_id=request.args.get("sector_id", type=int))
    form.sector_id.choices = choices.sectors(_("— cross-cutting —"))
    return form


@bp.route("/frameworks/import", methods=["GET", "POST"], endpoint="framework_import")
@role_required(Role.SECRETARIAT)
def framework_import_upload():
    """Step 1: the file. A good file is shown as a preview; nothing is stored yet."""
    form = _upload_form()
    status = 200
    if form.validate_on_submit():
        data = form.file.data.read()
        if len(data) > PREVIEW_LIMIT:
            form.file.errors.append(
                _(
                    "This file is larger than %(kb)d KB, too large to preview in the browser; "
                    "import it with the command line (scbi import-framework) or the API.",
                    kb=PREVIEW_LIMIT // 1024,
                )
            )
            status = 422
        else:
            try:
                preview = framework_import.preview_import(
                    data, by=current_user, sector_id=form.sector_id.data
                )
            except FORM_ERRORS as error:
                rollback()
                form.apply(error)
                status = error.status
            else:
                preview_form = ImportPreviewForm(formdata=None, content=preview.text)
                _carry(preview_form, preview)
                return _preview_page(preview, preview_form, preview.proposed)
    elif form.is_submitted():
        status = 422
    return render_template("programme/import.html", form=form), status


@bp.route("/frameworks/import/confirm", methods=["POST"])
@role_required(Role.SECRETARIAT)
def framework_import_confirm():
    """Step 2: a selection button re-renders the preview with the ticks changed; the
    confirmation imports (or updates) with exactly the ticked core set."""
    form = ImportPreviewForm()
    valid = form.validate_on_submit()
    if not form.content.data:
        upload = _upload_form()
        upload.add_error(_("The preview lost its file. Choose the file again."))
        return render_template("programme/import.html", form=upload), 422
    try:
        preview = framework_import.preview_import(
            form.content.data, by=current_user, sector_id=form.sector_id.data
        )
    except FORM_ERRORS as error:
        rollback()
        upload = _upload_form()
        upload.apply(error)
        return render_template("programme/import.html", form=upload), error.status
    ticked = set(form.core_ids.data or [])
    if not valid:
        return _preview_page(preview, form, ticked, status=422)
    if form.selection.data:
        ticked, message, status = select_ticks(form, preview.nodes, ticked)
        return _preview_page(preview, form, ticked, message=message, status=status)
    try:
        result = framework_import.import_framework(
            form.content.data,
            by=current_user,
            sector_id=form.sector_id.data,
            core_idnumbers=sorted(ticked),
            effective_on=form.effective_on.data,
            update=form.update.data == "1",
            version=form.version.data,
        )
    except FORM_ERRORS as error:
        rollback()
        # What is stored now (a framework created or changed meanwhile) is shown afresh.
        preview = framework_import.preview_import(
            form.content.data, by=current_user, sector_id=form.sector_id.data
        )
        keep_after_conflict(form, error, preview.existing.version if preview.existing else None)
        _carry(form, preview)
        return _preview_page(preview, form, ticked, status=error.status)
    commit()
    _flash_summary(result)
    return redirect(url_for("programme.framework", framework_id=result.framework.id))


def _carry(form: ImportPreviewForm, preview) -> None:
    """The hidden fields that travel with the preview: the sector, and for an update the
    version of the framework it was computed against."""
    values = {
        "sector_id": preview.sector.id if preview.sector else None,
        "update": "1" if preview.existing else "",
        "version": preview.existing.version if preview.existing else None,
    }
    for name, value in values.items():
        field = form[name]
        field.data = value
        field.raw_data = [] if value in (None, "") else [str(value)]


def _preview_page(preview, form: ImportPreviewForm, ticked: set[str], *, message=None, status=200):
    nodes = preview.nodes
    set_depth_choices(form, nodes)
    html = render_template(
        "programme/import_preview.html",
        preview=preview,
        form=form,
        rows=list(zip(preview.items, nodes, strict=True)),
        ticked=ticked,
        core_count=preview.core_count(ticked),
        depths=depths(nodes),
        warning=preview.warning(ticked),
        message=message,
        reason_text=reason_text,
        changed_fields=lambda codes: sorted({str(CHANGED_FIELDS.get(c, c)) for c in codes}),
    )
    return html, status


def _flash_summary(result) -> None:
    framework = result.framework
    core = sum(1 for c in framework.competencies if c.core)
    if result.created:
        flash(
            _(
                "Framework imported: %(total)d competencies, %(core)d core.",
                total=len(framework.competencies),
                core=core,
            ),
            "success",
        )
        return
    changes = result.changes.summary()
    flash(
        _(
            "Framework updated from the file: %(added)d added, %(changed)d changed, "
            "%(deleted)d deleted, %(kept)d kept although missing from the file; %(core)d core.",
            added=len(changes["added"]),
            changed=len(changes["changed"]),
            deleted=len(changes["deleted"]),
            kept=len(changes["kept"]),
            core=core,
        ),
        "success",
    )
    for kept in changes["kept"]:
        flash(
            _(
                "%(name)s (%(id)s) is missing from the file and was kept: %(reasons)s.",
                name=kept["short_name"],
                id=kept["idnumber"],
                reasons="; ".join(reason_text(code) for code in kept["reasons"]),
            ),
            "info",
        )
