"""The secretariat's forms for the agenda and KKR's decisions. They check shape; whether a nomination
may go on the agenda, which outcome KKR may decide and from which day someone is seated is the
nominations services' question."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from registry.appointments.models import EndReason
from registry.forms import ChoiceField, DanishDateField, Form, VersionField
from registry.meetings.models import ITEM_NUMBER, Outcome


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def longest(characters: int) -> Length:
    return Length(max=characters, message=_l("Skriv højst %(max)d tegn."))


def reason_choices() -> list[SelectChoice]:
    return [SelectChoice(reason.value, reason.capitalised) for reason in EndReason]


def outcome_choices(outcomes: list[Outcome]) -> list[SelectChoice]:
    return [SelectChoice(outcome.value, outcome.capitalised) for outcome in outcomes]


class PlaceForm(Form):
    """Put a nomination on a KKR meeting's agenda; the meeting and the item are created when missing."""

    meeting_date = DanishDateField(_l("Mødedato"), validators=[InputRequired(_l("Skriv mødets dato."))])
    location = StringField(_l("Mødested"), filters=[strip], validators=[Optional(), longest(300)],
                           description=_l("Fx Glostrup Park Hotel, Hovedvejen 41, 2600 Glostrup."))
    case_number = StringField(_l("Sagsnummer"), filters=[strip], validators=[Optional(), longest(50)],
                              description=_l("Mødets sagsnummer, fx SAG-2024-01064."))
    item_number = StringField(_l("Punktnummer"), filters=[strip], validators=[
        InputRequired(_l("Skriv punktets nummer, fx 4.1.")), longest(20),
        Regexp(f"^{ITEM_NUMBER.pattern}$", message=_l("Punktnummeret skal være tal adskilt af punktum, fx 4.1."))],
        description=_l("Fx 4.1. Har mødet allerede et punkt med nummeret, kommer indstillingen på det."))
    title = StringField(_l("Punktets titel"), filters=[strip], validators=[Optional(), longest(300)],
                        description=_l("Tom: «Indstilling af medlem til …» efter pladsen."))
    case_worker = StringField(_l("Sagsbehandler"), filters=[strip], validators=[Optional(), longest(20)],
                              description=_l("Sagsbehandlerens initialer, fx gitb."))
    version = VersionField()


class TakeOffForm(Form):
    version = VersionField()


class PublishForm(Form):
    """No fields: the button that makes the agenda public, or takes it back (a POST, as it changes data)."""


class DecideForm(Form):
    # The options are what KKR may decide on this nomination; another outcome is the service's refusal to explain.
    outcome = ChoiceField(_l("KKR's beslutning"), validate_choice=False)
    text = TextAreaField(_l("Beslutningens tekst"), validators=[Optional(), longest(5000)],
                         description=_l("Som i referatet. Står teksten uændret, skrives den efter den valgte "
                                        "beslutning."))
    effective_date = DanishDateField(_l("Udpeget fra"), validators=[Optional()],
                                     description=_l("Første dag i embedet. Skal udfyldes, når KKR selv udpeger."))
    reason = ChoiceField(_l("Forgængerens ophørsårsag"), choices=reason_choices(),
                         description=_l("Bruges, når KKR selv udpeger: den nuværende indehavers udpegning "
                                        "slutter dagen før."))
    version = VersionField()

    def validate_outcome(self, field) -> None:
        if field.data not in {outcome.value for outcome in Outcome}:
            raise ValidationError(_l("Vælg en af mulighederne."))


class NotAppointedForm(Form):
    """The outside authority's decision not to appoint (ikke beskikket)."""

    decided_on = DanishDateField(_l("Afgørelsens dato"),
                                 validators=[InputRequired(_l("Skriv datoen for myndighedens afgørelse."))])
    note = TextAreaField(_l("Myndighedens begrundelse"), validators=[Optional(), longest(2000)],
                         description=_l("Fx at ministeren efter ligestillingslovens § 9, stk. 3, har besluttet, at "
                                        "organet fungerer uden medlemmet. Partigruppen ser begrundelsen."))
    version = VersionField()


class AppointmentForm(Form):
    """The outside authority's formal appointment (beskikkelse) of a nomination KKR has dealt with."""

    appointed_on = DanishDateField(_l("Udpeget fra"),
                                   validators=[InputRequired(_l("Skriv den dato, udpegningen gælder fra."))],
                                   description=_l("Den første dag i embedet ifølge den udpegende myndighed. "
                                                  "Den nuværende indehavers udpegning slutter dagen før."))
    reason = ChoiceField(_l("Forgængerens ophørsårsag"), choices=reason_choices())
    version = VersionField()


class RoundAgendaForm(Form):
    """Every submitted nomination of a round on one meeting's agenda: one item per body."""

    period = ChoiceField(_l("Valgperiode"), coerce=int)
    meeting_date = DanishDateField(_l("Mødedato"), validators=[InputRequired(_l("Skriv mødets dato."))])
    section = StringField(_l("Dagsordenens punkt"), filters=[strip], default="5",
                          validators=[InputRequired(_l("Skriv punktets nummer, fx 5.")), longest(5)],
                          description=_l("Organisationerne bliver underpunkter i alfabetisk orden: 5.1, 5.2 osv."))
    location = StringField(_l("Mødested"), filters=[strip], validators=[Optional(), longest(300)])
    case_number = StringField(_l("Sagsnummer"), filters=[strip], validators=[Optional(), longest(50)])


class DecideMeetingForm(Form):
    """KKR's decisions on the whole meeting; each nomination's outcome is a field of its own (outcome-<id>),
    read by the view."""

    effective_date = DanishDateField(_l("Udpeget fra"), validators=[InputRequired(_l("Skriv datoen."))],
                                     description=_l("Den dag, KKR's egne udpegninger gælder fra."))


class AuthorityAppointmentsForm(Form):
    """An outside authority has appointed everyone KKR recommended to it."""

    authority = ChoiceField(_l("Udpegende myndighed"))
    appointed_on = DanishDateField(_l("Udpeget fra"), validators=[InputRequired(_l("Skriv datoen."))],
                                   description=_l("Den dag, myndighedens udpegning gælder fra."))
