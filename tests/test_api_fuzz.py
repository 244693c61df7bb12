"""Fuzzing the JSON API from its OpenAPI document: whatever a caller sends, no
server error and no answer that the document does not describe.

It runs on both databases, like every test: a filter or date that one of them
takes differently (an id too large for its integers, say) is exactly what
fuzzing is for. The number of examples per operation is kept small so the
whole run stays within seconds.
"""

from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from registry.api import openapi
from registry.appointments import services as appointments
from registry.appointments.models import Office, OfficeChooser, Role, Status
from registry.extensions import db
from registry.organisations.models import ElectionPeriod, SeatAllocation, SeatKind
from tests import factories as make


@pytest.fixture
def registry_data(app):
    """A little of everything the API shows: a body with a successor, a seat with its party group, a member
    with a KKR decision, an office from a later day and a personal suppleant, a pooled suppleant with an outside
    appointing authority, a closed body, and a recommendation that is not public."""
    successor = make.organisation("Regionalt beskæftigelsesråd Hovedstaden", start_date=date(2025, 7, 1))
    rar = make.organisation("RAR Hovedstaden", short_name="RAR", authority_is_external=True,
                            end_date=date(2025, 6, 30), successor=successor)
    seat = make.seat(rar)
    period = ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    db.session.add(SeatAllocation(seat=seat, period=period, party=make.party("F")))
    kofoed = make.appoint(seat, make.person("Lotte Kofoed", "Frederiksberg", email="lotte@example.dk"),
                          date(2022, 1, 1), date(2025, 6, 30), decision=make.decision())
    appointments.set_office(kofoed, Office.chair, chosen_by=OfficeChooser.body, start=date(2024, 1, 1))
    pool = make.seat(rar, "Suppleant 1", has_substitute=False, kind=SeatKind.pooled_substitute, pool_rank=1,
                     nominated_by="FH", appointing_authority="Beskæftigelsesministeren")
    make.appoint(pool, make.person("Pia Pulje"), date(2022, 1, 1), date(2025, 6, 30), role=Role.substitute)
    make.appoint(seat, make.person("Marie-Louise Peschardt Jørgensen"), date(2022, 1, 1), date(2025, 6, 30),
                 role=Role.substitute)
    make.appoint(seat, make.person("Vera Venter Eksempel"), date(2024, 7, 1), date(2025, 6, 30),
                 role=Role.substitute, status=Status.recommended)
    school = make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31)), has_substitute=False)
    make.appoint(school, make.person("Esat Sentürk", "Høje-Taastrup", "B"), date(2022, 1, 1), date(2024, 10, 31))
    db.session.commit()


# Loaded eagerly, with the app as a fixture of the test: schemathesis.pytest.from_fixture (one fixture for
# the whole schema) sets Node._nodeid, which pytest 9.2 no longer has.
schema = schemathesis.openapi.from_dict(openapi.DOCUMENT)


@schema.parametrize()
# The fixtures are set up once for all examples of an operation, as meant: the API only reads.
# deadline=None: a cold PostgreSQL may be slow once.
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_answers_any_request_as_its_document_says(case, app, registry_data):
    case.call_and_validate(app=app)
