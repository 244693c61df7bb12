"""Imports every feature's models, so the metadata (and Alembic) knows them all."""

from registry.appointments.models import Appointment, EndReason, Role, Status  # noqa: F401
from registry.audit.models import AuditEntry  # noqa: F401
from registry.auth.models import LoginDelay, LoginFailure, User, UserRole  # noqa: F401
from registry.exchange.models import Upload  # noqa: F401
from registry.mandates.models import CouncilMandate  # noqa: F401
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome  # noqa: F401
from registry.nominations.models import Call, CallReason, Nomination, NominationStatus  # noqa: F401
from registry.notifications.models import Message  # noqa: F401
from registry.organisations.models import (  # noqa: F401
    ElectionPeriod,
    GenderRule,
    Organisation,
    OrganisationKind,
    Seat,
    SeatAllocation,
)
from registry.people.models import Gender, Municipality, Party, Person  # noqa: F401
from registry.rounds.models import ElectoralGroup, PeriodParty, ShareOut  # noqa: F401
