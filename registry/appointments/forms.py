"""The secretariat's forms for appointing, ending and replacing. They check shape;
whether the seat is free, the body open and the dates in order is the services' question."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from registry.appointments.models import EndReason, Office, OfficeChooser, Role
from registry.dates import local_date
from registry.forms import ChoiceField, Chosen, DanishDateField, Form, VersionField, optional_int
from registry.organisations.models import Seat
from registry.people.models import Party, Person


def seat_choices(seats: list[Seat]) -> list[SelectChoice]:
    """Seats grouped by body, in <optgroup>s."""
    choices = [SelectChoice("", _l("Vælg en plads"))]
    for seat in seats:
        organisation = seat.organisation
        group = organisation.name
        if organisation.end_date:
            group = _("%(name)s (nedlagt pr. %(day)s)", name=organisation.name, day=local_date(organisation.end_date))
        # The body again in the option: a closed <select> shows the option, not its group.
        label = (f"{seat.label}, {organisation.name}" if seat.has_substitute
                 else _("%(seat)s, %(body)s (uden suppleant)", seat=seat.label, body=organisation.name))
        choices.append(SelectChoice(seat.id, label, optgroup=group))
    return choices


def person_choices(people: list[Person]) -> list[SelectChoice]:
    choices = [SelectChoice("", _l("Vælg en person"))]
    for person in people:
        details = ", ".join(filter(None, [person.party.letter if person.party else None,
                                          person.municipality.name if person.municipality else None]))
        choices.append(SelectChoice(person.id, f"{person.name} ({details})" if details else person.name))
    return choices


def party_choices(parties: list[Party]) -> list[SelectChoice]:
    return [SelectChoice("", _l("Personens parti i dag"))] + [
        SelectChoice(party.id, f"{party.letter} – {party.name}") for party in parties]


class AppointForm(Form):
    seat = ChoiceField(_l("Plads"), coerce=optional_int, validators=[Chosen(_l("Vælg en plads."))])
    person = ChoiceField(_l("Person"), coerce=optional_int, validators=[Chosen(_l("Vælg en person."))])
    role = ChoiceField(_l("Rolle"), choices=[SelectChoice(role.value, role.capitalised) for role in Role],
                       default=Role.member.value)
    start_date = DanishDateField(_l("Startdato"), validators=[InputRequired(_l("Skriv startdatoen."))],
                                 description=_l("Første dag i embedet."))
    party = ChoiceField(_l("Parti"), coerce=optional_int,
                        description=_l("Det parti, personen repræsenterer på pladsen."))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class EndForm(Form):
    end_date = DanishDateField(_l("Slutdato"), validators=[InputRequired(_l("Skriv slutdatoen."))],
                               description=_l("Sidste dag i embedet."))
    reason = ChoiceField(_l("Ophørsårsag"),
                         choices=[SelectChoice(reason.value, reason.capitalised) for reason in EndReason])
    version = VersionField()


class ReplaceForm(Form):
    person = ChoiceField(_l("Efterfølger"), coerce=optional_int,
                         validators=[InputRequired(_l("Vælg efterfølgeren."))])
    start_date = DanishDateField(_l("Efterfølgerens startdato"),
                                 validators=[InputRequired(_l("Skriv startdatoen."))],
                                 description=_l("Den nuværende indehavers sidste dag bliver dagen før."))
    party = ChoiceField(_l("Parti"), coerce=optional_int,
                        description=_l("Det parti, efterfølgeren repræsenterer på pladsen."))
    version = VersionField()


class OfficeForm(Form):
    office = ChoiceField(_l("Hverv i organisationen"), choices=[SelectChoice("", _l("Intet hverv"))] + [
        SelectChoice(office.value, office.capitalised) for office in Office])
    title = StringField(_l("Hvervets navn"), validators=[Optional(), Length(max=100)],
                        description=_l("Kun for et andet hverv, fx kasserer."))
    chosen_by = ChoiceField(_l("Valgt af"), choices=[SelectChoice(who.value, who.capitalised) for who in OfficeChooser],
                            default=OfficeChooser.body.value,
                            description=_l("KKR udpeger fx Erhvervshusets formand; de fleste organisationer vælger "
                                           "selv deres formand."))
    start = DanishDateField(_l("Fra"), validators=[Optional()], description=_l("Tom: fra udpegningens første dag."))
    end = DanishDateField(_l("Til og med"), validators=[Optional()], description=_l("Tom: til udpegningen slutter."))
    version = VersionField()
