from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import HiddenInput

from scbi.forms import BaseForm, MultiCheckboxField, RefField, VersionField, enum_choices
from scbi.programme.forms import level_choices
from scbi.transfer.models import (
    EVIDENCE,
    LOG,
    LOG_RESPONSE,
    PAIRING,
    PAIRING_END,
    PLAN_DECISION,
    PLAN_ITEM,
    ActivityType,
    MenteeRole,
    PairingStatus,
)


class PairingForm(BaseForm):
    coach_id = RefField(_l("Coach"), validators=[InputRequired()])
    mentee_id = RefField(_l("Mentee"), validators=[InputRequired()])
    phase_id = RefField(_l("Phase"), validators=[InputRequired()])
    sector_id = RefField(
        _l("Sector"),
        validators=[Optional()],
        description=_l(
            "Normally the mentee's sector. Left empty, the sector the coach and the mentee share."
        ),
    )
    start_date = DateField(_l("Starts on"), validators=[InputRequired()])
    planned_end_date = DateField(
        _l("Planned to end on"),
        validators=[InputRequired()],
        description=_l("Inside the phase and the coach's contract."),
    )
    cross_sector_reason = TextAreaField(
        _l("Why another sector than the mentee's?"),
        validators=PAIRING["cross_sector_reason"].validators(),
        description=_l("Only when the pairing's sector is not the mentee's."),
    )


class PairingEndForm(BaseForm):
    status = SelectField(
        _l("Outcome"),
        choices=[
            SelectChoice(PairingStatus.COMPLETED.value, _l("Completed — the plan ran its course")),
            SelectChoice(PairingStatus.TERMINATED.value, _l("Terminated — ended early")),
        ],
    )
    end_date = DateField(_l("Ended on"), validators=[InputRequired()])
    reason = TextAreaField(
        _l("Reason"),
        # InputRequired (not the limit's DataRequired): spaces alone reach the service,
        # which refuses them
        validators=[InputRequired(), *PAIRING_END["reason"].validators(required=False)],
    )
    version = VersionField()


class PairingActionForm(BaseForm):
    version = VersionField()


ACTIVITY_CHOICES = enum_choices(ActivityType)


class PlanItemForm(Form):
    """One row of a plan (a sub-form: the plan form carries the CSRF token)."""

    competency_id = RefField(_l("Competency"), validators=[Optional()])
    baseline_level = SelectField(_l("Baseline"), choices=level_choices(0, 3), coerce=int, default=1)
    target_level = SelectField(_l("Target"), choices=level_choices(1), coerce=int, default=3)
    target_date = DateField(_l("By"), validators=[Optional()])
    methods = MultiCheckboxField(_l("Transfer methods"), choices=ACTIVITY_CHOICES)
    expected_evidence = TextAreaField(
        _l("Evidence that will show the skill was transferred"),
        # required by the service, which names the row that lacks it
        validators=PLAN_ITEM["expected_evidence"].validators(required=False),
    )
    priority_result_id = RefField(_l("Priority result it serves"), validators=[Optional()])


class PlanForm(BaseForm):
    items = FieldList(FormField(PlanItemForm))
    version = VersionField()
    submit_plan = SubmitField(_l("Save and submit for approval"))
    save = SubmitField(_l("Save draft"))

    def item_rows(self) -> tuple[list[dict], list[int]]:
        """The filled rows as service items, and the form row of each."""
        rows, index = [], []
        for n, entry in enumerate(self.items.entries):
            data = entry.form.data
            if not data.get("competency_id"):
                continue
            rows.append({k: v for k, v in data.items() if k != "csrf_token"})
            index.append(n)
        return rows, index


class DecisionForm(BaseForm):
    comment = TextAreaField(
        _l("Comment"),
        validators=PLAN_DECISION["comment"].validators(),
        description=_l("Required when returning the plan: say what to fix."),
    )
    version = VersionField()
    approve = SubmitField(_l("Approve"))
    send_back = SubmitField(_l("Return to the coach"))


class SessionPartForm(Form):
    """One more mentee of a group session: their part when it is not the form's."""

    pairing_id = HiddenField()
    mentee_role = SelectField(
        _l("Their part"),
        choices=[SelectChoice("", _l("As above")), *enum_choices(MenteeRole)],
    )


class LogForm(BaseForm):
    activity_date = DateField(_l("Date"), validators=[InputRequired()])
    hours = DecimalField(
        _l("Hours"),
        places=2,
        # no NumberRange: the service refuses hours out of range in its own words
        validators=[InputRequired()],
        render_kw={**LOG["hours"].render_kw(), "inputmode": "decimal"},
    )
    activity_type = SelectField(_l("Activity"), choices=ACTIVITY_CHOICES)
    mentee_role = RadioField(
        _l("The mentee's part"),
        choices=enum_choices(MenteeRole),
        validators=[InputRequired()],
    )
    competency_ids = MultiCheckboxField(_l("Competencies of the plan"), coerce=int)
    title = StringField(_l("What was done"), validators=LOG["title"].validators())
    description = TextAreaField(_l("Details"), validators=LOG["description"].validators())
    off_plan_ids = SelectMultipleField(
        _l("Other competencies (off-plan)"), coerce=int, validate_choice=False
    )
    off_plan_reason = TextAreaField(
        _l("Why off-plan"), validators=LOG["off_plan_reason"].validators()
    )
    priority_result_id = RefField(
        _l("Priority result it served"),
        validators=[Optional()],
        description=_l("The government priority result of the sector this work served, if any."),
    )
    exchange_id = RefField(
        _l("Peer exchange"),
        validators=[Optional()],
        description=_l("For a peer-exchange activity: the exchange the mentee took part in."),
    )
    version = VersionField()
    # A group session: the same activity logged for other mentees of the coach too.
    session_pairing_ids = MultiCheckboxField(
        _l("Also with"),
        coerce=int,
        description=_l(
            "One activity with several of your mentees: each gets a log of their own, to "
            "acknowledge or dispute. Choose a mentee's part beside their name when it is not "
            "the one above."
        ),
    )
    session_parts = FieldList(FormField(SessionPartForm))
    # Evidence sent with the log: a photo from the phone's camera, files, a link.
    evidence_photo = FileField(
        _l("Take a photo"), render_kw={"accept": "image/*", "capture": "environment"}
    )
    evidence_files = MultipleFileField(
        _l("Attach files"),
        description=_l("PDF, Office, image, CSV or text; 10 MB at most each."),
    )
    evidence_url = StringField(
        _l("…or a link"), validators=[Optional(), *EVIDENCE["url"].validators(required=False)]
    )
    # A new log's key, made when the form is shown: sending the form twice (a double tap,
    # a retry on a weak connection) makes one log.
    client_key = HiddenField()
    save = SubmitField(_l("Save draft"))
    submit_log = SubmitField(_l("Save and send to the mentee"))

    def values(self) -> dict:
        data = super().values()
        data["competency_ids"] = sorted(
            set(data.pop("competency_ids") or []) | set(data.pop("off_plan_ids") or [])
        )
        data.pop("save", None)
        data.pop("submit_log", None)
        for name in (
            "evidence_photo",
            "evidence_files",
            "evidence_url",
            "session_pairing_ids",
            "session_parts",
        ):
            data.pop(name, None)
        return data

    def session_roles(self) -> dict[int, str]:
        """The part of each other mentee of a session whose part differs from the form's."""
        roles = {}
        for entry in self.session_parts:
            pairing_id, role = entry.form.pairing_id.data, entry.form.mentee_role.data
            if role and str(pairing_id or "").isdigit():
                roles[int(pairing_id)] = role
        return roles

    def uploads(self) -> list:
        """The files sent with the form (the photo and the others), empty inputs left out."""
        sent = [self.evidence_photo.data, *(self.evidence_files.data or [])]
        return [f for f in sent if f and getattr(f, "filename", "")]


class ResponseForm(BaseForm):
    comment = TextAreaField(_l("Comment"), validators=LOG_RESPONSE["comment"].validators())
    version = VersionField()
    acknowledge = SubmitField(_l("Acknowledge"))
    dispute = SubmitField(_l("Dispute"))


class LogActionForm(BaseForm):
    """Which button of a log's page (or of the mentee's queue) was pressed: ``respond``
    (the ResponseForm says how), ``submit`` or ``verify``; the version read, checked when
    sent; and the page of one's own to go back to."""

    action = HiddenField()
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    next = HiddenField()

    def back_to(self, default: str) -> str:
        """Where to go once done: the ``next`` page when it is one of the user's own
        (``/my/…``, never another site), else ``default``."""
        target = self.next.data or ""
        return target if target.startswith("/my/") else default


class EvidenceForm(BaseForm):
    file = FileField(_l("File"), description=_l("PDF, Office, image, CSV or text; 10 MB at most."))
    # a file or a link: the service asks for the link's address and title when it is a link
    url = StringField(
        _l("…or a link"), validators=[Optional(), *EVIDENCE["url"].validators(required=False)]
    )
    title = StringField(_l("Title"), validators=EVIDENCE["title"].validators(required=False))
