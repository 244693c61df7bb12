"""Forms for people, and the Danish-speaking fields every form of the registry shares.

WTForms has no Danish messages of its own; the fields below say in Danish
what is wrong with a date or a choice. Forms check shape; the services check rules.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from registry.people.models import Gender


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


class PersonForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv personens navn.")), Length(max=200)])
    municipality = ChoiceField(_l("Kommune"), coerce=optional_int)
    party = ChoiceField(_l("Parti"), coerce=optional_int, description=_l("Det parti, personen tilhører nu."))
    office = StringField(_l("Hverv"), validators=[Optional(), Length(max=200)],
                         description=_l("Fx borgmester eller kommunalbestyrelsesmedlem."))
    gender = ChoiceField(_l("Køn"), coerce=str, description=_l("Vises ikke offentligt."))
    email = StringField(_l("E-mail"), validators=[
        Optional(), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Skriv en gyldig e-mailadresse."))],
        description=_l("Vises ikke offentligt."))
    phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=50)],
                        description=_l("Vises ikke offentligt."))
    version = VersionField()

    def set_choices(self, municipalities, parties) -> None:
        self.municipality.choices = [SelectChoice("", _l("Ingen kommune"))] + [
            SelectChoice(m.id, m.name) for m in municipalities]
        self.party.choices = [SelectChoice("", _l("Intet parti"))] + [
            SelectChoice(p.id, f"{p.letter} – {p.name}") for p in parties]
        self.gender.choices = [SelectChoice("", _l("Ikke oplyst"))] + [
            SelectChoice(g.value, g.label.capitalize()) for g in Gender]


class MergeForm(FlaskForm):
    """Step 1 chooses the other record; step 2 (confirmed) carries both versions back."""

    other = ChoiceField(_l("Den anden registrering af samme person"), coerce=optional_int,
                        validators=[InputRequired(_l("Vælg den anden registrering."))])
    confirmed = HiddenField()
    version = VersionField()
    other_version = VersionField()
