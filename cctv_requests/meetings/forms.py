from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..forms import GovDateField, WholeNumberField, strip


class PlanMeetingForm(FlaskForm):
    meets_on = GovDateField(
        "Meeting date",
        description="For example, 3 3 2027",
        invalid_message="Meeting date must be a real date",
        validators=[InputRequired(message="Enter the meeting date")],
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
