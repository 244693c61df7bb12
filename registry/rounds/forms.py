"""The secretariat's forms for election periods, the KKR's composition, share-outs and the allocation grid.

They check shape; overlapping periods, a valggruppe of one party or a seat no party group fills are the
services' question. The composition, agreement and grid forms have a field per row, made for the rows shown.
"""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from registry.forms import ChoiceField, DanishDateField, Form
from registry.organisations.forms import WholeNumberField, choices
from registry.people.models import Party
from registry.rounds.grid import GridRow, Holder
from registry.rounds.services import Member


def _text(field) -> str | None:
    return (field.data or "").strip() or None


class PeriodForm(Form):
    name = StringField(_l("Navn"), description=_l("Fx 2026-2029. Navnet er en betegnelse; datoerne afgør perioden."),
                       validators=[DataRequired(_l("Skriv valgperiodens navn.")), Length(max=20)])
    start_date = DanishDateField(_l("Første dag"), description=_l("Fx 1. januar 2026."),
                                 validators=[InputRequired(_l("Skriv valgperiodens første dag."))])
    end_date = DanishDateField(_l("Sidste dag"), description=_l("Fx 31. december 2029."),
                               validators=[InputRequired(_l("Skriv valgperiodens sidste dag."))])
    seen = HiddenField()

    def values(self) -> dict:
        return dict(name=self.name.data.strip(), start_date=self.start_date.data, end_date=self.end_date.data)


class CompositionForm(Form):
    """Per party: its members in KKR and its valggruppe (fields members_<id> and group_<id>)."""

    seen = HiddenField()

    def lines(self, parties: list[Party]) -> list[Member]:
        return [Member(party, self[f"members_{party.id}"].data, _text(self[f"group_{party.id}"]))
                for party in parties]


def composition_form(parties: list[Party], data: dict) -> CompositionForm:
    class Fields(CompositionForm):
        pass

    for party in parties:
        setattr(Fields, f"members_{party.id}", WholeNumberField(
            _l("Medlemmer for %(party)s", party=party.letter),
            validators=[Optional(), NumberRange(0, 200, _l("Skriv et tal fra 0 til 200."))]))
        setattr(Fields, f"group_{party.id}", StringField(
            _l("Valggruppe for %(party)s", party=party.letter), validators=[Optional(), Length(max=50)]))
    return Fields(data=data)


class ShareOutForm(Form):
    seats = WholeNumberField(_l("Antal pladser"), description=_l("De pladser, der skal fordeles."),
                             validators=[InputRequired(_l("Skriv antallet af pladser.")),
                                         NumberRange(1, 500, _l("Skriv et tal fra 1 til 500."))])
    organisation = ChoiceField(_l("Organisation"), coerce=int,
                               description=_l("Den organisation, hvis pladser fordeles. Tom: flere på én gang."))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class AgreementForm(Form):
    """The shares as agreed (fields share_<n>, one per row of the quotient table) and, last, why (note)."""


def agreement_form(names: list[str], data: dict) -> AgreementForm:
    class Fields(AgreementForm):
        pass

    for index, name in enumerate(names):
        setattr(Fields, f"share_{index}", WholeNumberField(
            _l("Pladser til %(name)s", name=name),
            validators=[InputRequired(_l("Skriv et antal pladser.")),
                        NumberRange(0, 500, _l("Skriv et tal fra 0 til 500."))]))
    Fields.note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)],
                                description=_l("Hvad der er aftalt, når fordelingen afviger fra beregningen."))
    return Fields(data=data)


class GridForm(Form):
    """The holder of each of the grid's seats (fields seat_<id>)."""

    seen = HiddenField()


def grid_form(grid: list[GridRow], holders: list[Holder], data: dict) -> GridForm:
    options = choices([("", _l("Ikke fordelt"))] + [(holder.value, holder.label) for holder in holders])

    class Fields(GridForm):
        pass

    for row in grid:
        setattr(Fields, f"seat_{row.seat.id}", ChoiceField(
            _l("%(seat)s i %(body)s", seat=row.seat.label, body=row.seat.organisation.name), choices=options,
            default=""))
    return Fields(data=data)
