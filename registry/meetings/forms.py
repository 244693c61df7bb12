"""The secretariat's forms for the agenda and KKR's decisions. They check shape; whether a nomination
may go on the agenda, which outcome KKR may decide and from which day someone is seated is the
nominations services' question."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, Optional, Regexp, StopValidation, ValidationError

from registry.appointments.models import EndReason
from registry.dates import local_date
from registry.forms import ChoiceField, DanishDateField, Form, VersionField
from registry.meetings.constituent import DEFERRED
from registry.meetings.models import ITEM_NUMBER, Meeting, Outcome
from registry.meetings.schedule import Choices

# The agenda forms' choice of a meeting not yet in the registry.
NEW = "nyt"


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def longest(characters: int) -> Length:
    return Length(max=characters, message=_l("Skriv højst %(max)d tegn."))


def reason_choices() -> list[SelectChoice]:
    return [SelectChoice(reason.value, reason.capitalised) for reason in EndReason]


def outcome_choices(outcomes: list[Outcome]) -> list[SelectChoice]:
    return [SelectChoice(outcome.value, outcome.capitalised) for outcome in outcomes]


class DanishTimeField(TimeField):
    """<input type=time>, which sends HH:MM (HH:MM:SS with seconds) whatever the browser shows."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%H:%M", "%H:%M:%S"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Skriv et klokkeslæt som TT:MM, fx 10:00.")) from None


LOCATION_HINT = _l("Fx Glostrup Park Hotel, Hovedvejen 41, 2600 Glostrup.")
CASE_NUMBER_HINT = _l("Mødets sagsnummer, fx SAG-2024-01064.")


class MeetingForm(Form):
    """A KKR meeting: its date, time, place and case number."""

    meeting_date = DanishDateField(_l("Dato"), validators=[InputRequired(_l("Skriv mødets dato."))])
    starts_at = DanishTimeField(_l("Begynder kl."), validators=[Optional()], description=_l("Fx 10:00."))
    ends_at = DanishTimeField(_l("Slutter kl."), validators=[Optional()])
    location = StringField(_l("Mødested"), filters=[strip], validators=[Optional(), longest(300)],
                           description=LOCATION_HINT)
    case_number = StringField(_l("Sagsnummer"), filters=[strip], validators=[Optional(), longest(50)],
                              description=CASE_NUMBER_HINT)
    version = VersionField()


class DeleteMeetingForm(Form):
    version = VersionField()


def meeting_label(meeting: Meeting) -> str:
    """'19.04.2024 kl. 10:00, Glostrup Park Hotel (SAG-2024-01064)': enough to tell the meetings apart."""
    text = local_date(meeting.date)
    if meeting.starts_at is not None:
        text += " " + _("kl. %(time)s", time=meeting.starts_at.strftime("%H:%M"))
    if meeting.location:
        text += f", {meeting.location}"
    if meeting.case_number:
        text += f" ({meeting.case_number})"
    return text


class ForNewMeeting:
    """A field of the meeting asked for with "nyt møde": empty unless that is chosen (what is typed there is
    not thrown away unseen), and needed with it when `message` says so."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        empty = not field.raw_data or not str(field.raw_data[0]).strip()
        if form.meeting.data != NEW:
            field.errors[:] = []
            if not empty:
                raise StopValidation(_l("Vælg Nyt møde for at oprette et møde, eller tøm feltet: der er valgt "
                                        "et møde på listen."))
            raise StopValidation()
        if empty:
            field.errors[:] = []
            raise StopValidation(self.message)


class MeetingChoiceForm(Form):
    """The meeting an agenda form puts nominations on: one from the list, or a new one (NEW) with the fields
    below, which are used only then. Call offer() before validating."""

    NEW = NEW

    meeting = ChoiceField(_l("Møde"), validate_choice=False, default=NEW,
                          description=_l("Kommende og seneste møder. Findes mødet ikke, så vælg Nyt møde og "
                                         "udfyld mødets oplysninger herunder."))
    meeting_date = DanishDateField(_l("Mødedato"), validators=[ForNewMeeting(_l("Skriv det nye mødes dato."))])
    starts_at = DanishTimeField(_l("Begynder kl."), validators=[ForNewMeeting()], description=_l("Fx 10:00."))
    location = StringField(_l("Mødested"), filters=[strip], validators=[ForNewMeeting(), longest(300)],
                           description=LOCATION_HINT)
    case_number = StringField(_l("Sagsnummer"), filters=[strip], validators=[ForNewMeeting(), longest(50)],
                              description=CASE_NUMBER_HINT)

    def offer(self, choices: Choices) -> None:
        """The meetings to pick from, grouped, and "nyt møde" last."""
        self.meeting.choices = [
            SelectChoice("", _("Vælg et møde")),
            *(SelectChoice(str(m.id), meeting_label(m), optgroup=_("Kommende møder")) for m in choices.upcoming),
            *(SelectChoice(str(m.id), meeting_label(m), optgroup=_("Seneste møder")) for m in choices.recent),
            SelectChoice(NEW, _("Nyt møde")),
        ]

    def chosen_id(self) -> int | None:
        """The id of the meeting picked from the list; None with "nyt møde"."""
        return None if self.meeting.data == NEW else int(self.meeting.data)

    def validate_meeting(self, field) -> None:
        value = field.data or ""
        if value != NEW and not (value.isascii() and value.isdigit() and 0 < int(value) < 2**31):
            raise StopValidation(_l("Vælg et møde på listen, eller vælg Nyt møde."))


class PlaceForm(MeetingChoiceForm):
    """Put a nomination on a KKR meeting's agenda, picked from the list or new; the item is created when the
    meeting has none of the number."""

    item_number = StringField(_l("Punktnummer"), filters=[strip], validators=[
        InputRequired(_l("Skriv punktets nummer, fx 4.1.")), longest(20),
        Regexp(f"^{ITEM_NUMBER.pattern}$", message=_l("Punktnummeret skal være tal adskilt af punktum, fx 4.1."))],
        description=_l("Fx 4.1. Har mødet allerede et punkt med nummeret, kommer indstillingen på det."))
    title = StringField(_l("Punktets titel"), filters=[strip], validators=[Optional(), longest(300)],
                        description=_l("Tom: 'Indstilling af medlem til …' efter pladsen."))
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


class RoundAgendaForm(MeetingChoiceForm):
    """Every submitted nomination of a round on one meeting's agenda: one item per body."""

    period = ChoiceField(_l("Valgperiode"), coerce=int)
    section = StringField(_l("Dagsordenens punkt"), filters=[strip], default="5",
                          validators=[InputRequired(_l("Skriv punktets nummer, fx 5.")), longest(5)],
                          description=_l("Organisationerne bliver underpunkter i alfabetisk orden: 5.1, 5.2 osv."))


def meeting_outcome_choices(outcomes: list[Outcome]) -> list[SelectChoice]:
    """The outcomes KKR may decide on a nomination, and "udsat"."""
    return [*outcome_choices(outcomes), SelectChoice(DEFERRED, _("Udsat (ikke behandlet)"))]


class DecideMeetingForm(Form):
    """KKR's decisions on the whole meeting or one item; each nomination's outcome is a field of its own
    (outcome-<id>), read by the view."""

    effective_date = DanishDateField(_l("Udpeget fra"), validators=[InputRequired(_l("Skriv datoen."))],
                                     description=_l("Den dag, KKR's egne udpegninger gælder fra. Foreslået er "
                                                    "valgperiodens første dag for indstillinger til en ny "
                                                    "valgperiode, dog tidligst mødets dato, og ellers mødets "
                                                    "dato."))


class AuthorityAppointmentsForm(Form):
    """An outside authority has appointed everyone KKR recommended to it."""

    authority = ChoiceField(_l("Udpegende myndighed"))
    appointed_on = DanishDateField(_l("Udpeget fra"), validators=[InputRequired(_l("Skriv datoen."))],
                                   description=_l("Den dag, myndighedens udpegning gælder fra."))
