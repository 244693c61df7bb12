"""Forms for people: a person's details, merging two records of one person, anonymising, access requests."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from registry.forms import ChoiceField, Chosen, Form, VersionField, optional_int
from registry.people.models import Gender


class PersonForm(Form):
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
            SelectChoice(g.value, g.capitalised) for g in Gender]


# Which of the two records a merge keeps: the older, this one (the page's), or the other one chosen.
KEEP_CHOICES = ("", "this", "other")


class MergeForm(Form):
    """Step 1 chooses the other record and which one survives; step 2 (confirmed) carries both versions back."""

    other = ChoiceField(_l("Den anden registrering af samme person"), coerce=optional_int,
                        validators=[Chosen(_l("Vælg den anden registrering."))])
    keep = ChoiceField(_l("Behold"), default="",
                       description=_l("Den, der beholdes, får den andens udpegninger, mandater og indstillinger og de "
                                      "oplysninger, den mangler. Den anden slettes."))
    confirmed = HiddenField()
    version = VersionField()
    other_version = VersionField()


class AnonymiseForm(Form):
    version = VersionField()


class AccessRequestForm(Form):
    """No fields: the button that hands out the file (a POST, as it writes an audit entry)."""
