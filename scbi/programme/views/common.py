"""What the programme's page modules share, below all of them (no import circle)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, url_for


def saved(message: str, endpoint: str, **values: Callable[[object], object]):
    """The ``done`` of a form page: flash ``message``, then go to ``endpoint`` with each
    URL value taken from the saved record (``sector_id=lambda s: s.id``)."""

    def done(obj):
        flash(message, "success")
        return redirect(url_for(endpoint, **{k: v(obj) for k, v in values.items()}))

    return done
