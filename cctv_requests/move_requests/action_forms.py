"""One form for each action on a request. ``engine_data()`` gives the engine
what the guards check; ``refusal_field`` is where a guard's refusal shows."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ..forms import GovDateField, InRange, ListSelectField, MoneyField, VersionedForm, WholeNumberField, strip


def _reason(label="Reason", hint="", required=True, message="Enter the reason"):
    validators = [Length(max=4000, message=f"{label} must be 4,000 characters or fewer")]
    if required:
        validators.insert(0, DataRequired(message=message))
    return TextAreaField(
        label, description=hint, widget=GovTextArea(), filters=[strip], validators=validators
    )


def _votes(label):
    return WholeNumberField(
        label,
        widget=GovTextInput(),
        description="Leave blank if no vote was taken",
        validators=[InRange(0, 50, message=f"{label} must be a number between 0 and 50")],
        invalid_message=f"{label} must be a whole number, like 3",
    )


def _camera_field():
    return ListSelectField(
        "Camera",
        widget=GovSelect(),
        validators=[DataRequired(message="Select a camera")],
    )


class ActionForm(VersionedForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())
    refusal_field = "submit"

    def engine_data(self) -> dict:
        return {}

    def add_refusal(self, message: str) -> None:
        field = self[self.refusal_field]
        field.errors = list(field.errors) + [message]


class ConfirmActionForm(ActionForm):
    """Actions that ask for nothing but a confirmation (submit, endorse)."""


class ReasonForm(ActionForm):
    reason = _reason()
    refusal_field = "reason"

    def engine_data(self):
        return {"reason": self.reason.data}


class PlaceOnAgendaForm(ActionForm):
    meeting_id = ListSelectField(
        "Meeting",
        widget=GovSelect(),
        validators=[DataRequired(message="Select a meeting")],
    )
    refusal_field = "meeting_id"

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting_id.choices = [(0, "Select a meeting")] + [
            (m.id, f"{m.meets_on:%-d %B %Y} (papers cut-off {m.cutoff_on:%-d %B %Y})") for m in meetings
        ]

    def engine_data(self):
        return {"meeting_id": self.meeting_id.data}


class _BookingForm(ActionForm):
    camera_id = _camera_field()
    start = GovDateField(
        "Start of the deployment period",
        invalid_message="Start of the deployment period must be a real date",
        validators=[InputRequired(message="Enter the start of the deployment period")],
    )
    end = GovDateField(
        "End of the deployment period",
        invalid_message="End of the deployment period must be a real date",
        validators=[InputRequired(message="Enter the end of the deployment period")],
    )
    refusal_field = "camera_id"

    def __init__(self, *args, cameras=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.camera_id.choices = [(0, "Select a camera")] + [(c.id, c.label) for c in cameras]

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("End of the deployment period must be after its start")

    def engine_data(self):
        return {"camera_id": self.camera_id.data, "start": self.start.data, "end": self.end.data}


class ApproveForm(_BookingForm):
    votes_for = _votes("Votes for")
    votes_against = _votes("Votes against")
    votes_abstain = _votes("Abstentions")
    reason = _reason("Reasons for the decision", required=False)

    def engine_data(self):
        return {
            **super().engine_data(),
            "votes_for": self.votes_for.data,
            "votes_against": self.votes_against.data,
            "votes_abstain": self.votes_abstain.data,
            "reason": self.reason.data,
        }


class DecisionReasonForm(ReasonForm):
    """Reject, defer or return at a meeting: reasons and votes."""

    votes_for = _votes("Votes for")
    votes_against = _votes("Votes against")
    votes_abstain = _votes("Abstentions")

    def engine_data(self):
        return {
            "reason": self.reason.data,
            "votes_for": self.votes_for.data,
            "votes_against": self.votes_against.data,
            "votes_abstain": self.votes_abstain.data,
        }


class UrgentApproveForm(_BookingForm):
    reason = _reason(
        "Why this cannot wait for the next meeting",
        message="Enter why this cannot wait for the next meeting",
    )

    def engine_data(self):
        return {**super().engine_data(), "reason": self.reason.data}


class ScheduleForm(ActionForm):
    camera_id = _camera_field()
    installation_date = GovDateField(
        "Installation date",
        invalid_message="Installation date must be a real date",
        validators=[InputRequired(message="Enter the installation date")],
    )
    installer = StringField(
        "Installer",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter the installer"),
            Length(max=120, message="Installer must be 120 characters or fewer"),
        ],
    )
    installation_cost = MoneyField(
        "Cost of the installation, in pounds",
        widget=GovTextInput(),
        places=2,
        invalid_message="Cost must be an amount in pounds, like 850 or 850.50",
        validators=[
            InputRequired(message="Enter the cost of the installation"),
            NumberRange(min=0, max=1000000, message="Cost must be between £0 and £1,000,000"),
        ],
    )
    refusal_field = "camera_id"

    def __init__(self, *args, cameras=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.camera_id.choices = [(0, "Select a camera")] + [(c.id, c.label) for c in cameras]

    def engine_data(self):
        return {
            "camera_id": self.camera_id.data,
            "installation_date": self.installation_date.data,
            "installer": self.installer.data,
            "installation_cost": self.installation_cost.data,
        }


class InstallForm(ActionForm):
    installed_on = GovDateField(
        "Date installed",
        invalid_message="Date installed must be a real date",
        validators=[InputRequired(message="Enter the date the camera was installed")],
    )
    dpia_reference = StringField(
        "DPIA reference",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter the DPIA reference"),
            Length(max=60, message="DPIA reference must be 60 characters or fewer"),
        ],
    )
    signage_confirmed = BooleanField(
        "The signs are up",
        widget=GovCheckboxInput(),
        validators=[DataRequired(message="Confirm that the signs are up")],
    )
    consents_recorded = BooleanField(
        "The landowner and highway consents are recorded",
        widget=GovCheckboxInput(),
        validators=[DataRequired(message="Confirm that the consents are recorded")],
    )
    review_due = GovDateField(
        "Review due",
        description="When the board should next review this deployment",
        invalid_message="Review date must be a real date",
        validators=[InputRequired(message="Enter the review date")],
    )
    refusal_field = "review_due"

    def engine_data(self):
        return {
            "installed_on": self.installed_on.data,
            "dpia_reference": self.dpia_reference.data,
            "signage_confirmed": self.signage_confirmed.data,
            "consents_recorded": self.consents_recorded.data,
            "review_due": self.review_due.data,
        }


class ReviewForm(ActionForm):
    reason = _reason("Findings of the review", message="Enter the findings of the review")
    review_due = GovDateField(
        "Next review due",
        invalid_message="Next review date must be a real date",
        validators=[InputRequired(message="Enter the next review date")],
    )
    refusal_field = "review_due"

    def engine_data(self):
        return {"reason": self.reason.data, "review_due": self.review_due.data}


class RemovalForm(ActionForm):
    removed_on = GovDateField(
        "Date removed",
        invalid_message="Date removed must be a real date",
        validators=[InputRequired(message="Enter the date the camera was removed")],
    )
    signs_removed = BooleanField(
        "The signs have been removed",
        widget=GovCheckboxInput(),
        validators=[DataRequired(message="Confirm that the signs have been removed")],
    )
    refusal_field = "removed_on"

    def engine_data(self):
        return {"removed_on": self.removed_on.data, "signs_removed": self.signs_removed.data}


class EvaluationForm(ActionForm):
    incidents_before = WholeNumberField(
        "Incidents in the same length of time before the deployment",
        widget=GovTextInput(),
        invalid_message="Incidents before must be a whole number, like 12",
        validators=[
            InputRequired(message="Enter the number of incidents before"),
            NumberRange(min=0, max=100000, message="Enter a number between 0 and 100,000"),
        ],
    )
    incidents_during = WholeNumberField(
        "Incidents during the deployment",
        widget=GovTextInput(),
        invalid_message="Incidents during must be a whole number, like 12",
        validators=[
            InputRequired(message="Enter the number of incidents during"),
            NumberRange(min=0, max=100000, message="Enter a number between 0 and 100,000"),
        ],
    )
    incidents_after = WholeNumberField(
        "Incidents in the same length of time after the deployment",
        widget=GovTextInput(),
        invalid_message="Incidents after must be a whole number, like 12",
        validators=[
            InputRequired(message="Enter the number of incidents after"),
            NumberRange(min=0, max=100000, message="Enter a number between 0 and 100,000"),
        ],
    )
    notes = _reason("Evaluation notes", required=False)
    refusal_field = "incidents_before"

    def engine_data(self):
        return {
            "incidents_before": self.incidents_before.data,
            "incidents_during": self.incidents_during.data,
            "incidents_after": self.incidents_after.data,
            "notes": self.notes.data,
        }


# The form for each trigger; meeting decisions add votes.
ACTION_FORMS = {
    "submit": ConfirmActionForm,
    "endorse": ConfirmActionForm,
    "return_for_changes": ReasonForm,
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
    "record_evaluation": EvaluationForm,
}


class SponsorForm(VersionedForm):
    sponsor_id = ListSelectField(
        "New sponsor",
        widget=GovSelect(),
        validators=[DataRequired(message="Select the new sponsor")],
    )
    submit = SubmitField("Change sponsor", widget=GovSubmitInput())

    def __init__(self, *args, sponsors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sponsor_id.choices = [(0, "Select a sponsor")] + [
            (s.id, f"{s.name}, {s.organisation}" if s.organisation else s.name) for s in sponsors
        ]
