"""The party groups' nomination forms and the secretariat's calls and returns. They check shape;
whether the nomination may be made (gender rule, suppleant, two people) is the services' question."""

from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from registry.appointments.forms import person_choices, seat_choices
from registry.appointments.models import Role
from registry.forms import ChoiceField, Chosen, DanishDateField, Form, VersionField, optional_int
from registry.nominations.models import CallReason
from registry.organisations.models import Seat
from registry.people.models import Gender, Municipality, Party, Person

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Skriv en gyldig e-mailadresse."))
def longest(characters: int) -> Length:
    return Length(max=characters, message=_l("Skriv højst %(max)d tegn."))


ROLE_CHOICES = [SelectChoice(role.value, role.capitalised) for role in Role]


def municipality_choices(municipalities: list[Municipality]) -> list[SelectChoice]:
    return [SelectChoice("", _l("Ingen kommune"))] + [SelectChoice(m.id, m.name) for m in municipalities]


def gender_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Ikke oplyst"))] + [SelectChoice(g.value, g.capitalised) for g in Gender]


def party_choices(parties: list[Party], empty: str) -> list[SelectChoice]:
    return [SelectChoice("", empty)] + [SelectChoice(p.id, f"{p.letter} – {p.name}") for p in parties]


def nomination_seat_choices(seats: list[Seat]) -> list[SelectChoice]:
    """The seats as appointments.forms groups them; a seat an organisation nominates for says which, since its
    nomination names no party group."""
    nominators = {seat.id: seat.nominated_by for seat in seats if seat.kkr_fills and seat.nominated_by}
    choices = seat_choices(seats)
    for index, choice in enumerate(choices):
        if choice.value in nominators:
            nominated_by = _("indstilles af %(nominator)s", nominator=nominators[choice.value])
            choices[index] = replace(choice, label=f"{choice.label} – {nominated_by}")
    return choices


class NominationForm(Form):
    """Indstilling: a seat and role, the candidate (an existing person or a new one) and optionally a
    personal suppleant the same way. The edit form is the same without seat, role and party."""

    seat = ChoiceField(_l("Plads"), coerce=optional_int, validators=[Chosen(_l("Vælg en plads."))])
    role = ChoiceField(_l("Rolle"), choices=ROLE_CHOICES, default=Role.member.value)
    # Left out where an organisation nominates for the seat (views.create).
    party = ChoiceField(_l("Partigruppe"), coerce=optional_int,
                        validators=[Chosen(_l("Vælg den partigruppe, der indstiller."))])

    person = ChoiceField(_l("Kandidat"), coerce=optional_int,
                         description=_l("Vælg en person, der allerede er registreret, eller udfyld felterne "
                                        "nedenfor for en ny person."))
    new_name = StringField(_l("Ny kandidats navn"), validators=[Optional(), longest(200)])
    new_municipality = ChoiceField(_l("Ny kandidats kommune"), coerce=optional_int)
    new_gender = ChoiceField(_l("Ny kandidats køn"), coerce=str, default="", description=_l("Vises ikke offentligt."))
    new_office = StringField(_l("Ny kandidats hverv"), validators=[Optional(), longest(200)],
                             description=_l("Fx borgmester eller kommunalbestyrelsesmedlem."))
    new_email = StringField(_l("Ny kandidats e-mail"), validators=[Optional(), longest(254), EMAIL],
                            description=_l("Vises ikke offentligt."))

    substitute = ChoiceField(_l("Personlig suppleant"), coerce=optional_int,
                             description=_l("Kun når der indstilles et medlem til en plads med personlig "
                                            "suppleant. Vælg en registreret person, eller udfyld felterne "
                                            "nedenfor for en ny person."))
    sub_name = StringField(_l("Ny suppleants navn"), validators=[Optional(), longest(200)])
    sub_municipality = ChoiceField(_l("Ny suppleants kommune"), coerce=optional_int)
    sub_gender = ChoiceField(_l("Ny suppleants køn"), coerce=str, default="", description=_l("Vises ikke offentligt."))
    sub_office = StringField(_l("Ny suppleants hverv"), validators=[Optional(), longest(200)])
    sub_email = StringField(_l("Ny suppleants e-mail"), validators=[Optional(), longest(254), EMAIL],
                            description=_l("Vises ikke offentligt."))

    motivation = TextAreaField(_l("Motivation"), validators=[Optional(), longest(5000)])
    gender_reason = TextAreaField(
        _l("Særlige grunde"), validators=[Optional(), longest(5000)],
        description=_l("Kun når organisationen er omfattet af ligestillingsloven, og indstillingen ikke "
                       "nævner både en kvinde og en mand. Begrundelsen forelægges KKR."))
    version = VersionField()

    def set_choices(self, *, seats, people, municipalities, parties) -> None:
        if self.seat is not None:
            self.seat.choices = nomination_seat_choices(seats)
        if self.party is not None:
            self.party.choices = party_choices(parties, _l("Vælg en partigruppe"))
        self.person.choices = [SelectChoice("", _l("Ny person (udfyld felterne nedenfor)"))] + \
            person_choices(people)[1:]
        self.substitute.choices = [SelectChoice("", _l("Ingen, eller en ny person"))] + person_choices(people)[1:]
        self.new_municipality.choices = self.sub_municipality.choices = municipality_choices(municipalities)
        self.new_gender.choices = self.sub_gender.choices = gender_choices()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Either an existing person or a new name, for the candidate; at most one of them for the suppleant.
        if self.person.data is None and not (self.new_name.data or "").strip():
            self.person.errors.append(_l("Vælg en registreret person, eller skriv navnet på en ny."))
            valid = False
        if self.person.data is not None and (self.new_name.data or "").strip():
            self.new_name.errors.append(_l("Vælg enten en registreret person eller en ny, ikke begge."))
            valid = False
        if self.substitute.data is not None and (self.sub_name.data or "").strip():
            self.sub_name.errors.append(_l("Vælg enten en registreret suppleant eller en ny, ikke begge."))
            valid = False
        return valid


class WithdrawForm(Form):
    version = VersionField()


class ReturnForm(Form):
    comment = TextAreaField(_l("Kommentar til partigruppen"),
                            validators=[InputRequired(_l("Skriv en kommentar til partigruppen.")),
                                        longest(5000)],
                            description=_l("Hvad partigruppen skal rette. Partigruppen ser kommentaren."))
    version = VersionField()


class CallForm(Form):
    """Opfordring til indstilling: the secretariat asks the party group holding a seat to nominate."""

    seat = ChoiceField(_l("Plads"), coerce=optional_int, validators=[Chosen(_l("Vælg en plads."))])
    role = ChoiceField(_l("Rolle"), choices=ROLE_CHOICES, default=Role.member.value)
    reason = ChoiceField(_l("Årsag"), choices=[SelectChoice(r.value, r.capitalised) for r in CallReason],
                         default=CallReason.resignation.value)
    deadline = DanishDateField(_l("Frist"), validators=[InputRequired(_l("Skriv fristen."))],
                               description=_l("Den sidste dag, partigruppen kan indstille."))
    party = ChoiceField(_l("Partigruppe"), coerce=optional_int,
                        description=_l("Tomt: den partigruppe, der har pladsen i valgperioden."))
    note = TextAreaField(_l("Note til partigruppen"), validators=[Optional(), longest(5000)])


class PeriodCallsForm(Form):
    """Opfordringer til en ny valgperiode: every seat allocated in the period, one deadline."""

    period = ChoiceField(_l("Valgperiode"), coerce=optional_int, validators=[Chosen(_l("Vælg en valgperiode."))])
    deadline = DanishDateField(_l("Frist"), validators=[InputRequired(_l("Skriv fristen."))],
                               description=_l("Den sidste dag, partigrupperne kan indstille."))
    note = TextAreaField(_l("Note til partigrupperne"), validators=[Optional(), longest(5000)])


class ProposalForm(Form):
    """The party group's period page: member and personal suppleant for each seat it may still change, and
    the særlige grunde per body under the gender rule. Built per page (proposal_form): the seats are the group's."""


def proposal_form(bodies, people: list[Person], data: dict | None = None) -> ProposalForm:
    """bodies: proposals.BodyProposal, each with its seats."""
    class Fields(ProposalForm):
        pass

    choices = [SelectChoice("", _l("Ingen valgt")), *person_choices(people)[1:]]
    for body in bodies:
        for proposed in body.seats:
            if not proposed.editable:
                continue
            seat = proposed.seat
            label = (_l("%(seat)s: medlem", seat=seat.label) if proposed.role is Role.member
                     else _l("%(seat)s: suppleant", seat=seat.label))
            setattr(Fields, f"member_{seat.id}", ChoiceField(label, coerce=optional_int, choices=choices))
            if proposed.takes_substitute:
                setattr(Fields, f"substitute_{seat.id}", ChoiceField(
                    _l("%(seat)s: personlig suppleant", seat=seat.label), coerce=optional_int, choices=choices))
        if body.gender_rule_applies:
            setattr(Fields, f"reason_{body.organisation.id}", TextAreaField(
                _l("Særlige grunde (%(body)s)", body=body.organisation.name),
                description=_l("Kun hvis I ikke indstiller lige mange kvinder og mænd til organisationen."),
                validators=[Optional(), longest(2000)]))
    return Fields(data=data)
