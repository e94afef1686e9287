"""Forms for the camera register, sites, corrections and the site survey."""

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..forms import (
    Chosen,
    DecimalNumberField,
    GovDateField,
    InRange,
    ListSelectField,
    OptionalRadioField,
    question,
    strip,
)
from ..models import MOUNTINGS, SERVICE_STATUSES


def _text(label, *, required: str = "", limit: int = 120, hint: str = ""):
    validators = [Length(max=limit, message=f"{question(label)} must be {limit:,} characters or fewer")]
    validators.insert(0, DataRequired(message=required) if required else Optional())
    return StringField(label, widget=GovTextInput(), filters=[strip], description=hint, validators=validators)


def _long_text(label, *, required: str = "", limit: int = 2000, hint: str = ""):
    validators = [Length(max=limit, message=f"{question(label)} must be {limit:,} characters or fewer")]
    validators.insert(0, DataRequired(message=required) if required else Optional())
    return TextAreaField(
        label, widget=GovTextArea(), filters=[strip], description=hint, validators=validators
    )


def _date(label, *, required: str = "", hint: str = "For example, 27 3 2026"):
    return GovDateField(
        label,
        description=hint,
        invalid_message=f"{label} must be a real date",
        validators=[InputRequired(message=required)] if required else [Optional()],
    )


class CameraForm(FlaskForm):
    asset_tag = _text("Asset tag", required="Enter the asset tag", limit=40, hint="For example, RDC-07")
    name = _text("Name", required="Enter the camera's name", limit=80, hint="For example, Camera 7")
    make_model = _text("Make and model (optional)", limit=120)
    serial = _text("Serial number (optional)", limit=80)
    submit = SubmitField("Save camera", widget=GovSubmitInput())

    def details(self) -> dict:
        return {key: self[key].data or "" for key in ("asset_tag", "name", "make_model", "serial")}


class StatusForm(FlaskForm):
    seen_status = HiddenField()
    status = OptionalRadioField(
        "Service status",
        widget=GovRadioInput(),
        choices=list(SERVICE_STATUSES.items()),
        invalid_message="Select the camera's service status",
        validators=[DataRequired(message="Select the camera's service status")],
    )
    note = _long_text(
        "What has happened",
        required="Enter what has happened, for example the fault found",
        hint="For example: the 4G modem has failed; returned to the supplier for repair",
    )
    submit = SubmitField("Change status", widget=GovSubmitInput())


class NoteForm(FlaskForm):
    note = _long_text(
        "Maintenance note",
        required="Enter the maintenance note",
        hint="For example: lens cleaned and firmware updated",
    )
    submit = SubmitField("Add note", widget=GovSubmitInput())


class WhereOnForm(FlaskForm):
    """The time-travel question on the cameras page, sent by GET."""

    class Meta:
        csrf = False

    on = _date("Date", required="Enter a date", hint="For example, 1 5 2026")
    submit = SubmitField("Show where the cameras were", widget=GovSubmitInput())


class CorrectDateForm(FlaskForm):
    new_value = _date("Corrected date", required="Enter the corrected date")
    reason = _long_text(
        "Why the date was wrong",
        required="Enter why the date was wrong",
        hint="For example: the installer's job sheet shows the camera went up a day later",
    )
    submit = SubmitField("Record correction", widget=GovSubmitInput())


class SiteSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = _text("Street or ward", limit=160, hint="For example, High Street or South Oxhey")
    submit = SubmitField("Search", widget=GovSubmitInput())


class SiteForm(FlaskForm):
    ward_id = ListSelectField(
        "Ward", widget=GovSelect(), validators=[Chosen("Select the ward")], placeholder="Select a ward"
    )
    street = _text("Street name", required="Enter the street name", limit=160)
    exact_location = _long_text("Exact location", required="Enter the exact location", limit=1000)
    # places=None: shown as stored, never rounded to two places.
    latitude = DecimalNumberField(
        "Latitude (optional)",
        widget=GovTextInput(),
        places=None,
        invalid_message="Latitude must be a number, like 51.6372",
        validators=[Optional(), InRange(49, 61, message="Latitude must be between 49 and 61, within the UK")],
    )
    longitude = DecimalNumberField(
        "Longitude (optional)",
        widget=GovTextInput(),
        places=None,
        invalid_message="Longitude must be a number, like -0.4126",
        validators=[Optional(), InRange(-9, 2, message="Longitude must be between -9 and 2, within the UK")],
    )
    view_description = _long_text("What the camera needs to see (optional)", limit=1000)
    mounting = OptionalRadioField(
        "Mounting",
        widget=GovRadioInput(),
        choices=list(MOUNTINGS.items()),
        invalid_message="Select how the camera is mounted",
        validators=[DataRequired(message="Select how the camera is mounted")],
    )
    reason = _long_text(
        "Why the details are being corrected",
        required="Enter why the details are being corrected",
        hint="For example: the lamp column was renumbered by the highway authority",
    )
    submit = SubmitField("Record correction", widget=GovSubmitInput())

    def __init__(self, *args, wards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ward_id.choices = [(w.id, w.name) for w in wards]

    def details(self) -> dict:
        return {
            "ward_id": self.ward_id.data,
            "street": self.street.data or "",
            "exact_location": self.exact_location.data or "",
            "latitude": float(self.latitude.data) if self.latitude.data is not None else None,
            "longitude": float(self.longitude.data) if self.longitude.data is not None else None,
            "view_description": self.view_description.data or "",
            "mounting": self.mounting.data,
        }


class SurveyForm(FlaskForm):
    version = HiddenField()
    surveyed_on = _date("Date of the site survey")
    surveyor = _text("Who surveyed the site", limit=120, hint="Name and organisation")
    mounting_notes = _long_text(
        "Mounting", hint="What the camera will be fixed to, and any bracket or pole needed"
    )
    power_notes = _long_text("Power", hint="Where power comes from, for example the lamp column's supply")
    sight_lines = _long_text(
        "Sight lines", hint="What the camera can see from there, and anything in the way"
    )
    masking_needed = _long_text(
        "Privacy masking needed",
        hint="Windows, gardens or other private areas to be masked. Leave blank if none",
    )
    landowner_consent_on = _date("Date of the landowner's consent")
    landowner_consent_reference = _text("Landowner's consent reference", limit=60)
    highway_consent_on = _date("Date of the highway authority's consent")
    highway_consent_reference = _text("Highway authority's consent reference", limit=60)
    submit = SubmitField("Save", widget=GovSubmitInput())

    FIELDS = (
        "surveyed_on",
        "surveyor",
        "mounting_notes",
        "power_notes",
        "sight_lines",
        "masking_needed",
        "landowner_consent_on",
        "landowner_consent_reference",
        "highway_consent_on",
        "highway_consent_reference",
    )

    def details(self) -> dict:
        # A blank text answer is kept as "", a blank date as None.
        blank = {key: "" if isinstance(self[key], StringField) else None for key in self.FIELDS}
        return {key: blank[key] if self[key].data is None else self[key].data for key in self.FIELDS}

    def validate_surveyor(self, field):
        if self.surveyed_on.data and not field.data:
            raise ValidationError("Enter who surveyed the site")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name in ("surveyed_on", "landowner_consent_on", "highway_consent_on"):
            field = self[name]
            if field.data and field.data > date.today():
                field.errors = [*field.errors, f"{field.label.text} must be today or in the past"]
                valid = False
        return valid
