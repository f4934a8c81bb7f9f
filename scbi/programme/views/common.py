"""What the programme's page modules share, below all of them (no import circle): the
``done`` of their form pages, and the core choice of the framework page and of the
import preview."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from scbi.errors import Conflict, ValidationFailed
from scbi.programme.core_choice import Node, apply_selection, depths
from scbi.programme.forms import CoreSelectionForm


def saved(message: str, endpoint: str, **values: Callable[[object], object]):
    """The ``done`` of a form page: flash ``message``, then go to ``endpoint`` with each
    URL value taken from the saved record (``sector_id=lambda s: s.id``)."""

    def done(obj):
        flash(message, "success")
        return redirect(url_for(endpoint, **{k: v(obj) for k, v in values.items()}))

    return done


# --- the core choice, on the framework page and the import preview ---------------------


def set_depth_choices(form: CoreSelectionForm, nodes: list[Node]) -> None:
    form.depth.choices = [("", _("— choose —"))] + [
        (
            str(depth),
            ngettext(
                "Depth %(depth)d — %(num)d competency",
                "Depth %(depth)d — %(num)d competencies",
                count,
                depth=depth,
            ),
        )
        for depth, count in depths(nodes)
    ]


def select_ticks(form: CoreSelectionForm, nodes: list[Node], ticked: set[str]):
    """The ticks after the selection button pressed, a message saying what it did, and
    the status (422 when the selection misses its search text or depth)."""
    try:
        after, count = apply_selection(
            nodes, ticked, form.selection.data, depth=form.depth.data, search=form.search.data
        )
    except ValidationFailed as error:
        form.apply(error)
        return ticked, None, 422
    if not count:
        return after, _("No competency matches this selection; the ticks are unchanged."), 200
    if form.selection.data.startswith("tick-"):
        text = ngettext(
            "%(num)d competency matches and is ticked; %(total)d ticked in all. "
            "Nothing is saved yet.",
            "%(num)d competencies match and are ticked; %(total)d ticked in all. "
            "Nothing is saved yet.",
            count,
            total=len(after),
        )
    else:
        text = ngettext(
            "%(num)d competency matches and is unticked; %(total)d ticked in all. "
            "Nothing is saved yet.",
            "%(num)d competencies match and are unticked; %(total)d ticked in all. "
            "Nothing is saved yet.",
            count,
            total=len(after),
        )
    return after, text, 200


def keep_after_conflict(form: CoreSelectionForm, error, version: int | None) -> None:
    """Show a refusal beside the fields. When the framework changed meanwhile, the ticks
    stay and the form takes the current version: the page shows what is saved now
    beside them, and saving again applies them knowingly."""
    if isinstance(error, Conflict):
        form.add_error(
            _(
                "Someone else changed this framework while you were choosing. Your ticks are "
                "kept below beside what is saved now; check them and save again to apply them."
            )
        )
        if version is not None:
            form.version.data, form.version.raw_data = version, [str(version)]
        return
    form.apply(error)
