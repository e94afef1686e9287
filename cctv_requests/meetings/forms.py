from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..forms import Chosen, GovDateField, ListSelectField, WholeNumberField, strip
from ..models.meetings import MEETING_KINDS


def _meeting_date(label="Meeting date"):
    return GovDateField(
        label,
        description="For example, 3 3 2027",
        invalid_message=f"{label} must be a real date",
        validators=[InputRequired(message=f"Enter the {label.lower()}")],
    )


def _reason(label, missing, hint=""):
    return TextAreaField(
        label,
        widget=GovTextArea(),
        filters=[strip],
        description=hint,
        validators=[
            DataRequired(message=missing),
            Length(max=2000, message=f"{label} must be 2,000 characters or fewer"),
        ],
    )


class PlanMeetingForm(FlaskForm):
    meets_on = _meeting_date()
    kind = RadioField(
        "Kind of meeting",
        widget=GovRadioInput(),
        choices=list(MEETING_KINDS.items()),
        default="extraordinary",
        validators=[DataRequired(message="Select the kind of meeting")],
    )
    quorum = WholeNumberField(
        "Quorum",
        description="How many board members must be present for a decision",
        widget=GovTextInput(),
        default=3,
        invalid_message="Quorum must be a whole number, like 3",
        validators=[
            InputRequired(message="Enter the quorum"),
            NumberRange(min=1, max=30, message="Quorum must be between 1 and 30"),
        ],
    )
    submit = SubmitField("Plan meeting", widget=GovSubmitInput())


class AttendanceForm(FlaskForm):
    present = SelectMultipleField(
        "Who is present",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="Select everyone on the board who is at the meeting",
    )
    submit = SubmitField("Save attendance", widget=GovSubmitInput())

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.present.choices = [(m.id, m.name) for m in members]


class InterestForm(FlaskForm):
    note = TextAreaField(
        "Your interest",
        widget=GovTextArea(),
        filters=[strip],
        description="For example: I live on the street where the camera would go",
        validators=[
            DataRequired(message="Describe your interest"),
            Length(max=1000, message="Your interest must be 1,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Declare interest", widget=GovSubmitInput())


class PlanYearForm(FlaskForm):
    year = WholeNumberField(
        "Year",
        widget=GovTextInput(),
        description="For example, 2028",
        invalid_message="Year must be a whole number, like 2028",
        validators=[
            InputRequired(message="Enter the year"),
            NumberRange(min=2000, max=2100, message="Year must be between 2000 and 2100"),
        ],
    )
    submit = SubmitField("Plan the year's meetings", widget=GovSubmitInput())


class MoveMeetingForm(FlaskForm):
    meets_on = _meeting_date("New date")
    submit = SubmitField("Move the meeting", widget=GovSubmitInput())


class CancelMeetingForm(FlaskForm):
    reason = _reason(
        "Why the meeting is cancelled",
        "Enter why the meeting is cancelled",
        hint="Its undecided items move to the next meeting",
    )
    submit = SubmitField("Cancel this meeting", widget=GovSubmitInput())


class MoveItemForm(FlaskForm):
    meeting_id = ListSelectField(
        "Move to meeting",
        widget=GovSelect(),
        validators=[Chosen("Select a meeting")],
        placeholder="Select a meeting",
    )
    submit = SubmitField("Move the item", widget=GovSubmitInput())

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting_id.choices = [
            (m.id, f"{m.meets_on:%-d %B %Y} (papers cut-off {m.cutoff_on:%-d %B %Y})") for m in meetings
        ]
