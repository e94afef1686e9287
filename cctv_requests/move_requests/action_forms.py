"""One form for each action on a request. Each field is named as the engine's
data key, so ``engine_data()`` hands the answers straight to the guards;
``refusal_field`` is where a guard's refusal shows."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..forms import (
    ChoicesField,
    Chosen,
    GovDateField,
    InRange,
    ListSelectField,
    MoneyField,
    VersionedForm,
    WholeNumberField,
    strip,
)
from ..models.requests import REQUEST_SECTIONS

NOT_DATA = ("csrf_token", "version", "submit")

# The field a guard's refusal belongs to, where the form has it (QUALITY.md
# INP-3: the error names and links to the answer to change).
GUARD_FIELDS = {
    "votes_add_up": "votes_for",
    "majority_for": "votes_for",
    "period_valid": "start",
    "camera_available": "camera_id",
    "reason_given": "reason",
    "review_recorded": "review_due",
    "meeting_accepts_items": "meeting_id",
    "installation_in_period": "installation_date",
    "removal_recorded": "removed_on",
    "recordings_kept": "recordings_kept_until",
}


def _reason(label="Reason", hint="", required=True, message="Enter the reason"):
    validators = [Length(max=4000, message=f"{label} must be 4,000 characters or fewer")]
    if required:
        validators.insert(0, DataRequired(message=message))
    return TextAreaField(
        _asked(label, required),
        description=hint,
        widget=GovTextArea(),
        filters=[strip],
        validators=validators,
    )


def _asked(label: str, required) -> str:
    # GOV.UK: mark the questions that may be left blank, not the others.
    return label if required else f"{label} (optional)"


def _date(label, missing, hint=""):
    """A date the form needs; with ``missing`` empty, one it may leave blank."""
    return GovDateField(
        label,
        description=hint,
        invalid_message=f"{label.removesuffix(' (optional)')} must be a real date",
        validators=[InputRequired(message=missing)] if missing else [Optional()],
    )


def _text(label, missing, max_length):
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message=missing),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
        ],
    )


def _confirm(label, missing):
    return BooleanField(label, widget=GovCheckboxInput(), validators=[DataRequired(message=missing)])


def _votes(label):
    return WholeNumberField(
        _asked(label, False),
        widget=GovTextInput(),
        description="Leave blank if no vote was taken",
        validators=[InRange(0, 50, message=f"{label} must be a number between 0 and 50")],
        invalid_message=f"{label} must be a whole number, like 3",
    )


def _count(label, missing, short):
    return WholeNumberField(
        label,
        widget=GovTextInput(),
        invalid_message=f"{short} must be a whole number, like 12",
        validators=[
            InputRequired(message=missing),
            InRange(0, 100000, message=f"{short} must be between 0 and 100,000"),
        ],
    )


class ActionForm(VersionedForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())
    refusal_field = "submit"

    def engine_data(self) -> dict:
        return {field.name: field.data for field in self if field.name not in NOT_DATA}

    def add_refusal(self, message: str, guard: str | None = None) -> None:
        """Show a refusal at the field it is about, else at ``refusal_field``."""
        name = GUARD_FIELDS.get(guard, self.refusal_field)
        field = self[name] if name in self else self[self.refusal_field]
        field.errors = list(field.errors) + [message]


class ConfirmActionForm(ActionForm):
    """Actions that ask for nothing but a confirmation (submit, endorse)."""


class ReasonForm(ActionForm):
    reason = _reason()
    refusal_field = "reason"


def _sections():
    return ChoicesField(
        "Sections that need changes (optional)",
        invalid_message="Select the sections that need changes from the list",
        widget=GovCheckboxesInput(),
        choices=list(REQUEST_SECTIONS.items()),
        description="The requester sees these marked on their task list. Select all that apply.",
    )


class ReturnForm(ReasonForm):
    """Return for changes: the reason, and which parts of the form it is
    about, if the sponsor says."""

    sections = _sections()


class _VotesForm(ActionForm):
    votes_for = _votes("Votes for")
    votes_against = _votes("Votes against")
    votes_abstain = _votes("Abstentions")


class DecisionReasonForm(_VotesForm):
    """Reject, defer, return, end a deployment or do not ratify, at a
    meeting: votes and reasons."""

    reason = _reason()
    refusal_field = "reason"


class ReturnDecisionForm(DecisionReasonForm):
    """Return for changes at a meeting: votes, reasons and the sections."""

    sections = _sections()


class RatifyForm(_VotesForm):
    reason = _reason("Reasons for the decision", required=False)
    refusal_field = "votes_for"


class BoardReviewForm(_VotesForm):
    reason = _reason("Findings of the review", message="Enter the findings of the review")
    review_due = _date("Next review due", "Enter the next review date")
    refusal_field = "review_due"


class PlaceOnAgendaForm(ActionForm):
    meeting_id = ListSelectField(
        "Meeting", widget=GovSelect(), validators=[Chosen("Select a meeting")], placeholder="Select a meeting"
    )
    refusal_field = "meeting_id"

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting_id.choices = [(m.id, f"{m.meets_on:%-d %B %Y} ({_agenda_state(m)})") for m in meetings]


def _agenda_state(meeting) -> str:
    if meeting.status == "published":
        return "agenda published: late items only"
    return f"papers cut-off {meeting.cutoff_on:%-d %B %Y}"


class _CameraForm(ActionForm):
    camera_id = ListSelectField(
        "Camera", widget=GovSelect(), validators=[Chosen("Select a camera")], placeholder="Select a camera"
    )
    refusal_field = "camera_id"

    def __init__(self, *args, cameras=(), notes=None, **kwargs):
        super().__init__(*args, **kwargs)
        notes = notes or {}
        self.camera_id.choices = [
            (c.id, f"{c.label}, {notes[c.id]}" if c.id in notes else c.label) for c in cameras
        ]


class _BookingForm(_CameraForm):
    start = _date("Start of the deployment period", "Enter the start of the deployment period")
    end = _date("End of the deployment period", "Enter the end of the deployment period")

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("End of the deployment period must be the same as or after its start")


class ApproveForm(_BookingForm):
    votes_for = _votes("Votes for")
    votes_against = _votes("Votes against")
    votes_abstain = _votes("Abstentions")
    conditions = _reason(
        "Conditions",
        hint="Leave blank if there are none. For example: mask the windows of numbers 2 to 8",
        required=False,
    )
    reason = _reason("Reasons for the decision", required=False)


class UrgentApproveForm(_BookingForm):
    reason = _reason(
        "Why this cannot wait for the next meeting",
        message="Enter why this cannot wait for the next meeting",
    )


def _cost(label, missing, required=True, hint=""):
    """An amount of money; ``label`` names it in its messages, and the form
    shows it with "in pounds"."""
    validators = [InRange(0, 1000000, message=f"{label} must be between £0 and £1,000,000")]
    validators.insert(0, InputRequired(message=missing) if required else Optional())
    return MoneyField(
        _asked(f"{label}, in pounds", required),
        widget=GovTextInput(),
        description=hint,
        places=2,
        invalid_message=f"{label} must be an amount in pounds, like 850 or 850.50",
        pence_message=f"{label} must be in pounds and pence, like 850 or 850.50",
        validators=validators,
    )


class ScheduleForm(_CameraForm):
    installation_date = _date("Installation date", "Enter the installation date")
    installer = _text("Installer", "Enter the installer", 120)
    installation_cost = _cost("Cost of the installation", "Enter the cost of the installation")


class InstallForm(ActionForm):
    installed_on = _date("Date installed", "Enter the date the camera was installed")
    dpia_reference = _text(
        "DPIA or location annex reference", "Enter the DPIA or location annex reference", 60
    )
    signage_confirmed = _confirm(
        "The signs are up, as the signage plan says", "Confirm that the signs are up"
    )
    actual_cost = _cost(
        "Actual cost of the move",
        "Enter the actual cost of the move",
        required=False,
        hint="Leave blank if it was the cost booked with the installer",
    )
    review_due = _date(
        "Review due", "Enter the review date", hint="When the board should next review this deployment"
    )
    refusal_field = "installed_on"


class ReviewForm(ActionForm):
    reason = _reason("Findings of the review", message="Enter the findings of the review")
    review_due = _date("Next review due", "Enter the next review date")
    refusal_field = "review_due"


class RemovalForm(ActionForm):
    removed_on = _date("Date removed", "Enter the date the camera was removed")
    signs_removed = _confirm("The signs have been removed", "Confirm that the signs have been removed")
    recordings_kept_until = _date(
        "Recordings kept until (optional)",
        "",
        hint="The date the recordings from this deployment will be deleted. "
        "Leave blank for the usual period after the removal date",
    )
    recordings_note = _reason(
        "Recordings kept beyond that date",
        hint="Leave blank if none. For example: footage of 3 May kept for the police, reference 41/1234/27",
        required=False,
    )
    refusal_field = "removed_on"


class EvaluationForm(ActionForm):
    incidents_before = _count(
        "Incidents before the deployment",
        "Enter the number of incidents before",
        "Incidents before",
    )
    incidents_during = _count(
        "Incidents during the deployment", "Enter the number of incidents during", "Incidents during"
    )
    incidents_after = _count(
        "Incidents after the deployment",
        "Enter the number of incidents after",
        "Incidents after",
    )
    notes = _reason("Evaluation notes", required=False)
    refusal_field = "incidents_before"


# The form for each trigger; meeting decisions add votes.
ACTION_FORMS = {
    "submit": ConfirmActionForm,
    "endorse": ConfirmActionForm,
    "return_for_changes": ReturnForm,
    "decline": ReasonForm,
    "withdraw": ReasonForm,
    "place_on_agenda": PlaceOnAgendaForm,
    "defer": DecisionReasonForm,
    "approve": ApproveForm,
    "reject": DecisionReasonForm,
    "approve_urgently": UrgentApproveForm,
    "schedule_installation": ScheduleForm,
    "record_installation": InstallForm,
    "continue_deployment": ReviewForm,
    "end_deployment": RemovalForm,
    "cancel": ReasonForm,
    "continue_at_review": BoardReviewForm,
    "end_at_review": DecisionReasonForm,
    "ratify": RatifyForm,
    "not_ratify": DecisionReasonForm,
    "record_evaluation": EvaluationForm,
}


class SponsorForm(VersionedForm):
    sponsor_id = ListSelectField(
        "New sponsor",
        widget=GovSelect(),
        validators=[Chosen("Select the new sponsor")],
        placeholder="Select a sponsor",
    )
    submit = SubmitField("Change sponsor", widget=GovSubmitInput())

    def __init__(self, *args, sponsors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sponsor_id.choices = [
            (s.id, f"{s.name}, {s.organisation}" if s.organisation else s.name) for s in sponsors
        ]
