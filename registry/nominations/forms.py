"""The party groups' nomination forms and the secretariat's calls and returns. They check shape;
whether the nomination may be made (gender rule, suppleant, two people) is the services' question."""

from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from registry.appointments.forms import person_choices, seat_choices
from registry.appointments.models import Role
from registry.forms import ChoiceField, Chosen, DanishDateField, Form, VersionField, optional_int
from registry.nominations.models import CallReason
from registry.organisations.models import GenderRule, Seat
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
    nomination names no party group, and a seat whose body ligestillingsloven covers says so before it is
    chosen."""
    by_id = {seat.id: seat for seat in seats}
    choices = seat_choices(seats)
    for index, choice in enumerate(choices):
        seat = by_id.get(choice.value)
        if seat is None:
            continue
        notes = []
        if seat.kkr_fills and seat.nominated_by:
            notes.append(_("indstilles af %(nominator)s", nominator=seat.nominated_by))
        if seat.organisation.gender_rule is not GenderRule.none:
            notes.append(str(seat.organisation.gender_rule.label))
        if notes:
            choices[index] = replace(choice, label=" – ".join([choice.label, *notes]))
    return choices


# Who the candidate (and the personal suppleant) is: a person already registered, or a new one. The pages show
# only the chosen alternative's fields where JavaScript runs; without it they show both, and the form refuses what
# does not fit the choice at its field rather than drop it.
EXISTING, NEW, NONE = "existing", "new", "none"
# Filled in: a new person's fields, which make no sense beside a registered person.
NEW_PERSON_FIELDS = ("name", "municipality", "gender")


class NominationForm(Form):
    """Indstilling: a seat and role, the candidate (an existing person or a new one) and optionally a
    personal suppleant the same way. The edit form is the same without seat, role and party.

    The two choices have no default: a post without them (an older page, a script) is read by what was filled in;
    the view checks the first alternative when it shows the form. The office and e-mail go with whichever person
    is chosen: a new person's, or (where the user may change them,
    services.amend_candidate) the registered person's. The search fields only narrow the lists of people."""

    seat = ChoiceField(_l("Plads"), coerce=optional_int, validators=[Chosen(_l("Vælg en plads."))])
    role = ChoiceField(_l("Rolle"), choices=ROLE_CHOICES, default=Role.member.value)
    # Left out where an organisation nominates for the seat (views.create).
    party = ChoiceField(_l("Partigruppe"), coerce=optional_int,
                        validators=[Chosen(_l("Vælg den partigruppe, der indstiller."))])

    candidate = RadioField(_l("Kandidat"), choices=[SelectChoice(EXISTING, _l("En person, der er registreret")),
                                                    SelectChoice(NEW, _l("En ny person"))], validate_choice=False)
    person_search = StringField(_l("Søg efter kandidat"), validators=[Optional(), longest(200)],
                                description=_l("En del af navnet; æ, ø og å kan skrives ae, oe og aa."))
    person = ChoiceField(_l("Registreret kandidat"), coerce=optional_int)
    new_name = StringField(_l("Ny kandidats navn"), validators=[Optional(), longest(200)])
    new_municipality = ChoiceField(_l("Ny kandidats kommune"), coerce=optional_int)
    new_gender = ChoiceField(_l("Ny kandidats køn"), coerce=str, default="", description=_l("Vises ikke offentligt."))
    new_office = StringField(_l("Kandidatens hverv"), validators=[Optional(), longest(200)],
                             description=_l("Fx borgmester eller kommunalbestyrelsesmedlem. For en registreret "
                                            "person: tomt ændrer intet."))
    new_email = StringField(_l("Kandidatens e-mail"), validators=[Optional(), longest(254), EMAIL],
                            description=_l("Vises ikke offentligt. For en registreret person: tomt ændrer intet."))

    sub_candidate = RadioField(_l("Personlig suppleant"), choices=[
        SelectChoice(NONE, _l("Ingen suppleant i denne indstilling")),
        SelectChoice(EXISTING, _l("En person, der er registreret")), SelectChoice(NEW, _l("En ny person"))],
        validate_choice=False)
    sub_search = StringField(_l("Søg efter suppleant"), validators=[Optional(), longest(200)],
                             description=_l("En del af navnet; æ, ø og å kan skrives ae, oe og aa."))
    substitute = ChoiceField(_l("Registreret suppleant"), coerce=optional_int)
    sub_name = StringField(_l("Ny suppleants navn"), validators=[Optional(), longest(200)])
    sub_municipality = ChoiceField(_l("Ny suppleants kommune"), coerce=optional_int)
    sub_gender = ChoiceField(_l("Ny suppleants køn"), coerce=str, default="", description=_l("Vises ikke offentligt."))
    sub_office = StringField(_l("Suppleantens hverv"), validators=[Optional(), longest(200)],
                             description=_l("For en registreret person: tomt ændrer intet."))
    sub_email = StringField(_l("Suppleantens e-mail"), validators=[Optional(), longest(254), EMAIL],
                            description=_l("Vises ikke offentligt. For en registreret person: tomt ændrer intet."))

    motivation = TextAreaField(_l("Motivation"), validators=[Optional(), longest(5000)])
    gender_reason = TextAreaField(
        _l("Særlige grunde"), validators=[Optional(), longest(5000)],
        description=_l("Kun når indstillingen ikke nævner både en kvinde og en mand. Begrundelsen forelægges KKR."))
    version = VersionField()

    def set_choices(self, *, seats, people, substitutes, municipalities, parties) -> None:
        """people, substitutes: the people each list offers (narrowed by the search), the chosen ones included."""
        if self.seat is not None:
            self.seat.choices = nomination_seat_choices(seats)
        if self.party is not None:
            self.party.choices = party_choices(parties, _l("Vælg en partigruppe"))
        self.person.choices = person_choices(people)
        self.substitute.choices = person_choices(substitutes)
        self.new_municipality.choices = self.sub_municipality.choices = municipality_choices(municipalities)
        self.new_gender.choices = self.sub_gender.choices = gender_choices()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid = self._check_candidate() and valid
        return self._check_substitute() and valid

    def _typed(self, prefix: str) -> list:
        """The new person's fields that are filled in."""
        return [self[f"{prefix}_{name}"] for name in NEW_PERSON_FIELDS if self[f"{prefix}_{name}"].data]

    def _kind(self, radio, chosen: bool, typed: list, kinds: tuple[str, ...], both: str) -> str | None:
        """The alternative chosen; posted without the choice (an older page, a script), what was filled in says
        which. None, with the errors on the form, when it cannot be told."""
        if radio.data in kinds:
            return radio.data
        if radio.data:
            radio.errors.append(_l("Vælg en af mulighederne."))
            return None
        if chosen and typed:
            typed[0].errors.append(both)
            return None
        radio.data = EXISTING if chosen else NEW if typed else kinds[0]
        return radio.data

    def _check_candidate(self) -> bool:
        typed = self._typed("new")
        if not self.candidate.data and self.person.data is None and not typed:
            self.person.errors.append(_l("Vælg en registreret person, eller skriv navnet på en ny."))
            return False
        kind = self._kind(self.candidate, self.person.data is not None, typed, (EXISTING, NEW),
                          _l("Vælg enten en registreret person eller en ny, ikke begge."))
        return kind is not None and self._fits(kind, self.person, "new", typed, _l("Vælg personen på listen."),
                                               _l("Skriv den nye persons navn."))

    def _check_substitute(self) -> bool:
        typed = self._typed("sub")
        kind = self._kind(self.sub_candidate, self.substitute.data is not None, typed, (NONE, EXISTING, NEW),
                          _l("Vælg enten en registreret suppleant eller en ny, ikke begge."))
        if kind is None:
            return False
        if kind == NONE:
            given = [field for field in (self.sub_office, self.sub_email) if (field.data or "").strip()]
            for field in given:
                field.errors.append(_l("Der er ingen suppleant i indstillingen. Tøm feltet, eller vælg en "
                                       "suppleant ovenfor."))
            return not given
        return self._fits(kind, self.substitute, "sub", typed, _l("Vælg suppleanten på listen."),
                          _l("Skriv den nye suppleants navn."))

    def _fits(self, kind: str, chosen, prefix: str, typed: list, choose: str, name: str) -> bool:
        """Nothing filled in that belongs to the other alternative; what the chosen one needs, there."""
        if kind == EXISTING:
            if chosen.data is None and not chosen.errors:
                chosen.errors.append(choose)
            for field in typed:
                field.errors.append(_l("Du har valgt en registreret person. Tøm feltet, eller vælg en ny person."))
            return chosen.data is not None and not typed
        if chosen.data is not None:
            chosen.errors.append(_l("Du har valgt en ny person. Vælg ingen her, eller vælg en registreret person."))
        name_field = self[f"{prefix}_name"]
        if not (name_field.data or "").strip() and not name_field.errors:
            name_field.errors.append(name)
        return chosen.data is None and bool((name_field.data or "").strip())


class SeatForm(Form):
    """Step 1 of a new nomination, sent by GET (?plads=&rolle=, as the party group's page links to it): the seat
    and the role. The choice of seats is the view's: a party group's seats that need a nomination."""

    class Meta:
        csrf = False

    plads = ChoiceField(_l("Plads"), coerce=optional_int, validators=[Chosen(_l("Vælg en plads."))])
    rolle = ChoiceField(_l("Rolle"), choices=ROLE_CHOICES, default=Role.member.value)


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
