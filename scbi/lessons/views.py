"""The register's pages: the search, an entry's tags, and the "learnt before" an
engagement's page shows (its answer to ``engagements.page``)."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from scbi.auth.forms import ConfirmForm
from scbi.auth.permissions import managed_sector_ids, role_required
from scbi.engagements import views as engagement_pages
from scbi.filters import chips
from scbi.forms import enum_choices, form_page
from scbi.hooks import Part, Section
from scbi.lessons import services
from scbi.lessons.forms import TagForm
from scbi.lessons.models import LessonSource
from scbi.lessons.permissions import READERS, can_read_register, can_tag, require_tagger
from scbi.lessons.queries.entries import Entry, entries, learnt_before, source_url
from scbi.lessons.queries.search import Search, search_query
from scbi.lessons.queries.tags import (
    entry_or_404,
    problem_tags,
    register_competencies,
    tag_competency_choices,
    tag_or_404,
)
from scbi.pagination import paginate_rows
from scbi.programme.queries import choices
from scbi.transaction import commit

bp = Blueprint("lessons", __name__)


@bp.app_template_filter("marked")
def marked(text: str, words) -> Markup:
    """``text``, escaped, with each of ``words`` (matched as the search matches them: as
    parts of words, whatever the case) in ``<mark>``."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, at = [], 0
    for found in pattern.finditer(text):
        out += [escape(text[at : found.start()]), Markup("<mark>%s</mark>") % found.group()]
        at = found.end()
    out.append(escape(text[at:]))
    return Markup("").join(out)


def _chips(search: Search, sectors: list[SelectChoice], competencies: list[SelectChoice]):
    """The search's filters in words (from the choices already read: no statement)."""
    named = []
    if search.words:
        named.append((("q",), _("Words: %(words)s", words=" ".join(search.words))))
    if search.sector_ids:
        names = [c.label for c in sectors if c.value in search.sector_ids]
        named.append((("sector_id",), _("Sectors: %(names)s", names=", ".join(names))))
    if search.competency_id:
        name = next((c.label for c in competencies if c.value == search.competency_id), "")
        named.append((("competency_id",), _("Competency: %(name)s", name=name)))
    if search.source:
        named.append((("source",), search.source.label))
    if search.tag:
        named.append((("tag",), _("Problem: %(tag)s", tag=search.tag)))
    if search.start or search.end:
        named.append((("from", "to"), _dated(search)))
    return chips(named)


def _dated(search: Search) -> str:
    if search.start and search.end:
        return _(
            "From %(start)s to %(end)s",
            start=format_date(search.start),
            end=format_date(search.end),
        )
    if search.start:
        return _("On or after %(start)s", start=format_date(search.start))
    return _("On or before %(end)s", end=format_date(search.end))


@bp.route("/lessons")
@role_required(*READERS)
def index():
    """The register: every entry the user may read, or those a search finds, best first."""
    search = Search.of(request.args)
    page = paginate_rows(search_query(current_user, search))
    found = entries(page.items)
    sectors = choices.sectors(None, managed_sector_ids(current_user))
    competencies = register_competencies(current_user, _("Any competency"))
    return render_template(
        "lessons/index.html",
        page=page,
        entries=found,
        search=search,
        urls={e.key: source_url(e) for e in found},
        taggable={e.key for e in found if can_tag(current_user, e.sector_ids)},
        chips=_chips(search, sectors, competencies),
        sectors=sectors,
        competencies=competencies,
        sources=[SelectChoice("", _("Every source")), *enum_choices(LessonSource)],
        tags=[
            SelectChoice("", _("Any problem")),
            *(SelectChoice(t, t) for t in problem_tags(current_user)),
        ],
    )


def _back(entry: Entry) -> str:
    return url_for("lessons.tags", source=entry.source.value, source_id=entry.source_id)


@bp.route("/lessons/<source>/<int:source_id>/tags", methods=["GET", "POST"])
@role_required(*READERS)
def tags(source: str, source_id: int):
    """An entry's tags: add a problem or a competency, take one off."""
    entry = entry_or_404(current_user, source, source_id)
    require_tagger(current_user, entry.sector_ids)
    form = TagForm()
    form.competency_id.choices = tag_competency_choices(entry, _("Choose a competency"))

    def done(tag):
        flash(_("The entry is tagged “%(tag)s”.", tag=tag.label), "success")
        return redirect(_back(entry))

    return form_page(
        form,
        "lessons/tags.html",
        lambda v: services.add_tag(entry, by=current_user, **v),
        done,
        entry=entry,
        source_url=source_url(entry),
        suggestions=problem_tags(current_user),
        remove_form=ConfirmForm(),
    )


@bp.post("/lesson-tags/<int:lesson_tag_id>/remove")
@role_required(*READERS)
def remove_tag(lesson_tag_id: int):
    tag, entry = tag_or_404(current_user, lesson_tag_id)
    if ConfirmForm().validate_on_submit():
        label = tag.label
        services.remove_tag(tag, entry, by=current_user)  # only a tagger's: else 403
        commit()
        flash(_("The tag “%(tag)s” is taken off.", tag=label), "info")
    return redirect(_back(entry))


@engagement_pages.page.answer
def _learnt_before(user, engagement) -> Part:
    """On an engagement's page, for those who read the register: the entries of its sector
    that the words of its problem find, and the register opened on that search."""
    if not can_read_register(user):
        return Part()
    search, found = learnt_before(user, engagement)
    words = " ".join(search.words)
    context = {
        "found": [(e, source_url(e)) for e in found],
        "in_sector": url_for("lessons.index", q=words, sector_id=engagement.sector_id),
        "everywhere": url_for("lessons.index", q=words),
    }
    return Part(sections=(Section(_("Learnt before"), "lessons/_learnt_before.html", context),))
