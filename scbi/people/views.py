"""The people-import page and its CSV templates (secretariat)."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.downloads import send_download
from scbi.forms import form_page
from scbi.people.forms import PeopleImportForm
from scbi.people.importer import import_people, template_file

bp = Blueprint("people", __name__)

# Each kind of import: its list, and its person's page with the page's id argument.
PAGES = {
    "coach": ("coaches.index", "coaches.detail", "coach_id"),
    "mentee": ("mentees.index", "mentees.detail", "mentee_id"),
}


@bp.route("/people/import", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def people_import():
    form = PeopleImportForm(kind=request.args.get("kind", "mentee"))

    def done(created):
        listed, page, key = PAGES[form.kind.data]
        return render_template(
            "people/imported.html",
            people=[(p, url_for(page, **{key: p.id})) for p in created],
            done_url=url_for(listed),
        )

    return form_page(
        form,
        "people/import.html",
        lambda v: import_people(v["file"].read(), kind=v["kind"], by=current_user),
        done,
    )


@bp.route("/people/import/template-<any(coach, mentee):kind>.csv")
@role_required(Role.SECRETARIAT)
def people_template(kind: str):
    return send_download(template_file(kind))
