"""The secretariat's forms for council mandates and the import of elected councils. They check shape; whether
a mandate overlaps another is the services' question."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, StringField
from wtforms.validators import InputRequired, Length, Optional

from registry.forms import ChoiceField, Chosen, DanishDateField, Form, VersionField, optional_int


class MandateForm(Form):
    municipality = ChoiceField(_l("Kommune"), coerce=optional_int, validators=[Chosen(_l("Vælg kommunen."))])
    party = ChoiceField(_l("Parti"), coerce=optional_int,
                        description=_l("Det parti, personen blev valgt for."))
    start_date = DanishDateField(_l("Første dag"), validators=[InputRequired(_l("Skriv mandatets første dag."))],
                                 description=_l("Normalt 1. januar efter valget."))
    end_date = DanishDateField(_l("Sidste dag"), validators=[Optional()],
                               description=_l("Tom, så længe personen sidder i kommunalbestyrelsen. Udfyld den for "
                                              "at afslutte mandatet."))
    office = StringField(_l("Hverv"), validators=[Optional(), Length(max=100)],
                         description=_l("Fx borgmester eller viceborgmester; tom for et medlem."))
    version = VersionField()

    def set_choices(self, municipalities, parties) -> None:
        self.municipality.choices = [SelectChoice("", _l("Vælg en kommune"))] + [
            SelectChoice(m.id, m.name) for m in municipalities]
        self.party.choices = [SelectChoice("", _l("Intet parti"))] + [
            SelectChoice(p.id, f"{p.letter} – {p.name}") for p in parties]


class UploadForm(Form):
    file = FileField(
        _l("CSV-fil med kommunalbestyrelsernes medlemmer"),
        description=_l("Kolonnerne navn;parti;kommune;startdato, og evt. slutdato;hverv. Semikolon eller komma, "
                       "UTF-8 eller Windows-1252 (Excel)."),
        validators=[FileRequired(_l("Vælg en fil."))],
    )


class EndForm(Form):
    """No fields: the button that ends one appointment, or all on the list (their ids and versions are posted
    as `udpegning` values "id:version", what the page showed)."""
