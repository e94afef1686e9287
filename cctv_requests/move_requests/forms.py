"""The request form (DESIGN.md section 4): a first page, then one page per
section of the task list."""

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from ..forms import (
    ChoicesField,
    Chosen,
    DecimalNumberField,
    GovDateField,
    InRange,
    ListSelectField,
    MoneyField,
    OptionalRadioField,
    WholeNumberField,
    question,
    strip,
)
from ..models.places import MOUNTINGS
from ..models.requests import INTELLIGENCE_SOURCES, PURPOSES, URGENCIES, URGENT_GROUNDS

SITE_READINESS = {
    "power": "Power is available at the mounting point",
    "landowner": "The landowner has agreed",
    "highway": "The highway authority has agreed",
}

TEXT = 4000


def _text(label, hint="", max_length=TEXT, area=True, required=None):
    """A text answer; ``required`` is the message when even a draft needs it."""
    field = TextAreaField if area else StringField
    validators = [
        Length(max=max_length, message=f"{question(label)} must be {max_length:,} characters or fewer")
    ]
    if required:
        validators.insert(0, DataRequired(message=required))
    return field(
        label,
        description=hint,
        widget=GovTextArea() if area else GovTextInput(),
        filters=[strip],
        validators=validators,
    )


def _unanswered(field) -> bool:
    # 0 is an answer for a count, but means "none chosen" in a list or an unticked box.
    if isinstance(field, ListSelectField | BooleanField):
        return not field.data
    return field.data is None or field.data == "" or field.data == []


def _title():
    return _text(
        "Short title",
        "For example: Nuisance motorbikes at the recreation ground",
        120,
        area=False,
        required="Enter a short title",
    )


def _ward():
    return ListSelectField(
        "Ward",
        widget=GovSelect(),
        validators=[Chosen("Select the ward")],
        placeholder="Select a ward",
    )


class StartForm(FlaskForm):
    """The first page: what a draft needs before it can be saved, a title and
    where the problem is."""

    title = _title()
    ward_id = _ward()
    # A known site chosen on the sites page ("Request a camera here").
    site_id = HiddenField()
    start = SubmitField("Save and continue", widget=GovSubmitInput())

    def __init__(self, *args, wards=(), site_known=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward_id.choices = [(w.id, w.name) for w in wards]
        # A known site brings its ward: the question is not asked.
        self.site_known = site_known

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.site_known:
            self.ward_id.errors = []
            valid = not any(field.errors for field in self)
        return valid


class SectionForm(FlaskForm):
    """One section of the request form. "Save and continue" also checks that
    every question the section must answer is answered; "Save and come back
    later" keeps a partial answer (GOV.UK "complete multiple tasks")."""

    # The version of the request the requester opened (DESIGN.md 4).
    version = HiddenField()
    save_continue = SubmitField("Save and continue", widget=GovSubmitInput())
    save_later = SubmitField("Save and come back later", widget=GovSubmitInput())

    # Message for each answer the section must give before it is complete.
    REQUIRED: dict[str, str] = {}

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or date.today()

    def answered_names(self) -> list[str]:
        return [
            f.name for f in self if f.name not in ("csrf_token", "version", "save_continue", "save_later")
        ]

    def check_complete(self) -> bool:
        """Add an error to every required question left blank; True if none."""
        for name, message in self.REQUIRED.items():
            field = self[name]
            if not field.errors and _unanswered(field):
                field.errors = list(field.errors) + [message]
        return not any(f.errors for f in self)

    def acceptable(self) -> bool:
        """Whether a posted section may be saved: well-formed answers, and
        every answer too when the requester says it is complete."""
        if not self.is_submitted():
            return False
        valid = self.validate()
        if not self.save_later.data:
            valid = self.check_complete() and valid
        return valid


class ProblemForm(SectionForm):
    title = _title()
    problem = _text("What is happening", "Describe the crime or anti-social behaviour at this place")
    purposes = ChoicesField(
        "Purpose of the camera",
        invalid_message="Select the purpose of the camera from the list",
        widget=GovCheckboxesInput(),
        choices=list(PURPOSES.items()),
        description="Select all that apply",
    )
    pressing_need = _text(
        "Why is the need pressing", "Why a camera is needed now, rather than other measures"
    )
    priority_id = OptionalRadioField(
        "CSP priority it serves",
        widget=GovRadioInput(),
        coerce=int,
        description="The board's priorities for this year. They all carry equal weight.",
        invalid_message="Select the CSP priority from the list",
    )

    REQUIRED = {
        "title": "Enter a short title",
        "problem": "Describe what is happening",
        "purposes": "Select the purpose of the camera",
        "pressing_need": "Explain why the need is pressing",
        "priority_id": "Select the CSP priority it serves",
    }

    def __init__(self, *args, priorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.priority_id.choices = [(p.id, p.name) for p in priorities]


class SiteForm(SectionForm):
    existing_site_id = ListSelectField(
        "Site",
        widget=GovSelect(),
        description="Choose the place if a camera has been there, or asked for there, before. "
        "Otherwise choose \u201cA new site\u201d and describe it below.",
    )
    ward_id = _ward()
    street = _text("Street name", "The street the site is on", 160, area=False)
    exact_location = _text(
        "Exact location",
        "The mounting point and nearest address, for example: lamp column 14 outside 22 High Street",
        1000,
    )
    latitude = DecimalNumberField(
        "Latitude",
        widget=GovTextInput(),
        places=None,
        invalid_message="Latitude must be a number, like 51.6372",
        validators=[InRange(49, 61, message="Latitude must be between 49 and 61, within the UK")],
    )
    longitude = DecimalNumberField(
        "Longitude",
        widget=GovTextInput(),
        places=None,
        invalid_message="Longitude must be a number, like -0.4126",
        validators=[InRange(-9, 2, message="Longitude must be between -9 and 2, within the UK")],
    )
    view_description = _text(
        "What the camera needs to see (optional)",
        "For example: the path between the shops and the car park",
        1000,
    )
    mounting = OptionalRadioField(
        "Mounting",
        widget=GovRadioInput(),
        choices=list(MOUNTINGS.items()),
        invalid_message="Select how the camera would be mounted",
    )
    site_readiness = ChoicesField(
        "Power and consents (optional)",
        invalid_message="Select which of power and consents are in place from the list",
        widget=GovCheckboxesInput(),
        choices=list(SITE_READINESS.items()),
        description="Select all that apply now. Consents must be in place before installation.",
    )

    REQUIRED = {
        "street": "Enter the street name",
        "exact_location": "Enter the exact location",
        "mounting": "Select how the camera would be mounted",
    }

    # The answers that describe a new site: not asked for when an existing
    # site is chosen.
    SITE_ANSWERS = ("ward_id", "street", "exact_location", "latitude", "longitude", "view_description",
                    "mounting", "site_readiness")  # fmt: skip

    def __init__(self, *args, sites=(), wards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_site_id.choices = [(0, "A new site")] + [
            (s.id, f"{s.street}, {s.ward.name}") for s in sites
        ]
        self.ward_id.choices = [(w.id, w.name) for w in wards]

    def validate_longitude(self, field):
        if (field.data is None) != (self.latitude.data is None) and not self.latitude.errors:
            raise ValidationError("Enter both the latitude and the longitude of the point, or neither")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.existing_site_id.data:
            for name in self.SITE_ANSWERS:
                self[name].errors = []
            valid = not any(field.errors for field in self)
        return valid

    def check_complete(self) -> bool:
        if self.existing_site_id.data:
            return not any(field.errors for field in self)
        return super().check_complete()


class EvidenceForm(SectionForm):
    crime_count = WholeNumberField(
        "Number of crimes in the baseline period",
        widget=GovTextInput(),
        invalid_message="Number of crimes must be a whole number, like 12",
        validators=[InRange(0, 100000, message="Number of crimes must be between 0 and 100,000")],
    )
    asb_count = WholeNumberField(
        "Number of ASB incidents in the baseline period",
        widget=GovTextInput(),
        invalid_message="Number of ASB incidents must be a whole number, like 12",
        validators=[InRange(0, 100000, message="Number of ASB incidents must be between 0 and 100,000")],
    )
    baseline_start = GovDateField(
        "Start of the baseline period",
        description="For example, 1 3 2026",
        invalid_message="Start of the baseline period must be a real date",
    )
    baseline_end = GovDateField(
        "End of the baseline period",
        description="For example, 31 8 2026",
        invalid_message="End of the baseline period must be a real date",
    )
    intelligence_sources = ChoicesField(
        "Intelligence sources",
        invalid_message="Select the intelligence sources from the list",
        widget=GovCheckboxesInput(),
        choices=list(INTELLIGENCE_SOURCES.items()),
        description="Select all that apply",
    )
    intelligence_summary = _text(
        "Summary of the intelligence",
        "This is restricted: only the board, the CSP team and your sponsor will see it",
    )

    REQUIRED = {
        "crime_count": "Enter the number of crimes, or 0",
        "asb_count": "Enter the number of ASB incidents, or 0",
        "baseline_start": "Enter the start of the baseline period",
        "baseline_end": "Enter the end of the baseline period",
        "intelligence_sources": "Select the intelligence sources",
        "intelligence_summary": "Enter a summary of the intelligence",
    }

    def validate_baseline_end(self, field):
        if field.data and self.baseline_start.data and field.data < self.baseline_start.data:
            raise ValidationError("End of the baseline period must be the same as or after its start")


class AlternativesForm(SectionForm):
    alternatives = _text(
        "Alternatives tried or considered",
        "For example: better lighting, police patrols, problem-solving meetings",
    )

    REQUIRED = {"alternatives": "Enter the alternatives tried or considered"}


class PeriodForm(SectionForm):
    wanted_start = GovDateField(
        "Wanted start date",
        description="For example, 1 2 2027",
        invalid_message="Wanted start date must be a real date",
    )
    duration_weeks = WholeNumberField(
        "Duration in weeks",
        widget=GovTextInput(),
        invalid_message="Duration must be a whole number of weeks, like 12",
        validators=[InRange(1, 156, message="Duration must be between 1 and 156 weeks")],
    )
    camera_preference_id = ListSelectField(
        "Camera preference (optional)",
        widget=GovSelect(),
        description="The board chooses the camera. Name one only if this place needs it.",
    )

    REQUIRED = {
        "wanted_start": "Enter the wanted start date",
        "duration_weeks": "Enter the duration in weeks",
    }

    def __init__(self, *args, cameras=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.camera_preference_id.choices = [(0, "Any available camera")] + [(c.id, c.label) for c in cameras]

    def check_complete(self) -> bool:
        data = self.wanted_start.data
        if data and data < self.today and not self.wanted_start.errors:
            self.wanted_start.errors = list(self.wanted_start.errors) + [
                "Wanted start date must be today or in the future"
            ]
        return super().check_complete()


class UrgencyForm(SectionForm):
    urgency = OptionalRadioField(
        "Is the request routine or urgent?",
        widget=GovRadioInput(),
        choices=list(URGENCIES.items()),
        description="An urgent request can be decided by the chair between meetings.",
        invalid_message="Select whether the request is routine or urgent",
    )
    urgent_ground = OptionalRadioField(
        "Grounds for urgency",
        widget=GovRadioInput(),
        choices=list(URGENT_GROUNDS.items()),
        description="Only if the request is urgent",
        invalid_message="Select the grounds for urgency from the list",
    )
    urgent_explanation = _text("Explain the urgency", "Only if the request is urgent")

    REQUIRED = {"urgency": "Select whether the request is routine or urgent"}

    def check_complete(self) -> bool:
        if self.urgency.data == "urgent":
            if not self.urgent_ground.data and not self.urgent_ground.errors:
                self.urgent_ground.errors = list(self.urgent_ground.errors) + [
                    "Select the grounds for urgency"
                ]
            if not self.urgent_explanation.data and not self.urgent_explanation.errors:
                self.urgent_explanation.errors = list(self.urgent_explanation.errors) + [
                    "Explain the urgency"
                ]
        return super().check_complete()


class PrivacyForm(SectionForm):
    overt_confirmed = BooleanField(
        "The camera will be used overtly, with signs. Covert surveillance is outside this process.",
        widget=GovCheckboxInput(),
    )
    dpia_reference = _text("DPIA or location annex reference", "For example: DPIA-2026-07", 60, area=False)
    signage_plan = _text("Signage plan", "Where the signs will go and what they will say")
    privacy_masking = _text(
        "Private areas that need masking (optional)",
        "For example: windows and gardens in view. Leave blank if none.",
    )

    REQUIRED = {
        "overt_confirmed": "Confirm that the camera will be used overtly, with signs",
        "dpia_reference": "Enter the DPIA or location annex reference",
        "signage_plan": "Enter the signage plan",
    }


class CostForm(SectionForm):
    estimated_cost = MoneyField(
        "Estimated cost of the move",
        widget=GovTextInput(),
        places=2,
        description="In pounds and pence, for example 1,250 or 850.50",
        invalid_message="Estimated cost must be an amount in pounds, like 850 or 850.50",
        validators=[InRange(0, 1000000, message="Estimated cost must be between £0 and £1,000,000")],
    )
    sponsor_id = ListSelectField(
        "Sponsor you have approached",
        widget=GovSelect(),
        description="A CSP partner who has agreed to back the request. It cannot be you.",
        placeholder="Select a sponsor",
    )

    REQUIRED = {
        "estimated_cost": "Enter the estimated cost of the move",
        "sponsor_id": "Select the sponsor you have approached",
    }

    def __init__(self, *args, sponsors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sponsor_id.choices = [
            (s.id, f"{s.name}, {s.organisation}" if s.organisation else s.name) for s in sponsors
        ]


SECTION_FORMS = {
    "problem": ProblemForm,
    "site": SiteForm,
    "evidence": EvidenceForm,
    "alternatives": AlternativesForm,
    "period": PeriodForm,
    "urgency": UrgencyForm,
    "privacy": PrivacyForm,
    "cost": CostForm,
}
