"""Log pages: the coach's quick log, the log with its evidence and history, the mentee's
acknowledgement queue, and the managers' log list with verification and CSV export."""

from __future__ import annotations

from uuid import uuid4

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, managed_sector_ids, role_required
from scbi.dates import today
from scbi.downloads import send_download
from scbi.errors import ValidationFailed
from scbi.filters import chips
from scbi.forms import FORM_ERRORS, enum_choices, form_page
from scbi.programme.queries import choices
from scbi.transaction import commit, rollback
from scbi.transfer import queries
from scbi.transfer.forms import EvidenceForm, LogActionForm, LogForm, ResponseForm
from scbi.transfer.models import (
    SENT_LOG_STATUSES,
    ActivityType,
    LogStatus,
    Pairing,
    TransferLog,
)
from scbi.transfer.permissions import (
    can_add_evidence,
    can_edit_log,
    can_remove_evidence,
    can_respond_to_log,
    can_verify_log,
    can_write_log,
    require_log_writer,
)
from scbi.transfer.queries import evidence_or_404, log_or_404, pairing_or_404
from scbi.transfer.queries.export import logs_csv
from scbi.transfer.queries.log_filters import kept_filters, log_filter_words
from scbi.transfer.services import evidence as evidence_service
from scbi.transfer.services import logs, sending
from scbi.transfer.views.blueprint import bp


def _log_choices(form: LogForm, pairing: Pairing) -> None:
    on_plan, off_plan, planned = queries.log_competency_choices(pairing)
    form.competency_ids.choices = on_plan
    form.off_plan_ids.choices = off_plan
    form.planned = planned
    form.priority_result_id.choices = queries.result_choices(pairing)
    form.exchange_id.choices = [
        SelectChoice("", _("— none —")),
        *(SelectChoice(i, name) for i, name in queries.exchange_choices(pairing)),
    ]


def _defaults(pairing: Pairing) -> dict:
    """A quick log starts from today and the coach's last activity type and competencies."""
    data = {
        "activity_date": today(),
        "hours": 1,
        "activity_type": ActivityType.ON_THE_JOB,
        "client_key": uuid4().hex,
    }
    return data | queries.last_log_defaults(current_user, pairing)


def _log_page(form: LogForm, pairing: Pairing, log: TransferLog | None):
    """Save the draft (create or change it), and send it to the mentee when asked."""

    def save(values: dict) -> TransferLog:
        key = values.pop("client_key", None)
        sent = {
            "files": [(f.filename, f.stream.read()) for f in form.uploads()],
            "link": form.evidence_url.data or "",
            "submit": bool(form.submit_log.data),
        }
        if log is not None:
            logs.update_log(log, by=current_user, **values)
            sending.complete([log], by=current_user, **sent)
            return log
        offered = {c.value for c in form.session_pairing_ids.choices or []}
        partners = [
            pairing_or_404(current_user, pairing_id)
            for pairing_id in form.session_pairing_ids.data or []
            if pairing_id in offered
        ]
        return sending.send_quick_log(
            pairing,
            by=current_user,
            key=key,
            values=values,
            partners=partners,
            roles=form.session_roles(),
            **sent,
        )

    def done(saved: TransferLog):
        flash(
            _("Sent to %(name)s to acknowledge.", name=pairing.mentee.full_name)
            if saved.status == LogStatus.SUBMITTED
            else _("Draft saved."),
            "success",
        )
        return redirect(url_for("transfer.log", log_id=saved.id))

    return form_page(form, "transfer/log_edit.html", save, done, pairing=pairing, log=log)


@bp.route("/pairings/<int:pairing_id>/logs/new", methods=["GET", "POST"])
@role_required(Role.COACH)
def log_new(pairing_id: int):
    pairing = pairing_or_404(current_user, pairing_id)
    require_log_writer(current_user, pairing)
    if not can_write_log(current_user, pairing):
        flash(
            _("Logs are written while the pairing is active and the mentee is in the programme."),
            "warning",
        )
        return redirect(url_for("transfer.pairing", pairing_id=pairing.id))
    form = LogForm(data=_defaults(pairing)) if request.method == "GET" else LogForm()
    del form.version
    _log_choices(form, pairing)
    form.session_pairing_ids.choices = queries.session_partners(current_user, pairing)
    if request.method == "GET":  # a part for each mentee who may join the session
        for choice in form.session_pairing_ids.choices:
            form.session_parts.append_entry({"pairing_id": choice.value, "mentee_role": ""})
    return _log_page(form, pairing, None)


@bp.route("/logs/<int:log_id>/edit", methods=["GET", "POST"])
@role_required(Role.COACH)
def log_edit(log_id: int):
    log = log_or_404(current_user, log_id)
    if not can_edit_log(current_user, log):
        flash(_("This log cannot be changed now."), "warning")
        return redirect(url_for("transfer.log", log_id=log.id))
    if request.method == "GET":
        form = LogForm(
            data={**logs.content(log), "activity_date": log.activity_date, "version": log.version}
        )
    else:
        form = LogForm()
    _log_choices(form, log.pairing)
    form.session_pairing_ids.choices = []  # a group session is chosen when the log is new
    if request.method == "GET":
        chosen = set(form.competency_ids.data or [])
        form.off_plan_ids.data = [c for c in chosen if c not in form.planned]
        form.competency_ids.data = [c for c in chosen if c in form.planned]
    return _log_page(form, log.pairing, log)


def _act(log: TransferLog, action: LogActionForm, response_form: ResponseForm) -> None:
    """Do what the button pressed asks, through the rules of logs (which refuse whoever
    may not)."""
    if action.action.data == "respond" and response_form.validate_on_submit():
        change = logs.acknowledge_log if response_form.acknowledge.data else logs.dispute_log
        change(
            log,
            by=current_user,
            version=response_form.version.data,
            comment=response_form.comment.data or "",
        )
    elif action.action.data == "submit":
        logs.submit_log(log, by=current_user, version=action.version.data)
    elif action.action.data == "verify":
        logs.verify_log(log, by=current_user, version=action.version.data)
    else:
        raise ValidationFailed(_("Choose an action."))


@bp.route("/logs/<int:log_id>", methods=["GET", "POST"])
@role_required(*SIGNED_IN)
def log(log_id: int):
    """The log, its evidence and history; the mentee acknowledges or disputes here, the
    coach submits, a manager verifies."""
    log = log_or_404(current_user, log_id)
    response_form = ResponseForm(version=log.version if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        action = LogActionForm()
        try:
            _act(log, action, response_form)
        except FORM_ERRORS as error:
            rollback()
            response_form.apply(error)
            status = error.status
        else:
            commit()
            flash(_("Done: the log is now %(status)s.", status=log.status.label), "success")
            return redirect(action.back_to(url_for("transfer.log", log_id=log.id)))
    return render_template(
        "transfer/log.html",
        log=log,
        response_form=response_form,
        evidence_form=EvidenceForm(),
        can_edit=can_edit_log(current_user, log),
        can_remove_evidence=can_remove_evidence(current_user, log),
        can_add_evidence=can_add_evidence(current_user, log),
        can_respond=can_respond_to_log(current_user, log),
        can_verify=can_verify_log(current_user, log),
        exchange=queries.exchange_label(log),
    ), status


@bp.route("/logs/<int:log_id>/evidence", methods=["POST"])
@role_required(Role.COACH)
def log_evidence(log_id: int):
    log = log_or_404(current_user, log_id)
    form = EvidenceForm()
    if form.validate_on_submit():
        try:
            if form.file.data:
                evidence_service.add_file(
                    log,
                    by=current_user,
                    stream=form.file.data.stream,
                    filename=form.file.data.filename or "",
                    title=form.title.data or "",
                )
            else:
                evidence_service.add_link(
                    log, by=current_user, url=form.url.data or "", title=form.title.data or ""
                )
        except FORM_ERRORS as error:
            rollback()
            messages = [m for ms in error.fields.values() for m in ms] or [error.message]
            flash(" ".join(messages), "danger")
        else:
            commit()
            flash(_("Evidence attached."), "success")
    return redirect(url_for("transfer.log", log_id=log.id) + "#evidence")


@bp.route("/sessions/<int:session_id>")
@role_required(*SIGNED_IN)
def session(session_id: int):
    """A group session: its logs the reader may see, and who acknowledged."""
    session_logs = queries.session_logs_or_404(current_user, session_id)
    return render_template("transfer/session.html", logs=session_logs, session_id=session_id)


@bp.route("/evidence/<int:evidence_id>/remove", methods=["POST"])
@role_required(Role.COACH)
def evidence_remove(evidence_id: int):
    evidence = evidence_or_404(current_user, evidence_id)
    log_id = evidence.log_id
    try:
        evidence_service.remove_evidence(evidence, by=current_user)
    except FORM_ERRORS as error:
        rollback()
        flash(error.message, "danger")
    else:
        commit()
        flash(_("Evidence removed."), "success")
    return redirect(url_for("transfer.log", log_id=log_id) + "#evidence")


@bp.route("/evidence/<int:evidence_id>/download")
@role_required(*SIGNED_IN)
def evidence_download(evidence_id: int):
    """The file, to readers of the log only: an image or a PDF opens in the browser
    (sandboxed), anything else downloads."""
    evidence = evidence_or_404(current_user, evidence_id)
    return send_download(evidence_service.evidence_file(evidence, inline=True))


@bp.route("/my/logs")
@role_required(Role.MENTEE, Role.COACH)
def my_logs():
    """The mentee's logs to acknowledge first, then their history; a coach's own logs."""
    waiting, page = queries.own_logs(current_user, request.args)
    return render_template(
        "transfer/my_logs.html",
        page=page,
        waiting=waiting,
        respondable={
            entry.id for entry in (*waiting, *page.items) if can_respond_to_log(current_user, entry)
        },
        form=ResponseForm(),
    )


@bp.route("/logs")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def logs_list():
    """Logs across the user's sectors, filtered for sampling and verification."""
    page = queries.log_list(current_user, request.args)
    return render_template(
        "transfer/logs.html",
        page=page,
        chips=chips(log_filter_words(request.args, current_user)),
        kept=kept_filters(request.args),
        verifying=request.args.get("status") == LogStatus.ACKNOWLEDGED,
        verifiable={entry.id for entry in page.items if can_verify_log(current_user, entry)},
        sectors=choices.sectors(_("All sectors"), managed_sector_ids(current_user)),
        statuses=[SelectChoice("", _("Any")), *enum_choices(LogStatus, SENT_LOG_STATUSES)],
    )


@bp.route("/logs/verify", methods=["POST"])
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def logs_verify():
    """Verify the logs ticked in the verification queue (each with the version read), then
    go back to the queue as it was filtered (CSRF is checked for every POST)."""
    back = request.form.get("next", "")
    if not back.startswith("/logs?"):  # only back to the list itself, never elsewhere
        back = url_for("transfer.logs_list", status="acknowledged")
    read = {}
    for value in request.form.getlist("verify"):
        log_id, _sep, version = value.partition(":")
        if log_id.isdecimal() and version.isdecimal():
            read[int(log_id)] = int(version)
    found = queries.logs_by_id(current_user, read)  # the user's own scope: others are not found
    if not found:
        flash(_("Tick the logs you have read and found right."), "warning")
        return redirect(back)
    refused = logs.verify_logs([(log, read[log.id]) for log in found], by=current_user)
    commit()
    verified = len(found) - len(refused)
    if verified:
        flash(ngettext("%(num)d log verified.", "%(num)d logs verified.", verified), "success")
    for log, reason in refused:
        message = _("“%(title)s” was not verified: %(reason)s", title=log.title, reason=reason)
        flash(message, "warning")
    return redirect(back)


@bp.route("/logs/export.csv")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def logs_export():
    return send_download(logs_csv(queries.filtered_logs(current_user, request.args)))
