"""The Danish-speaking fields every form of the registry shares, and where a form shows a refusal.

WTForms has no Danish messages of its own; the fields below say in Danish
what is wrong with a date or a choice. Forms check shape; the services check rules.
"""

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from registry.errors import RuleViolation

# Text that hides or reorders what it shows: the bidirectional overrides and isolates ("Trojan Source").
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_character(text: str, *, multiline: bool) -> bool:
    """Whether the text holds a control character: a line break or tab in a single-line field, or anywhere
    an escape (ANSI colours begin with one), a NUL and the like, or a bidirectional override."""
    allowed = "\n\r\t" if multiline else ""
    return any((unicodedata.category(char) == "Cc" and char not in allowed) or char in _BIDI_CONTROLS
               for char in text)


class Form(FlaskForm):
    """Every form of the registry. Besides each field's own checks, no text field may hold control characters,
    and no single-line field a line break: they would end up in exports, e-mails and terminals."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        typed = (field for field in self if isinstance(field, StringField) and not isinstance(field, PasswordField)
                 and isinstance(field.data, str))
        for field in typed:
            multiline = isinstance(field, TextAreaField)
            if control_character(field.data, multiline=multiline):
                field.errors = [*field.errors, TEXT_AREA_MESSAGE if multiline else LINE_MESSAGE]
                valid = False
        return valid


# A text area takes line breaks and tabs; the message names only what it refuses.
LINE_MESSAGE = _l("Feltet må ikke indeholde linjeskift, tabulatorer eller andre kontroltegn.")
TEXT_AREA_MESSAGE = _l("Teksten indeholder usynlige styretegn, fx fra en kopieret tekst. Skriv den igen uden dem.")


def optional_int(value) -> int | None:
    """Coerce a <select>'s value: the empty choice is None."""
    if value in (None, "", "None"):
        return None
    return int(value)


class DanishDateField(DateField):
    """<input type=date>, which sends YYYY-MM-DD whatever the browser shows."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Skriv en gyldig dato (ÅÅÅÅ-MM-DD).")) from None


class ChoiceField(SelectField):
    """A <select> whose refusal of an unknown value is in Danish."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Vælg en af mulighederne.")) from None

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(_l("Vælg en af mulighederne.")) from None


class VersionField(HiddenField):
    """The row's version when the form was shown; a different one now means someone else saved meanwhile."""

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = int(valuelist[0])
            except ValueError:
                self.data = None


def show_refusal(form, refusal: RuleViolation) -> None:
    """A service's refusal on the form: on the field it concerns when the form has that field, else on the
    form as a whole (shown above the fields, organisations/_form_errors.html)."""
    if refusal.field and refusal.field in form:
        field = form[refusal.field]
        field.errors = [*field.errors, str(refusal)]
    else:
        form.form_errors.append(str(refusal))


class Chosen:
    """Required, for a <select> whose first option ("Vælg en plads") is empty: that option is no answer,
    whatever the browser sent for it (nothing, "" or "None")."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data is None:
            # A value that was no choice at all has said so already ("Vælg en af mulighederne.").
            raise StopValidation(None if field.errors else self.message)
