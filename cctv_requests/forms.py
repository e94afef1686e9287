"""Helpers shared by the forms of every area."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput
from wtforms import DateField, DecimalField, HiddenField, IntegerField, RadioField, SelectField, SubmitField
from wtforms.validators import ValidationError

# Control characters other than tab and line breaks: never meant, and NUL
# cannot be stored in PostgreSQL text.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def strip(value):
    """Filter: drop control characters and trim surrounding whitespace from text answers."""
    return value.translate(_CONTROL).strip() if isinstance(value, str) else value


class ConfirmForm(FlaskForm):
    """A button that acts: POST with a CSRF token and nothing else."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class VersionedForm(FlaskForm):
    """Carries the version of the request the user was looking at, so that a
    change made meanwhile by someone else is noticed (DESIGN.md section 4)."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class _NamedErrorMixin:
    """Replace WTForms' generic parse errors with a GOV.UK message naming the field."""

    def __init__(self, *args, invalid_message: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        # A blank answer is no answer, not a badly formed one.
        if valuelist and not any(str(v).strip() for v in valuelist):
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(self.invalid_message or str(exc)) from exc


class WholeNumberField(_NamedErrorMixin, IntegerField):
    pass


class DecimalNumberField(_NamedErrorMixin, DecimalField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        # Decimal accepts "NaN" and "Infinity", which are not amounts of money.
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.invalid_message)


class MoneyField(DecimalNumberField):
    """An amount in pounds."""


class GovDateField(_NamedErrorMixin, DateField):
    """A GOV.UK date input: day, month and year boxes."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(label, validators, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist):
        # The widget unpacks exactly three boxes when it redraws the field.
        self.raw_data = (list(valuelist) + ["", "", ""])[:3]
        valuelist = self.raw_data
        if not any(v.strip() for v in valuelist):
            self.data = None
            return
        # Accept 1 2 2027 as well as 01 02 2027.
        super().process_formdata([" ".join(v.strip() for v in valuelist)])


class OptionalRadioField(RadioField):
    """Radios that may be left unanswered; a value that is sent must be one
    of the choices, else ``invalid_message`` names the question."""

    def __init__(self, *args, invalid_message: str = "Select one of the options", **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0] in ("", None):
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(self.invalid_message) from exc

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        if self.data not in [value for value, *_ in self.choices]:
            raise ValidationError(self.invalid_message)


class ListSelectField(SelectField):
    """A select whose first option means "none chosen" (value 0)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("default", 0)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(f"Select {self.label.text.lower()} from the list") from exc

    def pre_validate(self, form):
        if self.data not in [value for value, *_ in self.choices]:
            raise ValidationError(f"Select {self.label.text.lower()} from the list")


class InRange:
    """Like NumberRange, but an unanswered (blank) number passes: whether it
    is required is a separate rule."""

    def __init__(self, minimum, maximum, message: str):
        self.minimum, self.maximum, self.message = minimum, maximum, message

    def __call__(self, form, field):
        if field.data is not None and not (self.minimum <= field.data <= self.maximum):
            raise ValidationError(self.message)
