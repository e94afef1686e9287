"""Helpers shared by the forms of every area."""

import re
from decimal import Decimal

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.fields.choices import Choice
from wtforms.validators import ValidationError

from .models.base import row_id

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
        """The version sent, None if none was; -1 (which no request has) if
        what was sent cannot be a version, so it is treated as out of date."""
        sent = self.version.data
        if sent is None or str(sent).strip() == "":
            return None
        version = row_id(sent)
        return -1 if version is None else version


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


# Numbers as people type them (GOV.UK Design System, "Text input": numbers).
# Surrounding spaces are ignored. Commas are allowed only as real thousands
# separators (1,200 and 12,345.50; never 1,2,3 or 12,34, which are refused
# rather than read as 123 or 1234). A pound sign, then optional spaces, may
# start an amount of money only (£1,200.50, £ 850, -£5). Digits are ASCII, so
# exponents (1.5e3), NaN, Infinity, underscores (1_000), spaces between digits
# and other scripts' digits are all refused, never read as a surprising value.
_TYPED_NUMBER = re.compile(
    r"(?P<sign>[-+]?)(?P<pound>£\s*)?"
    r"(?P<units>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
    r"(?:\.(?P<fraction>[0-9]+))?"
)


class _TooManyPlaces(ValueError):
    """A well-formed number with more decimal places than the field takes."""


def read_number(typed: str, *, money: bool = False, places: int | None = None) -> Decimal:
    """The number in ``typed`` by the rules above; ValueError if there is none,
    _TooManyPlaces if it has more than ``places`` decimal places."""
    found = _TYPED_NUMBER.fullmatch(typed.strip())
    if found is None or (found["pound"] and not money):
        raise ValueError(f"not a number: {typed!r}")
    fraction = found["fraction"] or ""
    if places is not None and len(fraction) > places:
        raise _TooManyPlaces(f"more than {places} decimal places: {typed!r}")
    number = Decimal(found["sign"] + found["units"].replace(",", "") + (f".{fraction}" if fraction else ""))
    # "-0" and "-0.00" are nought, not a negative amount.
    return number.copy_abs() if number.is_zero() else number


def field_name(field) -> str:
    """The field's label as the subject of an error message, without the
    "(optional)" or ", in pounds" that the message makes needless."""
    return field.label.text.removesuffix(" (optional)").removesuffix(", in pounds")


def written_number(number, *, money: bool = False) -> str:
    """A number as GOV.UK style writes it: 100,000, 51.5, £1,000,000, £850.50."""
    amount = Decimal(str(number))
    sign, amount = ("-" if amount < 0 else ""), abs(amount)
    if amount == amount.to_integral_value():
        text = f"{int(amount):,}"
    else:
        text = f"{amount:,.2f}" if money else f"{amount.normalize():,f}"
    return f"{sign}£{text}" if money else f"{sign}{text}"


class _TypedNumberField(_NamedErrorMixin):
    """Reads the answer with ``read_number``; a wrongly typed answer gets
    ``invalid_message`` (else a message naming the field), and the page shows
    the answer back as it was typed (``raw_data``)."""

    money = False
    typed_places: int | None = None
    example = "a number, like 12.5"

    def default_invalid_message(self) -> str:
        return f"{field_name(self)} must be {self.example}"

    def too_many_places_message(self) -> str:
        return self.invalid_message or self.default_invalid_message()

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        # A blank answer is no answer, not a badly formed one.
        if not any(str(v).strip() for v in valuelist):
            self.data = None
            return
        try:
            self.data = self.convert(
                read_number(str(valuelist[0]), money=self.money, places=self.typed_places)
            )
        except _TooManyPlaces as exc:
            self.data = None
            raise ValueError(self.too_many_places_message()) from exc
        except ValueError as exc:
            self.data = None
            raise ValueError(self.invalid_message or self.default_invalid_message()) from exc

    def convert(self, number: Decimal):
        return number


class WholeNumberField(_TypedNumberField, IntegerField):
    """A whole number: 1,200 reads as 1200; 12.0 and 12.5 are refused. Shown
    without separators, so a year reads 2028."""

    typed_places = 0
    example = "a whole number, like 12"

    def convert(self, number: Decimal) -> int:
        return int(number)


class DecimalNumberField(_TypedNumberField, DecimalField):
    """A number with any number of decimal places (a latitude, say)."""


class MoneyField(DecimalNumberField):
    """An amount in pounds and pence: an optional £, at most two decimal
    places (850.505 is refused with ``pence_message``, not rounded). A stored
    amount is shown with two places and thousands separators (1,200.50), as
    the service writes money, and reads back as the same amount."""

    money = True
    typed_places = 2
    example = "an amount in pounds, like 850 or 850.50"

    def __init__(self, *args, pence_message: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.pence_message = pence_message

    def too_many_places_message(self) -> str:
        return self.pence_message or f"{field_name(self)} must be in pounds and pence, like 850 or 850.50"

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{Decimal(str(self.data)):,.2f}"


def _not_one_control(field) -> None:
    """The HTML ``required`` attribute belongs on a single control; on the
    wrapper of a group of boxes or radios it is invalid, and screen readers
    announce it inconsistently. The rule stays on the server."""
    field.flags.required = False


class GovDateField(_NamedErrorMixin, DateField):
    """A GOV.UK date input: day, month and year boxes."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(label, validators, format="%d %m %Y", **kwargs)
        _not_one_control(self)

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
        _not_one_control(self)

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


def _choice_id(value) -> int:
    # The placeholder option's value is empty (HTML: a required select's
    # placeholder option has an empty value); it means "none chosen", 0.
    return int(value) if str(value).strip() else 0


def question(label: str) -> str:
    """A question's name for its messages: its label without "(optional)"."""
    return label.removesuffix(" (optional)")


class ListSelectField(SelectField):
    """A select whose first option means "none chosen" (0). With a
    ``placeholder`` ("Select a ward") that option has an empty value, so the
    select may carry a valid ``required``; otherwise the first choice given
    (value 0, like "Any available camera") is itself an answer."""

    def __init__(self, *args, placeholder: str = "", **kwargs):
        kwargs.setdefault("coerce", _choice_id)
        kwargs.setdefault("default", 0)
        super().__init__(*args, **kwargs)
        self.placeholder = placeholder

    def iter_choices(self):
        if self.placeholder:
            yield Choice(value="", label=self.placeholder, selected=not self.data, render_kw={})
        yield from super().iter_choices()

    def _message(self) -> str:
        return f"Select {question(self.label.text).lower()} from the list"

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(self._message()) from exc

    def pre_validate(self, form):
        allowed = [value for value, *_ in self.choices]
        if self.placeholder:
            allowed.append(0)
        if self.data not in allowed:
            raise ValidationError(self._message())


class ChoicesField(SelectMultipleField):
    """Checkboxes: each answer sent must be one of the choices, else
    ``invalid_message`` names the question (never WTForms' own wording)."""

    def __init__(self, *args, invalid_message: str = "Select from the options given", **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = []
            raise ValueError(self.invalid_message) from exc

    def pre_validate(self, form):
        allowed = {value for value, *_ in self.choices}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError(self.invalid_message)


class Chosen:
    """The answer must be given: a choice other than "none chosen". Sets the
    ``required`` flag, so the widget marks the control as required."""

    field_flags = {"required": True}

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            raise ValidationError(self.message)


class InRange:
    """Like NumberRange, but an unanswered (blank) number passes: whether it
    is required is a separate rule. Without a ``message`` the error names the
    field, as the GOV.UK Design System's error messages do: "Quorum must be
    between 1 and 30", "Estimated cost must be between £0 and £1,000,000"."""

    def __init__(self, minimum, maximum, message: str = ""):
        self.minimum, self.maximum, self.message = minimum, maximum, message

    def __call__(self, form, field):
        if field.data is not None and not (self.minimum <= field.data <= self.maximum):
            raise ValidationError(self.message or self.default_message(field))

    def default_message(self, field) -> str:
        money = isinstance(field, MoneyField)
        lowest = written_number(self.minimum, money=money)
        highest = written_number(self.maximum, money=money)
        return f"{field_name(field)} must be between {lowest} and {highest}"
