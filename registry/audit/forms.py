"""The audit trail's filter: a GET form, so a filtered trail has a URL to keep and to export."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from registry.audit.trail import ACTIONS, Filters
from registry.forms import ChoiceField, DanishDateField, Form

ID = Regexp(r"\A[0-9]{1,9}\Z", message=_l("Skriv et id-nummer, fx 4."))


class FilterForm(Form):
    class Meta:
        # Reading only: nothing to forge.
        csrf = False

    person = StringField(_l("Person (id)"), validators=[Optional(), ID],
                         description=_l("Personen og de udpegninger og indstillinger, der nævner personen."))
    organisation = StringField(_l("Organisation (id)"), validators=[Optional(), ID],
                               description=_l("Organisationen, dens pladser og det, der er sket på dem."))
    bruger = StringField(_l("Bruger"), validators=[Optional(), Length(max=100, message=_l("Højst 100 tegn."))],
                         description=_l("Brugernavn eller bruger-id; fx system for kommandolinjen."))
    fra = DanishDateField(_l("Fra og med"), validators=[Optional()])
    til = DanishDateField(_l("Til og med"), validators=[Optional()])
    handling = ChoiceField(_l("Handling"), coerce=str, validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.handling.choices = [SelectChoice("", _l("Alle"))] + [
            SelectChoice(code, str(label).capitalize()) for code, label in ACTIONS.items()]

    def validate_til(self, field) -> None:
        if field.data and self.fra.data and field.data < self.fra.data:
            raise ValidationError(_l("Til-datoen ligger før fra-datoen."))

    def validate_bruger(self, field) -> None:
        if field.data and not field.data.isprintable():
            raise ValidationError(_l("Brugernavnet indeholder ugyldige tegn."))

    @property
    def filters(self) -> Filters:
        """What the valid form selects."""
        return Filters(person_id=int(self.person.data) if self.person.data else None,
                       organisation_id=int(self.organisation.data) if self.organisation.data else None,
                       user=(self.bruger.data or "").strip() or None,
                       date_from=self.fra.data, date_to=self.til.data, action=self.handling.data or None)
