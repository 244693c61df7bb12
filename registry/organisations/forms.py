"""The secretariat's forms for organisations, seats and party groups per period.

They check shape; whether a body may close or a seat take a party group is the services' question.
"""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from registry.forms import ChoiceField, DanishDateField, Form, VersionField
from registry.organisations.models import GenderRule, OrganisationKind, SeatFiller, SeatKind

# The most seats the organisation form creates at once; larger bodies add the rest on the seat form.
MAX_NEW_SEATS = 100

# Yes/no as a <select>: it renders as one labelled control in the one form macro, unlike a checkbox.
YES_NO = [("ja", _l("Ja")), ("nej", _l("Nej"))]


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def yes_no(label, description=None) -> ChoiceField:
    return ChoiceField(label, choices=choices(YES_NO), default="nej", description=description)


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Skriv et helt tal.")) from None


def _text(field) -> str | None:
    return (field.data or "").strip() or None


class OrganisationForm(Form):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv organisationens navn.")), Length(max=200)])
    short_name = StringField(_l("Kort navn"), description=_l("Fx RAR eller SSU. Kan udelades."),
                             validators=[Optional(), Length(max=50)])
    kind = ChoiceField(_l("Type"), choices=choices((kind.value, kind.capitalised) for kind in OrganisationKind),
                       default=OrganisationKind.other.value)
    appointing_authority = StringField(
        _l("Udpegende myndighed"), description=_l("Fx KKR Hovedstaden eller Beskæftigelsesministeren."),
        validators=[DataRequired(_l("Skriv, hvem der udpeger.")), Length(max=200)])
    authority_is_external = yes_no(
        _l("KKR indstiller, en anden beskikker"),
        _l("Ja, når en minister eller anden myndighed formelt udpeger på KKR's indstilling."))
    gender_rule = ChoiceField(_l("Ligestillingsloven"),
                              choices=choices((rule.value, rule.capitalised) for rule in GenderRule),
                              default=GenderRule.none.value)
    follows_election_period = yes_no(_l("Følger den kommunale valgperiode"))
    term_years = WholeNumberField(
        _l("Egen funktionsperiode i år"), validators=[Optional(), NumberRange(1, 20, _l("Skriv et tal fra 1 til 20."))],
        description=_l("Kun for en organisation, der ikke følger valgperioden. Kan udelades."))
    term_start = DanishDateField(
        _l("Første funktionsperiode begynder"), validators=[Optional()],
        description=_l("Fx 1. juni 2022, når perioderne løber fra 1. juni. Tom: hver udpegning regnes fra sin "
                       "første dag."))
    max_terms = WholeNumberField(
        _l("Højst antal perioder i træk"), validators=[Optional(), NumberRange(min=1, message=_l("Skriv mindst 1."))],
        description=_l("Fx 2, når et medlem kan genudpeges én gang. Tom: ingen grænse."))
    warning_days = WholeNumberField(
        _l("Varsel før udløb, i dage"), default=90,
        validators=[Optional(), NumberRange(0, 730, _l("Skriv et tal fra 0 til 730."))],
        description=_l("Så længe før en periode udløber, vises udpegningen som udløbende. Tom: 90 dage."))
    legal_basis = TextAreaField(_l("Lovgrundlag"), validators=[Optional(), Length(max=2000)])
    start_date = DanishDateField(_l("Startdato"), description=_l("Kan udelades, hvis den ikke kendes."),
                                 validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    version = VersionField()

    def values(self) -> dict:
        return dict(
            name=self.name.data.strip(), short_name=_text(self.short_name), kind=OrganisationKind(self.kind.data),
            appointing_authority=self.appointing_authority.data.strip(),
            authority_is_external=self.authority_is_external.data == "ja",
            gender_rule=GenderRule(self.gender_rule.data),
            follows_election_period=self.follows_election_period.data == "ja",
            term_years=self.term_years.data, term_start=self.term_start.data, max_terms=self.max_terms.data,
            warning_days=90 if self.warning_days.data is None else self.warning_days.data,
            legal_basis=_text(self.legal_basis), start_date=self.start_date.data, note=_text(self.note),
        )


class NewOrganisationForm(OrganisationForm):
    """Creating a body also creates its seats: Plads 1 to Plads N, each with a personal suppleant or none."""

    seats = WholeNumberField(
        _l("Antal pladser"), default=0, validators=[Optional(), NumberRange(0, MAX_NEW_SEATS, _l(
            "Skriv et tal fra 0 til %(most)d.", most=MAX_NEW_SEATS))],
        description=_l("Opretter Plads 1, Plads 2 osv. Flere pladser og andre slags pladser kan tilføjes bagefter."))
    seats_have_substitute = yes_no(_l("Pladserne har personlig suppleant"))

    def values(self) -> dict:
        return super().values() | dict(seats=self.seats.data or 0,
                                       seats_have_substitute=self.seats_have_substitute.data == "ja")


class CloseOrganisationForm(Form):
    end_date = DanishDateField(_l("Sidste dag"), description=_l("Organisationen findes til og med denne dag."),
                               validators=[InputRequired(_l("Skriv organisationens sidste dag."))])
    successor = ChoiceField(_l("Efterfølger"), coerce=int,
                            description=_l("Den organisation, der overtager opgaverne."))
    end_appointments = yes_no(
        _l("Afslut løbende udpegninger"),
        _l("Ja afslutter udpegninger, der løber ud over sidste dag, pr. den dag med årsagen "
           "'organisation nedlagt'. Nej afviser nedlæggelsen, så længe der er sådanne udpegninger."))
    version = VersionField()


class SeatForm(Form):
    label = StringField(_l("Pladsens navn"), description=_l("Fx Plads 1 eller Formand."),
                        validators=[DataRequired(_l("Skriv pladsens navn.")), Length(max=100)])
    has_substitute = yes_no(_l("Personlig suppleant"), _l("Ja, når medlemmet på pladsen har en personlig suppleant."))
    position = WholeNumberField(_l("Rækkefølge"), description=_l("Pladserne vises i denne rækkefølge. Kan udelades."),
                            validators=[Optional(), NumberRange(min=0, max=10_000, message=_l("Skriv et tal fra 0."))])
    kind = ChoiceField(_l("Pladstype"), choices=choices((kind.value, kind.capitalised) for kind in SeatKind),
                       default=SeatKind.voting.value,
                       description=_l("Observatører og tilforordnede deltager uden stemmeret. Et født medlem sidder "
                                      "i kraft af et embede."))
    ex_officio = StringField(_l("Embede (født medlem)"), validators=[Optional(), Length(max=200)],
                             description=_l("Fx borgmester i Gentofte Kommune. Kun for et født medlem."))
    pool_rank = WholeNumberField(
        _l("Nummer i suppleantrækken"), validators=[Optional(), NumberRange(1, 100, _l("Skriv et tal fra 1 til 100."))],
        description=_l("Kun for en fælles suppleant: 1 træder først til."))
    filled_by = ChoiceField(_l("Besættes af"), choices=choices((who.value, who.capitalised) for who in SeatFiller),
                            default=SeatFiller.kkr.value,
                            description=_l("En anden udpegers plads registreres kun, så hele organisationen kan ses; "
                                           "den indgår ikke i opfordringer og beslutninger."))
    appointing_authority = StringField(
        _l("Udpegende myndighed for pladsen"), validators=[Optional(), Length(max=200)],
        description=_l("Fx Regionsrådet. Tom: organisationens."))
    authority_is_external = ChoiceField(
        _l("KKR indstiller, en anden beskikker"), default="",
        choices=choices([("", _l("Som organisationen")), *YES_NO]))
    nominated_by = StringField(_l("Indstilles af"), validators=[Optional(), Length(max=200)],
                               description=_l("En organisation, der indstiller i stedet for en partigruppe, fx Dansk "
                                              "Industri. Tom: partigruppen."))
    start_date = DanishDateField(_l("Startdato"), validators=[Optional()],
                                 description=_l("Kan udelades, hvis pladsen har fulgt organisationen."))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    version = VersionField()

    def values(self) -> dict:
        external = self.authority_is_external.data
        values = dict(label=self.label.data.strip(), has_substitute=self.has_substitute.data == "ja",
                      start_date=self.start_date.data, note=_text(self.note), kind=SeatKind(self.kind.data),
                      ex_officio=_text(self.ex_officio), pool_rank=self.pool_rank.data,
                      filled_by=SeatFiller(self.filled_by.data),
                      appointing_authority=_text(self.appointing_authority),
                      authority_is_external=None if not external else external == "ja",
                      nominated_by=_text(self.nominated_by))
        if self.position.data is not None:
            values["position"] = self.position.data
        return values


class RetireSeatForm(Form):
    end_date = DanishDateField(_l("Sidste dag"), description=_l("Pladsen findes til og med denne dag."),
                               validators=[InputRequired(_l("Skriv pladsens sidste dag."))])
    version = VersionField()


class AllocationForm(Form):
    period = ChoiceField(_l("Valgperiode"), coerce=int)
    party = ChoiceField(_l("Partigruppe"), coerce=int, description=_l("Vælg 'Ingen' for at fjerne fordelingen."))
