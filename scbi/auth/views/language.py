"""The language switcher: a form on every page (the sign-in page too), one button a
language; signed in, the choice is saved on the account (and used for the person's
mails), otherwise in this browser's session."""

from __future__ import annotations

from flask import redirect, session, url_for
from flask_login import current_user

from scbi.auth import preferences
from scbi.auth.forms import LanguageForm
from scbi.auth.views.blueprint import bp
from scbi.auth.views.sign_in import safe_next
from scbi.i18n import SESSION_KEY, known
from scbi.transaction import commit


@bp.route("/language", methods=["POST"])
def language():
    form = LanguageForm()
    chosen = known(form.language.data) if form.validate_on_submit() else None
    if chosen:
        session[SESSION_KEY] = chosen
        if current_user.is_authenticated:
            preferences.set_language(current_user._get_current_object(), chosen)
            commit()
    return redirect(safe_next(form.next.data) or url_for("main.home"))
